//! The one poller of running tasks: a single `retrieve_batch` for all of them, at most one
//! request to `/producer/tasks` a second in total (the [`Gate`] every such request passes,
//! shared through the history with the other programs on this computer), the first a few
//! seconds after a task starts, `Retry-After` honoured.

use super::client::MAX_BATCH;
use super::store::{self, GenerationId};
use crate::history::History;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::time::Instant;

/// The shortest time between two requests to `/producer/tasks` (the service allows one a
/// second; a little more, so that jitter on the way never makes two arrive within a second).
pub const MIN_GAP: Duration = Duration::from_millis(1100);
/// The shortest wait a 429 imposes, whatever its `Retry-After` says.
const MIN_HOLD: Duration = Duration::from_secs(1);

/// When the tasks endpoint may be asked next: after the gap since the last request, and after
/// any wait the service asked for; with a history, the last request of any program using it
/// (the app and the command polling at once share the service's one request a second).
#[derive(Debug, Default)]
pub struct Gate {
    state: tokio::sync::Mutex<GateState>,
    shared: Option<Arc<History>>,
}

#[derive(Debug, Default)]
struct GateState {
    last: Option<Instant>,
    hold_until: Option<Instant>,
}

impl Gate {
    /// A gate shared, through `history`'s database, with every program using it.
    pub fn shared(history: Arc<History>) -> Self {
        Self {
            state: Default::default(),
            shared: Some(history),
        }
    }

    /// Waits for this caller's turn and takes it: no other request starts within [`MIN_GAP`].
    pub async fn turn(&self) {
        let mut state = self.state.lock().await;
        let after_gap = state.last.map(|last| last + MIN_GAP);
        if let Some(at) = after_gap.max(state.hold_until) {
            tokio::time::sleep_until(at).await;
        }
        if let Some(history) = &self.shared {
            loop {
                match store::take_poll_turn(history, MIN_GAP) {
                    Ok(None) => break,
                    Ok(Some(wait)) => tokio::time::sleep(wait).await,
                    // A database that cannot be asked leaves this program's own gap.
                    Err(error) => {
                        tracing::warn!("the shared poll gate could not be read: {error}");
                        break;
                    }
                }
            }
        }
        state.last = Some(Instant::now());
    }

    /// The service refused a request for its rate: nothing goes before `retry_after` (at
    /// least a second) has passed, from any program using the history.
    pub async fn hold(&self, retry_after: Option<Duration>) {
        let wait = retry_after.unwrap_or(MIN_HOLD).max(MIN_HOLD);
        self.state.lock().await.hold_until = Some(Instant::now() + wait);
        if let Some(history) = &self.shared {
            if let Err(error) = store::hold_polls(history, wait) {
                tracing::warn!("the shared poll gate could not be written: {error}");
            }
        }
    }
}

/// A running task the poller watches.
#[derive(Debug, Clone, Copy)]
struct Watched {
    generation: GenerationId,
    /// Not asked about before this (a few seconds after it started).
    first_at: Instant,
    /// A poll is due for it at this time.
    next_at: Instant,
}

/// The running tasks, by task ID, and when each is due.
#[derive(Debug, Default)]
pub struct Watchlist {
    tasks: Mutex<HashMap<String, Watched>>,
}

/// What the poller should do now.
#[derive(Debug, PartialEq)]
pub enum Next {
    /// Ask about these tasks (task ID, generation) in one request.
    Poll(Vec<(String, GenerationId)>),
    /// Nothing is due before this time.
    WaitUntil(Instant),
    /// Nothing is watched.
    Idle,
}

impl Watchlist {
    /// Watches a task, first asked about after `first_poll`.
    pub fn watch(&self, task_id: &str, generation: GenerationId, first_poll: Duration) {
        let at = Instant::now() + first_poll;
        let watched = Watched {
            generation,
            first_at: at,
            next_at: at,
        };
        self.lock().insert(task_id.to_owned(), watched);
    }

    /// Stops watching a task (it ended).
    pub fn forget(&self, task_id: &str) {
        self.lock().remove(task_id);
    }

    /// Asks about a task again after `wait`.
    pub fn later(&self, task_id: &str, wait: Duration) {
        if let Some(watched) = self.lock().get_mut(task_id) {
            watched.next_at = Instant::now() + wait;
        }
    }

    /// The generations watched.
    pub fn generations(&self) -> impl Iterator<Item = GenerationId> {
        let ids: Vec<GenerationId> = self.lock().values().map(|w| w.generation).collect();
        ids.into_iter()
    }

    /// What to do at `now`: when any task is due, one request for every task past its first
    /// wait (the oldest [`MAX_BATCH`]), so that they all share it.
    pub fn next(&self, now: Instant) -> Next {
        let tasks = self.lock();
        let Some(soonest) = tasks.values().map(|watched| watched.next_at).min() else {
            return Next::Idle;
        };
        if soonest > now {
            return Next::WaitUntil(soonest);
        }
        let mut ready: Vec<(&String, &Watched)> = tasks
            .iter()
            .filter(|(_, watched)| watched.first_at <= now)
            .collect();
        ready.sort_by_key(|(_, watched)| (watched.next_at, watched.generation));
        Next::Poll(
            ready
                .into_iter()
                .take(MAX_BATCH)
                .map(|(task_id, watched)| (task_id.clone(), watched.generation))
                .collect(),
        )
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Watched>> {
        self.tasks
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_task_past_its_first_wait_shares_one_request() {
        let list = Watchlist::default();
        let start = Instant::now();
        assert_eq!(list.next(start), Next::Idle);
        for n in 0..10 {
            list.watch(
                &format!("t{n}"),
                n,
                Duration::from_secs(5) + Duration::from_millis(100 * n as u64),
            );
        }
        assert!(matches!(list.next(start), Next::WaitUntil(_)));
        // When the first is due, all ten are asked about at once from then on.
        let Next::Poll(batch) = list.next(start + Duration::from_secs(7)) else {
            panic!("nothing due")
        };
        assert_eq!(batch.len(), 10);
        let Next::Poll(batch) = list.next(start + Duration::from_millis(5_050)) else {
            panic!("nothing due")
        };
        assert_eq!(batch.len(), 1, "only the tasks past their first wait");
        for n in 0..10 {
            list.later(&format!("t{n}"), Duration::from_secs(3));
        }
        list.forget("t3");
        let Next::Poll(batch) = list.next(start + Duration::from_secs(7)) else {
            panic!("nothing due")
        };
        assert_eq!(batch.len(), 9);
    }

    #[tokio::test]
    async fn the_gate_keeps_a_second_between_requests_and_honours_retry_after() {
        let gate = Gate::default();
        let start = Instant::now();
        gate.turn().await;
        gate.turn().await;
        assert!(start.elapsed() >= MIN_GAP);
        gate.hold(Some(Duration::from_secs(2))).await;
        let held = Instant::now();
        gate.turn().await;
        assert!(held.elapsed() >= Duration::from_millis(1990));
        gate.hold(Some(Duration::ZERO)).await;
        let before = Instant::now();
        gate.turn().await;
        assert!(before.elapsed() >= Duration::from_millis(990));
    }

    /// The app and the command on one computer: two programs, each with its own gate on its
    /// own handle of the same history, still ask the service at most once in each gap.
    #[tokio::test]
    async fn two_programs_on_one_history_share_one_request_a_second() {
        let folder = tempfile::tempdir().unwrap();
        let app = Gate::shared(Arc::new(History::open(folder.path()).unwrap()));
        let command = Gate::shared(Arc::new(History::open(folder.path()).unwrap()));
        let mut turns = Vec::new();
        for gate in [&app, &command, &app, &command] {
            gate.turn().await;
            turns.push(std::time::Instant::now());
        }
        for pair in turns.windows(2) {
            // Wall-clock milliseconds in the database: a millisecond of rounding either way.
            assert!(pair[1] - pair[0] >= MIN_GAP - Duration::from_millis(2));
        }
        // A 429 one program was given holds the other too.
        command.hold(Some(Duration::from_secs(2))).await;
        let held = std::time::Instant::now();
        app.turn().await;
        assert!(held.elapsed() >= Duration::from_millis(1990));
    }
}
