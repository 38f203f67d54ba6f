//! `private_key_jwt` client authentication (OIDC Core §9, RFC 7523 §3): the checks on
//! the claims of a client assertion whose signature [`crate::verify_jwt`] already
//! verified against the client's registered JWKS.
//!
//! ```text
//!   iss == sub == client_id ─► aud names us ─► now < exp ≤ now + 1 h
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

/// RFC 7523 client assertion checks on verified claims. `now` unix seconds. Returns
/// the jti (caller stores it to refuse replay).
///
/// `audiences` are the values this server answers to: its token endpoint URL and its
/// issuer identifier. `aud` may be a string or an array; one entry must match exactly.
pub fn check_client_assertion(
    claims: &Value,
    client_id: &str,
    audiences: &[&str],
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
    if !audience_matches(claims.get("aud"), audiences) {
        return Err(OidcError::InvalidClaims(
            "aud must be this server's token endpoint or issuer",
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

fn audience_matches(aud: Option<&Value>, audiences: &[&str]) -> bool {
    let accepted = |value: &Value| {
        value
            .as_str()
            .is_some_and(|value| audiences.contains(&value))
    };
    match aud {
        Some(Value::Array(values)) => values.iter().any(accepted),
        Some(value) => accepted(value),
        None => false,
    }
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
