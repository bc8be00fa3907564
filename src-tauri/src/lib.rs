//! Producer Uploader, the desktop app: a thin Tauri shell over the `producer_upload` core.
//!
//! - [`commands`]: what the window may call; each checks its input and calls the core.
//! - [`state`]: settings, the token in memory, the uploader.
//! - [`settings`]: the settings file (never the token).
//! - [`error`]: the app layer's errors, crossing to the UI as `ErrorReport` objects.

pub mod commands;
pub mod error;
pub mod settings;
pub mod state;

use state::AppState;
use tauri::{App, Builder, Manager, Runtime};

/// Starts the app.
#[cfg_attr(mobile, tauri::mobile_entry_point)]
pub fn run() {
    run_app(Builder::default());
}

/// Builds and runs the app on any runtime (tests use Tauri's mock runtime).
pub fn run_app<R: Runtime>(builder: Builder<R>) {
    build_app(builder, None).run(|_, _| {});
}

/// Builds the app: plugins, state, commands and the configuration in `tauri.conf.json`.
///
/// `state` replaces the state read from the environment (tests pass their own).
pub fn build_app<R: Runtime>(builder: Builder<R>, state: Option<AppState>) -> App<R> {
    let builder = builder
        .plugin(tauri_plugin_clipboard_manager::init())
        .plugin(tauri_plugin_opener::init());
    let builder = match state {
        Some(state) => builder.manage(state),
        // The settings folder defaults to the app's config folder, known once the app is set up.
        None => builder.setup(|app| {
            let state = AppState::from_env(app.path().app_config_dir().ok());
            app.manage(state);
            Ok(())
        }),
    };
    builder
        .invoke_handler(tauri::generate_handler![
            commands::app_info,
            commands::get_settings,
            commands::save_settings,
            commands::token_status,
            commands::save_token,
            commands::remove_token,
            commands::intake_links,
            commands::explain_local_files,
            commands::check_link,
            commands::upload,
        ])
        .build(tauri::generate_context!("../tauri.conf.json"))
        .expect("error while building Producer Uploader")
}

#[cfg(test)]
mod ipc_tests;
