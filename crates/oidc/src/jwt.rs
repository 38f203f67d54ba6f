//! Verifying compact JWS tokens (RFC 7515) that others signed: client assertions for
//! `private_key_jwt`, and anything else signed with a key from a registered JWKS.
//!
//! ```text
//!   "h.p.s" ──split/decode──► header {alg, kid?} ──alg ∈ {ES256, RS256}? ──┐
//!                                                                          ▼
//!   JWKS {"keys":[..]} ──kid matches (if given), kty/crv/alg/use fit──► candidate keys
//!                                                                          ▼
//!                                 signature over "h.p" verifies with one ──► VerifiedJwt
//! ```
//!
//! The algorithm comes from the header but is only ever one of two asymmetric ones,
//! and a key is used only for the algorithm its type implies, so `alg: none`, HS256
//! "signed" with a public key, and key-type confusion all fail. Keys referenced from
//! the header (`jwk`, `jku`, `x5u`, `x5c`) are never used; a `crit` header is refused
//! because no extension is understood. Claims are returned unchecked:
//! [`check_client_assertion`] checks them for client authentication.

use serde_json::Value;

use crate::encoding::b64url_decode;
use crate::jwk::{fits, verify_with};
use crate::keys::ensure_backend;
use crate::{OidcError, SigningAlg};

pub use crate::assertion::check_client_assertion;

/// Longest token accepted, to bound the work an unauthenticated caller can cause.
pub const MAX_TOKEN_LEN: usize = 16 * 1024;
/// Most keys tried when the header has no `kid`.
const MAX_KEYS_TRIED: usize = 8;

/// A token whose signature verified. The claims still need checking.
#[derive(Debug, Clone, PartialEq)]
pub struct VerifiedJwt {
    pub header: Value,
    pub claims: Value,
}

/// Verify a compact JWS against a JWKS (RS256 / ES256 only; kid match if present, else
/// try each key of the right kty); refuses alg none, HS*, unknown alg, malformed
/// base64/JSON, bad signature.
pub fn verify_jwt(token: &str, jwks: &Value) -> Result<VerifiedJwt, OidcError> {
    let parts = Parts::split(token)?;
    let alg = parts
        .header
        .get("alg")
        .and_then(Value::as_str)
        .ok_or(OidcError::Malformed("the header has no alg"))?;
    let alg = SigningAlg::parse(alg).ok_or(OidcError::UnsupportedAlgorithm)?;
    if parts.header.get("crit").is_some() {
        return Err(OidcError::Malformed(
            "critical header extensions are not supported",
        ));
    }
    let kid = match parts.header.get("kid") {
        None => None,
        Some(Value::String(kid)) => Some(kid.as_str()),
        Some(_) => return Err(OidcError::Malformed("kid is not a string")),
    };
    let signature = b64url_decode(parts.signature, "the signature is not base64url")?;

    let keys = jwks
        .get("keys")
        .and_then(Value::as_array)
        .ok_or(OidcError::InvalidKey("the key set has no keys array"))?;
    let candidates: Vec<&Value> = keys
        .iter()
        .filter(|key| kid.is_none_or(|kid| key.get("kid").and_then(Value::as_str) == Some(kid)))
        .filter(|key| fits(key, alg))
        .take(MAX_KEYS_TRIED)
        .collect();
    if candidates.is_empty() {
        return Err(OidcError::KeyNotFound);
    }

    ensure_backend()?;
    let mut last_error = OidcError::KeyNotFound;
    for key in candidates {
        match verify_with(key, alg, parts.signing_input.as_bytes(), &signature) {
            Ok(()) => {
                return Ok(VerifiedJwt {
                    header: parts.header,
                    claims: parts.claims,
                });
            }
            Err(error) => last_error = error,
        }
    }
    Err(last_error)
}

/// The `iss` of a client assertion *before* its signature is checked, so the token
/// endpoint can find which client's JWKS to verify it with when the request has no
/// `client_id`. Nothing else may be trusted from it; `iss` must equal `sub`.
pub fn unverified_client_id(token: &str) -> Result<String, OidcError> {
    let parts = Parts::split(token)?;
    let iss = parts.claims.get("iss").and_then(Value::as_str);
    let sub = parts.claims.get("sub").and_then(Value::as_str);
    match (iss, sub) {
        (Some(iss), Some(sub)) if iss == sub && !iss.is_empty() => Ok(iss.to_owned()),
        _ => Err(OidcError::InvalidClaims(
            "iss and sub must both be the client_id",
        )),
    }
}

/// A compact JWS split and decoded, not yet verified.
struct Parts<'a> {
    signing_input: &'a str,
    header: Value,
    claims: Value,
    signature: &'a str,
}

impl<'a> Parts<'a> {
    fn split(token: &'a str) -> Result<Self, OidcError> {
        if token.len() > MAX_TOKEN_LEN {
            return Err(OidcError::Malformed("the token is too long"));
        }
        let (signing_input, signature) = token
            .rsplit_once('.')
            .ok_or(OidcError::Malformed("a JWS has three parts"))?;
        let (header, claims) = signing_input
            .split_once('.')
            .ok_or(OidcError::Malformed("a JWS has three parts"))?;
        if claims.contains('.') {
            return Err(OidcError::Malformed("a JWS has three parts"));
        }
        Ok(Self {
            signing_input,
            header: json_object(header, "the header is not a base64url JSON object")?,
            claims: json_object(claims, "the claims are not a base64url JSON object")?,
            signature,
        })
    }
}

fn json_object(part: &str, what: &'static str) -> Result<Value, OidcError> {
    let bytes = b64url_decode(part, what)?;
    match serde_json::from_slice(&bytes) {
        Ok(value @ Value::Object(_)) => Ok(value),
        _ => Err(OidcError::Malformed(what)),
    }
}
