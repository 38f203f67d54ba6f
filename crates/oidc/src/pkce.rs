//! PKCE (RFC 7636) with the S256 method only; `plain` is refused because it protects
//! nothing once the authorization request is seen.
//!
//! ```text
//!   /authorize: code_challenge ──is_valid_challenge?──► stored with the code
//!   /token:     code_verifier ──SHA-256, base64url──► == stored challenge (constant time)
//! ```

use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use crate::encoding::{b64url, b64url_decode};

/// The only method accepted in `code_challenge_method`.
pub const METHOD_S256: &str = "S256";
const VERIFIER_MIN_LEN: usize = 43;
const VERIFIER_MAX_LEN: usize = 128;
/// base64url of a 32-byte SHA-256 digest, without padding.
const CHALLENGE_LEN: usize = 43;

/// RFC 7636 §4.1: 43 to 128 characters of `[A-Z] / [a-z] / [0-9] / "-" / "." / "_" / "~"`.
pub fn is_valid_verifier(verifier: &str) -> bool {
    (VERIFIER_MIN_LEN..=VERIFIER_MAX_LEN).contains(&verifier.len())
        && verifier
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~'))
}

/// An S256 challenge: exactly 43 base64url characters that decode to 32 bytes.
pub fn is_valid_challenge(challenge: &str) -> bool {
    challenge.len() == CHALLENGE_LEN
        && b64url_decode(challenge, "challenge").is_ok_and(|digest| digest.len() == 32)
}

/// `BASE64URL(SHA256(verifier)) == challenge`, compared in constant time. False when
/// either value is malformed.
pub fn verify_pkce_s256(verifier: &str, challenge: &str) -> bool {
    if !is_valid_verifier(verifier) || !is_valid_challenge(challenge) {
        return false;
    }
    let computed = b64url(&Sha256::digest(verifier.as_bytes()));
    computed.as_bytes().ct_eq(challenge.as_bytes()).into()
}
