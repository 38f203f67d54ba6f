//! [`Change`]s: every write of a change runs, in order, in one transaction. Any error
//! (including a guarded write that matched no row) rolls the whole change back. A
//! change of one single-statement write runs as that statement alone, and so does each
//! write of a change marked independent when all its writes are single statements.

use sa_domain::store::{Change, StoreResult, Write};
use sqlx::{AnyConnection, AnyPool};

use crate::Backend;
use crate::proofing::{self, LetterTransition};
use crate::staff;
use crate::{
    accounts, admin, audit, codes, counters, deletion, error, factors, history, outbox, passkeys,
    recovery, sessions,
};

pub(crate) async fn apply(pool: &AnyPool, backend: Backend, change: Change) -> StoreResult<()> {
    if change.is_empty() {
        return Ok(());
    }
    let alone = change.writes.len() == 1 || change.independent;
    if alone && change.writes.iter().all(is_one_statement) {
        // One statement is atomic on its own: no `BEGIN` and `COMMIT` round trips.
        let mut conn = pool.acquire().await.map_err(error::db("acquire"))?;
        for write in &change.writes {
            apply_one(&mut conn, write).await?;
        }
        return Ok(());
    }
    let mut tx = crate::connect::begin_write(pool, backend).await?;
    for write in &change.writes {
        if let Err(e) = apply_one(&mut tx, write).await {
            if let Err(rollback) = tx.rollback().await {
                tracing::warn!(error = %error::db("rollback")(rollback), "rollback failed; the connection is dropped");
            }
            return Err(e);
        }
    }
    tx.commit().await.map_err(error::db("commit"))
}

/// Writes whose store function runs exactly one statement, which a change holding
/// nothing else (or marked independent) runs outside a transaction: the session touch
/// of signed-in requests, and the new session and count taken back of a sign-in.
fn is_one_statement(write: &Write) -> bool {
    matches!(
        write,
        Write::TouchSession { .. } | Write::InsertSession(_) | Write::UncountInWindow { .. }
    )
}

async fn apply_one(conn: &mut AnyConnection, write: &Write) -> StoreResult<()> {
    match write {
        Write::InsertAccount(account) => accounts::insert(conn, account).await,
        Write::ConfirmEmail { account_id, at } => {
            accounts::confirm_email(conn, account_id, *at).await
        }
        Write::ResetCodeFailures {
            account_id,
            clear_lock_until,
        } => accounts::reset_code_failures(conn, account_id, *clear_lock_until).await,

        Write::SetAccountDisabled {
            account_id,
            disabled_at,
        } => accounts::set_disabled(conn, account_id, *disabled_at).await,
        Write::SetAccountLanguage {
            account_id,
            language,
        } => accounts::set_language(conn, account_id, *language).await,

        Write::InsertCode(code) => codes::insert(conn, code).await,
        Write::ConsumeCode { code_id, at } => codes::consume(conn, code_id, *at).await,
        Write::CountCodeAttempt { code_id } => codes::count_attempt(conn, code_id).await,
        Write::RetireCodes {
            account_id,
            purpose,
            at,
        } => codes::retire(conn, account_id, purpose, *at).await,

        Write::InsertFactor(factor) => factors::insert(conn, factor).await,
        Write::ConfirmFactor { factor_id, at } => factors::confirm(conn, factor_id, *at).await,
        Write::FactorUsed { factor_id, at } => factors::used(conn, factor_id, *at).await,
        Write::AdvanceTotpStep {
            factor_id,
            step,
            used_at,
        } => factors::advance_totp_step(conn, factor_id, *step, *used_at).await,
        Write::CountFactorFailure {
            factor_id,
            disable_at,
            at,
        } => factors::count_failure(conn, factor_id, *disable_at, *at).await,
        Write::DeleteFactor { factor_id } => factors::delete(conn, factor_id).await,
        Write::InsertBackupCodes {
            factor_id,
            code_hashes,
        } => factors::insert_backup_codes(conn, factor_id, code_hashes).await,
        Write::UseBackupCode {
            factor_id,
            code_hash,
            at,
        } => factors::use_backup_code(conn, factor_id, code_hash, *at).await,

        Write::InsertPasskey(passkey) => passkeys::insert(conn, passkey).await,
        Write::RecordPasskeyUse(passkey) => passkeys::record_use(conn, passkey).await,
        Write::InsertWebauthnChallenge(challenge) => {
            passkeys::insert_challenge(conn, challenge).await
        }
        Write::ConsumeWebauthnChallenge { id, at } => {
            passkeys::consume_challenge(conn, id, *at).await
        }

        Write::InsertSession(session) => sessions::insert(conn, session).await,
        Write::DeleteSession { session_id } => sessions::delete(conn, session_id).await,
        Write::DeleteOtherSessions {
            account_id,
            keep_session_id,
        } => sessions::delete_others(conn, account_id, keep_session_id).await,
        Write::TouchSession { session_id, at } => sessions::touch(conn, session_id, *at).await,

        Write::RecordLogin(login) => history::record_login(conn, login).await,
        Write::RecordEvent(event) => history::record_event(conn, event).await,
        Write::RememberDevice {
            account_id,
            device_hash,
            at,
        } => history::remember_device(conn, account_id, device_hash, *at).await,
        Write::Enqueue {
            id,
            at,
            channel,
            payload_sealed,
        } => outbox::enqueue(conn, id, *at, *channel, payload_sealed).await,

        Write::UncountInWindow { key } => counters::uncount(conn, key).await,

        Write::SetTemporaryPassword(temp) => staff::set_temporary_password(conn, temp).await,
        Write::UseTemporaryPassword { account_id, at } => {
            staff::use_temporary_password(conn, account_id, *at).await
        }
        Write::ChangePassword {
            account_id,
            password_hash,
        } => staff::change_password(conn, account_id, password_hash).await,
        Write::UpgradePasswordHash {
            account_id,
            old_hash,
            new_hash,
        } => recovery::upgrade_password_hash(conn, account_id, old_hash, new_hash).await,
        Write::RequirePasswordReset { account_id } => {
            recovery::require_password_reset(conn, account_id).await
        }
        Write::EndAllSessions { account_id } => recovery::end_all_sessions(conn, account_id).await,
        Write::InsertDisavowToken(token) => recovery::insert_disavow_token(conn, token).await,
        Write::UseDisavowToken { token_hash, at } => {
            recovery::use_disavow_token(conn, token_hash, *at).await
        }
        Write::InsertAccountReset(reset) => recovery::insert_account_reset(conn, reset).await,
        Write::CancelAccountResets { account_id, at } => {
            recovery::cancel_account_resets(conn, account_id, *at).await
        }
        Write::CompleteAccountReset { reset_id, at } => {
            recovery::complete_account_reset(conn, reset_id, *at).await
        }
        Write::DeleteAllFactors { account_id } => {
            recovery::delete_all_factors(conn, account_id).await
        }
        Write::SaveIdentityRecovery(recovery) => {
            recovery::save_identity_recovery(conn, recovery).await
        }
        Write::DeleteIdentityRecovery { account_id } => {
            recovery::delete_identity_recovery(conn, account_id).await
        }
        Write::SetPendingEmail {
            account_id,
            email_sealed,
            at,
        } => recovery::set_pending_email(conn, account_id, email_sealed, *at).await,
        Write::ChangeEmail { account_id, at } => {
            recovery::change_email(conn, account_id, *at).await
        }
        Write::ClearPendingEmail { account_id } => {
            recovery::clear_pending_email(conn, account_id).await
        }
        Write::DeleteAccount {
            account_id,
            at,
            ssn_released_at,
        } => deletion::delete_account(conn, account_id, *at, *ssn_released_at).await,
        Write::InsertKnowledgeCheck(check) => staff::insert_check(conn, check).await,
        Write::FinishKnowledgeCheck {
            check_id,
            at,
            result,
        } => staff::finish_check(conn, check_id, *at, result).await,
        Write::InsertInPersonRecord(record) => staff::insert_record(conn, record).await,
        Write::CompleteInPersonRecord { record_id, at, by } => {
            staff::complete_record(conn, record_id, *at, by).await
        }
        Write::SaveProofingCase(case) => proofing::save_case(conn, case).await,
        Write::RecordProofingAttempt(attempt) => proofing::record_attempt(conn, attempt).await,
        Write::RegisterVerifiedSsn {
            ssn_fp,
            account_id,
            at,
        } => proofing::register_verified_ssn(conn, ssn_fp, account_id, *at).await,
        Write::MarkIdentityVerified { account_id, at, by } => {
            proofing::mark_identity_verified(conn, account_id, *at, by).await
        }
        Write::InsertLetter(letter) => proofing::insert_letter(conn, letter).await,
        Write::ClaimLetterForBatch { letter_id, batch } => {
            proofing::claim_for_batch(conn, letter_id, batch).await
        }
        Write::MarkLetterPrinted {
            letter_id,
            at,
            batch,
        } => proofing::mark_printed(conn, letter_id, *at, batch).await,
        Write::MarkLetterReminded { letter_id, at } => {
            proofing::mark(conn, letter_id, *at, LetterTransition::Reminded).await
        }
        Write::MarkLetterExpired { letter_id, at } => {
            proofing::mark(conn, letter_id, *at, LetterTransition::Expired).await
        }
        Write::MarkLetterActivated { letter_id, at } => {
            proofing::mark(conn, letter_id, *at, LetterTransition::Activated).await
        }
        Write::GrantStaffRole {
            account_id,
            role,
            at,
        } => proofing::grant_role(conn, account_id, role, *at).await,
        Write::RevokeStaffRole { account_id, role } => {
            proofing::revoke_role(conn, account_id, role).await
        }
        Write::DeleteOidcClient { client_id } => crate::oidc::delete_client(conn, client_id).await,
        Write::AppendAudit(event) => audit::append(conn, event).await,
        Write::QueueAppEvent(event) => crate::app_events::queue(conn, event).await,
        Write::MarkAppEventDispatched { id, at } => {
            crate::app_events::mark_dispatched(conn, id, *at).await
        }
        Write::RecordAppDelivery {
            message_id,
            client_id,
            kind,
            at,
        } => crate::app_events::record_delivery(conn, message_id, client_id, kind, *at).await,
        Write::InsertMaintenanceWindow(window) => admin::insert_window(conn, window).await,
        Write::CancelMaintenanceWindow { id, at } => admin::cancel_window(conn, id, *at).await,
    }
}
