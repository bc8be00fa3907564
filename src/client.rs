//! The Producer Upload API client: one link in, one `audio_id` (or a typed error) out.

use crate::error::{ErrorCode, ErrorReport, Value};
use crate::retry::{parse_retry_after, RetryPolicy};
use crate::text::{clean_message, code_shaped, id_shaped, web_link_shaped};
use crate::token::ApiToken;
use reqwest::header::{HeaderMap, ACCEPT, CONTENT_TYPE, RETRY_AFTER};
use serde::Deserialize;
use std::net::IpAddr;
use std::time::{Duration, SystemTime};
use url::Url;

/// The real service.
pub const DEFAULT_BASE_URL: &str = "https://api.acedata.cloud";

/// Answers larger than this are not read to the end: no real answer comes near it.
const MAX_BODY_BYTES: usize = 1024 * 1024;
/// The service's own message is cut to this many characters.
pub(crate) const MAX_SERVICE_MESSAGE_CHARS: usize = 500;
/// Lyrics are cut to this many characters.
pub(crate) const MAX_LYRIC_CHARS: usize = 20_000;
/// The code kept for an error code that is not shaped like one.
const UNREADABLE_CODE: &str = "unreadable_code";

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

/// `base_url` as a base address a token may be sent to: `https` (plain `http` only on this
/// computer), with a host and no user name or password; query and fragment dropped, ending in
/// `/`. Refused with `invalid_base_url` and why; the message is the code's own, or the catalogue
/// message `address` (the file host's address, say), followed by the reason.
pub(crate) fn checked_base_url(
    base_url: &str,
    address: Option<&'static str>,
) -> Result<Url, ErrorReport> {
    let invalid = |why: &'static str| {
        let message = match address {
            Some(id) => Value::Message(id),
            None => Value::CodeMessage,
        };
        ErrorReport::from_code(ErrorCode::InvalidBaseUrl).with_words(
            "error-with-reason",
            [("message", message), ("reason", Value::Message(why))],
        )
    };
    let mut url = Url::parse(base_url.trim()).map_err(|_| invalid("address-not-web"))?;
    if !url.has_host() {
        return Err(invalid("address-no-host"));
    }
    let loopback = is_loopback(&url);
    match url.scheme() {
        "https" => {}
        "http" if loopback => {}
        "http" => return Err(invalid("address-plain-http")),
        _ => return Err(invalid("address-not-https")),
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(invalid("address-has-user"));
    }
    url.set_query(None);
    url.set_fragment(None);
    if !url.path().ends_with('/') {
        let path = format!("{}/", url.path());
        url.set_path(&path);
    }
    Ok(url)
}

impl ClientConfig {
    /// Default time-out for one request.
    pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);

    /// A configuration for `base_url`, which must be `https` (plain `http` only on this
    /// computer, as the simulator is), so the token is never sent in the clear.
    pub fn new(base_url: &str) -> Result<Self, ErrorReport> {
        Ok(Self {
            base_url: checked_base_url(base_url, None)?,
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

/// An HTTP client builder for requests that carry a token to `base_url`: no proxy when it is on
/// this computer (a proxy could only be somewhere else), redirects never followed, connecting
/// bounded by `timeout` (15 s at most).
pub(crate) fn token_http(base_url: &Url, timeout: Duration) -> reqwest::ClientBuilder {
    let builder = reqwest::Client::builder();
    let builder = if is_loopback(base_url) {
        builder.no_proxy()
    } else {
        builder
    };
    builder
        .connect_timeout(timeout.min(Duration::from_secs(15)))
        // Never follow a redirect with the token to somewhere else.
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(concat!("producer-uploader/", env!("CARGO_PKG_VERSION")))
}

/// True when `url` names this computer (`localhost` or a loopback address).
pub fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(domain)) => domain.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(url::Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        None => false,
    }
}

/// What the service returned for a successful upload.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Uploaded {
    /// The id to use as reference audio in the music-generation API.
    pub audio_id: String,
    /// The service's task id, when it sends one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub task_id: Option<String>,
    /// The service's hosted copy of the audio, when it sends one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hosted_audio_url: Option<String>,
    /// Lyrics the service found, when it sends them.
    #[serde(skip_serializing_if = "Option::is_none")]
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
    /// The service could not be reached: the request was never sent.
    #[error("could not reach the service: {0}")]
    Network(String),
    /// The request was sent but no usable answer came back (no answer in time, the connection
    /// broke, a gateway gave up waiting): the service may have taken the upload.
    #[error("the outcome is unknown: {0}")]
    OutcomeUnknown(String),
}

/// What a failed attempt means for sending the same request again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Disposition {
    /// The service refused it for its rate: later, after its `Retry-After`.
    RateLimited,
    /// The service did not take it (refused connection, a server failure before any work):
    /// sending it again cannot make a second upload.
    NotTaken,
    /// Sending it again would not help, or might upload the same link twice.
    Final,
}

impl UploadError {
    /// The error's code.
    pub fn code(&self) -> ErrorCode {
        match self {
            UploadError::Api { code, .. } => code.clone(),
            UploadError::BadResponse { .. } => ErrorCode::BadResponse,
            UploadError::Network(_) => ErrorCode::Network,
            UploadError::OutcomeUnknown(_) => ErrorCode::OutcomeUnknown,
        }
    }

    /// HTTP status of the answer, if one came.
    pub fn status(&self) -> Option<u16> {
        match self {
            UploadError::Api { status, .. } | UploadError::BadResponse { status, .. } => {
                Some(*status)
            }
            UploadError::Network(_) | UploadError::OutcomeUnknown(_) => None,
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

    /// Whether the uploader may send the same request again by itself: only what the service
    /// did not take. A 500 with the service's own error, a 502 or a 503 come before any work;
    /// a 504, a time-out or a broken connection after sending may not, so they are final.
    pub fn disposition(&self) -> Disposition {
        match self {
            _ if self.is_rate_limited() => Disposition::RateLimited,
            UploadError::Network(_) => Disposition::NotTaken,
            UploadError::Api {
                status: 500 | 502 | 503,
                ..
            }
            | UploadError::BadResponse {
                status: 500 | 502 | 503,
                ..
            } => Disposition::NotTaken,
            _ => Disposition::Final,
        }
    }

    /// Whether pressing Retry may help without changing anything.
    pub fn is_retryable(&self) -> bool {
        self.disposition() != Disposition::Final || self.code().is_retryable()
    }

    /// True for a rate limit (429), so callers can say "waiting for the rate limit".
    pub fn is_rate_limited(&self) -> bool {
        self.status() == Some(429)
    }

    /// The error as a person or a script sees it: plain words in the message, the HTTP status
    /// and what came instead of data in `detail`, for support.
    pub fn report(&self) -> ErrorReport {
        let detail = match self {
            UploadError::BadResponse { status, detail, .. } => {
                Some(format!("HTTP {status}: {detail}"))
            }
            UploadError::Api { code, status, .. } => Some(format!("HTTP {status}, code {code}")),
            UploadError::Network(detail) | UploadError::OutcomeUnknown(detail) => {
                Some(detail.clone())
            }
        };
        ErrorReport::from_service(
            self.code(),
            self.trace_id().map(str::to_owned),
            self.status(),
            detail,
        )
        .with_retryable(self.is_retryable())
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
        let http = token_http(&config.base_url, config.timeout)
            .timeout(config.timeout)
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

    /// One request to upload `audio_url`, without retries: the uploader
    /// ([`crate::batch::Uploader`]) decides whether to send it again.
    pub async fn attempt(
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
        let (status, body, retry_after) = self.read_answer(response).await?;
        parse_answer(status, &body, retry_after)
    }

    /// A JSON request with the token to `path` under the base address, for the other
    /// endpoints of the same API (songs).
    pub(crate) async fn post_json(
        &self,
        token: &ApiToken,
        path: &str,
        body: &serde_json::Value,
    ) -> Result<(u16, Vec<u8>, Option<Duration>), UploadError> {
        let url = self
            .config
            .base_url
            .join(path)
            .expect("a relative path joins onto an http(s) base");
        let response = self
            .http
            .post(url)
            .header(ACCEPT, "application/json")
            .header(CONTENT_TYPE, "application/json")
            .bearer_auth(token.expose())
            .body(body.to_string())
            .send()
            .await
            .map_err(|error| self.transport_error(error))?;
        self.read_answer(response).await
    }

    /// The status, body and `Retry-After` of an answer; a body lost on the way is an error
    /// that says whether the service may have acted.
    async fn read_answer(
        &self,
        response: reqwest::Response,
    ) -> Result<(u16, Vec<u8>, Option<Duration>), UploadError> {
        let status = response.status().as_u16();
        let retry_after = retry_after(response.headers());
        let body = read_limited(response).await.map_err(|error| match error {
            ReadError::Transport(error) if error.is_timeout() => {
                UploadError::OutcomeUnknown(self.no_answer_in_time())
            }
            ReadError::Transport(_) if (200..300).contains(&status) => {
                UploadError::OutcomeUnknown("the answer was cut off".into())
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
        Ok((status, body, retry_after))
    }

    /// A request that failed before an answer: never sent if the connection was not made;
    /// otherwise the service may have it.
    fn transport_error(&self, error: reqwest::Error) -> UploadError {
        // Without the URL: the error stays short and about the connection.
        let error = error.without_url();
        if error.is_connect() {
            UploadError::Network(describe_transport(&error))
        } else if error.is_timeout() {
            UploadError::OutcomeUnknown(self.no_answer_in_time())
        } else {
            UploadError::OutcomeUnknown(format!(
                "the connection broke before the answer: {}",
                describe_transport(&error)
            ))
        }
    }

    fn no_answer_in_time(&self) -> String {
        format!("no answer within {} s", self.config.timeout.as_secs_f32())
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

/// The service's error answer (`{"error": {"code", "message"}, "trace_id"}`), its text checked
/// before it is kept or shown: a code or trace id not shaped like one is not kept as it came, the
/// message loses control characters and escape sequences and is cut. `None` for another body.
pub(crate) fn error_answer(
    status: u16,
    body: &[u8],
    retry_after: Option<Duration>,
) -> Option<UploadError> {
    let ErrorBody { error, trace_id } = serde_json::from_slice::<ErrorBody>(body).ok()?;
    let code = if code_shaped(&error.code) {
        ErrorCode::from_api(&error.code)
    } else {
        ErrorCode::Unknown(UNREADABLE_CODE.into())
    };
    Some(UploadError::Api {
        code,
        status,
        service_message: clean_message(&error.message, MAX_SERVICE_MESSAGE_CHARS),
        trace_id: trace_id.filter(|id| id_shaped(id)),
        retry_after,
    })
}

/// Turns an answer into an upload or a typed error; never panics on any input.
fn parse_answer(
    status: u16,
    body: &[u8],
    retry_after: Option<Duration>,
) -> Result<Uploaded, UploadError> {
    refusal(status, body, retry_after)?;
    let bad = |detail: &str| UploadError::BadResponse {
        status,
        detail: detail.to_owned(),
        retry_after,
    };
    match serde_json::from_slice::<SuccessBody>(body) {
        Ok(SuccessBody { data, .. }) if data.audio_id.trim().is_empty() => {
            Err(bad("the answer had an empty audio id"))
        }
        Ok(SuccessBody { data, .. }) if !id_shaped(&data.audio_id) => Err(bad(
            "the answer had an audio id that does not look like one",
        )),
        Ok(SuccessBody { data, task_id }) => Ok(Uploaded {
            audio_id: data.audio_id,
            task_id: task_id.filter(|id| id_shaped(id)),
            hosted_audio_url: data.audio_url.filter(|url| web_link_shaped(url)),
            lyric: data
                .lyric
                .map(|lyric| clean_message(&lyric, MAX_LYRIC_CHARS))
                .filter(|lyric| !lyric.is_empty()),
        }),
        Err(_) if serde_json::from_slice::<serde_json::Value>(body).is_ok() => {
            Err(bad("the answer had no audio id"))
        }
        Err(_) => Err(bad(describe_body(body))),
    }
}

/// The error an answer carries: the service's own error shape (its code checked), a gateway's
/// 504, or any other status than 2xx; `Ok` for a 2xx answer without the error shape.
pub(crate) fn refusal(
    status: u16,
    body: &[u8],
    retry_after: Option<Duration>,
) -> Result<(), UploadError> {
    if let Some(error) = error_answer(status, body, retry_after) {
        return Err(error);
    }
    if status == 504 {
        return Err(UploadError::OutcomeUnknown(
            "a gateway on the way gave up waiting for the service (HTTP 504)".into(),
        ));
    }
    if !(200..300).contains(&status) {
        return Err(UploadError::BadResponse {
            status,
            detail: describe_body(body).to_owned(),
            retry_after,
        });
    }
    Ok(())
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
            let support = report.detail.clone().unwrap_or_default();
            assert!(support.contains(&format!("HTTP {status}")), "{report:?}");
            assert!(support.contains(detail), "{report:?}");
            assert!(!report.message.contains("HTTP"), "{report:?}");
        }
    }

    #[test]
    fn only_what_the_service_did_not_take_is_sent_again() {
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
        assert_eq!(
            api("too_many_requests", 429).disposition(),
            Disposition::RateLimited
        );
        assert_eq!(api("api_error", 500).disposition(), Disposition::NotTaken);
        assert_eq!(bad(502).disposition(), Disposition::NotTaken);
        assert_eq!(bad(503).disposition(), Disposition::NotTaken);
        assert_eq!(
            UploadError::Network("refused".into()).disposition(),
            Disposition::NotTaken
        );
        // The service may have it: final, though Retry is offered.
        let unknown = UploadError::OutcomeUnknown("no answer within 1 s".into());
        assert_eq!(unknown.disposition(), Disposition::Final);
        assert!(unknown.report().retryable);
        assert!(unknown.report().message.contains("History"));
        let gateway = parse_answer(504, b"<html><body>504</body></html>", None).unwrap_err();
        assert_eq!(gateway.code(), ErrorCode::OutcomeUnknown);
        for code in [
            "used_up",
            "invalid_token",
            "token_expired",
            "bad_request",
            "no_api",
        ] {
            assert_eq!(api(code, 400).disposition(), Disposition::Final, "{code}");
            assert!(!api(code, 400).is_retryable(), "{code}");
        }
        assert!(!bad(200).is_retryable() && !bad(404).is_retryable());
    }

    #[test]
    fn text_from_the_service_is_checked_before_it_is_kept() {
        let huge = format!(r#"{{"data": {{"audio_id": "{}"}}}}"#, "a".repeat(900_000));
        let error = parse_answer(200, huge.as_bytes(), None).unwrap_err();
        let report = error.report();
        assert!(!report.message.contains("HTTP"), "{report:?}");
        assert!(
            report
                .detail
                .as_deref()
                .unwrap_or_default()
                .contains("does not look like one"),
            "{report:?}"
        );
        let escape = br#"{"data": {"audio_id": "id\u001b[2J"}}"#;
        assert_eq!(
            parse_answer(200, escape, None).unwrap_err().code(),
            ErrorCode::BadResponse
        );
        let odd = br#"{"task_id": "t\n1", "data": {"audio_id": "a1",
            "audio_url": "javascript:alert(1)", "lyric": "la\u0007 la"}}"#;
        let uploaded = parse_answer(200, odd, None).unwrap();
        assert_eq!(uploaded.task_id, None);
        assert_eq!(uploaded.hosted_audio_url, None);
        assert_eq!(uploaded.lyric.as_deref(), Some("la la"));
        let error = br#"{"error": {"code": "x\u001b[31m", "message": "m\u001b[2J"},
            "trace_id": "t r"}"#;
        let UploadError::Api {
            code,
            service_message,
            trace_id,
            ..
        } = parse_answer(400, error, None).unwrap_err()
        else {
            panic!("not an API error")
        };
        assert_eq!(code.as_str(), "unreadable_code");
        assert_eq!(service_message, "m[2J");
        assert_eq!(trace_id, None);
    }
}
