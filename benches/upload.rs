//! Uploads 1,000 links through the core against the simulator (100 ms latency, a rate limit) and
//! prints the achieved rate against the limit, failures and lost ids.
//!
//! `cargo bench --bench upload` (options: `-- --links N --rate R --burst B --concurrency C`).

use futures::StreamExt;
use producer_upload::batch::Uploader;
use producer_upload::client::{Client, ClientConfig};
use producer_upload::sim::{RateLimit, SimConfig, Simulator};
use producer_upload::token::ApiToken;
use std::collections::HashSet;
use std::time::{Duration, Instant};
use url::Url;

fn option(name: &str, default: f64) -> f64 {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|arg| arg == name)
        .and_then(|at| args.get(at + 1))
        .and_then(|value| value.parse().ok())
        .unwrap_or(default)
}

#[tokio::main]
async fn main() {
    let links = option("--links", 1000.0) as usize;
    let rate = option("--rate", 50.0);
    let concurrency = option("--concurrency", 16.0) as usize;
    let burst = option("--burst", rate.ceil()) as u32;
    let latency = Duration::from_millis(100);
    let sim = Simulator::start(SimConfig {
        latency,
        rate_limit: Some(RateLimit {
            per_second: rate,
            burst,
        }),
        ..SimConfig::default()
    })
    .await
    .expect("the simulator starts on loopback");
    let client = Client::new(ClientConfig::new(&sim.base_url()).expect("loopback is allowed"));
    let uploader = Uploader::new(client, concurrency);
    let token = ApiToken::parse("sim-token").expect("a valid token");
    let urls: Vec<Url> = (0..links)
        .map(|i| Url::parse(&format!("https://files.example/stem-{i}.wav")).expect("valid"))
        .collect();

    println!("uploading {links} links, concurrency {concurrency}, limit {rate}/s (burst {burst}), latency {latency:?}");
    let started = Instant::now();
    let mut received = HashSet::new();
    let mut failures = 0;
    let mut attempts = 0;
    let mut results = uploader.upload_all(&token, &urls);
    while let Some((_, outcome)) = results.next().await {
        attempts += outcome.attempts;
        match outcome.result {
            Ok(uploaded) => {
                received.insert(uploaded.audio_id);
            }
            Err(error) => {
                failures += 1;
                eprintln!("failed: {}", error.report());
            }
        }
    }
    let elapsed = started.elapsed().as_secs_f64();
    let issued: HashSet<String> = sim.issued().into_iter().map(|id| id.audio_id).collect();
    let lost = issued.difference(&received).count();
    // The bucket starts full, so the best possible time is (links - burst) / rate.
    let best = (links as f64 - f64::from(burst)).max(0.0) / rate;
    let achieved = received.len() as f64 / elapsed;
    println!("time            {elapsed:.2} s (best possible {best:.2} s)");
    println!("achieved rate   {achieved:.1} uploads/s against a limit of {rate}/s ({:.0}% of the best possible)", 100.0 * best / elapsed);
    println!(
        "requests        {attempts} ({} retried after a 429 or a failure)",
        attempts as usize - links
    );
    println!("failures        {failures}");
    println!("lost ids        {lost} (issued by the service but not returned)");
}
