//! The reference-record tables of identity proofing: `tax_returns`,
//! `financial_accounts` and `phone_records` (migration 0002). Keys are keyed
//! fingerprints and records are sealed, so nothing here is clear personal data; the
//! domain's `EmbeddedSources` opens the rows.
//!
//! A batch upsert is one transaction. Per row: read the stored `content_fp` by key;
//! none → insert (`loaded`), different → update (`updated`), same → leave it
//! (`unchanged`). The insert is an `ON CONFLICT DO UPDATE`, so two imports racing on
//! the same key cannot fail each other's batch.

use async_trait::async_trait;
use sa_domain::proofing::records::AccountKind;
use sa_domain::proofing::sources::{ReferenceKey, ReferenceRow, ReferenceStore, UpsertCounts};
use sa_domain::store::StoreResult;
use sqlx::AnyConnection;
use sqlx::any::AnyRow;

use crate::connect::SqlStore;
use crate::error;
use crate::rows::{self, ms};

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

    async fn upsert_reference_rows(&self, rows: Vec<ReferenceRow>) -> StoreResult<UpsertCounts> {
        let mut counts = UpsertCounts::default();
        if rows.is_empty() {
            return Ok(counts);
        }
        let mut tx = crate::connect::begin_write(&self.pool, self.backend).await?;
        for row in &rows {
            match upsert_one(&mut tx, row).await {
                Ok(Outcome::Loaded) => counts.loaded += 1,
                Ok(Outcome::Updated) => counts.updated += 1,
                Ok(Outcome::Unchanged) => counts.unchanged += 1,
                Err(e) => {
                    if let Err(rollback) = tx.rollback().await {
                        tracing::warn!(error = %error::db("rollback")(rollback), "rollback failed; the connection is dropped");
                    }
                    return Err(e);
                }
            }
        }
        tx.commit().await.map_err(error::db("commit"))?;
        Ok(counts)
    }
}

fn sealed(row: &AnyRow) -> StoreResult<String> {
    rows::text(row, "record_sealed")
}

enum Outcome {
    Loaded,
    Updated,
    Unchanged,
}

async fn upsert_one(conn: &mut AnyConnection, row: &ReferenceRow) -> StoreResult<Outcome> {
    let stored = stored_content_fp(conn, &row.key).await?;
    match stored {
        Some(fp) if fp == row.content_fp => Ok(Outcome::Unchanged),
        Some(_) => {
            update(conn, row).await?;
            Ok(Outcome::Updated)
        }
        None => {
            insert(conn, row).await?;
            Ok(Outcome::Loaded)
        }
    }
}

async fn stored_content_fp(
    conn: &mut AnyConnection,
    key: &ReferenceKey,
) -> StoreResult<Option<String>> {
    let found = match key {
        ReferenceKey::TaxReturn { ssn_fp, tax_year } => {
            sqlx::query("SELECT content_fp FROM tax_returns WHERE ssn_fp = $1 AND tax_year = $2")
                .bind(ssn_fp)
                .bind(*tax_year)
                .fetch_optional(&mut *conn)
                .await
        }
        ReferenceKey::FinancialAccount {
            ssn_fp,
            kind,
            account_fp,
        } => {
            sqlx::query(
                "SELECT content_fp FROM financial_accounts WHERE ssn_fp = $1 AND kind = $2 AND account_fp = $3",
            )
            .bind(ssn_fp)
            .bind(kind.as_str())
            .bind(account_fp)
            .fetch_optional(&mut *conn)
            .await
        }
        ReferenceKey::PhoneRecord { phone_fp } => {
            sqlx::query("SELECT content_fp FROM phone_records WHERE phone_fp = $1")
                .bind(phone_fp)
                .fetch_optional(&mut *conn)
                .await
        }
    }
    .map_err(error::db("reference content fingerprint"))?;
    found
        .as_ref()
        .map(|row| rows::text(row, "content_fp"))
        .transpose()
}

async fn insert(conn: &mut AnyConnection, row: &ReferenceRow) -> StoreResult<()> {
    let at = ms(row.imported_at);
    match &row.key {
        ReferenceKey::TaxReturn { ssn_fp, tax_year } => {
            sqlx::query(
                "INSERT INTO tax_returns (ssn_fp, tax_year, content_fp, record_sealed, imported_at) \
                 VALUES ($1, $2, $3, $4, $5) \
                 ON CONFLICT (ssn_fp, tax_year) DO UPDATE SET content_fp = excluded.content_fp, \
                 record_sealed = excluded.record_sealed, imported_at = excluded.imported_at",
            )
            .bind(ssn_fp)
            .bind(*tax_year)
            .bind(&row.content_fp)
            .bind(&row.record_sealed)
            .bind(at)
            .execute(conn)
            .await
        }
        ReferenceKey::FinancialAccount {
            ssn_fp,
            kind,
            account_fp,
        } => {
            sqlx::query(
                "INSERT INTO financial_accounts (ssn_fp, kind, account_fp, content_fp, record_sealed, imported_at) \
                 VALUES ($1, $2, $3, $4, $5, $6) \
                 ON CONFLICT (ssn_fp, kind, account_fp) DO UPDATE SET content_fp = excluded.content_fp, \
                 record_sealed = excluded.record_sealed, imported_at = excluded.imported_at",
            )
            .bind(ssn_fp)
            .bind(kind.as_str())
            .bind(account_fp)
            .bind(&row.content_fp)
            .bind(&row.record_sealed)
            .bind(at)
            .execute(conn)
            .await
        }
        ReferenceKey::PhoneRecord { phone_fp } => {
            sqlx::query(
                "INSERT INTO phone_records (phone_fp, content_fp, record_sealed, imported_at) \
                 VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (phone_fp) DO UPDATE SET content_fp = excluded.content_fp, \
                 record_sealed = excluded.record_sealed, imported_at = excluded.imported_at",
            )
            .bind(phone_fp)
            .bind(&row.content_fp)
            .bind(&row.record_sealed)
            .bind(at)
            .execute(conn)
            .await
        }
    }
    .map_err(error::db("insert reference row"))?;
    Ok(())
}

async fn update(conn: &mut AnyConnection, row: &ReferenceRow) -> StoreResult<()> {
    let at = ms(row.imported_at);
    match &row.key {
        ReferenceKey::TaxReturn { ssn_fp, tax_year } => {
            sqlx::query(
                "UPDATE tax_returns SET content_fp = $1, record_sealed = $2, imported_at = $3 \
                 WHERE ssn_fp = $4 AND tax_year = $5",
            )
            .bind(&row.content_fp)
            .bind(&row.record_sealed)
            .bind(at)
            .bind(ssn_fp)
            .bind(*tax_year)
            .execute(conn)
            .await
        }
        ReferenceKey::FinancialAccount {
            ssn_fp,
            kind,
            account_fp,
        } => sqlx::query(
            "UPDATE financial_accounts SET content_fp = $1, record_sealed = $2, imported_at = $3 \
                 WHERE ssn_fp = $4 AND kind = $5 AND account_fp = $6",
        )
        .bind(&row.content_fp)
        .bind(&row.record_sealed)
        .bind(at)
        .bind(ssn_fp)
        .bind(kind.as_str())
        .bind(account_fp)
        .execute(conn)
        .await,
        ReferenceKey::PhoneRecord { phone_fp } => {
            sqlx::query(
                "UPDATE phone_records SET content_fp = $1, record_sealed = $2, imported_at = $3 \
                 WHERE phone_fp = $4",
            )
            .bind(&row.content_fp)
            .bind(&row.record_sealed)
            .bind(at)
            .bind(phone_fp)
            .execute(conn)
            .await
        }
    }
    .map_err(error::db("update reference row"))?;
    Ok(())
}
