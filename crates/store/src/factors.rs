//! The `factors` and `backup_codes` tables: an account's second factors, backup-code
//! checks, and the factor writes of a change (insert, confirm, use, the guarded TOTP
//! step and backup-code use, the failure counter, deletion).

use sa_domain::model::{Factor, FactorKind};
use sa_domain::store::{StoreError, StoreResult};
use sqlx::AssertSqlSafe;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, AnyPool};
use time::OffsetDateTime;

use crate::rows::{self, ms, opt_ms};
use crate::{codes, error};

const COLUMNS: &str = "id, account_id, kind, label, secret_sealed, created_at, confirmed_at, last_used_at, \
                       last_totp_step, consecutive_failures, disabled_at";

fn from_row(row: &AnyRow) -> StoreResult<Factor> {
    Ok(Factor {
        id: rows::text(row, "id")?,
        account_id: rows::text(row, "account_id")?,
        kind: FactorKind::parse(&rows::text(row, "kind")?)
            .ok_or_else(|| rows::unknown("factors.kind"))?,
        label: rows::text(row, "label")?,
        secret_sealed: rows::opt_text(row, "secret_sealed")?,
        created_at: rows::time(row, "created_at")?,
        confirmed_at: rows::opt_time(row, "confirmed_at")?,
        last_used_at: rows::opt_time(row, "last_used_at")?,
        last_totp_step: rows::opt_int(row, "last_totp_step")?,
        consecutive_failures: rows::int(row, "consecutive_failures")?,
        disabled_at: rows::opt_time(row, "disabled_at")?,
    })
}

/// All factors of the account, oldest first.
pub(crate) async fn of_account(pool: &AnyPool, account_id: &str) -> StoreResult<Vec<Factor>> {
    sqlx::query(AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM factors WHERE account_id = $1 ORDER BY created_at, id"
    )))
    .bind(account_id)
    .fetch_all(pool)
    .await
    .map_err(error::db("factors"))?
    .iter()
    .map(from_row)
    .collect()
}

/// `None`: no such code; `Some(None)`: unused; `Some(Some(at))`: used at `at`.
pub(crate) async fn backup_code_used_at(
    pool: &AnyPool,
    factor_id: &str,
    code_hash: &str,
) -> StoreResult<Option<Option<OffsetDateTime>>> {
    sqlx::query("SELECT used_at FROM backup_codes WHERE factor_id = $1 AND code_hash = $2")
        .bind(factor_id)
        .bind(code_hash)
        .fetch_optional(pool)
        .await
        .map_err(error::db("backup code used at"))?
        .as_ref()
        .map(|row| rows::opt_time(row, "used_at"))
        .transpose()
}

pub(crate) async fn backup_codes_left(pool: &AnyPool, factor_id: &str) -> StoreResult<i64> {
    let row = sqlx::query(
        "SELECT COUNT(*) AS n FROM backup_codes WHERE factor_id = $1 AND used_at IS NULL",
    )
    .bind(factor_id)
    .fetch_one(pool)
    .await
    .map_err(error::db("backup codes left"))?;
    rows::int(&row, "n")
}

pub(crate) async fn insert(conn: &mut AnyConnection, factor: &Factor) -> StoreResult<()> {
    sqlx::query(AssertSqlSafe(format!(
        "INSERT INTO factors ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)"
    )))
    .bind(&factor.id)
    .bind(&factor.account_id)
    .bind(factor.kind.as_str())
    .bind(&factor.label)
    .bind(factor.secret_sealed.as_deref())
    .bind(ms(factor.created_at))
    .bind(opt_ms(factor.confirmed_at))
    .bind(opt_ms(factor.last_used_at))
    .bind(factor.last_totp_step)
    .bind(factor.consecutive_failures)
    .bind(opt_ms(factor.disabled_at))
    .execute(conn)
    .await
    .map_err(error::db("insert factor"))?;
    Ok(())
}

pub(crate) async fn confirm(
    conn: &mut AnyConnection,
    factor_id: &str,
    at: OffsetDateTime,
) -> StoreResult<()> {
    sqlx::query("UPDATE factors SET confirmed_at = $1 WHERE id = $2")
        .bind(ms(at))
        .bind(factor_id)
        .execute(conn)
        .await
        .map_err(error::db("confirm factor"))?;
    Ok(())
}

/// A successful use: `last_used_at = at`, failures reset.
pub(crate) async fn used(
    conn: &mut AnyConnection,
    factor_id: &str,
    at: OffsetDateTime,
) -> StoreResult<()> {
    sqlx::query("UPDATE factors SET last_used_at = $1, consecutive_failures = 0 WHERE id = $2")
        .bind(ms(at))
        .bind(factor_id)
        .execute(conn)
        .await
        .map_err(error::db("factor used"))?;
    Ok(())
}

/// *Guarded*: the step must be higher than the last accepted one (replay protection).
/// With `used_at` (a sign-in) the same statement records the use as [`used`] does;
/// without it only the step changes (an authenticator app being confirmed, which is
/// not a "use").
pub(crate) async fn advance_totp_step(
    conn: &mut AnyConnection,
    factor_id: &str,
    step: i64,
    used_at: Option<OffsetDateTime>,
) -> StoreResult<()> {
    let done = sqlx::query(
        "UPDATE factors SET last_totp_step = $1, \
         last_used_at = COALESCE($3, last_used_at), \
         consecutive_failures = CASE WHEN $3 IS NULL THEN consecutive_failures ELSE 0 END \
         WHERE id = $2 AND (last_totp_step IS NULL OR last_totp_step < $1)",
    )
    .bind(step)
    .bind(factor_id)
    .bind(opt_ms(used_at))
    .execute(conn)
    .await
    .map_err(error::db("advance totp step"))?;
    if done.rows_affected() == 1 {
        Ok(())
    } else {
        Err(StoreError::GuardFailed(
            "totp step already used or factor missing",
        ))
    }
}

/// One atomic statement: `consecutive_failures + 1`, disabled at `disable_at` (an
/// already disabled factor keeps its first `disabled_at`).
pub(crate) async fn count_failure(
    conn: &mut AnyConnection,
    factor_id: &str,
    disable_at: i64,
    at: OffsetDateTime,
) -> StoreResult<()> {
    sqlx::query(
        "UPDATE factors SET \
         disabled_at = CASE WHEN disabled_at IS NULL AND consecutive_failures + 1 >= $1 THEN $2 ELSE disabled_at END, \
         consecutive_failures = consecutive_failures + 1 \
         WHERE id = $3",
    )
    .bind(disable_at)
    .bind(ms(at))
    .bind(factor_id)
    .execute(conn)
    .await
    .map_err(error::db("count factor failure"))?;
    Ok(())
}

/// The factor, its backup codes, its one-time codes and its passkey.
pub(crate) async fn delete(conn: &mut AnyConnection, factor_id: &str) -> StoreResult<()> {
    sqlx::query("DELETE FROM backup_codes WHERE factor_id = $1")
        .bind(factor_id)
        .execute(&mut *conn)
        .await
        .map_err(error::db("delete backup codes"))?;
    codes::delete_of_factor(&mut *conn, factor_id).await?;
    crate::passkeys::delete_of_factor(&mut *conn, factor_id).await?;
    sqlx::query("DELETE FROM factors WHERE id = $1")
        .bind(factor_id)
        .execute(conn)
        .await
        .map_err(error::db("delete factor"))?;
    Ok(())
}

pub(crate) async fn insert_backup_codes(
    conn: &mut AnyConnection,
    factor_id: &str,
    code_hashes: &[String],
) -> StoreResult<()> {
    for code_hash in code_hashes {
        sqlx::query(
            "INSERT INTO backup_codes (factor_id, code_hash, used_at) VALUES ($1, $2, NULL)",
        )
        .bind(factor_id)
        .bind(code_hash)
        .execute(&mut *conn)
        .await
        .map_err(error::db("insert backup code"))?;
    }
    Ok(())
}

/// *Guarded*: the code must exist unused.
pub(crate) async fn use_backup_code(
    conn: &mut AnyConnection,
    factor_id: &str,
    code_hash: &str,
    at: OffsetDateTime,
) -> StoreResult<()> {
    let done = sqlx::query(
        "UPDATE backup_codes SET used_at = $1 WHERE factor_id = $2 AND code_hash = $3 AND used_at IS NULL",
    )
    .bind(ms(at))
    .bind(factor_id)
    .bind(code_hash)
    .execute(conn)
    .await
    .map_err(error::db("use backup code"))?;
    if done.rows_affected() == 1 {
        Ok(())
    } else {
        Err(StoreError::GuardFailed(
            "backup code already used or unknown",
        ))
    }
}
