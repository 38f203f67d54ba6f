//! The proofing tables (migration 0003): `proofing_cases`, `proofing_attempts`,
//! `verified_ssns`, `letters` and `staff_roles`; their reads, the funnel aggregates,
//! and their writes inside a change.

use sa_domain::proofing::case::{
    AttemptResult, Letter, ProofingAttempt, ProofingCase, ProofingStep,
};
use sa_domain::store::{FunnelRow, StoreError, StoreResult};
use sqlx::AssertSqlSafe;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, AnyPool};
use time::OffsetDateTime;

use crate::error;
use crate::rows::{self, ms, opt_ms};

const DAY_MS: i64 = 86_400_000;

// ---------------------------------------------------------------------------------------
// Cases
// ---------------------------------------------------------------------------------------

const CASE_COLUMNS: &str = "account_id, step, started_at, updated_at, ssn_fp, claim_sealed, \
     phone_sealed, verified_at, lookup_fp, staff_method";

fn case_from_row(row: &AnyRow) -> StoreResult<ProofingCase> {
    Ok(ProofingCase {
        account_id: rows::text(row, "account_id")?,
        step: ProofingStep::parse(&rows::text(row, "step")?)
            .ok_or_else(|| rows::unknown("step"))?,
        started_at: rows::time(row, "started_at")?,
        updated_at: rows::time(row, "updated_at")?,
        ssn_fp: rows::opt_text(row, "ssn_fp")?,
        claim_sealed: rows::opt_text(row, "claim_sealed")?,
        phone_sealed: rows::opt_text(row, "phone_sealed")?,
        verified_at: rows::opt_time(row, "verified_at")?,
        lookup_fp: rows::opt_text(row, "lookup_fp")?,
        staff_method: rows::opt_text(row, "staff_method")?,
    })
}

pub(crate) async fn case(pool: &AnyPool, account_id: &str) -> StoreResult<Option<ProofingCase>> {
    sqlx::query(AssertSqlSafe(format!(
        "SELECT {CASE_COLUMNS} FROM proofing_cases WHERE account_id = $1"
    )))
    .bind(account_id)
    .fetch_optional(pool)
    .await
    .map_err(error::db("proofing case"))?
    .as_ref()
    .map(case_from_row)
    .transpose()
}

pub(crate) async fn save_case(conn: &mut AnyConnection, case: &ProofingCase) -> StoreResult<()> {
    sqlx::query(AssertSqlSafe(format!(
        "INSERT INTO proofing_cases ({CASE_COLUMNS}) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) \
         ON CONFLICT (account_id) DO UPDATE SET step = $2, started_at = $3, updated_at = $4, \
         ssn_fp = $5, claim_sealed = $6, phone_sealed = $7, verified_at = $8, \
         lookup_fp = $9, staff_method = $10"
    )))
    .bind(&case.account_id)
    .bind(case.step.as_str())
    .bind(ms(case.started_at))
    .bind(ms(case.updated_at))
    .bind(case.ssn_fp.as_deref())
    .bind(case.claim_sealed.as_deref())
    .bind(case.phone_sealed.as_deref())
    .bind(opt_ms(case.verified_at))
    .bind(case.lookup_fp.as_deref())
    .bind(case.staff_method.as_deref())
    .execute(conn)
    .await
    .map_err(error::db("save proofing case"))?;
    Ok(())
}

pub(crate) async fn cases_started_per_day(
    pool: &AnyPool,
    from: OffsetDateTime,
    to: OffsetDateTime,
) -> StoreResult<Vec<(i64, i64)>> {
    let rows = sqlx::query(AssertSqlSafe(format!(
        "SELECT started_at / {DAY_MS} AS day, COUNT(*) AS n FROM proofing_cases \
         WHERE started_at >= $1 AND started_at < $2 GROUP BY started_at / {DAY_MS}"
    )))
    .bind(ms(from))
    .bind(ms(to))
    .fetch_all(pool)
    .await
    .map_err(error::db("cases started"))?;
    rows.iter()
        .map(|row| Ok((rows::int(row, "day")?, rows::int(row, "n")?)))
        .collect()
}

// ---------------------------------------------------------------------------------------
// Attempts
// ---------------------------------------------------------------------------------------

pub(crate) async fn record_attempt(
    conn: &mut AnyConnection,
    attempt: &ProofingAttempt,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO proofing_attempts (id, account_id, at, step, result, reasons) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(&attempt.id)
    .bind(&attempt.account_id)
    .bind(ms(attempt.at))
    .bind(&attempt.step)
    .bind(attempt.result.as_str())
    .bind(attempt.reasons.join(" "))
    .execute(conn)
    .await
    .map_err(error::db("record proofing attempt"))?;
    Ok(())
}

pub(crate) async fn attempts(
    pool: &AnyPool,
    account_id: &str,
    limit: i64,
) -> StoreResult<Vec<ProofingAttempt>> {
    let rows = sqlx::query(
        "SELECT id, account_id, at, step, result, reasons FROM proofing_attempts \
         WHERE account_id = $1 ORDER BY at DESC, id DESC LIMIT $2",
    )
    .bind(account_id)
    .bind(limit)
    .fetch_all(pool)
    .await
    .map_err(error::db("proofing attempts"))?;
    rows.iter()
        .map(|row| {
            Ok(ProofingAttempt {
                id: rows::text(row, "id")?,
                account_id: rows::text(row, "account_id")?,
                at: rows::time(row, "at")?,
                step: rows::text(row, "step")?,
                result: AttemptResult::parse(&rows::text(row, "result")?)
                    .ok_or_else(|| rows::unknown("result"))?,
                reasons: rows::text(row, "reasons")?
                    .split_whitespace()
                    .map(str::to_owned)
                    .collect(),
            })
        })
        .collect()
}

pub(crate) async fn funnel_rows(
    pool: &AnyPool,
    from: OffsetDateTime,
    to: OffsetDateTime,
) -> StoreResult<Vec<FunnelRow>> {
    let rows = sqlx::query(AssertSqlSafe(format!(
        "SELECT at / {DAY_MS} AS day, step, result, reasons, COUNT(*) AS attempts, \
         COUNT(DISTINCT account_id) AS accounts FROM proofing_attempts \
         WHERE at >= $1 AND at < $2 GROUP BY at / {DAY_MS}, step, result, reasons \
         ORDER BY day, step, result, reasons"
    )))
    .bind(ms(from))
    .bind(ms(to))
    .fetch_all(pool)
    .await
    .map_err(error::db("funnel"))?;
    rows.iter()
        .map(|row| {
            Ok(FunnelRow {
                day: rows::int(row, "day")?,
                step: rows::text(row, "step")?,
                result: rows::text(row, "result")?,
                reasons: rows::text(row, "reasons")?,
                attempts: rows::int(row, "attempts")?,
                accounts: rows::int(row, "accounts")?,
            })
        })
        .collect()
}

// ---------------------------------------------------------------------------------------
// Verified SSNs and the account's verification
// ---------------------------------------------------------------------------------------

pub(crate) async fn verified_ssn_holder(
    pool: &AnyPool,
    ssn_fp: &str,
    now: OffsetDateTime,
) -> StoreResult<Option<String>> {
    let row = sqlx::query(
        "SELECT account_id FROM verified_ssns WHERE ssn_fp = $1 \
         AND (released_at IS NULL OR released_at > $2)",
    )
    .bind(ssn_fp)
    .bind(ms(now))
    .fetch_optional(pool)
    .await
    .map_err(error::db("verified ssn"))?;
    row.as_ref()
        .map(|r| rows::text(r, "account_id"))
        .transpose()
}

/// Guarded: the SSN must be free, already this account's, or released (its account
/// deleted and the hold over).
pub(crate) async fn register_verified_ssn(
    conn: &mut AnyConnection,
    ssn_fp: &str,
    account_id: &str,
    at: OffsetDateTime,
) -> StoreResult<()> {
    let done = sqlx::query(
        "INSERT INTO verified_ssns (ssn_fp, account_id, verified_at) VALUES ($1, $2, $3) \
         ON CONFLICT (ssn_fp) DO UPDATE SET account_id = excluded.account_id, \
         verified_at = excluded.verified_at, released_at = NULL \
         WHERE verified_ssns.released_at IS NOT NULL AND verified_ssns.released_at <= excluded.verified_at",
    )
    .bind(ssn_fp)
    .bind(account_id)
    .bind(ms(at))
    .execute(&mut *conn)
    .await
    .map_err(error::db("register verified ssn"))?;
    if done.rows_affected() == 1 {
        return Ok(());
    }
    let holder = sqlx::query("SELECT account_id FROM verified_ssns WHERE ssn_fp = $1")
        .bind(ssn_fp)
        .fetch_optional(&mut *conn)
        .await
        .map_err(error::db("verified ssn holder"))?;
    match holder
        .as_ref()
        .map(|r| rows::text(r, "account_id"))
        .transpose()?
    {
        Some(holder) if holder == account_id => Ok(()),
        _ => Err(StoreError::GuardFailed("ssn verified on another account")),
    }
}

pub(crate) async fn mark_identity_verified(
    conn: &mut AnyConnection,
    account_id: &str,
    at: OffsetDateTime,
    by: &str,
) -> StoreResult<()> {
    sqlx::query(
        "UPDATE accounts SET identity_verified_at = $1, identity_verified_by = $2 WHERE id = $3",
    )
    .bind(ms(at))
    .bind(by)
    .bind(account_id)
    .execute(conn)
    .await
    .map_err(error::db("mark identity verified"))?;
    Ok(())
}

// ---------------------------------------------------------------------------------------
// Letters
// ---------------------------------------------------------------------------------------

const LETTER_COLUMNS: &str = "id, account_id, created_at, expires_at, code_hash, print_sealed, \
     printed_at, print_batch, reminder_sent_at, activated_at, expired_at";

fn letter_from_row(row: &AnyRow) -> StoreResult<Letter> {
    Ok(Letter {
        id: rows::text(row, "id")?,
        account_id: rows::text(row, "account_id")?,
        created_at: rows::time(row, "created_at")?,
        expires_at: rows::time(row, "expires_at")?,
        code_hash: rows::text(row, "code_hash")?,
        print_sealed: rows::opt_text(row, "print_sealed")?,
        printed_at: rows::opt_time(row, "printed_at")?,
        print_batch: rows::opt_text(row, "print_batch")?,
        reminder_sent_at: rows::opt_time(row, "reminder_sent_at")?,
        activated_at: rows::opt_time(row, "activated_at")?,
        expired_at: rows::opt_time(row, "expired_at")?,
    })
}

async fn letters_where(
    pool: &AnyPool,
    condition: &str,
    binds: &[i64],
    text: Option<&str>,
    what: &'static str,
) -> StoreResult<Vec<Letter>> {
    let sql = format!("SELECT {LETTER_COLUMNS} FROM letters WHERE {condition}");
    let mut query = sqlx::query(AssertSqlSafe(sql));
    if let Some(text) = text {
        query = query.bind(text);
    }
    for value in binds {
        query = query.bind(*value);
    }
    let rows = query.fetch_all(pool).await.map_err(error::db(what))?;
    rows.iter().map(letter_from_row).collect()
}

pub(crate) async fn letters_of(pool: &AnyPool, account_id: &str) -> StoreResult<Vec<Letter>> {
    letters_where(
        pool,
        "account_id = $1 ORDER BY created_at DESC, id DESC",
        &[],
        Some(account_id),
        "letters of account",
    )
    .await
}

pub(crate) async fn needing_reminder(
    pool: &AnyPool,
    mailed_before: OffsetDateTime,
    now: OffsetDateTime,
    limit: i64,
) -> StoreResult<Vec<Letter>> {
    letters_where(
        pool,
        "created_at <= $1 AND expires_at > $2 AND reminder_sent_at IS NULL \
         AND activated_at IS NULL AND expired_at IS NULL ORDER BY created_at, id LIMIT $3",
        &[ms(mailed_before), ms(now), limit],
        None,
        "letters needing reminder",
    )
    .await
}

pub(crate) async fn past_expiry(
    pool: &AnyPool,
    now: OffsetDateTime,
    limit: i64,
) -> StoreResult<Vec<Letter>> {
    letters_where(
        pool,
        "expires_at <= $1 AND activated_at IS NULL AND expired_at IS NULL \
         ORDER BY expires_at, id LIMIT $2",
        &[ms(now), limit],
        None,
        "letters past expiry",
    )
    .await
}

pub(crate) async fn unprinted(pool: &AnyPool, limit: i64) -> StoreResult<Vec<Letter>> {
    letters_where(
        pool,
        "printed_at IS NULL AND print_sealed IS NOT NULL AND expired_at IS NULL \
         AND activated_at IS NULL ORDER BY created_at, id LIMIT $1",
        &[limit],
        None,
        "unprinted letters",
    )
    .await
}

pub(crate) async fn insert_letter(conn: &mut AnyConnection, letter: &Letter) -> StoreResult<()> {
    sqlx::query(AssertSqlSafe(format!(
        "INSERT INTO letters ({LETTER_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)"
    )))
    .bind(&letter.id)
    .bind(&letter.account_id)
    .bind(ms(letter.created_at))
    .bind(ms(letter.expires_at))
    .bind(&letter.code_hash)
    .bind(letter.print_sealed.as_deref())
    .bind(opt_ms(letter.printed_at))
    .bind(letter.print_batch.as_deref())
    .bind(opt_ms(letter.reminder_sent_at))
    .bind(opt_ms(letter.activated_at))
    .bind(opt_ms(letter.expired_at))
    .execute(conn)
    .await
    .map_err(error::db("insert letter"))?;
    Ok(())
}

/// Run a guarded letter update: exactly one row must change.
async fn guarded(
    conn: &mut AnyConnection,
    sql: &'static str,
    first: &str,
    at: Option<OffsetDateTime>,
    letter_id: &str,
    guard: &'static str,
) -> StoreResult<()> {
    let mut query = sqlx::query(sql).bind(first.to_owned());
    if let Some(at) = at {
        query = query.bind(ms(at));
    }
    let done = query
        .bind(letter_id.to_owned())
        .execute(conn)
        .await
        .map_err(error::db("update letter"))?;
    if done.rows_affected() == 1 {
        Ok(())
    } else {
        Err(StoreError::GuardFailed(guard))
    }
}

pub(crate) async fn claim_for_batch(
    conn: &mut AnyConnection,
    letter_id: &str,
    batch: &str,
) -> StoreResult<()> {
    guarded(
        conn,
        "UPDATE letters SET print_batch = $1 WHERE id = $2 AND print_batch IS NULL AND printed_at IS NULL",
        batch,
        None,
        letter_id,
        "letter already claimed by a batch",
    )
    .await
}

pub(crate) async fn mark_printed(
    conn: &mut AnyConnection,
    letter_id: &str,
    at: OffsetDateTime,
    batch: &str,
) -> StoreResult<()> {
    guarded(
        conn,
        "UPDATE letters SET print_batch = $1, printed_at = $2, print_sealed = NULL \
         WHERE id = $3 AND printed_at IS NULL",
        batch,
        Some(at),
        letter_id,
        "letter already printed",
    )
    .await
}

/// One of the timestamp transitions of a letter, guarded by its precondition.
pub(crate) async fn mark(
    conn: &mut AnyConnection,
    letter_id: &str,
    at: OffsetDateTime,
    transition: LetterTransition,
) -> StoreResult<()> {
    let (sql, guard) = match transition {
        LetterTransition::Reminded => (
            "UPDATE letters SET reminder_sent_at = $1 WHERE id = $2 AND reminder_sent_at IS NULL",
            "letter reminder already sent",
        ),
        LetterTransition::Expired => (
            "UPDATE letters SET expired_at = $1, print_sealed = NULL \
             WHERE id = $2 AND expired_at IS NULL AND activated_at IS NULL",
            "letter already expired or activated",
        ),
        LetterTransition::Activated => (
            "UPDATE letters SET activated_at = $1 \
             WHERE id = $2 AND expired_at IS NULL AND activated_at IS NULL",
            "letter already expired or activated",
        ),
    };
    let done = sqlx::query(sql)
        .bind(ms(at))
        .bind(letter_id)
        .execute(conn)
        .await
        .map_err(error::db("update letter"))?;
    if done.rows_affected() == 1 {
        Ok(())
    } else {
        Err(StoreError::GuardFailed(guard))
    }
}

#[derive(Debug, Clone, Copy)]
pub(crate) enum LetterTransition {
    Reminded,
    Expired,
    Activated,
}

// ---------------------------------------------------------------------------------------
// Staff roles
// ---------------------------------------------------------------------------------------

pub(crate) async fn staff_roles(pool: &AnyPool, account_id: &str) -> StoreResult<Vec<String>> {
    let rows = sqlx::query("SELECT role FROM staff_roles WHERE account_id = $1 ORDER BY role")
        .bind(account_id)
        .fetch_all(pool)
        .await
        .map_err(error::db("staff roles"))?;
    rows.iter().map(|r| rows::text(r, "role")).collect()
}

/// Every staff member with roles and last successful sign-in, by username.
pub(crate) async fn staff_members(
    pool: &AnyPool,
) -> StoreResult<Vec<sa_domain::staff::StaffMember>> {
    let rows = sqlx::query(
        "SELECT r.account_id, a.username, r.role, r.granted_at, \
         (SELECT MAX(l.at) FROM login_history l \
          WHERE l.account_id = r.account_id AND l.success = 1) AS last_sign_in, \
         (SELECT l.method FROM login_history l \
          WHERE l.account_id = r.account_id AND l.success = 1 \
          ORDER BY l.at DESC, l.id DESC LIMIT 1) AS last_method \
         FROM staff_roles r JOIN accounts a ON a.id = r.account_id \
         ORDER BY a.username, r.role",
    )
    .fetch_all(pool)
    .await
    .map_err(error::db("staff members"))?;
    let mut members: Vec<sa_domain::staff::StaffMember> = Vec::new();
    for row in &rows {
        let account_id = rows::text(row, "account_id")?;
        let role = (rows::text(row, "role")?, rows::time(row, "granted_at")?);
        match members.last_mut() {
            Some(member) if member.account_id == account_id => member.roles.push(role),
            _ => members.push(sa_domain::staff::StaffMember {
                account_id,
                username: rows::text(row, "username")?,
                roles: vec![role],
                last_sign_in: rows::opt_time(row, "last_sign_in")?,
                last_method: rows::opt_text(row, "last_method")?,
            }),
        }
    }
    Ok(members)
}

/// Take a role away, never the last `admin` (checked in the same statement, so two
/// admins removing each other at once cannot both succeed).
pub(crate) async fn revoke_role(
    conn: &mut AnyConnection,
    account_id: &str,
    role: &str,
) -> StoreResult<()> {
    let done = sqlx::query(
        "DELETE FROM staff_roles WHERE account_id = $1 AND role = $2 \
         AND ($3 <> 'admin' OR (SELECT COUNT(*) FROM staff_roles WHERE role = 'admin') > 1)",
    )
    .bind(account_id)
    .bind(role)
    .bind(role)
    .execute(conn)
    .await
    .map_err(error::db("revoke staff role"))?;
    if done.rows_affected() == 0 {
        return Err(StoreError::GuardFailed(
            "staff role not held, or the last admin",
        ));
    }
    Ok(())
}

pub(crate) async fn grant_role(
    conn: &mut AnyConnection,
    account_id: &str,
    role: &str,
    at: OffsetDateTime,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO staff_roles (account_id, role, granted_at) VALUES ($1, $2, $3) \
         ON CONFLICT (account_id, role) DO NOTHING",
    )
    .bind(account_id)
    .bind(role)
    .bind(ms(at))
    .execute(conn)
    .await
    .map_err(error::db("grant staff role"))?;
    Ok(())
}
