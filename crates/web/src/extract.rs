//! Extractors: JSON bodies that fail with a clear 4xx naming the problem, the client's
//! request context (IP from the socket or a trusted proxy, user agent, device cookie),
//! and the API's authenticated session (bearer token, or the browser's cookie).

use axum::body::Bytes;
use axum::extract::{ConnectInfo, FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode, header};
use ipnet::IpNet;
use sa_domain::RequestContext;
use sa_domain::journeys::AuthSession;
use serde::de::DeserializeOwned;
use std::net::{IpAddr, SocketAddr};

use crate::cookies;
use crate::error::ApiError;
use crate::state::AppState;

/// A JSON body. Wrong content type → 415; too large → 413; malformed JSON, invalid
/// UTF-8, a missing field or a wrong type → 400 `invalid_request` naming the field.
pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        require_json_content_type(req.headers())?;
        let bytes = read_body(req, state).await?;
        parse_json(&bytes).map(ApiJson)
    }
}

/// A JSON body that may be absent (an empty body means all defaults).
pub struct OptionalJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Default> FromRequest<S> for OptionalJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let has_content_type = req.headers().contains_key(header::CONTENT_TYPE);
        if has_content_type {
            require_json_content_type(req.headers())?;
        }
        let bytes = read_body(req, state).await?;
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Ok(OptionalJson(T::default()));
        }
        parse_json(&bytes).map(OptionalJson)
    }
}

fn require_json_content_type(headers: &HeaderMap) -> Result<(), ApiError> {
    let is_json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.split(';').next())
        .is_some_and(|mime| mime.trim().eq_ignore_ascii_case("application/json"));
    if is_json {
        Ok(())
    } else {
        Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "Send the request body as JSON with the header Content-Type: application/json.",
        ))
    }
}

async fn read_body<S: Send + Sync>(req: Request, state: &S) -> Result<Bytes, ApiError> {
    Bytes::from_request(req, state).await.map_err(|rejection| {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "payload_too_large",
                "The request body is too large.",
            )
        } else {
            ApiError::new(
                StatusCode::BAD_REQUEST,
                "invalid_request",
                "The request body could not be read.",
            )
        }
    })
}

fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize(&mut deserializer).map_err(|error| {
        let path = error.path().to_string();
        let inner = error.into_inner();
        let message = match inner.classify() {
            serde_json::error::Category::Syntax | serde_json::error::Category::Io => {
                format!(
                    "The request body is not valid JSON (line {}, column {}).",
                    inner.line(),
                    inner.column()
                )
            }
            serde_json::error::Category::Eof => {
                "The request body ended before the JSON was complete.".to_owned()
            }
            serde_json::error::Category::Data => describe_data_error(&inner.to_string()),
        };
        let field = missing_field(&inner.to_string())
            .or_else(|| (path != "." && !path.is_empty()).then_some(path));
        ApiError {
            field,
            ..ApiError::new(StatusCode::BAD_REQUEST, "invalid_request", message)
        }
    })?;
    deserializer.end().map_err(|_| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "The request body has extra data after the JSON.",
        )
    })?;
    Ok(value)
}

/// `missing field `x`` → `x`.
fn missing_field(serde_message: &str) -> Option<String> {
    let rest = serde_message.strip_prefix("missing field `")?;
    rest.split('`').next().map(str::to_owned)
}

/// A data error, without echoing the submitted value back.
fn describe_data_error(serde_message: &str) -> String {
    if let Some(field) = missing_field(serde_message) {
        return format!("The field `{field}` is required.");
    }
    // The last ", expected " is serde's own (a typed value may contain those words).
    if let Some((_, expected)) = serde_message.rsplit_once(", expected ") {
        let expected = expected.split(" at line").next().unwrap_or(expected);
        return format!("A field has the wrong type: expected {expected}.");
    }
    if serde_message.starts_with("unknown variant") {
        return "A field has a value that is not allowed.".to_owned();
    }
    "The request body does not have the expected fields.".to_owned()
}

/// The request context: client IP, user agent, device cookie.
pub struct Client(pub RequestContext);

impl FromRequestParts<AppState> for Client {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        app: &AppState,
    ) -> Result<Self, Self::Rejection> {
        Ok(Client(request_context(parts, app)))
    }
}

/// Build the [`RequestContext`] from request parts.
pub fn request_context(parts: &Parts, app: &AppState) -> RequestContext {
    let peer = parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(addr)| addr.ip())
        .unwrap_or(IpAddr::from([0, 0, 0, 0]));
    let ip = client_ip(peer, &parts.headers, &app.config.trusted_proxies);
    let user_agent = parts
        .headers
        .get(header::USER_AGENT)
        .and_then(|value| value.to_str().ok())
        .unwrap_or("unknown")
        .to_owned();
    let device = cookies::read(
        &parts.headers,
        &cookies::name(cookies::DEVICE, app.config.secure_cookies),
    );
    RequestContext {
        ip,
        user_agent,
        device,
        language: crate::locale::current(),
    }
}

/// The client's IP: the socket peer, unless the peer is a trusted proxy, in which case
/// the right-most `X-Forwarded-For` address that is not itself a trusted proxy.
pub fn client_ip(peer: IpAddr, headers: &HeaderMap, trusted: &[IpNet]) -> IpAddr {
    let is_trusted = |ip: &IpAddr| trusted.iter().any(|net| net.contains(ip));
    if !is_trusted(&peer) {
        return peer;
    }
    let forwarded: Vec<IpAddr> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .map_while(|part| part.trim().parse::<IpAddr>().ok())
        .collect();
    forwarded
        .into_iter()
        .rev()
        .find(|ip| !is_trusted(ip))
        .unwrap_or(peer)
}

/// The bearer token or session cookie of a request.
pub fn session_token(headers: &HeaderMap, secure_cookies: bool) -> Option<String> {
    let bearer = headers
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "))
        .map(|token| token.trim().to_owned())
        .filter(|token| !token.is_empty());
    bearer.or_else(|| cookies::read(headers, &cookies::name(cookies::SESSION, secure_cookies)))
}

/// An authenticated API session; 401 `unauthenticated` otherwise.
pub struct ApiAuth(pub AuthSession);

impl FromRequestParts<AppState> for ApiAuth {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        app: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let from_cookie = !parts.headers.contains_key(header::AUTHORIZATION)
            && cookies::read(
                &parts.headers,
                &cookies::name(cookies::SESSION, app.config.secure_cookies),
            )
            .is_some();
        let unsafe_method = !matches!(
            parts.method,
            axum::http::Method::GET | axum::http::Method::HEAD | axum::http::Method::OPTIONS
        );
        let json = parts
            .headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| {
                v.trim()
                    .to_ascii_lowercase()
                    .starts_with("application/json")
            });
        // A cross-site form can carry the session cookie but never a JSON content type:
        // cookie-authenticated API calls that change something must be JSON, even when
        // they have no body.
        if from_cookie && unsafe_method && !json {
            return Err(ApiError::new(
                axum::http::StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                "With a session cookie, send requests that change something as application/json (or use the bearer token).",
            ));
        }
        let token = session_token(&parts.headers, app.config.secure_cookies)
            .ok_or(ApiError::from(sa_domain::DomainError::Unauthenticated))?;
        Ok(ApiAuth(app.services.sessions().authenticate(&token).await?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forwarded_for_is_believed_only_from_trusted_proxies() {
        let trusted: Vec<IpNet> = vec!["10.0.0.0/8".parse().unwrap()];
        let mut headers = HeaderMap::new();
        headers.insert(
            "x-forwarded-for",
            "203.0.113.9, 198.51.100.4, 10.1.1.1".parse().unwrap(),
        );
        let proxy: IpAddr = "10.0.0.2".parse().unwrap();
        let stranger: IpAddr = "192.0.2.1".parse().unwrap();
        assert_eq!(
            client_ip(proxy, &headers, &trusted),
            "198.51.100.4".parse::<IpAddr>().unwrap()
        );
        assert_eq!(client_ip(stranger, &headers, &trusted), stranger);
        assert_eq!(client_ip(proxy, &headers, &[]), proxy);
    }

    #[test]
    fn json_errors_name_the_field_without_echoing_values() {
        #[derive(serde::Deserialize, Debug)]
        #[allow(dead_code)]
        struct Body {
            password: String,
        }
        let missing = parse_json::<Body>(b"{}").unwrap_err();
        assert_eq!(missing.field.as_deref(), Some("password"));
        let wrong = parse_json::<Body>(br#"{"password": 12345678}"#).unwrap_err();
        assert_eq!(wrong.field.as_deref(), Some("password"));
        assert!(!wrong.message.contains("12345678"), "{}", wrong.message);
        let broken = parse_json::<Body>(b"{\"password\": \"\xff\"}").unwrap_err();
        assert_eq!(broken.code, "invalid_request");
    }

    #[test]
    fn a_typed_value_containing_expected_is_not_echoed() {
        #[derive(serde::Deserialize, Debug)]
        #[allow(dead_code)]
        struct Body {
            amount: i64,
        }
        let wrong = parse_json::<Body>(br#"{"amount": "x, expected secretvalue"}"#).unwrap_err();
        assert_eq!(wrong.field.as_deref(), Some("amount"));
        assert!(!wrong.message.contains("secretvalue"), "{}", wrong.message);
        assert!(wrong.message.contains("expected i64"), "{}", wrong.message);
    }
}
