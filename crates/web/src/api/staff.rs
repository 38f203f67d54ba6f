//! The staff console over the JSON API (`/api/v1/staff/...`): find an account and see
//! why proofing failed, the help desk's knowledge check, in-person records, and
//! completing registration. Roles are checked on the server for every request.

use std::collections::HashMap;

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use sa_domain::clock::rfc3339;
use sa_domain::journeys::{AccountOverview, InPersonInput, StaffOutcome};
use sa_domain::staff::{Answer, Document, DocumentType, VisitKind};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{ApiAuth, ApiJson};
use crate::state::AppState;

#[derive(Serialize, ToSchema)]
pub struct AttemptBody {
    pub at: String,
    pub step: String,
    /// `passed`, `failed`, `limited`.
    pub result: String,
    /// Machine-readable reason codes.
    pub reasons: Vec<String>,
}

#[derive(Serialize, ToSchema)]
pub struct InPersonBody {
    pub id: String,
    pub kind: String,
    pub office: String,
    pub created_at: String,
    pub completed: bool,
}

#[derive(Serialize, ToSchema)]
pub struct AccountBody {
    pub account_id: String,
    pub username: String,
    pub created_at: String,
    pub email_confirmed: bool,
    /// `online`, `mail`, `help_desk`, `in_person`, or absent.
    pub identity_verified_by: Option<String>,
    pub proofing_step: Option<String>,
    /// `help_desk`, `in_person`, `in_person_required`, `documents_checked`.
    pub staff_method: Option<String>,
    pub active_factors: usize,
    pub disabled_factors: usize,
    pub locked_until: Option<String>,
    /// Newest first.
    pub attempts: Vec<AttemptBody>,
    pub knowledge_checks_today: usize,
    pub in_person_records: Vec<InPersonBody>,
    /// The owner said "this wasn't me": sign-in waits for a password reset.
    pub password_reset_required: bool,
    /// Newest first: `at`, `kind` (`password_reset`, `disavowed`, `account_reset_started`, ...), `detail`.
    pub recovery_events: Vec<RecoveryEventBody>,
}

#[derive(Serialize, ToSchema)]
pub struct RecoveryEventBody {
    pub at: String,
    pub kind: String,
    pub detail: String,
}

impl From<AccountOverview> for AccountBody {
    fn from(o: AccountOverview) -> Self {
        Self {
            account_id: o.account_id,
            username: o.username,
            created_at: rfc3339(o.created_at),
            email_confirmed: o.email_confirmed,
            identity_verified_by: o.identity_verified_by,
            proofing_step: o.proofing_step.map(|s| s.as_str().to_owned()),
            staff_method: o.staff_method,
            active_factors: o.active_factors,
            disabled_factors: o.disabled_factors,
            locked_until: o.locked_until.map(rfc3339),
            attempts: o
                .attempts
                .into_iter()
                .map(|a| AttemptBody {
                    at: rfc3339(a.at),
                    step: a.step,
                    result: a.result.as_str().to_owned(),
                    reasons: a.reasons,
                })
                .collect(),
            knowledge_checks_today: o.knowledge_checks_today,
            in_person_records: o
                .in_person_records
                .into_iter()
                .map(|r| InPersonBody {
                    id: r.id,
                    kind: r.kind.as_str().to_owned(),
                    office: r.office,
                    created_at: rfc3339(r.created_at),
                    completed: r.completed,
                })
                .collect(),
            password_reset_required: o.password_reset_required,
            recovery_events: o
                .recovery_events
                .into_iter()
                .map(|e| RecoveryEventBody {
                    at: rfc3339(e.at),
                    kind: e.kind,
                    detail: e.detail,
                })
                .collect(),
        }
    }
}

#[derive(Deserialize, IntoParams)]
pub struct SearchQuery {
    pub username: Option<String>,
    /// Refused here: send it in the body of `POST /api/v1/staff/accounts/search`.
    pub last_name: Option<String>,
    /// Refused here: send it in the body of `POST /api/v1/staff/accounts/search`.
    pub date_of_birth: Option<String>,
}

#[derive(Deserialize, ToSchema)]
pub struct SearchRequest {
    pub username: Option<String>,
    pub last_name: Option<String>,
    /// `YYYY-MM-DD`.
    pub date_of_birth: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct SearchResponse {
    pub accounts: Vec<AccountBody>,
}

/// Parse `YYYY-MM-DD` for a named field.
pub fn parse_date(field: &'static str, text: &str) -> Result<time::Date, ApiError> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    time::Date::parse(text.trim(), &format)
        .map_err(|_| ApiError::invalid(field, format!("{field} must be a date like 1980-04-15")))
}

/// Find accounts by username (any staff role). A last name and birth date are refused
/// in the query string: URLs end up in histories and logs.
#[utoipa::path(get, path = "/api/v1/staff/accounts", tag = "staff", params(SearchQuery),
    security(("session_token" = [])),
    responses((status = 200, body = SearchResponse), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn search(
    State(app): State<AppState>,
    ApiAuth(auth): ApiAuth,
    Query(query): Query<SearchQuery>,
) -> ApiResult<Json<SearchResponse>> {
    for (field, value) in [
        ("last_name", &query.last_name),
        ("date_of_birth", &query.date_of_birth),
    ] {
        if value.as_deref().is_some_and(|v| !v.is_empty()) {
            return Err(ApiError::invalid(
                field,
                "A last name and date of birth must not go in a URL: send them in the JSON body of POST /api/v1/staff/accounts/search.",
            ));
        }
    }
    let found = app
        .services
        .staff()
        .find_accounts(&auth, query.username.as_deref(), None)
        .await?;
    Ok(search_response(found))
}

/// Find accounts by username, or by last name and date of birth (any staff role).
#[utoipa::path(post, path = "/api/v1/staff/accounts/search", tag = "staff",
    request_body = SearchRequest, security(("session_token" = [])),
    responses((status = 200, body = SearchResponse), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn search_by_body(
    State(app): State<AppState>,
    ApiAuth(auth): ApiAuth,
    ApiJson(body): ApiJson<SearchRequest>,
) -> ApiResult<Json<SearchResponse>> {
    let by_name = match (body.last_name.as_deref(), body.date_of_birth.as_deref()) {
        (Some(last), Some(dob)) if !last.trim().is_empty() => {
            Some((last, parse_date("date_of_birth", dob)?))
        }
        _ => None,
    };
    let found = app
        .services
        .staff()
        .find_accounts(&auth, body.username.as_deref(), by_name)
        .await?;
    Ok(search_response(found))
}

fn search_response(found: Vec<AccountOverview>) -> Json<SearchResponse> {
    Json(SearchResponse {
        accounts: found.into_iter().map(AccountBody::from).collect(),
    })
}

/// One account's status and the reason codes of its proofing attempts.
#[utoipa::path(get, path = "/api/v1/staff/accounts/{id}", tag = "staff",
    security(("session_token" = [])),
    responses((status = 200, body = AccountBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn account(
    State(app): State<AppState>,
    ApiAuth(auth): ApiAuth,
    Path(id): Path<String>,
) -> ApiResult<Json<AccountBody>> {
    Ok(Json(
        app.services
            .staff()
            .account_overview(&auth, &id)
            .await?
            .into(),
    ))
}

#[derive(Deserialize, ToSchema)]
pub struct StartCheckRequest {
    /// Needed when the account has no SSN on file.
    pub ssn: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct QuestionBody {
    /// For example `agi:2025`.
    pub id: String,
    pub prompt: String,
    /// `amount`, `count`, `filing_status`, `address` (`{"street","zip"}`).
    pub answer_kind: String,
}

#[derive(Serialize, ToSchema)]
pub struct CheckStartedResponse {
    pub check_id: String,
    pub questions: Vec<QuestionBody>,
}

/// Help desk: draw questions from the caller's returns (3 checks per 24 hours).
#[utoipa::path(post, path = "/api/v1/staff/accounts/{id}/knowledge-checks", tag = "staff", request_body = StartCheckRequest,
    security(("session_token" = [])),
    responses((status = 201, body = CheckStartedResponse), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 429, body = ErrorBody)))]
pub async fn start_check(
    State(app): State<AppState>,
    ApiAuth(auth): ApiAuth,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<StartCheckRequest>,
) -> ApiResult<(StatusCode, Json<CheckStartedResponse>)> {
    let started = app
        .services
        .staff()
        .start_knowledge_check(&auth, &id, body.ssn.as_deref())
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(CheckStartedResponse {
            check_id: started.check_id,
            questions: started
                .questions
                .iter()
                .map(|q| QuestionBody {
                    id: q.id(),
                    prompt: q.prompt(),
                    answer_kind: q.answer_kind().to_owned(),
                })
                .collect(),
        }),
    ))
}

#[derive(Deserialize, ToSchema)]
pub struct AnswersRequest {
    /// Question id → answer: a string or number, or `{"street","zip"}` for an address.
    #[schema(value_type = Object)]
    pub answers: HashMap<String, Answer>,
}

#[derive(Serialize, ToSchema)]
pub struct StaffOutcomeResponse {
    /// `passed` or `failed` (knowledge check); `completed` (in person).
    pub result: String,
    /// Shown once: read it to the person.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub temporary_password: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub letter_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code_expires_at: Option<String>,
    pub message: String,
}

fn outcome(result: &str, outcome: StaffOutcome) -> StaffOutcomeResponse {
    StaffOutcomeResponse {
        result: result.to_owned(),
        temporary_password: outcome.temporary_password,
        letter_id: outcome.letter.as_ref().map(|l| l.letter_id.clone()),
        code_expires_at: outcome.letter.as_ref().map(|l| rfc3339(l.code_expires_at)),
        message: outcome.message,
    }
}

/// Help desk: score the caller's answers. Pass: temporary password + letter; fail:
/// referred to an assistance center.
#[utoipa::path(post, path = "/api/v1/staff/knowledge-checks/{id}/answers", tag = "staff", request_body = AnswersRequest,
    security(("session_token" = [])),
    responses((status = 200, body = StaffOutcomeResponse), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn answer_check(
    State(app): State<AppState>,
    ApiAuth(auth): ApiAuth,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<AnswersRequest>,
) -> ApiResult<Json<StaffOutcomeResponse>> {
    let result = app
        .services
        .staff()
        .answer_knowledge_check(&auth, &id, &body.answers)
        .await?;
    let label = if result.passed { "passed" } else { "failed" };
    Ok(Json(outcome(label, result)))
}

#[derive(Deserialize, ToSchema)]
pub struct DocumentBody {
    /// `drivers_license`, `state_id`, `passport`, `military_id`,
    /// `permanent_resident_card`, `social_security_card`, `birth_certificate`.
    #[serde(rename = "type")]
    pub kind: String,
    pub issuer: String,
    pub number_last4: String,
    /// `YYYY-MM-DD`; required for photo IDs.
    pub expires_on: Option<String>,
}

#[derive(Deserialize, ToSchema)]
pub struct InPersonRequest {
    /// `new_user` or `existing_user`.
    pub kind: String,
    pub office: String,
    pub documents: Vec<DocumentBody>,
    /// From the Social Security card, when the account has no SSN on file.
    pub ssn: Option<String>,
    /// Staff confirm the person matches the photo ID.
    pub person_matches: bool,
}

#[derive(Serialize, ToSchema)]
pub struct InPersonResponse {
    pub record_id: String,
}

/// Convert the request's documents, naming the first bad field.
pub fn documents(bodies: Vec<DocumentBody>) -> Result<Vec<Document>, ApiError> {
    bodies
        .into_iter()
        .map(|d| {
            Ok(Document {
                kind: DocumentType::parse(&d.kind).ok_or_else(|| {
                    ApiError::invalid("documents", format!("unknown document type {:?}", d.kind))
                })?,
                issuer: d.issuer,
                number_last4: d.number_last4.trim().to_owned(),
                expires_on: d
                    .expires_on
                    .as_deref()
                    .filter(|t| !t.trim().is_empty())
                    .map(|t| parse_date("expires_on", t))
                    .transpose()?,
            })
        })
        .collect()
}

/// Assistance center: record the documents seen in person (sealed, read-only).
#[utoipa::path(post, path = "/api/v1/staff/accounts/{id}/in-person", tag = "staff", request_body = InPersonRequest,
    security(("session_token" = [])),
    responses((status = 201, body = InPersonResponse), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn in_person(
    State(app): State<AppState>,
    ApiAuth(auth): ApiAuth,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<InPersonRequest>,
) -> ApiResult<(StatusCode, Json<InPersonResponse>)> {
    let kind = VisitKind::parse(&body.kind)
        .ok_or_else(|| ApiError::invalid("kind", "kind must be new_user or existing_user"))?;
    let input = InPersonInput {
        kind,
        office: body.office,
        documents: documents(body.documents)?,
        ssn: body.ssn,
        person_matches: body.person_matches,
    };
    let record_id = app
        .services
        .staff()
        .record_in_person(&auth, &id, input)
        .await?;
    Ok((StatusCode::CREATED, Json(InPersonResponse { record_id })))
}

#[derive(Deserialize, ToSchema)]
pub struct CompleteRequest {
    /// Issue a temporary password too (an existing user who cannot sign in).
    #[serde(default)]
    pub temporary_password: bool,
}

/// Help desk: complete registration from the in-person record: a letter to the
/// address of record (and a temporary password when asked).
#[utoipa::path(post, path = "/api/v1/staff/accounts/{id}/complete-in-person", tag = "staff", request_body = CompleteRequest,
    security(("session_token" = [])),
    responses((status = 200, body = StaffOutcomeResponse), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn complete_in_person(
    State(app): State<AppState>,
    ApiAuth(auth): ApiAuth,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<CompleteRequest>,
) -> ApiResult<Json<StaffOutcomeResponse>> {
    let result = app
        .services
        .staff()
        .complete_in_person(&auth, &id, body.temporary_password)
        .await?;
    Ok(Json(outcome("completed", result)))
}
