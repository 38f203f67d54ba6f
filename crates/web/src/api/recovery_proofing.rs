//! A verified person who lost every sign-in method proves their identity again online
//! (after the password): the identity (the SSN the account was verified with), one
//! financial account, then a phone in their name, which becomes the only sign-in
//! method. The bodies are those of the proofing steps.

use axum::Json;
use axum::extract::State;
use sa_domain::journeys::{IdentityInput, RecoveryStepOutcome, parse_account_kind};
use serde::Serialize;
use utoipa::ToSchema;

use super::bodies::{CodeRequest, next_str};
use super::proofing::{FinancialAccountRequest, IdentityRequest, PhoneRequest};
use super::recovery::AccountResetDoneResponse;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::{ApiAuth, ApiJson, Client};
use crate::state::AppState;

#[derive(Serialize, ToSchema)]
pub struct RecoveryStepResponse {
    /// `matched`, `not_matched` or `code_sent`.
    pub result: String,
    /// The recovery step to take now: `identity`, `financial_account`, `phone`,
    /// `phone_code`.
    pub recovery_step: String,
    pub message: String,
}

impl From<RecoveryStepOutcome> for RecoveryStepResponse {
    fn from(outcome: RecoveryStepOutcome) -> Self {
        Self {
            result: outcome.result.to_owned(),
            recovery_step: outcome.step.to_owned(),
            message: outcome.message.render(crate::locale::current()),
        }
    }
}

/// Step 1: personal information; it must match the identity the account was verified
/// with. Starting is told at once to the email address and every phone on the account.
#[utoipa::path(post, path = "/api/v1/account-resets/identity", tag = "recovery", request_body = IdentityRequest,
    security(("session_token" = [])),
    responses((status = 200, body = RecoveryStepResponse), (status = 400, body = ErrorBody), (status = 409, body = ErrorBody), (status = 429, body = ErrorBody)))]
pub async fn identity(
    State(app): State<AppState>,
    ApiAuth(auth): ApiAuth,
    ApiJson(body): ApiJson<IdentityRequest>,
) -> ApiResult<Json<RecoveryStepResponse>> {
    let claim = IdentityInput::from(body).into_claim(app.services.core().now().date())?;
    let outcome = app
        .services
        .recovery()
        .recover_identity(&auth, &claim)
        .await?;
    Ok(Json(outcome.into()))
}

/// Step 2: one financial account under the account's SSN.
#[utoipa::path(post, path = "/api/v1/account-resets/financial-account", tag = "recovery", request_body = FinancialAccountRequest,
    security(("session_token" = [])),
    responses((status = 200, body = RecoveryStepResponse), (status = 400, body = ErrorBody), (status = 409, body = ErrorBody), (status = 429, body = ErrorBody)))]
pub async fn financial_account(
    State(app): State<AppState>,
    ApiAuth(auth): ApiAuth,
    ApiJson(body): ApiJson<FinancialAccountRequest>,
) -> ApiResult<Json<RecoveryStepResponse>> {
    let kind = parse_account_kind(&body.kind)?;
    let outcome = app
        .services
        .recovery()
        .recover_financial_account(&auth, kind, &body.account_number)
        .await?;
    Ok(Json(outcome.into()))
}

/// Step 3: a mobile phone in the person's name; a code is texted to it.
#[utoipa::path(post, path = "/api/v1/account-resets/phone", tag = "recovery", request_body = PhoneRequest,
    security(("session_token" = [])),
    responses((status = 200, body = RecoveryStepResponse), (status = 400, body = ErrorBody), (status = 409, body = ErrorBody), (status = 429, body = ErrorBody)))]
pub async fn phone(
    State(app): State<AppState>,
    Client(ctx): Client,
    ApiAuth(auth): ApiAuth,
    ApiJson(body): ApiJson<PhoneRequest>,
) -> ApiResult<Json<RecoveryStepResponse>> {
    let outcome = app
        .services
        .recovery()
        .recover_phone(&auth, &body.phone, &ctx)
        .await?;
    Ok(Json(outcome.into()))
}

/// Step 3b: the texted code. The phone becomes the only sign-in method, every old one
/// is removed and every other session ends; the answer is a signed-in session.
#[utoipa::path(post, path = "/api/v1/account-resets/phone/confirm", tag = "recovery", request_body = CodeRequest,
    security(("session_token" = [])),
    responses((status = 200, body = AccountResetDoneResponse), (status = 401, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn confirm_phone(
    State(app): State<AppState>,
    Client(ctx): Client,
    ApiAuth(auth): ApiAuth,
    ApiJson(body): ApiJson<CodeRequest>,
) -> ApiResult<Json<AccountResetDoneResponse>> {
    let done = app
        .services
        .recovery()
        .confirm_recovery_phone(&auth, &body.code, &ctx)
        .await?;
    Ok(Json(AccountResetDoneResponse {
        session_token: done.session_token,
        next: next_str(done.next),
    }))
}
