//! Songs (extend and cover) over loopback against the simulator: the simulator's rules, the
//! engine (action forms and the one fallback, one shared poller, previews, unanswered requests,
//! restarts) and the `producer-upload` commands (outputs, downloads, exit codes, a kill).

use producer_sim::{SimConfig, Simulator};
use producer_upload::client::{Client, ClientConfig};
use producer_upload::error::ErrorCode;
use producer_upload::history::History;
use producer_upload::songs::{
    Action, Change, Engine, EngineConfig, Generation, SongRequest, SongsClient, TaskState,
};
use producer_upload::token::ApiToken;
use serde_json::{json, Value};
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

async fn sim(song_time: Duration) -> Simulator {
    Simulator::start(SimConfig {
        song_time,
        ..SimConfig::default()
    })
    .await
    .expect("the simulator starts")
}

fn token() -> ApiToken {
    ApiToken::parse("sim-token").unwrap()
}

fn client(sim: &Simulator, timeout: Duration) -> Client {
    let mut config = ClientConfig::new(&sim.base_url()).unwrap();
    config.timeout = timeout;
    Client::new(config)
}

/// An audio ID the simulator issued by upload.
async fn uploaded_id(sim: &Simulator) -> String {
    let url = url::Url::parse("https://example.com/take.wav").unwrap();
    let uploaded = client(sim, Duration::from_secs(10))
        .attempt(&token(), &url)
        .await
        .expect("the upload works");
    uploaded.audio_id
}

fn engine_in(sim: &Simulator, dir: &Path, timeout: Duration) -> (Engine, Arc<History>) {
    let history = Arc::new(History::open(dir).expect("the history opens"));
    let engine = Engine::start(
        Arc::clone(&history),
        SongsClient::new(client(sim, timeout)),
        token(),
        EngineConfig {
            first_poll: Duration::from_millis(500),
            poll_every: Duration::from_secs(1),
        },
    )
    .expect("the engine starts");
    (engine, history)
}

fn extend(audio_id: &str) -> SongRequest {
    SongRequest {
        continue_at: Some(2.5),
        title: "Night drive".into(),
        ..SongRequest::new(Action::Extend, audio_id)
    }
}

fn songs_of(generation: &Generation) -> Vec<producer_upload::songs::Song> {
    match &generation.state {
        TaskState::Succeeded { songs } => songs.clone(),
        other => panic!("not succeeded: {other:?}"),
    }
}

/// The actions the simulator received on `/producer/audios`, in order.
fn sent_actions(sim: &Simulator) -> Vec<String> {
    sim.song_requests()
        .into_iter()
        .filter(|request| request.path == "/producer/audios")
        .map(|request| request.body["action"].as_str().unwrap_or("").to_owned())
        .collect()
}

async fn post(sim: &Simulator, path: &str, body: Value) -> (u16, Option<String>, Value) {
    let response = reqwest::Client::new()
        .post(format!("{}{path}", sim.base_url()))
        .bearer_auth("sim-token")
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let retry_after = response
        .headers()
        .get("retry-after")
        .map(|value| value.to_str().unwrap().to_owned());
    (
        status,
        retry_after,
        response.json().await.unwrap_or(Value::Null),
    )
}

#[tokio::test]
async fn the_simulator_makes_songs_by_the_action_rule() {
    let song_time = Duration::from_secs(3);
    let sim = sim(song_time).await;
    let audio_id = uploaded_id(&sim).await;
    let body = |action: &str, id: &str| {
        json!({"action": action, "audio_id": id, "continue_at": 1.0, "async": true,
               "title": "Verse", "model": "FUZZ-2.0"})
    };

    let (status, _, answer) = post(&sim, "/producer/audios", body("extend", &audio_id)).await;
    assert_eq!(
        (status, answer["error"]["code"].as_str()),
        (400, Some("bad_request"))
    );
    let mut no_moment = body("upload_extend", &audio_id);
    no_moment.as_object_mut().unwrap().remove("continue_at");
    assert_eq!(post(&sim, "/producer/audios", no_moment).await.0, 400);
    let (status, _, answer) =
        post(&sim, "/producer/audios", body("upload_extend", &audio_id)).await;
    assert_eq!(status, 200, "{answer}");
    let task_id = answer["task_id"].as_str().unwrap().to_owned();

    let started = Instant::now();
    let retrieve = json!({"action": "retrieve", "id": task_id});
    let (status, _, record) = post(&sim, "/producer/tasks", retrieve.clone()).await;
    assert_eq!(status, 200);
    assert_eq!(record["response"]["data"][0]["state"], "pending");
    // Faster than one a second: refused, with Retry-After.
    let (status, retry_after, _) = post(&sim, "/producer/tasks", retrieve.clone()).await;
    assert_eq!((status, retry_after.as_deref()), (429, Some("1")));

    tokio::time::sleep((song_time / 2).saturating_sub(started.elapsed())).await;
    let (_, _, record) = post(&sim, "/producer/tasks", retrieve.clone()).await;
    let song = &record["response"]["data"][0];
    assert_eq!(song["state"], "processing", "{record}");
    assert!(record.get("finished_at").is_none());
    assert_eq!(
        record["response"]["success"], true,
        "a running task says success"
    );
    let preview = song["audio_url"].as_str().unwrap();
    assert!(preview.contains("preview"), "{preview}");
    let preview = reqwest::get(preview).await.unwrap();
    assert_eq!(preview.headers()["content-type"], "audio/mpeg");

    tokio::time::sleep(song_time.saturating_sub(started.elapsed()) + Duration::from_millis(200))
        .await;
    let (_, _, batch) = post(
        &sim,
        "/producer/tasks",
        json!({"action": "retrieve_batch", "ids": [task_id, "no-such-task"]}),
    )
    .await;
    assert_eq!(batch["count"], 1);
    let record = &batch["items"][0];
    assert!(record["finished_at"].is_number());
    let songs = record["response"]["data"].as_array().unwrap();
    assert_eq!(songs.len(), 2);
    let song_id = songs[0]["id"].as_str().unwrap();
    assert_eq!(
        songs[0]["duration"]
            .as_str()
            .map(|d| d.parse::<f64>().is_ok()),
        Some(true)
    );
    let audio = reqwest::get(songs[0]["audio_url"].as_str().unwrap())
        .await
        .unwrap();
    assert_eq!(audio.headers()["content-type"], "audio/mpeg");
    let audio = audio.bytes().await.unwrap();
    assert_eq!(Some(audio.to_vec()), sim.song_audio(song_id));
    assert_eq!(&audio[..3], b"ID3");
    let image = reqwest::get(songs[0]["image_url"].as_str().unwrap())
        .await
        .unwrap();
    assert_eq!(&image.bytes().await.unwrap()[..4], b"\x89PNG");

    // A generated song takes the plain form only.
    let (status, _, _) = post(&sim, "/producer/audios", body("upload_cover", song_id)).await;
    assert_eq!(status, 400);
    let (status, _, _) = post(&sim, "/producer/audios", body("cover", song_id)).await;
    assert_eq!(status, 200);
    let (status, _, _) = post(&sim, "/producer/audios", body("cover", "never-issued")).await;
    assert_eq!(status, 400);
}

#[tokio::test]
async fn each_action_takes_the_form_its_audio_needs() {
    let sim = sim(Duration::from_secs(2)).await;
    let dir = tempfile::tempdir().unwrap();
    let (engine, _history) = engine_in(&sim, dir.path(), Duration::from_secs(10));
    let audio_id = uploaded_id(&sim).await;

    let extended = engine.generate(extend(&audio_id)).await.unwrap();
    let covered = engine
        .generate(SongRequest::new(Action::Cover, audio_id.clone()))
        .await
        .unwrap();
    let done = engine
        .wait(&[extended.id, covered.id], |_| {})
        .await
        .unwrap();
    let song = songs_of(&done[0])[0].clone();
    assert!(song.audio_url.ends_with(".mp3"), "{song:?}");
    // What the window receives: the request, the task ID, the state and its data.
    let drawn = serde_json::to_value(&done[0]).unwrap();
    assert_eq!(drawn["state"], "succeeded");
    assert_eq!(drawn["request"]["action"], "extend");
    assert_eq!(drawn["request"]["continue_at"], 2.5);
    assert_eq!(drawn["kind"], "uploaded");
    assert_eq!(drawn["songs"][0]["id"], song.id.as_str());
    assert!(drawn["task_id"].is_string() && drawn["created_at"].is_string());
    assert_eq!(song.title, "Night drive");

    let again = engine.generate(extend(&song.id)).await.unwrap();
    let cover_again = engine
        .generate(SongRequest::new(Action::Cover, song.id.clone()))
        .await
        .unwrap();
    let done = engine
        .wait(&[again.id, cover_again.id], |_| {})
        .await
        .unwrap();
    assert!(done
        .iter()
        .all(|generation| generation.state.label() == "succeeded"));
    assert_eq!(
        sent_actions(&sim),
        ["upload_extend", "upload_cover", "extend", "cover"],
        "the history knew each ID: no request was refused"
    );
    let bodies: Vec<Value> = sim.song_requests().into_iter().map(|r| r.body).collect();
    assert_eq!(bodies[0]["continue_at"], 2.5);
    assert_eq!(bodies[0]["async"], true);
    assert!(bodies[1].get("continue_at").is_none());
}

#[tokio::test]
async fn the_other_form_is_tried_once_and_remembered() {
    let sim = sim(Duration::from_secs(1)).await;
    let first = tempfile::tempdir().unwrap();
    let (engine, _history) = engine_in(&sim, first.path(), Duration::from_secs(10));
    let audio_id = uploaded_id(&sim).await;
    let made = engine.generate(extend(&audio_id)).await.unwrap();
    let song_id = songs_of(&engine.wait(&[made.id], |_| {}).await.unwrap()[0])[0]
        .id
        .clone();

    // Another computer knows nothing of this song: it tries the uploaded form first.
    let other = tempfile::tempdir().unwrap();
    let (stranger, _other_history) = engine_in(&sim, other.path(), Duration::from_secs(10));
    let before = sent_actions(&sim).len();
    let generation = stranger.generate(extend(&song_id)).await.unwrap();
    assert_eq!(generation.state.label(), "pending");
    assert_eq!(sent_actions(&sim)[before..], ["upload_extend", "extend"]);
    let generation = stranger
        .generate(SongRequest::new(Action::Cover, song_id.clone()))
        .await
        .unwrap();
    assert_eq!(generation.state.label(), "pending");
    assert_eq!(sent_actions(&sim)[before + 2..], ["cover"], "remembered");

    // An ID neither form takes: two requests, never a third.
    let before = sent_actions(&sim).len();
    let refused = stranger.generate(extend("never-issued")).await.unwrap();
    let TaskState::Failed { error } = &refused.state else {
        panic!("{refused:?}")
    };
    assert_eq!(error.code, ErrorCode::BadRequest);
    assert_eq!(sent_actions(&sim)[before..], ["upload_extend", "extend"]);
}

#[tokio::test]
async fn ten_running_tasks_share_one_request_a_second() {
    let sim = sim(Duration::from_secs(6)).await;
    let dir = tempfile::tempdir().unwrap();
    let (engine, _history) = engine_in(&sim, dir.path(), Duration::from_secs(10));
    let audio_id = uploaded_id(&sim).await;
    let mut ids = Vec::new();
    for _ in 0..10 {
        ids.push(engine.generate(extend(&audio_id)).await.unwrap().id);
    }
    let done = engine.wait(&ids, |_| {}).await.unwrap();
    assert!(done
        .iter()
        .all(|generation| generation.state.label() == "succeeded"));

    let polls: Vec<_> = sim
        .song_requests()
        .into_iter()
        .filter(|request| request.path == "/producer/tasks")
        .collect();
    assert!(polls.iter().all(|poll| poll.status == Some(200)), "no 429");
    for pair in polls.windows(2) {
        let gap = pair[1].at.duration_since(pair[0].at);
        assert!(
            gap >= Duration::from_millis(1000),
            "two polls {gap:?} apart"
        );
    }
    assert!(
        polls.iter().any(|poll| poll.body["ids"]
            .as_array()
            .is_some_and(|ids| ids.len() == 10)),
        "one retrieve_batch for all ten"
    );
    assert!(polls
        .iter()
        .all(|poll| poll.body["action"] == "retrieve_batch"));
}

#[tokio::test]
async fn a_429_holds_polling_for_its_retry_after() {
    let sim = Simulator::start(SimConfig {
        song_time: Duration::from_secs(2),
        // One token every 2.5 s: the second poll (1.1 s after the first) is refused with
        // Retry-After: 2, and the one after that wait is accepted with time to spare.
        tasks_per_second: 0.4,
        ..SimConfig::default()
    })
    .await
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let (engine, _history) = engine_in(&sim, dir.path(), Duration::from_secs(10));
    let audio_id = uploaded_id(&sim).await;
    let generation = engine.generate(extend(&audio_id)).await.unwrap();
    let done = engine.wait(&[generation.id], |_| {}).await.unwrap();
    assert_eq!(done[0].state.label(), "succeeded");
    let polls: Vec<_> = sim
        .song_requests()
        .into_iter()
        .filter(|request| request.path == "/producer/tasks")
        .collect();
    let refused = polls
        .iter()
        .position(|poll| poll.status == Some(429))
        .expect("the service refused a poll");
    let next = polls.get(refused + 1).expect("polling went on");
    assert!(
        next.at.duration_since(polls[refused].at) >= Duration::from_millis(1900),
        "the next poll waited for Retry-After (2 s)"
    );
    assert_eq!(
        polls.iter().filter(|poll| poll.status == Some(429)).count(),
        1,
        "one refusal, then the wait it asked for"
    );
}

#[tokio::test]
async fn a_preview_link_is_never_taken_as_the_result() {
    let sim = sim(Duration::from_secs(4)).await;
    let dir = tempfile::tempdir().unwrap();
    let (engine, _history) = engine_in(&sim, dir.path(), Duration::from_secs(10));
    let audio_id = uploaded_id(&sim).await;
    let generation = engine.generate(extend(&audio_id)).await.unwrap();
    let mut seen = Vec::new();
    let done = engine
        .wait(&[generation.id], |change| {
            if let Change::Generation { generation } = change {
                seen.push(generation.state.clone())
            }
        })
        .await
        .unwrap();
    assert!(
        seen.iter()
            .any(|state| matches!(state, TaskState::Running { progress: Some(_) })),
        "the progress was shown: {seen:?}"
    );
    for song in songs_of(&done[0]) {
        assert!(!song.audio_url.contains("preview"), "{song:?}");
        assert_eq!(
            Some(
                reqwest::get(&song.audio_url)
                    .await
                    .unwrap()
                    .bytes()
                    .await
                    .unwrap()
                    .to_vec()
            ),
            sim.song_audio(&song.id)
        );
    }
}

#[tokio::test]
async fn a_failing_task_says_why() {
    let sim = sim(Duration::from_secs(1)).await;
    let dir = tempfile::tempdir().unwrap();
    let (engine, _history) = engine_in(&sim, dir.path(), Duration::from_secs(10));
    let audio_id = uploaded_id(&sim).await;
    let request = SongRequest {
        title: "Chorus sim_fault=fail".into(),
        ..SongRequest::new(Action::Cover, audio_id)
    };
    let generation = engine.generate(request).await.unwrap();
    let done = engine.wait(&[generation.id], |_| {}).await.unwrap();
    let TaskState::Failed { error } = &done[0].state else {
        panic!("{:?}", done[0])
    };
    assert_eq!(error.code, ErrorCode::GenerationFailed);
    assert!(
        error
            .message
            .contains("could not make a song from this audio"),
        "{}",
        error.message
    );
}

#[tokio::test]
async fn an_unanswered_request_is_sent_once_and_may_have_started() {
    let sim = sim(Duration::from_secs(1)).await;
    let dir = tempfile::tempdir().unwrap();
    let (engine, _history) = engine_in(&sim, dir.path(), Duration::from_secs(1));
    let audio_id = uploaded_id(&sim).await;
    let request = SongRequest {
        title: "Bridge sim_fault=hang&sim_times=1".into(),
        ..extend(&audio_id)
    };
    let generation = engine.generate(request).await.unwrap();
    let TaskState::Unknown { error } = &generation.state else {
        panic!("{generation:?}")
    };
    assert!(
        error.message.contains("may have started"),
        "{}",
        error.message
    );
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(sent_actions(&sim).len(), 1, "not sent again by itself");
    // A connection closed without an answer is the same.
    let dropped = engine
        .generate(SongRequest {
            title: "Coda sim_fault=drop".into(),
            ..extend(&audio_id)
        })
        .await
        .unwrap();
    assert_eq!(dropped.state.label(), "unknown");
    assert_eq!(sent_actions(&sim).len(), 2, "each sent once");
    let check = engine.check_again(generation.id).unwrap_err();
    assert!(check.message.contains("Send again"), "{}", check.message);

    let again = engine.send_again(generation.id).await.unwrap();
    assert_eq!((again.id, again.state.label()), (generation.id, "pending"));
    assert_eq!(sent_actions(&sim).len(), 3);
    let done = engine.wait(&[generation.id], |_| {}).await.unwrap();
    assert_eq!(done[0].state.label(), "succeeded");
}

#[tokio::test]
async fn a_refusal_before_any_work_is_sent_again_by_itself() {
    let sim = sim(Duration::from_secs(1)).await;
    let dir = tempfile::tempdir().unwrap();
    let (engine, _history) = engine_in(&sim, dir.path(), Duration::from_secs(10));
    let audio_id = uploaded_id(&sim).await;
    let request = SongRequest {
        title: "Intro sim_fault=error500&sim_times=1".into(),
        ..extend(&audio_id)
    };
    let generation = engine.generate(request).await.unwrap();
    assert_eq!(generation.state.label(), "pending");
    let statuses: Vec<Option<u16>> = sim.song_requests().iter().map(|r| r.status).collect();
    assert_eq!(
        statuses,
        [Some(500), Some(200)],
        "no task was started by the first"
    );
}

#[tokio::test]
async fn bad_values_send_nothing_and_record_nothing() {
    let sim = sim(Duration::from_secs(1)).await;
    let dir = tempfile::tempdir().unwrap();
    let (engine, _history) = engine_in(&sim, dir.path(), Duration::from_secs(1));
    for request in [
        SongRequest {
            prompt: "x".repeat(201),
            ..extend("a1")
        },
        SongRequest::new(Action::Extend, "a1"),
        SongRequest {
            model: Some("FUZZ-9".into()),
            ..extend("a1")
        },
    ] {
        let report = engine.generate(request).await.unwrap_err();
        assert_eq!(report.code, ErrorCode::InvalidSetting);
    }
    assert!(sim.song_requests().is_empty());
    assert!(engine.list(None).unwrap().is_empty());
}

#[tokio::test]
async fn a_restart_polls_running_tasks_again() {
    let sim = sim(Duration::from_secs(3)).await;
    let dir = tempfile::tempdir().unwrap();
    let audio_id = uploaded_id(&sim).await;
    let id = {
        let (engine, history) = engine_in(&sim, dir.path(), Duration::from_secs(10));
        let generation = engine.generate(extend(&audio_id)).await.unwrap();
        assert_eq!(generation.state.label(), "pending");
        drop(engine);
        drop(history);
        generation.id
    };
    let polls_before = sim
        .song_requests()
        .iter()
        .filter(|r| r.path == "/producer/tasks")
        .count();
    assert_eq!(polls_before, 0);
    let (engine, _history) = engine_in(&sim, dir.path(), Duration::from_secs(10));
    let done = engine.wait(&[id], |_| {}).await.unwrap();
    assert_eq!(songs_of(&done[0]).len(), 2);
    assert_eq!(engine.list(None).unwrap().len(), 1);
}

/// The app shows songs being made in its tray and waits for them before quitting on its own:
/// the engine counts each generation once, from its request to its end, and no longer when it
/// says it ended; one whose outcome is unknown is not waited for (it is never sent again by
/// itself); running ones from an earlier run count as soon as the engine starts.
#[tokio::test]
async fn songs_being_made_are_counted_from_their_request_to_their_end() {
    let sim = sim(Duration::from_secs(3)).await;
    let dir = tempfile::tempdir().unwrap();
    let audio_id = uploaded_id(&sim).await;
    let (engine, _history) = engine_in(&sim, dir.path(), Duration::from_secs(1));
    assert_eq!(engine.making(), 0);
    let ended = |label: &str| ["succeeded", "failed", "unknown"].contains(&label);
    let mut updates = engine.subscribe();
    let watcher = engine.clone();
    // What the engine says of each generation as it changes, with its count at that moment.
    let seen = tokio::spawn(async move {
        let mut seen = Vec::new();
        while let Ok(update) = updates.recv().await {
            if let Change::Generation { generation } = update.change {
                let label = generation.state.label();
                seen.push((generation.id, label, watcher.making()));
                if seen.iter().filter(|(_, label, _)| ended(label)).count() >= 3 {
                    return seen;
                }
            }
        }
        seen
    });
    let ready = engine.generate(extend(&audio_id)).await.unwrap();
    assert_eq!(ready.state.label(), "pending");
    assert_eq!(engine.making(), 1, "followed once, not twice");
    let failing = engine
        .generate(SongRequest {
            title: "Chorus sim_fault=fail".into(),
            ..extend(&audio_id)
        })
        .await
        .unwrap();
    assert_eq!(engine.making(), 2);
    let lost = engine
        .generate(SongRequest {
            title: "Bridge sim_fault=hang&sim_times=1".into(),
            ..extend(&audio_id)
        })
        .await
        .unwrap();
    assert_eq!(lost.state.label(), "unknown");
    assert_eq!(engine.making(), 2, "an unknown outcome is not waited for");
    engine.wait(&[ready.id, failing.id], |_| {}).await.unwrap();
    assert_eq!(engine.making(), 0);
    let seen = tokio::time::timeout(Duration::from_secs(10), seen)
        .await
        .unwrap()
        .unwrap();
    let at_end: Vec<(&str, usize)> = seen
        .iter()
        .filter(|(_, label, _)| ended(label))
        .map(|(_, label, making)| (*label, *making))
        .collect();
    // Each end is told with the count already without it: the last leaves none.
    assert!(at_end.contains(&("unknown", 2)), "{seen:?}");
    assert!(
        at_end.last().is_some_and(|(_, making)| *making == 0),
        "{seen:?}"
    );
    assert_eq!(sent_actions(&sim).len(), 3, "each sent once");

    // A running song from an earlier run counts as soon as the engine starts again.
    let running = engine.generate(extend(&audio_id)).await.unwrap();
    drop(engine);
    let (engine, _history) = engine_in(&sim, dir.path(), Duration::from_secs(1));
    assert_eq!(engine.making(), 1);
    engine.wait(&[running.id], |_| {}).await.unwrap();
    assert_eq!(engine.making(), 0);
    assert_eq!(sent_actions(&sim).len(), 4, "polled, never sent again");
}

// The `producer-upload` song commands.

const CLI: &str = env!("CARGO_BIN_EXE_producer-upload");

/// A `producer-upload` with the history in `data`, the simulator's address and `token`.
fn cli(
    sim: &Simulator,
    data: &Path,
    token: Option<&str>,
    args: &[&str],
) -> tokio::process::Command {
    let mut command = tokio::process::Command::new(CLI);
    command
        .args(args)
        // In English whatever this computer's locale: the tests read its words.
        .env("LANG", "C.UTF-8")
        .env_remove("LANGUAGE")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env_remove("PRODUCER_UPLOAD_LANGUAGE")
        .env("ACEDATACLOUD_API_BASE_URL", sim.base_url())
        .env("PRODUCER_UPLOAD_DATA_DIR", data)
        .env(
            "PRODUCER_UPLOAD_KEYCHAIN_SERVICE",
            format!("producer-upload-test-songs-empty-{}", std::process::id()),
        )
        .env_remove("ACEDATACLOUD_API_TOKEN")
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .kill_on_drop(true);
    if let Some(token) = token {
        command.env("ACEDATACLOUD_API_TOKEN", token);
    }
    command
}

struct Ran {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

async fn run(sim: &Simulator, data: &Path, token: Option<&str>, args: &[&str]) -> Ran {
    let output = tokio::time::timeout(
        Duration::from_secs(90),
        cli(sim, data, token, args).output(),
    )
    .await
    .expect("the command finished in time")
    .unwrap();
    Ran {
        code: output.status.code(),
        stdout: String::from_utf8(output.stdout).unwrap(),
        stderr: String::from_utf8(output.stderr).unwrap(),
    }
}

fn json_lines(ran: &Ran) -> Vec<Value> {
    ran.stdout
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|_| panic!("not JSON: {line}")))
        .collect()
}

fn files_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    names
}

#[tokio::test]
async fn extend_waits_prints_json_and_downloads_without_overwriting() {
    let sim = sim(Duration::from_secs(2)).await;
    let data = tempfile::tempdir().unwrap();
    let songs_dir = tempfile::tempdir().unwrap();
    let audio_id = uploaded_id(&sim).await;
    let dir = songs_dir.path().to_str().unwrap();
    let ran = run(
        &sim,
        data.path(),
        Some("sim-token"),
        &[
            "extend",
            &audio_id,
            "--at",
            "12.5",
            "--title",
            "Night/drive",
            "--style",
            "synthwave",
            "--download",
            dir,
            "--json",
        ],
    )
    .await;
    assert_eq!(ran.code, Some(0), "{}", ran.stderr);
    let reports = json_lines(&ran);
    assert_eq!(reports.len(), 1);
    let report = &reports[0];
    let keys: Vec<&str> = report
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        ["action", "audio_id", "error", "songs", "state", "task_id"]
    );
    assert_eq!(report["state"], "succeeded");
    assert_eq!(report["action"], "extend");
    assert_eq!(report["audio_id"], audio_id.as_str());
    assert!(report["error"].is_null());
    let songs = report["songs"].as_array().unwrap();
    assert_eq!(songs.len(), 2);
    let song_keys: Vec<&str> = songs[0]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        song_keys,
        ["audio_url", "duration", "id", "image_url", "lyric", "title"]
    );
    assert!(songs[0]["duration"].as_f64().is_some());
    assert_eq!(
        files_in(songs_dir.path()),
        ["Night-drive (take 2).mp3", "Night-drive.mp3"]
    );
    let first = std::fs::read(songs_dir.path().join("Night-drive.mp3")).unwrap();
    assert_eq!(
        Some(first),
        sim.song_audio(songs[0]["id"].as_str().unwrap())
    );
    assert_eq!(sent_actions(&sim), ["upload_extend"]);

    // The same task again, from the history: the lines, and new files beside the old ones.
    let task_id = report["task_id"].as_str().unwrap();
    let ran = run(
        &sim,
        data.path(),
        Some("sim-token"),
        &["task", task_id, "--download", dir],
    )
    .await;
    assert_eq!(ran.code, Some(0), "{}", ran.stderr);
    let lines: Vec<Vec<&str>> = ran
        .stdout
        .lines()
        .map(|line| line.split('\t').collect())
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(
        lines[0],
        [
            songs[0]["id"].as_str().unwrap(),
            songs[0]["audio_url"].as_str().unwrap(),
            "Night/drive"
        ]
    );
    assert_eq!(
        files_in(songs_dir.path()),
        [
            "Night-drive (2).mp3",
            "Night-drive (take 2) (2).mp3",
            "Night-drive (take 2).mp3",
            "Night-drive.mp3"
        ]
    );
    assert_eq!(sent_actions(&sim).len(), 1, "nothing generated again");
}

#[tokio::test]
async fn cover_without_waiting_then_task_and_tasks() {
    let sim = sim(Duration::from_secs(2)).await;
    let data = tempfile::tempdir().unwrap();
    let audio_id = uploaded_id(&sim).await;
    let ran = run(
        &sim,
        data.path(),
        Some("sim-token"),
        &["cover", &audio_id, "--no-wait", "--style", "jazz"],
    )
    .await;
    assert_eq!(ran.code, Some(0), "{}", ran.stderr);
    let task_id = ran.stdout.trim().to_owned();
    assert!(!task_id.is_empty() && !task_id.contains('\t'), "{task_id}");
    assert_eq!(sent_actions(&sim), ["upload_cover"]);

    let ran = run(
        &sim,
        data.path(),
        Some("sim-token"),
        &["task", &task_id, "--wait", "--json"],
    )
    .await;
    assert_eq!(ran.code, Some(0), "{}", ran.stderr);
    let report = &json_lines(&ran)[0];
    assert_eq!(
        (report["task_id"].as_str(), report["state"].as_str()),
        (Some(task_id.as_str()), Some("succeeded"))
    );
    assert_eq!(report["action"], "cover");

    let ran = run(&sim, data.path(), None, &["tasks", "--json"]).await;
    assert_eq!(ran.code, Some(0), "{}", ran.stderr);
    let listed = json_lines(&ran);
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0], *report);
    let ran = run(&sim, data.path(), None, &["tasks"]).await;
    let columns: Vec<&str> = ran.stdout.trim().split('\t').collect();
    assert_eq!(
        &columns[1..5],
        ["succeeded", task_id.as_str(), "cover", audio_id.as_str()]
    );
}

#[tokio::test]
async fn usage_errors_exit_2_and_send_nothing() {
    let sim = sim(Duration::from_secs(1)).await;
    let data = tempfile::tempdir().unwrap();
    for args in [
        &["extend", "a1"][..],
        &["extend", "a1", "--at", "-3"],
        &["extend", "", "--at", "1"],
        &["cover", "a1", "--lyrics-file", "/no/such/lyrics.txt"],
        &["cover", "a1", "--prompt", &"x".repeat(201)],
        &["cover", "a1", "--model", "FUZZ-9"],
        &["task", ""],
    ] {
        let ran = run(&sim, data.path(), Some("sim-token"), args).await;
        assert_eq!(ran.code, Some(2), "{args:?}: {}", ran.stderr);
        assert!(!ran.stderr.is_empty());
    }
    assert!(sim.song_requests().is_empty());
}

#[tokio::test]
async fn an_unknown_task_id_is_explained() {
    let sim = sim(Duration::from_secs(1)).await;
    let data = tempfile::tempdir().unwrap();
    let ran = run(
        &sim,
        data.path(),
        Some("sim-token"),
        &["task", "no-such-task"],
    )
    .await;
    assert_eq!(ran.code, Some(1), "{}", ran.stderr);
    assert!(
        ran.stderr.contains("no task with the ID no-such-task"),
        "{}",
        ran.stderr
    );
}

#[tokio::test]
async fn a_missing_or_refused_token_exits_3() {
    let sim = sim(Duration::from_secs(1)).await;
    let data = tempfile::tempdir().unwrap();
    let ran = run(&sim, data.path(), None, &["cover", "a1"]).await;
    assert_eq!(ran.code, Some(3), "{}", ran.stderr);
    assert!(sim.song_requests().is_empty());
    let ran = run(
        &sim,
        data.path(),
        Some("sim-error-invalid_token"),
        &["cover", "a1"],
    )
    .await;
    assert_eq!(ran.code, Some(3), "{}", ran.stderr);
    assert!(
        !ran.stderr.contains("sim-error-invalid_token"),
        "the token is never printed"
    );
}

#[tokio::test]
async fn a_failed_task_exits_1_with_its_reason() {
    let sim = sim(Duration::from_secs(1)).await;
    let data = tempfile::tempdir().unwrap();
    let audio_id = uploaded_id(&sim).await;
    let ran = run(
        &sim,
        data.path(),
        Some("sim-token"),
        &["cover", &audio_id, "--title", "x sim_fault=fail", "--json"],
    )
    .await;
    assert_eq!(ran.code, Some(1), "{}", ran.stderr);
    let report = &json_lines(&ran)[0];
    assert_eq!(report["state"], "failed");
    assert_eq!(report["error"]["code"], "generation_failed");
    assert!(
        ran.stderr.contains("could not make a song from this audio"),
        "{}",
        ran.stderr
    );
}

#[tokio::test]
async fn an_unanswered_request_exits_1_and_is_not_sent_again() {
    let sim = sim(Duration::from_secs(1)).await;
    let data = tempfile::tempdir().unwrap();
    let audio_id = uploaded_id(&sim).await;
    let ran = run(
        &sim,
        data.path(),
        Some("sim-token"),
        &[
            "extend",
            &audio_id,
            "--at",
            "1",
            "--title",
            "x sim_fault=hang",
            "--timeout",
            "1",
            "--json",
        ],
    )
    .await;
    assert_eq!(ran.code, Some(1), "{}", ran.stderr);
    let report = &json_lines(&ran)[0];
    assert_eq!(report["state"], "unknown");
    assert_eq!(report["error"]["code"], "outcome_unknown");
    assert!(ran.stderr.contains("may have started"), "{}", ran.stderr);
    assert_eq!(sent_actions(&sim).len(), 1);
}

#[tokio::test]
async fn a_kill_before_the_task_id_arrives_leaves_may_have_started() {
    let sim = sim(Duration::from_secs(1)).await;
    let data = tempfile::tempdir().unwrap();
    let audio_id = uploaded_id(&sim).await;
    let mut child = cli(
        &sim,
        data.path(),
        Some("sim-token"),
        &[
            "extend",
            &audio_id,
            "--at",
            "3",
            "--title",
            "Outro sim_fault=hang",
        ],
    )
    .spawn()
    .unwrap();
    // The request reached the service; its answer never will.
    let sent = tokio::time::timeout(Duration::from_secs(30), async {
        while sent_actions(&sim).is_empty() {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    })
    .await;
    assert!(sent.is_ok(), "the request was sent");
    child.start_kill().unwrap(); // SIGKILL
    child.wait().await.unwrap();

    let ran = run(&sim, data.path(), None, &["tasks", "--json"]).await;
    let listed = json_lines(&ran);
    assert_eq!(listed.len(), 1, "{}", ran.stderr);
    assert_eq!(listed[0]["state"], "unknown");
    assert!(listed[0]["task_id"].is_null());
    let message = listed[0]["error"]["message"].as_str().unwrap();
    assert!(message.contains("may have started"), "{message}");
    assert_eq!(sent_actions(&sim).len(), 1, "not sent again by itself");
}
