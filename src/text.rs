//! Checks on text that comes from the service before it reaches a terminal or the history:
//! ids must look like ids, and messages carry no control characters and have a sane length.

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
    fn messages_lose_control_characters_and_are_cut() {
        assert_eq!(clean_message("a\u{1b}[2Jb\tc\u{7}", 100), "a[2Jb c");
        assert_eq!(clean_message("line\nnext", 100), "line\nnext");
        assert_eq!(clean_message("x\u{202e}y", 100), "xy");
        assert_eq!(clean_message(&"é".repeat(1000), 10).chars().count(), 10);
    }
}
