//! Pages: add a passkey (from the set-up choices or the security page) and confirm with
//! one when an app asks for phishing-resistant sign-in. The WebAuthn ceremony runs in
//! the browser (`assets/js/passkeys.js`), which puts the authenticator's answer in an
//! ordinary form field; without JavaScript the pages say so and the other methods work.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::{Extension, Form};
use sa_domain::DomainError;
use serde::Deserialize;

use super::form::{FormErrors, is_form_error};
use super::layout::{CsrfToken, Layout, render};
use super::session::{PageAuth, error_page, redirect_with_session};
use crate::state::AppState;

/// The answer a passkey form posts.
#[derive(Deserialize)]
pub struct PasskeyForm {
    #[serde(default)]
    pub credential: String,
    #[serde(default)]
    pub challenge_id: String,
}

impl PasskeyForm {
    /// The authenticator's answer; an empty field means the script did not run.
    pub fn answer(&self) -> Result<serde_json::Value, DomainError> {
        if self.credential.trim().is_empty() {
            return Err(DomainError::PasskeyRefused {
                reason: "passkey_missing",
                message_id: "error-passkey-missing",
            });
        }
        serde_json::from_str(&self.credential)
            .map_err(|_| DomainError::from(sa_domain::passkey::UNREADABLE))
    }
}

#[derive(Template)]
#[template(path = "setup_passkey.html")]
struct SetupPage {
    layout: Layout,
    errors: FormErrors,
    /// The creation options (JSON), while a ceremony is open.
    options: Option<String>,
    confirm_action: String,
}

pub async fn begin(
    State(app): State<AppState>,
    Extension(csrf): Extension<CsrfToken>,
    PageAuth(auth): PageAuth,
) -> Response {
    match app.services.factors().begin_passkey(&auth, None).await {
        Ok(enrolment) => render(
            StatusCode::OK,
            &SetupPage {
                layout: Layout::new(&app, &csrf, true),
                errors: FormErrors::none(),
                options: Some(enrolment.options.to_string()),
                confirm_action: format!("/second-factor/setup/passkey/{}", enrolment.factor_id),
            },
        ),
        Err(error) if is_form_error(&error) => setup_error(&app, &csrf, error),
        Err(error) => error_page(&app, error),
    }
}

fn setup_error(app: &AppState, csrf: &CsrfToken, error: DomainError) -> Response {
    let (status, errors) = FormErrors::from_domain(error);
    render(
        status,
        &SetupPage {
            layout: Layout::new(app, csrf, true),
            errors,
            options: None,
            confirm_action: String::new(),
        },
    )
}

pub async fn confirm(
    State(app): State<AppState>,
    Extension(csrf): Extension<CsrfToken>,
    PageAuth(auth): PageAuth,
    Path(id): Path<String>,
    Form(form): Form<PasskeyForm>,
) -> Response {
    let result = match form.answer() {
        Ok(answer) => {
            app.services
                .factors()
                .confirm_passkey(&auth, &id, &answer)
                .await
        }
        Err(error) => Err(error),
    };
    match result {
        Ok(done) => redirect_with_session(&app, done.next, done.session_token.as_deref(), None),
        Err(error) if is_form_error(&error) => setup_error(&app, &csrf, error),
        Err(error) => error_page(&app, error),
    }
}

#[derive(Template)]
#[template(path = "passkey_check.html")]
struct CheckPage {
    layout: Layout,
    errors: FormErrors,
    /// Request options for the account's passkeys; `None` when it has none.
    options: Option<String>,
}

/// An app asked for phishing-resistant sign-in: use a passkey (or add one first).
pub async fn check(
    State(app): State<AppState>,
    Extension(csrf): Extension<CsrfToken>,
    PageAuth(auth): PageAuth,
) -> Response {
    let options = match app.services.sign_in().passkey_options(&auth).await {
        Ok(options) => Some(options.to_string()),
        Err(DomainError::Invalid { .. }) => None,
        Err(error) => return error_page(&app, error),
    };
    render(
        StatusCode::OK,
        &CheckPage {
            layout: Layout::new(&app, &csrf, true),
            errors: FormErrors::none(),
            options,
        },
    )
}
