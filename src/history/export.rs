//! Writing records out as CSV or JSON, one record at a time, so a large history never has to fit
//! in memory.

use super::record::Record;
use crate::words::Words;
use serde::{Deserialize, Serialize};
use std::io::{self, Write};
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

/// An export file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    /// Comma-separated values, UTF-8 with a byte-order mark, one header row then one row per
    /// record (columns: [`CSV_HEADERS`]).
    ///
    /// The byte-order mark is written because Excel reads a CSV file without one in the
    /// computer's legacy code page, which garbles non-ASCII file names such as `Démo – ☃.wav`;
    /// with it, Excel, Numbers, LibreOffice and the `csv` crate (which skips it) all read the file
    /// correctly. Fields holding commas, quotes or line breaks are quoted, and a field that
    /// starts like a spreadsheet formula (`=`, `+`, `-`, `@`, a tab or a carriage return) gets a
    /// leading `'`, so that opening the file never runs a formula from a link or a message.
    Csv,
    /// A JSON array of records, each as the UI receives it.
    Json,
}

/// The CSV columns, in order, as the English header row names them (and scripts read them); in
/// other languages the header row is [`csv_headers`].
pub const CSV_HEADERS: [&str; 16] = [
    "id",
    "created_at",
    "state",
    "file_name",
    "audio_id",
    "given_url",
    "audio_url",
    "task_id",
    "hosted_audio_url",
    "error_code",
    "error_message",
    "trace_id",
    "http_status",
    "attempts",
    "source",
    "finished_at",
];

/// The CSV header row in the language of `words`: each column's `history-csv-` message.
pub fn csv_headers(words: &Words) -> Vec<String> {
    CSV_HEADERS
        .iter()
        .map(|column| words.message(&format!("history-csv-{}", column.replace('_', "-")), None))
        .collect()
}

/// The UTF-8 byte-order mark that starts a CSV export.
const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// An export in progress.
pub(crate) enum Exporter<W: Write> {
    Csv(Box<csv::Writer<W>>),
    Json { out: W, first: bool },
}

impl<W: Write> Exporter<W> {
    /// Starts an export: the byte-order mark and header row, or the opening bracket.
    pub(crate) fn start(format: Format, mut out: W) -> io::Result<Self> {
        Ok(match format {
            Format::Csv => {
                out.write_all(UTF8_BOM)?;
                let mut writer = csv::Writer::from_writer(out);
                writer.write_record(csv_headers(&crate::words::current()))?;
                Exporter::Csv(Box::new(writer))
            }
            Format::Json => {
                out.write_all(b"[")?;
                Exporter::Json { out, first: true }
            }
        })
    }

    /// Writes one record.
    pub(crate) fn write(&mut self, record: &Record) -> io::Result<()> {
        match self {
            Exporter::Csv(writer) => {
                let error = record.error.as_ref();
                let optional = |value: Option<&str>| value.unwrap_or_default().to_owned();
                let row = [
                    record.id.to_string(),
                    rfc3339(record.created_at)?,
                    record.state.to_string(),
                    record.file_name.clone(),
                    optional(record.audio_id.as_deref()),
                    record.given_url.clone(),
                    record.audio_url.clone(),
                    optional(record.task_id.as_deref()),
                    optional(record.hosted_audio_url.as_deref()),
                    optional(error.map(|error| error.code.as_str())),
                    optional(error.map(|error| error.message.as_str())),
                    optional(error.and_then(|error| error.trace_id.as_deref())),
                    error
                        .and_then(|error| error.status)
                        .map(|status| status.to_string())
                        .unwrap_or_default(),
                    record.attempts.to_string(),
                    record.source.to_string(),
                    record
                        .finished_at
                        .map(rfc3339)
                        .transpose()?
                        .unwrap_or_default(),
                ];
                writer.write_record(row.iter().map(|cell| spreadsheet_safe(cell).into_owned()))?;
            }
            Exporter::Json { out, first } => {
                out.write_all(if *first { b"\n" } else { b",\n" })?;
                *first = false;
                serde_json::to_writer(&mut *out, record)?;
            }
        }
        Ok(())
    }

    /// Ends the export and flushes it.
    pub(crate) fn finish(self) -> io::Result<()> {
        match self {
            Exporter::Csv(mut writer) => writer.flush(),
            Exporter::Json { mut out, .. } => {
                out.write_all(b"\n]\n")?;
                out.flush()
            }
        }
    }
}

/// `cell` as a spreadsheet shows it as text: with a leading `'` when it would otherwise start a
/// formula.
fn spreadsheet_safe(cell: &str) -> std::borrow::Cow<'_, str> {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}").into()
    } else {
        cell.into()
    }
}

/// A time in RFC 3339 UTC, as records show it.
fn rfc3339(time: OffsetDateTime) -> io::Result<String> {
    time.format(&Rfc3339).map_err(io::Error::other)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_csv_header_row_is_in_the_musician_s_language() {
        let english = csv_headers(&Words::of(&"en".parse().unwrap()));
        assert_eq!(english, CSV_HEADERS);
        let chinese = csv_headers(&Words::of(&"zh-CN".parse().unwrap()));
        assert_eq!(chinese.len(), CSV_HEADERS.len());
        assert_eq!(
            chinese[..5],
            ["编号", "创建时间", "状态", "文件名", "音频 ID"]
        );
        for (header, column) in chinese.iter().zip(CSV_HEADERS) {
            assert!(!header.starts_with("history-csv-"), "{column}: no message");
            assert!(!header.contains('_'), "{column}: {header}");
        }
    }

    #[test]
    fn cells_that_start_like_formulas_are_kept_as_text() {
        for formula in [
            "=HYPERLINK(\"x\")",
            "+1",
            "-2+3",
            "@SUM(A1)",
            "\t=1",
            "\r=1",
        ] {
            assert_eq!(spreadsheet_safe(formula), format!("'{formula}"));
        }
        for plain in [
            "https://x.example/a=b.wav",
            "2026-11-25T10:00:00Z",
            "done",
            "",
        ] {
            assert_eq!(spreadsheet_safe(plain), plain);
        }
    }
}
