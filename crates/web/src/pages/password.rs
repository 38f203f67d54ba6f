//! Page: choosing a new password (`/account/password`), the page face of
//! `Security::change_password` (the JSON twin is [`crate::api::password`]).
//!
//! ```text
//!  sign in with the help desk's temporary password ─▶ next: change_password ─▶ this page
//!     (no current password asked) ─▶ 303 to the account's next step (the letter's code)
//!  signed in, by choice ─▶ current + new password (and a second factor entered within
//!     the re-authentication window) ─▶ 303 to the account's next step
//! ```
//!
//! A refused password is shown at the top and tied to its field (400); a session that
//! must enter its second factor first is redirected there. Passwords are never written
//! back into the page.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::{Extension, Form};
use sa_domain::DomainError;
use sa_domain::journeys::AuthSession;
use sa_domain::model::SessionStage;
use serde::Deserialize;

use super::form::FormErrors;
use super::form::{FormError, is_form_error};
use super::layout::{CsrfToken, Layout, render};
use super::session::{PageAuth, error_page, redirect_next, redirect_with_session};
use crate::state::AppState;

#[derive(Template)]
#[template(path = "password.html")]
struct PasswordPage {
    layout: Layout,
    errors: FormErrors,
    /// After a temporary password no current password is asked.
    after_temporary: bool,
    reauth_needed: bool,
    new_password_hint: String,
}

fn page(
    app: &AppState,
    csrf: &CsrfToken,
    auth: &AuthSession,
    status: StatusCode,
    errors: FormErrors,
    reauth_needed: bool,
) -> Response {
    render(
        status,
        &PasswordPage {
            layout: Layout::new(app, csrf, true),
            errors,
            after_temporary: auth.account.password_change_required,
            reauth_needed,
            new_password_hint: sa_i18n::Text::new("password-reset-password-hint")
                .with("min", sa_domain::password::MIN_PASSWORD_CHARS)
                .render(crate::locale::current()),
        },
    )
}

pub async fn show(
    State(app): State<AppState>,
    Extension(csrf): Extension<CsrfToken>,
    PageAuth(auth): PageAuth,
) -> Response {
    if !auth.account.password_change_required && auth.session.stage != SessionStage::Authenticated {
        return redirect_next(&app, &auth).await;
    }
    page(
        &app,
        &csrf,
        &auth,
        StatusCode::OK,
        FormErrors::none(),
        false,
    )
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct PasswordForm {
    current_password: String,
    new_password: String,
    /// The checkbox (checked on the page): absent when unticked.
    end_other_sessions: Option<String>,
}

pub async fn submit(
    State(app): State<AppState>,
    Extension(csrf): Extension<CsrfToken>,
    PageAuth(auth): PageAuth,
    Form(form): Form<PasswordForm>,
) -> Response {
    let current =
        Some(form.current_password.as_str()).filter(|_| !auth.account.password_change_required);
    match app
        .services
        .security()
        .change_password(
            &auth,
            current,
            &form.new_password,
            form.end_other_sessions.is_some(),
        )
        .await
    {
        Ok(next) => redirect_with_session(&app, next, None, None),
        Err(error) if is_form_error(&error) => {
            let reauth_needed = matches!(error, DomainError::ReauthenticationRequired);
            let (status, errors) = FormErrors::from_domain(error);
            page(
                &app,
                &csrf,
                &auth,
                status,
                on_this_form(errors),
                reauth_needed,
            )
        }
        Err(error) => error_page(&app, error),
    }
}

/// The journey names the new password `password`; on this form it is `new_password`.
fn on_this_form(errors: FormErrors) -> FormErrors {
    FormErrors {
        items: errors
            .items
            .into_iter()
            .map(|item| FormError {
                field: item.field.map(|field| match field.as_str() {
                    "password" => "new_password".to_owned(),
                    _ => field,
                }),
                message: item.message,
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_new_password_error_is_tied_to_the_new_password_field() {
        let errors = on_this_form(FormErrors {
            items: vec![
                FormError {
                    field: Some("password".into()),
                    message: "too short".into(),
                },
                FormError {
                    field: Some("current_password".into()),
                    message: "wrong".into(),
                },
            ],
        });
        assert_eq!(errors.get("new_password"), Some("too short"));
        assert_eq!(errors.get("current_password"), Some("wrong"));
        assert!(!errors.has("password"));
    }
}
