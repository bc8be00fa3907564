//! Producer Uploader's core: everything the desktop app and the `producer-upload` command share.
//!
//! - [`links`]: turning pasted or dropped text into links the service can fetch.
//! - [`client`]: the Producer Upload API client, with [`retry`] for transient failures.
//! - [`filehost`]: audio files from this computer, checked and put on Ace Data Cloud's file host.
//! - [`incoming`]: files the window hands over in pieces, kept privately until hosted;
//!   [`disk`]: the room on disk they may take.
//! - [`batch`]: the one uploader: records each upload, sends it under one concurrency limit
//!   and the shared [`pace`], decides retries, and settles it.
//! - [`queue`]: a batch of links with pause, resume, cancel, retry of failures and a summary.
//! - [`keychain`]: the token in the operating system's keychain; [`token`]: the token type.
//! - [`preflight`]: an optional check that a link is reachable and looks like audio.
//! - [`history`]: every upload, recorded before it is sent and settled after, for good.
//! - [`sim`]: a local stand-in for the API, for tests, benchmarks and demos.
//! - [`text`]: checks on text from the service before it is shown or kept.
//! - [`error`]: every error code and its plain-language message.

pub mod batch;
pub mod client;
pub mod disk;
pub mod error;
pub mod filehost;
pub mod history;
pub mod incoming;
pub mod keychain;
pub mod links;
pub mod pace;
pub mod preflight;
pub mod queue;
pub mod retry;
pub mod sim;
pub mod text;
pub mod token;
