//! The staff tables (migration 0005): `temporary_passwords`, `knowledge_checks` and
//! `in_person_records`, the account's `password_change_required` flag, and the lookup of
//! proofing cases by name-and-birth-date fingerprint.

use sa_domain::staff::{InPersonRecord, KnowledgeCheck, Question, TemporaryPassword, VisitKind};
use sa_domain::store::{StoreError, StoreResult};
use sqlx::AssertSqlSafe;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, AnyPool};
use time::OffsetDateTime;

use crate::error;
use crate::rows::{self, ms, opt_ms};

// ---------------------------------------------------------------------------------------
// Temporary passwords and password changes
// ---------------------------------------------------------------------------------------

pub(crate) async fn temporary_password(
    pool: &AnyPool,
    account_id: &str,
) -> StoreResult<Option<TemporaryPassword>> {
    let row = sqlx::query(
        "SELECT account_id, password_hash, issued_by, created_at, expires_at, used_at \
         FROM temporary_passwords WHERE account_id = $1",
    )
    .bind(account_id)
    .fetch_optional(pool)
    .await
    .map_err(error::db("temporary password"))?;
    row.as_ref()
        .map(|row| {
            Ok(TemporaryPassword {
                account_id: rows::text(row, "account_id")?,
                password_hash: rows::text(row, "password_hash")?,
                issued_by: rows::text(row, "issued_by")?,
                created_at: rows::time(row, "created_at")?,
                expires_at: rows::time(row, "expires_at")?,
                used_at: rows::opt_time(row, "used_at")?,
            })
        })
        .transpose()
}

pub(crate) async fn set_temporary_password(
    conn: &mut AnyConnection,
    temp: &TemporaryPassword,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO temporary_passwords (account_id, password_hash, issued_by, created_at, expires_at, used_at) \
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (account_id) DO UPDATE SET \
         password_hash = $2, issued_by = $3, created_at = $4, expires_at = $5, used_at = $6",
    )
    .bind(&temp.account_id)
    .bind(&temp.password_hash)
    .bind(&temp.issued_by)
    .bind(ms(temp.created_at))
    .bind(ms(temp.expires_at))
    .bind(opt_ms(temp.used_at))
    .execute(conn)
    .await
    .map_err(error::db("set temporary password"))?;
    Ok(())
}

/// Guarded: the temporary password must be unused.
pub(crate) async fn use_temporary_password(
    conn: &mut AnyConnection,
    account_id: &str,
    at: OffsetDateTime,
) -> StoreResult<()> {
    let done = sqlx::query(
        "UPDATE temporary_passwords SET used_at = $1 WHERE account_id = $2 AND used_at IS NULL",
    )
    .bind(ms(at))
    .bind(account_id)
    .execute(&mut *conn)
    .await
    .map_err(error::db("use temporary password"))?;
    if done.rows_affected() != 1 {
        return Err(StoreError::GuardFailed("temporary password already used"));
    }
    sqlx::query("UPDATE accounts SET password_change_required = 1 WHERE id = $1")
        .bind(account_id)
        .execute(conn)
        .await
        .map_err(error::db("require password change"))?;
    Ok(())
}

pub(crate) async fn change_password(
    conn: &mut AnyConnection,
    account_id: &str,
    password_hash: &str,
) -> StoreResult<()> {
    sqlx::query(
        "UPDATE accounts SET password_hash = $1, password_change_required = 0, \
         password_reset_required = 0 WHERE id = $2",
    )
    .bind(password_hash)
    .bind(account_id)
    .execute(conn)
    .await
    .map_err(error::db("change password"))?;
    Ok(())
}

// ---------------------------------------------------------------------------------------
// Knowledge checks
// ---------------------------------------------------------------------------------------

const CHECK_COLUMNS: &str =
    "id, account_id, staff_id, ssn_fp, question_ids, created_at, answered_at, result";

fn check_from_row(row: &AnyRow) -> StoreResult<KnowledgeCheck> {
    let questions = rows::text(row, "question_ids")?
        .split_whitespace()
        .map(|id| Question::parse(id).ok_or_else(|| rows::unknown("question_ids")))
        .collect::<StoreResult<Vec<_>>>()?;
    Ok(KnowledgeCheck {
        id: rows::text(row, "id")?,
        account_id: rows::text(row, "account_id")?,
        staff_id: rows::text(row, "staff_id")?,
        ssn_fp: rows::text(row, "ssn_fp")?,
        questions,
        created_at: rows::time(row, "created_at")?,
        answered_at: rows::opt_time(row, "answered_at")?,
        result: rows::opt_text(row, "result")?,
    })
}

pub(crate) async fn knowledge_checks(
    pool: &AnyPool,
    account_id: &str,
    since: OffsetDateTime,
) -> StoreResult<Vec<KnowledgeCheck>> {
    let rows = sqlx::query(AssertSqlSafe(format!(
        "SELECT {CHECK_COLUMNS} FROM knowledge_checks WHERE account_id = $1 AND created_at >= $2 \
         ORDER BY created_at DESC, id DESC"
    )))
    .bind(account_id)
    .bind(ms(since))
    .fetch_all(pool)
    .await
    .map_err(error::db("knowledge checks"))?;
    rows.iter().map(check_from_row).collect()
}

pub(crate) async fn knowledge_check(
    pool: &AnyPool,
    check_id: &str,
) -> StoreResult<Option<KnowledgeCheck>> {
    sqlx::query(AssertSqlSafe(format!(
        "SELECT {CHECK_COLUMNS} FROM knowledge_checks WHERE id = $1"
    )))
    .bind(check_id)
    .fetch_optional(pool)
    .await
    .map_err(error::db("knowledge check"))?
    .as_ref()
    .map(check_from_row)
    .transpose()
}

pub(crate) async fn insert_check(
    conn: &mut AnyConnection,
    check: &KnowledgeCheck,
) -> StoreResult<()> {
    let ids: Vec<String> = check.questions.iter().map(Question::id).collect();
    sqlx::query(AssertSqlSafe(format!(
        "INSERT INTO knowledge_checks ({CHECK_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
    )))
    .bind(&check.id)
    .bind(&check.account_id)
    .bind(&check.staff_id)
    .bind(&check.ssn_fp)
    .bind(ids.join(" "))
    .bind(ms(check.created_at))
    .bind(opt_ms(check.answered_at))
    .bind(check.result.as_deref())
    .execute(conn)
    .await
    .map_err(error::db("insert knowledge check"))?;
    Ok(())
}

/// Guarded: not answered yet.
pub(crate) async fn finish_check(
    conn: &mut AnyConnection,
    check_id: &str,
    at: OffsetDateTime,
    result: &str,
) -> StoreResult<()> {
    let done = sqlx::query(
        "UPDATE knowledge_checks SET answered_at = $1, result = $2 WHERE id = $3 AND answered_at IS NULL",
    )
    .bind(ms(at))
    .bind(result)
    .bind(check_id)
    .execute(conn)
    .await
    .map_err(error::db("finish knowledge check"))?;
    if done.rows_affected() == 1 {
        Ok(())
    } else {
        Err(StoreError::GuardFailed("knowledge check already answered"))
    }
}

// ---------------------------------------------------------------------------------------
// In-person records
// ---------------------------------------------------------------------------------------

const RECORD_COLUMNS: &str = "id, account_id, kind, office, staff_id, ssn_fp, documents_sealed, \
     content_hash, created_at, completed_at, completed_by";

pub(crate) async fn in_person_records(
    pool: &AnyPool,
    account_id: &str,
) -> StoreResult<Vec<InPersonRecord>> {
    let rows = sqlx::query(AssertSqlSafe(format!(
        "SELECT {RECORD_COLUMNS} FROM in_person_records WHERE account_id = $1 \
         ORDER BY created_at DESC, id DESC"
    )))
    .bind(account_id)
    .fetch_all(pool)
    .await
    .map_err(error::db("in-person records"))?;
    rows.iter()
        .map(|row| {
            Ok(InPersonRecord {
                id: rows::text(row, "id")?,
                account_id: rows::text(row, "account_id")?,
                kind: VisitKind::parse(&rows::text(row, "kind")?)
                    .ok_or_else(|| rows::unknown("kind"))?,
                office: rows::text(row, "office")?,
                staff_id: rows::text(row, "staff_id")?,
                ssn_fp: rows::opt_text(row, "ssn_fp")?,
                documents_sealed: rows::text(row, "documents_sealed")?,
                content_hash: rows::text(row, "content_hash")?,
                created_at: rows::time(row, "created_at")?,
                completed_at: rows::opt_time(row, "completed_at")?,
                completed_by: rows::opt_text(row, "completed_by")?,
            })
        })
        .collect()
}

pub(crate) async fn insert_record(
    conn: &mut AnyConnection,
    record: &InPersonRecord,
) -> StoreResult<()> {
    sqlx::query(AssertSqlSafe(format!(
        "INSERT INTO in_person_records ({RECORD_COLUMNS}) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)"
    )))
    .bind(&record.id)
    .bind(&record.account_id)
    .bind(record.kind.as_str())
    .bind(&record.office)
    .bind(&record.staff_id)
    .bind(record.ssn_fp.as_deref())
    .bind(&record.documents_sealed)
    .bind(&record.content_hash)
    .bind(ms(record.created_at))
    .bind(opt_ms(record.completed_at))
    .bind(record.completed_by.as_deref())
    .execute(conn)
    .await
    .map_err(error::db("insert in-person record"))?;
    Ok(())
}

/// Guarded: not completed yet.
pub(crate) async fn complete_record(
    conn: &mut AnyConnection,
    record_id: &str,
    at: OffsetDateTime,
    by: &str,
) -> StoreResult<()> {
    let done = sqlx::query(
        "UPDATE in_person_records SET completed_at = $1, completed_by = $2 \
         WHERE id = $3 AND completed_at IS NULL",
    )
    .bind(ms(at))
    .bind(by)
    .bind(record_id)
    .execute(conn)
    .await
    .map_err(error::db("complete in-person record"))?;
    if done.rows_affected() == 1 {
        Ok(())
    } else {
        Err(StoreError::GuardFailed(
            "in-person record already completed",
        ))
    }
}

pub(crate) async fn accounts_by_lookup(
    pool: &AnyPool,
    lookup_fp: &str,
) -> StoreResult<Vec<String>> {
    let rows = sqlx::query(
        "SELECT account_id FROM proofing_cases WHERE lookup_fp = $1 ORDER BY account_id LIMIT 20",
    )
    .bind(lookup_fp)
    .fetch_all(pool)
    .await
    .map_err(error::db("accounts by lookup"))?;
    rows.iter().map(|r| rows::text(r, "account_id")).collect()
}
