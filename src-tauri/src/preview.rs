//! The preview player's audio, fetched by the app instead of the page.
//!
//! The page plays `http://127.0.0.1:<port>/<secret>/<link>` from a small server the app runs
//! on this computer only, which fetches the link with the link check's own client: only links
//! the window shows, only public addresses (unless the API itself is on this computer), every
//! redirect checked again. The audio is passed on as it arrives, ranges included, so the player
//! can seek. (WebKitGTK's media player plays only `http`, `https`, `file`, `blob` and `data`
//! addresses, so an app URI scheme cannot carry it.)

use crate::commands::{api_is_local, MAX_LINK_BYTES};
use crate::state::AppState;
use futures_util::TryStreamExt;
use http_body_util::{combinators::BoxBody, BodyExt, Empty, StreamBody};
use hyper::body::{Bytes, Frame, Incoming};
use hyper::header::{self, HeaderMap, HeaderValue};
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use producer_upload::links;
use producer_upload::preflight::FetchError;
use rand::distr::{Alphanumeric, SampleString};
use std::convert::Infallible;
use std::net::{Ipv4Addr, TcpListener};
use tauri::{AppHandle, Manager, Runtime};

type Body = BoxBody<Bytes, std::io::Error>;

/// Headers of the link's answer passed on to the player.
const PASSED_ON: [header::HeaderName; 4] = [
    header::CONTENT_TYPE,
    header::CONTENT_LENGTH,
    header::CONTENT_RANGE,
    header::ACCEPT_RANGES,
];

/// Where the page fetches previews from: `http://127.0.0.1:<port>/<secret>/`, the link
/// (percent-encoded) following.
#[derive(Debug, Clone)]
pub struct PreviewServer {
    base: String,
}

impl PreviewServer {
    /// Starts the server on a free port of this computer's loopback address, for `app`'s
    /// state.
    pub fn start<R: Runtime>(app: AppHandle<R>) -> std::io::Result<PreviewServer> {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))?;
        listener.set_nonblocking(true)?;
        let secret = Alphanumeric.sample_string(&mut rand::rng(), 32);
        let base = format!("http://{}/{secret}/", listener.local_addr()?);
        let prefix = format!("/{secret}/");
        tauri::async_runtime::spawn(async move {
            let Ok(listener) = tokio::net::TcpListener::from_std(listener) else {
                return;
            };
            while let Ok((stream, _)) = listener.accept().await {
                let app = app.clone();
                let prefix = prefix.clone();
                let service = hyper::service::service_fn(move |request| {
                    let app = app.clone();
                    let prefix = prefix.clone();
                    async move { Ok::<_, Infallible>(serve(&app, &prefix, request).await) }
                });
                tokio::spawn(async move {
                    let connection = hyper::server::conn::http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), service);
                    if let Err(error) = connection.await {
                        tracing::debug!("a preview connection ended: {error}");
                    }
                });
            }
        });
        Ok(PreviewServer { base })
    }

    /// The address the page fetches previews from; a link follows it, percent-encoded.
    pub fn base(&self) -> &str {
        &self.base
    }
}

async fn serve<R: Runtime>(
    app: &AppHandle<R>,
    prefix: &str,
    request: Request<Incoming>,
) -> Response<Body> {
    if request.method() != hyper::Method::GET {
        return status(StatusCode::METHOD_NOT_ALLOWED);
    }
    // Without the secret, nothing: no other program or web page may use this as a proxy.
    let Some(link) = request
        .uri()
        .path()
        .strip_prefix(prefix)
        .and_then(requested_link)
    else {
        return status(StatusCode::NOT_FOUND);
    };
    let Some(state) = app.try_state::<AppState>() else {
        return status(StatusCode::SERVICE_UNAVAILABLE);
    };
    let range = request.headers().get(header::RANGE).cloned();
    answer(&state, &link, range).await
}

/// The link's audio, or the piece `range` asks for, as the link's host answers it.
async fn answer(state: &AppState, link: &str, range: Option<HeaderValue>) -> Response<Body> {
    let Ok(url) = links::browser_link(link) else {
        return status(StatusCode::BAD_REQUEST);
    };
    if !state.shows_link(link).await {
        return status(StatusCode::FORBIDDEN);
    }
    let mut headers = HeaderMap::new();
    if let Some(range) = range {
        headers.insert(header::RANGE, range);
    }
    let fetched = state
        .preflight_http()
        .get(&url, headers, api_is_local(state))
        .await;
    let response = match fetched {
        Ok(response) => response,
        Err(FetchError::Local { .. }) => return status(StatusCode::FORBIDDEN),
        Err(FetchError::Redirects | FetchError::Transport(_)) => {
            return status(StatusCode::BAD_GATEWAY)
        }
    };
    let mut answer = Response::builder().status(response.status());
    for name in PASSED_ON {
        if let Some(value) = response.headers().get(&name) {
            answer = answer.header(name, value);
        }
    }
    let body = StreamBody::new(
        response
            .bytes_stream()
            .map_ok(Frame::data)
            .map_err(std::io::Error::other),
    );
    answer
        .body(body.boxed())
        .unwrap_or_else(|_| status(StatusCode::BAD_GATEWAY))
}

/// The link in what follows the secret (percent-encoded).
fn requested_link(encoded: &str) -> Option<String> {
    let link = percent_encoding::percent_decode_str(encoded)
        .decode_utf8()
        .ok()?;
    (!link.is_empty() && link.len() <= MAX_LINK_BYTES).then(|| link.into_owned())
}

fn status(code: StatusCode) -> Response<Body> {
    let mut response = Response::new(Empty::new().map_err(|never| match never {}).boxed());
    *response.status_mut() = code;
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_link_is_what_follows_the_secret() {
        assert_eq!(
            requested_link("https%3A%2F%2Fcdn.example%2Fa%20b.mp3%3Fx%3D1").as_deref(),
            Some("https://cdn.example/a b.mp3?x=1")
        );
        assert_eq!(requested_link(""), None);
        assert_eq!(requested_link(&"a".repeat(MAX_LINK_BYTES + 1)), None);
    }
}
