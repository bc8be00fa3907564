//! The token store against a real Secret Service: GNOME Keyring in a private D-Bus session
//! (`scripts/test.sh` starts one for the whole run; the locked-keyring test starts its own).

use producer_upload::error::ErrorCode;
use producer_upload::keychain::{KeychainError, TokenStore};
use producer_upload::token::{ApiToken, PlatformToken};
use std::process::{Command, Output};

const CLI: &str = env!("CARGO_BIN_EXE_producer-upload");

fn store(test: &str) -> TokenStore {
    assert!(
        std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some(),
        "keychain tests need a D-Bus session with an unlocked GNOME Keyring: run scripts/test.sh"
    );
    TokenStore::new(format!(
        "producer-upload-test-{test}-{}",
        std::process::id()
    ))
}

#[test]
fn a_saved_token_reads_back_and_shows_only_its_last_four() {
    let store = store("roundtrip");
    assert_eq!(store.get().unwrap().map(|t| t.last_four()), None);
    assert!(!store.status().unwrap().saved);

    store
        .set(&ApiToken::parse("tok-first-1111").unwrap())
        .unwrap();
    store
        .set(&ApiToken::parse("tok-second-2222").unwrap())
        .unwrap();
    assert_eq!(store.get().unwrap().unwrap().expose(), "tok-second-2222");
    let status = store.status().unwrap();
    assert!(status.saved);
    assert_eq!(status.last_four.as_deref(), Some("2222"));
    let json = serde_json::to_string(&status).unwrap();
    assert!(!json.contains("tok-second"), "{json}");

    store.delete().unwrap();
    assert!(store.get().unwrap().is_none());
    store.delete().expect("removing twice is fine");
}

#[test]
fn the_platform_token_is_a_second_entry_beside_the_api_token() {
    let store = store("platform");
    store
        .set(&ApiToken::parse("tok-api-1111").unwrap())
        .unwrap();
    assert!(store.get_platform().unwrap().is_none());
    store
        .set_platform(&PlatformToken::parse("platform-secret-2222").unwrap())
        .unwrap();
    assert_eq!(store.get().unwrap().unwrap().expose(), "tok-api-1111");
    assert_eq!(
        store.get_platform().unwrap().unwrap().expose(),
        "platform-secret-2222"
    );
    let status = store.platform_status().unwrap();
    assert_eq!(
        (status.saved, status.last_four.as_deref()),
        (true, Some("2222"))
    );

    store.delete_platform().unwrap();
    assert!(store.get_platform().unwrap().is_none());
    assert!(store.get().unwrap().is_some(), "the API token stays");
    store.delete().unwrap();
}

#[test]
fn stores_under_different_names_stay_apart() {
    let (a, b) = (store("apart-a"), store("apart-b"));
    a.set(&ApiToken::parse("token-a-aaaa").unwrap()).unwrap();
    assert!(b.get().unwrap().is_none());
    a.delete().unwrap();
}

fn cli_in(env: &[(&str, &str)], remove: &[&str], args: &[&str], stdin: &str) -> Output {
    use std::io::Write;
    let data_dir = tempfile::tempdir().unwrap();
    let mut command = Command::new(CLI);
    command
        .args(args)
        .env_remove("ACEDATACLOUD_API_TOKEN")
        .env("PRODUCER_UPLOAD_DATA_DIR", data_dir.path())
        // In English whatever this computer's language: the test reads its words.
        .env("PRODUCER_UPLOAD_LANGUAGE", "en");
    for (key, value) in env {
        command.env(key, value);
    }
    for key in remove {
        command.env_remove(key);
    }
    let mut child = command
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn cli_token_commands_use_the_keychain_and_never_print_the_token() {
    let service = format!("producer-upload-test-cli-{}", std::process::id());
    let env = [("PRODUCER_UPLOAD_KEYCHAIN_SERVICE", service.as_str())];
    let run = |args: &[&str], stdin: &str| cli_in(&env, &[], args, stdin);

    let status = run(&["token", "status"], "");
    assert_eq!(status.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&status.stdout).contains("No token is saved"));

    let set = run(&["token", "set"], "  sk-cli-secret-9876\n");
    assert!(set.status.success(), "{set:?}");
    let said = String::from_utf8_lossy(&set.stdout);
    assert!(
        said.contains("9876") && !said.contains("sk-cli-secret"),
        "{said}"
    );

    let status = run(&["token", "status"], "");
    assert!(status.status.success());
    let said = String::from_utf8_lossy(&status.stdout);
    assert!(
        said.contains("ends in …9876") && !said.contains("sk-cli"),
        "{said}"
    );
    assert_eq!(
        TokenStore::new(&service).get().unwrap().unwrap().expose(),
        "sk-cli-secret-9876"
    );

    let refused = run(&["token", "set"], "two words");
    assert_eq!(refused.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("does not look like an API token"));
    assert!(
        TokenStore::new(&service).get().unwrap().is_some(),
        "bad input loses nothing"
    );

    assert!(run(&["token", "delete"], "").status.success());
    assert_eq!(run(&["token", "status"], "").status.code(), Some(3));
}

#[test]
fn without_a_session_bus_the_keychain_is_reported_unavailable_not_empty() {
    let status = cli_in(&[], &["DBUS_SESSION_BUS_ADDRESS"], &["token", "status"], "");
    assert_eq!(status.status.code(), Some(3));
    let stderr = String::from_utf8_lossy(&status.stderr);
    assert!(stderr.contains("keychain could not be opened"), "{stderr}");
    assert!(!String::from_utf8_lossy(&status.stdout).contains("No token"));

    let upload = cli_in(
        &[("ACEDATACLOUD_API_BASE_URL", "http://127.0.0.1:9")],
        &["DBUS_SESSION_BUS_ADDRESS"],
        &["upload", "https://example.com/a.wav"],
        "",
    );
    assert_eq!(upload.status.code(), Some(3));
    let stderr = String::from_utf8_lossy(&upload.stderr);
    assert!(
        stderr.contains("keychain could not be opened")
            && stderr.contains("ACEDATACLOUD_API_TOKEN"),
        "{stderr}"
    );
}

#[test]
fn a_locked_keyring_with_a_saved_token_is_an_error_not_no_token() {
    // A keyring of its own, so locking it disturbs no other test.
    let script = format!(
        r#"echo -n pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null
        echo tok-locked-4321 | "{CLI}" token set >/dev/null || exit 90
        gdbus call --session --dest org.freedesktop.secrets --object-path /org/freedesktop/secrets \
          --method org.freedesktop.Secret.Service.Lock "['/org/freedesktop/secrets/collection/login']" >/dev/null || exit 91
        exec "{CLI}" token status"#
    );
    let keyrings = tempfile::tempdir().unwrap();
    let output = Command::new("dbus-run-session")
        .args(["--", "sh", "-c", &script])
        .env("XDG_DATA_HOME", keyrings.path())
        // Without a display the keyring's unlock prompt fails at once instead of waiting for a
        // password nobody will type.
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .env(
            "PRODUCER_UPLOAD_KEYCHAIN_SERVICE",
            "producer-upload-test-locked",
        )
        .output()
        .expect("dbus-run-session is installed by scripts/install-deps.sh");
    assert_eq!(output.status.code(), Some(3), "{output:?}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("locked"), "{stderr}");
    assert!(!String::from_utf8_lossy(&output.stdout).contains("No token"));
}

#[test]
fn keychain_errors_become_plain_reports() {
    let report = KeychainError::Unavailable("no bus".into()).report();
    assert_eq!(report.code, ErrorCode::KeychainUnavailable);
    assert!(report.message.contains("Unlock your keychain") && report.message.contains("no bus"));
    let report = KeychainError::Unreadable("it is not text".into()).report();
    assert!(report.message.contains("paste your token again"));
}
