//! One error type for the protocol core. The service maps each variant to an OAuth
//! error code once (`invalid_client`, `invalid_grant`, `server_error`, ...). Messages
//! say what was wrong with the input and never contain key material, signatures or
//! the values the caller passed in, so they are safe to log and to show.

use thiserror::Error;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum OidcError {
    /// Not a compact JWS: wrong number of parts, bad base64url, not a JSON object, too long.
    #[error("The token is malformed: {0}.")]
    Malformed(&'static str),
    /// `alg` is `none`, an HMAC algorithm, or anything other than ES256 and RS256.
    #[error("The token's signing algorithm is not accepted; use ES256 or RS256.")]
    UnsupportedAlgorithm,
    /// No key in the key set has the token's `kid` and a type that fits its `alg`.
    #[error("No key in the registered key set matches the token.")]
    KeyNotFound,
    /// A key was found but the signature does not verify under it.
    #[error("The token's signature is not valid.")]
    BadSignature,
    /// A key or key set could not be read (missing members, wrong sizes, not on the curve).
    #[error("The key is not usable: {0}.")]
    InvalidKey(&'static str),
    /// A signature verified but a claim is missing or wrong (issuer, audience, expiry, ...).
    #[error("The token's claims are not acceptable: {0}.")]
    InvalidClaims(&'static str),
    /// The processor lacks instructions that the constant-time crypto backend requires.
    #[error(
        "This processor is not supported by the signing library (x86-64 needs AES-NI, PCLMULQDQ, AVX2, BMI1 and ADX; aarch64 needs NEON, AES, PMULL and SHA2)."
    )]
    UnsupportedCpu,
    /// Key generation, encoding or signing failed inside the crypto backend.
    #[error("A cryptographic operation failed.")]
    Crypto,
}
