//! The token endpoint (`/oidc/token`): client authentication (HTTP Basic or a client
//! assertion) and the grant; and the form every client-authenticated endpoint reads
//! (`lifecycle.rs` uses it for revocation and introspection).

use axum::Json;
use axum::extract::{Form, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use sa_domain::oidc::OAuthError;
use sa_domain::oidc::token::TokenRequest;
use serde::Deserialize;

use super::answers::oauth_error;
use crate::state::AppState;

#[derive(Deserialize)]
pub(super) struct TokenForm {
    refresh_token: Option<String>,
    token: Option<String>,
    token_type_hint: Option<String>,
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

pub(super) type FormResult = Result<Form<TokenForm>, axum::extract::rejection::FormRejection>;

/// The request as the provider reads it, or the error that says the body is not a form.
pub(super) fn read_request(
    headers: &HeaderMap,
    form: FormResult,
) -> Result<TokenRequest, OAuthError> {
    let Ok(Form(form)) = form else {
        return Err(OAuthError::new(
            "invalid_request",
            "the request must be application/x-www-form-urlencoded",
        ));
    };
    Ok(TokenRequest {
        grant_type: form.grant_type,
        code: form.code,
        redirect_uri: form.redirect_uri,
        code_verifier: form.code_verifier,
        client_id: form.client_id,
        client_assertion_type: form.client_assertion_type,
        client_assertion: form.client_assertion,
        scope: form.scope,
        refresh_token: form.refresh_token,
        token: form.token,
        token_type_hint: form.token_type_hint,
        basic: basic_credentials(headers),
    })
}

pub(super) async fn token(
    State(app): State<AppState>,
    headers: HeaderMap,
    form: FormResult,
) -> Response {
    let request = match read_request(&headers, form) {
        Ok(request) => request,
        Err(error) => return oauth_error(error),
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
