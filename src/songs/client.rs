//! The songs endpoints of the same API, with the same token, time-out and typed errors as the
//! upload: `POST /producer/audios` (asking for the task ID at once) and `POST /producer/tasks`.

use super::task::TaskRecord;
use crate::client::{refusal, Client, UploadError};
use crate::text::id_shaped;
use crate::token::ApiToken;
use serde::Deserialize;
use serde_json::{json, Value};
use std::time::Duration;

/// Most task IDs asked for in one `retrieve_batch`.
pub const MAX_BATCH: usize = 50;

/// The client for songs; cheap to clone (it shares the upload client's connections).
#[derive(Debug, Clone)]
pub struct SongsClient {
    client: Client,
}

#[derive(Deserialize)]
struct Started {
    #[serde(default)]
    task_id: Option<String>,
    #[serde(default)]
    data: Option<StartedData>,
}

#[derive(Deserialize)]
struct StartedData {
    #[serde(default)]
    task_id: Option<String>,
}

#[derive(Deserialize)]
struct Batch {
    items: Vec<TaskRecord>,
}

impl SongsClient {
    /// Songs through `client`'s address, time-out and connections.
    pub fn new(client: Client) -> Self {
        Self { client }
    }

    /// How requests the service did not take are sent again.
    pub fn retry_policy(&self) -> crate::retry::RetryPolicy {
        self.client.config().retry
    }

    /// One request to start a task with `body` (see [`super::SongRequest::body`]), without
    /// retries: its task ID. A 2xx answer without a readable task ID is an unknown outcome: the
    /// service took the request.
    pub async fn submit(&self, token: &ApiToken, body: &Value) -> Result<String, UploadError> {
        let (status, answer, retry_after) = self
            .client
            .post_json(token, "producer/audios", body)
            .await?;
        refusal(status, &answer, retry_after)?;
        let started: Option<Started> = serde_json::from_slice(&answer).ok();
        started
            .and_then(|started| {
                started
                    .task_id
                    .or_else(|| started.data.and_then(|data| data.task_id))
            })
            .filter(|id| id_shaped(id))
            .ok_or_else(|| {
                UploadError::OutcomeUnknown(format!(
                    "the service took the request (HTTP {status}) but its answer had no task ID"
                ))
            })
    }

    /// The records of several tasks in one request; tasks the service does not know are left
    /// out.
    pub async fn retrieve_batch(
        &self,
        token: &ApiToken,
        ids: &[String],
    ) -> Result<Vec<TaskRecord>, UploadError> {
        let body = json!({ "action": "retrieve_batch", "ids": ids });
        let (status, answer, retry_after) = self
            .client
            .post_json(token, "producer/tasks", &body)
            .await?;
        refusal(status, &answer, retry_after)?;
        serde_json::from_slice::<Batch>(&answer)
            .map(|batch| batch.items)
            .map_err(|_| bad(status, &answer, retry_after))
    }

    /// The record of one task.
    pub async fn retrieve(&self, token: &ApiToken, id: &str) -> Result<TaskRecord, UploadError> {
        let body = json!({ "action": "retrieve", "id": id });
        let (status, answer, retry_after) = self
            .client
            .post_json(token, "producer/tasks", &body)
            .await?;
        refusal(status, &answer, retry_after)?;
        serde_json::from_slice::<TaskRecord>(&answer).map_err(|_| bad(status, &answer, retry_after))
    }
}

fn bad(status: u16, body: &[u8], retry_after: Option<Duration>) -> UploadError {
    UploadError::BadResponse {
        status,
        detail: crate::client::describe_body(body).to_owned(),
        retry_after,
    }
}
