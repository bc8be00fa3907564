//! The tokens: whether each is saved, saving one (in the keychain or for this session only),
//! removing one.

use super::MAX_LINK_BYTES;
use crate::error::AppError;
use crate::state::{AppState, TokenKind, TokenView};
use producer_upload::error::ErrorReport;
use tauri::State;

/// Whether a token (the API token unless `kind` says otherwise) is there, and its last four
/// characters, or why the keychain cannot be read.
#[tauri::command]
pub async fn token_status(
    state: State<'_, AppState>,
    kind: Option<TokenKind>,
) -> Result<TokenView, ErrorReport> {
    Ok(state.token_status(kind.unwrap_or_default()).await)
}

/// Saves a pasted token in the keychain, or keeps it for this session only.
#[tauri::command]
pub async fn save_token(
    state: State<'_, AppState>,
    token: String,
    session_only: bool,
    kind: Option<TokenKind>,
) -> Result<TokenView, ErrorReport> {
    save(&state, token, session_only, kind).await
}

/// Saves `token` of `kind` (for this session only, if asked).
async fn save(
    state: &AppState,
    token: String,
    session_only: bool,
    kind: Option<TokenKind>,
) -> Result<TokenView, ErrorReport> {
    if token.len() > MAX_LINK_BYTES {
        return Err(
            AppError::TokenInput(producer_upload::token::TokenInputError::Malformed).into(),
        );
    }
    Ok(state
        .save_token(kind.unwrap_or_default(), &token, session_only)
        .await?)
}

/// Forgets a token.
#[tauri::command]
pub async fn remove_token(
    state: State<'_, AppState>,
    kind: Option<TokenKind>,
) -> Result<TokenView, ErrorReport> {
    Ok(state.remove_token(kind.unwrap_or_default()).await?)
}
