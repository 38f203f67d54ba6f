//! Fresh PostgreSQL databases for tests: each test creates its own (a random name on the
//! server `SA_TEST_POSTGRES_URL` names) and drops it when done, so tests never share
//! state. Without the variable, PostgreSQL tests print a notice and pass.

use sqlx::AssertSqlSafe;
use sqlx::Connection;

/// The server tests may create databases on, or `None` (with a printed notice).
pub fn postgres_admin_url() -> Option<String> {
    match std::env::var("SA_TEST_POSTGRES_URL") {
        Ok(url) if !url.is_empty() => Some(url),
        _ => {
            eprintln!(
                "postgres tests skipped: set SA_TEST_POSTGRES_URL (e.g. postgres://postgres@127.0.0.1:5432/postgres)"
            );
            None
        }
    }
}

/// `postgres://user@host:port/db?x` with the database part replaced by `name`.
pub fn url_with_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((base, query)) => (base, Some(query)),
        None => (url, None),
    };
    let authority_start = base.find("://").map_or(0, |i| i + 3);
    let root = match base[authority_start..].find('/') {
        Some(slash) => &base[..authority_start + slash],
        None => base,
    };
    match query {
        Some(query) => format!("{root}/{name}?{query}"),
        None => format!("{root}/{name}"),
    }
}

/// A database created for one test.
pub struct TestDatabase {
    admin_url: String,
    name: String,
}

impl TestDatabase {
    /// Create `<prefix>_<random>` on the server of `admin_url`.
    pub async fn create(admin_url: &str, prefix: &str) -> Self {
        let name = format!(
            "{prefix}_{}",
            sa_domain::keys::hex(&sa_domain::keys::random_bytes::<8>()[..])
        );
        let mut admin = sqlx::PgConnection::connect(admin_url)
            .await
            .expect("connect to SA_TEST_POSTGRES_URL");
        sqlx::raw_sql(AssertSqlSafe(format!("CREATE DATABASE {name}")))
            .execute(&mut admin)
            .await
            .expect("create test database");
        admin.close().await.ok();
        Self {
            admin_url: admin_url.to_owned(),
            name,
        }
    }

    /// The URL of this database.
    pub fn url(&self) -> String {
        url_with_database(&self.admin_url, &self.name)
    }

    /// The server's admin URL this database was created from.
    pub fn admin_url(&self) -> &str {
        &self.admin_url
    }

    /// The database's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Drop the database (connections still open are ended).
    pub async fn drop_database(self) {
        if let Ok(mut admin) = sqlx::PgConnection::connect(&self.admin_url).await {
            let _ = sqlx::raw_sql(AssertSqlSafe(format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                self.name
            )))
            .execute(&mut admin)
            .await;
            admin.close().await.ok();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::url_with_database;

    #[test]
    fn database_url_replacement() {
        assert_eq!(
            url_with_database("postgres://postgres@127.0.0.1:5432/postgres", "x"),
            "postgres://postgres@127.0.0.1:5432/x"
        );
        assert_eq!(
            url_with_database("postgres://u:p@h/db?sslmode=disable", "x"),
            "postgres://u:p@h/x?sslmode=disable"
        );
        assert_eq!(url_with_database("postgres://u@h", "x"), "postgres://u@h/x");
    }
}
