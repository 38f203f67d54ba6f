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
//! open the sealed returns for it, and run the match rules. The checks run twice over
//! the same applicants, straight after the import and again, so that the two passes
//! show what pages read back from disk cost. Then the real server starts on the same
//! database and times the whole identity step over HTTP (`over_http`);
//! `SA_BENCH_HTTP_CLIENTS` (16) sets the concurrent clients of its second half.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a benchmark stops on a failed setup

use sa_domain::keys::{KeyMaterial, Keyring};
use sa_domain::proofing::matching::match_identity;
use sa_domain::proofing::records::{RecordKind, parse_line};
use sa_domain::proofing::sources::{EmbeddedSources, Lookup, ReferenceRow, TaxReturnSource};
use sa_population::applicant::identity_claim;
use sa_population::{GenerateOptions, run};
use secure_access::Config;
use std::io::BufRead;
use std::sync::Arc;
use std::time::{Duration, Instant};

mod over_http;

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

fn millis(sorted: &[Duration], p: f64) -> f64 {
    percentile(sorted, p).as_secs_f64() * 1000.0
}

/// Lines per second that one thread reads, parses, fingerprints and seals, writing
/// nothing: the import's work per line before any database, so the ceiling one reader
/// thread puts on the import rate.
fn read_and_seal_per_second(file: &std::path::Path) -> f64 {
    let keys = Keyring::new(&KeyMaterial::generate()).expect("keys");
    // Any fixed instant: the import time is only stored, never compared.
    let imported_at = time::macros::datetime!(2026-03-02 15:00:00 UTC);
    let started = Instant::now();
    let mut lines = 0u64;
    for line in std::io::BufReader::new(std::fs::File::open(file).expect("file")).lines() {
        let record = parse_line(RecordKind::TaxReturns, &line.expect("line")).expect("record");
        std::hint::black_box(ReferenceRow::from_record(&record, &keys, imported_at).expect("row"));
        lines += 1;
    }
    lines as f64 / started.elapsed().as_secs_f64()
}

/// `p50 … ms, p99 … ms, max … ms` of some latencies.
fn summary(latencies: &[Duration]) -> String {
    if latencies.is_empty() {
        return "none".to_owned();
    }
    let mut sorted = latencies.to_vec();
    sorted.sort();
    format!(
        "p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        millis(&sorted, 0.50),
        millis(&sorted, 0.99),
        sorted.last().map_or(0.0, |d| d.as_secs_f64() * 1000.0),
    )
}

fn main() {
    let people = env_u64("SA_BENCH_PEOPLE", 5_000_000);
    let checks = env_u64("SA_BENCH_CHECKS", 2_000) as usize;
    let http_clients = env_u64("SA_BENCH_HTTP_CLIENTS", 16) as usize;
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
    let seal_rate = read_and_seal_per_second(&returns_file);
    let rss_before = peak_rss_mib();

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let (import_secs, report, rss_after_import, passes, http) = runtime.block_on(async {
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
        let rss_after_import = peak_rss_mib();

        let stride = (people as usize / checks.max(1)).max(1);
        let applicants: Vec<serde_json::Value> = std::io::BufReader::new(
            std::fs::File::open(out.join("applicants.jsonl")).expect("applicants"),
        )
        .lines()
        .step_by(stride)
        .take(checks)
        .map(|line| serde_json::from_str(&line.expect("line")).expect("json"))
        .collect();

        let store = secure_access::wiring::open_store(&config)
            .await
            .expect("store");
        let keys =
            Arc::new(secure_access::keyfile::load_or_create(&config.keys_file()).expect("keys"));
        let sources = EmbeddedSources::new(Arc::new(store.clone()), keys.clone());
        let mut passes = Vec::new();
        for _ in 0..2 {
            let mut latencies = Vec::with_capacity(checks);
            for applicant in &applicants {
                let claim = identity_claim(applicant).expect("claim");
                let started = Instant::now();
                let returns = sources
                    .returns_for(&Lookup::ssn(&keys, &claim.ssn), 10)
                    .await
                    .expect("lookup");
                let decision = match_identity(&claim, &returns);
                latencies.push(started.elapsed());
                std::hint::black_box(decision);
            }
            passes.push(latencies);
        }
        store.close().await;
        let http = over_http::identity_step_over_http(&config, applicants, http_clients).await;
        (import_secs, report, rss_after_import, passes, http)
    });

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
        "  read, parse, fingerprint and seal alone (one thread, no database): {seal_rate:.0} lines/s"
    );
    println!("  peak memory: {rss_before:.0} MiB before import, {rss_after_import:.0} MiB after");
    for (pass, latencies) in ["straight after the import", "again, same applicants"]
        .iter()
        .zip(&passes)
    {
        println!(
            "  identity check, the match alone ({} applicants, sequential, {pass}): {}",
            latencies.len(),
            summary(latencies)
        );
    }
    println!(
        "  identity step over HTTP: {} sign-ups set up in {:.0} s (not timed); {} of {} matched",
        http.sequential.len() + http.concurrent.len(),
        http.setup_secs,
        http.matched,
        http.sequential.len() + http.concurrent.len(),
    );
    println!(
        "    one at a time ({} applicants): {}",
        http.sequential.len(),
        summary(&http.sequential)
    );
    println!(
        "    {} concurrent clients ({} applicants, {:.0} steps/s): {}",
        http.clients,
        http.concurrent.len(),
        http.concurrent.len() as f64 / http.concurrent_secs,
        summary(&http.concurrent)
    );
}
