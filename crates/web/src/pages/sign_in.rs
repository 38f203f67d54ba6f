//! Pages: sign in with a password, then a second factor; sign out.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use sa_domain::journeys::AuthSession;
use serde::Deserialize;

use super::form::FormErrors;
use super::form::is_form_error;
use super::layout::{CsrfToken, Layout, next_url, render};
use super::passkeys::PasskeyForm;
use super::session::{
    PageAuth, ensure_device, error_page, redirect_with_session, require_auth, retry_after_secs,
    with_retry_after,
};
use crate::cookies;
use crate::extract::Client;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "sign_in.html")]
struct SignInPage {
    layout: Layout,
    errors: FormErrors,
    username: String,
}

#[derive(Deserialize)]
pub struct SignInQuery {
    /// Filled in by an app's `login_hint` (single sign-on).
    #[serde(default)]
    username: Option<String>,
}

pub async fn show(
    State(app): State<AppState>,
    Extension(csrf): Extension<CsrfToken>,
    Query(query): Query<SignInQuery>,
) -> Response {
    let username: String = query
        .username
        .unwrap_or_default()
        .chars()
        .take(100)
        .collect();
    render(
        StatusCode::OK,
        &SignInPage {
            layout: Layout::new(&app, &csrf, false),
            errors: FormErrors::none(),
            username,
        },
    )
}

#[derive(Deserialize)]
pub struct SignInForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
}

pub async fn submit(
    State(app): State<AppState>,
    Extension(csrf): Extension<CsrfToken>,
    Client(mut ctx): Client,
    Form(form): Form<SignInForm>,
) -> Response {
    let device_cookie = ensure_device(&app, &mut ctx);
    match app
        .services
        .sign_in()
        .with_password(&form.username, &form.password, &ctx)
        .await
    {
        Ok(started) => redirect_with_session(
            &app,
            started.next,
            Some(&started.session_token),
            device_cookie,
        ),
        Err(error) => sign_in_refused(&app, &csrf, error, form.username),
    }
}

/// The sign-in page again with the error (and `Retry-After` for a limit), or the error
/// page for what the form cannot mend.
fn sign_in_refused(
    app: &AppState,
    csrf: &CsrfToken,
    error: sa_domain::DomainError,
    username: String,
) -> Response {
    if !is_form_error(&error) {
        return error_page(app, error);
    }
    let retry = retry_after_secs(&error);
    let (status, errors) = FormErrors::from_domain(error);
    with_retry_after(
        render(
            status,
            &SignInPage {
                layout: Layout::new(app, csrf, false),
                errors,
                username,
            },
        ),
        retry,
    )
}

#[derive(Template)]
#[template(path = "second_factor.html")]
struct SecondFactorPage {
    layout: Layout,
    errors: FormErrors,
    methods: Vec<&'static str>,
    notice: Option<String>,
    /// The method whose form had the error (so its error shows beside it).
    failed_method: String,
    /// Request options (JSON) for the account's passkeys, when it has one.
    passkey_options: Option<String>,
}

impl SecondFactorPage {
    fn offers(&self, method: &str) -> bool {
        self.methods.contains(&method)
    }
}

#[derive(Deserialize, Default)]
pub struct FactorQuery {
    #[serde(default)]
    sent: Option<String>,
}

pub async fn show_factor(
    State(app): State<AppState>,
    Extension(csrf): Extension<CsrfToken>,
    PageAuth(auth): PageAuth,
    Query(query): Query<FactorQuery>,
) -> Response {
    let minutes = app.services.core().config.limits.sms_code_ttl_secs / 60;
    let notice = query.sent.map(|_| {
        sa_i18n::Text::new("second-factor-texted")
            .with("minutes", minutes)
            .render(crate::locale::current())
    });
    factor_page(
        &app,
        &csrf,
        &auth,
        StatusCode::OK,
        FormErrors::none(),
        notice,
        String::new(),
    )
    .await
}

async fn factor_page(
    app: &AppState,
    csrf: &CsrfToken,
    auth: &AuthSession,
    status: StatusCode,
    errors: FormErrors,
    notice: Option<String>,
    failed_method: String,
) -> Response {
    let session = match app.services.sessions().session_status(auth).await {
        Ok(status) => status,
        Err(error) => return error_page(app, error),
    };
    if !matches!(
        session.next,
        sa_domain::model::Next::SecondFactor | sa_domain::model::Next::Done
    ) {
        return Redirect::to(next_url(session.next)).into_response();
    }
    let passkey_options = if session.methods.contains(&sa_domain::model::PASSKEY_METHOD) {
        match app.services.sign_in().passkey_options(auth).await {
            Ok(options) => Some(options.to_string()),
            Err(error) if is_form_error(&error) => None,
            Err(error) => return error_page(app, error),
        }
    } else {
        None
    };
    let layout = Layout::new(app, csrf, true);
    render(
        status,
        &SecondFactorPage {
            layout,
            errors,
            methods: session.methods,
            notice,
            failed_method,
            passkey_options,
        },
    )
}

#[derive(Deserialize)]
pub struct FactorForm {
    #[serde(default)]
    method: String,
    #[serde(default)]
    code: String,
}

pub async fn submit_factor(
    State(app): State<AppState>,
    Extension(csrf): Extension<CsrfToken>,
    Client(mut ctx): Client,
    PageAuth(auth): PageAuth,
    Form(form): Form<FactorForm>,
) -> Response {
    let device_cookie = ensure_device(&app, &mut ctx);
    match app
        .services
        .sign_in()
        .verify_second_factor(&auth, &form.method, &form.code, &ctx)
        .await
    {
        Ok(verified) => redirect_with_session(
            &app,
            verified.next,
            Some(&verified.session_token),
            device_cookie,
        ),
        Err(error) if is_form_error(&error) => {
            let (status, errors) = FormErrors::from_domain(error);
            factor_page(&app, &csrf, &auth, status, errors, None, form.method).await
        }
        Err(error) => error_page(&app, error),
    }
}

/// The second factor by passkey (also the step-up an app asked for).
pub async fn submit_passkey(
    State(app): State<AppState>,
    Extension(csrf): Extension<CsrfToken>,
    Client(mut ctx): Client,
    PageAuth(auth): PageAuth,
    Form(form): Form<PasskeyForm>,
) -> Response {
    let device_cookie = ensure_device(&app, &mut ctx);
    let result = match form.answer() {
        Ok(answer) => {
            app.services
                .sign_in()
                .verify_passkey(&auth, &answer, &ctx)
                .await
        }
        Err(error) => Err(error),
    };
    match result {
        Ok(verified) => redirect_with_session(
            &app,
            verified.next,
            Some(&verified.session_token),
            device_cookie,
        ),
        Err(error) if is_form_error(&error) => {
            let (status, errors) = FormErrors::from_domain(error);
            factor_page(&app, &csrf, &auth, status, errors, None, "passkey".into()).await
        }
        Err(error) => error_page(&app, error),
    }
}

/// Sign in with a passkey alone (the sign-in page's passkey button).
pub async fn submit_passwordless(
    State(app): State<AppState>,
    Extension(csrf): Extension<CsrfToken>,
    Client(mut ctx): Client,
    Form(form): Form<PasskeyForm>,
) -> Response {
    let device_cookie = ensure_device(&app, &mut ctx);
    let result = match form.answer() {
        Ok(answer) => {
            app.services
                .sign_in()
                .with_passkey(&form.challenge_id, &answer, &ctx)
                .await
        }
        Err(error) => Err(error),
    };
    match result {
        Ok(verified) => redirect_with_session(
            &app,
            verified.next,
            Some(&verified.session_token),
            device_cookie,
        ),
        Err(error) => sign_in_refused(&app, &csrf, error, String::new()),
    }
}

#[derive(Deserialize)]
pub struct SmsForm {
    #[serde(default)]
    factor_id: Option<String>,
}

pub async fn send_sms(
    State(app): State<AppState>,
    Extension(csrf): Extension<CsrfToken>,
    Client(ctx): Client,
    PageAuth(auth): PageAuth,
    Form(form): Form<SmsForm>,
) -> Response {
    let factor_id = form.factor_id.as_deref().filter(|id| !id.is_empty());
    match app
        .services
        .sign_in()
        .send_sms_code(&auth, factor_id, &ctx)
        .await
    {
        Ok(()) => Redirect::to("/sign-in/second-factor?sent=1").into_response(),
        Err(error) if is_form_error(&error) => {
            let (status, errors) = FormErrors::from_domain(error);
            factor_page(&app, &csrf, &auth, status, errors, None, "sms".into()).await
        }
        Err(error) => error_page(&app, error),
    }
}

pub async fn sign_out(State(app): State<AppState>, headers: HeaderMap) -> Response {
    if let Ok(auth) = require_auth(&app, &headers).await
        && let Err(error) = app.services.sessions().sign_out(&auth).await
    {
        return error_page(&app, error);
    }
    let mut response = Redirect::to("/").into_response();
    let name = cookies::name(cookies::SESSION, app.config.secure_cookies);
    if let Some(value) = cookies::clear(&name, app.config.secure_cookies) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    response
}
