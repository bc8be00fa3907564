//! The API simulator over real loopback TCP, driven by `reqwest` and by raw sockets.

use producer_sim::{IssuedId, RateLimit, SimConfig, Simulator};
use reqwest::header::{CONTENT_RANGE, CONTENT_TYPE, RANGE, RETRY_AFTER};
use reqwest::{Client, Response, StatusCode};
use serde_json::{json, Value};
use std::io::ErrorKind;
use std::net::SocketAddr;
use std::time::{Duration, Instant, SystemTime};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::time::timeout;
use uuid::Uuid;

const LINK: &str = "https://example.com/song.mp3";
/// Upper bound for anything a test waits on.
const BOUND: Duration = Duration::from_secs(5);

fn client() -> Client {
    client_with_timeout(BOUND)
}

fn client_with_timeout(limit: Duration) -> Client {
    Client::builder()
        .no_proxy()
        .timeout(limit)
        .build()
        .expect("the HTTP client builds")
}

async fn start(config: SimConfig) -> Simulator {
    Simulator::start(config)
        .await
        .expect("the simulator starts")
}

async fn upload_with(
    client: &Client,
    sim: &Simulator,
    token: &str,
    link: &str,
) -> reqwest::Result<Response> {
    client
        .post(format!("{}/producer/upload", sim.base_url()))
        .header("accept", "application/json")
        .bearer_auth(token)
        .json(&json!({ "audio_url": link }))
        .send()
        .await
}

async fn upload(client: &Client, sim: &Simulator, link: &str) -> Response {
    upload_with(client, sim, "sim-token", link)
        .await
        .expect("the simulator answers")
}

async fn status_and_json(response: Response) -> (StatusCode, Value) {
    let status = response.status();
    let body = response.json().await.expect("the body is JSON");
    (status, body)
}

fn content_type(response: &Response) -> &str {
    response
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default()
}

fn is_v4(text: &Value) -> bool {
    text.as_str()
        .and_then(|text| Uuid::parse_str(text).ok())
        .is_some_and(|id| id.get_version_num() == 4)
}

/// The audio id of a success body, after checking the documented shape.
fn audio_id(status: StatusCode, body: &Value) -> String {
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["success"], true);
    assert!(is_v4(&body["data"]["audio_id"]), "{body}");
    body["data"]["audio_id"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

fn assert_api_error(status: StatusCode, body: &Value, expected: u16, code: &str) {
    assert_eq!(status.as_u16(), expected, "{body}");
    assert_eq!(body["error"]["code"], code, "{body}");
    assert!(
        body["error"]["message"]
            .as_str()
            .is_some_and(|m| !m.is_empty()),
        "{body}"
    );
    assert!(is_v4(&body["trace_id"]), "{body}");
}

/// Sends raw bytes and reads until the simulator closes the connection.
async fn raw_exchange(addr: SocketAddr, request: &[u8]) -> String {
    let mut stream = TcpStream::connect(addr).await.expect("connects");
    stream.write_all(request).await.expect("writes");
    let mut answer = Vec::new();
    timeout(BOUND, stream.read_to_end(&mut answer))
        .await
        .expect("the simulator closes the connection")
        .expect("reads");
    String::from_utf8_lossy(&answer).into_owned()
}

fn raw_upload(link: &str, extra_headers: &str) -> String {
    let body = json!({ "audio_url": link }).to_string();
    format!(
        "POST /producer/upload HTTP/1.1\r\nhost: sim\r\nauthorization: Bearer sim-token\r\n\
         content-type: application/json\r\ncontent-length: {}\r\n{extra_headers}\r\n{body}",
        body.len()
    )
}

#[tokio::test]
async fn success_has_the_documented_shape_and_is_recorded() {
    let sim = start(SimConfig::default()).await;
    let client = client();

    let response = upload(&client, &sim, LINK).await;
    assert_eq!(content_type(&response), "application/json");
    assert!(response.headers().get("x-trace-id").is_none());
    let (status, body) = status_and_json(response).await;
    let first = audio_id(status, &body);
    assert_eq!(body.as_object().map(|o| o.len()), Some(2), "{body}");
    let (status, body) = status_and_json(upload(&client, &sim, LINK).await).await;
    let second = audio_id(status, &body);
    assert_ne!(first, second);

    let issued: Vec<String> = sim.issued().into_iter().map(|i| i.audio_id).collect();
    assert_eq!(issued, [first, second]);
    let requests = sim.requests();
    assert_eq!(requests.len(), 2);
    let request = &requests[0];
    assert_eq!(
        (request.method.as_str(), request.path.as_str()),
        ("POST", "/producer/upload")
    );
    assert_eq!(request.header("authorization"), Some("Bearer sim-token"));
    assert_eq!(request.header("accept"), Some("application/json"));
    let sent: Value = serde_json::from_slice(&request.body).expect("the recorded body is JSON");
    assert_eq!(sent, json!({ "audio_url": LINK }));
    sim.shutdown().await;
}

#[tokio::test]
async fn error_tokens_give_their_documented_status_and_code() {
    let sim = start(SimConfig::default()).await;
    let client = client();
    let cases = [
        ("bad_request", 400),
        ("no_token", 400),
        ("disabled", 400),
        ("api_not_implemented", 400),
        ("token_mismatched", 401),
        ("invalid_token", 401),
        ("token_expired", 401),
        ("used_up", 403),
        ("no_api", 404),
        ("too_many_requests", 429),
        ("api_error", 500),
        ("quota_melted", 400),
    ];
    for (code, expected) in cases {
        let response = upload_with(&client, &sim, &format!("sim-error-{code}"), LINK)
            .await
            .expect("answers");
        let (status, body) = status_and_json(response).await;
        assert_api_error(status, &body, expected, code);
    }
    assert!(sim.issued().is_empty());
}

#[tokio::test]
async fn the_html_error_token_gets_a_gateway_page() {
    let sim = start(SimConfig::default()).await;
    let response = upload_with(&client(), &sim, "sim-html-error", LINK)
        .await
        .expect("answers");
    assert_eq!(response.status(), StatusCode::BAD_GATEWAY);
    assert!(content_type(&response).starts_with("text/html"));
    let page = response.text().await.expect("reads");
    assert_eq!(page, "<html><body><h1>502 Bad Gateway</h1></body></html>");
}

#[tokio::test]
async fn tokens_are_checked_before_anything_else() {
    let sim = start(SimConfig {
        accepted_tokens: vec!["mine".into()],
        ..SimConfig::default()
    })
    .await;
    let client = client();
    let url = format!("{}/producer/upload", sim.base_url());

    let (status, body) = status_and_json(
        upload_with(&client, &sim, "sim-token", LINK)
            .await
            .expect("answers"),
    )
    .await;
    assert_api_error(status, &body, 401, "invalid_token");
    let (status, body) = status_and_json(
        upload_with(&client, &sim, "mine", LINK)
            .await
            .expect("answers"),
    )
    .await;
    audio_id(status, &body);

    let missing = client
        .post(&url)
        .json(&json!({ "audio_url": LINK }))
        .send()
        .await
        .expect("answers");
    let (status, body) = status_and_json(missing).await;
    assert_api_error(status, &body, 400, "no_token");
    let basic = client
        .post(&url)
        .header("authorization", "Basic bWluZQ==")
        .body("not even json")
        .send()
        .await
        .expect("answers");
    let (status, body) = status_and_json(basic).await;
    assert_api_error(status, &body, 400, "no_token");
}

#[tokio::test]
async fn unusable_bodies_are_bad_requests() {
    let sim = start(SimConfig::default()).await;
    let client = client();
    let bodies = [
        "",
        "not json",
        r#"["https://example.com/a.mp3"]"#,
        "{}",
        r#"{"link": "https://example.com/a.mp3"}"#,
        r#"{"audio_url": 5}"#,
        r#"{"audio_url": null}"#,
        r#"{"audio_url": ""}"#,
        r#"{"audio_url": "ftp://example.com/a.mp3"}"#,
        r#"{"audio_url": "song.mp3"}"#,
    ];
    for body in bodies {
        let response = client
            .post(format!("{}/producer/upload", sim.base_url()))
            .bearer_auth("sim-token")
            .header(CONTENT_TYPE, "application/json")
            .body(body)
            .send()
            .await
            .expect("answers");
        let (status, answer) = status_and_json(response).await;
        assert_api_error(status, &answer, 400, "bad_request");
    }
    assert!(sim.issued().is_empty());
    assert_eq!(sim.requests().len(), bodies.len());
}

#[tokio::test]
async fn other_paths_and_methods_are_no_api() {
    let sim = start(SimConfig::default()).await;
    let client = client();
    let base = sim.base_url();
    let requests = [
        client.post(format!("{base}/producer/uploads")),
        client.post(format!("{base}/")),
        client.get(format!("{base}/producer/upload")),
        client.delete(format!("{base}/files/song.wav")),
    ];
    for request in requests {
        let response = request
            .bearer_auth("sim-token")
            .send()
            .await
            .expect("answers");
        let (status, body) = status_and_json(response).await;
        assert_api_error(status, &body, 404, "no_api");
    }
}

#[tokio::test]
async fn the_rate_limit_answers_429_then_recovers() {
    let sim = start(SimConfig {
        rate_limit: Some(RateLimit {
            per_second: 20.0,
            burst: 2,
        }),
        ..SimConfig::default()
    })
    .await;
    let client = client();
    for _ in 0..2 {
        assert_eq!(upload(&client, &sim, LINK).await.status(), StatusCode::OK);
    }
    let limited = upload(&client, &sim, LINK).await;
    assert_eq!(
        limited.headers().get(RETRY_AFTER).map(|v| v.as_bytes()),
        Some(&b"1"[..])
    );
    let (status, body) = status_and_json(limited).await;
    assert_api_error(status, &body, 429, "too_many_requests");

    tokio::time::sleep(Duration::from_millis(120)).await;
    assert_eq!(upload(&client, &sim, LINK).await.status(), StatusCode::OK);
    assert_eq!(sim.issued().len(), 3);
}

#[tokio::test]
async fn status_faults_answer_like_a_failing_service() {
    let sim = start(SimConfig::default()).await;
    let client = client();

    let (status, body) =
        status_and_json(upload(&client, &sim, &format!("{LINK}?sim_fault=error500")).await).await;
    assert_api_error(status, &body, 500, "api_error");

    for (kind, status, text) in [
        ("html502", 502, "502 Bad Gateway"),
        ("503", 503, "503"),
        ("504", 504, "504"),
    ] {
        let response = upload(&client, &sim, &format!("{LINK}?sim_fault={kind}")).await;
        assert_eq!(response.status().as_u16(), status);
        assert!(content_type(&response).starts_with("text/html"));
        assert!(response.text().await.expect("reads").contains(text));
    }
    assert!(sim.issued().is_empty());
}

#[tokio::test]
async fn rate429_sends_retry_after_in_seconds_or_as_a_date() {
    let sim = start(SimConfig::default()).await;
    let client = client();
    let retry_after = |response: &Response| {
        response
            .headers()
            .get(RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };

    let response = upload(&client, &sim, &format!("{LINK}?sim_fault=rate429")).await;
    assert_eq!(retry_after(&response).as_deref(), Some("1"));
    let (status, body) = status_and_json(response).await;
    assert_api_error(status, &body, 429, "too_many_requests");

    let response = upload(
        &client,
        &sim,
        &format!("{LINK}?sim_fault=rate429&sim_retry_after=7"),
    )
    .await;
    assert_eq!(retry_after(&response).as_deref(), Some("7"));

    let link = format!("{LINK}?sim_fault=rate429&sim_retry_after=30&sim_retry_date=1");
    let response = upload(&client, &sim, &link).await;
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    let date = retry_after(&response).expect("a Retry-After header");
    let at = httpdate::parse_http_date(&date).expect("an HTTP date");
    let ahead = at.duration_since(SystemTime::now()).expect("in the future");
    assert!(
        (25..=31).contains(&ahead.as_secs()),
        "{date} is {ahead:?} ahead"
    );
}

#[tokio::test]
async fn sim_times_limits_a_fault_to_the_first_requests_of_that_link() {
    let sim = start(SimConfig::default()).await;
    let client = client();
    let link = format!("{LINK}?sim_fault=error500&sim_times=2");
    for _ in 0..2 {
        assert_eq!(
            upload(&client, &sim, &link).await.status(),
            StatusCode::INTERNAL_SERVER_ERROR
        );
    }
    let (status, body) = status_and_json(upload(&client, &sim, &link).await).await;
    let id = audio_id(status, &body);
    assert_eq!(
        sim.issued(),
        [IssuedId {
            audio_id: id,
            audio_url: link
        }]
    );
    // Another link counts on its own.
    let other = format!("{LINK}?sim_fault=error500&sim_times=1&take=2");
    assert_eq!(
        upload(&client, &sim, &other).await.status(),
        StatusCode::INTERNAL_SERVER_ERROR
    );
    // Without sim_times the fault stays.
    let always = format!("{LINK}?sim_fault=error500");
    for _ in 0..3 {
        assert_eq!(
            upload(&client, &sim, &always).await.status(),
            StatusCode::INTERNAL_SERVER_ERROR
        );
    }
}

#[tokio::test]
async fn cut_and_drop_fail_the_client_quickly() {
    let sim = start(SimConfig::default()).await;
    let client = client();
    let started = Instant::now();

    let cut = async {
        let response =
            upload_with(&client, &sim, "sim-token", &format!("{LINK}?sim_fault=cut")).await?;
        assert_eq!(response.status(), StatusCode::OK);
        response.bytes().await
    };
    let error = cut.await.expect_err("a cut answer is an error");
    assert!(!error.is_timeout(), "{error:?}");

    let dropped = upload_with(
        &client,
        &sim,
        "sim-token",
        &format!("{LINK}?sim_fault=drop"),
    )
    .await;
    let error = dropped.expect_err("a dropped connection is an error");
    assert!(!error.is_timeout(), "{error:?}");
    assert!(started.elapsed() < Duration::from_secs(2));

    // The connection pool recovers: the next upload succeeds.
    let (status, body) = status_and_json(upload(&client, &sim, LINK).await).await;
    audio_id(status, &body);
}

#[tokio::test]
async fn cut_sends_a_prefix_of_a_success_body_and_issues_the_id() {
    let sim = start(SimConfig::default()).await;
    let link = format!("{LINK}?sim_fault=cut");
    let answer = raw_exchange(sim.addr(), raw_upload(&link, "").as_bytes()).await;
    let (head, body) = answer.split_once("\r\n\r\n").expect("a head");
    assert!(head.starts_with("HTTP/1.1 200 OK"));
    assert!(head.contains("content-type: application/json"));
    let promised: usize = head
        .lines()
        .find_map(|line| line.strip_prefix("content-length: "))
        .and_then(|n| n.parse().ok())
        .expect("a content-length");
    assert!(!body.is_empty() && body.len() < promised);
    let issued = sim.issued();
    assert_eq!(issued.len(), 1);
    let full = json!({ "data": { "audio_id": issued[0].audio_id }, "success": true }).to_string();
    assert!(full.starts_with(body));
    assert_eq!(full.len(), promised);
}

#[tokio::test]
async fn hang_holds_until_the_client_gives_up_or_the_simulator_stops() {
    let sim = start(SimConfig::default()).await;
    let link = format!("{LINK}?sim_fault=hang");

    let started = Instant::now();
    let error = upload_with(
        &client_with_timeout(Duration::from_millis(300)),
        &sim,
        "sim-token",
        &link,
    )
    .await
    .expect_err("no answer");
    assert!(error.is_timeout(), "{error:?}");
    assert!(started.elapsed() < Duration::from_secs(2));

    // Others are still served meanwhile.
    let (status, body) = status_and_json(upload(&client(), &sim, LINK).await).await;
    audio_id(status, &body);

    // Shutting down ends a hanging connection.
    let mut stream = TcpStream::connect(sim.addr()).await.expect("connects");
    stream
        .write_all(raw_upload(&link, "").as_bytes())
        .await
        .expect("writes");
    tokio::time::sleep(Duration::from_millis(50)).await;
    timeout(BOUND, sim.shutdown())
        .await
        .expect("shutdown finishes");
    let mut rest = Vec::new();
    let read = timeout(BOUND, stream.read_to_end(&mut rest))
        .await
        .expect("the connection ends");
    assert!(read.is_err() || rest.is_empty());
}

#[tokio::test]
async fn body_faults_send_what_the_app_must_refuse() {
    let sim = start(SimConfig::default()).await;
    let client = client();

    let empty = upload(&client, &sim, &format!("{LINK}?sim_fault=empty")).await;
    assert_eq!(empty.status(), StatusCode::OK);
    assert!(empty.bytes().await.expect("reads").is_empty());

    let text = upload(&client, &sim, &format!("{LINK}?sim_fault=notjson")).await;
    assert_eq!(text.status(), StatusCode::OK);
    assert!(content_type(&text).starts_with("text/plain"));
    assert_eq!(text.text().await.expect("reads"), "OK");

    let huge = upload(&client, &sim, &format!("{LINK}?sim_fault=huge")).await;
    assert_eq!(huge.status(), StatusCode::OK);
    assert!(content_type(&huge).starts_with("text/html"));
    assert_eq!(huge.bytes().await.expect("reads").len(), 3 * 1024 * 1024);

    assert!(sim.issued().is_empty());
}

#[tokio::test]
async fn slow_and_rich_succeed_in_their_own_way() {
    let sim = start(SimConfig::default()).await;
    let client = client();

    let started = Instant::now();
    let slow = format!("{LINK}?sim_fault=slow&sim_delay_ms=150");
    let (status, body) = status_and_json(upload(&client, &sim, &slow).await).await;
    audio_id(status, &body);
    assert!(started.elapsed() >= Duration::from_millis(150));

    let (status, body) =
        status_and_json(upload(&client, &sim, &format!("{LINK}?sim_fault=rich")).await).await;
    let id = audio_id(status, &body);
    assert!(is_v4(&body["task_id"]), "{body}");
    assert_eq!(
        body["data"]["audio_url"],
        format!("https://cdn.acedata.cloud/{id}.mp3")
    );
    assert_eq!(body["data"]["lyric"], "");
    assert_eq!(body["data"]["some_new_field"], 1);
    assert_eq!(sim.issued().len(), 2);

    let (status, body) =
        status_and_json(upload(&client, &sim, &format!("{LINK}?sim_fault=explode")).await).await;
    assert_api_error(status, &body, 400, "bad_request");
}

#[tokio::test]
async fn latency_delays_every_upload_answer() {
    let sim = start(SimConfig {
        latency: Duration::from_millis(150),
        ..SimConfig::default()
    })
    .await;
    let client = client();
    for token in ["sim-token", "sim-error-used_up"] {
        let started = Instant::now();
        upload_with(&client, &sim, token, LINK)
            .await
            .expect("answers");
        assert!(started.elapsed() >= Duration::from_millis(150));
    }
    let started = Instant::now();
    client
        .get(format!("{}/files/a.wav", sim.base_url()))
        .send()
        .await
        .expect("answers");
    assert!(started.elapsed() < Duration::from_millis(150));
}

#[tokio::test]
async fn one_connection_carries_many_requests() {
    let sim = start(SimConfig::default()).await;
    // Pipelined on one socket; the last asks to close.
    let requests = [
        raw_upload(LINK, ""),
        raw_upload(LINK, ""),
        raw_upload(LINK, "connection: close\r\n"),
    ]
    .concat();
    let answer = raw_exchange(sim.addr(), requests.as_bytes()).await;
    assert_eq!(answer.matches("HTTP/1.1 200 OK\r\n").count(), 3, "{answer}");
    assert_eq!(answer.matches("connection: close\r\n").count(), 1);
    assert_eq!(sim.issued().len(), 3);

    // A pooling client, one after another and all at once.
    let client = client();
    for _ in 0..10 {
        assert_eq!(upload(&client, &sim, LINK).await.status(), StatusCode::OK);
    }
    let together = (0..16).map(|_| upload(&client, &sim, LINK));
    for response in futures::future::join_all(together).await {
        assert_eq!(response.status(), StatusCode::OK);
    }
    let mut ids: Vec<String> = sim.issued().into_iter().map(|i| i.audio_id).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 29);
}

#[tokio::test]
async fn http_1_0_closes_and_expect_continue_is_answered() {
    let sim = start(SimConfig::default()).await;
    let answer = raw_exchange(sim.addr(), b"GET /pages/x HTTP/1.0\r\n\r\n").await;
    assert!(answer.starts_with("HTTP/1.1 200 OK\r\n"));
    assert!(answer.contains("connection: close\r\n"));

    let body = json!({ "audio_url": LINK }).to_string();
    let mut stream = TcpStream::connect(sim.addr()).await.expect("connects");
    let head = format!(
        "POST /producer/upload HTTP/1.1\r\nauthorization: Bearer sim-token\r\nexpect: 100-continue\r\n\
         connection: close\r\ncontent-length: {}\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).await.expect("writes");
    let mut interim = [0u8; 25];
    timeout(BOUND, stream.read_exact(&mut interim))
        .await
        .expect("answers")
        .expect("reads");
    assert_eq!(&interim, b"HTTP/1.1 100 Continue\r\n\r\n");
    stream.write_all(body.as_bytes()).await.expect("writes");
    let mut rest = String::new();
    timeout(BOUND, stream.read_to_string(&mut rest))
        .await
        .expect("closes")
        .expect("reads");
    assert!(rest.starts_with("HTTP/1.1 200 OK\r\n"), "{rest}");
}

#[tokio::test]
async fn broken_requests_never_stop_the_simulator() {
    let sim = start(SimConfig::default()).await;

    for partial in [
        &b"POST /producer/upload HTTP/1.1\r\ncontent-le"[..],
        b"POST /producer/upload HTTP/1.1\r\ncontent-length: 100\r\n\r\n{\"audio",
    ] {
        let mut stream = TcpStream::connect(sim.addr()).await.expect("connects");
        stream.write_all(partial).await.expect("writes");
        drop(stream);
    }
    let garbage = raw_exchange(sim.addr(), b"\x00\x01\x02 nonsense\r\n\r\n").await;
    assert!(
        garbage.starts_with("HTTP/1.1 400 Bad Request\r\n"),
        "{garbage}"
    );
    let chunked = raw_exchange(
        sim.addr(),
        b"POST /producer/upload HTTP/1.1\r\ntransfer-encoding: chunked\r\n\r\n0\r\n\r\n",
    )
    .await;
    assert!(chunked.starts_with("HTTP/1.1 411 "), "{chunked}");
    let oversized = raw_exchange(
        sim.addr(),
        b"POST /producer/upload HTTP/1.1\r\ncontent-length: 2000000000\r\n\r\n",
    )
    .await;
    assert!(oversized.starts_with("HTTP/1.1 413 "), "{oversized}");

    let (status, body) = status_and_json(upload(&client(), &sim, LINK).await).await;
    audio_id(status, &body);
}

#[tokio::test]
async fn the_issued_log_matches_what_clients_received() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let log = dir.path().join("issued.jsonl");
    let sim = start(SimConfig {
        issued_log: Some(log.clone()),
        ..SimConfig::default()
    })
    .await;
    let client = client();

    let mut received = Vec::new();
    for link in [
        LINK.to_owned(),
        format!("{LINK}?sim_fault=rich"),
        format!("{LINK}?n=3"),
    ] {
        let (status, body) = status_and_json(upload(&client, &sim, &link).await).await;
        received.push(IssuedId {
            audio_id: audio_id(status, &body),
            audio_url: link,
        });
    }
    // Refused uploads issue nothing.
    upload_with(&client, &sim, "sim-error-used_up", LINK)
        .await
        .expect("answers");

    let written = std::fs::read_to_string(&log).expect("the log exists");
    let logged: Vec<IssuedId> = written
        .lines()
        .map(|line| serde_json::from_str(line).expect("each line is an issued id"))
        .collect();
    assert_eq!(logged, received);
    assert_eq!(sim.issued(), received);
}

#[tokio::test]
async fn files_serve_a_tone_with_ranges_and_refuse_head() {
    let sim = start(SimConfig::default()).await;
    let client = client();
    let url = |name: &str| format!("{}/files/{name}", sim.base_url());

    let full = client.get(url("song.wav")).send().await.expect("answers");
    assert_eq!(full.status(), StatusCode::OK);
    assert_eq!(content_type(&full), "audio/wav");
    assert_eq!(
        full.headers().get("accept-ranges").map(|v| v.as_bytes()),
        Some(&b"bytes"[..])
    );
    let wav = full.bytes().await.expect("reads");
    assert_eq!(wav.len(), 44 + 8_000 * 2);
    assert_eq!((&wav[..4], &wav[8..12]), (&b"RIFF"[..], &b"WAVE"[..]));

    let part = client
        .get(url("song.wav"))
        .header(RANGE, "bytes=0-43")
        .send()
        .await
        .expect("answers");
    assert_eq!(part.status(), StatusCode::PARTIAL_CONTENT);
    let range = part
        .headers()
        .get(CONTENT_RANGE)
        .map(|v| v.as_bytes().to_vec());
    assert_eq!(range.as_deref(), Some(&b"bytes 0-43/16044"[..]));
    assert_eq!(part.bytes().await.expect("reads"), wav[..44]);

    let tail = client
        .get(url("song.wav"))
        .header(RANGE, "bytes=16000-")
        .send()
        .await
        .expect("answers");
    assert_eq!(tail.status(), StatusCode::PARTIAL_CONTENT);
    assert_eq!(tail.bytes().await.expect("reads"), wav[16000..]);

    let past = client
        .get(url("song.wav"))
        .header(RANGE, "bytes=20000-")
        .send()
        .await
        .expect("answers");
    assert_eq!(past.status(), StatusCode::RANGE_NOT_SATISFIABLE);

    let mp3 = client
        .get(url("take.mp3?X-Amz-Signature=abc"))
        .send()
        .await
        .expect("answers");
    assert_eq!(mp3.status(), StatusCode::OK);
    assert_eq!(content_type(&mp3), "audio/mpeg");

    let head = client.head(url("song.wav")).send().await.expect("answers");
    assert_eq!(head.status(), StatusCode::FORBIDDEN);

    let missing = client
        .get(url("missing.mp3"))
        .send()
        .await
        .expect("answers");
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    assert!(content_type(&missing).starts_with("text/plain"));

    assert!(sim.requests().is_empty() && sim.issued().is_empty());
}

#[tokio::test]
async fn pages_are_a_whole_virus_scan_warning() {
    let sim = start(SimConfig::default()).await;
    let response = client()
        .get(format!(
            "{}/pages/uc?export=download&id=abc",
            sim.base_url()
        ))
        .header(RANGE, "bytes=0-15")
        .send()
        .await
        .expect("answers");
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(content_type(&response), "text/html; charset=utf-8");
    let page = response.text().await.expect("reads");
    assert!(page.contains("<title>Google Drive - Virus scan warning</title>"));
}

#[tokio::test]
async fn only_loopback_addresses_and_sane_limits_are_accepted() {
    for addr in ["0.0.0.0:0", "192.0.2.1:0", "[::]:0"] {
        let addr: SocketAddr = addr.parse().expect("an address");
        let refused = Simulator::start_on(addr, SimConfig::default()).await;
        assert_eq!(
            refused.map(|_| ()).map_err(|e| e.kind()),
            Err(ErrorKind::InvalidInput)
        );
    }
    for (per_second, burst) in [(0.0, 1), (f64::NAN, 1), (5.0, 0)] {
        let config = SimConfig {
            rate_limit: Some(RateLimit { per_second, burst }),
            ..SimConfig::default()
        };
        let refused = Simulator::start(config).await;
        assert_eq!(
            refused.map(|_| ()).map_err(|e| e.kind()),
            Err(ErrorKind::InvalidInput)
        );
    }
    let sim = Simulator::start_on(
        "127.0.0.1:0".parse().expect("an address"),
        SimConfig::default(),
    )
    .await
    .expect("starts");
    assert_eq!(
        sim.base_url(),
        format!("http://127.0.0.1:{}", sim.addr().port())
    );
}

#[tokio::test]
async fn dropping_the_simulator_stops_it() {
    let sim = start(SimConfig::default()).await;
    let addr = sim.addr();
    drop(sim);
    let deadline = Instant::now() + BOUND;
    while TcpStream::connect(addr).await.is_ok() {
        assert!(Instant::now() < deadline, "still listening");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

mod binary {
    use super::*;
    use std::io::{BufRead, BufReader};
    use std::process::{Child, Command, Stdio};

    /// Kills the child if a test fails before it is stopped.
    struct Running(Child);

    impl Drop for Running {
        fn drop(&mut self) {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }

    fn producer_sim() -> Command {
        Command::new(env!("CARGO_BIN_EXE_producer-sim"))
    }

    #[test]
    fn help_explains_tokens_and_faults() {
        let output = producer_sim().arg("--help").output().expect("runs");
        assert!(output.status.success());
        let help = String::from_utf8_lossy(&output.stdout);
        for needle in [
            "sim-token",
            "sim-error-<code>",
            "sim-html-error",
            "sim_fault",
            "sim_times",
            "hang",
            "--rate-limit",
        ] {
            assert!(help.contains(needle), "--help mentions {needle}");
        }
    }

    #[tokio::test]
    async fn starts_on_a_free_port_announces_it_and_stops_cleanly() {
        let mut child = producer_sim()
            .args(["--port", "0", "--token", "mine"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("producer-sim starts");
        let stdout = child.stdout.take().expect("piped stdout");
        let mut running = Running(child);

        let first_line = tokio::task::spawn_blocking(move || {
            let mut line = String::new();
            BufReader::new(stdout).read_line(&mut line).map(|_| line)
        });
        let line = timeout(BOUND, first_line)
            .await
            .expect("announces in time")
            .expect("the reader finishes")
            .expect("reads stdout");
        let base = line
            .strip_suffix('\n')
            .and_then(|line| line.strip_prefix("producer-sim listening on http://127.0.0.1:"))
            .expect("the announcement line");
        let port: u16 = base.parse().expect("a port");
        assert_ne!(port, 0);

        let client = client();
        let url = format!("http://127.0.0.1:{port}/producer/upload");
        let body = json!({ "audio_url": LINK });
        let accepted = client
            .post(&url)
            .bearer_auth("mine")
            .json(&body)
            .send()
            .await
            .expect("answers");
        assert_eq!(accepted.status(), StatusCode::OK);
        let refused = client
            .post(&url)
            .bearer_auth("sim-token")
            .json(&body)
            .send()
            .await
            .expect("answers");
        assert_eq!(refused.status(), StatusCode::UNAUTHORIZED);

        #[cfg(unix)]
        {
            let pid = running.0.id().to_string();
            let signalled = Command::new("kill")
                .args(["-TERM", &pid])
                .status()
                .expect("kill runs");
            assert!(signalled.success());
            let deadline = Instant::now() + BOUND;
            let status = loop {
                if let Some(status) = running.0.try_wait().expect("waits") {
                    break status;
                }
                assert!(Instant::now() < deadline, "stops after SIGTERM");
                tokio::time::sleep(Duration::from_millis(20)).await;
            };
            assert!(status.success(), "{status}");
        }
    }
}
