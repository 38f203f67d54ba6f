//! The HTML pages: server-rendered (askama), styled with the U.S. Web Design System,
//! complete without JavaScript. Each handler calls the same journey as its JSON twin in
//! [`crate::api`]; the page face adds cookies, redirects along the step graph, and forms
//! whose errors are listed at the top and tied to their fields.

mod admin;
pub mod chart;
mod factors;
mod form;
mod password;
mod proofing;
mod security;
mod sign_in;
mod sign_up;
mod staff;
mod staff_forms;

pub use form::FormErrors;

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use sa_domain::DomainError;
use sa_domain::journeys::AuthSession;
use sa_domain::model::Next;

use crate::extract::session_token;
use crate::{AppState, cookies, csrf};

pub fn router(app: AppState) -> Router<AppState> {
    Router::new()
        .route("/", get(home))
        .route("/sign-up", get(sign_up::show).post(sign_up::submit))
        .route(
            "/sign-up/confirm-email",
            get(sign_up::show_confirm).post(sign_up::confirm),
        )
        .route("/sign-up/confirm-email/resend", post(sign_up::resend))
        .route("/sign-in", get(sign_in::show).post(sign_in::submit))
        .route(
            "/sign-in/second-factor",
            get(sign_in::show_factor).post(sign_in::submit_factor),
        )
        .route("/sign-in/second-factor/sms", post(sign_in::send_sms))
        .route("/sign-out", post(sign_in::sign_out))
        .route("/second-factor/setup", get(factors::choose))
        .route("/second-factor/setup/totp", post(factors::begin_totp))
        .route(
            "/second-factor/setup/totp/{id}",
            get(factors::show_totp).post(factors::confirm_totp),
        )
        .route(
            "/second-factor/setup/phone",
            get(factors::show_phone).post(factors::add_phone),
        )
        .route(
            "/second-factor/setup/phone/{id}",
            get(factors::show_phone_confirm).post(factors::confirm_phone),
        )
        .route(
            "/second-factor/setup/backup-codes",
            post(factors::backup_codes),
        )
        .route(
            "/verify/identity",
            get(proofing::show_identity).post(proofing::submit_identity),
        )
        .route(
            "/verify/financial-account",
            get(proofing::show_financial).post(proofing::submit_financial),
        )
        .route(
            "/verify/phone",
            get(proofing::show_phone).post(proofing::submit_phone),
        )
        .route(
            "/verify/phone/confirm",
            get(proofing::show_phone_confirm).post(proofing::confirm_phone),
        )
        .route("/verify/mail", post(proofing::request_letter))
        .route(
            "/verify/mail/confirm",
            get(proofing::show_mail_confirm).post(proofing::confirm_letter),
        )
        .route("/verify/help", get(proofing::show_help))
        .route("/account/security", get(security::show))
        .route(
            "/account/sessions/{handle}/end",
            post(security::end_session),
        )
        .route(
            "/account/sessions/end-others",
            post(security::end_other_sessions),
        )
        .route(
            "/account/password",
            get(password::show).post(password::submit),
        )
        .route("/staff", get(staff::search_form).post(staff::search))
        .route("/staff/accounts/{id}", get(staff::account))
        .route(
            "/staff/accounts/{id}/knowledge-checks",
            post(staff_forms::start_check),
        )
        .route(
            "/staff/knowledge-checks/{id}/answers",
            post(staff_forms::answer_check),
        )
        .route(
            "/staff/accounts/{id}/in-person",
            get(staff_forms::show_in_person).post(staff_forms::record_in_person),
        )
        .route(
            "/staff/accounts/{id}/complete-in-person",
            post(staff::complete_in_person),
        )
        .route("/admin", get(admin::dashboard))
        .route(
            "/admin/maintenance",
            get(admin::maintenance).post(admin::schedule),
        )
        .route("/admin/maintenance/{id}/cancel", post(admin::cancel))
        .route(
            "/account/factors/{id}/remove",
            post(security::remove_factor),
        )
        .route(
            "/account/apps/{client_id}/revoke",
            post(security::revoke_app),
        )
        .merge(crate::oidc::page_router())
        .layer(axum::middleware::from_fn_with_state(app, csrf::protect))
}

/// What every page's layout needs.
pub struct Layout {
    pub csrf: String,
    pub signed_in: bool,
    pub demo: bool,
    /// Planned maintenance, upcoming or in progress (see [`crate::maintenance`]).
    pub maintenance: Option<crate::maintenance::Banner>,
}

impl Layout {
    pub fn new(app: &AppState, csrf: &csrf::CsrfToken, signed_in: bool) -> Self {
        Self {
            csrf: csrf.0.clone(),
            signed_in,
            ..Self::plain(app)
        }
    }

    /// For pages without forms, signed out.
    pub fn plain(app: &AppState) -> Self {
        Self {
            csrf: String::new(),
            signed_in: false,
            demo: app.config.demo,
            maintenance: crate::maintenance::Banner::from_status(
                &app.services.admin().maintenance_status_cached(),
            ),
        }
    }
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    layout: Layout,
}

async fn home(
    State(app): State<AppState>,
    headers: HeaderMap,
    axum::Extension(token): axum::Extension<csrf::CsrfToken>,
) -> Response {
    if let Ok(auth) = require_auth(&app, &headers).await {
        return redirect_next(&app, &auth).await;
    }
    render(
        StatusCode::OK,
        &HomePage {
            layout: Layout::new(&app, &token, false),
        },
    )
}

#[derive(Template)]
#[template(path = "message.html")]
struct MessagePage<'a> {
    layout: Layout,
    heading: &'a str,
    text: &'a str,
}

/// A page that only says something (errors, expired forms, not found).
pub fn message_page(app: &AppState, status: StatusCode, heading: &str, text: &str) -> Response {
    let layout = Layout::plain(app);
    render(
        status,
        &MessagePage {
            layout,
            heading,
            text,
        },
    )
}

/// 404 for pages; JSON 404 under `/api/`.
pub async fn not_found(State(app): State<AppState>, uri: axum::http::Uri) -> Response {
    if uri.path().starts_with("/api/") {
        return crate::error::ApiError::not_found().into_response();
    }
    message_page(
        &app,
        StatusCode::NOT_FOUND,
        "Page not found",
        "There is no page at this address. Check the address, or start again from the home page.",
    )
}

pub fn render<T: Template>(status: StatusCode, page: &T) -> Response {
    match page.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(error) => {
            tracing::error!(%error, "template failed to render");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                "The page could not be shown. Please try again.",
            )
                .into_response()
        }
    }
}

/// Where the page face shows each step.
pub fn next_url(next: Next) -> &'static str {
    match next {
        Next::ConfirmEmail => "/sign-up/confirm-email",
        Next::ProofingIdentity => "/verify/identity",
        Next::ProofingFinancialAccount => "/verify/financial-account",
        Next::ProofingPhone => "/verify/phone",
        Next::ProofingPhoneCode => "/verify/phone/confirm",
        Next::ProofingMailCode => "/verify/mail/confirm",
        Next::ExceptionProcessing => "/verify/help",
        Next::ChangePassword => "/account/password",
        Next::SetupSecondFactor => "/second-factor/setup",
        Next::SecondFactor => "/sign-in/second-factor",
        Next::Done => "/account/security",
    }
}

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
            let mut response = message_page(app, api.status, "We couldn't do that", &api.message);
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

/// The QR code of an `otpauth://` URI, as SVG markup.
pub fn qr_svg(uri: &str) -> String {
    match qrcode::QrCode::new(uri.as_bytes()) {
        Ok(code) => code
            .render::<qrcode::render::svg::Color<'_>>()
            .min_dimensions(200, 200)
            .quiet_zone(true)
            .build(),
        Err(_) => String::new(),
    }
}
