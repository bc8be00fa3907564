//! The upload history: lifecycle, several handles and processes at once, migrations,
//! permissions, search, delete and restore, export, and a history of 100,000 records.

use producer_upload::client::Uploaded;
use producer_upload::error::{ErrorCode, ErrorReport};
use producer_upload::history::{
    Format, History, HistoryError, NewUpload, Query, Record, RecordError, RecordId, Source, State,
    CSV_HEADERS, DATABASE_FILE,
};
use std::fs::File;
use std::path::Path;
use time::macros::datetime;
use time::OffsetDateTime;
use url::Url;

fn new_upload(given: &str) -> NewUpload {
    NewUpload {
        given_url: given.to_owned(),
        audio_url: Url::parse(given).unwrap(),
        source: Source::Cli,
    }
}

fn uploaded(audio_id: &str) -> Uploaded {
    Uploaded {
        audio_id: audio_id.to_owned(),
        task_id: Some(format!("task-{audio_id}")),
        hosted_audio_url: Some(format!("https://cdn.example/{audio_id}.mp3")),
        lyric: None,
    }
}

fn raw(dir: &Path) -> rusqlite::Connection {
    rusqlite::Connection::open(dir.join(DATABASE_FILE)).unwrap()
}

/// A finished record as a person would have made it, for restore-based fixtures.
fn record(id: i64, created_at: OffsetDateTime, link: &str, audio_id: Option<&str>) -> Record {
    let url = Url::parse(link).unwrap();
    Record {
        id: RecordId(id),
        created_at,
        given_url: link.to_owned(),
        audio_url: link.to_owned(),
        file_name: producer_upload::history::file_name_of(&url),
        state: if audio_id.is_some() {
            State::Done
        } else {
            State::Failed
        },
        audio_id: audio_id.map(str::to_owned),
        task_id: None,
        hosted_audio_url: None,
        error: audio_id.is_none().then(|| RecordError {
            code: ErrorCode::UsedUp,
            message: ErrorCode::UsedUp.user_message(),
            trace_id: Some(format!("trace-{id}")),
            status: Some(403),
        }),
        attempts: 1,
        source: Source::App,
        finished_at: Some(created_at + time::Duration::seconds(2)),
        file: None,
        warning: None,
    }
}

fn ids(records: &[Record]) -> Vec<i64> {
    records.iter().map(|record| record.id.0).collect()
}

fn text(words: &str) -> Query {
    Query {
        text: words.to_owned(),
        ..Query::default()
    }
}

#[test]
fn an_upload_goes_from_pending_to_done_or_failed_and_can_be_retried() {
    let dir = tempfile::tempdir().unwrap();
    let history = History::open(dir.path()).unwrap();
    let before = OffsetDateTime::now_utc() - time::Duration::seconds(1);

    let link =
        "https://x.example/stems/D%C3%A9mo%2C%20%22final%22%20%E2%80%93%20%E2%98%83.wav?dl=1";
    let id = history.record_pending(&new_upload(link)).unwrap();
    let pending = history.get(id).unwrap().unwrap();
    assert_eq!(pending.state, State::Pending);
    assert_eq!(pending.file_name, "Démo, \"final\" – ☃.wav");
    assert_eq!(pending.given_url, link);
    assert_eq!(pending.source, Source::Cli);
    assert_eq!((pending.attempts, pending.audio_id.as_deref()), (0, None));
    assert!(pending.created_at > before && pending.finished_at.is_none());

    history.record_done(id, &uploaded("a-1"), 2).unwrap();
    let done = history.get(id).unwrap().unwrap();
    assert_eq!(done.state, State::Done);
    assert_eq!(done.audio_id.as_deref(), Some("a-1"));
    assert_eq!(done.task_id.as_deref(), Some("task-a-1"));
    assert_eq!(
        done.hosted_audio_url.as_deref(),
        Some("https://cdn.example/a-1.mp3")
    );
    assert_eq!(done.attempts, 2);
    assert!(done.finished_at.unwrap() >= done.created_at);

    let failed_id = history
        .record_pending(&new_upload("https://x.example/b.wav"))
        .unwrap();
    let mut report = ErrorReport::from_code(ErrorCode::TooManyRequests);
    report.trace_id = Some("tr-9".into());
    report.status = Some(429);
    history.record_failed(failed_id, &report, 3).unwrap();
    let failed = history.get(failed_id).unwrap().unwrap();
    assert_eq!(failed.state, State::Failed);
    let error = failed.error.clone().unwrap();
    assert_eq!(error.code, ErrorCode::TooManyRequests);
    assert_eq!(
        (error.trace_id.as_deref(), error.status),
        (Some("tr-9"), Some(429))
    );
    assert_eq!(error.message, report.message);

    // Retry re-uses the record; attempts add up.
    let retrying = history.mark_retrying(failed_id).unwrap();
    assert_eq!(
        (retrying.state, retrying.error, retrying.finished_at),
        (State::Pending, None, None)
    );
    history.record_done(failed_id, &uploaded("b-1"), 1).unwrap();
    let retried = history.get(failed_id).unwrap().unwrap();
    assert_eq!((retried.state, retried.attempts), (State::Done, 4));
    assert_eq!(retried.audio_id.as_deref(), Some("b-1"));

    // A done record keeps its id: it is not retried, and a late failure does not erase it.
    assert!(matches!(
        history.mark_retrying(id),
        Err(HistoryError::NotRetryable {
            state: State::Done,
            ..
        })
    ));
    history.record_failed(id, &report, 1).unwrap();
    assert_eq!(
        history.get(id).unwrap().unwrap().audio_id.as_deref(),
        Some("a-1")
    );

    let missing = RecordId(9_999);
    assert!(history.get(missing).unwrap().is_none());
    let error = history.record_done(missing, &uploaded("x"), 1).unwrap_err();
    assert!(matches!(error, HistoryError::NotFound(_)));
    let report = error.report();
    assert_eq!(report.code.as_str(), "history_unavailable");
    assert!(
        report.message.ends_with('.') && !report.retryable,
        "{report:?}"
    );
}

#[test]
fn records_serialise_for_the_ui_with_rfc3339_times() {
    let dir = tempfile::tempdir().unwrap();
    let history = History::open(dir.path()).unwrap();
    history
        .restore(&[record(
            7,
            datetime!(2026-11-24 09:30:12.345 UTC),
            "https://x.example/a.wav",
            None,
        )])
        .unwrap();
    let json = serde_json::to_value(history.get(RecordId(7)).unwrap().unwrap()).unwrap();
    assert_eq!(json["id"], 7);
    assert_eq!(json["created_at"], "2026-11-24T09:30:12.345Z");
    assert_eq!(json["finished_at"], "2026-11-24T09:30:14.345Z");
    assert_eq!(json["state"], "failed");
    assert_eq!(json["source"], "app");
    assert_eq!(json["file_name"], "a.wav");
    assert_eq!(json["audio_id"], serde_json::Value::Null);
    assert_eq!(json["error"]["code"], "used_up");
    assert_eq!(json["error"]["status"], 403);
    assert_eq!(json["error"]["trace_id"], "trace-7");
}

#[test]
fn open_migrates_an_empty_file_and_reopens_with_records_kept() {
    let dir = tempfile::tempdir().unwrap();
    File::create(dir.path().join(DATABASE_FILE)).unwrap();
    let id = {
        let history = History::open(dir.path()).unwrap();
        let id = history
            .record_pending(&new_upload("https://x.example/a.wav"))
            .unwrap();
        history.record_done(id, &uploaded("a-1"), 1).unwrap();
        id
    };
    let history = History::open(dir.path()).unwrap();
    assert_eq!(
        history.get(id).unwrap().unwrap().audio_id.as_deref(),
        Some("a-1")
    );
    let conn = raw(dir.path());
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |row| row.get(0))
        .unwrap();
    // Every migration, the shared poll gate of songs the last.
    assert_eq!(version, 7);
    let mode: String = conn
        .query_row("PRAGMA journal_mode", [], |row| row.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
}

#[test]
fn a_history_from_a_newer_version_is_refused_plainly() {
    let dir = tempfile::tempdir().unwrap();
    drop(History::open(dir.path()).unwrap());
    raw(dir.path())
        .pragma_update(None, "user_version", 99)
        .unwrap();
    let error = History::open(dir.path()).unwrap_err();
    assert!(error.report().message.contains("newer version"), "{error}");
}

#[test]
fn a_file_that_is_not_a_database_is_an_error_not_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(DATABASE_FILE), vec![b'x'; 8192]).unwrap();
    let error = History::open(dir.path()).unwrap_err();
    let report = error.report();
    assert_eq!(report.code.as_str(), "history_unavailable");
    assert!(report.message.contains("could not be read"), "{report:?}");
}

#[cfg(unix)]
#[test]
fn the_folders_it_creates_and_the_database_files_are_private() {
    use std::os::unix::fs::PermissionsExt;
    let mode = |path: &Path| std::fs::metadata(path).unwrap().permissions().mode() & 0o777;
    let parent = tempfile::tempdir().unwrap();
    let dir = parent.path().join("data");

    let history = History::open(&dir).unwrap();
    let id = history
        .record_pending(&new_upload("https://x.example/a.wav"))
        .unwrap();
    history.record_done(id, &uploaded("a-1"), 1).unwrap();

    assert_eq!(mode(&dir), 0o700);
    assert_eq!(mode(&dir.join("sessions")), 0o700);
    for name in [DATABASE_FILE, "history.sqlite3-wal", "history.sqlite3-shm"] {
        assert_eq!(mode(&dir.join(name)), 0o600, "{name}");
    }
    for entry in std::fs::read_dir(dir.join("sessions")).unwrap() {
        let path = entry.unwrap().path();
        assert_eq!(mode(&path), 0o600, "{}", path.display());
    }
}

#[cfg(unix)]
#[test]
fn a_folder_that_already_exists_keeps_its_permissions() {
    use std::os::unix::fs::PermissionsExt;
    let mode = |path: &Path| std::fs::metadata(path).unwrap().permissions().mode() & 0o777;
    // PRODUCER_UPLOAD_DATA_DIR may name a folder such as the person's home.
    let dir = tempfile::tempdir().unwrap();
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o751)).unwrap();
    let history = History::open(dir.path()).unwrap();
    drop(history);
    assert_eq!(mode(dir.path()), 0o751);
    assert_eq!(mode(&dir.path().join("sessions")), 0o700);
    assert_eq!(mode(&dir.path().join(DATABASE_FILE)), 0o600);
}

#[test]
fn a_live_handle_keeps_its_pending_records_and_closing_it_marks_them_interrupted() {
    let dir = tempfile::tempdir().unwrap();
    let first = History::open(dir.path()).unwrap();
    let pending = first
        .record_pending(&new_upload("https://x.example/a.wav"))
        .unwrap();

    // Another handle (as another process would) opens while the first is alive.
    let second = History::open(dir.path()).unwrap();
    assert_eq!(second.recover_interrupted().unwrap(), 0);
    assert_eq!(second.get(pending).unwrap().unwrap().state, State::Pending);

    // The first one finishes its upload normally even though the second is open.
    first.record_done(pending, &uploaded("a-1"), 1).unwrap();
    let unfinished = first
        .record_pending(&new_upload("https://x.example/b.wav"))
        .unwrap();
    drop(first);
    let record = second.get(unfinished).unwrap().unwrap();
    assert_eq!(record.state, State::Interrupted);
    assert!(record.finished_at.is_some());
    assert_eq!(second.get(pending).unwrap().unwrap().state, State::Done);
}

#[test]
fn pending_records_of_dead_sessions_become_interrupted_and_live_ones_stay() {
    let dir = tempfile::tempdir().unwrap();
    drop(History::open(dir.path()).unwrap());
    let sessions = dir.path().join("sessions");
    let conn = raw(dir.path());
    let insert = |session: &str, link: &str| {
        conn.execute(
            "INSERT INTO uploads (created_at, given_url, audio_url, file_name, state, source,
                                  session_id, search_text)
             VALUES (0, ?1, ?1, 'a.wav', 'pending', 'app', ?2, ?1)",
            [link, session],
        )
        .unwrap();
        RecordId(conn.last_insert_rowid())
    };
    // A session whose process died: its file is there but nobody holds the lock.
    let dead = "6f1c1a52-5a34-4c4e-9d5e-0d7f1b2a9c01";
    File::create(sessions.join(format!("{dead}.lock"))).unwrap();
    let of_dead = insert(dead, "https://x.example/dead.wav");
    // A session whose file is gone altogether.
    let of_vanished = insert(
        "0b8e4a8e-93a5-4d43-8a7a-52b8a7c0d9f2",
        "https://x.example/gone.wav",
    );
    // A session alive in another process: its file is locked.
    let alive = "c3a1d4f0-8e2b-4f6a-b1c9-7d2e5f8a0b13";
    let alive_lock = File::create(sessions.join(format!("{alive}.lock"))).unwrap();
    alive_lock.try_lock().unwrap();
    let of_alive = insert(alive, "https://x.example/alive.wav");

    let history = History::open(dir.path()).unwrap();
    let state = |id| history.get(id).unwrap().unwrap().state;
    assert_eq!(state(of_dead), State::Interrupted);
    assert_eq!(state(of_vanished), State::Interrupted);
    assert_eq!(state(of_alive), State::Pending);
    assert!(
        !sessions.join(format!("{dead}.lock")).exists(),
        "the dead session's file is removed"
    );
    assert!(sessions.join(format!("{alive}.lock")).exists());

    // Interrupted uploads can be retried.
    assert_eq!(
        history.mark_retrying(of_dead).unwrap().state,
        State::Pending
    );

    // Once the other process is gone, its pending records are caught on the next look.
    drop(alive_lock);
    assert_eq!(history.recover_interrupted().unwrap(), 1);
    assert_eq!(state(of_alive), State::Interrupted);
}

#[test]
fn handles_in_several_threads_write_at_the_same_time_without_losing_a_record() {
    let dir = tempfile::tempdir().unwrap();
    let handles: Vec<History> = (0..3).map(|_| History::open(dir.path()).unwrap()).collect();
    std::thread::scope(|scope| {
        for (n, history) in handles.iter().enumerate() {
            scope.spawn(move || {
                for i in 0..100 {
                    let link = format!("https://x.example/{n}/{i}.wav");
                    let id = history.record_pending(&new_upload(&link)).unwrap();
                    history
                        .record_done(id, &uploaded(&format!("{n}-{i}")), 1)
                        .unwrap();
                }
            });
        }
    });
    let done = Query {
        states: vec![State::Done],
        ..Query::default()
    };
    assert_eq!(handles[0].count(&done).unwrap(), 300);
    assert_eq!(handles[2].count(&Query::default()).unwrap(), 300);
}

/// Six records over three days, one with a name full of search metacharacters.
fn searchable(history: &History) {
    let records = [
        record(
            1,
            datetime!(2026-11-23 23:59:59.999 UTC),
            "https://x.example/Kick.wav",
            Some("id-kick"),
        ),
        record(
            2,
            datetime!(2026-11-24 00:00:00 UTC),
            "https://x.example/D%C3%89MO%20Take.wav",
            Some("id-demo"),
        ),
        record(
            3,
            datetime!(2026-11-24 12:00:00 UTC),
            "https://x.example/100%25_mix.wav",
            None,
        ),
        record(
            4,
            datetime!(2026-11-24 23:59:59.999 UTC),
            "https://x.example/1000Xmix.wav",
            Some("id-other"),
        ),
        record(
            5,
            datetime!(2026-11-25 00:00:00 UTC),
            "https://cdn.example/back%5Cslash.wav",
            Some("ID-Snare"),
        ),
        record(
            6,
            datetime!(2026-11-25 08:00:00 UTC),
            "https://x.example/vocals.wav",
            Some("2026-11-24-id"),
        ),
    ];
    assert_eq!(history.restore(&records).unwrap(), 6);
}

#[test]
fn search_finds_links_file_names_ids_and_days_newest_first() {
    let dir = tempfile::tempdir().unwrap();
    let history = History::open(dir.path()).unwrap();
    searchable(&history);
    let found = |words: &str| ids(&history.search(&text(words)).unwrap());

    assert_eq!(found(""), [6, 5, 4, 3, 2, 1], "newest first");
    assert_eq!(found("x.example"), [6, 4, 3, 2, 1], "by link");
    assert_eq!(found("kick"), [1], "by file name, any case");
    assert_eq!(
        found("démo take"),
        [2],
        "non-ASCII case folding, every word must match"
    );
    assert_eq!(found("id-snare"), [5], "by audio id, any case");
    assert_eq!(
        found("2026-11-24"),
        [6, 4, 3, 2],
        "by day in UTC, and in an id"
    );
    assert_eq!(found("2026-11-24 mix"), [4, 3]);
    assert_eq!(found("nothing-like-this"), Vec::<i64>::new());

    // LIKE wildcards in the person's text are taken literally.
    assert_eq!(found("100%"), [3]);
    assert_eq!(found("%"), [5, 3, 2], "only links with a literal %");
    assert_eq!(found("0%_m"), [3], "not 1000Xmix");
    assert_eq!(found("%_"), [3]);
    assert_eq!(found("back\\slash"), [5]);
    assert_eq!(found("\\"), [5]);

    let failed = Query {
        states: vec![State::Failed],
        ..Query::default()
    };
    assert_eq!(ids(&history.search(&failed).unwrap()), [3]);
    let page = Query {
        limit: Some(2),
        offset: 1,
        ..text("x.example")
    };
    assert_eq!(ids(&history.search(&page).unwrap()), [4, 3]);
    assert_eq!(history.count(&page).unwrap(), 5, "count ignores the page");
    let chosen = Query {
        ids: vec![RecordId(5), RecordId(1), RecordId(42)],
        ..Query::default()
    };
    assert_eq!(ids(&history.search(&chosen).unwrap()), [5, 1]);
}

#[test]
fn dates_are_searched_as_the_list_shows_them_in_the_person_s_time_zone() {
    let dir = tempfile::tempdir().unwrap();
    let history = History::open(dir.path()).unwrap();
    searchable(&history);
    let found = |words: &str, utc_offset_minutes: i32| {
        let query = Query {
            utc_offset_minutes,
            ..text(words)
        };
        ids(&history.search(&query).unwrap())
    };
    // UTC: the same days as before, written the way the list shows them.
    for words in ["Nov 24", "24 Nov", "November 24, 2026", "24 Nov 2026"] {
        assert_eq!(found(words, 0), [4, 3, 2], "{words}");
    }
    assert_eq!(
        found("2026-11-24", 0),
        [6, 4, 3, 2],
        "and the id naming the day"
    );
    // Three hours ahead of UTC (Moscow): 23:59 on the 23rd is already the 24th, and the last
    // two minutes of the 24th in UTC are the 25th there.
    assert_eq!(found("Nov 24", 180), [3, 2, 1]);
    assert_eq!(found("2026-11-24", 180), [6, 3, 2, 1]);
    // Eight hours behind (Los Angeles): 08:00 UTC on the 25th is still the 25th's midnight.
    assert_eq!(found("Nov 25", -480), [6]);
    assert_eq!(found("Nov 24 mix", 0), [4, 3], "a date and a word");
    let failed_in_french = Query {
        month_names: [
            "janvier",
            "février",
            "mars",
            "avril",
            "mai",
            "juin",
            "juillet",
            "août",
            "septembre",
            "octobre",
            "novembre",
            "décembre",
        ]
        .map(str::to_owned)
        .to_vec(),
        states: vec![State::Failed, State::Interrupted],
        ..text("24 nov. 2026")
    };
    assert_eq!(ids(&history.search(&failed_in_french).unwrap()), [3]);
}

#[test]
fn chinese_dates_are_searched_as_the_window_shows_them() {
    let dir = tempfile::tempdir().unwrap();
    let history = History::open(dir.path()).unwrap();
    searchable(&history);
    let found = |words: &str, utc_offset_minutes: i32| {
        let query = Query {
            utc_offset_minutes,
            ..text(words)
        };
        ids(&history.search(&query).unwrap())
    };
    // The same days as "Nov 24" in UTC, written as the window shows them in Chinese.
    for words in [
        "11月24日",
        "2026年11月24日",
        "2026/11/24",
        "十一月二十四日",
        "2026 年 11 月 24 日",
    ] {
        assert_eq!(found(words, 0), [4, 3, 2], "{words}");
    }
    // Beijing is eight hours ahead of UTC: the last minutes of the 24th in UTC are the 25th.
    assert_eq!(found("11月24日", 480), found("Nov 24", 480));
    assert_eq!(found("11月24日 mix", 0), [4, 3], "a date and a word");
}

#[test]
fn deleted_records_come_back_with_restore_and_ids_are_never_reused() {
    let dir = tempfile::tempdir().unwrap();
    let history = History::open(dir.path()).unwrap();
    searchable(&history);
    let in_flight = history
        .record_pending(&new_upload("https://x.example/in-flight.wav"))
        .unwrap();
    let before = history.search(&Query::default()).unwrap();

    let deleted = history
        .delete(&[RecordId(2), RecordId(6), in_flight, RecordId(77)])
        .unwrap();
    assert_eq!(ids(&deleted), [2, 6], "a pending upload is not deleted");
    assert_eq!(history.count(&Query::default()).unwrap(), 5);
    assert!(history.search(&text("id-demo")).unwrap().is_empty());

    let newer = history
        .record_pending(&new_upload("https://x.example/newer.wav"))
        .unwrap();
    assert!(newer.0 > in_flight.0, "ids are never reused");
    history.delete(&[]).unwrap();

    assert_eq!(history.restore(&deleted).unwrap(), 2);
    assert_eq!(
        history.restore(&deleted).unwrap(),
        0,
        "restoring twice changes nothing"
    );
    let mut after = history.search(&Query::default()).unwrap();
    after.retain(|record| record.id != newer);
    assert_eq!(after, before);
    assert_eq!(
        ids(&history.search(&text("id-demo")).unwrap()),
        [2],
        "search works again"
    );
}

fn read_csv(bytes: &[u8]) -> (Vec<String>, Vec<Vec<String>>) {
    let mut reader = csv::Reader::from_reader(bytes);
    let headers = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect();
    let rows = reader
        .records()
        .map(|row| row.unwrap().iter().map(str::to_owned).collect())
        .collect();
    (headers, rows)
}

#[test]
fn export_to_csv_and_json_round_trips_awkward_names() {
    let dir = tempfile::tempdir().unwrap();
    let history = History::open(dir.path()).unwrap();
    let awkward = "https://x.example/D%C3%A9mo%2C%20%22final%22%20%E2%80%93%20%E2%98%83.wav";
    let mut failed = record(1, datetime!(2026-11-24 09:30:12.345 UTC), awkward, None);
    if let Some(error) = failed.error.as_mut() {
        error.message = "line one,\n\"line\" two".into();
    }
    let done = record(
        2,
        datetime!(2026-11-25 10:00:00 UTC),
        "https://x.example/plain.wav",
        Some("a-2"),
    );
    history.restore(&[failed.clone(), done.clone()]).unwrap();

    let mut csv_bytes = Vec::new();
    let written = history
        .export(&Query::default(), Format::Csv, &mut csv_bytes)
        .unwrap();
    assert_eq!(written, 2);
    assert!(
        csv_bytes.starts_with(b"\xEF\xBB\xBF"),
        "a UTF-8 byte-order mark for Excel"
    );
    let (headers, rows) = read_csv(&csv_bytes);
    assert_eq!(headers, CSV_HEADERS);
    let column = |row: &Vec<String>, name: &str| {
        row[CSV_HEADERS
            .iter()
            .position(|header| *header == name)
            .unwrap()]
        .clone()
    };
    assert_eq!(rows.len(), 2);
    let (second, first) = (&rows[0], &rows[1]);
    assert_eq!(column(first, "file_name"), "Démo, \"final\" – ☃.wav");
    assert_eq!(column(first, "given_url"), awkward);
    assert_eq!(column(first, "error_message"), "line one,\n\"line\" two");
    assert_eq!(column(first, "error_code"), "used_up");
    assert_eq!(column(first, "http_status"), "403");
    assert_eq!(column(first, "created_at"), "2026-11-24T09:30:12.345Z");
    assert_eq!(column(first, "audio_id"), "");
    assert_eq!(column(second, "audio_id"), "a-2");
    assert_eq!(column(second, "state"), "done");
    assert_eq!(column(second, "id"), "2");

    // A selection, as JSON: exactly what the UI gets for each record.
    let mut json_bytes = Vec::new();
    let selection = Query {
        ids: vec![RecordId(1)],
        ..Query::default()
    };
    assert_eq!(
        history
            .export(&selection, Format::Json, &mut json_bytes)
            .unwrap(),
        1
    );
    let exported: serde_json::Value = serde_json::from_slice(&json_bytes).unwrap();
    assert_eq!(
        exported,
        serde_json::json!([serde_json::to_value(&failed).unwrap()])
    );
    assert_eq!(exported[0]["file_name"], "Démo, \"final\" – ☃.wav");

    let mut empty = Vec::new();
    history
        .export(&text("no-such-thing"), Format::Json, &mut empty)
        .unwrap();
    assert_eq!(
        serde_json::from_slice::<serde_json::Value>(&empty).unwrap(),
        serde_json::json!([])
    );
}

#[test]
fn a_failing_writer_is_an_export_error() {
    struct Broken;
    impl std::io::Write for Broken {
        fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
            Err(std::io::Error::other("disk full"))
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let dir = tempfile::tempdir().unwrap();
    let history = History::open(dir.path()).unwrap();
    let error = history
        .export(&Query::default(), Format::Csv, Broken)
        .unwrap_err();
    assert!(matches!(error, HistoryError::Export(_)));
    assert!(error.report().message.contains("disk full"));
}

#[cfg(unix)]
#[test]
fn an_export_is_never_written_over_a_pipe_or_another_special_file() {
    let dir = tempfile::tempdir().unwrap();
    let history = History::open(dir.path().join("data")).unwrap();
    history
        .record_pending(&new_upload("https://x.example/a.wav"))
        .unwrap();

    let fifo = dir.path().join("uploads.csv");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    let socket = dir.path().join("uploads.json");
    let _listener = std::os::unix::net::UnixListener::bind(&socket).unwrap();
    let folder = dir.path().join("folder.csv");
    std::fs::create_dir(&folder).unwrap();
    for path in [&fifo, &socket, &folder] {
        let error = history
            .export_to_file(&Query::default(), Format::Csv, path)
            .unwrap_err();
        assert!(matches!(error, HistoryError::ExportTarget(_)), "{error:?}");
        let message = error.report().message;
        assert!(message.contains("not a regular file"), "{message}");
        assert!(message.contains("Choose another file name"), "{message}");
    }
    use std::os::unix::fs::FileTypeExt;
    assert!(
        std::fs::metadata(&fifo).unwrap().file_type().is_fifo(),
        "the pipe stays"
    );
    assert!(std::fs::metadata(&socket).unwrap().file_type().is_socket());
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .flatten()
        .filter(|entry| {
            entry
                .file_name()
                .to_string_lossy()
                .starts_with(".producer-upload")
        })
        .collect();
    assert!(leftovers.is_empty(), "no half-written file is left");

    // A regular file is still replaced.
    let regular = dir.path().join("old.csv");
    std::fs::write(&regular, "old").unwrap();
    let written = history
        .export_to_file(&Query::default(), Format::Csv, &regular)
        .unwrap();
    assert_eq!(written, 1);
    assert!(std::fs::read_to_string(&regular).unwrap().contains("a.wav"));
}

#[test]
fn a_session_id_from_the_database_never_names_a_file_outside_the_data_folder() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    drop(History::open(&data).unwrap());
    // `sessions/../../victim.lock`, read from a crafted row, is this file beside the data folder.
    let victim = dir.path().join("victim.lock");
    std::fs::write(&victim, "not the history's").unwrap();
    let conn = raw(&data);
    for session in ["../../victim", "../sessions/../../victim", "/tmp/../victim"] {
        conn.execute(
            "INSERT INTO uploads (created_at, given_url, audio_url, file_name, state, source,
                                  session_id, search_text)
             VALUES (0, 'https://x.example/a.wav', 'https://x.example/a.wav', 'a.wav',
                     'pending', 'cli', ?1, 'a.wav')",
            [session],
        )
        .unwrap();
    }
    let history = History::open(&data).unwrap();
    assert!(
        victim.exists(),
        "the file outside the data folder is untouched"
    );
    let records = history.search(&Query::default()).unwrap();
    assert_eq!(records.len(), 3);
    assert!(
        records
            .iter()
            .all(|record| record.state == State::Interrupted),
        "the records of a session that cannot be alive are interrupted"
    );
}

/// 100,000 records over 100 days, 1 in 10 failed, made in one transaction.
fn hundred_thousand(history: &History) {
    let start = datetime!(2026-08-01 00:00:00 UTC);
    let records: Vec<Record> = (1..=100_000)
        .map(|i| {
            let at = start + time::Duration::seconds(i * 86);
            let link = format!("https://files.example/session-{}/stem-{i:06}.wav", i % 97);
            let id = format!("{i:08x}-5e1f-4c1a-9d7b-0c2a1f3e4d5b");
            record(i, at, &link, (i % 10 != 0).then_some(id.as_str()))
        })
        .collect();
    assert_eq!(history.restore(&records).unwrap(), 100_000);
}

#[test]
fn a_hundred_thousand_records_can_be_searched_and_exported() {
    let dir = tempfile::tempdir().unwrap();
    hundred_thousand(&History::open(dir.path()).unwrap());
    let history = History::open(dir.path()).unwrap();

    assert_eq!(history.count(&Query::default()).unwrap(), 100_000);
    let first_page = history
        .search(&Query {
            limit: Some(50),
            ..Query::default()
        })
        .unwrap();
    assert_eq!(first_page.len(), 50);
    assert_eq!(first_page[0].id, RecordId(100_000));

    let by_id = history.search(&text("0000D431-5E1F")).unwrap();
    assert_eq!(ids(&by_id), [0xd431]);
    let by_name = history.search(&text("stem-012345.wav")).unwrap();
    assert_eq!(ids(&by_name), [12_345]);
    // 86 s apart: 2026-09-01 holds records 31,145 ..= 32,148.
    let day = Query {
        limit: Some(10_000),
        ..text("2026-09-01")
    };
    let on_day = history.search(&day).unwrap();
    assert_eq!(on_day.len(), 1_004);
    assert!(on_day
        .iter()
        .all(|record| record.created_at.date() == time::macros::date!(2026 - 09 - 01)));
    let failed = Query {
        states: vec![State::Failed],
        ..text("session-5/")
    };
    assert_eq!(history.count(&failed).unwrap(), 103);

    let mut out = Vec::new();
    let written = history
        .export(&Query::default(), Format::Csv, &mut out)
        .unwrap();
    assert_eq!(written, 100_000);
    assert_eq!(read_csv(&out).1.len(), 100_000);
}

// ---------------------------------------------------------------------------------------------
// The `producer-upload` command records its uploads and shows the history.

mod cli {
    use super::*;
    use producer_sim::{SimConfig, Simulator};
    use std::process::{Output, Stdio};
    use std::time::Duration;
    use tokio::process::Command;

    const CLI: &str = env!("CARGO_BIN_EXE_producer-upload");

    /// The command with its history in `data`, the simulator as its API and `token`.
    fn command(sim: &Simulator, data: &Path, token: &str, args: &[&str]) -> Command {
        let mut command = Command::new(CLI);
        command
            .args(args)
            .env("PRODUCER_UPLOAD_DATA_DIR", data)
            // In English whatever this computer's language: the test reads its words.
            .env("PRODUCER_UPLOAD_LANGUAGE", "en")
            .env("ACEDATACLOUD_API_BASE_URL", sim.base_url())
            .env("ACEDATACLOUD_API_TOKEN", token)
            .env(
                "PRODUCER_UPLOAD_KEYCHAIN_SERVICE",
                format!("producer-upload-test-history-{}", std::process::id()),
            )
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true);
        command
    }

    async fn run(sim: &Simulator, data: &Path, token: &str, args: &[&str]) -> Output {
        let child = command(sim, data, token, args).spawn().unwrap();
        tokio::time::timeout(Duration::from_secs(60), child.wait_with_output())
            .await
            .expect("the command finished in time")
            .unwrap()
    }

    fn stdout(output: &Output) -> String {
        String::from_utf8(output.stdout.clone()).unwrap()
    }

    fn stderr(output: &Output) -> String {
        String::from_utf8(output.stderr.clone()).unwrap()
    }

    async fn sim() -> Simulator {
        Simulator::start(SimConfig::default()).await.unwrap()
    }

    const GOOD: &str = "https://x.example/D%C3%A9mo%2C%20%22final%22.wav";
    const UNREADABLE: &str = "https://x.example/b.wav?sim_fault=notjson";

    #[tokio::test]
    async fn uploads_are_recorded_and_history_lists_and_exports_them() {
        let sim = sim().await;
        let data = tempfile::tempdir().unwrap();
        let output = run(
            &sim,
            data.path(),
            "sim-token",
            &["upload", GOOD, UNREADABLE],
        )
        .await;
        assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
        let issued = sim.issued();
        assert_eq!(issued.len(), 1);
        let audio_id = &issued[0].audio_id;

        let history = History::open(data.path()).unwrap();
        let records = history.search(&Query::default()).unwrap();
        assert_eq!(records.len(), 2, "{records:?}");
        let done = records.iter().find(|r| r.given_url == GOOD).unwrap();
        assert_eq!(done.state, State::Done);
        assert_eq!(done.audio_id.as_ref(), Some(audio_id));
        assert_eq!(done.file_name, "Démo, \"final\".wav");
        assert_eq!((done.source, done.attempts), (Source::Cli, 1));
        let failed = records.iter().find(|r| r.given_url == UNREADABLE).unwrap();
        assert_eq!(failed.state, State::Failed);
        let error = failed.error.as_ref().unwrap();
        assert_eq!(
            (error.code.as_str(), error.status),
            ("bad_response", Some(200))
        );
        drop(history);

        // Text: time, state, audio ID or error code, link; newest first.
        let output = run(&sim, data.path(), "", &["history"]).await;
        assert!(output.status.success(), "{}", stderr(&output));
        let text = stdout(&output);
        let lines: Vec<Vec<&str>> = text
            .lines()
            .map(|line| line.split('\t').collect())
            .collect();
        assert_eq!(lines.len(), 2, "{text}");
        let good = lines.iter().find(|fields| fields[3] == GOOD).unwrap();
        assert_eq!(&good[1..], ["done", audio_id.as_str(), GOOD]);
        assert!(good[0].len() == 20 && good[0].ends_with('Z'), "{text}");
        let bad = lines.iter().find(|fields| fields[3] == UNREADABLE).unwrap();
        assert_eq!(&bad[1..3], ["failed", "bad_response"]);

        let output = run(
            &sim,
            data.path(),
            "",
            &["history", "--json", "--search", "DÉMO"],
        )
        .await;
        let found: Vec<serde_json::Value> = stdout(&output)
            .lines()
            .map(|line| serde_json::from_str(line).unwrap())
            .collect();
        assert_eq!(found.len(), 1, "{}", stdout(&output));
        assert_eq!(found[0]["audio_id"], audio_id.as_str());
        assert_eq!(found[0]["state"], "done");

        let output = run(&sim, data.path(), "", &["history", "--limit", "1"]).await;
        assert_eq!(stdout(&output).lines().count(), 1);
        assert!(
            stderr(&output).contains("1 newest of 2"),
            "{}",
            stderr(&output)
        );

        let output = run(
            &sim,
            data.path(),
            "",
            &["history", "export", "--format", "csv"],
        )
        .await;
        assert!(output.status.success(), "{}", stderr(&output));
        assert!(output.stdout.starts_with(b"\xEF\xBB\xBF"));
        let (headers, rows) = super::read_csv(&output.stdout);
        assert_eq!(headers, CSV_HEADERS);
        assert_eq!(rows.len(), 2);
        assert!(rows
            .iter()
            .any(|row| row[3] == "Démo, \"final\".wav" && &row[4] == audio_id));

        let file = data.path().join("export.json");
        let file_arg = file.to_str().unwrap();
        let args = [
            "history", "export", "--format", "json", "--output", file_arg,
        ];
        let output = run(&sim, data.path(), "", &args).await;
        assert!(
            stderr(&output).contains("Exported 2 uploads"),
            "{}",
            stderr(&output)
        );
        let exported: serde_json::Value =
            serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
        assert_eq!(exported.as_array().unwrap().len(), 2);

        let help = run(&sim, data.path(), "", &["--help"]).await;
        assert!(stdout(&help).contains("history"), "{}", stdout(&help));
        assert!(stdout(&help).contains("PRODUCER_UPLOAD_DATA_DIR"));
    }

    #[tokio::test]
    async fn the_token_never_reaches_the_history_files() {
        let secret = "sk-history-TOPSECRET-4242";
        let sim = Simulator::start(SimConfig {
            accepted_tokens: vec![secret.into()],
            ..SimConfig::default()
        })
        .await
        .unwrap();
        let data = tempfile::tempdir().unwrap();
        let links = [
            "https://x.example/1.wav",
            "https://x.example/2.wav",
            UNREADABLE,
        ];
        let mut args = vec!["upload", "--json"];
        args.extend(links);
        let output = run(&sim, data.path(), secret, &args).await;
        assert_eq!(sim.issued().len(), 2, "{}", stderr(&output));
        // Also with the database still open by another handle, so the WAL file is there too.
        let history = History::open(data.path()).unwrap();
        assert_eq!(history.count(&Query::default()).unwrap(), 3);
        let mut checked = 0;
        for entry in walk(data.path()) {
            let bytes = std::fs::read(&entry).unwrap();
            let found = bytes.windows(b"TOPSECRET".len()).any(|w| w == b"TOPSECRET");
            assert!(!found, "the token is in {}", entry.display());
            checked += 1;
        }
        assert!(checked >= 2, "the database files were read");
    }

    fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
        let mut files = Vec::new();
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                files.extend(walk(&path));
            } else {
                files.push(path);
            }
        }
        files
    }

    #[tokio::test]
    async fn no_history_records_nothing() {
        let sim = sim().await;
        let data = tempfile::tempdir().unwrap();
        let output = run(
            &sim,
            data.path(),
            "sim-token",
            &["upload", "--no-history", GOOD],
        )
        .await;
        assert!(output.status.success(), "{}", stderr(&output));
        assert!(!data.path().join(DATABASE_FILE).exists());
    }

    #[tokio::test]
    async fn an_unusable_history_is_said_plainly_and_the_id_is_still_printed() {
        let sim = sim().await;
        let data = tempfile::tempdir().unwrap();
        let not_a_folder = data.path().join("a-file");
        std::fs::write(&not_a_folder, "x").unwrap();
        let output = run(&sim, &not_a_folder, "sim-token", &["upload", GOOD]).await;
        assert!(output.status.success(), "{}", stderr(&output));
        let id = &sim.issued()[0].audio_id;
        assert_eq!(stdout(&output), format!("{id}\t{GOOD}\n"));
        let said = stderr(&output);
        assert!(
            said.contains("upload history could not be opened"),
            "{said}"
        );
        assert!(said.contains("not kept in the history"), "{said}");

        let output = run(&sim, &not_a_folder, "", &["history"]).await;
        assert_eq!(output.status.code(), Some(1));
        assert!(stderr(&output).contains("history"), "{}", stderr(&output));
    }

    /// Polls the history in `data` until `check` holds, for at most 20 s.
    async fn wait_for(data: &Path, check: impl Fn(&[Record]) -> bool) -> Vec<Record> {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
        loop {
            if data.join(DATABASE_FILE).exists() {
                let records = History::open(data)
                    .unwrap()
                    .search(&Query::default())
                    .unwrap();
                if check(&records) {
                    return records;
                }
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "timed out waiting for the history"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    #[tokio::test]
    async fn a_killed_command_leaves_interrupted_records_and_a_live_one_keeps_its_pending() {
        let sim = sim().await;
        let data = tempfile::tempdir().unwrap();
        let hanging = "https://x.example/stuck.wav?sim_fault=hang";
        let mut child = command(&sim, data.path(), "sim-token", &["upload", hanging])
            .spawn()
            .unwrap();

        // While the command runs, opening the history (a sweep each time) leaves its record be.
        let records = wait_for(data.path(), |records| records.len() == 1).await;
        assert_eq!(records[0].state, State::Pending);
        tokio::time::sleep(Duration::from_millis(200)).await;
        let history = History::open(data.path()).unwrap();
        assert_eq!(
            history.search(&Query::default()).unwrap()[0].state,
            State::Pending
        );

        child.start_kill().unwrap();
        tokio::time::timeout(Duration::from_secs(10), child.wait())
            .await
            .expect("the command stopped")
            .unwrap();
        assert_eq!(history.recover_interrupted().unwrap(), 1);
        let record = history.search(&Query::default()).unwrap().remove(0);
        assert_eq!(
            (record.state, record.given_url.as_str()),
            (State::Interrupted, hanging)
        );
        assert!(
            history.mark_retrying(record.id).is_ok(),
            "Retry is available"
        );
    }
}

#[test]
fn csv_cells_that_start_like_formulas_are_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let history = History::open(dir.path()).unwrap();
    let id = history
        .record_pending(&NewUpload {
            given_url: "=HYPERLINK(\"https://evil.example\",\"click\")".into(),
            audio_url: Url::parse("https://x.example/a.wav").unwrap(),
            source: Source::Cli,
        })
        .unwrap();
    history.record_done(id, &uploaded("-1"), 1).unwrap();
    let mut csv_bytes = Vec::new();
    history
        .export(&Query::default(), Format::Csv, &mut csv_bytes)
        .unwrap();
    let (headers, rows) = read_csv(&csv_bytes);
    let column = |name: &str| headers.iter().position(|header| header == name).unwrap();
    assert_eq!(
        rows[0][column("given_url")],
        "'=HYPERLINK(\"https://evil.example\",\"click\")"
    );
    assert_eq!(rows[0][column("audio_id")], "'-1");
    assert_eq!(rows[0][column("audio_url")], "https://x.example/a.wav");
}

#[test]
fn an_export_file_is_private_and_a_failed_export_leaves_the_chosen_file_alone() {
    let dir = tempfile::tempdir().unwrap();
    let history = History::open(dir.path().join("data")).unwrap();
    history
        .record_pending(&new_upload("https://x.example/a.wav"))
        .unwrap();
    let path = dir.path().join("uploads.csv");
    std::fs::write(&path, "a file that was there before").unwrap();
    assert_eq!(
        history
            .export_to_file(&Query::default(), Format::Csv, &path)
            .unwrap(),
        1
    );
    assert!(std::fs::read_to_string(&path).unwrap().contains("a.wav"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }

    // A folder that cannot be written: the chosen file stays as it was, nothing is left behind.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let locked = dir.path().join("locked");
        std::fs::create_dir(&locked).unwrap();
        let kept = locked.join("kept.csv");
        std::fs::write(&kept, "keep me").unwrap();
        std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o500)).unwrap();
        let result = history.export_to_file(&Query::default(), Format::Csv, &kept);
        std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o700)).unwrap();
        if result.is_err() {
            assert_eq!(std::fs::read_to_string(&kept).unwrap(), "keep me");
            assert_eq!(std::fs::read_dir(&locked).unwrap().count(), 1);
        }
    }
}
