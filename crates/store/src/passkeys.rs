//! The `passkeys` and `webauthn_challenges` tables: each passkey factor's public
//! credential (unique credential id across accounts), its use (sign counter, backup
//! flags), and WebAuthn ceremonies waiting for an authenticator (finished by a guarded
//! delete, so a challenge works once; expired ones are swept when a new one starts).

use sa_domain::model::{PasskeyCredential, WebauthnChallenge};
use sa_domain::store::{StoreError, StoreResult};
use sqlx::AssertSqlSafe;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, AnyPool};
use time::OffsetDateTime;

use crate::error;
use crate::rows::{self, ms};

const PASSKEY_COLUMNS: &str =
    "factor_id, account_id, credential_id, credential, sign_count, backup_eligible, backup_state";

fn passkey_from_row(row: &AnyRow) -> StoreResult<PasskeyCredential> {
    Ok(PasskeyCredential {
        factor_id: rows::text(row, "factor_id")?,
        account_id: rows::text(row, "account_id")?,
        credential_id: rows::text(row, "credential_id")?,
        credential_json: rows::text(row, "credential")?,
        sign_count: rows::int(row, "sign_count")?,
        backup_eligible: rows::int(row, "backup_eligible")? != 0,
        backup_state: rows::int(row, "backup_state")? != 0,
    })
}

pub(crate) async fn of_account(
    pool: &AnyPool,
    account_id: &str,
) -> StoreResult<Vec<PasskeyCredential>> {
    sqlx::query(AssertSqlSafe(format!(
        "SELECT {PASSKEY_COLUMNS} FROM passkeys WHERE account_id = $1 ORDER BY factor_id"
    )))
    .bind(account_id)
    .fetch_all(pool)
    .await
    .map_err(error::db("passkeys of account"))?
    .iter()
    .map(passkey_from_row)
    .collect()
}

pub(crate) async fn by_credential_id(
    pool: &AnyPool,
    credential_id: &str,
) -> StoreResult<Option<PasskeyCredential>> {
    sqlx::query(AssertSqlSafe(format!(
        "SELECT {PASSKEY_COLUMNS} FROM passkeys WHERE credential_id = $1"
    )))
    .bind(credential_id)
    .fetch_optional(pool)
    .await
    .map_err(error::db("passkey by credential id"))?
    .as_ref()
    .map(passkey_from_row)
    .transpose()
}

/// *Guarded*: a credential id registered to any account fails the change.
pub(crate) async fn insert(
    conn: &mut AnyConnection,
    passkey: &PasskeyCredential,
) -> StoreResult<()> {
    let result = sqlx::query(AssertSqlSafe(format!(
        "INSERT INTO passkeys ({PASSKEY_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7)"
    )))
    .bind(&passkey.factor_id)
    .bind(&passkey.account_id)
    .bind(&passkey.credential_id)
    .bind(&passkey.credential_json)
    .bind(passkey.sign_count)
    .bind(i64::from(passkey.backup_eligible))
    .bind(i64::from(passkey.backup_state))
    .execute(conn)
    .await;
    match result {
        Ok(_) => Ok(()),
        Err(e) if error::is_unique_violation(&e) => Err(StoreError::GuardFailed(
            "passkey credential already registered",
        )),
        Err(e) => Err(error::db("insert passkey")(e)),
    }
}

/// After a use: the credential as updated, its counter and flags.
pub(crate) async fn record_use(
    conn: &mut AnyConnection,
    passkey: &PasskeyCredential,
) -> StoreResult<()> {
    sqlx::query(
        "UPDATE passkeys SET credential = $1, sign_count = $2, backup_eligible = $3, backup_state = $4 \
         WHERE factor_id = $5",
    )
    .bind(&passkey.credential_json)
    .bind(passkey.sign_count)
    .bind(i64::from(passkey.backup_eligible))
    .bind(i64::from(passkey.backup_state))
    .bind(&passkey.factor_id)
    .execute(conn)
    .await
    .map_err(error::db("record passkey use"))?;
    Ok(())
}

/// The passkeys of these factors (a factor's deletion takes its passkey with it).
pub(crate) async fn delete_of_factor(conn: &mut AnyConnection, factor_id: &str) -> StoreResult<()> {
    sqlx::query("DELETE FROM passkeys WHERE factor_id = $1")
        .bind(factor_id)
        .execute(conn)
        .await
        .map_err(error::db("delete passkey"))?;
    Ok(())
}

const CHALLENGE_COLUMNS: &str =
    "id, purpose, account_id, session_id, factor_id, state_sealed, created_at, expires_at";

fn challenge_from_row(row: &AnyRow) -> StoreResult<WebauthnChallenge> {
    Ok(WebauthnChallenge {
        id: rows::text(row, "id")?,
        purpose: rows::text(row, "purpose")?,
        account_id: rows::opt_text(row, "account_id")?,
        session_id: rows::opt_text(row, "session_id")?,
        factor_id: rows::opt_text(row, "factor_id")?,
        state_sealed: rows::text(row, "state_sealed")?,
        created_at: rows::time(row, "created_at")?,
        expires_at: rows::time(row, "expires_at")?,
    })
}

pub(crate) async fn challenge(pool: &AnyPool, id: &str) -> StoreResult<Option<WebauthnChallenge>> {
    sqlx::query(AssertSqlSafe(format!(
        "SELECT {CHALLENGE_COLUMNS} FROM webauthn_challenges WHERE id = $1"
    )))
    .bind(id)
    .fetch_optional(pool)
    .await
    .map_err(error::db("webauthn challenge"))?
    .as_ref()
    .map(challenge_from_row)
    .transpose()
}

/// A new ceremony, replacing one under the same id; ceremonies that expired before it
/// started are swept first.
pub(crate) async fn insert_challenge(
    conn: &mut AnyConnection,
    challenge: &WebauthnChallenge,
) -> StoreResult<()> {
    sqlx::query("DELETE FROM webauthn_challenges WHERE id = $1 OR expires_at <= $2")
        .bind(&challenge.id)
        .bind(ms(challenge.created_at))
        .execute(&mut *conn)
        .await
        .map_err(error::db("sweep webauthn challenges"))?;
    sqlx::query(AssertSqlSafe(format!(
        "INSERT INTO webauthn_challenges ({CHALLENGE_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
    )))
    .bind(&challenge.id)
    .bind(&challenge.purpose)
    .bind(challenge.account_id.as_deref())
    .bind(challenge.session_id.as_deref())
    .bind(challenge.factor_id.as_deref())
    .bind(&challenge.state_sealed)
    .bind(ms(challenge.created_at))
    .bind(ms(challenge.expires_at))
    .execute(conn)
    .await
    .map_err(error::db("insert webauthn challenge"))?;
    Ok(())
}

/// *Guarded*: the ceremony must exist and not have expired at `at`; it is deleted, so
/// two answers to one challenge cannot both finish.
pub(crate) async fn consume_challenge(
    conn: &mut AnyConnection,
    id: &str,
    at: OffsetDateTime,
) -> StoreResult<()> {
    let done = sqlx::query("DELETE FROM webauthn_challenges WHERE id = $1 AND expires_at > $2")
        .bind(id)
        .bind(ms(at))
        .execute(conn)
        .await
        .map_err(error::db("consume webauthn challenge"))?;
    if done.rows_affected() == 1 {
        Ok(())
    } else {
        Err(StoreError::GuardFailed(
            "webauthn challenge used or expired",
        ))
    }
}
