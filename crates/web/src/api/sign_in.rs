//! Sign-in (password, then a second factor) and sign-out.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::bodies::next_str;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{ApiAuth, ApiJson, Client, OptionalJson};
use crate::state::AppState;

#[derive(Deserialize, ToSchema)]
pub struct SignInRequest {
    pub username: String,
    pub password: String,
}

#[derive(Serialize, ToSchema)]
pub struct SignInResponse {
    pub session_token: String,
    /// `second_factor`, or `confirm_email` / `setup_second_factor` for an unfinished account.
    pub next: String,
    /// Second-factor methods available, e.g. `["totp","sms","backup_code"]`.
    pub methods: Vec<String>,
}

/// Check username and password. The same `401 invalid_credentials` answers an unknown
/// username and a wrong password.
#[utoipa::path(post, path = "/api/v1/sessions", tag = "sessions", request_body = SignInRequest,
    responses((status = 200, body = SignInResponse), (status = 401, body = ErrorBody), (status = 429, description = "too many attempts; see Retry-After", body = ErrorBody)))]
pub async fn sign_in(
    State(app): State<AppState>,
    Client(ctx): Client,
    ApiJson(body): ApiJson<SignInRequest>,
) -> ApiResult<Json<SignInResponse>> {
    let started = app
        .services
        .sign_in()
        .with_password(&body.username, &body.password, &ctx)
        .await?;
    Ok(Json(SignInResponse {
        session_token: started.session_token,
        next: next_str(started.next),
        methods: started.methods.into_iter().map(str::to_owned).collect(),
    }))
}

#[derive(Deserialize, Default, ToSchema)]
pub struct SmsRequest {
    /// A phone factor's id; the first phone when absent.
    pub factor_id: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct SmsResponse {
    /// `code_sent`
    pub result: String,
    pub next: String,
}

/// Text a sign-in code to the phone of record (or the phone factor named).
#[utoipa::path(post, path = "/api/v1/sessions/sms", tag = "sessions", request_body(content = SmsRequest, description = "optional"),
    security(("session_token" = [])),
    responses((status = 202, body = SmsResponse), (status = 404, body = ErrorBody), (status = 429, body = ErrorBody)))]
pub async fn send_sms(
    State(app): State<AppState>,
    Client(ctx): Client,
    ApiAuth(auth): ApiAuth,
    OptionalJson(body): OptionalJson<SmsRequest>,
) -> ApiResult<(StatusCode, Json<SmsResponse>)> {
    app.services
        .sign_in()
        .send_sms_code(&auth, body.factor_id.as_deref(), &ctx)
        .await?;
    Ok((
        StatusCode::ACCEPTED,
        Json(SmsResponse {
            result: "code_sent".into(),
            next: "second_factor".into(),
        }),
    ))
}

#[derive(Deserialize, ToSchema)]
pub struct SecondFactorRequest {
    /// `passkey`, `totp`, `sms` or `backup_code`.
    pub method: String,
    /// The code (every method but `passkey`).
    pub code: Option<String>,
    /// `passkey` only: an `AuthenticationResponseJSON` answering the options of
    /// `POST /api/v1/sessions/passkey`.
    #[schema(value_type = Option<Object>)]
    pub credential: Option<serde_json::Value>,
}

#[derive(Serialize, ToSchema)]
pub struct AssuranceBody {
    pub ial: u8,
    pub aal: u8,
    /// The second factor was a passkey (it cannot be relayed by a look-alike site).
    pub phishing_resistant: bool,
}

impl From<sa_domain::journeys::Assurance> for AssuranceBody {
    fn from(assurance: sa_domain::journeys::Assurance) -> Self {
        Self {
            ial: assurance.ial,
            aal: assurance.aal,
            phishing_resistant: assurance.phishing_resistant,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct SecondFactorResponse {
    /// A new token: the old one stops working (the session gained privilege).
    pub session_token: String,
    pub next: String,
    pub assurance: AssuranceBody,
}

/// Enter a second-factor code. Success replaces the session token.
#[utoipa::path(post, path = "/api/v1/sessions/second-factor", tag = "sessions", request_body = SecondFactorRequest,
    security(("session_token" = [])),
    responses((status = 200, body = SecondFactorResponse), (status = 401, description = "invalid_code, code_expired or code_already_used", body = ErrorBody), (status = 423, description = "locked; see Retry-After", body = ErrorBody)))]
pub async fn second_factor(
    State(app): State<AppState>,
    Client(ctx): Client,
    ApiAuth(auth): ApiAuth,
    ApiJson(body): ApiJson<SecondFactorRequest>,
) -> ApiResult<Json<SecondFactorResponse>> {
    let sign_in = app.services.sign_in();
    let verified = match (body.method.as_str(), &body.credential, &body.code) {
        ("passkey", Some(credential), _) => sign_in.verify_passkey(&auth, credential, &ctx).await?,
        ("passkey", None, _) => {
            return Err(ApiError::invalid(
                "credential",
                "Send the passkey's answer as credential (an AuthenticationResponseJSON).",
            ));
        }
        (method, _, Some(code)) => {
            sign_in
                .verify_second_factor(&auth, method, code, &ctx)
                .await?
        }
        (_, _, None) => {
            return Err(ApiError::invalid(
                "code",
                crate::locale::words("error-enter-code"),
            ));
        }
    };
    Ok(Json(SecondFactorResponse {
        session_token: verified.session_token,
        next: next_str(verified.next),
        assurance: verified.assurance.into(),
    }))
}

/// Sign out: the session token stops working.
#[utoipa::path(delete, path = "/api/v1/sessions", tag = "sessions", security(("session_token" = [])),
    responses((status = 204, description = "signed out"), (status = 401, body = ErrorBody)))]
pub async fn sign_out(
    State(app): State<AppState>,
    ApiAuth(auth): ApiAuth,
) -> ApiResult<StatusCode> {
    app.services.sessions().sign_out(&auth).await?;
    Ok(StatusCode::NO_CONTENT)
}
