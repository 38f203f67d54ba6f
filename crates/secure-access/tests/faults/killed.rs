//! The first fault: the server is killed in the middle of 200 journeys. Nothing
//! answered is lost, and every committed message is delivered exactly once (the crate
//! docs say how it is checked).

use std::collections::{HashMap, HashSet};
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use reqwest::{Client, Method};
use sa_test_support::server::Backend;
use serde_json::{Value, json};

use super::{ONE_AT_A_TIME, PASSWORD, api_client, deployment};

/// Concurrent applicants in the kill test.
const CLIENTS: usize = 200;
/// Letters one account may ask for in 30 days (`limits.letters_per_30_days`).
const LETTERS_PER_30_DAYS: i64 = 4;

// ---------------------------------------------------------------------------------------
// The development outbox, read as it grows.
// ---------------------------------------------------------------------------------------

/// Reads `outbox.jsonl` incrementally, so 200 clients can wait for their codes.
struct OutboxTail {
    path: PathBuf,
    state: Mutex<TailState>,
}

#[derive(Default)]
struct TailState {
    offset: u64,
    partial: Vec<u8>,
    refreshed: Option<Instant>,
    /// Code-bearing messages by recipient, in delivery order.
    codes: HashMap<String, Vec<String>>,
}

impl OutboxTail {
    fn new(path: PathBuf) -> Self {
        Self {
            path,
            state: Mutex::new(TailState::default()),
        }
    }

    fn first_code(&self, to: &str) -> Option<String> {
        let mut state = self.state.lock().expect("outbox state");
        let stale = state
            .refreshed
            .is_none_or(|at| at.elapsed() >= Duration::from_millis(10));
        if stale {
            state.refreshed = Some(Instant::now());
            let mut bytes = Vec::new();
            if let Ok(mut file) = std::fs::File::open(&self.path)
                && file.seek(SeekFrom::Start(state.offset)).is_ok()
                && file.read_to_end(&mut bytes).is_ok()
            {
                state.offset += bytes.len() as u64;
                state.partial.extend_from_slice(&bytes);
                while let Some(end) = state.partial.iter().position(|b| *b == b'\n') {
                    let line: Vec<u8> = state.partial.drain(..=end).collect();
                    if let Ok(message) = serde_json::from_slice::<Value>(&line)
                        && let (Some(to), Some(code)) =
                            (message["to"].as_str(), message["code"].as_str())
                    {
                        state
                            .codes
                            .entry(to.to_owned())
                            .or_default()
                            .push(code.to_owned());
                    }
                }
            }
        }
        state.codes.get(to).and_then(|codes| codes.first().cloned())
    }

    /// Wait (bounded) for the first code sent to `to`; `None` once `stop` is set.
    async fn code_for(&self, to: &str, stop: &AtomicBool) -> Option<String> {
        let deadline = Instant::now() + Duration::from_secs(60);
        while Instant::now() < deadline && !stop.load(Ordering::SeqCst) {
            if let Some(code) = self.first_code(to) {
                return Some(code);
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        None
    }
}

/// Every line of the outbox; lines that are not JSON (a torn write) are returned apart.
fn outbox_lines(path: &Path) -> (Vec<Value>, Vec<String>) {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let mut messages = Vec::new();
    let mut torn = Vec::new();
    for line in text.lines() {
        match serde_json::from_str::<Value>(line) {
            Ok(message) => messages.push(message),
            Err(_) => torn.push(line.chars().take(120).collect()),
        }
    }
    (messages, torn)
}

// ---------------------------------------------------------------------------------------
// 1. SIGKILL in the middle of 200 journeys.
// ---------------------------------------------------------------------------------------

/// A synthetic person and what they type.
#[derive(Clone)]
struct Applicant {
    username: String,
    email: String,
    phone: String,
    identity: Value,
    financial: Value,
    by_mail: bool,
}

/// The first `count` applicants of a generated population whose route is `online` or
/// `mail` (the others are meant to fail proofing).
fn applicants(population: &Path, count: usize) -> Vec<Applicant> {
    let text =
        std::fs::read_to_string(population.join("applicants.jsonl")).expect("applicants.jsonl");
    let chosen: Vec<Applicant> = text
        .lines()
        .map(|line| serde_json::from_str::<Value>(line).expect("applicant is JSON"))
        .filter(|a| {
            matches!(a["expected"]["route"].as_str(), Some("online" | "mail"))
                && a["phone"].is_string()
        })
        .take(count)
        .enumerate()
        .map(|(i, a)| Applicant {
            username: format!("faults.person{i}"),
            email: format!("faults.person{i}@example.test"),
            phone: a["phone"].as_str().unwrap_or_default().to_owned(),
            identity: a["identity"].clone(),
            financial: a["financial"].clone(),
            by_mail: a["expected"]["route"] == "mail",
        })
        .collect();
    assert_eq!(chosen.len(), count, "population too small");
    chosen
}

/// What the server answered with success before the kill.
#[derive(Default, Debug, Clone, Copy)]
struct Answered {
    signed_up: bool,
    verified_online: bool,
    letter_queued: bool,
}

struct Journeys {
    base: String,
    http: Client,
    outbox: OutboxTail,
    killed: AtomicBool,
    successes: AtomicUsize,
    letters: AtomicUsize,
    /// Answers that were neither the expected success nor the kill.
    unexpected: Mutex<Vec<String>>,
}

impl Journeys {
    /// One request; the JSON answer if it had the expected status. A failure after the
    /// kill is expected; any other is recorded.
    async fn call(
        &self,
        who: &Applicant,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
        expected: u16,
    ) -> Option<Value> {
        let mut request = self.http.request(method, format!("{}{path}", self.base));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        let outcome = match request.send().await {
            Ok(response) => {
                let status = response.status().as_u16();
                match response.text().await {
                    Ok(text) => Ok((status, text)),
                    Err(error) => Err(error),
                }
            }
            Err(error) => Err(error),
        };
        match outcome {
            Ok((status, text)) if status == expected => {
                self.successes.fetch_add(1, Ordering::SeqCst);
                Some(serde_json::from_str(&text).unwrap_or(Value::Null))
            }
            Ok((status, text)) => {
                self.note(who, format!("{path} answered {status}: {text}"));
                None
            }
            Err(error) => {
                if !self.killed.load(Ordering::SeqCst) {
                    self.note(who, format!("{path} failed before the kill: {error}"));
                }
                None
            }
        }
    }

    fn note(&self, who: &Applicant, what: String) {
        self.unexpected
            .lock()
            .expect("unexpected list")
            .push(format!("{}: {what}", who.username));
    }

    fn expect_result(&self, who: &Applicant, answer: &Value, result: &str) -> bool {
        let ok = answer["result"] == result;
        if !ok {
            self.note(who, format!("expected result {result}, got {answer}"));
        }
        ok
    }

    /// Sign up, confirm the email, and prove the identity online or by mail.
    async fn journey(&self, who: &Applicant) -> Answered {
        let mut done = Answered::default();
        let body = json!({"username": who.username, "email": who.email, "password": PASSWORD});
        let Some(created) = self
            .call(who, Method::POST, "/api/v1/accounts", None, Some(body), 201)
            .await
        else {
            return done;
        };
        done.signed_up = true;
        let token = created["session_token"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        let Some(code) = self.outbox.code_for(&who.email, &self.killed).await else {
            if !self.killed.load(Ordering::SeqCst) {
                self.note(who, "no confirmation email".into());
            }
            return done;
        };
        let steps = [
            (
                "/api/v1/accounts/email/confirm",
                json!({"code": code}),
                None,
            ),
            (
                "/api/v1/proofing/identity",
                who.identity.clone(),
                Some("matched"),
            ),
            (
                "/api/v1/proofing/financial-account",
                who.financial.clone(),
                Some("matched"),
            ),
        ];
        for (path, body, result) in steps {
            let Some(answer) = self
                .call(who, Method::POST, path, Some(&token), Some(body), 200)
                .await
            else {
                return done;
            };
            if let Some(result) = result
                && !self.expect_result(who, &answer, result)
            {
                return done;
            }
        }
        let Some(phone) = self
            .call(
                who,
                Method::POST,
                "/api/v1/proofing/phone",
                Some(&token),
                Some(json!({"phone": who.phone})),
                200,
            )
            .await
        else {
            return done;
        };
        if who.by_mail {
            if self.expect_result(who, &phone, "not_matched")
                && self
                    .call(
                        who,
                        Method::POST,
                        "/api/v1/proofing/mail",
                        Some(&token),
                        None,
                        202,
                    )
                    .await
                    .is_some()
            {
                done.letter_queued = true;
                self.letters.fetch_add(1, Ordering::SeqCst);
            }
            return done;
        }
        if !self.expect_result(who, &phone, "code_sent") {
            return done;
        }
        let Some(code) = self.outbox.code_for(&who.phone, &self.killed).await else {
            if !self.killed.load(Ordering::SeqCst) {
                self.note(who, "no texted code".into());
            }
            return done;
        };
        if let Some(answer) = self
            .call(
                who,
                Method::POST,
                "/api/v1/proofing/phone/confirm",
                Some(&token),
                Some(json!({"code": code})),
                200,
            )
            .await
            && self.expect_result(who, &answer, "verified")
        {
            done.verified_online = true;
        }
        done
    }
}

pub(crate) async fn killed_mid_journey_loses_nothing(backend: Backend) {
    let _one = ONE_AT_A_TIME.lock().await;
    let started = Instant::now();
    let deployment = deployment(&backend).await;

    // The reference records of a synthetic population, loaded with the real import.
    let population = deployment.data_dir().join("population");
    let population_arg = population.to_str().expect("utf-8 path");
    deployment.cli(&[
        "records",
        "generate",
        "--people",
        "260",
        "--out",
        population_arg,
    ]);
    for kind in ["tax-returns", "financial-accounts", "phone-records"] {
        let file = population.join(format!("{kind}.jsonl"));
        let report = deployment.cli(&["records", "import", kind, file.to_str().expect("path")]);
        assert!(report.contains("rejected 0"), "{kind}: {report}");
    }
    let people = applicants(&population, CLIENTS);
    let by_mail = people.iter().filter(|p| p.by_mail).count();

    let mut server = deployment.start().await;
    let journeys = Arc::new(Journeys {
        base: server.base.clone(),
        http: api_client(),
        outbox: OutboxTail::new(deployment.data_dir().join("outbox.jsonl")),
        killed: AtomicBool::new(false),
        successes: AtomicUsize::new(0),
        letters: AtomicUsize::new(0),
        unexpected: Mutex::new(Vec::new()),
    });
    let mut tasks = tokio::task::JoinSet::new();
    for (index, person) in people.iter().cloned().enumerate() {
        let journeys = journeys.clone();
        tasks.spawn(async move { (index, journeys.journey(&person).await) });
    }

    // Kill when half of the letters are answered: sign-ups, proofing steps, letters and
    // deliveries are all in flight then.
    let kill_at = by_mail.div_ceil(2);
    let deadline = Instant::now() + Duration::from_secs(60);
    while journeys.letters.load(Ordering::SeqCst) < kill_at {
        assert!(
            Instant::now() < deadline,
            "only {} letters in 60 s; unexpected answers: {:?}\n{}",
            journeys.letters.load(Ordering::SeqCst),
            journeys.unexpected.lock().expect("list"),
            server.log_tail()
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    journeys.killed.store(true, Ordering::SeqCst);
    server.kill();
    let killed_after = started.elapsed();
    let mut answered = vec![Answered::default(); people.len()];
    while let Some(joined) = tasks.join_next().await {
        let (index, done) = joined.expect("client task");
        answered[index] = done;
    }
    let unexpected = journeys.unexpected.lock().expect("list").clone();
    assert!(
        unexpected.is_empty(),
        "answers other than success before the kill: {unexpected:#?}"
    );
    let signed_up = answered.iter().filter(|a| a.signed_up).count();
    let verified = answered.iter().filter(|a| a.verified_online).count();
    let letters = answered.iter().filter(|a| a.letter_queued).count();
    let finished = verified + letters;
    eprintln!(
        "{backend:?}: killed after {:.1} s with {} successful answers: {signed_up} sign-ups, \
         {verified} verified online, {letters}/{by_mail} letters; {} journeys were cut short",
        killed_after.as_secs_f64(),
        journeys.successes.load(Ordering::SeqCst),
        signed_up - finished,
    );
    assert!(
        signed_up > finished,
        "the kill should land while journeys are in flight"
    );

    // Start again on the same data.
    let server = deployment.start().await;
    let http = api_client();

    // Every answered sign-up signs in; answered verifications and letters are there,
    // each letter once (4 a month: 3 left means exactly one).
    let mut checks = tokio::task::JoinSet::new();
    let limit = Arc::new(tokio::sync::Semaphore::new(8));
    for (person, done) in people.iter().zip(&answered) {
        if !done.signed_up {
            continue;
        }
        let (http, base, limit) = (http.clone(), server.base.clone(), limit.clone());
        let (person, done) = (person.clone(), *done);
        checks.spawn(async move {
            let _slot = limit.acquire_owned().await.expect("slot");
            let signed_in = http
                .post(format!("{base}/api/v1/sessions"))
                .json(&json!({"username": person.username, "password": PASSWORD}))
                .send()
                .await
                .expect("sign-in sent");
            let status = signed_in.status();
            let body: Value = signed_in.json().await.unwrap_or(Value::Null);
            if status != 200 {
                return Err(format!(
                    "{} cannot sign in: {status} {body}",
                    person.username
                ));
            }
            if !(done.verified_online || done.letter_queued) {
                return Ok(());
            }
            let token = body["session_token"].as_str().unwrap_or_default();
            let proofing: Value = http
                .get(format!("{base}/api/v1/proofing"))
                .bearer_auth(token)
                .send()
                .await
                .expect("proofing state")
                .json()
                .await
                .expect("proofing JSON");
            if done.verified_online && proofing["state"] != "verified" {
                return Err(format!(
                    "{} lost its verification: {proofing}",
                    person.username
                ));
            }
            if done.letter_queued
                && (!proofing["letter_expires_at"].is_string()
                    || proofing["attempts_remaining"]["letters"] != LETTERS_PER_30_DAYS - 1)
            {
                return Err(format!(
                    "{} should have exactly one letter: {proofing}",
                    person.username
                ));
            }
            Ok(())
        });
    }
    let mut failures = Vec::new();
    while let Some(joined) = checks.join_next().await {
        if let Err(failure) = joined.expect("check task") {
            failures.push(failure);
        }
    }
    assert!(failures.is_empty(), "after the restart: {failures:#?}");

    // No account has two letters (requests in flight at the kill may have committed one).
    let letters_in_db = deployment.count("SELECT COUNT(*) FROM letters").await;
    let doubled = deployment
        .count(
            "SELECT COUNT(*) FROM (SELECT account_id FROM letters GROUP BY account_id \
             HAVING COUNT(*) > 1) doubled",
        )
        .await;
    assert_eq!(doubled, 0, "accounts with more than one letter");
    assert!(letters_in_db >= letters as i64);

    // The outbox drains: nothing pending, nothing given up.
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let pending = deployment
            .count("SELECT COUNT(*) FROM outbox WHERE status = 'pending'")
            .await;
        if pending == 0 {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "{pending} messages still pending 30 s after the restart"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let dead = deployment
        .count("SELECT COUNT(*) FROM outbox WHERE status = 'dead'")
        .await;
    assert_eq!(dead, 0, "messages given up");
    let sent = deployment
        .count("SELECT COUNT(*) FROM outbox WHERE status = 'sent'")
        .await;

    // Each committed message delivered once: lines = rows sent, each code once.
    let (messages, torn) = outbox_lines(&deployment.data_dir().join("outbox.jsonl"));
    assert!(torn.is_empty(), "torn outbox lines: {torn:?}");
    let mut copies: HashMap<String, usize> = HashMap::new();
    for message in &messages {
        let mut key = message.clone();
        if let Some(fields) = key.as_object_mut() {
            fields.remove("at");
        }
        *copies.entry(key.to_string()).or_default() += 1;
    }
    let duplicates: Vec<(&String, &usize)> = copies.iter().filter(|(_, n)| **n > 1).collect();
    assert!(
        messages.len() as i64 == sent && duplicates.is_empty(),
        "{} outbox lines for {sent} messages marked sent; duplicates: {duplicates:?}",
        messages.len()
    );
    let ids: HashSet<&str> = messages.iter().filter_map(|m| m["id"].as_str()).collect();
    assert_eq!(
        ids.len(),
        messages.len(),
        "every line names its own message id"
    );
    // Each code reaches its recipient once (two people may draw the same six digits).
    let mut codes: HashMap<(String, String, String), usize> = HashMap::new();
    for message in &messages {
        if let Some(code) = message["code"].as_str() {
            let key = (
                message["channel"].to_string(),
                message["to"].to_string(),
                code.to_owned(),
            );
            *codes.entry(key).or_default() += 1;
        }
    }
    let repeated: Vec<_> = codes.iter().filter(|(_, n)| **n > 1).collect();
    assert!(
        repeated.is_empty(),
        "codes sent twice to the same recipient: {repeated:?}"
    );
    let of = |template: &'static str| messages.iter().filter(move |m| m["template"] == template);
    let activation_letters: HashSet<&str> = of("activation_letter")
        .filter_map(|m| m["code"].as_str())
        .collect();
    assert_eq!(
        activation_letters.len() as i64,
        letters_in_db,
        "one activation letter per letter row"
    );
    for (person, done) in people.iter().zip(&answered) {
        if done.signed_up {
            assert!(
                of("email_confirmation").any(|m| m["to"] == person.email.as_str()),
                "{} never got the confirmation email",
                person.username
            );
        }
        if done.letter_queued {
            assert!(
                of("letter_mailed").any(|m| m["to"] == person.email.as_str()),
                "{} never got the letter-mailed email",
                person.username
            );
        }
    }

    // `letters print`: the first run prints every letter once, the second prints none.
    let first = deployment.cli(&["letters", "print"]);
    let printed: i64 = first
        .split_whitespace()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("unexpected `letters print` output: {first}"));
    assert_eq!(printed, letters_in_db, "{first}");
    let csv_path = first
        .lines()
        .find_map(|line| line.trim().strip_prefix("CSV manifest: "))
        .unwrap_or_else(|| panic!("no CSV manifest in: {first}"));
    let manifest = std::fs::read_to_string(csv_path.trim()).expect("CSV manifest");
    let ids: Vec<&str> = manifest
        .lines()
        .skip(1)
        .filter_map(|row| row.split(',').next())
        .collect();
    let unique: HashSet<&&str> = ids.iter().collect();
    assert_eq!(ids.len() as i64, letters_in_db, "manifest rows");
    assert_eq!(unique.len(), ids.len(), "a letter listed twice: {manifest}");
    let second = deployment.cli(&["letters", "print"]);
    assert!(
        second.contains("no letters waiting to be printed"),
        "second run printed again: {second}"
    );

    server.stop().await;
    deployment.finish().await;
    eprintln!(
        "{backend:?}: kill test passed in {:.1} s ({} outbox messages, {letters_in_db} letters)",
        started.elapsed().as_secs_f64(),
        messages.len()
    );
}
