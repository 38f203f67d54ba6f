//! Reference records at scale: the import rate of a ~10-million-line tax-return file,
//! and the latency (p50/p99) of the identity check against that table.
//!
//! Run: `cargo bench -p secure-access --bench proofing`
//! Options (environment): `SA_BENCH_PEOPLE` (default 5,000,000 people, about 10 million
//! tax-return lines), `SA_BENCH_CHECKS` (2,000 identity checks), `SA_BENCH_DATABASE_URL`
//! (default SQLite in a temp dir; a `postgres://` URL of an empty database to measure
//! PostgreSQL), `SA_BENCH_DIR` (where to write; default a temp dir).
//!
//! Each identity check is what the proofing step does: fingerprint the SSN, read and
//! open the sealed returns for it, and run the match rules.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a benchmark stops on a failed setup

use sa_domain::proofing::matching::match_identity;
use sa_domain::proofing::records::RecordKind;
use sa_domain::proofing::sources::{EmbeddedSources, Lookup, TaxReturnSource};
use sa_population::applicant::identity_claim;
use sa_population::{GenerateOptions, run};
use secure_access::Config;
use std::io::BufRead;
use std::sync::Arc;
use std::time::{Duration, Instant};

fn env_u64(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Peak resident memory of this process so far (Linux `VmHWM`), in MiB.
fn peak_rss_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .map(str::to_owned)
        })
        .and_then(|l| {
            l.split_whitespace()
                .nth(1)
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index.min(sorted.len() - 1)]
}

fn main() {
    let people = env_u64("SA_BENCH_PEOPLE", 5_000_000);
    let checks = env_u64("SA_BENCH_CHECKS", 2_000) as usize;
    let temp = tempfile::tempdir().expect("temp dir");
    let dir = std::env::var("SA_BENCH_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|_| temp.path().to_path_buf());
    let out = dir.join("population");
    let config = Config {
        data_dir: dir.join("data"),
        database_url: std::env::var("SA_BENCH_DATABASE_URL").ok(),
        ..Config::default()
    };
    let backend = if config.database_url.is_some() {
        "postgresql"
    } else {
        "sqlite"
    };

    let started = Instant::now();
    run(&GenerateOptions {
        people,
        seed: 2026,
        out_dir: out.clone(),
        gzip: false,
    })
    .expect("generate");
    let generate_secs = started.elapsed().as_secs_f64();
    let returns_file = out.join("tax-returns.jsonl");
    let lines = std::io::BufReader::new(std::fs::File::open(&returns_file).expect("file"))
        .lines()
        .count();
    let bytes = std::fs::metadata(&returns_file)
        .map(|m| m.len())
        .unwrap_or(0);
    let rss_before = peak_rss_mib();

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let (import_secs, report, latencies) = runtime.block_on(async {
        let started = Instant::now();
        let report = secure_access::commands::records::import::run(
            &config,
            std::sync::Arc::new(sa_domain::clock::SystemClock),
            RecordKind::TaxReturns,
            &returns_file,
        )
        .await
        .expect("import");
        let import_secs = started.elapsed().as_secs_f64();

        let store = secure_access::wiring::open_store(&config)
            .await
            .expect("store");
        let keys =
            Arc::new(secure_access::keyfile::load_or_create(&config.keys_file()).expect("keys"));
        let sources = EmbeddedSources::new(Arc::new(store.clone()), keys.clone());
        let applicants = std::io::BufReader::new(
            std::fs::File::open(out.join("applicants.jsonl")).expect("applicants"),
        );
        let stride = (people as usize / checks.max(1)).max(1);
        let mut latencies = Vec::with_capacity(checks);
        for line in applicants.lines().step_by(stride).take(checks) {
            let value: serde_json::Value =
                serde_json::from_str(&line.expect("line")).expect("json");
            let claim = identity_claim(&value).expect("claim");
            let started = Instant::now();
            let returns = sources
                .returns_for(&Lookup::ssn(&keys, &claim.ssn), 10)
                .await
                .expect("lookup");
            let decision = match_identity(&claim, &returns);
            latencies.push(started.elapsed());
            std::hint::black_box(decision);
        }
        store.close().await;
        (import_secs, report, latencies)
    });
    let mut sorted = latencies.clone();
    sorted.sort();

    println!("reference-records benchmark ({backend})");
    println!("  generated {people} people in {generate_secs:.0} s");
    println!(
        "  tax-returns file: {lines} lines, {:.0} MiB",
        bytes as f64 / 1048576.0
    );
    println!(
        "  import: {report} in {import_secs:.0} s = {:.0} lines/s",
        lines as f64 / import_secs
    );
    println!(
        "  peak memory: {rss_before:.0} MiB before import, {:.0} MiB after",
        peak_rss_mib()
    );
    println!(
        "  identity check ({} applicants, sequential): p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        sorted.len(),
        percentile(&sorted, 0.50).as_secs_f64() * 1000.0,
        percentile(&sorted, 0.99).as_secs_f64() * 1000.0,
        sorted.last().map_or(0.0, |d| d.as_secs_f64() * 1000.0),
    );
}
