//! Every command called the way the window calls it (through Tauri's IPC on the mock runtime,
//! with the app's real configuration and capabilities), and the window's contract with Rust:
//! error codes, CSP, capabilities.

use crate::build_app;
use crate::state::AppState;
use producer_upload::error::ErrorCode;
use producer_upload::history::{Format, History, NewUpload, Query, Source};
use producer_upload::keychain::TokenStore;
use producer_upload::sim::{SimConfig, Simulator};
use serde_json::{json, Value};
use std::collections::BTreeSet;
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{get_ipc_response, mock_builder, MockRuntime, INVOKE_KEY};
use tauri::webview::InvokeRequest;
use tauri::{App, Manager, WebviewWindow};

/// Every module of the window's script.
const UI_MODULES: [(&str, &str); 10] = [
    ("app.js", include_str!("../../ui/app.js")),
    ("dom.js", include_str!("../../ui/dom.js")),
    ("errors.js", include_str!("../../ui/errors.js")),
    ("form.js", include_str!("../../ui/form.js")),
    ("format.js", include_str!("../../ui/format.js")),
    ("ipc.js", include_str!("../../ui/ipc.js")),
    ("songs.js", include_str!("../../ui/songs.js")),
    ("store.js", include_str!("../../ui/store.js")),
    ("uploads.js", include_str!("../../ui/uploads.js")),
    ("zoom.js", include_str!("../../ui/zoom.js")),
];
/// The page's one script tag, which starts the modules.
const START_JS: &str = include_str!("../../ui/start.js");
/// The table of what the window does for each error code.
const ERRORS_JS: &str = include_str!("../../ui/errors.js");
/// The drawings the window has for icons.
const DOM_JS: &str = include_str!("../../ui/dom.js");

/// The window's whole script, every module.
fn ui_js() -> String {
    UI_MODULES.iter().map(|(_, text)| *text).collect()
}
const INDEX_HTML: &str = include_str!("../../ui/index.html");
const CONFIG: &str = include_str!("../../tauri.conf.json");
const CAPABILITY: &str = include_str!("../capabilities/main.json");
const BUILD_RS: &str = include_str!("../build.rs");
const LIB_RS: &str = include_str!("lib.rs");

struct TestApp {
    _app: App<MockRuntime>,
    window: WebviewWindow<MockRuntime>,
    _dir: tempfile::TempDir,
}

/// The app on the mock runtime, with a fresh settings folder, a keychain service of its own,
/// and uploads going to `base_url` (by default a closed port: nothing leaves the machine).
fn app(base_url: Option<String>) -> TestApp {
    let dir = tempfile::tempdir().unwrap();
    let service = format!(
        "producer-uploader-unit-{}-{}",
        std::process::id(),
        dir.path().file_name().unwrap().to_string_lossy()
    );
    let base_url = base_url.unwrap_or_else(|| "http://127.0.0.1:9".into());
    let state = AppState::new(
        dir.path().join("settings.json"),
        Some(base_url.clone()),
        TokenStore::new(service),
        Some(History::open(dir.path()).unwrap()),
    )
    .with_platform_base_url(Some(base_url));
    let app = build_app(mock_builder(), Some(state));
    // Windows from tauri.conf.json open when the app runs; here the test opens "main" itself.
    let window = tauri::WebviewWindowBuilder::new(&app, "main", Default::default())
        .build()
        .expect("the main window");
    TestApp {
        _app: app,
        window,
        _dir: dir,
    }
}

fn invoke(app: &TestApp, cmd: &str, args: Value) -> Result<Value, Value> {
    get_ipc_response(
        &app.window,
        InvokeRequest {
            cmd: cmd.into(),
            callback: CallbackFn(0),
            error: CallbackFn(1),
            // The origin the app's own pages have on Linux.
            url: "tauri://localhost".parse().unwrap(),
            body: InvokeBody::Json(args),
            headers: Default::default(),
            invoke_key: INVOKE_KEY.to_string(),
        },
    )
    .map(|body| body.deserialize::<Value>().unwrap())
}

/// Asserts `error` is an ErrorReport object with `code`, and returns its message.
fn assert_report(error: &Value, code: &str) -> String {
    let object = error
        .as_object()
        .unwrap_or_else(|| panic!("not an ErrorReport object: {error}"));
    let keys: BTreeSet<&str> = object.keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        BTreeSet::from([
            "code",
            "message",
            "trace_id",
            "retryable",
            "status",
            "detail"
        ]),
        "{error}"
    );
    assert_eq!(error["code"], code, "{error}");
    let message = error["message"].as_str().unwrap().to_owned();
    assert!(!message.is_empty());
    message
}

#[test]
fn app_info_names_only_the_ace_data_cloud_site() {
    let app = app(None);
    let info = invoke(&app, "app_info", json!({})).unwrap();
    assert_eq!(info["default_base_url"], "https://api.acedata.cloud");
    for page in ["token_page", "top_up_page", "platform_token_page"] {
        assert!(
            info[page]
                .as_str()
                .unwrap()
                .starts_with("https://platform.acedata.cloud/"),
            "{info}"
        );
    }
}

#[test]
fn settings_are_validated_saved_and_never_hold_the_token() {
    let app = app(None);
    let view = invoke(&app, "get_settings", json!({})).unwrap();
    assert_eq!(view["settings"]["base_url"], "https://api.acedata.cloud");
    assert_eq!(view["base_url_from_env"], true);
    assert_eq!(view["effective_base_url"], "http://127.0.0.1:9");
    assert_eq!(view["limits"]["max_concurrency"], 16);

    let good = json!({"base_url": "https://api.acedata.cloud", "concurrency": 8, "timeout_secs": 30, "preflight": false});
    let saved = invoke(&app, "save_settings", json!({ "settings": good })).unwrap();
    assert_eq!(saved["settings"]["concurrency"], 8);
    let file = std::fs::read_to_string(app._dir.path().join("settings.json")).unwrap();
    assert!(file.contains("\"timeout_secs\": 30"), "{file}");

    let cases = [
        (
            json!({"base_url": "https://api.acedata.cloud", "concurrency": 0, "timeout_secs": 30, "preflight": true}),
            "invalid_setting",
        ),
        (
            json!({"base_url": "https://api.acedata.cloud", "concurrency": 17, "timeout_secs": 30, "preflight": true}),
            "invalid_setting",
        ),
        (
            json!({"base_url": "https://api.acedata.cloud", "concurrency": 4, "timeout_secs": 1, "preflight": true}),
            "invalid_setting",
        ),
        (
            json!({"base_url": "https://api.acedata.cloud", "concurrency": 4, "timeout_secs": 100000, "preflight": true}),
            "invalid_setting",
        ),
        (
            json!({"base_url": "http://api.acedata.cloud", "concurrency": 4, "timeout_secs": 30, "preflight": true}),
            "invalid_base_url",
        ),
        (
            json!({"base_url": "file:///etc/passwd", "concurrency": 4, "timeout_secs": 30, "preflight": true}),
            "invalid_base_url",
        ),
    ];
    for (settings, code) in cases {
        let error = invoke(&app, "save_settings", json!({ "settings": settings })).unwrap_err();
        assert_report(&error, code);
    }
    // Nothing invalid was saved.
    let file = std::fs::read_to_string(app._dir.path().join("settings.json")).unwrap();
    assert!(file.contains("\"concurrency\": 8"), "{file}");
}

#[test]
fn settings_of_the_wrong_shape_are_refused() {
    let app = app(None);
    for settings in [
        json!({"base_url": "https://api.acedata.cloud", "concurrency": -1, "timeout_secs": 30, "preflight": true}),
        json!({"base_url": "https://api.acedata.cloud", "concurrency": "many", "timeout_secs": 30, "preflight": true}),
        json!({"base_url": "https://api.acedata.cloud", "token": "sneaky", "concurrency": 4, "timeout_secs": 30, "preflight": true}),
    ] {
        let error = invoke(&app, "save_settings", json!({ "settings": settings })).unwrap_err();
        assert_report(&error, "invalid_setting");
    }
}

#[test]
fn intake_bounds_the_text_and_reports_rejections_as_error_reports() {
    let app = app(None);
    let rows = invoke(
        &app,
        "intake_links",
        json!({"text": "https://example.com/a.wav\n/home/me/song.wav\nhello there"}),
    )
    .unwrap();
    let rows = rows.as_array().unwrap();
    assert_eq!(rows[0]["kind"], "ready");
    assert_eq!(rows[0]["audio_url"], "https://example.com/a.wav");
    assert_eq!(rows[1]["kind"], "rejected");
    assert_report(&rows[1]["error"], "local_file");

    let too_long = "x".repeat(crate::commands::MAX_TEXT_BYTES + 1);
    let error = invoke(&app, "intake_links", json!({ "text": too_long })).unwrap_err();
    assert!(assert_report(&error, "invalid_url").contains("too much text"));

    let many: String = (0..=crate::commands::MAX_LINKS)
        .map(|i| format!("https://example.com/{i}.wav\n"))
        .collect();
    let error = invoke(&app, "intake_links", json!({ "text": many })).unwrap_err();
    assert!(assert_report(&error, "invalid_url").contains("at most"));
}

#[test]
fn tokens_are_checked_and_never_returned() {
    let app = app(None);
    for (token, why) in [("   ", "empty"), ("two words", "spaces")] {
        let error = invoke(
            &app,
            "save_token",
            json!({"token": token, "sessionOnly": true}),
        )
        .unwrap_err();
        let message = assert_report(&error, "invalid_token");
        assert!(message.contains(why), "{message}");
    }
    let huge = "a".repeat(100_000);
    let error = invoke(
        &app,
        "save_token",
        json!({"token": huge, "sessionOnly": true}),
    )
    .unwrap_err();
    assert_report(&error, "invalid_token");

    let view = invoke(
        &app,
        "save_token",
        json!({"token": "Bearer secret-abcd", "sessionOnly": true}),
    )
    .unwrap();
    assert_eq!(
        view,
        json!({"kind": "api", "has_token": true, "last_four": "abcd", "session_only": true, "keychain_problem": null})
    );
    let status = invoke(&app, "token_status", json!({})).unwrap();
    assert_eq!(status, view);
    assert!(!status.to_string().contains("secret"));

    let removed = invoke(&app, "remove_token", json!({})).unwrap();
    assert_eq!(removed["has_token"], false);
}

#[test]
fn the_keychain_either_works_or_is_reported_plainly() {
    let app = app(None);
    let status = invoke(&app, "token_status", json!({})).unwrap();
    match status["keychain_problem"].as_object() {
        // No keychain here (no session bus): the view says why, and saving says so too.
        Some(_) => {
            assert_report(&status["keychain_problem"], "keychain_unavailable");
            assert_eq!(status["has_token"], false);
            let error = invoke(
                &app,
                "save_token",
                json!({"token": "abc123", "sessionOnly": false}),
            )
            .unwrap_err();
            assert_report(&error, "keychain_unavailable");
        }
        // A keychain (as under scripts/test.sh): save, read back, remove.
        None => {
            assert_eq!(status["has_token"], false);
            let saved = invoke(
                &app,
                "save_token",
                json!({"token": "keychain-test-9876", "sessionOnly": false}),
            )
            .unwrap();
            assert_eq!(saved["last_four"], "9876");
            assert_eq!(saved["session_only"], false);
            let removed = invoke(&app, "remove_token", json!({})).unwrap();
            assert_eq!(removed["has_token"], false);
        }
    }
}

/// One link to queue, as `intake_links` gives it.
fn link_input(url: &str) -> Value {
    json!({"given": url, "audio_url": url})
}

#[test]
fn queueing_checks_every_link_and_needs_a_token() {
    let app = app(None);
    let cases = [
        ("/home/me/song.wav", "local_file"),
        ("not a link", "invalid_url"),
        (
            "https://a.example/1.wav https://a.example/2.wav",
            "invalid_url",
        ),
    ];
    for (url, code) in cases {
        let links = json!([link_input("https://a.example/ok.wav"), link_input(url)]);
        let error = invoke(&app, "queue_add", json!({ "links": links })).unwrap_err();
        assert_report(&error, code);
    }
    let long = format!(
        "https://a.example/{}.wav",
        "a".repeat(crate::commands::MAX_LINK_BYTES)
    );
    let error = invoke(&app, "queue_add", json!({"links": [link_input(&long)]})).unwrap_err();
    assert_report(&error, "invalid_url");
    let many: Vec<Value> = (0..=crate::commands::MAX_LINKS)
        .map(|i| link_input(&format!("https://a.example/{i}.wav")))
        .collect();
    let error = invoke(&app, "queue_add", json!({ "links": many })).unwrap_err();
    assert!(assert_report(&error, "invalid_url").contains("at most"));

    invoke(
        &app,
        "save_token",
        json!({"token": "x", "sessionOnly": true}),
    )
    .unwrap();
    invoke(&app, "remove_token", json!({})).unwrap();
    // Before any batch, the batch commands have nothing to act on.
    assert_eq!(invoke(&app, "queue_pause", json!({})).unwrap(), Value::Null);
    assert_eq!(invoke(&app, "queue_cancel", json!({})).unwrap(), 0);
    assert_eq!(invoke(&app, "queue_clear", json!({})).unwrap(), 0);
    // With no token at all (and, in a session without a keychain, no way to read one), nothing
    // is sent: the link is listed as failed with the reason, to retry once there is a token.
    // Rows that cannot be sent are listed with the core's reason, whatever the window said.
    let ids = invoke(
        &app,
        "queue_add",
        json!({"links": [
            {"given": "song.wav", "local_file": true},
            link_input("https://a.example/1.wav"),
            {"given": "not a link", "error": {"code": "made_up"}},
        ]}),
    )
    .unwrap();
    assert_eq!(ids, json!([0, 2, 1]), "ids in the order given");
    let list = invoke(
        &app,
        "queue_subscribe",
        json!({"onUpdate": "__CHANNEL__:5"}),
    )
    .unwrap();
    let items = list["items"].as_array().unwrap();
    let by_id = |id: u64| items.iter().find(|item| item["id"] == id).unwrap();
    assert_eq!(by_id(0)["state"], "rejected");
    assert_eq!(by_id(0)["error"]["code"], "local_file");
    assert_eq!(by_id(1)["state"], "rejected");
    assert_eq!(by_id(1)["error"]["code"], "invalid_url");
    assert_eq!(by_id(2)["state"], "failed");
    let code = by_id(2)["error"]["code"].as_str().unwrap().to_owned();
    assert!(
        ["token_missing", "keychain_unavailable"].contains(&code.as_str()),
        "{list}"
    );
    assert_report(&by_id(2)["error"], &code);
    assert_eq!(list["summary"]["total"], 3);
    // "Clear list" takes them out of the queue: the counts start again.
    assert_eq!(invoke(&app, "queue_clear", json!({})).unwrap(), 3);
    let list = invoke(
        &app,
        "queue_subscribe",
        json!({"onUpdate": "__CHANNEL__:6"}),
    )
    .unwrap();
    assert_eq!(list["items"], json!([]));
    assert_eq!(list["summary"]["total"], 0);
    let refused = invoke(&app, "close_during_batch", json!({"choice": "whatever"}));
    assert!(refused.is_err());
}

#[test]
fn links_to_the_local_network_are_held_when_the_api_is_elsewhere() {
    // The API at Ace Data Cloud: nothing is sent, held links are only listed.
    let app = app(Some("https://api.acedata.cloud".into()));
    let links = json!([
        link_input("http://192.168.1.20/stems/vox.wav"),
        link_input("http://localhost:8000/mix.wav"),
    ]);
    assert_eq!(
        invoke(&app, "queue_add", json!({ "links": links })).unwrap(),
        json!([0, 1])
    );
    let list = invoke(
        &app,
        "queue_subscribe",
        json!({"onUpdate": "__CHANNEL__:7"}),
    )
    .unwrap();
    for item in list["items"].as_array().unwrap() {
        assert_eq!(item["state"], "failed", "{item}");
        let message = assert_report(&item["error"], "local_link");
        assert!(message.contains("local network"), "{message}");
    }
}

/// Waits until the history holds `count` records all in `state`, and returns them.
fn settled_records(
    history: &History,
    count: usize,
    done: usize,
) -> Vec<producer_upload::history::Record> {
    for _ in 0..200 {
        let records = history.search(&Query::default()).unwrap();
        let settled = records
            .iter()
            .all(|record| !["queued", "pending"].contains(&record.state.as_str()));
        let finished = records
            .iter()
            .filter(|record| record.state.as_str() == "done")
            .count();
        if records.len() == count && settled && finished == done {
            return records;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    panic!("the history did not settle at {count} records, {done} done");
}

#[test]
fn a_queued_upload_reaches_the_service_and_is_recorded() {
    let sim = tauri::async_runtime::block_on(Simulator::start(SimConfig::default())).unwrap();
    let app = app(Some(sim.base_url()));
    invoke(
        &app,
        "save_token",
        json!({"token": "sim-token", "sessionOnly": true}),
    )
    .unwrap();
    let link = format!("{}/files/take.wav", sim.base_url());

    let given = "https://www.dropbox.com/s/abc/take.wav?dl=0";
    assert_eq!(
        invoke(
            &app,
            "queue_subscribe",
            json!({"onUpdate": "__CHANNEL__:7"})
        )
        .unwrap(),
        Value::Null
    );
    let ids = invoke(
        &app,
        "queue_add",
        json!({"links": [{"given": given, "audio_url": link}]}),
    )
    .unwrap();
    assert_eq!(ids, json!([0]));

    // The upload is in the history the app shares with the command line.
    let history = History::open(app._dir.path()).unwrap();
    let records = settled_records(&history, 1, 1);
    let audio_id = records[0].audio_id.clone().expect("done");
    assert!(sim
        .issued()
        .iter()
        .any(|issued| issued.audio_id == audio_id));
    assert_eq!(records[0].given_url, given);
    assert_eq!(records[0].source.as_str(), "app");

    invoke(
        &app,
        "save_token",
        json!({"token": "sim-error-used_up", "sessionOnly": true}),
    )
    .unwrap();
    invoke(&app, "queue_add", json!({"links": [link_input(&link)]})).unwrap();
    let records = settled_records(&history, 2, 1);
    let failed = records
        .iter()
        .find(|record| record.state.as_str() == "failed")
        .expect("a failed record");
    let error = failed.error.as_ref().unwrap();
    assert_eq!(error.code.as_str(), "used_up");
    assert!(error.trace_id.is_some());
    assert_eq!(error.status, Some(403));

    // With a good token again, "Retry all failed" settles the same record.
    invoke(
        &app,
        "save_token",
        json!({"token": "sim-token", "sessionOnly": true}),
    )
    .unwrap();
    assert_eq!(invoke(&app, "queue_retry", json!({})).unwrap(), 1);
    settled_records(&history, 2, 2);
    let snapshot = invoke(
        &app,
        "queue_subscribe",
        json!({"onUpdate": "__CHANNEL__:8"}),
    )
    .unwrap();
    assert_eq!(snapshot["summary"]["done"], 2, "{snapshot}");
    assert_eq!(snapshot["items"].as_array().unwrap().len(), 2);
    // The token went to the simulator, and only there.
    let request = sim.requests().into_iter().next().unwrap();
    assert_eq!(request.header("authorization"), Some("Bearer sim-token"));
}

/// The upload list as the queue holds it, once `settled` says so (within 10 s).
fn list_once(app: &TestApp, settled: impl Fn(&Value) -> bool) -> Value {
    for _ in 0..200 {
        let list = invoke(app, "queue_subscribe", json!({"onUpdate": "__CHANNEL__:9"})).unwrap();
        if settled(&list) {
            return list;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    panic!(
        "the upload list did not settle: {}",
        invoke(app, "queue_subscribe", json!({"onUpdate": "__CHANNEL__:9"})).unwrap()
    );
}

#[test]
fn the_link_check_puts_its_warning_on_the_row_and_can_be_turned_off() {
    let sim = tauri::async_runtime::block_on(Simulator::start(SimConfig::default())).unwrap();
    let app = app(Some(sim.base_url()));
    invoke(
        &app,
        "save_token",
        json!({"token": "sim-error-used_up", "sessionOnly": true}),
    )
    .unwrap();
    // A web page that fails (the balance is spent) keeps its warning. (That an audio file gets
    // none is the queue's test: here the check runs on its own task, and nothing shows when it
    // has found nothing.)
    let page = format!("{}/pages/scan", sim.base_url());
    let links = json!([link_input(&page)]);
    assert_eq!(
        invoke(&app, "queue_add", json!({ "links": links })).unwrap(),
        json!([0])
    );
    let list = list_once(&app, |list| {
        list["summary"]["failed"] == 1 && list["items"][0].get("check").is_some()
    });
    let check = list["items"][0]["check"].as_str().unwrap();
    assert!(check.contains("not the file"), "{check}");
    assert_eq!(sim.file_requests().len(), 1);

    // Turned off in the settings, no link is fetched before it is sent.
    let settings = json!({"base_url": "https://api.acedata.cloud", "concurrency": 2, "timeout_secs": 30, "preflight": false});
    invoke(&app, "save_settings", json!({ "settings": settings })).unwrap();
    let links = json!([link_input(&page)]);
    assert_eq!(
        invoke(&app, "queue_add", json!({ "links": links })).unwrap(),
        json!([1])
    );
    let list = list_once(&app, |list| list["summary"]["failed"] == 2);
    assert_eq!(list["items"][1].get("check"), None, "{list}");
    assert_eq!(sim.file_requests().len(), 1);
}

#[test]
fn the_history_pages_searches_deletes_undoes_and_retries() {
    let sim = tauri::async_runtime::block_on(Simulator::start(SimConfig::default())).unwrap();
    let app = app(Some(sim.base_url()));
    let history = History::open(app._dir.path()).unwrap();
    for index in 0..30 {
        let upload = NewUpload {
            given_url: format!("https://a.example/take-{index}.wav"),
            audio_url: format!("{}/files/take-{index}.wav", sim.base_url())
                .parse()
                .unwrap(),
            source: Source::Cli,
        };
        let id = history.record_pending(&upload).unwrap();
        let report = producer_upload::error::ErrorReport::from_code(ErrorCode::Network);
        history.record_failed(id, &report, 1).unwrap();
    }

    let page = invoke(
        &app,
        "history_page",
        json!({"text": "", "offset": 10, "limit": 5}),
    )
    .unwrap();
    assert_eq!(page["total"], 30);
    let records = page["records"].as_array().unwrap();
    assert_eq!(records.len(), 5);
    // Newest first.
    assert_eq!(records[0]["file_name"], "take-19.wav");
    let page = invoke(
        &app,
        "history_page",
        json!({"text": "take-7.wav", "offset": 0, "limit": 100000}),
    )
    .unwrap();
    assert_eq!(page["total"], 1, "{page}");
    let id = page["records"][0]["id"].clone();

    assert_eq!(
        invoke(&app, "history_delete", json!({"ids": [id]})).unwrap(),
        1
    );
    assert_eq!(history.count(&Query::default()).unwrap(), 29);
    assert_eq!(invoke(&app, "history_undo", json!({})).unwrap(), 1);
    assert_eq!(history.count(&Query::default()).unwrap(), 30);
    assert_eq!(invoke(&app, "history_undo", json!({})).unwrap(), 0);

    invoke(
        &app,
        "save_token",
        json!({"token": "sim-token", "sessionOnly": true}),
    )
    .unwrap();
    invoke(&app, "history_retry", json!({ "id": id })).unwrap();
    let records = settled_records(&history, 30, 1);
    let retried = records
        .iter()
        .find(|record| record.audio_id.is_some())
        .unwrap();
    assert_eq!(json!(retried.id), id);
    // A done record is not retried.
    let error = invoke(&app, "history_retry", json!({ "id": id })).unwrap_err();
    assert_report(&error, "history_unavailable");
}

/// Export goes through the system's save dialog, which WebDriver cannot drive; the writing it
/// leads to is tested here, to a temporary path.
#[test]
fn the_history_exports_to_csv_and_json_files() {
    let dir = tempfile::tempdir().unwrap();
    let history = History::open(dir.path()).unwrap();
    for name in ["Démo – ☃.wav", "beat.mp3"] {
        let upload = NewUpload {
            given_url: format!("https://a.example/{name}"),
            audio_url: "https://a.example/x.wav".parse().unwrap(),
            source: Source::App,
        };
        history.record_pending(&upload).unwrap();
    }
    let csv = dir.path().join("out.csv");
    let all = crate::commands::search_query("  ");
    assert_eq!(
        crate::commands::export_history(&history, &all, Format::Csv, &csv).unwrap(),
        2
    );
    let text = std::fs::read_to_string(&csv).unwrap();
    assert!(
        text.starts_with('\u{feff}'),
        "Excel needs the byte-order mark"
    );
    assert!(text.contains("beat.mp3") && text.contains("Démo"));

    let json_path = dir.path().join("out.json");
    let search = crate::commands::search_query("beat");
    assert_eq!(
        crate::commands::export_history(&history, &search, Format::Json, &json_path).unwrap(),
        1
    );
    let exported: Value =
        serde_json::from_str(&std::fs::read_to_string(&json_path).unwrap()).unwrap();
    assert_eq!(exported.as_array().unwrap().len(), 1);
    assert_eq!(exported[0]["file_name"], "beat.mp3");

    // A file that cannot be written is reported, and nothing half-written is left.
    let nowhere = dir.path().join("missing-folder").join("out.csv");
    let error = crate::commands::export_history(&history, &all, Format::Csv, &nowhere).unwrap_err();
    assert_eq!(error.report().code, ErrorCode::HistoryUnavailable);
    assert!(!nowhere.exists());
}

#[test]
fn the_window_may_not_call_what_it_does_not_use() {
    let app = app(None);
    for (cmd, args) in [
        ("plugin:clipboard-manager|read_text", json!({})),
        ("plugin:clipboard-manager|clear", json!({})),
        ("plugin:opener|open_path", json!({"path": "/etc"})),
    ] {
        assert!(invoke(&app, cmd, args).is_err(), "{cmd} must be refused");
    }
    let error = invoke(
        &app,
        "plugin:opener|open_url",
        json!({"url": "https://evil.example/"}),
    );
    assert!(error.is_err(), "opening another site must be refused");
}

/// The `ERROR_BEHAVIOUR` table in `ui/errors.js`: code → (icon, action).
fn js_error_table() -> Vec<(String, String, String)> {
    let start = ERRORS_JS
        .find("// error-codes:start")
        .expect("start marker in errors.js");
    let end = ERRORS_JS
        .find("// error-codes:end")
        .expect("end marker in errors.js");
    ERRORS_JS[start..end]
        .lines()
        .filter_map(|line| {
            let line = line.trim();
            let (code, rest) = line.split_once(": {")?;
            let field = |name: &str| {
                let after = rest.split(&format!("{name}: '")).nth(1)?;
                Some(after.split('\'').next()?.to_owned())
            };
            Some((code.to_owned(), field("icon")?, field("action")?))
        })
        .collect()
}

#[test]
fn the_window_knows_every_error_code() {
    let table = js_error_table();
    let in_js: BTreeSet<&str> = table.iter().map(|(code, _, _)| code.as_str()).collect();
    let in_rust: BTreeSet<&str> = ErrorCode::KNOWN.iter().map(ErrorCode::as_str).collect();
    assert_eq!(
        in_js, in_rust,
        "ui/errors.js ERROR_BEHAVIOUR and ErrorCode::KNOWN differ"
    );
    assert_eq!(
        table.len(),
        ErrorCode::KNOWN.len(),
        "a code is listed twice"
    );

    for (code, icon, action) in &table {
        assert!(
            ["retry", "token", "top_up", "settings", "none"].contains(&action.as_str()),
            "{code}: unknown action {action}"
        );
        assert!(
            DOM_JS.contains(&format!("  {icon}: [")),
            "{code}: no drawing for icon {icon}"
        );
        let code = ErrorCode::from_api(code);
        // Token problems lead to the token screen; retryable errors offer Retry.
        if code.is_token_problem() {
            assert_eq!(action, "token", "{code}");
        }
        if code.is_retryable() {
            assert_eq!(action, "retry", "{code}");
        }
    }
    let used_up = table.iter().find(|(code, _, _)| code == "used_up").unwrap();
    assert_eq!(used_up.2, "top_up");

    // The codes after which the token screen opens by itself.
    let line = ERRORS_JS
        .lines()
        .find(|line| line.starts_with("export const TOKEN_PROBLEMS"))
        .unwrap();
    let opens: BTreeSet<&str> = line.split('\'').skip(1).step_by(2).collect();
    let mut expected: BTreeSet<&str> = ErrorCode::KNOWN
        .iter()
        .filter(|code| code.is_token_problem())
        .map(ErrorCode::as_str)
        .collect();
    expected.insert(ErrorCode::TokenMissing.as_str());
    assert_eq!(opens, expected);
}

#[test]
fn the_accessible_names_the_tests_rely_on_are_there() {
    for name in [
        "aria-label=\"Settings\"",
        "for=\"link-input\"",
        "for=\"token-input\"",
        "aria-label=\"History\"",
        "for=\"history-search\"",
        "aria-label=\"Export CSV\"",
        "aria-label=\"Export JSON\"",
        "aria-label=\"Songs\"",
    ] {
        assert!(INDEX_HTML.contains(name), "{name}");
    }
    for text in [
        ">Audio link<",
        ">Upload<",
        ">Copy all IDs<",
        ">API token<",
        ">Save token<",
        ">Remove token<",
        ">Pause<",
        ">Resume<",
        ">Cancel<",
        ">Retry all failed<",
        ">Search history<",
        ">Undo<",
    ] {
        assert!(INDEX_HTML.contains(text), "{text}");
    }
    let js = ui_js();
    for label in [
        "'aria-label': 'Copy ID'",
        "'aria-label': 'Retry'",
        "'aria-label': 'Copy trace ID'",
        "'aria-label': 'Delete'",
    ] {
        assert!(js.contains(label), "{label}");
    }
    assert!(INDEX_HTML.contains("aria-live=\"polite\""));
    // No framework, no remote code.
    assert!(!INDEX_HTML.contains("http://") && !INDEX_HTML.contains("cdn"));
    // The modules load only each other.
    for (name, text) in UI_MODULES {
        for line in text.lines().filter(|line| line.contains(" from '")) {
            assert!(
                line.contains(" from './"),
                "{name} imports from elsewhere: {line}"
            );
        }
        assert!(!text.contains("import("), "{name} loads code at run time");
    }
    // One classic script at the end of the body starts the two modules the page runs (so the
    // page is painted before they load); no other script tag.
    assert_eq!(INDEX_HTML.matches("<script").count(), 1);
    assert!(INDEX_HTML.contains("  <script src=\"start.js\"></script>\n</body>"));
    let started: Vec<&str> = START_JS
        .lines()
        .filter(|line| !line.starts_with("//"))
        .collect();
    assert_eq!(started, ["import('./app.js');", "import('./zoom.js');"]);
    // No media element in the markup: WebKit sets up its media engine for one, even a hidden
    // one, and paints the window 100 to 150 ms later. The preview player makes its own on first
    // use, beside its title.
    let markup = INDEX_HTML.to_lowercase();
    assert!(!markup.contains("<audio") && !markup.contains("<video"));
    assert!(INDEX_HTML.contains("id=\"player-title\""));
}

#[test]
fn the_configuration_is_strict() {
    let config: Value = serde_json::from_str(CONFIG).unwrap();
    assert_eq!(config["productName"], "Producer Uploader");
    assert_eq!(config["build"]["frontendDist"], "ui");
    assert!(config["build"].get("devUrl").is_none());
    assert_eq!(config["app"]["withGlobalTauri"], true);
    let window = &config["app"]["windows"][0];
    assert_eq!(window["label"], "main");
    assert_eq!(window["dragDropEnabled"], false);
    assert!(window["minWidth"].as_u64().unwrap() <= 480);

    let csp = config["app"]["security"]["csp"]
        .as_object()
        .expect("a CSP, never null");
    for (directive, value) in csp {
        let value = value.as_str().unwrap();
        assert!(!value.contains("unsafe-eval"), "{directive}: {value}");
        if directive == "script-src" || directive == "default-src" {
            assert!(!value.contains("unsafe-inline"), "{directive}: {value}");
            assert!(!value.contains("http"), "{directive}: {value}");
        }
    }
    assert_eq!(csp["script-src"], "'self'");
    assert_eq!(csp["connect-src"], "ipc: http://ipc.localhost");
    let media = csp["media-src"].as_str().unwrap();
    assert!(
        media.contains("https:") && media.contains("http:"),
        "{media}"
    );
    // Songs' cover images: from https: and the simulator on this computer only.
    assert_eq!(csp["img-src"], "'self' data: https: http://127.0.0.1:*");
    assert_eq!(csp["object-src"], "'none'");
}

#[test]
fn capabilities_grant_exactly_what_the_window_uses() {
    let capability: Value = serde_json::from_str(CAPABILITY).unwrap();
    assert_eq!(capability["windows"], json!(["main"]));
    let granted: Vec<&Value> = capability["permissions"]
        .as_array()
        .unwrap()
        .iter()
        .collect();

    let commands: Vec<&str> = BUILD_RS
        .split("const COMMANDS: &[&str] = &[")
        .nth(1)
        .unwrap()
        .split("];")
        .next()
        .unwrap()
        .split('"')
        .skip(1)
        .step_by(2)
        .collect();
    assert!(commands.len() >= 10);
    let mut expected: Vec<Value> = commands
        .iter()
        .map(|command| json!(format!("allow-{}", command.replace('_', "-"))))
        .collect();
    let js = ui_js();
    for command in &commands {
        assert!(
            LIB_RS.contains(&format!("commands::{command},"))
                || LIB_RS.contains(&format!("songs::{command},")),
            "{command} not registered"
        );
        assert!(
            js.contains(&format!("'{command}'")),
            "{command} is granted but unused"
        );
    }
    expected.push(json!("clipboard-manager:allow-write-text"));
    expected.push(json!({
        "identifier": "opener:allow-open-url",
        "allow": [{ "url": "https://platform.acedata.cloud/*" }]
    }));
    let expected: Vec<&Value> = expected.iter().collect();
    assert_eq!(granted, expected);
}

/// Closing the window during a batch: the app knows it is busy, and once told to leave it quits
/// only when the uploads already sent are through and recorded (never mid-upload).
#[test]
fn leaving_during_a_batch_waits_for_running_uploads_then_quits() {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;
    tauri::async_runtime::block_on(async {
        let sim = Simulator::start(SimConfig {
            latency: std::time::Duration::from_millis(300),
            ..SimConfig::default()
        })
        .await
        .unwrap();
        let dir = tempfile::tempdir().unwrap();
        let state = AppState::new(
            dir.path().join("settings.json"),
            Some(sim.base_url()),
            TokenStore::new(format!(
                "producer-uploader-unit-leave-{}",
                std::process::id()
            )),
            Some(History::open(dir.path()).unwrap()),
        );
        state
            .save_token(crate::state::TokenKind::Api, "sim-token", true)
            .await
            .unwrap();
        let ended = Arc::new(std::sync::Mutex::new(Vec::new()));
        let seen = ended.clone();
        let watch = crate::progress::ProgressWatch::default();
        // What the title, tray and notification are told, before the app exits.
        state.on_progress(move |summary| {
            if let Some(notice) = watch.update(summary).notice {
                seen.lock().unwrap().push(notice.body);
            }
        });
        let exits = Arc::new(AtomicUsize::new(0));
        let counted = exits.clone();
        let queue = state
            .queue_or_start(move || {
                counted.fetch_add(1, Ordering::SeqCst);
            })
            .unwrap();
        let links = (0..10)
            .map(|index| producer_upload::queue::QueueLink {
                given: format!("https://a.example/{index}.wav"),
                audio_url: format!("https://a.example/{index}.wav").parse().unwrap(),
                retry_of: None,
                notes: Vec::new(),
            })
            .collect();
        queue.add(state.token().await.unwrap(), links);
        assert!(
            state.busy().is_some(),
            "a running batch makes closing ask first"
        );

        // "Stop": the waiting links are stopped, the running ones finish, then the app quits.
        assert!(queue.cancel().await > 0);
        assert!(!state.leave_when_idle(), "uploads are still running");
        assert!(state.busy().is_none(), "leaving: closing no longer asks");
        for _ in 0..100 {
            if exits.load(Ordering::SeqCst) > 0 {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        assert_eq!(exits.load(Ordering::SeqCst), 1);
        let ended = ended.lock().unwrap().clone();
        assert_eq!(ended.len(), 1, "one notice when the batch ends: {ended:?}");
        assert!(ended[0].contains("uploaded") && ended[0].contains("failed"));
        let history = state.history().unwrap();
        let pending = history
            .count(&Query {
                states: vec![producer_upload::history::State::Pending],
                ..Query::default()
            })
            .unwrap();
        assert_eq!(pending, 0, "nothing is left half-written");
        assert_eq!(history.count(&Query::default()).unwrap(), 10);
    });
}

#[test]
fn zoom_steps_are_kept_and_settings_saved_later_keep_them() {
    let app = app(None);
    assert_eq!(invoke(&app, "zoom", json!({"step": "in"})).unwrap(), 110);
    assert_eq!(invoke(&app, "zoom", json!({"step": "in"})).unwrap(), 125);
    assert_eq!(invoke(&app, "zoom", json!({"step": "out"})).unwrap(), 110);
    let file = std::fs::read_to_string(app._dir.path().join("settings.json")).unwrap();
    assert!(file.contains("\"zoom_percent\": 110"), "{file}");
    // The settings screen saves without the text size: it stays.
    let settings = json!({"base_url": "https://api.acedata.cloud", "concurrency": 2, "timeout_secs": 30, "preflight": true});
    let saved = invoke(&app, "save_settings", json!({ "settings": settings })).unwrap();
    assert_eq!(saved["settings"]["zoom_percent"], 110);
    assert_eq!(invoke(&app, "zoom", json!({"step": "reset"})).unwrap(), 100);
    let error = invoke(&app, "zoom", json!({"step": "sideways"})).unwrap_err();
    assert!(error.to_string().contains("sideways"), "{error}");
}

#[test]
fn history_pages_filter_failed_uploads_and_read_dates_in_the_window_s_time_zone() {
    let app = app(None);
    let history = app.window.state::<AppState>().history().unwrap();
    let upload = |name: &str| NewUpload {
        given_url: format!("https://a.example/{name}.wav"),
        audio_url: format!("https://a.example/{name}.wav").parse().unwrap(),
        source: Source::App,
    };
    let done = history.record_pending(&upload("kept")).unwrap();
    history
        .record_done(
            done,
            &producer_upload::client::Uploaded {
                audio_id: "id-kept".into(),
                task_id: None,
                hosted_audio_url: None,
                lyric: None,
            },
            1,
        )
        .unwrap();
    let failed = history.record_pending(&upload("lost")).unwrap();
    let report = producer_upload::error::ErrorReport::from_code(ErrorCode::UsedUp);
    history.record_failed(failed, &report, 1).unwrap();

    let page = |args: Value| invoke(&app, "history_page", args).unwrap();
    let all = page(json!({"text": "", "offset": 0, "limit": 10}));
    assert_eq!(all["total"], 2);
    let failed_only = page(json!({"text": "", "offset": 0, "limit": 10, "failedOnly": true}));
    assert_eq!(failed_only["total"], 1, "{failed_only}");
    assert_eq!(failed_only["records"][0]["state"], "failed");

    // Today as the window shows it, in its own time zone (any offset finds today's uploads
    // when given as that zone's date).
    let offset_minutes = 600;
    let local = time::OffsetDateTime::now_utc()
        .to_offset(time::UtcOffset::from_whole_seconds(offset_minutes * 60).unwrap());
    let shown = format!("{} {}", local.day(), local.month());
    let today = page(json!({
        "text": shown, "offset": 0, "limit": 10, "utcOffsetMinutes": offset_minutes,
        "monthNames": ["janvier", "février"]
    }));
    assert_eq!(today["total"], 2, "{shown}: {today}");
    let yesterday = local - time::Duration::days(1);
    let before = page(json!({
        "text": format!("{} {}", yesterday.month(), yesterday.day()),
        "offset": 0, "limit": 10, "utcOffsetMinutes": offset_minutes
    }));
    assert_eq!(before["total"], 0, "{before}");
}

/// One piece of a dropped file, sent the way the window sends it: the bytes as the raw body,
/// the item and the offset in headers.
fn send_piece(app: &TestApp, id: Option<u64>, offset: u64, bytes: &[u8]) -> Result<Value, Value> {
    let mut headers = tauri::http::HeaderMap::new();
    if let Some(id) = id {
        headers.insert("item-id", id.to_string().parse().unwrap());
    }
    headers.insert("offset", offset.to_string().parse().unwrap());
    get_ipc_response(
        &app.window,
        InvokeRequest {
            cmd: "queue_file_chunk".into(),
            callback: CallbackFn(0),
            error: CallbackFn(1),
            url: "tauri://localhost".parse().unwrap(),
            body: InvokeBody::Raw(bytes.to_vec()),
            headers,
            invoke_key: INVOKE_KEY.to_string(),
        },
    )
    .map(|body| body.deserialize::<Value>().unwrap())
}

#[test]
fn the_platform_token_is_a_second_token_kept_apart_from_the_api_token() {
    let app = app(None);
    let error = invoke(
        &app,
        "save_token",
        json!({"token": "sim-token", "sessionOnly": true, "kind": "platform"}),
    )
    .unwrap_err();
    let message = assert_report(&error, "platform_token_invalid");
    assert!(message.contains("platform-"), "{message}");
    let saved = invoke(
        &app,
        "save_token",
        json!({"token": "platform-secret-wxyz", "sessionOnly": true, "kind": "platform"}),
    )
    .unwrap();
    assert_eq!(
        saved,
        json!({"kind": "platform", "has_token": true, "last_four": "wxyz", "session_only": true, "keychain_problem": null})
    );
    assert_eq!(
        invoke(&app, "token_status", json!({"kind": "platform"})).unwrap(),
        saved
    );
    let api = invoke(&app, "token_status", json!({})).unwrap();
    assert_eq!(api["kind"], "api");
    assert_ne!(api["last_four"], "wxyz", "the API token is another one");
    let removed = invoke(&app, "remove_token", json!({"kind": "platform"})).unwrap();
    assert_eq!(removed["has_token"], false);
}

#[test]
fn dropped_files_arrive_in_pieces_through_the_ipc_then_are_hosted_and_uploaded() {
    use producer_upload::sim::samples::tone_wav;
    let sim = tauri::async_runtime::block_on(Simulator::start(SimConfig::default())).unwrap();
    let app = app(Some(sim.base_url()));
    for (token, kind) in [("sim-token", "api"), ("platform-sim-token", "platform")] {
        invoke(
            &app,
            "save_token",
            json!({"token": token, "sessionOnly": true, "kind": kind}),
        )
        .unwrap();
    }
    let wav = tone_wav(300, 0);
    let files = json!([
        {"name": "verse.wav", "size": wav.len()},
        {"name": "Stems", "size": 0, "folder": true},
        {"name": "album.wav", "size": 200_000_000u64},
    ]);
    let ids = invoke(&app, "queue_add_files", json!({ "files": files })).unwrap();
    let ids: Vec<u64> = serde_json::from_value(ids).unwrap();
    assert_eq!(ids.len(), 3);

    // A piece without its place is refused plainly; the file still waits for its pieces.
    assert_report(
        &send_piece(&app, None, 0, &wav).unwrap_err(),
        "file_unreadable",
    );
    let pieces: Vec<&[u8]> = wav.chunks(4096).collect();
    for (index, piece) in pieces.iter().enumerate() {
        let more = send_piece(&app, Some(ids[0]), (index * 4096) as u64, piece).unwrap();
        assert_eq!(more, json!(index + 1 < pieces.len()));
    }

    let queue = app.window.state::<AppState>().queue().unwrap();
    let mut rows = Vec::new();
    for _ in 0..200 {
        rows = serde_json::to_value(queue.snapshot()).unwrap()["items"]
            .as_array()
            .unwrap()
            .clone();
        if rows[0]["state"] == "done" {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    assert_eq!(rows[0]["state"], "done", "{}", rows[0]);
    assert_eq!(rows[0]["file"]["name"], "verse.wav");
    assert_eq!(rows[0]["file"]["stage"], "hosted");
    assert_eq!(
        rows[0]["uploaded"]["audio_id"],
        sim.issued()[0].audio_id.as_str()
    );
    assert_eq!(
        std::fs::read(&sim.hosted_files()[0].path).unwrap(),
        wav,
        "the host got the very bytes dropped"
    );
    for (row, code) in [(&rows[1], "file_is_folder"), (&rows[2], "file_too_big")] {
        assert_eq!(row["state"], "rejected", "{row}");
        assert_report(&row["error"], code);
        assert_eq!(row.get("can_retry"), None, "left out when false: {row}");
    }
    assert_eq!(
        sim.host_requests().len(),
        1,
        "nothing sent for the refused ones"
    );
    // Each token went only to its own service.
    for request in sim.host_requests() {
        assert_eq!(
            request.header("authorization"),
            Some("Bearer platform-sim-token")
        );
    }
    for request in sim.requests() {
        assert_eq!(request.header("authorization"), Some("Bearer sim-token"));
    }
}

mod songs;
