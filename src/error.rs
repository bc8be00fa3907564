//! Error codes, their plain-language messages, and the report that crosses to the UI and the CLI.
//!
//! Every message a musician can see is written here, once, next to the code it belongs to.

use crate::words::{self, FluentArgs, Words};
use serde::Serialize;
use std::fmt;

mod offer;
pub use offer::{Icon, NextStep};

/// Every error code the app and the command line can report.
///
/// The first group are the codes the Producer Upload API sends; the rest are this app's own
/// (transport, decoding, link intake, token store, settings). A code the service sends that is
/// not listed here is kept as [`ErrorCode::Unknown`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ErrorCode {
    /// The service could not use the request (for example a missing or malformed link).
    BadRequest,
    /// The request carried no token.
    NoToken,
    /// The token or account is disabled.
    Disabled,
    /// The service does not offer this API (yet).
    ApiNotImplemented,
    /// The token does not belong to this API.
    TokenMismatched,
    /// The token is not valid.
    InvalidToken,
    /// The token has expired.
    TokenExpired,
    /// The account balance is spent.
    UsedUp,
    /// The address does not lead to the Producer Upload API.
    NoApi,
    /// Too many requests in a short time.
    TooManyRequests,
    /// The service failed internally.
    ApiError,
    /// The answer was not the JSON the service promises (HTML page, cut off, empty, too large).
    BadResponse,
    /// The service could not be reached.
    Network,
    /// The service did not answer in time.
    Timeout,
    /// The request was sent but its answer was lost (no answer in time, connection broken): the
    /// service may have taken the upload, so it is not sent again by itself.
    OutcomeUnknown,
    /// The link is a file on this computer, not a link the service can fetch.
    LocalFile,
    /// The text is not a usable web link.
    InvalidUrl,
    /// No API token has been saved yet.
    TokenMissing,
    /// The system keychain cannot be reached or is locked.
    KeychainUnavailable,
    /// The API address in the settings is not safe to send the token to, or not an address.
    InvalidBaseUrl,
    /// A setting is outside what the app accepts.
    InvalidSetting,
    /// The upload history cannot be opened, read or written.
    HistoryUnavailable,
    /// The link leads to a page or a folder, not to an audio file: kept back, not sent.
    NotAudioFile,
    /// The link points to this computer or the local network, which Ace Data Cloud cannot
    /// reach: kept back, not sent.
    LocalLink,
    /// A file on this computer needs the platform token to be hosted, and none is saved.
    PlatformTokenMissing,
    /// Ace Data Cloud's file host refused the platform token (invalid, expired, disabled).
    PlatformTokenInvalid,
    /// The file is larger than the file host takes.
    FileTooBig,
    /// The file is not audio, judged by its first bytes.
    NotAudio,
    /// The file is missing or cannot be read.
    FileUnreadable,
    /// A folder was given where an audio file was expected.
    FileIsFolder,
    /// Ace Data Cloud could not make the songs of an extend or cover task.
    GenerationFailed,
    /// The file host answered with a link that is not kept: too long, not `https`, to a private
    /// or local address, or with control characters.
    BadFileLink,
    /// The file is empty (0 bytes): there is nothing to send, and Retry cannot change that.
    FileEmpty,
    /// Not enough free space on this computer to keep a dropped file until it is hosted.
    DiskFull,
    /// Too many bytes of dropped files already wait on this computer to be hosted.
    WaitingFilesFull,
    /// An error code the service sent that this version does not know.
    Unknown(String),
}

impl ErrorCode {
    /// Every named code, in a stable order (the UI must know each of them).
    pub const KNOWN: [ErrorCode; 35] = [
        ErrorCode::BadRequest,
        ErrorCode::NoToken,
        ErrorCode::Disabled,
        ErrorCode::ApiNotImplemented,
        ErrorCode::TokenMismatched,
        ErrorCode::InvalidToken,
        ErrorCode::TokenExpired,
        ErrorCode::UsedUp,
        ErrorCode::NoApi,
        ErrorCode::TooManyRequests,
        ErrorCode::ApiError,
        ErrorCode::BadResponse,
        ErrorCode::Network,
        ErrorCode::Timeout,
        ErrorCode::OutcomeUnknown,
        ErrorCode::LocalFile,
        ErrorCode::InvalidUrl,
        ErrorCode::TokenMissing,
        ErrorCode::KeychainUnavailable,
        ErrorCode::InvalidBaseUrl,
        ErrorCode::InvalidSetting,
        ErrorCode::HistoryUnavailable,
        ErrorCode::NotAudioFile,
        ErrorCode::LocalLink,
        ErrorCode::PlatformTokenMissing,
        ErrorCode::PlatformTokenInvalid,
        ErrorCode::FileTooBig,
        ErrorCode::NotAudio,
        ErrorCode::FileUnreadable,
        ErrorCode::FileIsFolder,
        ErrorCode::GenerationFailed,
        ErrorCode::BadFileLink,
        ErrorCode::FileEmpty,
        ErrorCode::DiskFull,
        ErrorCode::WaitingFilesFull,
    ];

    /// Reads a code as the service spells it; unknown codes are kept as [`ErrorCode::Unknown`].
    pub fn from_api(code: &str) -> Self {
        Self::KNOWN
            .into_iter()
            .find(|known| known.as_str() == code)
            .unwrap_or_else(|| ErrorCode::Unknown(code.to_owned()))
    }

    /// The code as it is written on the wire, in JSON output and in the UI.
    pub fn as_str(&self) -> &str {
        match self {
            ErrorCode::BadRequest => "bad_request",
            ErrorCode::NoToken => "no_token",
            ErrorCode::Disabled => "disabled",
            ErrorCode::ApiNotImplemented => "api_not_implemented",
            ErrorCode::TokenMismatched => "token_mismatched",
            ErrorCode::InvalidToken => "invalid_token",
            ErrorCode::TokenExpired => "token_expired",
            ErrorCode::UsedUp => "used_up",
            ErrorCode::NoApi => "no_api",
            ErrorCode::TooManyRequests => "too_many_requests",
            ErrorCode::ApiError => "api_error",
            ErrorCode::BadResponse => "bad_response",
            ErrorCode::Network => "network",
            ErrorCode::Timeout => "timeout",
            ErrorCode::OutcomeUnknown => "outcome_unknown",
            ErrorCode::LocalFile => "local_file",
            ErrorCode::InvalidUrl => "invalid_url",
            ErrorCode::TokenMissing => "token_missing",
            ErrorCode::KeychainUnavailable => "keychain_unavailable",
            ErrorCode::InvalidBaseUrl => "invalid_base_url",
            ErrorCode::InvalidSetting => "invalid_setting",
            ErrorCode::HistoryUnavailable => "history_unavailable",
            ErrorCode::NotAudioFile => "not_audio_file",
            ErrorCode::LocalLink => "local_link",
            ErrorCode::PlatformTokenMissing => "platform_token_missing",
            ErrorCode::PlatformTokenInvalid => "platform_token_invalid",
            ErrorCode::FileTooBig => "file_too_big",
            ErrorCode::NotAudio => "not_audio",
            ErrorCode::FileUnreadable => "file_unreadable",
            ErrorCode::FileIsFolder => "file_is_folder",
            ErrorCode::GenerationFailed => "generation_failed",
            ErrorCode::BadFileLink => "bad_file_link",
            ErrorCode::FileEmpty => "file_empty",
            ErrorCode::DiskFull => "disk_full",
            ErrorCode::WaitingFilesFull => "waiting_files_full",
            ErrorCode::Unknown(code) => code,
        }
    }

    /// True when the token itself was refused and a new one is needed.
    pub fn is_token_problem(&self) -> bool {
        matches!(
            self,
            ErrorCode::NoToken
                | ErrorCode::InvalidToken
                | ErrorCode::TokenExpired
                | ErrorCode::TokenMismatched
        )
    }

    /// True when the same request may succeed later without anything being changed.
    pub fn is_retryable(&self) -> bool {
        matches!(
            self,
            ErrorCode::TooManyRequests
                | ErrorCode::ApiError
                | ErrorCode::Network
                | ErrorCode::Timeout
                | ErrorCode::OutcomeUnknown
        )
    }

    /// Whether the musician may need Ace Data Cloud's support for this, with the trace ID.
    pub fn needs_support(&self) -> bool {
        matches!(
            self,
            ErrorCode::Disabled
                | ErrorCode::ApiNotImplemented
                | ErrorCode::ApiError
                | ErrorCode::BadResponse
                | ErrorCode::BadFileLink
                | ErrorCode::Unknown(_)
        )
    }

    /// The plain-language message for a musician with what to do next, and, where support may
    /// be needed, how to reach it: with the trace ID itself when there is one.
    pub fn user_message_with_trace(&self, trace_id: Option<&str>) -> String {
        self.message_in(&words::current(), trace_id)
    }

    /// The plain-language message for a musician, ending with what to do next.
    pub fn user_message(&self) -> String {
        words::current().message(&self.message_id(), None)
    }

    /// [`ErrorCode::user_message_with_trace`] in the language of `words`.
    pub fn message_in(&self, words: &Words, trace_id: Option<&str>) -> String {
        self.with_support(words, words.message(&self.message_id(), None), trace_id)
    }

    /// The message as the `producer-upload` command says it: the same facts, with the command's
    /// next step instead of the window's (a button, a screen, uploads that start by themselves).
    pub fn command_message_with_trace(&self, trace_id: Option<&str>) -> String {
        self.command_message_in(&words::current(), trace_id)
    }

    /// [`ErrorCode::command_message_with_trace`] in the language of `words`.
    pub fn command_message_in(&self, words: &Words, trace_id: Option<&str>) -> String {
        if !self.has_command_words() {
            return self.message_in(words, trace_id);
        }
        let message = words.message(&format!("{}.command", self.message_id()), None);
        self.with_support(words, message, trace_id)
    }

    /// The catalogue message of this code: `error-` and the code in kebab case
    /// (`error-used-up`); `error-unknown` for a code this version does not know. Its `.command`
    /// attribute, where [`ErrorCode::has_command_words`], is the command's.
    pub fn message_id(&self) -> String {
        match self {
            ErrorCode::Unknown(_) => "error-unknown".to_owned(),
            known => format!("error-{}", known.as_str().replace('_', "-")),
        }
    }

    /// `message`, and, where support may be needed, how to reach it: with the trace ID itself
    /// when there is one.
    fn with_support(&self, words: &Words, message: String, trace_id: Option<&str>) -> String {
        if !self.needs_support() {
            return message;
        }
        let mut args = FluentArgs::new();
        args.set("message", message);
        match trace_id {
            Some(trace_id) => {
                args.set("trace_id", trace_id.to_owned());
                words.message("error-support-trace", Some(&args))
            }
            None => words.message("error-support", Some(&args)),
        }
    }

    /// `message` as the language in use says it, when it is this code's own message (the
    /// window's or the command's, in any language, with `trace_id`); otherwise `message` as it
    /// is. Records keep the message shown at the time; they are shown again in today's words.
    pub fn said_again(&self, message: &str, trace_id: Option<&str>) -> String {
        let own = if self.needs_support() {
            every_language().iter().any(|words| {
                self.message_in(words, trace_id) == message
                    || self.command_message_in(words, trace_id) == message
            })
        } else {
            own_messages().contains(&(self.message_id(), message.to_owned()))
        };
        if own {
            self.user_message_with_trace(trace_id)
        } else {
            message.to_owned()
        }
    }

    /// Whether the command has its own words for this code where the window's would not fit
    /// (the `.command` attribute of its message).
    pub fn has_command_words(&self) -> bool {
        !matches!(
            self,
            ErrorCode::Disabled
                | ErrorCode::ApiNotImplemented
                | ErrorCode::InvalidUrl
                | ErrorCode::FileTooBig
                | ErrorCode::NotAudio
                | ErrorCode::FileUnreadable
                | ErrorCode::FileIsFolder
                | ErrorCode::GenerationFailed
                | ErrorCode::FileEmpty
        )
    }
}

/// The words of every catalogue, made once.
fn every_language() -> &'static [Words] {
    static EVERY: std::sync::LazyLock<Vec<Words>> = std::sync::LazyLock::new(|| {
        words::catalogues()
            .iter()
            .map(|(tag, _)| Words::of(&tag.parse().expect("a catalogue named by its tag")))
            .collect()
    });
    &EVERY
}

/// Every known code's own messages without a support line (window and command, every
/// language), made once.
fn own_messages() -> &'static std::collections::HashSet<(String, String)> {
    static OWN: std::sync::LazyLock<std::collections::HashSet<(String, String)>> =
        std::sync::LazyLock::new(|| {
            let mut own = std::collections::HashSet::new();
            let mut codes = ErrorCode::KNOWN.to_vec();
            codes.push(ErrorCode::Unknown(String::new()));
            for words in every_language() {
                for code in codes.iter().filter(|code| !code.needs_support()) {
                    let code_text = code.message_id();
                    own.insert((code_text.clone(), code.message_in(words, None)));
                    own.insert((code_text, code.command_message_in(words, None)));
                }
            }
            own
        });
    &OWN
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for ErrorCode {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// What an error looks like to a person or a script: the object that crosses to the UI and the
/// CLI's JSON output. Its message is said again in the language in use each time it is
/// serialised (see [`Said`]), so a row's message follows a change of language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorReport {
    /// Stable machine-readable code, e.g. `used_up`.
    pub code: ErrorCode,
    /// Plain-language message with the next step, in the language in use when it was made.
    pub message: String,
    /// The service's trace id, for support.
    pub trace_id: Option<String>,
    /// Whether pressing Retry without changing anything may help.
    pub retryable: bool,
    /// HTTP status of the service's answer, when there was one.
    pub status: Option<u16>,
    /// Technical details for support (the HTTP status and what came instead of data), kept
    /// out of the message.
    pub detail: Option<String>,
    /// How the message is worded, to say it again in another language.
    pub said: Said,
}

/// How a report's message is worded: from the catalogue (and so in any language), or as text.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Said {
    /// The code's own message, with support's trace ID where it needs one.
    #[default]
    Code,
    /// A catalogue message with its values.
    Words(Box<Phrase>),
    /// Text as it was given (already worded, or the service's own).
    Text,
    /// A message, then one more sentence from the catalogue.
    More(Box<More>),
}

/// A catalogue message with its values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Phrase {
    /// The message's id.
    pub id: &'static str,
    /// Its values, by placeholder name.
    pub args: Vec<(&'static str, Value)>,
}

/// A message, then one more sentence from the catalogue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct More {
    /// How the first message is worded.
    pub first: Said,
    /// The first message as it was when the sentence was added (for [`Said::Text`]).
    pub first_text: String,
    /// The added sentence's id.
    pub more: &'static str,
}

/// A value in a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    /// Text, such as a file name.
    Text(String),
    /// A number (counts choose their plural form by it).
    Number(i64),
    /// The report's code's own message, in the same language.
    CodeMessage,
    /// Another catalogue message (without values), in the same language.
    Message(&'static str),
}

impl From<String> for Value {
    fn from(text: String) -> Self {
        Value::Text(text)
    }
}

impl From<&str> for Value {
    fn from(text: &str) -> Self {
        Value::Text(text.to_owned())
    }
}

macro_rules! number_values {
    ($($t:ty),*) => {$(
        impl From<$t> for Value {
            fn from(number: $t) -> Self {
                Value::Number(i64::try_from(number).unwrap_or(i64::MAX))
            }
        }
    )*};
}
number_values!(usize, u64, u32, u16, i64, i32);

impl ErrorReport {
    /// A report with the code's own message and no service details.
    pub fn from_code(code: ErrorCode) -> Self {
        Self {
            message: code.user_message_with_trace(None),
            retryable: code.is_retryable(),
            code,
            trace_id: None,
            status: None,
            detail: None,
            said: Said::Code,
        }
    }

    /// A report of the service's answer: the message names `trace_id` when support may be
    /// needed; `detail` stays out of the message, for support.
    pub fn from_service(
        code: ErrorCode,
        trace_id: Option<String>,
        status: Option<u16>,
        detail: Option<String>,
    ) -> Self {
        Self {
            message: code.user_message_with_trace(trace_id.as_deref()),
            retryable: code.is_retryable(),
            code,
            trace_id,
            status,
            detail,
            said: Said::Code,
        }
    }

    /// The same report as the `producer-upload` command prints it: a code's own message (also at
    /// the start of a longer one) becomes the command's
    /// ([`ErrorCode::command_message_with_trace`]); a more specific message stays.
    pub fn for_command(mut self) -> Self {
        let trace_id = self.trace_id.as_deref();
        let window = self.code.user_message_with_trace(trace_id);
        if let Some(rest) = self.message.strip_prefix(&window) {
            self.message = self.code.command_message_with_trace(trace_id) + rest;
            self.said = Said::Text;
        }
        self
    }

    /// The same report with `retryable` set.
    pub fn with_retryable(mut self, retryable: bool) -> Self {
        self.retryable = retryable;
        self
    }

    /// The same report with a more specific message, as text (see [`ErrorReport::with_words`]
    /// for one from the catalogue).
    pub fn with_message(mut self, message: impl Into<String>) -> Self {
        self.message = message.into();
        self.said = Said::Text;
        self
    }

    /// The same report with a more specific message from the catalogue: `id` with `args`
    /// (a [`Value::CodeMessage`] stands for the code's own message).
    pub fn with_words<const N: usize>(
        mut self,
        id: &'static str,
        args: [(&'static str, Value); N],
    ) -> Self {
        self.said = Said::Words(Box::new(Phrase {
            id,
            args: args.into(),
        }));
        self.message = self.message_in(&words::current());
        self
    }

    /// The message in the language of `words`: said again from the catalogue, or the text as
    /// it was given.
    pub fn message_in(&self, words: &Words) -> String {
        let code_message = || self.code.message_in(words, self.trace_id.as_deref());
        match &self.said {
            Said::Code => code_message(),
            Said::Words(phrase) => {
                let Phrase { id, args } = &**phrase;
                let mut values = FluentArgs::new();
                for (name, value) in args {
                    match value {
                        Value::Text(text) => values.set(*name, text.clone()),
                        Value::Number(number) => values.set(*name, *number),
                        Value::CodeMessage => values.set(*name, code_message()),
                        Value::Message(id) => values.set(*name, words.message(id, None)),
                    }
                }
                words.message(id, Some(&values))
            }
            Said::Text => self.message.clone(),
            Said::More(added) => {
                let More {
                    first,
                    first_text,
                    more,
                } = &**added;
                let first = ErrorReport {
                    message: first_text.clone(),
                    said: first.clone(),
                    ..self.clone()
                };
                let mut values = FluentArgs::new();
                values.set("message", first.message_in(words));
                values.set("more", words.message(more, None));
                words.message("error-and-more", Some(&values))
            }
        }
    }

    /// The same report with one more sentence from the catalogue (`more`, without values) after
    /// its message.
    pub fn with_more(mut self, more: &'static str) -> Self {
        self.said = Said::More(Box::new(More {
            first: std::mem::take(&mut self.said),
            first_text: std::mem::take(&mut self.message),
            more,
        }));
        self.message = self.message_in(&words::current());
        self
    }
}

/// The object the window and `--json` receive; the message in the language in use, and what
/// the window offers for its code (`next_step`, `opens_by_itself`, `icon`: see [`offer`]).
impl Serialize for ErrorReport {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut fields = serializer.serialize_struct("ErrorReport", 9)?;
        fields.serialize_field("code", &self.code)?;
        fields.serialize_field("message", &self.message_in(&words::current()))?;
        fields.serialize_field("trace_id", &self.trace_id)?;
        fields.serialize_field("retryable", &self.retryable)?;
        fields.serialize_field("status", &self.status)?;
        fields.serialize_field("detail", &self.detail)?;
        fields.serialize_field("next_step", &self.code.next_step())?;
        fields.serialize_field("opens_by_itself", &self.code.opens_by_itself())?;
        fields.serialize_field("icon", &self.code.icon())?;
        fields.end()
    }
}

impl fmt::Display for ErrorReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.message, self.code)?;
        if let Some(trace_id) = &self.trace_id {
            write!(f, " [trace id: {trace_id}]")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_api_code_round_trips() {
        for code in ErrorCode::KNOWN {
            assert_eq!(ErrorCode::from_api(code.as_str()), code);
        }
    }

    #[test]
    fn unknown_codes_are_kept_verbatim() {
        let code = ErrorCode::from_api("quota_melted");
        assert_eq!(code, ErrorCode::Unknown("quota_melted".into()));
        assert_eq!(code.as_str(), "quota_melted");
        assert!(!code.is_retryable());
    }

    #[test]
    fn every_message_is_plain_and_says_what_to_do() {
        let mut codes = ErrorCode::KNOWN.to_vec();
        codes.push(ErrorCode::Unknown("x".into()));
        for code in codes {
            let message = code.user_message();
            assert!(message.len() > 40, "{code}: too short: {message}");
            assert!(message.ends_with('.'), "{code}: not a sentence: {message}");
            assert!(
                !message.contains('_'),
                "{code}: jargon in message: {message}"
            );
        }
        assert!(ErrorCode::UsedUp.user_message().contains("top it up"));
        assert!(ErrorCode::TokenExpired
            .user_message()
            .contains("save it as your token"));
    }

    #[test]
    fn no_message_speaks_http_or_sends_to_settings_and_retry() {
        let mut codes = ErrorCode::KNOWN.to_vec();
        codes.push(ErrorCode::Unknown("x".into()));
        for code in codes {
            let message = code.user_message_with_trace(Some("t-9"));
            assert!(!message.contains("HTTP"), "{code}: {message}");
            if code.is_token_problem() {
                assert!(!message.contains("Retry"), "{code}: {message}");
                assert!(!message.contains("Settings"), "{code}: {message}");
            }
        }
    }

    #[test]
    fn the_command_speaks_of_the_command_not_the_window() {
        let window_words = [
            "Retry",
            "Settings",
            "window",
            "by themselves",
            "by itself",
            "Enter platform token",
            "Upload anyway",
            "Choose files",
            "History",
            "the app",
            "this app",
        ];
        let mut codes = ErrorCode::KNOWN.to_vec();
        codes.push(ErrorCode::Unknown("x".into()));
        for code in codes {
            let message = ErrorReport::from_service(code.clone(), Some("t-1".into()), None, None)
                .for_command()
                .message;
            for words in window_words {
                assert!(!message.contains(words), "{code}: {words:?} in {message}");
            }
            assert!(message.ends_with('.'), "{code}: {message}");
            if code.needs_support() {
                assert!(message.contains("t-1"), "{code}: {message}");
            }
        }
        let expired = ErrorReport::from_code(ErrorCode::TokenExpired).for_command();
        assert!(expired.message.contains("producer-upload token set"));
        let specific = ErrorReport::from_code(ErrorCode::TokenMissing).with_message("Set it.");
        assert_eq!(specific.for_command().message, "Set it.");
    }

    #[test]
    fn a_message_that_mentions_the_trace_id_shows_it() {
        let report = ErrorReport::from_service(
            ErrorCode::ApiError,
            Some("trace-123".into()),
            Some(500),
            Some("HTTP 500".into()),
        );
        assert!(
            report.message.contains("trace ID: trace-123"),
            "{}",
            report.message
        );
        assert!(!report.message.contains("HTTP"), "{}", report.message);
        let without = ErrorReport::from_code(ErrorCode::ApiError);
        assert!(!without.message.contains("trace ID"), "{}", without.message);
        assert!(without.message.contains("contact Ace Data Cloud support"));
        for code in ErrorCode::KNOWN {
            if !code.needs_support() {
                let message = code.user_message_with_trace(Some("t-1"));
                assert!(!message.contains("trace"), "{code}: {message}");
            }
        }
    }

    /// Latin words a Chinese message may keep: brand and technical names.
    pub(crate) fn only_names_left_in_latin(message: &str) -> Result<(), String> {
        const NAMES: &[&str] = &[
            "Ace",
            "Data",
            "Cloud",
            "Producer",
            "Uploader",
            "API",
            "ID",
            "MP3",
            "WAV",
            "M4A",
            "FLAC",
            "OGG",
            "AAC",
            "AIFF",
            "MB",
            "GB",
            "KB",
            "Dropbox",
            "Google",
            "Drive",
            "OneDrive",
            "GNOME",
            "Keyring",
            "KWallet",
            "Linux",
            "CSV",
            "JSON",
            "platform-",
            "SHA-256",
            "YouTube",
            "SoundCloud",
            "Spotify",
            "Box",
            "WeTransfer",
            "PDF",
            "HTTP",
            "GitHub",
            "SharePoint",
        ];
        let mut text = String::new();
        for (at, part) in message.split('`').enumerate() {
            if at % 2 == 0 {
                text.push_str(part);
            }
        }
        for word in text.split(|c: char| !(c.is_ascii_alphanumeric() || "_-./:".contains(c))) {
            let word = word.trim_end_matches(['.', ':']);
            let plain = !word.chars().any(|c| c.is_ascii_alphabetic())
                || word.starts_with("http")
                || word.starts_with("--")
                || word.starts_with('.')
                || (word.contains('_') && word == word.to_uppercase())
                || NAMES.contains(&word);
            if !plain {
                return Err(format!("{word:?} left in English in {message}"));
            }
        }
        Ok(())
    }

    #[test]
    fn every_code_has_its_message_and_next_step_in_every_language() {
        let english = Words::of(&"en".parse().unwrap());
        let chinese = Words::of(&"zh-CN".parse().unwrap());
        let mut codes = ErrorCode::KNOWN.to_vec();
        codes.push(ErrorCode::Unknown("x".into()));
        for (tag, _) in crate::words::catalogues() {
            let words = Words::of(&tag.parse().unwrap());
            for code in &codes {
                for message in [
                    code.message_in(&words, Some("7-1")),
                    code.command_message_in(&words, Some("7-1")),
                ] {
                    assert!(!message.starts_with("error-"), "{tag} {code}: {message}");
                    assert!(message.chars().count() > 20, "{tag} {code}: {message}");
                }
            }
        }
        for code in &codes {
            let message = code.message_in(&chinese, Some("7-1"));
            let command = code.command_message_in(&chinese, Some("7-1"));
            for message in [&message, &command] {
                assert_ne!(message, &code.message_in(&english, Some("7-1")));
                assert!(message.ends_with('。'), "{code}: {message}");
                assert!(
                    !message.contains(". "),
                    "{code}: half-width stop in {message}"
                );
                assert!(
                    !message.contains(", "),
                    "{code}: half-width comma in {message}"
                );
                only_names_left_in_latin(message).unwrap();
                if code.needs_support() {
                    assert!(
                        message.contains("追踪 ID") && message.contains("7-1"),
                        "{message}"
                    );
                }
            }
            if code.has_command_words() {
                assert_ne!(message, command, "{code}");
            }
        }
        assert_eq!(
            ErrorCode::UsedUp.message_in(&chinese, None),
            "你的 Ace Data Cloud 余额已用完：请到 Ace Data Cloud 充值，然后点“重试”。"
        );
    }

    /// Every message Rust says (errors, the batch, time, checks, links, files, songs, the
    /// keychain, the history, the app's tray, dialogs and settings) is Chinese in Chinese: no
    /// English left but names, full-width punctuation.
    #[test]
    fn every_chinese_message_rust_says_is_chinese() {
        const RUST_FAMILIES: &[&str] = &[
            "error-",
            "batch-",
            "time-",
            "check-",
            "link-",
            "file-",
            "filehost-",
            "song-",
            "keychain-",
            "history-",
            "app-",
            "setting-",
            "tray-",
            "dialog-",
            "address-",
            "token-",
            "size-",
        ];
        let (_, source) = crate::words::catalogues()
            .iter()
            .find(|(tag, _)| *tag == "zh-CN")
            .unwrap();
        let resource = fluent_syntax::parser::parse(*source).unwrap();
        let mut checked = 0;
        for entry in resource.body {
            let fluent_syntax::ast::Entry::Message(message) = entry else {
                continue;
            };
            let id = message.id.name;
            if !RUST_FAMILIES.iter().any(|family| id.starts_with(family))
                || id.starts_with("history-csv-")
            {
                continue;
            }
            let patterns = message
                .value
                .iter()
                .chain(message.attributes.iter().map(|attribute| &attribute.value));
            for pattern in patterns {
                let text: String = pattern
                    .elements
                    .iter()
                    .map(|element| match element {
                        fluent_syntax::ast::PatternElement::TextElement { value } => *value,
                        fluent_syntax::ast::PatternElement::Placeable { .. } => " ",
                    })
                    .collect();
                only_names_left_in_latin(&text).unwrap_or_else(|why| panic!("{id}: {why}"));
                for half in [". ", ", ", "; ", "? ", "! "] {
                    assert!(!text.contains(half), "{id}: {half:?} in {text}");
                }
                checked += 1;
            }
        }
        assert!(checked > 150, "{checked} messages checked");
    }

    #[test]
    fn a_report_says_its_message_again_in_the_language_it_is_shown_in() {
        let chinese = Words::of(&"zh-CN".parse().unwrap());
        let english = Words::of(&"en".parse().unwrap());
        let report = ErrorReport::from_service(ErrorCode::ApiError, Some("t-7".into()), None, None);
        assert_eq!(report.message_in(&english), report.message);
        let said = report.message_in(&chinese);
        assert!(said.starts_with("Ace Data Cloud 那边出了问题。"), "{said}");
        assert!(said.ends_with("客服：t-7。"), "{said}");
        let specific = ErrorReport::from_code(ErrorCode::InvalidSetting)
            .with_words("error-support", [("message", "x".into())]);
        assert_eq!(
            specific.message_in(&chinese),
            "x如果问题一直出现，请联系 Ace Data Cloud 客服。"
        );
        let text = ErrorReport::from_code(ErrorCode::InvalidSetting).with_message("As given.");
        assert_eq!(text.message_in(&chinese), "As given.");
    }

    #[test]
    fn a_recorded_message_is_said_again_only_when_it_was_the_code_s_own() {
        let chinese = Words::of(&"zh-CN".parse().unwrap());
        let code = ErrorCode::UsedUp;
        let english = code.user_message();
        assert_eq!(code.said_again(&english, None), english);
        // Recorded in Chinese, shown in the language in use (English in tests).
        assert_eq!(
            code.said_again(&code.message_in(&chinese, None), None),
            english
        );
        assert_eq!(
            code.said_again(&code.command_message_in(&chinese, None), None),
            english
        );
        let support = ErrorCode::ApiError;
        let recorded = support.message_in(&chinese, Some("t-2"));
        assert_eq!(
            support.said_again(&recorded, Some("t-2")),
            support.user_message_with_trace(Some("t-2"))
        );
        assert_eq!(
            code.said_again("A message of its own.", None),
            "A message of its own."
        );
    }

    #[test]
    fn only_transient_failures_are_retryable() {
        let retryable: Vec<_> = ErrorCode::KNOWN
            .into_iter()
            .filter(ErrorCode::is_retryable)
            .collect();
        assert_eq!(
            retryable,
            [
                ErrorCode::TooManyRequests,
                ErrorCode::ApiError,
                ErrorCode::Network,
                ErrorCode::Timeout,
                ErrorCode::OutcomeUnknown
            ]
        );
    }

    #[test]
    fn report_serialises_as_the_ui_expects() {
        let mut report = ErrorReport::from_code(ErrorCode::UsedUp);
        report.trace_id = Some("t-1".into());
        report.status = Some(403);
        report.detail = Some("HTTP 403".into());
        let json = serde_json::to_value(&report).unwrap();
        assert_eq!(json["code"], "used_up");
        assert_eq!(json["trace_id"], "t-1");
        assert_eq!(json["retryable"], false);
        assert_eq!(json["status"], 403);
        assert_eq!(json["detail"], "HTTP 403");
        assert!(json["message"].as_str().unwrap().contains("balance"));
        assert_eq!(json["next_step"], "top_up");
        assert_eq!(json["opens_by_itself"], false);
        assert_eq!(json["icon"], "card");
    }
}
