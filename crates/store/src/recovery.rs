//! Account recovery rows: the "this wasn't me" tokens of security emails, account
//! resets waiting out their delay, and the account-wide writes recovery makes (require a
//! password reset, end every session, remove every factor, upgrade a legacy hash).

use sa_domain::model::{AccountReset, DisavowToken, IdentityRecovery};
use sa_domain::store::{StoreError, StoreResult};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, AnyPool};
use time::OffsetDateTime;

use crate::error;
use crate::rows::{self, ms, opt_ms};

fn token_from_row(row: &AnyRow) -> StoreResult<DisavowToken> {
    Ok(DisavowToken {
        token_hash: rows::text(row, "token_hash")?,
        account_id: rows::text(row, "account_id")?,
        created_at: rows::time(row, "created_at")?,
        expires_at: rows::time(row, "expires_at")?,
        used_at: rows::opt_time(row, "used_at")?,
    })
}

pub(crate) async fn disavow_token(
    pool: &AnyPool,
    token_hash: &str,
) -> StoreResult<Option<DisavowToken>> {
    sqlx::query(
        "SELECT token_hash, account_id, created_at, expires_at, used_at \
         FROM disavow_tokens WHERE token_hash = $1",
    )
    .bind(token_hash)
    .fetch_optional(pool)
    .await
    .map_err(error::db("disavow token"))?
    .as_ref()
    .map(token_from_row)
    .transpose()
}

pub(crate) async fn insert_disavow_token(
    conn: &mut AnyConnection,
    token: &DisavowToken,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO disavow_tokens (token_hash, account_id, created_at, expires_at, used_at) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(&token.token_hash)
    .bind(&token.account_id)
    .bind(ms(token.created_at))
    .bind(ms(token.expires_at))
    .bind(opt_ms(token.used_at))
    .execute(conn)
    .await
    .map_err(error::db("insert disavow token"))?;
    Ok(())
}

pub(crate) async fn use_disavow_token(
    conn: &mut AnyConnection,
    token_hash: &str,
    at: OffsetDateTime,
) -> StoreResult<()> {
    let done = sqlx::query(
        "UPDATE disavow_tokens SET used_at = $1 WHERE token_hash = $2 AND used_at IS NULL",
    )
    .bind(ms(at))
    .bind(token_hash)
    .execute(conn)
    .await
    .map_err(error::db("use disavow token"))?;
    guarded(done.rows_affected(), "disavow token already used")
}

fn reset_from_row(row: &AnyRow) -> StoreResult<AccountReset> {
    Ok(AccountReset {
        id: rows::text(row, "id")?,
        account_id: rows::text(row, "account_id")?,
        started_at: rows::time(row, "started_at")?,
        ready_at: rows::time(row, "ready_at")?,
        cancelled_at: rows::opt_time(row, "cancelled_at")?,
        completed_at: rows::opt_time(row, "completed_at")?,
    })
}

pub(crate) async fn latest_account_reset(
    pool: &AnyPool,
    account_id: &str,
) -> StoreResult<Option<AccountReset>> {
    sqlx::query(
        "SELECT id, account_id, started_at, ready_at, cancelled_at, completed_at \
         FROM account_resets WHERE account_id = $1 ORDER BY started_at DESC, id DESC LIMIT 1",
    )
    .bind(account_id)
    .fetch_optional(pool)
    .await
    .map_err(error::db("latest account reset"))?
    .as_ref()
    .map(reset_from_row)
    .transpose()
}

pub(crate) async fn insert_account_reset(
    conn: &mut AnyConnection,
    reset: &AccountReset,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO account_resets (id, account_id, started_at, ready_at, cancelled_at, completed_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(&reset.id)
    .bind(&reset.account_id)
    .bind(ms(reset.started_at))
    .bind(ms(reset.ready_at))
    .bind(opt_ms(reset.cancelled_at))
    .bind(opt_ms(reset.completed_at))
    .execute(conn)
    .await
    .map_err(error::db("insert account reset"))?;
    Ok(())
}

pub(crate) async fn cancel_account_resets(
    conn: &mut AnyConnection,
    account_id: &str,
    at: OffsetDateTime,
) -> StoreResult<()> {
    sqlx::query(
        "UPDATE account_resets SET cancelled_at = $1 \
         WHERE account_id = $2 AND cancelled_at IS NULL AND completed_at IS NULL",
    )
    .bind(ms(at))
    .bind(account_id)
    .execute(conn)
    .await
    .map_err(error::db("cancel account resets"))?;
    Ok(())
}

pub(crate) async fn complete_account_reset(
    conn: &mut AnyConnection,
    reset_id: &str,
    at: OffsetDateTime,
) -> StoreResult<()> {
    let done = sqlx::query(
        "UPDATE account_resets SET completed_at = $1 \
         WHERE id = $2 AND cancelled_at IS NULL AND completed_at IS NULL",
    )
    .bind(ms(at))
    .bind(reset_id)
    .execute(conn)
    .await
    .map_err(error::db("complete account reset"))?;
    guarded(done.rows_affected(), "account reset no longer open")
}

pub(crate) async fn require_password_reset(
    conn: &mut AnyConnection,
    account_id: &str,
) -> StoreResult<()> {
    sqlx::query("UPDATE accounts SET password_reset_required = 1 WHERE id = $1")
        .bind(account_id)
        .execute(conn)
        .await
        .map_err(error::db("require password reset"))?;
    Ok(())
}

pub(crate) async fn upgrade_password_hash(
    conn: &mut AnyConnection,
    account_id: &str,
    old_hash: &str,
    new_hash: &str,
) -> StoreResult<()> {
    let done =
        sqlx::query("UPDATE accounts SET password_hash = $1 WHERE id = $2 AND password_hash = $3")
            .bind(new_hash)
            .bind(account_id)
            .bind(old_hash)
            .execute(conn)
            .await
            .map_err(error::db("upgrade password hash"))?;
    guarded(done.rows_affected(), "password hash already changed")
}

pub(crate) async fn end_all_sessions(
    conn: &mut AnyConnection,
    account_id: &str,
) -> StoreResult<()> {
    sqlx::query("DELETE FROM sessions WHERE account_id = $1")
        .bind(account_id)
        .execute(&mut *conn)
        .await
        .map_err(error::db("end all sessions"))?;
    crate::oidc::delete_account_tokens(conn, account_id).await
}

/// Every factor of the account with its backup codes and passkey; the codes sent to the
/// factors go too.
pub(crate) async fn delete_all_factors(
    conn: &mut AnyConnection,
    account_id: &str,
) -> StoreResult<()> {
    sqlx::query(
        "DELETE FROM one_time_codes WHERE factor_id IN (SELECT id FROM factors WHERE account_id = $1)",
    )
    .bind(account_id)
    .execute(&mut *conn)
    .await
    .map_err(error::db("delete factor codes"))?;
    sqlx::query("DELETE FROM backup_codes WHERE factor_id IN (SELECT id FROM factors WHERE account_id = $1)")
        .bind(account_id)
        .execute(&mut *conn)
        .await
        .map_err(error::db("delete backup codes"))?;
    sqlx::query("DELETE FROM passkeys WHERE account_id = $1")
        .bind(account_id)
        .execute(&mut *conn)
        .await
        .map_err(error::db("delete passkeys"))?;
    sqlx::query("DELETE FROM factors WHERE account_id = $1")
        .bind(account_id)
        .execute(conn)
        .await
        .map_err(error::db("delete factors"))?;
    Ok(())
}

pub(crate) async fn identity_recovery(
    pool: &AnyPool,
    account_id: &str,
) -> StoreResult<Option<IdentityRecovery>> {
    let row = sqlx::query(
        "SELECT account_id, step, started_at, updated_at, claim_sealed \
         FROM identity_recoveries WHERE account_id = $1",
    )
    .bind(account_id)
    .fetch_optional(pool)
    .await
    .map_err(error::db("identity recovery"))?;
    row.map(|row| {
        Ok(IdentityRecovery {
            account_id: rows::text(&row, "account_id")?,
            step: rows::text(&row, "step")?,
            started_at: rows::time(&row, "started_at")?,
            updated_at: rows::time(&row, "updated_at")?,
            claim_sealed: rows::opt_text(&row, "claim_sealed")?,
        })
    })
    .transpose()
}

pub(crate) async fn save_identity_recovery(
    conn: &mut AnyConnection,
    recovery: &IdentityRecovery,
) -> StoreResult<()> {
    delete_identity_recovery(&mut *conn, &recovery.account_id).await?;
    sqlx::query(
        "INSERT INTO identity_recoveries (account_id, step, started_at, updated_at, claim_sealed) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(&recovery.account_id)
    .bind(&recovery.step)
    .bind(ms(recovery.started_at))
    .bind(ms(recovery.updated_at))
    .bind(recovery.claim_sealed.as_deref())
    .execute(conn)
    .await
    .map_err(error::db("save identity recovery"))?;
    Ok(())
}

pub(crate) async fn delete_identity_recovery(
    conn: &mut AnyConnection,
    account_id: &str,
) -> StoreResult<()> {
    sqlx::query("DELETE FROM identity_recoveries WHERE account_id = $1")
        .bind(account_id)
        .execute(conn)
        .await
        .map_err(error::db("delete identity recovery"))?;
    Ok(())
}

pub(crate) async fn pending_email(
    pool: &AnyPool,
    account_id: &str,
) -> StoreResult<Option<(String, OffsetDateTime)>> {
    let row =
        sqlx::query("SELECT email_sealed, created_at FROM email_changes WHERE account_id = $1")
            .bind(account_id)
            .fetch_optional(pool)
            .await
            .map_err(error::db("pending email"))?;
    row.map(|row| {
        Ok((
            rows::text(&row, "email_sealed")?,
            rows::time(&row, "created_at")?,
        ))
    })
    .transpose()
}

pub(crate) async fn set_pending_email(
    conn: &mut AnyConnection,
    account_id: &str,
    email_sealed: &str,
    at: OffsetDateTime,
) -> StoreResult<()> {
    clear_pending_email(&mut *conn, account_id).await?;
    sqlx::query(
        "INSERT INTO email_changes (account_id, email_sealed, created_at) VALUES ($1, $2, $3)",
    )
    .bind(account_id)
    .bind(email_sealed)
    .bind(ms(at))
    .execute(conn)
    .await
    .map_err(error::db("set pending email"))?;
    Ok(())
}

pub(crate) async fn change_email(
    conn: &mut AnyConnection,
    account_id: &str,
    at: OffsetDateTime,
) -> StoreResult<()> {
    let done = sqlx::query(
        "UPDATE accounts SET email_sealed = (SELECT email_sealed FROM email_changes WHERE account_id = $1), \
         email_confirmed_at = $2 \
         WHERE id = $1 AND EXISTS (SELECT 1 FROM email_changes WHERE account_id = $1)",
    )
    .bind(account_id)
    .bind(ms(at))
    .execute(&mut *conn)
    .await
    .map_err(error::db("change email"))?;
    guarded(done.rows_affected(), "no pending email address")?;
    clear_pending_email(conn, account_id).await
}

pub(crate) async fn clear_pending_email(
    conn: &mut AnyConnection,
    account_id: &str,
) -> StoreResult<()> {
    sqlx::query("DELETE FROM email_changes WHERE account_id = $1")
        .bind(account_id)
        .execute(conn)
        .await
        .map_err(error::db("clear pending email"))?;
    Ok(())
}

fn guarded(rows: u64, what: &'static str) -> StoreResult<()> {
    if rows == 1 {
        Ok(())
    } else {
        Err(StoreError::GuardFailed(what))
    }
}
