//! The audit log over the API: `GET /api/v1/staff/audit` (one account's entries, any
//! staff role) and `GET /api/v1/admin/audit/export` (the whole log, `admin`). Both page
//! by `seq` (`after`, `limit`) and answer `{"entries": [...], "next_after"}`; roles are
//! checked and each read is itself recorded by the domain
//! (`AuditLog::audit_for_account`, `AuditLog::audit_export`).

use axum::Json;
use axum::extract::{Query, State};
use sa_domain::audit::AuditEntry;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::ApiAuth;
use crate::state::AppState;

/// Most entries per page of a staff search.
const SEARCH_MAX: i64 = 500;
/// Most entries per page of an export.
const EXPORT_MAX: i64 = 5000;

#[derive(Deserialize, IntoParams)]
pub struct SearchQuery {
    /// The account id whose entries to list.
    pub account: Option<String>,
    /// Only entries with a greater `seq` (default 0: from the start).
    pub after: Option<String>,
    /// At most this many entries, 1 to 500 (default 100).
    pub limit: Option<String>,
}

#[derive(Deserialize, IntoParams)]
pub struct ExportQuery {
    /// Only entries with a greater `seq` (default 0: from the start).
    pub after: Option<String>,
    /// At most this many entries, 1 to 5000 (default 1000).
    pub limit: Option<String>,
}

/// One entry of the chain.
#[derive(Serialize, ToSchema)]
pub struct AuditEntryBody {
    pub seq: i64,
    /// RFC 3339, millisecond precision.
    pub at: String,
    /// `staff:<account_id>`, `applicant:<account_id>` or `system`.
    pub actor: String,
    /// Dotted: `audit.searched`, `proofing.identity.failed`, ...
    pub action: String,
    /// The account acted on, if any.
    pub subject: Option<String>,
    /// Ids, reason codes and counts; never clear personal data.
    #[schema(value_type = Object)]
    pub detail: serde_json::Value,
    /// Hex SHA-256 over `prev_hash` and this entry's fields.
    pub hash: String,
    /// The previous entry's `hash` (64 zeros for the first).
    pub prev_hash: String,
}

#[derive(Serialize, ToSchema)]
pub struct AuditPage {
    /// Oldest first.
    pub entries: Vec<AuditEntryBody>,
    /// Pass as `after` for the next page; `null` when this page was the last (it held
    /// fewer entries than `limit`).
    pub next_after: Option<i64>,
}

/// One account's audit entries, oldest first (any staff role, signed in with a second
/// factor). The search itself is recorded as `audit.searched`.
#[utoipa::path(get, path = "/api/v1/staff/audit", tag = "staff", params(SearchQuery),
    security(("session_token" = [])),
    responses((status = 200, body = AuditPage),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn search(
    State(app): State<AppState>,
    ApiAuth(auth): ApiAuth,
    Query(query): Query<SearchQuery>,
) -> ApiResult<Json<AuditPage>> {
    let account = query
        .account
        .as_deref()
        .map(str::trim)
        .filter(|a| !a.is_empty())
        .ok_or_else(|| ApiError::invalid("account", "account (an account id) is required"))?
        .to_owned();
    let after = number("after", query.after.as_deref(), 0, 0, i64::MAX)?;
    let limit = number("limit", query.limit.as_deref(), 100, 1, SEARCH_MAX)?;
    let entries = app
        .services
        .audit_log()
        .audit_for_account(&auth, &account, after, limit)
        .await?;
    Ok(Json(page(entries, limit)))
}

/// The whole audit log, oldest first (role `admin`). The export itself is recorded as
/// `audit.exported`.
#[utoipa::path(get, path = "/api/v1/admin/audit/export", tag = "admin", params(ExportQuery),
    security(("session_token" = [])),
    responses((status = 200, body = AuditPage),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn export(
    State(app): State<AppState>,
    ApiAuth(auth): ApiAuth,
    Query(query): Query<ExportQuery>,
) -> ApiResult<Json<AuditPage>> {
    let after = number("after", query.after.as_deref(), 0, 0, i64::MAX)?;
    let limit = number("limit", query.limit.as_deref(), 1000, 1, EXPORT_MAX)?;
    let entries = app
        .services
        .audit_log()
        .audit_export(&auth, after, limit)
        .await?;
    Ok(Json(page(entries, limit)))
}

/// A whole-number query parameter within `min..=max`, or `default` when absent.
fn number(
    field: &'static str,
    text: Option<&str>,
    default: i64,
    min: i64,
    max: i64,
) -> Result<i64, ApiError> {
    let Some(text) = text else {
        return Ok(default);
    };
    text.trim()
        .parse::<i64>()
        .ok()
        .filter(|n| (min..=max).contains(n))
        .ok_or_else(|| {
            ApiError::invalid(
                field,
                format!("{field} must be a whole number from {min} to {max}"),
            )
        })
}

fn page(entries: Vec<AuditEntry>, limit: i64) -> AuditPage {
    let next_after = if entries.len() as i64 >= limit {
        entries.last().map(|e| e.seq)
    } else {
        None
    };
    AuditPage {
        entries: entries.into_iter().map(body).collect(),
        next_after,
    }
}

fn body(entry: AuditEntry) -> AuditEntryBody {
    AuditEntryBody {
        seq: entry.seq,
        at: sa_domain::clock::rfc3339(entry.event.at),
        actor: entry.event.actor,
        action: entry.event.action,
        subject: entry.event.subject,
        detail: entry.event.detail,
        hash: entry.hash,
        prev_hash: entry.prev_hash,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_bounded_and_named() {
        assert_eq!(number("limit", None, 100, 1, 500).unwrap(), 100);
        assert_eq!(number("limit", Some("500"), 100, 1, 500).unwrap(), 500);
        let error = number("limit", Some("501"), 100, 1, 500).unwrap_err();
        assert_eq!(error.field.as_deref(), Some("limit"));
        assert!(number("after", Some("-1"), 0, 0, i64::MAX).is_err());
        assert!(number("after", Some("x"), 0, 0, i64::MAX).is_err());
    }
}
