//! Checks on text that comes from the service before it reaches a terminal or the history:
//! ids must look like ids, and messages carry no control characters and have a sane length;
//! and links as the log shows them ([`redacted_link`]).

use url::Url;

/// Longest id accepted (audio, task and trace ids are far shorter).
const MAX_ID_CHARS: usize = 128;
/// Longest error code accepted.
const MAX_CODE_CHARS: usize = 64;
/// Longest link accepted for the service's hosted copy.
const MAX_LINK_CHARS: usize = 2048;

/// True for a short token of letters, digits and `-`, `_`, `.`, `:`, such as an id.
pub fn id_shaped(text: &str) -> bool {
    !text.is_empty()
        && text.len() <= MAX_ID_CHARS
        && text
            .bytes()
            .all(|byte| byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b':'))
}

/// True for an error code such as `too_many_requests`.
pub fn code_shaped(text: &str) -> bool {
    !text.is_empty()
        && text.len() <= MAX_CODE_CHARS
        && text
            .bytes()
            .all(|byte| byte.is_ascii_alphanumeric() || matches!(byte, b'_' | b'-' | b'.'))
}

/// True for an http(s) link of sane length without control characters.
pub fn web_link_shaped(text: &str) -> bool {
    text.len() <= MAX_LINK_CHARS
        && !text.chars().any(char::is_control)
        && Url::parse(text).is_ok_and(|url| matches!(url.scheme(), "http" | "https"))
}

/// `text` without control characters (line breaks and tabs become spaces, except that line
/// breaks are kept when `text` has several lines), cut to `max_chars`.
pub fn clean_message(text: &str, max_chars: usize) -> String {
    text.chars()
        .filter_map(|c| match c {
            '\n' => Some('\n'),
            '\t' | '\r' => Some(' '),
            c if c.is_control() => None,
            // Bidirectional overrides can make a terminal show text in a misleading order.
            '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' => None,
            c => Some(c),
        })
        .take(max_chars)
        .collect::<String>()
        .trim()
        .to_owned()
}

/// `url` as every log line shows it: scheme, host, port and path, each query parameter's name
/// with its value replaced by `…`, no user name or password, no fragment. Share and signed links
/// carry their secrets in the query (`rlkey=`, `X-Amz-Signature=`, `sig=`, `token=`, `key=`), and
/// any parameter may be one, so none is shown.
pub fn redacted_link(url: &Url) -> String {
    let mut shown = url.clone();
    let _ = shown.set_username("");
    let _ = shown.set_password(None);
    shown.set_fragment(None);
    if url.query().is_some() {
        let names: Vec<String> = url
            .query_pairs()
            .map(|(name, _)| name.into_owned())
            .collect();
        shown.set_query(None);
        let query = names
            .iter()
            .map(|name| format!("{name}=…"))
            .collect::<Vec<_>>()
            .join("&");
        return format!("{shown}?{query}");
    }
    shown.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_short_plain_tokens() {
        for good in [
            "a1",
            "3f2c-aa_b.c:d",
            "550e8400-e29b-41d4-a716-446655440000",
        ] {
            assert!(id_shaped(good), "{good}");
        }
        let long = "a".repeat(900_000);
        for bad in ["", "a b", "a\u{1b}[2J", "a\nb", "ünï", &long] {
            assert!(!id_shaped(bad), "{bad:.20}");
        }
    }

    #[test]
    fn codes_are_plain_words() {
        assert!(code_shaped("too_many_requests"));
        assert!(!code_shaped("x\u{1b}[31m") && !code_shaped("") && !code_shaped("a b"));
    }

    #[test]
    fn links_must_be_web_links() {
        assert!(web_link_shaped("https://cdn.example/x.mp3"));
        assert!(!web_link_shaped("javascript:alert(1)"));
        assert!(!web_link_shaped("https://cdn.example/\u{1b}x"));
    }

    #[test]
    fn links_in_logs_keep_no_secret() {
        let link = Url::parse(
            "https://user:pw@www.dropbox.com/scl/fi/abc/verse.wav?rlkey=s3cr3t&dl=0#frag",
        )
        .unwrap();
        assert_eq!(
            redacted_link(&link),
            "https://www.dropbox.com/scl/fi/abc/verse.wav?rlkey=…&dl=…"
        );
        let signed = Url::parse(
            "https://b.s3.amazonaws.com/a.wav?X-Amz-Signature=abc123&X-Amz-Credential=AKIA&sig=q&token=t&key=k",
        )
        .unwrap();
        let shown = redacted_link(&signed);
        for secret in ["abc123", "AKIA", "=q", "=t", "=k"] {
            assert!(!shown.contains(secret), "{shown}");
        }
        let plain = Url::parse("https://example.com/a.mp3").unwrap();
        assert_eq!(redacted_link(&plain), "https://example.com/a.mp3");
    }

    #[test]
    fn messages_lose_control_characters_and_are_cut() {
        assert_eq!(clean_message("a\u{1b}[2Jb\tc\u{7}", 100), "a[2Jb c");
        assert_eq!(clean_message("line\nnext", 100), "line\nnext");
        assert_eq!(clean_message("x\u{202e}y", 100), "xy");
        assert_eq!(clean_message(&"é".repeat(1000), 10).chars().count(), 10);
    }
}
