//! Page: online security information (recent sign-ins, account events, where the
//! person is signed in, sign-in methods, apps), where a person lands after every
//! sign-in; and its forms (remove a method or an app, sign out of sessions).

use super::form::FormErrors;
use super::layout::{CsrfToken, Layout, message_page, render};
use super::session::{PageAuth, error_page};
use crate::state::AppState;
use askama::Template;
use axum::Extension;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use sa_domain::DomainError;
use sa_domain::journeys::{ActiveSession, AuthSession, FactorSummary, SecurityOverview};

#[derive(Template)]
#[template(path = "security.html")]
struct SecurityPage {
    layout: Layout,
    errors: FormErrors,
    overview: SecurityOverview,
    sessions: Vec<ActiveSession>,
    factors: Vec<FactorSummary>,
    /// Apps this account signs in to: (client id, name, since).
    apps: Vec<(String, String, time::OffsetDateTime)>,
    reauth_needed: bool,
}

/// "March 2, 2026 15:00 UTC", in the request's language.
fn when(at: time::OffsetDateTime) -> String {
    sa_i18n::long_date_time(crate::locale::current(), at)
}

impl SecurityPage {
    fn when(&self, at: &time::OffsetDateTime) -> String {
        when(*at)
    }

    /// `code_replayed` → `code replayed`.
    fn words(&self, text: &str) -> String {
        text.replace('_', " ")
    }

    /// A sign-in method as a person says it; passkeys say they resist phishing.
    fn method_words(&self, method: &str) -> String {
        use sa_domain::model::{PASSKEY_METHOD, PASSKEY_SETUP_METHOD, PASSWORDLESS_METHOD};
        let id = match method {
            PASSKEY_METHOD => "method-passkey",
            PASSWORDLESS_METHOD => "method-passwordless",
            PASSKEY_SETUP_METHOD => "method-passkey-setup",
            "totp" => "method-totp",
            "sms" => "method-sms",
            "backup_code" => "method-backup-code",
            other => {
                let mut text = other.replace('_', " ");
                if let Some(first) = text.get(..1) {
                    text.replace_range(..1, &first.to_uppercase());
                }
                return text;
            }
        };
        self.layout.t(id)
    }

    /// A sign-in method's name in the page's language (names people chose stay theirs).
    fn factor_name(&self, label: &str) -> String {
        sa_domain::messages::factor_label(self.layout.lang, label)
    }

    /// A history entry in the page's language (see [`crate::history`]).
    fn history_entry(&self, detail: &str) -> String {
        crate::history::entry(detail, self.layout.lang)
    }

    fn when_opt(&self, at: &Option<time::OffsetDateTime>) -> String {
        at.map(when)
            .unwrap_or_else(|| self.layout.t("security-never"))
    }
}

pub async fn show(
    State(app): State<AppState>,
    Extension(csrf): Extension<CsrfToken>,
    headers: axum::http::HeaderMap,
    PageAuth(auth): PageAuth,
) -> Response {
    // Signing in for an app ends here: go back to it.
    if let Some(resume) = crate::oidc::resume_pending(&app, &headers) {
        return resume;
    }
    page(
        &app,
        &csrf,
        &auth,
        StatusCode::OK,
        FormErrors::none(),
        false,
    )
    .await
}

async fn page(
    app: &AppState,
    csrf: &CsrfToken,
    auth: &AuthSession,
    status: StatusCode,
    errors: FormErrors,
    reauth_needed: bool,
) -> Response {
    let overview = match app.services.security().security_overview(auth).await {
        Ok(overview) => overview,
        Err(error) => return error_page(app, error),
    };
    let sessions = match app.services.security().active_sessions(auth).await {
        Ok(sessions) => sessions,
        Err(error) => return error_page(app, error),
    };
    let factors = match app.services.factors().list_factors(auth).await {
        Ok(factors) => factors,
        Err(error) => return error_page(app, error),
    };
    let apps = app
        .oidc
        .connected_apps(&auth.account.id)
        .await
        .unwrap_or_default();
    render(
        status,
        &SecurityPage {
            layout: Layout::new(app, csrf, true),
            errors,
            overview,
            sessions,
            factors,
            apps,
            reauth_needed,
        },
    )
}

/// Withdraw an app's access (its tokens stop working).
pub async fn revoke_app(
    State(app): State<AppState>,
    PageAuth(auth): PageAuth,
    Path(client_id): Path<String>,
) -> Response {
    match app.oidc.revoke_app(&auth.account.id, &client_id).await {
        Ok(()) => Redirect::to("/account/security").into_response(),
        Err(error) => message_page(
            &app,
            StatusCode::BAD_REQUEST,
            &crate::locale::words("page-app-remove-failed"),
            &error.description,
        ),
    }
}

pub async fn remove_factor(
    State(app): State<AppState>,
    Extension(csrf): Extension<CsrfToken>,
    PageAuth(auth): PageAuth,
    Path(id): Path<String>,
) -> Response {
    match app.services.factors().delete_factor(&auth, &id).await {
        Ok(()) => Redirect::to("/account/security").into_response(),
        Err(
            error @ (DomainError::ReauthenticationRequired
            | DomainError::Conflict(_)
            | DomainError::NotFound(_)),
        ) => {
            let reauth = matches!(error, DomainError::ReauthenticationRequired);
            let (status, errors) = FormErrors::from_domain(error);
            page(&app, &csrf, &auth, status, errors, reauth).await
        }
        Err(error) => error_page(&app, error),
    }
}

/// Sign out of one session (this one included: then to the home page).
pub async fn end_session(
    State(app): State<AppState>,
    Extension(csrf): Extension<CsrfToken>,
    PageAuth(auth): PageAuth,
    Path(handle): Path<String>,
) -> Response {
    let ended = app.services.security().end_session(&auth, &handle).await;
    let then = match ended {
        Ok(true) => "/",
        _ => "/account/security",
    };
    after_ending(&app, &csrf, &auth, ended.map(|_| ()), then).await
}

/// Sign out of every session but this one.
pub async fn end_other_sessions(
    State(app): State<AppState>,
    Extension(csrf): Extension<CsrfToken>,
    PageAuth(auth): PageAuth,
) -> Response {
    let ended = app
        .services
        .security()
        .end_other_sessions(&auth)
        .await
        .map(|_| ());
    after_ending(&app, &csrf, &auth, ended, "/account/security").await
}

async fn after_ending(
    app: &AppState,
    csrf: &CsrfToken,
    auth: &AuthSession,
    ended: Result<(), DomainError>,
    then: &str,
) -> Response {
    match ended {
        Ok(()) => Redirect::to(then).into_response(),
        Err(error @ (DomainError::ReauthenticationRequired | DomainError::NotFound(_))) => {
            let reauth = matches!(error, DomainError::ReauthenticationRequired);
            let (status, errors) = FormErrors::from_domain(error);
            page(app, csrf, auth, status, errors, reauth).await
        }
        Err(error) => error_page(app, error),
    }
}
