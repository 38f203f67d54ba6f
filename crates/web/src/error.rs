//! Every domain error mapped once to an HTTP status, a stable `code` and a message for
//! a person: `{"error": {"code", "message", "field"?, "next"?}}`, with `Retry-After`
//! on rate limits, lockouts and overload. Internal details go to the log, never to
//! the client, and never carry secrets or personal data.

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use sa_domain::DomainError;
use sa_domain::model::Next;
use serde::Serialize;

/// An error answer of the JSON API (also used by pages to pick status and message).
#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
    pub field: Option<String>,
    pub next: Option<Next>,
    pub retry_after: Option<u64>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ErrorDetail {
    /// Stable, machine-readable: `invalid_request`, `invalid_credentials`, `rate_limited`, ...
    pub code: &'static str,
    /// For a person to read.
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// The step to take, where the error is about order (`wrong_step`, ...).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>)]
    pub next: Option<Next>,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
            field: None,
            next: None,
            retry_after: None,
        }
    }

    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: Some(field.into()),
            ..Self::new(StatusCode::BAD_REQUEST, "invalid_request", message)
        }
    }

    pub fn not_found() -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "not_found",
            "There is nothing at this address.",
        )
    }
}

impl From<DomainError> for ApiError {
    fn from(error: DomainError) -> Self {
        use StatusCode as S;
        let message = error.text().render(crate::locale::current());
        let base = |status, code| ApiError::new(status, code, message.clone());
        match error {
            DomainError::Invalid { field, .. } => ApiError::invalid(field, message),
            DomainError::UsernameTaken => ApiError {
                field: Some("username".into()),
                ..base(S::CONFLICT, "username_taken")
            },
            DomainError::InvalidCredentials => base(S::UNAUTHORIZED, "invalid_credentials"),
            DomainError::InvalidCode => ApiError {
                field: Some("code".into()),
                ..base(S::UNAUTHORIZED, "invalid_code")
            },
            DomainError::CodeExpired => ApiError {
                field: Some("code".into()),
                ..base(S::UNAUTHORIZED, "code_expired")
            },
            DomainError::CodeAlreadyUsed { .. } => ApiError {
                field: Some("code".into()),
                ..base(S::UNAUTHORIZED, "code_already_used")
            },
            DomainError::CodeAttemptsExhausted => ApiError {
                field: Some("code".into()),
                ..base(S::BAD_REQUEST, "code_attempts_exhausted")
            },
            DomainError::RateLimited { retry_after_secs } => ApiError {
                retry_after: Some(retry_after_secs),
                ..base(S::TOO_MANY_REQUESTS, "rate_limited")
            },
            DomainError::Locked { retry_after_secs } => ApiError {
                retry_after: Some(retry_after_secs),
                ..base(S::LOCKED, "locked")
            },
            DomainError::RecoveryRequired => base(S::FORBIDDEN, "recovery_required"),
            DomainError::PasswordResetRequired => base(S::FORBIDDEN, "password_reset_required"),
            DomainError::ResetCodeRefused => ApiError {
                field: Some("code".into()),
                ..base(S::BAD_REQUEST, "invalid_code")
            },
            DomainError::DisavowLinkInvalid => ApiError {
                field: Some("token".into()),
                ..base(S::BAD_REQUEST, "invalid_token")
            },
            DomainError::DisavowLinkUsed => base(S::CONFLICT, "token_already_used"),
            DomainError::NotYet {
                retry_after_secs, ..
            } => ApiError {
                retry_after: Some(retry_after_secs),
                ..base(S::CONFLICT, "not_ready")
            },
            DomainError::PasskeyRefused { .. } => ApiError {
                field: Some("credential".into()),
                ..base(S::BAD_REQUEST, "passkey_refused")
            },
            DomainError::PasskeyRequired => ApiError {
                next: Some(Next::SecondFactor),
                ..base(S::FORBIDDEN, "passkey_required")
            },
            DomainError::PasskeysUnavailable => base(S::CONFLICT, "passkeys_unavailable"),
            DomainError::AccountDisabled => base(S::FORBIDDEN, "account_disabled"),
            DomainError::Unauthenticated => base(S::UNAUTHORIZED, "unauthenticated"),
            DomainError::WrongStep { next, .. } => ApiError {
                next: Some(next),
                ..base(S::CONFLICT, "wrong_step")
            },
            DomainError::ReauthenticationRequired => ApiError {
                next: Some(Next::SecondFactor),
                ..base(S::FORBIDDEN, "reauthentication_required")
            },
            DomainError::NotFound(_) => base(S::NOT_FOUND, "not_found"),
            DomainError::Forbidden(_) => base(S::FORBIDDEN, "forbidden"),
            DomainError::Conflict(_) => base(S::CONFLICT, "conflict"),
            DomainError::Overloaded { retry_after_secs } => ApiError {
                retry_after: Some(retry_after_secs),
                ..base(S::SERVICE_UNAVAILABLE, "overloaded")
            },
            DomainError::SourceUnavailable { kind } => ApiError {
                retry_after: Some(60),
                // Where the letter is the other path, say so to clients too.
                next: (kind == sa_domain::proofing::records::RecordKind::PhoneRecords)
                    .then_some(Next::ProofingPhone),
                ..base(S::SERVICE_UNAVAILABLE, "source_unavailable")
            },
            DomainError::Unavailable { detail } => {
                tracing::error!(%detail, "dependency failure");
                ApiError {
                    retry_after: Some(30),
                    ..base(S::SERVICE_UNAVAILABLE, "service_unavailable")
                }
            }
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = ErrorBody {
            error: ErrorDetail {
                code: self.code,
                message: self.message,
                field: self.field,
                next: self.next,
            },
        };
        let mut response = (self.status, Json(body)).into_response();
        if let Some(secs) = self.retry_after
            && let Ok(value) = HeaderValue::from_str(&secs.to_string())
        {
            response.headers_mut().insert(header::RETRY_AFTER, value);
        }
        if self.status == StatusCode::UNAUTHORIZED && self.code == "unauthenticated" {
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        response
    }
}

pub type ApiResult<T> = Result<T, ApiError>;
