//! Two instances of the real binary (`secure-access serve`, child processes) on one
//! PostgreSQL database and one Redis, as behind a load balancer:
//!
//! - the per-IP sign-in limit holds across them (its counters are in Redis): ten
//!   attempts spread over both, and the eleventh is refused by either;
//! - every message is sent once although both delivery workers run: sign-ups through
//!   both, and each confirmation email is in the outbox file exactly once;
//! - the scheduled jobs run in one instance only (`sa_scheduled_job_runs_total` on each
//!   instance's `/metrics`);
//! - then the instance running the jobs is killed (SIGKILL: it gives nothing up), and
//!   the other one goes on: the same address is still refused, the jobs move to it once
//!   the dead instance's lease expires, and new sign-ups' messages are sent once.
//!
//! Needs `SA_TEST_POSTGRES_URL` and `SA_TEST_REDIS_URL` (the test prints a notice and
//! passes without them; `.ci/run` sets both). Waits poll with bounds; no product rule
//! is waited for by sleeping except the jobs lease, which is the thing under test.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed expectation fails the test

use std::collections::HashMap;
use std::time::{Duration, Instant};

use reqwest::Client;
use sa_test_support::api::metric_sample;
use sa_test_support::process::{Deployment, ServerProcess};
use sa_test_support::server::Backend;
use serde_json::{Value, json};

const BIN: &str = env!("CARGO_BIN_EXE_secure-access");
const SIGN_INS_PER_MINUTE: usize = 10;

fn redis_url() -> Option<String> {
    match std::env::var("SA_TEST_REDIS_URL") {
        Ok(url) if !url.is_empty() => Some(url),
        _ => {
            eprintln!(
                "two-instance test skipped: set SA_TEST_REDIS_URL (e.g. redis://127.0.0.1:6379)"
            );
            None
        }
    }
}

fn client() -> Client {
    sa_test_support::api::client("sa-instances/1.0")
}

/// A wrong password for a username nobody has, from `ip` (through the trusted proxy).
async fn sign_in_attempt(http: &Client, server: &ServerProcess, ip: &str, turn: usize) -> u16 {
    http.post(server.url("/api/v1/sessions"))
        .header("x-forwarded-for", ip)
        .json(&json!({"username": format!("nobody.{turn}"), "password": "not the password at all"}))
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

/// Sign up `username`, each from an address of its own.
async fn sign_up(http: &Client, server: &ServerProcess, username: &str, ip: &str) {
    let answer = http
        .post(server.url("/api/v1/accounts"))
        .header("x-forwarded-for", ip)
        .json(
            &json!({"username": username, "email": format!("{username}@example.test"),
            "password": "violet harbor piano meadow"}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 201, "{}", answer.text().await.unwrap());
}

/// `sa_scheduled_job_runs_total` of one instance.
async fn job_runs(http: &Client, server: &ServerProcess) -> u64 {
    let text = http
        .get(server.url("/metrics"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    metric_sample(&text, "sa_scheduled_job_runs_total ")
        .map(|runs| runs as u64)
        .expect("sa_scheduled_job_runs_total in /metrics")
}

/// Wait (bounded) until the outbox has nothing pending, then count the lines of the
/// outbox file by message id.
async fn delivered(deployment: &Deployment) -> HashMap<String, usize> {
    let deadline = Instant::now() + Duration::from_secs(30);
    while deployment
        .count("SELECT COUNT(*) FROM outbox WHERE status <> 'sent'")
        .await
        > 0
    {
        assert!(
            Instant::now() < deadline,
            "the outbox did not drain in 30 s"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let text =
        std::fs::read_to_string(deployment.data_dir().join("outbox.jsonl")).unwrap_or_default();
    let mut lines = HashMap::new();
    for line in text.lines() {
        let message: Value = serde_json::from_str(line).expect("a whole JSON line");
        let id = message["id"].as_str().expect("a message id").to_owned();
        *lines.entry(id).or_insert(0) += 1;
    }
    lines
}

fn assert_each_once(lines: &HashMap<String, usize>, expected: i64) {
    assert_eq!(lines.len() as i64, expected, "every message sent");
    let twice: Vec<_> = lines.iter().filter(|(_, n)| **n > 1).collect();
    assert!(twice.is_empty(), "sent more than once: {twice:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_share_limits_run_jobs_once_and_send_messages_once() {
    let (Some(admin_url), Some(redis)) = (
        sa_test_support::databases::postgres_admin_url(),
        redis_url(),
    ) else {
        return;
    };
    let mut deployment = Deployment::new(BIN, &Backend::Postgres(admin_url)).await;
    let prefix = format!(
        "sa-instances-{}:",
        sa_domain::keys::hex(&sa_domain::keys::random_bytes::<6>()[..])
    );
    deployment.set("SA_REDIS_URL", &redis);
    deployment.set("SA_REDIS_KEY_PREFIX", &prefix);
    deployment.set("SA_JOBS_INTERVAL_SECS", "1");
    deployment.set("SA_TRUSTED_PROXIES", "127.0.0.1");
    deployment.set("SA_REQUIRE_IDENTITY_VERIFICATION", "false");
    deployment.set(
        "SA_LIMITS__IP_SIGN_IN_PER_MINUTE",
        &SIGN_INS_PER_MINUTE.to_string(),
    );
    // The first instance creates the keys file; the second reads the same one.
    let first = deployment.start().await;
    let second = deployment.start().await;
    let http = client();
    let instances = [&first, &second];

    // The limit holds across instances: ten attempts, alternating, then refused by both.
    for turn in 0..SIGN_INS_PER_MINUTE {
        let status = sign_in_attempt(&http, instances[turn % 2], "203.0.113.7", turn).await;
        assert_eq!(status, 401, "attempt {turn} is within the limit");
    }
    for (which, server) in instances.iter().enumerate() {
        let status = sign_in_attempt(&http, server, "203.0.113.7", 100 + which).await;
        assert_eq!(status, 429, "instance {which} refuses the eleventh attempt");
    }
    // Another address is not affected.
    assert_eq!(
        sign_in_attempt(&http, &second, "203.0.113.8", 200).await,
        401
    );

    // Messages: sign-ups through both instances, each email sent exactly once.
    for n in 0..12 {
        let server = instances[n % 2];
        sign_up(
            &http,
            server,
            &format!("both.{n}"),
            &format!("198.51.100.{n}"),
        )
        .await;
    }
    let lines = delivered(&deployment).await;
    assert_each_once(
        &lines,
        deployment.count("SELECT COUNT(*) FROM outbox").await,
    );

    // The jobs run in one instance only.
    let deadline = Instant::now() + Duration::from_secs(20);
    let (runs_first, runs_second) = loop {
        let runs = (
            job_runs(&http, &first).await,
            job_runs(&http, &second).await,
        );
        if runs.0 + runs.1 >= 3 || Instant::now() > deadline {
            break runs;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    assert!(
        (runs_first == 0) != (runs_second == 0),
        "exactly one instance runs the jobs: {runs_first} and {runs_second}\n{}\n{}",
        first.log_tail(),
        second.log_tail()
    );
    let (mut runner, mut survivor) = if runs_first > 0 {
        (first, second)
    } else {
        (second, first)
    };
    assert!(job_runs(&http, &survivor).await == 0);

    // Kill the instance that runs the jobs: no shutdown code, the lease is not given up.
    runner.kill();
    assert!(!runner.alive());

    // The limit still holds: its counts are in Redis, not in the dead instance.
    assert_eq!(
        sign_in_attempt(&http, &survivor, "203.0.113.7", 300).await,
        429
    );
    // The jobs move to the survivor once the dead instance's lease has expired
    // (two intervals and five seconds).
    let deadline = Instant::now() + Duration::from_secs(30);
    while job_runs(&http, &survivor).await == 0 {
        assert!(
            Instant::now() < deadline,
            "the surviving instance did not take the jobs over:\n{}",
            survivor.log_tail()
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    // Messages are still sent once, by the survivor alone.
    for n in 0..6 {
        sign_up(
            &http,
            &survivor,
            &format!("after.{n}"),
            &format!("198.51.100.{}", 100 + n),
        )
        .await;
    }
    let lines = delivered(&deployment).await;
    assert_each_once(
        &lines,
        deployment.count("SELECT COUNT(*) FROM outbox").await,
    );
    assert!(survivor.alive());
    survivor.wait_ready().await;
    survivor.stop().await;
    deployment.finish().await;
}
