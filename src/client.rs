//! The Producer Upload API client: one link in, one `audio_id` (or a typed error) out.

use crate::error::{ErrorCode, ErrorReport};
use crate::retry::{parse_retry_after, RetryPolicy};
use crate::token::ApiToken;
use reqwest::header::{HeaderMap, ACCEPT, CONTENT_TYPE, RETRY_AFTER};
use serde::Deserialize;
use std::net::IpAddr;
use std::time::{Duration, Instant, SystemTime};
use url::Url;

/// The real service.
pub const DEFAULT_BASE_URL: &str = "https://api.acedata.cloud";

/// Answers larger than this are not read to the end: no real answer comes near it.
const MAX_BODY_BYTES: usize = 1024 * 1024;

/// Where to send uploads and how patiently.
#[derive(Debug, Clone)]
pub struct ClientConfig {
    /// The API's base address; `producer/upload` is appended to it.
    pub base_url: Url,
    /// Time allowed for one request, from sending to the end of the answer.
    pub timeout: Duration,
    /// How transient failures are retried.
    pub retry: RetryPolicy,
}

impl ClientConfig {
    /// Default time-out for one request.
    pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);

    /// A configuration for `base_url`, which must be `https` (plain `http` only on this
    /// computer, as the simulator is), so the token is never sent in the clear.
    pub fn new(base_url: &str) -> Result<Self, ErrorReport> {
        let invalid = |why: &str| {
            let code = ErrorCode::InvalidBaseUrl;
            let message = format!("{} ({why})", code.user_message());
            ErrorReport::from_code(code).with_message(message)
        };
        let mut url = Url::parse(base_url.trim()).map_err(|_| invalid("not a web address"))?;
        let loopback = match url.host() {
            Some(url::Host::Domain(domain)) => domain.eq_ignore_ascii_case("localhost"),
            Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
            Some(url::Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
            None => return Err(invalid("no host name")),
        };
        match url.scheme() {
            "https" => {}
            "http" if loopback => {}
            "http" => return Err(invalid("plain http would send your token unencrypted")),
            _ => return Err(invalid("it must start with https://")),
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err(invalid("it must not contain a user name or password"));
        }
        url.set_query(None);
        url.set_fragment(None);
        if !url.path().ends_with('/') {
            let path = format!("{}/", url.path());
            url.set_path(&path);
        }
        Ok(Self {
            base_url: url,
            timeout: Self::DEFAULT_TIMEOUT,
            retry: RetryPolicy::default(),
        })
    }

    /// The upload endpoint: `{base}/producer/upload`, whether or not the base ends in `/`.
    pub fn endpoint(&self) -> Url {
        self.base_url
            .join("producer/upload")
            .expect("a relative path joins onto an http(s) base")
    }
}

/// What the service returned for a successful upload.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Uploaded {
    /// The id to use as reference audio in the music-generation API.
    pub audio_id: String,
    /// The service's task id, when it sends one.
    pub task_id: Option<String>,
    /// The service's hosted copy of the audio, when it sends one.
    pub hosted_audio_url: Option<String>,
    /// Lyrics the service found, when it sends them.
    pub lyric: Option<String>,
}

/// Why one upload attempt failed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum UploadError {
    /// The service answered with one of its error codes.
    #[error("the service answered {code} (HTTP {status}): {service_message}")]
    Api {
        code: ErrorCode,
        status: u16,
        service_message: String,
        trace_id: Option<String>,
        retry_after: Option<Duration>,
    },
    /// The answer was not the JSON the service promises.
    #[error("unreadable answer (HTTP {status}): {detail}")]
    BadResponse {
        status: u16,
        detail: String,
        retry_after: Option<Duration>,
    },
    /// The service could not be reached, or the connection broke before an answer.
    #[error("could not reach the service: {0}")]
    Network(String),
    /// No answer within the time-out.
    #[error("no answer within {} s", .0.as_secs_f32())]
    Timeout(Duration),
}

impl UploadError {
    /// The error's code.
    pub fn code(&self) -> ErrorCode {
        match self {
            UploadError::Api { code, .. } => code.clone(),
            UploadError::BadResponse { .. } => ErrorCode::BadResponse,
            UploadError::Network(_) => ErrorCode::Network,
            UploadError::Timeout(_) => ErrorCode::Timeout,
        }
    }

    /// HTTP status of the answer, if one came.
    pub fn status(&self) -> Option<u16> {
        match self {
            UploadError::Api { status, .. } | UploadError::BadResponse { status, .. } => {
                Some(*status)
            }
            UploadError::Network(_) | UploadError::Timeout(_) => None,
        }
    }

    /// The service's trace id, for support.
    pub fn trace_id(&self) -> Option<&str> {
        match self {
            UploadError::Api { trace_id, .. } => trace_id.as_deref(),
            _ => None,
        }
    }

    /// How long the service asked us to wait, if it did.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            UploadError::Api { retry_after, .. } | UploadError::BadResponse { retry_after, .. } => {
                *retry_after
            }
            _ => None,
        }
    }

    /// Whether the same request may succeed later: rate limits, server failures (500, 502,
    /// 503, 504), broken connections and time-outs.
    pub fn is_retryable(&self) -> bool {
        match self {
            UploadError::BadResponse { status, .. } => matches!(status, 429 | 500 | 502..=504),
            other => other.code().is_retryable(),
        }
    }

    /// True for a rate limit (429), so callers can say "waiting for the rate limit".
    pub fn is_rate_limited(&self) -> bool {
        self.status() == Some(429)
    }

    /// The error as a person or a script sees it.
    pub fn report(&self) -> ErrorReport {
        let code = self.code();
        let mut message = code.user_message();
        match self {
            UploadError::BadResponse { status, detail, .. } => {
                message.push_str(&format!(" (HTTP {status}: {detail})"));
            }
            UploadError::Api {
                code: ErrorCode::Unknown(_),
                status,
                ..
            } => message.push_str(&format!(" (HTTP {status}, code {code})")),
            _ => {}
        }
        ErrorReport {
            message,
            trace_id: self.trace_id().map(str::to_owned),
            retryable: self.is_retryable(),
            status: self.status(),
            code,
        }
    }
}

/// The final result of an upload after any retries.
#[derive(Debug, Clone, PartialEq)]
pub struct UploadOutcome {
    /// The `audio_id` or the last error.
    pub result: Result<Uploaded, UploadError>,
    /// Attempts made, the first included.
    pub attempts: u32,
}

/// Where one upload stands, for a progress display.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum Progress {
    /// Waiting for a free slot under the concurrency limit.
    Queued,
    /// A request is on its way (attempt 1 is the first).
    Uploading { attempt: u32 },
    /// Waiting before trying again.
    Waiting {
        /// Whole seconds to wait, rounded up.
        seconds: u64,
        /// True when the service's rate limit is the reason.
        rate_limited: bool,
        /// The code of the failure being retried.
        code: String,
    },
}

/// The Producer Upload API client. Cheap to clone; clones share one connection pool.
#[derive(Debug, Clone)]
pub struct Client {
    http: reqwest::Client,
    endpoint: Url,
    config: ClientConfig,
}

#[derive(Deserialize)]
struct SuccessBody {
    data: SuccessData,
    task_id: Option<String>,
}

#[derive(Deserialize)]
struct SuccessData {
    audio_id: String,
    audio_url: Option<String>,
    lyric: Option<String>,
}

#[derive(Deserialize)]
struct ErrorBody {
    error: ErrorDetail,
    trace_id: Option<String>,
}

#[derive(Deserialize)]
struct ErrorDetail {
    code: String,
    #[serde(default)]
    message: String,
}

impl Client {
    /// A client for `config`.
    ///
    /// Panics only if the TLS backend cannot initialise, as `reqwest::Client::new` does.
    pub fn new(config: ClientConfig) -> Self {
        let http = reqwest::Client::builder()
            .timeout(config.timeout)
            .connect_timeout(config.timeout.min(Duration::from_secs(15)))
            // Never follow a redirect with the token to somewhere else.
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("producer-uploader/", env!("CARGO_PKG_VERSION")))
            .build()
            .expect("TLS backend initialises");
        Self {
            endpoint: config.endpoint(),
            http,
            config,
        }
    }

    /// The configuration this client was made with.
    pub fn config(&self) -> &ClientConfig {
        &self.config
    }

    /// One attempt to upload `audio_url`, without retries.
    async fn upload_once(
        &self,
        token: &ApiToken,
        audio_url: &Url,
    ) -> Result<Uploaded, UploadError> {
        let response = self
            .http
            .post(self.endpoint.clone())
            .header(ACCEPT, "application/json")
            .header(CONTENT_TYPE, "application/json")
            .bearer_auth(token.expose())
            .body(serde_json::json!({ "audio_url": audio_url.as_str() }).to_string())
            .send()
            .await
            .map_err(|error| self.transport_error(error))?;
        let status = response.status().as_u16();
        let retry_after = retry_after(response.headers());
        let body = read_limited(response).await.map_err(|error| match error {
            ReadError::Transport(error) if error.is_timeout() => {
                UploadError::Timeout(self.config.timeout)
            }
            ReadError::Transport(_) => UploadError::BadResponse {
                status,
                detail: "the answer was cut off".into(),
                retry_after,
            },
            ReadError::TooLarge => UploadError::BadResponse {
                status,
                detail: "the answer was far too large".into(),
                retry_after,
            },
        })?;
        parse_answer(status, &body, retry_after)
    }

    /// Uploads `audio_url`, retrying transient failures as the policy allows. `on_progress`
    /// hears of each attempt as it starts and of each wait before it starts.
    pub async fn upload(
        &self,
        token: &ApiToken,
        audio_url: &Url,
        mut on_progress: impl FnMut(Progress),
    ) -> UploadOutcome {
        let started = Instant::now();
        let (mut attempts, mut failures, mut rate_limit_waits) = (0, 0, 0);
        loop {
            attempts += 1;
            on_progress(Progress::Uploading { attempt: attempts });
            let result = self.upload_once(token, audio_url).await;
            let policy = &self.config.retry;
            let wait = match &result {
                Err(error) if error.is_rate_limited() => {
                    rate_limit_waits += 1;
                    policy.next_rate_limit_wait(
                        rate_limit_waits - 1,
                        error.retry_after(),
                        started.elapsed(),
                    )
                }
                Err(error) if error.is_retryable() => {
                    failures += 1;
                    policy.next_wait(failures, error.retry_after(), started.elapsed())
                }
                _ => None,
            };
            match (wait, result) {
                (Some(wait), Err(error)) => {
                    tracing::debug!(%audio_url, attempts, ?wait, %error, "retrying upload");
                    on_progress(Progress::Waiting {
                        seconds: wait.as_secs_f64().ceil() as u64,
                        rate_limited: error.is_rate_limited(),
                        code: error.code().as_str().to_owned(),
                    });
                    tokio::time::sleep(wait).await;
                }
                (_, result) => return UploadOutcome { result, attempts },
            }
        }
    }

    fn transport_error(&self, error: reqwest::Error) -> UploadError {
        if error.is_timeout() {
            UploadError::Timeout(self.config.timeout)
        } else {
            // Without the URL: the error stays short and about the connection.
            UploadError::Network(describe_transport(&error.without_url()))
        }
    }
}

pub(crate) enum ReadError {
    Transport(reqwest::Error),
    TooLarge,
}

pub(crate) async fn read_limited(mut response: reqwest::Response) -> Result<Vec<u8>, ReadError> {
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(ReadError::Transport)? {
        if body.len() + chunk.len() > MAX_BODY_BYTES {
            return Err(ReadError::TooLarge);
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

pub(crate) fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?;
    parse_retry_after(value, SystemTime::now())
}

/// The innermost cause of a transport error, which names what actually went wrong.
pub(crate) fn describe_transport(error: &reqwest::Error) -> String {
    let mut source: &dyn std::error::Error = error;
    while let Some(inner) = source.source() {
        source = inner;
    }
    source.to_string()
}

/// Turns an answer into an upload or a typed error; never panics on any input.
fn parse_answer(
    status: u16,
    body: &[u8],
    retry_after: Option<Duration>,
) -> Result<Uploaded, UploadError> {
    if let Ok(ErrorBody { error, trace_id }) = serde_json::from_slice::<ErrorBody>(body) {
        return Err(UploadError::Api {
            code: ErrorCode::from_api(&error.code),
            status,
            service_message: error.message,
            trace_id: trace_id.filter(|id| !id.is_empty()),
            retry_after,
        });
    }
    let bad = |detail: &str| UploadError::BadResponse {
        status,
        detail: detail.to_owned(),
        retry_after,
    };
    if !(200..300).contains(&status) {
        return Err(bad(describe_body(body)));
    }
    match serde_json::from_slice::<SuccessBody>(body) {
        Ok(SuccessBody { data, task_id }) if !data.audio_id.trim().is_empty() => Ok(Uploaded {
            audio_id: data.audio_id,
            task_id,
            hosted_audio_url: data.audio_url.filter(|url| !url.is_empty()),
            lyric: data.lyric.filter(|lyric| !lyric.is_empty()),
        }),
        Ok(_) => Err(bad("the answer had an empty audio id")),
        Err(_) if serde_json::from_slice::<serde_json::Value>(body).is_ok() => {
            Err(bad("the answer had no audio id"))
        }
        Err(_) => Err(bad(describe_body(body))),
    }
}

/// A few plain words on what an unreadable body was.
pub(crate) fn describe_body(body: &[u8]) -> &'static str {
    let text = String::from_utf8_lossy(&body[..body.len().min(512)]).to_ascii_lowercase();
    let text = text.trim_start();
    if body.is_empty() {
        "an empty answer"
    } else if text.starts_with("<!doctype html")
        || text.starts_with("<html")
        || text.contains("<body")
    {
        "a web page instead of data"
    } else if text.starts_with('{') || text.starts_with('[') {
        "incomplete or unexpected data"
    } else {
        "text instead of data"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoint_ignores_a_trailing_slash_and_keeps_a_prefix() {
        for base in ["https://api.acedata.cloud", "https://api.acedata.cloud/"] {
            let config = ClientConfig::new(base).unwrap();
            assert_eq!(
                config.endpoint().as_str(),
                "https://api.acedata.cloud/producer/upload"
            );
        }
        let config = ClientConfig::new("https://proxy.example/ace").unwrap();
        assert_eq!(
            config.endpoint().as_str(),
            "https://proxy.example/ace/producer/upload"
        );
    }

    #[test]
    fn token_is_only_sent_over_https_or_to_this_computer() {
        for ok in [
            "https://api.acedata.cloud",
            "http://127.0.0.1:8790",
            "http://localhost:8790/",
            "http://[::1]:8790",
        ] {
            assert!(ClientConfig::new(ok).is_ok(), "{ok}");
        }
        for bad in [
            "http://api.acedata.cloud",
            "http://192.168.1.2:8790",
            "ftp://api.acedata.cloud",
            "api.acedata.cloud",
            "",
            "https://user:pass@api.acedata.cloud",
        ] {
            let report = ClientConfig::new(bad).unwrap_err();
            assert_eq!(report.code, ErrorCode::InvalidBaseUrl, "{bad}");
            assert!(report.message.contains("https://"), "{}", report.message);
        }
    }

    #[test]
    fn success_is_parsed_tolerantly() {
        let minimal =
            br#"{"data": {"audio_id": "eae26f89-b64b-404d-a80c-761996660b1c"}, "success": true}"#;
        let uploaded = parse_answer(200, minimal, None).unwrap();
        assert_eq!(uploaded.audio_id, "eae26f89-b64b-404d-a80c-761996660b1c");
        assert_eq!(uploaded.task_id, None);

        let rich = br#"{"success": true, "task_id": "t1", "new": [1],
            "data": {"audio_id": "a1", "audio_url": "https://cdn/x.mp3", "lyric": "la", "more": {}}}"#;
        let uploaded = parse_answer(200, rich, None).unwrap();
        assert_eq!(uploaded.task_id.as_deref(), Some("t1"));
        assert_eq!(
            uploaded.hosted_audio_url.as_deref(),
            Some("https://cdn/x.mp3")
        );
        assert_eq!(uploaded.lyric.as_deref(), Some("la"));
    }

    #[test]
    fn every_api_error_code_is_typed_with_status_and_trace_id() {
        let cases = [
            (400, "bad_request"),
            (400, "no_token"),
            (400, "disabled"),
            (400, "api_not_implemented"),
            (400, "token_mismatched"),
            (401, "invalid_token"),
            (401, "token_expired"),
            (401, "token_mismatched"),
            (403, "used_up"),
            (404, "no_api"),
            (429, "too_many_requests"),
            (500, "api_error"),
            (418, "brand_new_code"),
        ];
        for (status, code) in cases {
            let body = format!(
                r#"{{"error": {{"code": "{code}", "message": "m"}}, "trace_id": "tr-{code}"}}"#
            );
            let error = parse_answer(status, body.as_bytes(), None).unwrap_err();
            assert_eq!(error.code().as_str(), code);
            assert_eq!(error.status(), Some(status));
            let report = error.report();
            assert_eq!(
                report.trace_id.as_deref(),
                Some(format!("tr-{code}").as_str())
            );
            assert_eq!(report.code.as_str(), code);
        }
        let unknown = parse_answer(418, br#"{"error": {"code": "brand_new_code"}}"#, None);
        assert_eq!(
            unknown.unwrap_err().code(),
            ErrorCode::Unknown("brand_new_code".into())
        );
    }

    #[test]
    fn unreadable_answers_are_bad_response_with_the_status() {
        let cases: [(u16, &[u8], &str); 6] = [
            (
                502,
                b"<html><body><h1>502 Bad Gateway</h1></body></html>",
                "web page",
            ),
            (200, b"", "empty"),
            (200, br#"{"data": {"audio_"#, "incomplete"),
            (200, b"OK", "text"),
            (200, br#"{"success": true}"#, "no audio id"),
            (200, br#"{"data": {"audio_id": ""}}"#, "empty audio id"),
        ];
        for (status, body, detail) in cases {
            let error = parse_answer(status, body, None).unwrap_err();
            assert_eq!(error.code(), ErrorCode::BadResponse);
            let report = error.report();
            assert!(
                report.message.contains(&format!("HTTP {status}")),
                "{report:?}"
            );
            assert!(report.message.contains(detail), "{report:?}");
        }
    }

    #[test]
    fn only_transient_failures_are_retried() {
        let api = |code: &str, status| UploadError::Api {
            code: ErrorCode::from_api(code),
            status,
            service_message: String::new(),
            trace_id: None,
            retry_after: None,
        };
        let bad = |status| UploadError::BadResponse {
            status,
            detail: String::new(),
            retry_after: None,
        };
        assert!(api("too_many_requests", 429).is_retryable());
        assert!(api("api_error", 500).is_retryable());
        assert!(bad(502).is_retryable() && bad(503).is_retryable() && bad(504).is_retryable());
        assert!(UploadError::Network("refused".into()).is_retryable());
        assert!(UploadError::Timeout(Duration::from_secs(1)).is_retryable());
        for code in [
            "used_up",
            "invalid_token",
            "token_expired",
            "bad_request",
            "no_api",
        ] {
            assert!(!api(code, 400).is_retryable(), "{code}");
        }
        assert!(!bad(200).is_retryable() && !bad(404).is_retryable());
    }
}
