//! What every proofing page shares: the check that the account is at a step the page
//! serves, what a form shown again tells the person, and how a page answers.

use askama::Template;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use sa_domain::DomainError;
use sa_domain::journeys::{AuthSession, ProofingOutcome, ProofingResult, ProofingStatus};
use sa_domain::model::Next;
use sa_domain::proofing::steps::ProofingAction;

use crate::error::ApiError;
use crate::pages::form::FormErrors;
use crate::pages::form::{FormError, is_form_error};
use crate::pages::layout::{next_url, render};
use crate::pages::session::{error_page, redirect_with_session};
use crate::state::AppState;

/// The account's proofing status when its next step is one of `serves`; otherwise the
/// redirect to the page of the step it is at (or an error page).
/// The steps at which a person may take `action`, as the step graph declares them: the
/// pages a step's form serves.
pub(super) fn steps_of(action: ProofingAction) -> Vec<Next> {
    action
        .rule()
        .allowed_at
        .iter()
        .filter_map(|step| step.next())
        .collect()
}

pub(super) async fn at_step(
    app: &AppState,
    auth: &AuthSession,
    serves: &[Next],
) -> Result<ProofingStatus, Response> {
    match app.services.proofing().proofing_status(auth).await {
        Ok(status) if serves.contains(&status.next) => Ok(status),
        Ok(status) => Err(Redirect::to(next_url(status.next)).into_response()),
        Err(error) => Err(error_page(app, error)),
    }
}

/// The status for the notes of a page shown again after a POST (tries left, a letter
/// out); without it the page simply leaves those notes out.
pub(super) async fn status_for_notes(app: &AppState, auth: &AuthSession) -> Option<ProofingStatus> {
    app.services.proofing().proofing_status(auth).await.ok()
}

/// What a page shown again after a POST tells the person.
pub(super) struct Feedback {
    pub(super) status: StatusCode,
    pub(super) errors: FormErrors,
    /// The journey's "not matched" message: page-level, tied to no field.
    pub(super) alert: Option<String>,
    pub(super) retry_after: Option<u64>,
}

impl Feedback {
    pub(super) fn fresh() -> Self {
        Self {
            status: StatusCode::OK,
            errors: FormErrors::none(),
            alert: None,
            retry_after: None,
        }
    }

    pub(super) fn not_matched(message: String) -> Self {
        Self {
            alert: Some(message),
            ..Self::fresh()
        }
    }

    /// An error the form shows itself (see [`shown_on_form`]).
    pub(super) fn from_error(error: DomainError) -> Self {
        let code_error = matches!(
            error,
            DomainError::InvalidCode
                | DomainError::CodeExpired
                | DomainError::CodeAlreadyUsed { .. }
                | DomainError::CodeAttemptsExhausted
        );
        let api = ApiError::from(error);
        Self {
            // The person is signed in: a wrong code is bad input here, not a 401.
            status: if code_error {
                StatusCode::BAD_REQUEST
            } else {
                api.status
            },
            errors: FormErrors {
                items: vec![FormError {
                    field: api.field,
                    message: api.message,
                }],
            },
            alert: None,
            retry_after: api.retry_after,
        }
    }

    /// The tries note, unless the alert already says how many are left.
    pub(super) fn tries_note(&self, remaining: Option<i64>, max: i64) -> Option<String> {
        if self.alert.is_some() {
            return None;
        }
        remaining.and_then(|left| tries_note(left, max))
    }
}

/// Errors a proofing form shows itself (input, codes, limits); any other (wrong step,
/// signed out, an account needing recovery, service trouble) becomes a page or a
/// redirect through [`error_page`].
pub(super) fn shown_on_form(error: &DomainError) -> bool {
    is_form_error(error) && !matches!(error, DomainError::RecoveryRequired)
}

/// Where a step's outcome leads: onward (a redirect, with the new session cookie when
/// the session was replaced), or, when it did not match and stays on `this_step`, the
/// message to show on the same page.
pub(super) fn onward(
    app: &AppState,
    outcome: ProofingOutcome,
    this_step: Next,
) -> Result<Response, String> {
    if outcome.result == ProofingResult::NotMatched && outcome.next == this_step {
        return Err(outcome.message.render(crate::locale::current()));
    }
    Ok(redirect_with_session(
        app,
        outcome.next,
        outcome.session_token.as_deref(),
        None,
    ))
}

/// Render, adding `Retry-After` when the person must wait.
pub(super) fn respond<T: Template>(
    status: StatusCode,
    retry_after: Option<u64>,
    page: &T,
) -> Response {
    let mut response = render(status, page);
    if let Some(secs) = retry_after
        && let Ok(value) = HeaderValue::from_str(&secs.to_string())
    {
        response.headers_mut().insert(header::RETRY_AFTER, value);
    }
    response
}

/// "You have 3 tries left for now.", shown once a try has been used.
pub(super) fn tries_note(remaining: i64, max: i64) -> Option<String> {
    let lang = crate::locale::current();
    match remaining {
        left if left >= max => None,
        left if left <= 0 => Some(sa_i18n::text(lang, "proofing-no-tries-left")),
        left => Some(
            sa_i18n::Text::new("proofing-tries-left")
                .with("tries", left)
                .render(lang),
        ),
    }
}

pub(super) use crate::pages::layout::human_date;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tries_note_appears_once_a_try_is_used() {
        assert_eq!(tries_note(5, 5), None);
        assert_eq!(
            tries_note(4, 5).as_deref(),
            Some("You have 4 tries left for now.")
        );
        assert_eq!(
            tries_note(1, 5).as_deref(),
            Some("You have 1 try left for now.")
        );
        assert!(tries_note(0, 5).is_some_and(|t| t.contains("used all your tries")));
    }

    #[test]
    fn dates_read_like_a_letter() {
        let at = time::macros::datetime!(2026-03-23 10:00 UTC);
        assert_eq!(human_date(at), "March 23, 2026");
    }
}
