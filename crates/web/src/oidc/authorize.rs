//! The authorization endpoint, its resumption after sign-in or proofing, and the
//! consent page; the last hop back to the app (a redirect, or a forwarding page after a
//! form).

use std::collections::HashMap;

use askama::Template;
use axum::Extension;
use axum::extract::{Form, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use sa_domain::oidc::authorize::AuthorizeOutcome;
use serde::Deserialize;

use super::answers::{ContinuePage, browser_session, error_page};
use super::pending::{pending_request, set_pending};
use crate::cookies;
use crate::pages::layout::{CsrfToken, Layout, message_page, render};
use crate::state::AppState;

pub(super) async fn authorize(
    State(app): State<AppState>,
    headers: HeaderMap,
    Extension(csrf): Extension<CsrfToken>,
    Query(params): Query<HashMap<String, String>>,
) -> Response {
    let auth = browser_session(&app, &headers).await;
    match app.oidc.authorize(&params, auth.as_ref()).await {
        Ok(outcome) => respond(&app, &csrf, outcome, auth.is_some(), Return::Redirect),
        Err(error) => error_page(&app, &error),
    }
}

#[derive(Deserialize)]
pub(super) struct ResumeQuery {
    request: Option<String>,
}

pub(super) async fn resume(
    State(app): State<AppState>,
    headers: HeaderMap,
    Extension(csrf): Extension<CsrfToken>,
    Query(query): Query<ResumeQuery>,
) -> Response {
    let Some(request_id) = query.request.or_else(|| pending_request(&app, &headers)) else {
        return Redirect::to("/").into_response();
    };
    let auth = browser_session(&app, &headers).await;
    match app.oidc.resume(&request_id, auth.as_ref(), None).await {
        Ok(outcome) => respond(&app, &csrf, outcome, auth.is_some(), Return::Page),
        Err(error) => error_page(&app, &error),
    }
}

#[derive(Deserialize)]
pub(super) struct ConsentForm {
    request_id: String,
    decision: String,
}

pub(super) async fn consent(
    State(app): State<AppState>,
    headers: HeaderMap,
    Extension(csrf): Extension<CsrfToken>,
    Form(form): Form<ConsentForm>,
) -> Response {
    let auth = browser_session(&app, &headers).await;
    let granted = form.decision == "allow";
    match app
        .oidc
        .resume(&form.request_id, auth.as_ref(), Some(granted))
        .await
    {
        Ok(outcome) => respond(&app, &csrf, outcome, auth.is_some(), Return::Page),
        Err(error) => error_page(&app, &error),
    }
}

#[derive(Template)]
#[template(path = "consent.html")]
struct ConsentPage {
    layout: Layout,
    request_id: String,
    client_name: String,
    /// Catalogue ids of what the app will receive.
    items: Vec<&'static str>,
}

/// The catalogue id of what a scope shares, as the consent page lists it.
fn scope_label(scope: &str) -> Option<&'static str> {
    Some(match scope {
        "email" => "consent-scope-email",
        "profile" => "consent-scope-profile",
        "address" => "consent-scope-address",
        "phone" => "consent-scope-phone",
        "social_security_number" => "consent-scope-ssn",
        "verified_at" => "consent-scope-verified-at",
        "offline_access" => "consent-scope-offline",
        _ => return None,
    })
}

/// How the browser goes back to the app at the end.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Return {
    /// A `303` redirect: only when no form submission led here.
    Redirect,
    /// A page of ours that forwards to the app (meta refresh and a link, no script).
    /// A redirect chain that began with a form submission is bound by the CSP's
    /// `form-action 'self'`, which browsers apply to every hop, so the last hop to the
    /// app must be a navigation from our own page.
    Page,
}

pub(crate) fn respond(
    app: &AppState,
    csrf: &CsrfToken,
    outcome: AuthorizeOutcome,
    signed_in: bool,
    back: Return,
) -> Response {
    match outcome {
        AuthorizeOutcome::ErrorPage(message) => message_page(
            app,
            StatusCode::BAD_REQUEST,
            &crate::locale::words("page-app-sign-in-failed"),
            &message,
        ),
        AuthorizeOutcome::Redirect(url) => {
            let mut response = match back {
                Return::Redirect => Redirect::to(&url).into_response(),
                Return::Page => render(
                    StatusCode::OK,
                    &ContinuePage {
                        layout: Layout::new(app, csrf, signed_in),
                        url,
                    },
                ),
            };
            set_pending(app, &mut response, None);
            response
        }
        AuthorizeOutcome::SignIn {
            request_id,
            login_hint,
            fresh,
        } => {
            let target = match login_hint {
                Some(hint) => format!(
                    "/sign-in?username={}",
                    sa_domain::oidc::authorize::urlencode(&hint)
                ),
                None => "/sign-in".to_owned(),
            };
            let mut response = Redirect::to(&target).into_response();
            set_pending(app, &mut response, Some(&request_id));
            if fresh {
                // prompt=login or max_age: the existing session must not count.
                let name = cookies::name(cookies::SESSION, app.config.secure_cookies);
                if let Some(value) = cookies::clear(&name, app.config.secure_cookies) {
                    response.headers_mut().append(header::SET_COOKIE, value);
                }
            }
            response
        }
        AuthorizeOutcome::Proofing { request_id } => {
            let mut response = Redirect::to("/verify/identity").into_response();
            set_pending(app, &mut response, Some(&request_id));
            response
        }
        AuthorizeOutcome::PasskeyStepUp { request_id } => {
            let mut response = Redirect::to("/security/passkey-check").into_response();
            set_pending(app, &mut response, Some(&request_id));
            response
        }
        AuthorizeOutcome::Consent {
            request_id,
            client_name,
            scopes,
        } => {
            let mut items = vec!["That you are signed in (an identifier unique to this app)"];
            items.extend(scopes.iter().filter_map(|s| scope_label(s)));
            let mut response = render(
                StatusCode::OK,
                &ConsentPage {
                    layout: Layout::new(app, csrf, signed_in),
                    request_id: request_id.clone(),
                    client_name,
                    items,
                },
            );
            set_pending(app, &mut response, Some(&request_id));
            response
        }
        AuthorizeOutcome::SamlPost {
            app_name,
            acs_url,
            saml_response,
            relay_state,
            granted,
        } => {
            let csp = crate::headers::csp_with_form_action(&acs_url);
            let mut response = render(
                StatusCode::OK,
                &SamlPostPage {
                    layout: Layout::new(app, csrf, signed_in),
                    app_name,
                    acs_url,
                    saml_response,
                    relay_state,
                    granted,
                },
            );
            if let Some(csp) = csp {
                response
                    .headers_mut()
                    .insert(header::CONTENT_SECURITY_POLICY, csp);
            }
            set_pending(app, &mut response, None);
            response
        }
    }
}

/// The last hop to a SAML service provider: a form posting the Response to its
/// consumer, submitted by the person's Continue (no script needed; the page's CSP
/// allows that one consumer as a form target).
#[derive(Template)]
#[template(path = "saml_post.html")]
struct SamlPostPage {
    layout: Layout,
    app_name: String,
    acs_url: String,
    saml_response: String,
    relay_state: Option<String>,
    granted: bool,
}
