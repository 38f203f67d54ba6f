//! Deleting an account at its owner's request, in the change's transaction, as
//! `docs/retention.md` says:
//!
//! - erased: sessions, sign-in methods and their codes, one-time codes, "this wasn't
//!   me" tokens, account resets, a waiting email address, the sign-in history and
//!   security history, known devices, the proofing case (what was typed, sealed), the
//!   print content of letters (unused ones expire), a temporary password, staff roles,
//!   and single sign-on consents, codes and tokens;
//! - left: a tombstone row (`deleted_at`; the username becomes `deleted:<id>`, so it is
//!   free again; no email, no password), proofing attempts (reason codes only, for the
//!   funnel), staff evidence (knowledge checks and in-person records, sealed), and the
//!   audit log;
//! - a verified SSN stays held by the tombstone until `ssn_released_at`, then may be
//!   verified on another account.

use sa_domain::store::StoreResult;
use sqlx::AnyConnection;
use time::OffsetDateTime;

use crate::error;
use crate::rows::ms;

/// Tables whose rows of the account are deleted outright, children first.
const ERASED: &[&str] = &[
    "DELETE FROM backup_codes WHERE factor_id IN (SELECT id FROM factors WHERE account_id = $1)",
    "DELETE FROM passkeys WHERE account_id = $1",
    "DELETE FROM webauthn_challenges WHERE account_id = $1",
    "DELETE FROM one_time_codes WHERE account_id = $1",
    "DELETE FROM factors WHERE account_id = $1",
    "DELETE FROM sessions WHERE account_id = $1",
    "DELETE FROM login_history WHERE account_id = $1",
    "DELETE FROM security_events WHERE account_id = $1",
    "DELETE FROM known_devices WHERE account_id = $1",
    "DELETE FROM disavow_tokens WHERE account_id = $1",
    "DELETE FROM account_resets WHERE account_id = $1",
    "DELETE FROM email_changes WHERE account_id = $1",
    "DELETE FROM identity_recoveries WHERE account_id = $1",
    "DELETE FROM temporary_passwords WHERE account_id = $1",
    "DELETE FROM proofing_cases WHERE account_id = $1",
    "DELETE FROM staff_roles WHERE account_id = $1",
    "DELETE FROM oidc_consents WHERE account_id = $1",
    "DELETE FROM oidc_codes WHERE account_id = $1",
    "DELETE FROM oidc_tokens WHERE account_id = $1",
    "DELETE FROM oidc_refresh_tokens WHERE account_id = $1",
];

pub(crate) async fn delete_account(
    conn: &mut AnyConnection,
    account_id: &str,
    at: OffsetDateTime,
    ssn_released_at: OffsetDateTime,
) -> StoreResult<()> {
    for statement in ERASED {
        sqlx::query(*statement)
            .bind(account_id)
            .execute(&mut *conn)
            .await
            .map_err(error::db("delete account data"))?;
    }
    sqlx::query(
        "UPDATE letters SET print_sealed = NULL, \
         expired_at = CASE WHEN activated_at IS NULL AND expired_at IS NULL THEN $2 ELSE expired_at END \
         WHERE account_id = $1",
    )
    .bind(account_id)
    .bind(ms(at))
    .execute(&mut *conn)
    .await
    .map_err(error::db("delete account letters"))?;
    sqlx::query("UPDATE verified_ssns SET released_at = $2 WHERE account_id = $1")
        .bind(account_id)
        .bind(ms(ssn_released_at))
        .execute(&mut *conn)
        .await
        .map_err(error::db("hold verified ssn"))?;
    sqlx::query(
        "UPDATE accounts SET username = 'deleted:' || id, email_sealed = '', password_hash = '!', \
         email_confirmed_at = NULL, identity_verified_at = NULL, identity_verified_by = NULL, \
         password_change_required = 0, password_reset_required = 0, deleted_at = $2 \
         WHERE id = $1",
    )
    .bind(account_id)
    .bind(ms(at))
    .execute(conn)
    .await
    .map_err(error::db("delete account"))?;
    Ok(())
}
