//! `POST /api/v1/files/`: Ace Data Cloud's file host, as the app sees it. The multipart body is
//! streamed to disk (never held whole), then the platform token and the file name's faults are
//! judged, and the stored file is served back under the returned `file_url` (`GET /cdn/...`).
//!
//! - Platform tokens: those in [`SimConfig::accepted_platform_tokens`](super::SimConfig) are
//!   accepted; `platform-sim-error-<code>` answers that error; anything else (an API token
//!   included) is `invalid_token`.
//! - A file over 100 MB (a body over 100 MB and its framing) is never answered, as the real host
//!   does.
//! - Faults by file name: `sim_fault=error500|html502|503|hang|drop|cut` in the uploaded file's
//!   name, optionally with `sim_times=N` (only the first N uploads of that name fail); and
//!   answers a host should never give: `escape` (an error whose code, message and trace id carry
//!   terminal escape sequences), `longlink` (a 900 KB `file_url`), `linklocal` (a `file_url` at
//!   169.254.169.254).

use super::http::{Connection, Request, Response};
use super::{api_error, error, lock, HostedFile, RecordedRequest, Reply, State};
use bytes::Bytes;
use percent_encoding::{utf8_percent_encode, NON_ALPHANUMERIC};
use std::io;
use tokio::io::AsyncWriteExt;

/// The largest upload body answered: a 100 MB file and its multipart framing. Larger uploads are
/// never answered.
const MAX_UPLOAD_BYTES: usize = 100_000_000 + 64 * 1024;
/// Where hosted files are served.
pub(super) const CDN_PREFIX: &str = "/cdn/";

/// Receives one upload and decides its answer.
pub(super) async fn receive(
    state: &State,
    request: &Request,
    connection: &mut Connection,
) -> Reply {
    lock(&state.host_requests).push(RecordedRequest {
        method: request.method.clone(),
        path: request.target.clone(),
        headers: request.headers.clone(),
        body: Vec::new(),
    });
    if request.content_length > MAX_UPLOAD_BYTES {
        return Reply::Hang;
    }
    let stored = match store_file(state, request, connection).await {
        Ok(Some(stored)) => stored,
        Ok(None) => {
            return Reply::Send(api_error(
                400,
                "bad_request",
                "Send the file in the multipart field `file`.",
            ))
        }
        Err(_) => return Reply::Drop,
    };
    if let Err(refusal) = authorize(state, request) {
        // Refused uploads are not kept.
        let _ = std::fs::remove_file(&stored.path);
        return refusal;
    }
    if let Some(reply) = fault(state, &stored.file_name) {
        let _ = std::fs::remove_file(&stored.path);
        return reply;
    }
    let host = request.header("host").unwrap_or("127.0.0.1");
    let file_url = format!(
        "http://{host}{CDN_PREFIX}{}/{}",
        stored.id,
        utf8_percent_encode(&stored.file_name, NON_ALPHANUMERIC)
    );
    lock(&state.hosted).push(HostedFile {
        file_url: file_url.clone(),
        ..stored
    });
    Reply::Send(Response::json(
        200,
        &serde_json::json!({ "file_url": file_url, "success": true }),
    ))
}

/// Streams the multipart body, writing the `file` field to the storage folder; `None` when the
/// body has no such field. The rest of the body is read and discarded.
async fn store_file(
    state: &State,
    request: &Request,
    connection: &mut Connection,
) -> io::Result<Option<HostedFile>> {
    let boundary = request
        .header("content-type")
        .and_then(|value| multer::parse_boundary(value).ok());
    let mut stored = None;
    if let Some(boundary) = boundary {
        let chunks = futures::stream::unfold(&mut *connection, |connection| async move {
            match connection.body_chunk().await {
                Ok(Some(chunk)) => Some((Ok::<_, io::Error>(Bytes::from(chunk)), connection)),
                Ok(None) => None,
                Err(_) => Some((
                    Err(io::Error::new(io::ErrorKind::UnexpectedEof, "body cut off")),
                    connection,
                )),
            }
        });
        let mut multipart = multer::Multipart::new(chunks, boundary);
        // A malformed body is answered 400 (below); a broken connection ends at the final drain.
        while let Ok(Some(mut field)) = multipart.next_field().await {
            if field.name() != Some("file") || stored.is_some() {
                while let Ok(Some(_)) = field.chunk().await {}
                continue;
            }
            let id = uuid::Uuid::new_v4().simple().to_string();
            let path = state.storage.dir.join(&id);
            let mut file = tokio::fs::File::create(&path).await?;
            let mut size = 0;
            let mut complete = true;
            loop {
                match field.chunk().await {
                    Ok(Some(chunk)) => {
                        size += chunk.len() as u64;
                        file.write_all(&chunk).await?;
                    }
                    Ok(None) => break,
                    Err(_) => {
                        complete = false;
                        break;
                    }
                }
            }
            file.flush().await?;
            if !complete {
                let _ = tokio::fs::remove_file(&path).await;
                break;
            }
            stored = Some(HostedFile {
                file_url: String::new(),
                file_name: field.file_name().unwrap_or("upload").to_owned(),
                content_type: field
                    .content_type()
                    .map_or("application/octet-stream".to_owned(), |mime| {
                        mime.to_string()
                    }),
                size,
                path,
                id,
            });
        }
    }
    while connection
        .body_chunk()
        .await
        .map_err(|_| io::Error::from(io::ErrorKind::UnexpectedEof))?
        .is_some()
    {}
    Ok(stored)
}

/// The platform token is accepted, or the refusal.
fn authorize(state: &State, request: &Request) -> Result<(), Reply> {
    let token = request
        .header("authorization")
        .and_then(|value| value.strip_prefix("Bearer ").map(str::trim))
        .filter(|token| !token.is_empty());
    let Some(token) = token else {
        return Err(Reply::Send(error("no_token")));
    };
    if let Some(code) = token
        .strip_prefix("platform-sim-error-")
        .filter(|code| !code.is_empty())
    {
        return Err(Reply::Send(error(code)));
    }
    if !state
        .config
        .accepted_platform_tokens
        .iter()
        .any(|accepted| accepted == token)
    {
        return Err(Reply::Send(error("invalid_token")));
    }
    Ok(())
}

/// The fault the file's name asks for, if it still applies.
fn fault(state: &State, file_name: &str) -> Option<Reply> {
    let words: Vec<&str> = file_name
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '='))
        .collect();
    let value = |key: &str| {
        words
            .iter()
            .find_map(|word| word.strip_prefix(key)?.strip_prefix('='))
    };
    let kind = value("sim_fault")?;
    let times = value("sim_times").and_then(|times| times.parse().ok());
    if !state.fault_applies(&format!("file:{file_name}"), times) {
        return None;
    }
    Some(match kind {
        "error500" => Reply::Send(error("api_error")),
        "html502" => Reply::Send(Response::html(
            502,
            "<html><body><h1>502 Bad Gateway</h1></body></html>",
        )),
        "503" => Reply::Send(Response::html(
            503,
            "<html><body><h1>503 Service Temporarily Unavailable</h1></body></html>",
        )),
        "hang" => Reply::Hang,
        "drop" => Reply::Drop,
        "escape" => Reply::Send(Response::json(
            400,
            &serde_json::json!({
                "error": {
                    "code": "bad\u{1b}[2J_request",
                    "message": "\u{1b}[2J\u{1b}[Hdone: all files uploaded\n\u{1b}]0;title\u{7}",
                },
                "trace_id": "trace\u{1b}[31m",
            }),
        )),
        "longlink" => Reply::Send(Response::json(
            200,
            &serde_json::json!({ "file_url": format!("https://cdn.example/{}.wav", "a".repeat(900_000)) }),
        )),
        "linklocal" => Reply::Send(Response::json(
            200,
            &serde_json::json!({ "file_url": "http://169.254.169.254/latest/meta-data/take.wav" }),
        )),
        "cut" => Reply::Cut(Response::json(
            200,
            &serde_json::json!({ "file_url": "http://127.0.0.1/cut-short" }),
        )),
        other => Reply::Send(api_error(
            400,
            "bad_request",
            &format!("Unknown sim_fault kind: {other}."),
        )),
    })
}

/// `GET /cdn/<id>/<name>`: a hosted file, whole or the single range asked for.
pub(super) fn serve_hosted(state: &State, rest: &str, range: Option<&str>) -> Response {
    let id = rest.split('/').next().unwrap_or_default();
    let found = lock(&state.hosted)
        .iter()
        .find(|hosted| hosted.id == id)
        .cloned();
    match found.map(|hosted| (std::fs::read(&hosted.path), hosted.content_type)) {
        Some((Ok(bytes), content_type)) => super::files::ranged(&content_type, &bytes, range),
        _ => Response::text(404, "No such hosted file.\n"),
    }
}
