//! Public JSON Web Keys (RFC 7517, RFC 7518 §6): the only shape in which keys leave
//! or enter this crate.
//!
//! ```text
//!   our SigningKey ──public part──► public_jwk() ──► jwks() ──► /oidc/jwks
//!   client's registered JWKS ──fits(alg)? ──► verify_with() ──► signature checked
//! ```
//!
//! Members are read and written from a whitelist (`kty`, `crv`, `x`, `y`, `n`, `e`,
//! `use`, `alg`, `kid`), so private (`d`, `p`, `q`, `dp`, `dq`, `qi`) and symmetric
//! (`kty: oct`, `k`) material can neither be published nor used to verify.

use std::collections::BTreeMap;

use graviola::hashing::Sha256 as GSha256;
use graviola::signing::{ecdsa, rsa};
use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};

use crate::OidcError;
use crate::alg::SigningAlg;
use crate::encoding::{b64url, b64url_decode, rsa_public_key_der, strip_leading_zeros};

/// P-256 coordinates are 32 bytes each.
const P256_COORD_LEN: usize = 32;
/// RSA moduli the backend accepts: 2048 to 8192 bits.
const RSA_MIN_MODULUS_LEN: usize = 256;
const RSA_MAX_MODULUS_LEN: usize = 1024;

/// The public members of a P-256 key, without `kid`, `alg` or `use`.
pub(crate) fn ec_public_members(x: &[u8], y: &[u8]) -> Value {
    json!({ "kty": "EC", "crv": "P-256", "x": b64url(x), "y": b64url(y) })
}

/// The public members of an RSA key, without `kid`, `alg` or `use`.
pub(crate) fn rsa_public_members(n: &[u8], e: &[u8]) -> Value {
    json!({ "kty": "RSA", "n": b64url(n), "e": b64url(e) })
}

/// RFC 7638 JWK thumbprint: base64url of SHA-256 over the required members in
/// lexicographic order with no whitespace. Works for EC and RSA public keys (extra
/// members such as `kid` or private parts do not change it).
pub fn jwk_thumbprint(jwk: &Value) -> Result<String, OidcError> {
    Ok(b64url(&thumbprint_sha256(jwk)?))
}

pub(crate) fn thumbprint_sha256(jwk: &Value) -> Result<[u8; 32], OidcError> {
    let required: &[&str] = match member(jwk, "kty") {
        Some("EC") => &["crv", "kty", "x", "y"],
        Some("RSA") => &["e", "kty", "n"],
        _ => {
            return Err(OidcError::InvalidKey(
                "only EC and RSA keys have a thumbprint here",
            ));
        }
    };
    // A BTreeMap keeps the members sorted whatever serde_json features are enabled.
    let mut canonical = BTreeMap::new();
    for name in required {
        let value =
            member(jwk, name).ok_or(OidcError::InvalidKey("a required member is missing"))?;
        canonical.insert(*name, value);
    }
    let text = serde_json::to_string(&canonical).map_err(|_| OidcError::Crypto)?;
    Ok(Sha256::digest(text.as_bytes()).into())
}

/// The key reduced to its whitelisted public members, or `None` when it is not an
/// EC P-256 or RSA key with its public members present (symmetric keys included).
pub(crate) fn public_only(jwk: &Value) -> Option<Value> {
    let members: &[&str] = match (member(jwk, "kty")?, member(jwk, "crv")) {
        ("EC", Some("P-256")) => &["kty", "crv", "x", "y"],
        ("RSA", _) => &["kty", "n", "e"],
        _ => return None,
    };
    let mut out = Map::new();
    for name in members {
        out.insert(
            (*name).to_owned(),
            Value::String(member(jwk, name)?.to_owned()),
        );
    }
    for name in ["use", "alg", "kid"] {
        if let Some(value) = member(jwk, name) {
            out.insert(name.to_owned(), Value::String(value.to_owned()));
        }
    }
    Some(Value::Object(out))
}

/// Whether `jwk` may verify an `alg` signature: the right key type (and curve), and
/// no `alg`, `use` or `key_ops` member that says otherwise.
pub(crate) fn fits(jwk: &Value, alg: SigningAlg) -> bool {
    let kind_fits = match alg {
        SigningAlg::Es256 => {
            member(jwk, "kty") == Some("EC") && member(jwk, "crv") == Some("P-256")
        }
        SigningAlg::Rs256 => member(jwk, "kty") == Some("RSA"),
    };
    let alg_fits = jwk
        .get("alg")
        .is_none_or(|a| a.as_str() == Some(alg.as_str()));
    let use_fits = jwk.get("use").is_none_or(|u| u.as_str() == Some("sig"));
    let ops_fit = jwk.get("key_ops").is_none_or(|ops| {
        ops.as_array()
            .is_some_and(|ops| ops.iter().any(|op| op.as_str() == Some("verify")))
    });
    kind_fits && alg_fits && use_fits && ops_fit
}

/// `Ok` only when `signature` over `message` verifies under the public key in `jwk`
/// with `alg`; the caller checks [`fits`] first. ES256 signatures are the JOSE form,
/// `r || s` (64 bytes), never ASN.1 DER.
pub(crate) fn verify_with(
    jwk: &Value,
    alg: SigningAlg,
    message: &[u8],
    signature: &[u8],
) -> Result<(), OidcError> {
    let outcome = match alg {
        SigningAlg::Es256 => {
            let x = coordinate(jwk, "x")?;
            let y = coordinate(jwk, "y")?;
            let mut point = Vec::with_capacity(1 + 2 * P256_COORD_LEN);
            point.push(0x04);
            point.extend_from_slice(&x);
            point.extend_from_slice(&y);
            let key = ecdsa::VerifyingKey::<ecdsa::P256>::from_x962_uncompressed(&point)
                .map_err(|_| OidcError::InvalidKey("EC point is not on P-256"))?;
            key.verify::<GSha256>(&[message], signature)
        }
        SigningAlg::Rs256 => {
            let n = decode_member(jwk, "n")?;
            let e = decode_member(jwk, "e")?;
            let modulus_len = strip_leading_zeros(&n).len();
            if !(RSA_MIN_MODULUS_LEN..=RSA_MAX_MODULUS_LEN).contains(&modulus_len) {
                return Err(OidcError::InvalidKey(
                    "RSA modulus must be 2048 to 8192 bits",
                ));
            }
            if strip_leading_zeros(&e).len() > 4 {
                return Err(OidcError::InvalidKey("RSA exponent is too large"));
            }
            let key = rsa::VerifyingKey::from_pkcs1_der(&rsa_public_key_der(&n, &e)?)
                .map_err(|_| OidcError::InvalidKey("RSA public key is not valid"))?;
            key.verify_pkcs1_sha256(signature, message)
        }
    };
    outcome.map_err(|_| OidcError::BadSignature)
}

fn coordinate(jwk: &Value, name: &'static str) -> Result<Vec<u8>, OidcError> {
    let bytes = decode_member(jwk, name)?;
    if bytes.len() != P256_COORD_LEN {
        return Err(OidcError::InvalidKey("P-256 coordinates must be 32 bytes"));
    }
    Ok(bytes)
}

fn decode_member(jwk: &Value, name: &'static str) -> Result<Vec<u8>, OidcError> {
    let text = member(jwk, name).ok_or(OidcError::InvalidKey("a required member is missing"))?;
    b64url_decode(text, "key member is not base64url")
        .map_err(|_| OidcError::InvalidKey("a key member is not base64url"))
}

fn member<'a>(jwk: &'a Value, name: &str) -> Option<&'a str> {
    jwk.get(name).and_then(Value::as_str)
}
