//! The queue's tests: its rules with a real uploader against the simulator on this computer.

use super::*;
use crate::client::{Client, ClientConfig, Progress};
use crate::error::ErrorCode;
use crate::history::{Query, State};
use crate::incoming::Incoming;
use crate::retry::RetryPolicy;
use producer_sim::{SimConfig, Simulator};
use std::collections::BTreeMap;
use std::time::Duration;
use tokio::sync::mpsc;
use url::Url;

struct Fixture {
    sim: Simulator,
    queue: Queue,
    /// The queue's uploader (clones share its client, limit and pace).
    uploader: Uploader,
    updates: mpsc::UnboundedReceiver<QueueUpdate>,
    /// Every update received so far, in order.
    seen: Vec<QueueUpdate>,
    history: Arc<History>,
    _dir: tempfile::TempDir,
}

async fn fixture(latency: Duration, concurrency: usize) -> Fixture {
    fixture_retrying(latency, concurrency, RetryPolicy::never()).await
}

async fn fixture_retrying(latency: Duration, concurrency: usize, retry: RetryPolicy) -> Fixture {
    let sim = SimConfig {
        latency,
        ..SimConfig::default()
    };
    fixture_on(sim, concurrency, retry).await
}

async fn fixture_on(sim: SimConfig, concurrency: usize, retry: RetryPolicy) -> Fixture {
    let sim = Simulator::start(sim).await.unwrap();
    let mut config = ClientConfig::new(&sim.base_url()).unwrap();
    config.retry = retry;
    let uploader = Uploader::new(Client::new(config), concurrency);
    let dir = tempfile::tempdir().unwrap();
    let history = Arc::new(History::open(dir.path()).unwrap());
    let (sender, updates) = mpsc::unbounded_channel();
    let queue = Queue::new(
        uploader.clone(),
        Some(history.clone()),
        Arc::new(move |update| {
            let _ = sender.send(update);
        }),
    );
    Fixture {
        sim,
        queue,
        uploader,
        updates,
        seen: Vec::new(),
        history,
        _dir: dir,
    }
}

fn links(count: usize, fault: impl Fn(usize) -> &'static str) -> Vec<QueueLink> {
    (0..count)
        .map(|index| {
            let given = format!("https://x.example/{index}.wav{}", fault(index));
            QueueLink {
                audio_url: Url::parse(&given).unwrap(),
                given,
                retry_of: None,
                notes: Vec::new(),
            }
        })
        .collect()
}

/// A link's fault (its query) for the links `at` picks, and none for the others.
fn fault_where(fault: &'static str, at: impl Fn(usize) -> bool) -> impl Fn(usize) -> &'static str {
    move |index| if at(index) { fault } else { "" }
}

fn token() -> ApiToken {
    ApiToken::parse("sim-token").unwrap()
}

impl Fixture {
    /// Waits for the first update whose summary satisfies `done`, and returns it.
    async fn until(&mut self, done: impl Fn(&Summary) -> bool) -> Summary {
        tokio::time::timeout(Duration::from_secs(20), async {
            loop {
                let update = self.updates.recv().await.expect("the queue lives");
                let summary = update.summary;
                self.seen.push(update);
                if done(&summary) {
                    return summary;
                }
            }
        })
        .await
        .expect("the queue gets there in time")
    }

    fn history_count(&self, state: State) -> u64 {
        self.history
            .count(&Query {
                states: vec![state],
                ..Query::default()
            })
            .unwrap()
    }
}

#[tokio::test]
async fn uploads_every_link_and_counts_them() {
    let mut fx = fixture(Duration::from_millis(20), 4).await;
    let ids = fx.queue.add(token(), links(30, |_| "")).await;
    assert_eq!(ids.len(), 30);
    let summary = fx.until(|summary| summary.done == 30).await;
    assert_eq!(
        summary,
        Summary {
            total: 30,
            done: 30,
            eta_seconds: Some(0),
            ..Summary::default()
        }
    );
    assert_eq!(fx.sim.issued().len(), 30);
    assert_eq!(fx.history_count(State::Done), 30);
    let snapshot = fx.queue.snapshot().await;
    assert!(snapshot.items.iter().all(|item| item.uploaded.is_some()));
}

#[tokio::test]
async fn a_link_waiting_out_its_retry_after_does_not_keep_the_next_from_starting() {
    // One at a time: the first link is refused once for the rate and waits its second.
    let mut fx = fixture_retrying(Duration::ZERO, 1, RetryPolicy::default()).await;
    let ids = fx
        .queue
        .add(
            token(),
            links(
                3,
                fault_where("?sim_fault=rate429&sim_times=1", |index| index == 0),
            ),
        )
        .await;
    fx.until(|summary| summary.done == 3).await;
    let mut first_waits = false;
    let started_meanwhile = fx.seen.iter().any(|update| {
        if let Some(first) = update.items.iter().find(|item| item.id == ids[0]) {
            first_waits = matches!(
                first.progress,
                Some(Progress::Waiting {
                    rate_limited: true,
                    ..
                })
            );
        }
        first_waits && update.summary.uploading == 2
    });
    assert!(
        started_meanwhile,
        "the second link starts while the first waits"
    );
    assert_eq!(fx.sim.issued().len(), 3);
    assert!(fx
        .queue
        .snapshot()
        .await
        .items
        .iter()
        .all(|item| item.uploaded.is_some()));
}

#[tokio::test]
async fn never_runs_more_than_the_concurrency_limit_and_estimates_the_rest() {
    let mut fx = fixture(Duration::from_millis(50), 3).await;
    fx.queue.add(token(), links(20, |_| "")).await;
    let mut saw_eta = false;
    loop {
        let update = fx.updates.recv().await.unwrap();
        assert!(update.summary.uploading <= 3, "{:?}", update.summary);
        if update.summary.done >= 5 && !update.summary.is_idle() {
            saw_eta |= update.summary.eta_seconds.is_some();
        }
        if update.summary.done == 20 {
            break;
        }
    }
    assert!(saw_eta, "a time estimate appears once uploads finish");
}

#[tokio::test]
async fn new_settings_during_a_batch_keep_the_pace_and_one_limit_binds_every_upload() {
    // Uploads that overlap (200 ms each) under a rate limit the pace has to learn.
    let sim = SimConfig {
        latency: Duration::from_millis(200),
        rate_limit: Some(producer_sim::RateLimit {
            per_second: 5.0,
            burst: 1,
        }),
        ..SimConfig::default()
    };
    let mut fx = fixture_on(sim, 3, RetryPolicy::default()).await;
    fx.queue.add(token(), links(24, |_| "")).await;
    fx.until(|summary| summary.done >= 4).await;
    let learned = fx
        .uploader
        .pace()
        .expect("the pace learned the service's rate");
    let config = fx.uploader.client().config().clone();
    // Save with nothing changed: before, a second uploader ran three more beside the first.
    fx.queue.reconfigure(Client::new(config.clone()), 3);
    assert_eq!(fx.uploader.pace(), Some(learned), "the pace lives on");
    fx.until(|summary| summary.done >= 12).await;
    assert!(fx.sim.most_at_once() <= 3, "never more than 3 at once");
    // A smaller limit binds once the uploads holding a slot at the Save are through (each
    // waits its turn at the pace, about 0.2 s a turn, then 0.2 s for its answer).
    fx.queue.reconfigure(Client::new(config), 1);
    tokio::time::sleep(Duration::from_millis(1500)).await;
    fx.sim.most_at_once();
    // One at a time at the pace, the 12 or so left take longer than that.
    assert!(fx.queue.summary().done < 24, "links are left to send");
    fx.until(|summary| summary.done == 24).await;
    assert_eq!(fx.sim.most_at_once(), 1, "one at a time after the Save");
    assert_eq!(fx.sim.issued().len(), 24);
    assert!(fx.uploader.pace().is_some());
}

#[tokio::test]
async fn links_are_recorded_queued_when_queued_and_sent_under_the_same_record() {
    let mut fx = fixture(Duration::ZERO, 2).await;
    fx.queue.pause().await;
    fx.queue.add(token(), links(3, |_| "")).await;
    assert_eq!(fx.history_count(State::Queued), 3);
    fx.queue.resume().await;
    fx.until(|summary| summary.done == 3).await;
    assert_eq!(fx.history_count(State::Done), 3);
    assert_eq!(fx.history.count(&Query::default()).unwrap(), 3);
}

/// The display's callback may call the queue back: a pause asked from inside it (the first
/// time a link is done) is applied once the callback returns, and nothing waits on anything.
#[tokio::test]
async fn the_display_may_call_the_queue_back_from_its_update() {
    let sim = Simulator::start(SimConfig {
        latency: Duration::from_millis(100),
        ..SimConfig::default()
    })
    .await
    .unwrap();
    let uploader = Uploader::new(Client::new(ClientConfig::new(&sim.base_url()).unwrap()), 1);
    let handle: Arc<std::sync::OnceLock<Queue>> = Arc::default();
    let (sender, mut updates) = mpsc::unbounded_channel();
    let called_back = handle.clone();
    let queue = Queue::new(
        uploader,
        None,
        Arc::new(move |update: QueueUpdate| {
            if update.summary.done == 1 && !update.summary.paused {
                let queue = called_back.get().expect("the queue is made").clone();
                tokio::spawn(async move {
                    queue.say_again().await;
                    queue.pause().await
                });
            }
            let _ = sender.send(update);
        }),
    );
    handle.set(queue.clone()).unwrap();
    queue.add(token(), links(5, |_| "")).await;
    let paused = tokio::time::timeout(Duration::from_secs(20), async {
        loop {
            let update = updates.recv().await.expect("the queue lives");
            if update.summary.paused && update.summary.uploading == 0 {
                return update.summary;
            }
        }
    })
    .await
    .expect("the pause asked from the callback is applied");
    // The one running when the pause came finished; the rest wait.
    assert!(paused.done <= 2, "paused before the end: {paused:?}");
    assert_eq!(paused.done + paused.waiting, 5);
}

/// What the one intake took is listed in the order given; without a usable token the links
/// are listed as failed with why (nothing is sent), and the token is not asked for when there is
/// no link to send.
#[tokio::test]
async fn what_the_intake_took_is_listed_in_order_and_sent_only_with_a_token() {
    let mut fx = fixture(Duration::ZERO, 2).await;
    let text = "/home/me/take.wav\nhttps://x.example/a.wav\nhttps://www.youtube.com/watch?v=abc";
    let taken = || {
        let rules = crate::intake::Rules {
            api_is_local: true,
            ..Default::default()
        };
        crate::intake::sort(crate::links::parse_links(text), rules, &Default::default())
    };
    let missing = ErrorReport::from_code(ErrorCode::TokenMissing);
    let (ids, queued) = fx
        .queue
        .add_taken(taken(), async { Err(missing.clone()) })
        .await;
    assert!(queued.is_empty());
    let rows = fx.queue.snapshot().await.items;
    let states: Vec<(u64, ItemState)> = ids
        .iter()
        .map(|id| {
            let row = rows.iter().find(|row| row.id == *id).unwrap();
            (*id, row.state)
        })
        .collect();
    let in_order: Vec<ItemState> = states.iter().map(|(_, state)| *state).collect();
    assert_eq!(
        in_order,
        [ItemState::Rejected, ItemState::Failed, ItemState::Held]
    );
    assert!(fx.sim.issued().is_empty(), "nothing was sent");

    let (_, queued) = fx.queue.add_taken(taken(), async { Ok(token()) }).await;
    assert_eq!(queued.len(), 1);
    fx.until(|summary| summary.done == 1).await;
    // Nothing to send: the token is not asked for.
    let refused = crate::intake::sort(
        crate::links::parse_links("/home/me/take.wav"),
        crate::intake::Rules::default(),
        &Default::default(),
    );
    let (ids, queued) = fx
        .queue
        .add_taken(refused, async { panic!("the token is not asked for") })
        .await;
    assert_eq!((ids.len(), queued.len()), (1, 0));
}

#[tokio::test]
async fn pause_lets_running_uploads_finish_and_starts_no_new_one_until_resumed() {
    let mut fx = fixture(Duration::from_millis(200), 2).await;
    fx.queue.add(token(), links(10, |_| "")).await;
    fx.until(|summary| summary.uploading == 2).await;
    fx.queue.pause().await;
    // The two running uploads finish and are recorded; nothing else starts.
    let paused = fx
        .until(|summary| summary.paused && summary.uploading == 0)
        .await;
    assert_eq!(paused.done, 2);
    assert_eq!(paused.waiting, 8);
    assert_eq!(paused.eta_seconds, None);
    tokio::time::sleep(Duration::from_millis(400)).await;
    assert_eq!(fx.queue.summary().done, 2);
    assert_eq!(fx.sim.issued().len(), 2);
    assert_eq!(fx.history_count(State::Done), 2);

    fx.queue.resume().await;
    let summary = fx.until(|summary| summary.done == 10).await;
    assert!(!summary.paused && summary.is_idle());
    assert_eq!(fx.sim.issued().len(), 10);
}

#[tokio::test]
async fn cancel_interrupts_the_waiting_links_and_records_the_running_ones() {
    let mut fx = fixture(Duration::from_millis(200), 2).await;
    fx.queue.add(token(), links(10, |_| "")).await;
    fx.until(|summary| summary.uploading == 2).await;
    assert_eq!(fx.queue.cancel().await, 8);
    // Stopped links are in the history as interrupted as soon as cancel returns.
    assert_eq!(fx.history_count(State::Interrupted), 8);
    let summary = fx.until(|summary| summary.is_idle()).await;
    assert_eq!((summary.done, summary.stopped), (2, 8));
    assert_eq!(fx.history_count(State::Done), 2);
    assert_eq!(fx.history_count(State::Pending), 0);
    assert_eq!(fx.sim.issued().len(), 2);
}

#[tokio::test]
async fn retry_all_failed_sends_the_failed_links_again() {
    let mut fx = fixture(Duration::ZERO, 4).await;
    // Links 0 and 3 fail once (a server error, not retried here), then work.
    fx.queue
        .add(
            token(),
            links(6, |index| match index {
                0 | 3 => "?sim_fault=error500&sim_times=1",
                _ => "",
            }),
        )
        .await;
    let summary = fx.until(|summary| summary.is_idle()).await;
    assert_eq!((summary.done, summary.failed), (4, 2));
    let failed = fx.queue.snapshot().await;
    let failed: Vec<_> = failed
        .items
        .iter()
        .filter(|item| item.state == ItemState::Failed)
        .collect();
    assert_eq!(failed[0].error.as_ref().unwrap().code.as_str(), "api_error");
    assert_eq!(fx.history_count(State::Failed), 2);

    // Paused, the retried links wait; stopped, they are failed again with their reason.
    fx.queue.pause().await;
    assert_eq!(fx.queue.retry_failed(None).await, 2);
    assert_eq!(fx.queue.cancel().await, 2);
    let snapshot = fx.queue.snapshot().await;
    let failed: Vec<_> = snapshot
        .items
        .iter()
        .filter(|item| item.state == ItemState::Failed)
        .collect();
    assert_eq!(failed.len(), 2);
    assert!(failed.iter().all(|item| item.error.is_some()));
    assert_eq!(fx.history_count(State::Failed), 2);
    fx.queue.resume().await;

    assert_eq!(fx.queue.retry_failed(None).await, 2);
    let summary = fx.until(|summary| summary.done == 6).await;
    assert_eq!(summary.failed, 0);
    // The retried uploads settle the same history records: six in all, all done.
    assert_eq!(fx.history_count(State::Done), 6);
    assert_eq!(fx.history.count(&Query::default()).unwrap(), 6);
    assert_eq!(fx.queue.retry_failed(None).await, 0);
}

#[tokio::test]
async fn a_history_record_can_be_retried_through_the_queue() {
    let mut fx = fixture(Duration::ZERO, 2).await;
    let link = links(1, |_| "?sim_fault=error500&sim_times=1").remove(0);
    fx.queue.add(token(), vec![link.clone()]).await;
    fx.until(|summary| summary.failed == 1).await;
    let record = fx.history.search(&Query::default()).unwrap().remove(0);
    assert_eq!(record.state, State::Failed);
    fx.queue
        .add(
            token(),
            vec![QueueLink {
                retry_of: Some(record.id),
                ..link
            }],
        )
        .await;
    fx.until(|summary| summary.done == 1).await;
    let records = fx.history.search(&Query::default()).unwrap();
    assert_eq!(records.len(), 1, "{records:#?}");
    assert_eq!(records[0].state, State::Done);
    assert_eq!(records[0].attempts, 2);
}

#[tokio::test]
async fn stopped_links_can_be_retried_later() {
    let mut fx = fixture(Duration::from_millis(100), 1).await;
    fx.queue.add(token(), links(4, |_| "")).await;
    fx.until(|summary| summary.uploading == 1).await;
    fx.queue.cancel().await;
    fx.until(|summary| summary.is_idle()).await;
    assert_eq!(fx.queue.retry(&[1, 9], Some(token())).await, 1);
    fx.until(|summary| summary.done == 2).await;
    assert_eq!(fx.queue.retry_failed(Some(token())).await, 2);
    let summary = fx.until(|summary| summary.done == 4).await;
    assert_eq!(summary.stopped, 0);
    assert_eq!(fx.history_count(State::Done), 4);
    assert_eq!(fx.history.count(&Query::default()).unwrap(), 4);
}

/// The list as a display that applies each item only when its revision is newer, and the
/// summary only when its sequence is, holds it after `updates`.
#[derive(Debug, Default, PartialEq)]
struct Display {
    items: BTreeMap<u64, ItemView>,
    removed: std::collections::BTreeSet<u64>,
    sequence: u64,
    summary: Summary,
}

impl Display {
    fn apply(&mut self, update: &QueueUpdate) {
        for item in &update.items {
            if self.removed.contains(&item.id) {
                continue;
            }
            let newer = self
                .items
                .get(&item.id)
                .is_none_or(|have| item.revision > have.revision);
            if newer {
                self.items.insert(item.id, item.clone());
            }
        }
        for id in &update.removed {
            self.items.remove(id);
            self.removed.insert(*id);
        }
        if update.sequence > self.sequence {
            self.sequence = update.sequence;
            self.summary = update.summary;
        }
    }

    fn of(snapshot: &QueueUpdate) -> Self {
        let mut display = Display::default();
        display.apply(snapshot);
        display.removed.clear();
        display
    }
}

/// Every update sent so far.
fn drain(updates: &mut mpsc::UnboundedReceiver<QueueUpdate>) -> Vec<QueueUpdate> {
    let mut all = Vec::new();
    while let Ok(update) = updates.try_recv() {
        all.push(update);
    }
    all
}

/// Checks the stream's order: sequences rise by one, and an item's revision is the
/// sequence of the update that carries it.
fn assert_in_order(all: &[QueueUpdate], after: u64) {
    let mut expected = after;
    for update in all {
        expected += 1;
        assert_eq!(
            update.sequence, expected,
            "updates arrive in order, none lost"
        );
        for item in &update.items {
            assert_eq!(item.revision, update.sequence);
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn many_fast_uploads_end_exactly_as_the_service_answered() {
    let mut fx = fixture(Duration::ZERO, 16).await;
    let fails = |index: usize| index % 7 == 3;
    let mut expected = 0;
    for round in 0..3 {
        let given = links(120, fault_where("?sim_fault=error500", &fails))
            .into_iter()
            .map(|link| {
                let given = format!("{}#{round}", link.given);
                QueueLink {
                    audio_url: Url::parse(&given).unwrap(),
                    given,
                    ..link
                }
            })
            .collect();
        let ids = fx.queue.add(token(), given).await;
        expected += ids.len();
        fx.until(|summary| summary.is_idle() && summary.total == expected)
            .await;
    }
    fx.seen.extend(drain(&mut fx.updates));
    assert_in_order(&fx.seen, 0);
    let snapshot = fx.queue.snapshot().await;
    let mut display = Display::default();
    fx.seen.iter().for_each(|update| display.apply(update));
    assert_eq!(display, Display::of(&snapshot));
    let issued: std::collections::HashMap<String, String> = fx
        .sim
        .issued()
        .into_iter()
        .map(|issued| (issued.audio_url, issued.audio_id))
        .collect();
    assert_eq!(snapshot.items.len(), 360);
    for item in &snapshot.items {
        let url = item.audio_url.clone().unwrap();
        if url.contains("sim_fault") {
            assert_eq!(item.state, ItemState::Failed, "{item:?}");
            assert_eq!(item.error.as_ref().unwrap().code.as_str(), "api_error");
        } else {
            assert_eq!(item.state, ItemState::Done, "{item:?}");
            assert_eq!(
                Some(&item.uploaded.as_ref().unwrap().audio_id),
                issued.get(&url),
                "{item:?}"
            );
        }
    }
    let failed = snapshot
        .items
        .iter()
        .filter(|item| item.state == ItemState::Failed)
        .count();
    assert_eq!(snapshot.summary.failed, failed);
    assert_eq!(snapshot.summary.done, 360 - failed);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn every_update_arrives_in_order_and_the_newest_is_the_queue_as_it_stands() {
    let fx = fixture(Duration::ZERO, 16).await;
    let Fixture {
        queue, mut updates, ..
    } = fx;
    let mut all = Vec::new();
    queue
        .add(
            token(),
            links(
                200,
                fault_where("?sim_fault=error500", |index| index % 5 == 0),
            ),
        )
        .await;
    tokio::time::timeout(Duration::from_secs(20), async {
        loop {
            let update = updates.recv().await.unwrap();
            let idle = update.summary.is_idle();
            all.push(update);
            if idle {
                break;
            }
        }
    })
    .await
    .unwrap();
    assert_in_order(&all, 0);
    // Applied in order, and shuffled with duplicates, the display ends on the queue's state.
    let snapshot = queue.snapshot().await;
    let mut display = Display::default();
    all.iter().for_each(|update| display.apply(update));
    assert_eq!(display, Display::of(&snapshot));
    let mut shuffled: Vec<&QueueUpdate> = all.iter().chain(all.iter().step_by(3)).collect();
    let mut seed = 0x9e37_79b9_7f4a_7c15_u64;
    for index in (1..shuffled.len()).rev() {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        shuffled.swap(index, (seed % (index as u64 + 1)) as usize);
    }
    let mut display = Display::default();
    shuffled.iter().for_each(|update| display.apply(update));
    assert_eq!(display, Display::of(&snapshot));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cancel_sends_the_state_as_it_stands_not_one_read_before_waiting() {
    let mut fx = fixture(Duration::from_millis(100), 2).await;
    fx.queue.add(token(), links(12, |_| "")).await;
    fx.until(|summary| summary.uploading == 2).await;
    assert_eq!(fx.queue.cancel().await, 10);
    fx.until(|summary| summary.is_idle()).await;
    tokio::time::sleep(Duration::from_millis(50)).await;
    fx.seen.extend(drain(&mut fx.updates));
    assert_in_order(&fx.seen, 0);
    let snapshot = fx.queue.snapshot().await;
    assert_eq!(snapshot.summary.stopped, 10);
    let mut display = Display::default();
    fx.seen.iter().for_each(|update| display.apply(update));
    assert_eq!(display, Display::of(&snapshot));
    // The last word on each stopped link is "interrupted", never an older "waiting".
    let mut last_word = BTreeMap::new();
    for update in &fx.seen {
        for item in &update.items {
            last_word.insert(item.id, item.state);
        }
    }
    for item in &snapshot.items {
        assert_eq!(last_word.get(&item.id), Some(&item.state), "{item:?}");
    }
}

#[tokio::test]
async fn clear_takes_out_finished_items_and_the_counts_speak_only_of_what_is_left() {
    let mut fx = fixture(Duration::ZERO, 4).await;
    fx.queue
        .add(
            token(),
            links(6, fault_where("?sim_fault=error500", |index| index < 2)),
        )
        .await;
    fx.queue
        .add_unsent(vec![Unsent {
            given: "not a link".into(),
            audio_url: None,
            error: ErrorReport::from_code(crate::error::ErrorCode::InvalidUrl),
            notes: Vec::new(),
            held: false,
        }])
        .await;
    let summary = fx
        .until(|summary| summary.is_idle() && summary.done == 4)
        .await;
    assert_eq!((summary.total, summary.failed, summary.refused), (7, 2, 1));
    fx.queue.pause().await;
    let running = fx.queue.add(token(), links(2, |_| "")).await;
    assert_eq!(fx.queue.clear().await, 7);
    drain(&mut fx.updates);
    let snapshot = fx.queue.snapshot().await;
    assert_eq!(
        snapshot
            .items
            .iter()
            .map(|item| item.id)
            .collect::<Vec<_>>(),
        running
    );
    assert_eq!(
        (snapshot.summary.total, snapshot.summary.waiting),
        (2, 2),
        "{:?}",
        snapshot.summary
    );
    // The failed links cleared are not sent again.
    assert_eq!(fx.queue.retry_failed(Some(token())).await, 0);
    fx.queue.resume().await;
    let summary = fx.until(|summary| summary.done == 2).await;
    assert_eq!(summary.total, 2);
    assert_eq!(fx.sim.issued().len(), 6);
    // Ids are never reused.
    let next = fx.queue.add(token(), links(1, |_| "")).await;
    assert_eq!(next, vec![running[1] + 1]);
}

#[tokio::test]
async fn undo_puts_cleared_rows_back_as_they_were() {
    let mut fx = fixture(Duration::ZERO, 4).await;
    fx.queue
        .add(
            token(),
            links(3, fault_where("?sim_fault=error500", |index| index == 0)),
        )
        .await;
    fx.until(|summary| summary.is_idle() && summary.done == 2)
        .await;
    let before = fx.queue.snapshot().await.items;
    assert_eq!(fx.queue.clear().await, 3);
    assert_eq!(fx.queue.summary().total, 0);
    drain(&mut fx.updates);

    assert_eq!(fx.queue.undo_clear().await, 3);
    let update = fx.updates.recv().await.unwrap();
    assert_eq!(
        update.items.len(),
        3,
        "the window is told of every row put back"
    );
    let after = fx.queue.snapshot().await;
    assert_eq!((after.summary.done, after.summary.failed), (2, 1));
    let view = |items: &[ItemView]| {
        items
            .iter()
            .map(|item| {
                (
                    item.given.clone(),
                    item.state,
                    item.uploaded.as_ref().map(|up| up.audio_id.clone()),
                )
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(view(&after.items), view(&before), "same rows, same order");
    let old_ids: Vec<u64> = before.iter().map(|item| item.id).collect();
    assert!(
        after.items.iter().all(|item| !old_ids.contains(&item.id)),
        "new ids: a removed id is never seen again"
    );
    // The failed one can still be retried; a second Undo puts nothing back.
    assert_eq!(fx.queue.undo_clear().await, 0);
    assert_eq!(fx.queue.retry_failed(Some(token())).await, 1);
    // Removing one row is not undone by Undo.
    fx.until(|summary| summary.is_idle()).await;
    let one = fx.queue.snapshot().await.items[0].id;
    assert_eq!(fx.queue.remove(&[one]).await, 1);
    assert_eq!(fx.queue.undo_clear().await, 0);
}

#[tokio::test]
async fn one_finished_row_can_be_removed_and_running_ones_stay() {
    let mut fx = fixture(Duration::ZERO, 2).await;
    let done = fx.queue.add(token(), links(3, |_| "")).await;
    fx.until(|summary| summary.done == 3).await;
    fx.queue.pause().await;
    let waiting = fx.queue.add(token(), links(1, |_| "")).await;
    drain(&mut fx.updates);
    assert_eq!(fx.queue.remove(&[done[1], waiting[0], 999]).await, 1);
    let removal = fx.updates.recv().await.unwrap();
    assert_eq!(removal.removed, vec![done[1]]);
    let left: Vec<u64> = fx
        .queue
        .snapshot()
        .await
        .items
        .iter()
        .map(|item| item.id)
        .collect();
    assert_eq!(left, vec![done[0], done[2], waiting[0]]);
    assert_eq!(fx.queue.summary().total, 3);
}

#[tokio::test]
async fn a_removal_is_an_update_of_its_own_and_stale_item_updates_cannot_bring_items_back() {
    let mut fx = fixture(Duration::ZERO, 2).await;
    fx.queue.add(token(), links(3, |_| "")).await;
    fx.until(|summary| summary.done == 3).await;
    let before = fx.queue.snapshot().await;
    drain(&mut fx.updates);
    fx.queue.clear().await;
    let removal = fx.updates.recv().await.unwrap();
    assert_eq!(removal.removed, vec![0, 1, 2]);
    assert_eq!(removal.sequence, before.sequence + 1);
    assert_eq!(removal.summary.total, 0);
    // Applied after the removal, the older snapshot changes nothing.
    let mut display = Display::default();
    display.apply(&removal);
    display.apply(&before);
    assert!(display.items.is_empty());
    assert_eq!(display.summary.total, 0);
}

#[tokio::test]
async fn unsent_links_are_listed_and_those_with_an_address_can_be_retried() {
    let mut fx = fixture(Duration::ZERO, 2).await;
    let link = links(1, |_| "").remove(0);
    let ids = fx
        .queue
        .add_unsent(vec![
            Unsent {
                given: link.given.clone(),
                audio_url: Some(link.audio_url.clone()),
                error: ErrorReport::from_code(crate::error::ErrorCode::TokenMissing),
                notes: vec![Note {
                    kind: NoteKind::Info,
                    text: "changed".into(),
                }],
                held: false,
            },
            Unsent {
                given: "song.wav".into(),
                audio_url: None,
                error: ErrorReport::from_code(crate::error::ErrorCode::LocalFile),
                notes: Vec::new(),
                held: false,
            },
        ])
        .await;
    let update = fx.updates.recv().await.unwrap();
    assert_eq!(update.items[0].state, ItemState::Failed);
    assert_eq!(update.items[0].notes[0].text, "changed");
    assert_eq!(update.items[1].state, ItemState::Rejected);
    assert_eq!((update.summary.failed, update.summary.refused), (1, 1));
    assert_eq!(fx.sim.issued().len(), 0);
    // Only the one with an address goes.
    assert_eq!(fx.queue.retry(&ids, Some(token())).await, 1);
    let summary = fx.until(|summary| summary.done == 1).await;
    assert_eq!(summary.refused, 1);
    assert_eq!(fx.history_count(State::Done), 1);
}

#[tokio::test]
async fn a_held_link_is_counted_apart_and_only_its_own_upload_anyway_sends_it() {
    let mut fx = fixture(Duration::ZERO, 2).await;
    let mut given = links(3, |_| "");
    let page = given.remove(0);
    let failed = given.remove(0);
    let unsent = |link: QueueLink, code, held| Unsent {
        given: link.given,
        audio_url: Some(link.audio_url),
        error: ErrorReport::from_code(code),
        notes: Vec::new(),
        held,
    };
    let ids = fx
        .queue
        .add_unsent(vec![
            unsent(page, crate::error::ErrorCode::NotAudioFile, true),
            unsent(failed, crate::error::ErrorCode::TokenMissing, false),
        ])
        .await;
    let update = fx.updates.recv().await.unwrap();
    assert_eq!(update.items[0].state, ItemState::Held);
    assert!(update.items[0].can_retry, "it offers Upload anyway");
    assert_eq!((update.summary.held, update.summary.failed), (1, 1));
    // Retry all failed sends the failed link, never the held one.
    assert_eq!(fx.queue.retry_failed(Some(token())).await, 1);
    let summary = fx.until(|summary| summary.done == 1).await;
    assert_eq!(summary.held, 1);
    assert_eq!(fx.queue.retry_failed(Some(token())).await, 0);
    assert_eq!(fx.sim.issued().len(), 1);
    // Upload anyway, then Cancel before it is sent: held again, nothing recorded.
    fx.queue.pause().await;
    assert_eq!(fx.queue.retry(&ids[..1], Some(token())).await, 1);
    assert_eq!(fx.queue.cancel().await, 1);
    assert_eq!(fx.queue.summary().held, 1);
    fx.queue.resume().await;
    // Upload anyway sends it.
    assert_eq!(fx.queue.retry(&ids[..1], Some(token())).await, 1);
    let summary = fx.until(|summary| summary.done == 2).await;
    assert_eq!((summary.held, summary.failed, summary.stopped), (0, 0, 0));
    assert_eq!(fx.sim.issued().len(), 2);
    assert_eq!(fx.history_count(State::Done), 2);
    assert_eq!(fx.history_count(State::Interrupted), 0);
}

/// Asserts the counts of `update` are the rows it lists, state by state.
fn assert_counts_are_the_rows(update: &QueueUpdate) {
    let count = |state: ItemState| {
        update
            .items
            .iter()
            .filter(|item| item.state == state)
            .count()
    };
    let summary = update.summary;
    let rows = (
        update.items.len(),
        count(ItemState::Rejected),
        count(ItemState::Held),
        count(ItemState::Waiting),
        count(ItemState::Uploading),
        count(ItemState::Done),
        count(ItemState::Failed),
        count(ItemState::Interrupted),
    );
    let counts = (
        summary.total,
        summary.refused,
        summary.held,
        summary.waiting,
        summary.uploading,
        summary.done,
        summary.failed,
        summary.stopped,
    );
    assert_eq!(counts, rows, "{summary:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn random_sequences_of_events_keep_the_counts_equal_to_the_rows() {
    for seed in 1..=3u64 {
        let mut fx = fixture(Duration::from_millis(5), 3).await;
        // A small generator of its own: the same sequence on every run of a seed.
        let mut state = seed;
        let mut next = move |below: u64| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (state >> 33) % below
        };
        for _ in 0..60 {
            match next(10) {
                0..=2 => {
                    let fault = |index: usize| {
                        if index.is_multiple_of(3) {
                            "?sim_fault=notjson"
                        } else {
                            ""
                        }
                    };
                    fx.queue
                        .add(token(), links(1 + next(4) as usize, fault))
                        .await;
                }
                3 => {
                    let link = links(1, |_| "").remove(0);
                    fx.queue
                        .add_unsent(vec![Unsent {
                            given: link.given.clone(),
                            audio_url: Some(link.audio_url),
                            error: ErrorReport::from_code(ErrorCode::NotAudioFile),
                            notes: Vec::new(),
                            held: next(2) == 0,
                        }])
                        .await;
                }
                4 => {
                    fx.queue.pause().await;
                }
                5 => {
                    fx.queue.resume().await;
                }
                6 => {
                    fx.queue.cancel().await;
                }
                7 => {
                    fx.queue.retry_failed(Some(token())).await;
                }
                8 => {
                    let ids: Vec<u64> = (0..3).map(|_| next(40)).collect();
                    fx.queue.retry(&ids, Some(token())).await;
                }
                _ => {
                    let ids: Vec<u64> = (0..3).map(|_| next(40)).collect();
                    fx.queue.remove(&ids).await;
                }
            }
            assert_counts_are_the_rows(&fx.queue.snapshot().await);
            if next(4) == 0 {
                tokio::time::sleep(Duration::from_millis(next(20))).await;
            }
        }
        // What came so far is kept; the batch is then waited for from the resume on.
        fx.seen.extend(drain(&mut fx.updates));
        fx.queue.resume().await;
        fx.until(|summary| summary.is_idle()).await;
        let snapshot = fx.queue.snapshot().await;
        assert_counts_are_the_rows(&snapshot);
        fx.seen.extend(drain(&mut fx.updates));
        let mut display = Display::default();
        for update in &fx.seen {
            display.apply(update);
        }
        assert_eq!(display.items, Display::of(&snapshot).items, "seed {seed}");
        assert_eq!(display.summary, snapshot.summary, "seed {seed}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn updates_merged_into_one_end_where_the_stream_ends() {
    let mut fx = fixture(Duration::ZERO, 8).await;
    fx.queue
        .add(
            token(),
            links(
                60,
                fault_where("?sim_fault=error500", |index| index % 4 == 0),
            ),
        )
        .await;
    fx.until(|summary| summary.is_idle()).await;
    fx.queue.clear().await;
    fx.queue.add(token(), links(5, |_| "")).await;
    fx.until(|summary| summary.is_idle() && summary.total == 5)
        .await;
    fx.seen.extend(drain(&mut fx.updates));
    let mut merged = fx.seen[0].clone();
    for update in fx.seen[1..].iter().cloned() {
        merged.merge(update);
    }
    let mut display = Display::default();
    display.apply(&merged);
    assert_eq!(display.items, Display::of(&fx.queue.snapshot().await).items);
    assert_eq!(merged.summary, fx.queue.snapshot().await.summary);
    assert_eq!(merged.removed.len(), 60);
}

#[tokio::test]
async fn the_link_check_warns_on_its_row_until_the_service_has_the_file() {
    let mut fx = fixture(Duration::ZERO, 4).await;
    let base = fx.sim.base_url();
    let link = |path: &str| {
        let given = format!("{base}{path}");
        QueueLink {
            audio_url: Url::parse(&given).unwrap(),
            given,
            retry_of: None,
            notes: Vec::new(),
        }
    };
    let ids = fx
        .queue
        .add(
            token(),
            vec![
                // A web page that the service takes after a while (as a real one may not).
                link("/pages/scan?sim_fault=slow&sim_delay_ms=3000"),
                // A web page the service refuses.
                link("/pages/scan?sim_fault=error500"),
                // An audio file.
                link("/files/take.wav"),
            ],
        )
        .await;
    let http = crate::preflight::http_client();
    fx.queue
        .check_links(&http, ids.clone(), Duration::from_secs(5), true)
        .await;
    let checks = |items: Vec<ItemView>| -> Vec<(ItemState, Option<String>)> {
        ids.iter()
            .map(|id| {
                let item = items.iter().find(|item| item.id == *id).unwrap();
                (item.state, item.check.clone())
            })
            .collect()
    };
    let now = checks(fx.queue.snapshot().await.items);
    assert_eq!(now[0].0, ItemState::Uploading, "{now:?}");
    assert!(
        now[0]
            .1
            .as_deref()
            .is_some_and(|text| text.contains("not the file")),
        "{now:?}"
    );
    assert!(now[1].1.is_some(), "{now:?}");
    assert_eq!(
        now[2].1, None,
        "an audio file is not worth a warning: {now:?}"
    );

    fx.until(|summary| summary.is_idle()).await;
    let settled = checks(fx.queue.snapshot().await.items);
    assert_eq!(
        settled[0],
        (ItemState::Done, now[0].1.clone()),
        "the service took a web page: it stays worth a look: {settled:?}"
    );
    assert_eq!(settled[1].0, ItemState::Failed);
    assert_eq!(settled[1].1, now[1].1, "a failed row keeps its warning");
    // History says it too, of the web page the service took.
    let done = self::history_done(&fx);
    assert_eq!(done.len(), 2, "{done:?}");
    let page = done
        .iter()
        .find(|record| record.given_url.contains("/pages/"))
        .unwrap();
    assert_eq!(page.warning, now[0].1);
    assert!(
        done.iter().any(|record| record.warning.is_none()),
        "{done:?}"
    );
    // The window is told: the last change of each row says what the snapshot says.
    let last_seen = |id: u64| {
        fx.seen
            .iter()
            .rev()
            .find_map(|update| update.items.iter().find(|item| item.id == id))
            .map(|item| item.check.clone())
    };
    assert_eq!(last_seen(ids[0]), Some(now[0].1.clone()));
    assert_eq!(last_seen(ids[1]), Some(settled[1].1.clone()));

    // A link already uploaded is not checked again, and nothing is said of it.
    let requests = fx.sim.file_requests().len();
    fx.queue
        .check_links(&http, vec![ids[0]], Duration::from_secs(5), true)
        .await;
    assert_eq!(fx.sim.file_requests().len(), requests);
    assert_eq!(checks(fx.queue.snapshot().await.items)[0], settled[0]);
}

/// The done records of the fixture's history.
fn history_done(fx: &Fixture) -> Vec<crate::history::Record> {
    fx.history
        .search(&Query {
            states: vec![State::Done],
            ..Query::default()
        })
        .unwrap()
}

#[tokio::test]
async fn a_web_page_the_check_finds_before_it_is_sent_is_held() {
    // One at a time: the slow first upload keeps the page waiting until the check answers.
    let mut fx = fixture(Duration::ZERO, 1).await;
    let base = fx.sim.base_url();
    let ids = fx
        .queue
        .add(
            token(),
            [
                "/files/a.wav?sim_fault=slow&sim_delay_ms=1500",
                "/pages/scan",
            ]
            .iter()
            .map(|path| {
                let given = format!("{base}{path}");
                QueueLink {
                    audio_url: Url::parse(&given).unwrap(),
                    given,
                    retry_of: None,
                    notes: Vec::new(),
                }
            })
            .collect(),
        )
        .await;
    let http = crate::preflight::http_client();
    fx.queue
        .check_links(&http, vec![ids[1]], Duration::from_secs(5), true)
        .await;
    let summary = fx.until(|summary| summary.is_idle()).await;
    assert_eq!((summary.done, summary.held), (1, 1));
    let page = fx.queue.snapshot().await.items.remove(1);
    assert_eq!(page.state, ItemState::Held);
    assert_eq!(page.error.unwrap().code, ErrorCode::NotAudioFile);
    assert!(page.check.is_some() && page.can_retry);
    assert_eq!(fx.queue.retry_failed(Some(token())).await, 0);
    assert_eq!(fx.sim.requests().len(), 1, "the page was never sent");
    // Nor is it in the history (its queued record is gone), until it is sent.
    assert_eq!(fx.history.count(&Query::default()).unwrap(), 1);
    assert_eq!(fx.queue.retry(&ids[1..], Some(token())).await, 1);
    fx.until(|summary| summary.done == 2).await;
    assert_eq!(fx.history_count(State::Done), 2);
    assert_eq!(fx.history.count(&Query::default()).unwrap(), 2);
}

mod files {
    use super::*;
    use crate::filehost::{FileHost, FileHostConfig};
    use producer_sim::samples::{silent_mp3, tone_wav};

    const PLATFORM: &str = "platform-sim-token";

    async fn file_fixture(platform: Option<&str>) -> (Fixture, tempfile::TempDir) {
        let fx = fixture(Duration::ZERO, 4).await;
        let mut config = FileHostConfig::new(&fx.sim.base_url()).unwrap();
        config.retry = RetryPolicy::never();
        fx.queue.set_file_host(FileHost::new(config));
        fx.queue
            .set_platform_token(platform.map(|token| PlatformToken::parse(token).unwrap()));
        (fx, tempfile::tempdir().unwrap())
    }

    fn on_disk(dir: &tempfile::TempDir, name: &str, bytes: &[u8]) -> QueueFile {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        QueueFile {
            name: name.into(),
            size: bytes.len() as u64,
            source: FileSource::Path(path),
        }
    }

    fn arriving(dir: &tempfile::TempDir, name: &str, size: usize) -> QueueFile {
        QueueFile {
            name: name.into(),
            size: size as u64,
            source: FileSource::Incoming(
                Incoming::create(&dir.path().join("incoming"), name, size as u64).unwrap(),
            ),
        }
    }

    async fn item(fx: &Fixture, id: u64) -> ItemView {
        let snapshot = fx.queue.snapshot().await;
        snapshot
            .items
            .into_iter()
            .find(|item| item.id == id)
            .unwrap()
    }

    impl Fixture {
        async fn until_item(&mut self, id: u64, done: impl Fn(&ItemView) -> bool) -> ItemView {
            tokio::time::timeout(Duration::from_secs(20), async {
                loop {
                    let update = self.updates.recv().await.expect("the queue lives");
                    let found = update.items.iter().find(|item| item.id == id).cloned();
                    self.seen.push(update);
                    if let Some(item) = found.filter(|item| done(item)) {
                        return item;
                    }
                }
            })
            .await
            .expect("the item gets there in time")
        }
    }

    #[tokio::test]
    async fn a_file_is_hosted_then_its_link_uploaded_and_recorded_with_it() {
        let (mut fx, dir) = file_fixture(Some(PLATFORM)).await;
        let wav = tone_wav(500, 0);
        let [id] = fx
            .queue
            .add_files(token(), vec![on_disk(&dir, "verse.wav", &wav)])
            .await[..]
        else {
            panic!("one id");
        };
        let done = fx
            .until_item(id, |item| item.state == ItemState::Done)
            .await;
        let file = done.file.clone().unwrap();
        assert_eq!(file.stage, FileStage::Hosted);
        assert!(!file.reused);
        assert_eq!(
            (file.size, file.received, file.sent),
            (wav.len() as u64, wav.len() as u64, wav.len() as u64)
        );
        let file_url = file.file_url.unwrap();
        assert_eq!(done.audio_url.as_deref(), Some(file_url.as_str()));
        assert_eq!(std::fs::read(&fx.sim.hosted_files()[0].path).unwrap(), wav);
        assert_eq!(fx.sim.issued()[0].audio_url, file_url);
        assert_eq!(done.uploaded.unwrap().audio_id, fx.sim.issued()[0].audio_id);
        // Hosting showed its progress before the upload went.
        let stages: Vec<FileStage> = fx
            .seen
            .iter()
            .flat_map(|update| &update.items)
            .filter_map(|item| item.file.as_ref().map(|file| file.stage))
            .collect();
        for stage in [
            FileStage::Ready,
            FileStage::Checking,
            FileStage::Hosting,
            FileStage::Hosted,
        ] {
            assert!(stages.contains(&stage), "{stage:?} in {stages:?}");
        }
        let records = fx.history.search(&Query::default()).unwrap();
        assert_eq!(records.len(), 1);
        assert_eq!(records[0].given_url, "verse.wav");
        assert_eq!(records[0].file.as_ref().unwrap().file_url, file_url);
    }

    #[tokio::test]
    async fn a_dropped_file_is_in_the_history_under_its_name_as_soon_as_it_is_taken() {
        let (mut fx, dir) = file_fixture(Some(PLATFORM)).await;
        let mp3 = silent_mp3(30);
        let [id] = fx
            .queue
            .add_files(token(), vec![arriving(&dir, "hook take 2.mp3", mp3.len())])
            .await[..]
        else {
            panic!("one id");
        };
        let records = fx.history.search(&Query::default()).unwrap();
        assert_eq!(records.len(), 1, "recorded before any byte arrived");
        assert_eq!(records[0].state, crate::history::State::Queued);
        assert_eq!(records[0].file_name, "hook take 2.mp3");
        let pieces: Vec<&[u8]> = mp3.chunks(1000).collect();
        for (index, piece) in pieces.iter().enumerate() {
            fx.queue
                .receive(id, (index * 1000) as u64, piece.to_vec())
                .await;
        }
        let done = fx
            .until_item(id, |item| item.state == ItemState::Done)
            .await;
        // The same record, settled with its hosted link and audio ID.
        let records = fx.history.search(&Query::default()).unwrap();
        assert_eq!(records.len(), 1, "{records:#?}");
        assert_eq!(records[0].state, crate::history::State::Done);
        assert_eq!(records[0].file_name, "hook take 2.mp3");
        assert_eq!(
            records[0].audio_id.as_deref(),
            Some(done.uploaded.unwrap().audio_id.as_str())
        );
        let file_url = done.file.unwrap().file_url.unwrap();
        assert_eq!(records[0].audio_url, file_url);
        assert_eq!(records[0].file.as_ref().unwrap().file_url, file_url);
    }

    #[tokio::test]
    async fn files_arrive_only_a_few_ahead_of_hosting() {
        let (fx, dir) = file_fixture(Some(PLATFORM)).await;
        // Paused: nothing is hosted, so whole copies pile up unless arrivals wait.
        fx.queue.pause().await;
        let wav = tone_wav(50, 0);
        let ids = fx
            .queue
            .add_files(
                token(),
                (0..4)
                    .map(|index| arriving(&dir, &format!("take-{index}.wav"), wav.len()))
                    .collect(),
            )
            .await;
        for &id in &ids[..RECEIVE_AHEAD] {
            assert_eq!(fx.queue.may_receive(id).await, ReceiveTurn::Now);
            fx.queue.receive(id, 0, wav.clone()).await;
            assert_eq!(item(&fx, id).await.file.unwrap().stage, FileStage::Ready);
        }
        assert_eq!(fx.queue.may_receive(ids[2]).await, ReceiveTurn::Later);
        assert_eq!(fx.queue.may_receive(ids[3]).await, ReceiveTurn::Later);
        // Once hosting takes them, the next may come.
        fx.queue.resume().await;
        tokio::time::timeout(Duration::from_secs(20), async {
            while fx.queue.may_receive(ids[2]).await != ReceiveTurn::Now {
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        })
        .await
        .expect("the third file's turn comes once hosting starts");
        // A stopped file wants no more bytes.
        fx.queue.stop(&[ids[3]]).await;
        assert_eq!(fx.queue.may_receive(ids[3]).await, ReceiveTurn::Never);
    }

    #[tokio::test]
    async fn a_copy_is_removed_when_its_row_fails_for_good_and_the_row_says_so() {
        let (mut fx, dir) = file_fixture(Some("platform-sim-error-bad_request")).await;
        let wav = tone_wav(50, 0);
        let file = arriving(&dir, "verse.wav", wav.len());
        let FileSource::Incoming(incoming) = &file.source else {
            unreachable!()
        };
        let copy = incoming.path().to_owned();
        let [id] = fx.queue.add_files(token(), vec![file]).await[..] else {
            panic!("one id");
        };
        fx.queue.receive(id, 0, wav.clone()).await;
        let failed = fx
            .until_item(id, |item| item.state == ItemState::Failed)
            .await;
        let error = failed.error.unwrap();
        assert_eq!(error.code, ErrorCode::BadRequest);
        assert!(
            error.message.contains("copy the app kept"),
            "{}",
            error.message
        );
        assert!(!copy.exists(), "the copy is gone");
        assert!(!failed.can_retry, "nothing left to send again");
        let records = fx.history.search(&Query::default()).unwrap();
        assert_eq!(
            records[0].state,
            crate::history::State::Failed,
            "{records:#?}"
        );
    }

    #[tokio::test]
    async fn a_dropped_file_arrives_in_pieces_then_goes_and_its_copy_is_deleted() {
        let (mut fx, dir) = file_fixture(Some(PLATFORM)).await;
        let mp3 = silent_mp3(30);
        let [id] = fx
            .queue
            .add_files(token(), vec![arriving(&dir, "hook.mp3", mp3.len())])
            .await[..]
        else {
            panic!("one id");
        };
        let waiting = item(&fx, id).await;
        assert_eq!(waiting.state, ItemState::Waiting);
        assert_eq!(waiting.file.unwrap().stage, FileStage::Receiving);
        assert!(waiting.can_stop);
        assert_eq!(
            fx.queue.summary().waiting,
            1,
            "a file arriving is counted as waiting"
        );
        let pieces: Vec<&[u8]> = mp3.chunks(1000).collect();
        for (index, piece) in pieces.iter().enumerate() {
            let last = index == pieces.len() - 1;
            assert_eq!(
                fx.queue
                    .receive(id, (index * 1000) as u64, piece.to_vec())
                    .await,
                !last
            );
        }
        let done = fx
            .until_item(id, |item| item.state == ItemState::Done)
            .await;
        assert_eq!(done.file.unwrap().received, mp3.len() as u64);
        assert_eq!(std::fs::read(&fx.sim.hosted_files()[0].path).unwrap(), mp3);
        let incoming = std::fs::read_dir(dir.path().join("incoming"))
            .unwrap()
            .count();
        assert_eq!(incoming, 0, "the received copy is deleted once uploaded");
        // A piece for a finished file is not wanted.
        assert!(!fx.queue.receive(id, 0, &mp3[..10]).await);
    }

    #[tokio::test]
    async fn a_dropped_file_that_is_not_audio_is_refused_at_its_first_bytes_and_nothing_is_sent() {
        let (fx, dir) = file_fixture(Some(PLATFORM)).await;
        let text = b"These are my lyrics, not a recording.".repeat(100);
        let [id] = fx
            .queue
            .add_files(token(), vec![arriving(&dir, "song.mp3", text.len())])
            .await[..]
        else {
            panic!("one id");
        };
        assert!(
            !fx.queue.receive(id, 0, &text[..1000]).await,
            "no more pieces wanted"
        );
        let refused = item(&fx, id).await;
        assert_eq!(refused.state, ItemState::Rejected);
        assert_eq!(refused.error.unwrap().code, ErrorCode::NotAudio);
        assert!(!refused.can_retry && !refused.can_stop);
        assert!(fx.sim.host_requests().is_empty());
        assert_eq!(
            std::fs::read_dir(dir.path().join("incoming"))
                .unwrap()
                .count(),
            0
        );
        // Its history record (made when it was taken) says why, not "interrupted" later.
        let record = tokio::time::timeout(Duration::from_secs(5), async {
            loop {
                let records = fx.history.search(&Query::default()).unwrap();
                if records[0].state == crate::history::State::Failed {
                    return records[0].clone();
                }
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
        })
        .await
        .expect("the failure is recorded");
        assert_eq!(record.file_name, "song.mp3");
        assert_eq!(record.error.unwrap().code, ErrorCode::NotAudio);
    }

    #[tokio::test]
    async fn pieces_out_of_place_fail_the_file_instead_of_making_a_wrong_copy() {
        let (fx, dir) = file_fixture(Some(PLATFORM)).await;
        let wav = tone_wav(200, 0);
        let [id] = fx
            .queue
            .add_files(token(), vec![arriving(&dir, "a.wav", wav.len())])
            .await[..]
        else {
            panic!("one id");
        };
        assert!(fx.queue.receive(id, 0, &wav[..100]).await);
        assert!(!fx.queue.receive(id, 200, &wav[200..300]).await);
        let failed = item(&fx, id).await;
        assert_eq!(failed.state, ItemState::Failed);
        assert_eq!(failed.error.unwrap().code, ErrorCode::FileUnreadable);
        assert!(
            !failed.can_retry,
            "its bytes are gone: it must be added again"
        );
    }

    #[tokio::test]
    async fn without_a_platform_token_a_file_fails_and_goes_once_there_is_one() {
        let (mut fx, dir) = file_fixture(None).await;
        let [id] = fx
            .queue
            .add_files(token(), vec![on_disk(&dir, "a.wav", &tone_wav(200, 0))])
            .await[..]
        else {
            panic!("one id");
        };
        let failed = fx
            .until_item(id, |item| item.state == ItemState::Failed)
            .await;
        assert_eq!(failed.error.unwrap().code, ErrorCode::PlatformTokenMissing);
        assert!(failed.can_retry);
        assert!(fx.sim.host_requests().is_empty());
        fx.queue
            .set_platform_token(Some(PlatformToken::parse(PLATFORM).unwrap()));
        assert_eq!(fx.queue.retry(&[id], None).await, 1);
        fx.until_item(id, |item| item.state == ItemState::Done)
            .await;
        assert_eq!(fx.sim.issued().len(), 1);
    }

    #[tokio::test]
    async fn the_same_content_again_reuses_its_hosted_link() {
        let (mut fx, dir) = file_fixture(Some(PLATFORM)).await;
        let wav = tone_wav(300, 0);
        let [first] = fx
            .queue
            .add_files(token(), vec![on_disk(&dir, "take.wav", &wav)])
            .await[..]
        else {
            panic!("one id");
        };
        let first = fx
            .until_item(first, |item| item.state == ItemState::Done)
            .await;
        let [again] = fx
            .queue
            .add_files(token(), vec![on_disk(&dir, "take.wav", &wav)])
            .await[..]
        else {
            panic!("one id");
        };
        let again = fx
            .until_item(again, |item| item.state == ItemState::Done)
            .await;
        let file = again.file.unwrap();
        assert!(file.reused);
        let first_url = first.file.unwrap().file_url;
        assert_eq!(file.file_url, first_url);
        assert_eq!(fx.sim.host_requests().len(), 1, "hosted once");
        assert_eq!(fx.sim.issued().len(), 2, "each row still gets its audio ID");

        // The same bytes under another name are hosted under that name.
        let [copy] = fx
            .queue
            .add_files(token(), vec![on_disk(&dir, "take copy.wav", &wav)])
            .await[..]
        else {
            panic!("one id");
        };
        let copy = fx
            .until_item(copy, |item| item.state == ItemState::Done)
            .await;
        let file = copy.file.unwrap();
        assert!(!file.reused);
        assert_ne!(file.file_url, first_url);
        let hosted = fx.sim.hosted_files();
        assert_eq!(hosted.len(), 2);
        assert_eq!(hosted[1].file_name, "take copy.wav");
    }

    #[tokio::test]
    async fn a_reused_file_can_be_hosted_again_as_a_new_row_with_its_own_link() {
        let (mut fx, dir) = file_fixture(Some(PLATFORM)).await;
        let mp3 = silent_mp3(30);
        async fn send(fx: &Fixture, id: u64, mp3: &[u8]) {
            for (index, piece) in mp3.chunks(1000).enumerate() {
                fx.queue.receive(id, (index * 1000) as u64, piece).await;
            }
        }
        let [first] = fx
            .queue
            .add_files(token(), vec![arriving(&dir, "hook.mp3", mp3.len())])
            .await[..]
        else {
            panic!("one id");
        };
        send(&fx, first, &mp3).await;
        let first = fx
            .until_item(first, |item| item.state == ItemState::Done)
            .await;
        assert!(
            !first.can_host_again,
            "hosted, not reused: nothing to offer"
        );

        // The same file dropped again reuses the link, and keeps its copy to offer hosting.
        let [again] = fx
            .queue
            .add_files(token(), vec![arriving(&dir, "hook.mp3", mp3.len())])
            .await[..]
        else {
            panic!("one id");
        };
        send(&fx, again, &mp3).await;
        let reused = fx
            .until_item(again, |item| item.state == ItemState::Done)
            .await;
        assert!(reused.file.as_ref().unwrap().reused);
        assert!(reused.can_host_again);
        let copies = || {
            std::fs::read_dir(dir.path().join("incoming"))
                .unwrap()
                .count()
        };
        assert_eq!(copies(), 1, "the reused row's copy is kept");
        assert_eq!(fx.sim.host_requests().len(), 1);

        let [hosted_again] = fx.queue.host_again(&[again]).await[..] else {
            panic!("one new row");
        };
        assert!(!item(&fx, again).await.can_host_again, "offered once");
        assert!(fx.queue.host_again(&[again]).await.is_empty());
        let hosted_again = fx
            .until_item(hosted_again, |item| item.state == ItemState::Done)
            .await;
        let file = hosted_again.file.unwrap();
        assert!(!file.reused, "nothing reused the second time");
        assert_ne!(
            file.file_url,
            reused.file.unwrap().file_url,
            "a link of its own"
        );
        assert_eq!(fx.sim.host_requests().len(), 2, "put on the host again");
        assert_eq!(std::fs::read(&fx.sim.hosted_files()[1].path).unwrap(), mp3);
        assert_eq!(fx.sim.issued().len(), 3, "each row has its audio ID");
        assert_ne!(
            hosted_again.uploaded.unwrap().audio_id,
            item(&fx, again).await.uploaded.unwrap().audio_id
        );
        assert_eq!(copies(), 0, "the copy goes once it is hosted and uploaded");
    }

    #[tokio::test]
    async fn stop_ends_a_transfer_and_the_file_can_be_retried() {
        let (mut fx, dir) = file_fixture(Some(PLATFORM)).await;
        let [id] = fx
            .queue
            .add_files(
                token(),
                vec![on_disk(&dir, "big sim_fault=hang.wav", &tone_wav(300, 0))],
            )
            .await[..]
        else {
            panic!("one id");
        };
        fx.until_item(id, |item| {
            item.file
                .as_ref()
                .is_some_and(|file| file.stage == FileStage::Hosting)
        })
        .await;
        assert_eq!(fx.queue.stop(&[id]).await, 1);
        let stopped = fx
            .until_item(id, |item| item.state == ItemState::Interrupted)
            .await;
        assert!(stopped.can_retry && !stopped.can_stop);
        assert_eq!(fx.queue.summary().uploading, 0, "its slot is free again");
        assert!(fx.sim.issued().is_empty());
    }

    #[tokio::test]
    async fn a_file_stopped_or_abandoned_while_arriving_cannot_be_retried() {
        let (fx, dir) = file_fixture(Some(PLATFORM)).await;
        let ids = fx
            .queue
            .add_files(
                token(),
                vec![arriving(&dir, "a.wav", 5000), arriving(&dir, "b.wav", 5000)],
            )
            .await;
        let wav = tone_wav(200, 0);
        assert!(fx.queue.receive(ids[0], 0, &wav[..100]).await);
        assert_eq!(fx.queue.stop(&ids[..1]).await, 1);
        let stopped = item(&fx, ids[0]).await;
        assert_eq!(stopped.state, ItemState::Interrupted);
        assert!(!stopped.can_retry);
        assert!(!fx.queue.receive(ids[0], 100, &wav[100..200]).await);
        // A reloaded window will not send the rest of b.wav.
        fx.queue.abandon_incoming().await;
        let abandoned = item(&fx, ids[1]).await;
        assert_eq!(abandoned.state, ItemState::Failed);
        assert!(!abandoned.can_retry);
        assert!(fx.queue.summary().is_idle());
        assert_eq!(
            std::fs::read_dir(dir.path().join("incoming"))
                .unwrap()
                .count(),
            0
        );
    }

    #[tokio::test]
    async fn an_empty_file_says_so_and_offers_no_retry() {
        let (mut fx, dir) = file_fixture(Some(PLATFORM)).await;
        let [id] = fx
            .queue
            .add_files(token(), vec![on_disk(&dir, "Bounce.wav", b"")])
            .await[..]
        else {
            panic!("one id");
        };
        let ended = fx.until_item(id, |item| item.state.is_finished()).await;
        let error = ended.error.expect("a reason");
        assert_eq!(error.code, ErrorCode::FileEmpty);
        assert!(
            error.message.starts_with("This file is empty"),
            "{}",
            error.message
        );
        assert!(!ended.can_retry, "sending it again cannot help");
        assert!(fx.sim.host_requests().is_empty(), "nothing sent");
    }

    #[tokio::test]
    async fn refused_files_are_rows_with_their_reason() {
        let (fx, _dir) = file_fixture(Some(PLATFORM)).await;
        let ids = fx
            .queue
            .add_files(
                token(),
                vec![QueueFile {
                    name: "Stems".into(),
                    size: 0,
                    source: FileSource::Refused(ErrorReport::from_code(ErrorCode::FileIsFolder)),
                }],
            )
            .await;
        let refused = item(&fx, ids[0]).await;
        assert_eq!(refused.state, ItemState::Rejected);
        assert_eq!(refused.given, "Stems");
        assert_eq!(refused.error.unwrap().code, ErrorCode::FileIsFolder);
        assert_eq!(fx.queue.summary().refused, 1);
    }
}
