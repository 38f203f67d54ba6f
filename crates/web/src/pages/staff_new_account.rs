//! Page: the help desk creates an account for a caller who has none (the form on the
//! staff search page), the page face of `Staff::create_account_for_caller` (the JSON
//! twin is [`crate::api::caller_accounts`]). The SSN travels in the form body only; on
//! success the assistor lands on the new account's page to run the phone check.

use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use serde::Deserialize;

use super::form::{FormError, FormErrors, is_form_error};
use super::layout::CsrfToken;
use super::session::{PageAuth, error_page};
use super::staff::{SearchQuery, search_page};
use crate::state::AppState;

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct NewAccountForm {
    new_username: String,
    email: String,
    ssn: String,
}

pub async fn create(
    State(app): State<AppState>,
    Extension(csrf): Extension<CsrfToken>,
    PageAuth(auth): PageAuth,
    Form(form): Form<NewAccountForm>,
) -> Response {
    match app
        .services
        .staff()
        .create_account_for_caller(&auth, &form.new_username, &form.email, &form.ssn)
        .await
    {
        Ok(account_id) => {
            Redirect::to(&format!("/staff/accounts/{account_id}?created=1")).into_response()
        }
        Err(error)
            if is_form_error(&error) && !matches!(error, sa_domain::DomainError::Forbidden(_)) =>
        {
            let (status, errors) = FormErrors::from_domain(error);
            search_page(
                &app,
                &csrf,
                status,
                on_this_form(errors),
                SearchQuery::default(),
                None,
            )
        }
        Err(error) => error_page(&app, error),
    }
}

/// The journey names the username `username`; on this page that is the search field.
fn on_this_form(errors: FormErrors) -> FormErrors {
    FormErrors {
        items: errors
            .items
            .into_iter()
            .map(|item| FormError {
                field: item.field.map(|field| {
                    if field == "username" {
                        "new_username".to_owned()
                    } else {
                        field
                    }
                }),
                message: item.message,
            })
            .collect(),
    }
}
