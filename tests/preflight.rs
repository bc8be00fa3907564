//! The pre-flight check against real servers on loopback: the simulator's test files and pages,
//! and small hand-written servers for answers the simulator does not give.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use producer_sim::{SimConfig, Simulator};
use producer_upload::preflight::{
    http_client, is_local_link, preflight, LinkClient, PreflightReport, Verdict, SNIFF_LIMIT,
};
use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use url::Url;

const TIMEOUT: Duration = Duration::from_secs(10);

/// Size of the simulator's test tone: a 44-byte WAV header and one second of 8 kHz 16-bit audio.
const TONE_SIZE: u64 = 16_044;

async fn check(url: &str) -> PreflightReport {
    check_within(url, TIMEOUT).await
}

async fn check_within(url: &str, timeout: Duration) -> PreflightReport {
    let url = Url::parse(url).expect("test URLs are valid");
    // The servers here are on this computer, as the API is in the tests.
    preflight(&http_client(), &url, timeout, true).await
}

/// A server on 127.0.0.1 that answers every request with `head` followed by `body`, and keeps the
/// head of every request it got.
struct Canned {
    url: String,
    requests: Arc<Mutex<Vec<String>>>,
    /// Body bytes written so far, over all connections.
    written: Arc<Mutex<usize>>,
}

impl Canned {
    async fn start(head: &str, body: Vec<u8>) -> Canned {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let requests = Arc::new(Mutex::new(Vec::new()));
        let written = Arc::new(Mutex::new(0));
        let head = format!("{head}\r\nconnection: close\r\n\r\n").into_bytes();
        let (seen, count) = (Arc::clone(&requests), Arc::clone(&written));
        tokio::spawn(async move {
            while let Ok((mut stream, _)) = listener.accept().await {
                let mut request = Vec::new();
                let mut buffer = [0; 1024];
                while !request.ends_with(b"\r\n\r\n") {
                    match stream.read(&mut buffer).await {
                        Ok(0) | Err(_) => break,
                        Ok(read) => request.extend_from_slice(&buffer[..read]),
                    }
                }
                seen.lock()
                    .unwrap()
                    .push(String::from_utf8_lossy(&request).into_owned());
                if stream.write_all(&head).await.is_err() {
                    continue;
                }
                for chunk in body.chunks(64 * 1024) {
                    if stream.write_all(chunk).await.is_err() {
                        break;
                    }
                    *count.lock().unwrap() += chunk.len();
                }
            }
        });
        Canned {
            url,
            requests,
            written,
        }
    }

    fn requests(&self) -> Vec<String> {
        self.requests.lock().unwrap().clone()
    }

    fn written(&self) -> usize {
        *self.written.lock().unwrap()
    }
}

#[tokio::test]
async fn audio_files_from_the_simulator_are_audio() {
    let sim = Simulator::start(SimConfig::default()).await.unwrap();

    let report = check(&format!("{}/files/Lead%20Vocal.wav", sim.base_url())).await;
    assert_eq!(
        report,
        PreflightReport {
            verdict: Verdict::Audio,
            status: Some(206),
            content_type: Some("audio/wav".into()),
            size: Some(TONE_SIZE),
            message: "Looks like an audio file (audio/wav, 16 KB).".into(),
        }
    );
    assert!(!report.is_warning());

    let report = check(&format!(
        "{}/files/beat.mp3?X-Amz-Expires=3600",
        sim.base_url()
    ))
    .await;
    assert_eq!(report.verdict, Verdict::Audio);
    assert_eq!(report.content_type.as_deref(), Some("audio/mpeg"));
    assert_eq!(
        report.message,
        "Looks like an audio file (audio/mpeg, 16 KB)."
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn a_missing_file_is_unreachable_with_the_reason() {
    let sim = Simulator::start(SimConfig::default()).await.unwrap();
    let report = check(&format!("{}/files/missing.wav", sim.base_url())).await;
    assert_eq!(report.verdict, Verdict::Unreachable);
    assert_eq!(report.status, Some(404));
    assert!(report.is_warning());
    assert!(
        report
            .message
            .starts_with("There is no file at this link (the server answered 404 Not Found)"),
        "{}",
        report.message
    );
    assert!(report.message.contains("expired"), "{}", report.message);
    sim.shutdown().await;
}

#[tokio::test]
async fn the_drive_virus_scan_page_is_recognised() {
    let sim = Simulator::start(SimConfig::default()).await.unwrap();
    let report = check(&format!(
        "{}/pages/uc?export=download&id=1AbC",
        sim.base_url()
    ))
    .await;
    assert_eq!(report.verdict, Verdict::HtmlPage);
    assert_eq!(report.status, Some(200));
    assert!(report
        .content_type
        .as_deref()
        .is_some_and(|value| value.starts_with("text/html")));
    assert!(report.is_warning());
    assert!(
        report
            .message
            .contains("\"can't scan this file for viruses\" page"),
        "{}",
        report.message
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn the_check_asks_for_the_first_bytes_only() {
    let wav = b"RIFF\x24\x00\x00\x00WAVEfmt ".to_vec();
    let server = Canned::start(
        "HTTP/1.1 206 Partial Content\r\ncontent-type: audio/x-wav\r\ncontent-range: bytes 0-15/1234567\r\ncontent-length: 16",
        wav,
    )
    .await;
    let report = check(&format!("{}/stems/vox.wav", server.url)).await;
    assert_eq!(
        report.message,
        "Looks like an audio file (audio/x-wav, 1.2 MB)."
    );
    let requests = server.requests();
    assert_eq!(requests.len(), 1, "{requests:?}");
    let request = requests[0].to_ascii_lowercase();
    assert!(request.starts_with("get /stems/vox.wav "), "{request}");
    assert!(request.contains("\r\nrange: bytes=0-15\r\n"), "{request}");
}

#[tokio::test]
async fn a_server_that_ignores_the_range_is_not_downloaded() {
    const WHOLE: usize = 64 * 1024 * 1024;
    let mut body = vec![0; WHOLE];
    body[..12].copy_from_slice(b"RIFF\x24\x00\x00\x00WAVE");
    let server = Canned::start(
        &format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/octet-stream\r\ncontent-length: {WHOLE}"
        ),
        body,
    )
    .await;
    let report = check(&format!("{}/download?id=42", server.url)).await;
    assert_eq!(report.verdict, Verdict::Audio);
    assert_eq!(report.size, Some(WHOLE as u64));
    assert_eq!(report.message, "Looks like an audio file (WAV, 67 MB).");
    // Give the server time to notice the closed connection, then check how much it could send:
    // no more than the socket buffers hold.
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert!(
        server.written() < WHOLE / 4,
        "{} bytes were sent, {SNIFF_LIMIT} were wanted",
        server.written()
    );
}

#[tokio::test]
async fn generic_binary_files_are_judged_by_their_name() {
    let server = Canned::start(
        "HTTP/1.1 200 OK\r\ncontent-type: application/octet-stream\r\ncontent-disposition: attachment; filename=\"Vocals Final.flac\"\r\ncontent-length: 4",
        b"\0\0\0\0".to_vec(),
    )
    .await;
    let report = check(&format!("{}/get?token=abc", server.url)).await;
    assert_eq!(report.verdict, Verdict::Audio);
    assert_eq!(report.message, "Looks like an audio file (FLAC, 4 bytes).");

    let server = Canned::start(
        "HTTP/1.1 206 Partial Content\r\ncontent-type: binary/octet-stream\r\ncontent-range: bytes 0-3/8000000",
        b"\0\0\0\0".to_vec(),
    )
    .await;
    let report = check(&format!("{}/bucket/mix.m4a?X-Amz-Signature=ff", server.url)).await;
    assert_eq!(report.message, "Looks like an audio file (M4A, 8.0 MB).");

    let server = Canned::start(
        "HTTP/1.1 206 Partial Content\r\ncontent-type: application/octet-stream\r\ncontent-range: bytes 0-3/8000000",
        b"\0\0\0\0".to_vec(),
    )
    .await;
    let report = check(&format!("{}/objects/7f3a9c", server.url)).await;
    assert_eq!(report.verdict, Verdict::Unknown);
    assert!(!report.is_warning());
    assert!(
        report
            .message
            .contains("the host calls it application/octet-stream"),
        "{}",
        report.message
    );
}

#[tokio::test]
async fn other_files_are_not_audio() {
    let server = Canned::start(
        "HTTP/1.1 200 OK\r\ncontent-type: application/zip\r\ncontent-length: 4",
        b"PK\x03\x04".to_vec(),
    )
    .await;
    let report = check(&format!("{}/scl/fo/abc/h?dl=1", server.url)).await;
    assert_eq!(report.verdict, Verdict::NotAudio);
    assert!(report.is_warning());
    assert!(
        report
            .message
            .starts_with("This link leads to a .zip archive (application/zip), not an audio file."),
        "{}",
        report.message
    );
}

#[tokio::test]
async fn sign_in_pages_and_refusals_are_explained() {
    let page = b"<!doctype html><html><head><title>Sign in to your account</title></head></html>";
    let server = Canned::start(
        &format!(
            "HTTP/1.1 200 OK\r\ncontent-type: text/html; charset=utf-8\r\ncontent-length: {}",
            page.len()
        ),
        page.to_vec(),
    )
    .await;
    let report = check(&server.url).await;
    assert_eq!(report.verdict, Verdict::HtmlPage);
    assert!(
        report.message.starts_with("This link opens a sign-in page"),
        "{}",
        report.message
    );

    let server = Canned::start("HTTP/1.1 403 Forbidden\r\ncontent-length: 0", Vec::new()).await;
    let report = check(&server.url).await;
    assert_eq!(
        (report.verdict.clone(), report.status),
        (Verdict::Unreachable, Some(403))
    );
    assert!(
        report
            .message
            .contains("needs a sign-in, or it has expired"),
        "{}",
        report.message
    );

    let server = Canned::start(
        "HTTP/1.1 503 Service Unavailable\r\ncontent-length: 0",
        Vec::new(),
    )
    .await;
    let report = check(&server.url).await;
    assert_eq!(
        (report.verdict.clone(), report.status),
        (Verdict::Unreachable, Some(503))
    );
    assert!(
        report.message.contains("had a problem"),
        "{}",
        report.message
    );
}

#[tokio::test]
async fn redirects_are_followed_to_the_file() {
    let sim = Simulator::start(SimConfig::default()).await.unwrap();
    let share = Canned::start(
        &format!(
            "HTTP/1.1 302 Found\r\nlocation: {}/files/Bass.wav\r\ncontent-length: 0",
            sim.base_url()
        ),
        Vec::new(),
    )
    .await;
    let report = check(&format!("{}/s/a1b2c3/Bass.wav?dl=1", share.url)).await;
    assert_eq!(report.verdict, Verdict::Audio);
    assert_eq!(report.size, Some(TONE_SIZE));

    let looping = Canned::start(
        "HTTP/1.1 302 Found\r\nlocation: /again\r\ncontent-length: 0",
        Vec::new(),
    )
    .await;
    let report = check(&looping.url).await;
    assert_eq!(
        (report.verdict.clone(), report.status),
        (Verdict::Unreachable, None)
    );
    assert!(
        report.message.contains("without reaching the file"),
        "{}",
        report.message
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn a_refused_connection_is_unreachable() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    let report = check(&format!("http://{addr}/files/take.wav")).await;
    assert_eq!(
        (
            report.verdict.clone(),
            report.status,
            report.content_type.clone(),
            report.size
        ),
        (Verdict::Unreachable, None, None, None)
    );
    assert!(
        report
            .message
            .starts_with("Could not connect to the file's host"),
        "{}",
        report.message
    );
    assert!(report.is_warning());
}

#[tokio::test]
async fn a_server_that_never_answers_times_out() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    // Accept connections and keep them open without a word.
    let silent = tokio::spawn(async move {
        let mut open = Vec::new();
        while let Ok((stream, _)) = listener.accept().await {
            open.push(stream);
        }
    });
    let started = Instant::now();
    let report = check_within(
        &format!("http://{addr}/files/take.wav"),
        Duration::from_millis(300),
    )
    .await;
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "took {:?}",
        started.elapsed()
    );
    assert_eq!(
        (report.verdict.clone(), report.status),
        (Verdict::Unreachable, None)
    );
    assert_eq!(
        report.message,
        "The file's host did not answer within 1 second. Check the link and your internet connection, then try again."
    );
    silent.abort();
}

#[tokio::test]
async fn a_body_that_stalls_is_judged_on_its_headers() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let stalling = tokio::spawn(async move {
        let mut open = Vec::new();
        while let Ok((mut stream, _)) = listener.accept().await {
            let mut buffer = [0; 4096];
            let _ = stream.read(&mut buffer).await;
            let head = "HTTP/1.1 206 Partial Content\r\ncontent-type: audio/flac\r\ncontent-range: bytes 0-15/52428800\r\ncontent-length: 16\r\n\r\n";
            let _ = stream.write_all(head.as_bytes()).await;
            open.push(stream);
        }
    });
    let started = Instant::now();
    let report = check_within(
        &format!("http://{addr}/take.flac"),
        Duration::from_millis(500),
    )
    .await;
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "took {:?}",
        started.elapsed()
    );
    assert_eq!(
        report.message,
        "Looks like an audio file (audio/flac, 52 MB)."
    );
    stalling.abort();
}

#[tokio::test]
async fn links_to_this_computer_are_not_fetched_unless_the_api_is_here_too() {
    let canned = Canned::start(
        "HTTP/1.1 200 OK\r\ncontent-type: audio/wav\r\ncontent-length: 4",
        b"RIFF".to_vec(),
    )
    .await;
    let url = Url::parse(&canned.url).unwrap();
    let report = preflight(&http_client(), &url, TIMEOUT, false).await;
    assert_eq!(report.verdict, Verdict::Unreachable);
    assert!(
        report.message.contains("local network"),
        "{}",
        report.message
    );
    assert!(canned.requests().is_empty(), "nothing was fetched");

    let report = preflight(&http_client(), &url, TIMEOUT, true).await;
    assert_ne!(report.verdict, Verdict::Unreachable, "{}", report.message);
    assert_eq!(canned.requests().len(), 1);
}

#[test]
fn local_links_are_recognised() {
    for local in [
        "http://localhost/a.wav",
        "http://printer/a.wav",
        "http://nas.local/a.wav",
        "http://127.0.0.1:8080/a.wav",
        "http://10.0.0.5/a.wav",
        "http://172.16.3.4/a.wav",
        "http://192.168.1.20/a.wav",
        "http://169.254.169.254/latest/meta-data",
        "http://100.64.0.1/a.wav",
        "http://0.0.0.0/a.wav",
        "http://[::1]/a.wav",
        "http://[fd00::1]/a.wav",
        "http://[fe80::1]/a.wav",
        "http://[::ffff:192.168.0.1]/a.wav",
    ] {
        assert!(is_local_link(&Url::parse(local).unwrap()), "{local}");
    }
    for public in [
        "https://www.dropbox.com/s/a.wav",
        "https://8.8.8.8/a.wav",
        "https://[2001:4860::8888]/a.wav",
        "https://172.32.0.1/a.wav",
    ] {
        assert!(!is_local_link(&Url::parse(public).unwrap()), "{public}");
    }
}

/// The names of a home network, as its router's resolver answers them: each on this computer
/// here (127.0.0.1), as `printer.lan` is on the musician's network. `music.example` also
/// resolves here, standing for a host elsewhere that redirects.
struct HomeNetwork;

impl Resolve for HomeNetwork {
    fn resolve(&self, name: Name) -> Resolving {
        let name = name.as_str().to_ascii_lowercase();
        let known = name.ends_with(".lan")
            || [
                "fritz.box",
                "nas.home.arpa",
                "localhost.localdomain",
                "music.example",
            ]
            .contains(&name.as_str());
        Box::pin(async move {
            if !known {
                return Err(format!("{name} is not a test name").into());
            }
            let here = std::net::SocketAddr::from(([127, 0, 0, 1], 0));
            Ok(Box::new(std::iter::once(here)) as Addrs)
        })
    }
}

const HOME_NAMES: [&str; 5] = [
    "printer.lan",
    "fritz.box",
    "nas.home.arpa",
    "localhost.localdomain",
    "studio-pc.lan",
];

#[tokio::test]
async fn names_that_resolve_to_the_local_network_are_never_fetched_nor_reachable() {
    let sim = Simulator::start(SimConfig::default()).await.unwrap();
    let http = LinkClient::with_resolver(Arc::new(HomeNetwork));
    let port = sim.addr().port();
    let links: Vec<Url> = HOME_NAMES
        .iter()
        .map(|name| Url::parse(&format!("http://{name}:{port}/files/take.wav")).unwrap())
        .collect();
    for url in &links {
        assert!(!is_local_link(url), "{url} looks public by its text alone");
        assert!(http.leads_to_local_network(url).await, "{url}");
        let report = preflight(&http, url, TIMEOUT, false).await;
        assert_eq!(report.verdict, Verdict::Unreachable, "{url}");
        assert!(
            report.message.contains("local network"),
            "{url}: {}",
            report.message
        );
    }
    assert!(sim.file_requests().is_empty(), "nothing was fetched");
    // What the app holds on its row before anything is sent: every one of these hosts.
    let held = http.local_hosts(&links, false).await;
    assert_eq!(held.len(), HOME_NAMES.len(), "{held:?}");
    assert!(http.local_hosts(&links, true).await.is_empty());
    let public = Url::parse("https://www.dropbox.com/s/a/take.wav").unwrap();
    assert!(
        !http.leads_to_local_network(&public).await,
        "unknown names are not held"
    );

    // With the API on this computer (the simulator), they are fetched as any link.
    let report = preflight(&http, &links[0], TIMEOUT, true).await;
    assert_eq!(report.verdict, Verdict::Audio, "{}", report.message);
    assert_eq!(sim.file_requests().len(), 1);
}

#[tokio::test]
async fn a_redirect_to_a_local_name_is_not_followed() {
    let sim = Simulator::start(SimConfig::default()).await.unwrap();
    let http = LinkClient::with_resolver(Arc::new(HomeNetwork));
    let share = Canned::start(
        &format!(
            "HTTP/1.1 302 Found\r\nlocation: http://printer.lan:{}/files/take.wav\r\ncontent-length: 0",
            sim.addr().port()
        ),
        Vec::new(),
    )
    .await;
    let port = Url::parse(&share.url).unwrap().port().unwrap();
    let url = Url::parse(&format!("http://music.example:{port}/s/take.wav")).unwrap();
    // The API on this computer lets the first hop through (it is on loopback here); the
    // redirect from a link elsewhere to the local network is refused whatever the API.
    let report = preflight(&http, &url, TIMEOUT, true).await;
    assert_eq!(report.verdict, Verdict::Unreachable);
    assert!(
        report.message.contains("leads on to this computer"),
        "{}",
        report.message
    );
    assert_eq!(share.requests().len(), 1);
    assert!(
        sim.file_requests().is_empty(),
        "the redirect was not followed"
    );
}
