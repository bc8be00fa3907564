//! The app layer's own errors, and how every error crosses to the UI: as an [`ErrorReport`]
//! (`{code, message, trace_id, retryable, status}`), never as a bare string.

use producer_upload::error::{ErrorCode, ErrorReport, Value};
use producer_upload::filehost::PLATFORM_TOKENS_PAGE;
use producer_upload::keychain::KeychainError;
use producer_upload::token::{PlatformToken, TokenInputError};
use producer_upload::tr;
use std::path::PathBuf;

/// What can go wrong in the app layer before or around a call into the core.
#[derive(Debug, Clone, thiserror::Error)]
pub enum AppError {
    /// More text was pasted or dropped at once than the app accepts.
    #[error("the text is {bytes} bytes, more than {max} bytes")]
    TextTooLong { bytes: usize, max: usize },
    /// More links were given at once than the app accepts.
    #[error("{count} links at once, more than {max}")]
    TooManyLinks { count: usize, max: usize },
    /// A link given to the queue is not one link the service can fetch.
    #[error("not a single usable link")]
    NotOneLink(ErrorReport),
    /// A setting is outside its range: the message id of its name (`setting-…`), and why, in
    /// words.
    #[error("{setting} is out of range: {detail}")]
    Setting {
        setting: &'static str,
        detail: String,
    },
    /// The API address is not safe to send the token to.
    #[error("the API address is not usable")]
    BaseUrl(ErrorReport),
    /// The pasted token is not a token.
    #[error(transparent)]
    TokenInput(#[from] TokenInputError),
    /// The pasted platform token is not a platform token.
    #[error("not a platform token: {0}")]
    PlatformTokenInput(TokenInputError),
    /// The keychain could not be used.
    #[error(transparent)]
    Keychain(#[from] KeychainError),
    /// The keychain did not answer in time (a locked keychain waiting for a password, say).
    #[error("the keychain did not answer within {0} seconds")]
    KeychainTimeout(u64),
    /// No token is saved, and none is kept for this session.
    #[error("no API token")]
    NoToken,
    /// The settings file could not be written.
    #[error("cannot save settings to {path}: {detail}")]
    SettingsFile { path: PathBuf, detail: String },
    /// A piece of a dropped file could not be taken (no place given, or the work stopped).
    #[error("a piece of a dropped file could not be taken")]
    FilePiece,
    /// A piece of a dropped file is larger than the window ever sends.
    #[error("a piece of {len} bytes, more than {max}")]
    PieceTooBig { len: usize, max: usize },
    #[error("the web browser could not be opened: {0}")]
    Browser(String),
    /// A file to retry from the history whose copy is gone: it must be added again.
    #[error("the copy of {0} is gone")]
    FileGone(String),
    /// A link to open that neither the upload list nor the history shows.
    #[error("the link to open is not one the window shows")]
    LinkNotShown,
}

impl AppError {
    /// The error as the UI shows it, in the language in use.
    pub fn report(&self) -> ErrorReport {
        match self {
            AppError::TextTooLong { max, .. } => ErrorReport::from_code(ErrorCode::InvalidUrl)
                .with_message(tr!("app-text-too-long", kilobytes = max / 1024)),
            AppError::TooManyLinks { count, max } => ErrorReport::from_code(ErrorCode::InvalidUrl)
                .with_message(tr!("app-too-many-links", count = *count, max = *max)),
            AppError::NotOneLink(report) | AppError::BaseUrl(report) => report.clone(),
            AppError::Setting { setting, detail } => {
                ErrorReport::from_code(ErrorCode::InvalidSetting).with_message(tr!(
                    "app-setting-out-of-range",
                    setting = tr!(setting),
                    detail = detail.as_str()
                ))
            }
            AppError::TokenInput(error) => {
                ErrorReport::from_code(ErrorCode::InvalidToken).with_message(error.message())
            }
            AppError::PlatformTokenInput(error) => {
                let message = match error {
                    TokenInputError::NotPlatform => error.message(),
                    TokenInputError::Empty
                    | TokenInputError::Malformed
                    | TokenInputError::IsPlatform => tr!(
                        "app-not-a-platform-token",
                        prefix = PlatformToken::PREFIX,
                        page = PLATFORM_TOKENS_PAGE
                    ),
                };
                ErrorReport::from_code(ErrorCode::PlatformTokenInvalid).with_message(message)
            }
            AppError::Keychain(error) => error.report(),
            AppError::KeychainTimeout(seconds) => {
                ErrorReport::from_code(ErrorCode::KeychainUnavailable).with_words(
                    "app-keychain-timeout",
                    [
                        ("message", Value::CodeMessage),
                        ("seconds", (*seconds).into()),
                    ],
                )
            }
            AppError::NoToken => ErrorReport::from_code(ErrorCode::TokenMissing),
            AppError::SettingsFile { path, detail } => {
                ErrorReport::from_code(ErrorCode::InvalidSetting).with_message(tr!(
                    "app-settings-unsaved",
                    path = path.display().to_string(),
                    detail = detail.as_str()
                ))
            }
            AppError::FilePiece => ErrorReport::from_code(ErrorCode::FileUnreadable)
                .with_words("app-file-not-whole", []),
            AppError::PieceTooBig { max, .. } => ErrorReport::from_code(ErrorCode::FileUnreadable)
                .with_words(
                    "app-file-pieces-too-big",
                    [("megabytes", (max / (1024 * 1024)).into())],
                ),
            AppError::FileGone(name) => ErrorReport::from_code(ErrorCode::FileUnreadable)
                .with_words("app-file-copy-gone", [("file_name", name.as_str().into())]),
            AppError::LinkNotShown => ErrorReport::from_code(ErrorCode::InvalidUrl)
                .with_message(tr!("app-link-not-shown")),
            AppError::Browser(detail) => {
                ErrorReport::from_code(ErrorCode::Unknown("browser".into()))
                    .with_message(tr!("app-browser-failed", detail = detail.as_str()))
            }
        }
    }
}

impl From<AppError> for ErrorReport {
    fn from(error: AppError) -> Self {
        error.report()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_app_error_becomes_a_plain_report() {
        let errors = [
            AppError::TextTooLong {
                bytes: 70_000,
                max: 64 * 1024,
            },
            AppError::TooManyLinks {
                count: 900,
                max: 200,
            },
            AppError::Setting {
                setting: "setting-concurrency",
                detail: "it must be between 1 and 16".into(),
            },
            AppError::TokenInput(TokenInputError::Empty),
            AppError::TokenInput(TokenInputError::IsPlatform),
            AppError::PlatformTokenInput(TokenInputError::Malformed),
            AppError::PlatformTokenInput(TokenInputError::NotPlatform),
            AppError::Keychain(KeychainError::Unavailable("no bus".into())),
            AppError::KeychainTimeout(20),
            AppError::NoToken,
            AppError::LinkNotShown,
            AppError::FileGone("verse.wav".into()),
            AppError::FilePiece,
            AppError::PieceTooBig {
                len: 100 << 20,
                max: 1 << 20,
            },
            AppError::SettingsFile {
                path: "/nowhere/settings.json".into(),
                detail: "read-only".into(),
            },
        ];
        for error in errors {
            let report = error.report();
            let json = serde_json::to_value(&report).unwrap();
            let code = json["code"].as_str().unwrap();
            assert!(
                ErrorCode::KNOWN.iter().any(|known| known.as_str() == code),
                "{error:?} -> unknown code {code}"
            );
            let message = json["message"].as_str().unwrap();
            assert!(message.len() > 30, "{error:?}: {message}");
            assert!(
                message.ends_with('.') || message.ends_with(')'),
                "{message}"
            );
            assert!(json.get("trace_id").is_some() && json.get("status").is_some());
            assert_eq!(json["retryable"], false);
        }
    }

    #[test]
    fn keychain_problems_keep_their_code() {
        let report = AppError::KeychainTimeout(20).report();
        assert_eq!(report.code, ErrorCode::KeychainUnavailable);
        assert!(report.message.contains("20 seconds"));
        let report = AppError::NoToken.report();
        assert_eq!(report.code, ErrorCode::TokenMissing);
    }
}
