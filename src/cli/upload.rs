//! `producer-upload upload`: links and files in, audio IDs out. The links are taken by the
//! window's intake and the batch runs through the window's engine ([`Queue`]): this module
//! reads the input, runs the optional link check, and prints what the engine reports, with its
//! progress line.

use super::{
    load_platform_token, load_token, print_line, say_error, usage_error, EXIT_FAILED, EXIT_TOKEN,
};
use clap::Args;
use futures::StreamExt;
use indicatif::{MultiProgress, ProgressBar, ProgressState, ProgressStyle};
use producer_upload::batch::{Uploader, MAX_CONCURRENCY};
use producer_upload::client::{is_loopback, Client, ClientConfig, Uploaded, DEFAULT_BASE_URL};
use producer_upload::error::{ErrorCode, ErrorReport};
use producer_upload::filehost::{
    FileHost, FileHostConfig, DEFAULT_PLATFORM_BASE_URL, PLATFORM_TOKENS_PAGE,
};
use producer_upload::history::{History, Source};
use producer_upload::intake::{self, Rules, Taken};
use producer_upload::links::{parse_links, prepare_link, Intake};
use producer_upload::preflight::{http_client, local_link_report, preflight, CHECKS_AT_ONCE};
use producer_upload::queue::{FileStage, ItemView, NoteKind, Queue, QueueFile, QueueLink, Unsent};
use producer_upload::token::PlatformToken;
use producer_upload::tr;
use serde_json::json;
use std::collections::{HashMap, HashSet};
use std::fmt;
use std::io::{self, IsTerminal, Read};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::mpsc;
use url::Url;

/// Above this many links, a progress bar is shown on a terminal.
const PROGRESS_BAR_FROM: usize = 4;

/// Standard input is read up to this many bytes (some 100,000 links).
const MAX_STDIN_BYTES: u64 = 16 * 1024 * 1024;

#[derive(Args)]
pub(crate) struct UploadArgs {
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

/// True when `piece` is written as a path (a `/` or `\` in it, or a start of `~` or a drive
/// letter such as `C:`) and something is there. A web link is never a path.
fn names_a_file(piece: &str) -> bool {
    let bytes = piece.as_bytes();
    let drive = bytes.len() >= 2 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':';
    let written_as_path = piece.contains(['/', '\\']) || piece.starts_with('~') || drive;
    written_as_path && !piece.contains("://") && Path::new(piece).exists()
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

/// Every link in every piece of input, each under its own text, in order: the same parse for
/// arguments and for lines of standard input.
fn take_links(pieces: Vec<String>) -> Vec<Intake> {
    let mut inputs = Vec::with_capacity(pieces.len());
    for piece in pieces {
        if piece.trim().is_empty() {
            continue;
        }
        let found = parse_links(&piece);
        if found.is_empty() {
            inputs.push(prepare_link(&piece));
        } else {
            inputs.extend(found);
        }
    }
    inputs
}

pub(crate) async fn upload(args: UploadArgs) -> ExitCode {
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

    // The window's intake: a page or a place the service cannot reach is held, not sent;
    // names such as printer.lan are resolved (each once) to tell. Each link is sent once,
    // however often it was given; the inputs that lead to it are kept by link.
    let rules = Rules {
        api_is_local: is_loopback(&config.base_url),
        send_anyway: args.send_anyway,
    };
    let taken = intake::take(inputs, &http_client(), rules).await;
    let mut jobs: Vec<QueueLink> = Vec::new();
    let mut unsent: Vec<Unsent> = Vec::new();
    let mut inputs_of: HashMap<Url, Vec<String>> = HashMap::new();
    let mut output = Output::new(args.json);
    for taken_now in &taken {
        match taken_now {
            Taken::Send(link) => {
                jobs.push(link.clone());
                inputs_of
                    .entry(link.audio_url.clone())
                    .or_default()
                    .push(link.given.clone());
                output.notes(link);
            }
            Taken::Again { given, first } => {
                if let Taken::Send(link) = &taken[*first] {
                    inputs_of
                        .entry(link.audio_url.clone())
                        .or_default()
                        .push(given.clone());
                    output.notes(link);
                }
            }
            Taken::Unsent(held) if held.held => {
                output.held(held);
                unsent.push(held.clone());
            }
            Taken::Unsent(refused) => {
                output.refused += 1;
                output.failed(&refused.given, None, &refused.error);
                unsent.push(refused.clone());
            }
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
    // The same engine as the window's list, and the same words for the batch.
    let (told, mut updates) = mpsc::unbounded_channel();
    let queue = Queue::for_source(
        Source::Cli,
        Uploader::new(client, usize::from(args.concurrency)),
        history,
        Arc::new(move |update| {
            let _ = told.send(update);
        }),
    );
    queue.add_unsent(unsent).await;
    let mut given_of: HashMap<u64, Vec<String>> = HashMap::new();
    let links = jobs.clone();
    for (id, link) in queue.add(token.clone(), jobs).await.into_iter().zip(links) {
        given_of.insert(id, inputs_of.remove(&link.audio_url).unwrap_or_default());
    }
    let platform_token = load_platform_token();
    if !files.is_empty() {
        let mut host_config = match FileHostConfig::new(&args.platform_base_url) {
            Ok(config) => config,
            Err(report) => return usage_error(&report.for_command().message),
        };
        host_config.timeout = Duration::from_secs(args.timeout);
        queue.set_file_host(FileHost::new(host_config));
        queue.set_platform_token(platform_token.as_ref().ok().cloned());
        queue.set_reuse_hosted(!args.no_reuse);
        let taken = files
            .iter()
            .map(|given| QueueFile::on_disk(Path::new(given.trim())))
            .collect();
        for (id, given) in queue.add_files(token, taken).await.into_iter().zip(files) {
            output.files.insert(id);
            given_of.insert(id, vec![given]);
        }
    }

    // The batch's line, and a line of bytes for each file on its way to the file host.
    let bars = MultiProgress::new();
    let progress = shown(&bars, progress_bar(given_of.len()));
    let mut file_bars: HashMap<u64, ProgressBar> = HashMap::new();
    let mut ended = HashSet::new();
    let mut sent_any = false;
    while ended.len() < given_of.len() {
        let Some(update) = updates.recv().await else {
            break;
        };
        // The same words as the window's bar and title (src/summary.rs).
        progress.set_message(update.summary.words().counts);
        for item in &update.items {
            let Some(given) = given_of.get(&item.id).filter(|_| !ended.contains(&item.id)) else {
                continue;
            };
            if let Some(file) = item.file.as_ref() {
                sent_any |= file.stage == FileStage::Hosted;
                if file.stage == FileStage::Hosting {
                    file_bars
                        .entry(item.id)
                        .or_insert_with(|| shown(&bars, file_bar(&given[0], file.size)))
                        .set_position(file.sent);
                } else if let Some(bar) = file_bars.remove(&item.id) {
                    bar.finish_and_clear();
                }
                if file.reused && output.reused.insert(item.id) {
                    let link = file.file_url.as_deref().unwrap_or_default();
                    bars.suspend(|| output.file_reused(&given[0], link));
                }
            }
            if !item.state.is_finished() {
                continue;
            }
            ended.insert(item.id);
            progress.inc(1);
            sent_any |= item.file.is_none();
            bars.suspend(|| output.ended(item, given, &platform_token));
        }
    }
    progress.finish_and_clear();
    if sent_any {
        output.exit_code()
    } else {
        output.exit_code_when_nothing_sent()
    }
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

fn not_recorded(given: &str, error: &ErrorReport) {
    eprintln!(
        "{}",
        tr!(
            "cli-not-recorded",
            link = given,
            message = error.message.as_str()
        )
    );
}

/// Checks the links a few at a time, printing each finding in input order.
async fn check_links(client: &Client, jobs: &[QueueLink]) {
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

/// `bar`, drawn with the others of `bars` unless it is hidden (it would be drawn there).
fn shown(bars: &MultiProgress, bar: ProgressBar) -> ProgressBar {
    if bar.is_hidden() {
        bar
    } else {
        bars.add(bar)
    }
}

/// A file's bytes on their way to the file host, on a terminal.
fn file_bar(given: &str, size: u64) -> ProgressBar {
    if !io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(size);
    bar.set_style(
        ProgressStyle::with_template("{msg} {bar:30} {bytes}/{total_bytes} {bytes_per_sec}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    bar.set_message(tr!("cli-file-uploading", file = given));
    bar
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
    /// The rows of files from this computer.
    files: HashSet<u64>,
    /// The rows of files whose earlier hosted link was reused (said once each).
    reused: HashSet<u64>,
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
            reused: HashSet::new(),
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
    fn notes(&self, link: &QueueLink) {
        for note in &link.notes {
            let line = match note.kind {
                NoteKind::Info => tr!(
                    "cli-link-rewritten",
                    link = link.given.as_str(),
                    message = note.text.as_str(),
                    audio_url = link.audio_url.as_str()
                ),
                NoteKind::Warning => tr!(
                    "cli-link-warning",
                    link = link.given.as_str(),
                    message = note.text.as_str()
                ),
            };
            eprintln!("{line}");
        }
    }

    /// Tells of a link held (see [`intake`]): not sent, and how to send it.
    fn held(&mut self, held: &Unsent) {
        self.held += 1;
        let report = &held.error;
        let warning = held
            .notes
            .iter()
            .find(|note| note.kind == NoteKind::Warning);
        let reason = match (&report.code, warning) {
            (ErrorCode::NotAudioFile, Some(warning)) => warning.text.clone(),
            (ErrorCode::LocalLink, _) => local_link_report().message,
            _ => report.message.clone(),
        };
        let report = report
            .clone()
            .with_message(tr!("cli-held", reason = reason));
        if self.json {
            self.failed(&held.given, held.audio_url.as_ref(), &report);
        } else {
            self.failed = true;
            eprintln!(
                "{}",
                tr!(
                    "cli-link-held",
                    link = held.given.as_str(),
                    message = report.message.as_str(),
                    code = report.code.as_str()
                )
            );
        }
    }

    /// Tells that file `given` reuses the link it was hosted under before.
    fn file_reused(&self, given: &str, link: &str) {
        eprintln!("{}", tr!("cli-file-reused", file = given, link = link));
    }

    /// Says how row `item` ended, once for each input that led to it (`given`): its audio ID,
    /// or why not. Files that lack the platform token are told how to give it
    /// (`platform_token`, as the command read it).
    fn ended(
        &mut self,
        item: &ItemView,
        given: &[String],
        platform_token: &Result<PlatformToken, ErrorReport>,
    ) {
        let audio_url = item
            .audio_url
            .as_deref()
            .and_then(|link| Url::parse(link).ok());
        for given in given {
            if let Some(error) = &item.not_recorded {
                not_recorded(given, error);
            }
            match (&item.uploaded, &item.error, &audio_url) {
                (Some(uploaded), _, Some(audio_url)) => {
                    self.done(given, audio_url, uploaded, self.files.contains(&item.id))
                }
                (_, Some(error), _) => {
                    let report = match (&error.code, platform_token) {
                        (ErrorCode::PlatformTokenMissing, Err(missing)) => missing.clone(),
                        (ErrorCode::PlatformTokenInvalid, _) => error.clone().with_message(tr!(
                            "cli-platform-token-refused",
                            page = PLATFORM_TOKENS_PAGE
                        )),
                        _ => error.clone(),
                    };
                    self.platform_token_missing |= report.code == ErrorCode::PlatformTokenMissing;
                    self.failed(given, audio_url.as_ref(), &report);
                }
                _ => {
                    let report = ErrorReport::from_code(ErrorCode::BadResponse);
                    self.failed(given, audio_url.as_ref(), &report);
                }
            }
        }
    }

    fn done(&mut self, given: &str, audio_url: &Url, uploaded: &Uploaded, file: bool) {
        let line = if self.json {
            let mut object = json!({
                "url": given,
                "audio_url": audio_url.as_str(),
                "audio_id": uploaded.audio_id,
            });
            if file {
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
