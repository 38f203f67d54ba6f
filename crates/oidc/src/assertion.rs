//! `private_key_jwt` client authentication (OIDC Core §9, RFC 7523 §3): the checks on
//! the claims of a client assertion whose signature [`crate::verify_jwt`] already
//! verified against the client's registered JWKS.
//!
//! ```text
//!   iss == sub == client_id ─► aud is our issuer ─► now < exp ≤ now + 1 h
//!        ─► nbf / iat not in the future ─► jti present ─► Ok(jti)
//! ```
//!
//! The caller stores the returned `jti` for [`MAX_ASSERTION_LIFETIME_SECS`] (no
//! accepted assertion lives longer) and refuses a `jti` it has seen: that is what
//! makes an assertion single-use.

use serde_json::Value;

use crate::OidcError;

/// Latest `exp` accepted, counted from now. OIDC Core expects minutes; clients that
/// mint assertions ahead of time still fit.
pub const MAX_ASSERTION_LIFETIME_SECS: i64 = 60 * 60;
/// How far ahead of our clock a client's `iat` / `nbf` may be.
pub const CLOCK_SKEW_SECS: i64 = 60;
/// Longest `jti` stored, so a client cannot make the replay store hold large values.
pub const MAX_JTI_LEN: usize = 256;

/// Which `aud` values a client assertion may carry.
///
/// The default follows the OpenID Foundation's 2025 advice on audience injection
/// (draft-ietf-oauth-rfc7523bis): `aud` is this server's issuer identifier and nothing
/// else, as a string or a one-element array, so an assertion a client made for another
/// server can never be replayed here. `legacy_token_endpoint` (the deployment's
/// compatibility setting) also accepts the token endpoint URL, as OIDC Core 1.0 §9
/// suggested, in a string or anywhere in an array.
#[derive(Debug, Clone, Copy)]
pub struct AudienceRule<'a> {
    pub issuer: &'a str,
    pub legacy_token_endpoint: Option<&'a str>,
}

impl AudienceRule<'_> {
    fn accepts(&self, aud: Option<&Value>) -> bool {
        match self.legacy_token_endpoint {
            None => match aud {
                Some(Value::String(value)) => value == self.issuer,
                Some(Value::Array(values)) => {
                    values.len() == 1 && values[0].as_str() == Some(self.issuer)
                }
                _ => false,
            },
            Some(token_endpoint) => {
                let accepted = |value: &Value| {
                    value
                        .as_str()
                        .is_some_and(|value| value == self.issuer || value == token_endpoint)
                };
                match aud {
                    Some(Value::Array(values)) => values.iter().any(accepted),
                    Some(value) => accepted(value),
                    None => false,
                }
            }
        }
    }
}

/// RFC 7523 client assertion checks on verified claims. `now` unix seconds. Returns
/// the jti (caller stores it to refuse replay). `audience` says which `aud` values
/// name this server.
pub fn check_client_assertion(
    claims: &Value,
    client_id: &str,
    audience: &AudienceRule<'_>,
    now: i64,
) -> Result<String, OidcError> {
    if client_id.is_empty() {
        return Err(OidcError::InvalidClaims("the client is unknown"));
    }
    if string_claim(claims, "iss") != Some(client_id) {
        return Err(OidcError::InvalidClaims("iss must be the client_id"));
    }
    if string_claim(claims, "sub") != Some(client_id) {
        return Err(OidcError::InvalidClaims("sub must be the client_id"));
    }
    if !audience.accepts(claims.get("aud")) {
        return Err(OidcError::InvalidClaims(
            if audience.legacy_token_endpoint.is_some() {
                "aud must be this server's issuer or token endpoint"
            } else {
                "aud must be this server's issuer identifier, and only that"
            },
        ));
    }

    let exp = time_claim(claims, "exp")?.ok_or(OidcError::InvalidClaims("exp is required"))?;
    if exp <= now {
        return Err(OidcError::InvalidClaims("the assertion has expired"));
    }
    if exp > now.saturating_add(MAX_ASSERTION_LIFETIME_SECS) {
        return Err(OidcError::InvalidClaims("exp is too far in the future"));
    }
    if let Some(nbf) = time_claim(claims, "nbf")?
        && nbf > now.saturating_add(CLOCK_SKEW_SECS)
    {
        return Err(OidcError::InvalidClaims("the assertion is not valid yet"));
    }
    if let Some(iat) = time_claim(claims, "iat")?
        && iat > now.saturating_add(CLOCK_SKEW_SECS)
    {
        return Err(OidcError::InvalidClaims("iat is in the future"));
    }

    match string_claim(claims, "jti") {
        Some(jti) if !jti.is_empty() && jti.len() <= MAX_JTI_LEN => Ok(jti.to_owned()),
        Some(jti) if jti.len() > MAX_JTI_LEN => Err(OidcError::InvalidClaims("jti is too long")),
        _ => Err(OidcError::InvalidClaims("jti is required")),
    }
}

fn string_claim<'a>(claims: &'a Value, name: &str) -> Option<&'a str> {
    claims.get(name).and_then(Value::as_str)
}

/// A NumericDate claim (RFC 7519 §2): absent is `None`; present but not a finite
/// number is an error. Fractions are truncated.
fn time_claim(claims: &Value, name: &str) -> Result<Option<i64>, OidcError> {
    let Some(value) = claims.get(name) else {
        return Ok(None);
    };
    if let Some(seconds) = value.as_i64() {
        return Ok(Some(seconds));
    }
    match value.as_f64() {
        Some(seconds) if seconds.is_finite() => Ok(Some(seconds as i64)),
        _ => Err(OidcError::InvalidClaims("a time claim is not a number")),
    }
}
