//! Passkeys (WebAuthn) through the API: register one as a factor, use one as the
//! second factor after the password, or sign in with one alone. Binary WebAuthn fields
//! travel as base64url in the WebAuthn Level 3 JSON forms (`{"publicKey": ...}` options
//! in, `RegistrationResponseJSON` / `AuthenticationResponseJSON` back).

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::bodies::next_str;
use super::factors::ConfirmedResponse;
use super::sign_in::SecondFactorResponse;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::{ApiAuth, ApiJson, Client, OptionalJson};
use crate::state::AppState;

#[derive(Deserialize, Default, ToSchema)]
pub struct PasskeyRequest {
    /// A name for the passkey, e.g. "Work laptop".
    pub label: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct PasskeyCreationResponse {
    pub factor_id: String,
    /// `{"publicKey": PublicKeyCredentialCreationOptionsJSON}` for
    /// `navigator.credentials.create` (ES256 offered, user verification required).
    #[schema(value_type = Object)]
    pub options: serde_json::Value,
}

/// Start registering a passkey or security key (inactive until confirmed).
#[utoipa::path(post, path = "/api/v1/factors/passkeys", tag = "factors", request_body(content = PasskeyRequest, description = "optional"),
    security(("session_token" = [])),
    responses((status = 201, body = PasskeyCreationResponse), (status = 403, description = "reauthentication_required", body = ErrorBody), (status = 409, description = "passkeys_unavailable, or too many factors", body = ErrorBody)))]
pub async fn begin(
    State(app): State<AppState>,
    ApiAuth(auth): ApiAuth,
    OptionalJson(body): OptionalJson<PasskeyRequest>,
) -> ApiResult<(StatusCode, Json<PasskeyCreationResponse>)> {
    let enrolment = app
        .services
        .factors()
        .begin_passkey(&auth, body.label.as_deref())
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(PasskeyCreationResponse {
            factor_id: enrolment.factor_id,
            options: enrolment.options,
        }),
    ))
}

#[derive(Deserialize, ToSchema)]
pub struct CredentialRequest {
    /// The authenticator's answer: a `RegistrationResponseJSON` (registration) or an
    /// `AuthenticationResponseJSON` (sign-in).
    #[schema(value_type = Object)]
    pub credential: serde_json::Value,
}

/// Finish registering a passkey with the authenticator's answer.
#[utoipa::path(post, path = "/api/v1/factors/passkeys/{id}/confirm", tag = "factors", request_body = CredentialRequest,
    params(("id" = String, Path, description = "factor id")), security(("session_token" = [])),
    responses((status = 200, body = ConfirmedResponse), (status = 400, description = "passkey_refused (another site, not verified, already registered, expired challenge)", body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn confirm(
    State(app): State<AppState>,
    ApiAuth(auth): ApiAuth,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<CredentialRequest>,
) -> ApiResult<Json<ConfirmedResponse>> {
    Ok(Json(
        app.services
            .factors()
            .confirm_passkey(&auth, &id, &body.credential)
            .await?
            .into(),
    ))
}

#[derive(Serialize, ToSchema)]
pub struct PasskeyRequestOptions {
    /// `{"publicKey": PublicKeyCredentialRequestOptionsJSON}` for
    /// `navigator.credentials.get`.
    #[schema(value_type = Object)]
    pub options: serde_json::Value,
}

/// After the password: the options to use one of the account's passkeys. Answer with
/// `POST /api/v1/sessions/second-factor` (`method: "passkey"`, `credential`).
#[utoipa::path(post, path = "/api/v1/sessions/passkey", tag = "sessions",
    security(("session_token" = [])),
    responses((status = 200, body = PasskeyRequestOptions), (status = 400, description = "no passkey on this account", body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn second_factor_options(
    State(app): State<AppState>,
    ApiAuth(auth): ApiAuth,
) -> ApiResult<Json<PasskeyRequestOptions>> {
    let options = app.services.sign_in().passkey_options(&auth).await?;
    Ok(Json(PasskeyRequestOptions { options }))
}

#[derive(Serialize, ToSchema)]
pub struct PasswordlessOptions {
    /// Send it back with the answer.
    pub challenge_id: String,
    /// `{"publicKey": PublicKeyCredentialRequestOptionsJSON}` with no credentials
    /// listed: the browser offers the person's passkeys for this site.
    #[schema(value_type = Object)]
    pub options: serde_json::Value,
}

/// Start signing in with a passkey alone (no username or password).
#[utoipa::path(post, path = "/api/v1/sessions/passwordless", tag = "sessions",
    responses((status = 200, body = PasswordlessOptions), (status = 409, description = "passkeys_unavailable", body = ErrorBody), (status = 429, body = ErrorBody)))]
pub async fn passwordless_options(
    State(app): State<AppState>,
    Client(ctx): Client,
) -> ApiResult<Json<PasswordlessOptions>> {
    let started = app.services.sign_in().passwordless_options(&ctx).await?;
    Ok(Json(PasswordlessOptions {
        challenge_id: started.challenge_id,
        options: started.options,
    }))
}

#[derive(Deserialize, ToSchema)]
pub struct PasswordlessRequest {
    pub challenge_id: String,
    /// An `AuthenticationResponseJSON` from a discoverable passkey, with user
    /// verification.
    #[schema(value_type = Object)]
    pub credential: serde_json::Value,
}

/// Finish signing in with a passkey alone: a session at AAL2, phishing-resistant.
#[utoipa::path(post, path = "/api/v1/sessions/passwordless/confirm", tag = "sessions", request_body = PasswordlessRequest,
    responses((status = 200, body = SecondFactorResponse), (status = 400, description = "passkey_refused", body = ErrorBody), (status = 403, description = "account_disabled or password_reset_required", body = ErrorBody), (status = 429, body = ErrorBody)))]
pub async fn passwordless(
    State(app): State<AppState>,
    Client(ctx): Client,
    ApiJson(body): ApiJson<PasswordlessRequest>,
) -> ApiResult<Json<SecondFactorResponse>> {
    let verified = app
        .services
        .sign_in()
        .with_passkey(&body.challenge_id, &body.credential, &ctx)
        .await?;
    Ok(Json(SecondFactorResponse {
        session_token: verified.session_token,
        next: next_str(verified.next),
        assurance: verified.assurance.into(),
    }))
}
