//! The real client against the project's API simulator, over loopback TCP.

use producer_sim::{RateLimit, SimConfig, Simulator};
use producer_upload::batch::{Progress, Settled, UploadJob, Uploader};
use producer_upload::client::{Client, ClientConfig, UploadError, UploadOutcome};
use producer_upload::error::ErrorCode;
use producer_upload::history::{History, Query, Source, State};
use producer_upload::pace::MIN_HOLD;
use producer_upload::retry::RetryPolicy;
use producer_upload::token::ApiToken;
use std::collections::HashSet;
use std::sync::Arc;
use std::time::{Duration, Instant};
use url::Url;

fn token(value: &str) -> ApiToken {
    ApiToken::parse(value).unwrap()
}

fn link(query: &str) -> Url {
    Url::parse(&format!("https://files.example/track.wav{query}")).unwrap()
}

/// A client with quick retries, so the tests stay fast.
fn client(sim: &Simulator) -> Client {
    client_with(sim, |_| {})
}

fn client_with(sim: &Simulator, adjust: impl FnOnce(&mut ClientConfig)) -> Client {
    let mut config = ClientConfig::new(&sim.base_url()).unwrap();
    config.timeout = Duration::from_secs(5);
    config.retry = RetryPolicy {
        max_attempts: 4,
        max_rate_limit_waits: 4,
        base_delay: Duration::from_millis(20),
        max_delay: Duration::from_secs(3),
        max_total: Duration::from_secs(20),
    };
    adjust(&mut config);
    Client::new(config)
}

/// Uploads every job at once through `uploader` (its limit binds them), each with its index.
async fn upload_each(uploader: &Uploader, jobs: &[UploadJob]) -> Vec<(usize, Settled)> {
    let token = &token("sim-token");
    let uploads = jobs
        .iter()
        .enumerate()
        .map(|(index, job)| async move { (index, uploader.upload(token, job, |_| {}).await) });
    futures::future::join_all(uploads).await
}

fn job(url: &Url) -> UploadJob {
    UploadJob::new(url.as_str(), url.clone(), Source::Cli)
}

/// One upload through an uploader of its own.
async fn upload(client: &Client, token_value: &str, url: &Url) -> UploadOutcome {
    let uploader = Uploader::new(client.clone(), 1);
    uploader
        .upload(&token(token_value), &job(url), |_| {})
        .await
        .outcome
}

#[tokio::test]
async fn sends_exactly_the_documented_request_and_returns_the_issued_id() {
    let sim = Simulator::start(SimConfig::default()).await.unwrap();
    let url = link("");
    let uploaded = upload(&client(&sim), "sim-token", &url)
        .await
        .result
        .unwrap();

    assert_eq!(sim.issued()[0].audio_id, uploaded.audio_id);
    let requests = sim.requests();
    assert_eq!(requests.len(), 1);
    let request = &requests[0];
    assert_eq!(
        (request.method.as_str(), request.path.as_str()),
        ("POST", "/producer/upload")
    );
    assert_eq!(request.header("accept"), Some("application/json"));
    assert_eq!(request.header("content-type"), Some("application/json"));
    assert_eq!(request.header("authorization"), Some("Bearer sim-token"));
    assert_eq!(
        String::from_utf8(request.body.clone()).unwrap(),
        r#"{"audio_url":"https://files.example/track.wav"}"#
    );
}

#[tokio::test]
async fn a_trailing_slash_on_the_base_url_does_not_matter() {
    let sim = Simulator::start(SimConfig::default()).await.unwrap();
    let config = ClientConfig::new(&format!("{}/", sim.base_url())).unwrap();
    let outcome = upload(&Client::new(config), "sim-token", &link("")).await;
    assert!(outcome.result.is_ok(), "{outcome:?}");
    assert_eq!(sim.requests()[0].path, "/producer/upload");
}

#[tokio::test]
async fn keeps_the_extra_fields_the_service_may_send() {
    let sim = Simulator::start(SimConfig::default()).await.unwrap();
    let uploaded = upload(&client(&sim), "sim-token", &link("?sim_fault=rich"))
        .await
        .result
        .unwrap();
    assert!(uploaded.task_id.is_some());
    assert!(uploaded.hosted_audio_url.unwrap().starts_with("https://"));
}

#[tokio::test]
async fn every_error_code_is_typed_and_final_at_once() {
    let sim = Simulator::start(SimConfig::default()).await.unwrap();
    let client = client(&sim);
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
        ("quota_melted", 400),
    ];
    for (code, status) in cases {
        let before = sim.requests().len();
        let outcome = upload(&client, &format!("sim-error-{code}"), &link("")).await;
        let error = outcome.result.unwrap_err();
        assert_eq!(error.code(), ErrorCode::from_api(code));
        assert_eq!(error.status(), Some(status), "{code}");
        let report = error.report();
        assert!(report.trace_id.is_some_and(|id| !id.is_empty()), "{code}");
        assert!(!report.retryable, "{code}");
        assert_eq!(outcome.attempts, 1, "{code} must not be retried");
        assert_eq!(sim.requests().len(), before + 1);
    }
    assert!(sim.issued().is_empty(), "no id for a refused upload");
}

#[tokio::test]
async fn an_unknown_token_is_invalid_token() {
    let sim = Simulator::start(SimConfig::default()).await.unwrap();
    let error = upload(&client(&sim), "not-a-real-token", &link(""))
        .await
        .result
        .unwrap_err();
    assert_eq!(error.code(), ErrorCode::InvalidToken);
    assert!(error.code().is_token_problem());
}

#[tokio::test]
async fn server_failures_are_retried_until_they_pass() {
    let sim = Simulator::start(SimConfig::default()).await.unwrap();
    let client = client(&sim);
    for (fault, times) in [("error500", 2), ("html502", 2), ("503", 1)] {
        let url = link(&format!("?sim_fault={fault}&sim_times={times}"));
        let outcome = upload(&client, "sim-token", &url).await;
        assert!(outcome.result.is_ok(), "{fault}: {outcome:?}");
        assert_eq!(outcome.attempts, times + 1, "{fault}");
    }
}

#[tokio::test]
async fn retries_are_bounded_and_the_last_error_is_kept() {
    let sim = Simulator::start(SimConfig::default()).await.unwrap();
    let outcome = upload(&client(&sim), "sim-token", &link("?sim_fault=html502")).await;
    assert_eq!(outcome.attempts, 4);
    let report = outcome.result.unwrap_err().report();
    assert_eq!(report.code, ErrorCode::BadResponse);
    assert_eq!(report.status, Some(502));
    let detail = report.detail.clone().unwrap_or_default();
    assert!(
        detail.contains("HTTP 502") && detail.contains("web page"),
        "{report:?}"
    );
    assert!(!report.message.contains("HTTP"), "{report:?}");

    let never = client_with(&sim, |config| config.retry = RetryPolicy::never());
    let outcome = upload(&never, "sim-token", &link("?sim_fault=error500")).await;
    assert_eq!(outcome.attempts, 1);
    assert_eq!(outcome.result.unwrap_err().code(), ErrorCode::ApiError);
}

#[tokio::test]
async fn retry_after_is_honoured_in_seconds_and_as_a_date() {
    let sim = Simulator::start(SimConfig::default()).await.unwrap();
    let client = client(&sim);
    for query in [
        "?sim_fault=rate429&sim_times=1&sim_retry_after=1",
        "?sim_fault=rate429&sim_times=1&sim_retry_after=2&sim_retry_date=1",
    ] {
        let started = Instant::now();
        let mut progress = Vec::new();
        let outcome = Uploader::new(client.clone(), 1)
            .upload(&token("sim-token"), &job(&link(query)), |step| {
                progress.push(step)
            })
            .await
            .outcome;
        assert!(outcome.result.is_ok(), "{query}: {outcome:?}");
        assert_eq!(outcome.attempts, 2);
        // An HTTP date has one-second resolution, so it may mean a little under two seconds.
        assert!(
            started.elapsed() >= Duration::from_millis(1000),
            "{query}: did not wait"
        );
        assert!(
            matches!(
                progress[2],
                Progress::Waiting {
                    rate_limited: true,
                    seconds: 1..=2,
                    ..
                }
            ),
            "{progress:?}"
        );
        assert_eq!(progress[3], Progress::Uploading { attempt: 2 });
    }
}

#[tokio::test]
async fn a_rate_limit_does_not_use_up_the_attempts() {
    let sim = Simulator::start(SimConfig::default()).await.unwrap();
    let client = client_with(&sim, |config| config.retry.max_attempts = 2);
    let url = link("?sim_fault=rate429&sim_times=2&sim_retry_after=1");
    let outcome = upload(&client, "sim-token", &url).await;
    assert!(outcome.result.is_ok(), "{outcome:?}");
    assert_eq!(outcome.attempts, 3);
}

#[tokio::test]
async fn retry_after_zero_waits_the_minimum_and_is_bounded_in_count() {
    let sim = Simulator::start(SimConfig::default()).await.unwrap();
    let client = client_with(&sim, |config| config.retry.max_rate_limit_waits = 2);
    for query in [
        "?sim_fault=rate429&sim_retry_after=0",
        // A date in the past.
        "?sim_fault=rate429&sim_retry_after=0&sim_retry_date=1",
    ] {
        let before = sim.requests().len();
        let started = Instant::now();
        let outcome = upload(&client, "sim-token", &link(query)).await;
        let error = outcome.result.unwrap_err();
        assert_eq!(error.code(), ErrorCode::TooManyRequests, "{query}");
        // Two waits allowed: three requests in all, not hundreds a second.
        assert_eq!(sim.requests().len() - before, 3, "{query}");
        assert_eq!(outcome.attempts, 3);
        assert!(started.elapsed() >= 2 * MIN_HOLD, "{query}: did not wait");
    }
}

#[tokio::test]
async fn a_slow_service_gets_exactly_one_request_per_link_and_every_id_is_kept() {
    // The service takes longer than the time-out but does its work each time.
    let sim = Simulator::start(SimConfig::default()).await.unwrap();
    let client = client_with(&sim, |config| config.timeout = Duration::from_millis(300));
    let dir = tempfile::tempdir().unwrap();
    let history = Arc::new(History::open(dir.path()).unwrap());
    let uploader = Uploader::new(client, 4).with_history(history.clone());
    let jobs: Vec<UploadJob> = (0..3)
        .map(|i| job(&link(&format!("?sim_fault=slow&sim_delay_ms=900&n={i}"))))
        .collect();
    let results: Vec<_> = upload_each(&uploader, &jobs).await;
    for (_, settled) in &results {
        let error = settled.outcome.result.as_ref().unwrap_err();
        assert_eq!(error.code(), ErrorCode::OutcomeUnknown);
        assert_eq!(
            settled.outcome.attempts, 1,
            "sent once, never again by itself"
        );
        let report = error.report();
        assert!(report.retryable && report.message.contains("History"));
    }
    assert_eq!(sim.requests().len(), 3);
    // The slow answers finish on the service's side: one id per link, no more.
    tokio::time::sleep(Duration::from_millis(1200)).await;
    let issued = sim.issued();
    assert_eq!(issued.len(), 3);
    let links: HashSet<&str> = issued.iter().map(|id| id.audio_url.as_str()).collect();
    assert_eq!(links.len(), 3);
    let records = history.search(&Query::default()).unwrap();
    assert_eq!(records.len(), 3);
    for record in records {
        assert_eq!(record.state, State::Failed);
        assert_eq!(record.error.unwrap().code.as_str(), "outcome_unknown");
    }
}

#[tokio::test]
async fn an_answer_lost_after_sending_is_not_sent_again() {
    let sim = Simulator::start(SimConfig::default()).await.unwrap();
    let client = client_with(&sim, |config| config.timeout = Duration::from_millis(300));
    for fault in ["hang", "drop", "cut", "504"] {
        let before = sim.requests().len();
        let outcome = upload(&client, "sim-token", &link(&format!("?sim_fault={fault}"))).await;
        let error = outcome.result.unwrap_err();
        assert_eq!(
            error.code(),
            ErrorCode::OutcomeUnknown,
            "{fault}: {error:?}"
        );
        assert!(matches!(error, UploadError::OutcomeUnknown(_)));
        assert_eq!(sim.requests().len() - before, 1, "{fault}");
    }
}

#[tokio::test]
async fn a_rate_limit_holds_back_every_upload_of_the_client() {
    // One request at once, one a second: after the first, every upload is refused until the
    // hold has passed, and none of them knocks meanwhile.
    let sim = Simulator::start(SimConfig {
        rate_limit: Some(RateLimit {
            per_second: 1.0,
            burst: 1,
        }),
        ..SimConfig::default()
    })
    .await
    .unwrap();
    let uploader = Uploader::new(client(&sim), 4);
    let jobs: Vec<UploadJob> = (0..4).map(|i| job(&link(&format!("?n={i}")))).collect();
    let results: Vec<_> = upload_each(&uploader, &jobs).await;
    assert!(results
        .iter()
        .all(|(_, settled)| settled.outcome.result.is_ok()));
    assert_eq!(sim.issued().len(), 4);
    // The first burst (four at once) meets the limit; after that the pace keeps to it, so
    // few requests are refused in all.
    let refused = sim.requests().len() - 4;
    assert!(refused <= 6, "{refused} requests refused");
}

#[tokio::test]
async fn unreadable_answers_are_bad_response_never_a_panic() {
    let sim = Simulator::start(SimConfig::default()).await.unwrap();
    let client = client(&sim);
    for (fault, detail) in [
        ("empty", "empty"),
        ("notjson", "text instead of data"),
        ("huge", "too large"),
    ] {
        let outcome = upload(&client, "sim-token", &link(&format!("?sim_fault={fault}"))).await;
        let report = outcome.result.unwrap_err().report();
        assert_eq!(report.code, ErrorCode::BadResponse, "{fault}");
        assert_eq!(report.status, Some(200), "{fault}");
        // The details are for support; the message stays in plain words.
        assert!(
            report
                .detail
                .as_deref()
                .unwrap_or_default()
                .contains(detail),
            "{fault}: {report:?}"
        );
        assert!(!report.message.contains("HTTP"), "{fault}: {report:?}");
        assert_eq!(
            outcome.attempts, 1,
            "{fault}: a 200 that cannot be read is not retried"
        );
    }
}

#[tokio::test]
async fn an_unreachable_service_is_a_network_error() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    let mut config = ClientConfig::new(&format!("http://127.0.0.1:{port}")).unwrap();
    config.retry = RetryPolicy {
        max_attempts: 2,
        base_delay: Duration::from_millis(10),
        ..RetryPolicy::default()
    };
    let outcome = upload(&Client::new(config), "sim-token", &link("")).await;
    assert_eq!(outcome.attempts, 2);
    let report = outcome.result.unwrap_err().report();
    assert_eq!(report.code, ErrorCode::Network);
    assert!(report.retryable);
}

#[tokio::test]
async fn uploads_run_concurrently_up_to_the_limit_and_each_is_reported_once() {
    let sim = Simulator::start(SimConfig {
        latency: Duration::from_millis(200),
        ..SimConfig::default()
    })
    .await
    .unwrap();
    let uploader = Uploader::new(client(&sim), 4);
    let links: Vec<Url> = (0..12).map(|i| link(&format!("?n={i}"))).collect();
    let jobs: Vec<UploadJob> = links.iter().map(job).collect();
    let started = Instant::now();
    let results: Vec<_> = upload_each(&uploader, &jobs).await;
    let elapsed = started.elapsed();

    let indices: HashSet<usize> = results.iter().map(|(index, _)| *index).collect();
    assert_eq!(results.len(), 12);
    assert_eq!(indices.len(), 12);
    // Twelve 200 ms uploads, four at a time: three rounds at the least, far less than twelve.
    assert!(
        elapsed >= Duration::from_millis(600),
        "limit not kept: {elapsed:?}"
    );
    assert!(
        elapsed < Duration::from_millis(2400),
        "not concurrent: {elapsed:?}"
    );

    let issued: HashSet<String> = sim.issued().into_iter().map(|id| id.audio_id).collect();
    for (index, settled) in results {
        let uploaded = settled.outcome.result.unwrap();
        assert!(issued.contains(&uploaded.audio_id));
        let sent_for = sim
            .issued()
            .into_iter()
            .find(|id| id.audio_id == uploaded.audio_id)
            .unwrap();
        assert_eq!(
            sent_for.audio_url,
            links[index].as_str(),
            "id matched to the wrong link"
        );
    }
}

#[tokio::test]
async fn the_token_never_shows_in_errors_or_debug_output() {
    let secret = "sk-test-TOPSECRET-0042";
    let sim = Simulator::start(SimConfig {
        accepted_tokens: vec![secret.into()],
        ..SimConfig::default()
    })
    .await
    .unwrap();
    let client = client(&sim);
    let uploader = Uploader::new(client.clone(), 2);
    let mut seen = Vec::new();
    for query in ["", "?sim_fault=html502&sim_times=1", "?sim_fault=cut"] {
        let outcome = uploader
            .upload(&token(secret), &job(&link(query)), |step| {
                seen.push(format!("{step:?}"))
            })
            .await
            .outcome;
        seen.push(format!("{outcome:?}"));
        if let Err(error) = &outcome.result {
            seen.push(error.to_string());
            seen.push(serde_json::to_string(&error.report()).unwrap());
        }
    }
    seen.push(format!("{client:?}"));
    seen.push(format!("{uploader:?}"));
    seen.push(format!("{:?}", token(secret)));
    for text in seen {
        assert!(!text.contains("TOPSECRET"), "token leaked: {text}");
    }
}
