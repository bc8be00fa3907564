//! The API token and the platform token in the operating system's keychain (Secret Service on Linux, Keychain on macOS,
//! Credential Manager on Windows). Never a file: if the keychain cannot be used, that is an error
//! the user sees, not a silent fallback.
//!
//! All calls block; from async code, run them on a blocking thread.

use crate::error::{ErrorCode, ErrorReport, Value};
use crate::token::{ApiToken, PlatformToken};
use crate::tr;
use keyring::{Entry, Error};
use serde::Serialize;

/// Keychain service name the app and the CLI share.
pub const DEFAULT_SERVICE: &str = "cloud.acedata.producer-uploader";
/// Environment variable that names another keychain service (tests use it to stay apart).
pub const SERVICE_ENV: &str = "PRODUCER_UPLOAD_KEYCHAIN_SERVICE";
const ACCOUNT: &str = "api-token";
const PLATFORM_ACCOUNT: &str = "platform-token";

/// Where the token is kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenStore {
    service: String,
}

/// What may be shown about the saved token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TokenStatus {
    /// Whether a token is saved.
    pub saved: bool,
    /// Its last four characters, the only part ever shown (none for a short token).
    pub last_four: Option<String>,
}

/// The keychain could not be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeychainError {
    /// No keychain service answered, or it is locked or refused access.
    #[error("the system keychain is not available: {0}")]
    Unavailable(String),
    /// An entry is there but cannot be read as a token.
    #[error("the saved token cannot be read: {0}")]
    Unreadable(String),
}

impl KeychainError {
    /// The error as the user sees it.
    pub fn report(&self) -> ErrorReport {
        let report = ErrorReport::from_code(ErrorCode::KeychainUnavailable);
        match self {
            KeychainError::Unavailable(detail) => report.with_words(
                "keychain-details",
                [
                    ("message", Value::CodeMessage),
                    ("detail", detail.as_str().into()),
                ],
            ),
            KeychainError::Unreadable(detail) => {
                report.with_words("keychain-unreadable", [("detail", detail.as_str().into())])
            }
        }
    }
}

impl From<Error> for KeychainError {
    fn from(error: Error) -> Self {
        // Never format the error's payload: some variants carry the stored bytes.
        match error {
            Error::BadEncoding(_) => KeychainError::Unreadable(tr!("keychain-not-text")),
            Error::BadDataFormat(_, _) => KeychainError::Unreadable(tr!("keychain-unknown-format")),
            Error::Ambiguous(entries) => {
                KeychainError::Unreadable(tr!("keychain-ambiguous", count = entries.len()))
            }
            Error::NoStorageAccess(inner) => {
                KeychainError::Unavailable(tr!("keychain-locked", detail = inner.to_string()))
            }
            Error::PlatformFailure(inner) => KeychainError::Unavailable(inner.to_string()),
            Error::NoDefaultStore => KeychainError::Unavailable(tr!("keychain-none")),
            other => KeychainError::Unavailable(other.to_string()),
        }
    }
}

impl Default for TokenStore {
    fn default() -> Self {
        Self::new(DEFAULT_SERVICE)
    }
}

impl TokenStore {
    /// A store under the keychain service `service`.
    pub fn new(service: impl Into<String>) -> Self {
        Self {
            service: service.into(),
        }
    }

    /// The store the app and the CLI use: [`DEFAULT_SERVICE`], or the one named by
    /// `PRODUCER_UPLOAD_KEYCHAIN_SERVICE`.
    pub fn from_env() -> Self {
        match std::env::var(SERVICE_ENV) {
            Ok(service) if !service.trim().is_empty() => Self::new(service.trim()),
            _ => Self::default(),
        }
    }

    fn entry(&self, account: &str) -> Result<Entry, KeychainError> {
        Ok(Entry::new(&self.service, account)?)
    }

    fn get_secret(&self, account: &str) -> Result<Option<String>, KeychainError> {
        match self.entry(account)?.get_password() {
            Ok(secret) => Ok(Some(secret)),
            Err(Error::NoEntry) => Ok(None),
            Err(error) => Err(error.into()),
        }
    }

    fn delete_account(&self, account: &str) -> Result<(), KeychainError> {
        match self.entry(account)?.delete_credential() {
            Ok(()) | Err(Error::NoEntry) => Ok(()),
            Err(error) => Err(error.into()),
        }
    }

    /// The saved token; `None` when there is none. A keychain that cannot be read is an error,
    /// never taken for "no token".
    pub fn get(&self) -> Result<Option<ApiToken>, KeychainError> {
        self.get_secret(ACCOUNT)?
            .map(|secret| ApiToken::parse(&secret))
            .transpose()
            .map_err(|_| KeychainError::Unreadable(tr!("keychain-not-a-token")))
    }

    /// Saves `token`, replacing any saved before.
    pub fn set(&self, token: &ApiToken) -> Result<(), KeychainError> {
        self.entry(ACCOUNT)?.set_password(token.expose())?;
        Ok(())
    }

    /// Removes the saved token; removing when there is none is fine.
    pub fn delete(&self) -> Result<(), KeychainError> {
        self.delete_account(ACCOUNT)
    }

    /// The saved platform token (a second entry beside the API token); `None` when there is
    /// none.
    pub fn get_platform(&self) -> Result<Option<PlatformToken>, KeychainError> {
        self.get_secret(PLATFORM_ACCOUNT)?
            .map(|secret| PlatformToken::parse(&secret))
            .transpose()
            .map_err(|_| KeychainError::Unreadable(tr!("keychain-not-platform")))
    }

    /// Saves the platform token, replacing any saved before.
    pub fn set_platform(&self, token: &PlatformToken) -> Result<(), KeychainError> {
        self.entry(PLATFORM_ACCOUNT)?.set_password(token.expose())?;
        Ok(())
    }

    /// Removes the saved platform token; removing when there is none is fine.
    pub fn delete_platform(&self) -> Result<(), KeychainError> {
        self.delete_account(PLATFORM_ACCOUNT)
    }

    /// Whether a platform token is saved, and its last four characters.
    pub fn platform_status(&self) -> Result<TokenStatus, KeychainError> {
        let token = self.get_platform()?;
        Ok(TokenStatus {
            saved: token.is_some(),
            last_four: token.as_ref().and_then(PlatformToken::last_four),
        })
    }

    /// Whether a token is saved, and its last four characters.
    pub fn status(&self) -> Result<TokenStatus, KeychainError> {
        let token = self.get()?;
        Ok(TokenStatus {
            saved: token.is_some(),
            last_four: token.as_ref().and_then(ApiToken::last_four),
        })
    }
}
