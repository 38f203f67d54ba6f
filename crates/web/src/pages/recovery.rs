//! Pages of recovery, the page face of `Recovery` (the JSON twin is
//! [`crate::api::recovery`]): "Forgot your password?" (`/password-reset`), the "this
//! wasn't me" link of security emails (`/account/disavow`), and "I can't use any of
//! these sign-in methods" (`/account-reset`, after the password).
//!
//! ```text
//!  /password-reset ── username ─▶ the code form (same page whatever the username)
//!     ─▶ /password-reset/confirm ── username, code, new password ─▶ "sign in again"
//!  email link ─▶ GET /account/disavow?token= (a button: mail scanners that open links
//!     do nothing) ─▶ POST ─▶ "your account is protected"
//!  second-factor page ─▶ /account-reset: backup code first; help desk for a verified
//!     identity; else start the wait ─▶ come back ─▶ clear the methods ─▶ set up new ones
//! ```

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::{Extension, Form};
use sa_domain::clock::rfc3339;
use serde::Deserialize;

use super::form::{FormErrors, is_form_error};
use super::layout::{CsrfToken, Layout, message_page, render};
use super::session::{
    PageAuth, error_page, redirect_with_session, retry_after_secs, with_retry_after,
};
use crate::api::recovery::{DISAVOWED, reset_requested};
use crate::extract::Client;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "password_reset.html")]
struct PasswordResetPage {
    layout: Layout,
    errors: FormErrors,
    /// The code form (after a request) rather than the username form.
    code_step: bool,
    username: String,
    notice: String,
    password_hint: String,
}

fn reset_page(
    app: &AppState,
    csrf: &CsrfToken,
    status: StatusCode,
    errors: FormErrors,
    code_step: bool,
    username: String,
) -> Response {
    render(
        status,
        &PasswordResetPage {
            layout: Layout::new(app, csrf, false),
            errors,
            code_step,
            username: username.chars().take(100).collect(),
            notice: reset_requested(app),
            password_hint: sa_i18n::Text::new("password-reset-password-hint")
                .with("min", sa_domain::password::MIN_PASSWORD_CHARS)
                .render(crate::locale::current()),
        },
    )
}

pub async fn show_reset(
    State(app): State<AppState>,
    Extension(csrf): Extension<CsrfToken>,
) -> Response {
    reset_page(
        &app,
        &csrf,
        StatusCode::OK,
        FormErrors::none(),
        false,
        String::new(),
    )
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ResetForm {
    username: String,
    code: String,
    password: String,
}

pub async fn request_reset(
    State(app): State<AppState>,
    Extension(csrf): Extension<CsrfToken>,
    Client(ctx): Client,
    Form(form): Form<ResetForm>,
) -> Response {
    match app
        .services
        .recovery()
        .request_password_reset(&form.username, &ctx)
        .await
    {
        Ok(()) => reset_page(
            &app,
            &csrf,
            StatusCode::OK,
            FormErrors::none(),
            true,
            form.username,
        ),
        Err(error) if is_form_error(&error) => {
            let retry = retry_after_secs(&error);
            let (status, errors) = FormErrors::from_domain(error);
            with_retry_after(
                reset_page(&app, &csrf, status, errors, false, form.username),
                retry,
            )
        }
        Err(error) => error_page(&app, error),
    }
}

pub async fn confirm_reset(
    State(app): State<AppState>,
    Extension(csrf): Extension<CsrfToken>,
    Client(ctx): Client,
    Form(form): Form<ResetForm>,
) -> Response {
    match app
        .services
        .recovery()
        .confirm_password_reset(&form.username, &form.code, &form.password, &ctx)
        .await
    {
        Ok(()) => message_page(
            &app,
            StatusCode::OK,
            &crate::locale::words("page-password-changed-heading"),
            &crate::locale::words("page-password-changed-text"),
        ),
        Err(error) if is_form_error(&error) => {
            let retry = retry_after_secs(&error);
            let (status, errors) = FormErrors::from_domain(error);
            with_retry_after(
                reset_page(&app, &csrf, status, errors, true, form.username),
                retry,
            )
        }
        Err(error) => error_page(&app, error),
    }
}

#[derive(Template)]
#[template(path = "disavow.html")]
struct DisavowPage {
    layout: Layout,
    errors: FormErrors,
    token: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct DisavowForm {
    token: String,
}

/// The link's page: it explains and asks for one press, and changes nothing itself.
pub async fn show_disavow(
    State(app): State<AppState>,
    Extension(csrf): Extension<CsrfToken>,
    Query(query): Query<DisavowForm>,
) -> Response {
    render(
        StatusCode::OK,
        &DisavowPage {
            layout: Layout::new(&app, &csrf, false),
            errors: FormErrors::none(),
            token: query.token.chars().take(100).collect(),
        },
    )
}

pub async fn disavow(
    State(app): State<AppState>,
    Client(ctx): Client,
    Form(form): Form<DisavowForm>,
) -> Response {
    match app.services.recovery().disavow(&form.token, &ctx).await {
        Ok(()) => {
            let lang = crate::locale::current();
            message_page(
                &app,
                StatusCode::OK,
                &sa_i18n::text(lang, "disavow-done-heading"),
                &sa_i18n::text(lang, DISAVOWED),
            )
        }
        Err(error) if is_form_error(&error) => {
            let retry = retry_after_secs(&error);
            let status = crate::error::ApiError::from(error);
            with_retry_after(
                message_page(
                    &app,
                    status.status,
                    &crate::locale::words("page-link-failed"),
                    &status.message,
                ),
                retry,
            )
        }
        Err(error) => error_page(&app, error),
    }
}

#[derive(Template)]
#[template(path = "account_reset.html")]
struct AccountResetPage {
    layout: Layout,
    errors: FormErrors,
    identity_verified: bool,
    /// `none`, `waiting` or `ready`.
    state: &'static str,
    ready_at: String,
    delay_hours: i64,
    help_desk_phone: String,
    help_desk_hours: String,
    help_desk_visit: String,
    /// A recovery letter is on its way: its code expires then.
    letter_expires: Option<String>,
}

async fn account_reset_page(
    app: &AppState,
    csrf: &CsrfToken,
    auth: &sa_domain::journeys::AuthSession,
    status: StatusCode,
    errors: FormErrors,
) -> Response {
    let reset = match app.services.recovery().account_reset(auth).await {
        Ok(reset) => reset,
        Err(error) => return error_page(app, error),
    };
    let letter_expires = match app.services.recovery().recovery_letter_expires(auth).await {
        Ok(expires) => expires.map(crate::pages::layout::human_date),
        Err(error) => return error_page(app, error),
    };
    let now = app.services.core().now();
    let help_desk = app.config.help_desk.in_language(crate::locale::current());
    let (state, ready_at) = match reset {
        None => ("none", String::new()),
        Some(reset) if now >= reset.ready_at => ("ready", rfc3339(reset.ready_at)),
        Some(reset) => ("waiting", rfc3339(reset.ready_at)),
    };
    render(
        status,
        &AccountResetPage {
            layout: Layout::new(app, csrf, true),
            errors,
            identity_verified: auth.account.identity_verified_at.is_some(),
            state,
            ready_at,
            delay_hours: app.services.core().config.limits.account_reset_delay_secs / 3600,
            help_desk_phone: help_desk.phone,
            help_desk_hours: help_desk.hours,
            help_desk_visit: help_desk.visit,
            letter_expires,
        },
    )
}

pub async fn show_account_reset(
    State(app): State<AppState>,
    Extension(csrf): Extension<CsrfToken>,
    PageAuth(auth): PageAuth,
) -> Response {
    account_reset_page(&app, &csrf, &auth, StatusCode::OK, FormErrors::none()).await
}

pub async fn start_account_reset(
    State(app): State<AppState>,
    Extension(csrf): Extension<CsrfToken>,
    Client(ctx): Client,
    PageAuth(auth): PageAuth,
) -> Response {
    match app
        .services
        .recovery()
        .start_account_reset(&auth, &ctx)
        .await
    {
        Ok(_) => axum::response::IntoResponse::into_response(axum::response::Redirect::to(
            "/account-reset",
        )),
        Err(error) if is_form_error(&error) => {
            let (status, errors) = FormErrors::from_domain(error);
            account_reset_page(&app, &csrf, &auth, status, errors).await
        }
        Err(error) => error_page(&app, error),
    }
}

pub async fn complete_account_reset(
    State(app): State<AppState>,
    Extension(csrf): Extension<CsrfToken>,
    Client(ctx): Client,
    PageAuth(auth): PageAuth,
) -> Response {
    match app
        .services
        .recovery()
        .complete_account_reset(&auth, &ctx)
        .await
    {
        Ok(done) => redirect_with_session(&app, done.next, Some(&done.session_token), None),
        Err(error) if is_form_error(&error) => {
            let (status, errors) = FormErrors::from_domain(error);
            account_reset_page(&app, &csrf, &auth, status, errors).await
        }
        Err(error) => error_page(&app, error),
    }
}

pub async fn request_recovery_letter(
    State(app): State<AppState>,
    Extension(csrf): Extension<CsrfToken>,
    Client(ctx): Client,
    PageAuth(auth): PageAuth,
) -> Response {
    match app
        .services
        .recovery()
        .request_recovery_letter(&auth, &ctx)
        .await
    {
        Ok(_) => axum::response::IntoResponse::into_response(axum::response::Redirect::to(
            "/account-reset",
        )),
        Err(error) if is_form_error(&error) => {
            let retry = retry_after_secs(&error);
            let (status, errors) = FormErrors::from_domain(error);
            with_retry_after(
                account_reset_page(&app, &csrf, &auth, status, errors).await,
                retry,
            )
        }
        Err(error) => error_page(&app, error),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct CodeForm {
    code: String,
}

pub async fn confirm_recovery_letter(
    State(app): State<AppState>,
    Extension(csrf): Extension<CsrfToken>,
    Client(ctx): Client,
    PageAuth(auth): PageAuth,
    Form(form): Form<CodeForm>,
) -> Response {
    match app
        .services
        .recovery()
        .confirm_recovery_letter(&auth, &form.code, &ctx)
        .await
    {
        Ok(done) => redirect_with_session(&app, done.next, Some(&done.session_token), None),
        Err(error) if is_form_error(&error) => {
            let retry = retry_after_secs(&error);
            let (status, errors) = FormErrors::from_domain(error);
            with_retry_after(
                account_reset_page(&app, &csrf, &auth, status, errors).await,
                retry,
            )
        }
        Err(error) => error_page(&app, error),
    }
}
