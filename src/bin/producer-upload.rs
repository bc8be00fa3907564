//! `producer-upload`: upload links to audio files to Ace Data Cloud and print their `audio_id`s.

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};
use producer_upload::{tr, words};
use std::io::{self, Write};
use std::process::ExitCode;

/// The songs commands (extend, cover, task, tasks), kept beside the core: only this file may
/// be in `src/bin/` (see tests/packaging.rs).
#[path = "../cli/songs.rs"]
mod songs;

/// `--help` from the catalogue.
#[path = "../cli/help.rs"]
mod help;

/// `upload`: links and files in, audio IDs out.
#[path = "../cli/upload.rs"]
mod upload;

/// `history`: past uploads listed and exported.
#[path = "../cli/history.rs"]
mod history;

/// `token`, and the tokens every command uses.
#[path = "../cli/token.rs"]
mod token;

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

use token::{load_platform_token, load_token};

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
    Upload(upload::UploadArgs),
    /// List past uploads, newest first, or export them (`history export`).
    History(history::HistoryArgs),
    /// Save, check or remove the API token in the system keychain.
    #[command(subcommand)]
    Token(token::TokenCommand),
    /// Make songs that continue an audio ID's song from a moment (uses credits).
    Extend(songs::ExtendArgs),
    /// Make songs of an audio ID's song in another style (uses credits).
    Cover(songs::SongArgs),
    /// Show song tasks by their task IDs, or wait for them (--wait).
    Task(songs::TaskArgs),
    /// List the song tasks made on this computer, newest first.
    Tasks(songs::TasksArgs),
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
        Command::Upload(args) => runtime().block_on(upload::upload(args)),
        Command::History(args) => history::history(args),
        Command::Token(command) => token::token(command),
        Command::Extend(args) => runtime().block_on(songs::extend(args)),
        Command::Cover(args) => runtime().block_on(songs::cover(args)),
        Command::Task(args) => runtime().block_on(songs::task(args)),
        Command::Tasks(args) => songs::tasks(args),
    }
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Runtime::new().expect("the async runtime starts")
}

/// Says `message` as an error on standard error.
fn say_error(message: &str) {
    eprintln!("{}", tr!("cli-error", message = message));
}

fn usage_error(message: &str) -> ExitCode {
    say_error(message);
    ExitCode::from(EXIT_USAGE)
}

/// Prints one result line at once, so that nothing is lost if the run is stopped.
fn print_line(line: &str) {
    let mut stdout = io::stdout().lock();
    // A closed pipe (e.g. `| head`) must not turn into a panic.
    let _ = writeln!(stdout, "{line}").and_then(|()| stdout.flush());
}
