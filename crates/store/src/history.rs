//! The account's history: `login_history`, `security_events` (newest first) and
//! `known_devices`.

use sa_domain::model::{LoginRecord, SecurityEvent};
use sa_domain::store::StoreResult;
use sqlx::AssertSqlSafe;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, AnyPool};
use time::OffsetDateTime;

use crate::error;
use crate::rows::{self, ms};

const LOGIN_COLUMNS: &str = "id, account_id, at, ip, user_agent, method, success, reason";
const EVENT_COLUMNS: &str = "id, account_id, at, kind, detail";

fn login_from_row(row: &AnyRow) -> StoreResult<LoginRecord> {
    Ok(LoginRecord {
        id: rows::text(row, "id")?,
        account_id: rows::text(row, "account_id")?,
        at: rows::time(row, "at")?,
        ip: rows::text(row, "ip")?,
        user_agent: rows::text(row, "user_agent")?,
        method: rows::text(row, "method")?,
        success: rows::int(row, "success")? != 0,
        reason: rows::opt_text(row, "reason")?,
    })
}

fn event_from_row(row: &AnyRow) -> StoreResult<SecurityEvent> {
    Ok(SecurityEvent {
        id: rows::text(row, "id")?,
        account_id: rows::text(row, "account_id")?,
        at: rows::time(row, "at")?,
        kind: rows::text(row, "kind")?,
        detail: rows::text(row, "detail")?,
    })
}

/// Newest first (ids are time-ordered, so they break ties within a millisecond).
pub(crate) async fn recent_logins(
    pool: &AnyPool,
    account_id: &str,
    limit: i64,
) -> StoreResult<Vec<LoginRecord>> {
    sqlx::query(AssertSqlSafe(format!(
        "SELECT {LOGIN_COLUMNS} FROM login_history WHERE account_id = $1 ORDER BY at DESC, id DESC LIMIT $2"
    )))
    .bind(account_id)
    .bind(limit.max(0))
    .fetch_all(pool)
    .await
    .map_err(error::db("recent logins"))?
    .iter()
    .map(login_from_row)
    .collect()
}

/// Newest first.
pub(crate) async fn security_events(
    pool: &AnyPool,
    account_id: &str,
    limit: i64,
) -> StoreResult<Vec<SecurityEvent>> {
    sqlx::query(AssertSqlSafe(format!(
        "SELECT {EVENT_COLUMNS} FROM security_events WHERE account_id = $1 ORDER BY at DESC, id DESC LIMIT $2"
    )))
    .bind(account_id)
    .bind(limit.max(0))
    .fetch_all(pool)
    .await
    .map_err(error::db("security events"))?
    .iter()
    .map(event_from_row)
    .collect()
}

pub(crate) async fn device_known(
    pool: &AnyPool,
    account_id: &str,
    device_hash: &str,
) -> StoreResult<bool> {
    let row = sqlx::query(
        "SELECT COUNT(*) AS n FROM known_devices WHERE account_id = $1 AND device_hash = $2",
    )
    .bind(account_id)
    .bind(device_hash)
    .fetch_one(pool)
    .await
    .map_err(error::db("device known"))?;
    Ok(rows::int(&row, "n")? > 0)
}

pub(crate) async fn record_login(conn: &mut AnyConnection, login: &LoginRecord) -> StoreResult<()> {
    sqlx::query(AssertSqlSafe(format!(
        "INSERT INTO login_history ({LOGIN_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
    )))
    .bind(&login.id)
    .bind(&login.account_id)
    .bind(ms(login.at))
    .bind(&login.ip)
    .bind(&login.user_agent)
    .bind(&login.method)
    .bind(i64::from(login.success))
    .bind(login.reason.as_deref())
    .execute(conn)
    .await
    .map_err(error::db("record login"))?;
    Ok(())
}

pub(crate) async fn record_event(
    conn: &mut AnyConnection,
    event: &SecurityEvent,
) -> StoreResult<()> {
    sqlx::query(AssertSqlSafe(format!(
        "INSERT INTO security_events ({EVENT_COLUMNS}) VALUES ($1, $2, $3, $4, $5)"
    )))
    .bind(&event.id)
    .bind(&event.account_id)
    .bind(ms(event.at))
    .bind(&event.kind)
    .bind(&event.detail)
    .execute(conn)
    .await
    .map_err(error::db("record event"))?;
    Ok(())
}

/// Insert the device, or refresh its `last_seen`.
pub(crate) async fn remember_device(
    conn: &mut AnyConnection,
    account_id: &str,
    device_hash: &str,
    at: OffsetDateTime,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO known_devices (account_id, device_hash, first_seen, last_seen) VALUES ($1, $2, $3, $3) \
         ON CONFLICT (account_id, device_hash) DO UPDATE SET last_seen = excluded.last_seen",
    )
    .bind(account_id)
    .bind(device_hash)
    .bind(ms(at))
    .execute(conn)
    .await
    .map_err(error::db("remember device"))?;
    Ok(())
}
