//! The songs commands called the way the window calls them: extend an uploaded audio ID, follow
//! it to its songs and save one (the writing the save dialog leads to, to a temporary path); a
//! failing cover's reason; Send again; bad values refused with nothing sent.

use super::{alone, app, assert_report, invoke, paste, settled_records, TestApp};
use crate::state::AppState;
use producer_sim::{SimConfig, Simulator};
use producer_upload::history::History;
use serde_json::{json, Value};
use std::time::Duration;
use tauri::Manager;

/// The Songs view once `settled` says so of generation `id` (within 30 s).
fn generation_once(app: &TestApp, id: &Value, settled: impl Fn(&Value) -> bool) -> Value {
    let mut last = Value::Null;
    for _ in 0..300 {
        let view = invoke(
            app,
            "songs_subscribe",
            json!({"onUpdate": "__CHANNEL__:21"}),
        )
        .unwrap();
        last = view["generations"]
            .as_array()
            .unwrap()
            .iter()
            .find(|generation| &generation["id"] == id)
            .cloned()
            .expect("the generation is listed");
        if settled(&last) {
            return last;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("the generation did not settle: {last}");
}

/// An app with a session token, pointed at a simulator whose songs take 2 s, and one uploaded
/// audio ID.
fn app_with_audio_id() -> (Simulator, TestApp, String) {
    app_with_audio_id_taking(Duration::from_secs(2))
}

/// [`app_with_audio_id`] with songs that take `song_time`.
fn app_with_audio_id_taking(song_time: Duration) -> (Simulator, TestApp, String) {
    let sim = tauri::async_runtime::block_on(Simulator::start(SimConfig {
        song_time,
        ..SimConfig::default()
    }))
    .unwrap();
    let app = app(Some(sim.base_url()));
    invoke(
        &app,
        "save_token",
        json!({"token": "sim-token", "sessionOnly": true}),
    )
    .unwrap();
    let link = format!("{}/files/take.wav", sim.base_url());
    paste(&app, &[&link]).unwrap();
    let history = History::open(app._dir.path()).unwrap();
    let audio_id = settled_records(&history, 1, 1)[0].audio_id.clone().unwrap();
    (sim, app, audio_id)
}

#[test]
fn extend_is_followed_to_its_songs_which_save_with_the_simulator_s_bytes() {
    let (sim, app, audio_id) = app_with_audio_id();
    let view = invoke(
        &app,
        "songs_subscribe",
        json!({"onUpdate": "__CHANNEL__:20"}),
    )
    .unwrap();
    assert_eq!(view["generations"], json!([]));
    assert_eq!(view["problem"], Value::Null, "{view}");
    assert_eq!(view["default_model"], "FUZZ-2.0");
    assert_eq!(view["models"].as_array().unwrap().len(), 8);
    assert!(view["models"][0]["purpose"].as_str().unwrap().len() > 5);
    assert_eq!(view["advanced"][1]["min"], 0.2);

    let started = invoke(
        &app,
        "songs_generate",
        json!({"request": {"action": "extend", "audio_id": audio_id, "continue_at": 12.5,
                            "title": "Night drive", "style": "dream pop"}}),
    )
    .unwrap();
    assert_eq!(started["state"], "pending", "{started}");
    assert!(started["task_id"].is_string());
    assert_eq!(started["request"]["continue_at"], 12.5);
    let audios: Vec<Value> = sim
        .song_requests()
        .into_iter()
        .filter(|request| request.path == "/producer/audios")
        .map(|request| request.body)
        .collect();
    assert_eq!(audios.len(), 1, "sent once");
    assert_eq!(audios[0]["action"], "upload_extend");
    assert_eq!(audios[0]["continue_at"], 12.5);

    let done = generation_once(&app, &started["id"], |g| g["state"] == "succeeded");
    let songs = done["songs"].as_array().unwrap();
    assert_eq!(done["words"], "Your song is ready.");
    assert_eq!(songs.len(), 2);
    assert_eq!(songs[0]["title"], "Night drive");
    assert!(songs[0]["image_url"].as_str().unwrap().ends_with(".png"));

    // Download: the save dialog cannot be driven here; what it leads to writes the song's bytes
    // to the chosen path, replacing nothing else.
    let song_id = songs[0]["id"].as_str().unwrap();
    let state = app._app.state::<AppState>();
    let song = crate::songs::song_of(&state, done["id"].as_i64().unwrap(), song_id).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("Night drive.mp3");
    let heard = std::sync::Mutex::new(Vec::new());
    let tell = |received: producer_upload::songs::download::Received| {
        heard.lock().unwrap().push(received);
    };
    let saved =
        tauri::async_runtime::block_on(crate::songs::save(&state, &song, &path, &tell)).unwrap();
    assert_eq!(saved.path, path.display().to_string());
    // Its progress is heard as it arrives, ending with every byte.
    let heard = heard.into_inner().unwrap();
    let size = sim.song_audio(song_id).unwrap().len() as u64;
    assert_eq!(
        heard.last().map(|r| (r.bytes, r.total)),
        Some((size, Some(size)))
    );
    assert!(
        heard.windows(2).all(|w| w[0].bytes < w[1].bytes),
        "{heard:?}"
    );
    assert_eq!(
        std::fs::read(&path).unwrap(),
        sim.song_audio(song_id).unwrap()
    );
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        1,
        "no temporary file left"
    );

    // A song that is not there is explained.
    let error = invoke(
        &app,
        "songs_download",
        json!({"id": done["id"], "song": "no-such-song", "onProgress": "__CHANNEL__:9"}),
    )
    .unwrap_err();
    assert!(assert_report(&error, "history_unavailable").contains("Refresh"));
}

#[test]
fn a_failing_cover_says_why_and_can_be_sent_again_on_request() {
    let (sim, app, audio_id) = app_with_audio_id();
    let started = invoke(
        &app,
        "songs_generate",
        json!({"request": {"action": "cover", "audio_id": audio_id,
                            "title": "Cover sim_fault=fail&sim_times=1"}}),
    )
    .unwrap();
    let failed = generation_once(&app, &started["id"], |g| g["state"] == "failed");
    let message = assert_report(&failed["error"], failed["error"]["code"].as_str().unwrap());
    assert!(!message.is_empty(), "{failed}");

    // Checking a finished song again changes nothing; sending it again is one more request.
    let checked = invoke(&app, "songs_check_again", json!({"id": started["id"]})).unwrap();
    assert_eq!(checked["state"], "failed");
    let again = invoke(&app, "songs_send_again", json!({"id": started["id"]})).unwrap();
    assert_eq!(again["id"], started["id"]);
    assert_eq!(again["state"], "pending", "{again}");
    generation_once(&app, &started["id"], |g| g["state"] == "succeeded");
    let sent = sim
        .song_requests()
        .iter()
        .filter(|request| request.path == "/producer/audios")
        .count();
    assert_eq!(sent, 2);
    // Only a song that failed or whose outcome is unknown can be sent again.
    let error = invoke(&app, "songs_send_again", json!({"id": started["id"]})).unwrap_err();
    assert_report(&error, "invalid_setting");
}

#[test]
fn bad_values_and_a_missing_token_are_refused_with_nothing_sent() {
    let sim = tauri::async_runtime::block_on(Simulator::start(SimConfig::default())).unwrap();
    let app = app(Some(sim.base_url()));
    let request = json!({"action": "extend", "audio_id": "abc-123", "continue_at": 3});
    // No token (or, without a session bus, no keychain to read one from): said, nothing sent.
    let no_token = ["token_missing", "keychain_unavailable"];
    let error = invoke(&app, "songs_generate", json!({ "request": request })).unwrap_err();
    assert!(
        no_token.contains(&error["code"].as_str().unwrap()),
        "{error}"
    );
    // The Songs view still lists what the history has, and says why nothing is followed.
    let view = invoke(
        &app,
        "songs_subscribe",
        json!({"onUpdate": "__CHANNEL__:22"}),
    )
    .unwrap();
    assert!(
        no_token.contains(&view["problem"]["code"].as_str().unwrap()),
        "{view}"
    );

    invoke(
        &app,
        "save_token",
        json!({"token": "sim-token", "sessionOnly": true}),
    )
    .unwrap();
    for (request, words) in [
        (
            json!({"action": "extend", "audio_id": "abc-123", "continue_at": -1}),
            "0 or more",
        ),
        (
            json!({"action": "extend", "audio_id": "abc-123"}),
            "continue from",
        ),
        (json!({"action": "cover", "audio_id": ""}), "empty"),
        (
            json!({"action": "cover", "audio_id": "abc-123", "prompt": "x".repeat(201)}),
            "200",
        ),
        (
            json!({"action": "cover", "audio_id": "abc-123", "model": "FUZZ-9"}),
            "FUZZ-2.0",
        ),
        (
            json!({"action": "cover", "audio_id": "abc-123", "sound_strength": 0.1}),
            "0.2",
        ),
        (
            json!({"action": "remix", "audio_id": "abc-123"}),
            "could not be read",
        ),
        (json!("not an object"), "could not be read"),
    ] {
        let error = invoke(&app, "songs_generate", json!({ "request": request })).unwrap_err();
        let message = assert_report(&error, "invalid_setting");
        assert!(
            message.to_lowercase().contains(&words.to_lowercase()),
            "{request}: {message}"
        );
    }
    assert!(sim.song_requests().is_empty(), "nothing sent");
    let view = invoke(
        &app,
        "songs_subscribe",
        json!({"onUpdate": "__CHANNEL__:23"}),
    )
    .unwrap();
    assert_eq!(view["generations"], json!([]), "nothing recorded");
}

#[test]
fn an_unanswered_request_may_have_started_and_is_sent_again_only_on_request() {
    let (sim, app, audio_id) = app_with_audio_id();
    let started = invoke(
        &app,
        "songs_generate",
        json!({"request": {"action": "cover", "audio_id": audio_id,
                            "title": "Lost sim_fault=drop&sim_times=1"}}),
    )
    .unwrap();
    assert_eq!(started["state"], "unknown", "{started}");
    assert!(
        started["error"]["message"]
            .as_str()
            .unwrap()
            .contains("may have started"),
        "{started}"
    );
    // Nothing is sent again by itself.
    std::thread::sleep(Duration::from_millis(1500));
    let audios = |sim: &Simulator| {
        sim.song_requests()
            .iter()
            .filter(|request| request.path == "/producer/audios")
            .count()
    };
    assert_eq!(audios(&sim), 1);
    // Check again cannot look it up (no task ID came) and says what to do.
    let error = invoke(&app, "songs_check_again", json!({"id": started["id"]})).unwrap_err();
    assert!(assert_report(&error, "outcome_unknown").contains("Send again"));
    // Send again, on request: the same generation, a second request, and its songs.
    let again = invoke(&app, "songs_send_again", json!({"id": started["id"]})).unwrap();
    assert_eq!(again["id"], started["id"]);
    generation_once(&app, &started["id"], |g| g["state"] == "succeeded");
    assert_eq!(audios(&sim), 2);
}

/// Switching the language changes the words of the whole program: see `alone`.
#[test]
fn after_a_change_of_language_the_songs_view_is_in_the_new_language() {
    if !alone("ipc_tests::songs::after_a_change_of_language_the_songs_view_is_in_the_new_language")
    {
        return;
    }
    let (_sim, app, audio_id) = app_with_audio_id();
    let started = invoke(
        &app,
        "songs_generate",
        json!({"request": {"action": "cover", "audio_id": audio_id, "title": "Night drive"}}),
    )
    .unwrap();
    let done = generation_once(&app, &started["id"], |g| g["state"] == "succeeded");
    assert_eq!(done["words"], "Your song is ready.");

    // The window asks for the Songs view again once the language changed: Rust's words in it
    // (each state, what each model is for) are the new language's.
    invoke(&app, "set_language", json!({"preference": "zh-CN"})).unwrap();
    let view = invoke(
        &app,
        "songs_subscribe",
        json!({"onUpdate": "__CHANNEL__:24"}),
    )
    .unwrap();
    assert_eq!(view["generations"][0]["words"], "你的歌曲已生成。");
    assert_eq!(view["models"][1]["name"], "FUZZ-2.0");
    assert_eq!(view["models"][1]["purpose"], "常用选择：音质好，速度快");
    assert_eq!(view["advanced"][1]["name"], "sound");
    // What the window sends that cannot be read is said in Chinese too.
    let error = invoke(&app, "songs_generate", json!({"request": "not an object"})).unwrap_err();
    assert!(
        assert_report(&error, "invalid_setting").starts_with("无法读取这首歌曲的设置"),
        "{error}"
    );

    invoke(&app, "set_language", json!({"preference": "en"})).unwrap();
    let view = invoke(
        &app,
        "songs_subscribe",
        json!({"onUpdate": "__CHANNEL__:25"}),
    )
    .unwrap();
    assert_eq!(view["generations"][0]["words"], "Your song is ready.");
    assert_eq!(
        view["models"][1]["purpose"],
        "the usual choice: good sound, quick"
    );
}

/// A song being made counts as work: closing the window asks first (the question names the
/// song), "Finish in background" hides the window and the tray then says the song, and the app
/// quits only once the song is ready (after its notice), with the tray told nothing runs; the
/// song was sent once and only polled. "Quit now" does not wait for it; "Show window" stays.
#[test]
fn a_song_made_in_the_background_is_in_the_tray_and_the_app_waits_for_it() {
    use crate::attention::{tray_wanted, Sight};
    use crate::background::Leave;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::{Arc, Mutex};
    let (sim, app, audio_id) = app_with_audio_id_taking(Duration::from_secs(4));
    let state = app._app.state::<AppState>();
    // What the title and the tray are told, the window being hidden; and when the app quits.
    let told = Arc::new(Mutex::new(Vec::<(String, bool)>::new()));
    let seen = told.clone();
    let watch = crate::progress::ProgressWatch::default();
    state.on_progress(move |work| {
        let title = watch.update(*work).title;
        let tray = tray_wanted(Sight::default(), work);
        seen.lock().unwrap().push((title, tray));
    });
    let quits = Arc::new(AtomicUsize::new(0));
    let counted = quits.clone();
    state.on_quit(move || {
        counted.fetch_add(1, Ordering::SeqCst);
    });
    invoke(
        &app,
        "songs_subscribe",
        json!({"onUpdate": "__CHANNEL__:26"}),
    )
    .unwrap();
    assert!(state.busy().is_none(), "the upload is done: closing closes");

    let started = invoke(
        &app,
        "songs_generate",
        json!({"request": {"action": "cover", "audio_id": audio_id, "title": "Night drive"}}),
    )
    .unwrap();
    assert_eq!(started["state"], "pending", "{started}");
    let work = state
        .busy()
        .expect("closing asks while a song is being made");
    let question = serde_json::to_value(crate::state::WindowMessage::CloseRequested(work)).unwrap();
    assert_eq!(question["kind"], "close_requested");
    assert_eq!(question["songs"], 1, "{question}");
    assert_eq!(question["waiting"], 0, "{question}");
    assert_eq!(question["uploading"], 0, "{question}");
    // "Quit now" would quit at once: the song goes on at the service, followed at next start.
    assert!(state.leave(Leave::AfterUploads));
    state.stay();

    // "Finish in background": the window hides, the app stays.
    invoke(
        &app,
        "close_during_batch",
        json!({"choice": "finish_in_background"}),
    )
    .unwrap();
    assert!(state.is_leaving());
    assert!(state.busy().is_none(), "leaving: closing no longer asks");
    // "Show window" from the tray: the app stays whatever ends; closing again asks again.
    crate::progress::show_window(app._app.handle());
    assert!(!state.is_leaving());
    assert!(state.busy().is_some());
    invoke(
        &app,
        "close_during_batch",
        json!({"choice": "finish_in_background"}),
    )
    .unwrap();
    // The upload done before is still listed: its count, then the song.
    let making = (
        "1 of 1 done, making 1 song – Producer Uploader".to_owned(),
        true,
    );
    assert!(
        told.lock().unwrap().contains(&making),
        "the tray says the song: {:?}",
        told.lock().unwrap()
    );

    let done = generation_once(&app, &started["id"], |generation| {
        let ready = generation["state"] == "succeeded";
        if !ready {
            assert_eq!(quits.load(Ordering::SeqCst), 0, "quit before the song");
        }
        ready
    });
    assert_eq!(done["songs"].as_array().unwrap().len(), 2);
    for _ in 0..50 {
        if quits.load(Ordering::SeqCst) > 0 {
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(
        quits.load(Ordering::SeqCst),
        1,
        "quits once the song is ready"
    );
    assert_eq!(
        told.lock().unwrap().last(),
        Some(&("1 of 1 done – Producer Uploader".to_owned(), false)),
        "nothing runs: no tray icon"
    );
    let audios = sim
        .song_requests()
        .iter()
        .filter(|request| request.path == "/producer/audios")
        .count();
    assert_eq!(audios, 1, "sent once, only polled after");
}
