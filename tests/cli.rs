//! The real `producer-upload` binary against the project's API simulator, over loopback TCP.

use producer_upload::history::{History, Query};
use producer_upload::sim::{SimConfig, Simulator};
use serde_json::Value;
use std::collections::HashSet;
use std::path::Path;
use std::process::{Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tokio::io::AsyncWriteExt;
use tokio::process::Command;

const CLI: &str = env!("CARGO_BIN_EXE_producer-upload");

/// Runs the CLI with the simulator as its API and `token` (if any) in the environment. The
/// keychain and the history are this test's own, so a developer's token and history are never
/// touched.
async fn run(sim: &Simulator, token: Option<&str>, args: &[&str], stdin: &str) -> Output {
    let data_dir = tempfile::tempdir().unwrap();
    run_in(data_dir.path(), sim, token, args, stdin, &[]).await
}

/// [`run`] with the history in `data_dir` and more environment variables.
async fn run_in(
    data_dir: &Path,
    sim: &Simulator,
    token: Option<&str>,
    args: &[&str],
    stdin: &str,
    env: &[(&str, &str)],
) -> Output {
    let mut command = Command::new(CLI);
    command
        .args(args)
        .envs(env.iter().copied())
        .env("ACEDATACLOUD_API_BASE_URL", sim.base_url())
        .env("PRODUCER_UPLOAD_DATA_DIR", data_dir)
        .env(
            "PRODUCER_UPLOAD_KEYCHAIN_SERVICE",
            format!("producer-upload-test-cli-empty-{}", std::process::id()),
        )
        .env_remove("ACEDATACLOUD_API_TOKEN")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    if let Some(token) = token {
        command.env("ACEDATACLOUD_API_TOKEN", token);
    }
    let mut child = command.spawn().unwrap();
    let mut input = child.stdin.take().unwrap();
    // The command may stop reading early (input over its cap): a closed pipe is its answer.
    let _ = input.write_all(stdin.as_bytes()).await;
    drop(input);
    tokio::time::timeout(std::time::Duration::from_secs(60), child.wait_with_output())
        .await
        .expect("the CLI finished in time")
        .unwrap()
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).unwrap()
}

fn json_lines(output: &Output) -> Vec<Value> {
    stdout(output)
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect()
}

async fn sim() -> Simulator {
    Simulator::start(SimConfig::default()).await.unwrap()
}

#[tokio::test]
async fn prints_the_audio_id_and_the_link() {
    let sim = sim().await;
    let output = run(
        &sim,
        Some("sim-token"),
        &["upload", "https://x.example/a.wav"],
        "",
    )
    .await;
    assert!(output.status.success(), "{}", stderr(&output));
    let id = &sim.issued()[0].audio_id;
    assert_eq!(stdout(&output), format!("{id}\thttps://x.example/a.wav\n"));
}

#[tokio::test]
async fn json_gives_one_object_per_input_link() {
    let sim = sim().await;
    let output = run(
        &sim,
        Some("sim-token"),
        &[
            "upload",
            "--json",
            "https://x.example/a.wav",
            "/home/me/Music/song.wav",
            "hello",
            "https://www.dropbox.com/scl/fi/abc123/take.wav?rlkey=k9&dl=0",
            "https://x.example/b.wav?sim_fault=error500",
        ],
        "",
    )
    .await;
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let lines = json_lines(&output);
    assert_eq!(lines.len(), 5, "{lines:?}");
    let by_url = |url: &str| {
        lines
            .iter()
            .find(|line| line["url"] == url)
            .unwrap()
            .clone()
    };

    let ok = by_url("https://x.example/a.wav");
    assert_eq!(ok["audio_url"], "https://x.example/a.wav");
    assert!(sim.issued().iter().any(|id| id.audio_id == ok["audio_id"]));

    let local = by_url("/home/me/Music/song.wav");
    assert_eq!(local["error"]["code"], "local_file");
    assert!(local["error"]["message"].as_str().unwrap().contains("link"));
    assert_eq!(by_url("hello")["error"]["code"], "invalid_url");

    let dropbox = by_url("https://www.dropbox.com/scl/fi/abc123/take.wav?rlkey=k9&dl=0");
    let sent = dropbox["audio_url"].as_str().unwrap();
    assert!(sent.contains("dl=1") && sent.contains("rlkey=k9"), "{sent}");
    assert!(dropbox["audio_id"].is_string());
    assert!(stderr(&output).contains("Dropbox"), "the rewrite is said");

    let failed = by_url("https://x.example/b.wav?sim_fault=error500");
    assert_eq!(failed["error"]["code"], "api_error");
    assert_eq!(failed["error"]["status"], 500);
    assert!(failed["error"]["trace_id"].is_string());

    let sent: Vec<String> = sim.issued().into_iter().map(|id| id.audio_url).collect();
    assert!(!sent
        .iter()
        .any(|url| url.contains("song.wav") || url.contains("hello")));
}

#[tokio::test]
async fn reads_links_from_standard_input() {
    let sim = sim().await;
    let output = run(
        &sim,
        Some("sim-token"),
        &["upload", "--json", "-"],
        "https://x.example/1.wav\n\n  https://x.example/2.wav  \r\nhttps://x.example/1.wav\n",
    )
    .await;
    assert!(output.status.success(), "{}", stderr(&output));
    let lines = json_lines(&output);
    assert_eq!(lines.len(), 3, "one object per input line");
    assert_eq!(sim.issued().len(), 2, "a repeated link is uploaded once");
    let first: Vec<_> = lines
        .iter()
        .filter(|l| l["url"] == "https://x.example/1.wav")
        .collect();
    assert_eq!(first.len(), 2);
    assert_eq!(first[0]["audio_id"], first[1]["audio_id"]);
}

#[tokio::test]
async fn the_base_url_option_wins_over_the_environment() {
    let sim = sim().await;
    let other = Simulator::start(SimConfig::default()).await.unwrap();
    let base = other.base_url();
    let output = run(
        &sim,
        Some("sim-token"),
        &["upload", "--base-url", &base, "https://x.example/a.wav"],
        "",
    )
    .await;
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(sim.requests().is_empty());
    assert_eq!(other.issued().len(), 1);
}

#[tokio::test]
async fn failures_are_explained_on_stderr_with_code_and_trace_id() {
    let sim = sim().await;
    let output = run(
        &sim,
        Some("sim-error-used_up"),
        &["upload", "https://x.example/a.wav"],
        "",
    )
    .await;
    assert_eq!(output.status.code(), Some(1));
    assert!(stdout(&output).is_empty());
    let said = stderr(&output);
    assert!(said.contains("balance is used up"), "{said}");
    assert!(
        said.contains("used_up") && said.contains("HTTP 403") && said.contains("trace id "),
        "{said}"
    );
}

#[tokio::test]
async fn a_refused_token_exits_with_3() {
    let sim = sim().await;
    for token in [
        "sim-error-token_expired",
        "sim-error-invalid_token",
        "wrong-token",
    ] {
        let output = run(
            &sim,
            Some(token),
            &["upload", "https://x.example/a.wav"],
            "",
        )
        .await;
        assert_eq!(
            output.status.code(),
            Some(3),
            "{token}: {}",
            stderr(&output)
        );
    }
}

#[tokio::test]
async fn without_a_token_nothing_is_sent() {
    let sim = sim().await;
    let output = run(&sim, None, &["upload", "https://x.example/a.wav"], "").await;
    assert_eq!(output.status.code(), Some(3), "{}", stderr(&output));
    assert!(sim.requests().is_empty());
    let said = stderr(&output);
    assert!(
        said.contains("token set") || said.contains("keychain"),
        "{said}"
    );
}

#[tokio::test]
async fn usage_errors_exit_with_2_and_send_nothing() {
    let sim = sim().await;
    let cases: [(&[&str], &str); 5] = [
        (&["upload"], ""),
        (&["upload", "-"], "\n  \n"),
        (
            &["upload", "--concurrency", "0", "https://x.example/a.wav"],
            "",
        ),
        (
            &["upload", "--timeout", "soon", "https://x.example/a.wav"],
            "",
        ),
        (
            &[
                "upload",
                "--base-url",
                "http://api.example.com",
                "https://x.example/a.wav",
            ],
            "",
        ),
    ];
    for (args, stdin) in cases {
        let output = run(&sim, Some("sim-token"), args, stdin).await;
        assert_eq!(
            output.status.code(),
            Some(2),
            "{args:?}: {}",
            stderr(&output)
        );
        assert!(!stderr(&output).is_empty(), "{args:?}: said nothing");
    }
    assert!(sim.requests().is_empty());
}

#[tokio::test]
async fn many_links_run_concurrently_each_reported_once() {
    let sim = Simulator::start(SimConfig {
        latency: std::time::Duration::from_millis(100),
        ..SimConfig::default()
    })
    .await
    .unwrap();
    let links: Vec<String> = (0..24)
        .map(|i| format!("https://x.example/{i}.wav"))
        .collect();
    let mut args = vec!["upload", "--json", "--concurrency", "8"];
    args.extend(links.iter().map(String::as_str));
    let output = run(&sim, Some("sim-token"), &args, "").await;
    assert!(output.status.success(), "{}", stderr(&output));
    let lines = json_lines(&output);
    let urls: HashSet<&str> = lines.iter().map(|l| l["url"].as_str().unwrap()).collect();
    assert_eq!(lines.len(), 24);
    assert_eq!(urls.len(), 24);
    let issued: HashSet<String> = sim.issued().into_iter().map(|id| id.audio_id).collect();
    let printed: HashSet<String> = lines
        .iter()
        .map(|l| l["audio_id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(issued, printed, "every issued id is printed");
}

#[tokio::test]
async fn the_check_option_warns_about_pages_that_are_not_audio() {
    let sim = sim().await;
    let page = format!("{}/pages/share.html", sim.base_url());
    let audio = format!("{}/files/take.wav", sim.base_url());
    let output = run(
        &sim,
        Some("sim-token"),
        &["upload", "--check", &page, &audio],
        "",
    )
    .await;
    assert!(output.status.success(), "{}", stderr(&output));
    let said = stderr(&output);
    assert!(said.contains(&format!("warning: {page}")), "{said}");
    assert!(!said.contains(&format!("warning: {audio}")), "{said}");
    assert_eq!(
        stdout(&output).lines().count(),
        2,
        "a warning does not block"
    );
}

#[tokio::test]
async fn the_token_is_never_printed_even_with_trace_logging() {
    let secret = "sk-cli-TOPSECRET-7777";
    let sim = Simulator::start(SimConfig {
        accepted_tokens: vec![secret.into()],
        ..SimConfig::default()
    })
    .await
    .unwrap();
    let data_dir = tempfile::tempdir().unwrap();
    let mut command = Command::new(CLI);
    let output = command
        .env("PRODUCER_UPLOAD_DATA_DIR", data_dir.path())
        .args([
            "upload",
            "--json",
            "https://x.example/a.wav",
            "https://x.example/b.wav?sim_fault=html502&sim_times=1",
        ])
        .env("ACEDATACLOUD_API_BASE_URL", sim.base_url())
        .env("ACEDATACLOUD_API_TOKEN", secret)
        .env("RUST_LOG", "trace")
        .output()
        .await
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("retrying upload"),
        "trace logging is on"
    );
    for text in [stdout(&output), stderr(&output)] {
        assert!(!text.contains("TOPSECRET"), "token leaked: {text}");
    }
}

#[tokio::test]
async fn secrets_in_links_never_reach_the_log_even_with_trace_logging() {
    let sim = sim().await;
    let data_dir = tempfile::tempdir().unwrap();
    let links = [
        "https://x.example/a.wav?rlkey=RLKEY0SECRET&sim_fault=html502&sim_times=1",
        "https://b.example/c.wav?X-Amz-Signature=AMZ0SECRET&sim_fault=rate429&sim_times=1",
        "https://g.example/d.wav?sig=SIG0SECRET&token=TOKEN0SECRET&key=KEY0SECRET&sim_fault=error500&sim_times=1",
    ];
    let mut args = vec!["upload", "--json"];
    args.extend(links);
    let output = run_in(
        data_dir.path(),
        &sim,
        Some("sim-token"),
        &args,
        "",
        &[("RUST_LOG", "trace")],
    )
    .await;
    assert!(output.status.success(), "{}", stderr(&output));
    let log = stderr(&output);
    assert!(log.contains("retrying upload"), "trace logging is on");
    assert!(log.contains("rate limited"), "trace logging is on");
    assert!(
        log.contains("rlkey=…"),
        "the link is shown, redacted: {log}"
    );
    for secret in ["RLKEY0", "AMZ0", "SIG0", "TOKEN0", "KEY0"] {
        assert!(!log.contains(secret), "{secret} reached the log: {log}");
    }
}

#[tokio::test]
async fn every_link_on_a_line_of_standard_input_goes_under_its_own_name() {
    let sim = sim().await;
    let data_dir = tempfile::tempdir().unwrap();
    let output = run_in(
        data_dir.path(),
        &sim,
        Some("sim-token"),
        &["upload", "--json", "-"],
        "https://e.example/one.mp3 https://e.example/two.mp3\n(https://e.example/three.mp3), and\nhello\n",
        &[],
    )
    .await;
    // Words around links are left out; a line of only "hello" is not a link: the run fails for
    // it, and only for it.
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let lines = json_lines(&output);
    assert_eq!(lines.len(), 4, "{lines:?}");
    assert_eq!(sim.issued().len(), 3);
    for issued in sim.issued() {
        let line = lines
            .iter()
            .find(|line| line["audio_id"] == issued.audio_id.as_str())
            .unwrap();
        assert_eq!(line["url"], issued.audio_url.as_str());
    }
    let history = History::open(data_dir.path()).unwrap();
    let records = history.search(&Query::default()).unwrap();
    assert_eq!(records.len(), 3);
    for record in records {
        let issued = sim
            .issued()
            .into_iter()
            .find(|id| Some(&id.audio_id) == record.audio_id.as_ref())
            .unwrap();
        assert_eq!(
            record.given_url, issued.audio_url,
            "recorded under its own link"
        );
    }
}

#[tokio::test]
async fn standard_input_is_capped_with_a_clear_error() {
    let sim = sim().await;
    let line = "https://x.example/a-rather-long-name-for-one-audio-file.wav\n";
    let huge = line.repeat(17 * 1024 * 1024 / line.len() + 1);
    let output = run(&sim, Some("sim-token"), &["upload", "-"], &huge).await;
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("more than 16 MB"),
        "{}",
        stderr(&output)
    );
    assert!(sim.requests().is_empty());
}

#[tokio::test]
async fn many_links_are_taken_in_linear_time() {
    // Without a token nothing is sent, so this is the intake alone: 50,000 links, well within
    // the time `run` allows (the intake used to take time growing with their square).
    let sim = sim().await;
    let links: String = (0..50_000)
        .map(|i| format!("https://x.example/{i}.wav\n"))
        .collect();
    let output = run(&sim, None, &["upload", "-"], &links).await;
    assert_eq!(output.status.code(), Some(3), "{}", stderr(&output));
    assert!(sim.requests().is_empty());
}

#[tokio::test]
async fn a_proxy_is_never_used_for_an_api_on_this_computer() {
    let sim = sim().await;
    // Nothing listens there: going through it would fail.
    let dead = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let proxy = format!("http://{}", dead.local_addr().unwrap());
    drop(dead);
    let data_dir = tempfile::tempdir().unwrap();
    let env: Vec<(&str, &str)> = ["HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "ALL_PROXY"]
        .into_iter()
        .map(|name| (name, proxy.as_str()))
        .collect();
    let output = run_in(
        data_dir.path(),
        &sim,
        Some("sim-token"),
        &["upload", "https://x.example/a.wav"],
        "",
        &env,
    )
    .await;
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(sim.issued().len(), 1);
}

#[tokio::test]
async fn checks_run_a_few_at_a_time() {
    // A file server that answers slowly and counts the connections open at once.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (open, most) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
    let counts = (open.clone(), most.clone());
    tokio::spawn(async move {
        loop {
            let (mut stream, _) = listener.accept().await.unwrap();
            let (open, most) = (counts.0.clone(), counts.1.clone());
            tokio::spawn(async move {
                let now = open.fetch_add(1, Ordering::SeqCst) + 1;
                most.fetch_max(now, Ordering::SeqCst);
                let mut request = [0u8; 4096];
                let _ = tokio::io::AsyncReadExt::read(&mut stream, &mut request).await;
                tokio::time::sleep(Duration::from_millis(150)).await;
                let _ = stream
                    .write_all(
                        b"HTTP/1.1 200 OK\r\ncontent-type: audio/wav\r\ncontent-length: 0\r\nconnection: close\r\n\r\n",
                    )
                    .await;
                open.fetch_sub(1, Ordering::SeqCst);
            });
        }
    });
    let sim = sim().await;
    let links: Vec<String> = (0..12).map(|i| format!("http://{addr}/{i}.wav")).collect();
    let mut args = vec!["upload", "--check"];
    args.extend(links.iter().map(String::as_str));
    let output = run(&sim, Some("sim-token"), &args, "").await;
    assert!(output.status.success(), "{}", stderr(&output));
    let said = stderr(&output);
    assert_eq!(said.matches("checked: ").count(), 12, "{said}");
    let most = most.load(Ordering::SeqCst);
    assert!((1..=4).contains(&most), "{most} checks at once");
}

#[tokio::test]
async fn web_pages_and_local_network_links_are_held_unless_sent_anyway() {
    let sim = sim().await;
    let video = "https://www.youtube.com/watch?v=abc123";
    let folder = "https://www.dropbox.com/scl/fo/abc123/def?rlkey=k9&dl=0";
    let audio = "https://x.example/a.wav";
    let output = run(
        &sim,
        Some("sim-token"),
        &["upload", video, folder, audio],
        "",
    )
    .await;
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert_eq!(sim.issued().len(), 1, "only the audio file is sent");
    assert_eq!(stdout(&output).lines().count(), 1);
    let said = stderr(&output);
    for held in [video, folder] {
        let line = said
            .lines()
            .find(|line| line.starts_with(&format!("held: {held}: ")))
            .unwrap_or_else(|| panic!("{held} is said to be held: {said}"));
        assert!(line.contains("--send-anyway"), "{line}");
        assert!(line.ends_with("[not_audio_file]"), "{line}");
    }

    // The same in JSON: an error object with the code, and the link it would send.
    let output = run(&sim, Some("sim-token"), &["upload", "--json", video], "").await;
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let lines = json_lines(&output);
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert_eq!(lines[0]["url"], video);
    assert_eq!(lines[0]["error"]["code"], "not_audio_file");
    assert!(lines[0]["error"]["message"]
        .as_str()
        .unwrap()
        .contains("--send-anyway"));
    assert_eq!(sim.issued().len(), 1, "nothing more was sent");

    // Told to, it sends them.
    let output = run(
        &sim,
        Some("sim-token"),
        &["upload", "--send-anyway", video, folder],
        "",
    )
    .await;
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(sim.issued().len(), 3);
}

#[tokio::test]
async fn a_local_network_link_is_held_when_the_service_cannot_reach_it() {
    // An API address that is not on this computer (nothing is sent: the link is held first,
    // and the only other input is refused).
    let sim = sim().await;
    let data_dir = tempfile::tempdir().unwrap();
    let output = run_in(
        data_dir.path(),
        &sim,
        Some("sim-token"),
        &[
            "upload",
            "--base-url",
            "https://api.invalid",
            "http://192.168.1.20/take.wav",
        ],
        "",
        &[],
    )
    .await;
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let said = stderr(&output);
    assert!(
        said.contains("held: http://192.168.1.20/take.wav: ") && said.contains("[local_link]"),
        "{said}"
    );
    assert!(sim.requests().is_empty());
}
