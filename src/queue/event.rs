//! What the queue's rules take ([`Event`]) and give back ([`Applied`]: updates, [`Effect`]s and
//! answers).

use super::item::FileItem;
use super::view::{QueueLink, QueueUpdate, Unsent};
use crate::client::{Progress, Uploaded};
use crate::error::ErrorReport;
use crate::filehost::Hosted;
use crate::history::{NewUpload, RecordId};
use crate::incoming::Incoming;
use crate::preflight::PreflightReport;
use crate::token::ApiToken;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use tokio_util::sync::CancellationToken;
use url::Url;

/// A link to add, with the history record made for it when it was queued.
#[derive(Debug)]
pub(super) struct NewLink {
    pub link: QueueLink,
    pub record: Option<RecordId>,
}

/// A file to add: its bytes (or why it is refused) and its history record.
#[derive(Debug)]
pub(super) struct NewFile {
    pub file: FileItem,
    pub refused: Option<ErrorReport>,
    pub record: Option<RecordId>,
}

/// A file's bytes handed from a done row to a new one ([`Event::TakeForHostAgain`]).
#[derive(Debug)]
pub(super) struct TakenFile {
    pub name: String,
    pub size: u64,
    pub path: PathBuf,
    pub incoming: Option<Arc<Mutex<Incoming>>>,
}

/// Which rows a retry sends again.
#[derive(Debug, Clone)]
pub(super) enum Which {
    /// Every failed or stopped row; held rows stay held.
    AllFailed,
    /// These rows (a row's Retry, or its Upload anyway).
    Rows(Vec<u64>),
}

/// What a piece of a dropped file came to, once written (by the caller, outside the rules).
#[derive(Debug)]
pub(super) enum Piece {
    /// Written: bytes received so far, whether it is complete, and whether its first bytes
    /// showed it is not audio.
    Written {
        received: u64,
        complete: bool,
        refused: Option<ErrorReport>,
    },
    /// It could not be written.
    Failed(ErrorReport),
}

/// Something asked for, or reported by a running upload.
#[derive(Debug)]
pub(super) enum Event {
    /// Queue links to be uploaded with `token` (which also replaces the token of links waiting).
    AddLinks {
        token: ApiToken,
        links: Vec<NewLink>,
    },
    /// List things given that were not sent, with the reason.
    AddUnsent(Vec<Unsent>),
    /// Queue files from this computer.
    AddFiles {
        token: ApiToken,
        files: Vec<NewFile>,
    },
    /// Take the bytes of done rows that reused an earlier hosted link, to host them again.
    TakeForHostAgain(Vec<u64>),
    /// Queue the files taken, each as a new row that reuses nothing.
    AddHostedAgain(Vec<(TakenFile, Option<RecordId>)>),
    /// A piece of file `id` came (see [`Piece`]).
    Received {
        id: u64,
        piece: Piece,
    },
    /// File `id` will not arrive: the window could not read it.
    FailIncoming {
        id: u64,
        error: ErrorReport,
    },
    /// Every file still arriving will not: the window started again.
    AbandonIncoming,
    /// Stop these files, not yet sent to the Producer API.
    Stop(Vec<u64>),
    Pause,
    Resume,
    /// At most `limit` uploads at once from now on.
    SetLimit(usize),
    /// Stop the batch: waiting rows become stopped; running ones finish.
    Cancel,
    /// The history records made for rows the cancel stopped (see [`Effect::RecordStopped`]).
    RecordedStopped(Vec<(u64, RecordId)>),
    /// Queue rows again, with a new token if one is given.
    Retry {
        which: Which,
        token: Option<ApiToken>,
    },
    /// Take every finished row out, for Undo.
    Clear,
    /// Put back what the last Clear took out, under new ids.
    UndoClear,
    /// Take these finished rows out.
    Remove(Vec<u64>),
    /// Every row again, in the language now in use.
    SayAgain,
    /// The link check found this on link `id`.
    Checked {
        id: u64,
        report: PreflightReport,
    },
    /// A running upload's progress.
    Progress {
        id: u64,
        step: Progress,
    },
    /// Bytes of a file sent to the host in the current attempt.
    FileSent {
        id: u64,
        bytes: u64,
    },
    /// A file's hosted link is known: its upload follows.
    Hosted {
        id: u64,
        hosted: Box<Hosted>,
    },
    /// A file's check or transfer was stopped: nothing went to the Producer API.
    TransferStopped(u64),
    /// A started row ended, with its history record.
    Finished {
        id: u64,
        record: Option<RecordId>,
        result: Result<Uploaded, ErrorReport>,
        /// Why its result could not be written to the history, if it could not.
        not_recorded: Option<ErrorReport>,
    },
}

/// What a started row has to do.
#[derive(Debug)]
pub(super) enum Work {
    /// Upload a link (a file's hosted link, on a retry, with what hosting it gave).
    Upload {
        audio_url: Url,
        hosted: Option<Box<Hosted>>,
    },
    /// Check and host a file, then upload its link.
    HostThenUpload {
        path: PathBuf,
        stop: CancellationToken,
        /// Whether an earlier hosted link of the same file may be reused.
        reuse: bool,
    },
}

/// A row started, with what it needs to run.
#[derive(Debug)]
pub(super) struct Start {
    pub id: u64,
    pub token: ApiToken,
    pub given: String,
    pub retry_of: Option<RecordId>,
    pub work: Work,
}

/// What to do after a change, outside the rules.
#[derive(Debug)]
pub(super) enum Effect {
    /// Run these rows.
    Start(Vec<Start>),
    /// Stop these checks or transfers (their rows end when they have stopped).
    StopTransfers(Vec<CancellationToken>),
    /// Record why these files, taken and recorded as queued, failed before they were hosted.
    RecordFailedFiles(Vec<(RecordId, ErrorReport)>),
    /// Take this queued record out of the history: its link is held, not sent.
    ForgetQueued(RecordId),
    /// Mark these queued records stopped.
    StopQueued(Vec<RecordId>),
    /// Record these stopped rows, which had no record yet, as stopped
    /// (then report [`Event::RecordedStopped`]).
    RecordStopped(Vec<(u64, NewUpload)>),
}

/// What one event did: the updates to send, in order (none when nothing a display shows
/// changed), the effects to run, and the answer for whoever asked.
#[derive(Debug, Default)]
pub(super) struct Applied {
    pub updates: Vec<QueueUpdate>,
    pub effects: Vec<Effect>,
    /// The rows added, or the rows taken ([`Event::TakeForHostAgain`]).
    pub ids: Vec<u64>,
    /// How many rows the event acted on (stopped, retried, cleared…).
    pub count: usize,
    /// For [`Event::Received`]: whether more pieces are wanted.
    pub wants_more: bool,
    /// For [`Event::TakeForHostAgain`]: the bytes taken.
    pub taken: Vec<TakenFile>,
}
