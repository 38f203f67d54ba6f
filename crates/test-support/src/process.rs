//! The real binary as a child process: a deployment (a data directory and a database,
//! SQLite or a fresh PostgreSQL one), `secure-access serve` started from it on a free
//! port and configured through `SA_*` variables exactly as in production, and command
//! line tools run against it. Several servers may be started from one deployment: they
//! share its data directory (keys file, development outbox) and its database, as
//! instances behind a load balancer would.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use sqlx::Connection;
use tempfile::TempDir;

use crate::databases::TestDatabase;
use crate::server::Backend;

/// A data directory and its database (a fresh PostgreSQL database, dropped at the end).
pub struct Deployment {
    bin: PathBuf,
    dir: TempDir,
    pub database_url: String,
    postgres: Option<TestDatabase>,
    settings: Vec<(String, String)>,
}

impl Deployment {
    /// A deployment of the binary `bin` (the test's `env!("CARGO_BIN_EXE_secure-access")`).
    pub async fn new(bin: &str, backend: &Backend) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let (database_url, postgres) = match backend {
            Backend::Sqlite => (
                format!("sqlite://{}", dir.path().join("secure-access.db").display()),
                None,
            ),
            Backend::Postgres(admin_url) => {
                let database = TestDatabase::create(admin_url, "sa_process").await;
                (database.url(), Some(database))
            }
        };
        Self {
            bin: PathBuf::from(bin),
            dir,
            database_url,
            postgres,
            settings: Vec::new(),
        }
    }

    /// Add a setting (`SA_…` variable) every command and server of this deployment gets.
    pub fn set(&mut self, key: &str, value: &str) {
        self.settings.push((key.to_owned(), value.to_owned()));
    }

    pub fn data_dir(&self) -> &Path {
        self.dir.path()
    }

    /// The PostgreSQL database, when the deployment has one.
    pub fn postgres(&self) -> Option<&TestDatabase> {
        self.postgres.as_ref()
    }

    /// The binary with this deployment's configuration (and no `SA_*` from the test's
    /// own environment).
    pub fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(&self.bin);
        for (key, _) in std::env::vars() {
            if key.starts_with("SA_") {
                command.env_remove(key);
            }
        }
        command
            .args(args)
            .env("SA_DATA_DIR", self.data_dir())
            .env("SA_DATABASE_URL", &self.database_url)
            .env("SA_DATABASE_MAX_CONNECTIONS", "5")
            .env("SA_DELIVERY__POLL_INTERVAL_MS", "50")
            // A claim held by a killed process lapses within seconds.
            .env("SA_DELIVERY__CLAIM_SECS", "3")
            .env("SA_DELIVERY__REQUEST_TIMEOUT_SECS", "1")
            .env("NO_COLOR", "1");
        for (key, value) in &self.settings {
            command.env(key, value);
        }
        command
    }

    /// Run a command-line tool to the end; returns its standard output.
    pub fn cli(&self, args: &[&str]) -> String {
        let output = self
            .command(args)
            .stdin(Stdio::null())
            .output()
            .expect("run secure-access");
        let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
        assert!(
            output.status.success(),
            "secure-access {args:?} failed: {}\n{stdout}\n{}",
            output.status,
            String::from_utf8_lossy(&output.stderr)
        );
        stdout
    }

    /// Start `secure-access serve` on a free port and wait until it is ready.
    pub async fn start(&self) -> ServerProcess {
        let mut server = self.spawn(&[]);
        server.wait_ready().await;
        server
    }

    /// Start `secure-access serve` with extra settings, without waiting for readiness
    /// (for a server that is expected not to become ready).
    pub fn spawn(&self, extra: &[(&str, &str)]) -> ServerProcess {
        let port = free_port();
        let log_path = self.data_dir().join(format!("server-{port}.log"));
        let log = std::fs::File::create(&log_path).expect("server log");
        let mut command = self.command(&["serve"]);
        command
            .env("SA_LISTEN", format!("127.0.0.1:{port}"))
            .stdin(Stdio::null())
            .stdout(log.try_clone().expect("log handle"))
            .stderr(log);
        for (key, value) in extra {
            command.env(key, value);
        }
        let child = command.spawn().expect("start secure-access serve");
        ServerProcess {
            child,
            base: format!("http://127.0.0.1:{port}"),
            log: log_path,
        }
    }

    /// A connection to the database, for the checks that count rows.
    pub async fn database(&self) -> sqlx::AnyConnection {
        sqlx::any::install_default_drivers();
        sqlx::AnyConnection::connect(&self.database_url)
            .await
            .expect("connect to the test database")
    }

    /// One number from the database (`SELECT COUNT(*) ...`).
    pub async fn count(&self, sql: &'static str) -> i64 {
        let mut db = self.database().await;
        let count: i64 = sqlx::query_scalar(sql)
            .fetch_one(&mut db)
            .await
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
        db.close().await.ok();
        count
    }

    /// Drop the PostgreSQL database.
    pub async fn finish(mut self) {
        if let Some(database) = self.postgres.take() {
            database.drop_database().await;
        }
    }
}

impl Drop for Deployment {
    /// A test that failed still drops its PostgreSQL database (from a thread of its
    /// own: this may run inside the test's runtime).
    fn drop(&mut self) {
        if let Some(database) = self.postgres.take() {
            let _ = std::thread::spawn(move || {
                if let Ok(runtime) = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                {
                    runtime.block_on(database.drop_database());
                }
            })
            .join();
        }
    }
}

/// A port nothing listens on now.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("a free port")
        .port()
}

/// `secure-access serve` as a child process; killed if the test ends early.
pub struct ServerProcess {
    child: Child,
    pub base: String,
    log: PathBuf,
}

impl ServerProcess {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    pub fn alive(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    /// The end of the server's log, for failure messages.
    pub fn log_tail(&self) -> String {
        let text = std::fs::read_to_string(&self.log).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        lines[lines.len().saturating_sub(30)..].join("\n")
    }

    /// Poll `/readyz` (bounded) until it answers 200.
    pub async fn wait_ready(&mut self) {
        let client = reqwest::Client::new();
        let deadline = Instant::now() + Duration::from_secs(60);
        while Instant::now() < deadline {
            if !self.alive() {
                panic!("the server exited during start-up:\n{}", self.log_tail());
            }
            if let Ok(response) = client.get(self.url("/readyz")).send().await
                && response.status() == 200
            {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("the server was not ready within 60 s:\n{}", self.log_tail());
    }

    /// Poll `/healthz` (bounded) until the process answers at all.
    pub async fn wait_answering(&mut self) {
        let client = reqwest::Client::new();
        let deadline = Instant::now() + Duration::from_secs(60);
        while Instant::now() < deadline {
            if !self.alive() {
                panic!("the server exited during start-up:\n{}", self.log_tail());
            }
            if client.get(self.url("/healthz")).send().await.is_ok() {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!(
            "the server did not answer within 60 s:\n{}",
            self.log_tail()
        );
    }

    /// SIGKILL: no shutdown code runs, nothing is flushed.
    pub fn kill(&mut self) {
        self.child.kill().expect("SIGKILL the server");
        self.child.wait().expect("reap the server");
    }

    /// SIGTERM, then wait (bounded) for the clean exit.
    pub async fn stop(mut self) {
        let _ = Command::new("kill")
            .args(["-TERM", &self.pid().to_string()])
            .status();
        let deadline = Instant::now() + Duration::from_secs(15);
        while Instant::now() < deadline {
            if let Ok(Some(status)) = self.child.try_wait() {
                assert!(
                    status.success(),
                    "the server exited with {status}:\n{}",
                    self.log_tail()
                );
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("the server did not stop within 15 s of SIGTERM");
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        if matches!(self.child.try_wait(), Ok(None)) {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}
