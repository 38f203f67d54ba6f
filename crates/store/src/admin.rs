//! The admin's tables and aggregates: `maintenance_windows` (migration 0006), and the
//! dashboard's counts over `letters`, `accounts`, `factors` and `audit_log`. Every
//! aggregate is one `COUNT` query (`COUNT(CASE WHEN ... THEN 1 END)` counts a state
//! without loading rows, and is a BIGINT on both databases).

use sa_domain::model::{LetterCounts, LockoutCounts, MaintenanceWindow, StaffActivity};
use sa_domain::store::{StoreError, StoreResult};
use sqlx::AssertSqlSafe;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, AnyPool};
use time::OffsetDateTime;

use crate::error;
use crate::rows::{self, ms};

const WINDOW_COLUMNS: &str =
    "id, starts_at, ends_at, message, created_by, created_at, cancelled_at";

fn window_from_row(row: &AnyRow) -> StoreResult<MaintenanceWindow> {
    Ok(MaintenanceWindow {
        id: rows::text(row, "id")?,
        starts_at: rows::time(row, "starts_at")?,
        ends_at: rows::time(row, "ends_at")?,
        message: rows::text(row, "message")?,
        created_by: rows::text(row, "created_by")?,
        created_at: rows::time(row, "created_at")?,
        cancelled_at: rows::opt_time(row, "cancelled_at")?,
    })
}

pub(crate) async fn windows(
    pool: &AnyPool,
    ends_after: OffsetDateTime,
    limit: i64,
) -> StoreResult<Vec<MaintenanceWindow>> {
    sqlx::query(AssertSqlSafe(format!(
        "SELECT {WINDOW_COLUMNS} FROM maintenance_windows WHERE ends_at > $1 \
         ORDER BY starts_at, id LIMIT $2"
    )))
    .bind(ms(ends_after))
    .bind(limit)
    .fetch_all(pool)
    .await
    .map_err(error::db("maintenance windows"))?
    .iter()
    .map(window_from_row)
    .collect()
}

pub(crate) async fn window(pool: &AnyPool, id: &str) -> StoreResult<Option<MaintenanceWindow>> {
    sqlx::query(AssertSqlSafe(format!(
        "SELECT {WINDOW_COLUMNS} FROM maintenance_windows WHERE id = $1"
    )))
    .bind(id)
    .fetch_optional(pool)
    .await
    .map_err(error::db("maintenance window"))?
    .as_ref()
    .map(window_from_row)
    .transpose()
}

pub(crate) async fn insert_window(
    conn: &mut AnyConnection,
    window: &MaintenanceWindow,
) -> StoreResult<()> {
    sqlx::query(AssertSqlSafe(format!(
        "INSERT INTO maintenance_windows ({WINDOW_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7)"
    )))
    .bind(&window.id)
    .bind(ms(window.starts_at))
    .bind(ms(window.ends_at))
    .bind(&window.message)
    .bind(&window.created_by)
    .bind(ms(window.created_at))
    .bind(window.cancelled_at.map(ms))
    .execute(conn)
    .await
    .map_err(error::db("insert maintenance window"))?;
    Ok(())
}

/// *Guarded*: the window exists and is not cancelled yet.
pub(crate) async fn cancel_window(
    conn: &mut AnyConnection,
    id: &str,
    at: OffsetDateTime,
) -> StoreResult<()> {
    let done = sqlx::query(
        "UPDATE maintenance_windows SET cancelled_at = $1 WHERE id = $2 AND cancelled_at IS NULL",
    )
    .bind(ms(at))
    .bind(id)
    .execute(conn)
    .await
    .map_err(error::db("cancel maintenance window"))?;
    if done.rows_affected() == 1 {
        Ok(())
    } else {
        Err(StoreError::GuardFailed(
            "maintenance window already cancelled",
        ))
    }
}

pub(crate) async fn letter_counts(pool: &AnyPool) -> StoreResult<LetterCounts> {
    let row = sqlx::query(
        "SELECT \
           COUNT(CASE WHEN printed_at IS NULL AND activated_at IS NULL AND expired_at IS NULL \
                 THEN 1 END) AS pending, \
           COUNT(CASE WHEN printed_at IS NOT NULL AND activated_at IS NULL AND expired_at IS NULL \
                 THEN 1 END) AS printed, \
           COUNT(CASE WHEN activated_at IS NOT NULL THEN 1 END) AS activated, \
           COUNT(CASE WHEN activated_at IS NULL AND expired_at IS NOT NULL THEN 1 END) AS expired \
         FROM letters",
    )
    .fetch_one(pool)
    .await
    .map_err(error::db("letter counts"))?;
    Ok(LetterCounts {
        pending: rows::int(&row, "pending")?,
        printed: rows::int(&row, "printed")?,
        activated: rows::int(&row, "activated")?,
        expired: rows::int(&row, "expired")?,
    })
}

pub(crate) async fn lockout_counts(
    pool: &AnyPool,
    now: OffsetDateTime,
) -> StoreResult<LockoutCounts> {
    let row = sqlx::query(
        "SELECT \
           (SELECT COUNT(*) FROM accounts WHERE code_locked_until > $1) AS accounts_locked, \
           (SELECT COUNT(*) FROM factors WHERE disabled_at IS NOT NULL) AS factors_disabled",
    )
    .bind(ms(now))
    .fetch_one(pool)
    .await
    .map_err(error::db("lockout counts"))?;
    Ok(LockoutCounts {
        accounts_locked: rows::int(&row, "accounts_locked")?,
        factors_disabled: rows::int(&row, "factors_disabled")?,
    })
}

/// The newest staff entries, newest first (walks `seq` backwards from the end).
pub(crate) async fn staff_activity(pool: &AnyPool, limit: i64) -> StoreResult<Vec<StaffActivity>> {
    sqlx::query(
        "SELECT seq, at, actor, action, subject FROM audit_log WHERE actor LIKE 'staff:%' \
         ORDER BY seq DESC LIMIT $1",
    )
    .bind(limit)
    .fetch_all(pool)
    .await
    .map_err(error::db("staff activity"))?
    .iter()
    .map(|row| {
        Ok(StaffActivity {
            seq: rows::int(row, "seq")?,
            at: rows::time(row, "at")?,
            actor: rows::text(row, "actor")?,
            action: rows::text(row, "action")?,
            subject: rows::opt_text(row, "subject")?,
        })
    })
    .collect()
}
