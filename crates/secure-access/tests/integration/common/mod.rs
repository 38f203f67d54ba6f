//! Shared test harness: start the real server on a free port with a manual clock,
//! against SQLite (a temp directory) or a fresh PostgreSQL database, and read the dev
//! outbox the way a person reads their email.
#![allow(dead_code)]

use sa_domain::clock::ManualClock;
use secure_access::{Config, RunningServer};
use serde_json::{Value, json};
use sqlx::Connection;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration as StdDuration;
use tempfile::TempDir;

pub mod applicant;
pub mod oidc;
pub mod pages;
pub mod staff;

/// Which database a test runs on.
#[derive(Clone, Debug)]
pub enum Backend {
    Sqlite,
    Postgres(String),
}

impl Backend {
    /// PostgreSQL from `SA_TEST_POSTGRES_URL`, or `None` (with a printed notice).
    pub fn postgres() -> Option<Self> {
        match std::env::var("SA_TEST_POSTGRES_URL") {
            Ok(url) if !url.is_empty() => Some(Self::Postgres(url)),
            _ => {
                eprintln!(
                    "postgres tests skipped: set SA_TEST_POSTGRES_URL (e.g. postgres://postgres@127.0.0.1:5432/postgres)"
                );
                None
            }
        }
    }
}

/// Run each named async test function (taking a `Backend`) on SQLite and on PostgreSQL.
#[macro_export]
macro_rules! on_both_databases {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    super::$name($crate::common::Backend::Sqlite).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    if let Some(backend) = $crate::common::Backend::postgres() {
                        super::$name(backend).await;
                    }
                }
            )*
        }
    };
}

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
    pg: Option<PgDatabase>,
}

struct PgDatabase {
    admin_url: String,
    name: String,
}

impl TestServer {
    pub async fn start(backend: Backend) -> Self {
        Self::start_with(backend, |_| {}).await
    }

    /// Start with a configuration tweak.
    pub async fn start_with(backend: Backend, tweak: impl FnOnce(&mut Config)) -> Self {
        let data_dir = tempfile::tempdir().expect("temp dir");
        let mut config = Config {
            listen: "127.0.0.1:0".parse().expect("addr"),
            data_dir: data_dir.path().to_path_buf(),
            hashing_concurrency: Some(2),
            ..Config::default()
        };
        config.delivery.poll_interval_ms = 50;
        // Most suites test the auth-only journey; proofing suites turn this back on.
        config.require_identity_verification = false;
        let pg = match backend {
            Backend::Sqlite => None,
            Backend::Postgres(admin_url) => {
                let db = PgDatabase::create(&admin_url).await;
                config.database_url = Some(db.url());
                config.database_max_connections = 5;
                Some(db)
            }
        };
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
            pg,
        }
    }

    /// The server's (manual) clock.
    pub fn clock_now(&self) -> time::OffsetDateTime {
        use sa_domain::clock::Clock;
        self.clock.now()
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    pub fn running(&self) -> &RunningServer {
        self.server.as_ref().expect("server running")
    }

    /// Stop and start again on the same data (same database, keys and outbox).
    pub async fn restart(&mut self) {
        if let Some(server) = self.server.take() {
            server.stop().await.expect("clean stop");
        }
        let mut config = self.config.clone();
        config.listen = "127.0.0.1:0".parse().expect("addr");
        let server = secure_access::start(config, Arc::new(self.clock.clone()), false)
            .await
            .expect("restart");
        self.base = format!("http://{}", server.addr);
        self.server = Some(server);
    }

    /// Stop the server and drop the test database.
    pub async fn finish(mut self) {
        if let Some(server) = self.server.take() {
            server.stop().await.expect("clean stop");
        }
        if let Some(pg) = self.pg.take() {
            pg.drop_database().await;
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

    /// How many messages have been delivered; pass to [`TestServer::message_after`].
    pub fn outbox_mark(&self) -> usize {
        self.outbox().len()
    }

    /// Wait (bounded) until every committed message has been delivered, then mark: a
    /// plain [`TestServer::outbox_mark`] taken while earlier messages are still on
    /// their way would count them as later ones.
    pub async fn settled_outbox_mark(&self) -> usize {
        use sa_domain::store::OutboxStore as _;
        for _ in 0..200 {
            if self
                .running()
                .store
                .pending_count()
                .await
                .expect("pending count")
                == 0
            {
                return self.outbox_mark();
            }
            tokio::time::sleep(StdDuration::from_millis(25)).await;
        }
        panic!("the outbox did not settle");
    }

    /// Wait (bounded) for the first message to `to` delivered after `mark`.
    pub async fn message_after(&self, mark: usize, to: &str) -> Value {
        for _ in 0..200 {
            if let Some(message) = self.outbox().into_iter().skip(mark).find(|m| m["to"] == to) {
                return message;
            }
            tokio::time::sleep(StdDuration::from_millis(25)).await;
        }
        panic!(
            "no message to {to} after mark {mark}; outbox: {:?}",
            self.outbox()
        );
    }

    /// Wait (bounded) until `count` messages with this template have been delivered to
    /// `to`, and return them. Delivery is in creation order, so once a later message has
    /// arrived every earlier one has too.
    pub async fn messages_with(&self, template: &str, to: &str, count: usize) -> Vec<Value> {
        let matching = || -> Vec<Value> {
            self.outbox()
                .into_iter()
                .filter(|m| m["template"] == template && m["to"] == to)
                .collect()
        };
        for _ in 0..200 {
            let found = matching();
            if found.len() >= count {
                return found;
            }
            tokio::time::sleep(StdDuration::from_millis(25)).await;
        }
        panic!(
            "expected {count} {template} messages to {to}; outbox: {:?}",
            self.outbox()
        );
    }

    /// The code in the first message to `to` after `mark`.
    pub async fn code_after(&self, mark: usize, to: &str) -> String {
        let message = self.message_after(mark, to).await;
        message["code"]
            .as_str()
            .expect("message carries a code")
            .to_owned()
    }

    /// The current authenticator code for a base32 secret, by the server's clock.
    pub fn totp_now(&self, secret_base32: &str) -> String {
        self.totp_at(secret_base32, 0)
    }

    /// The authenticator code `steps` 30-second steps from now.
    pub fn totp_at(&self, secret_base32: &str, steps: i64) -> String {
        use sa_domain::clock::Clock;
        let secret = data_encoding_decode(secret_base32);
        let at = self.clock.now().unix_timestamp() + steps * 30;
        sa_domain::totp::code_at(&secret, at as u64)
    }
}

fn data_encoding_decode(base32: &str) -> Vec<u8> {
    let totp = totp_rs::Secret::Encoded(base32.to_owned());
    totp.to_bytes().expect("valid base32 secret")
}

impl PgDatabase {
    async fn create(admin_url: &str) -> Self {
        let name = format!(
            "sa_test_{}",
            sa_domain::keys::hex(&sa_domain::keys::random_bytes::<6>()[..])
        );
        let mut conn = sqlx::PgConnection::connect(admin_url)
            .await
            .expect("connect to SA_TEST_POSTGRES_URL");
        sqlx::query(&format!("CREATE DATABASE {name}"))
            .execute(&mut conn)
            .await
            .expect("create test database");
        conn.close().await.ok();
        Self {
            admin_url: admin_url.to_owned(),
            name,
        }
    }

    fn url(&self) -> String {
        let (without_query, query) = match self.admin_url.split_once('?') {
            Some((base, query)) => (base, format!("?{query}")),
            None => (self.admin_url.as_str(), String::new()),
        };
        let base = without_query
            .rsplit_once('/')
            .map(|(base, _)| base)
            .unwrap_or(without_query);
        format!("{base}/{}{query}", self.name)
    }

    async fn drop_database(self) {
        if let Ok(mut conn) = sqlx::PgConnection::connect(&self.admin_url).await {
            let _ = sqlx::query(&format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                self.name
            ))
            .execute(&mut conn)
            .await;
            conn.close().await.ok();
        }
    }
}

/// An HTTP client for the JSON API (no cookies, no redirects followed).
pub fn api_client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .user_agent("sa-tests/1.0 (api)")
        .build()
        .expect("client")
}

/// A browser-like client: a cookie jar, no automatic redirects.
pub fn browser(user_agent: &str) -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(user_agent)
        .build()
        .expect("client")
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

/// API calls, asserting the status; returns the JSON body (or `Null` for no body).
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
pub async fn sign_up_confirmed(
    server: &TestServer,
    client: &reqwest::Client,
    person: &Person,
) -> String {
    sign_up_and_confirm(server, client, person, "setup_second_factor").await
}

/// Sign up through the API and confirm the email, expecting `next` afterwards; returns
/// the session token.
pub async fn sign_up_and_confirm(
    server: &TestServer,
    client: &reqwest::Client,
    person: &Person,
    next: &str,
) -> String {
    let mark = server.outbox_mark();
    let created = call(
        client,
        reqwest::Method::POST,
        server.url("/api/v1/accounts"),
        None,
        Some(json!({"username": person.username, "email": person.email, "password": person.password})),
        201,
    )
    .await;
    assert_eq!(created["next"], "confirm_email");
    let token = created["session_token"].as_str().expect("token").to_owned();
    let code = server.code_after(mark, &person.email).await;
    let confirmed = call(
        client,
        reqwest::Method::POST,
        server.url("/api/v1/accounts/email/confirm"),
        Some(&token),
        Some(json!({"code": code})),
        200,
    )
    .await;
    assert_eq!(confirmed["next"], next);
    token
}

/// A complete account with an authenticator app; returns (session token, TOTP secret).
pub async fn account_with_totp(
    server: &TestServer,
    client: &reqwest::Client,
    person: &Person,
) -> (String, String) {
    let token = sign_up_confirmed(server, client, person).await;
    let begun = call(
        client,
        reqwest::Method::POST,
        server.url("/api/v1/factors/totp"),
        Some(&token),
        None,
        201,
    )
    .await;
    let secret = begun["secret"].as_str().expect("secret").to_owned();
    let factor_id = begun["factor_id"].as_str().expect("id").to_owned();
    let confirmed = call(
        client,
        reqwest::Method::POST,
        server.url(&format!("/api/v1/factors/totp/{factor_id}/confirm")),
        Some(&token),
        Some(json!({"code": server.totp_now(&secret)})),
        200,
    )
    .await;
    assert_eq!(confirmed["next"], "done");
    let token = confirmed["session_token"]
        .as_str()
        .expect("new token after first factor")
        .to_owned();
    // Codes are single use: move to the next step so later tests get fresh codes.
    server.clock.advance(time::Duration::seconds(30));
    (token, secret)
}

/// `POST /api/v1/sessions/second-factor`, asserting the status.
pub async fn second_factor(
    server: &TestServer,
    client: &reqwest::Client,
    token: &str,
    method: &str,
    code: &str,
    status: u16,
) -> Value {
    call(
        client,
        reqwest::Method::POST,
        server.url("/api/v1/sessions/second-factor"),
        Some(token),
        Some(json!({"method": method, "code": code})),
        status,
    )
    .await
}

/// A complete sign-in with password and the current app code; returns the new token.
pub async fn sign_in_with_app(
    server: &TestServer,
    client: &reqwest::Client,
    person: &Person,
    secret: &str,
) -> String {
    let started = password_step(server, client, person).await;
    let pending = started["session_token"].as_str().expect("token");
    let verified = second_factor(
        server,
        client,
        pending,
        "totp",
        &server.totp_now(secret),
        200,
    )
    .await;
    verified["session_token"]
        .as_str()
        .expect("new token")
        .to_owned()
}

/// Add a phone and confirm it with the texted code; returns the confirmation answer
/// (`factor_id`, `next`, and `session_token` if this was the first factor).
pub async fn add_confirmed_phone(
    server: &TestServer,
    client: &reqwest::Client,
    token: &str,
    phone: &str,
) -> Value {
    let mark = server.outbox_mark();
    let added = call(
        client,
        reqwest::Method::POST,
        server.url("/api/v1/factors/phones"),
        Some(token),
        Some(json!({"phone": phone})),
        201,
    )
    .await;
    assert_eq!(added["result"], "code_sent");
    let text = server.message_after(mark, phone).await;
    assert_eq!(text["channel"], "sms");
    let id = added["factor_id"].as_str().expect("factor id");
    call(
        client,
        reqwest::Method::POST,
        server.url(&format!("/api/v1/factors/phones/{id}/confirm")),
        Some(token),
        Some(json!({"code": text["code"]})),
        200,
    )
    .await
}

/// Sign in with username and password; returns the token awaiting a second factor.
pub async fn password_step(
    server: &TestServer,
    client: &reqwest::Client,
    person: &Person,
) -> Value {
    call(
        client,
        reqwest::Method::POST,
        server.url("/api/v1/sessions"),
        None,
        Some(json!({"username": person.username, "password": person.password})),
        200,
    )
    .await
}
