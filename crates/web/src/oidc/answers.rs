//! What the endpoints share: JSON and error answers, and the browser's session.

use askama::Template;
use axum::Json;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use sa_domain::oidc::OAuthError;
use serde_json::json;

use crate::extract::session_token;
use crate::pages::layout::{Layout, message_page};
use crate::state::AppState;

/// Cacheable public JSON (discovery and JWKS).
pub(super) fn public_json(value: serde_json::Value) -> Response {
    public_for_five_minutes(Json(value).into_response())
}

/// A public document any cache may keep five minutes (discovery, JWKS, SAML metadata).
pub(crate) fn public_for_five_minutes(mut response: Response) -> Response {
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=300"),
    );
    response
}

pub(super) fn oauth_error(error: OAuthError) -> Response {
    let status = StatusCode::from_u16(error.status()).unwrap_or(StatusCode::BAD_REQUEST);
    let mut response = (
        status,
        Json(json!({"error": error.error, "error_description": error.description})),
    )
        .into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if error.error == "invalid_client" {
        response.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            HeaderValue::from_static("Basic realm=\"secure-access\""),
        );
    }
    if error.error == "invalid_token" {
        response.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            HeaderValue::from_static("Bearer error=\"invalid_token\""),
        );
    }
    response
}

pub(crate) fn error_page(app: &AppState, error: &OAuthError) -> Response {
    message_page(
        app,
        StatusCode::from_u16(error.status()).unwrap_or(StatusCode::BAD_REQUEST),
        &crate::locale::words("page-app-sign-in-failed-now"),
        &error.description,
    )
}

/// The signed-in session of the browser, if any.
pub(crate) async fn browser_session(
    app: &AppState,
    headers: &HeaderMap,
) -> Option<sa_domain::journeys::AuthSession> {
    let token = session_token(headers, app.config.secure_cookies)?;
    app.services.sessions().authenticate(&token).await.ok()
}

#[derive(Template)]
#[template(path = "oidc_continue.html")]
pub(super) struct ContinuePage {
    pub(super) layout: Layout,
    pub(super) url: String,
}
