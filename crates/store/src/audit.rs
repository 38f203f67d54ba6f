//! The audit log (migration 0004): `audit_log`, one row per entry, and `audit_head`, one
//! row holding the `seq` and `hash` of the last append.
//!
//! An append runs inside the change's transaction:
//!
//! ```text
//!  UPDATE audit_head SET seq = seq + 1     (takes the write lock / the head row lock:
//!                                           concurrent appends queue here)
//!  SELECT seq, hash FROM audit_head        (the new seq; hash is still the previous entry's)
//!  hash = entry_hash(prev_hash, seq, event)
//!  INSERT INTO audit_log ...
//!  UPDATE audit_head SET hash = <hash>
//! ```
//!
//! so the chain never forks, and a rolled-back change leaves neither entry nor head
//! movement behind. The chain rules themselves live in [`sa_domain::audit`].

use sa_domain::audit::{AuditEntry, AuditEvent, canonical_json, entry_hash, parse_detail};
use sa_domain::store::{StoreError, StoreResult};
use sqlx::AssertSqlSafe;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, AnyPool};

use crate::error;
use crate::rows::{self, ms};

const COLUMNS: &str = "seq, at, actor, action, subject, detail, prev_hash, hash";

pub(crate) async fn append(conn: &mut AnyConnection, event: &AuditEvent) -> StoreResult<()> {
    let event = event.clone().normalised();
    let bumped = sqlx::query("UPDATE audit_head SET seq = seq + 1 WHERE id = 1")
        .execute(&mut *conn)
        .await
        .map_err(error::db("audit head"))?;
    if bumped.rows_affected() != 1 {
        return Err(StoreError::Unavailable(
            "audit head: the head row is missing".to_owned(),
        ));
    }
    let row = sqlx::query("SELECT seq, hash FROM audit_head WHERE id = 1")
        .fetch_one(&mut *conn)
        .await
        .map_err(error::db("audit head"))?;
    let seq = rows::int(&row, "seq")?;
    let prev_hash = rows::text(&row, "hash")?;
    let hash = entry_hash(&prev_hash, seq, &event);
    sqlx::query(AssertSqlSafe(format!(
        "INSERT INTO audit_log ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
    )))
    .bind(seq)
    .bind(ms(event.at))
    .bind(&event.actor)
    .bind(&event.action)
    .bind(event.subject.as_deref())
    .bind(canonical_json(&event.detail))
    .bind(&prev_hash)
    .bind(&hash)
    .execute(&mut *conn)
    .await
    .map_err(error::db("append audit entry"))?;
    sqlx::query("UPDATE audit_head SET hash = $1 WHERE id = 1")
        .bind(&hash)
        .execute(&mut *conn)
        .await
        .map_err(error::db("audit head"))?;
    Ok(())
}

fn entry_from_row(row: &AnyRow) -> StoreResult<AuditEntry> {
    Ok(AuditEntry {
        seq: rows::int(row, "seq")?,
        event: AuditEvent {
            at: rows::time(row, "at")?,
            actor: rows::text(row, "actor")?,
            action: rows::text(row, "action")?,
            subject: rows::opt_text(row, "subject")?,
            detail: parse_detail(&rows::text(row, "detail")?),
        },
        prev_hash: rows::text(row, "prev_hash")?,
        hash: rows::text(row, "hash")?,
    })
}

pub(crate) async fn entries(
    pool: &AnyPool,
    subject: Option<&str>,
    after_seq: i64,
    limit: i64,
) -> StoreResult<Vec<AuditEntry>> {
    let rows = match subject {
        Some(subject) => {
            sqlx::query(AssertSqlSafe(format!(
                "SELECT {COLUMNS} FROM audit_log WHERE subject = $1 AND seq > $2 \
                 ORDER BY seq LIMIT $3"
            )))
            .bind(subject)
            .bind(after_seq)
            .bind(limit)
            .fetch_all(pool)
            .await
        }
        None => {
            sqlx::query(AssertSqlSafe(format!(
                "SELECT {COLUMNS} FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT $2"
            )))
            .bind(after_seq)
            .bind(limit)
            .fetch_all(pool)
            .await
        }
    }
    .map_err(error::db("audit entries"))?;
    rows.iter().map(entry_from_row).collect()
}

pub(crate) async fn head(pool: &AnyPool) -> StoreResult<Option<(i64, String)>> {
    let row = sqlx::query("SELECT seq, hash FROM audit_head WHERE id = 1")
        .fetch_optional(pool)
        .await
        .map_err(error::db("audit head"))?;
    row.map(|row| Ok((rows::int(&row, "seq")?, rows::text(&row, "hash")?)))
        .transpose()
}
