//! Pre-flight check: before uploading, is the link reachable and does it look like an audio file?
//!
//! The check asks for the first few bytes of the file with a ranged `GET` (presigned storage
//! links often refuse `HEAD`), following redirects, and never downloads the file: at most
//! [`SNIFF_LIMIT`] bytes are read when a server ignores the range. Its result is advice for the
//! person, never a reason to block the upload: the service fetches the link itself, from
//! elsewhere, and may succeed where this computer cannot.
//!
//! A link to this computer or the local network is never fetched, by its address or by a name
//! that resolves there (`printer.lan`), unless the API itself is on this computer (the simulator
//! in the demo and the tests): Ace Data Cloud cannot reach such a link anyway, and fetching it
//! could reach devices that trust the local network. No redirect from a link elsewhere leads
//! there, whatever the API.

use crate::tr;
use std::borrow::Cow;
use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;

use futures::StreamExt;
use reqwest::dns::Resolve;
use reqwest::header::{
    HeaderMap, HeaderValue, CONTENT_DISPOSITION, CONTENT_LENGTH, CONTENT_RANGE, CONTENT_TYPE,
    LOCATION, RANGE,
};
use reqwest::{Response, StatusCode};
use serde::Serialize;
use tokio::time::{timeout_at, Instant};
use url::Url;

use crate::client::describe_transport;
use crate::links::has_audio_extension;
use crate::resolve::{
    is_local_ipv4, is_local_ipv6, resolves_only_locally, PublicOnly, SystemResolver, LOCAL_NAME,
};

/// The bytes asked for: enough to recognise every common audio format by its first bytes.
const PROBE_RANGE: &str = "bytes=0-15";

/// The most bytes read from a server that ignores the range and sends the whole file.
pub const SNIFF_LIMIT: usize = 4096;

/// What the check concluded about a link.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// The link answers with an audio file.
    Audio,
    /// The link answers with a web page (a share, sign-in or warning page), not the file.
    HtmlPage,
    /// The link answers with a file that is not audio.
    NotAudio,
    /// The link does not answer with a file: an HTTP error, no connection, or no answer in time.
    Unreachable,
    /// The link answers, but nothing tells whether it is audio.
    Unknown,
}

/// The outcome of a pre-flight check, for the UI and the command line.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PreflightReport {
    /// What the check concluded.
    pub verdict: Verdict,
    /// The HTTP status of the final answer, after redirects.
    pub status: Option<u16>,
    /// The `Content-Type` the server sent.
    pub content_type: Option<String>,
    /// The size of the whole file in bytes, when the server told it.
    pub size: Option<u64>,
    /// Plain-language result, with the next step when something looks wrong.
    pub message: String,
}

impl PreflightReport {
    /// True when the person should look at the link before uploading: a web page, a file that is
    /// not audio, or a link that cannot be reached. [`Verdict::Unknown`] is not a warning: the
    /// link answered and nothing suggests a problem, the host just did not say what the file is.
    pub fn is_warning(&self) -> bool {
        !matches!(self.verdict, Verdict::Audio | Verdict::Unknown)
    }

    fn without_answer(message: String) -> Self {
        Self {
            verdict: Verdict::Unreachable,
            status: None,
            content_type: None,
            size: None,
            message,
        }
    }
}

/// Redirects followed at most.
const MAX_REDIRECTS: usize = 5;

/// The HTTP clients that fetch musicians' links from this computer (the link check, and the
/// check of a hosted link before it is reused). Redirects are followed by [`LinkClient::get`],
/// hop by hop, so that each one is checked before it is fetched. Cheap to clone.
#[derive(Clone)]
pub struct LinkClient {
    /// Resolves names to their public addresses only (see [`crate::resolve`]).
    public: reqwest::Client,
    /// Resolves names to every address: only when the API itself is on this computer.
    open: reqwest::Client,
    /// The resolver both use underneath, also asked before a link is fetched or held.
    resolver: Arc<dyn Resolve>,
}

impl std::fmt::Debug for LinkClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LinkClient").finish_non_exhaustive()
    }
}

/// Why a fetch of a link ended without an answer.
#[derive(Debug)]
pub enum FetchError {
    /// The link, or a redirect on the way, leads to this computer or the local network.
    Local {
        /// True when a redirect led there.
        redirected: bool,
    },
    /// More than [`MAX_REDIRECTS`] redirects, or one without a usable `Location`.
    Redirects,
    /// No answer: the connection failed or timed out.
    Transport(reqwest::Error),
}

impl LinkClient {
    /// Clients that use the system's resolver.
    pub fn new() -> Self {
        Self::with_resolver(Arc::new(SystemResolver))
    }

    /// Clients that use `resolver` for every name (tests map names to 127.0.0.1 with theirs).
    pub fn with_resolver(resolver: Arc<dyn Resolve>) -> Self {
        let build = |resolver: Arc<dyn Resolve>| {
            reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .dns_resolver2(resolver)
                .user_agent(concat!("producer-uploader/", env!("CARGO_PKG_VERSION")))
                .build()
                .expect("TLS backend initialises")
        };
        Self {
            public: build(Arc::new(PublicOnly(Arc::clone(&resolver)))),
            open: build(Arc::clone(&resolver)),
            resolver,
        }
    }

    /// True when `url` points at this computer or the local network, by its text
    /// ([`is_local_link`]) or because every address its name resolves to is local
    /// (`printer.lan`, `fritz.box`).
    pub async fn leads_to_local_network(&self, url: &Url) -> bool {
        if is_local_link(url) {
            return true;
        }
        match url.host() {
            Some(url::Host::Domain(name)) => resolves_only_locally(&*self.resolver, name).await,
            _ => false,
        }
    }

    /// The hosts among `urls` that Ace Data Cloud cannot reach
    /// ([`Self::leads_to_local_network`]), each host looked at once, a few at a time; none when
    /// the API is on this computer.
    pub async fn local_hosts<'a>(
        &self,
        urls: impl IntoIterator<Item = &'a Url>,
        api_is_local: bool,
    ) -> HashSet<String> {
        if api_is_local {
            return HashSet::new();
        }
        let mut seen = HashSet::new();
        let checks: Vec<(String, Url)> = urls
            .into_iter()
            .filter_map(|url| {
                let host = url.host_str()?.to_owned();
                seen.insert(host.clone()).then(|| (host, url.clone()))
            })
            .collect();
        let mut found = HashSet::new();
        let mut answers = futures::stream::iter(checks)
            .map(|(host, url)| async move { (host, self.leads_to_local_network(&url).await) })
            .buffer_unordered(CHECKS_AT_ONCE * 2);
        while let Some((host, local)) = answers.next().await {
            if local {
                found.insert(host);
            }
        }
        found
    }

    /// `GET url` with `headers`, following redirects hop by hop. Unless the API is on this
    /// computer (`api_is_local`), a link to this computer or the local network is not fetched;
    /// whatever the API, no redirect from a link elsewhere leads there.
    pub async fn get(
        &self,
        url: &Url,
        headers: HeaderMap,
        api_is_local: bool,
    ) -> Result<Response, FetchError> {
        let client = if api_is_local {
            &self.open
        } else {
            &self.public
        };
        let started_local = is_local_link(url);
        if !api_is_local && self.leads_to_local_network(url).await {
            return Err(FetchError::Local { redirected: false });
        }
        let mut url = url.clone();
        for hop in 0..=MAX_REDIRECTS {
            if hop > 0 && !started_local && self.leads_to_local_network(&url).await {
                return Err(FetchError::Local { redirected: true });
            }
            let response = client
                .get(url.clone())
                .headers(headers.clone())
                .send()
                .await
                .map_err(|error| {
                    if caused_by(&error, LOCAL_NAME) {
                        FetchError::Local {
                            redirected: hop > 0,
                        }
                    } else {
                        FetchError::Transport(error)
                    }
                })?;
            if !response.status().is_redirection() || response.status() == StatusCode::NOT_MODIFIED
            {
                return Ok(response);
            }
            url = header(response.headers(), LOCATION)
                .and_then(|location| url.join(location).ok())
                .filter(|next| matches!(next.scheme(), "http" | "https"))
                .ok_or(FetchError::Redirects)?;
        }
        Err(FetchError::Redirects)
    }
}

impl Default for LinkClient {
    fn default() -> Self {
        Self::new()
    }
}

/// The clients for checks, with the system's resolver.
pub fn http_client() -> LinkClient {
    LinkClient::new()
}

/// True when `url` points at this computer or the local network by its text alone:
/// `localhost`, a name without a dot or ending in `.local`, `.localhost` or `.internal`, or an
/// address that is not public ([`crate::resolve::is_local_ip`]). Names such as `printer.lan`
/// need resolving: see [`LinkClient::leads_to_local_network`].
pub fn is_local_link(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(name)) => {
            let name = name.trim_end_matches('.').to_ascii_lowercase();
            !name.contains('.')
                || name.ends_with(".localhost")
                || name.ends_with(".local")
                || name.ends_with(".internal")
        }
        Some(url::Host::Ipv4(ip)) => is_local_ipv4(ip),
        Some(url::Host::Ipv6(ip)) => is_local_ipv6(ip),
        None => true,
    }
}

/// True when Ace Data Cloud cannot reach `url`, so it is held back instead of sent: it points at
/// this computer or the local network ([`is_local_link`]) and the API is elsewhere.
/// `api_is_local` is true when the API address itself is on this computer (the simulator in the
/// demo and the tests), which reaches such links: they go as any other.
pub fn out_of_service_reach(url: &Url, api_is_local: bool) -> bool {
    !api_is_local && is_local_link(url)
}

/// The report for a link to this computer or the local network, which is not fetched.
pub fn local_link_report() -> PreflightReport {
    PreflightReport::without_answer(tr!("check-local-link"))
}

/// Links checked at once.
pub const CHECKS_AT_ONCE: usize = 4;

/// Checks that `url` is reachable and looks like an audio file, within `timeout` in all.
///
/// `api_is_local` is true when the API address itself is on this computer (the simulator): only
/// then are links to this computer or the local network fetched; otherwise they get
/// [`local_link_report`] without a request.
pub async fn preflight(
    http: &LinkClient,
    url: &Url,
    timeout: Duration,
    api_is_local: bool,
) -> PreflightReport {
    if out_of_service_reach(url, api_is_local) {
        return local_link_report();
    }
    let deadline = Instant::now() + timeout;
    let mut headers = HeaderMap::new();
    headers.insert(RANGE, HeaderValue::from_static(PROBE_RANGE));
    let response = match timeout_at(deadline, http.get(url, headers, api_is_local)).await {
        Ok(Ok(response)) => response,
        Ok(Err(FetchError::Local { redirected: false })) => return local_link_report(),
        Ok(Err(error)) => return fetch_failure(&error, timeout),
        Err(_) => return timed_out(timeout),
    };
    let answer = Answer::read(&response);
    if answer.status.is_client_error() || answer.status.is_server_error() {
        let message = http_error_message(answer.status);
        return answer.report(Verdict::Unreachable, message);
    }
    // A body that stalls is judged on the headers and whatever arrived in time.
    let start = timeout_at(deadline, first_bytes(response))
        .await
        .unwrap_or_default();
    judge(answer, &start)
}

/// What the headers of the final answer say.
struct Answer {
    status: StatusCode,
    content_type: Option<String>,
    size: Option<u64>,
    /// The file name from `Content-Disposition`, or else the last segment of the final URL.
    file_name: String,
}

impl Answer {
    fn read(response: &Response) -> Self {
        let headers = response.headers();
        let status = response.status();
        let size = if status == StatusCode::PARTIAL_CONTENT {
            header(headers, CONTENT_RANGE).and_then(total_from_content_range)
        } else {
            header(headers, CONTENT_LENGTH).and_then(|length| length.trim().parse().ok())
        };
        let file_name = header(headers, CONTENT_DISPOSITION)
            .and_then(file_name_from_disposition)
            .or_else(|| {
                response
                    .url()
                    .path_segments()
                    .and_then(|mut segments| segments.next_back())
                    .map(str::to_owned)
            })
            .unwrap_or_default();
        Self {
            status,
            content_type: header(headers, CONTENT_TYPE).map(|value| value.trim().to_owned()),
            size,
            file_name,
        }
    }

    /// The media type without parameters, in lower case: `audio/wav`.
    fn media_type(&self) -> String {
        self.content_type
            .as_deref()
            .and_then(|value| value.split(';').next())
            .unwrap_or_default()
            .trim()
            .to_ascii_lowercase()
    }

    fn report(self, verdict: Verdict, message: String) -> PreflightReport {
        PreflightReport {
            verdict,
            status: Some(self.status.as_u16()),
            content_type: self.content_type,
            size: self.size,
            message,
        }
    }
}

fn header(headers: &HeaderMap, name: reqwest::header::HeaderName) -> Option<&str> {
    headers.get(name).and_then(|value| value.to_str().ok())
}

/// The total of `Content-Range: bytes 0-15/16044`; `None` for an unknown total (`/*`).
fn total_from_content_range(value: &str) -> Option<u64> {
    value.rsplit_once('/')?.1.trim().parse().ok()
}

/// The file name of `Content-Disposition: attachment; filename="Vocals.wav"` (or `filename*=`).
fn file_name_from_disposition(value: &str) -> Option<String> {
    value.split(';').find_map(|param| {
        let (name, value) = param.split_once('=')?;
        let value = value.trim();
        match name.trim().to_ascii_lowercase().as_str() {
            // RFC 5987: charset'language'percent-encoded-name
            "filename*" => value.rsplit('\'').next().map(str::to_owned),
            "filename" => Some(value.trim_matches('"').to_owned()),
            _ => None,
        }
    })
}

/// Reads the start of the body, at most [`SNIFF_LIMIT`] bytes, then drops the connection.
async fn first_bytes(mut response: Response) -> Vec<u8> {
    let mut start = Vec::new();
    while start.len() < SNIFF_LIMIT {
        match response.chunk().await {
            Ok(Some(chunk)) => {
                let wanted = (SNIFF_LIMIT - start.len()).min(chunk.len());
                start.extend_from_slice(&chunk[..wanted]);
            }
            Ok(None) | Err(_) => break,
        }
    }
    start
}

/// Media types that say nothing about the content: the file name or first bytes decide.
fn is_generic_binary(media_type: &str) -> bool {
    matches!(
        media_type,
        "" | "application/octet-stream"
            | "binary/octet-stream"
            | "application/binary"
            | "application/download"
            | "application/force-download"
            | "application/x-download"
    )
}

/// What the first bytes of a body show.
#[derive(Debug, PartialEq)]
enum Sniffed {
    /// An audio file of this format.
    Audio(&'static str),
    /// A web page.
    Html(PageKind),
    /// Nothing recognisable.
    Unknown,
}

/// The kinds of web page that have their own advice.
#[derive(Debug, PartialEq)]
enum PageKind {
    /// Google Drive's "can't scan this file for viruses" page for large files.
    VirusScan,
    /// A sign-in page: the file is not shared publicly.
    SignIn,
    /// Any other page.
    Other,
}

fn sniff(start: &[u8]) -> Sniffed {
    if let Some(format) = audio_format(start) {
        return Sniffed::Audio(format);
    }
    let text = String::from_utf8_lossy(start).to_lowercase();
    let trimmed = text.trim_start_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
    if trimmed.starts_with("<!doctype html") || trimmed.starts_with("<html") {
        Sniffed::Html(page_kind(&text))
    } else {
        Sniffed::Unknown
    }
}

/// The audio format these first bytes belong to, by their signature.
pub(crate) fn audio_format(start: &[u8]) -> Option<&'static str> {
    let at = |range: std::ops::Range<usize>| start.get(range);
    Some(match start {
        [b'R', b'I', b'F', b'F', ..] if at(8..12) == Some(b"WAVE") => "WAV",
        [b'F', b'O', b'R', b'M', ..] if matches!(at(8..12), Some(b"AIFF" | b"AIFC")) => "AIFF",
        [b'f', b'L', b'a', b'C', ..] => "FLAC",
        [b'O', b'g', b'g', b'S', ..] => "Ogg",
        [b'I', b'D', b'3', ..] => "MP3",
        _ if at(4..8) == Some(b"ftyp") && matches!(at(8..12), Some(b"M4A " | b"M4B ")) => "M4A",
        // An MPEG audio frame header (MP3) or an ADTS header (AAC): eleven set bits.
        [0xff, second, ..] if second & 0xe0 == 0xe0 => "MP3 or AAC",
        _ => return None,
    })
}

fn page_kind(lowercase_html: &str) -> PageKind {
    let title = lowercase_html
        .split_once("<title")
        .and_then(|(_, rest)| rest.split_once('>'))
        .and_then(|(_, rest)| rest.split_once("</title"))
        .map_or("", |(title, _)| title);
    if title.contains("virus scan warning") || lowercase_html.contains("scan this file for viruses")
    {
        PageKind::VirusScan
    } else if ["sign in", "sign-in", "log in", "login"]
        .iter()
        .any(|words| title.contains(words))
    {
        PageKind::SignIn
    } else {
        PageKind::Other
    }
}

/// The verdict for an answer that is neither an error nor a failure.
fn judge(answer: Answer, start: &[u8]) -> PreflightReport {
    if !answer.status.is_success() {
        let message = tr!("check-unexpected", status = status_words(answer.status));
        return answer.report(Verdict::Unknown, message);
    }
    let media_type = answer.media_type();
    let sniffed = sniff(start);
    let audio = if media_type.starts_with("audio/") || media_type == "application/ogg" {
        Some(Cow::Owned(media_type.clone()))
    } else if let Sniffed::Audio(format) = sniffed {
        Some(Cow::Borrowed(format))
    } else if is_generic_binary(&media_type) && has_audio_extension(&answer.file_name) {
        let extension = answer.file_name.rsplit('.').next().unwrap_or_default();
        Some(Cow::Owned(extension.to_ascii_uppercase()))
    } else {
        None
    };
    if let Some(format) = audio {
        let details = match answer.size {
            Some(size) => format!("{format}, {}", human_size(size)),
            None => format.into_owned(),
        };
        return answer.report(Verdict::Audio, tr!("check-audio", details = details));
    }
    let page = match sniffed {
        Sniffed::Html(kind) => Some(kind),
        _ if matches!(media_type.as_str(), "text/html" | "application/xhtml+xml") => {
            Some(page_kind(&String::from_utf8_lossy(start).to_lowercase()))
        }
        _ => None,
    };
    if let Some(kind) = page {
        return answer.report(Verdict::HtmlPage, page_message(kind));
    }
    if is_generic_binary(&media_type) {
        let message = if media_type.is_empty() {
            tr!("check-unclear-unnamed")
        } else {
            tr!("check-unclear", media_type = media_type.as_str())
        };
        return answer.report(Verdict::Unknown, message);
    }
    let message = tr!(
        "check-not-audio",
        kind = describe(&media_type),
        media_type = media_type.as_str()
    );
    answer.report(Verdict::NotAudio, message)
}

fn page_message(kind: PageKind) -> String {
    match kind {
        PageKind::VirusScan => tr!("check-virus-scan-page"),
        PageKind::SignIn => tr!("check-sign-in-page"),
        PageKind::Other => tr!("check-web-page"),
    }
}

/// A media type in words ("a .zip archive", "an image"): its kind, for `check-not-audio`.
fn describe(media_type: &str) -> &'static str {
    match media_type {
        "application/zip" | "application/x-zip-compressed" => "zip",
        "application/pdf" => "pdf",
        "text/plain" => "text",
        "application/json" => "json",
        _ if media_type.starts_with("image/") => "image",
        _ if media_type.starts_with("video/") => "video",
        _ => "other",
    }
}

/// A status in words, such as `404 Not Found`.
fn status_words(status: StatusCode) -> String {
    match status.canonical_reason() {
        Some(reason) => format!("{} {reason}", status.as_u16()),
        None => status.as_u16().to_string(),
    }
}

fn http_error_message(status: StatusCode) -> String {
    let words = status_words(status);
    let id = match status.as_u16() {
        401 | 403 => "check-not-shared",
        404 | 410 => "check-no-file",
        429 => "check-host-limiting",
        500.. => "check-host-problem",
        _ => "check-host-refused",
    };
    tr!(id, status = words)
}

fn timed_out(timeout: Duration) -> PreflightReport {
    let seconds = timeout.as_secs_f64().ceil().max(1.0);
    PreflightReport::without_answer(tr!("check-timed-out", seconds = seconds))
}

fn fetch_failure(error: &FetchError, timeout: Duration) -> PreflightReport {
    let message = match error {
        FetchError::Local { .. } => tr!("check-leads-local"),
        FetchError::Redirects => tr!("check-redirects"),
        FetchError::Transport(error) if error.is_timeout() => return timed_out(timeout),
        FetchError::Transport(error) => {
            tracing::debug!(error = %describe_transport(error), "pre-flight request failed");
            if error.is_connect() {
                tr!("check-no-connection")
            } else {
                tr!("check-no-answer")
            }
        }
    };
    PreflightReport::without_answer(message)
}

/// True when `text` is the message of `error` or of one of its causes.
fn caused_by(error: &reqwest::Error, text: &str) -> bool {
    let mut source: Option<&dyn std::error::Error> = Some(error);
    while let Some(error) = source {
        if error.to_string() == text {
            return true;
        }
        source = error.source();
    }
    false
}

/// A size as people read it: `532 bytes`, `16 KB`, `1.2 MB` (powers of 1000).
fn human_size(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["KB", "MB", "GB", "TB"];
    if bytes < 1000 {
        return tr!("size-bytes", count = bytes);
    }
    let mut value = bytes as f64 / 1000.0;
    let mut unit = 0;
    while value >= 999.5 && unit + 1 < UNITS.len() {
        value /= 1000.0;
        unit += 1;
    }
    if value < 9.95 {
        format!("{value:.1} {}", UNITS[unit])
    } else {
        format!("{value:.0} {}", UNITS[unit])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_the_service_cannot_reach_are_held_unless_the_api_is_on_this_computer() {
        let local = [
            "http://localhost:8080/mix.wav",
            "http://192.168.1.20/stems/vox.wav",
            "http://nas.local/take.wav",
            "http://[::1]/take.wav",
        ];
        for link in local {
            let url = Url::parse(link).unwrap();
            assert!(out_of_service_reach(&url, false), "{link} is held");
            assert!(
                !out_of_service_reach(&url, true),
                "{link} goes to a local API"
            );
        }
        let public = Url::parse("https://www.dropbox.com/s/abc/mix.wav?dl=1").unwrap();
        assert!(!out_of_service_reach(&public, false));
        assert!(!out_of_service_reach(&public, true));
    }

    #[test]
    fn sizes_read_as_people_say_them() {
        for (bytes, words) in [
            (0, "0 bytes"),
            (999, "999 bytes"),
            (1000, "1.0 KB"),
            (16_044, "16 KB"),
            (999_499, "999 KB"),
            (999_500, "1.0 MB"),
            (1_234_567, "1.2 MB"),
            (52_428_800, "52 MB"),
            (3_500_000_000, "3.5 GB"),
            (u64::MAX, "18446744 TB"),
        ] {
            assert_eq!(human_size(bytes), words, "{bytes}");
        }
    }

    #[test]
    fn content_range_gives_the_whole_size() {
        assert_eq!(total_from_content_range("bytes 0-15/16044"), Some(16_044));
        assert_eq!(total_from_content_range("bytes 0-0/1"), Some(1));
        assert_eq!(total_from_content_range("bytes 0-15/*"), None);
        assert_eq!(total_from_content_range("nonsense"), None);
    }

    #[test]
    fn file_names_come_from_content_disposition() {
        assert_eq!(
            file_name_from_disposition("attachment; filename=\"Vocals Final.wav\"").as_deref(),
            Some("Vocals Final.wav")
        );
        assert_eq!(
            file_name_from_disposition("attachment; filename*=UTF-8''Ch%C3%B6r.flac").as_deref(),
            Some("Ch%C3%B6r.flac")
        );
        assert_eq!(file_name_from_disposition("inline"), None);
    }

    #[test]
    fn the_simulators_samples_are_known_as_audio() {
        use producer_sim::samples::{silent_mp3, titled_mp3, tone_wav};
        assert_eq!(audio_format(&tone_wav(100, 0)), Some("WAV"));
        let mp3 = silent_mp3(3);
        assert_eq!(audio_format(&mp3), Some("MP3"));
        assert_eq!(audio_format(&mp3[10..]), Some("MP3 or AAC"));
        assert_eq!(audio_format(&titled_mp3("Verse", 2)), Some("MP3"));
    }

    #[test]
    fn audio_formats_are_known_by_their_first_bytes() {
        let mut wav = b"RIFF\x24\x00\x00\x00WAVEfmt ".to_vec();
        assert_eq!(audio_format(&wav), Some("WAV"));
        wav[8..12].copy_from_slice(b"AVI ");
        assert_eq!(audio_format(&wav), None);
        assert_eq!(audio_format(b"FORM\0\0\0\0AIFFCOMM"), Some("AIFF"));
        assert_eq!(audio_format(b"fLaC\0\0\0\x22"), Some("FLAC"));
        assert_eq!(audio_format(b"OggS\0\x02"), Some("Ogg"));
        assert_eq!(audio_format(b"ID3\x04\0\0"), Some("MP3"));
        assert_eq!(audio_format(b"\0\0\0\x20ftypM4A \0\0"), Some("M4A"));
        assert_eq!(audio_format(b"\0\0\0\x20ftypisom\0\0"), None);
        assert_eq!(audio_format(&[0xff, 0xfb, 0x90, 0x64]), Some("MP3 or AAC"));
        assert_eq!(audio_format(&[0xff, 0xf1, 0x50, 0x80]), Some("MP3 or AAC"));
        for not_audio in [
            &b""[..],
            b"R",
            b"RIFF",
            b"PK\x03\x04",
            b"%PDF-1.7",
            b"<html>",
            &[0xff],
        ] {
            assert_eq!(audio_format(not_audio), None, "{not_audio:?}");
        }
    }

    #[test]
    fn pages_are_told_apart_by_their_title() {
        assert_eq!(
            sniff(b"\n<!DOCTYPE html><html><head><title>Google Drive - Virus scan warning</title>"),
            Sniffed::Html(PageKind::VirusScan)
        );
        assert_eq!(
            sniff(b"<html><head><title>Sign in - Google Accounts</title></head>"),
            Sniffed::Html(PageKind::SignIn)
        );
        assert_eq!(
            sniff(b"<HTML><TITLE>Dropbox - Bass.flac</TITLE>"),
            Sniffed::Html(PageKind::Other)
        );
        assert_eq!(sniff(b"RIFF\0\0\0\0WAVE"), Sniffed::Audio("WAV"));
        assert_eq!(sniff(b"just text"), Sniffed::Unknown);
        assert_eq!(sniff(&[0xc3, 0x28, b'<']), Sniffed::Unknown);
    }

    #[test]
    fn http_errors_are_explained_in_plain_words() {
        let message = |code| http_error_message(StatusCode::from_u16(code).unwrap());
        assert!(message(404).starts_with("There is no file at this link"));
        assert!(message(404).contains("404 Not Found"));
        assert!(message(403).contains("needs a sign-in, or it has expired"));
        assert!(message(401).contains("401 Unauthorized"));
        assert!(message(429).contains("Wait a few minutes"));
        assert!(message(503).contains("503 Service Unavailable"));
        assert!(message(418).contains("refused the link"));
        assert!(message(599).contains("599"));
    }

    #[test]
    fn only_signs_of_trouble_are_warnings() {
        let report = |verdict| PreflightReport {
            verdict,
            status: None,
            content_type: None,
            size: None,
            message: String::new(),
        };
        assert!(!report(Verdict::Audio).is_warning());
        assert!(!report(Verdict::Unknown).is_warning());
        assert!(report(Verdict::HtmlPage).is_warning());
        assert!(report(Verdict::NotAudio).is_warning());
        assert!(report(Verdict::Unreachable).is_warning());
        assert_eq!(
            serde_json::to_value(report(Verdict::HtmlPage)).unwrap()["verdict"],
            "html_page"
        );
    }
}
