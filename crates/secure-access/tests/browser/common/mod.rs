//! The server side of the browser tests: the real server started in-process on a free
//! port with a manual clock and a temporary SQLite data directory, the dev outbox read
//! the way a person reads their email and texts, and accounts made through the JSON API
//! when a journey needs one that already exists.
//!
//! Copied from the integration target's harness on purpose (each test target is its own
//! crate): only what the browser journeys use, SQLite only.
#![allow(dead_code)]

use sa_domain::clock::{Clock, ManualClock};
use secure_access::{Config, RunningServer};
use serde_json::{Value, json};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration as StdDuration;
use tempfile::TempDir;

pub mod app;
pub mod applicant;

/// The start of every test's clock: a fixed instant, so runs are repeatable.
pub fn test_epoch() -> time::OffsetDateTime {
    time::macros::datetime!(2026-03-02 15:00:00 UTC)
}

pub struct TestServer {
    pub base: String,
    pub clock: ManualClock,
    pub data_dir: TempDir,
    pub config: Config,
    server: Option<RunningServer>,
}

impl TestServer {
    /// Start with a configuration tweak (identity verification is off unless turned on).
    pub async fn start_with(tweak: impl FnOnce(&mut Config)) -> Self {
        let data_dir = tempfile::tempdir().expect("temp dir");
        let mut config = Config {
            listen: "127.0.0.1:0".parse().expect("addr"),
            data_dir: data_dir.path().to_path_buf(),
            hashing_concurrency: Some(2),
            ..Config::default()
        };
        config.delivery.poll_interval_ms = 50;
        config.require_identity_verification = false;
        tweak(&mut config);
        let clock = ManualClock::new(test_epoch());
        let server = secure_access::start(config.clone(), Arc::new(clock.clone()), false)
            .await
            .expect("server starts");
        Self {
            base: format!("http://{}", server.addr),
            clock,
            data_dir,
            config,
            server: Some(server),
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    pub fn running(&self) -> &RunningServer {
        self.server.as_ref().expect("server running")
    }

    pub async fn finish(mut self) {
        if let Some(server) = self.server.take() {
            server.stop().await.expect("clean stop");
        }
    }

    pub fn outbox_path(&self) -> PathBuf {
        self.config.outbox_file()
    }

    /// Every message delivered so far (the dev outbox, one JSON object per line).
    pub fn outbox(&self) -> Vec<Value> {
        std::fs::read_to_string(self.outbox_path())
            .unwrap_or_default()
            .lines()
            .map(|line| serde_json::from_str(line).expect("outbox line is JSON"))
            .collect()
    }

    /// How many messages have been delivered; pass to [`TestServer::code_after`].
    pub fn outbox_mark(&self) -> usize {
        self.outbox().len()
    }

    /// Wait (bounded) for the first message to `to` delivered after `mark`.
    pub async fn message_after(&self, mark: usize, to: &str) -> Value {
        for _ in 0..200 {
            if let Some(message) = self.outbox().into_iter().skip(mark).find(|m| m["to"] == to) {
                return message;
            }
            tokio::time::sleep(StdDuration::from_millis(25)).await;
        }
        panic!("no message to {to} after mark {mark}");
    }

    /// The code in the first message to `to` after `mark`.
    pub async fn code_after(&self, mark: usize, to: &str) -> String {
        let message = self.message_after(mark, to).await;
        message["code"]
            .as_str()
            .expect("message carries a code")
            .to_owned()
    }

    /// Wait (bounded) until at least `count` letters are in the outbox; returns them all.
    pub async fn letters(&self, count: usize) -> Vec<Value> {
        for _ in 0..200 {
            let letters: Vec<Value> = self
                .outbox()
                .into_iter()
                .filter(|m| m["channel"] == "letter")
                .collect();
            if letters.len() >= count {
                return letters;
            }
            tokio::time::sleep(StdDuration::from_millis(25)).await;
        }
        panic!("expected {count} letters in the outbox");
    }

    /// The current authenticator code for a base32 secret, by the server's clock.
    pub fn totp_now(&self, secret_base32: &str) -> String {
        let secret = totp_rs::Secret::Encoded(secret_base32.to_owned())
            .to_bytes()
            .expect("valid base32 secret");
        let at = self.clock.now().unix_timestamp();
        sa_domain::totp::code_at(&secret, at as u64)
    }

    /// Move the clock to the next 30-second step: each app code is accepted once.
    pub fn next_totp_step(&self) {
        self.clock.advance(time::Duration::seconds(30));
    }
}

/// A person's made-up details.
pub struct Person {
    pub username: String,
    pub email: String,
    pub password: String,
}

impl Person {
    pub fn new(name: &str) -> Self {
        Self {
            username: name.to_owned(),
            email: format!("{name}@example.test"),
            password: "violet harbor piano meadow".to_owned(),
        }
    }
}

/// An HTTP client for the JSON API and the token endpoint (no redirects followed).
pub fn api_client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .user_agent("sa-browser-tests/1.0 (api)")
        .build()
        .expect("client")
}

/// An API call, asserting the status; returns the JSON body (or `Null` for no body).
pub async fn call(
    client: &reqwest::Client,
    method: reqwest::Method,
    url: String,
    token: Option<&str>,
    body: Option<Value>,
    expected: u16,
) -> Value {
    let mut request = client.request(method.clone(), &url);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.expect("request sent");
    let status = response.status().as_u16();
    let text = response.text().await.expect("body");
    assert_eq!(status, expected, "{method} {url} answered {status}: {text}");
    if text.is_empty() {
        Value::Null
    } else {
        serde_json::from_str(&text).expect("JSON body")
    }
}

/// Sign up through the API and confirm the email; returns the enrolling session token.
pub async fn api_sign_up_confirmed(server: &TestServer, person: &Person) -> String {
    let client = api_client();
    let mark = server.outbox_mark();
    let created = call(
        &client,
        reqwest::Method::POST,
        server.url("/api/v1/accounts"),
        None,
        Some(json!({"username": person.username, "email": person.email, "password": person.password})),
        201,
    )
    .await;
    let token = created["session_token"].as_str().expect("token").to_owned();
    let code = server.code_after(mark, &person.email).await;
    let confirmed = call(
        &client,
        reqwest::Method::POST,
        server.url("/api/v1/accounts/email/confirm"),
        Some(&token),
        Some(json!({"code": code})),
        200,
    )
    .await;
    assert_eq!(confirmed["next"], "setup_second_factor");
    token
}

/// An account whose ways in are a phone for texts and ten backup codes, made through
/// the API; returns the backup codes.
pub async fn api_account_with_phone_and_backup_codes(
    server: &TestServer,
    person: &Person,
    phone: &str,
) -> Vec<String> {
    let client = api_client();
    let token = api_sign_up_confirmed(server, person).await;
    let mark = server.outbox_mark();
    let added = call(
        &client,
        reqwest::Method::POST,
        server.url("/api/v1/factors/phones"),
        Some(&token),
        Some(json!({"phone": phone})),
        201,
    )
    .await;
    let code = server.code_after(mark, phone).await;
    let id = added["factor_id"].as_str().expect("factor id");
    let confirmed = call(
        &client,
        reqwest::Method::POST,
        server.url(&format!("/api/v1/factors/phones/{id}/confirm")),
        Some(&token),
        Some(json!({"code": code})),
        200,
    )
    .await;
    let token = confirmed["session_token"]
        .as_str()
        .expect("signed in by the first factor");
    let backup = call(
        &client,
        reqwest::Method::POST,
        server.url("/api/v1/factors/backup-codes"),
        Some(token),
        None,
        201,
    )
    .await;
    backup["codes"]
        .as_array()
        .expect("codes")
        .iter()
        .map(|c| c.as_str().expect("code").to_owned())
        .collect()
}

/// An account with an authenticator app, made through the API; returns its secret.
pub async fn api_account_with_totp(server: &TestServer, person: &Person) -> String {
    let client = api_client();
    let token = api_sign_up_confirmed(server, person).await;
    let begun = call(
        &client,
        reqwest::Method::POST,
        server.url("/api/v1/factors/totp"),
        Some(&token),
        None,
        201,
    )
    .await;
    let secret = begun["secret"].as_str().expect("secret").to_owned();
    let factor_id = begun["factor_id"].as_str().expect("id");
    call(
        &client,
        reqwest::Method::POST,
        server.url(&format!("/api/v1/factors/totp/{factor_id}/confirm")),
        Some(&token),
        Some(json!({"code": server.totp_now(&secret)})),
        200,
    )
    .await;
    server.next_totp_step();
    secret
}
