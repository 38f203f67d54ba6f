//! Page: changing the email address (`/account/email`), the page face of
//! `Security::start_email_change` / `confirm_email_change` (the JSON twin is
//! [`crate::api::email`]).
//!
//! ```text
//!  /account/email ── new address ─▶ the code form ── code ─▶ "email changed"
//!  (a second factor within the re-authentication window, or a link to enter one)
//! ```

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::{Extension, Form};
use sa_domain::DomainError;
use serde::Deserialize;

use super::form::{FormErrors, is_form_error};
use super::layout::{CsrfToken, Layout, message_page, render};
use super::session::{PageAuth, error_page, redirect_next, retry_after_secs, with_retry_after};
use crate::extract::Client;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "change_email.html")]
struct ChangeEmailPage {
    layout: Layout,
    errors: FormErrors,
    code_step: bool,
    reauth_needed: bool,
    email: String,
}

fn page(
    app: &AppState,
    csrf: &CsrfToken,
    error: Option<DomainError>,
    code_step: bool,
    email: String,
) -> Response {
    let retry = error.as_ref().and_then(retry_after_secs);
    let reauth_needed = matches!(error, Some(DomainError::ReauthenticationRequired));
    let (status, errors) = match error {
        Some(error) => FormErrors::from_domain(error),
        None => (StatusCode::OK, FormErrors::none()),
    };
    with_retry_after(
        render(
            status,
            &ChangeEmailPage {
                layout: Layout::new(app, csrf, true),
                errors,
                code_step,
                reauth_needed,
                email: email.chars().take(254).collect(),
            },
        ),
        retry,
    )
}

pub async fn show(
    State(app): State<AppState>,
    Extension(csrf): Extension<CsrfToken>,
    PageAuth(auth): PageAuth,
) -> Response {
    if auth.session.stage != sa_domain::model::SessionStage::Authenticated {
        return redirect_next(&app, &auth).await;
    }
    page(&app, &csrf, None, false, String::new())
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct EmailForm {
    email: String,
    code: String,
}

pub async fn start(
    State(app): State<AppState>,
    Extension(csrf): Extension<CsrfToken>,
    Client(ctx): Client,
    PageAuth(auth): PageAuth,
    Form(form): Form<EmailForm>,
) -> Response {
    outcome(
        &app,
        &csrf,
        app.services
            .security()
            .start_email_change(&auth, &form.email, &ctx)
            .await,
        false,
        form.email,
    )
}

pub async fn confirm(
    State(app): State<AppState>,
    Extension(csrf): Extension<CsrfToken>,
    PageAuth(auth): PageAuth,
    Form(form): Form<EmailForm>,
) -> Response {
    match app
        .services
        .security()
        .confirm_email_change(&auth, &form.code)
        .await
    {
        Ok(()) => message_page(
            &app,
            StatusCode::OK,
            &crate::locale::words("page-email-changed-heading"),
            &crate::locale::words("page-email-changed-text"),
        ),
        Err(error) => outcome(&app, &csrf, Err(error), true, String::new()),
    }
}

/// After sending a code: the code form; after a refusal: the same form with the error.
fn outcome(
    app: &AppState,
    csrf: &CsrfToken,
    result: Result<(), DomainError>,
    code_step: bool,
    email: String,
) -> Response {
    match result {
        Ok(()) => page(app, csrf, None, true, email),
        Err(error) if is_form_error(&error) => page(app, csrf, Some(error), code_step, email),
        Err(error) => error_page(app, error),
    }
}
