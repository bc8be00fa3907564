//! The two tokens, each in a type that never shows itself: the API token ([`ApiToken`]) for the
//! Producer Upload API, and the platform token ([`PlatformToken`]) for Ace Data Cloud's file host.

use crate::tr;
use secrecy::{ExposeSecret, SecretString};
use std::fmt;

/// The shortest token whose last four characters are shown: at least eight stay hidden.
pub const SHOWN_END_MIN_CHARS: usize = 12;

/// An Ace Data Cloud API token.
///
/// `Debug` and `Display` print `[redacted]`, it does not implement `Serialize`, and its memory is
/// wiped when dropped. The only way to read it is [`ApiToken::expose`], used when building the
/// `authorization` header and when saving it to the keychain.
#[derive(Clone)]
pub struct ApiToken(SecretString);

/// Why a pasted token was refused before it was stored or sent. Its `Display` is the message,
/// in the language in use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenInputError {
    /// Nothing but whitespace was given.
    Empty,
    /// The text has spaces or control characters inside it, so it is not a single token.
    Malformed,
    /// A platform token was asked for, and this is not one.
    NotPlatform,
    /// An API token was asked for, and this is a platform token (for the file host only).
    IsPlatform,
}

impl TokenInputError {
    /// What was wrong and what to paste instead, in the language in use.
    pub fn message(&self) -> String {
        match self {
            TokenInputError::Empty => tr!("token-empty"),
            TokenInputError::Malformed => tr!("token-malformed"),
            TokenInputError::NotPlatform => tr!("token-not-platform"),
            TokenInputError::IsPlatform => tr!("token-is-platform"),
        }
    }
}

impl fmt::Display for TokenInputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message())
    }
}

impl std::error::Error for TokenInputError {}

/// An Ace Data Cloud platform token, for the file host only; it starts with `platform-`.
///
/// Kept apart from [`ApiToken`] by its type, so neither can be sent to the other's service by
/// mistake. Redacted and wiped like it.
#[derive(Clone)]
pub struct PlatformToken(ApiToken);

impl PlatformToken {
    /// The prefix every platform token has.
    pub const PREFIX: &'static str = "platform-";

    /// Takes a token as pasted (cleaned as [`ApiToken::parse`] does); it must start with
    /// [`PlatformToken::PREFIX`].
    pub fn parse(input: &str) -> Result<Self, TokenInputError> {
        let token = ApiToken::parse(input)?;
        if !token.expose().starts_with(Self::PREFIX) {
            return Err(TokenInputError::NotPlatform);
        }
        Ok(Self(token))
    }

    /// The token itself. Only for the file host's `authorization` header and the keychain.
    pub fn expose(&self) -> &str {
        self.0.expose()
    }

    /// The last four characters, which is all the app ever shows of a token (see
    /// [`ApiToken::last_four`]).
    pub fn last_four(&self) -> Option<String> {
        self.0.last_four()
    }
}

impl fmt::Debug for PlatformToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PlatformToken([redacted])")
    }
}

impl fmt::Display for PlatformToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

impl ApiToken {
    /// Takes a token as pasted: surrounding whitespace, quotes and a leading `Bearer ` are removed.
    pub fn parse(input: &str) -> Result<Self, TokenInputError> {
        let mut token = input.trim();
        if let Some(rest) = token
            .strip_prefix("Bearer ")
            .or_else(|| token.strip_prefix("bearer "))
        {
            token = rest.trim();
        }
        let token = token.trim_matches(|c| c == '"' || c == '\'').trim();
        if token.is_empty() {
            return Err(TokenInputError::Empty);
        }
        if token.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(TokenInputError::Malformed);
        }
        Ok(Self(SecretString::from(token.to_owned())))
    }

    /// Takes an API token as pasted ([`ApiToken::parse`]), refusing a platform token: that one
    /// is for the file host only and must never reach the Producer API.
    pub fn parse_api(input: &str) -> Result<Self, TokenInputError> {
        let token = Self::parse(input)?;
        if token.expose().starts_with(PlatformToken::PREFIX) {
            return Err(TokenInputError::IsPlatform);
        }
        Ok(token)
    }

    /// The token itself. Only for the `authorization` header and the keychain.
    pub fn expose(&self) -> &str {
        self.0.expose_secret()
    }

    /// The last four characters, which is all the app ever shows of a token; `None` for a
    /// token shorter than [`SHOWN_END_MIN_CHARS`], whose last four would give most of it away.
    pub fn last_four(&self) -> Option<String> {
        let chars: Vec<char> = self.expose().chars().collect();
        (chars.len() >= SHOWN_END_MIN_CHARS).then(|| chars[chars.len() - 4..].iter().collect())
    }
}

impl fmt::Debug for ApiToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ApiToken([redacted])")
    }
}

impl fmt::Display for ApiToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_and_display_never_show_the_token() {
        let token = ApiToken::parse("sk-very-secret-1234").unwrap();
        assert_eq!(format!("{token:?}"), "ApiToken([redacted])");
        assert_eq!(format!("{token}"), "[redacted]");
        assert_eq!(format!("{:?}", Some(&token)), "Some(ApiToken([redacted]))");
    }

    #[test]
    fn pasted_tokens_are_cleaned() {
        for input in [
            "  abc123\n",
            "Bearer abc123",
            "\"abc123\"",
            "bearer  'abc123' ",
        ] {
            assert_eq!(
                ApiToken::parse(input).unwrap().expose(),
                "abc123",
                "{input:?}"
            );
        }
    }

    #[test]
    fn bad_token_input_is_refused_plainly() {
        assert_eq!(ApiToken::parse("   ").unwrap_err(), TokenInputError::Empty);
        assert_eq!(
            ApiToken::parse("two words").unwrap_err(),
            TokenInputError::Malformed
        );
        assert_eq!(
            ApiToken::parse("a\nb").unwrap_err(),
            TokenInputError::Malformed
        );
    }

    #[test]
    fn platform_tokens_are_redacted_and_must_say_platform() {
        let token = PlatformToken::parse(" Bearer platform-secret-9876 ").unwrap();
        assert_eq!(token.expose(), "platform-secret-9876");
        assert_eq!(token.last_four().as_deref(), Some("9876"));
        assert_eq!(format!("{token:?}"), "PlatformToken([redacted])");
        assert_eq!(format!("{token}"), "[redacted]");
        assert_eq!(
            PlatformToken::parse("sk-api-token").unwrap_err(),
            TokenInputError::NotPlatform
        );
        assert_eq!(
            PlatformToken::parse(" ").unwrap_err(),
            TokenInputError::Empty
        );
    }

    #[test]
    fn the_api_token_field_refuses_a_platform_token() {
        assert_eq!(
            ApiToken::parse_api("Bearer platform-secret-9876").unwrap_err(),
            TokenInputError::IsPlatform
        );
        assert_eq!(
            ApiToken::parse_api(" sk-1234 ").unwrap().expose(),
            "sk-1234"
        );
    }

    #[test]
    fn last_four_is_all_that_is_shown_and_nothing_of_a_short_token() {
        let long = ApiToken::parse("abcdefgh1234").unwrap();
        assert_eq!(long.last_four().as_deref(), Some("1234"));
        // "Token ending in oken" gave away four of a five-letter token.
        for short in ["token", "sim-token", "abcdefg1234", "ab"] {
            assert_eq!(ApiToken::parse(short).unwrap().last_four(), None, "{short}");
        }
        let platform = PlatformToken::parse("platform-secret-wxyz").unwrap();
        assert_eq!(platform.last_four().as_deref(), Some("wxyz"));
    }
}
