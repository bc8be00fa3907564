//! Audio files from this computer: checked, hosted on the simulator's file host and uploaded to
//! its API, over loopback TCP.

use producer_sim::samples::{silent_mp3, tone_wav};
use producer_sim::{SimConfig, Simulator};
use producer_upload::client::{Client, ClientConfig};
use producer_upload::error::ErrorCode;
use producer_upload::filehost::{
    prepare_and_host, FileHost, FileHostConfig, HostError, Hosted, MAX_FILE_BYTES,
};
use producer_upload::history::{History, NewUpload, Query, Source};
use producer_upload::retry::RetryPolicy;
use producer_upload::token::{ApiToken, PlatformToken};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

const API_TOKEN: &str = "sim-token";
const PLATFORM_TOKEN: &str = "platform-sim-token";

fn platform(token: &str) -> PlatformToken {
    PlatformToken::parse(token).unwrap()
}

fn host_for(sim: &Simulator, adjust: impl FnOnce(&mut FileHostConfig)) -> FileHost {
    let mut config = FileHostConfig::new(&sim.base_url()).unwrap();
    config.timeout = Duration::from_secs(10);
    config.retry = RetryPolicy {
        max_attempts: 3,
        max_rate_limit_waits: 3,
        base_delay: Duration::from_millis(20),
        max_delay: Duration::from_secs(1),
        max_total: Duration::from_secs(20),
    };
    adjust(&mut config);
    FileHost::new(config)
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

async fn host_file(host: &FileHost, path: &Path) -> Result<Hosted, HostError> {
    prepare_and_host(host, Some(&platform(PLATFORM_TOKEN)), None, path, |_| {}).await
}

#[tokio::test]
async fn a_wav_and_an_mp3_are_hosted_byte_for_byte_then_uploaded() {
    let (api, files) = (
        Simulator::start(SimConfig::default()).await.unwrap(),
        Simulator::start(SimConfig::default()).await.unwrap(),
    );
    let host = host_for(&files, |_| {});
    let client = Client::new(ClientConfig::new(&api.base_url()).unwrap());
    let dir = tempfile::tempdir().unwrap();
    let wav = tone_wav(2000, 0);
    let mp3 = silent_mp3(40);

    for (name, bytes, media_type) in [
        ("Verse – démo.wav", &wav, "audio/wav"),
        ("chorus.mp3", &mp3, "audio/mpeg"),
    ] {
        let path = write(dir.path(), name, bytes);
        let sent = Arc::new(AtomicU64::new(0));
        let seen = Arc::clone(&sent);
        let hosted = prepare_and_host(
            &host,
            Some(&platform(PLATFORM_TOKEN)),
            None,
            &path,
            move |bytes| seen.store(bytes, Ordering::SeqCst),
        )
        .await
        .unwrap();
        assert!(!hosted.reused);
        assert_eq!(hosted.attempts, 1);
        assert_eq!(hosted.audio.media_type, media_type);
        assert_eq!(hosted.file.size, bytes.len() as u64);
        assert_eq!(
            sent.load(Ordering::SeqCst),
            bytes.len() as u64,
            "progress ends at the size"
        );

        let stored = files.hosted_files().pop().unwrap();
        assert_eq!(stored.file_name, name);
        assert_eq!(stored.content_type, media_type);
        assert_eq!(stored.file_url, hosted.file_url.as_str());
        let fetched = reqwest::get(hosted.file_url.clone()).await.unwrap();
        assert_eq!(fetched.status(), 200);
        assert_eq!(
            &fetched.bytes().await.unwrap()[..],
            &bytes[..],
            "hosted bytes"
        );

        let token = ApiToken::parse(API_TOKEN).unwrap();
        let uploaded = client.attempt(&token, &hosted.file_url).await.unwrap();
        let issued = api.issued().pop().unwrap();
        assert_eq!(issued.audio_id, uploaded.audio_id);
        assert_eq!(issued.audio_url, hosted.file_url.as_str());
    }
}

#[tokio::test]
async fn refused_files_send_nothing() {
    let sim = Simulator::start(SimConfig::default()).await.unwrap();
    let host = host_for(&sim, |_| {});
    let dir = tempfile::tempdir().unwrap();
    // A real WAV start, made one byte over the limit (sparse: no disk is used).
    let too_big = write(dir.path(), "album.wav", &tone_wav(10, 0));
    std::fs::OpenOptions::new()
        .write(true)
        .open(&too_big)
        .unwrap()
        .set_len(MAX_FILE_BYTES + 1)
        .unwrap();

    let cases = [
        (too_big, ErrorCode::FileTooBig),
        (
            write(dir.path(), "notes.mp3", b"just some text, not audio at all"),
            ErrorCode::NotAudio,
        ),
        (dir.path().join("gone.wav"), ErrorCode::FileUnreadable),
        (dir.path().to_owned(), ErrorCode::FileIsFolder),
    ];
    for (path, code) in cases {
        let error = host_file(&host, &path).await.unwrap_err();
        assert_eq!(error.code(), code, "{}", path.display());
        let report = error.report();
        assert!(
            report.message.ends_with('.') && !report.message.contains('_'),
            "{report:?}"
        );
    }
    // A good file without a platform token is refused too.
    let wav = write(dir.path(), "take.wav", &tone_wav(100, 0));
    let error = prepare_and_host(&host, None, None, &wav, |_| {})
        .await
        .unwrap_err();
    assert_eq!(error.code(), ErrorCode::PlatformTokenMissing);
    assert!(error.report().message.contains("platform-tokens"));

    assert!(sim.host_requests().is_empty(), "nothing was sent");
    assert!(sim.requests().is_empty());
}

#[tokio::test]
async fn each_token_goes_only_to_its_own_host() {
    let (api, files) = (
        Simulator::start(SimConfig::default()).await.unwrap(),
        Simulator::start(SimConfig::default()).await.unwrap(),
    );
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "take.wav", &tone_wav(100, 0));
    let hosted = host_file(&host_for(&files, |_| {}), &path).await.unwrap();
    let client = Client::new(ClientConfig::new(&api.base_url()).unwrap());
    client
        .attempt(&ApiToken::parse(API_TOKEN).unwrap(), &hosted.file_url)
        .await
        .unwrap();

    let host_requests = files.host_requests();
    assert_eq!(host_requests.len(), 1);
    assert_eq!(
        host_requests[0].header("authorization"),
        Some("Bearer platform-sim-token")
    );
    assert!(
        files.requests().is_empty(),
        "the file host saw no API request"
    );
    let api_requests = api.requests();
    assert_eq!(api_requests.len(), 1);
    assert_eq!(
        api_requests[0].header("authorization"),
        Some("Bearer sim-token")
    );
    assert!(api.host_requests().is_empty(), "the API saw no file");
    for request in host_requests.iter().chain(&api_requests) {
        let all = format!("{:?}", request.headers);
        let other = if request.path.starts_with("/api/v1/files/") {
            API_TOKEN
        } else {
            PLATFORM_TOKEN
        };
        assert!(!all.contains(&format!("Bearer {other}")), "{all}");
    }

    // An API token is not a platform token, so it cannot be given to the file host at all.
    assert!(PlatformToken::parse(API_TOKEN).is_err());
    // The API refuses a platform token, the file host refuses any other.
    let refused = client
        .attempt(&ApiToken::parse(PLATFORM_TOKEN).unwrap(), &hosted.file_url)
        .await;
    assert_eq!(refused.unwrap_err().code(), ErrorCode::InvalidToken);
    let refused = prepare_and_host(
        &host_for(&files, |_| {}),
        Some(&platform("platform-not-known")),
        None,
        &path,
        |_| {},
    )
    .await
    .unwrap_err();
    assert_eq!(refused.code(), ErrorCode::PlatformTokenInvalid);
    assert!(refused.report().message.contains("platform token"));
}

#[tokio::test]
async fn host_errors_are_typed_like_the_apis() {
    let sim = Simulator::start(SimConfig::default()).await.unwrap();
    let host = host_for(&sim, |config| config.retry = RetryPolicy::never());
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "take.wav", &tone_wav(100, 0));
    for (token, code) in [
        ("platform-sim-error-used_up", ErrorCode::UsedUp),
        (
            "platform-sim-error-token_expired",
            ErrorCode::PlatformTokenInvalid,
        ),
        ("platform-sim-error-api_error", ErrorCode::ApiError),
    ] {
        let error = prepare_and_host(&host, Some(&platform(token)), None, &path, |_| {})
            .await
            .unwrap_err();
        assert_eq!(error.code(), code, "{token}");
        let report = error.report();
        assert!(report.trace_id.is_some(), "{report:?}");
    }
    assert!(sim.hosted_files().is_empty(), "refused files are not kept");
}

#[tokio::test]
async fn a_transient_host_failure_is_retried() {
    let sim = Simulator::start(SimConfig::default()).await.unwrap();
    let host = host_for(&sim, |_| {});
    let dir = tempfile::tempdir().unwrap();
    for fault in ["error500", "html502", "drop"] {
        let name = format!("take sim_fault={fault} sim_times=1.wav");
        let path = write(dir.path(), &name, &tone_wav(100, 0));
        let hosted = host_file(&host, &path).await.unwrap();
        assert_eq!(hosted.attempts, 2, "{fault}");
    }
    assert_eq!(sim.hosted_files().len(), 3);
    assert_eq!(sim.host_requests().len(), 6);
}

#[tokio::test]
async fn a_hanging_host_is_bounded_by_the_time_out() {
    let sim = Simulator::start(SimConfig::default()).await.unwrap();
    let host = host_for(&sim, |config| {
        config.timeout = Duration::from_millis(500);
        config.retry = RetryPolicy::never();
    });
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "take sim_fault=hang.wav", &tone_wav(100, 0));
    let ended = tokio::time::timeout(Duration::from_secs(60), host_file(&host, &path)).await;
    let error = ended.expect("the time-out ends the hang").unwrap_err();
    assert_eq!(error.code(), ErrorCode::Timeout);
    assert!(error.report().retryable);
}

#[tokio::test]
async fn the_host_never_answers_an_upload_over_100_mb() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let sim = Simulator::start(SimConfig::default()).await.unwrap();
    let mut stream = tokio::net::TcpStream::connect(sim.addr()).await.unwrap();
    let head = format!(
        "POST /api/v1/files/ HTTP/1.1\r\nhost: {}\r\nauthorization: Bearer {PLATFORM_TOKEN}\r\n\
         content-type: multipart/form-data; boundary=b\r\ncontent-length: {}\r\n\r\n--b\r\n",
        sim.addr(),
        MAX_FILE_BYTES + 1_000_000
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    let mut answer = [0; 64];
    let read = tokio::time::timeout(Duration::from_millis(700), stream.read(&mut answer)).await;
    assert!(read.is_err(), "no answer, as the real host does");
    assert_eq!(sim.host_requests().len(), 1);
}

/// Hosts `path` through `host` (reusing what `history` allows) and records it as uploaded to
/// `api`, as the command and the app do.
async fn host_and_record(
    host: &FileHost,
    api: &Simulator,
    history: &History,
    path: &Path,
    token: Option<&PlatformToken>,
) -> Hosted {
    let hosted = prepare_and_host(host, token, Some(history), path, |_| {})
        .await
        .unwrap();
    let upload = NewUpload {
        given_url: path.display().to_string(),
        audio_url: hosted.file_url.clone(),
        source: Source::Cli,
    };
    let id = history
        .record_pending_file(&upload, &hosted.audio.file_name, &hosted.file)
        .unwrap();
    let client = Client::new(ClientConfig::new(&api.base_url()).unwrap());
    let outcome = client
        .attempt(&ApiToken::parse(API_TOKEN).unwrap(), &hosted.file_url)
        .await;
    history.record_done(id, &outcome.unwrap(), 1).unwrap();
    hosted
}

#[tokio::test]
async fn the_same_file_is_hosted_once_and_found_by_file_name() {
    let sim = Simulator::start(SimConfig::default()).await.unwrap();
    let host = host_for(&sim, |_| {});
    let dir = tempfile::tempdir().unwrap();
    let history = History::open(dir.path().join("history")).unwrap();
    let token = platform(PLATFORM_TOKEN);
    let bytes = tone_wav(300, 7);
    let first = write(dir.path(), "Bridge idea.wav", &bytes);
    let copy = write(dir.path(), "bridge copy.wav", &bytes);
    let other = write(dir.path(), "outro.wav", &tone_wav(300, 8));

    let mut links = Vec::new();
    for (path, reused) in [
        (&first, false),
        (&first, true),
        (&copy, false),
        (&other, false),
    ] {
        let hosted = host_and_record(&host, &sim, &history, path, Some(&token)).await;
        assert_eq!(hosted.reused, reused, "{}", path.display());
        links.push(hosted.file_url);
    }
    assert_eq!(links[0], links[1], "the link is reused");
    assert_ne!(
        links[0], links[2],
        "another name is hosted under its own name"
    );
    let hosted = sim.hosted_files();
    assert_eq!(hosted.len(), 3, "{hosted:?}");
    assert_eq!(hosted[1].file_name, "bridge copy.wav");
    // Reusing needs no token.
    let reused = prepare_and_host(&host, None, Some(&history), &first, |_| {}).await;
    assert!(reused.unwrap().reused);

    let found = history
        .search(&Query {
            text: "bridge".into(),
            ..Query::default()
        })
        .unwrap();
    assert_eq!(found.len(), 3);
    let record = &found[0];
    assert_eq!(record.file_name, "bridge copy.wav");
    let file = record.file.as_ref().unwrap();
    assert_eq!(file.size, bytes.len() as u64);
    assert_eq!(file.file_url, links[2].as_str());
    assert_eq!(file.content_hash.len(), 64);
    assert_eq!(file.file_host.as_deref(), Some(host.address().as_str()));
    assert!(record.audio_id.is_some());
    let json = serde_json::to_value(record).unwrap();
    assert_eq!(json["file"]["file_url"], links[2].as_str());
}

#[tokio::test]
async fn a_hosted_link_is_reused_only_through_the_same_host_when_not_in_doubt_and_still_whole() {
    let (api, first_host, second_host) = (
        Simulator::start(SimConfig::default()).await.unwrap(),
        Simulator::start(SimConfig::default()).await.unwrap(),
        Simulator::start(SimConfig::default()).await.unwrap(),
    );
    let host = host_for(&first_host, |_| {});
    let dir = tempfile::tempdir().unwrap();
    let history = History::open(dir.path().join("history")).unwrap();
    let token = platform(PLATFORM_TOKEN);
    let take = write(dir.path(), "take.wav", &tone_wav(300, 1));
    host_and_record(&host, &api, &history, &take, Some(&token)).await;

    // Another host address (the demo's simulator, another account's host) does not reuse it.
    let elsewhere = host_for(&second_host, |_| {});
    let hosted = host_and_record(&elsewhere, &api, &history, &take, Some(&token)).await;
    assert!(!hosted.reused);
    assert_eq!(second_host.hosted_files().len(), 1);
    // Back on the first host, its own link is reused, after a ranged request for one byte.
    let hosted = host_and_record(&host, &api, &history, &take, Some(&token)).await;
    assert!(hosted.reused);
    assert_eq!(first_host.hosted_files().len(), 1);

    // A record whose upload failed because of the link is not reused.
    let doubtful = write(dir.path(), "doubtful.wav", &tone_wav(300, 2));
    let hosted = prepare_and_host(&host, Some(&token), Some(&history), &doubtful, |_| {})
        .await
        .unwrap();
    let upload = NewUpload {
        given_url: doubtful.display().to_string(),
        audio_url: hosted.file_url.clone(),
        source: Source::Cli,
    };
    let id = history
        .record_pending_file(&upload, &hosted.audio.file_name, &hosted.file)
        .unwrap();
    let refused = producer_upload::error::ErrorReport::from_code(ErrorCode::BadRequest);
    history.record_failed(id, &refused, 1).unwrap();
    let again = prepare_and_host(&host, Some(&token), Some(&history), &doubtful, |_| {})
        .await
        .unwrap();
    assert!(
        !again.reused,
        "a link the service could not use is hosted again"
    );

    // A link that no longer answers with the file's size is not reused.
    let stored = first_host.hosted_files()[0].path.clone();
    std::fs::write(&stored, b"RIFF").unwrap();
    let hosted = host_and_record(&host, &api, &history, &take, Some(&token)).await;
    assert!(!hosted.reused, "the link answers with another size");
    assert_eq!(first_host.hosted_files().len(), 4);
}

const CLI: &str = env!("CARGO_BIN_EXE_producer-upload");

/// Runs `producer-upload` against `sim` (as both the API and the file host), with no keychain
/// token, its history in `data_dir`, and `env` added.
async fn cli(
    sim: &Simulator,
    data_dir: &Path,
    args: &[&str],
    env: &[(&str, &str)],
) -> std::process::Output {
    cli_in(sim, data_dir, Path::new("."), args, env).await
}

/// [`cli`] run in the folder `cwd`.
async fn cli_in(
    sim: &Simulator,
    data_dir: &Path,
    cwd: &Path,
    args: &[&str],
    env: &[(&str, &str)],
) -> std::process::Output {
    let mut command = tokio::process::Command::new(CLI);
    command
        .current_dir(cwd)
        .args(args)
        .env_remove("ACEDATACLOUD_PLATFORM_TOKEN")
        .env("ACEDATACLOUD_API_BASE_URL", sim.base_url())
        .env("ACEDATACLOUD_PLATFORM_BASE_URL", sim.base_url())
        .env("ACEDATACLOUD_API_TOKEN", API_TOKEN)
        .env("PRODUCER_UPLOAD_DATA_DIR", data_dir)
        // In English whatever this computer's language: the test reads its words.
        .env("PRODUCER_UPLOAD_LANGUAGE", "en")
        .env(
            "PRODUCER_UPLOAD_KEYCHAIN_SERVICE",
            format!("producer-upload-test-files-empty-{}", std::process::id()),
        )
        .envs(env.iter().copied())
        .stdin(std::process::Stdio::null())
        .kill_on_drop(true);
    tokio::time::timeout(Duration::from_secs(60), command.output())
        .await
        .expect("the command finished in time")
        .unwrap()
}

fn json_lines(output: &std::process::Output) -> Vec<serde_json::Value> {
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect()
}

#[tokio::test]
async fn the_command_hosts_files_first_then_uploads_them_with_the_links() {
    let sim = Simulator::start(SimConfig::default()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let wav = write(dir.path(), "verse.wav", &tone_wav(200, 3));
    let link = "https://example.com/chorus.mp3";
    let args = ["upload", "--json", wav.to_str().unwrap(), link];
    let output = cli(
        &sim,
        &dir.path().join("data"),
        &args,
        &[("ACEDATACLOUD_PLATFORM_TOKEN", PLATFORM_TOKEN)],
    )
    .await;
    assert!(output.status.success(), "{output:?}");
    let lines = json_lines(&output);
    assert_eq!(lines.len(), 2, "{lines:?}");
    let file = lines
        .iter()
        .find(|line| line["url"] == wav.to_str().unwrap())
        .unwrap();
    let hosted = sim.hosted_files();
    assert_eq!(hosted.len(), 1);
    assert_eq!(file["file_url"], hosted[0].file_url.as_str());
    assert_eq!(file["audio_url"], file["file_url"]);
    assert!(file["audio_id"].is_string());
    let other = lines.iter().find(|line| line["url"] == link).unwrap();
    assert!(other.get("file_url").is_none() && other["audio_id"].is_string());
    assert_eq!(
        sim.host_requests()[0].header("authorization"),
        Some("Bearer platform-sim-token")
    );

    // The history keeps the file's name, size and link, and finds it by name; the same file
    // again is not hosted twice.
    let output = cli(
        &sim,
        &dir.path().join("data"),
        &["history", "--json", "--search", "verse"],
        &[],
    )
    .await;
    let records = json_lines(&output);
    assert_eq!(records.len(), 1, "{records:?}");
    assert_eq!(records[0]["file_name"], "verse.wav");
    assert_eq!(records[0]["file"]["file_url"], hosted[0].file_url.as_str());
    let output = cli(
        &sim,
        &dir.path().join("data"),
        &["upload", wav.to_str().unwrap()],
        &[],
    )
    .await;
    assert!(
        output.status.success(),
        "reused without a platform token: {output:?}"
    );
    assert_eq!(sim.hosted_files().len(), 1);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("note: ") && stderr.contains("reusing"),
        "{stderr}"
    );
    // --no-reuse hosts it again.
    let output = cli(
        &sim,
        &dir.path().join("data"),
        &["upload", "--no-reuse", wav.to_str().unwrap()],
        &[("ACEDATACLOUD_PLATFORM_TOKEN", PLATFORM_TOKEN)],
    )
    .await;
    assert!(output.status.success(), "{output:?}");
    assert_eq!(sim.hosted_files().len(), 2);
    assert!(!String::from_utf8_lossy(&output.stderr).contains("reusing"));
}

#[tokio::test]
async fn without_a_platform_token_files_fail_and_links_still_go() {
    let sim = Simulator::start(SimConfig::default()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let wav = write(dir.path(), "verse.wav", &tone_wav(200, 4));
    let text = write(dir.path(), "notes.wav", b"not audio at all");
    let data = dir.path().join("data");

    let args = [
        "upload",
        "--json",
        wav.to_str().unwrap(),
        "https://example.com/a.mp3",
    ];
    let output = cli(&sim, &data, &args, &[]).await;
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    let lines = json_lines(&output);
    let file = lines
        .iter()
        .find(|line| line["url"] == wav.to_str().unwrap())
        .unwrap();
    assert_eq!(file["error"]["code"], "platform_token_missing");
    assert!(file["error"]["message"]
        .as_str()
        .unwrap()
        .contains("platform-tokens"));
    assert_eq!(sim.issued().len(), 1, "the link still went");

    // Nothing could be sent for want of a token: exit 3.
    let output = cli(&sim, &data, &["upload", wav.to_str().unwrap()], &[]).await;
    assert_eq!(output.status.code(), Some(3), "{output:?}");
    // A file that is not audio, or a folder, is refused on its own: exit 1.
    let folder = dir.path().to_str().unwrap();
    let output = cli(
        &sim,
        &data,
        &["upload", "--json", text.to_str().unwrap(), folder],
        &[],
    )
    .await;
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    let codes: Vec<_> = json_lines(&output)
        .iter()
        .map(|line| line["error"]["code"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(codes, ["not_audio", "file_is_folder"]);
    assert!(sim.host_requests().is_empty(), "no file was sent");
}

#[tokio::test]
async fn the_file_hosts_answers_are_checked_before_anything_is_kept_or_shown() {
    let sim = Simulator::start(SimConfig::default()).await.unwrap();
    let host = host_for(&sim, |config| config.retry = RetryPolicy::never());
    let dir = tempfile::tempdir().unwrap();
    let escape = write(dir.path(), "take sim_fault=escape.wav", &tone_wav(100, 1));
    let long = write(dir.path(), "take sim_fault=longlink.wav", &tone_wav(100, 2));
    let link_local = write(
        dir.path(),
        "take sim_fault=linklocal.wav",
        &tone_wav(100, 3),
    );

    let error = host_file(&host, &escape).await.unwrap_err();
    let report = error.report();
    let shown = format!(
        "{error} {report:?} {}",
        serde_json::to_string(&report).unwrap()
    );
    assert!(
        !shown.contains('\u{1b}') && !shown.contains('\u{7}'),
        "{shown}"
    );
    assert_eq!(
        report.trace_id, None,
        "a trace id not shaped like one is not kept"
    );
    assert_eq!(error.code().as_str(), "unreadable_code");
    assert!(
        format!("{error}").contains("done: all files uploaded"),
        "{error}"
    );

    for path in [&long, &link_local] {
        let error = host_file(&host, path).await.unwrap_err();
        assert_eq!(error.code(), ErrorCode::BadFileLink, "{}", path.display());
        let report = error.report();
        assert!(report.message.contains("cannot trust"), "{report:?}");
        assert!(report.message.len() < 600, "{report:?}");
        assert!(report.detail.unwrap().len() < 200);
    }

    // The command: nothing reaches the terminal as it came, nothing is kept in the history.
    let data = dir.path().join("data");
    let args = [
        "upload",
        escape.to_str().unwrap(),
        long.to_str().unwrap(),
        link_local.to_str().unwrap(),
    ];
    let platform = [("ACEDATACLOUD_PLATFORM_TOKEN", PLATFORM_TOKEN)];
    let output = cli(&sim, &data, &args, &platform).await;
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    let printed = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(!printed.contains('\u{1b}'), "{printed}");
    assert!(printed.contains("bad_file_link"), "{printed}");
    assert!(printed.len() < 10_000, "the long link is not printed");
    let output = cli(&sim, &data, &["history", "--json"], &[]).await;
    let kept = String::from_utf8_lossy(&output.stdout);
    assert!(
        !kept.contains("169.254") && !kept.contains("cdn.example"),
        "{kept}"
    );
    assert!(sim.issued().is_empty(), "no link was sent to the API");
}

#[tokio::test]
async fn a_bare_file_name_among_links_is_a_link_and_a_path_or_file_option_is_a_file() {
    let sim = Simulator::start(SimConfig::default()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "private-demo.wav", &tone_wav(200, 9));
    let data = dir.path().join("data");
    let platform = [("ACEDATACLOUD_PLATFORM_TOKEN", PLATFORM_TOKEN)];

    // A bare name in a list of links, even of a file in this folder, is not sent.
    let args = [
        "upload",
        "--json",
        "https://example.com/a.mp3",
        "private-demo.wav",
    ];
    let output = cli_in(&sim, &data, dir.path(), &args, &platform).await;
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    let lines = json_lines(&output);
    let bare = lines
        .iter()
        .find(|line| line["url"] == "private-demo.wav")
        .unwrap();
    assert_eq!(bare["error"]["code"], "local_file");
    let message = bare["error"]["message"].as_str().unwrap();
    assert!(
        message.contains("--file") && !message.contains("window"),
        "{message}"
    );
    assert!(sim.host_requests().is_empty(), "the file was not sent");
    assert_eq!(sim.issued().len(), 1, "the link went");

    // Written as a path, or given with --file, it is a file.
    for args in [
        &["upload", "./private-demo.wav"][..],
        &["upload", "--file", "private-demo.wav", "--no-history"],
    ] {
        let output = cli_in(&sim, &data, dir.path(), args, &platform).await;
        assert!(output.status.success(), "{args:?}: {output:?}");
    }
    assert_eq!(
        sim.host_requests().len(),
        2,
        "hosted each time (no history the second)"
    );
}

#[tokio::test]
async fn a_refused_token_of_either_kind_exits_3_with_the_commands_own_next_step() {
    let sim = Simulator::start(SimConfig::default()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let wav = write(dir.path(), "verse.wav", &tone_wav(200, 5));
    let data = dir.path().join("data");
    let refused = [("ACEDATACLOUD_PLATFORM_TOKEN", "platform-not-known")];
    let output = cli(&sim, &data, &["upload", wav.to_str().unwrap()], &refused).await;
    assert_eq!(output.status.code(), Some(3), "{output:?}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("producer-upload token set --platform"),
        "{stderr}"
    );

    let expired = [("ACEDATACLOUD_API_TOKEN", "sim-error-token_expired")];
    let output = cli(
        &sim,
        &data,
        &["upload", "https://example.com/a.mp3"],
        &expired,
    )
    .await;
    assert_eq!(output.status.code(), Some(3), "{output:?}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("producer-upload token set"), "{stderr}");
    assert!(!stderr.contains("by themselves"), "{stderr}");
}
