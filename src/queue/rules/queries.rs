//! What the batch tells without changing: its counts, its rows, and what a running upload or a
//! file's bytes need to know.

use super::super::item::{Item, Status};
use super::super::view::{FileStage, ItemState, QueueUpdate, ReceiveTurn, RECEIVE_AHEAD};
use super::Batch;
use crate::incoming::Incoming;
use crate::queue::Summary;
use std::sync::{Arc, Mutex};
use url::Url;

impl Batch {
    /// The counts and the time left.
    pub fn summary(&self) -> Summary {
        let mut summary = self.counts();
        let remaining = summary.waiting + summary.uploading;
        summary.eta_seconds = if remaining > 0 && self.paused {
            None
        } else {
            self.pace.seconds_left(remaining)
        };
        summary
    }

    /// The counts, without the time left.
    pub(super) fn counts(&self) -> Summary {
        let mut summary = Summary {
            total: self.items.len(),
            paused: self.paused,
            ..Summary::default()
        };
        for item in self.items.values() {
            match item.status.state() {
                ItemState::Done => summary.done += 1,
                ItemState::Failed => summary.failed += 1,
                ItemState::Interrupted => summary.stopped += 1,
                ItemState::Rejected => summary.refused += 1,
                ItemState::Held => summary.held += 1,
                ItemState::Waiting => summary.waiting += 1,
                ItemState::Uploading => summary.uploading += 1,
            }
        }
        summary
    }

    /// Every row and the counts, numbered with the last change they include.
    pub fn snapshot(&self) -> QueueUpdate {
        QueueUpdate {
            sequence: self.sequence,
            items: self.items.values().map(Item::view).collect(),
            removed: Vec::new(),
            summary: self.summary(),
        }
    }

    /// Whether file `id`'s bytes may start arriving now: only a few ([`RECEIVE_AHEAD`])
    /// ahead of hosting, so a slow host never fills the disk with copies waiting their turn. A
    /// file already arriving goes on.
    pub fn may_receive(&self, id: u64) -> ReceiveTurn {
        let Some(item) = self.items.get(&id).filter(|item| item.is_receiving()) else {
            return ReceiveTurn::Never;
        };
        if item.file.as_ref().is_some_and(|file| file.received > 0) {
            return ReceiveTurn::Now;
        }
        let ahead = self
            .items
            .values()
            .filter(|other| {
                matches!(other.status, Status::Waiting { .. })
                    && other.file.as_ref().is_some_and(|file| {
                        file.stage == FileStage::Ready
                            || (file.stage == FileStage::Receiving && file.received > 0)
                    })
            })
            .count();
        if ahead >= RECEIVE_AHEAD {
            ReceiveTurn::Later
        } else {
            ReceiveTurn::Now
        }
    }

    /// The received copy file `id` is arriving into, while it arrives.
    pub fn incoming(&self, id: u64) -> Option<Arc<Mutex<Incoming>>> {
        self.items
            .get(&id)
            .filter(|item| item.is_receiving())
            .and_then(|item| item.file.as_ref()?.incoming.clone())
    }

    /// The address of link `id` to check, while it is listed and not uploaded.
    pub fn link_to_check(&self, id: u64) -> Option<Url> {
        self.items
            .get(&id)
            .filter(|item| !matches!(item.status, Status::Done(_)))
            .and_then(|item| item.audio_url.clone())
    }

    /// The link check's warning about what link `id`'s file is, to keep with its record.
    pub fn warning_to_keep(&self, id: u64) -> Option<String> {
        self.items
            .get(&id)
            .filter(|item| item.check_is_content)
            .and_then(|item| item.check.clone())
    }

    /// True when a row shows `link`: as given, as sent, or as its file's hosted link.
    pub fn lists_link(&self, link: &str) -> bool {
        self.items.values().any(|item| {
            item.given == link
                || item
                    .audio_url
                    .as_ref()
                    .is_some_and(|url| url.as_str() == link)
                || item.file.as_ref().is_some_and(|file| {
                    file.hosted
                        .as_ref()
                        .is_some_and(|hosted| hosted.file_url.as_str() == link)
                })
        })
    }
}
