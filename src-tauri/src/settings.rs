//! The musician's settings (never the token): API address, how many uploads at once, time-out,
//! and the pre-flight check. Kept as JSON in the app's config folder, or in the folder named by
//! `PRODUCER_UPLOAD_DATA_DIR`.

use crate::error::AppError;
use producer_upload::batch::MAX_CONCURRENCY;
use producer_upload::client::{ClientConfig, DEFAULT_BASE_URL};
use producer_upload::tr;
use producer_upload::words::Preference;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Environment variable naming the folder for the settings file (tests isolate with it).
pub const DATA_DIR_ENV: &str = "PRODUCER_UPLOAD_DATA_DIR";
/// Environment variable that overrides the API address for this launch (tests and the demo
/// point the app at the simulator with it).
pub const BASE_URL_ENV: &str = "ACEDATACLOUD_API_BASE_URL";
/// The settings file's name inside its folder.
pub const FILE_NAME: &str = "settings.json";
/// The file beside the settings that keeps the window's size and place (the window-state
/// plugin's own file name when the folder is the app's config folder).
pub const WINDOW_STATE_FILE_NAME: &str = ".window-state.json";

/// The text sizes Ctrl+= and Ctrl+- step through, in percent (as browsers do).
pub const ZOOM_STEPS: [u32; 11] = [50, 67, 75, 80, 90, 100, 110, 125, 150, 175, 200];
/// The usual text size, in percent (Ctrl+0).
pub const DEFAULT_ZOOM_PERCENT: u32 = 100;

/// Fewest uploads at once.
pub const MIN_CONCURRENCY: u32 = 1;
/// Most uploads at once.
pub const MAX_CONCURRENCY_SETTING: u32 = MAX_CONCURRENCY as u32;
/// Shortest time-out for one request, in seconds.
pub const MIN_TIMEOUT_SECS: u64 = 5;
/// Longest time-out for one request, in seconds.
pub const MAX_TIMEOUT_SECS: u64 = 600;
/// Longest API address accepted.
pub const MAX_BASE_URL_LEN: usize = 2048;

/// What the settings screen edits and the settings file holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    /// The API's base address.
    pub base_url: String,
    /// Uploads that may run at once (1–16).
    pub concurrency: u32,
    /// Time allowed for one request, in seconds.
    pub timeout_secs: u64,
    /// Whether to check each link (reachable, looks like audio) before uploading it.
    pub preflight: bool,
    /// The window's text size in percent, one of [`ZOOM_STEPS`]; `None` is 100 %. Settings
    /// saved without it keep the text size they had.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub zoom_percent: Option<u32>,
    /// True once the person has acknowledged that a hosted file stays at a link anyone who has
    /// it can open (shown the first time files are hosted). Settings saved without it keep it.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub hosting_notice_seen: bool,
    /// The language chosen in Settings; `None` is the system's. Settings saved without it keep
    /// the language they had.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub language: Option<Preference>,
}

/// Which way Ctrl+=, Ctrl+- or Ctrl+0 moves the text size.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ZoomStep {
    /// Ctrl+= (or Ctrl++): one step larger.
    In,
    /// Ctrl+-: one step smaller.
    Out,
    /// Ctrl+0: the usual size.
    Reset,
}

/// The text size after `step` from `percent` (stays within [`ZOOM_STEPS`]).
pub fn zoom_after(percent: u32, step: ZoomStep) -> u32 {
    match step {
        ZoomStep::Reset => DEFAULT_ZOOM_PERCENT,
        ZoomStep::In => ZOOM_STEPS
            .into_iter()
            .find(|&size| size > percent)
            .unwrap_or(ZOOM_STEPS[ZOOM_STEPS.len() - 1]),
        ZoomStep::Out => ZOOM_STEPS
            .into_iter()
            .rev()
            .find(|&size| size < percent)
            .unwrap_or(ZOOM_STEPS[0]),
    }
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            base_url: DEFAULT_BASE_URL.to_owned(),
            concurrency: 4,
            timeout_secs: ClientConfig::DEFAULT_TIMEOUT.as_secs(),
            preflight: true,
            zoom_percent: None,
            hosting_notice_seen: false,
            language: None,
        }
    }
}

impl Settings {
    /// Checks every field; returns the settings as they will be saved (address trimmed).
    pub fn validated(mut self) -> Result<Self, AppError> {
        if !(MIN_CONCURRENCY..=MAX_CONCURRENCY_SETTING).contains(&self.concurrency) {
            return Err(AppError::Setting {
                setting: "setting-concurrency",
                detail: tr!(
                    "setting-between",
                    min = MIN_CONCURRENCY,
                    max = MAX_CONCURRENCY_SETTING,
                    value = self.concurrency
                ),
            });
        }
        if !(MIN_TIMEOUT_SECS..=MAX_TIMEOUT_SECS).contains(&self.timeout_secs) {
            return Err(AppError::Setting {
                setting: "setting-timeout",
                detail: tr!(
                    "setting-between-seconds",
                    min = MIN_TIMEOUT_SECS,
                    max = MAX_TIMEOUT_SECS,
                    value = self.timeout_secs
                ),
            });
        }
        if let Some(zoom) = self.zoom_percent.filter(|zoom| !ZOOM_STEPS.contains(zoom)) {
            return Err(AppError::Setting {
                setting: "setting-zoom",
                detail: tr!(
                    "setting-one-of-percent",
                    sizes = ZOOM_STEPS
                        .map(|size| size.to_string())
                        .join(&tr!("batch-comma")),
                    value = zoom
                ),
            });
        }
        self.base_url = self.base_url.trim().to_owned();
        client_config(&self.base_url, self.timeout_secs)?;
        Ok(self)
    }

    /// The window's zoom factor (1.0 is 100 %).
    pub fn zoom(&self) -> f64 {
        f64::from(self.zoom_percent.unwrap_or(DEFAULT_ZOOM_PERCENT)) / 100.0
    }

    /// Reads the settings file; a missing file means the defaults. A file that cannot be read
    /// or is not valid is set aside (renamed `settings.json.bad`) and the defaults are used, so
    /// the app always starts.
    pub fn load(path: &Path) -> Self {
        let Ok(text) = std::fs::read_to_string(path) else {
            return Self::default();
        };
        match serde_json::from_str::<Settings>(&text)
            .ok()
            .and_then(|settings| settings.validated().ok())
        {
            Some(settings) => settings,
            None => {
                let _ = std::fs::rename(path, path.with_extension("json.bad"));
                Self::default()
            }
        }
    }

    /// Writes the settings file, private to the user (0600 on Unix), through a temporary file so
    /// a crash never leaves half a file.
    pub fn save(&self, path: &Path) -> Result<(), AppError> {
        let failed = |error: std::io::Error| AppError::SettingsFile {
            path: path.to_owned(),
            detail: error.to_string(),
        };
        if let Some(folder) = path.parent() {
            std::fs::create_dir_all(folder).map_err(failed)?;
        }
        let text = serde_json::to_string_pretty(self).expect("settings serialise");
        let temporary = path.with_extension("json.tmp");
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create(true).truncate(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let mut file = options.open(&temporary).map_err(failed)?;
        // A temporary file left by an earlier crash keeps its mode: set it again.
        #[cfg(unix)]
        file.set_permissions(std::os::unix::fs::PermissionsExt::from_mode(0o600))
            .map_err(failed)?;
        std::io::Write::write_all(&mut file, (text + "\n").as_bytes()).map_err(failed)?;
        std::fs::rename(&temporary, path).map_err(failed)
    }
}

/// A client configuration for `base_url` with a time-out of `timeout_secs`: the core decides
/// whether the address is safe (https, or plain http only on this computer).
pub fn client_config(base_url: &str, timeout_secs: u64) -> Result<ClientConfig, AppError> {
    if base_url.len() > MAX_BASE_URL_LEN {
        let report = producer_upload::error::ErrorReport::from_code(
            producer_upload::error::ErrorCode::InvalidBaseUrl,
        );
        return Err(AppError::BaseUrl(report));
    }
    let mut config = ClientConfig::new(base_url).map_err(AppError::BaseUrl)?;
    config.timeout = Duration::from_secs(timeout_secs);
    Ok(config)
}

/// Where the settings file lives: `$PRODUCER_UPLOAD_DATA_DIR/settings.json` if that is set,
/// else `settings.json` in the app's config folder.
pub fn settings_path(data_dir_env: Option<String>, app_config_dir: Option<PathBuf>) -> PathBuf {
    let folder = data_dir_env
        .filter(|dir| !dir.trim().is_empty())
        .map(PathBuf::from)
        .or(app_config_dir)
        .unwrap_or_else(|| PathBuf::from("."));
    folder.join(FILE_NAME)
}

/// The window-state file: beside the settings in `$PRODUCER_UPLOAD_DATA_DIR` when that is set
/// (an absolute path, which the plugin joins onto its folder as it is), else its name in the
/// app's config folder.
pub fn window_state_file(data_dir_env: Option<String>) -> String {
    match data_dir_env.filter(|dir| !dir.trim().is_empty()) {
        Some(dir) => std::path::absolute(Path::new(&dir).join(WINDOW_STATE_FILE_NAME))
            .unwrap_or_else(|_| Path::new(&dir).join(WINDOW_STATE_FILE_NAME))
            .to_string_lossy()
            .into_owned(),
        None => WINDOW_STATE_FILE_NAME.to_owned(),
    }
}

/// The API address from `ACEDATACLOUD_API_BASE_URL`, when set and not blank.
pub fn base_url_override(value: Option<String>) -> Option<String> {
    value
        .map(|url| url.trim().to_owned())
        .filter(|url| !url.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use producer_upload::error::ErrorCode;

    #[test]
    fn defaults_are_valid_and_point_at_the_real_service() {
        let settings = Settings::default().validated().unwrap();
        assert_eq!(settings.base_url, "https://api.acedata.cloud");
        assert!(settings.preflight);
    }

    #[test]
    fn ranges_are_enforced() {
        for concurrency in [0, 17, 1000] {
            let settings = Settings {
                concurrency,
                ..Settings::default()
            };
            let report = settings.validated().unwrap_err().report();
            assert_eq!(report.code, ErrorCode::InvalidSetting, "{concurrency}");
        }
        for timeout_secs in [0, 4, 601] {
            let settings = Settings {
                timeout_secs,
                ..Settings::default()
            };
            assert_eq!(
                settings.validated().unwrap_err().report().code,
                ErrorCode::InvalidSetting
            );
        }
        for concurrency in [1, 16] {
            let settings = Settings {
                concurrency,
                ..Settings::default()
            };
            assert!(settings.validated().is_ok());
        }
    }

    #[test]
    fn only_safe_api_addresses_are_accepted() {
        for bad in [
            "http://api.acedata.cloud",
            "ftp://api.acedata.cloud",
            "not a url",
            "",
        ] {
            let settings = Settings {
                base_url: bad.into(),
                ..Settings::default()
            };
            let report = settings.validated().unwrap_err().report();
            assert_eq!(report.code, ErrorCode::InvalidBaseUrl, "{bad}");
        }
        let long = format!("https://{}.example", "a".repeat(MAX_BASE_URL_LEN));
        let settings = Settings {
            base_url: long,
            ..Settings::default()
        };
        assert!(settings.validated().is_err());
        for good in ["http://127.0.0.1:8080", " https://api.acedata.cloud/ "] {
            let settings = Settings {
                base_url: good.into(),
                ..Settings::default()
            };
            assert_eq!(settings.validated().unwrap().base_url, good.trim());
        }
    }

    #[test]
    fn settings_round_trip_through_the_file() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("nested").join(FILE_NAME);
        assert_eq!(Settings::load(&path), Settings::default());
        let settings = Settings {
            base_url: "http://localhost:9000".into(),
            concurrency: 2,
            timeout_secs: 30,
            preflight: false,
            zoom_percent: Some(125),
            hosting_notice_seen: true,
            language: Some(Preference::Language("zh-CN".into())),
        };
        settings.save(&path).unwrap();
        assert_eq!(Settings::load(&path), settings);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(!text.to_lowercase().contains("token"), "{text}");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600, "the settings are private to the user");
        }
    }

    #[test]
    fn a_broken_file_is_set_aside_not_fatal() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join(FILE_NAME);
        std::fs::write(&path, "{ not json").unwrap();
        assert_eq!(Settings::load(&path), Settings::default());
        assert!(path.with_extension("json.bad").exists());
        std::fs::write(&path, r#"{"concurrency": 99}"#).unwrap();
        assert_eq!(Settings::load(&path), Settings::default());
    }

    #[test]
    fn zoom_steps_like_a_browser_and_stays_in_range() {
        assert_eq!(zoom_after(100, ZoomStep::In), 110);
        assert_eq!(zoom_after(100, ZoomStep::Out), 90);
        assert_eq!(zoom_after(200, ZoomStep::In), 200);
        assert_eq!(zoom_after(50, ZoomStep::Out), 50);
        assert_eq!(zoom_after(175, ZoomStep::Reset), 100);
        assert_eq!(zoom_after(105, ZoomStep::In), 110, "between steps");
        let mut size = 100;
        for _ in 0..20 {
            size = zoom_after(size, ZoomStep::In);
        }
        assert_eq!(size, 200);
        for bad in [0, 49, 105, 201] {
            let settings = Settings {
                zoom_percent: Some(bad),
                ..Settings::default()
            };
            assert!(settings.validated().is_err(), "{bad}");
        }
        assert_eq!(Settings::default().zoom(), 1.0);
        let larger = Settings {
            zoom_percent: Some(150),
            ..Settings::default()
        };
        assert_eq!(larger.zoom(), 1.5);
        // Files written before the text size existed still load.
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join(FILE_NAME);
        std::fs::write(&path, r#"{"concurrency": 2}"#).unwrap();
        assert_eq!(Settings::load(&path).zoom_percent, None);
        assert_eq!(Settings::load(&path).concurrency, 2);
    }

    #[test]
    fn the_window_state_is_kept_beside_the_settings() {
        assert_eq!(window_state_file(None), ".window-state.json");
        assert_eq!(
            window_state_file(Some("/tmp/x".into())),
            "/tmp/x/.window-state.json"
        );
        assert!(Path::new(&window_state_file(Some("relative".into()))).is_absolute());
    }

    #[test]
    fn the_environment_picks_the_folder_and_the_address() {
        let path = settings_path(Some("/tmp/x".into()), Some("/home/me/.config/app".into()));
        assert_eq!(path, PathBuf::from("/tmp/x/settings.json"));
        let path = settings_path(Some("  ".into()), Some("/home/me/.config/app".into()));
        assert_eq!(path, PathBuf::from("/home/me/.config/app/settings.json"));
        assert_eq!(base_url_override(Some("  ".into())), None);
        assert_eq!(
            base_url_override(Some(" http://127.0.0.1:1 ".into())).as_deref(),
            Some("http://127.0.0.1:1")
        );
    }
}
