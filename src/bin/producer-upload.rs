//! `producer-upload`: upload links to audio files to Ace Data Cloud and print their `audio_id`s.

use clap::{Args, Parser, Subcommand};
use futures::StreamExt;
use indicatif::{ProgressBar, ProgressStyle};
use producer_upload::batch::{Uploader, MAX_CONCURRENCY};
use producer_upload::client::{Client, ClientConfig, UploadOutcome, DEFAULT_BASE_URL};
use producer_upload::error::{ErrorCode, ErrorReport};
use producer_upload::keychain::TokenStore;
use producer_upload::links::{prepare_link, Intake, PreparedLink};
use producer_upload::preflight::preflight;
use producer_upload::token::ApiToken;
use serde_json::json;
use std::io::{self, BufRead, IsTerminal, Read, Write};
use std::process::ExitCode;
use std::time::Duration;
use url::Url;

/// Environment variable holding the API token; it takes precedence over the keychain.
const TOKEN_ENV: &str = "ACEDATACLOUD_API_TOKEN";
/// Exit code when at least one link failed.
const EXIT_FAILED: u8 = 1;
/// Exit code for a usage error.
const EXIT_USAGE: u8 = 2;
/// Exit code when no token is available or the service refused it.
const EXIT_TOKEN: u8 = 3;
/// Above this many links, a progress bar is shown on a terminal.
const PROGRESS_BAR_FROM: usize = 4;

#[derive(Parser)]
#[command(
    name = "producer-upload",
    version,
    about = "Upload links to audio files to Ace Data Cloud's Producer API and print their audio IDs.",
    after_help = "The API token comes from ACEDATACLOUD_API_TOKEN if set, else from the system keychain \
                  (see `producer-upload token set`).\n\nExit codes: 0 all uploaded, 1 at least one link failed, \
                  2 usage error, 3 no token available or the token was refused."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Upload links and print each one's audio ID.
    Upload(UploadArgs),
    /// Save, check or remove the API token in the system keychain.
    #[command(subcommand)]
    Token(TokenCommand),
}

#[derive(Args)]
struct UploadArgs {
    /// Links to audio files; a single `-` reads links from standard input, one per line.
    #[arg(required = true, value_name = "URL")]
    urls: Vec<String>,
    /// Print one JSON object per link instead of text.
    #[arg(long)]
    json: bool,
    /// API base address.
    #[arg(long, value_name = "URL", env = "ACEDATACLOUD_API_BASE_URL", default_value = DEFAULT_BASE_URL)]
    base_url: String,
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
}

#[derive(Subcommand)]
enum TokenCommand {
    /// Save the token: read from standard input, or asked for without echo on a terminal.
    Set,
    /// Tell whether a token is saved (only its last four characters are shown).
    Status,
    /// Remove the saved token.
    Delete,
}

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_writer(io::stderr)
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "warn".into()),
        )
        .init();
    let cli = Cli::parse();
    match cli.command {
        Command::Upload(args) => {
            let runtime = tokio::runtime::Runtime::new().expect("the async runtime starts");
            runtime.block_on(upload(args))
        }
        Command::Token(command) => token(command),
    }
}

/// One input link and what became of it before sending.
struct Input {
    given: String,
    intake: Intake,
}

fn read_inputs(urls: Vec<String>) -> io::Result<Vec<String>> {
    if urls.len() == 1 && urls[0] == "-" {
        io::stdin()
            .lock()
            .lines()
            .filter(|line| !matches!(line, Ok(text) if text.trim().is_empty()))
            .collect()
    } else {
        Ok(urls)
    }
}

fn usage_error(message: &str) -> ExitCode {
    eprintln!("error: {message}");
    ExitCode::from(EXIT_USAGE)
}

async fn upload(args: UploadArgs) -> ExitCode {
    let given = match read_inputs(args.urls) {
        Ok(given) => given,
        Err(error) => {
            return usage_error(&format!(
                "could not read links from standard input: {error}"
            ))
        }
    };
    if given.is_empty() {
        return usage_error(
            "no links given. Pass links as arguments, or `-` to read them from standard input.",
        );
    }
    let mut config = match ClientConfig::new(&args.base_url) {
        Ok(config) => config,
        Err(report) => return usage_error(&report.message),
    };
    config.timeout = Duration::from_secs(args.timeout);

    let inputs: Vec<Input> = given
        .into_iter()
        .map(|given| Input {
            intake: prepare_link(&given),
            given: given.trim().to_owned(),
        })
        .collect();
    let mut unique: Vec<Url> = Vec::new();
    for input in &inputs {
        if let Intake::Ready(link) = &input.intake {
            if !unique.contains(&link.audio_url) {
                unique.push(link.audio_url.clone());
            }
        }
    }
    let mut output = Output::new(args.json);
    for input in &inputs {
        match &input.intake {
            Intake::Rejected(rejected) => output.failed(&input.given, None, &rejected.report()),
            Intake::Ready(link) => output.notes(link),
        }
    }
    if unique.is_empty() {
        return ExitCode::from(EXIT_FAILED);
    }

    let token = match load_token() {
        Ok(token) => token,
        Err(report) => {
            eprintln!("error: {}", report.message);
            return ExitCode::from(EXIT_TOKEN);
        }
    };
    let client = Client::new(config);
    if args.check {
        check_links(&client, &unique).await;
    }

    let uploader = Uploader::new(client, usize::from(args.concurrency));
    let progress = progress_bar(unique.len());
    let mut results = uploader.upload_all(&token, &unique);
    while let Some((index, outcome)) = results.next().await {
        progress.inc(1);
        let audio_url = &unique[index];
        progress.suspend(|| {
            for input in &inputs {
                if matches!(&input.intake, Intake::Ready(link) if &link.audio_url == audio_url) {
                    output.result(&input.given, audio_url, &outcome);
                }
            }
        });
    }
    progress.finish_and_clear();
    output.exit_code()
}

/// The token from the environment, else from the keychain; never sent anywhere if neither.
fn load_token() -> Result<ApiToken, ErrorReport> {
    if let Ok(value) = std::env::var(TOKEN_ENV) {
        return ApiToken::parse(&value).map_err(|error| {
            ErrorReport::from_code(ErrorCode::TokenMissing)
                .with_message(format!("{TOKEN_ENV} is set but unusable: {error}"))
        });
    }
    match TokenStore::from_env().get() {
        Ok(Some(token)) => Ok(token),
        Ok(None) => Err(ErrorReport::from_code(ErrorCode::TokenMissing).with_message(format!(
            "No API token is saved. Run `producer-upload token set` to save yours in the system keychain, \
             or set {TOKEN_ENV}."
        ))),
        Err(error) => {
            let report = error.report();
            let message = format!(
                "{} You can also set {TOKEN_ENV} instead.",
                report.message
            );
            Err(report.with_message(message))
        }
    }
}

async fn check_links(client: &Client, links: &[Url]) {
    let http = reqwest::Client::new();
    let timeout = client.config().timeout.min(Duration::from_secs(20));
    let checks = links.iter().map(|link| {
        let http = &http;
        async move { (link, preflight(http, link, timeout).await) }
    });
    for (link, report) in futures::future::join_all(checks).await {
        if report.is_warning() {
            eprintln!("warning: {link}: {}", report.message);
        } else {
            eprintln!("checked: {link}: {}", report.message);
        }
    }
}

fn progress_bar(links: usize) -> ProgressBar {
    if links < PROGRESS_BAR_FROM || !io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(links as u64);
    bar.set_style(
        ProgressStyle::with_template(
            "{bar:40} {pos}/{len} uploaded, {elapsed} elapsed, about {eta} left",
        )
        .expect("the template is valid"),
    );
    bar
}

/// Writes results as text or JSON lines and keeps count for the exit code.
struct Output {
    json: bool,
    failed: bool,
    token_refused: bool,
}

impl Output {
    fn new(json: bool) -> Self {
        Self {
            json,
            failed: false,
            token_refused: false,
        }
    }

    /// Tells of rewritten share links and pages that are not audio, on standard error.
    fn notes(&self, link: &PreparedLink) {
        if let Some(rewrite) = &link.rewrite {
            eprintln!(
                "note: {}: {} Sending {}",
                link.given, rewrite.message, link.audio_url
            );
        }
        if let Some(warning) = &link.warning {
            eprintln!("warning: {}: {warning}", link.given);
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
        self.failed = true;
        self.token_refused |= report.code.is_token_problem();
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
            let mut line = format!("error: {given}: {} [{}", report.message, report.code);
            if let Some(status) = report.status {
                line.push_str(&format!(", HTTP {status}"));
            }
            if let Some(trace_id) = &report.trace_id {
                line.push_str(&format!(", trace id {trace_id}"));
            }
            line.push(']');
            eprintln!("{line}");
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

fn token(command: TokenCommand) -> ExitCode {
    let store = TokenStore::from_env();
    let result = match command {
        TokenCommand::Set => read_token().and_then(|token| {
            store.set(&token).map_err(|error| error.report())?;
            println!(
                "Token saved in the system keychain (ends in {}).",
                token.last_four()
            );
            Ok(ExitCode::SUCCESS)
        }),
        TokenCommand::Status => store
            .status()
            .map_err(|error| error.report())
            .map(|status| {
                if std::env::var_os(TOKEN_ENV).is_some() {
                    println!("{TOKEN_ENV} is set; it is used instead of the keychain.");
                }
                match status.last_four {
                    Some(last_four) => {
                        println!("A token is saved in the system keychain (ends in {last_four}).");
                        ExitCode::SUCCESS
                    }
                    None => {
                        println!("No token is saved. Run `producer-upload token set` to save one.");
                        ExitCode::from(EXIT_TOKEN)
                    }
                }
            }),
        TokenCommand::Delete => store.delete().map_err(|error| error.report()).map(|()| {
            println!("The saved token is removed from the system keychain.");
            ExitCode::SUCCESS
        }),
    };
    result.unwrap_or_else(|report| {
        eprintln!("error: {}", report.message);
        ExitCode::from(EXIT_TOKEN)
    })
}

/// Reads the token without echoing it on a terminal, or from piped standard input.
fn read_token() -> Result<ApiToken, ErrorReport> {
    let text = if io::stdin().is_terminal() {
        rpassword::prompt_password("Paste your Ace Data Cloud API token (it will not be shown): ")
    } else {
        let mut text = String::new();
        io::stdin().read_to_string(&mut text).map(|_| text)
    }
    .map_err(|error| {
        ErrorReport::from_code(ErrorCode::TokenMissing)
            .with_message(format!("Could not read the token: {error}"))
    })?;
    ApiToken::parse(&text).map_err(|error| {
        ErrorReport::from_code(ErrorCode::TokenMissing).with_message(error.to_string())
    })
}
