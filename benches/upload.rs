//! Uploads links through the core's engine against the simulator's rate limit (whole-second
//! `Retry-After`) and prints, for each cell of a matrix, the achieved rate against the best the
//! limit allows, with failures, duplicate uploads and lost ids.
//!
//! `cargo bench --bench upload` runs the full matrix: rates 5, 20 and 50 per second, bursts 1, 5
//! and 20, concurrency 4, 8 and 16, no added latency, 1,000 links each; the same bursts and
//! concurrencies at rate 5 with a short batch of 100 links; then one row at 100 ms of latency
//! (rate 20, burst 5). Options after `--`:
//! `--links N` (default 1000, and no short batch), `--quick` (200 links), `--rate R`, `--burst B`,
//! `--concurrency C` (only those cells), `--latency-ms L` (only that latency),
//! `--one-at-a-time` (each cell alone), `--all-at-once` (every cell at the same time).
//!
//! By default the cells of one rate (latency and length) run at the same time, then those of the next,
//! so that the whole matrix takes minutes rather than the best part of an hour while at most
//! nine cells share the machine's cores. Each cell runs its client on a runtime of its own and
//! its simulator on another, as a service runs apart from its clients. The figures are a little
//! noisy; they are figures, not assertions.

use producer_sim::{RateLimit, SimConfig, Simulator};
use producer_upload::batch::Uploader;
use producer_upload::client::{Client, ClientConfig};
use producer_upload::queue::{Queue, QueueLink, QueueUpdate};
use producer_upload::token::ApiToken;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::mpsc;
use url::Url;

const RATES: [f64; 3] = [5.0, 20.0, 50.0];
const BURSTS: [u32; 3] = [1, 5, 20];
const CONCURRENCIES: [usize; 3] = [4, 8, 16];
/// A musician's batch, run at the slowest rate besides the matrix. At 20 and 50 a second such a
/// batch takes 5 and 2 seconds at best, and the hold of at least a second that the first 429
/// imposes (nothing is known of the rate yet) would be most of what the row measures.
const SHORT_BATCH: usize = 100;
const SHORT_BATCH_RATE: f64 = 5.0;

fn option(name: &str) -> Option<f64> {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|arg| arg == name)
        .and_then(|at| args.get(at + 1))
        .and_then(|value| value.parse().ok())
}

fn flag(name: &str) -> bool {
    std::env::args().any(|arg| arg == name)
}

#[derive(Debug, Clone, Copy)]
struct Cell {
    rate: f64,
    burst: u32,
    concurrency: usize,
    latency: Duration,
    links: usize,
}

struct Figures {
    cell: Cell,
    elapsed: f64,
    ratio: f64,
    requests: usize,
    failures: usize,
    duplicates: usize,
    lost: usize,
}

/// Runs one cell: its simulator on a runtime of its own, its uploads on another.
fn run(cell: Cell) -> Figures {
    let service = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("a runtime for the simulator");
    let sim = service
        .block_on(Simulator::start(SimConfig {
            latency: cell.latency,
            rate_limit: Some(RateLimit {
                per_second: cell.rate,
                burst: cell.burst,
            }),
            ..SimConfig::default()
        }))
        .expect("the simulator starts on loopback");
    let client = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("a runtime for the uploads");
    let (elapsed, received, failures) = client.block_on(upload(cell, &sim.base_url()));
    let issued = sim.issued();
    let mut per_link: HashMap<&str, usize> = HashMap::new();
    for id in &issued {
        *per_link.entry(id.audio_url.as_str()).or_default() += 1;
    }
    let duplicates = per_link.values().map(|count| count - 1).sum();
    let lost = issued
        .iter()
        .filter(|id| !received.contains(&id.audio_id))
        .count();
    // The bucket starts full, so the best possible time is (links - burst) / rate.
    let best = (cell.links as f64 - f64::from(cell.burst)).max(0.0) / cell.rate;
    let figures = Figures {
        cell,
        elapsed,
        ratio: best / elapsed,
        requests: sim.requests().len(),
        failures,
        duplicates,
        lost,
    };
    eprintln!("{}", row(&figures));
    figures
}

/// Uploads the cell's links through the core's engine (the queue the window and the command
/// both drive); returns the seconds it took, the ids received and the links that failed.
async fn upload(cell: Cell, base_url: &str) -> (f64, HashSet<String>, usize) {
    let client = Client::new(ClientConfig::new(base_url).expect("loopback is allowed"));
    let uploader = Uploader::new(client, cell.concurrency);
    let token = ApiToken::parse("sim-token").expect("a valid token");
    let links: Vec<QueueLink> = (0..cell.links)
        .map(|i| {
            let url = Url::parse(&format!("https://files.example/stem-{i}.wav")).expect("valid");
            QueueLink {
                given: url.to_string(),
                audio_url: url,
                retry_of: None,
                notes: Vec::new(),
            }
        })
        .collect();
    let (told, mut updates) = mpsc::unbounded_channel();
    let queue = Queue::new(
        uploader,
        None,
        Arc::new(move |update| {
            let _ = told.send(update);
        }),
    );
    let started = Instant::now();
    queue.add(token, links).await;
    let mut received = HashSet::new();
    let mut failures = 0;
    let mut ended = HashSet::new();
    while ended.len() < cell.links {
        let update: QueueUpdate = updates.recv().await.expect("the queue runs");
        for item in update.items {
            if !item.state.is_finished() || !ended.insert(item.id) {
                continue;
            }
            match (item.uploaded, item.error) {
                (Some(uploaded), _) => {
                    received.insert(uploaded.audio_id);
                }
                (None, error) => {
                    failures += 1;
                    eprintln!("failed: {error:?}");
                }
            }
        }
    }
    (started.elapsed().as_secs_f64(), received, failures)
}

/// Runs `cells` at the same time, each on threads of its own.
fn run_together(cells: Vec<Cell>) -> Vec<Figures> {
    let running: Vec<_> = cells
        .into_iter()
        .map(|cell| {
            std::thread::Builder::new()
                .name(format!(
                    "c{}-{}-{}",
                    cell.rate, cell.burst, cell.concurrency
                ))
                .spawn(move || run(cell))
                .expect("a thread for the cell")
        })
        .collect();
    running
        .into_iter()
        .map(|cell| cell.join().expect("a cell finishes"))
        .collect()
}

/// One cell as a row of the table.
fn row(f: &Figures) -> String {
    let best = (f.cell.links as f64 - f64::from(f.cell.burst)).max(0.0) / f.cell.rate;
    format!(
        "| {} | {} ms | {} | {} | {} | {:.1} | {:.1} | {:.2} | {} | {} | {} | {} |",
        f.cell.links,
        f.cell.latency.as_millis(),
        f.cell.rate,
        f.cell.burst,
        f.cell.concurrency,
        f.elapsed,
        best,
        f.ratio,
        f.requests,
        f.failures,
        f.duplicates,
        f.lost
    )
}

fn main() {
    let links = match option("--links") {
        Some(links) => links as usize,
        None if flag("--quick") => 200,
        None => 1000,
    };
    // The short batch's rows join the matrix unless the number of links is chosen.
    let short_batch = option("--links").is_none() && !flag("--quick");
    let latencies: Vec<u64> = match option("--latency-ms") {
        Some(latency) => vec![latency as u64],
        None => vec![0, 100],
    };
    let mut cells = Vec::new();
    for latency_ms in latencies {
        // The matrix at no latency; one row (rate 20, burst 5) at any other.
        let (rates, bursts) = if latency_ms == 0 {
            (RATES.to_vec(), BURSTS.to_vec())
        } else {
            (vec![20.0], vec![5])
        };
        for &rate in &rates {
            let mut sizes = vec![links];
            if short_batch && latency_ms == 0 && rate == SHORT_BATCH_RATE {
                sizes.insert(0, SHORT_BATCH);
            }
            for links in sizes {
                for &burst in &bursts {
                    for concurrency in CONCURRENCIES {
                        cells.push(Cell {
                            rate,
                            burst,
                            concurrency,
                            latency: Duration::from_millis(latency_ms),
                            links,
                        });
                    }
                }
            }
        }
    }
    cells.retain(|cell| {
        option("--rate").is_none_or(|rate| rate == cell.rate)
            && option("--burst").is_none_or(|burst| burst as u32 == cell.burst)
            && option("--concurrency").is_none_or(|c| c as usize == cell.concurrency)
    });
    println!(
        "{} cells, whole-second Retry-After; achieved / best possible rate",
        cells.len()
    );
    let figures: Vec<Figures> = if flag("--one-at-a-time") {
        cells.into_iter().map(run).collect()
    } else if flag("--all-at-once") {
        run_together(cells)
    } else {
        // The cells of one rate, latency and length together, then the next.
        let mut figures = Vec::new();
        let mut rest = cells;
        while let Some(first) = rest.first().copied() {
            let (group, others): (Vec<Cell>, Vec<Cell>) = rest.into_iter().partition(|cell| {
                cell.rate == first.rate
                    && cell.latency == first.latency
                    && cell.links == first.links
            });
            figures.extend(run_together(group));
            rest = others;
        }
        figures
    };
    println!(
        "| links | latency | rate/s | burst | concurrency | time (s) | best (s) | achieved / best | requests | failed | duplicates | lost ids |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|---|---|");
    for figures in &figures {
        println!("{}", row(figures));
    }
    let worst = figures
        .iter()
        .map(|f| f.ratio)
        .fold(f64::INFINITY, f64::min);
    println!("worst cell: {worst:.2} of the best possible rate");
}
