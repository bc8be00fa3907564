//! `producer-upload history`: past uploads listed, searched and exported.

use super::{print_line, say_error, EXIT_FAILED};
use clap::{Args, Subcommand};
use producer_upload::history::{Format, History, HistoryError, Query, Record, State};
use producer_upload::tr;
use std::io::{self, BufWriter};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Args)]
#[command(
    args_conflicts_with_subcommands = true,
    after_help = "cli-help-history.after"
)]
pub(crate) struct HistoryArgs {
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

/// `producer-upload history`: lists or exports the upload history.
pub(crate) fn history(args: HistoryArgs) -> ExitCode {
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
