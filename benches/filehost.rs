//! Hosts a 100 MB WAV file through the simulator's file host (served by this program started
//! again, in a process of its own, so only the uploader's memory is measured) and prints the throughput of hashing and sending,
//! and this process's peak memory against the file's size.
//!
//! `cargo bench --bench filehost` (option: `-- --megabytes N`, at most 100).

use producer_sim::samples::wav_header;
use producer_sim::{SimConfig, Simulator};
use producer_upload::filehost::{prepare_and_host, FileHost, FileHostConfig};
use producer_upload::token::PlatformToken;
use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Instant;

/// A line of `/proc/self/status` in bytes (Linux), such as `VmHWM` (peak resident memory).
fn status_bytes(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|line| line.starts_with(field))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

fn megabytes(bytes: u64) -> f64 {
    bytes as f64 / 1e6
}

/// Set for the copy of this program that serves the simulator.
const SERVE_ENV: &str = "PRODUCER_FILEHOST_BENCH_SERVE";

#[tokio::main]
async fn main() {
    if std::env::var_os(SERVE_ENV).is_some() {
        let sim = Simulator::start(SimConfig::default())
            .await
            .expect("the simulator starts");
        println!("{}", sim.base_url());
        // Served until the measuring process kills this one.
        std::future::pending::<()>().await;
    }
    let args: Vec<String> = std::env::args().collect();
    let size_mb: u64 = args
        .iter()
        .position(|arg| arg == "--megabytes")
        .and_then(|at| args.get(at + 1)?.parse().ok())
        .unwrap_or(100)
        .min(100);

    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = dir.path().join("long take.wav");
    let size = size_mb * 1_000_000;
    {
        let mut file = std::io::BufWriter::new(std::fs::File::create(&path).expect("file"));
        let data_len = u32::try_from(size - 44).expect("under 4 GB");
        file.write_all(&wav_header(data_len)).expect("write");
        let block: Vec<u8> = (0..1_000_000u32).map(|n| (n % 251) as u8).collect();
        let mut left = size - 44;
        while left > 0 {
            let take = left.min(block.len() as u64) as usize;
            file.write_all(&block[..take]).expect("write");
            left -= take as u64;
        }
    }

    let mut sim = Command::new(std::env::current_exe().expect("this program's path"))
        .env(SERVE_ENV, "1")
        .stdout(Stdio::piped())
        .spawn()
        .expect("the simulator starts");
    let mut line = String::new();
    BufReader::new(sim.stdout.take().expect("stdout"))
        .read_line(&mut line)
        .expect("the simulator announces its address");
    let base_url = line
        .trim()
        .rsplit(' ')
        .next()
        .expect("an address")
        .to_owned();

    let host = FileHost::new(FileHostConfig::new(&base_url).expect("loopback address"));
    let token = PlatformToken::parse("platform-sim-token").expect("a platform token");
    let before = status_bytes("VmHWM").unwrap_or_default();
    let sent = Arc::new(AtomicU64::new(0));
    let seen = Arc::clone(&sent);
    let started = Instant::now();
    let hosted = prepare_and_host(&host, Some(&token), None, &path, move |bytes| {
        seen.store(bytes, Ordering::Relaxed)
    })
    .await;
    let elapsed = started.elapsed();
    let peak = status_bytes("VmHWM").unwrap_or_default();
    // Stop the simulator (SIGKILL is fine: it holds no pipe of ours any more).
    let _ = sim.kill();
    let _ = sim.wait();

    let hosted = hosted.expect("the file is hosted");
    println!(
        "file:            {:.1} MB ({})",
        megabytes(size),
        hosted.audio.media_type
    );
    println!("hosted at:       {}", hosted.file_url);
    println!(
        "hash + send:     {:.2} s, {:.1} MB/s (sent {:.1} MB in {} request)",
        elapsed.as_secs_f64(),
        megabytes(size) / elapsed.as_secs_f64(),
        megabytes(sent.load(Ordering::Relaxed)),
        hosted.attempts
    );
    println!(
        "peak memory:     {:.1} MB before, {:.1} MB after: {:.2}× the file's size (limit: well under 2×)",
        megabytes(before),
        megabytes(peak),
        peak as f64 / size as f64
    );
    assert!(
        peak < size,
        "the file must never be held in memory whole: peak {peak} bytes for a {size}-byte file"
    );
}
