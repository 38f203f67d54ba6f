//! RP-initiated logout (`/oidc/logout`): at once with an ID token this provider issued
//! for the signed-in person, otherwise after a confirmation form.

use askama::Template;
use axum::Extension;
use axum::extract::{Form, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use sa_domain::oidc::OAuthError;
use serde::Deserialize;

use super::answers::{ContinuePage, browser_session, error_page};
use crate::cookies;
use crate::pages::layout::{CsrfToken, Layout, message_page, render};
use crate::state::AppState;

#[derive(Deserialize)]
pub(super) struct LogoutQuery {
    id_token_hint: Option<String>,
    client_id: Option<String>,
    post_logout_redirect_uri: Option<String>,
    state: Option<String>,
}

pub(super) async fn logout(
    State(app): State<AppState>,
    headers: HeaderMap,
    Extension(csrf): Extension<CsrfToken>,
    Query(query): Query<LogoutQuery>,
) -> Response {
    let target = match logout_target(&app, &query).await {
        Ok(target) => target,
        Err(error) => return error_page(&app, &error),
    };
    let session = browser_session(&app, &headers).await;
    if let Some(auth) = &session {
        let named = match query.id_token_hint.as_deref().filter(|h| !h.is_empty()) {
            Some(hint) => app.oidc.id_token_hint_names(hint, &auth.account.id).await,
            None => false,
        };
        if !named {
            // A bare link could sign anyone out: ask first, with a form of our own.
            return render(
                StatusCode::OK,
                &LogoutPage {
                    layout: Layout::new(&app, &csrf, true),
                    client_id: query.client_id.unwrap_or_default(),
                    post_logout_redirect_uri: query.post_logout_redirect_uri.unwrap_or_default(),
                    state: query.state.unwrap_or_default(),
                },
            );
        }
    }
    end_session(&app, session, target, None).await
}

/// The confirmation form (CSRF-checked) ends the session.
pub(super) async fn logout_form(
    State(app): State<AppState>,
    headers: HeaderMap,
    Extension(csrf): Extension<CsrfToken>,
    Form(query): Form<LogoutQuery>,
) -> Response {
    // The confirmation page sends every field, empty when the app gave none.
    let blank_is_none = |field: Option<String>| field.filter(|value| !value.is_empty());
    let query = LogoutQuery {
        id_token_hint: blank_is_none(query.id_token_hint),
        client_id: blank_is_none(query.client_id),
        post_logout_redirect_uri: blank_is_none(query.post_logout_redirect_uri),
        state: blank_is_none(query.state),
    };
    let target = match logout_target(&app, &query).await {
        Ok(target) => target,
        Err(error) => return error_page(&app, &error),
    };
    let session = browser_session(&app, &headers).await;
    end_session(&app, session, target, Some(&csrf)).await
}

#[derive(Template)]
#[template(path = "oidc_logout.html")]
struct LogoutPage {
    layout: Layout,
    client_id: String,
    post_logout_redirect_uri: String,
    state: String,
}

/// Where the app asked to send the browser afterwards (only a registered address).
async fn logout_target(app: &AppState, query: &LogoutQuery) -> Result<Option<String>, OAuthError> {
    app.oidc
        .logout_redirect(
            query.id_token_hint.as_deref(),
            query.client_id.as_deref(),
            query.post_logout_redirect_uri.as_deref(),
            query.state.as_deref(),
        )
        .await
}

/// RP-initiated logout: the session ends; the browser goes back to the app only to a
/// registered `post_logout_redirect_uri`. After our own form (`from_form`), the way
/// back is a forwarding page: the CSP's `form-action 'self'` would stop a redirect
/// chain that leaves the site.
async fn end_session(
    app: &AppState,
    session: Option<sa_domain::journeys::AuthSession>,
    target: Option<String>,
    from_form: Option<&CsrfToken>,
) -> Response {
    if let Some(auth) = session {
        let _ = app.services.sessions().sign_out(&auth).await;
    }
    let mut response = match (target, from_form) {
        (Some(url), None) => Redirect::to(&url).into_response(),
        (Some(url), Some(csrf)) => render(
            StatusCode::OK,
            &ContinuePage {
                layout: Layout::new(app, csrf, false),
                url,
            },
        ),
        (None, _) => message_page(
            app,
            StatusCode::OK,
            &crate::locale::words("page-signed-out-heading"),
            &crate::locale::words("page-signed-out-text"),
        ),
    };
    let name = cookies::name(cookies::SESSION, app.config.secure_cookies);
    if let Some(value) = cookies::clear(&name, app.config.secure_cookies) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    response
}
