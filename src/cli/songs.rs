//! `producer-upload extend`, `cover`, `task` and `tasks`: songs made from an audio ID. Only
//! translation: the checks, the sending, the polling and the words live in the core
//! (`producer_upload::songs`).

use super::{load_token, print_line, say_error, usage_error, EXIT_FAILED, EXIT_TOKEN};
use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};
use producer_upload::client::{Client, ClientConfig, DEFAULT_BASE_URL};
use producer_upload::error::{ErrorCode, ErrorReport};
use producer_upload::history::History;
use producer_upload::songs::download::{http_client, save_song};
use producer_upload::songs::report::{progress_words, song_line, TaskReport};
use producer_upload::songs::{
    store, Action, Change, Engine, EngineConfig, Generation, SongRequest, SongsClient, TaskState,
};
use producer_upload::text::id_shaped;
use producer_upload::tr;
use std::io::{self, IsTerminal};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

/// What extend and cover share.
#[derive(Args)]
pub struct SongArgs {
    /// The audio ID to build on: an uploaded audio's, or a generated song's.
    #[arg(value_name = "AUDIO_ID")]
    audio_id: String,
    /// The lyrics to sing.
    #[arg(long, value_name = "TEXT", conflicts_with = "lyrics_file")]
    lyrics: Option<String>,
    /// Read the lyrics from this file (UTF-8 text).
    #[arg(long, value_name = "FILE")]
    lyrics_file: Option<PathBuf>,
    /// A short description of the song instead of lyrics (at most 200 characters).
    #[arg(long, value_name = "TEXT")]
    prompt: Option<String>,
    /// The style, such as "dream pop, female voice".
    #[arg(long, value_name = "TEXT")]
    style: Option<String>,
    /// The song's title (also the downloaded file's name).
    #[arg(long, value_name = "TEXT")]
    title: Option<String>,
    /// No singing.
    #[arg(long)]
    instrumental: bool,
    /// The model: FUZZ-2.0 Pro, FUZZ-2.0 (default), FUZZ-2.0 Raw, FUZZ-1.1 Pro, FUZZ-1.0 Pro,
    /// FUZZ-1.0, FUZZ-1.1 or FUZZ-0.8.
    #[arg(long, value_name = "NAME")]
    model: Option<String>,
    /// How unusual, from 0 to 1.
    #[arg(long, value_name = "0-1")]
    weirdness: Option<f64>,
    /// How much of the audio's sound to keep, from 0.2 to 1.
    #[arg(long, value_name = "0.2-1")]
    sound_strength: Option<f64>,
    /// How closely to follow the lyrics, from 0 to 1.
    #[arg(long, value_name = "0-1")]
    lyrics_strength: Option<f64>,
    /// A seed, to make a result again.
    #[arg(long, value_name = "TEXT")]
    seed: Option<String>,
    /// Seconds to wait for each answer before giving up on it.
    #[arg(long, value_name = "SECONDS", default_value_t = 60,
          value_parser = clap::value_parser!(u64).range(1..=3600))]
    timeout: u64,
    /// Print the task ID and return without waiting for the songs.
    #[arg(long, conflicts_with = "download")]
    no_wait: bool,
    /// Save each song in this folder as <title>.mp3 (never over another file).
    #[arg(long, value_name = "DIR")]
    download: Option<PathBuf>,
    /// Print one JSON object per task instead of text.
    #[arg(long)]
    json: bool,
    /// API base address.
    #[arg(long, value_name = "URL", env = "ACEDATACLOUD_API_BASE_URL", default_value = DEFAULT_BASE_URL)]
    base_url: String,
}

/// `extend`: the shared options, then its own (listed after the audio ID in `--help`).
#[derive(Args)]
pub struct ExtendArgs {
    #[command(flatten)]
    song: SongArgs,
    /// Where to continue the song from, in seconds into the audio (0 or more).
    #[arg(long, value_name = "SECONDS", allow_negative_numbers = true)]
    at: f64,
}

/// `task`: tasks by their IDs.
#[derive(Args)]
pub struct TaskArgs {
    /// Task IDs, as `extend` or `cover` printed them.
    #[arg(required = true, value_name = "TASK_ID")]
    task_ids: Vec<String>,
    /// Wait until every task has ended.
    #[arg(long)]
    wait: bool,
    /// Save each song in this folder as <title>.mp3 (never over another file).
    #[arg(long, value_name = "DIR")]
    download: Option<PathBuf>,
    /// Print one JSON object per task instead of text.
    #[arg(long)]
    json: bool,
    /// Seconds to wait for each answer before giving up on it.
    #[arg(long, value_name = "SECONDS", default_value_t = 60,
          value_parser = clap::value_parser!(u64).range(1..=3600))]
    timeout: u64,
    /// API base address.
    #[arg(long, value_name = "URL", env = "ACEDATACLOUD_API_BASE_URL", default_value = DEFAULT_BASE_URL)]
    base_url: String,
}

/// `tasks`: the generations recorded here.
#[derive(Args)]
pub struct TasksArgs {
    /// Print one JSON object per task instead of text.
    #[arg(long)]
    json: bool,
    /// Show at most N tasks; 0 shows all.
    #[arg(long, value_name = "N", default_value_t = 50)]
    limit: u32,
}

/// `producer-upload extend`.
pub async fn extend(args: ExtendArgs) -> ExitCode {
    generate(Action::Extend, Some(args.at), args.song).await
}

/// `producer-upload cover`.
pub async fn cover(args: SongArgs) -> ExitCode {
    generate(Action::Cover, None, args).await
}

/// Checks, records, sends, and (unless `--no-wait`) waits and prints.
async fn generate(action: Action, at: Option<f64>, args: SongArgs) -> ExitCode {
    let lyric = match (&args.lyrics, &args.lyrics_file) {
        (Some(text), _) => text.clone(),
        (None, Some(path)) => match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(error) => {
                return usage_error(&tr!(
                    "cli-lyrics-unreadable",
                    file = path.display().to_string(),
                    error = error.to_string()
                ))
            }
        },
        (None, None) => String::new(),
    };
    let request = SongRequest {
        continue_at: at,
        lyric,
        prompt: args.prompt.clone().unwrap_or_default(),
        style: args.style.clone().unwrap_or_default(),
        title: args.title.clone().unwrap_or_default(),
        instrumental: args.instrumental,
        model: args.model.clone(),
        weirdness: args.weirdness,
        sound_strength: args.sound_strength,
        lyrics_strength: args.lyrics_strength,
        seed: args.seed.clone(),
        ..SongRequest::new(action, args.audio_id.trim())
    };
    if let Err(report) = request.validate() {
        return usage_error(&tr!("cli-nothing-sent", message = report.message));
    }
    let engine = match start(&args.base_url, args.timeout) {
        Ok(engine) => engine,
        Err(exit) => return exit,
    };
    let spinner = spinner(args.json);
    spinner.set_message(progress_words(&TaskState::Sending));
    let generation = match engine.generate(request).await {
        Ok(generation) => generation,
        Err(report) => {
            spinner.finish_and_clear();
            say_error(&report.message);
            return exit_for(&report);
        }
    };
    if args.no_wait || !generation.state.is_running() {
        spinner.finish_and_clear();
        if args.no_wait && generation.state.is_running() && !args.json {
            print_line(generation.task_id.as_deref().unwrap_or_default());
            return ExitCode::SUCCESS;
        }
        return finish(&[generation], args.json, None, true).await;
    }
    let done = engine
        .wait(&[generation.id], |change| show(&spinner, change))
        .await;
    spinner.finish_and_clear();
    match done {
        Ok(done) => finish(&done, args.json, args.download.as_ref(), false).await,
        Err(report) => {
            say_error(&report.message);
            exit_for(&report)
        }
    }
}

/// `producer-upload task`.
pub async fn task(args: TaskArgs) -> ExitCode {
    if let Some(bad) = args.task_ids.iter().find(|id| !id_shaped(id.trim())) {
        return usage_error(&tr!("cli-not-a-task-id", text = bad.as_str()));
    }
    let engine = match start(&args.base_url, args.timeout) {
        Ok(engine) => engine,
        Err(exit) => return exit,
    };
    let mut ids = Vec::new();
    let mut failed = None;
    for task_id in &args.task_ids {
        match engine.follow(task_id.trim()).await {
            Ok(generation) => ids.push(generation.id),
            Err(report) => {
                eprintln!(
                    "{}",
                    tr!(
                        "cli-task-error",
                        task = task_id.as_str(),
                        message = report.message.as_str()
                    )
                );
                failed = Some(exit_for(&report));
            }
        }
    }
    let spinner = spinner(args.json || !args.wait);
    let generations = if args.wait {
        engine.wait(&ids, |change| show(&spinner, change)).await
    } else {
        engine.refresh(&ids).await
    };
    spinner.finish_and_clear();
    let exit = match generations {
        Ok(generations) => {
            finish(&generations, args.json, args.download.as_ref(), !args.wait).await
        }
        Err(report) => {
            say_error(&report.message);
            exit_for(&report)
        }
    };
    failed.unwrap_or(exit)
}

/// `producer-upload tasks`.
pub fn tasks(args: TasksArgs) -> ExitCode {
    let history = match History::open_default() {
        Ok(history) => history,
        Err(error) => {
            say_error(&error.report().message);
            return ExitCode::from(EXIT_FAILED);
        }
    };
    let limit = (args.limit > 0).then_some(args.limit);
    let listed = store::list(&history, limit).and_then(|list| Ok((list, store::count(&history)?)));
    let (generations, total) = match listed {
        Ok(listed) => listed,
        Err(error) => {
            say_error(&error.report().message);
            return ExitCode::from(EXIT_FAILED);
        }
    };
    for generation in &generations {
        if args.json {
            print_line(&json_line(generation));
        } else {
            print_line(&task_line(generation));
        }
    }
    if generations.is_empty() && !args.json {
        eprintln!("{}", tr!("cli-tasks-empty"));
    } else if (generations.len() as u64) < total {
        eprintln!(
            "{}",
            tr!(
                "cli-tasks-showing",
                shown = generations.len(),
                total = total
            )
        );
    }
    ExitCode::SUCCESS
}

/// The history, the client and the engine; the token first, so nothing is recorded without one.
fn start(base_url: &str, timeout: u64) -> Result<Engine, ExitCode> {
    let mut config = ClientConfig::new(base_url).map_err(|report| usage_error(&report.message))?;
    config.timeout = Duration::from_secs(timeout);
    let token = load_token().map_err(|report| {
        say_error(&report.message);
        ExitCode::from(EXIT_TOKEN)
    })?;
    let history = History::open_default().map_err(|error| {
        say_error(&tr!(
            "cli-song-not-recorded",
            message = error.report().message
        ));
        ExitCode::from(EXIT_FAILED)
    })?;
    let client = SongsClient::new(Client::new(config));
    Engine::start(Arc::new(history), client, token, EngineConfig::default()).map_err(|report| {
        say_error(&report.message);
        ExitCode::from(EXIT_FAILED)
    })
}

/// Prints each generation (and saves its songs with `download`); the exit code: 0 when every
/// one succeeded (or, when `running_is_fine`, is still on its way), 1 otherwise, 3 for a token
/// the service refused.
async fn finish(
    generations: &[Generation],
    json: bool,
    download: Option<&PathBuf>,
    running_is_fine: bool,
) -> ExitCode {
    let mut exit = ExitCode::SUCCESS;
    let http = http_client(Duration::from_secs(300));
    for generation in generations {
        if json {
            print_line(&json_line(generation));
        }
        match &generation.state {
            TaskState::Succeeded { songs } => {
                for song in songs {
                    if !json {
                        print_line(&song_line(song));
                    }
                    if let Some(dir) = download {
                        match save_song(&http, song, dir).await {
                            Ok(path) => eprintln!(
                                "{}",
                                tr!("cli-song-saved", file = path.display().to_string())
                            ),
                            Err(report) => {
                                say_error(&report.message);
                                exit = ExitCode::from(EXIT_FAILED);
                            }
                        }
                    }
                }
            }
            TaskState::Failed { error } | TaskState::Unknown { error } => {
                let task = generation
                    .task_id
                    .clone()
                    .unwrap_or_else(|| tr!("cli-no-task-id"));
                let trace = error
                    .trace_id
                    .as_deref()
                    .map(|trace| tr!("cli-task-trace-id", trace_id = trace))
                    .unwrap_or_default();
                let said = tr!(
                    "cli-task-failed",
                    task = task,
                    state = state_words(&generation.state),
                    message = error.message.as_str(),
                    code = error.code.as_str()
                );
                eprintln!("{said}{trace}");
                if matches!(generation.state, TaskState::Unknown { .. }) {
                    eprintln!("{}", tr!("cli-task-unknown"));
                }
                exit = exit_for(error);
            }
            state => {
                if !json {
                    eprintln!(
                        "{}",
                        tr!(
                            "cli-task-progress",
                            task = generation.task_id.as_deref().unwrap_or("-"),
                            state = state_words(state),
                            progress = progress_words(state)
                        )
                    );
                }
                if !running_is_fine {
                    exit = ExitCode::from(EXIT_FAILED);
                }
            }
        }
    }
    exit
}

fn json_line(generation: &Generation) -> String {
    // Plain data always serialises.
    serde_json::to_string(&TaskReport::of(generation)).unwrap_or_default()
}

/// A generation as a line: time, state, task ID, action, audio ID, progress or songs.
fn task_line(generation: &Generation) -> String {
    let format =
        time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z");
    let time = generation.created_at.format(&format).unwrap_or_default();
    let detail = match &generation.state {
        TaskState::Succeeded { songs } => songs
            .iter()
            .map(|song| song.id.as_str())
            .collect::<Vec<_>>()
            .join(","),
        TaskState::Running {
            progress: Some(percent),
        } => format!("{percent}%"),
        TaskState::Failed { error } | TaskState::Unknown { error } => error.code.to_string(),
        _ => "-".to_owned(),
    };
    format!(
        "{time}\t{}\t{}\t{}\t{}\t{detail}",
        state_words(&generation.state),
        generation.task_id.as_deref().unwrap_or("-"),
        generation.request.action.as_str(),
        generation.request.audio_id
    )
}

/// A task's state in words (its [`TaskState::label`] stays the code JSON gives).
fn state_words(state: &TaskState) -> String {
    match state {
        TaskState::Sending | TaskState::Pending => tr!("cli-task-state-pending"),
        TaskState::Unknown { .. } => tr!("cli-task-state-unknown"),
        TaskState::Running { .. } => tr!("cli-task-state-running"),
        TaskState::Succeeded { .. } => tr!("cli-task-state-succeeded"),
        TaskState::Failed { .. } => tr!("cli-task-state-failed"),
    }
}

/// 3 for a token problem, 2 for a value out of range, else 1.
fn exit_for(report: &ErrorReport) -> ExitCode {
    if report.code.is_token_problem() || report.code == ErrorCode::TokenMissing {
        ExitCode::from(EXIT_TOKEN)
    } else if report.code == ErrorCode::InvalidSetting {
        ExitCode::from(super::EXIT_USAGE)
    } else {
        ExitCode::from(EXIT_FAILED)
    }
}

/// A change while waiting: the progress beside the spinner; a failed poll said on standard
/// error (polling goes on).
fn show(spinner: &ProgressBar, change: &Change) {
    match change {
        Change::Generation { generation } => spinner.set_message(progress_words(&generation.state)),
        Change::PollFailed { error } => spinner.suspend(|| {
            eprintln!(
                "{}",
                tr!("cli-song-poll-failed", message = error.message.as_str())
            )
        }),
    }
}

/// A spinner on standard error when it is a terminal (and the output is not JSON); hidden
/// otherwise.
fn spinner(quiet: bool) -> ProgressBar {
    if quiet || !io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let spinner = ProgressBar::new_spinner();
    spinner.set_style(
        ProgressStyle::with_template("{spinner} {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_spinner()),
    );
    spinner.enable_steady_tick(Duration::from_millis(120));
    spinner
}
