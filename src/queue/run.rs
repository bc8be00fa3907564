//! The queue's one owning task: it alone holds the [`Batch`], takes one [`Message`] at a time
//! (from a [`super::Queue`] handle, or from an upload it started), applies it, hands its numbered
//! updates to the display's callback, and runs its effects: uploads started as tasks of their
//! own that report back as events, transfers stopped, history records written.

use super::event::{Applied, Effect, Event, Start, Work};
use super::item::lock;
use super::rules::Batch;
use super::view::OnUpdate;
use super::Summary;
use crate::batch::{UploadJob, Uploader};
use crate::client::Uploaded;
use crate::error::{ErrorCode, ErrorReport};
use crate::filehost::{self, FileHost};
use crate::history::{History, NewUpload, RecordId, Source};
use crate::token::PlatformToken;
use std::sync::{Arc, Mutex};
use std::time::Instant;
use tokio::runtime::Handle;
use tokio::sync::{mpsc, oneshot, watch};

/// What the owning task is asked to do.
pub(super) enum Message {
    /// Apply an event; `answer` (when someone waits) gets what it did once its updates are
    /// sent, its uploads started and its history records written.
    Apply {
        event: Box<Event>,
        answer: Option<oneshot::Sender<Applied>>,
    },
    /// Read the batch as it stands.
    Read(Box<dyn FnOnce(&Batch) + Send>),
}

pub(super) type Inbox = mpsc::UnboundedSender<Message>;

/// Where files are put before their links are sent.
#[derive(Debug)]
pub(super) struct Hosting {
    pub file_host: Option<FileHost>,
    pub platform_token: Option<PlatformToken>,
    /// Whether an earlier hosted link of the same file may be reused.
    pub reuse: bool,
}

impl Default for Hosting {
    fn default() -> Self {
        Self {
            file_host: None,
            platform_token: None,
            reuse: true,
        }
    }
}

/// What the task and the uploads it starts share; none of it is the batch.
pub(super) struct Context {
    pub history: Option<Arc<History>>,
    pub on_update: OnUpdate,
    pub uploader: Uploader,
    /// Which program the uploads are recorded as coming from.
    pub source: Source,
    pub hosting: Mutex<Hosting>,
    /// The counts after the last change, for whoever asks without waiting.
    pub summary: watch::Sender<Summary>,
    pub runtime: Handle,
}

/// Sends `event` to be applied, without waiting.
pub(super) fn tell(inbox: &Inbox, event: Event) {
    // The task ends only when no handle and no upload is left to send.
    let _ = inbox.send(Message::Apply {
        event: Box::new(event),
        answer: None,
    });
}

/// Sends `event` to be applied and waits for what it did.
pub(super) async fn ask(inbox: &Inbox, event: Event) -> Applied {
    let (answer, answered) = oneshot::channel();
    let _ = inbox.send(Message::Apply {
        event: Box::new(event),
        answer: Some(answer),
    });
    answered.await.unwrap_or_default()
}

/// Reads the batch, in turn with the changes sent before.
pub(super) async fn read<T: Send + 'static>(
    inbox: &Inbox,
    read: impl FnOnce(&Batch) -> T + Send + 'static,
) -> T {
    let (answer, answered) = oneshot::channel();
    let _ = inbox.send(Message::Read(Box::new(move |batch| {
        let _ = answer.send(read(batch));
    })));
    answered
        .await
        .expect("the queue's task answers while a handle is held")
}

/// Starts the owning task with an empty batch; returns where to send it messages.
pub(super) fn start(context: Arc<Context>) -> Inbox {
    let (inbox, messages) = mpsc::unbounded_channel();
    let batch = Batch::new(context.uploader.concurrency());
    // The task keeps only a weak sender: it ends once every handle and upload is gone.
    let weak = inbox.downgrade();
    context
        .runtime
        .clone()
        .spawn(run(batch, context, messages, weak));
    inbox
}

async fn run(
    mut batch: Batch,
    context: Arc<Context>,
    mut messages: mpsc::UnboundedReceiver<Message>,
    weak: mpsc::WeakUnboundedSender<Message>,
) {
    while let Some(message) = messages.recv().await {
        let (event, answer) = match message {
            Message::Read(read) => {
                read(&batch);
                continue;
            }
            Message::Apply { event, answer } => (event, answer),
        };
        let mut applied = batch.apply(*event, Instant::now());
        if let Some(last) = applied.updates.last() {
            context.summary.send_replace(last.summary);
        }
        for update in std::mem::take(&mut applied.updates) {
            (context.on_update)(update);
        }
        let Some(inbox) = weak.upgrade() else {
            // No handle and no upload left: nobody to start anything for.
            break;
        };
        let effects = std::mem::take(&mut applied.effects);
        let records = start_and_stop(&context, &inbox, effects);
        if records.is_empty() {
            if let Some(answer) = answer {
                let _ = answer.send(applied);
            }
            continue;
        }
        let context = context.clone();
        context.runtime.clone().spawn(async move {
            record(&context, &inbox, records).await;
            if let Some(answer) = answer {
                let _ = answer.send(applied);
            }
        });
    }
}

/// Starts the uploads and stops the transfers among `effects`; returns the history records to
/// write.
fn start_and_stop(context: &Arc<Context>, inbox: &Inbox, effects: Vec<Effect>) -> Vec<Effect> {
    let mut records = Vec::new();
    for effect in effects {
        match effect {
            Effect::Start(starts) => {
                for start in starts {
                    let (context, inbox) = (context.clone(), inbox.clone());
                    context
                        .runtime
                        .clone()
                        .spawn(async move { upload(&context, &inbox, start).await });
                }
            }
            Effect::StopTransfers(stops) => stops.iter().for_each(|stop| stop.cancel()),
            other => records.push(other),
        }
    }
    records
}

/// Writes the history records `effects` ask for, one after the other.
async fn record(context: &Context, inbox: &Inbox, effects: Vec<Effect>) {
    let Some(history) = context.history.clone() else {
        return;
    };
    for effect in effects {
        let (history, source) = (history.clone(), context.source);
        let written = tokio::task::spawn_blocking(move || match effect {
            Effect::RecordFailedFiles(failed) => {
                for (record, report) in failed {
                    history.record_failed(record, &report, 0)?;
                }
                Ok(None)
            }
            Effect::ForgetQueued(record) => history.forget_queued(&[record]).map(|()| None),
            Effect::StopQueued(records) => history.interrupt_queued(&records).map(|()| None),
            Effect::RecordStopped(unsent) => {
                let (ids, mut uploads): (Vec<u64>, Vec<NewUpload>) = unsent.into_iter().unzip();
                uploads.iter_mut().for_each(|upload| upload.source = source);
                let records = history.record_interrupted(&uploads)?;
                Ok(Some(ids.into_iter().zip(records).collect::<Vec<_>>()))
            }
            Effect::Start(_) | Effect::StopTransfers(_) => Ok(None),
        })
        .await;
        match written {
            Ok(Ok(Some(records))) => {
                ask(inbox, Event::RecordedStopped(records)).await;
            }
            Ok(Ok(None)) => {}
            Ok(Err(error)) => tracing::warn!("could not write to the history: {error}"),
            Err(error) => tracing::warn!("the history write stopped: {error}"),
        }
    }
}

/// Runs one started row to its end, reporting as it goes: hosts a file first if it has to,
/// then uploads.
async fn upload(context: &Context, inbox: &Inbox, start: Start) {
    let Start {
        id,
        token,
        given,
        retry_of,
        work,
    } = start;
    let finish = |record: Option<RecordId>,
                  result: Result<Uploaded, ErrorReport>,
                  not_recorded: Option<ErrorReport>| {
        let event = Event::Finished {
            id,
            record,
            result,
            not_recorded,
        };
        tell(inbox, event);
    };
    let (audio_url, hosted) = match work {
        Work::Upload { audio_url, hosted } => (audio_url, hosted),
        Work::HostThenUpload { path, stop, reuse } => {
            let (file_host, platform_token, reuse_any) = {
                let hosting = lock(&context.hosting);
                let token = hosting.platform_token.clone();
                (hosting.file_host.clone(), token, hosting.reuse)
            };
            let Some(file_host) = file_host else {
                let report = ErrorReport::from_code(ErrorCode::FileUnreadable)
                    .with_words("file-no-host-yet", []);
                return finish(None, Err(report), None);
            };
            // Without the history nothing is reused.
            let history = context.history.clone().filter(|_| reuse && reuse_any);
            let sent = inbox.clone();
            let hosting = filehost::prepare_and_host(
                &file_host,
                platform_token.as_ref(),
                history.as_deref(),
                &path,
                move |bytes| tell(&sent, Event::FileSent { id, bytes }),
            );
            let hosted = tokio::select! {
                () = stop.cancelled() => return tell(inbox, Event::TransferStopped(id)),
                hosted = hosting => hosted,
            };
            match hosted {
                Ok(hosted) => {
                    let hosted = Box::new(hosted);
                    let file_url = hosted.file_url.clone();
                    tell(
                        inbox,
                        Event::Hosted {
                            id,
                            hosted: hosted.clone(),
                        },
                    );
                    (file_url, Some(hosted))
                }
                Err(error) => {
                    let report = error.report();
                    // The file's record (made when it was taken) says why, too.
                    if let Some(record) = retry_of {
                        let failed = vec![(record, report.clone())];
                        self::record(context, inbox, vec![Effect::RecordFailedFiles(failed)]).await;
                    }
                    return finish(None, Err(report), None);
                }
            }
        }
    };
    let job = UploadJob {
        given: given.clone(),
        audio_url,
        source: context.source,
        retry_of,
        file: hosted.map(|hosted| (given, hosted.file)),
    };
    let progress = inbox.clone();
    let settled = context
        .uploader
        .upload(&token, &job, move |step| {
            tell(&progress, Event::Progress { id, step })
        })
        .await;
    if let (Ok(_), Some(record)) = (&settled.outcome.result, settled.record) {
        keep_warning(context, inbox, id, record).await;
    }
    let result = settled.outcome.result.map_err(|error| error.report());
    let not_recorded = settled.not_recorded.map(|error| error.report());
    if let Some(error) = &not_recorded {
        tracing::warn!("an upload's result could not be recorded in the history: {error}");
    }
    finish(settled.record, result, not_recorded);
}

/// Writes the link check's warning about what the file is (a web page taken as audio) to the
/// history record of link `id`, done now: History says it as the row does.
async fn keep_warning(context: &Context, inbox: &Inbox, id: u64, record: RecordId) {
    let warning = read(inbox, move |batch| batch.warning_to_keep(id)).await;
    let (Some(warning), Some(history)) = (warning, context.history.clone()) else {
        return;
    };
    let kept = tokio::task::spawn_blocking(move || history.record_warning(record, &warning)).await;
    if let Ok(Err(error)) = kept {
        tracing::warn!("could not keep the link check's warning in the history: {error}");
    }
}
