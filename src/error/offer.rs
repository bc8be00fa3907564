//! What the window offers for each error code: the next step (the button beside the message,
//! and whether its screen opens by itself) and the icon drawn before the message. Every report
//! carries them (`next_step`, `opens_by_itself`, `icon`), so the window keeps no table of codes.

use super::ErrorCode;
use serde::Serialize;

/// The button the window offers beside an error's message.
///
/// `offer.json` beside this file holds every step and icon and each code's offer, as Rust sends
/// them (a test here keeps it so); the window's tests read it (`cd ui && node --test`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NextStep {
    /// Retry: the same request may go through (for a held link, "Upload anyway").
    Retry,
    /// The API token screen.
    Token,
    /// The platform token screen (files from this computer).
    PlatformToken,
    /// Ace Data Cloud's page to top up the balance.
    TopUp,
    /// Settings.
    Settings,
    /// Nothing to press: the message says what to do.
    None,
}

/// The drawings the window has for errors, by name (`ICONS` in ui/dom.js).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Icon {
    /// Something went wrong (the default).
    Warning,
    /// A token.
    Key,
    /// Refused for good.
    Ban,
    /// The balance.
    Card,
    /// Settings.
    Gear,
    /// Time: too many requests, no answer in time, files waiting.
    Clock,
    /// The network.
    Signal,
    /// This computer: its files and disk.
    Computer,
    /// A link.
    Link,
    /// The keychain.
    Lock,
}

impl NextStep {
    /// Every next step, in a stable order.
    pub const ALL: [NextStep; 6] = [
        NextStep::Retry,
        NextStep::Token,
        NextStep::PlatformToken,
        NextStep::TopUp,
        NextStep::Settings,
        NextStep::None,
    ];
}

impl Icon {
    /// Every icon an error may name, in a stable order.
    pub const ALL: [Icon; 10] = [
        Icon::Warning,
        Icon::Key,
        Icon::Ban,
        Icon::Card,
        Icon::Gear,
        Icon::Clock,
        Icon::Signal,
        Icon::Computer,
        Icon::Link,
        Icon::Lock,
    ];
}

impl ErrorCode {
    /// The button the window offers for this code. A code this version does not know (from a
    /// newer service) offers Retry.
    pub fn next_step(&self) -> NextStep {
        use ErrorCode::*;
        match self {
            NoToken | TokenMismatched | InvalidToken | TokenExpired | TokenMissing
            | KeychainUnavailable => NextStep::Token,
            PlatformTokenMissing | PlatformTokenInvalid => NextStep::PlatformToken,
            UsedUp => NextStep::TopUp,
            NoApi | InvalidBaseUrl | InvalidSetting => NextStep::Settings,
            LocalFile | InvalidUrl | HistoryUnavailable | FileTooBig | NotAudio
            | FileUnreadable | FileIsFolder | FileEmpty | DiskFull | WaitingFilesFull => {
                NextStep::None
            }
            // Held links (NotAudioFile, LocalLink) are sent by their "Upload anyway".
            BadRequest | Disabled | ApiNotImplemented | TooManyRequests | ApiError
            | BadResponse | Network | Timeout | OutcomeUnknown | NotAudioFile | LocalLink
            | GenerationFailed | BadFileLink | Unknown(_) => NextStep::Retry,
        }
    }

    /// Whether the screen of [`ErrorCode::next_step`] opens by itself with the message as its
    /// reason, and rows that failed so are sent again once a token is saved: the token was
    /// refused or is missing. A keychain that cannot be reached is not a reason of that kind:
    /// the token screen tells it in its own way (ui/app.js).
    pub fn opens_by_itself(&self) -> bool {
        match self.next_step() {
            NextStep::Token => *self != ErrorCode::KeychainUnavailable,
            NextStep::PlatformToken => true,
            _ => false,
        }
    }

    /// The icon drawn before the message.
    pub fn icon(&self) -> Icon {
        use ErrorCode::*;
        match self {
            NoToken | TokenMismatched | InvalidToken | TokenExpired | TokenMissing
            | PlatformTokenMissing | PlatformTokenInvalid => Icon::Key,
            Disabled | ApiNotImplemented => Icon::Ban,
            UsedUp => Icon::Card,
            NoApi | InvalidBaseUrl | InvalidSetting => Icon::Gear,
            TooManyRequests | Timeout | WaitingFilesFull => Icon::Clock,
            Network => Icon::Signal,
            LocalFile | FileTooBig | NotAudio | FileUnreadable | FileIsFolder | FileEmpty
            | DiskFull => Icon::Computer,
            InvalidUrl | LocalLink => Icon::Link,
            KeychainUnavailable => Icon::Lock,
            BadRequest | ApiError | BadResponse | OutcomeUnknown | HistoryUnavailable
            | NotAudioFile | GenerationFailed | BadFileLink | Unknown(_) => Icon::Warning,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorReport;
    use std::collections::BTreeSet;

    #[test]
    fn the_next_step_follows_the_code_s_nature() {
        for code in ErrorCode::KNOWN {
            // A refused token leads to the token screen, which opens by itself.
            if code.is_token_problem() {
                assert_eq!(code.next_step(), NextStep::Token, "{code}");
                assert!(code.opens_by_itself(), "{code}");
            }
            // What may go through later offers Retry.
            if code.is_retryable() {
                assert_eq!(code.next_step(), NextStep::Retry, "{code}");
            }
            // Only a step with a screen of its own opens by itself.
            if code.opens_by_itself() {
                assert!(
                    matches!(code.next_step(), NextStep::Token | NextStep::PlatformToken),
                    "{code}"
                );
            }
        }
        assert_eq!(ErrorCode::UsedUp.next_step(), NextStep::TopUp);
    }

    /// What the window is offered for `code`, as a report carries it.
    fn offer_of(code: &ErrorCode) -> serde_json::Value {
        serde_json::json!({
            "next_step": code.next_step(),
            "opens_by_itself": code.opens_by_itself(),
            "icon": code.icon(),
        })
    }

    /// offer.json: every step and icon Rust may send, and what each code offers. The window's
    /// tests (ui/*.test.js) read it: a button for every step, a drawing for every icon, and rows
    /// failing with real codes offering what Rust says. It pins each code's offer here.
    fn offer_json() -> serde_json::Value {
        let codes: serde_json::Map<String, serde_json::Value> = ErrorCode::KNOWN
            .iter()
            .map(|code| (code.as_str().to_owned(), offer_of(code)))
            .collect();
        serde_json::json!({
            "next_steps": NextStep::ALL,
            "icons": Icon::ALL,
            "codes": codes,
            "unknown": offer_of(&ErrorCode::from_api("quota_melted")),
        })
    }

    #[test]
    fn offer_json_is_what_rust_sends() {
        let written: serde_json::Value = serde_json::from_str(include_str!("offer.json")).unwrap();
        let expected = offer_json();
        assert!(
            written == expected,
            "src/error/offer.json differs from Rust's; it should read:\n{}",
            serde_json::to_string_pretty(&expected).unwrap()
        );
        // Every step and icon a code has is in ALL, and ALL holds none that no code has.
        let mut codes = ErrorCode::KNOWN.to_vec();
        codes.push(ErrorCode::Unknown("x".into()));
        for code in &codes {
            assert!(NextStep::ALL.contains(&code.next_step()), "{code}");
            assert!(Icon::ALL.contains(&code.icon()), "{code}");
        }
        for step in NextStep::ALL {
            assert!(
                codes.iter().any(|code| code.next_step() == step),
                "{step:?}"
            );
        }
        for icon in Icon::ALL {
            assert!(codes.iter().any(|code| code.icon() == icon), "{icon:?}");
        }
    }

    #[test]
    fn a_report_carries_what_the_window_offers() {
        let json = serde_json::to_value(ErrorReport::from_code(ErrorCode::TokenExpired)).unwrap();
        let keys: BTreeSet<&str> = json
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(
            keys,
            BTreeSet::from([
                "code",
                "message",
                "trace_id",
                "retryable",
                "status",
                "detail",
                "next_step",
                "opens_by_itself",
                "icon"
            ])
        );
        assert_eq!(json["next_step"], "token");
        assert_eq!(json["opens_by_itself"], true);
        assert_eq!(json["icon"], "key");
        for (code, step, icon) in [
            (ErrorCode::PlatformTokenMissing, "platform_token", "key"),
            (ErrorCode::UsedUp, "top_up", "card"),
            (ErrorCode::InvalidSetting, "settings", "gear"),
            (ErrorCode::FileEmpty, "none", "computer"),
            (ErrorCode::Network, "retry", "signal"),
            (ErrorCode::from_api("quota_melted"), "retry", "warning"),
        ] {
            let json = serde_json::to_value(ErrorReport::from_code(code.clone())).unwrap();
            assert_eq!(json["next_step"], step, "{code}");
            assert_eq!(json["icon"], icon, "{code}");
        }
    }
}
