//! The whole identity step over HTTP, against the imported returns: the real server on
//! the benchmark's database, and `POST /api/v1/proofing/identity` timed the way an
//! applicant's browser or app sees it (session lookup, the attempt and velocity
//! counters, the SSN fingerprint, reading and opening the sealed returns, the match
//! rules, the proofing case and history writes, the JSON answer).
//!
//! Each applicant first signs up and confirms their email through the API (not timed;
//! one Argon2id hash each). Every applicant comes from an address of their own
//! (`X-Forwarded-For` through the trusted proxy 127.0.0.1), as real applicants do, so
//! the per-address limits count as they would in production without refusing the run.
//! Half of the applicants then take the step one after another (latency on an otherwise
//! quiet server), the other half from `clients` concurrent clients (latency under load).

use sa_domain::clock::ManualClock;
use secure_access::Config;
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

const PASSWORD: &str = "violet harbor piano meadow";

/// What the HTTP phase measured.
pub struct HttpReport {
    pub setup_secs: f64,
    pub sequential: Vec<Duration>,
    pub concurrent: Vec<Duration>,
    pub concurrent_secs: f64,
    pub clients: usize,
    pub matched: usize,
}

/// One applicant with a confirmed account, ready for the identity step.
struct Ready {
    token: String,
    address: String,
    identity: Value,
}

/// Start the server on `config`'s database, sign the applicants up and time their
/// identity steps. `applicants` are lines of `applicants.jsonl`.
pub async fn identity_step_over_http(
    config: &Config,
    applicants: Vec<Value>,
    clients: usize,
) -> HttpReport {
    let mut config = config.clone();
    config.listen = "127.0.0.1:0".parse().expect("addr");
    config.require_identity_verification = true;
    config.trusted_proxies = vec!["127.0.0.1/32".parse().expect("cidr")];
    config.delivery.poll_interval_ms = 20;
    // A fixed clock: sessions and email codes stay valid for the whole run.
    let clock = ManualClock::new(time::OffsetDateTime::now_utc());
    let server = secure_access::start(config.clone(), Arc::new(clock), false)
        .await
        .expect("server");
    let base = format!("http://{}", server.addr);
    let client = reqwest::Client::new();

    let setup = Instant::now();
    let mut one_at_a_time = sign_up(&client, &base, &config, applicants).await;
    let setup_secs = setup.elapsed().as_secs_f64();

    let concurrently = one_at_a_time.split_off(one_at_a_time.len() / 2);
    let mut matched = 0;
    let mut sequential = Vec::with_capacity(one_at_a_time.len());
    for applicant in &one_at_a_time {
        let (took, was_matched) = identity_step(&client, &base, applicant).await;
        sequential.push(took);
        matched += usize::from(was_matched);
    }

    let queue = Arc::new(std::sync::Mutex::new(concurrently));
    let started = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..clients {
        let (queue, client, base) = (queue.clone(), client.clone(), base.clone());
        tasks.spawn(async move {
            let mut latencies = Vec::new();
            let mut matched = 0;
            loop {
                let next = queue.lock().expect("queue").pop();
                let Some(applicant) = next else { break };
                let (took, was_matched) = identity_step(&client, &base, &applicant).await;
                latencies.push(took);
                matched += usize::from(was_matched);
            }
            (latencies, matched)
        });
    }
    let mut concurrent = Vec::new();
    while let Some(done) = tasks.join_next().await {
        let (latencies, task_matched) = done.expect("client task");
        concurrent.extend(latencies);
        matched += task_matched;
    }
    let concurrent_secs = started.elapsed().as_secs_f64();
    server.stop().await.expect("stop");
    HttpReport {
        setup_secs,
        sequential,
        concurrent,
        concurrent_secs,
        clients,
        matched,
    }
}

/// `POST /api/v1/proofing/identity`; how long it took and whether it matched.
async fn identity_step(
    client: &reqwest::Client,
    base: &str,
    applicant: &Ready,
) -> (Duration, bool) {
    let started = Instant::now();
    let response = client
        .post(format!("{base}/api/v1/proofing/identity"))
        .bearer_auth(&applicant.token)
        .header("X-Forwarded-For", &applicant.address)
        .json(&applicant.identity)
        .send()
        .await
        .expect("identity step");
    let status = response.status();
    let body: Value = response.json().await.expect("json");
    let took = started.elapsed();
    assert_eq!(status, 200, "identity step answered {status}: {body}");
    (took, body["result"] == "matched")
}

/// Create and confirm one account per applicant, four sign-ups at a time (each is an
/// Argon2id hash on the server's two hashing threads).
async fn sign_up(
    client: &reqwest::Client,
    base: &str,
    config: &Config,
    applicants: Vec<Value>,
) -> Vec<Ready> {
    let count = applicants.len();
    let queue = Arc::new(std::sync::Mutex::new(
        applicants.into_iter().enumerate().collect::<Vec<_>>(),
    ));
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..4 {
        let (queue, client, base) = (queue.clone(), client.clone(), base.to_owned());
        tasks.spawn(async move {
            let mut created = Vec::new();
            loop {
                let next = queue.lock().expect("queue").pop();
                let Some((index, applicant)) = next else { break };
                let address = format!("10.{}.{}.{}", index >> 16 & 255, index >> 8 & 255, index & 255);
                let email = format!("bench.applicant{index}@example.test");
                let response = client
                    .post(format!("{base}/api/v1/accounts"))
                    .header("X-Forwarded-For", &address)
                    .json(&json!({"username": format!("bench.applicant{index}"), "email": email, "password": PASSWORD}))
                    .send()
                    .await
                    .expect("sign-up");
                assert_eq!(response.status(), 201, "sign-up");
                let body: Value = response.json().await.expect("json");
                let token = body["session_token"].as_str().expect("token").to_owned();
                created.push((email, Ready { token, address, identity: applicant["identity"].clone() }));
            }
            created
        });
    }
    let mut created = Vec::with_capacity(count);
    while let Some(done) = tasks.join_next().await {
        created.extend(done.expect("sign-up task"));
    }

    let codes = email_codes(config, count).await;
    let mut ready = Vec::with_capacity(count);
    for (email, applicant) in created {
        let code = codes
            .get(&email)
            .expect("a confirmation code for every sign-up");
        let response = client
            .post(format!("{base}/api/v1/accounts/email/confirm"))
            .bearer_auth(&applicant.token)
            .header("X-Forwarded-For", &applicant.address)
            .json(&json!({"code": code}))
            .send()
            .await
            .expect("confirm");
        let body: Value = response.json().await.expect("json");
        assert_eq!(body["next"], "proofing_identity", "confirmed: {body}");
        ready.push(applicant);
    }
    ready
}

/// Wait (bounded) until the dev outbox holds `count` codes, and map each address to its.
async fn email_codes(config: &Config, count: usize) -> HashMap<String, String> {
    for _ in 0..1200 {
        let text = std::fs::read_to_string(config.outbox_file()).unwrap_or_default();
        let complete = text.rfind('\n').map_or("", |end| &text[..end]);
        let codes: HashMap<String, String> = complete
            .lines()
            .filter_map(|line| serde_json::from_str::<Value>(line).ok())
            .filter_map(|m| Some((m["to"].as_str()?.to_owned(), m["code"].as_str()?.to_owned())))
            .collect();
        if codes.len() >= count {
            return codes;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the confirmation emails were not all delivered within two minutes");
}
