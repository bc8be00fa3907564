//! Every command called the way the window calls it (through Tauri's IPC on the mock runtime,
//! with the app's real configuration and capabilities), and the window's contract with Rust:
//! error reports, the page's markup, CSP, capabilities. No test here reads the window's
//! JavaScript: its side of the contract is checked by its own tests (`cd ui && node --test`).

use crate::build_app;
use crate::state::AppState;
use producer_sim::{SimConfig, Simulator};
use producer_upload::error::ErrorCode;
use producer_upload::history::{Format, History, NewUpload, Query, Source};
use producer_upload::keychain::TokenStore;
use serde_json::{json, Value};
use std::collections::BTreeSet;
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{get_ipc_response, mock_builder, MockRuntime, INVOKE_KEY};
use tauri::webview::InvokeRequest;
use tauri::{App, Manager, WebviewWindow};

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
    app_with(base_url, |state| state)
}

/// [`app`], its state changed by `adjust` first.
fn app_with(base_url: Option<String>, adjust: impl FnOnce(AppState) -> AppState) -> TestApp {
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
    let app = build_app(mock_builder(), Some(adjust(state)));
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
            "detail",
            "next_step",
            "opens_by_itself",
            "icon"
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
fn a_paste_is_read_once_in_rust_and_its_text_is_bounded() {
    let app = app(None);
    let added = invoke(
        &app,
        "queue_add_text",
        json!({
            "text": "https://example.com/a.wav\n/home/me/song.wav\nhello there\nfile:///home/me/drop.wav",
            "dropped": ["drop.wav"],
        }),
    )
    .unwrap();
    // The link and the file given as a link are rows; plain words are not; the link to a file
    // dropped with the text is left out (the file itself is taken).
    // Ids in the order given (the rows that cannot be sent are listed first).
    assert_eq!(added, json!({"ids": [1, 0], "links": 1, "refused": 1}));
    let list = invoke(
        &app,
        "queue_subscribe",
        json!({"onUpdate": "__CHANNEL__:4"}),
    )
    .unwrap();
    let items = list["items"].as_array().unwrap();
    assert_eq!(items[1]["audio_url"], "https://example.com/a.wav");
    assert_eq!(items[0]["state"], "rejected");
    assert_report(&items[0]["error"], "local_file");

    let too_long = "x".repeat(crate::commands::MAX_TEXT_BYTES + 1);
    let error = invoke(
        &app,
        "queue_add_text",
        json!({"text": too_long, "dropped": []}),
    )
    .unwrap_err();
    assert!(assert_report(&error, "invalid_url").contains("too much text"));

    let many: String = (0..=crate::commands::MAX_LINKS)
        .map(|i| format!("https://example.com/{i}.wav\n"))
        .collect();
    let error = invoke(&app, "queue_add_text", json!({"text": many, "dropped": []})).unwrap_err();
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
        json!({"token": "Bearer secret-key-abcd", "sessionOnly": true}),
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

/// Pastes `links`, one per line, as the window hands a paste to Rust; the rows' ids.
fn paste(app: &TestApp, links: &[&str]) -> Result<Value, Value> {
    let text = links.join("\n");
    invoke(app, "queue_add_text", json!({"text": text, "dropped": []}))
        .map(|added| added["ids"].clone())
}

#[test]
fn queueing_lists_every_row_with_the_cores_reason_and_needs_a_token() {
    let app = app(None);
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
    // Rows that cannot be sent are listed with the core's reason.
    // A link longer than any service takes is refused on its row, as the command refuses it.
    let long = format!(
        "https://a.example/{}.wav",
        "a".repeat(crate::commands::MAX_LINK_BYTES)
    );
    let ids = paste(
        &app,
        &["/home/me/song.wav", "https://a.example/1.wav", &long],
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
    let links = [
        "http://192.168.1.20/stems/vox.wav",
        "http://localhost:8000/mix.wav",
    ];
    assert_eq!(paste(&app, &links).unwrap(), json!([0, 1]));
    let list = invoke(
        &app,
        "queue_subscribe",
        json!({"onUpdate": "__CHANNEL__:7"}),
    )
    .unwrap();
    for item in list["items"].as_array().unwrap() {
        assert_eq!(item["state"], "held", "{item}");
        assert_eq!(item["can_retry"], true, "Upload anyway: {item}");
        let message = assert_report(&item["error"], "local_link");
        assert!(message.contains("local network"), "{message}");
    }
    assert_eq!(list["summary"]["held"], 2, "{list}");
    assert_eq!(list["summary"]["failed"], 0, "{list}");
    // Retry all failed leaves held links alone.
    invoke(
        &app,
        "save_token",
        json!({"token": "sim-token", "sessionOnly": true}),
    )
    .unwrap();
    assert_eq!(invoke(&app, "queue_retry", json!({})).unwrap(), 0);
}

#[test]
fn the_window_gets_the_same_words_as_the_title_tray_and_notice() {
    use std::sync::{Arc, Mutex};
    use tauri::Manager;
    let sim = tauri::async_runtime::block_on(Simulator::start(SimConfig::default())).unwrap();
    let app = app(Some(sim.base_url()));
    invoke(
        &app,
        "save_token",
        json!({"token": "sim-token", "sessionOnly": true}),
    )
    .unwrap();
    // What the title and the tray are told, and the notice at the end of a batch.
    let shown = Arc::new(Mutex::new((String::new(), Vec::new())));
    let told = shown.clone();
    let watch = crate::progress::ProgressWatch::default();
    app.window.state::<AppState>().on_progress(move |work| {
        let update = watch.update(*work);
        let mut told = told.lock().unwrap();
        told.0 = update.title;
        told.1.extend(update.notice);
    });
    let base = sim.base_url();
    // Refused, held, done and failed; then one stopped before it was sent.
    let links = [
        "/home/me/song.wav".to_owned(),
        "https://www.youtube.com/watch?v=abc123".to_owned(),
        format!("{base}/files/take.wav"),
        format!("{base}/files/bad.wav?sim_fault=notjson"),
    ];
    paste(&app, &links.each_ref().map(String::as_str)).unwrap();
    list_once(&app, |list| {
        list["summary"]["done"] == 1 && list["summary"]["failed"] == 1
    });
    invoke(&app, "queue_pause", json!({})).unwrap();
    paste(&app, &[&format!("{base}/files/later.wav")]).unwrap();
    assert_eq!(invoke(&app, "queue_cancel", json!({})).unwrap(), 1);
    let list = list_once(&app, |list| list["summary"]["stopped"] == 1);
    let summary = &list["summary"];
    for (count, expected) in [
        ("total", 5),
        ("refused", 1),
        ("held", 1),
        ("done", 1),
        ("failed", 1),
        ("stopped", 1),
        ("waiting", 0),
        ("uploading", 0),
    ] {
        assert_eq!(summary[count], expected, "{count}: {summary}");
    }
    let counts = "1 of 4 done · 1 failed · 1 stopped · 1 held · 1 refused";
    assert_eq!(
        summary["words"]["counts"], counts,
        "the bar and the list line"
    );
    let title = "1 of 4 done, 1 failed, 1 stopped, 1 held, 1 refused – Producer Uploader";
    assert_eq!(summary["words"]["title"], title);
    let (told_title, notices) = shown.lock().unwrap().clone();
    assert_eq!(told_title, title, "the window title and the tray");
    assert_eq!(
        notices.last().map(|notice| notice.body.as_str()),
        Some("1 of 4 done, 1 failed, 1 stopped, 1 held, 1 refused. Every audio ID is in History."),
        "the notification: {notices:?}"
    );
    // Retry all failed sends the failed and the stopped link, never the held one.
    invoke(&app, "queue_resume", json!({})).unwrap();
    assert_eq!(invoke(&app, "queue_retry", json!({})).unwrap(), 2);
    let list = list_once(&app, |list| {
        list["summary"]["done"] == 2 && list["summary"]["failed"] == 1
    });
    assert_eq!(list["summary"]["held"], 1, "{list}");
    assert!(sim
        .requests()
        .iter()
        .all(|request| !String::from_utf8_lossy(&request.body).contains("youtube")));
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

    assert_eq!(
        invoke(
            &app,
            "queue_subscribe",
            json!({"onUpdate": "__CHANNEL__:7"})
        )
        .unwrap(),
        Value::Null
    );
    assert_eq!(paste(&app, &[&link]).unwrap(), json!([0]));

    // The upload is in the history the app shares with the command line.
    let history = History::open(app._dir.path()).unwrap();
    let records = settled_records(&history, 1, 1);
    let audio_id = records[0].audio_id.clone().expect("done");
    assert!(sim
        .issued()
        .iter()
        .any(|issued| issued.audio_id == audio_id));
    assert_eq!(records[0].given_url, link);
    assert_eq!(records[0].source.as_str(), "app");

    invoke(
        &app,
        "save_token",
        json!({"token": "sim-error-used_up", "sessionOnly": true}),
    )
    .unwrap();
    paste(&app, &[&link]).unwrap();
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
    assert_eq!(paste(&app, &[&page]).unwrap(), json!([0]));
    let list = list_once(&app, |list| {
        list["summary"]["failed"] == 1 && list["items"][0].get("check").is_some()
    });
    let check = list["items"][0]["check"].as_str().unwrap();
    assert!(check.contains("not the file"), "{check}");
    assert_eq!(sim.file_requests().len(), 1);

    // Turned off in the settings, no link is fetched before it is sent.
    let settings = json!({"base_url": "https://api.acedata.cloud", "concurrency": 2, "timeout_secs": 30, "preflight": false});
    invoke(&app, "save_settings", json!({ "settings": settings })).unwrap();
    assert_eq!(paste(&app, &[&page]).unwrap(), json!([1]));
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
        json!({"filter": {"text": ""}, "offset": 10, "limit": 5}),
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
        json!({"filter": {"text": "take-7.wav"}, "offset": 0, "limit": 100000}),
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

#[test]
fn the_accessible_names_the_tests_rely_on_are_there() {
    // The page and the modules name their messages; in English those are the names the
    // end-to-end tests look for.
    let english = producer_upload::words::Words::of(&"en".parse().unwrap());
    for (html, id, name) in [
        (
            "data-l10n-id=\"main-settings\"",
            "main-settings.aria-label",
            "Settings",
        ),
        (
            "data-l10n-id=\"main-history\"",
            "main-history.aria-label",
            "History",
        ),
        (
            "for=\"link-input\" class=\"field-label\" data-l10n-id=\"paste-label\"",
            "paste-label",
            "Audio link",
        ),
        (
            "for=\"token-input\" class=\"field-label\" data-l10n-id=\"tokenview-label\"",
            "tokenview-label",
            "API token",
        ),
        (
            "for=\"history-search\" class=\"field-label\" data-l10n-id=\"hist-search\"",
            "hist-search",
            "Search history",
        ),
        (
            "data-l10n-id=\"hist-export-csv\"",
            "hist-export-csv.aria-label",
            "Export CSV",
        ),
        (
            "data-l10n-id=\"hist-export-json\"",
            "hist-export-json.aria-label",
            "Export JSON",
        ),
        ("data-l10n-id=\"paste-upload\"", "paste-upload", "Upload"),
        (
            "data-l10n-id=\"list-copy-all\"",
            "list-copy-all",
            "Copy all IDs",
        ),
        (
            "data-l10n-id=\"tokenview-save\"",
            "tokenview-save",
            "Save token",
        ),
        (
            "data-l10n-id=\"tokenview-remove\"",
            "tokenview-remove",
            "Remove token",
        ),
        ("data-l10n-id=\"list-pause\"", "list-pause", "Pause"),
        ("data-l10n-id=\"list-resume\"", "list-resume", "Resume"),
        ("data-l10n-id=\"list-cancel\"", "list-cancel", "Cancel"),
        (
            "data-l10n-id=\"list-retry-failed\"",
            "list-retry-failed",
            "Retry all failed",
        ),
        ("data-l10n-id=\"list-undo\"", "list-undo", "Undo"),
        (
            "data-l10n-id=\"main-songs\"",
            "main-songs.aria-label",
            "Songs",
        ),
    ] {
        assert!(INDEX_HTML.contains(html), "{html}");
        assert_eq!(english.message(id, None), name, "{id}");
    }
    assert!(INDEX_HTML.contains("aria-live=\"polite\""));
    // No framework, no remote code.
    assert!(!INDEX_HTML.contains("http://") && !INDEX_HTML.contains("cdn"));
    // One classic script at the end of the body starts the modules (so the page is painted
    // before they load); no other script tag. What start.js starts is ui/modules.test.js's.
    assert_eq!(INDEX_HTML.matches("<script").count(), 1);
    assert!(INDEX_HTML.contains("  <script src=\"start.js\"></script>\n</body>"));
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
    // Previews play only through the app's own server on this computer (preview.rs), which
    // fetches with the link check's client: the page fetches no audio from anywhere else, so no
    // redirect can take it to the local network, a router or a cloud's metadata address.
    assert_eq!(csp["media-src"], "'self' http://127.0.0.1:*");
    // Songs' covers come the same way.
    assert_eq!(csp["img-src"], "'self' data: http://127.0.0.1:*");
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
    // That the window uses each of them, through ui/ipc.js and nothing else, is ui/ipc.test.js's
    // to check.
    for command in &commands {
        assert!(
            LIB_RS.contains(&format!("::{command},")),
            "{command} not registered"
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
        state.on_progress(move |work| {
            if let Some(notice) = watch.update(*work).notice {
                seen.lock().unwrap().push(notice.body);
            }
        });
        let exits = Arc::new(AtomicUsize::new(0));
        let counted = exits.clone();
        state.on_quit(move || {
            counted.fetch_add(1, Ordering::SeqCst);
        });
        let queue = state.queue_or_start().unwrap();
        let links = (0..10)
            .map(|index| producer_upload::queue::QueueLink {
                given: format!("https://a.example/{index}.wav"),
                audio_url: format!("https://a.example/{index}.wav").parse().unwrap(),
                retry_of: None,
                notes: Vec::new(),
            })
            .collect();
        queue.add(state.token().await.unwrap(), links).await;
        assert!(
            state.busy().is_some(),
            "a running batch makes closing ask first"
        );

        // "Stop": the waiting links are stopped, the running ones finish, then the app quits.
        assert!(queue.cancel().await > 0);
        assert!(
            !state.leave(crate::background::Leave::AfterUploads),
            "uploads are still running"
        );
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
        // Stopped links are stopped, not failed.
        assert!(
            ended[0].contains("stopped") && !ended[0].contains("failed"),
            "{ended:?}"
        );
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
    let all = page(json!({"filter": {}, "offset": 0, "limit": 10}));
    assert_eq!(all["total"], 2);
    let failed_only = page(json!({"filter": {"failedOnly": true}, "offset": 0, "limit": 10}));
    assert_eq!(failed_only["total"], 1, "{failed_only}");
    assert_eq!(failed_only["records"][0]["state"], "failed");

    // Today as the window shows it, in its own time zone (any offset finds today's uploads
    // when given as that zone's date).
    let offset_minutes = 600;
    let local = time::OffsetDateTime::now_utc()
        .to_offset(time::UtcOffset::from_whole_seconds(offset_minutes * 60).unwrap());
    let shown = format!("{} {}", local.day(), local.month());
    let today = page(json!({
        "filter": {"text": shown, "utcOffsetMinutes": offset_minutes, "monthNames": ["janvier", "février"]},
        "offset": 0, "limit": 10
    }));
    assert_eq!(today["total"], 2, "{shown}: {today}");
    let yesterday = local - time::Duration::days(1);
    let before = page(json!({
        "filter": {"text": format!("{} {}", yesterday.month(), yesterday.day()), "utcOffsetMinutes": offset_minutes},
        "offset": 0, "limit": 10
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
    use producer_sim::samples::tone_wav;
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
        rows = serde_json::to_value(tauri::async_runtime::block_on(queue.snapshot())).unwrap()
            ["items"]
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

/// Every file under `dir`, with its size.
fn files_under(dir: &std::path::Path) -> Vec<(std::path::PathBuf, u64)> {
    let mut found = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return found;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            found.extend(files_under(&path));
        } else {
            found.push((path.clone(), entry.metadata().unwrap().len()));
        }
    }
    found
}

#[test]
fn a_piece_larger_than_the_window_sends_is_refused_with_nothing_written() {
    let app = app(None);
    invoke(
        &app,
        "save_token",
        json!({"token": "sim-token", "sessionOnly": true}),
    )
    .unwrap();
    let size = 3 * 1024 * 1024;
    let files = json!([{"name": "big.wav", "size": size}, {"name": "ok.wav", "size": size}]);
    let ids: Vec<u64> =
        serde_json::from_value(invoke(&app, "queue_add_files", json!({ "files": files })).unwrap())
            .unwrap();
    let incoming = app.window.state::<AppState>().incoming_dir().to_owned();

    // One byte over the page's piece size: refused plainly, and the row says to add it again.
    let mut piece = b"RIFF\0\0\0\0WAVEfmt ".to_vec();
    piece.resize(1024 * 1024 + 1, 0);
    let error = send_piece(&app, Some(ids[0]), 0, &piece).unwrap_err();
    let message = assert_report(&error, "file_unreadable");
    assert!(message.contains("Add the file again"), "{message}");
    let queue = app.window.state::<AppState>().queue().unwrap();
    let row = serde_json::to_value(tauri::async_runtime::block_on(queue.snapshot())).unwrap()
        ["items"][0]
        .clone();
    assert_eq!(row["state"], "failed", "{row}");
    assert_eq!(row["file"]["received"], 0, "{row}");
    assert!(
        files_under(&incoming).iter().all(|(_, len)| *len == 0),
        "nothing of it written: {:?}",
        files_under(&incoming)
    );

    // A piece of exactly the size the window is told to send is taken.
    let told = invoke(&app, "app_info", json!({})).unwrap()["max_piece_bytes"].clone();
    assert_eq!(told, json!(1024 * 1024));
    piece.truncate(1024 * 1024);
    assert_eq!(send_piece(&app, Some(ids[1]), 0, &piece).unwrap(), true);
    assert!(files_under(&incoming)
        .iter()
        .any(|(_, len)| *len == 1024 * 1024));
}

#[test]
fn each_token_screen_refuses_the_other_kind_of_token() {
    let app = app(None);
    let error = invoke(
        &app,
        "save_token",
        json!({"token": "platform-secret-wxyz", "sessionOnly": true}),
    )
    .unwrap_err();
    let message = assert_report(&error, "invalid_token");
    assert!(message.contains("platform token"), "{message}");
    let api = invoke(&app, "token_status", json!({})).unwrap();
    assert_ne!(api["last_four"], "wxyz", "it was not kept: {api}");
    let error = invoke(
        &app,
        "save_token",
        json!({"token": "sk-api-abcd", "sessionOnly": true, "kind": "platform"}),
    )
    .unwrap_err();
    assert!(assert_report(&error, "platform_token_invalid").contains("platform-"));
}

#[test]
fn removing_a_token_removes_it_from_the_session_and_the_keychain() {
    for kind in ["api", "platform"] {
        let app = app(None);
        let (in_keychain, for_session) = match kind {
            "api" => ("keychain-1111", "session-2222"),
            _ => ("platform-keychain-1111", "platform-session-2222"),
        };
        // Saved in the keychain where there is one (scripts/test.sh gives one).
        let saved = invoke(
            &app,
            "save_token",
            json!({"token": in_keychain, "sessionOnly": false, "kind": kind}),
        );
        invoke(
            &app,
            "save_token",
            json!({"token": for_session, "sessionOnly": true, "kind": kind}),
        )
        .unwrap();
        let removed = invoke(&app, "remove_token", json!({ "kind": kind })).unwrap();
        assert_eq!(removed["has_token"], false, "{removed}");
        let status = invoke(&app, "token_status", json!({ "kind": kind })).unwrap();
        assert_eq!(
            status["has_token"], false,
            "{kind}: no token comes back after removal (keychain save: {saved:?}): {status}"
        );
    }
}

#[test]
fn open_link_opens_only_web_links_the_window_shows() {
    let app = app(None);
    let history = app.window.state::<AppState>().history().unwrap();
    let shown = "https://a.example/shown.wav";
    history
        .record_pending(&NewUpload {
            given_url: shown.into(),
            audio_url: shown.parse().unwrap(),
            source: Source::App,
        })
        .unwrap();
    // Addresses the window never showed are refused, nothing opened.
    for url in [
        "https://elsewhere.example/phish",
        "http://169.254.169.254/latest/meta-data/",
        "https://a.example/shown.wav?x=1",
    ] {
        let error = invoke(&app, "open_link", json!({ "url": url })).unwrap_err();
        let message = assert_report(&error, "invalid_url");
        assert!(
            message.contains("shown in your upload list"),
            "{url}: {message}"
        );
    }
    for url in ["file:///etc/passwd", "javascript:alert(1)"] {
        assert_report(
            &invoke(&app, "open_link", json!({ "url": url })).unwrap_err(),
            "invalid_url",
        );
    }
    // The history's link is one the window shows (opening it is left to the browser).
    let state = app.window.state::<AppState>();
    assert!(tauri::async_runtime::block_on(state.shows_link(shown)));
    assert!(!tauri::async_runtime::block_on(
        state.shows_link("https://elsewhere.example/phish")
    ));
}

#[test]
fn a_dropped_file_is_refused_plainly_when_the_disk_has_no_room_for_it() {
    use producer_upload::disk::DiskBudget;
    const MIB: u64 = 1024 * 1024;
    // A disk with 10 MiB free, 8 of which stay free; at most 5 MiB of files waiting.
    let budget = DiskBudget::new(
        std::sync::Arc::new(|_: &std::path::Path| Ok(10 * MIB)),
        8 * MIB,
        5 * MIB,
    );
    let app = app_with(None, |state| state.with_disk_budget(budget));
    invoke(
        &app,
        "save_token",
        json!({"token": "sim-token", "sessionOnly": true}),
    )
    .unwrap();
    let files = json!([
        {"name": "long.wav", "size": 3 * MIB},
        {"name": "short.wav", "size": MIB},
        {"name": "short-2.wav", "size": MIB},
    ]);
    let ids: Vec<u64> =
        serde_json::from_value(invoke(&app, "queue_add_files", json!({ "files": files })).unwrap())
            .unwrap();
    let queue = app.window.state::<AppState>().queue().unwrap();
    let rows = serde_json::to_value(tauri::async_runtime::block_on(queue.snapshot())).unwrap()
        ["items"]
        .clone();
    assert_eq!(rows[0]["state"], "rejected", "{}", rows[0]);
    assert!(assert_report(&rows[0]["error"], "disk_full").contains("Make some room"));
    assert_eq!(rows[1]["state"], "waiting", "{}", rows[1]);
    // 1 MiB waits; another would leave less than the margin (1 + 1 + 8 = 10 is the limit).
    assert_eq!(rows[2]["state"], "waiting", "{}", rows[2]);
    let refused = send_piece(&app, Some(ids[0]), 0, b"RIFF").unwrap();
    assert_eq!(refused, json!(false), "a refused file takes no bytes");
    let incoming = app.window.state::<AppState>().incoming_dir().to_owned();
    assert_eq!(
        files_under(&incoming).len(),
        2,
        "only the files taken have a place: {:?}",
        files_under(&incoming)
    );

    // The files waiting stay under their total, whatever the disk holds.
    let budget = DiskBudget::new(
        std::sync::Arc::new(|_: &std::path::Path| Ok(u64::MAX)),
        0,
        5 * MIB,
    );
    let app = app_with(None, |state| state.with_disk_budget(budget));
    invoke(
        &app,
        "save_token",
        json!({"token": "sim-token", "sessionOnly": true}),
    )
    .unwrap();
    let files = json!([{"name": "a.wav", "size": 3 * MIB}, {"name": "b.wav", "size": 3 * MIB}]);
    invoke(&app, "queue_add_files", json!({ "files": files })).unwrap();
    let queue = app.window.state::<AppState>().queue().unwrap();
    let rows = serde_json::to_value(tauri::async_runtime::block_on(queue.snapshot())).unwrap()
        ["items"]
        .clone();
    assert_eq!(rows[0]["state"], "waiting", "{}", rows[0]);
    assert_report(&rows[1]["error"], "waiting_files_full");
}

#[test]
fn the_hosting_notice_is_one_sentence_and_once_acknowledged_stays_acknowledged() {
    let app = app(None);
    let notice = producer_upload::words::Words::of(&"en".parse().unwrap())
        .message("app-hosting-notice", None);
    assert!(
        notice.contains("anyone who has the link can open"),
        "{notice}"
    );
    assert_eq!(notice.matches(". ").count(), 0, "one sentence: {notice}");
    let seen = |app: &TestApp| {
        invoke(app, "get_settings", json!({})).unwrap()["settings"]["hosting_notice_seen"]
            .as_bool()
            .unwrap_or(false)
    };
    assert!(!seen(&app));
    invoke(&app, "acknowledge_hosting_notice", json!({})).unwrap();
    assert!(seen(&app));
    // The settings screen saves without it: it stays acknowledged, in the file too.
    let settings = json!({"base_url": "https://api.acedata.cloud", "concurrency": 2, "timeout_secs": 30, "preflight": true});
    invoke(&app, "save_settings", json!({ "settings": settings })).unwrap();
    assert!(seen(&app));
    let file = std::fs::read_to_string(app._dir.path().join("settings.json")).unwrap();
    assert!(file.contains("\"hosting_notice_seen\": true"), "{file}");
}

#[test]
fn history_can_show_only_hosted_files_with_their_links() {
    let app = app(None);
    let history = app.window.state::<AppState>().history().unwrap();
    let uploaded = |id: &str| producer_upload::client::Uploaded {
        audio_id: id.into(),
        task_id: None,
        hosted_audio_url: None,
        lyric: None,
    };
    let link = history
        .record_pending(&NewUpload {
            given_url: "https://a.example/link.wav".into(),
            audio_url: "https://a.example/link.wav".parse().unwrap(),
            source: Source::App,
        })
        .unwrap();
    history.record_done(link, &uploaded("id-link"), 1).unwrap();
    let hosted_url = "https://cdn.example/f/verse.wav";
    let file = history
        .record_pending_file(
            &NewUpload {
                given_url: "verse.wav".into(),
                audio_url: hosted_url.parse().unwrap(),
                source: Source::App,
            },
            "verse.wav",
            &producer_upload::history::FileInfo {
                size: 10,
                content_hash: "ab".repeat(32),
                file_url: hosted_url.into(),
                file_host: Some("https://platform.acedata.cloud".into()),
            },
        )
        .unwrap();
    history.record_done(file, &uploaded("id-file"), 1).unwrap();

    let page = |args: Value| invoke(&app, "history_page", args).unwrap();
    assert_eq!(
        page(json!({"filter": {}, "offset": 0, "limit": 10}))["total"],
        2
    );
    let hosted = page(json!({"filter": {"hostedOnly": true}, "offset": 0, "limit": 10}));
    assert_eq!(hosted["total"], 1, "{hosted}");
    assert_eq!(hosted["records"][0]["file_name"], "verse.wav");
    assert_eq!(hosted["records"][0]["file"]["file_url"], hosted_url);
    // Its link is one the window shows, so it can be opened.
    assert!(tauri::async_runtime::block_on(
        app.window.state::<AppState>().shows_link(hosted_url)
    ));
    // The export holds what the list shows: with the filter on, the hosted file alone.
    let filter: crate::commands::HistoryFilter =
        serde_json::from_value(json!({"hostedOnly": true})).unwrap();
    let path = app._dir.path().join("hosted.json");
    assert_eq!(
        crate::commands::export_history(&history, &filter.query(), Format::Json, &path).unwrap(),
        1
    );
    let exported: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(exported[0]["file_name"], "verse.wav");
}

#[test]
fn retrying_a_file_whose_copy_is_gone_asks_for_the_file_again() {
    let app = app(None);
    invoke(
        &app,
        "save_token",
        json!({"token": "sim-token", "sessionOnly": true}),
    )
    .unwrap();
    let history = app.window.state::<AppState>().history().unwrap();
    // A file taken by an app that stopped before it was hosted: interrupted, with no link.
    let ids = history
        .record_queued_files(&[("Verse (take 3).wav".into(), 1234)], Source::App)
        .unwrap();
    history.interrupt_queued(&ids).unwrap();
    let record = history.get(ids[0]).unwrap().unwrap();
    assert_eq!(record.file_name, "Verse (take 3).wav");

    let error = invoke(&app, "history_retry", json!({ "id": ids[0] })).unwrap_err();
    let message = assert_report(&error, "file_unreadable");
    assert!(
        message.contains("Verse (take 3).wav") && message.contains("Drop the file"),
        "{message}"
    );
    assert!(
        app.window.state::<AppState>().queue().is_none(),
        "nothing was queued"
    );
}

/// For a test that switches the language of the whole program: true in the run of its own
/// where it goes on; otherwise runs test `name` again, alone, in a program of its own (the other
/// tests here, running at the same time, expect English), checks it passed, and is false.
fn alone(name: &str) -> bool {
    const ALONE: &str = "PRODUCER_UPLOADER_TEST_ALONE";
    if std::env::var_os(ALONE).is_some() {
        return true;
    }
    let output = std::process::Command::new(std::env::current_exe().unwrap())
        .args(["--exact", name, "--test-threads=1", "--nocapture"])
        .env(ALONE, "1")
        .env("LANG", "C.UTF-8")
        .env_remove("LANGUAGE")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env_remove(producer_upload::words::LANGUAGE_VARIABLE)
        .output()
        .unwrap();
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(output.status.success(), "{said}");
    assert!(said.contains("1 passed"), "{said}");
    false
}

/// Switching the language changes the words of the whole program: see [`alone`].
#[test]
fn switching_the_language_says_the_title_and_the_rows_again_at_once() {
    if !alone("ipc_tests::switching_the_language_says_the_title_and_the_rows_again_at_once") {
        return;
    }
    use std::sync::{Arc, Mutex};
    let sim = tauri::async_runtime::block_on(Simulator::start(SimConfig::default())).unwrap();
    let app = app(Some(sim.base_url()));
    invoke(
        &app,
        "save_token",
        json!({"token": "sim-token", "sessionOnly": true}),
    )
    .unwrap();
    let title = Arc::new(Mutex::new(String::new()));
    let told = title.clone();
    let watch = crate::progress::ProgressWatch::default();
    app.window.state::<AppState>().on_progress(move |work| {
        *told.lock().unwrap() = watch.update(*work).title;
    });
    let base = sim.base_url();
    let links = [
        "ftp://a.example/take.wav".to_owned(),
        "https://www.youtube.com/watch?v=abc123".to_owned(),
        format!("{base}/files/bad.wav?sim_fault=notjson"),
    ];
    paste(&app, &links.each_ref().map(String::as_str)).unwrap();
    let before = list_once(&app, |list| list["summary"]["failed"] == 1);
    assert_eq!(
        *title.lock().unwrap(),
        "0 of 2 done, 1 failed, 1 held, 1 refused – Producer Uploader"
    );
    let failed_message = |list: &Value| {
        list["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|item| item["state"] == "failed")
            .map(|item| item["error"]["message"].as_str().unwrap().to_owned())
            .unwrap()
    };
    assert!(failed_message(&before).starts_with("Ace Data Cloud sent an answer"));

    let words = invoke(&app, "set_language", json!({"preference": "zh-CN"})).unwrap();
    assert_eq!(words["language"], "zh-CN");
    // The title (and the tray, told the same) at once, without any upload changing.
    assert_eq!(
        *title.lock().unwrap(),
        "已完成 0/2，失败 1 个，已暂缓 1 个，无法上传 1 个 – Producer Uploader"
    );
    // Every row again, each with a newer number, so the window's list takes them.
    let after = list_once(&app, |list| list["sequence"] != before["sequence"]);
    for (old, new) in before["items"]
        .as_array()
        .unwrap()
        .iter()
        .zip(after["items"].as_array().unwrap())
    {
        assert!(
            new["revision"].as_u64() > old["revision"].as_u64(),
            "{old} → {new}"
        );
    }
    let message = failed_message(&after);
    assert!(
        message.starts_with("Ace Data Cloud 返回了本应用无法读取的应答。"),
        "{message}"
    );
    assert!(
        message.ends_with("请联系 Ace Data Cloud 客服。"),
        "{message}"
    );
    let refused = after["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|item| item["state"] == "rejected")
        .unwrap();
    assert!(
        refused["error"]["message"]
            .as_str()
            .unwrap()
            .starts_with("这不是网页链接。"),
        "{refused}"
    );
    assert_eq!(
        after["summary"]["words"]["counts"],
        "已完成 0/2 · 失败 1 个 · 已暂缓 1 个 · 无法上传 1 个"
    );
    // The held link's note, made from what was given, is said again too.
    let held = after["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|item| item["state"] == "held")
        .unwrap();
    assert!(
        held["notes"][0]["text"]
            .as_str()
            .unwrap()
            .starts_with("这看起来是 YouTube 的页面"),
        "{held}"
    );
    // And back to English the same way.
    invoke(&app, "set_language", json!({"preference": "en"})).unwrap();
    assert_eq!(
        *title.lock().unwrap(),
        "0 of 2 done, 1 failed, 1 held, 1 refused – Producer Uploader"
    );
    let back = list_once(&app, |list| list["sequence"] != after["sequence"]);
    assert!(failed_message(&back).starts_with("Ace Data Cloud sent an answer"));
}

mod songs;

#[test]
fn the_note_kept_while_the_page_starts_afresh_is_taken_once() {
    let app = app(None);
    assert_eq!(invoke(&app, "page_take_note", json!({})), Ok(Value::Null));
    let note = json!({"cleared": 1000, "typed": "https://a.example/next.wav"});
    assert_eq!(
        invoke(&app, "page_start_afresh", json!({ "note": note })),
        Ok(json!(cfg!(target_os = "linux")))
    );
    if cfg!(target_os = "linux") {
        assert_eq!(invoke(&app, "page_take_note", json!({})), Ok(note));
    }
    // A later start of the page (a crash of the web view) shows no note.
    assert_eq!(invoke(&app, "page_take_note", json!({})), Ok(Value::Null));
    // Text longer than a link is not kept, and the page is not started afresh.
    let long = json!({"cleared": 3, "typed": "a".repeat(crate::commands::MAX_LINK_BYTES + 1)});
    assert_eq!(
        invoke(&app, "page_start_afresh", json!({ "note": long })),
        Ok(json!(false))
    );
    assert_eq!(invoke(&app, "page_take_note", json!({})), Ok(Value::Null));
}
