//! Just enough HTTP/1.1 for the simulator: request heads parsed with `httparse`, bodies framed by
//! `Content-Length` (read whole, or streamed in chunks for the file host), keep-alive, and responses written as plain bytes so that faults can break
//! them on purpose.

use std::io;
use std::time::SystemTime;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// Largest request head accepted; a longer one gets 431.
const MAX_HEAD_BYTES: usize = 64 * 1024;
/// Most header lines accepted in one request; more get 431.
const MAX_HEADERS: usize = 64;
/// Largest request body accepted; a longer one gets 413.
const MAX_BODY_BYTES: usize = 1024 * 1024;

/// One complete request as received.
#[derive(Debug)]
pub(super) struct Request {
    pub method: String,
    /// The request target as sent: path and query.
    pub target: String,
    /// Header names in lower case, in the order received.
    pub headers: Vec<(String, String)>,
    /// The body, except for the file host's uploads, whose body is streamed with
    /// [`Connection::body_chunk`].
    pub body: Vec<u8>,
    /// The announced body length.
    pub content_length: usize,
    /// Whether the body is left for [`Connection::body_chunk`] (the file host's uploads).
    pub streamed: bool,
    /// Whether the client lets the connection stay open after the answer.
    pub keep_alive: bool,
}

impl Request {
    /// The target without its query.
    pub fn path(&self) -> &str {
        self.target
            .split_once('?')
            .map_or(self.target.as_str(), |(path, _)| path)
    }

    /// The first value of a header, by its lower-case name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(header, _)| header == name)
            .map(|(_, value)| value.as_str())
    }
}

/// A request head, before its body is read.
#[derive(Debug, PartialEq)]
pub(super) struct Head {
    pub method: String,
    pub target: String,
    pub headers: Vec<(String, String)>,
    pub content_length: usize,
    pub keep_alive: bool,
    pub expects_continue: bool,
    /// The body is streamed (the file host's uploads), so it may be larger than what is read whole.
    pub streamed: bool,
}

/// Parses a request head at the start of `buf`.
///
/// Returns `Ok(None)` while more bytes are needed, or the head and its length in bytes. An `Err`
/// is the answer to send before closing the connection.
pub(super) fn parse_head(buf: &[u8]) -> Result<Option<(Head, usize)>, Response> {
    let mut slots = [httparse::EMPTY_HEADER; MAX_HEADERS];
    let mut parsed = httparse::Request::new(&mut slots);
    let head_len = match parsed.parse(buf) {
        Ok(httparse::Status::Complete(len)) => len,
        Ok(httparse::Status::Partial) if buf.len() > MAX_HEAD_BYTES => {
            return Err(Response::text(431, "Request head too large.\n"))
        }
        Ok(httparse::Status::Partial) => return Ok(None),
        Err(httparse::Error::TooManyHeaders) => {
            return Err(Response::text(431, "Too many header lines.\n"))
        }
        Err(_) => return Err(Response::text(400, "Malformed request.\n")),
    };
    let (Some(method), Some(target), Some(version)) = (parsed.method, parsed.path, parsed.version)
    else {
        return Err(Response::text(400, "Malformed request.\n"));
    };
    let headers: Vec<(String, String)> = parsed
        .headers
        .iter()
        .map(|header| {
            (
                header.name.to_ascii_lowercase(),
                String::from_utf8_lossy(header.value).trim().to_owned(),
            )
        })
        .collect();
    let values = |name: &'static str| {
        headers
            .iter()
            .filter(move |(header, _)| header == name)
            .map(|(_, value)| value.as_str())
    };

    if values("transfer-encoding").next().is_some() {
        return Err(Response::text(
            411,
            "Send the body with a Content-Length; chunked bodies are not supported.\n",
        ));
    }
    let mut content_length = None;
    for value in values("content-length") {
        let length = Some(value)
            .filter(|v| !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()))
            .and_then(|v| v.parse::<usize>().ok())
            .ok_or_else(|| Response::text(400, "Malformed Content-Length.\n"))?;
        if content_length.is_some_and(|seen| seen != length) {
            return Err(Response::text(400, "Conflicting Content-Length headers.\n"));
        }
        content_length = Some(length);
    }
    let content_length = content_length.unwrap_or(0);
    let streamed = method == "POST" && target.split('?').next() == Some(super::FILE_HOST_PATH);
    if content_length > MAX_BODY_BYTES && !streamed {
        return Err(Response::text(413, "Request body too large.\n"));
    }

    let connection_has = |option: &str| {
        values("connection")
            .flat_map(|value| value.split(','))
            .any(|token| token.trim().eq_ignore_ascii_case(option))
    };
    let keep_alive = if version >= 1 {
        !connection_has("close")
    } else {
        connection_has("keep-alive")
    };
    let expects_continue = values("expect").any(|value| value.eq_ignore_ascii_case("100-continue"));

    let head = Head {
        method: method.to_owned(),
        target: target.to_owned(),
        headers,
        content_length,
        keep_alive,
        expects_continue,
        streamed,
    };
    Ok(Some((head, head_len)))
}

/// An answer, written with `Content-Length` framing.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Response {
    pub status: u16,
    /// Extra headers; `date`, `content-length` and `connection` are added when written.
    pub headers: Vec<(&'static str, String)>,
    pub body: Vec<u8>,
}

impl Response {
    /// An answer with a body of the given content type.
    pub fn new(status: u16, content_type: &str, body: impl Into<Vec<u8>>) -> Self {
        Self {
            status,
            headers: vec![("content-type", content_type.to_owned())],
            body: body.into(),
        }
    }

    /// A JSON answer.
    pub fn json(status: u16, value: &serde_json::Value) -> Self {
        Self::new(status, "application/json", value.to_string())
    }

    /// A plain-text answer.
    pub fn text(status: u16, text: &str) -> Self {
        Self::new(status, "text/plain; charset=utf-8", text)
    }

    /// An HTML answer.
    pub fn html(status: u16, page: impl Into<Vec<u8>>) -> Self {
        Self::new(status, "text/html; charset=utf-8", page)
    }

    /// Adds a header.
    pub fn with_header(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.headers.push((name, value.into()));
        self
    }

    /// The status line and headers, announcing a body of `self.body.len()` bytes.
    fn head(&self, close: bool) -> Vec<u8> {
        let mut head = format!(
            "HTTP/1.1 {} {}\r\ndate: {}\r\ncontent-length: {}\r\n",
            self.status,
            reason_phrase(self.status),
            httpdate::fmt_http_date(SystemTime::now()),
            self.body.len()
        );
        for (name, value) in &self.headers {
            head.extend([name, ": ", value.as_str(), "\r\n"]);
        }
        if close {
            head.push_str("connection: close\r\n");
        }
        head.push_str("\r\n");
        head.into_bytes()
    }
}

fn reason_phrase(status: u16) -> &'static str {
    match status {
        200 => "OK",
        206 => "Partial Content",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        411 => "Length Required",
        413 => "Content Too Large",
        416 => "Range Not Satisfiable",
        429 => "Too Many Requests",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "Unknown",
    }
}

/// Why no request could be read.
pub(super) enum ReadError {
    /// The client closed the connection (between requests or in the middle of one) or it failed.
    Closed,
    /// The request is unusable; send this answer, then close.
    Rejected(Response),
}

/// One client connection: a socket and the bytes read from it but not yet used.
pub(super) struct Connection {
    stream: TcpStream,
    buf: Vec<u8>,
    /// Bytes of a streamed body not yet taken with [`Connection::body_chunk`].
    unread_body: usize,
}

impl Connection {
    pub fn new(stream: TcpStream) -> Self {
        Self {
            stream,
            buf: Vec::new(),
            unread_body: 0,
        }
    }

    /// Reads the next request, keeping any bytes after it for the one that follows.
    pub async fn read_request(&mut self) -> Result<Request, ReadError> {
        let (head, head_len) = loop {
            if let Some(found) = parse_head(&self.buf).map_err(ReadError::Rejected)? {
                break found;
            }
            self.fill().await?;
        };
        self.buf.drain(..head_len);
        if head.expects_continue && self.buf.len() < head.content_length {
            self.stream
                .write_all(b"HTTP/1.1 100 Continue\r\n\r\n")
                .await
                .map_err(|_| ReadError::Closed)?;
        }
        let body = if head.streamed {
            self.unread_body = head.content_length;
            Vec::new()
        } else {
            while self.buf.len() < head.content_length {
                self.fill().await?;
            }
            self.buf.drain(..head.content_length).collect()
        };
        Ok(Request {
            method: head.method,
            target: head.target,
            headers: head.headers,
            body,
            content_length: head.content_length,
            streamed: head.streamed,
            keep_alive: head.keep_alive,
        })
    }

    /// The next piece of a streamed body, or `None` once all of it has been taken.
    pub async fn body_chunk(&mut self) -> Result<Option<Vec<u8>>, ReadError> {
        if self.unread_body == 0 {
            return Ok(None);
        }
        if self.buf.is_empty() {
            self.fill().await?;
        }
        let take = self.buf.len().min(self.unread_body);
        self.unread_body -= take;
        Ok(Some(self.buf.drain(..take).collect()))
    }

    /// Whether part of a streamed body is still unread (the connection cannot be reused).
    pub fn has_unread_body(&self) -> bool {
        self.unread_body > 0
    }

    async fn fill(&mut self) -> Result<(), ReadError> {
        self.buf.reserve(64 * 1024);
        match self.stream.read_buf(&mut self.buf).await {
            Ok(0) | Err(_) => Err(ReadError::Closed),
            Ok(_) => Ok(()),
        }
    }

    /// Writes a whole answer; without `with_body` only its head (as for `HEAD` requests).
    pub async fn send(
        &mut self,
        response: &Response,
        with_body: bool,
        close: bool,
    ) -> io::Result<()> {
        let mut bytes = response.head(close);
        if with_body {
            bytes.extend_from_slice(&response.body);
        }
        self.stream.write_all(&bytes).await
    }

    /// Writes the head announcing the full body, then only the first half of the body, then
    /// closes the connection.
    pub async fn send_cut(&mut self, response: &Response) -> io::Result<()> {
        let mut bytes = response.head(false);
        bytes.extend_from_slice(&response.body[..response.body.len() / 2]);
        self.stream.write_all(&bytes).await?;
        self.stream.shutdown().await
    }

    /// Waits, discarding whatever arrives, until the client closes the connection.
    pub async fn wait_for_close(&mut self) {
        while self.fill().await.is_ok() {
            self.buf.clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn head(raw: &str) -> Head {
        match parse_head(raw.as_bytes()) {
            Ok(Some((head, len))) => {
                assert_eq!(len, raw.find("\r\n\r\n").map_or(0, |end| end + 4));
                head
            }
            other => panic!("expected a complete head, got {other:?}"),
        }
    }

    fn rejection(raw: &str) -> u16 {
        match parse_head(raw.as_bytes()) {
            Err(response) => response.status,
            other => panic!("expected a rejection, got {other:?}"),
        }
    }

    #[test]
    fn parses_a_post_with_its_headers() {
        let head = head(
            "POST /producer/upload?x=1 HTTP/1.1\r\nHost: a\r\nAuthorization: Bearer t\r\n\
             Content-Length: 12\r\n\r\n{\"audio_url\"",
        );
        assert_eq!(head.method, "POST");
        assert_eq!(head.target, "/producer/upload?x=1");
        assert_eq!(head.content_length, 12);
        assert!(head.keep_alive);
        assert!(!head.expects_continue);
        assert!(head
            .headers
            .contains(&("authorization".to_owned(), "Bearer t".to_owned())));
    }

    #[test]
    fn waits_for_the_rest_of_a_partial_head() {
        assert_eq!(
            parse_head(b"POST /producer/upload HTTP/1.1\r\nHo"),
            Ok(None)
        );
        assert_eq!(parse_head(b""), Ok(None));
    }

    #[test]
    fn keep_alive_follows_the_version_and_connection_header() {
        assert!(!head("GET / HTTP/1.1\r\nConnection: Close\r\n\r\n").keep_alive);
        assert!(!head("GET / HTTP/1.1\r\nConnection: upgrade, close\r\n\r\n").keep_alive);
        assert!(!head("GET / HTTP/1.0\r\n\r\n").keep_alive);
        assert!(head("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").keep_alive);
    }

    #[test]
    fn notices_expect_continue() {
        assert!(
            head("POST / HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\n")
                .expects_continue
        );
    }

    #[test]
    fn rejects_bad_framing() {
        assert_eq!(
            rejection("GET / HTTP/1.1\r\nContent-Length: abc\r\n\r\n"),
            400
        );
        assert_eq!(
            rejection("GET / HTTP/1.1\r\nContent-Length: +5\r\n\r\n"),
            400
        );
        assert_eq!(
            rejection("GET / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n"),
            400
        );
        assert_eq!(
            rejection("GET / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"),
            411
        );
        assert_eq!(
            rejection("GET / HTTP/1.1\r\nContent-Length: 99999999\r\n\r\n"),
            413
        );
        assert_eq!(rejection("NOT HTTP AT ALL\r\n\r\n"), 400);
        assert_eq!(rejection("GET / HTTP/1.1\r\nBad Header\r\n\r\n"), 400);
    }

    #[test]
    fn only_file_host_uploads_may_be_larger_than_a_body_read_whole() {
        let upload = head("POST /api/v1/files/ HTTP/1.1\r\nContent-Length: 99999999\r\n\r\n");
        assert!(upload.streamed);
        assert_eq!(upload.content_length, 99_999_999);
        assert_eq!(
            rejection("POST /producer/upload HTTP/1.1\r\nContent-Length: 99999999\r\n\r\n"),
            413
        );
        assert!(!head("POST /producer/upload HTTP/1.1\r\nContent-Length: 2\r\n\r\n").streamed);
    }

    #[test]
    fn rejects_oversized_heads() {
        let long = format!("GET / HTTP/1.1\r\nx-long: {}", "a".repeat(MAX_HEAD_BYTES));
        assert_eq!(rejection(&long), 431);
        let many: String = (0..=MAX_HEADERS).map(|i| format!("x-{i}: 1\r\n")).collect();
        assert_eq!(rejection(&format!("GET / HTTP/1.1\r\n{many}\r\n")), 431);
    }

    #[test]
    fn agrees_on_repeated_equal_content_lengths() {
        let raw = "POST / HTTP/1.1\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\n";
        assert_eq!(head(raw).content_length, 2);
    }

    #[test]
    fn writes_content_length_and_connection_close() {
        let response = Response::text(404, "gone").with_header("x-extra", "1");
        let head = String::from_utf8(response.head(true)).unwrap_or_default();
        assert!(head.starts_with("HTTP/1.1 404 Not Found\r\n"));
        assert!(head.contains("content-length: 4\r\n"));
        assert!(head.contains("x-extra: 1\r\n"));
        assert!(head.ends_with("connection: close\r\n\r\n"));
    }
}
