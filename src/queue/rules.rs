//! The queue's rules, as plain data: a [`Batch`] of rows that changes only through
//! [`Batch::apply`], which takes one [`Event`] (something asked for, or something a running
//! upload reports) and says what changed (a numbered [`QueueUpdate`]) and what to do about it
//! ([`Effect`]s: uploads to start, transfers to stop, history records to write). It does no input
//! or output and knows no uploader, so every rule is tested without a server (`tests` below).
//!
//! What starts next is one rule ([`Batch::start_next`]): the oldest waiting rows, while not
//! paused and while fewer than the limit run (uploads waiting out a `Retry-After` aside hold no
//! place). Each row's [`Status`](super::item::Status) carries its state's data.

use super::event::{
    Applied, Effect, Event, NewFile, NewLink, Piece, Start, TakenFile, Which, Work,
};
use super::item::{finish, FileItem, Item, Status};
use super::view::{FileStage, ItemView, QueueUpdate};
use crate::client::Progress;
use crate::error::{ErrorCode, ErrorReport};
use crate::eta::BatchPace;
use crate::history::{NewUpload, RecordId, Source};
use crate::preflight::Verdict;
use crate::token::ApiToken;
use std::collections::{BTreeMap, VecDeque};
use std::time::Instant;
use tokio_util::sync::CancellationToken;

/// The queue's rows and what they wait for. Changed only by [`Batch::apply`].
#[derive(Debug)]
pub(super) struct Batch {
    /// Rows by id, oldest first.
    items: BTreeMap<u64, Item>,
    next_id: u64,
    /// The number of the last change.
    sequence: u64,
    /// Rows to start, in order.
    waiting: VecDeque<u64>,
    paused: bool,
    /// How many rows may run at once.
    limit: usize,
    token: Option<ApiToken>,
    /// The running batch's pace, for the time left.
    pace: BatchPace,
    /// The rows the last Clear took out, oldest first, for its Undo.
    cleared: Vec<Item>,
}

impl Batch {
    /// An empty batch running at most `limit` uploads at once.
    pub fn new(limit: usize) -> Self {
        Self {
            items: BTreeMap::new(),
            next_id: 0,
            sequence: 0,
            waiting: VecDeque::new(),
            paused: false,
            limit,
            token: None,
            pace: BatchPace::default(),
            cleared: Vec::new(),
        }
    }

    /// Applies `event`, which happened at `now`.
    pub fn apply(&mut self, event: Event, now: Instant) -> Applied {
        let mut applied = Applied::default();
        let mut changed = Vec::new();
        let mut removed = Vec::new();
        // Whether something shown changed even though no row did (the counts, a pause).
        let mut counts_changed = false;
        match event {
            Event::AddLinks { token, links } => {
                self.token = Some(token);
                for NewLink { link, record } in links {
                    let mut item = Item::new(
                        link.given,
                        Some(link.audio_url),
                        Status::Waiting {
                            // If stopped before it is sent, the record stays as the history has it.
                            retrying: link.retry_of.map(|_| Box::new(Status::Stopped)),
                        },
                    );
                    item.notes = link.notes;
                    item.record = link.retry_of.or(record);
                    let id = self.push(item);
                    self.waiting.push_back(id);
                    changed.push(id);
                }
                applied.ids = changed.clone();
            }
            Event::AddUnsent(unsent) => {
                for entry in unsent {
                    let status = match (&entry.audio_url, entry.held) {
                        (Some(_), true) => Status::Held(entry.error),
                        (Some(_), false) => Status::Failed(entry.error),
                        (None, _) => Status::Refused(entry.error),
                    };
                    let mut item = Item::new(entry.given, entry.audio_url, status);
                    item.notes = entry.notes;
                    changed.push(self.push(item));
                }
                applied.ids = changed.clone();
            }
            Event::AddFiles { token, files } => {
                self.token = Some(token);
                for NewFile {
                    file,
                    refused,
                    record,
                } in files
                {
                    let waits = refused.is_none() && file.stage == FileStage::Ready;
                    let status = match refused {
                        Some(error) => Status::Refused(error),
                        None => Status::Waiting { retrying: None },
                    };
                    let mut item = Item::new(file.name.clone(), None, status);
                    item.record = record;
                    item.file = Some(file);
                    let id = self.push(item);
                    if waits {
                        self.waiting.push_back(id);
                    }
                    changed.push(id);
                }
                applied.ids = changed.clone();
            }
            Event::TakeForHostAgain(ids) => {
                for id in ids {
                    let Some(item) = self.items.get_mut(&id).filter(|item| item.can_host_again())
                    else {
                        continue;
                    };
                    let Some(file) = item.file.as_mut() else {
                        continue;
                    };
                    let Some(path) = file.path.take() else {
                        continue;
                    };
                    applied.taken.push(TakenFile {
                        name: file.name.clone(),
                        size: file.size,
                        path,
                        incoming: file.incoming.take(),
                    });
                    // The row no longer offers it.
                    changed.push(id);
                }
                applied.ids = changed.clone();
            }
            Event::AddHostedAgain(taken) => {
                for (taken, record) in taken {
                    let mut item =
                        Item::new(taken.name.clone(), None, Status::Waiting { retrying: None });
                    item.record = record;
                    item.file = Some(FileItem::new(
                        taken.name,
                        taken.size,
                        Some(taken.path),
                        taken.incoming,
                        false,
                    ));
                    let id = self.push(item);
                    self.waiting.push_back(id);
                    changed.push(id);
                }
                applied.ids = changed.clone();
            }
            Event::Received { id, piece } => {
                if let Some(item) = self.items.get_mut(&id).filter(|item| item.is_receiving()) {
                    match piece {
                        Piece::Failed(error) => {
                            item.drop_incoming();
                            applied.effects.extend(failed_file(item.record, &error));
                            item.status = Status::Failed(error);
                        }
                        Piece::Written {
                            received,
                            complete,
                            refused,
                            ..
                        } => {
                            let file = item.file.as_mut().expect("a receiving row is a file");
                            file.received = received;
                            match refused {
                                Some(error) => {
                                    item.drop_incoming();
                                    applied.effects.extend(failed_file(item.record, &error));
                                    item.status = Status::Refused(error);
                                }
                                None if complete => {
                                    file.stage = FileStage::Ready;
                                    self.waiting.push_back(id);
                                }
                                None => applied.wants_more = true,
                            }
                        }
                    }
                    changed.push(id);
                }
            }
            Event::FailIncoming { id, error } => {
                if let Some(item) = self.items.get_mut(&id).filter(|item| item.is_receiving()) {
                    item.drop_incoming();
                    applied.effects.extend(failed_file(item.record, &error));
                    item.status = Status::Failed(error);
                    changed.push(id);
                }
            }
            Event::AbandonIncoming => {
                let error = ErrorReport::from_code(ErrorCode::FileUnreadable)
                    .with_words("file-window-reloaded", []);
                let mut failed = Vec::new();
                for (id, item) in self.items.iter_mut() {
                    if item.is_receiving() {
                        item.drop_incoming();
                        failed.extend(item.record.map(|record| (record, error.clone())));
                        item.status = Status::Failed(error.clone());
                        changed.push(*id);
                    }
                }
                if !failed.is_empty() {
                    applied.effects.push(Effect::RecordFailedFiles(failed));
                }
            }
            Event::Stop(ids) => {
                let mut stops = Vec::new();
                for id in ids {
                    let Some(item) = self.items.get_mut(&id).filter(|item| item.can_stop()) else {
                        continue;
                    };
                    match &item.status {
                        // Its task ends it as stopped once the transfer has stopped.
                        Status::Running { stop, .. } => stops.extend(stop.clone()),
                        _ => {
                            item.interrupt();
                            changed.push(id);
                        }
                    }
                }
                self.waiting.retain(|id| !changed.contains(id));
                applied.count = changed.len() + stops.len();
                if !stops.is_empty() {
                    applied.effects.push(Effect::StopTransfers(stops));
                }
            }
            Event::Pause => {
                self.paused = true;
                counts_changed = true;
            }
            Event::Resume => {
                self.paused = false;
                counts_changed = true;
            }
            Event::SetLimit(limit) => self.limit = limit,
            Event::Cancel => {
                self.cancel(&mut applied, &mut changed);
                counts_changed = true;
            }
            Event::RecordedStopped(records) => {
                // Kept so that a later retry settles these records instead of adding new ones
                // (unless one was retried meanwhile and has its own record already).
                for (id, record) in records {
                    if let Some(item) = self.items.get_mut(&id) {
                        item.record.get_or_insert(record);
                    }
                }
            }
            Event::Retry { which, token } => {
                if token.is_some() {
                    self.token = token;
                }
                for (id, item) in self.items.iter_mut() {
                    let wanted = match &which {
                        Which::AllFailed => !matches!(item.status, Status::Held(_)),
                        Which::Rows(ids) => ids.contains(id),
                    };
                    if !(wanted && item.can_retry()) {
                        continue;
                    }
                    let before = std::mem::replace(&mut item.status, Status::Stopped);
                    item.status = Status::Waiting {
                        retrying: Some(Box::new(before)),
                    };
                    if let Some(file) = item.file.as_mut().filter(|file| file.hosted.is_none()) {
                        file.stage = FileStage::Ready;
                        file.sent = 0;
                    }
                    changed.push(*id);
                }
                self.waiting.extend(changed.iter().copied());
                applied.count = changed.len();
            }
            Event::Clear => {
                removed = self.take_finished(|_| true);
                self.cleared = removed
                    .iter()
                    .filter_map(|id| self.items.remove(id))
                    .collect();
                applied.count = removed.len();
                counts_changed = true;
            }
            Event::UndoClear => {
                for item in std::mem::take(&mut self.cleared) {
                    changed.push(self.push(item));
                }
                applied.count = changed.len();
            }
            Event::Remove(ids) => {
                removed = self.take_finished(|id| ids.contains(&id));
                for id in &removed {
                    self.items.remove(id);
                }
                applied.count = removed.len();
                counts_changed = true;
            }
            Event::SayAgain => {
                for item in self.items.values_mut() {
                    // A row's notes come from what was given: said again from it.
                    if !item.notes.is_empty() {
                        let notes = super::notes_for(&item.given);
                        if notes.len() == item.notes.len() {
                            item.notes = notes;
                        }
                    }
                }
                changed = self.items.keys().copied().collect();
                applied.count = changed.len();
                counts_changed = true;
            }
            Event::Checked { id, report } => {
                let waits = self.waiting.contains(&id);
                if let Some(item) = self
                    .items
                    .get_mut(&id)
                    .filter(|item| !matches!(item.status, Status::Done(_)))
                {
                    // What the file is, unlike whether it answered, stays true once it is sent.
                    item.check_is_content = report.verdict != Verdict::Unreachable;
                    let retrying = matches!(item.status, Status::Waiting { retrying: Some(_) });
                    if waits && report.verdict == Verdict::HtmlPage && !retrying {
                        item.status = Status::Held(
                            ErrorReport::from_code(ErrorCode::NotAudioFile)
                                .with_message(report.message.clone()),
                        );
                        // Held before it was sent: like a link held when it was given, it has
                        // no record.
                        if let Some(record) = item.record.take() {
                            applied.effects.push(Effect::ForgetQueued(record));
                        }
                        self.waiting.retain(|waiting| *waiting != id);
                    }
                    item.check = Some(report.message);
                    changed.push(id);
                }
            }
            Event::Progress { id, step } => {
                if let Some(item) = self.items.get_mut(&id) {
                    if let Status::Running {
                        progress, aside, ..
                    } = &mut item.status
                    {
                        let went_aside = matches!(step, Progress::Waiting { .. })
                            && (*aside || matches!(progress, Progress::Uploading { .. }));
                        *aside = went_aside;
                        *progress = step;
                        changed.push(id);
                    }
                }
            }
            Event::FileSent { id, bytes } => {
                if let Some(item) = self
                    .items
                    .get_mut(&id)
                    .filter(|item| item.status.is_running())
                {
                    if let Some(file) = item.file.as_mut() {
                        let percent = |sent: u64| sent * 100 / file.size.max(1);
                        // Shown a percent at a time.
                        let worth_showing = file.stage != FileStage::Hosting
                            || bytes == 0
                            || bytes == file.size
                            || percent(bytes) != percent(file.sent);
                        file.stage = FileStage::Hosting;
                        file.sent = bytes;
                        if worth_showing {
                            changed.push(id);
                        }
                    }
                }
            }
            Event::Hosted { id, hosted } => {
                if let Some(item) = self.items.get_mut(&id) {
                    item.audio_url = Some(hosted.file_url.clone());
                    if let Some(file) = item.file.as_mut() {
                        file.stage = FileStage::Hosted;
                        file.hosted = Some(*hosted);
                    }
                    if let Status::Running { stop, .. } = &mut item.status {
                        *stop = None;
                    }
                    changed.push(id);
                }
            }
            Event::TransferStopped(id) => {
                if let Some(item) = self.items.get_mut(&id) {
                    if let Some(file) = item.file.as_mut() {
                        file.stage = FileStage::Ready;
                        file.sent = 0;
                    }
                    item.status = Status::Stopped;
                    changed.push(id);
                }
            }
            Event::Finished {
                id,
                record,
                result,
                not_recorded,
            } => {
                self.pace.finish(now);
                // A running row is never cleared, so it is there.
                if let Some(item) = self.items.get_mut(&id) {
                    finish(item, record, result);
                    item.not_recorded = not_recorded;
                    changed.push(id);
                }
            }
        }
        if !changed.is_empty() || !removed.is_empty() || counts_changed {
            applied.updates.push(self.change(changed, removed, now));
        }
        // What started is a change of its own: a display sees the rows as they were added first.
        let starts = self.start_next();
        if !starts.is_empty() {
            let started = starts.iter().map(|start| start.id).collect();
            applied.updates.push(self.change(started, Vec::new(), now));
            applied.effects.push(Effect::Start(starts));
        }
        applied
    }

    /// Stops the batch: waiting rows become stopped (or go back to how they ended before a
    /// retry), files arriving stop arriving, files on their way to the host stop.
    fn cancel(&mut self, applied: &mut Applied, changed: &mut Vec<u64>) {
        let mut stopped: Vec<u64> = self.waiting.drain(..).collect();
        let mut stops = Vec::new();
        for (id, item) in self.items.iter_mut() {
            if item.is_receiving() {
                // Its record stays queued: the next start finds it interrupted.
                item.interrupt();
                stopped.push(*id);
            } else if let (
                Status::Running {
                    stop: Some(stop), ..
                },
                true,
            ) = (&item.status, item.can_stop())
            {
                // A file's check or transfer: nothing went to the Producer API yet.
                stops.push(stop.clone());
            }
        }
        let (mut queued, mut unsent) = (Vec::new(), Vec::new());
        for id in &stopped {
            let Some(item) = self
                .items
                .get_mut(id)
                .filter(|item| matches!(item.status, Status::Waiting { .. }))
            else {
                continue;
            };
            // One stopped after it was sent before: its history record says how that ended.
            if !item.interrupt() {
                continue;
            }
            if let Some(record) = item.record {
                queued.push(record);
            } else if let Some(audio_url) = item.audio_url.clone() {
                unsent.push((
                    *id,
                    NewUpload {
                        given_url: item.given.clone(),
                        audio_url,
                        source: Source::App,
                    },
                ));
            }
        }
        applied.count = stopped.len();
        changed.extend(stopped);
        if !stops.is_empty() {
            applied.effects.push(Effect::StopTransfers(stops));
        }
        if !queued.is_empty() {
            applied.effects.push(Effect::StopQueued(queued));
        }
        if !unsent.is_empty() {
            applied.effects.push(Effect::RecordStopped(unsent));
        }
    }

    /// The finished rows that `chosen` picks, oldest first.
    fn take_finished(&self, chosen: impl Fn(u64) -> bool) -> Vec<u64> {
        self.items
            .iter()
            .filter(|(id, item)| item.status.state().is_finished() && chosen(**id))
            .map(|(id, _)| *id)
            .collect()
    }

    /// The one rule for what starts next: the oldest waiting rows, while not paused, while a
    /// token is known, and while fewer than the limit run (rows waiting aside hold no place).
    fn start_next(&mut self) -> Vec<Start> {
        let mut started = Vec::new();
        let holding = |items: &BTreeMap<u64, Item>| {
            items
                .values()
                .filter(|item| item.status.is_running() && !item.status.is_aside())
                .count()
        };
        let mut running = holding(&self.items);
        while !self.paused && running < self.limit {
            let Some(token) = self.token.clone() else {
                break;
            };
            let Some(id) = self.waiting.pop_front() else {
                break;
            };
            let Some(item) = self.items.get_mut(&id) else {
                continue;
            };
            let (work, stop) = match (&item.audio_url, item.file.as_mut()) {
                (Some(audio_url), file) => (
                    Work::Upload {
                        audio_url: audio_url.clone(),
                        hosted: file.and_then(|file| file.hosted.clone()).map(Box::new),
                    },
                    None,
                ),
                (None, Some(file)) => {
                    let Some(path) = file.path.clone() else {
                        continue;
                    };
                    let stop = CancellationToken::new();
                    file.stage = FileStage::Checking;
                    file.sent = 0;
                    let work = Work::HostThenUpload {
                        path,
                        stop: stop.clone(),
                        reuse: file.reuse,
                    };
                    (work, Some(stop))
                }
                (None, None) => continue,
            };
            item.status = Status::Running {
                progress: Progress::Queued,
                aside: false,
                stop,
            };
            started.push(Start {
                id,
                token,
                given: item.given.clone(),
                retry_of: item.record,
                work,
            });
            running += 1;
        }
        started
    }

    /// Takes the next number and stamps it on the `changed` rows: the update to send.
    fn change(&mut self, changed: Vec<u64>, removed: Vec<u64>, now: Instant) -> QueueUpdate {
        self.sequence += 1;
        let sequence = self.sequence;
        // A batch that starts (or resumes) is timed from now.
        let counts = self.counts();
        self.pace.follow(now, !counts.paused && !counts.is_idle());
        let mut items: Vec<ItemView> = Vec::with_capacity(changed.len());
        let mut seen = std::collections::BTreeSet::new();
        for id in changed {
            if !seen.insert(id) {
                continue;
            }
            if let Some(item) = self.items.get_mut(&id) {
                item.revision = sequence;
                items.push(item.view());
            }
        }
        items.sort_by_key(|item| item.id);
        QueueUpdate {
            sequence,
            items,
            removed,
            summary: self.summary(),
        }
    }

    /// Adds `item` under the next id, and returns that id.
    fn push(&mut self, mut item: Item) -> u64 {
        let id = self.next_id;
        self.next_id += 1;
        item.id = id;
        self.items.insert(id, item);
        id
    }
}

/// The effect that records a file's failure, when it has a record.
fn failed_file(record: Option<RecordId>, error: &ErrorReport) -> Option<Effect> {
    record.map(|record| Effect::RecordFailedFiles(vec![(record, error.clone())]))
}
mod queries;

#[cfg(test)]
mod tests;
