//! The `sessions` table: read by id (the token's SHA-256, with its account in the same
//! read) or by account, insert, touch, delete (one, or all of an account but one).

use std::sync::LazyLock;

use sa_domain::model::{Account, Session, SessionStage};
use sa_domain::store::StoreResult;
use sqlx::AssertSqlSafe;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, AnyPool};
use time::OffsetDateTime;

use crate::error;
use crate::rows::{self, ms, opt_ms};

const COLUMNS: &str = "id, account_id, stage, created_at, last_seen_at, factor_verified_at, ip, user_agent, auth_method";

fn from_row(row: &AnyRow) -> StoreResult<Session> {
    from_row_named(row, "id", "created_at")
}

/// A session from `row`, whose id and creation time are in the columns named (a read
/// joined with `accounts` renames them).
fn from_row_named(row: &AnyRow, id: &str, created_at: &str) -> StoreResult<Session> {
    Ok(Session {
        id: rows::text(row, id)?,
        account_id: rows::text(row, "account_id")?,
        stage: SessionStage::parse(&rows::text(row, "stage")?)
            .ok_or_else(|| rows::unknown("sessions.stage"))?,
        created_at: rows::time(row, created_at)?,
        last_seen_at: rows::time(row, "last_seen_at")?,
        factor_verified_at: rows::opt_time(row, "factor_verified_at")?,
        ip: rows::text(row, "ip")?
            .parse()
            .map_err(|_| rows::unknown("sessions.ip"))?,
        user_agent: rows::text(row, "user_agent")?,
        auth_method: rows::opt_text(row, "auth_method")?,
    })
}

/// The session and its account, read together: every signed-in request needs both, and
/// one read is one round trip to the database instead of two.
static WITH_ACCOUNT: LazyLock<String> = LazyLock::new(|| {
    format!(
        "SELECT s.id AS session_id, s.account_id, s.stage, s.created_at AS session_created_at, \
         s.last_seen_at, s.factor_verified_at, s.ip, s.user_agent, s.auth_method, {} \
         FROM sessions s JOIN accounts a ON a.id = s.account_id WHERE s.id = $1",
        crate::accounts::qualified_columns("a")
    )
});

pub(crate) async fn with_account(
    pool: &AnyPool,
    session_id: &str,
) -> StoreResult<Option<(Session, Account)>> {
    let Some(row) = sqlx::query(AssertSqlSafe(WITH_ACCOUNT.as_str()))
        .bind(session_id)
        .fetch_optional(pool)
        .await
        .map_err(error::db("session"))?
    else {
        return Ok(None);
    };
    Ok(Some((
        from_row_named(&row, "session_id", "session_created_at")?,
        crate::accounts::from_row(&row)?,
    )))
}

pub(crate) async fn of_account(pool: &AnyPool, account_id: &str) -> StoreResult<Vec<Session>> {
    sqlx::query(AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM sessions WHERE account_id = $1 ORDER BY last_seen_at DESC, id"
    )))
    .bind(account_id)
    .fetch_all(pool)
    .await
    .map_err(error::db("sessions of account"))?
    .iter()
    .map(from_row)
    .collect()
}

pub(crate) async fn delete_others(
    conn: &mut AnyConnection,
    account_id: &str,
    keep_session_id: &str,
) -> StoreResult<()> {
    sqlx::query("DELETE FROM sessions WHERE account_id = $1 AND id <> $2")
        .bind(account_id)
        .bind(keep_session_id)
        .execute(conn)
        .await
        .map_err(error::db("delete other sessions"))?;
    Ok(())
}

pub(crate) async fn insert(conn: &mut AnyConnection, session: &Session) -> StoreResult<()> {
    sqlx::query(AssertSqlSafe(format!(
        "INSERT INTO sessions ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
    )))
    .bind(&session.id)
    .bind(&session.account_id)
    .bind(session.stage.as_str())
    .bind(ms(session.created_at))
    .bind(ms(session.last_seen_at))
    .bind(opt_ms(session.factor_verified_at))
    .bind(session.ip.to_string())
    .bind(&session.user_agent)
    .bind(session.auth_method.as_deref())
    .execute(conn)
    .await
    .map_err(error::db("insert session"))?;
    Ok(())
}

pub(crate) async fn delete(conn: &mut AnyConnection, session_id: &str) -> StoreResult<()> {
    sqlx::query("DELETE FROM sessions WHERE id = $1")
        .bind(session_id)
        .execute(conn)
        .await
        .map_err(error::db("delete session"))?;
    Ok(())
}

pub(crate) async fn touch(
    conn: &mut AnyConnection,
    session_id: &str,
    at: OffsetDateTime,
) -> StoreResult<()> {
    sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE id = $2")
        .bind(ms(at))
        .bind(session_id)
        .execute(conn)
        .await
        .map_err(error::db("touch session"))?;
    Ok(())
}
