//! One app at a time on a data folder.

use crate::{progress, settings};
use tauri::{Builder, Runtime};

/// One app at a time on a data folder (the official single-instance plugin): a second launch
/// brings the running window forward (shown, unminimised, focused) and exits at once, before it
/// reads its settings or touches the data folder. On Linux the plugin finds the running app on
/// the D-Bus session bus, under a name made from the data folder, so copies using other data
/// folders (`PRODUCER_UPLOAD_DATA_DIR`) stay apart. Without a session bus the app starts anyway
/// and says so in the log.
pub fn one_app_at_a_time<R: Runtime>(builder: Builder<R>) -> Builder<R> {
    #[cfg(target_os = "linux")]
    if let Some(why) = no_session_bus() {
        tracing::warn!(
            "a second copy of the app cannot be noticed: no D-Bus session bus ({why}); starting anyway"
        );
        return builder;
    }
    builder.plugin(
        tauri_plugin_single_instance::Builder::new()
            .dbus_id(instance_id(std::env::var_os(settings::DATA_DIR_ENV)))
            .callback(|app, _, _| {
                tracing::info!("another launch of the app brought this window forward");
                progress::show_window(app);
            })
            .build(),
    )
}

/// Why there is no session bus to find the running app on, if there is none: its address
/// cannot be read (the plugin would panic on it), or names a socket file that is not there.
/// Judged without connecting: a D-Bus connection made and dropped before Tauri starts was seen to
/// make the keychain's later calls unreliable (the API token not found after the platform
/// token was removed, in 2 of 5 runs of an end-to-end test; 0 of 10 without it).
#[cfg(target_os = "linux")]
fn no_session_bus() -> Option<String> {
    let address = match zbus::Address::session() {
        Ok(address) => address.to_string(),
        Err(error) => return Some(error.to_string()),
    };
    let path = address
        .strip_prefix("unix:path=")?
        .split([',', ';'])
        .next()
        .filter(|path| !path.is_empty())?;
    (!std::path::Path::new(path).exists()).then(|| format!("{path} is not there"))
}

/// The name the running app is found by: the app's identifier, followed for a data folder
/// chosen with `PRODUCER_UPLOAD_DATA_DIR` by a digest of that folder's path.
fn instance_id(data_dir: Option<std::ffi::OsString>) -> String {
    use sha2::Digest;
    let identifier = producer_upload::history::APP_IDENTIFIER;
    match data_dir.filter(|dir| !dir.is_empty()) {
        Some(dir) => {
            let digest = sha2::Sha256::digest(dir.as_encoded_bytes());
            let hex: String = digest[..8]
                .iter()
                .map(|byte| format!("{byte:02x}"))
                .collect();
            format!("{identifier}.d{hex}")
        }
        None => identifier.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn each_data_folder_has_its_own_running_app() {
        let default = super::instance_id(None);
        assert_eq!(default, "cloud.acedata.producer-uploader");
        assert_eq!(super::instance_id(Some("".into())), default);
        let a = super::instance_id(Some("/home/me/a".into()));
        let b = super::instance_id(Some("/home/me/b".into()));
        assert_ne!(a, b);
        assert_eq!(a, super::instance_id(Some("/home/me/a".into())));
        // A D-Bus name: dot-separated elements of letters, digits, `_` and `-`, none starting
        // with a digit.
        for element in a.split('.') {
            assert!(!element.starts_with(|c: char| c.is_ascii_digit()), "{a}");
            assert!(element
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-'));
        }
    }
}
