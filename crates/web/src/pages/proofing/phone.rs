//! `/verify/phone` and `/verify/phone/confirm`: a mobile phone in the applicant's
//! name, and the code texted to it.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use axum::{Extension, Form};
use sa_domain::journeys::ProofingStatus;
use sa_domain::model::Next;
use sa_domain::proofing::steps::ProofingAction;
use serde::Deserialize;

use super::common::{
    Feedback, at_step, onward, respond, shown_on_form, status_for_notes, steps_of,
};
use crate::extract::Client;
use crate::pages::form::FormErrors;
use crate::pages::layout::{CsrfToken, Layout};
use crate::pages::session::{PageAuth, error_page, redirect_with_session};
use crate::state::AppState;

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct PhoneForm {
    phone: String,
}

#[derive(Template)]
#[template(path = "proofing_phone.html")]
struct PhonePage {
    layout: Layout,
    errors: FormErrors,
    alert: Option<String>,
    tries_note: Option<String>,
    phone: String,
    letter_out: bool,
}

pub(super) fn phone_page(
    app: &AppState,
    csrf: &CsrfToken,
    status: Option<&ProofingStatus>,
    feedback: Feedback,
    phone: String,
) -> Response {
    let tries_note = feedback.tries_note(
        status.map(|s| s.attempts_remaining.phone),
        app.services.core().config.limits.proofing_phone_attempts,
    );
    let page = PhonePage {
        layout: Layout::new(app, csrf, true),
        errors: feedback.errors,
        alert: feedback.alert,
        tries_note,
        phone,
        letter_out: status.is_some_and(|s| s.letter_expires_at.is_some()),
    };
    respond(feedback.status, feedback.retry_after, &page)
}

pub async fn show_phone(
    State(app): State<AppState>,
    Extension(csrf): Extension<CsrfToken>,
    PageAuth(auth): PageAuth,
) -> Response {
    match // Also a person waiting for a texted code ("use another phone") or for a letter (a
    // phone is still the faster way).
    at_step(&app, &auth, &steps_of(ProofingAction::Phone)).await {
        Ok(status) => phone_page(&app, &csrf, Some(&status), Feedback::fresh(), String::new()),
        Err(response) => response,
    }
}

pub async fn submit_phone(
    State(app): State<AppState>,
    Extension(csrf): Extension<CsrfToken>,
    Client(ctx): Client,
    PageAuth(auth): PageAuth,
    Form(form): Form<PhoneForm>,
) -> Response {
    let result = app
        .services
        .proofing()
        .submit_proofing_phone(&auth, &form.phone, &ctx)
        .await;
    let feedback = match result {
        Ok(outcome) => match onward(&app, outcome, Next::ProofingPhone) {
            Ok(redirect) => return redirect,
            Err(message) => Feedback::not_matched(message),
        },
        Err(error) if shown_on_form(&error) => Feedback::from_error(error),
        Err(error) => return error_page(&app, error),
    };
    let status = status_for_notes(&app, &auth).await;
    phone_page(&app, &csrf, status.as_ref(), feedback, form.phone)
}

#[derive(Template)]
#[template(path = "proofing_phone_confirm.html")]
struct PhoneConfirmPage {
    layout: Layout,
    errors: FormErrors,
    ttl_minutes: i64,
}

fn phone_confirm_page(app: &AppState, csrf: &CsrfToken, feedback: Feedback) -> Response {
    let page = PhoneConfirmPage {
        layout: Layout::new(app, csrf, true),
        errors: feedback.errors,
        ttl_minutes: app.services.core().config.limits.sms_code_ttl_secs / 60,
    };
    respond(feedback.status, feedback.retry_after, &page)
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct CodeForm {
    pub(super) code: String,
}

pub async fn show_phone_confirm(
    State(app): State<AppState>,
    Extension(csrf): Extension<CsrfToken>,
    PageAuth(auth): PageAuth,
) -> Response {
    match at_step(&app, &auth, &steps_of(ProofingAction::PhoneCode)).await {
        Ok(_) => phone_confirm_page(&app, &csrf, Feedback::fresh()),
        Err(response) => response,
    }
}

pub async fn confirm_phone(
    State(app): State<AppState>,
    Extension(csrf): Extension<CsrfToken>,
    PageAuth(auth): PageAuth,
    Form(form): Form<CodeForm>,
) -> Response {
    match app
        .services
        .proofing()
        .confirm_proofing_phone(&auth, &form.code)
        .await
    {
        Ok(outcome) => {
            redirect_with_session(&app, outcome.next, outcome.session_token.as_deref(), None)
        }
        Err(error) if shown_on_form(&error) => {
            phone_confirm_page(&app, &csrf, Feedback::from_error(error))
        }
        Err(error) => error_page(&app, error),
    }
}
