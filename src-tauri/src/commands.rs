//! The commands the window may call. Each one checks its input, calls into the core, and turns
//! the result into what the UI shows; errors cross as [`ErrorReport`] objects only.

use crate::error::AppError;
use crate::settings::{self, Settings};
use crate::state::{AppState, TokenView};
use producer_upload::client::Uploaded;
use producer_upload::error::{ErrorCode, ErrorReport};
use producer_upload::links::{self, Intake, PreparedLink};
use producer_upload::preflight::{self, PreflightReport};
use serde::Serialize;
use std::time::Duration;
use tauri::ipc::Channel;
use tauri::State;
use url::Url;

/// Most text accepted in one paste or drop.
pub const MAX_TEXT_BYTES: usize = 64 * 1024;
/// Most links accepted in one paste or drop.
pub const MAX_LINKS: usize = 200;
/// Longest single link accepted.
pub const MAX_LINK_BYTES: usize = 8 * 1024;
/// Longest file name kept when explaining a dropped file.
pub const MAX_FILE_NAME_CHARS: usize = 255;
/// Longest a pre-flight check may take.
pub const MAX_PREFLIGHT: Duration = Duration::from_secs(15);

/// Where a musician finds their API token (the Ace Data Cloud console).
pub const TOKEN_PAGE: &str = "https://platform.acedata.cloud/console/applications";
/// Where a musician tops up their balance.
pub const TOP_UP_PAGE: &str = "https://platform.acedata.cloud/console/applications";

/// One row to show for a piece of pasted or dropped input.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum IntakeRow {
    /// A link ready to upload.
    Ready(PreparedLink),
    /// Something that cannot be uploaded, and why.
    Rejected { given: String, error: ErrorReport },
}

impl From<Intake> for IntakeRow {
    fn from(intake: Intake) -> Self {
        match intake {
            Intake::Ready(link) => IntakeRow::Ready(link),
            Intake::Rejected(rejected) => IntakeRow::Rejected {
                error: rejected.report(),
                given: rejected.given,
            },
        }
    }
}

/// The settings as the settings screen shows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SettingsView {
    /// What is saved.
    pub settings: Settings,
    /// Where uploads go now (the environment's address wins over the saved one).
    pub effective_base_url: String,
    /// True when `ACEDATACLOUD_API_BASE_URL` set the address for this launch.
    pub base_url_from_env: bool,
    /// The ranges each number must stay in.
    pub limits: Limits,
}

/// The ranges the settings screen enforces (the same ones the commands check).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Limits {
    pub min_concurrency: u32,
    pub max_concurrency: u32,
    pub min_timeout_secs: u64,
    pub max_timeout_secs: u64,
    pub max_text_bytes: usize,
    pub max_links: usize,
}

/// Facts the window needs once, at start.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AppInfo {
    pub version: &'static str,
    pub token_page: &'static str,
    pub top_up_page: &'static str,
    pub default_base_url: &'static str,
}

/// A pre-flight check's result, with the core's judgement of whether to warn.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CheckView {
    #[serde(flatten)]
    pub report: PreflightReport,
    /// True when the musician should look at the link (a web page, not audio, unreachable).
    pub warning: bool,
}

/// A successful upload as the row shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UploadedView {
    #[serde(flatten)]
    pub uploaded: Uploaded,
}

fn limits() -> Limits {
    Limits {
        min_concurrency: settings::MIN_CONCURRENCY,
        max_concurrency: settings::MAX_CONCURRENCY_SETTING,
        min_timeout_secs: settings::MIN_TIMEOUT_SECS,
        max_timeout_secs: settings::MAX_TIMEOUT_SECS,
        max_text_bytes: MAX_TEXT_BYTES,
        max_links: MAX_LINKS,
    }
}

fn settings_view(state: &AppState) -> SettingsView {
    SettingsView {
        settings: state.settings(),
        effective_base_url: state.effective_base_url(),
        base_url_from_env: state.base_url_override().is_some(),
        limits: limits(),
    }
}

/// Checks text meant to be one link and returns the address to send.
pub fn one_link(text: &str) -> Result<Url, AppError> {
    if text.len() > MAX_LINK_BYTES {
        return Err(AppError::TextTooLong {
            bytes: text.len(),
            max: MAX_LINK_BYTES,
        });
    }
    let mut items = links::parse_links(text);
    match (items.pop(), items.is_empty()) {
        (Some(Intake::Ready(link)), true) => Ok(link.audio_url),
        (Some(Intake::Rejected(rejected)), true) => Err(AppError::NotOneLink(rejected.report())),
        _ => Err(AppError::NotOneLink(
            ErrorReport::from_code(ErrorCode::InvalidUrl)
                .with_message("Send exactly one link to your audio file at a time."),
        )),
    }
}

/// Facts the window needs at start: version and the Ace Data Cloud pages it may open.
#[tauri::command]
pub fn app_info() -> AppInfo {
    AppInfo {
        version: env!("CARGO_PKG_VERSION"),
        token_page: TOKEN_PAGE,
        top_up_page: TOP_UP_PAGE,
        default_base_url: producer_upload::client::DEFAULT_BASE_URL,
    }
}

/// The saved settings, where uploads go, and the allowed ranges.
#[tauri::command]
pub fn get_settings(state: State<'_, AppState>) -> SettingsView {
    settings_view(&state)
}

/// Validates and saves new settings; they apply to the next upload.
///
/// Takes plain JSON so that settings of the wrong shape (a negative number, a word, an unknown
/// field) are refused with an `invalid_setting` report like any other bad value.
#[tauri::command]
pub fn save_settings(
    state: State<'_, AppState>,
    settings: serde_json::Value,
) -> Result<SettingsView, ErrorReport> {
    let settings: Settings =
        serde_json::from_value(settings).map_err(|error| AppError::Setting {
            setting: "settings",
            detail: format!("they could not be read ({error})"),
        })?;
    state.save_settings(settings)?;
    Ok(settings_view(&state))
}

/// Whether a token is there (and its last four characters), or why the keychain cannot be read.
#[tauri::command]
pub async fn token_status(state: State<'_, AppState>) -> Result<TokenView, ErrorReport> {
    Ok(state.token_status().await)
}

/// Saves a pasted token in the keychain, or keeps it for this session only.
#[tauri::command]
pub async fn save_token(
    state: State<'_, AppState>,
    token: String,
    session_only: bool,
) -> Result<TokenView, ErrorReport> {
    if token.len() > MAX_LINK_BYTES {
        return Err(
            AppError::TokenInput(producer_upload::token::TokenInputError::Malformed).into(),
        );
    }
    Ok(state.save_token(&token, session_only).await?)
}

/// Forgets the token.
#[tauri::command]
pub async fn remove_token(state: State<'_, AppState>) -> Result<TokenView, ErrorReport> {
    Ok(state.remove_token().await?)
}

/// Turns pasted or dropped text into rows: links ready to upload, or what cannot be, and why.
#[tauri::command]
pub fn intake_links(text: String) -> Result<Vec<IntakeRow>, ErrorReport> {
    if text.len() > MAX_TEXT_BYTES {
        return Err(AppError::TextTooLong {
            bytes: text.len(),
            max: MAX_TEXT_BYTES,
        }
        .into());
    }
    let items = links::parse_links(&text);
    if items.len() > MAX_LINKS {
        return Err(AppError::TooManyLinks {
            count: items.len(),
            max: MAX_LINKS,
        }
        .into());
    }
    Ok(items.into_iter().map(IntakeRow::from).collect())
}

/// Rows for files dropped from this computer: the service needs a link to each, not the file.
#[tauri::command]
pub fn explain_local_files(names: Vec<String>) -> Result<Vec<IntakeRow>, ErrorReport> {
    if names.len() > MAX_LINKS {
        return Err(AppError::TooManyLinks {
            count: names.len(),
            max: MAX_LINKS,
        }
        .into());
    }
    Ok(names
        .into_iter()
        .map(|name| IntakeRow::Rejected {
            given: name.chars().take(MAX_FILE_NAME_CHARS).collect(),
            error: ErrorReport::from_code(ErrorCode::LocalFile),
        })
        .collect())
}

/// Checks that a link answers and looks like audio, without the token. Advice only: the upload
/// goes ahead whatever it says.
#[tauri::command]
pub async fn check_link(state: State<'_, AppState>, url: String) -> Result<CheckView, ErrorReport> {
    let url = one_link(&url)?;
    let time_limit = Duration::from_secs(state.settings().timeout_secs).min(MAX_PREFLIGHT);
    let report = preflight::preflight(state.preflight_http(), &url, time_limit).await;
    Ok(CheckView {
        warning: report.is_warning(),
        report,
    })
}

/// Uploads one link and returns its `audio_id`; progress (queued, uploading, waiting N s)
/// arrives on `on_progress` as it happens. `given` is the link as the musician gave it, for the
/// upload history.
#[tauri::command]
pub async fn upload(
    state: State<'_, AppState>,
    url: String,
    given: Option<String>,
    on_progress: Channel<producer_upload::batch::Progress>,
) -> Result<UploadedView, ErrorReport> {
    let url = one_link(&url)?;
    let given = given
        .filter(|given| given.len() <= MAX_LINK_BYTES && !given.trim().is_empty())
        .unwrap_or_else(|| url.to_string());
    let token = state.token().await?;
    let uploader = state.uploader()?;
    let record = state.record_pending(&given, &url).await;
    let outcome = uploader
        .upload(&token, &url, |progress| {
            // A closed window drops its channel; the upload still finishes and is recorded.
            let _ = on_progress.send(progress);
        })
        .await;
    let result = outcome.result.map_err(|error| error.report());
    state
        .record_outcome(record, result.clone(), outcome.attempts)
        .await;
    result.map(|uploaded| UploadedView { uploaded })
}
