//! Producer Uploader's core: everything the desktop app and the `producer-upload` command share.
//!
//! - [`links`]: turning pasted or dropped text into links the service can fetch; [`intake`]:
//!   the one intake of the window and the command (what to send, hold or refuse, each once).
//! - [`client`]: the Producer Upload API client, with [`retry`] for transient failures.
//! - [`filehost`]: audio files from this computer, checked and put on Ace Data Cloud's file host.
//! - [`incoming`]: files the window hands over in pieces, kept privately until hosted;
//!   [`disk`]: the room on disk they may take.
//! - [`batch`]: the one uploader: records each upload, sends it under one concurrency limit
//!   and the shared [`pace`], decides retries, and settles it.
//! - [`queue`]: a batch of links with pause, resume, cancel, retry of failures and a summary.
//! - [`keychain`]: the token in the operating system's keychain; [`token`]: the token type.
//! - [`preflight`]: an optional check that a link is reachable and looks like audio;
//!   [`resolve`]: name resolution that keeps only public addresses for such fetches.
//! - [`history`]: every upload, recorded before it is sent and settled after, for good.
//! - [`songs`]: extend and cover: songs made from an audio ID, polled until ready, kept.
//! - [`summary`]: the one description of a batch, counts and words, wherever it is shown.
//! - [`text`]: checks on text from the service before it is shown or kept.
//! - [`eta`]: the time left in a batch, from its own pace.
//! - [`error`]: every error code and its plain-language message.
//! - [`words`]: the message catalogues (`locales/*.ftl`) and the language in use.

pub mod batch;
pub mod client;
pub mod disk;
pub mod error;
pub mod eta;
pub mod filehost;
pub mod history;
pub mod incoming;
pub mod intake;
pub mod keychain;
pub mod links;
pub mod pace;
pub mod preflight;
pub mod queue;
pub mod resolve;
pub mod retry;
pub mod songs;
pub mod summary;
pub mod text;
pub mod token;
pub mod words;
