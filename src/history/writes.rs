//! What the history records as uploads go: queued, pending, done, failed, stopped, retried.

use super::*;

/// Failures after which a record's hosted link may still be reused: they are not about the link.
const REUSABLE_AFTER: [ErrorCode; 10] = [
    ErrorCode::NoToken,
    ErrorCode::InvalidToken,
    ErrorCode::TokenExpired,
    ErrorCode::TokenMismatched,
    ErrorCode::TokenMissing,
    ErrorCode::UsedUp,
    ErrorCode::TooManyRequests,
    ErrorCode::Network,
    ErrorCode::Timeout,
    ErrorCode::KeychainUnavailable,
];

impl History {
    /// Records an upload as pending, just before its request is sent.
    ///
    /// The file name comes from the given link's last path segment (the sent link's if the given
    /// one is not a web address).
    pub fn record_pending(&self, upload: &NewUpload) -> Result<RecordId, HistoryError> {
        let file_name = match Url::parse(&upload.given_url) {
            Ok(given) => file_name_of(&given),
            Err(_) => file_name_of(&upload.audio_url),
        };
        self.insert_pending(upload, &file_name, None)
    }

    /// Records an upload of a file from this computer as pending, just before its request is
    /// sent: `upload.audio_url` is the hosted link, `file_name` the file's own name.
    pub fn record_pending_file(
        &self,
        upload: &NewUpload,
        file_name: &str,
        file: &FileInfo,
    ) -> Result<RecordId, HistoryError> {
        self.insert_pending(upload, file_name, Some(file))
    }

    /// Adds a pending record, with the file's details when it is a file from this computer.
    fn insert_pending(
        &self,
        upload: &NewUpload,
        file_name: &str,
        file: Option<&FileInfo>,
    ) -> Result<RecordId, HistoryError> {
        let audio_url = upload.audio_url.as_str();
        let text = search_text(&upload.given_url, audio_url, file_name, None, None);
        let conn = self.conn();
        conn.execute(
            "INSERT INTO uploads (created_at, given_url, audio_url, file_name, state, source,
                                  session_id, search_text, file_size, content_hash, file_url,
                                  file_host)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
            params![
                now_millis(),
                upload.given_url,
                audio_url,
                file_name,
                State::Pending,
                upload.source,
                self.session_id(),
                text,
                file.map(|file| i64::try_from(file.size).unwrap_or(i64::MAX)),
                file.map(|file| &file.content_hash),
                file.map(|file| &file.file_url),
                file.and_then(|file| file.file_host.as_deref())
            ],
        )?;
        Ok(RecordId(conn.last_insert_rowid()))
    }

    /// The newest hosted link of a file with this content (SHA-256, lower-case hex) and this
    /// name, hosted through `file_host`, with its size, from a record whose link is not in doubt:
    /// one the API took, one still on its way or interrupted, or one that failed for a reason
    /// that is not the link's (a token, the balance, the rate, the connection).
    pub fn reusable_link(
        &self,
        content_hash: &str,
        file_name: &str,
        file_host: &str,
    ) -> Result<Option<FileInfo>, HistoryError> {
        let not_the_links_fault = REUSABLE_AFTER
            .iter()
            .map(|code| format!("'{}'", code.as_str()))
            .collect::<Vec<_>>()
            .join(", ");
        let sql = format!(
            "SELECT file_size, file_url FROM uploads
             WHERE content_hash = ?1 AND file_name = ?2 AND file_host = ?3
               AND file_url IS NOT NULL
               AND (state != 'failed' OR error_code IN ({not_the_links_fault}))
             ORDER BY id DESC LIMIT 1"
        );
        Ok(self
            .conn()
            .query_row(&sql, params![content_hash, file_name, file_host], |row| {
                Ok(FileInfo {
                    size: u64::try_from(row.get::<_, i64>(0)?).unwrap_or_default(),
                    content_hash: content_hash.to_owned(),
                    file_url: row.get(1)?,
                    file_host: Some(file_host.to_owned()),
                })
            })
            .optional()?)
    }

    /// Records, in one transaction, links just queued in the app as [`State::Queued`] (not sent
    /// yet), and returns their ids. When one is about to be sent, [`History::mark_retrying`]
    /// makes the same record pending; if this session ends first, it becomes interrupted.
    pub fn record_queued(&self, uploads: &[NewUpload]) -> Result<Vec<RecordId>, HistoryError> {
        self.insert_unsent(uploads, State::Queued)
    }

    /// Records, in one transaction, files from this computer just taken by `source` (`name`,
    /// size in bytes) as [`State::Queued`], and returns their ids: after a crash they show as
    /// interrupted under their names. They have no link yet (`audio_url` is empty) until
    /// [`History::mark_retrying_file`] gives them their hosted one.
    pub fn record_queued_files(
        &self,
        files: &[(String, u64)],
        source: Source,
    ) -> Result<Vec<RecordId>, HistoryError> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        let mut ids = Vec::with_capacity(files.len());
        {
            let mut insert = tx.prepare(
                "INSERT INTO uploads (created_at, given_url, audio_url, file_name, state, source,
                                      search_text, session_id, file_size)
                 VALUES (?1, ?2, '', ?2, ?3, ?4, ?5, ?6, ?7)",
            )?;
            for (name, size) in files {
                insert.execute(params![
                    now_millis(),
                    name,
                    State::Queued,
                    source,
                    search_text(name, "", name, None, None),
                    self.session_id(),
                    i64::try_from(*size).unwrap_or(i64::MAX)
                ])?;
                ids.push(RecordId(tx.last_insert_rowid()));
            }
        }
        tx.commit()?;
        Ok(ids)
    }

    /// [`History::mark_retrying`] for a file from this computer, which also records the link
    /// sent (`audio_url`, its hosted link) and the file's size, content, hosted link and the
    /// host's address it went through.
    pub fn mark_retrying_file(
        &self,
        id: RecordId,
        audio_url: &Url,
        file: &FileInfo,
    ) -> Result<Record, HistoryError> {
        {
            let conn = self.conn();
            let record = conn
                .query_row(
                    "SELECT given_url, file_name FROM uploads WHERE id = ?1",
                    [id.0],
                    |row| Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?)),
                )
                .optional()?
                .ok_or(HistoryError::NotFound(id))?;
            let text = search_text(&record.0, audio_url.as_str(), &record.1, None, None);
            conn.execute(
                "UPDATE uploads SET audio_url = ?2, file_size = ?3, content_hash = ?4,
                     file_url = ?5, search_text = ?6, file_host = ?7
                 WHERE id = ?1 AND state IN ('queued', 'failed', 'interrupted')",
                params![
                    id.0,
                    audio_url.as_str(),
                    i64::try_from(file.size).unwrap_or(i64::MAX),
                    file.content_hash,
                    file.file_url,
                    text,
                    file.file_host
                ],
            )?;
        }
        self.mark_retrying(id)
    }

    /// Marks interrupted, in one transaction, this session's queued records among `ids` (links
    /// the person stopped before they were sent); others are left as they are.
    pub fn interrupt_queued(&self, ids: &[RecordId]) -> Result<(), HistoryError> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        {
            let mut update = tx.prepare(
                "UPDATE uploads SET state = ?2, session_id = NULL, finished_at = ?3
                 WHERE id = ?1 AND state = 'queued'",
            )?;
            for id in ids {
                update.execute(params![id.0, State::Interrupted, now_millis()])?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// Deletes, in one transaction, the queued records among `ids`: links held back before they
    /// were sent (a web page the link check found), which the history keeps only once sent.
    pub fn forget_queued(&self, ids: &[RecordId]) -> Result<(), HistoryError> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        {
            let mut delete =
                tx.prepare("DELETE FROM uploads WHERE id = ?1 AND state = 'queued'")?;
            for id in ids {
                delete.execute([id.0])?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// Records, in one transaction, uploads that were queued but never sent because the person
    /// stopped the batch, as [`State::Interrupted`] (Retry is available), and returns their ids.
    pub fn record_interrupted(&self, uploads: &[NewUpload]) -> Result<Vec<RecordId>, HistoryError> {
        self.insert_unsent(uploads, State::Interrupted)
    }

    /// Adds records of links not sent, in one transaction: queued ones carry this session's id,
    /// interrupted ones are finished.
    fn insert_unsent(
        &self,
        uploads: &[NewUpload],
        state: State,
    ) -> Result<Vec<RecordId>, HistoryError> {
        let queued = state == State::Queued;
        let session_id = queued.then(|| self.session_id().to_owned());
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        let mut ids = Vec::with_capacity(uploads.len());
        {
            let mut insert = tx.prepare(
                "INSERT INTO uploads (created_at, given_url, audio_url, file_name, state, source,
                                      finished_at, search_text, session_id)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, CASE WHEN ?8 IS NULL THEN ?1 END, ?7, ?8)",
            )?;
            for upload in uploads {
                let file_name = match Url::parse(&upload.given_url) {
                    Ok(given) => file_name_of(&given),
                    Err(_) => file_name_of(&upload.audio_url),
                };
                let audio_url = upload.audio_url.as_str();
                let text = search_text(&upload.given_url, audio_url, &file_name, None, None);
                insert.execute(params![
                    now_millis(),
                    upload.given_url,
                    audio_url,
                    file_name,
                    state,
                    upload.source,
                    text,
                    session_id
                ])?;
                ids.push(RecordId(tx.last_insert_rowid()));
            }
        }
        tx.commit()?;
        Ok(ids)
    }

    /// Records the `audio_id` the service returned; `attempts` (requests made for it this time)
    /// are added to the record's count.
    ///
    /// This succeeds whatever state the record was left in, so an id is never dropped.
    pub fn record_done(
        &self,
        id: RecordId,
        uploaded: &Uploaded,
        attempts: u32,
    ) -> Result<(), HistoryError> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        let links = tx
            .query_row(
                "SELECT given_url, audio_url, file_name FROM uploads WHERE id = ?1",
                [id.0],
                |row| {
                    Ok((
                        row.get::<_, String>(0)?,
                        row.get::<_, String>(1)?,
                        row.get::<_, String>(2)?,
                    ))
                },
            )
            .optional()?;
        let Some((given_url, audio_url, file_name)) = links else {
            return Err(HistoryError::NotFound(id));
        };
        let text = search_text(
            &given_url,
            &audio_url,
            &file_name,
            Some(&uploaded.audio_id),
            uploaded.task_id.as_deref(),
        );
        tx.execute(
            "UPDATE uploads SET state = ?2, audio_id = ?3, task_id = ?4, hosted_audio_url = ?5,
                 error_code = NULL, error_message = NULL, trace_id = NULL, http_status = NULL,
                 attempts = attempts + ?6, finished_at = ?7, session_id = NULL, search_text = ?8
             WHERE id = ?1",
            params![
                id.0,
                State::Done,
                uploaded.audio_id,
                uploaded.task_id,
                uploaded.hosted_audio_url,
                attempts,
                now_millis(),
                text
            ],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Records why an upload failed; `attempts` are added to the record's count. A record that
    /// is already done keeps its `audio_id` and is left as it is.
    pub fn record_failed(
        &self,
        id: RecordId,
        report: &ErrorReport,
        attempts: u32,
    ) -> Result<(), HistoryError> {
        let changed = self.conn().execute(
            "UPDATE uploads SET state = ?2, error_code = ?3, error_message = ?4, trace_id = ?5,
                 http_status = ?6, attempts = attempts + ?7, finished_at = ?8, session_id = NULL
             WHERE id = ?1 AND state <> 'done'",
            params![
                id.0,
                State::Failed,
                report.code.as_str(),
                report.message,
                report.trace_id,
                report.status,
                attempts,
                now_millis()
            ],
        )?;
        if changed == 0 && self.get(id)?.is_none() {
            return Err(HistoryError::NotFound(id));
        }
        Ok(())
    }

    /// Makes a failed or interrupted record pending again in this session, for Retry (or a
    /// queued one pending, as its request is about to be made), and returns it; record its
    /// result with [`History::record_done`] or [`History::record_failed`] as usual.
    pub fn mark_retrying(&self, id: RecordId) -> Result<Record, HistoryError> {
        let changed = self.conn().execute(
            "UPDATE uploads SET state = ?2, session_id = ?3, error_code = NULL,
                 error_message = NULL, trace_id = NULL, http_status = NULL, finished_at = NULL
             WHERE id = ?1 AND state IN ('queued', 'failed', 'interrupted')",
            params![id.0, State::Pending, self.session_id()],
        )?;
        let record = self.get(id)?.ok_or(HistoryError::NotFound(id))?;
        if changed == 0 {
            return Err(HistoryError::NotRetryable {
                id,
                state: record.state,
            });
        }
        Ok(record)
    }
}
