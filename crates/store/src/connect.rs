//! Opening the pool: which [`Backend`] a URL names, SQLite URL defaults (create the file,
//! WAL, foreign keys, busy timeout) and pool options. The `Any` drivers are installed
//! once per process here.
//!
//! Health checks: `sqlx` pings a connection when it goes back to the pool (and closes
//! it if the ping fails), and by default pings it again on the way out. That second
//! ping is one more round trip for every statement run on the pool (to SQLite's worker
//! thread, or to the PostgreSQL server), so it is off: a SQLite file never hangs up,
//! and a PostgreSQL connection is pinged on the way out only when it has sat idle long
//! enough for the server or the network to have dropped it (a restart, a firewall).

use std::time::Duration;

use sa_domain::store::{StoreError, StoreResult};
use sqlx::AnyPool;
use sqlx::Connection as _;
use sqlx::Executor;
use sqlx::any::AnyPoolOptions;

use crate::error;

/// A pooled PostgreSQL connection idle for longer than this is pinged before use.
const PING_WHEN_IDLE_FOR: Duration = Duration::from_secs(10);

/// A pool of connections to SQLite or PostgreSQL. Cheap to clone (the pool is shared).
#[derive(Debug, Clone)]
pub struct SqlStore {
    pub(crate) pool: AnyPool,
    pub(crate) backend: Backend,
}

impl SqlStore {
    /// Which database this store talks to.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Close every connection; later calls fail with [`StoreError::Unavailable`].
    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// The database behind a [`SqlStore`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    /// The backend a URL names: `sqlite:...` or `postgres://` / `postgresql://`.
    pub fn from_url(url: &str) -> Result<Self, StoreError> {
        let lower = url.trim_start().to_ascii_lowercase();
        if lower.starts_with("sqlite:") {
            Ok(Self::Sqlite)
        } else if lower.starts_with("postgres://") || lower.starts_with("postgresql://") {
            Ok(Self::Postgres)
        } else {
            // The URL itself may hold a password: never echo it.
            Err(StoreError::Unavailable(
                "unsupported database URL scheme (expected sqlite: or postgres://)".to_owned(),
            ))
        }
    }
}

/// SQLite: where the database lives and whether it is in memory.
struct SqliteUrl {
    url: String,
    in_memory: bool,
}

/// Adds `mode=rwc` (create if missing) to a file URL that does not choose a mode.
fn sqlite_url(url: &str) -> SqliteUrl {
    let url = url.trim();
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
        .unwrap_or(url);
    let (path, params) = match rest.split_once('?') {
        Some((path, params)) => (path, Some(params)),
        None => (rest, None),
    };
    let has_mode = params.is_some_and(|p| p.split('&').any(|pair| pair.starts_with("mode=")));
    let in_memory = path == ":memory:"
        || params.is_some_and(|p| p.split('&').any(|pair| pair == "mode=memory"));
    let url = if in_memory || has_mode {
        url.to_owned()
    } else if params.is_some() {
        format!("{url}&mode=rwc")
    } else {
        format!("{url}?mode=rwc")
    };
    SqliteUrl { url, in_memory }
}

/// How long a SQLite statement waits for another writer before failing.
const BUSY_TIMEOUT_MS: u32 = 5_000;
/// How long the readiness probe waits for the write lock.
const PROBE_BUSY_TIMEOUT_MS: u32 = 1_000;

static BUSY_TIMEOUT: std::sync::LazyLock<String> =
    std::sync::LazyLock::new(|| format!("PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}"));

/// SQLite readiness: take the write lock (`BEGIN IMMEDIATE`) and give it back at once,
/// waiting at most [`PROBE_BUSY_TIMEOUT_MS`]. Fails while another process holds the
/// database locked, which a read (`SELECT 1`) would not notice.
pub(crate) async fn sqlite_write_probe(pool: &AnyPool) -> StoreResult<()> {
    // In its own task: a readiness request that goes away half-way must not leave a
    // pooled connection inside `BEGIN IMMEDIATE`.
    let pool = pool.clone();
    tokio::spawn(async move { write_probe(&pool).await })
        .await
        .map_err(|_| StoreError::Unavailable("ping: probe task failed".into()))?
}

async fn write_probe(pool: &AnyPool) -> StoreResult<()> {
    let mut conn = pool.acquire().await.map_err(error::db("ping"))?;
    conn.execute(sqlx::AssertSqlSafe(format!(
        "PRAGMA busy_timeout = {PROBE_BUSY_TIMEOUT_MS}"
    )))
    .await
    .map_err(error::db("ping"))?;
    let probed = match conn.execute("BEGIN IMMEDIATE").await {
        Ok(_) => conn.execute("ROLLBACK").await.map(|_| ()),
        Err(e) => Err(e),
    };
    let restored = conn.execute(BUSY_TIMEOUT.as_str()).await;
    if restored.is_err() {
        // Never hand a connection with the short timeout back to the pool.
        drop(conn.detach());
    }
    probed.map_err(error::db("ping"))
}

/// Begin a transaction that will write. On SQLite it takes the write lock at once
/// (`BEGIN IMMEDIATE`, waiting up to the busy timeout): a deferred transaction that
/// reads first and writes later fails at once with "database is locked" when another
/// connection wrote in between, whatever the busy timeout.
pub(crate) async fn begin_write(
    pool: &AnyPool,
    backend: Backend,
) -> StoreResult<sqlx::Transaction<'static, sqlx::Any>> {
    match backend {
        Backend::Sqlite => pool.begin_with("BEGIN IMMEDIATE").await,
        Backend::Postgres => pool.begin().await,
    }
    .map_err(error::db("begin"))
}

impl SqlStore {
    /// Connect to `sqlite://path/to/file.db` (the file is created if missing; WAL mode,
    /// foreign keys on, 5 s busy timeout), `sqlite::memory:` (one connection, kept open)
    /// or `postgres://...`. Does not run migrations: call [`SqlStore::migrate`].
    pub async fn connect(url: &str, max_connections: u32) -> Result<Self, StoreError> {
        sqlx::any::install_default_drivers();
        let backend = Backend::from_url(url)?;
        let max_connections = max_connections.max(1);
        let options = AnyPoolOptions::new()
            .acquire_timeout(Duration::from_secs(10))
            .test_before_acquire(false);
        let pool = match backend {
            Backend::Postgres => {
                options
                    .max_connections(max_connections)
                    .before_acquire(|conn, meta| {
                        Box::pin(async move {
                            if meta.idle_for > PING_WHEN_IDLE_FOR {
                                conn.ping().await?;
                            }
                            Ok(true)
                        })
                    })
                    .connect(url)
                    .await
            }
            Backend::Sqlite => {
                let sqlite = sqlite_url(url);
                let options = if sqlite.in_memory {
                    // Every new connection to `:memory:` would be a new, empty database.
                    options
                        .max_connections(1)
                        .min_connections(1)
                        .idle_timeout(None)
                        .max_lifetime(None)
                } else {
                    options.max_connections(max_connections)
                };
                options
                    .after_connect(|conn, _meta| {
                        Box::pin(async move {
                            conn.execute(BUSY_TIMEOUT.as_str()).await?;
                            conn.execute("PRAGMA foreign_keys = ON").await?;
                            conn.execute("PRAGMA journal_mode = WAL").await?;
                            Ok(())
                        })
                    })
                    .connect(&sqlite.url)
                    .await
            }
        }
        .map_err(error::db("connect"))?;
        Ok(Self { pool, backend })
    }
}

#[cfg(test)]
mod tests {
    use super::{Backend, sqlite_url};

    #[test]
    fn backend_from_url() {
        assert_eq!(
            Backend::from_url("sqlite://a.db").ok(),
            Some(Backend::Sqlite)
        );
        assert_eq!(
            Backend::from_url("sqlite::memory:").ok(),
            Some(Backend::Sqlite)
        );
        assert_eq!(
            Backend::from_url("postgres://u@h/db").ok(),
            Some(Backend::Postgres)
        );
        assert_eq!(
            Backend::from_url("postgresql://u@h/db").ok(),
            Some(Backend::Postgres)
        );
        assert!(Backend::from_url("mysql://u:secret@h/db").is_err());
    }

    #[test]
    fn sqlite_file_urls_create_the_file() {
        assert_eq!(
            sqlite_url("sqlite://data/sa.db").url,
            "sqlite://data/sa.db?mode=rwc"
        );
        assert_eq!(
            sqlite_url("sqlite:///var/sa.db").url,
            "sqlite:///var/sa.db?mode=rwc"
        );
        assert_eq!(
            sqlite_url("sqlite://sa.db?cache=private").url,
            "sqlite://sa.db?cache=private&mode=rwc"
        );
        assert_eq!(
            sqlite_url("sqlite://sa.db?mode=ro").url,
            "sqlite://sa.db?mode=ro"
        );
        let memory = sqlite_url("sqlite::memory:");
        assert!(memory.in_memory);
        assert_eq!(memory.url, "sqlite::memory:");
        assert!(!sqlite_url("sqlite://sa.db").in_memory);
    }
}
