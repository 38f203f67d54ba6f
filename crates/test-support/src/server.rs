//! The real server, started in-process on a free port with a manual clock, against
//! SQLite (a temporary directory) or a fresh PostgreSQL database; and the dev outbox
//! read the way a person reads their email and texts.

use sa_domain::clock::ManualClock;
use secure_access::{Config, RunningServer};
use serde_json::Value;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration as StdDuration;
use tempfile::TempDir;

use crate::databases::{TestDatabase, postgres_admin_url};

/// Which database a test runs on.
#[derive(Clone, Debug)]
pub enum Backend {
    Sqlite,
    Postgres(String),
}

impl Backend {
    /// PostgreSQL from `SA_TEST_POSTGRES_URL`, or `None` (with a printed notice).
    pub fn postgres() -> Option<Self> {
        postgres_admin_url().map(Self::Postgres)
    }
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
    pg: Option<TestDatabase>,
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
                let db = TestDatabase::create(&admin_url, "sa_test").await;
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

    /// The origin passkeys answer for: the server's address as `localhost` (browsers
    /// refuse an IP address as a WebAuthn RP id, so the server serves loopback so).
    pub fn passkey_origin(&self) -> String {
        self.base.replace("127.0.0.1", "localhost")
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// A connection straight to the server's database, as someone with database access
    /// would open it (for checks of what is stored).
    pub async fn database(&self) -> sqlx::AnyConnection {
        use sqlx::Connection;
        sqlx::any::install_default_drivers();
        sqlx::AnyConnection::connect(&self.config.database_url())
            .await
            .expect("open the database")
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

    /// Every message delivered so far (the dev outbox, one JSON object per line). A
    /// line the delivery worker is still writing (no newline yet) is not read yet.
    pub fn outbox(&self) -> Vec<Value> {
        let text = std::fs::read_to_string(self.outbox_path()).unwrap_or_default();
        let complete = text.rfind('\n').map_or("", |end| &text[..end]);
        complete
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

    /// Move the clock to the next 30-second step: each app code is accepted once.
    pub fn next_totp_step(&self) {
        self.clock.advance(time::Duration::seconds(30));
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

    /// The authenticator code `steps` 30-second steps from now.
    pub fn totp_at(&self, secret_base32: &str, steps: i64) -> String {
        use sa_domain::clock::Clock;
        let secret = data_encoding_decode(secret_base32);
        let at = self.clock.now().unix_timestamp() + steps * 30;
        sa_domain::totp::code_at(&secret, at as u64)
    }
}

fn data_encoding_decode(base32: &str) -> Vec<u8> {
    totp_rs::Secret::try_from_base32(base32)
        .expect("valid base32 secret")
        .as_bytes()
        .to_vec()
}
