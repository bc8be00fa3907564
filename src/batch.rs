//! Uploading many links at once: a shared concurrency limit, progress as it happens, and each
//! link's result reported exactly once.

pub use crate::client::{Progress, UploadOutcome};

use crate::client::Client;
use crate::token::ApiToken;
use futures::stream::{self, Stream, StreamExt};
use std::sync::Arc;
use tokio::sync::Semaphore;
use url::Url;

/// The most uploads that may run at once.
pub const MAX_CONCURRENCY: usize = 16;

/// Runs uploads through one client under one concurrency limit, shared by every caller.
#[derive(Debug, Clone)]
pub struct Uploader {
    client: Client,
    slots: Arc<Semaphore>,
    concurrency: usize,
}

impl Uploader {
    /// An uploader that runs at most `concurrency` uploads at once (clamped to
    /// 1..=[`MAX_CONCURRENCY`]).
    pub fn new(client: Client, concurrency: usize) -> Self {
        let concurrency = concurrency.clamp(1, MAX_CONCURRENCY);
        Self {
            client,
            slots: Arc::new(Semaphore::new(concurrency)),
            concurrency,
        }
    }

    /// The most uploads this uploader runs at once.
    pub fn concurrency(&self) -> usize {
        self.concurrency
    }

    /// Uploads one link once a slot is free, retrying as the client's policy allows.
    pub async fn upload(
        &self,
        token: &ApiToken,
        audio_url: &Url,
        mut on_progress: impl FnMut(Progress),
    ) -> UploadOutcome {
        on_progress(Progress::Queued);
        let _slot = self
            .slots
            .acquire()
            .await
            .expect("the uploader never closes its semaphore");
        self.client.upload(token, audio_url, on_progress).await
    }

    /// Uploads every link, yielding `(index, outcome)` as each finishes, in finishing order.
    pub fn upload_all<'a>(
        &'a self,
        token: &'a ApiToken,
        links: &'a [Url],
    ) -> impl Stream<Item = (usize, UploadOutcome)> + 'a {
        stream::iter(links.iter().enumerate())
            .map(
                move |(index, link)| async move { (index, self.upload(token, link, |_| {}).await) },
            )
            .buffer_unordered(self.concurrency)
    }
}
