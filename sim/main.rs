//! `producer-sim`: a local stand-in for the Producer Upload API, to try Producer Uploader without
//! a real token.

use clap::Parser;
use producer_sim::{RateLimit, SimConfig, Simulator};
use std::io::{self, IsTerminal, Write};
use std::net::{Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

const DETAILS: &str = "\
Point Producer Uploader at the address it prints (the API address in the app's settings, or
producer-upload --base-url <address>) and use the token sim-token.

Tokens:
  sim-token           accepted: every upload gets a fresh audio_id (add more with --token)
  sim-error-<code>    fails with that service error, for example
                        sim-error-token_expired (401), sim-error-used_up (403),
                        sim-error-too_many_requests (429), sim-error-api_error (500);
                        an unknown code is answered with 400
  sim-html-error      answers 502 with an HTML page instead of JSON
  anything else       401 invalid_token; no token at all: 400 no_token

Faults, chosen per link: add sim_fault=<kind> to the query of the link you upload, such as
https://example.com/song.mp3?sim_fault=error500&sim_times=2
  error500    500 api_error
  html502     502 with an HTML page
  503, 504    that status with an HTML page
  rate429     429 with Retry-After: sim_retry_after=<seconds> (default 1);
              sim_retry_date=1 sends it as a date instead
  cut         the answer stops halfway and the connection closes
  drop        the connection closes without an answer
  hang        no answer at all, until the app gives up
  empty       200 with an empty body
  notjson     200 with the text OK
  huge        200 with 3 MiB of HTML
  slow        answers after sim_delay_ms=<milliseconds> (default 2000)
  rich        success with extra fields in the answer
  sim_times=<n> limits the fault to the first n uploads of that exact link; later ones succeed.

File host (Ace Data Cloud's, for files from the computer): POST /api/v1/files/, multipart with
the file in the field file, and the platform token (point --platform-base-url at this address):
  platform-sim-token           accepted: answers {\"file_url\": ...} (add more with --platform-token)
  platform-sim-error-<code>    fails with that error; anything else 401 invalid_token
  files over 100 MB            never answered, as the real host does
  a file name containing sim_fault=error500|html502|503|hang|drop|cut (and sim_times=<n>)
                               fails that way, as the link faults above
  /cdn/<id>/<name>             serves a hosted file back, as stored

Songs (extend and cover), as Ace Data Cloud makes them:
  POST /producer/audios   {\"action\", \"audio_id\", \"async\": true, ...} answers {\"task_id\"} at once.
                          upload_extend / upload_cover for an audio_id this simulator issued by
                          upload, extend / cover for a song it made; the other form is 400
                          bad_request. extend needs continue_at (seconds, 0 or more).
  POST /producer/tasks    {\"action\": \"retrieve\", \"id\"} or {\"action\": \"retrieve_batch\", \"ids\"}:
                          pending for the first quarter of --song-seconds, then processing with
                          a progress and a preview audio_url (not the result), then succeeded
                          with two songs (finished_at set). More than --tasks-per-second
                          requests a second get 429 with Retry-After.
  /songs/<id>.mp3, /songs/<id>.png, /songs/<id>/preview.mp3
                          a song's audio (an MP3 of silence tagged with its title), its cover
                          image and its preview
  Faults, in the title or prompt: sim_fault=fail (the task fails), hang (no answer, though the
  task starts), drop (the connection closes, though the task starts), error500 (refused, no
  task); sim_times=<n> as above; sim_songs=1 makes one song instead of two.

Test files (not uploads), for the link check and the preview:
  /files/<name>.wav, /files/<name>.mp3   a one-second tone; byte ranges work, HEAD is refused (403)
  /files/missing.<ext>                   404
  /pages/<anything>                      an HTML \"virus scan warning\" page

Example:
  producer-sim --port 8790
  curl -X POST http://127.0.0.1:8790/producer/upload -H 'authorization: Bearer sim-token' \\
       -H 'content-type: application/json' -d '{\"audio_url\": \"https://example.com/a.mp3\"}'";

/// A local stand-in for the Ace Data Cloud Producer Upload API.
///
/// Listens on 127.0.0.1 only, answers like the real service, and can be told to fail in every
/// way the real one can.
#[derive(Debug, Parser)]
#[command(name = "producer-sim", version, after_help = DETAILS)]
struct Args {
    /// Port on 127.0.0.1 to listen on (0 picks a free one).
    #[arg(long, default_value_t = 8790)]
    port: u16,

    /// A token to accept (repeat for several).
    #[arg(long = "token", value_name = "TOKEN", default_value = "sim-token")]
    tokens: Vec<String>,

    /// A platform token the file host accepts (repeat for several).
    #[arg(
        long = "platform-token",
        value_name = "TOKEN",
        default_value = "platform-sim-token"
    )]
    platform_tokens: Vec<String>,

    /// Delay before every upload answer, in milliseconds.
    #[arg(long, value_name = "MS", default_value_t = 0)]
    latency_ms: u64,

    /// Uploads accepted per second; more are answered 429 with Retry-After.
    #[arg(long, value_name = "PER_SECOND", value_parser = positive_rate)]
    rate_limit: Option<f64>,

    /// Uploads accepted at once under --rate-limit (default: the rate rounded up).
    #[arg(long, value_name = "N", requires = "rate_limit", value_parser = clap::value_parser!(u32).range(1..))]
    burst: Option<u32>,

    /// Append one JSON line per issued audio_id to this file.
    #[arg(long, value_name = "FILE")]
    issued_log: Option<PathBuf>,

    /// Seconds a song task takes, from its request to its songs.
    #[arg(long, value_name = "SECONDS", default_value_t = 8.0, value_parser = positive_rate)]
    song_seconds: f64,

    /// Requests to /producer/tasks accepted per second; more are answered 429.
    #[arg(long, value_name = "PER_SECOND", default_value_t = 1.0, value_parser = positive_rate)]
    tasks_per_second: f64,
}

fn positive_rate(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(rate) if rate.is_finite() && rate > 0.0 => Ok(rate),
        _ => Err("expected a positive number".into()),
    }
}

impl Args {
    fn config(self) -> SimConfig {
        SimConfig {
            accepted_tokens: self.tokens,
            accepted_platform_tokens: self.platform_tokens,
            latency: Duration::from_millis(self.latency_ms),
            rate_limit: self.rate_limit.map(|per_second| RateLimit {
                per_second,
                // Float-to-int `as` saturates; the rate is positive, so this is at least 1.
                burst: self.burst.unwrap_or(per_second.ceil() as u32).max(1),
            }),
            issued_log: self.issued_log,
            song_time: Duration::from_secs_f64(self.song_seconds.min(86_400.0)),
            tasks_per_second: self.tasks_per_second,
        }
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    tracing_subscriber::fmt()
        .with_writer(io::stderr)
        .with_target(false)
        .with_ansi(io::stderr().is_terminal())
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .init();

    let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, args.port));
    let simulator = match Simulator::start_on(addr, args.config()).await {
        Ok(simulator) => simulator,
        Err(err) => {
            eprintln!("producer-sim: cannot start on {addr}: {err}");
            return ExitCode::FAILURE;
        }
    };
    let stop = match stop_signal() {
        Ok(stop) => stop,
        Err(err) => {
            eprintln!("producer-sim: cannot listen for Ctrl+C: {err}");
            return ExitCode::FAILURE;
        }
    };
    let mut stdout = io::stdout();
    let announced = writeln!(stdout, "producer-sim listening on {}", simulator.base_url())
        .and_then(|()| stdout.flush());
    if let Err(err) = announced {
        eprintln!("producer-sim: cannot write to standard output: {err}");
        return ExitCode::FAILURE;
    }

    stop.await;
    simulator.shutdown().await;
    tracing::info!("stopped");
    ExitCode::SUCCESS
}

/// Listens for Ctrl+C, or on Unix also SIGTERM, from now on: the listeners are in place before
/// the simulator says it is listening, so a stop sent right after that is never missed.
fn stop_signal() -> io::Result<impl std::future::Future<Output = ()>> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        let mut interrupt = signal(SignalKind::interrupt())?;
        let mut terminate = signal(SignalKind::terminate())?;
        Ok(async move {
            tokio::select! {
                _ = interrupt.recv() => {}
                _ = terminate.recv() => {}
            }
        })
    }
    #[cfg(not(unix))]
    {
        let mut interrupt = tokio::signal::windows::ctrl_c()?;
        Ok(async move {
            interrupt.recv().await;
        })
    }
}
