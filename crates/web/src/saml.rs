//! The SAML 2.0 endpoints: the identity provider's metadata, and single sign-on by the
//! HTTP-Redirect and HTTP-POST bindings. Handlers translate HTTP to the provider's
//! decisions (`sa_domain::oidc::saml`); the journey then continues on the same pages
//! as an OpenID Connect sign-in, and ends on the page that posts the Response to the
//! service provider (`oidc::authorize`'s answer for [`AuthorizeOutcome::SamlPost`]).
//!
//! A service provider's POST is cross-site, so the browser sends no `SameSite=Lax`
//! session cookie with it: the POST only keeps the request and sends the browser on
//! to `/saml/sso/begin`, a same-site GET that does carry the session.
//!
//! [`AuthorizeOutcome::SamlPost`]: sa_domain::oidc::authorize::AuthorizeOutcome::SamlPost

use std::collections::HashMap;

use axum::extract::{Form, Query, RawQuery, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Extension, Router};
use sa_domain::oidc::saml::{SamlBinding, SamlInbound, SamlStart};
use serde::Deserialize;

use crate::oidc::{Return, browser_session, error_page, public_for_five_minutes, respond};
use crate::pages::layout::{CsrfToken, message_page};
use crate::state::AppState;

/// Endpoints that take requests from other sites (no CSRF token can come with them).
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/saml/metadata", get(metadata))
        .route("/saml/sso", axum::routing::post(sso_post))
}

/// Endpoints that show our pages (behind the CSRF layer, which gives them a token).
pub fn page_router() -> Router<AppState> {
    Router::new()
        .route("/saml/sso", get(sso_redirect))
        .route("/saml/sso/begin", get(begin))
}

async fn metadata(State(app): State<AppState>) -> Response {
    match app.oidc.saml_metadata().await {
        Ok(xml) => public_for_five_minutes(
            (
                [(header::CONTENT_TYPE, "application/samlmetadata+xml")],
                xml,
            )
                .into_response(),
        ),
        Err(error) => error_page(&app, &error),
    }
}

fn missing_request(app: &AppState) -> Response {
    message_page(
        app,
        StatusCode::BAD_REQUEST,
        &crate::locale::words("page-app-sign-in-failed"),
        &crate::locale::words("page-saml-request-missing"),
    )
}

async fn sso_redirect(
    State(app): State<AppState>,
    headers: HeaderMap,
    Extension(csrf): Extension<CsrfToken>,
    RawQuery(raw_query): RawQuery,
    Query(params): Query<HashMap<String, String>>,
) -> Response {
    let Some(saml_request) = params.get("SAMLRequest") else {
        return missing_request(&app);
    };
    let raw_query = raw_query.unwrap_or_default();
    let inbound = SamlInbound {
        binding: SamlBinding::Redirect {
            raw_query: &raw_query,
        },
        saml_request,
        relay_state: params.get("RelayState").map(String::as_str),
    };
    let request_id = match app.oidc.saml_accept(inbound).await {
        Ok(SamlStart::Kept(request_id)) => request_id,
        Ok(SamlStart::Answered(outcome)) => {
            return respond(&app, &csrf, outcome, false, Return::Redirect);
        }
        Err(error) => return error_page(&app, &error),
    };
    let auth = browser_session(&app, &headers).await;
    match app.oidc.saml_begin(&request_id, auth.as_ref()).await {
        Ok(outcome) => respond(&app, &csrf, outcome, auth.is_some(), Return::Redirect),
        Err(error) => error_page(&app, &error),
    }
}

#[derive(Deserialize)]
struct PostForm {
    #[serde(rename = "SAMLRequest")]
    saml_request: Option<String>,
    #[serde(rename = "RelayState")]
    relay_state: Option<String>,
}

async fn sso_post(State(app): State<AppState>, Form(form): Form<PostForm>) -> Response {
    let Some(saml_request) = form.saml_request.as_deref() else {
        return missing_request(&app);
    };
    let inbound = SamlInbound {
        binding: SamlBinding::Post,
        saml_request,
        relay_state: form.relay_state.as_deref(),
    };
    match app.oidc.saml_accept(inbound).await {
        Ok(SamlStart::Kept(request_id)) => Redirect::to(&format!(
            "/saml/sso/begin?request={}",
            sa_domain::oidc::authorize::urlencode(&request_id)
        ))
        .into_response(),
        Ok(SamlStart::Answered(outcome)) => respond(
            &app,
            &CsrfToken(String::new()),
            outcome,
            false,
            Return::Redirect,
        ),
        Err(error) => error_page(&app, &error),
    }
}

#[derive(Deserialize)]
struct BeginQuery {
    request: String,
}

async fn begin(
    State(app): State<AppState>,
    headers: HeaderMap,
    Extension(csrf): Extension<CsrfToken>,
    Query(query): Query<BeginQuery>,
) -> Response {
    let auth = browser_session(&app, &headers).await;
    match app.oidc.saml_begin(&query.request, auth.as_ref()).await {
        Ok(outcome) => respond(&app, &csrf, outcome, auth.is_some(), Return::Redirect),
        Err(error) => error_page(&app, &error),
    }
}
