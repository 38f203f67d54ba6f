//! Re-sealing personal data at rest under the current data key (`secure-access keys
//! rotate` / `keys reseal`), and counting which data keys the stored values use (`keys
//! retire`).
//!
//! [`SEALED_COLUMNS`] is the one list of every sealed column: its table, the key
//! columns that name a row, and the purpose it is sealed for (the AES-GCM associated
//! data). A new sealed column is one line there; nothing else in this module changes.
//!
//! The store does no cryptography: the caller passes a [`Reseal`] function (open under
//! any key, seal under the current one) and the current key id. For each column:
//!
//! ```text
//!  ┌─ SELECT keys, value WHERE value not under the current key ──────────┐
//!  │   AND keys > last batch's last keys ORDER BY keys LIMIT 500          │  keyset
//!  └──────────┬───────────────────────────────────────────────────────────┘  pagination
//!             │ reseal(purpose, old) for each row (no transaction open)
//!             ▼
//!  ┌─ one transaction per batch ──────────────────────────────────────────┐
//!  │  UPDATE t SET value = new WHERE keys = row AND value = old           │
//!  │  0 rows changed → the row changed meanwhile: left for a rerun        │
//!  └──────────────────────────────────────────────────────────────────────┘
//! ```
//!
//! Memory stays flat whatever the table size (one batch at a time), and a rerun only
//! visits values still under an older key, so it is safe to interrupt and repeat.
//! Values are compared and written, never logged; key column values (ids and keyed
//! fingerprints) are not logged either.

use std::collections::BTreeMap;

use sa_domain::store::StoreError;
use sqlx::AssertSqlSafe;
use sqlx::any::AnyRow;

use crate::connect::SqlStore;
use crate::{error, rows};

/// Rows read and re-sealed per batch (one `SELECT`, then one transaction of updates).
pub const RESEAL_BATCH_ROWS: usize = 500;

/// The type of a key column, so its values can be read and bound again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyType {
    Text,
    Int,
}

/// One sealed column and how to find its rows. `only` narrows the rows (a fixed SQL
/// condition) when one column holds values of several purposes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SealedColumn {
    pub table: &'static str,
    /// The row's key (its primary key), in order: the keyset pagination order.
    pub keys: &'static [(&'static str, KeyType)],
    pub column: &'static str,
    /// The purpose (associated data) the values are sealed for; these must match the
    /// purposes the domain seals with (`sa_domain::journeys` `purpose`,
    /// `sa_domain::proofing::sources::*_PURPOSE`).
    pub purpose: &'static str,
    /// A fixed SQL condition selecting this purpose's rows, or `None` for every row.
    pub only: Option<&'static str>,
}

impl SealedColumn {
    const fn new(
        table: &'static str,
        keys: &'static [(&'static str, KeyType)],
        column: &'static str,
        purpose: &'static str,
    ) -> Self {
        Self {
            table,
            keys,
            column,
            purpose,
            only: None,
        }
    }

    const fn only(self, condition: &'static str) -> Self {
        Self {
            only: Some(condition),
            ..self
        }
    }
}

const ID: &[(&str, KeyType)] = &[("id", KeyType::Text)];
const ACCOUNT_ID: &[(&str, KeyType)] = &[("account_id", KeyType::Text)];

/// Every sealed column in the schema (NULL values are skipped everywhere). Add a line
/// here when a migration adds a sealed column, or rotation would leave it under the
/// old key and `keys retire` could not see that it is still in use.
pub const SEALED_COLUMNS: &[SealedColumn] = &[
    SealedColumn::new("accounts", ID, "email_sealed", "account.email"),
    SealedColumn::new(
        "identity_recoveries",
        &[("account_id", KeyType::Text)],
        "claim_sealed",
        "proofing.claim",
    ),
    SealedColumn::new(
        "email_changes",
        &[("account_id", KeyType::Text)],
        "email_sealed",
        "account.email",
    ),
    SealedColumn::new("factors", ID, "secret_sealed", "factor.totp_secret").only("kind = 'totp'"),
    SealedColumn::new("factors", ID, "secret_sealed", "factor.phone").only("kind = 'sms'"),
    SealedColumn::new("outbox", ID, "payload_sealed", "outbox.payload"),
    SealedColumn::new(
        "tax_returns",
        &[("ssn_fp", KeyType::Text), ("tax_year", KeyType::Int)],
        "record_sealed",
        "reference.tax_return",
    ),
    SealedColumn::new(
        "financial_accounts",
        &[
            ("ssn_fp", KeyType::Text),
            ("kind", KeyType::Text),
            ("account_fp", KeyType::Text),
        ],
        "record_sealed",
        "reference.financial_account",
    ),
    SealedColumn::new(
        "phone_records",
        &[("phone_fp", KeyType::Text)],
        "record_sealed",
        "reference.phone_record",
    ),
    SealedColumn::new(
        "proofing_cases",
        ACCOUNT_ID,
        "claim_sealed",
        "proofing.claim",
    ),
    SealedColumn::new(
        "proofing_cases",
        ACCOUNT_ID,
        "phone_sealed",
        "proofing.phone",
    ),
    SealedColumn::new("letters", ID, "print_sealed", "letter.print"),
    SealedColumn::new(
        "in_person_records",
        ID,
        "documents_sealed",
        "in_person.documents",
    ),
];

/// Re-seal one value: `(purpose, stored text)` → the text sealed under the current key,
/// or why it could not be opened (the reason must not contain the value).
pub type Reseal<'a> = dyn Fn(&str, &str) -> Result<String, String> + Sync + 'a;

/// What re-sealing did to one column (one purpose of it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnReseal {
    pub table: &'static str,
    pub column: &'static str,
    pub purpose: &'static str,
    /// Values found under another key than the current one.
    pub found: u64,
    /// Values now sealed under the current key.
    pub resealed: u64,
    /// Rows whose value changed between reading and writing (left as the writer left
    /// them; a rerun picks them up if they are still under an old key).
    pub changed_meanwhile: u64,
    /// Values that could not be opened (unknown key, wrong purpose, damaged); left as
    /// they are.
    pub failed: u64,
}

/// What [`SqlStore::reseal_all`] did, column by column in [`SEALED_COLUMNS`] order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ResealReport {
    pub columns: Vec<ColumnReseal>,
}

impl ResealReport {
    pub fn resealed(&self) -> u64 {
        self.columns.iter().map(|c| c.resealed).sum()
    }

    pub fn changed_meanwhile(&self) -> u64 {
        self.columns.iter().map(|c| c.changed_meanwhile).sum()
    }

    pub fn failed(&self) -> u64 {
        self.columns.iter().map(|c| c.failed).sum()
    }
}

/// Which data keys the values of one sealed column are under (every row with a value,
/// whatever its purpose: a value [`SEALED_COLUMNS`] does not describe still counts).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnKeyUsage {
    pub table: &'static str,
    pub column: &'static str,
    /// Non-NULL values.
    pub total: u64,
    /// Values under each key asked about.
    pub by_key: BTreeMap<String, u64>,
}

impl ColumnKeyUsage {
    /// Values under none of the keys asked about.
    pub fn under_other_keys(&self) -> u64 {
        self.total
            .saturating_sub(self.by_key.values().copied().sum::<u64>())
    }
}

/// A key column's value of one row, as read and bound back.
#[derive(Debug, Clone)]
enum KeyValue {
    Text(String),
    Int(i64),
}

type AnyQuery<'q> = sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments>;

fn bind_key<'q>(query: AnyQuery<'q>, value: &KeyValue) -> AnyQuery<'q> {
    match value {
        KeyValue::Text(text) => query.bind(text.clone()),
        KeyValue::Int(int) => query.bind(*int),
    }
}

fn read_keys(row: &AnyRow, sealed: &SealedColumn) -> Result<Vec<KeyValue>, StoreError> {
    sealed
        .keys
        .iter()
        .map(|(name, kind)| match kind {
            KeyType::Text => rows::text(row, name).map(KeyValue::Text),
            KeyType::Int => rows::int(row, name).map(KeyValue::Int),
        })
        .collect()
}

/// `$first, $first+1, ...` for `count` placeholders.
fn placeholders(first: usize, count: usize) -> Vec<String> {
    (first..first + count).map(|n| format!("${n}")).collect()
}

/// `SELECT keys, value ... LIMIT n`: `$1` is the current key's prefix (`ID:`), then
/// the previous batch's last keys when `after` is set.
fn select_batch_sql(sealed: &SealedColumn, prefix_chars: usize, after: bool) -> String {
    let key_names: Vec<&str> = sealed.keys.iter().map(|(name, _)| *name).collect();
    let keys = key_names.join(", ");
    let column = sealed.column;
    let mut sql = format!(
        "SELECT {keys}, {column} FROM {table} WHERE {column} IS NOT NULL \
         AND substr({column}, 1, {prefix_chars}) <> $1",
        table = sealed.table,
    );
    if let Some(only) = sealed.only {
        sql.push_str(&format!(" AND {only}"));
    }
    if after {
        let params = placeholders(2, key_names.len()).join(", ");
        if key_names.len() == 1 {
            sql.push_str(&format!(" AND {keys} > {params}"));
        } else {
            sql.push_str(&format!(" AND ({keys}) > ({params})"));
        }
    }
    sql.push_str(&format!(" ORDER BY {keys} LIMIT {RESEAL_BATCH_ROWS}"));
    sql
}

/// `UPDATE ... SET value = $1 WHERE keys = $2.. AND value = $last`.
fn update_sql(sealed: &SealedColumn) -> String {
    let conditions: Vec<String> = sealed
        .keys
        .iter()
        .zip(placeholders(2, sealed.keys.len()))
        .map(|((name, _), param)| format!("{name} = {param}"))
        .collect();
    format!(
        "UPDATE {table} SET {column} = $1 WHERE {conditions} AND {column} = ${old}",
        table = sealed.table,
        column = sealed.column,
        conditions = conditions.join(" AND "),
        old = sealed.keys.len() + 2,
    )
}

/// The distinct `(table, column)` pairs of [`SEALED_COLUMNS`], in order.
fn distinct_columns() -> Vec<(&'static str, &'static str)> {
    let mut seen: Vec<(&'static str, &'static str)> = Vec::new();
    for sealed in SEALED_COLUMNS {
        if !seen.contains(&(sealed.table, sealed.column)) {
            seen.push((sealed.table, sealed.column));
        }
    }
    seen
}

/// A key id as it prefixes sealed text.
fn prefix(key_id: &str) -> String {
    format!("{key_id}:")
}

impl SqlStore {
    /// Re-seal every value in [`SEALED_COLUMNS`] that is not under `current_key_id`
    /// with `reseal`, in batches of [`RESEAL_BATCH_ROWS`]. A value that cannot be
    /// re-sealed is counted as failed and left alone; a database error stops the walk
    /// (batches committed before it stay done, and a rerun continues where it stopped).
    pub async fn reseal_all(
        &self,
        current_key_id: &str,
        reseal: &Reseal<'_>,
    ) -> Result<ResealReport, StoreError> {
        let mut report = ResealReport::default();
        for sealed in SEALED_COLUMNS {
            let column = self.reseal_column(sealed, current_key_id, reseal).await?;
            tracing::info!(
                table = column.table,
                column = column.column,
                purpose = column.purpose,
                resealed = column.resealed,
                changed_meanwhile = column.changed_meanwhile,
                failed = column.failed,
                "re-sealed column"
            );
            report.columns.push(column);
        }
        Ok(report)
    }

    async fn reseal_column(
        &self,
        sealed: &SealedColumn,
        current_key_id: &str,
        reseal: &Reseal<'_>,
    ) -> Result<ColumnReseal, StoreError> {
        let current = prefix(current_key_id);
        let prefix_chars = current.chars().count();
        let first_sql = select_batch_sql(sealed, prefix_chars, false);
        let next_sql = select_batch_sql(sealed, prefix_chars, true);
        let update = update_sql(sealed);
        let mut outcome = ColumnReseal {
            table: sealed.table,
            column: sealed.column,
            purpose: sealed.purpose,
            found: 0,
            resealed: 0,
            changed_meanwhile: 0,
            failed: 0,
        };
        let mut after: Option<Vec<KeyValue>> = None;
        loop {
            let mut query = sqlx::query(AssertSqlSafe(if after.is_some() {
                next_sql.clone()
            } else {
                first_sql.clone()
            }))
            .bind(current.clone());
            for value in after.iter().flatten() {
                query = bind_key(query, value);
            }
            let batch = query
                .fetch_all(&self.pool)
                .await
                .map_err(error::db("reseal: read batch"))?;
            let Some(last) = batch.last() else {
                break;
            };
            after = Some(read_keys(last, sealed)?);
            let full = batch.len() >= RESEAL_BATCH_ROWS;

            // Open and seal before the transaction, so it holds its locks only briefly.
            let mut writes = Vec::with_capacity(batch.len());
            for row in &batch {
                outcome.found += 1;
                let old = rows::text(row, sealed.column)?;
                match reseal(sealed.purpose, &old) {
                    Ok(new) => writes.push((read_keys(row, sealed)?, old, new)),
                    Err(reason) => {
                        if outcome.failed == 0 {
                            tracing::warn!(
                                table = sealed.table,
                                column = sealed.column,
                                purpose = sealed.purpose,
                                %reason,
                                "a sealed value could not be re-sealed; it is left as it is"
                            );
                        }
                        outcome.failed += 1;
                    }
                }
            }
            drop(batch);

            if !writes.is_empty() {
                let mut tx = crate::connect::begin_write(&self.pool, self.backend).await?;
                for (keys, old, new) in &writes {
                    let mut query = sqlx::query(AssertSqlSafe(update.clone())).bind(new.clone());
                    for value in keys {
                        query = bind_key(query, value);
                    }
                    let changed = query
                        .bind(old.clone())
                        .execute(&mut *tx)
                        .await
                        .map_err(error::db("reseal: update"))?
                        .rows_affected();
                    if changed == 1 {
                        outcome.resealed += 1;
                    } else {
                        outcome.changed_meanwhile += 1;
                    }
                }
                tx.commit().await.map_err(error::db("commit"))?;
            }
            if !full {
                break;
            }
        }
        Ok(outcome)
    }

    /// For each distinct sealed column, how many values are under each of `key_ids`
    /// (and, by difference, under none of them). One scan per column.
    pub async fn sealed_key_usage(
        &self,
        key_ids: &[&str],
    ) -> Result<Vec<ColumnKeyUsage>, StoreError> {
        let mut usage = Vec::new();
        for (table, column) in distinct_columns() {
            let mut sql = format!("SELECT COUNT({column}) AS total");
            for (n, key_id) in key_ids.iter().enumerate() {
                let chars = prefix(key_id).chars().count();
                sql.push_str(&format!(
                    ", COALESCE(SUM(CASE WHEN substr({column}, 1, {chars}) = ${param} THEN 1 ELSE 0 END), 0) AS k{n}",
                    param = n + 1,
                ));
            }
            sql.push_str(&format!(" FROM {table} WHERE {column} IS NOT NULL"));
            let mut query = sqlx::query(AssertSqlSafe(sql));
            for key_id in key_ids {
                query = query.bind(prefix(key_id));
            }
            let row = query
                .fetch_one(&self.pool)
                .await
                .map_err(error::db("sealed key usage"))?;
            let count = |name: &str| rows::int(&row, name).map(|n| u64::try_from(n).unwrap_or(0));
            let mut by_key = BTreeMap::new();
            for (n, key_id) in key_ids.iter().enumerate() {
                by_key.insert((*key_id).to_owned(), count(&format!("k{n}"))?);
            }
            usage.push(ColumnKeyUsage {
                table,
                column,
                total: count("total")?,
                by_key,
            });
        }
        Ok(usage)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_page_by_the_whole_key() {
        let tax = SEALED_COLUMNS
            .iter()
            .find(|c| c.table == "tax_returns")
            .unwrap();
        assert_eq!(
            select_batch_sql(tax, 3, true),
            "SELECT ssn_fp, tax_year, record_sealed FROM tax_returns WHERE record_sealed IS NOT NULL \
             AND substr(record_sealed, 1, 3) <> $1 AND (ssn_fp, tax_year) > ($2, $3) \
             ORDER BY ssn_fp, tax_year LIMIT 500"
        );
        assert_eq!(
            update_sql(tax),
            "UPDATE tax_returns SET record_sealed = $1 WHERE ssn_fp = $2 AND tax_year = $3 AND record_sealed = $4"
        );
        let totp = SEALED_COLUMNS
            .iter()
            .find(|c| c.purpose == "factor.totp_secret")
            .unwrap();
        assert_eq!(
            select_batch_sql(totp, 3, true),
            "SELECT id, secret_sealed FROM factors WHERE secret_sealed IS NOT NULL \
             AND substr(secret_sealed, 1, 3) <> $1 AND kind = 'totp' AND id > $2 \
             ORDER BY id LIMIT 500"
        );
    }

    #[test]
    fn each_column_and_purpose_is_listed_once() {
        let mut seen = std::collections::BTreeSet::new();
        for c in SEALED_COLUMNS {
            assert!(seen.insert((c.table, c.column, c.purpose)), "{c:?}");
            assert!(!c.keys.is_empty(), "{c:?}");
        }
        assert_eq!(distinct_columns().len(), SEALED_COLUMNS.len() - 1);
    }
}
