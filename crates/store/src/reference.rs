//! The reference-record tables of identity proofing: `tax_returns`,
//! `financial_accounts` and `phone_records` (migration 0002). Keys are keyed
//! fingerprints and records are sealed, so nothing here is clear personal data; the
//! domain's `EmbeddedSources` opens the rows.
//!
//! A batch upsert is one transaction of a few statements, whatever its size (the
//! writing itself: `reference_batch.rs`): per table and per chunk of rows, each row is
//! counted as `loaded` (no row), `updated` (another fingerprint) or `unchanged` (the
//! same), and multi-row `INSERT ... ON CONFLICT DO UPDATE`s write the loaded and updated
//! ones, so two imports racing on the same key cannot fail each other's batch.

use async_trait::async_trait;
use sa_domain::proofing::records::AccountKind;
use sa_domain::proofing::sources::{ReferenceRow, ReferenceStore, UpsertCounts};
use sa_domain::store::StoreResult;
use sqlx::any::AnyRow;

use crate::connect::{Backend, SqlStore};
use crate::error;
use crate::reference_batch::upsert_batch;
use crate::rows;

/// Batches a PostgreSQL import upserts at once. With one writer the server and this
/// process each used about half a core, waiting on each other; two imported 27% faster
/// on two cores, four only 7% more (BENCHMARKS.md).
const POSTGRES_IMPORT_WRITERS: usize = 2;

#[async_trait]
impl ReferenceStore for SqlStore {
    async fn sealed_returns(&self, ssn_fp: &str, limit: i64) -> StoreResult<Vec<String>> {
        sqlx::query(
            "SELECT record_sealed FROM tax_returns WHERE ssn_fp = $1 ORDER BY tax_year DESC LIMIT $2",
        )
        .bind(ssn_fp)
        .bind(limit.max(0))
        .fetch_all(&self.pool)
        .await
        .map_err(error::db("reference returns"))?
        .iter()
        .map(sealed)
        .collect()
    }

    async fn sealed_accounts(&self, ssn_fp: &str, kind: AccountKind) -> StoreResult<Vec<String>> {
        sqlx::query(
            "SELECT record_sealed FROM financial_accounts WHERE ssn_fp = $1 AND kind = $2 ORDER BY account_fp",
        )
        .bind(ssn_fp)
        .bind(kind.as_str())
        .fetch_all(&self.pool)
        .await
        .map_err(error::db("reference accounts"))?
        .iter()
        .map(sealed)
        .collect()
    }

    async fn sealed_phone(&self, phone_fp: &str) -> StoreResult<Option<String>> {
        sqlx::query("SELECT record_sealed FROM phone_records WHERE phone_fp = $1")
            .bind(phone_fp)
            .fetch_optional(&self.pool)
            .await
            .map_err(error::db("reference phone"))?
            .as_ref()
            .map(sealed)
            .transpose()
    }

    fn import_writers(&self) -> usize {
        match self.backend {
            // One writer at a time: a second would only wait for the write lock.
            Backend::Sqlite => 1,
            Backend::Postgres => POSTGRES_IMPORT_WRITERS,
        }
    }

    async fn upsert_reference_rows(&self, rows: Vec<ReferenceRow>) -> StoreResult<UpsertCounts> {
        if rows.is_empty() {
            return Ok(UpsertCounts::default());
        }
        let mut tx = crate::connect::begin_write(&self.pool, self.backend).await?;
        match upsert_batch(&mut tx, self.backend, &rows).await {
            Ok(counts) => {
                tx.commit().await.map_err(error::db("commit"))?;
                Ok(counts)
            }
            Err(e) => {
                if let Err(rollback) = tx.rollback().await {
                    tracing::warn!(error = %error::db("rollback")(rollback), "rollback failed; the connection is dropped");
                }
                Err(e)
            }
        }
    }
}

fn sealed(row: &AnyRow) -> StoreResult<String> {
    rows::text(row, "record_sealed")
}
