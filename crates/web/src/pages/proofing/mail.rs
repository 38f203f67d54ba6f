//! `/verify/mail` and `/verify/mail/confirm`: an activation letter to the address of
//! record, and its code.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use sa_domain::journeys::ProofingStatus;
use sa_domain::model::Next;
use serde::Deserialize;

use super::common::{Feedback, at_step, human_date, respond, shown_on_form, status_for_notes};
use super::phone::{CodeForm, phone_page};
use crate::pages::form::FormErrors;
use crate::pages::layout::{CsrfToken, Layout};
use crate::pages::session::{PageAuth, error_page, redirect_with_session};
use crate::state::AppState;

/// Which page asked for the letter (so a refusal is shown there).
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct MailForm {
    from: String,
}

pub async fn request_letter(
    State(app): State<AppState>,
    Extension(csrf): Extension<CsrfToken>,
    PageAuth(auth): PageAuth,
    Form(form): Form<MailForm>,
) -> Response {
    let feedback = match app.services.letters().request_letter(&auth).await {
        Ok(_) => return Redirect::to("/verify/mail/confirm?sent=1").into_response(),
        Err(error) if shown_on_form(&error) => Feedback::from_error(error),
        Err(error) => return error_page(&app, error),
    };
    let status = status_for_notes(&app, &auth).await;
    if form.from == "mail_confirm" {
        mail_confirm_page(&app, &csrf, status.as_ref(), feedback, false)
    } else {
        phone_page(&app, &csrf, status.as_ref(), feedback, String::new())
    }
}

#[derive(Template)]
#[template(path = "proofing_mail_confirm.html")]
struct MailConfirmPage {
    layout: Layout,
    errors: FormErrors,
    sent_notice: Option<String>,
    expires_on: Option<String>,
    tries_note: Option<String>,
    letters_left: i64,
}

fn mail_confirm_page(
    app: &AppState,
    csrf: &CsrfToken,
    status: Option<&ProofingStatus>,
    feedback: Feedback,
    just_sent: bool,
) -> Response {
    let expires_on = status.and_then(|s| s.letter_expires_at).map(human_date);
    let lang = crate::locale::current();
    let sent_notice = just_sent.then(|| match &expires_on {
        Some(date) => sa_i18n::Text::new("proofing-letter-sent-expires")
            .with("date", date.as_str())
            .render(lang),
        None => sa_i18n::text(lang, "proofing-letter-sent"),
    });
    let tries_note = feedback.tries_note(
        status.map(|s| s.attempts_remaining.mail_code),
        app.services.core().config.limits.letter_code_attempts,
    );
    let page = MailConfirmPage {
        layout: Layout::new(app, csrf, true),
        errors: feedback.errors,
        // The notice already gives the date.
        expires_on: if just_sent { None } else { expires_on },
        sent_notice,
        tries_note,
        letters_left: status.map_or(0, |s| s.attempts_remaining.letters),
    };
    respond(feedback.status, feedback.retry_after, &page)
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct SentQuery {
    sent: String,
}

pub async fn show_mail_confirm(
    State(app): State<AppState>,
    Extension(csrf): Extension<CsrfToken>,
    PageAuth(auth): PageAuth,
    Query(query): Query<SentQuery>,
) -> Response {
    match // Only once a letter is out (a code may also be entered from the phone page).
    at_step(&app, &auth, &[Next::ProofingMailCode]).await {
        Ok(status) => mail_confirm_page(
            &app,
            &csrf,
            Some(&status),
            Feedback::fresh(),
            query.sent == "1",
        ),
        Err(response) => response,
    }
}

pub async fn confirm_letter(
    State(app): State<AppState>,
    Extension(csrf): Extension<CsrfToken>,
    PageAuth(auth): PageAuth,
    Form(form): Form<CodeForm>,
) -> Response {
    match app
        .services
        .letters()
        .confirm_letter(&auth, &form.code)
        .await
    {
        Ok(outcome) => {
            redirect_with_session(&app, outcome.next, outcome.session_token.as_deref(), None)
        }
        Err(error) if shown_on_form(&error) => {
            let status = status_for_notes(&app, &auth).await;
            mail_confirm_page(
                &app,
                &csrf,
                status.as_ref(),
                Feedback::from_error(error),
                false,
            )
        }
        Err(error) => error_page(&app, error),
    }
}
