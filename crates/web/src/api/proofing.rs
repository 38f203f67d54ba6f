//! Identity proofing over the JSON API (`/api/v1/proofing...`): the same journeys as
//! the proofing pages. Every answer carries `next`; a step taken out of order is a
//! `409 wrong_step` naming the step to take instead.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use sa_domain::clock::rfc3339;
use sa_domain::journeys::{IdentityInput, ProofingOutcome, parse_account_kind};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::bodies::CodeRequest;
use super::bodies::next_str;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::{ApiAuth, ApiJson, Client};
use crate::state::AppState;

#[derive(Serialize, ToSchema)]
pub struct AttemptsRemainingBody {
    pub identity: i64,
    pub financial_account: i64,
    pub phone: i64,
    pub mail_code: i64,
    pub letters: i64,
}

#[derive(Serialize, ToSchema)]
pub struct ProofingStateResponse {
    /// `identity`, `financial_account`, `phone`, `phone_code`, `mail_code`,
    /// `exception`, `verified`.
    pub state: String,
    pub next: String,
    pub attempts_remaining: AttemptsRemainingBody,
    /// `online` or `mail` once verified.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verified_by: Option<String>,
    /// When the newest mailed code expires, while one is out.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub letter_expires_at: Option<String>,
    pub message: String,
}

/// Where the account stands in identity proofing.
#[utoipa::path(get, path = "/api/v1/proofing", tag = "proofing",
    security(("session_token" = [])),
    responses((status = 200, body = ProofingStateResponse), (status = 401, body = ErrorBody)))]
pub async fn state(
    State(app): State<AppState>,
    ApiAuth(auth): ApiAuth,
) -> ApiResult<Json<ProofingStateResponse>> {
    let status = app.services.proofing().proofing_status(&auth).await?;
    let left = status.attempts_remaining;
    Ok(Json(ProofingStateResponse {
        state: status.step.as_str().to_owned(),
        next: next_str(status.next),
        attempts_remaining: AttemptsRemainingBody {
            identity: left.identity,
            financial_account: left.financial_account,
            phone: left.phone,
            mail_code: left.mail_code,
            letters: left.letters,
        },
        verified_by: status.verified_by,
        letter_expires_at: status.letter_expires_at.map(rfc3339),
        message: status.message.render(crate::locale::current()),
    }))
}

#[derive(Deserialize, ToSchema)]
pub struct AddressBody {
    pub street: String,
    pub unit: Option<String>,
    pub city: String,
    /// 2 letters.
    pub state: String,
    /// 5 digits or ZIP+4.
    pub zip: String,
}

#[derive(Deserialize, ToSchema)]
pub struct IdentityRequest {
    pub first_name: String,
    pub middle_name: Option<String>,
    pub last_name: String,
    pub suffix: Option<String>,
    /// `YYYY-MM-DD`.
    pub date_of_birth: String,
    /// SSN or ITIN, 9 digits, dashes allowed.
    pub ssn: String,
    /// `single`, `married_filing_jointly`, `married_filing_separately`,
    /// `head_of_household`, `qualifying_surviving_spouse`.
    pub filing_status: String,
    pub address: AddressBody,
}

#[derive(Serialize, ToSchema)]
pub struct ProofingStepResponse {
    /// `matched`, `not_matched`, `code_sent` or `verified`.
    pub result: String,
    pub next: String,
    /// What to do now, in plain words.
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attempts_remaining: Option<i64>,
    /// Set when the session was replaced (it gained privilege): use this token from now on.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub session_token: Option<String>,
    /// Other steps the client may offer (for example `proofing_mail_code` after a
    /// phone that did not match).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub choices: Vec<String>,
}

impl From<ProofingOutcome> for ProofingStepResponse {
    fn from(outcome: ProofingOutcome) -> Self {
        let choices = if outcome.next == sa_domain::model::Next::ProofingPhone {
            vec!["proofing_phone".to_owned(), "proofing_mail_code".to_owned()]
        } else {
            Vec::new()
        };
        Self {
            result: outcome.result.as_str().to_owned(),
            next: next_str(outcome.next),
            message: outcome.message.render(crate::locale::current()),
            attempts_remaining: outcome.attempts_remaining,
            session_token: outcome.session_token,
            choices,
        }
    }
}

impl From<IdentityRequest> for IdentityInput {
    fn from(body: IdentityRequest) -> Self {
        Self {
            first_name: body.first_name,
            middle_name: body.middle_name,
            last_name: body.last_name,
            suffix: body.suffix,
            date_of_birth: body.date_of_birth,
            ssn: body.ssn,
            filing_status: body.filing_status,
            street: body.address.street,
            unit: body.address.unit,
            city: body.address.city,
            state: body.address.state,
            zip: body.address.zip,
        }
    }
}

/// Step 1: personal information, matched against the two most recent tax returns.
#[utoipa::path(post, path = "/api/v1/proofing/identity", tag = "proofing", request_body = IdentityRequest,
    security(("session_token" = [])),
    responses((status = 200, body = ProofingStepResponse), (status = 400, body = ErrorBody),
        (status = 409, description = "not this step now", body = ErrorBody), (status = 429, body = ErrorBody)))]
pub async fn identity(
    State(app): State<AppState>,
    ApiAuth(auth): ApiAuth,
    Client(ctx): Client,
    ApiJson(body): ApiJson<IdentityRequest>,
) -> ApiResult<Json<ProofingStepResponse>> {
    let claim = IdentityInput::from(body).into_claim(app.services.core().now().date())?;
    let outcome = app
        .services
        .proofing()
        .submit_identity(&auth, &claim, &ctx)
        .await?;
    Ok(Json(outcome.into()))
}

#[derive(Deserialize, ToSchema)]
pub struct FinancialAccountRequest {
    /// `credit_card`, `mortgage`, `home_equity_loan`, `home_equity_line_of_credit`,
    /// `auto_loan`, `student_loan`.
    pub kind: String,
    /// Credit card: at least the last 8 digits; loans: the whole number.
    pub account_number: String,
}

/// Step 2: one financial account in the applicant's name.
#[utoipa::path(post, path = "/api/v1/proofing/financial-account", tag = "proofing", request_body = FinancialAccountRequest,
    security(("session_token" = [])),
    responses((status = 200, body = ProofingStepResponse), (status = 400, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 429, body = ErrorBody)))]
pub async fn financial_account(
    State(app): State<AppState>,
    ApiAuth(auth): ApiAuth,
    ApiJson(body): ApiJson<FinancialAccountRequest>,
) -> ApiResult<Json<ProofingStepResponse>> {
    let kind = parse_account_kind(&body.kind)?;
    let outcome = app
        .services
        .proofing()
        .submit_financial_account(&auth, kind, &body.account_number)
        .await?;
    Ok(Json(outcome.into()))
}

#[derive(Deserialize, ToSchema)]
pub struct PhoneRequest {
    pub phone: String,
}

/// Step 3: a mobile phone in the applicant's name; a code is texted to it.
#[utoipa::path(post, path = "/api/v1/proofing/phone", tag = "proofing", request_body = PhoneRequest,
    security(("session_token" = [])),
    responses((status = 200, body = ProofingStepResponse), (status = 400, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 429, body = ErrorBody)))]
pub async fn phone(
    State(app): State<AppState>,
    Client(ctx): Client,
    ApiAuth(auth): ApiAuth,
    ApiJson(body): ApiJson<PhoneRequest>,
) -> ApiResult<Json<ProofingStepResponse>> {
    let outcome = app
        .services
        .proofing()
        .submit_proofing_phone(&auth, &body.phone, &ctx)
        .await?;
    Ok(Json(outcome.into()))
}

/// Step 3b: the texted code; verifies the identity and adds the phone as a second factor.
#[utoipa::path(post, path = "/api/v1/proofing/phone/confirm", tag = "proofing", request_body = CodeRequest,
    security(("session_token" = [])),
    responses((status = 200, body = ProofingStepResponse), (status = 400, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 429, body = ErrorBody)))]
pub async fn confirm_phone(
    State(app): State<AppState>,
    ApiAuth(auth): ApiAuth,
    ApiJson(body): ApiJson<CodeRequest>,
) -> ApiResult<Json<ProofingStepResponse>> {
    let outcome = app
        .services
        .proofing()
        .confirm_proofing_phone(&auth, &body.code)
        .await?;
    Ok(Json(outcome.into()))
}

#[derive(Serialize, ToSchema)]
pub struct LetterResponse {
    /// `letter_queued`
    pub result: String,
    pub expected_delivery_days: [u8; 2],
    pub code_expires_at: String,
    /// `proofing_mail_code`
    pub next: String,
}

/// Mail an activation code to the address on the latest tax return.
#[utoipa::path(post, path = "/api/v1/proofing/mail", tag = "proofing",
    security(("session_token" = [])),
    responses((status = 202, body = LetterResponse), (status = 409, body = ErrorBody), (status = 429, body = ErrorBody)))]
pub async fn mail(
    State(app): State<AppState>,
    ApiAuth(auth): ApiAuth,
) -> ApiResult<(StatusCode, Json<LetterResponse>)> {
    let queued = app.services.letters().request_letter(&auth).await?;
    Ok((
        StatusCode::ACCEPTED,
        Json(LetterResponse {
            result: "letter_queued".to_owned(),
            expected_delivery_days: queued.expected_delivery_days,
            code_expires_at: rfc3339(queued.code_expires_at),
            next: "proofing_mail_code".to_owned(),
        }),
    ))
}

/// Enter the mailed activation code.
#[utoipa::path(post, path = "/api/v1/proofing/mail/confirm", tag = "proofing", request_body = CodeRequest,
    security(("session_token" = [])),
    responses((status = 200, body = ProofingStepResponse), (status = 400, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 429, body = ErrorBody)))]
pub async fn confirm_mail(
    State(app): State<AppState>,
    ApiAuth(auth): ApiAuth,
    ApiJson(body): ApiJson<CodeRequest>,
) -> ApiResult<Json<ProofingStepResponse>> {
    let outcome = app
        .services
        .letters()
        .confirm_letter(&auth, &body.code)
        .await?;
    Ok(Json(outcome.into()))
}
