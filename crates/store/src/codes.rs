//! The `one_time_codes` table: the newest code (used or not), how many were sent lately, and
//! the code writes of a change (insert, the guarded consume, attempts, retirement).

use sa_domain::model::OneTimeCode;
use sa_domain::store::{StoreError, StoreResult};
use sqlx::AssertSqlSafe;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, AnyPool};
use time::OffsetDateTime;

use crate::error;
use crate::rows::{self, ms, opt_ms};

const COLUMNS: &str =
    "id, account_id, purpose, factor_id, code_hash, created_at, expires_at, used_at, attempts";

fn from_row(row: &AnyRow) -> StoreResult<OneTimeCode> {
    Ok(OneTimeCode {
        id: rows::text(row, "id")?,
        account_id: rows::text(row, "account_id")?,
        purpose: rows::text(row, "purpose")?,
        factor_id: rows::opt_text(row, "factor_id")?,
        code_hash: rows::text(row, "code_hash")?,
        created_at: rows::time(row, "created_at")?,
        expires_at: rows::time(row, "expires_at")?,
        used_at: rows::opt_time(row, "used_at")?,
        attempts: rows::int(row, "attempts")?,
    })
}

/// The newest code of the purpose, used or not (so a replayed code can be told from a
/// wrong one); of the factor too when one is given.
pub(crate) async fn latest(
    pool: &AnyPool,
    account_id: &str,
    purpose: &str,
    factor_id: Option<&str>,
) -> StoreResult<Option<OneTimeCode>> {
    sqlx::query(AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM one_time_codes \
         WHERE account_id = $1 AND purpose = $2 AND ($3 IS NULL OR factor_id = $3) \
         ORDER BY created_at DESC, id DESC LIMIT 1"
    )))
    .bind(account_id)
    .bind(purpose)
    .bind(factor_id)
    .fetch_optional(pool)
    .await
    .map_err(error::db("latest code"))?
    .as_ref()
    .map(from_row)
    .transpose()
}

/// Codes of the purpose created at or after `since`.
pub(crate) async fn created_since(
    pool: &AnyPool,
    account_id: &str,
    purpose: &str,
    since: OffsetDateTime,
) -> StoreResult<i64> {
    let row = sqlx::query(
        "SELECT COUNT(*) AS n FROM one_time_codes WHERE account_id = $1 AND purpose = $2 AND created_at >= $3",
    )
    .bind(account_id)
    .bind(purpose)
    .bind(ms(since))
    .fetch_one(pool)
    .await
    .map_err(error::db("codes created since"))?;
    rows::int(&row, "n")
}

pub(crate) async fn insert(conn: &mut AnyConnection, code: &OneTimeCode) -> StoreResult<()> {
    sqlx::query(AssertSqlSafe(format!(
        "INSERT INTO one_time_codes ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
    )))
    .bind(&code.id)
    .bind(&code.account_id)
    .bind(&code.purpose)
    .bind(code.factor_id.as_deref())
    .bind(&code.code_hash)
    .bind(ms(code.created_at))
    .bind(ms(code.expires_at))
    .bind(opt_ms(code.used_at))
    .bind(code.attempts)
    .execute(conn)
    .await
    .map_err(error::db("insert code"))?;
    Ok(())
}

/// *Guarded*: only an unused code can be consumed.
pub(crate) async fn consume(
    conn: &mut AnyConnection,
    code_id: &str,
    at: OffsetDateTime,
) -> StoreResult<()> {
    let done =
        sqlx::query("UPDATE one_time_codes SET used_at = $1 WHERE id = $2 AND used_at IS NULL")
            .bind(ms(at))
            .bind(code_id)
            .execute(conn)
            .await
            .map_err(error::db("consume code"))?;
    if done.rows_affected() == 1 {
        Ok(())
    } else {
        Err(StoreError::GuardFailed("code already used or missing"))
    }
}

pub(crate) async fn count_attempt(conn: &mut AnyConnection, code_id: &str) -> StoreResult<()> {
    sqlx::query("UPDATE one_time_codes SET attempts = attempts + 1 WHERE id = $1")
        .bind(code_id)
        .execute(conn)
        .await
        .map_err(error::db("count code attempt"))?;
    Ok(())
}

/// Every unused code of the account and purpose becomes used at `at`.
pub(crate) async fn retire(
    conn: &mut AnyConnection,
    account_id: &str,
    purpose: &str,
    at: OffsetDateTime,
) -> StoreResult<()> {
    sqlx::query(
        "UPDATE one_time_codes SET used_at = $1 WHERE account_id = $2 AND purpose = $3 AND used_at IS NULL",
    )
    .bind(ms(at))
    .bind(account_id)
    .bind(purpose)
    .execute(conn)
    .await
    .map_err(error::db("retire codes"))?;
    Ok(())
}

/// Codes bound to a factor (removed with it).
pub(crate) async fn delete_of_factor(conn: &mut AnyConnection, factor_id: &str) -> StoreResult<()> {
    sqlx::query("DELETE FROM one_time_codes WHERE factor_id = $1")
        .bind(factor_id)
        .execute(conn)
        .await
        .map_err(error::db("delete codes of factor"))?;
    Ok(())
}
