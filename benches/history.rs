//! Upload history on 100,000 records: how long opening and searching take, in milliseconds.
//!
//! `cargo bench --bench history` (option: `-- --records N`). Prints figures; asserts nothing.

use producer_upload::error::ErrorCode;
use producer_upload::history::{
    file_name_of, Format, History, Query, Record, RecordError, RecordId, Source, State,
};
use std::time::{Duration, Instant};
use time::macros::datetime;
use url::Url;

/// Each search is run this many times; the median is printed.
const RUNS: usize = 9;

fn records_option() -> i64 {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|arg| arg == "--records")
        .and_then(|at| args.get(at + 1))
        .and_then(|value| value.parse().ok())
        .unwrap_or(100_000)
}

/// `count` records, one every 86 seconds from 2026-08-01, one in ten failed.
fn generate(count: i64) -> Vec<Record> {
    let start = datetime!(2026-08-01 00:00:00 UTC);
    (1..=count)
        .map(|i| {
            let created_at = start + time::Duration::seconds(i * 86);
            let link = format!("https://files.example/session-{}/stem-{i:06}.wav", i % 97);
            let url = Url::parse(&link).expect("the generated link is valid");
            let failed = i % 10 == 0;
            Record {
                id: RecordId(i),
                created_at,
                file_name: file_name_of(&url),
                given_url: link.clone(),
                audio_url: link,
                state: if failed { State::Failed } else { State::Done },
                audio_id: (!failed).then(|| format!("{i:08x}-5e1f-4c1a-9d7b-0c2a1f3e4d5b")),
                task_id: None,
                hosted_audio_url: None,
                error: failed.then(|| RecordError {
                    code: ErrorCode::ApiError,
                    message: ErrorCode::ApiError.user_message(),
                    trace_id: Some(format!("trace-{i}")),
                    status: Some(500),
                }),
                attempts: 1,
                source: Source::Cli,
                finished_at: Some(created_at + time::Duration::seconds(3)),
                file: None,
                warning: None,
            }
        })
        .collect()
}

fn millis(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}

/// Runs `search` [`RUNS`] times and prints the median time and the number of records found.
fn measure(label: &str, mut search: impl FnMut() -> usize) {
    let mut times = Vec::with_capacity(RUNS);
    let mut found = 0;
    for _ in 0..RUNS {
        let started = Instant::now();
        found = search();
        times.push(started.elapsed());
    }
    times.sort();
    println!(
        "{label:<44} {:>8.2} ms  ({found} records)",
        millis(times[RUNS / 2])
    );
}

fn main() {
    let count = records_option();
    let dir = tempfile::tempdir().expect("a temporary folder");

    let started = Instant::now();
    let records = generate(count);
    {
        let history = History::open(dir.path()).expect("the history opens");
        history.restore(&records).expect("the records are written");
    }
    println!(
        "write {count} records in one transaction     {:>8.2} ms",
        millis(started.elapsed())
    );

    let started = Instant::now();
    let history = History::open(dir.path()).expect("the history opens");
    println!(
        "open the history                             {:>8.2} ms",
        millis(started.elapsed())
    );

    let search = |text: &str, limit: Option<u32>| {
        let query = Query {
            text: text.to_owned(),
            limit,
            ..Query::default()
        };
        history.search(&query).expect("the search runs").len()
    };
    // Odd, so it is a done record with an audio id.
    let middle = count / 2 + 1;
    let audio_id = format!("{middle:08x}-5e1f-4c1a-9d7b-0c2a1f3e4d5b");
    measure("first page (50 newest)", || search("", Some(50)));
    measure("by audio id (whole id)", || search(&audio_id, Some(50)));
    measure("by audio id (first 8 characters)", || {
        search(&audio_id[..8], Some(50))
    });
    measure("by file name", || {
        search(&format!("stem-{middle:06}"), Some(50))
    });
    measure("by text matching many, first page", || {
        search("session-5/", Some(50))
    });
    measure("by text matching nothing", || {
        search("no-such-take", Some(50))
    });
    measure("by day (2026-09-01), first page", || {
        search("2026-09-01", Some(50))
    });
    measure("failed only, first page", || {
        let query = Query {
            states: vec![State::Failed],
            limit: Some(50),
            ..Query::default()
        };
        history.search(&query).expect("the search runs").len()
    });
    measure("count all", || {
        let total = history.count(&Query::default()).expect("the count runs");
        usize::try_from(total).unwrap_or(usize::MAX)
    });
    measure("count matching text", || {
        let query = Query {
            text: "session-5/".to_owned(),
            ..Query::default()
        };
        let total = history.count(&query).expect("the count runs");
        usize::try_from(total).unwrap_or(usize::MAX)
    });
    measure("export everything as CSV", || {
        history
            .export(&Query::default(), Format::Csv, std::io::sink())
            .expect("the export runs")
    });
    measure("export everything as JSON", || {
        history
            .export(&Query::default(), Format::Json, std::io::sink())
            .expect("the export runs")
    });
}
