//! `/verify/financial-account`: one financial account in the applicant's name.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use axum::{Extension, Form};
use sa_domain::journeys::{ProofingStatus, parse_account_kind};
use sa_domain::model::Next;
use sa_domain::proofing::records::AccountKind;
use sa_domain::proofing::steps::ProofingAction;
use serde::Deserialize;

use super::common::{
    Feedback, at_step, onward, respond, shown_on_form, status_for_notes, steps_of,
};
use crate::pages::form::FormErrors;
use crate::pages::form::{SelectOption, translated_options};
use crate::pages::layout::{CsrfToken, Layout};
use crate::pages::session::{PageAuth, error_page};
use crate::state::AppState;

pub(super) fn account_kinds() -> Vec<(&'static str, &'static str)> {
    AccountKind::ALL
        .into_iter()
        .map(|kind| {
            let label = match kind {
                AccountKind::CreditCard => "account-kind-credit-card",
                AccountKind::Mortgage => "account-kind-mortgage",
                AccountKind::HomeEquityLoan => "account-kind-home-equity-loan",
                AccountKind::HomeEquityLineOfCredit => "account-kind-home-equity-line",
                AccountKind::AutoLoan => "account-kind-auto-loan",
                AccountKind::StudentLoan => "account-kind-student-loan",
            };
            (kind.as_str(), label)
        })
        .collect()
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct FinancialForm {
    kind: String,
    account_number: String,
}

#[derive(Template)]
#[template(path = "proofing_financial.html")]
struct FinancialPage {
    layout: Layout,
    errors: FormErrors,
    alert: Option<String>,
    tries_note: Option<String>,
    kinds: Vec<SelectOption>,
}

fn financial_page(
    app: &AppState,
    csrf: &CsrfToken,
    status: Option<&ProofingStatus>,
    feedback: Feedback,
    kind: &str,
) -> Response {
    let tries_note = feedback.tries_note(
        status.map(|s| s.attempts_remaining.financial_account),
        app.services
            .core()
            .config
            .limits
            .proofing_financial_attempts,
    );
    let page = FinancialPage {
        layout: Layout::new(app, csrf, true),
        errors: feedback.errors,
        alert: feedback.alert,
        tries_note,
        kinds: translated_options(&account_kinds(), kind),
    };
    respond(feedback.status, feedback.retry_after, &page)
}

pub async fn show_financial(
    State(app): State<AppState>,
    Extension(csrf): Extension<CsrfToken>,
    PageAuth(auth): PageAuth,
) -> Response {
    match at_step(&app, &auth, &steps_of(ProofingAction::FinancialAccount)).await {
        Ok(status) => financial_page(&app, &csrf, Some(&status), Feedback::fresh(), ""),
        Err(response) => response,
    }
}

pub async fn submit_financial(
    State(app): State<AppState>,
    Extension(csrf): Extension<CsrfToken>,
    PageAuth(auth): PageAuth,
    Form(form): Form<FinancialForm>,
) -> Response {
    let result = match parse_account_kind(&form.kind) {
        Ok(kind) => {
            app.services
                .proofing()
                .submit_financial_account(&auth, kind, &form.account_number)
                .await
        }
        Err(error) => Err(error),
    };
    let feedback = match result {
        Ok(outcome) => match onward(&app, outcome, Next::ProofingFinancialAccount) {
            Ok(redirect) => return redirect,
            Err(message) => Feedback::not_matched(message),
        },
        Err(error) if shown_on_form(&error) => Feedback::from_error(error),
        Err(error) => return error_page(&app, error),
    };
    let status = status_for_notes(&app, &auth).await;
    financial_page(&app, &csrf, status.as_ref(), feedback, &form.kind)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_account_kind_has_a_label() {
        let kinds = account_kinds();
        assert_eq!(kinds.len(), 6);
        assert_eq!(kinds[0], ("credit_card", "account-kind-credit-card"));
        assert!(
            kinds
                .iter()
                .all(|&(value, _)| parse_account_kind(value).is_ok())
        );
    }
}
