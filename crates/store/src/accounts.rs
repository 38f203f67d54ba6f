//! The `accounts` table: reads by username and id, and the account writes of a change
//! (insert, email confirmation, the second-factor try counter and lock).

use sa_domain::model::Account;
use sa_domain::store::{CodeTry, StoreError, StoreResult};
use sa_i18n::Lang;
use sqlx::AssertSqlSafe;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, AnyPool};
use time::OffsetDateTime;

use crate::error;
use crate::rows::{self, ms, opt_ms};

const COLUMNS: &str = "id, username, email_sealed, password_hash, created_at, email_confirmed_at, code_failures, code_locked_until, identity_verified_at, identity_verified_by, password_change_required, password_reset_required, deleted_at, disabled_at, language";

/// The account columns of a read that joins `accounts` as `alias`, each under its own
/// name (so [`from_row`] reads them as from a plain read).
pub(crate) fn qualified_columns(alias: &str) -> String {
    COLUMNS
        .split(", ")
        .map(|column| format!("{alias}.{column} AS {column}"))
        .collect::<Vec<_>>()
        .join(", ")
}

pub(crate) fn from_row(row: &AnyRow) -> StoreResult<Account> {
    Ok(Account {
        id: rows::text(row, "id")?,
        username: rows::text(row, "username")?,
        email_sealed: rows::text(row, "email_sealed")?,
        password_hash: rows::text(row, "password_hash")?,
        created_at: rows::time(row, "created_at")?,
        email_confirmed_at: rows::opt_time(row, "email_confirmed_at")?,
        code_failures: rows::int(row, "code_failures")?,
        code_locked_until: rows::opt_time(row, "code_locked_until")?,
        identity_verified_at: rows::opt_time(row, "identity_verified_at")?,
        identity_verified_by: rows::opt_text(row, "identity_verified_by")?,
        password_change_required: rows::int(row, "password_change_required")? != 0,
        password_reset_required: rows::int(row, "password_reset_required")? != 0,
        deleted_at: rows::opt_time(row, "deleted_at")?,
        disabled_at: rows::opt_time(row, "disabled_at")?,
        language: Lang::from_tag(&rows::text(row, "language")?).unwrap_or_default(),
    })
}

pub(crate) async fn by_username(pool: &AnyPool, username: &str) -> StoreResult<Option<Account>> {
    sqlx::query(AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM accounts WHERE username = $1"
    )))
    .bind(username)
    .fetch_optional(pool)
    .await
    .map_err(error::db("account by username"))?
    .as_ref()
    .map(from_row)
    .transpose()
}

pub(crate) async fn by_id(pool: &AnyPool, account_id: &str) -> StoreResult<Option<Account>> {
    sqlx::query(AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM accounts WHERE id = $1"
    )))
    .bind(account_id)
    .fetch_optional(pool)
    .await
    .map_err(error::db("account by id"))?
    .as_ref()
    .map(from_row)
    .transpose()
}

/// Fails with [`StoreError::UsernameTaken`] when the username exists.
pub(crate) async fn insert(conn: &mut AnyConnection, account: &Account) -> StoreResult<()> {
    let result = sqlx::query(AssertSqlSafe(format!(
        "INSERT INTO accounts ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)"
    )))
    .bind(&account.id)
    .bind(&account.username)
    .bind(&account.email_sealed)
    .bind(&account.password_hash)
    .bind(ms(account.created_at))
    .bind(opt_ms(account.email_confirmed_at))
    .bind(account.code_failures)
    .bind(opt_ms(account.code_locked_until))
    .bind(opt_ms(account.identity_verified_at))
    .bind(account.identity_verified_by.as_deref())
    .bind(i64::from(account.password_change_required))
    .bind(i64::from(account.password_reset_required))
    .bind(opt_ms(account.deleted_at))
    .bind(opt_ms(account.disabled_at))
    .bind(account.language.code())
    .execute(conn)
    .await;
    match result {
        Ok(_) => Ok(()),
        Err(e) if error::is_unique_violation(&e) && names_username(&e) => {
            Err(StoreError::UsernameTaken)
        }
        Err(e) => Err(error::db("insert account")(e)),
    }
}

/// Whether a unique violation is the username's (PostgreSQL names the constraint,
/// SQLite names the column in its message), not, say, a duplicate id.
fn names_username(error: &sqlx::Error) -> bool {
    match error {
        sqlx::Error::Database(e) => {
            e.constraint().is_some_and(|c| c.contains("username"))
                || e.message().contains("username")
        }
        _ => false,
    }
}

pub(crate) async fn confirm_email(
    conn: &mut AnyConnection,
    account_id: &str,
    at: OffsetDateTime,
) -> StoreResult<()> {
    sqlx::query("UPDATE accounts SET email_confirmed_at = $1 WHERE id = $2")
        .bind(ms(at))
        .bind(account_id)
        .execute(conn)
        .await
        .map_err(error::db("confirm email"))?;
    Ok(())
}

/// See [`sa_domain::store::Store::claim_code_try`]: one conditional `UPDATE ...
/// RETURNING`, so the count, the lock and the answer cannot interleave with another try.
pub(crate) async fn claim_code_try(
    pool: &AnyPool,
    account_id: &str,
    lock_at: i64,
    now: OffsetDateTime,
    lock_until: OffsetDateTime,
) -> StoreResult<CodeTry> {
    let claimed = sqlx::query(
        "UPDATE accounts SET \
         code_locked_until = CASE WHEN code_failures + 1 >= $1 THEN $2 ELSE code_locked_until END, \
         code_failures = CASE WHEN code_failures + 1 >= $1 THEN 0 ELSE code_failures + 1 END \
         WHERE id = $3 AND (code_locked_until IS NULL OR code_locked_until <= $4) \
         RETURNING code_failures, code_locked_until",
    )
    .bind(lock_at)
    .bind(ms(lock_until))
    .bind(account_id)
    .bind(ms(now))
    .fetch_optional(pool)
    .await
    .map_err(error::db("claim code try"))?;
    if let Some(row) = claimed {
        let failures = rows::int(&row, "code_failures")?;
        let until = rows::opt_int(&row, "code_locked_until")?;
        return Ok(CodeTry::Claimed {
            set_lock: failures == 0 && until == Some(ms(lock_until)),
        });
    }
    let until = by_id(pool, account_id)
        .await?
        .and_then(|account| account.code_locked_until);
    Ok(CodeTry::Locked { until })
}

/// The language the person chose.
pub(crate) async fn set_language(
    conn: &mut AnyConnection,
    account_id: &str,
    language: Lang,
) -> StoreResult<()> {
    sqlx::query("UPDATE accounts SET language = $1 WHERE id = $2")
        .bind(language.code())
        .bind(account_id)
        .execute(conn)
        .await
        .map_err(error::db("set account language"))?;
    Ok(())
}

/// *Guarded*: turn the account off (`Some(at)`: it must be on) or on again (`None`: it
/// must be off), so two admins acting at once cannot both record a change.
pub(crate) async fn set_disabled(
    conn: &mut AnyConnection,
    account_id: &str,
    disabled_at: Option<OffsetDateTime>,
) -> StoreResult<()> {
    let sql = if disabled_at.is_some() {
        "UPDATE accounts SET disabled_at = $1 WHERE id = $2 AND disabled_at IS NULL"
    } else {
        "UPDATE accounts SET disabled_at = $1 WHERE id = $2 AND disabled_at IS NOT NULL"
    };
    let done = sqlx::query(sql)
        .bind(opt_ms(disabled_at))
        .bind(account_id)
        .execute(conn)
        .await
        .map_err(error::db("set account disabled"))?;
    if done.rows_affected() == 1 {
        Ok(())
    } else {
        Err(StoreError::GuardFailed("account already in that state"))
    }
}

/// A correct code: no failures, and the lock the try's own claim set (if any) lifted.
pub(crate) async fn reset_code_failures(
    conn: &mut AnyConnection,
    account_id: &str,
    clear_lock_until: Option<OffsetDateTime>,
) -> StoreResult<()> {
    sqlx::query(
        "UPDATE accounts SET code_failures = 0, \
         code_locked_until = CASE WHEN code_locked_until = $1 THEN NULL ELSE code_locked_until END \
         WHERE id = $2",
    )
    .bind(opt_ms(clear_lock_until))
    .bind(account_id)
    .execute(conn)
    .await
    .map_err(error::db("reset code failures"))?;
    Ok(())
}
