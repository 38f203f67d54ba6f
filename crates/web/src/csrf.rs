//! CSRF protection for every HTML form: a signed double-submit token.
//!
//! Each browser gets a random `sa_csrf` cookie. Forms carry `csrf_token`, the HMAC of
//! that cookie under the server's key; a POST whose token does not match its cookie is
//! refused with 403 before any handler runs. An attacker's page can neither read the
//! cookie nor compute the HMAC. (The JSON API needs no token: it authenticates with a
//! bearer header, or a SameSite=Lax cookie plus a JSON content type, which a cross-site
//! form cannot send.)

use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::{Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sa_domain::keys::{constant_time_eq, random_bytes};

use crate::cookies;
use crate::pages::layout::message_page;
use crate::state::AppState;

pub use crate::pages::layout::CsrfToken;

#[derive(serde::Deserialize)]
struct TokenField {
    #[serde(default)]
    csrf_token: String,
}

fn form_token(app: &AppState, cookie_value: &str) -> String {
    URL_SAFE_NO_PAD.encode(
        app.services
            .core()
            .keys
            .mac("csrf", cookie_value.as_bytes()),
    )
}

/// Middleware for the page router.
pub async fn protect(State(app): State<AppState>, req: Request, next: Next) -> Response {
    let cookie_name = cookies::name(cookies::CSRF, app.config.secure_cookies);
    let existing = cookies::read(req.headers(), &cookie_name);
    let (cookie_value, is_new) = match existing {
        Some(value) => (value, false),
        None => (URL_SAFE_NO_PAD.encode(*random_bytes::<32>()), true),
    };
    let expected = form_token(&app, &cookie_value);
    let (mut parts, body) = req.into_parts();
    let body = if parts.method == Method::POST {
        let bytes = match to_bytes(body, app.config.max_body_bytes).await {
            Ok(bytes) => bytes,
            Err(_) => {
                return message_page(
                    &app,
                    StatusCode::PAYLOAD_TOO_LARGE,
                    &crate::locale::words("page-too-large-heading"),
                    &crate::locale::words("page-too-large-text"),
                );
            }
        };
        let submitted = serde_urlencoded::from_bytes::<TokenField>(&bytes)
            .map(|f| f.csrf_token)
            .unwrap_or_default();
        if is_new || !constant_time_eq(submitted.as_bytes(), expected.as_bytes()) {
            return message_page(
                &app,
                StatusCode::FORBIDDEN,
                &crate::locale::words("page-form-expired-heading"),
                &crate::locale::words("page-form-expired-text"),
            );
        }
        Body::from(bytes)
    } else {
        body
    };
    parts.extensions.insert(CsrfToken(expected));
    let mut response = next.run(Request::from_parts(parts, body)).await;
    if is_new
        && let Some(value) =
            cookies::set(&cookie_name, &cookie_value, app.config.secure_cookies, None)
    {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    response.into_response()
}
