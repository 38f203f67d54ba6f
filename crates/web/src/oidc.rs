//! The OpenID Connect endpoints: discovery, JWKS, authorization (with the consent
//! page), token, userinfo and RP-initiated logout. Handlers translate HTTP to the
//! provider's decisions (`sa_domain::oidc`) and back. While a person signs in or
//! verifies their identity for an app, the pending request's id rides in a short-lived
//! cookie; pages that finish a journey (`/account/security`) call [`resume_pending`].

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Form, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Extension, Json, Router};
use base64::Engine;
use sa_domain::oidc::OAuthError;
use sa_domain::oidc::authorize::AuthorizeOutcome;
use sa_domain::oidc::token::TokenRequest;
use serde::Deserialize;
use serde_json::json;

use crate::cookies;
use crate::extract::session_token;
use crate::pages::layout::{CsrfToken, Layout, message_page, render};
use crate::state::AppState;

/// The cookie holding a pending authorization request id.
pub const PENDING: &str = "sa_oidc_request";

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/.well-known/openid-configuration", get(discovery))
        .route("/oidc/jwks", get(jwks))
        .route("/oidc/token", axum::routing::post(token))
        .route("/oidc/userinfo", get(userinfo).post(userinfo))
}

/// The browser-facing endpoints (they need the CSRF layer of the pages).
pub fn page_router() -> Router<AppState> {
    Router::new()
        .route("/oidc/authorize", get(authorize))
        .route("/oidc/authorize/resume", get(resume))
        .route("/oidc/consent", axum::routing::post(consent))
        .route("/oidc/logout", get(logout).post(logout_form))
}

async fn discovery(State(app): State<AppState>) -> Response {
    let meta = sa_oidc::ProviderMetadata {
        issuer: app.oidc.config.issuer.clone(),
        scopes: sa_domain::oidc::claims::SCOPES
            .iter()
            .map(|s| (*s).to_owned())
            .collect(),
        claims: sa_domain::oidc::claims::CLAIMS
            .iter()
            .map(|s| (*s).to_owned())
            .collect(),
        acr_values: vec![
            sa_oidc::IAL1.to_owned(),
            sa_oidc::IAL2.to_owned(),
            sa_oidc::AAL2.to_owned(),
        ],
    };
    public_json(sa_oidc::discovery_document(&meta))
}

async fn jwks(State(app): State<AppState>) -> Response {
    match app.oidc.jwks().await {
        Ok(keys) => public_json(keys),
        Err(error) => oauth_error(error),
    }
}

/// Cacheable public JSON (discovery and JWKS).
fn public_json(value: serde_json::Value) -> Response {
    let mut response = Json(value).into_response();
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=300"),
    );
    response
}

fn oauth_error(error: OAuthError) -> Response {
    let status = StatusCode::from_u16(error.status()).unwrap_or(StatusCode::BAD_REQUEST);
    let mut response = (
        status,
        Json(json!({"error": error.error, "error_description": error.description})),
    )
        .into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if error.error == "invalid_client" {
        response.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            HeaderValue::from_static("Basic realm=\"secure-access\""),
        );
    }
    if error.error == "invalid_token" {
        response.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            HeaderValue::from_static("Bearer error=\"invalid_token\""),
        );
    }
    response
}

#[derive(Deserialize)]
struct TokenForm {
    grant_type: Option<String>,
    code: Option<String>,
    redirect_uri: Option<String>,
    code_verifier: Option<String>,
    client_id: Option<String>,
    client_assertion_type: Option<String>,
    client_assertion: Option<String>,
    scope: Option<String>,
}

/// `Authorization: Basic` credentials (form-urlencoded id and secret, RFC 6749 §2.3.1).
fn basic_credentials(headers: &HeaderMap) -> Option<(String, String)> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let encoded = value.strip_prefix("Basic ")?;
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(encoded.trim())
        .ok()?;
    let text = String::from_utf8(decoded).ok()?;
    let (id, secret) = text.split_once(':')?;
    Some((url_decode(id), url_decode(secret)))
}

fn url_decode(text: &str) -> String {
    let bytes = text.replace('+', " ").into_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let Ok(v) = u8::from_str_radix(&String::from_utf8_lossy(&bytes[i + 1..i + 3]), 16)
        {
            out.push(v);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

async fn token(
    State(app): State<AppState>,
    headers: HeaderMap,
    form: Result<Form<TokenForm>, axum::extract::rejection::FormRejection>,
) -> Response {
    let Ok(Form(form)) = form else {
        return oauth_error(OAuthError::new(
            "invalid_request",
            "the token request must be application/x-www-form-urlencoded",
        ));
    };
    let request = TokenRequest {
        grant_type: form.grant_type,
        code: form.code,
        redirect_uri: form.redirect_uri,
        code_verifier: form.code_verifier,
        client_id: form.client_id,
        client_assertion_type: form.client_assertion_type,
        client_assertion: form.client_assertion,
        scope: form.scope,
        basic: basic_credentials(&headers),
    };
    match app.oidc.token(&request).await {
        Ok(answer) => {
            let mut response = Json(answer).into_response();
            response
                .headers_mut()
                .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            response
        }
        Err(error) => oauth_error(error),
    }
}

async fn userinfo(State(app): State<AppState>, headers: HeaderMap) -> Response {
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim);
    let Some(token) = token else {
        return oauth_error(OAuthError::new(
            "invalid_token",
            "a bearer access token is required",
        ));
    };
    match app.oidc.userinfo(token).await {
        Ok(claims) => Json(claims).into_response(),
        Err(error) => oauth_error(error),
    }
}

/// The signed-in session of the browser, if any.
async fn browser_session(
    app: &AppState,
    headers: &HeaderMap,
) -> Option<sa_domain::journeys::AuthSession> {
    let token = session_token(headers, app.config.secure_cookies)?;
    app.services.sessions().authenticate(&token).await.ok()
}

async fn authorize(
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
struct ResumeQuery {
    request: Option<String>,
}

async fn resume(
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
struct ConsentForm {
    request_id: String,
    decision: String,
}

async fn consent(
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

/// The pending request id from the cookie.
pub fn pending_request(app: &AppState, headers: &HeaderMap) -> Option<String> {
    let name = cookies::name(PENDING, app.config.secure_cookies);
    cookies::read(headers, &name)
}

/// If an app's sign-in is pending in this browser, where to continue it.
pub fn resume_pending(app: &AppState, headers: &HeaderMap) -> Option<Response> {
    pending_request(app, headers).map(|id| {
        Redirect::to(&format!(
            "/oidc/authorize/resume?request={}",
            sa_domain::oidc::authorize::urlencode(&id)
        ))
        .into_response()
    })
}

fn set_pending(app: &AppState, response: &mut Response, request_id: Option<&str>) {
    let name = cookies::name(PENDING, app.config.secure_cookies);
    let value = match request_id {
        Some(id) => cookies::set(&name, id, app.config.secure_cookies, Some(3600)),
        None => cookies::clear(&name, app.config.secure_cookies),
    };
    if let Some(value) = value {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
}

#[derive(Template)]
#[template(path = "consent.html")]
struct ConsentPage {
    layout: Layout,
    request_id: String,
    client_name: String,
    items: Vec<&'static str>,
}

fn scope_label(scope: &str) -> Option<&'static str> {
    Some(match scope {
        "email" => "Your email address",
        "profile" => "Your verified name and date of birth",
        "address" => "Your address from your latest tax return",
        "phone" => "Your phone number",
        "social_security_number" => "Your Social Security number",
        "verified_at" => "When your identity was verified",
        _ => return None,
    })
}

/// How the browser goes back to the app at the end.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Return {
    /// A `303` redirect: only when no form submission led here.
    Redirect,
    /// A page of ours that forwards to the app (meta refresh and a link, no script).
    /// A redirect chain that began with a form submission is bound by the CSP's
    /// `form-action 'self'`, which browsers apply to every hop, so the last hop to the
    /// app must be a navigation from our own page.
    Page,
}

#[derive(Template)]
#[template(path = "oidc_continue.html")]
struct ContinuePage {
    layout: Layout,
    url: String,
}

fn respond(
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
            "We can't sign you in to this app",
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
    }
}

fn error_page(app: &AppState, error: &OAuthError) -> Response {
    message_page(
        app,
        StatusCode::from_u16(error.status()).unwrap_or(StatusCode::BAD_REQUEST),
        "We can't sign you in to this app right now",
        &error.description,
    )
}

#[derive(Deserialize)]
struct LogoutQuery {
    id_token_hint: Option<String>,
    client_id: Option<String>,
    post_logout_redirect_uri: Option<String>,
    state: Option<String>,
}

async fn logout(
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
async fn logout_form(
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
            "You are signed out",
            "You are signed out of Secure Access. You can close this window.",
        ),
    };
    let name = cookies::name(cookies::SESSION, app.config.secure_cookies);
    if let Some(value) = cookies::clear(&name, app.config.secure_cookies) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    response
}
