/// Every command the window may call. Declaring them makes each one a permission
/// (`allow-<command>`), so the capability in `capabilities/` must grant it explicitly.
const COMMANDS: &[&str] = &[
    "app_info",
    "get_settings",
    "save_settings",
    "token_status",
    "save_token",
    "remove_token",
    "intake_links",
    "explain_local_files",
    "check_link",
    "queue_subscribe",
    "queue_add",
    "queue_pause",
    "queue_resume",
    "queue_cancel",
    "queue_retry",
    "queue_clear",
    "queue_remove",
    "close_during_batch",
    "history_page",
    "history_delete",
    "history_undo",
    "history_retry",
    "history_export",
    "zoom",
    "open_link",
];

fn main() {
    // The app's configuration lives at the repository root, next to `ui/`.
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .config_path("../tauri.conf.json")
            .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("failed to build the app's configuration (../tauri.conf.json)");
}
