//! Sign-ins per second (password + authenticator code, over HTTP against the real
//! server) compared with bare Argon2id verifications per second on the same machine.
//!
//! Run: `cargo bench -p secure-access --bench sign_in`
//! Options (environment): `SA_BENCH_ACCOUNTS` (default 96), `SA_BENCH_CLIENTS` (16),
//! `SA_BENCH_ROUNDS` (3), `SA_BENCH_DATABASE_URL` (default: SQLite in a temp dir; e.g. a
//! postgres:// URL of an empty database to measure PostgreSQL).
//!
//! The accounts are split into rounds. Each round measures bare Argon2id, then that
//! round's sign-ins, then bare Argon2id again, and divides the sign-in rate by the mean
//! of the two hashing rates: on a shared machine whose speed drifts within minutes, a
//! hashing rate taken far from the sign-ins it is compared with says little. The
//! median round's ratio is the result.
//!
//! A sign-in costs one Argon2id verification plus a few database round trips and a TOTP
//! check, so the ratio says how much of the server's sign-in capacity the protocol and
//! storage overhead take on top of password hashing (1.0 would be "hashing only").
#![allow(clippy::unwrap_used, clippy::expect_used)] // a benchmark stops on a failed setup

use sa_domain::clock::ManualClock;
use sa_domain::password::{hash_blocking, verify_repeatedly};
use secure_access::Config;
use serde_json::json;
use std::sync::Arc;
use std::time::Instant;

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Argon2id verifications per second with one thread per core (the server's hashing
/// concurrency), each verifying `per_thread` times with one reused Argon2 memory (as the
/// server's hashing threads do).
fn bare_argon2_per_second(threads: usize, per_thread: usize) -> f64 {
    let phc = hash_blocking(None, "violet harbor piano meadow").expect("hash");
    let started = Instant::now();
    std::thread::scope(|scope| {
        for _ in 0..threads {
            let phc = phc.clone();
            scope.spawn(move || {
                assert!(
                    verify_repeatedly(None, "violet harbor piano meadow", &phc, per_thread)
                        .expect("verify")
                );
            });
        }
    });
    (threads * per_thread) as f64 / started.elapsed().as_secs_f64()
}

fn main() {
    let accounts = env_usize("SA_BENCH_ACCOUNTS", 96);
    let clients = env_usize("SA_BENCH_CLIENTS", 16);
    let cores = std::thread::available_parallelism()
        .map(usize::from)
        .unwrap_or(2);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");

    let data_dir = tempfile::tempdir().expect("temp dir");
    let mut config = Config {
        listen: "127.0.0.1:0".parse().expect("addr"),
        data_dir: data_dir.path().to_path_buf(),
        database_url: std::env::var("SA_BENCH_DATABASE_URL").ok(),
        ..Config::default()
    };
    config.limits.ip_sign_in_per_minute = u32::MAX;
    let backend = if config.database_url.is_some() {
        "postgresql"
    } else {
        "sqlite"
    };
    // A fixed clock: every account's code is valid for the whole run and used once.
    let clock = ManualClock::new(time::macros::datetime!(2026-03-02 15:00:00 UTC));

    let rounds = env_usize("SA_BENCH_ROUNDS", 3).clamp(1, accounts.max(1));
    let per_thread = (accounts / rounds / cores).max(8);
    let (results, setup_secs) = runtime.block_on(async {
        let server = secure_access::start(config, Arc::new(clock.clone()), false)
            .await
            .expect("server");
        let setup = Instant::now();
        let mut people = Vec::new();
        for i in 0..accounts {
            let username = format!("bench.person{i}");
            let demo = server
                .services
                .demo()
                .ensure_demo_account(
                    &username,
                    &format!("{username}@example.test"),
                    "violet harbor piano meadow",
                )
                .await
                .expect("account");
            let secret = totp_rs::Secret::try_from_base32(&demo.totp_secret)
                .expect("secret")
                .as_bytes()
                .to_vec();
            let code = sa_domain::totp::code_at(&secret, 1_772_463_600);
            people.push((username, code));
        }
        let setup_secs = setup.elapsed().as_secs_f64();
        let base = format!("http://{}", server.addr);
        let client = reqwest::Client::new();
        let per_round = accounts.div_ceil(rounds);
        let mut results = Vec::new();
        while !people.is_empty() {
            let batch = people.split_off(people.len().saturating_sub(per_round));
            let before = tokio::task::block_in_place(|| bare_argon2_per_second(cores, per_thread));
            let rate = sign_ins_per_second(&client, &base, batch, clients).await;
            let after = tokio::task::block_in_place(|| bare_argon2_per_second(cores, per_thread));
            results.push(Round {
                before,
                rate,
                after,
            });
        }
        server.stop().await.expect("stop");
        (results, setup_secs)
    });

    println!(
        "sign-in benchmark ({backend}, {cores} cores, {clients} concurrent clients, {accounts} sign-ins in {} rounds)",
        results.len()
    );
    println!("  account set-up: {setup_secs:.1} s (not measured below)");
    for (i, round) in results.iter().enumerate() {
        println!(
            "  round {}: bare Argon2id {:.1} /s before, {:.1} /s after ({cores} threads × {per_thread}); sign-ins (password + TOTP, HTTP) {:.1} /s; ratio {:.2}",
            i + 1,
            round.before,
            round.after,
            round.rate,
            round.ratio()
        );
    }
    let mut ratios: Vec<f64> = results.iter().map(Round::ratio).collect();
    ratios.sort_by(f64::total_cmp);
    println!(
        "  ratio sign-ins / Argon2id, median of the rounds: {:.2}",
        ratios[ratios.len() / 2]
    );
}

/// One round: bare hashing rates around the round's sign-in rate.
struct Round {
    before: f64,
    rate: f64,
    after: f64,
}

impl Round {
    fn ratio(&self) -> f64 {
        self.rate / ((self.before + self.after) / 2.0)
    }
}

/// Sign `people` in (password, then their authenticator code) from `clients` concurrent
/// HTTP clients; sign-ins per second.
async fn sign_ins_per_second(
    client: &reqwest::Client,
    base: &str,
    people: Vec<(String, String)>,
    clients: usize,
) -> f64 {
    let count = people.len();
    let queue = Arc::new(tokio::sync::Mutex::new(people));
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..clients {
        let (queue, client, base) = (queue.clone(), client.clone(), base.to_owned());
        tasks.push(tokio::spawn(async move {
            loop {
                let Some((username, code)) = queue.lock().await.pop() else {
                    break;
                };
                let started: serde_json::Value = client
                    .post(format!("{base}/api/v1/sessions"))
                    .json(&json!({"username": username, "password": "violet harbor piano meadow"}))
                    .send()
                    .await
                    .expect("sign-in")
                    .json()
                    .await
                    .expect("json");
                let token = started["session_token"].as_str().expect("token").to_owned();
                let done = client
                    .post(format!("{base}/api/v1/sessions/second-factor"))
                    .bearer_auth(token)
                    .json(&json!({"method": "totp", "code": code}))
                    .send()
                    .await
                    .expect("second factor");
                assert_eq!(done.status(), 200, "sign-in completes");
            }
        }));
    }
    for task in tasks {
        task.await.expect("client task");
    }
    count as f64 / started.elapsed().as_secs_f64()
}
