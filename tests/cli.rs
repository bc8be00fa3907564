//! The real `producer-upload` binary against the project's API simulator, over loopback TCP.

use producer_sim::{SimConfig, Simulator};
use producer_upload::history::{History, Query};
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

/// The command in English whatever this computer's locale, as the tests that read its words
/// expect; a test may set another language after this.
fn in_english(command: &mut Command) -> &mut Command {
    command
        .env("LANG", "C.UTF-8")
        .env_remove("LANGUAGE")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env_remove("PRODUCER_UPLOAD_LANGUAGE")
}

/// `program` (the CLI, or a program that starts it) in English, with the simulator as its API,
/// the history in `data_dir`, this test's own keychain and `token` (if any) in the environment.
fn command(program: &str, data_dir: &Path, sim: &Simulator, token: Option<&str>) -> Command {
    let mut command = Command::new(program);
    in_english(&mut command)
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
    command
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
    let mut command = command(CLI, data_dir, sim, token);
    command.args(args).envs(env.iter().copied());
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
    let output = in_english(&mut command)
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

// The musician's language: with a Chinese locale the command speaks Chinese; its JSON keeps its
// keys and codes in English, and its exit codes are the same.

const CHINESE: &[(&str, &str)] = &[("LANG", "zh_CN.UTF-8")];

/// True when `text` holds Chinese characters.
fn has_chinese(text: &str) -> bool {
    text.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

#[tokio::test]
async fn in_chinese_a_failing_upload_is_explained_in_chinese_with_the_same_code_and_exit() {
    let sim = sim().await;
    let data_dir = tempfile::tempdir().unwrap();
    let args = ["upload", "https://x.example/a.wav"];
    let english = run_in(
        data_dir.path(),
        &sim,
        Some("sim-error-used_up"),
        &args,
        "",
        &[],
    )
    .await;
    let chinese = run_in(
        data_dir.path(),
        &sim,
        Some("sim-error-used_up"),
        &args,
        "",
        CHINESE,
    )
    .await;
    assert_eq!(chinese.status.code(), Some(1));
    assert_eq!(chinese.status.code(), english.status.code());
    let said = stderr(&chinese);
    assert!(
        said.starts_with("错误：https://x.example/a.wav："),
        "{said}"
    );
    assert!(
        said.contains("used_up") && said.contains("HTTP 403") && said.contains("追踪 ID "),
        "{said}"
    );
    assert!(!said.contains("trace id"), "{said}");
    assert!(
        stderr(&english).starts_with("error: "),
        "{}",
        stderr(&english)
    );

    // A link held, a usage error and a missing token: the same exit codes, in Chinese.
    let video = "https://www.youtube.com/watch?v=abc123";
    let held = run_in(
        data_dir.path(),
        &sim,
        Some("sim-token"),
        &["upload", video],
        "",
        CHINESE,
    )
    .await;
    assert_eq!(held.status.code(), Some(1));
    let said = stderr(&held);
    assert!(said.starts_with(&format!("已暂缓：{video}：")), "{said}");
    assert!(
        said.contains("--send-anyway") && said.trim_end().ends_with("[not_audio_file]"),
        "{said}"
    );
    let usage = run_in(
        data_dir.path(),
        &sim,
        Some("sim-token"),
        &["upload", "-"],
        "\n",
        CHINESE,
    )
    .await;
    assert_eq!(usage.status.code(), Some(2));
    assert!(
        stderr(&usage).contains("没有给出链接"),
        "{}",
        stderr(&usage)
    );
    let bad_option = run_in(
        data_dir.path(),
        &sim,
        Some("sim-token"),
        &["upload", "--timeout", "soon", "https://x.example/a.wav"],
        "",
        CHINESE,
    )
    .await;
    assert_eq!(bad_option.status.code(), Some(2));
    let said = stderr(&bad_option);
    assert!(
        said.starts_with("错误：") && said.contains("--timeout"),
        "{said}"
    );
    assert!(said.contains("想了解更多"), "{said}");
    let no_token = run_in(
        data_dir.path(),
        &sim,
        None,
        &["upload", "https://x.example/a.wav"],
        "",
        CHINESE,
    )
    .await;
    assert_eq!(no_token.status.code(), Some(3));
    assert!(
        stderr(&no_token).starts_with("错误："),
        "{}",
        stderr(&no_token)
    );
    assert!(
        sim.issued().is_empty(),
        "nothing was uploaded by a failing run"
    );
}

#[tokio::test]
async fn in_chinese_json_keeps_its_keys_and_codes_in_english() {
    let sim = sim().await;
    let data_dir = tempfile::tempdir().unwrap();
    let output = run_in(
        data_dir.path(),
        &sim,
        Some("sim-token"),
        &[
            "upload",
            "--json",
            "https://x.example/a.wav",
            "https://x.example/b.wav?sim_fault=error500",
            "https://www.youtube.com/watch?v=abc123",
        ],
        "",
        CHINESE,
    )
    .await;
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let lines = json_lines(&output);
    assert_eq!(lines.len(), 3, "{lines:?}");
    let by_url = |url: &str| lines.iter().find(|line| line["url"] == url).unwrap();
    assert!(by_url("https://x.example/a.wav")["audio_id"].is_string());
    let failed = &by_url("https://x.example/b.wav?sim_fault=error500")["error"];
    assert_eq!(failed["code"], "api_error");
    assert_eq!(failed["status"], 500);
    assert!(failed["trace_id"].is_string());
    let held = &by_url("https://www.youtube.com/watch?v=abc123")["error"];
    assert_eq!(held["code"], "not_audio_file");
    // The message is for people: in their language.
    assert!(has_chinese(held["message"].as_str().unwrap()), "{held:?}");

    // The history's lines say their state in Chinese; its JSON keeps the code.
    let listed = run_in(data_dir.path(), &sim, None, &["history"], "", CHINESE).await;
    assert!(listed.status.success(), "{}", stderr(&listed));
    assert!(stdout(&listed).contains("\t完成\t"), "{}", stdout(&listed));
    let listed = run_in(
        data_dir.path(),
        &sim,
        None,
        &["history", "--json"],
        "",
        CHINESE,
    )
    .await;
    let records = json_lines(&listed);
    assert!(
        records.iter().any(|record| record["state"] == "done"),
        "{records:?}"
    );
}

/// Every `--help` page of the command, found from the commands each page lists: (the command's
/// words, the page).
async fn every_help_page(env: &[(&str, &str)]) -> Vec<(Vec<String>, String)> {
    let sim = sim().await;
    let data_dir = tempfile::tempdir().unwrap();
    let mut pages = vec![];
    let mut to_read: Vec<Vec<String>> = vec![vec![]];
    while let Some(words) = to_read.pop() {
        let mut args: Vec<&str> = words.iter().map(String::as_str).collect();
        args.push("--help");
        let output = run_in(data_dir.path(), &sim, None, &args, "", env).await;
        assert!(output.status.success(), "{words:?}: {}", stderr(&output));
        let page = stdout(&output);
        let commands = page
            .lines()
            .skip_while(|line| !line.starts_with("Commands:") && !line.starts_with("命令:"))
            .skip(1)
            .take_while(|line| line.starts_with("  "));
        for line in commands {
            let name = line.split_whitespace().next().unwrap();
            if name != "help" {
                let mut more = words.clone();
                more.push(name.to_owned());
                to_read.push(more);
            }
        }
        pages.push((words, page));
    }
    pages
}

/// Three English words in a row (lower case, nothing else in them): a sentence left untranslated.
fn english_sentence(text: &str) -> Option<String> {
    let words: Vec<&str> = text.split_whitespace().collect();
    words
        .windows(3)
        .find(|three| {
            three
                .iter()
                .all(|word| word.chars().all(|c| c.is_ascii_lowercase()))
        })
        .map(|three| three.join(" "))
}

#[tokio::test]
async fn in_chinese_every_help_page_is_chinese_and_in_english_english() {
    let chinese = every_help_page(CHINESE).await;
    let english = every_help_page(&[]).await;
    assert!(chinese.len() >= 12, "every command's page: {chinese:?}");
    assert_eq!(
        chinese.iter().map(|(words, _)| words).collect::<Vec<_>>(),
        english.iter().map(|(words, _)| words).collect::<Vec<_>>()
    );
    for (words, page) in &chinese {
        assert!(page.contains("用法: producer-upload"), "{words:?}: {page}");
        assert!(page.contains("显示帮助"), "{words:?}: {page}");
        assert!(
            !page.contains("cli-"),
            "a message is missing: {words:?}: {page}"
        );
        if let Some(sentence) = english_sentence(page) {
            panic!("{words:?}: \"{sentence}\" is not in Chinese: {page}");
        }
        assert!(
            !page.contains("Options:") && !page.contains("[default:"),
            "{page}"
        );
    }
    for (words, page) in &english {
        assert!(page.contains("Usage: producer-upload"), "{words:?}: {page}");
        assert!(
            !page.contains("cli-"),
            "a message is missing: {words:?}: {page}"
        );
        assert!(!has_chinese(page), "{words:?}: {page}");
    }
    let upload = &chinese
        .iter()
        .find(|(words, _)| words == &["upload"])
        .unwrap()
        .1;
    assert!(upload.contains("[默认值：4]"), "{upload}");
    assert!(
        upload.contains("上传链接，并显示每个链接的音频 ID。"),
        "{upload}"
    );
    let upload = &english
        .iter()
        .find(|(words, _)| words == &["upload"])
        .unwrap()
        .1;
    assert!(upload.contains("[default: 4]"), "{upload}");
}

#[cfg(target_os = "linux")]
#[tokio::test]
async fn in_chinese_the_progress_line_says_its_words_in_chinese() {
    let sim = Simulator::start(SimConfig {
        latency: Duration::from_millis(150),
        ..SimConfig::default()
    })
    .await
    .unwrap();
    let data_dir = tempfile::tempdir().unwrap();
    let links: Vec<String> = (0..5)
        .map(|i| format!("'https://x.example/{i}.wav'"))
        .collect();
    // The progress line is drawn on a terminal only: `script` gives the command one, wide
    // enough for the whole line.
    let line = format!(
        "stty cols 200; exec '{CLI}' upload --concurrency 1 {}",
        links.join(" ")
    );
    let mut command = command("script", data_dir.path(), &sim, Some("sim-token"));
    command
        .args(["-qec", &line, "/dev/null"])
        .envs(CHINESE.iter().copied());
    let output = tokio::time::timeout(Duration::from_secs(60), command.output())
        .await
        .expect("the CLI finished in time")
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    let shown = String::from_utf8_lossy(&output.stdout);
    assert!(
        shown.contains("已用 ") && shown.contains("大约还剩 "),
        "{shown}"
    );
    assert!(!shown.contains("elapsed"), "{shown}");
    assert_eq!(sim.issued().len(), 5);
}
