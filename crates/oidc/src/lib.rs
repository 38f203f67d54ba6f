//! # sa-oidc: the OpenID Connect protocol and crypto core of Secure Access
//!
//! Pure functions and values: no I/O, no database, no clock (times arrive as unix
//! seconds), no HTTP. The web layer calls these; the store keeps what they return.
//!
//! ```text
//!   discovery ──► /.well-known/openid-configuration     keys ──► /oidc/jwks, ID tokens
//!   /authorize ── pkce::is_valid_challenge, assurance::requested
//!   /token ────── jwt::verify_jwt + check_client_assertion (private_key_jwt),
//!                 pkce::verify_pkce_s256, subject::pairwise_sub, SigningKey::sign_jwt
//! ```
//!
//! Modules by responsibility:
//! - [`keys`]: our signing keys (ES256 default, RS256), PKCS#8 for sealing, JWKS.
//! - [`jwt`]: verifying compact JWS from clients against their registered JWKS.
//! - [`assertion`]: RFC 7523 client-assertion claim checks (`private_key_jwt`).
//! - [`pkce`]: RFC 7636 S256.
//! - [`subject`]: pairwise `sub` per sector.
//! - [`discovery`]: the provider metadata document and endpoint URLs.
//! - [`assurance`]: the IAL/AAL `acr` values.
//! - [`error`]: the one error type, [`OidcError`], safe to show.
//!
//! Crypto runs on `graviola` (constant-time; no `rsa` crate, whose RUSTSEC-2023-0071
//! timing advisory is open, and no OpenSSL). Call [`backend_supported`] at start-up.
#![forbid(unsafe_code)]

mod alg;
pub mod assertion;
pub mod assurance;
pub mod discovery;
mod encoding;
pub mod error;
mod jwk;
pub mod jwt;
pub mod keys;
pub mod pkce;
pub mod subject;

pub use alg::SigningAlg;
pub use assertion::{AudienceRule, check_client_assertion};
pub use assurance::{AAL2, AAL2_PHISHING_RESISTANT, IAL1, IAL2};
pub use discovery::{Endpoints, ProviderMetadata, discovery_document};
pub use error::OidcError;
pub use jwk::jwk_thumbprint;
pub use jwt::{VerifiedJwt, unverified_client_id, verify_jwt};
pub use keys::{SigningKey, backend_supported, jwks};
pub use pkce::{is_valid_challenge, is_valid_verifier, verify_pkce_s256};
pub use subject::pairwise_sub;

#[cfg(test)]
mod tests;
