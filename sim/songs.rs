//! Songs: `POST /producer/audios` starts an extend or cover task (`async: true` answers its
//! `task_id` at once), `POST /producer/tasks` reports on tasks (`retrieve`, `retrieve_batch`), and
//! `GET /songs/...` serves the songs' audio (MP3), their previews and cover images (PNG).
//!
//! A task is pending for the first quarter of [`SimConfig::song_time`](super::SimConfig), then
//! processing with a progress and a preview link that is not the result, then succeeded with one
//! or two songs (or failed). The action rule: `upload_extend` / `upload_cover` for an `audio_id`
//! this simulator issued by upload, `extend` / `cover` for a song it generated; the wrong form is
//! 400 `bad_request`. `/producer/tasks` allows one request a second (429 with `Retry-After` above).
//!
//! Faults, in the request's `title` or `prompt` (as the upload faults are in the link):
//! `sim_fault=fail` (the task fails), `hang` (no answer, but the task starts), `drop` (the
//! connection closes without an answer, but the task starts), `error500` (refused, no task),
//! with `sim_times=<n>` for the first n requests of that text only; `sim_songs=1` makes one song.

use super::http::{Request, Response};
use super::rate::{retry_after_secs, TokenBucket};
use super::upload::{authorize, bad_request};
use super::{error, lock, RateLimit, Reply, State};
use serde_json::{json, Map, Value};
use std::collections::HashMap;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};
use uuid::Uuid;

/// The models the service offers.
pub const MODELS: [&str; 8] = [
    "FUZZ-2.0 Pro",
    "FUZZ-2.0",
    "FUZZ-2.0 Raw",
    "FUZZ-1.1 Pro",
    "FUZZ-1.0 Pro",
    "FUZZ-1.0",
    "FUZZ-1.1",
    "FUZZ-0.8",
];
/// Frames of each song's MP3 (about 5 s).
const SONG_FRAMES: u32 = 190;
/// Frames of a preview's MP3.
const PREVIEW_FRAMES: u32 = 40;
/// The longest prompt the service takes.
const MAX_PROMPT_CHARS: usize = 200;
/// Most ids in one `retrieve_batch`.
const MAX_BATCH: usize = 100;

/// One request to `/producer/audios` or `/producer/tasks`, as the simulator saw it.
#[derive(Debug, Clone)]
pub struct SongRequestLog {
    /// `/producer/audios` or `/producer/tasks`.
    pub path: String,
    /// The JSON body (`null` when it was not JSON).
    pub body: Value,
    /// When it arrived.
    pub at: Instant,
    /// The status of its answer; `None` when none was sent (a fault).
    pub status: Option<u16>,
}

/// How an audio ID came to be, which decides the action's form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Origin {
    Uploaded,
    Generated,
}

/// One task and what it will become.
#[derive(Debug)]
struct Task {
    id: String,
    request: Value,
    started: Instant,
    started_unix: u64,
    fails: bool,
    songs: Vec<SongPlan>,
}

#[derive(Debug)]
struct SongPlan {
    id: String,
    title: String,
    lyric: String,
    style: String,
    model: String,
}

/// What the simulator keeps of songs.
#[derive(Debug)]
pub(super) struct Songs {
    tasks: HashMap<String, Task>,
    /// Every generated song's id and its title.
    generated: HashMap<String, String>,
    /// Requests seen per fault text, for `sim_times`.
    fault_counts: HashMap<String, u64>,
    bucket: TokenBucket,
    pub(super) log: Vec<SongRequestLog>,
}

impl Songs {
    pub(super) fn new(tasks_per_second: f64) -> Self {
        let limit = RateLimit {
            per_second: tasks_per_second,
            burst: 1,
        };
        Self {
            tasks: HashMap::new(),
            generated: HashMap::new(),
            fault_counts: HashMap::new(),
            bucket: TokenBucket::new(limit, Instant::now()),
            log: Vec::new(),
        }
    }

    /// Makes known the songs of every task that succeeded by `now`.
    fn settle(&mut self, now: Instant, song_time: Duration) {
        let made: Vec<(String, String)> = self
            .tasks
            .values()
            .filter(|task| !task.fails && now.saturating_duration_since(task.started) >= song_time)
            .flat_map(|task| {
                task.songs
                    .iter()
                    .map(|song| (song.id.clone(), song.title.clone()))
            })
            .collect();
        self.generated.extend(made);
    }

    /// A generated song's MP3, tagged with its title.
    pub(super) fn audio(&self, song_id: &str) -> Option<Vec<u8>> {
        let title = self.generated.get(song_id)?;
        Some(super::samples::titled_mp3(title, SONG_FRAMES))
    }
}

/// Answers `/producer/audios` and `/producer/tasks`, and logs the request with its status.
pub(super) async fn answer(state: &State, request: &Request) -> Reply {
    let body = serde_json::from_slice(&request.body).unwrap_or(Value::Null);
    let index = {
        let mut songs = lock(&state.songs);
        songs.log.push(SongRequestLog {
            path: request.path().to_owned(),
            body: body.clone(),
            at: Instant::now(),
            status: None,
        });
        songs.log.len() - 1
    };
    let reply = if request.path() == super::AUDIOS_PATH {
        audios(state, request, &body).await
    } else {
        tasks(state, request, &body)
    };
    if let Reply::Send(response) | Reply::Cut(response) = &reply {
        lock(&state.songs).log[index].status = Some(response.status);
    }
    reply
}

/// `POST /producer/audios`: checks, the action rule, faults, then a new task.
async fn audios(state: &State, request: &Request, body: &Value) -> Reply {
    if !state.config.latency.is_zero() {
        tokio::time::sleep(state.config.latency).await;
    }
    if let Err(refusal) = authorize(state, request) {
        return refusal;
    }
    let plan = match check(state, body) {
        Ok(plan) => plan,
        Err(response) => return Reply::Send(response),
    };
    let fault = {
        let mut songs = lock(&state.songs);
        fault_of(&mut songs.fault_counts, body)
    };
    if fault == Some(Fault::Error500) {
        return Reply::Send(error("api_error"));
    }
    let task_id = start_task(state, body, &plan, fault == Some(Fault::Fail));
    match fault {
        Some(Fault::Hang) => Reply::Hang,
        Some(Fault::Drop) => Reply::Drop,
        _ => Reply::Send(Response::json(200, &json!({ "task_id": task_id }))),
    }
}

/// What a valid request asks for.
struct Plan {
    songs: usize,
}

/// The body's checks and the action rule.
fn check(state: &State, body: &Value) -> Result<Plan, Response> {
    let object = body
        .as_object()
        .ok_or_else(|| bad_request("The request body must be a JSON object."))?;
    let text = |name: &str| object.get(name).and_then(Value::as_str).unwrap_or("");
    let action = text("action");
    let audio_id = text("audio_id");
    if audio_id.trim().is_empty() {
        return Err(bad_request("The audio_id field is required."));
    }
    let wanted = match action {
        "upload_extend" | "upload_cover" => Origin::Uploaded,
        "extend" | "cover" => Origin::Generated,
        _ => return Err(bad_request("The action field is not one this API offers.")),
    };
    if object.get("async") != Some(&Value::Bool(true)) {
        return Err(bad_request(
            "This simulator only answers asynchronous requests: send async: true.",
        ));
    }
    if action.ends_with("extend") {
        match object.get("continue_at").and_then(Value::as_f64) {
            Some(at) if at >= 0.0 => {}
            _ => {
                return Err(bad_request(
                    "continue_at must be a number of seconds, 0 or more, to extend.",
                ))
            }
        }
    }
    if text("prompt").chars().count() > MAX_PROMPT_CHARS {
        return Err(bad_request("The prompt must be at most 200 characters."));
    }
    if let Some(model) = object.get("model") {
        if !model.as_str().is_some_and(|model| MODELS.contains(&model)) {
            return Err(bad_request("The model is not one this API offers."));
        }
    }
    for (name, low) in [
        ("weirdness", 0.0),
        ("sound_strength", 0.2),
        ("lyrics_strength", 0.0),
    ] {
        if let Some(value) = object.get(name) {
            if !value.as_f64().is_some_and(|v| (low..=1.0).contains(&v)) {
                return Err(bad_request(&format!("{name} must be from {low} to 1.")));
            }
        }
    }
    let origin = {
        let mut songs = lock(&state.songs);
        songs.settle(Instant::now(), state.config.song_time);
        if songs.generated.contains_key(audio_id) {
            Some(Origin::Generated)
        } else {
            None
        }
    }
    .or_else(|| {
        lock(&state.issued)
            .iter()
            .any(|issued| issued.audio_id == audio_id)
            .then_some(Origin::Uploaded)
    });
    match origin {
        None => Err(bad_request("The audio_id was not found.")),
        Some(origin) if origin != wanted => Err(bad_request(match origin {
            Origin::Uploaded => {
                "This audio_id is an uploaded audio: use the action upload_extend or upload_cover."
            }
            Origin::Generated => {
                "This audio_id is a generated song: use the action extend or cover."
            }
        })),
        Some(_) => {
            let one = format!("{} {}", text("title"), text("prompt")).contains("sim_songs=1");
            Ok(Plan {
                songs: if one { 1 } else { 2 },
            })
        }
    }
}

/// A fault named in the title or prompt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fault {
    Fail,
    Hang,
    Drop,
    Error500,
}

/// The fault a request names, if it still applies (`sim_times`).
fn fault_of(counts: &mut HashMap<String, u64>, body: &Value) -> Option<Fault> {
    let text = |name: &str| body.get(name).and_then(Value::as_str).unwrap_or("");
    let words = format!("{} {}", text("title"), text("prompt"));
    let param = |name: &str| {
        words
            .split(|c: char| c.is_whitespace() || c == '&')
            .find_map(|word| word.strip_prefix(name)?.strip_prefix('='))
            .map(str::to_owned)
    };
    let fault = match param("sim_fault")?.as_str() {
        "fail" => Fault::Fail,
        "hang" => Fault::Hang,
        "drop" => Fault::Drop,
        "error500" => Fault::Error500,
        _ => return None,
    };
    let seen = counts.entry(words.clone()).or_insert(0);
    *seen += 1;
    let times = param("sim_times").and_then(|times| times.parse::<u64>().ok());
    times.is_none_or(|times| *seen <= times).then_some(fault)
}

/// Starts a task and returns its id.
fn start_task(state: &State, body: &Value, plan: &Plan, fails: bool) -> String {
    let text = |name: &str| body.get(name).and_then(Value::as_str).unwrap_or("");
    let id = Uuid::new_v4().to_string();
    let title = match text("title").trim() {
        "" => "Untitled".to_owned(),
        title => title.to_owned(),
    };
    let songs = (0..plan.songs)
        .map(|n| SongPlan {
            id: Uuid::new_v4().to_string(),
            title: if n == 0 {
                title.clone()
            } else {
                format!("{title} (take {})", n + 1)
            },
            lyric: text("lyric").to_owned(),
            style: text("style").to_owned(),
            model: match text("model") {
                "" => "FUZZ-2.0".to_owned(),
                model => model.to_owned(),
            },
        })
        .collect();
    let task = Task {
        id: id.clone(),
        request: body.clone(),
        started: Instant::now(),
        started_unix: unix_now(),
        fails,
        songs,
    };
    lock(&state.songs).tasks.insert(id.clone(), task);
    id
}

/// `POST /producer/tasks`: the rate limit, then one task or a batch.
fn tasks(state: &State, request: &Request, body: &Value) -> Reply {
    if let Err(refusal) = authorize(state, request) {
        return refusal;
    }
    let mut songs = lock(&state.songs);
    songs.settle(Instant::now(), state.config.song_time);
    if let Err(wait) = songs.bucket.try_take(Instant::now()) {
        return Reply::Send(
            error("too_many_requests")
                .with_header("retry-after", retry_after_secs(wait).to_string()),
        );
    }
    let now = Instant::now();
    let base = format!("http://{}", state.addr);
    let song_time = state.config.song_time;
    match body.get("action").and_then(Value::as_str) {
        Some("retrieve") => {
            let Some(id) = body.get("id").and_then(Value::as_str) else {
                return Reply::Send(bad_request("The id field is required."));
            };
            match view(&songs, id, now, song_time, &base) {
                Some(record) => Reply::Send(Response::json(200, &record)),
                None => Reply::Send(super::api_error(404, "not_found", "No task has this id.")),
            }
        }
        Some("retrieve_batch") => {
            let Some(ids) = body.get("ids").and_then(Value::as_array) else {
                return Reply::Send(bad_request("The ids field must be a list of task ids."));
            };
            if ids.len() > MAX_BATCH {
                return Reply::Send(bad_request("At most 100 ids at once."));
            }
            let items: Vec<Value> = ids
                .iter()
                .filter_map(Value::as_str)
                .filter_map(|id| view(&songs, id, now, song_time, &base))
                .collect();
            Reply::Send(Response::json(
                200,
                &json!({ "count": items.len(), "items": items }),
            ))
        }
        _ => Reply::Send(bad_request(
            "The action must be retrieve or retrieve_batch.",
        )),
    }
}

/// A task record as the service shows it at `now`; a finished task's songs become known IDs.
fn view(songs: &Songs, id: &str, now: Instant, song_time: Duration, base: &str) -> Option<Value> {
    let task = songs.tasks.get(id)?;
    let elapsed = now.saturating_duration_since(task.started);
    let pending = elapsed < song_time / 4;
    let finished = elapsed >= song_time;
    let progress = if finished {
        100
    } else if pending {
        0
    } else {
        (elapsed.as_secs_f64() / song_time.as_secs_f64() * 100.0).min(99.0) as u32
    };
    let state = match (pending, finished, task.fails) {
        (true, _, _) => "pending",
        (_, false, _) => "processing",
        (_, true, true) => "failed",
        (_, true, false) => "succeeded",
    };
    let duration = format!("{:.2}", f64::from(SONG_FRAMES) * 1152.0 / 44_100.0);
    let data: Vec<Value> = task
        .songs
        .iter()
        .map(|song| {
            let mut fields = Map::new();
            fields.insert("id".into(), json!(song.id));
            fields.insert("title".into(), json!(song.title));
            fields.insert("lyric".into(), json!(song.lyric));
            fields.insert("style".into(), json!(song.style));
            fields.insert("model".into(), json!(song.model));
            fields.insert("state".into(), json!(state));
            fields.insert("progress".into(), json!(format!("{progress}%")));
            match state {
                "processing" => {
                    fields.insert(
                        "audio_url".into(),
                        json!(format!("{base}/songs/{}/preview.mp3", song.id)),
                    );
                }
                "succeeded" => {
                    fields.insert(
                        "audio_url".into(),
                        json!(format!("{base}/songs/{}.mp3", song.id)),
                    );
                    fields.insert(
                        "image_url".into(),
                        json!(format!("{base}/songs/{}.png", song.id)),
                    );
                    fields.insert("duration".into(), json!(duration));
                }
                _ => {}
            }
            Value::Object(fields)
        })
        .collect();
    let mut response =
        json!({ "task_id": task.id, "success": !(finished && task.fails), "data": data });
    if finished && task.fails {
        response["error"] = json!({
            "code": "generation_failed",
            "message": "The service could not make a song from this audio.",
        });
    }
    let mut record = json!({
        "id": task.id,
        "created_at": task.started_unix,
        "request": task.request,
        "response": response,
    });
    if finished {
        record["finished_at"] = json!(task.started_unix + song_time.as_secs().max(1));
    }
    Some(record)
}

/// `GET /songs/<id>.mp3` (a finished song), `/songs/<id>/preview.mp3` (while it is made),
/// `/songs/<id>.png` (its cover).
pub(super) fn serve(state: &State, name: &str) -> Response {
    let mut songs = lock(&state.songs);
    songs.settle(Instant::now(), state.config.song_time);
    if let Some(id) = name.strip_suffix("/preview.mp3") {
        let known = songs
            .tasks
            .values()
            .any(|task| task.songs.iter().any(|song| song.id == id));
        if known {
            return Response::new(
                200,
                "audio/mpeg",
                super::samples::silent_mp3(PREVIEW_FRAMES),
            );
        }
    } else if let Some(id) = name.strip_suffix(".mp3") {
        if let Some(audio) = songs.audio(id) {
            return Response::new(200, "audio/mpeg", audio);
        }
    } else if let Some(id) = name.strip_suffix(".png") {
        if songs.generated.contains_key(id) {
            let shade = id.bytes().fold(0u8, |acc, byte| acc.wrapping_add(byte));
            return Response::new(
                200,
                "image/png",
                super::samples::cover_png(64, [shade, 80, 160]),
            );
        }
    }
    Response::text(404, "Not found.\n")
}

fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |since| since.as_secs())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn faults_are_read_from_the_title_or_prompt_and_counted() {
        let mut counts = HashMap::new();
        let body = json!({ "title": "Verse sim_fault=hang&sim_times=1" });
        assert_eq!(fault_of(&mut counts, &body), Some(Fault::Hang));
        assert_eq!(fault_of(&mut counts, &body), None);
        let body = json!({ "prompt": "calm sim_fault=fail" });
        assert_eq!(fault_of(&mut counts, &body), Some(Fault::Fail));
        assert_eq!(fault_of(&mut counts, &json!({ "title": "plain" })), None);
    }
}
