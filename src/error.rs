//! Error codes, their plain-language messages, and the report that crosses to the UI and the CLI.
//!
//! Every message a musician can see is written here, once, next to the code it belongs to.

use serde::Serialize;
use std::fmt;

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
        self.with_support(self.user_message(), trace_id)
    }

    /// The plain-language message for a musician, ending with what to do next.
    pub fn user_message(&self) -> String {
        let message = match self {
            ErrorCode::BadRequest => {
                "The service could not use this link. Check that it is a direct link to an audio file, then press Retry."
            }
            ErrorCode::NoToken => {
                "No API token was sent. Save your Ace Data Cloud API token: the uploads waiting for it start again by themselves."
            }
            ErrorCode::Disabled => {
                "Your Ace Data Cloud token or account is disabled. Check your account at Ace Data Cloud."
            }
            ErrorCode::ApiNotImplemented => {
                "Ace Data Cloud does not offer this upload service right now. Try again later."
            }
            ErrorCode::TokenMismatched => {
                "This token is not for the Producer API. Create a token for the Producer service at Ace Data Cloud and save it as your token: the uploads waiting for it start again by themselves."
            }
            ErrorCode::InvalidToken => {
                "Ace Data Cloud did not accept your API token. Copy it again from your Ace Data Cloud account and save it as your token: the uploads waiting for it start again by themselves."
            }
            ErrorCode::TokenExpired => {
                "Your API token has expired. Create a new one in your Ace Data Cloud account and save it as your token: the uploads waiting for it start again by themselves."
            }
            ErrorCode::UsedUp => {
                "Your Ace Data Cloud balance is used up: top it up at Ace Data Cloud, then press Retry."
            }
            ErrorCode::NoApi => {
                "The API address in Settings does not lead to the Producer Upload service. Reset it to https://api.acedata.cloud, then press Retry."
            }
            ErrorCode::TooManyRequests => {
                "Ace Data Cloud is limiting how fast uploads can go. Wait a moment, then press Retry."
            }
            ErrorCode::ApiError => {
                "Ace Data Cloud had a problem on its side. Wait a minute, then press Retry."
            }
            ErrorCode::BadResponse => {
                "Ace Data Cloud sent an answer this app could not read. Wait a minute, then press Retry."
            }
            ErrorCode::Network => {
                "Could not reach Ace Data Cloud. Check your internet connection, then press Retry."
            }
            ErrorCode::Timeout => {
                "Ace Data Cloud took too long to answer. Check your connection, then press Retry."
            }
            ErrorCode::OutcomeUnknown => {
                "The connection broke before Ace Data Cloud answered, so it may have received this upload. Look for its audio ID in History first; press Retry only if it is not there, so it is not uploaded and paid for twice."
            }
            ErrorCode::LocalFile => {
                "This is the name of a file on your computer, typed or pasted as text. Drop the file itself on the window (or use Choose files…) and the app sends it; or paste a link to the file online, such as a Dropbox or Google Drive share link."
            }
            ErrorCode::InvalidUrl => {
                "This is not a web link. Paste a link that starts with https://, for example a Dropbox or Google Drive share link to your audio file."
            }
            ErrorCode::TokenMissing => {
                "No API token is saved yet. Paste your Ace Data Cloud API token in Settings to start uploading."
            }
            ErrorCode::KeychainUnavailable => {
                "The system keychain could not be opened, so your token cannot be saved or read. Unlock your keychain (on Linux, start GNOME Keyring or KWallet and sign in to it), then try again."
            }
            ErrorCode::InvalidBaseUrl => {
                "The API address in Settings is not usable: it must start with https:// (plain http:// only for this computer). Fix it or reset it to https://api.acedata.cloud."
            }
            ErrorCode::InvalidSetting => "A setting is out of range. Check Settings and try again.",
            ErrorCode::HistoryUnavailable => {
                "The upload history could not be opened or saved. Your uploads still work and their IDs are shown; check that the disk is not full, then restart the app."
            }
            ErrorCode::NotAudioFile => {
                "This link leads to a page or a folder, not to an audio file, so it was kept back: an ID made from it would fail later, in music generation. Paste a direct link to the file instead, or press Upload anyway if you are sure it is audio."
            }
            ErrorCode::LocalLink => {
                "This link points to this computer or your local network, which Ace Data Cloud cannot reach, so it was kept back. Put the file somewhere public (Dropbox, Google Drive or similar) and paste that link, or drop the file itself here."
            }
            ErrorCode::PlatformTokenMissing => {
                "To send a file from your computer, Ace Data Cloud needs your platform token: a second token, which starts with platform- (your API token is not it). Make one at https://platform.acedata.cloud/console/platform-tokens and enter it with Enter platform token; the file then goes by itself."
            }
            ErrorCode::PlatformTokenInvalid => {
                "Ace Data Cloud's file storage did not accept your platform token. Copy it again from https://platform.acedata.cloud/console/platform-tokens (or make a new one) and enter it with Enter platform token; the file then goes by itself."
            }
            ErrorCode::FileTooBig => {
                "This file is larger than 100 MB, the most Ace Data Cloud takes. Export a shorter or compressed version (for example an MP3), then add that file."
            }
            ErrorCode::NotAudio => {
                "This file is not audio that Ace Data Cloud can use. Choose a WAV, MP3, M4A, FLAC, OGG or AAC file."
            }
            ErrorCode::FileUnreadable => {
                "This file could not be read: it may have been moved, deleted or be open elsewhere. Check that it is still there, then add it again."
            }
            ErrorCode::FileIsFolder => {
                "This is a folder, not an audio file. Open the folder and add the audio files inside it."
            }
            ErrorCode::GenerationFailed => {
                "Ace Data Cloud could not make this song. Change the lyrics, style or description, or try another model, then generate again; a failed song is generally not charged."
            }
            ErrorCode::BadFileLink => {
                "Ace Data Cloud's file storage answered with a link this app cannot trust (too long, not secure, or to a private address), so nothing was kept and the file was not sent on. Press Retry in a few minutes."
            }
            ErrorCode::FileEmpty => {
                "This file is empty (0 bytes): it holds no audio to send. Export or save the song again, then add the new file."
            }
            ErrorCode::DiskFull => {
                "There is not enough free space on this computer to take this file: the app keeps some room free so that your upload history can always be saved. Make some room, then add the file again."
            }
            ErrorCode::WaitingFilesFull => {
                "Too many of your files are already waiting to be sent, so this one was not taken. Add it again once some of them are done."
            }
            ErrorCode::Unknown(_) => {
                "Ace Data Cloud answered with an error this app does not know. Press Retry."
            }
        };
        message.to_owned()
    }
}

impl ErrorCode {
    /// The message as the `producer-upload` command says it: the same facts, with the command's
    /// next step instead of the window's (a button, a screen, uploads that start by themselves).
    pub fn command_message_with_trace(&self, trace_id: Option<&str>) -> String {
        let Some(words) = self.command_words() else {
            return self.user_message_with_trace(trace_id);
        };
        self.with_support(words.to_owned(), trace_id)
    }

    /// `message`, and, where support may be needed, how to reach it: with the trace ID itself
    /// when there is one.
    fn with_support(&self, mut message: String, trace_id: Option<&str>) -> String {
        if self.needs_support() {
            match trace_id {
                Some(trace_id) => message.push_str(&format!(
                    " If it keeps happening, send Ace Data Cloud support this trace ID: {trace_id}."
                )),
                None => message.push_str(" If it keeps happening, contact Ace Data Cloud support."),
            }
        }
        message
    }

    /// The command's own words where the window's would not fit.
    fn command_words(&self) -> Option<&'static str> {
        Some(match self {
            ErrorCode::BadRequest => {
                "The service could not use this link. Check that it is a direct link to an audio file, then run the command again."
            }
            ErrorCode::NoToken | ErrorCode::TokenMissing => {
                "No API token was available. Save your Ace Data Cloud API token with `producer-upload token set` (or set ACEDATACLOUD_API_TOKEN), then run the command again."
            }
            ErrorCode::TokenMismatched => {
                "This token is not for the Producer API. Create a token for the Producer service at Ace Data Cloud, save it with `producer-upload token set`, then run the command again."
            }
            ErrorCode::InvalidToken => {
                "Ace Data Cloud did not accept your API token. Copy it again from your Ace Data Cloud account, save it with `producer-upload token set`, then run the command again."
            }
            ErrorCode::TokenExpired => {
                "Your API token has expired. Create a new one in your Ace Data Cloud account, save it with `producer-upload token set`, then run the command again."
            }
            ErrorCode::UsedUp => {
                "Your Ace Data Cloud balance is used up: top it up at Ace Data Cloud, then run the command again."
            }
            ErrorCode::NoApi => {
                "The API address (--base-url or ACEDATACLOUD_API_BASE_URL) does not lead to the Producer Upload service. Leave it out to use https://api.acedata.cloud, then run the command again."
            }
            ErrorCode::TooManyRequests => {
                "Ace Data Cloud is limiting how fast uploads can go. Wait a moment, then run the command again for this link."
            }
            ErrorCode::ApiError => {
                "Ace Data Cloud had a problem on its side. Wait a minute, then run the command again for this link."
            }
            ErrorCode::BadResponse => {
                "Ace Data Cloud sent an answer this command could not read. Wait a minute, then run the command again for this link."
            }
            ErrorCode::Network => {
                "Could not reach Ace Data Cloud. Check your internet connection, then run the command again for this link."
            }
            ErrorCode::Timeout => {
                "Ace Data Cloud took too long to answer. Check your connection (or give a longer --timeout), then run the command again for this link."
            }
            ErrorCode::OutcomeUnknown => {
                "The connection broke before Ace Data Cloud answered, so it may have received this upload. Look for its audio ID with `producer-upload history --search` first; send it again only if it is not there, so it is not uploaded and paid for twice."
            }
            ErrorCode::LocalFile => {
                "This is the name of a file on your computer, given as a link. To send the file, write it as a path (./take.wav) or give it with --file; or give a link to the file online, such as a Dropbox or Google Drive share link."
            }
            ErrorCode::KeychainUnavailable => {
                "The system keychain could not be opened, so your token cannot be saved or read. Unlock your keychain (on Linux, start GNOME Keyring or KWallet and sign in to it), or set ACEDATACLOUD_API_TOKEN, then run the command again."
            }
            ErrorCode::InvalidBaseUrl => {
                "The API address is not usable: it must start with https:// (plain http:// only for this computer). Fix --base-url or ACEDATACLOUD_API_BASE_URL, or leave it out."
            }
            ErrorCode::HistoryUnavailable => {
                "The upload history could not be opened or saved. The audio IDs are printed here; check that the disk is not full, then run the command again."
            }
            ErrorCode::NotAudioFile => {
                "This link leads to a page or a folder, not to an audio file: an ID made from it would fail later, in music generation. Give a direct link to the file instead."
            }
            ErrorCode::LocalLink => {
                "This link points to this computer or your local network, which Ace Data Cloud cannot reach. Put the file somewhere public (Dropbox, Google Drive or similar) and give that link, or give the file itself as a path."
            }
            ErrorCode::PlatformTokenMissing => {
                "To send a file from your computer, Ace Data Cloud needs your platform token: a second token, which starts with platform- (your API token is not it). Make one at https://platform.acedata.cloud/console/platform-tokens, save it with `producer-upload token set --platform` (or set ACEDATACLOUD_PLATFORM_TOKEN), then run the command again."
            }
            ErrorCode::PlatformTokenInvalid => {
                "Ace Data Cloud's file storage did not accept your platform token. Copy it again from https://platform.acedata.cloud/console/platform-tokens (or make a new one), save it with `producer-upload token set --platform`, then send the file again."
            }
            ErrorCode::BadFileLink => {
                "Ace Data Cloud's file storage answered with a link this command cannot trust (too long, not secure, or to a private address), so nothing was kept and the file was not sent on. Run the command again in a few minutes."
            }
            ErrorCode::Unknown(_) => {
                "Ace Data Cloud answered with an error this command does not know. Run the command again for this link."
            }
            ErrorCode::InvalidSetting => {
                "A value given is out of range. Check the options (producer-upload upload --help), then run the command again."
            }
            ErrorCode::DiskFull => {
                "There is not enough free space on this computer: some room is kept free so that your upload history can always be saved. Make some room, then run the command again."
            }
            ErrorCode::WaitingFilesFull => {
                "Too many files already wait to be sent. Run the command again once some of them are done."
            }
            ErrorCode::Disabled
            | ErrorCode::ApiNotImplemented
            | ErrorCode::InvalidUrl
            | ErrorCode::FileTooBig
            | ErrorCode::NotAudio
            | ErrorCode::FileUnreadable
            | ErrorCode::FileIsFolder
            | ErrorCode::GenerationFailed
            | ErrorCode::FileEmpty => return None,
        })
    }
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
/// CLI's JSON output.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ErrorReport {
    /// Stable machine-readable code, e.g. `used_up`.
    pub code: ErrorCode,
    /// Plain-language message with the next step.
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
}

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
        }
        self
    }

    /// The same report with `retryable` set.
    pub fn with_retryable(mut self, retryable: bool) -> Self {
        self.retryable = retryable;
        self
    }

    /// The same report with a more specific message.
    pub fn with_message(mut self, message: impl Into<String>) -> Self {
        self.message = message.into();
        self
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
    }
}
