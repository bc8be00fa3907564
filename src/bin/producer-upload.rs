//! `producer-upload`: upload links to audio files to Ace Data Cloud and print their `audio_id`s.

use clap::{Args, CommandFactory, FromArgMatches, Parser, Subcommand};
use futures::StreamExt;
use indicatif::{ProgressBar, ProgressState, ProgressStyle};
use producer_upload::batch::{UploadJob, Uploader, MAX_CONCURRENCY};
use producer_upload::client::{is_loopback, Client, ClientConfig, UploadOutcome, DEFAULT_BASE_URL};
use producer_upload::error::{ErrorCode, ErrorReport};
use producer_upload::filehost::{
    prepare_and_host, FileHost, FileHostConfig, DEFAULT_PLATFORM_BASE_URL, PLATFORM_TOKENS_PAGE,
};
use producer_upload::history::{Format, History, HistoryError, Query, Record, Source, State};
use producer_upload::keychain::TokenStore;
use producer_upload::links::{hold_reason, parse_links, prepare_link, Intake, PreparedLink};
use producer_upload::preflight::{http_client, local_link_report, preflight, CHECKS_AT_ONCE};
use producer_upload::summary::Summary;
use producer_upload::token::{ApiToken, PlatformToken};
use producer_upload::{tr, words};
use serde_json::json;
use std::collections::{HashMap, HashSet};
use std::fmt;
use std::io::{self, BufWriter, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;
use url::Url;

/// The songs commands (extend, cover, task, tasks), kept beside the core: only this file may
/// be in `src/bin/` (see tests/packaging.rs).
#[path = "../cli/songs.rs"]
mod songs;

/// `--help` from the catalogue.
#[path = "../cli/help.rs"]
mod help;

/// Environment variable holding the API token; it takes precedence over the keychain.
const TOKEN_ENV: &str = "ACEDATACLOUD_API_TOKEN";
/// Environment variable that holds the platform token, for files from this computer.
const PLATFORM_TOKEN_ENV: &str = "ACEDATACLOUD_PLATFORM_TOKEN";
/// Exit code when at least one link failed.
const EXIT_FAILED: u8 = 1;
/// Exit code for a usage error.
const EXIT_USAGE: u8 = 2;
/// Exit code when no token is available or the service refused it.
const EXIT_TOKEN: u8 = 3;
/// Above this many links, a progress bar is shown on a terminal.
const PROGRESS_BAR_FROM: usize = 4;
/// Standard input is read up to this many bytes (some 100,000 links).
const MAX_STDIN_BYTES: u64 = 16 * 1024 * 1024;

/// The command line. What `--help` shows comes from the catalogue (see `help.rs`): an
/// `after_help` here names the message of the text after a command's options.
#[derive(Parser)]
#[command(name = "producer-upload", version, after_help = "cli-help-main.after")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Upload links and print each one's audio ID.
    Upload(UploadArgs),
    /// List past uploads, newest first, or export them (`history export`).
    History(HistoryArgs),
    /// Save, check or remove the API token in the system keychain.
    #[command(subcommand)]
    Token(TokenCommand),
    /// Make songs that continue an audio ID's song from a moment (uses credits).
    Extend(songs::ExtendArgs),
    /// Make songs of an audio ID's song in another style (uses credits).
    Cover(songs::SongArgs),
    /// Show song tasks by their task IDs, or wait for them (--wait).
    Task(songs::TaskArgs),
    /// List the song tasks made on this computer, newest first.
    Tasks(songs::TasksArgs),
}

#[derive(Args)]
struct UploadArgs {
    /// Links to audio files, or paths of audio files on this computer (hosted on Ace Data
    /// Cloud's file host first, with the platform token); a single `-` reads links from standard
    /// input (every link on every line, up to 16 MB). A file is taken as a file only when it is
    /// written as a path: with a `/` or `\`, or starting with `~` or a drive letter (`./take.wav`,
    /// not `take.wav`); or give it with --file.
    #[arg(required_unless_present = "files", value_name = "URL_OR_FILE")]
    urls: Vec<String>,
    /// An audio file on this computer to host and upload, however its path is written
    /// (repeatable).
    #[arg(long = "file", value_name = "PATH")]
    files: Vec<PathBuf>,
    /// Print one JSON object per link instead of text.
    #[arg(long)]
    json: bool,
    /// API base address.
    #[arg(long, value_name = "URL", env = "ACEDATACLOUD_API_BASE_URL", default_value = DEFAULT_BASE_URL)]
    base_url: String,
    /// Address of Ace Data Cloud's platform, whose file host takes files from this computer.
    #[arg(long, value_name = "URL", env = "ACEDATACLOUD_PLATFORM_BASE_URL", default_value = DEFAULT_PLATFORM_BASE_URL)]
    platform_base_url: String,
    /// How many uploads run at once.
    #[arg(long, value_name = "N", default_value_t = 4,
          value_parser = clap::value_parser!(u16).range(1..=MAX_CONCURRENCY as i64))]
    concurrency: u16,
    /// Seconds to wait for each answer before giving up on that attempt.
    #[arg(long, value_name = "SECONDS", default_value_t = 60,
          value_parser = clap::value_parser!(u64).range(1..=3600))]
    timeout: u64,
    /// Check first that each link is reachable and looks like audio (warnings only).
    #[arg(long)]
    check: bool,
    /// Send links that are held otherwise: a web page rather than a file (YouTube, Spotify, a
    /// shared folder...) and a link to this computer or the local network, which Ace Data Cloud
    /// cannot reach.
    #[arg(long)]
    send_anyway: bool,
    /// Do not record these uploads in the upload history.
    #[arg(long)]
    no_history: bool,
    /// Host every file again, even one whose link the history holds (by default the same file,
    /// under the same name and through the same host address, reuses its link while the link
    /// still answers with the file's size).
    #[arg(long)]
    no_reuse: bool,
}

#[derive(Args)]
#[command(
    args_conflicts_with_subcommands = true,
    after_help = "cli-help-history.after"
)]
struct HistoryArgs {
    #[command(subcommand)]
    command: Option<HistoryCommand>,
    /// Print one JSON object per upload instead of text.
    #[arg(long)]
    json: bool,
    /// Only uploads whose link, file name or ID contains every word of TEXT (any case); a word
    /// such as 2026-11-24 also matches the uploads of that day (UTC).
    #[arg(long, value_name = "TEXT")]
    search: Option<String>,
    /// Show at most N uploads; 0 shows all.
    #[arg(long, value_name = "N", default_value_t = 50)]
    limit: u32,
}

#[derive(Subcommand)]
enum HistoryCommand {
    /// Write the whole history, or the uploads matching --search, as CSV or JSON.
    Export(ExportArgs),
}

#[derive(Args)]
#[command(after_help = "cli-help-history-export.after")]
struct ExportArgs {
    /// File format.
    #[arg(long, value_enum)]
    format: ExportFormat,
    /// Write to this file instead of standard output.
    #[arg(long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Only uploads whose link, file name or ID contains every word of TEXT, or of a day such as
    /// 2026-11-24 (UTC).
    #[arg(long, value_name = "TEXT")]
    search: Option<String>,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum ExportFormat {
    Csv,
    Json,
}

#[derive(Subcommand)]
enum TokenCommand {
    /// Save the token: read from standard input, or asked for without echo on a terminal.
    Set {
        /// Save the platform token (for files from this computer) instead of the API token.
        #[arg(long)]
        platform: bool,
    },
    /// Tell whether each token is saved (only its last four characters are shown).
    Status,
    /// Remove the saved token.
    Delete {
        /// Remove the platform token instead of the API token.
        #[arg(long)]
        platform: bool,
    },
}

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_writer(io::stderr)
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "warn".into()),
        )
        .init();
    // In the system's language (see `words::system_language`), `--help` included.
    let cli = help::localized(Cli::command(), &words::current())
        .try_get_matches()
        .and_then(|matches| Cli::from_arg_matches(&matches))
        .unwrap_or_else(|error| error.apply::<help::UsageErrors>().exit());
    match cli.command {
        Command::Upload(args) => {
            let runtime = tokio::runtime::Runtime::new().expect("the async runtime starts");
            runtime.block_on(upload(args))
        }
        Command::History(args) => history(args),
        Command::Token(command) => token(command),
        Command::Extend(args) => runtime().block_on(songs::extend(args)),
        Command::Cover(args) => runtime().block_on(songs::cover(args)),
        Command::Task(args) => runtime().block_on(songs::task(args)),
        Command::Tasks(args) => songs::tasks(args),
    }
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Runtime::new().expect("the async runtime starts")
}

/// True when `piece` is written as a path (a `/` or `\` in it, or a start of `~` or a drive
/// letter such as `C:`) and something is there. A web link is never a path.
fn names_a_file(piece: &str) -> bool {
    let bytes = piece.as_bytes();
    let drive = bytes.len() >= 2 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':';
    let written_as_path = piece.contains(['/', '\\']) || piece.starts_with('~') || drive;
    written_as_path && !piece.contains("://") && Path::new(piece).exists()
}

/// One input link and what became of it before sending.
struct Input {
    given: String,
    intake: Intake,
}

/// The arguments, or standard input for a single `-`, as pieces of text that may each hold
/// several links.
fn read_inputs(urls: Vec<String>) -> Result<Vec<String>, String> {
    if !(urls.len() == 1 && urls[0] == "-") {
        return Ok(urls);
    }
    let mut bytes = Vec::new();
    io::stdin()
        .lock()
        .take(MAX_STDIN_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|error| tr!("cli-stdin-unreadable", error = error.to_string()))?;
    if bytes.len() as u64 > MAX_STDIN_BYTES {
        return Err(tr!(
            "cli-stdin-too-big",
            megabytes = MAX_STDIN_BYTES / (1024 * 1024)
        ));
    }
    let text = String::from_utf8(bytes).map_err(|_| tr!("cli-stdin-not-text"))?;
    Ok(text.lines().map(str::to_owned).collect())
}

/// Every link in every piece of input, each under its own text, in order: the same intake for
/// arguments and for lines of standard input.
fn take_links(pieces: Vec<String>) -> Vec<Input> {
    let mut inputs = Vec::with_capacity(pieces.len());
    for piece in pieces {
        if piece.trim().is_empty() {
            continue;
        }
        let found = parse_links(&piece);
        let found = if found.is_empty() {
            vec![prepare_link(&piece)]
        } else {
            found
        };
        inputs.extend(found.into_iter().map(|intake| Input {
            given: match &intake {
                Intake::Ready(link) => link.given.clone(),
                Intake::Rejected(rejected) => rejected.given.clone(),
            },
            intake,
        }));
    }
    inputs
}

/// Says `message` as an error on standard error.
fn say_error(message: &str) {
    eprintln!("{}", tr!("cli-error", message = message));
}

fn usage_error(message: &str) -> ExitCode {
    say_error(message);
    ExitCode::from(EXIT_USAGE)
}

async fn upload(args: UploadArgs) -> ExitCode {
    let (mut files, inputs) = match read_inputs(args.urls) {
        Ok(pieces) => {
            // A piece written as a path to something on this computer is a file (or a folder,
            // refused); a bare name such as `demo.wav` is not, even when a file has that name.
            let (files, links): (Vec<String>, Vec<String>) = pieces
                .into_iter()
                .partition(|piece| names_a_file(piece.trim()));
            (files, take_links(links))
        }
        Err(message) => return usage_error(&message),
    };
    files.extend(args.files.iter().map(|path| path.display().to_string()));
    if inputs.is_empty() && files.is_empty() {
        return usage_error(&tr!("cli-no-links"));
    }
    let mut config = match ClientConfig::new(&args.base_url) {
        Ok(config) => config,
        Err(report) => return usage_error(&report.for_command().message),
    };
    config.timeout = Duration::from_secs(args.timeout);

    // The window's rule: a page or a place the service cannot reach is held, not sent. Names
    // such as printer.lan are resolved (each once) to tell.
    let api_is_local = is_loopback(&config.base_url);
    let local_hosts = if args.send_anyway {
        HashSet::new()
    } else {
        let ready = inputs.iter().filter_map(|input| match &input.intake {
            Intake::Ready(link) => Some(&link.audio_url),
            _ => None,
        });
        http_client().local_hosts(ready, api_is_local).await
    };
    let held_why = |link: &PreparedLink| {
        hold_reason(&link.given, &link.audio_url, api_is_local, &local_hosts)
            .filter(|_| !args.send_anyway)
    };
    // Each link once, however often it was given; the inputs that lead to it, by link.
    let mut jobs: Vec<UploadJob> = Vec::new();
    let mut inputs_of: HashMap<Url, Vec<String>> = HashMap::new();
    for input in &inputs {
        if let Intake::Ready(link) = &input.intake {
            if held_why(link).is_some() {
                continue;
            }
            let of_link = inputs_of.entry(link.audio_url.clone()).or_default();
            if of_link.is_empty() {
                jobs.push(UploadJob::new(
                    &input.given,
                    link.audio_url.clone(),
                    Source::Cli,
                ));
            }
            of_link.push(input.given.clone());
        }
    }
    let mut output = Output::new(args.json);
    for input in &inputs {
        match &input.intake {
            Intake::Rejected(rejected) => {
                output.refused += 1;
                output.failed(&input.given, None, &rejected.report());
            }
            Intake::Ready(link) => match held_why(link) {
                Some(code) => output.held(link, code),
                None => output.notes(link),
            },
        }
    }
    if jobs.is_empty() && files.is_empty() {
        return ExitCode::from(EXIT_FAILED);
    }

    let token = match load_token() {
        Ok(token) => token,
        Err(report) => {
            say_error(&report.for_command().message);
            return ExitCode::from(EXIT_TOKEN);
        }
    };
    let client = Client::new(config);
    if args.check {
        check_links(&client, &jobs).await;
    }
    let history = if args.no_history {
        None
    } else {
        open_history_for_upload().map(Arc::new)
    };
    if !files.is_empty() {
        let mut host_config = match FileHostConfig::new(&args.platform_base_url) {
            Ok(config) => config,
            Err(report) => return usage_error(&report.for_command().message),
        };
        host_config.timeout = Duration::from_secs(args.timeout);
        let host = FileHost::new(host_config);
        for given in &files {
            let reuse_from = history.as_deref().filter(|_| !args.no_reuse);
            match host_file(&host, reuse_from, given.trim()).await {
                Ok(job) => {
                    output.files.insert(job.audio_url.clone());
                    let of_file = inputs_of.entry(job.audio_url.clone()).or_default();
                    if of_file.is_empty() {
                        jobs.push(job);
                    }
                    of_file.push(given.clone());
                }
                Err(report) => {
                    output.platform_token_missing |= report.code == ErrorCode::PlatformTokenMissing;
                    output.failed(given, None, &report);
                }
            }
        }
    }
    if jobs.is_empty() {
        return output.exit_code_when_nothing_sent();
    }

    let mut uploader = Uploader::new(client, usize::from(args.concurrency));
    if let Some(history) = history {
        uploader = uploader.with_history(history);
    }
    let progress = progress_bar(jobs.len());
    let mut tally = Summary {
        total: output.refused + output.held + jobs.len(),
        refused: output.refused,
        held: output.held,
        waiting: jobs.len(),
        ..Summary::default()
    };
    let concurrency = usize::from(args.concurrency);
    let mut results = uploader.upload_all(&token, &jobs);
    while let Some((index, settled)) = results.next().await {
        // The same words as the window's bar and title (src/summary.rs).
        let left = tally.waiting + tally.uploading - 1;
        tally.uploading = left.min(concurrency);
        tally.waiting = left - tally.uploading;
        match &settled.outcome.result {
            Ok(_) => tally.done += 1,
            Err(_) => tally.failed += 1,
        }
        progress.set_message(tally.words().counts);
        progress.inc(1);
        let job = &jobs[index];
        // The uploader has recorded it before it is printed: every ID shown is in the history.
        if let Some(error) = &settled.not_recorded {
            progress.suspend(|| not_recorded(&job.given, error));
        }
        progress.suspend(|| {
            for given in &inputs_of[&job.audio_url] {
                output.result(given, &job.audio_url, &settled.outcome);
            }
        });
    }
    progress.finish_and_clear();
    output.exit_code()
}

/// The history for an upload run; when it cannot be opened, says so and uploads go on.
fn open_history_for_upload() -> Option<History> {
    History::open_default()
        .map_err(|error| {
            eprintln!(
                "{}",
                tr!("cli-history-unavailable", message = error.report().message)
            );
        })
        .ok()
}

fn not_recorded(given: &str, error: &HistoryError) {
    eprintln!(
        "{}",
        tr!(
            "cli-not-recorded",
            link = given,
            message = error.report().message
        )
    );
}

/// `producer-upload history`: lists or exports the upload history.
fn history(args: HistoryArgs) -> ExitCode {
    let history = match History::open_default() {
        Ok(history) => history,
        Err(error) => return history_error(&error),
    };
    let result = match args.command {
        Some(HistoryCommand::Export(export)) => export_history(&history, export),
        None => list_history(&history, &args),
    };
    result.unwrap_or_else(|error| history_error(&error))
}

fn history_error(error: &HistoryError) -> ExitCode {
    // Output cut short by a closed pipe (e.g. `| head`) is not an error.
    if matches!(error, HistoryError::Export(io) if io.kind() == io::ErrorKind::BrokenPipe) {
        return ExitCode::SUCCESS;
    }
    say_error(&error.report().message);
    ExitCode::from(EXIT_FAILED)
}

fn list_history(history: &History, args: &HistoryArgs) -> Result<ExitCode, HistoryError> {
    let query = Query {
        text: args.search.clone().unwrap_or_default(),
        limit: (args.limit > 0).then_some(args.limit),
        ..Query::default()
    };
    let records = history.search(&query)?;
    for record in &records {
        let line = if args.json {
            serde_json::to_string(record).map_err(|error| HistoryError::Export(error.into()))?
        } else {
            history_line(record)
        };
        print_line(&line);
    }
    let total = history.count(&query)?;
    if records.is_empty() && !args.json {
        if query.text.is_empty() {
            let folder = history.dir().display().to_string();
            eprintln!("{}", tr!("cli-history-empty", folder = folder));
        } else {
            eprintln!(
                "{}",
                tr!("cli-history-no-match", text = query.text.as_str())
            );
        }
    } else if (records.len() as u64) < total {
        eprintln!(
            "{}",
            tr!("cli-history-showing", shown = records.len(), total = total)
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// One upload as a line of text: time, state, audio ID or error code, link.
fn history_line(record: &Record) -> String {
    let format =
        time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z");
    let time = record
        .created_at
        .format(&format)
        .unwrap_or_else(|_| record.created_at.to_string());
    let result = match (&record.audio_id, &record.error) {
        (Some(audio_id), _) => audio_id.as_str(),
        (None, Some(error)) => error.code.as_str(),
        (None, None) => "-",
    };
    let state = match record.state {
        State::Queued => tr!("cli-state-queued"),
        State::Pending => tr!("cli-state-pending"),
        State::Done => tr!("cli-state-done"),
        State::Failed => tr!("cli-state-failed"),
        State::Interrupted => tr!("cli-state-interrupted"),
    };
    format!("{time}\t{state}\t{result}\t{}", record.given_url)
}

fn export_history(history: &History, args: ExportArgs) -> Result<ExitCode, HistoryError> {
    let query = Query {
        text: args.search.unwrap_or_default(),
        ..Query::default()
    };
    let format = match args.format {
        ExportFormat::Csv => Format::Csv,
        ExportFormat::Json => Format::Json,
    };
    match args.output {
        Some(path) => {
            let written = history.export_to_file(&query, format, &path)?;
            let file = path.display().to_string();
            eprintln!(
                "{}",
                tr!("cli-history-exported", count = written, file = file)
            );
        }
        None => {
            history.export(&query, format, BufWriter::new(io::stdout().lock()))?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The token from the environment, else from the keychain; never sent anywhere if neither.
fn load_token() -> Result<ApiToken, ErrorReport> {
    if let Ok(value) = std::env::var(TOKEN_ENV) {
        return ApiToken::parse(&value).map_err(|error| {
            ErrorReport::from_code(ErrorCode::TokenMissing).with_message(tr!(
                "cli-token-unusable",
                variable = TOKEN_ENV,
                error = error.to_string()
            ))
        });
    }
    match TokenStore::from_env().get() {
        Ok(Some(token)) => Ok(token),
        Ok(None) => Err(ErrorReport::from_code(ErrorCode::TokenMissing)
            .with_message(tr!("cli-token-missing", variable = TOKEN_ENV))),
        Err(error) => {
            let report = error.report();
            let message = tr!(
                "cli-token-variable-too",
                message = report.message.as_str(),
                variable = TOKEN_ENV
            );
            Err(report.with_message(message))
        }
    }
}

/// The platform token from the environment, else from the keychain.
fn load_platform_token() -> Result<PlatformToken, ErrorReport> {
    if let Ok(value) = std::env::var(PLATFORM_TOKEN_ENV) {
        return PlatformToken::parse(&value).map_err(|error| {
            ErrorReport::from_code(ErrorCode::PlatformTokenMissing).with_message(tr!(
                "cli-token-unusable",
                variable = PLATFORM_TOKEN_ENV,
                error = error.to_string()
            ))
        });
    }
    match TokenStore::from_env().get_platform() {
        Ok(Some(token)) => Ok(token),
        Ok(None) => Err(
            ErrorReport::from_code(ErrorCode::PlatformTokenMissing).with_message(tr!(
                "cli-platform-token-missing",
                page = PLATFORM_TOKENS_PAGE,
                variable = PLATFORM_TOKEN_ENV
            )),
        ),
        Err(error) => Err(
            ErrorReport::from_code(ErrorCode::PlatformTokenMissing).with_message(tr!(
                "cli-platform-token-unreadable",
                message = error.report().message,
                variable = PLATFORM_TOKEN_ENV,
                page = PLATFORM_TOKENS_PAGE
            )),
        ),
    }
}

/// Hosts one file (or reuses the link the history holds for it, when `history` is given) with a
/// progress bar of bytes on a terminal, and returns its upload.
async fn host_file(
    host: &FileHost,
    history: Option<&History>,
    given: &str,
) -> Result<UploadJob, ErrorReport> {
    // The token is only needed when the file must be sent; its absence is said per file.
    let token = load_platform_token();
    let bar = if io::stderr().is_terminal() {
        let bar = ProgressBar::new(0);
        bar.set_style(
            ProgressStyle::with_template("{msg} {bar:30} {bytes}/{total_bytes} {bytes_per_sec}")
                .expect("the template is valid"),
        );
        bar.set_message(tr!("cli-file-uploading", file = given));
        bar
    } else {
        ProgressBar::hidden()
    };
    let sent = bar.clone();
    let path = Path::new(given);
    if let Ok(metadata) = std::fs::metadata(path) {
        bar.set_length(metadata.len());
    }
    let hosted = prepare_and_host(host, token.as_ref().ok(), history, path, move |bytes| {
        sent.set_position(bytes)
    })
    .await;
    bar.finish_and_clear();
    let hosted = hosted.map_err(|error| match (error.code(), token) {
        (ErrorCode::PlatformTokenMissing, Err(report)) => report,
        (ErrorCode::PlatformTokenInvalid, _) => error.report().with_message(tr!(
            "cli-platform-token-refused",
            page = PLATFORM_TOKENS_PAGE
        )),
        _ => error.report(),
    })?;
    if hosted.reused {
        eprintln!(
            "{}",
            tr!(
                "cli-file-reused",
                file = given,
                link = hosted.file_url.as_str()
            )
        );
    }
    let mut job = UploadJob::new(given, hosted.file_url, Source::Cli);
    job.file = Some((hosted.audio.file_name, hosted.file));
    Ok(job)
}

/// Checks the links a few at a time, printing each finding in input order.
async fn check_links(client: &Client, jobs: &[UploadJob]) {
    let http = http_client();
    let timeout = client.config().timeout.min(Duration::from_secs(20));
    let api_is_local = is_loopback(&client.config().base_url);
    let mut checks = futures::stream::iter(jobs)
        .map(|job| {
            let http = &http;
            async move {
                let report = preflight(http, &job.audio_url, timeout, api_is_local).await;
                (&job.audio_url, report)
            }
        })
        .buffered(CHECKS_AT_ONCE);
    while let Some((link, report)) = checks.next().await {
        let (link, message) = (link.as_str(), report.message.as_str());
        if report.is_warning() {
            eprintln!(
                "{}",
                tr!("cli-link-warning", link = link, message = message)
            );
        } else {
            eprintln!(
                "{}",
                tr!("cli-link-checked", link = link, message = message)
            );
        }
    }
}

fn progress_bar(links: usize) -> ProgressBar {
    if links < PROGRESS_BAR_FROM || !io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(links as u64);
    // The line's words from the catalogue, with indicatif's own keys in place of its values.
    let words = tr!(
        "cli-progress",
        counts = "{msg}",
        elapsed = "{elapsed}",
        left = "{eta}"
    );
    let style = ProgressStyle::with_template(&format!("{{bar:40}} {words}"))
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .with_key(
            "elapsed",
            |state: &ProgressState, out: &mut dyn fmt::Write| {
                let _ = out.write_str(&duration_words(state.elapsed()));
            },
        )
        .with_key("eta", |state: &ProgressState, out: &mut dyn fmt::Write| {
            let _ = out.write_str(&duration_words(state.eta()));
        });
    bar.set_style(style);
    bar
}

/// A duration on the progress line, in minutes and seconds: `1m 5s`.
fn duration_words(duration: Duration) -> String {
    let seconds = duration.as_secs();
    tr!(
        "cli-progress-time",
        minutes = seconds / 60,
        seconds = seconds % 60
    )
}

/// Writes results as text or JSON lines and keeps count for the exit code.
struct Output {
    json: bool,
    failed: bool,
    /// Inputs that cannot be uploaded, and links held (not sent without `--send-anyway`).
    refused: usize,
    held: usize,
    token_refused: bool,
    /// A file could not be sent for want of a platform token.
    platform_token_missing: bool,
    /// Hosted links of files from this computer.
    files: HashSet<Url>,
}

impl Output {
    fn new(json: bool) -> Self {
        Self {
            json,
            failed: false,
            refused: 0,
            held: 0,
            token_refused: false,
            platform_token_missing: false,
            files: HashSet::new(),
        }
    }

    /// The exit code when nothing could be sent: 3 if files lacked a platform token.
    fn exit_code_when_nothing_sent(&self) -> ExitCode {
        if self.platform_token_missing {
            ExitCode::from(EXIT_TOKEN)
        } else {
            self.exit_code()
        }
    }

    /// Tells of rewritten share links and pages that are not audio, on standard error.
    fn notes(&self, link: &PreparedLink) {
        if let Some(rewrite) = &link.rewrite {
            eprintln!(
                "{}",
                tr!(
                    "cli-link-rewritten",
                    link = link.given.as_str(),
                    message = rewrite.message.as_str(),
                    audio_url = link.audio_url.as_str()
                )
            );
        }
        if let Some(warning) = &link.warning {
            eprintln!(
                "{}",
                tr!(
                    "cli-link-warning",
                    link = link.given.as_str(),
                    message = warning.as_str()
                )
            );
        }
    }

    /// Tells of a link held for `code` (see [`hold_reason`]): not sent, and how to send it.
    fn held(&mut self, link: &PreparedLink, code: ErrorCode) {
        self.held += 1;
        let report = ErrorReport::from_code(code);
        let reason = match (&report.code, &link.warning) {
            (ErrorCode::NotAudioFile, Some(warning)) => warning.clone(),
            (ErrorCode::LocalLink, _) => local_link_report().message,
            _ => report.message.clone(),
        };
        let report = report.with_message(tr!("cli-held", reason = reason));
        if self.json {
            self.failed(&link.given, Some(&link.audio_url), &report);
        } else {
            self.failed = true;
            eprintln!(
                "{}",
                tr!(
                    "cli-link-held",
                    link = link.given.as_str(),
                    message = report.message.as_str(),
                    code = report.code.as_str()
                )
            );
        }
    }

    fn result(&mut self, given: &str, audio_url: &Url, outcome: &UploadOutcome) {
        match &outcome.result {
            Ok(uploaded) => {
                let line = if self.json {
                    let mut object = json!({
                        "url": given,
                        "audio_url": audio_url.as_str(),
                        "audio_id": uploaded.audio_id,
                    });
                    if self.files.contains(audio_url) {
                        object["file_url"] = json!(audio_url.as_str());
                    }
                    for (key, value) in [
                        ("task_id", &uploaded.task_id),
                        ("hosted_audio_url", &uploaded.hosted_audio_url),
                        ("lyric", &uploaded.lyric),
                    ] {
                        if let Some(value) = value {
                            object[key] = json!(value);
                        }
                    }
                    object.to_string()
                } else {
                    format!("{}\t{given}", uploaded.audio_id)
                };
                print_line(&line);
            }
            Err(error) => self.failed(given, Some(audio_url), &error.report()),
        }
    }

    fn failed(&mut self, given: &str, audio_url: Option<&Url>, report: &ErrorReport) {
        let report = &report.clone().for_command();
        self.failed = true;
        self.token_refused |=
            report.code.is_token_problem() || report.code == ErrorCode::PlatformTokenInvalid;
        if self.json {
            let mut object = json!({
                "url": given,
                "error": {
                    "code": report.code,
                    "status": report.status,
                    "message": report.message,
                    "trace_id": report.trace_id,
                },
            });
            if let Some(audio_url) = audio_url {
                object["audio_url"] = json!(audio_url.as_str());
            }
            print_line(&object.to_string());
        } else {
            let mut details = vec![report.code.to_string()];
            if let Some(status) = report.status {
                details.push(format!("HTTP {status}"));
            }
            if let Some(trace_id) = &report.trace_id {
                details.push(tr!("cli-trace-id", trace_id = trace_id.as_str()));
            }
            eprintln!(
                "{}",
                tr!(
                    "cli-link-failed",
                    link = given,
                    message = report.message.as_str(),
                    details = details.join(", ")
                )
            );
        }
    }

    fn exit_code(&self) -> ExitCode {
        if self.token_refused {
            ExitCode::from(EXIT_TOKEN)
        } else if self.failed {
            ExitCode::from(EXIT_FAILED)
        } else {
            ExitCode::SUCCESS
        }
    }
}

/// Prints one result line at once, so that nothing is lost if the run is stopped.
fn print_line(line: &str) {
    let mut stdout = io::stdout().lock();
    // A closed pipe (e.g. `| head`) must not turn into a panic.
    let _ = writeln!(stdout, "{line}").and_then(|()| stdout.flush());
}

/// " (ends in …1234)" for a token whose end may be shown, else nothing.
fn shown_end(last_four: Option<String>) -> String {
    last_four.map_or_else(String::new, |four| tr!("cli-token-end", last_four = four))
}

fn token(command: TokenCommand) -> ExitCode {
    let store = TokenStore::from_env();
    let result = match command {
        TokenCommand::Set { platform: true } => read_platform_token().and_then(|token| {
            store.set_platform(&token).map_err(|error| error.report())?;
            let end = shown_end(token.last_four());
            println!("{}", tr!("cli-platform-token-saved", end = end));
            Ok(ExitCode::SUCCESS)
        }),
        TokenCommand::Delete { platform: true } => store
            .delete_platform()
            .map_err(|error| error.report())
            .map(|()| {
                println!("{}", tr!("cli-platform-token-removed"));
                ExitCode::SUCCESS
            }),
        TokenCommand::Set { platform: false } => read_token().and_then(|token| {
            store.set(&token).map_err(|error| error.report())?;
            let end = shown_end(token.last_four());
            println!("{}", tr!("cli-token-saved", end = end));
            Ok(ExitCode::SUCCESS)
        }),
        TokenCommand::Status => store
            .status()
            .and_then(|api| Ok((api, store.platform_status()?)))
            .map_err(|error| error.report())
            .map(|(api, platform)| {
                for variable in [TOKEN_ENV, PLATFORM_TOKEN_ENV] {
                    if std::env::var_os(variable).is_some() {
                        println!("{}", tr!("cli-token-variable-set", variable = variable));
                    }
                }
                if platform.saved {
                    let end = shown_end(platform.last_four);
                    println!("{}", tr!("cli-platform-token-status-saved", end = end));
                } else {
                    println!("{}", tr!("cli-platform-token-status-none"));
                }
                if api.saved {
                    let end = shown_end(api.last_four);
                    println!("{}", tr!("cli-token-status-saved", end = end));
                    ExitCode::SUCCESS
                } else {
                    println!("{}", tr!("cli-token-status-none"));
                    ExitCode::from(EXIT_TOKEN)
                }
            }),
        TokenCommand::Delete { platform: false } => {
            store.delete().map_err(|error| error.report()).map(|()| {
                println!("{}", tr!("cli-token-removed"));
                ExitCode::SUCCESS
            })
        }
    };
    result.unwrap_or_else(|report| {
        say_error(&report.for_command().message);
        ExitCode::from(EXIT_TOKEN)
    })
}

/// Reads the platform token as [`read_token`] reads the API token.
fn read_platform_token() -> Result<PlatformToken, ErrorReport> {
    let text = read_secret(&tr!("cli-platform-token-prompt"))?;
    PlatformToken::parse(&text).map_err(|error| {
        ErrorReport::from_code(ErrorCode::PlatformTokenMissing).with_message(error.to_string())
    })
}

/// Reads the token without echoing it on a terminal, or from piped standard input.
fn read_token() -> Result<ApiToken, ErrorReport> {
    let text = read_secret(&tr!("cli-token-prompt"))?;
    ApiToken::parse(&text).map_err(|error| {
        ErrorReport::from_code(ErrorCode::TokenMissing).with_message(error.to_string())
    })
}

/// A secret typed without echo on a terminal, or piped on standard input.
fn read_secret(prompt: &str) -> Result<String, ErrorReport> {
    if io::stdin().is_terminal() {
        rpassword::prompt_password(format!("{prompt} "))
    } else {
        let mut text = String::new();
        io::stdin().read_to_string(&mut text).map(|_| text)
    }
    .map_err(|error| {
        ErrorReport::from_code(ErrorCode::TokenMissing)
            .with_message(tr!("cli-token-unreadable", error = error.to_string()))
    })
}
