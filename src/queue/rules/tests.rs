//! The queue's rules on their own: events in, updates and effects out, with no server, no
//! uploader and no runtime. (The queue's own tests run the same rules against the simulator.)

use super::*;
use crate::client::Uploaded;
use crate::filehost::{Hosted, LocalAudio};
use crate::history::FileInfo;
use crate::incoming::Incoming;
use crate::preflight::PreflightReport;
use crate::queue::{ItemState, ReceiveTurn};
use crate::queue::{ItemView, QueueLink, Unsent};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use url::Url;

fn token() -> ApiToken {
    ApiToken::parse("sim-token").unwrap()
}

fn link(n: usize) -> NewLink {
    NewLink {
        link: QueueLink {
            given: format!("https://x.example/take-{n}.wav"),
            audio_url: Url::parse(&format!("https://x.example/take-{n}.wav")).unwrap(),
            retry_of: None,
            notes: Vec::new(),
        },
        record: Some(RecordId(n as i64 + 100)),
    }
}

fn uploaded(id: u64) -> Uploaded {
    Uploaded {
        audio_id: format!("audio-{id}"),
        task_id: None,
        hosted_audio_url: None,
        lyric: None,
    }
}

fn failure(code: ErrorCode) -> ErrorReport {
    ErrorReport::from_code(code)
}

/// A batch with a clock that only moves when told.
struct Rig {
    batch: Batch,
    now: Instant,
}

impl Rig {
    fn new(limit: usize) -> Self {
        Self {
            batch: Batch::new(limit),
            now: Instant::now(),
        }
    }

    fn apply(&mut self, event: Event) -> Applied {
        self.now += Duration::from_millis(100);
        self.batch.apply(event, self.now)
    }

    fn add(&mut self, count: usize) -> Applied {
        let links = (0..count).map(link).collect();
        self.apply(Event::AddLinks {
            token: token(),
            links,
        })
    }

    fn row(&self, id: u64) -> ItemView {
        let snapshot = self.batch.snapshot();
        snapshot
            .items
            .into_iter()
            .find(|item| item.id == id)
            .unwrap_or_else(|| panic!("row {id} is listed"))
    }

    fn state(&self, id: u64) -> ItemState {
        self.row(id).state
    }

    fn finish(&mut self, id: u64, result: Result<Uploaded, ErrorReport>) -> Applied {
        self.apply(Event::Finished {
            id,
            record: None,
            result,
            not_recorded: None,
        })
    }
}

/// The rows `applied` started.
fn started(applied: &Applied) -> Vec<u64> {
    applied
        .effects
        .iter()
        .filter_map(|effect| match effect {
            Effect::Start(starts) => Some(starts.iter().map(|start| start.id)),
            _ => None,
        })
        .flatten()
        .collect()
}

#[test]
fn added_links_are_shown_waiting_then_the_oldest_start_up_to_the_limit() {
    let mut rig = Rig::new(2);
    let applied = rig.add(5);
    assert_eq!(applied.ids, [0, 1, 2, 3, 4]);
    assert_eq!(started(&applied), [0, 1]);
    // Two numbered updates: the rows as added, then the ones that started.
    let [added, began] = &applied.updates[..] else {
        panic!("two updates: {:?}", applied.updates);
    };
    assert!(added
        .items
        .iter()
        .all(|item| item.state == ItemState::Waiting));
    assert_eq!(began.sequence, added.sequence + 1);
    let ids: Vec<u64> = began.items.iter().map(|item| item.id).collect();
    assert_eq!(ids, [0, 1]);
    assert!(began
        .items
        .iter()
        .all(|item| item.revision == began.sequence));
    let summary = rig.batch.summary();
    assert_eq!((summary.waiting, summary.uploading), (3, 2));
    // Each upload settles the record made when its link was queued.
    let Some(Effect::Start(starts)) = applied.effects.first() else {
        panic!("a start");
    };
    assert_eq!(starts[0].retry_of, Some(RecordId(100)));
    assert!(matches!(starts[0].work, Work::Upload { .. }));
}

#[test]
fn a_finished_upload_frees_its_place_for_the_next() {
    let mut rig = Rig::new(2);
    rig.add(3);
    let applied = rig.finish(0, Ok(uploaded(0)));
    assert_eq!(started(&applied), [2]);
    assert_eq!(rig.state(0), ItemState::Done);
    assert_eq!(rig.row(0).uploaded.unwrap().audio_id, "audio-0");
    let failed = rig.finish(1, Err(failure(ErrorCode::ApiError)));
    assert!(started(&failed).is_empty(), "nothing left to start");
    let row = rig.row(1);
    assert_eq!(row.state, ItemState::Failed);
    assert_eq!(row.error.unwrap().code, ErrorCode::ApiError);
    assert!(row.can_retry);
}

#[test]
fn an_upload_waiting_out_a_retry_after_holds_no_place() {
    let mut rig = Rig::new(1);
    rig.add(3);
    let sent = rig.apply(Event::Progress {
        id: 0,
        step: Progress::Uploading { attempt: 1 },
    });
    assert!(started(&sent).is_empty());
    let aside = rig.apply(Event::Progress {
        id: 0,
        step: Progress::Waiting {
            seconds: 2,
            rate_limited: true,
            code: "too_many_requests".into(),
        },
    });
    assert_eq!(started(&aside), [1], "the next goes meanwhile");
    // Waiting before its first request is not aside: it holds its place.
    let first_wait = rig.apply(Event::Progress {
        id: 1,
        step: Progress::Waiting {
            seconds: 1,
            rate_limited: false,
            code: "network".into(),
        },
    });
    assert!(started(&first_wait).is_empty());
    assert_eq!(rig.batch.summary().uploading, 2);
}

#[test]
fn pause_starts_nothing_until_resumed_and_running_uploads_finish() {
    let mut rig = Rig::new(1);
    rig.add(2);
    let paused = rig.apply(Event::Pause);
    assert!(rig.batch.summary().paused);
    assert_eq!(paused.updates.len(), 1, "the pause itself is shown");
    let finished = rig.finish(0, Ok(uploaded(0)));
    assert!(started(&finished).is_empty());
    assert_eq!(rig.batch.summary().eta_seconds, None);
    let resumed = rig.apply(Event::Resume);
    assert_eq!(started(&resumed), [1]);
}

#[test]
fn a_higher_limit_starts_more_at_once() {
    let mut rig = Rig::new(1);
    rig.add(4);
    let applied = rig.apply(Event::SetLimit(3));
    assert_eq!(started(&applied), [1, 2]);
    // A lower one stops nothing already running.
    let lowered = rig.apply(Event::SetLimit(1));
    assert!(started(&lowered).is_empty());
    assert_eq!(rig.batch.summary().uploading, 3);
    rig.finish(0, Ok(uploaded(0)));
    rig.finish(1, Ok(uploaded(1)));
    let third = rig.finish(2, Ok(uploaded(2)));
    assert_eq!(started(&third), [3], "one at a time again");
}

#[test]
fn cancel_stops_what_waits_records_it_and_lets_running_uploads_finish() {
    let mut rig = Rig::new(1);
    rig.add(2);
    // A link with no queued record (the history could not be written when it was queued).
    rig.apply(Event::AddLinks {
        token: token(),
        links: vec![NewLink {
            record: None,
            ..link(7)
        }],
    });
    let applied = rig.apply(Event::Cancel);
    assert_eq!(applied.count, 2);
    assert_eq!(rig.state(0), ItemState::Uploading, "running: it finishes");
    assert_eq!(rig.state(1), ItemState::Interrupted);
    assert_eq!(rig.state(2), ItemState::Interrupted);
    let stopped_records: Vec<&Effect> = applied.effects.iter().collect();
    assert!(matches!(
        stopped_records[..],
        [Effect::StopQueued(ref records), Effect::RecordStopped(ref unsent)]
            if records == &[RecordId(101)] && unsent.len() == 1 && unsent[0].0 == 2
    ));
    rig.apply(Event::RecordedStopped(vec![(2, RecordId(55))]));
    // Retried later, it settles that record.
    let retried = rig.apply(Event::Retry {
        which: Which::Rows(vec![2]),
        token: None,
    });
    assert_eq!(retried.count, 1);
    let next = rig.finish(0, Ok(uploaded(0)));
    let Some(Effect::Start(starts)) = next.effects.first() else {
        panic!("row 2 starts");
    };
    assert_eq!(starts[0].retry_of, Some(RecordId(55)));
}

#[test]
fn a_retried_row_stopped_before_it_is_sent_goes_back_to_how_it_ended() {
    let mut rig = Rig::new(1);
    rig.add(2);
    rig.finish(0, Err(failure(ErrorCode::ApiError)));
    rig.apply(Event::Pause);
    let retried = rig.apply(Event::Retry {
        which: Which::AllFailed,
        token: None,
    });
    assert_eq!(retried.count, 1);
    let waiting = rig.row(0);
    assert_eq!(waiting.state, ItemState::Waiting);
    // Its reason stays on the row until it starts again.
    assert_eq!(waiting.error.unwrap().code, ErrorCode::ApiError);
    let cancelled = rig.apply(Event::Cancel);
    assert_eq!(rig.state(0), ItemState::Failed);
    // Its record already says how it ended: nothing is written for it.
    assert!(!cancelled.effects.iter().any(
        |effect| matches!(effect, Effect::RecordStopped(rows) if rows.iter().any(|row| row.0 == 0))
    ));
}

#[test]
fn retry_all_failed_leaves_held_links_for_their_own_upload_anyway() {
    let mut rig = Rig::new(4);
    let unsent = |given: &str, held: bool, code| Unsent {
        given: given.into(),
        audio_url: Some(Url::parse(given).unwrap()),
        error: failure(code),
        notes: Vec::new(),
        held,
    };
    rig.apply(Event::AddUnsent(vec![
        unsent(
            "https://youtube.com/watch?v=1",
            true,
            ErrorCode::NotAudioFile,
        ),
        unsent("https://x.example/a.wav", false, ErrorCode::TokenMissing),
        Unsent {
            audio_url: None,
            ..unsent("C:/take.wav", false, ErrorCode::LocalFile)
        },
    ]));
    assert_eq!(
        [rig.state(0), rig.state(1), rig.state(2)],
        [ItemState::Held, ItemState::Failed, ItemState::Rejected]
    );
    assert!(!rig.row(2).can_retry, "nothing to send");
    let summary = rig.batch.summary();
    assert_eq!((summary.held, summary.failed, summary.refused), (1, 1, 1));
    let all = rig.apply(Event::Retry {
        which: Which::AllFailed,
        token: Some(token()),
    });
    assert_eq!(started(&all), [1]);
    assert_eq!(rig.state(0), ItemState::Held);
    let anyway = rig.apply(Event::Retry {
        which: Which::Rows(vec![0]),
        token: None,
    });
    assert_eq!(started(&anyway), [0]);
}

#[test]
fn clear_takes_finished_rows_out_and_undo_puts_them_back_under_new_ids() {
    let mut rig = Rig::new(1);
    rig.add(3);
    rig.finish(0, Ok(uploaded(0)));
    rig.finish(1, Err(failure(ErrorCode::ApiError)));
    let cleared = rig.apply(Event::Clear);
    assert_eq!(cleared.count, 2);
    assert_eq!(cleared.updates[0].removed, [0, 1]);
    let summary = rig.batch.summary();
    assert_eq!(
        (summary.total, summary.uploading),
        (1, 1),
        "the running row stays"
    );
    let undone = rig.apply(Event::UndoClear);
    assert_eq!(undone.count, 2);
    let rows = rig.batch.snapshot().items;
    let back: Vec<(u64, ItemState)> = rows.iter().map(|row| (row.id, row.state)).collect();
    assert_eq!(
        back,
        [
            (2, ItemState::Uploading),
            (3, ItemState::Done),
            (4, ItemState::Failed)
        ]
    );
    assert_eq!(rows[1].uploaded.as_ref().unwrap().audio_id, "audio-0");
    assert_eq!(rig.apply(Event::UndoClear).count, 0, "a second Undo");
    // Remove takes out only the finished rows it names, and offers no Undo.
    assert_eq!(rig.apply(Event::Remove(vec![2, 3])).count, 1);
    assert_eq!(rig.apply(Event::UndoClear).count, 0);
}

#[test]
fn the_check_holds_a_waiting_web_page_and_forgets_its_queued_record() {
    let mut rig = Rig::new(1);
    rig.add(3);
    let page = |verdict| PreflightReport {
        verdict,
        status: Some(200),
        content_type: Some("text/html".into()),
        size: None,
        message: "This link opens a web page.".into(),
    };
    let held = rig.apply(Event::Checked {
        id: 1,
        report: page(Verdict::HtmlPage),
    });
    assert!(matches!(
        held.effects[..],
        [Effect::ForgetQueued(RecordId(101))]
    ));
    let row = rig.row(1);
    assert_eq!(row.state, ItemState::Held);
    assert_eq!(row.error.unwrap().code, ErrorCode::NotAudioFile);
    // Not started when its turn comes.
    let next = rig.finish(0, Ok(uploaded(0)));
    assert_eq!(started(&next), [2]);
    // A running link only warns; once done the warning stays (it is about what the file is).
    rig.apply(Event::Checked {
        id: 2,
        report: page(Verdict::HtmlPage),
    });
    rig.finish(2, Ok(uploaded(2)));
    assert_eq!(
        rig.row(2).check.as_deref(),
        Some("This link opens a web page.")
    );
    assert_eq!(
        rig.batch.warning_to_keep(2).as_deref(),
        Some("This link opens a web page.")
    );
    // A link done is no longer checked.
    assert_eq!(rig.batch.link_to_check(2), None);
}

#[test]
fn a_fear_that_a_link_could_not_be_reached_goes_once_the_service_has_the_file() {
    let mut rig = Rig::new(1);
    rig.add(1);
    rig.apply(Event::Checked {
        id: 0,
        report: PreflightReport {
            verdict: Verdict::Unreachable,
            status: None,
            content_type: None,
            size: None,
            message: "It did not answer.".into(),
        },
    });
    assert_eq!(rig.state(0), ItemState::Uploading, "not held");
    rig.finish(0, Ok(uploaded(0)));
    assert_eq!(rig.row(0).check, None);
    assert_eq!(rig.batch.warning_to_keep(0), None);
}

fn wav_on_disk(dir: &tempfile::TempDir, name: &str) -> PathBuf {
    let path = dir.path().join(name);
    std::fs::write(&path, producer_sim::samples::tone_wav(100, 0)).unwrap();
    path
}

fn hosted(path: &Path, reused: bool) -> Hosted {
    let file_url = Url::parse("https://cdn.example/f/take.wav").unwrap();
    Hosted {
        audio: LocalAudio {
            path: path.to_owned(),
            file_name: "take.wav".into(),
            size: 3244,
            format: "WAV",
            media_type: "audio/wav",
        },
        file: FileInfo {
            size: 3244,
            content_hash: "ab".repeat(32),
            file_url: file_url.to_string(),
            file_host: None,
        },
        file_url,
        reused,
        attempts: u32::from(!reused),
    }
}

fn add_file(rig: &mut Rig, path: PathBuf, incoming: Option<Incoming>) -> u64 {
    let incoming = incoming.map(|incoming| Arc::new(Mutex::new(incoming)));
    let file = FileItem::new("take.wav".into(), 3244, Some(path), incoming, true);
    let applied = rig.apply(Event::AddFiles {
        token: token(),
        files: vec![NewFile {
            file,
            refused: None,
            record: Some(RecordId(9)),
        }],
    });
    applied.ids[0]
}

#[test]
fn a_file_is_checked_hosted_then_its_link_uploaded() {
    let dir = tempfile::tempdir().unwrap();
    let path = wav_on_disk(&dir, "take.wav");
    let mut rig = Rig::new(1);
    let id = add_file(&mut rig, path.clone(), None);
    let row = rig.row(id);
    assert_eq!(row.state, ItemState::Uploading);
    assert_eq!(row.file.as_ref().unwrap().stage, FileStage::Checking);
    assert!(row.can_stop, "nothing went to the Producer API yet");
    // Progress is shown a percent at a time.
    assert_eq!(rig.apply(Event::FileSent { id, bytes: 0 }).updates.len(), 1);
    assert_eq!(
        rig.apply(Event::FileSent { id, bytes: 10 }).updates.len(),
        0
    );
    assert_eq!(
        rig.apply(Event::FileSent { id, bytes: 1700 }).updates.len(),
        1
    );
    rig.apply(Event::Hosted {
        id,
        hosted: Box::new(hosted(&path, false)),
    });
    let row = rig.row(id);
    let file = row.file.as_ref().unwrap();
    assert_eq!(file.stage, FileStage::Hosted);
    assert_eq!(
        file.file_url.as_deref(),
        Some("https://cdn.example/f/take.wav")
    );
    assert_eq!(row.audio_url, file.file_url);
    assert!(!row.can_stop, "its link is on its way to the service");
    rig.finish(id, Ok(uploaded(id)));
    assert_eq!(rig.state(id), ItemState::Done);
    assert!(!rig.row(id).can_host_again, "nothing was reused");
}

#[test]
fn a_reused_file_can_be_hosted_again_as_a_new_row_that_reuses_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = wav_on_disk(&dir, "take.wav");
    let mut rig = Rig::new(1);
    let id = add_file(&mut rig, path.clone(), None);
    rig.apply(Event::Hosted {
        id,
        hosted: Box::new(hosted(&path, true)),
    });
    rig.finish(id, Ok(uploaded(id)));
    assert!(rig.row(id).can_host_again);
    let taken = rig.apply(Event::TakeForHostAgain(vec![id]));
    assert_eq!(taken.taken.len(), 1);
    assert!(!rig.row(id).can_host_again, "its bytes went to the new row");
    let file = taken.taken.into_iter().next().unwrap();
    let again = rig.apply(Event::AddHostedAgain(vec![(file, Some(RecordId(10)))]));
    let Some(Effect::Start(starts)) = again.effects.first() else {
        panic!("the new row starts");
    };
    assert!(matches!(
        starts[0].work,
        Work::HostThenUpload { reuse: false, .. }
    ));
    assert_eq!(starts[0].retry_of, Some(RecordId(10)));
    assert_eq!(rig.row(id).uploaded.unwrap().audio_id, "audio-0", "kept");
}

#[test]
fn stop_ends_a_waiting_file_at_once_and_a_running_one_through_its_transfer() {
    let dir = tempfile::tempdir().unwrap();
    let mut rig = Rig::new(1);
    let first = add_file(&mut rig, wav_on_disk(&dir, "a.wav"), None);
    let second = add_file(&mut rig, wav_on_disk(&dir, "b.wav"), None);
    let applied = rig.apply(Event::Stop(vec![first, second]));
    assert_eq!(applied.count, 2);
    assert_eq!(rig.state(second), ItemState::Interrupted);
    assert!(matches!(applied.effects[..], [Effect::StopTransfers(ref stops)] if stops.len() == 1));
    assert_eq!(
        rig.state(first),
        ItemState::Uploading,
        "until its transfer stops"
    );
    let stopped = rig.apply(Event::TransferStopped(first));
    assert_eq!(rig.state(first), ItemState::Interrupted);
    assert!(started(&stopped).is_empty());
    let row = rig.row(first);
    assert!(row.can_retry);
    assert_eq!(row.file.unwrap().stage, FileStage::Ready);
}

#[test]
fn a_dropped_file_arrives_then_waits_its_turn_and_only_a_few_arrive_ahead() {
    let dir = tempfile::tempdir().unwrap();
    let mut rig = Rig::new(1);
    rig.apply(Event::Pause);
    let arriving = |name: &str| Incoming::create(dir.path(), name, 3244).unwrap();
    let ids: Vec<u64> = (0..4)
        .map(|n| {
            let incoming = arriving(&format!("{n}.wav"));
            let path = incoming.path().to_owned();
            add_file(&mut rig, path, Some(incoming))
        })
        .collect();
    assert_eq!(rig.row(ids[0]).file.unwrap().stage, FileStage::Receiving);
    assert_eq!(rig.batch.may_receive(ids[0]), ReceiveTurn::Now);
    let piece = |received, complete| Piece::Written {
        received,
        complete,
        refused: None,
    };
    let more = rig.apply(Event::Received {
        id: ids[0],
        piece: piece(1000, false),
    });
    assert!(more.wants_more);
    for id in &ids[..2] {
        let last = rig.apply(Event::Received {
            id: *id,
            piece: piece(3244, true),
        });
        assert!(!last.wants_more);
    }
    assert_eq!(rig.row(ids[1]).file.unwrap().stage, FileStage::Ready);
    assert_eq!(rig.batch.may_receive(ids[2]), ReceiveTurn::Later);
    // One refused at its first bytes, one the window could not read.
    let refused = rig.apply(Event::Received {
        id: ids[2],
        piece: Piece::Written {
            received: 12,
            complete: false,
            refused: Some(failure(ErrorCode::NotAudio)),
        },
    });
    assert!(matches!(
        refused.effects[..],
        [Effect::RecordFailedFiles(_)]
    ));
    assert_eq!(rig.state(ids[2]), ItemState::Rejected);
    rig.apply(Event::FailIncoming {
        id: ids[3],
        error: failure(ErrorCode::FileUnreadable),
    });
    assert_eq!(rig.state(ids[3]), ItemState::Failed);
    assert!(!rig.row(ids[3]).can_retry, "its bytes never came");
    assert_eq!(rig.batch.may_receive(ids[3]), ReceiveTurn::Never);
    let resumed = rig.apply(Event::Resume);
    assert_eq!(started(&resumed), [ids[0]]);
}

#[test]
fn files_still_arriving_when_the_window_starts_again_fail_and_say_why() {
    let dir = tempfile::tempdir().unwrap();
    let mut rig = Rig::new(1);
    let incoming = Incoming::create(dir.path(), "a.wav", 3244).unwrap();
    let path = incoming.path().to_owned();
    let id = add_file(&mut rig, path.clone(), Some(incoming));
    let applied = rig.apply(Event::AbandonIncoming);
    assert!(
        matches!(applied.effects[..], [Effect::RecordFailedFiles(ref failed)] if failed.len() == 1)
    );
    assert_eq!(rig.state(id), ItemState::Failed);
    assert!(!path.exists(), "what arrived is deleted");
    assert!(rig.apply(Event::AbandonIncoming).updates.is_empty());
}

#[test]
fn an_empty_file_offers_no_retry() {
    let dir = tempfile::tempdir().unwrap();
    let mut rig = Rig::new(1);
    let id = add_file(&mut rig, wav_on_disk(&dir, "a.wav"), None);
    rig.finish(id, Err(failure(ErrorCode::FileEmpty)));
    let row = rig.row(id);
    assert_eq!(row.state, ItemState::Failed);
    assert!(!row.can_retry);
}

/// Random events, many times over: after each, the counts are the rows, no more than the limit
/// run (those waiting aside apart), only waiting rows start, and numbers only grow.
#[test]
fn random_sequences_of_events_keep_the_counts_equal_to_the_rows() {
    for seed in 0..200 {
        let mut rng = StdRng::seed_from_u64(seed);
        let mut limit = rng.random_range(1..4);
        let mut rig = Rig::new(limit);
        let mut last_sequence = 0;
        for _ in 0..60 {
            let listed: Vec<ItemView> = rig.batch.snapshot().items;
            let pick = |rng: &mut StdRng| -> u64 {
                if listed.is_empty() || rng.random_bool(0.1) {
                    rng.random_range(0..100)
                } else {
                    listed[rng.random_range(0..listed.len())].id
                }
            };
            let running: Vec<u64> = listed
                .iter()
                .filter(|row| row.state == ItemState::Uploading)
                .map(|row| row.id)
                .collect();
            let some_running = |rng: &mut StdRng| running[rng.random_range(0..running.len())];
            let event = match rng.random_range(0..14) {
                0 | 1 => {
                    let count = rng.random_range(1..4);
                    let links = (0..count).map(link).collect();
                    Event::AddLinks {
                        token: token(),
                        links,
                    }
                }
                2 => Event::AddUnsent(vec![Unsent {
                    given: "not a link".into(),
                    audio_url: rng
                        .random_bool(0.5)
                        .then(|| Url::parse("https://x.example/a.wav").unwrap()),
                    error: failure(ErrorCode::InvalidUrl),
                    notes: Vec::new(),
                    held: rng.random_bool(0.5),
                }]),
                3..=5 if !running.is_empty() => {
                    let id = some_running(&mut rng);
                    let result = if rng.random_bool(0.6) {
                        Ok(uploaded(id))
                    } else {
                        Err(failure(ErrorCode::ApiError))
                    };
                    Event::Finished {
                        id,
                        record: None,
                        result,
                        not_recorded: None,
                    }
                }
                6 if !running.is_empty() => Event::Progress {
                    id: some_running(&mut rng),
                    step: if rng.random_bool(0.5) {
                        Progress::Uploading { attempt: 1 }
                    } else {
                        Progress::Waiting {
                            seconds: 1,
                            rate_limited: true,
                            code: "too_many_requests".into(),
                        }
                    },
                },
                7 => {
                    if rng.random_bool(0.5) {
                        Event::Pause
                    } else {
                        Event::Resume
                    }
                }
                8 => Event::Cancel,
                9 => Event::Retry {
                    which: if rng.random_bool(0.5) {
                        Which::AllFailed
                    } else {
                        Which::Rows(vec![pick(&mut rng)])
                    },
                    token: None,
                },
                10 => Event::Clear,
                11 => Event::UndoClear,
                12 => Event::Remove(vec![pick(&mut rng)]),
                13 => {
                    limit = rng.random_range(1..4);
                    Event::SetLimit(limit)
                }
                _ => Event::SayAgain,
            };
            let waiting_before: Vec<u64> = listed
                .iter()
                .filter(|row| row.state == ItemState::Waiting)
                .map(|row| row.id)
                .collect();
            let applied = rig.apply(event);
            // Rows the event itself queued (added, retried) are shown waiting first.
            let queued_now = |id: u64| {
                applied.updates.first().is_some_and(|update| {
                    update
                        .items
                        .iter()
                        .any(|row| row.id == id && row.state == ItemState::Waiting)
                })
            };
            for id in started(&applied) {
                assert!(
                    waiting_before.contains(&id) || queued_now(id),
                    "seed {seed}: row {id} started without waiting"
                );
            }
            for update in &applied.updates {
                assert!(update.sequence > last_sequence, "seed {seed}");
                last_sequence = update.sequence;
                assert!(update
                    .items
                    .iter()
                    .all(|row| row.revision == update.sequence));
            }
            let snapshot = rig.batch.snapshot();
            let rows = &snapshot.items;
            let count = |state| rows.iter().filter(|row| row.state == state).count();
            let summary = snapshot.summary;
            assert_eq!(summary.total, rows.len(), "seed {seed}");
            assert_eq!(summary.waiting, count(ItemState::Waiting), "seed {seed}");
            assert_eq!(
                summary.uploading,
                count(ItemState::Uploading),
                "seed {seed}"
            );
            assert_eq!(summary.done, count(ItemState::Done), "seed {seed}");
            assert_eq!(summary.failed, count(ItemState::Failed), "seed {seed}");
            assert_eq!(
                summary.stopped,
                count(ItemState::Interrupted),
                "seed {seed}"
            );
            assert_eq!(summary.refused, count(ItemState::Rejected), "seed {seed}");
            assert_eq!(summary.held, count(ItemState::Held), "seed {seed}");
            let holding = rows
                .iter()
                .filter(|row| {
                    row.state == ItemState::Uploading
                        && !matches!(row.progress, Some(Progress::Waiting { .. }))
                })
                .count();
            if applied
                .effects
                .iter()
                .any(|e| matches!(e, Effect::Start(_)))
            {
                assert!(
                    holding <= limit,
                    "seed {seed}: {holding} run, limit {limit}"
                );
            }
        }
    }
}
