//! A migrated `SqlStore` for the store's own tests, on SQLite (a temporary file) or a
//! fresh PostgreSQL database; [`on_both_backends!`](crate::on_both_backends) runs each
//! named test on both.

use std::future::Future;

use sa_store::{Backend, SqlStore};
use sqlx::AnyPool;

use crate::databases::{TestDatabase, postgres_admin_url};

/// A migrated store plus the URL of its database (for checks the traits cannot make).
pub struct Db {
    pub store: SqlStore,
    pub url: String,
}

impl Db {
    /// A second, plain pool on the same database.
    pub async fn raw(&self) -> AnyPool {
        AnyPool::connect(&self.url).await.expect("raw pool")
    }
}

/// Run `test` on a store over a temporary SQLite file.
pub async fn with_sqlite<F, Fut>(test: F)
where
    F: FnOnce(Db) -> Fut,
    Fut: Future<Output = ()>,
{
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}", dir.path().join("store.db").display());
    let store = SqlStore::connect(&url, 4).await.expect("connect sqlite");
    assert_eq!(store.backend(), Backend::Sqlite);
    store.migrate().await.expect("migrate sqlite");
    test(Db {
        store: store.clone(),
        url,
    })
    .await;
    store.close().await;
}

/// Run `test` on a store over a fresh PostgreSQL database (skipped, with a notice,
/// without `SA_TEST_POSTGRES_URL`). The test runs on its own task, so a failing
/// assertion still lets the database be dropped.
pub async fn with_postgres<F, Fut>(test: F)
where
    F: FnOnce(Db) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    let Some(admin_url) = postgres_admin_url() else {
        return;
    };
    let database = TestDatabase::create(&admin_url, "sa_store_test").await;
    let url = database.url();
    let store = SqlStore::connect(&url, 4).await.expect("connect postgres");
    assert_eq!(store.backend(), Backend::Postgres);
    store.migrate().await.expect("migrate postgres");
    let outcome = tokio::spawn(test(Db {
        store: store.clone(),
        url,
    }))
    .await;
    store.close().await;
    database.drop_database().await;
    if let Err(failure) = outcome {
        std::panic::resume_unwind(failure.into_panic());
    }
}

/// Run each named async test function (taking a [`Db`]) on SQLite and on PostgreSQL:
/// `sqlite::<name>` and `postgres::<name>`.
#[macro_export]
macro_rules! on_both_backends {
    ($($test:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test]
                async fn $test() {
                    $crate::store::with_sqlite(super::$test).await
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test]
                async fn $test() {
                    $crate::store::with_postgres(super::$test).await
                }
            )*
        }
    };
}
