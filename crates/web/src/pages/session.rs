//! A browser along the step graph: the signed-in session of a page request
//! ([`PageAuth`]), redirects to the next step, error pages that say what to do, the
//! `Retry-After` of limits, and the session and device cookies.

use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Redirect, Response};
use sa_domain::DomainError;
use sa_domain::journeys::AuthSession;
use sa_domain::model::Next;

use super::layout::{message_page, next_url};
use crate::cookies;
use crate::extract::session_token;
use crate::state::AppState;

/// The signed-in session of a page request; without one, the handler never runs and the
/// person is redirected to sign in.
pub struct PageAuth(pub AuthSession);

impl axum::extract::FromRequestParts<AppState> for PageAuth {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        app: &AppState,
    ) -> Result<Self, Response> {
        require_auth(app, &parts.headers).await.map(PageAuth)
    }
}

/// The session from the cookie, or a redirect to sign in.
pub async fn require_auth(app: &AppState, headers: &HeaderMap) -> Result<AuthSession, Response> {
    let token = session_token(headers, app.config.secure_cookies).ok_or_else(to_sign_in)?;
    match app.services.sessions().authenticate(&token).await {
        Ok(auth) => Ok(auth),
        Err(DomainError::Unauthenticated) => Err(to_sign_in()),
        Err(other) => Err(error_page(app, other)),
    }
}

fn to_sign_in() -> Response {
    Redirect::to("/sign-in").into_response()
}

/// Redirect to wherever this session must go next.
pub async fn redirect_next(app: &AppState, auth: &AuthSession) -> Response {
    match app.services.sessions().session_status(auth).await {
        Ok(status) => Redirect::to(next_url(status.next)).into_response(),
        Err(error) => error_page(app, error),
    }
}

/// The wait a limit or overload error asks for, if any.
pub fn retry_after_secs(error: &DomainError) -> Option<u64> {
    match error {
        DomainError::RateLimited { retry_after_secs }
        | DomainError::Locked { retry_after_secs }
        | DomainError::Overloaded { retry_after_secs } => Some(*retry_after_secs),
        _ => None,
    }
}

/// Add `Retry-After` to a page answering a limit or overload (forms re-render with
/// the error, and the header must come with them as it does with the API).
pub fn with_retry_after(mut response: Response, secs: Option<u64>) -> Response {
    if let Some(secs) = secs
        && let Ok(value) = HeaderValue::from_str(&secs.to_string())
    {
        response.headers_mut().insert(header::RETRY_AFTER, value);
    }
    response
}

/// An error that is not about a form field, as a page (or a redirect).
pub fn error_page(app: &AppState, error: DomainError) -> Response {
    match error {
        DomainError::Unauthenticated => to_sign_in(),
        DomainError::WrongStep { next, .. } => Redirect::to(next_url(next)).into_response(),
        other => {
            let api = crate::error::ApiError::from(other);
            let mut response = message_page(
                app,
                api.status,
                &crate::locale::words("page-could-not-do"),
                &api.message,
            );
            if let Some(secs) = api.retry_after
                && let Ok(value) = HeaderValue::from_str(&secs.to_string())
            {
                response.headers_mut().insert(header::RETRY_AFTER, value);
            }
            response
        }
    }
}

/// Redirect to the next step, setting the session cookie when the token changed and the
/// device cookie when one was just issued.
pub fn redirect_with_session(
    app: &AppState,
    next: Next,
    token: Option<&str>,
    device_cookie: Option<HeaderValue>,
) -> Response {
    let mut response = Redirect::to(next_url(next)).into_response();
    if let Some(token) = token {
        set_session_cookie(app, &mut response, token);
    }
    if let Some(cookie) = device_cookie {
        response.headers_mut().append(header::SET_COOKIE, cookie);
    }
    response
}

/// Set the session cookie on a response.
pub fn set_session_cookie(app: &AppState, response: &mut Response, token: &str) {
    let name = cookies::name(cookies::SESSION, app.config.secure_cookies);
    if let Some(value) = cookies::set(&name, token, app.config.secure_cookies, None) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
}

/// Give the browser a device cookie if it has none (used for new-device notices).
pub fn ensure_device(app: &AppState, ctx: &mut sa_domain::RequestContext) -> Option<HeaderValue> {
    if ctx.device.is_some() {
        return None;
    }
    let device = sa_domain::keys::hex(&sa_domain::keys::random_bytes::<16>()[..]);
    ctx.device = Some(device.clone());
    let name = cookies::name(cookies::DEVICE, app.config.secure_cookies);
    cookies::set(
        &name,
        &device,
        app.config.secure_cookies,
        Some(400 * 24 * 3600),
    )
}
