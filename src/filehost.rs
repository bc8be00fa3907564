//! Audio files from this computer: checked before anything is sent, then put on Ace Data Cloud's
//! file host, whose stable link is what the Producer Upload API is given.
//!
//! - [`inspect`] refuses a missing or unreadable file, a folder, a file over [`MAX_FILE_BYTES`]
//!   (the host never answers for those: the connection hangs) and a file whose first bytes are not
//!   audio, without sending anything.
//! - [`content_hash`] reads the file once, in chunks, for the SHA-256 the history dedupes by; a
//!   link hosted before is reused only from a record of the same content and name, hosted
//!   through the same address and not in doubt, and only if it still answers with the same size
//!   ([`FileHost::reusable`]).
//! - [`FileHost::host`] streams the file as `multipart/form-data` (field `file`) to
//!   `POST {platform}/api/v1/files/` with the platform token, reporting bytes sent, and reads the
//!   hosted link from `file_url` (else `url`). The file is never held in memory whole.

use crate::client::{checked_base_url, is_loopback, ClientConfig, ReadError, UploadError};
use crate::client::{describe_body, describe_transport, error_answer, read_limited, retry_after};
use crate::error::{ErrorCode, ErrorReport};
use crate::history::{FileInfo, History};
use crate::preflight::LinkClient;
use crate::preflight::{audio_format, is_local_link};
use crate::retry::RetryPolicy;
use crate::token::PlatformToken;
use crate::tr;
use futures::TryStreamExt;
use reqwest::header::{HeaderMap, HeaderValue, ACCEPT, CONTENT_LENGTH, CONTENT_RANGE, RANGE};
use reqwest::multipart::{Form, Part};
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::io::AsyncReadExt;
use tokio_util::io::ReaderStream;
use url::Url;

/// Ace Data Cloud's platform, where the file host lives.
pub const DEFAULT_PLATFORM_BASE_URL: &str = "https://platform.acedata.cloud";
/// Where platform tokens are made.
pub const PLATFORM_TOKENS_PAGE: &str = "https://platform.acedata.cloud/console/platform-tokens";
/// The largest file the host takes (100 MB); it does not answer for larger ones.
pub const MAX_FILE_BYTES: u64 = 100_000_000;
/// How many first bytes tell audio from anything else.
pub const MAGIC_BYTES: u64 = 16;
/// Bytes read from disk at a time, for hashing and for sending.
const CHUNK_BYTES: usize = 64 * 1024;
/// How long the check of a hosted link before its reuse may take, at most.
const REUSE_CHECK_TIME: Duration = Duration::from_secs(15);
/// The slowest upload speed the time-out allows for, in bytes per second, on top of the
/// configured time-out, so a large file on a slow line is not cut off while a hang still ends.
const SLOWEST_BYTES_PER_SECOND: u64 = 128 * 1024;

/// Why a file on this computer cannot be sent; nothing was sent.
#[derive(Debug, thiserror::Error)]
pub enum FileError {
    /// Nothing is at this path.
    #[error("{} does not exist", .0.display())]
    Missing(PathBuf),
    /// The file is there but cannot be read.
    #[error("{} cannot be read: {source}", .path.display())]
    Unreadable {
        /// The file.
        path: PathBuf,
        /// The system's reason.
        source: io::Error,
    },
    /// The path is a folder.
    #[error("{} is a folder", .0.display())]
    Folder(PathBuf),
    /// The file is larger than [`MAX_FILE_BYTES`].
    #[error("{} is {size} bytes, over the limit", .path.display())]
    TooBig {
        /// The file.
        path: PathBuf,
        /// Its size in bytes.
        size: u64,
    },
    /// The file's first bytes are not those of an audio format.
    #[error("{} is not audio", .0.display())]
    NotAudio(PathBuf),
    /// The file has no bytes at all.
    #[error("{} is empty", .0.display())]
    Empty(PathBuf),
}

impl FileError {
    fn unreadable(path: &Path, source: io::Error) -> Self {
        if source.kind() == io::ErrorKind::NotFound {
            FileError::Missing(path.to_owned())
        } else {
            FileError::Unreadable {
                path: path.to_owned(),
                source,
            }
        }
    }

    /// The error's code.
    pub fn code(&self) -> ErrorCode {
        match self {
            FileError::Missing(_) | FileError::Unreadable { .. } => ErrorCode::FileUnreadable,
            FileError::Folder(_) => ErrorCode::FileIsFolder,
            FileError::TooBig { .. } => ErrorCode::FileTooBig,
            FileError::NotAudio(_) => ErrorCode::NotAudio,
            FileError::Empty(_) => ErrorCode::FileEmpty,
        }
    }

    /// The error as a person or a script sees it.
    pub fn report(&self) -> ErrorReport {
        let report = ErrorReport::from_code(self.code());
        match self {
            FileError::Missing(_) => report.with_words("file-gone", []),
            FileError::TooBig { size, .. } => {
                report.with_words("file-too-big-size", [("size", human_size(*size).into())])
            }
            _ => report,
        }
    }
}

/// A file on this computer that looks like audio and is small enough to host.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LocalAudio {
    /// Where it is.
    pub path: PathBuf,
    /// Its name, as shown and as sent to the host.
    pub file_name: String,
    /// Its size in bytes.
    pub size: u64,
    /// The audio format its first bytes show, such as `WAV`.
    pub format: &'static str,
    /// The media type it is sent with, such as `audio/wav`.
    pub media_type: &'static str,
}

/// Checks a file before anything is sent: it exists, is a file, is at most [`MAX_FILE_BYTES`]
/// and starts like audio. Blocks on the disk briefly (metadata and [`MAGIC_BYTES`]).
pub fn inspect(path: &Path) -> Result<LocalAudio, FileError> {
    let metadata = std::fs::metadata(path).map_err(|error| FileError::unreadable(path, error))?;
    if metadata.is_dir() {
        return Err(FileError::Folder(path.to_owned()));
    }
    let size = metadata.len();
    if size == 0 {
        return Err(FileError::Empty(path.to_owned()));
    }
    if size > MAX_FILE_BYTES {
        return Err(FileError::TooBig {
            path: path.to_owned(),
            size,
        });
    }
    let mut start = Vec::with_capacity(MAGIC_BYTES as usize);
    std::fs::File::open(path)
        .and_then(|file| file.take(MAGIC_BYTES).read_to_end(&mut start))
        .map_err(|error| FileError::unreadable(path, error))?;
    let file_name = path
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_else(|| "audio".to_owned());
    let format = audio_format(&start).ok_or_else(|| FileError::NotAudio(path.to_owned()))?;
    let media_type = media_type(format, &file_name);
    Ok(LocalAudio {
        path: path.to_owned(),
        file_name,
        size,
        format,
        media_type,
    })
}

/// The media type for a format found by its first bytes; MPEG frames are told apart from ADTS
/// (AAC) by the name.
fn media_type(format: &str, file_name: &str) -> &'static str {
    match format {
        "WAV" => "audio/wav",
        "AIFF" => "audio/aiff",
        "FLAC" => "audio/flac",
        "Ogg" => "audio/ogg",
        "M4A" => "audio/mp4",
        _ if file_name.to_ascii_lowercase().ends_with(".aac") => "audio/aac",
        _ => "audio/mpeg",
    }
}

/// The file's SHA-256 as lower-case hex, read in chunks (never whole in memory).
pub async fn content_hash(path: &Path) -> Result<String, FileError> {
    let mut file = tokio::fs::File::open(path)
        .await
        .map_err(|error| FileError::unreadable(path, error))?;
    let mut hasher = Sha256::new();
    let mut buffer = vec![0; CHUNK_BYTES];
    loop {
        let read = file
            .read(&mut buffer)
            .await
            .map_err(|error| FileError::unreadable(path, error))?;
        if read == 0 {
            break;
        }
        hasher.update(&buffer[..read]);
    }
    Ok(format!("{:x}", hasher.finalize()))
}

/// "3.4 MB", as people say sizes.
pub fn human_size(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["bytes", "KB", "MB", "GB"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1000.0 && unit < UNITS.len() - 1 {
        value /= 1000.0;
        unit += 1;
    }
    if unit == 0 {
        tr!("size-bytes", count = bytes)
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}

/// Where the file host is and how patiently to talk to it.
#[derive(Debug, Clone)]
pub struct FileHostConfig {
    /// The platform's base address; `api/v1/files/` is appended to it.
    pub base_url: Url,
    /// Time allowed for a request beyond what the file's size needs at a slow speed.
    pub timeout: Duration,
    /// How transient failures are retried.
    pub retry: RetryPolicy,
}

impl FileHostConfig {
    /// A configuration for `base_url`, which must be `https` (plain `http` only on this
    /// computer), as for the API address.
    pub fn new(base_url: &str) -> Result<Self, ErrorReport> {
        let api = ClientConfig::new(DEFAULT_PLATFORM_BASE_URL).expect("the default address");
        Ok(Self {
            base_url: checked_base_url(base_url, Some("filehost-invalid-address"))?,
            timeout: api.timeout,
            retry: api.retry,
        })
    }

    /// The upload endpoint: `{base}/api/v1/files/`.
    pub fn endpoint(&self) -> Url {
        self.base_url
            .join("api/v1/files/")
            .expect("a relative path joins onto an http(s) base")
    }

    /// The time-out for sending `size` bytes.
    fn timeout_for(&self, size: u64) -> Duration {
        self.timeout + Duration::from_secs(size / SLOWEST_BYTES_PER_SECOND)
    }
}

/// Why a file could not be hosted.
#[derive(Debug, thiserror::Error)]
pub enum HostError {
    /// No platform token is available, so the file cannot be sent.
    #[error("no platform token")]
    TokenMissing,
    /// The file could not be read while it was being sent.
    #[error(transparent)]
    File(#[from] FileError),
    /// The host answered with an error or an unreadable answer, typed like the API's.
    #[error(transparent)]
    Service(#[from] UploadError),
    /// The host could not be reached, or the connection broke before its answer.
    #[error("could not reach the file host: {0}")]
    Network(String),
    /// No answer within the time-out.
    #[error("no answer from the file host within {} s", .0.as_secs())]
    Timeout(Duration),
    /// The host answered with a link that is not kept ([`checked_link`]): nothing is stored.
    #[error("the file host's link was refused (HTTP {status}): {detail}")]
    BadLink {
        /// The HTTP status of the answer.
        status: u16,
        /// What was wrong with the link.
        detail: String,
    },
}

impl HostError {
    /// The error's code.
    pub fn code(&self) -> ErrorCode {
        match self {
            HostError::TokenMissing => ErrorCode::PlatformTokenMissing,
            HostError::File(error) => error.code(),
            HostError::Service(error) => error.code(),
            HostError::Network(_) => ErrorCode::Network,
            HostError::Timeout(_) => ErrorCode::Timeout,
            HostError::BadLink { .. } => ErrorCode::BadFileLink,
        }
    }

    /// Whether sending the file again may help: hosting the same file twice costs nothing, so
    /// every transient failure is retried (rate limits, server failures, broken connections,
    /// time-outs).
    pub fn is_retryable(&self) -> bool {
        match self {
            HostError::Service(error) => {
                error.code().is_retryable() || matches!(error.status(), Some(429 | 500..=504))
            }
            HostError::Network(_) | HostError::Timeout(_) => true,
            HostError::TokenMissing | HostError::File(_) | HostError::BadLink { .. } => false,
        }
    }

    /// The error as a person or a script sees it.
    pub fn report(&self) -> ErrorReport {
        match self {
            HostError::TokenMissing => ErrorReport::from_code(ErrorCode::PlatformTokenMissing),
            HostError::File(error) => error.report(),
            HostError::Service(error) => error.report(),
            HostError::Network(_) | HostError::Timeout(_) => ErrorReport::from_code(self.code()),
            HostError::BadLink { status, detail } => ErrorReport::from_service(
                self.code(),
                None,
                Some(*status),
                Some(format!("HTTP {status}: {detail}")),
            ),
        }
    }
}

/// The final result of hosting a file after any retries.
#[derive(Debug)]
pub struct HostOutcome {
    /// The hosted link, or the last error.
    pub result: Result<Url, HostError>,
    /// Requests made, the first included.
    pub attempts: u32,
}

/// A file from this computer, ready to be sent to the Producer Upload API.
#[derive(Debug, Clone)]
pub struct Hosted {
    /// The file as inspected.
    pub audio: LocalAudio,
    /// Its size, content hash and hosted link, for the history.
    pub file: FileInfo,
    /// The hosted link, to send as `audio_url`.
    pub file_url: Url,
    /// True when the same content was hosted before and its link is reused (nothing was sent).
    pub reused: bool,
    /// Requests made to the file host (0 when reused).
    pub attempts: u32,
}

/// Everything between a path and a link the API can fetch: [`inspect`] (nothing is sent for a
/// refused file), [`content_hash`], then a link the history holds for the same file if one can
/// be reused ([`FileHost::reusable`]: then no token is needed and nothing is sent), else
/// [`FileHost::host`] with the platform token, which must be given by then. Without `history`
/// nothing is reused.
pub async fn prepare_and_host(
    host: &FileHost,
    token: Option<&PlatformToken>,
    history: Option<&History>,
    path: &Path,
    on_sent: impl Fn(u64) + Send + Sync + 'static,
) -> Result<Hosted, HostError> {
    let audio = inspect(path)?;
    let content_hash = content_hash(path).await?;
    let known = match history {
        Some(history) => host.reusable(history, &content_hash, &audio).await,
        None => None,
    };
    let (file_url, reused, attempts) = match known {
        Some(file_url) => (file_url, true, 0),
        None => {
            let token = token.ok_or(HostError::TokenMissing)?;
            let outcome = host.host(token, &audio, on_sent).await;
            (outcome.result?, false, outcome.attempts)
        }
    };
    Ok(Hosted {
        file: FileInfo {
            size: audio.size,
            content_hash,
            file_url: file_url.to_string(),
            file_host: Some(host.address()),
        },
        audio,
        file_url,
        reused,
        attempts,
    })
}

/// The client of Ace Data Cloud's file host. Cheap to clone.
#[derive(Debug, Clone)]
pub struct FileHost {
    http: reqwest::Client,
    endpoint: Url,
    config: FileHostConfig,
    /// Fetches a hosted link to check it before it is reused (never with the token).
    links: LinkClient,
}

impl FileHost {
    /// A client for `config`.
    ///
    /// Panics only if the TLS backend cannot initialise, as `reqwest::Client::new` does.
    pub fn new(config: FileHostConfig) -> Self {
        // Each request gets a time limit that grows with the file's size (`timeout_for`).
        let http = crate::client::token_http(&config.base_url, config.timeout)
            .build()
            .expect("TLS backend initialises");
        Self {
            endpoint: config.endpoint(),
            http,
            config,
            links: LinkClient::new(),
        }
    }

    /// The configuration this client was made with.
    pub fn config(&self) -> &FileHostConfig {
        &self.config
    }

    /// The host's address, as the history keeps it with each link hosted through it.
    pub fn address(&self) -> String {
        self.config.base_url.to_string()
    }

    /// True when the host is on this computer (the simulator).
    fn is_local(&self) -> bool {
        is_loopback(&self.config.base_url)
    }

    /// The link the history holds for this file ([`History::reusable_link`]: the same content
    /// and name, hosted through this address, not in doubt), if it still passes
    /// [`checked_link`] and still answers with the file's size.
    pub async fn reusable(
        &self,
        history: &History,
        content_hash: &str,
        audio: &LocalAudio,
    ) -> Option<Url> {
        let known = history
            .reusable_link(content_hash, &audio.file_name, &self.address())
            .ok()
            .flatten()?;
        let url = checked_link(&known.file_url, self.is_local()).ok()?;
        (known.size == audio.size && self.still_answers(&url, audio.size).await).then_some(url)
    }

    /// True when `url` still answers with a file of `size` bytes: a ranged `GET` of its first
    /// byte, read from `Content-Range` (or `Content-Length` when the range is ignored).
    async fn still_answers(&self, url: &Url, size: u64) -> bool {
        let mut headers = HeaderMap::new();
        headers.insert(RANGE, HeaderValue::from_static("bytes=0-0"));
        let fetch = self.links.get(url, headers, self.is_local());
        let wait = self.config.timeout.min(REUSE_CHECK_TIME);
        let Ok(Ok(response)) = tokio::time::timeout(wait, fetch).await else {
            return false;
        };
        let header = |name| {
            response
                .headers()
                .get(name)
                .and_then(|value: &HeaderValue| value.to_str().ok())
        };
        let total = match response.status().as_u16() {
            206 => header(CONTENT_RANGE)
                .and_then(|range| range.rsplit_once('/'))
                .and_then(|(_, total)| total.trim().parse::<u64>().ok()),
            200 => header(CONTENT_LENGTH).and_then(|length| length.trim().parse().ok()),
            _ => None,
        };
        total == Some(size)
    }

    /// Hosts `audio`, retrying transient failures as the policy allows; `on_sent` hears the
    /// bytes sent so far in the current attempt (it starts again from 0 on a retry). The file is
    /// streamed from disk; dropping the returned future stops the transfer.
    pub async fn host(
        &self,
        token: &PlatformToken,
        audio: &LocalAudio,
        on_sent: impl Fn(u64) + Send + Sync + 'static,
    ) -> HostOutcome {
        let on_sent = Arc::new(on_sent);
        let started = Instant::now();
        let mut attempts = 0;
        loop {
            attempts += 1;
            on_sent(0);
            let file = match tokio::fs::File::open(&audio.path).await {
                Ok(file) => file,
                Err(error) => {
                    let error = FileError::unreadable(&audio.path, error).into();
                    return HostOutcome {
                        result: Err(error),
                        attempts,
                    };
                }
            };
            let result = self
                .host_once(token, audio, file, Arc::clone(&on_sent))
                .await;
            let wait = match &result {
                Err(error) if error.is_retryable() => {
                    let asked = match error {
                        HostError::Service(error) => error.retry_after(),
                        _ => None,
                    };
                    self.config
                        .retry
                        .next_wait(attempts, asked, started.elapsed())
                }
                _ => None,
            };
            match (wait, result) {
                (Some(wait), Err(error)) => {
                    tracing::debug!(file = %audio.file_name, attempts, ?wait, %error, "retrying file");
                    tokio::time::sleep(wait).await;
                }
                (_, result) => return HostOutcome { result, attempts },
            }
        }
    }

    async fn host_once(
        &self,
        token: &PlatformToken,
        audio: &LocalAudio,
        file: tokio::fs::File,
        on_sent: Arc<impl Fn(u64) + Send + Sync + 'static>,
    ) -> Result<Url, HostError> {
        let sent = Arc::new(AtomicU64::new(0));
        let chunks = ReaderStream::with_capacity(file, CHUNK_BYTES).inspect_ok(move |chunk| {
            let total = sent.fetch_add(chunk.len() as u64, Ordering::Relaxed) + chunk.len() as u64;
            on_sent(total);
        });
        let part = Part::stream_with_length(reqwest::Body::wrap_stream(chunks), audio.size)
            .file_name(audio.file_name.clone())
            .mime_str(audio.media_type)
            .expect("audio media types are valid");
        let timeout = self.config.timeout_for(audio.size);
        let response = self
            .http
            .post(self.endpoint.clone())
            .header(ACCEPT, "application/json")
            .bearer_auth(token.expose())
            .timeout(timeout)
            .multipart(Form::new().part("file", part))
            .send()
            .await
            .map_err(|error| transport_error(error, timeout))?;
        let status = response.status().as_u16();
        let retry_after = retry_after(response.headers());
        let body = read_limited(response).await.map_err(|error| match error {
            ReadError::Transport(error) if error.is_timeout() => HostError::Timeout(timeout),
            ReadError::Transport(_) => HostError::Network("the answer was cut off".into()),
            ReadError::TooLarge => HostError::Service(UploadError::BadResponse {
                status,
                detail: "the answer was far too large".into(),
                retry_after,
            }),
        })?;
        parse_answer(
            status,
            &body,
            retry_after,
            is_loopback(&self.config.base_url),
        )
    }
}

fn transport_error(error: reqwest::Error, timeout: Duration) -> HostError {
    if error.is_timeout() {
        HostError::Timeout(timeout)
    } else {
        HostError::Network(describe_transport(&error.without_url()))
    }
}

/// Turns the host's answer into the hosted link or a typed error; never panics on any input.
///
/// The error answer is checked as the API's is ([`error_answer`]); a refused token becomes
/// `platform_token_invalid` (the API token is not concerned), and 413 `file_too_big`. The link
/// must pass [`checked_link`]: `host_is_local` is true when the host itself is on this computer
/// (the simulator), whose links may be plain `http` to this computer.
fn parse_answer(
    status: u16,
    body: &[u8],
    retry_after: Option<Duration>,
    host_is_local: bool,
) -> Result<Url, HostError> {
    if let Some(error) = error_answer(status, body, retry_after) {
        let error = match error {
            UploadError::Api {
                code,
                status,
                service_message,
                trace_id,
                retry_after,
            } if code.is_token_problem() || code == ErrorCode::Disabled => UploadError::Api {
                code: ErrorCode::PlatformTokenInvalid,
                status,
                service_message,
                trace_id,
                retry_after,
            },
            error => error,
        };
        return Err(error.into());
    }
    let bad = |detail: &str| UploadError::BadResponse {
        status,
        detail: detail.to_owned(),
        retry_after,
    };
    if status == 413 {
        return Err(UploadError::Api {
            code: ErrorCode::FileTooBig,
            status,
            service_message: String::new(),
            trace_id: None,
            retry_after,
        }
        .into());
    }
    if !(200..300).contains(&status) {
        return Err(bad(describe_body(body)).into());
    }
    let Ok(value) = serde_json::from_slice::<serde_json::Value>(body) else {
        return Err(bad(describe_body(body)).into());
    };
    let link = ["file_url", "url"]
        .into_iter()
        .find_map(|field| value.get(field).and_then(serde_json::Value::as_str))
        .ok_or_else(|| bad("the answer had no file link"))?;
    checked_link(link, host_is_local).map_err(|detail| HostError::BadLink {
        status,
        detail: detail.to_owned(),
    })
}

/// The longest hosted link kept (2 KiB): real ones are far shorter.
pub const MAX_FILE_URL_BYTES: usize = 2048;

/// The host's link, if it is one to keep, send and fetch later: at most [`MAX_FILE_URL_BYTES`],
/// no control characters, `https` to a public address. Only a host on this computer (the
/// simulator) may answer a plain `http` link, or one to this computer (never the local network).
pub fn checked_link(link: &str, host_is_local: bool) -> Result<Url, &'static str> {
    if link.len() > MAX_FILE_URL_BYTES {
        return Err("the file link is far too long");
    }
    if link.chars().any(char::is_control) {
        return Err("the file link has control characters");
    }
    let url = Url::parse(link)
        .ok()
        .filter(|url| matches!(url.scheme(), "http" | "https") && url.has_host())
        .ok_or("the file link is not a web address")?;
    if url.scheme() != "https" && !host_is_local {
        return Err("the file link is not https");
    }
    if is_local_link(&url) && !(host_is_local && is_loopback(&url)) {
        return Err("the file link points to a private or local address");
    }
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn file_with(name: &str, bytes: &[u8]) -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(name);
        std::fs::File::create(&path)
            .unwrap()
            .write_all(bytes)
            .unwrap();
        (dir, path)
    }

    #[test]
    fn audio_is_known_by_its_first_bytes_not_its_name() {
        let (_dir, path) = file_with("take.txt", b"RIFF\x24\0\0\0WAVEfmt \x10\0\0\0");
        let audio = inspect(&path).unwrap();
        assert_eq!((audio.format, audio.media_type), ("WAV", "audio/wav"));
        assert_eq!(audio.file_name, "take.txt");

        let (_dir, path) = file_with("song.mp3", b"<html><body>not audio</body></html>");
        let error = inspect(&path).unwrap_err();
        assert_eq!(error.code(), ErrorCode::NotAudio);

        // An empty file is not called "not audio": it has its own message.
        let (_dir, path) = file_with("empty.wav", b"");
        let empty = inspect(&path).unwrap_err();
        assert_eq!(empty.code(), ErrorCode::FileEmpty);
        assert!(empty.report().message.starts_with("This file is empty"));

        let (_dir, path) = file_with("beat.aac", &[0xff, 0xf1, 0x50, 0x80]);
        assert_eq!(inspect(&path).unwrap().media_type, "audio/aac");
        let (_dir, path) = file_with("beat.mp3", &[0xff, 0xfb, 0x90, 0x64]);
        assert_eq!(inspect(&path).unwrap().media_type, "audio/mpeg");
    }

    #[test]
    fn folders_missing_and_oversized_files_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(
            inspect(dir.path()).unwrap_err().code(),
            ErrorCode::FileIsFolder
        );
        let missing = inspect(&dir.path().join("gone.wav")).unwrap_err();
        assert_eq!(missing.code(), ErrorCode::FileUnreadable);
        assert!(missing.report().message.contains("moved or deleted"));

        let path = dir.path().join("long.wav");
        let file = std::fs::File::create(&path).unwrap();
        file.set_len(MAX_FILE_BYTES + 1).unwrap();
        let error = inspect(&path).unwrap_err();
        assert_eq!(error.code(), ErrorCode::FileTooBig);
        assert!(
            error.report().message.contains("100.0 MB"),
            "{}",
            error.report().message
        );
    }

    #[tokio::test]
    async fn the_hash_is_the_sha256_of_the_content() {
        let (_dir, path) = file_with("a.wav", b"abc");
        assert_eq!(
            content_hash(&path).await.unwrap(),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn the_hosted_link_is_file_url_else_url() {
        let parsed = parse_answer(
            200,
            br#"{"file_url": "https://cdn.acedata.cloud/a.wav"}"#,
            None,
            false,
        );
        assert_eq!(parsed.unwrap().as_str(), "https://cdn.acedata.cloud/a.wav");
        let parsed = parse_answer(
            201,
            br#"{"url": "https://cdn.acedata.cloud/b.mp3"}"#,
            None,
            false,
        );
        assert_eq!(parsed.unwrap().as_str(), "https://cdn.acedata.cloud/b.mp3");
        for body in [
            &br#"{"link": "https://x/y"}"#[..],
            b"<html>oops</html>",
            b"",
        ] {
            let error = parse_answer(200, body, None, false).unwrap_err();
            assert_eq!(error.code(), ErrorCode::BadResponse, "{body:?}");
        }
        let error = parse_answer(200, br#"{"file_url": "not a link"}"#, None, false);
        assert_eq!(error.unwrap_err().code(), ErrorCode::BadFileLink);
    }

    #[test]
    fn host_errors_are_typed_and_a_refused_token_is_the_platform_token() {
        let body = br#"{"error": {"code": "invalid_token", "message": "m"}, "trace_id": "t9"}"#;
        let error = parse_answer(401, body, None, false).unwrap_err();
        assert_eq!(error.code(), ErrorCode::PlatformTokenInvalid);
        let report = error.report();
        assert_eq!(report.trace_id.as_deref(), Some("t9"));
        assert!(report.message.contains("platform token"));
        let body = br#"{"error": {"code": "api_error", "message": "m"}}"#;
        assert!(parse_answer(500, body, None, false)
            .unwrap_err()
            .is_retryable());
        assert_eq!(
            parse_answer(413, b"too large", None, false)
                .unwrap_err()
                .code(),
            ErrorCode::FileTooBig
        );
        assert!(parse_answer(502, b"<html>bad gateway</html>", None, false)
            .unwrap_err()
            .is_retryable());
    }

    #[test]
    fn only_a_short_https_link_to_a_public_host_is_kept() {
        let long = format!("https://cdn.acedata.cloud/{}.wav", "a".repeat(900_000));
        for link in [
            "http://cdn.acedata.cloud/a.wav",
            "http://169.254.169.254/latest/meta-data",
            "https://169.254.169.254/latest/meta-data",
            "https://192.168.1.1/a.wav",
            "https://[fd00::1]/a.wav",
            "https://cdn.acedata.cloud/a\u{1b}[2J.wav",
            "javascript:alert(1)",
            &long,
        ] {
            assert!(checked_link(link, false).is_err(), "{link:.60}");
        }
        assert!(checked_link("https://cdn.acedata.cloud/a.wav", false).is_ok());
        // The simulator on this computer answers plain http links to itself.
        assert!(checked_link("http://127.0.0.1:8790/cdn/1/a.wav", true).is_ok());
        assert!(checked_link(&long, true).is_err());
        assert!(checked_link("http://169.254.169.254/a.wav", true).is_err());
    }

    #[test]
    fn the_endpoint_is_under_the_platform_address_which_must_be_safe() {
        let config = FileHostConfig::new("https://platform.acedata.cloud").unwrap();
        assert_eq!(
            config.endpoint().as_str(),
            "https://platform.acedata.cloud/api/v1/files/"
        );
        let report = FileHostConfig::new("http://platform.acedata.cloud").unwrap_err();
        assert_eq!(report.code, ErrorCode::InvalidBaseUrl);
        assert!(
            report.message.contains("file host address"),
            "{}",
            report.message
        );
    }

    #[test]
    fn sizes_read_as_people_say_them() {
        assert_eq!(human_size(512), "512 bytes");
        assert_eq!(human_size(3_400_000), "3.4 MB");
    }
}
