//! Writing a batch of reference rows in a few statements, per table and per chunk of
//! rows ([`ROWS_PER_STATEMENT`]):
//!
//! - on SQLite, one keyed select of the stored content fingerprints, then one
//!   multi-row upsert of the rows that are new or changed: two statements per 64 rows
//!   instead of two per row, which tripled the import rate (BENCHMARKS.md);
//! - on PostgreSQL, one multi-row upsert that skips unchanged rows
//!   (`DO UPDATE ... WHERE content_fp <> excluded.content_fp`) and returns, for each row
//!   it wrote, whether it inserted it (`xmax = 0`): the rows it inserted are `loaded`,
//!   the ones it updated `updated`, the rest `unchanged`. One statement instead of two,
//!   and one index probe per row instead of two. A chunk that repeats a key takes the
//!   SQLite path (one upsert may not touch a row twice, and each repeat is counted
//!   against the row before it).
//!
//! Rows are counted in order exactly as one-at-a-time upserts would count them (a key
//! repeated in one batch is `loaded` and then `updated` or `unchanged`), and the last
//! row of a repeated key is the one written.

use std::collections::{HashMap, HashSet};

use sa_domain::proofing::sources::{ReferenceKey, ReferenceRow, UpsertCounts};
use sa_domain::store::StoreResult;
use sqlx::{AnyConnection, AssertSqlSafe};

use crate::connect::Backend;
use crate::error;
use crate::rows::{self, ms};

/// Rows per statement (at most six bound values each), on both databases. Small on
/// purpose: the SQLite driver looks each parameter up by name, which costs time in
/// proportion to the parameters a statement has, so 500 rows a statement spent 29% of
/// an import in `sqlite3_bind_parameter_name`; at 64 the statements are still few. On
/// PostgreSQL, batching needs sqlx 0.9.1 or later, which sets `TCP_NODELAY`: before it,
/// each multi-row statement over TCP waited out the server's delayed acknowledgement
/// (40 ms), and 64 rows a statement imported 1,400 lines/s instead of 44,000.
const ROWS_PER_STATEMENT: usize = 64;

/// Where one kind of reference row lives.
#[derive(PartialEq, Eq)]
enum Table {
    TaxReturns,
    FinancialAccounts,
    PhoneRecords,
}

impl Table {
    const ALL: [Table; 3] = [
        Table::TaxReturns,
        Table::FinancialAccounts,
        Table::PhoneRecords,
    ];

    fn of(key: &ReferenceKey) -> Table {
        match key {
            ReferenceKey::TaxReturn { .. } => Table::TaxReturns,
            ReferenceKey::FinancialAccount { .. } => Table::FinancialAccounts,
            ReferenceKey::PhoneRecord { .. } => Table::PhoneRecords,
        }
    }

    fn name(&self) -> &'static str {
        match self {
            Table::TaxReturns => "tax_returns",
            Table::FinancialAccounts => "financial_accounts",
            Table::PhoneRecords => "phone_records",
        }
    }

    /// The key's columns, the table's conflict target.
    fn key_columns(&self) -> &'static str {
        match self {
            Table::TaxReturns => "ssn_fp, tax_year",
            Table::FinancialAccounts => "ssn_fp, kind, account_fp",
            Table::PhoneRecords => "phone_fp",
        }
    }

    /// The indexed column the stored fingerprints are looked up by.
    fn lookup_column(&self) -> &'static str {
        match self {
            Table::PhoneRecords => "phone_fp",
            Table::TaxReturns | Table::FinancialAccounts => "ssn_fp",
        }
    }

    /// Bound values per row: the key's columns, then the content fingerprint, the
    /// sealed record and the import time.
    fn values_per_row(&self) -> usize {
        self.key_columns().split(", ").count() + 3
    }

    /// A stored row's key, in the form [`key_text`] gives a row's.
    fn stored_key(&self, row: &sqlx::any::AnyRow) -> StoreResult<String> {
        Ok(match self {
            Table::TaxReturns => {
                format!(
                    "{}\u{1f}{}",
                    rows::text(row, "ssn_fp")?,
                    rows::int(row, "tax_year")?
                )
            }
            Table::FinancialAccounts => format!(
                "{}\u{1f}{}\u{1f}{}",
                rows::text(row, "ssn_fp")?,
                rows::text(row, "kind")?,
                rows::text(row, "account_fp")?
            ),
            Table::PhoneRecords => rows::text(row, "phone_fp")?,
        })
    }
}

/// A key as one string, for matching rows with stored ones.
fn key_text(key: &ReferenceKey) -> String {
    match key {
        ReferenceKey::TaxReturn { ssn_fp, tax_year } => format!("{ssn_fp}\u{1f}{tax_year}"),
        ReferenceKey::FinancialAccount {
            ssn_fp,
            kind,
            account_fp,
        } => format!("{ssn_fp}\u{1f}{}\u{1f}{account_fp}", kind.as_str()),
        ReferenceKey::PhoneRecord { phone_fp } => phone_fp.clone(),
    }
}

fn lookup_value(key: &ReferenceKey) -> &str {
    match key {
        ReferenceKey::TaxReturn { ssn_fp, .. } | ReferenceKey::FinancialAccount { ssn_fp, .. } => {
            ssn_fp
        }
        ReferenceKey::PhoneRecord { phone_fp } => phone_fp,
    }
}

/// `($1, $2, ...), ($n, ...)`: `rows` groups of `per_row` placeholders.
fn placeholders(rows: usize, per_row: usize) -> String {
    (0..rows)
        .map(|row| {
            let values: Vec<String> = (1..=per_row)
                .map(|column| format!("${}", row * per_row + column))
                .collect();
            format!("({})", values.join(", "))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Upsert `rows` (any mix of kinds) on `conn`, inside the caller's transaction.
pub(crate) async fn upsert_batch(
    conn: &mut AnyConnection,
    backend: Backend,
    rows: &[ReferenceRow],
) -> StoreResult<UpsertCounts> {
    let mut counts = UpsertCounts::default();
    for table in Table::ALL {
        let of_table: Vec<&ReferenceRow> = rows
            .iter()
            .filter(|row| Table::of(&row.key) == table)
            .collect();
        for chunk in of_table.chunks(ROWS_PER_STATEMENT) {
            if backend == Backend::Postgres && keys_are_distinct(chunk) {
                counts += upsert_counting_returned(conn, &table, chunk).await?;
                continue;
            }
            let mut stored = stored_fingerprints(conn, &table, chunk).await?;
            // The rows to write, one per key (the last), in first-seen order.
            let mut changed: Vec<&ReferenceRow> = Vec::new();
            let mut position: HashMap<String, usize> = HashMap::new();
            for row in chunk {
                let key = key_text(&row.key);
                match stored.get(&key) {
                    Some(fp) if *fp == row.content_fp => {
                        counts.unchanged += 1;
                        continue;
                    }
                    Some(_) => counts.updated += 1,
                    None => counts.loaded += 1,
                }
                stored.insert(key.clone(), row.content_fp.clone());
                match position.get(&key) {
                    Some(&at) => changed[at] = row,
                    None => {
                        position.insert(key, changed.len());
                        changed.push(row);
                    }
                }
            }
            if !changed.is_empty() {
                upsert(&table, &changed, "")
                    .execute(&mut *conn)
                    .await
                    .map_err(error::db("upsert reference rows"))?;
            }
        }
    }
    Ok(counts)
}

fn keys_are_distinct(chunk: &[&ReferenceRow]) -> bool {
    let mut seen = HashSet::with_capacity(chunk.len());
    chunk.iter().all(|row| seen.insert(&row.key))
}

/// PostgreSQL, keys distinct: one upsert that leaves unchanged rows alone and returns
/// `inserted` for each row it wrote (a row's `xmax` is 0 until an update or lock).
async fn upsert_counting_returned(
    conn: &mut AnyConnection,
    table: &Table,
    chunk: &[&ReferenceRow],
) -> StoreResult<UpsertCounts> {
    let only_changed = format!(
        " WHERE {}.content_fp <> excluded.content_fp RETURNING (xmax = 0) AS inserted",
        table.name()
    );
    let written = upsert(table, chunk, &only_changed)
        .fetch_all(&mut *conn)
        .await
        .map_err(error::db("upsert reference rows"))?;
    let mut counts = UpsertCounts::default();
    for row in &written {
        if rows::flag(row, "inserted")? {
            counts.loaded += 1;
        } else {
            counts.updated += 1;
        }
    }
    counts.unchanged = (chunk.len() - written.len()) as u64;
    Ok(counts)
}

/// The stored content fingerprints of the chunk's keys (and of other keys sharing their
/// lookup column, which are simply not asked for), by [`key_text`].
async fn stored_fingerprints(
    conn: &mut AnyConnection,
    table: &Table,
    chunk: &[&ReferenceRow],
) -> StoreResult<HashMap<String, String>> {
    let mut lookups: Vec<&str> = chunk.iter().map(|row| lookup_value(&row.key)).collect();
    lookups.sort_unstable();
    lookups.dedup();
    let sql = format!(
        "SELECT {}, content_fp FROM {} WHERE {} IN ({})",
        table.key_columns(),
        table.name(),
        table.lookup_column(),
        (1..=lookups.len())
            .map(|n| format!("${n}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let mut query = sqlx::query(AssertSqlSafe(sql));
    for lookup in lookups {
        query = query.bind(lookup);
    }
    let found = query
        .fetch_all(&mut *conn)
        .await
        .map_err(error::db("reference content fingerprints"))?;
    let mut stored = HashMap::with_capacity(found.len());
    for row in &found {
        stored.insert(table.stored_key(row)?, rows::text(row, "content_fp")?);
    }
    Ok(stored)
}

/// One multi-row upsert of `rows` (keys distinct), `tail` appended to its `DO UPDATE`.
fn upsert<'q>(
    table: &Table,
    rows: &'q [&'q ReferenceRow],
    tail: &str,
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments> {
    let sql = format!(
        "INSERT INTO {} ({}, content_fp, record_sealed, imported_at) VALUES {} \
         ON CONFLICT ({}) DO UPDATE SET content_fp = excluded.content_fp, \
         record_sealed = excluded.record_sealed, imported_at = excluded.imported_at{tail}",
        table.name(),
        table.key_columns(),
        placeholders(rows.len(), table.values_per_row()),
        table.key_columns()
    );
    let mut query = sqlx::query(AssertSqlSafe(sql));
    for row in rows {
        query = match &row.key {
            ReferenceKey::TaxReturn { ssn_fp, tax_year } => query.bind(ssn_fp).bind(*tax_year),
            ReferenceKey::FinancialAccount {
                ssn_fp,
                kind,
                account_fp,
            } => query.bind(ssn_fp).bind(kind.as_str()).bind(account_fp),
            ReferenceKey::PhoneRecord { phone_fp } => query.bind(phone_fp),
        };
        query = query
            .bind(&row.content_fp)
            .bind(&row.record_sealed)
            .bind(ms(row.imported_at));
    }
    query
}

#[cfg(test)]
mod tests {
    use super::placeholders;

    #[test]
    fn placeholders_number_every_value_once() {
        assert_eq!(placeholders(2, 3), "($1, $2, $3), ($4, $5, $6)");
    }
}
