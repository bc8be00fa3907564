//! A local stand-in for the Producer Upload API, for tests, benchmarks and demos.
//!
//! [`Simulator`] serves `POST /producer/upload` on a loopback port with the service's success and
//! error shapes. Special tokens pick an error (`sim-error-<code>`, `sim-html-error`), and the query
//! of each uploaded link can pick a transport fault (`sim_fault=<kind>`, optionally for only the
//! first `sim_times=<n>` requests of that link). It also serves test files under `/files/` and an
//! HTML interstitial under `/pages/` for the pre-flight check and the audio preview.
//!
//! It is also Ace Data Cloud's file host (`POST /api/v1/files/`, see [`filehost`]'s rules), serving
//! what it stored under the `file_url` it returns.
//!
//! It also makes songs ([`songs`]): `POST /producer/audios` starts an extend or cover task,
//! `POST /producer/tasks` reports on tasks (at most one request a second), and the songs' audio
//! and cover images are served under `/songs/`.
//!
//! It speaks HTTP/1.1 directly over TCP, so faults can cut, drop or stall answers at the byte level.

mod filehost;
mod files;
mod http;
mod rate;
pub mod samples;
mod songs;
mod upload;

use http::{Connection, ReadError, Request, Response};
use rate::TokenBucket;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::net::{Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Notify;
use tokio::task::{JoinHandle, JoinSet};

pub use songs::SongRequestLog;

const UPLOAD_PATH: &str = "/producer/upload";
/// The file host's upload endpoint.
const FILE_HOST_PATH: &str = "/api/v1/files/";
const FILES_PREFIX: &str = "/files/";
const PAGES_PREFIX: &str = "/pages/";
const AUDIOS_PATH: &str = "/producer/audios";
const TASKS_PATH: &str = "/producer/tasks";
const SONGS_PREFIX: &str = "/songs/";

/// How a [`Simulator`] behaves.
#[derive(Debug, Clone)]
pub struct SimConfig {
    /// Tokens answered with success (default: `sim-token`).
    pub accepted_tokens: Vec<String>,
    /// Platform tokens the file host accepts (default: `platform-sim-token`).
    pub accepted_platform_tokens: Vec<String>,
    /// Delay before every `/producer/upload` answer (default: none).
    pub latency: Duration,
    /// Limit on upload requests; over it they get 429 `too_many_requests` (default: none).
    pub rate_limit: Option<RateLimit>,
    /// File to which one JSON line ([`IssuedId`]) is appended per issued `audio_id`, written
    /// before the answer carrying that id is sent.
    pub issued_log: Option<PathBuf>,
    /// How long a song task takes from its request to its songs (default 8 s): pending for the
    /// first quarter, then processing with progress and a preview link.
    pub song_time: Duration,
    /// Requests to `/producer/tasks` allowed per second, as the service allows (default 1);
    /// faster ones get 429 with `Retry-After`.
    pub tasks_per_second: f64,
}

impl Default for SimConfig {
    fn default() -> Self {
        Self {
            accepted_tokens: vec!["sim-token".into()],
            accepted_platform_tokens: vec!["platform-sim-token".into()],
            latency: Duration::ZERO,
            rate_limit: None,
            issued_log: None,
            song_time: Duration::from_secs(8),
            tasks_per_second: 1.0,
        }
    }
}

/// A token bucket: `burst` uploads at once, refilled at `per_second`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RateLimit {
    /// Sustained uploads per second; must be positive.
    pub per_second: f64,
    /// Uploads allowed at once; at least 1.
    pub burst: u32,
}

/// An `audio_id` the simulator handed out, and the link it was issued for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssuedId {
    /// The id, as sent in `data.audio_id`.
    pub audio_id: String,
    /// The `audio_url` of the request it answered, as sent.
    pub audio_url: String,
}

/// A request to `/producer/upload`, exactly as received.
#[derive(Debug, Clone)]
pub struct RecordedRequest {
    /// The method, such as `POST`.
    pub method: String,
    /// The request target: path and query.
    pub path: String,
    /// Headers with lower-case names, in the order received.
    pub headers: Vec<(String, String)>,
    /// The body bytes.
    pub body: Vec<u8>,
}

impl RecordedRequest {
    /// The first header called `name` (lower case), if it was sent.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }
}

/// A file the file host stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostedFile {
    /// The link it is served under, as returned to the uploader.
    pub file_url: String,
    /// The file name sent with it.
    pub file_name: String,
    /// The media type sent with it.
    pub content_type: String,
    /// Its size in bytes, as received.
    pub size: u64,
    /// Where the simulator keeps it.
    pub path: PathBuf,
    id: String,
}

/// A running simulator on a loopback port. Dropping it stops it; [`Simulator::shutdown`] also
/// waits until every connection is closed.
pub struct Simulator {
    addr: SocketAddr,
    state: Arc<State>,
    stop: Arc<Notify>,
    task: JoinHandle<()>,
}

impl Simulator {
    /// Starts on a free port of 127.0.0.1.
    pub async fn start(config: SimConfig) -> io::Result<Simulator> {
        Self::start_on(SocketAddr::from((Ipv4Addr::LOCALHOST, 0)), config).await
    }

    /// Starts on `addr`, which must be a loopback address (port 0 picks a free port).
    ///
    /// Fails with [`io::ErrorKind::InvalidInput`] for any other address, for a rate limit that is
    /// not positive, and when the issued log cannot be opened.
    pub async fn start_on(addr: SocketAddr, config: SimConfig) -> io::Result<Simulator> {
        if !addr.ip().is_loopback() {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!(
                    "the simulator only listens on loopback addresses, not {}",
                    addr.ip()
                ),
            ));
        }
        let listener = TcpListener::bind(addr).await?;
        let addr = listener.local_addr()?;
        let state = Arc::new(State::new(config, addr)?);
        let stop = Arc::new(Notify::new());
        let task = tokio::spawn(accept_loop(listener, Arc::clone(&state), Arc::clone(&stop)));
        Ok(Simulator {
            addr,
            state,
            stop,
            task,
        })
    }

    /// The address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Its base URL, such as `http://127.0.0.1:8790`, without a trailing slash.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Every `audio_id` handed out so far, in order.
    pub fn issued(&self) -> Vec<IssuedId> {
        lock(&self.state.issued).clone()
    }

    /// The most upload requests answered at the same time since the start or the last call
    /// (each counted from its arrival to its answer, latency included): a client's
    /// concurrency as the service sees it.
    pub fn most_at_once(&self) -> usize {
        let mut at_once = lock(&self.state.at_once);
        let now = at_once.now;
        std::mem::replace(&mut at_once.most, now)
    }

    /// Every request to `/producer/upload` so far, in the order received.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        lock(&self.state.requests).clone()
    }

    /// The targets of every request for a test file or page (`/files/`, `/pages/`) so far, in
    /// the order received: what the link check and the preview fetched.
    pub fn file_requests(&self) -> Vec<String> {
        lock(&self.state.file_requests).clone()
    }

    /// Every request to the file host so far, in the order received (bodies are not kept).
    pub fn host_requests(&self) -> Vec<RecordedRequest> {
        lock(&self.state.host_requests).clone()
    }

    /// Every file the file host accepted, in order.
    pub fn hosted_files(&self) -> Vec<HostedFile> {
        lock(&self.state.hosted).clone()
    }

    /// Every request to `/producer/audios` and `/producer/tasks` so far, in the order received,
    /// with when it came and the status of its answer.
    pub fn song_requests(&self) -> Vec<SongRequestLog> {
        lock(&self.state.songs).log.clone()
    }

    /// The bytes served for a generated song's audio (an MP3 file), if the song exists.
    pub fn song_audio(&self, song_id: &str) -> Option<Vec<u8>> {
        lock(&self.state.songs).audio(song_id)
    }

    /// Stops accepting connections, closes the open ones (including hanging answers) and waits
    /// until all are closed.
    pub async fn shutdown(mut self) {
        self.stop.notify_one();
        // The accept loop does not panic; an error here could only be a cancellation.
        let _ = (&mut self.task).await;
    }
}

impl Drop for Simulator {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl std::fmt::Debug for Simulator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Simulator")
            .field("addr", &self.addr)
            .finish_non_exhaustive()
    }
}

/// What an answer to one request is.
enum Reply {
    /// Send this answer.
    Send(Response),
    /// Send this answer's head and half its body, then close.
    Cut(Response),
    /// Close without answering.
    Drop,
    /// Never answer; wait for the client to give up.
    Hang,
}

/// What all connections share.
struct State {
    config: SimConfig,
    bucket: Option<Mutex<TokenBucket>>,
    issued_log: Option<File>,
    issued: Mutex<Vec<IssuedId>>,
    requests: Mutex<Vec<RecordedRequest>>,
    /// Upload requests seen per `audio_url` that names a fault, for `sim_times`.
    fault_counts: Mutex<HashMap<String, u64>>,
    host_requests: Mutex<Vec<RecordedRequest>>,
    file_requests: Mutex<Vec<String>>,
    hosted: Mutex<Vec<HostedFile>>,
    /// Upload requests being answered now, and the most there have been at once.
    at_once: Mutex<AtOnce>,
    storage: Storage,
    /// Song tasks, the songs made, the request log and the tasks endpoint's rate limit.
    songs: Mutex<songs::Songs>,
    /// The address it listens on, for the links in its answers.
    addr: SocketAddr,
}

/// Upload requests being answered now, and the most there have been at once.
#[derive(Debug, Default, Clone, Copy)]
struct AtOnce {
    now: usize,
    most: usize,
}

/// One upload request being answered: counted in [`AtOnce`] until dropped.
struct Answering<'a>(&'a State);

impl<'a> Answering<'a> {
    fn start(state: &'a State) -> Self {
        let mut at_once = lock(&state.at_once);
        at_once.now += 1;
        at_once.most = at_once.most.max(at_once.now);
        Self(state)
    }
}

impl Drop for Answering<'_> {
    fn drop(&mut self) {
        lock(&self.0.at_once).now -= 1;
    }
}

/// The folder the file host stores into, removed with the simulator.
struct Storage {
    dir: PathBuf,
}

impl Storage {
    fn create() -> io::Result<Self> {
        let dir = std::env::temp_dir().join(format!("producer-sim-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&dir)?;
        Ok(Self { dir })
    }
}

impl Drop for Storage {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

impl State {
    fn new(config: SimConfig, addr: SocketAddr) -> io::Result<Self> {
        if !(config.tasks_per_second.is_finite() && config.tasks_per_second > 0.0) {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "the tasks rate must be a positive number of requests per second",
            ));
        }
        let bucket = match config.rate_limit {
            Some(limit) if !(limit.per_second.is_finite() && limit.per_second > 0.0) => {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidInput,
                    "the rate limit must be a positive number of requests per second",
                ))
            }
            Some(limit) if limit.burst == 0 => {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidInput,
                    "the rate limit burst must be at least 1",
                ))
            }
            Some(limit) => Some(Mutex::new(TokenBucket::new(limit, Instant::now()))),
            None => None,
        };
        let issued_log = match &config.issued_log {
            Some(path) => Some(OpenOptions::new().create(true).append(true).open(path)?),
            None => None,
        };
        let songs = Mutex::new(songs::Songs::new(config.tasks_per_second));
        Ok(Self {
            config,
            bucket,
            issued_log,
            issued: Mutex::default(),
            requests: Mutex::default(),
            fault_counts: Mutex::default(),
            host_requests: Mutex::default(),
            file_requests: Mutex::default(),
            hosted: Mutex::default(),
            at_once: Mutex::default(),
            storage: Storage::create()?,
            songs,
            addr,
        })
    }

    /// Writes the id to the issued log (if any), then records it.
    fn record_issued(&self, issued: IssuedId) -> io::Result<()> {
        let mut all = lock(&self.issued);
        if let Some(mut log) = self.issued_log.as_ref() {
            let mut line = serde_json::to_vec(&issued)?;
            line.push(b'\n');
            log.write_all(&line)?;
            log.flush()?;
        }
        all.push(issued);
        Ok(())
    }

    /// Counts one more request for a link that names a fault, and tells whether the fault still
    /// applies (it stops after `times` requests, if given).
    fn fault_applies(&self, audio_url: &str, times: Option<u64>) -> bool {
        let mut counts = lock(&self.fault_counts);
        let seen = counts.entry(audio_url.to_owned()).or_insert(0);
        *seen += 1;
        times.is_none_or(|times| *seen <= times)
    }
}

/// Locks a mutex; a panic elsewhere while it was held leaves plain data that is still usable.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// A documented error code's answer; codes the service does not document get 400.
fn error(code: &str) -> Response {
    let (status, message) = match code {
        "bad_request" => (400, "The request is malformed."),
        "no_token" => (400, "No token was provided."),
        "disabled" => (400, "This token or account is disabled."),
        "api_not_implemented" => (400, "This API is not implemented."),
        "token_mismatched" => (401, "This token does not belong to this API."),
        "invalid_token" => (401, "The token is invalid."),
        "token_expired" => (401, "The token has expired."),
        "used_up" => (403, "The balance of this account is used up."),
        "no_api" => (404, "No API matches this request."),
        "too_many_requests" => (429, "Too many requests; slow down."),
        "api_error" => (500, "The API failed to process the request."),
        _ => (400, "Simulated error."),
    };
    api_error(status, code, message)
}

/// The service's JSON error shape, with a fresh trace id.
fn api_error(status: u16, code: &str, message: &str) -> Response {
    Response::json(
        status,
        &serde_json::json!({
            "error": { "code": code, "message": message },
            "trace_id": uuid::Uuid::new_v4().to_string(),
        }),
    )
}

async fn accept_loop(listener: TcpListener, state: Arc<State>, stop: Arc<Notify>) {
    let mut connections = JoinSet::new();
    loop {
        tokio::select! {
            () = stop.notified() => break,
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => {
                    connections.spawn(serve(stream, Arc::clone(&state)));
                }
                Err(err) => {
                    // Usually out of file descriptors: give the open connections time to finish.
                    tracing::warn!("accept failed: {err}");
                    tokio::time::sleep(Duration::from_millis(10)).await;
                }
            },
            Some(_) = connections.join_next() => {}
        }
    }
    drop(listener);
    connections.shutdown().await;
}

/// Serves the requests of one connection until either side closes it.
async fn serve(stream: TcpStream, state: Arc<State>) {
    let mut connection = Connection::new(stream);
    loop {
        let request = match connection.read_request().await {
            Ok(request) => request,
            Err(ReadError::Closed) => return,
            Err(ReadError::Rejected(response)) => {
                tracing::info!("unreadable request -> {}", response.status);
                // The connection is closed right after, whether this arrives or not.
                let _ = connection.send(&response, true, true).await;
                return;
            }
        };
        let reply = if request.streamed {
            filehost::receive(&state, &request, &mut connection).await
        } else {
            route(&state, &request).await
        };
        // A body left unread cannot be skipped: the connection ends with this answer.
        let keep_alive = request.keep_alive && !connection.has_unread_body();
        let line = format!("{} {}", request.method, request.path());
        match reply {
            Reply::Send(response) => {
                tracing::info!("{line} -> {}", response.status);
                let with_body = request.method != "HEAD";
                let sent = connection.send(&response, with_body, !keep_alive).await;
                if sent.is_err() || !keep_alive {
                    return;
                }
            }
            Reply::Cut(response) => {
                tracing::info!("{line} -> {} cut short", response.status);
                // The connection is closed right after, whether this arrives or not.
                let _ = connection.send_cut(&response).await;
                return;
            }
            Reply::Drop => {
                tracing::info!("{line} -> dropped without an answer");
                return;
            }
            Reply::Hang => {
                tracing::info!("{line} -> hanging until the client gives up");
                connection.wait_for_close().await;
                return;
            }
        }
    }
}

/// Picks the answer for a request by method and path.
async fn route(state: &State, request: &Request) -> Reply {
    let method = request.method.as_str();
    let path = request.path();
    if path.starts_with(FILES_PREFIX) || path.starts_with(PAGES_PREFIX) {
        lock(&state.file_requests).push(request.target.clone());
    }
    if path == UPLOAD_PATH {
        lock(&state.requests).push(RecordedRequest {
            method: request.method.clone(),
            path: request.target.clone(),
            headers: request.headers.clone(),
            body: request.body.clone(),
        });
        if method == "POST" {
            return upload::upload(state, request).await;
        }
    } else if path == AUDIOS_PATH || path == TASKS_PATH {
        if method == "POST" {
            return songs::answer(state, request).await;
        }
    } else if let Some(name) = path.strip_prefix(SONGS_PREFIX) {
        if method == "GET" {
            return Reply::Send(songs::serve(state, name));
        }
    } else if let Some(name) = path.strip_prefix(FILES_PREFIX) {
        match method {
            "GET" => return Reply::Send(files::get(name, request.header("range"))),
            "HEAD" => return Reply::Send(files::head_refused()),
            _ => {}
        }
    } else if let Some(rest) = path.strip_prefix(filehost::CDN_PREFIX) {
        if method == "GET" {
            return Reply::Send(filehost::serve_hosted(state, rest, request.header("range")));
        }
    } else if path.starts_with(PAGES_PREFIX) && matches!(method, "GET" | "HEAD") {
        return Reply::Send(files::virus_scan_page());
    }
    Reply::Send(error("no_api"))
}
