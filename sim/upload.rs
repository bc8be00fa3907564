//! `POST /producer/upload`: token checks, body checks, the rate limit, per-link faults, and
//! finally a fresh `audio_id`.

use super::http::{Request, Response};
use super::rate::retry_after_secs;
use super::{api_error, error, IssuedId, Reply, State};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::time::{Duration, Instant, SystemTime};
use url::Url;
use uuid::Uuid;

/// The page a gateway shows when the service behind it fails.
const BAD_GATEWAY_PAGE: &str = "<html><body><h1>502 Bad Gateway</h1></body></html>";
/// Size of the `huge` fault's page.
const HUGE_PAGE_BYTES: usize = 3 * 1024 * 1024;
/// Longest `sim_retry_after` accepted, in seconds (one day).
const MAX_RETRY_AFTER_SECS: u64 = 86_400;

/// Answers one upload request, in the documented order of checks.
pub(super) async fn upload(state: &State, request: &Request) -> Reply {
    let _answering = super::Answering::start(state);
    if !state.config.latency.is_zero() {
        tokio::time::sleep(state.config.latency).await;
    }
    if let Err(refusal) = authorize(state, request) {
        return refusal;
    }
    let (audio_url, url) = match audio_url(&request.body) {
        Ok(found) => found,
        Err(response) => return Reply::Send(response),
    };
    if let Some(bucket) = &state.bucket {
        if let Err(wait) = super::lock(bucket).try_take(Instant::now()) {
            return Reply::Send(
                error("too_many_requests")
                    .with_header("retry-after", retry_after_secs(wait).to_string()),
            );
        }
    }
    let fault = match FaultSpec::from_url(&url) {
        Ok(Some(spec)) if state.fault_applies(&audio_url, spec.times) => Some(spec.fault),
        Ok(_) => None,
        Err(response) => return Reply::Send(response),
    };
    match fault {
        None => Reply::Send(issue(state, audio_url, false)),
        Some(fault) => fault.reply(state, audio_url).await,
    }
}

/// Steps 1 and 2: a bearer token that is accepted, or the refusal.
pub(super) fn authorize(state: &State, request: &Request) -> Result<(), Reply> {
    let Some(token) = request.header("authorization").and_then(bearer_token) else {
        return Err(Reply::Send(error("no_token")));
    };
    if token == "sim-html-error" {
        return Err(Reply::Send(Response::html(502, BAD_GATEWAY_PAGE)));
    }
    if let Some(code) = token
        .strip_prefix("sim-error-")
        .filter(|code| !code.is_empty())
    {
        return Err(Reply::Send(error(code)));
    }
    if !state
        .config
        .accepted_tokens
        .iter()
        .any(|accepted| accepted == token)
    {
        return Err(Reply::Send(error("invalid_token")));
    }
    Ok(())
}

/// The token of an `authorization: Bearer <token>` value.
fn bearer_token(value: &str) -> Option<&str> {
    let (scheme, token) = value.trim().split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then_some(token)
}

/// Step 3: the `audio_url` of the JSON body, as sent and parsed, if it is an http(s) link.
fn audio_url(body: &[u8]) -> Result<(String, Url), Response> {
    let value: Value = serde_json::from_slice(body)
        .map_err(|_| bad_request("The request body is not valid JSON."))?;
    let object = value
        .as_object()
        .ok_or_else(|| bad_request("The request body must be a JSON object."))?;
    let audio_url = match object.get("audio_url") {
        None => return Err(bad_request("The audio_url field is required.")),
        Some(Value::String(text)) if text.trim().is_empty() => {
            return Err(bad_request("The audio_url field is empty."))
        }
        Some(Value::String(text)) => text,
        Some(_) => return Err(bad_request("The audio_url field must be a string.")),
    };
    match Url::parse(audio_url) {
        Ok(url) if matches!(url.scheme(), "http" | "https") && url.has_host() => {
            Ok((audio_url.clone(), url))
        }
        _ => Err(bad_request(
            "The audio_url field must be an http or https link.",
        )),
    }
}

/// Issues a fresh `audio_id` for the link and answers with it; `rich` adds the extra fields the
/// service's guides show.
fn issue(state: &State, audio_url: String, rich: bool) -> Response {
    let audio_id = Uuid::new_v4().to_string();
    let body = if rich {
        json!({
            "success": true,
            "task_id": Uuid::new_v4().to_string(),
            "data": {
                "audio_id": audio_id,
                "audio_url": format!("https://cdn.acedata.cloud/{audio_id}.mp3"),
                "lyric": "",
                "some_new_field": 1,
            },
        })
    } else {
        json!({ "data": { "audio_id": audio_id }, "success": true })
    };
    match state.record_issued(IssuedId {
        audio_id,
        audio_url,
    }) {
        Ok(()) => Response::json(200, &body),
        Err(err) => {
            tracing::error!("could not write the issued log: {err}");
            error("api_error")
        }
    }
}

pub(super) fn bad_request(message: &str) -> Response {
    api_error(400, "bad_request", message)
}

/// A fault named by `sim_fault` in the query of an `audio_url`.
#[derive(Debug, Clone, PartialEq)]
enum Fault {
    Error500,
    Html502,
    Unavailable503,
    GatewayTimeout504,
    Rate429 {
        retry_after_secs: u64,
        as_date: bool,
    },
    Cut,
    Drop,
    Hang,
    Empty,
    NotJson,
    Huge,
    Slow(Duration),
    Rich,
}

/// A fault and, from `sim_times`, how many requests for the link it applies to.
#[derive(Debug, PartialEq)]
struct FaultSpec {
    fault: Fault,
    times: Option<u64>,
}

impl FaultSpec {
    /// Reads `sim_fault` and its options from the link's query; `Ok(None)` when there is none.
    fn from_url(url: &Url) -> Result<Option<Self>, Response> {
        let params: HashMap<String, String> = url.query_pairs().into_owned().collect();
        let Some(kind) = params.get("sim_fault") else {
            return Ok(None);
        };
        let number = |name: &str, default: u64| match params.get(name) {
            None => Ok(default),
            Some(text) => text
                .parse::<u64>()
                .map_err(|_| bad_request(&format!("{name} must be a whole number."))),
        };
        let fault = match kind.as_str() {
            "error500" => Fault::Error500,
            "html502" => Fault::Html502,
            "503" => Fault::Unavailable503,
            "504" => Fault::GatewayTimeout504,
            "rate429" => {
                let retry_after_secs = number("sim_retry_after", 1)?;
                if retry_after_secs > MAX_RETRY_AFTER_SECS {
                    return Err(bad_request("sim_retry_after must be at most 86400."));
                }
                Fault::Rate429 {
                    retry_after_secs,
                    as_date: params.get("sim_retry_date").is_some_and(|v| v == "1"),
                }
            }
            "cut" => Fault::Cut,
            "drop" => Fault::Drop,
            "hang" => Fault::Hang,
            "empty" => Fault::Empty,
            "notjson" => Fault::NotJson,
            "huge" => Fault::Huge,
            "slow" => Fault::Slow(Duration::from_millis(number("sim_delay_ms", 2000)?)),
            "rich" => Fault::Rich,
            other => return Err(bad_request(&format!("Unknown sim_fault kind: {other}."))),
        };
        let times = if params.contains_key("sim_times") {
            Some(number("sim_times", 0)?)
        } else {
            None
        };
        Ok(Some(Self { fault, times }))
    }
}

impl Fault {
    /// Acts out the fault for one request for `audio_url`.
    async fn reply(self, state: &State, audio_url: String) -> Reply {
        match self {
            Fault::Error500 => Reply::Send(error("api_error")),
            Fault::Html502 => Reply::Send(Response::html(502, BAD_GATEWAY_PAGE)),
            Fault::Unavailable503 => Reply::Send(Response::html(
                503,
                "<html><body><h1>503 Service Temporarily Unavailable</h1></body></html>",
            )),
            Fault::GatewayTimeout504 => Reply::Send(Response::html(
                504,
                "<html><body><h1>504 Gateway Time-out</h1></body></html>",
            )),
            Fault::Rate429 {
                retry_after_secs,
                as_date,
            } => {
                let retry_after = if as_date {
                    let at = SystemTime::now() + Duration::from_secs(retry_after_secs);
                    httpdate::fmt_http_date(at)
                } else {
                    retry_after_secs.to_string()
                };
                Reply::Send(error("too_many_requests").with_header("retry-after", retry_after))
            }
            // The service did the work; only its answer is lost on the way.
            Fault::Cut => Reply::Cut(issue(state, audio_url, false)),
            Fault::Drop => Reply::Drop,
            Fault::Hang => Reply::Hang,
            Fault::Empty => Reply::Send(Response::new(200, "application/json", Vec::new())),
            Fault::NotJson => Reply::Send(Response::text(200, "OK")),
            Fault::Huge => Reply::Send(Response::html(200, huge_page())),
            Fault::Slow(delay) => {
                tokio::time::sleep(delay).await;
                Reply::Send(issue(state, audio_url, false))
            }
            Fault::Rich => Reply::Send(issue(state, audio_url, true)),
        }
    }
}

/// An HTML page of exactly [`HUGE_PAGE_BYTES`].
fn huge_page() -> Vec<u8> {
    const CLOSE: &[u8] = b"</body></html>";
    let mut page = b"<html><body>".to_vec();
    page.resize(HUGE_PAGE_BYTES - CLOSE.len(), b'x');
    page.extend_from_slice(CLOSE);
    page
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(link: &str) -> Result<Option<FaultSpec>, u16> {
        let url = Url::parse(link).map_err(|_| 0u16)?;
        FaultSpec::from_url(&url).map_err(|response| response.status)
    }

    #[test]
    fn reads_bearer_tokens() {
        assert_eq!(bearer_token("Bearer abc"), Some("abc"));
        assert_eq!(bearer_token("bearer  abc "), Some("abc"));
        assert_eq!(bearer_token("Basic abc"), None);
        assert_eq!(bearer_token("Bearer "), None);
        assert_eq!(bearer_token("abc"), None);
    }

    #[test]
    fn reads_the_audio_url() {
        let ok = audio_url(br#"{"audio_url": "https://a.example/x.mp3"}"#);
        assert_eq!(
            ok.map(|(text, _)| text).ok().as_deref(),
            Some("https://a.example/x.mp3")
        );
        for body in [
            &b"not json"[..],
            br#"["https://a.example/x.mp3"]"#,
            br#"{}"#,
            br#"{"audio_url": 5}"#,
            br#"{"audio_url": " "}"#,
            br#"{"audio_url": "ftp://a.example/x.mp3"}"#,
            br#"{"audio_url": "not a link"}"#,
            br#"{"audio_url": "file:///tmp/x.mp3"}"#,
        ] {
            let status = audio_url(body)
                .map(|_| ())
                .map_err(|response| response.status);
            assert_eq!(status, Err(400), "{}", String::from_utf8_lossy(body));
        }
    }

    #[test]
    fn reads_fault_specs_from_the_query() {
        assert_eq!(spec("https://a.example/x.mp3"), Ok(None));
        assert_eq!(
            spec("https://a.example/x.mp3?sim_fault=error500&sim_times=2"),
            Ok(Some(FaultSpec {
                fault: Fault::Error500,
                times: Some(2)
            }))
        );
        assert_eq!(
            spec("https://a.example/x.mp3?sim_fault=rate429&sim_retry_after=7&sim_retry_date=1"),
            Ok(Some(FaultSpec {
                fault: Fault::Rate429 {
                    retry_after_secs: 7,
                    as_date: true
                },
                times: None
            }))
        );
        assert_eq!(
            spec("https://a.example/x.mp3?sim_fault=slow").map(|s| s.map(|s| s.fault)),
            Ok(Some(Fault::Slow(Duration::from_secs(2))))
        );
    }

    #[test]
    fn refuses_unusable_fault_specs() {
        assert_eq!(spec("https://a.example/x?sim_fault=explode"), Err(400));
        assert_eq!(
            spec("https://a.example/x?sim_fault=drop&sim_times=-1"),
            Err(400)
        );
        assert_eq!(
            spec("https://a.example/x?sim_fault=slow&sim_delay_ms=soon"),
            Err(400)
        );
        assert_eq!(
            spec("https://a.example/x?sim_fault=rate429&sim_retry_after=99999999"),
            Err(400)
        );
    }

    #[test]
    fn undocumented_error_codes_are_400() {
        assert_eq!(error("quota_melted").status, 400);
        assert_eq!(error("token_mismatched").status, 401);
        assert_eq!(error("used_up").status, 403);
    }

    #[test]
    fn the_huge_page_is_three_mebibytes_of_html() {
        let page = huge_page();
        assert_eq!(page.len(), HUGE_PAGE_BYTES);
        assert!(page.starts_with(b"<html><body>") && page.ends_with(b"</body></html>"));
    }
}
