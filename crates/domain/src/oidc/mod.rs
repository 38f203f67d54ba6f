//! The OpenID Connect provider: one account opens several apps. Authorization code
//! flow only (PKCE S256 required for public clients), `private_key_jwt` and
//! `client_secret_basic` at the token endpoint, refresh tokens rotated at every use,
//! userinfo, token revocation (RFC 7009) and introspection (RFC 7662), RP-initiated
//! logout, and `client_credentials` for apps registered to a verified account. The protocol and
//! crypto primitives (JWS, JWKS, PKCE, client assertions, discovery) live in `sa-oidc`;
//! this module owns the decisions: who may get a code, what a token says, which claims
//! an app sees.
//!
//! ```text
//!  app ─► /oidc/authorize ─► (sign in) ─► (verify identity: step-up) ─► (consent) ─► code ─► app
//!  app ─► /oidc/token (code + PKCE verifier + client auth) ─► ID token (ES256/RS256) + access token
//!  app ─► /oidc/token (refresh token + client auth) ─► new access + refresh token
//!  app ─► /oidc/userinfo (access token) ─► claims by scope
//!  app ─► /oidc/revoke, /oidc/introspect (token + client auth)
//! ```
//!
//! - `records.rs` / `store.rs`: what is kept and the storage trait (`sa-store` implements it).
//! - `keys.rs`: signing keys (generated on first start, sealed, rotated), cached in
//!   `key_cache.rs`.
//! - `authorize.rs`: the authorization endpoint's decisions.
//! - `token.rs`: the token endpoint (client authentication, codes, PKCE, tokens).
//! - `refresh.rs`: the `refresh_token` grant (rotation, reuse detection).
//! - `lifecycle.rs`: revocation and introspection.
//! - `push.rs`: security events and back-channel logout tokens to apps.
//! - `claims.rs`: the ID token and userinfo claims, pairwise subjects, assurance (`acr`).
//! - `clients.rs`: registering apps (OpenID Connect, and SAML service providers from
//!   their metadata).
//! - `saml.rs`: SAML 2.0 single sign-on over the same journeys (protocol in `sa-saml`);
//!   `saml_answer.rs`: what goes back (metadata, signed responses).

pub mod authorize;
pub mod claims;
pub mod clients;
mod key_cache;
pub mod keys;
pub mod lifecycle;
mod push;
pub mod records;
mod refresh;
pub mod saml;
mod saml_answer;
pub mod store;
pub mod token;

use std::sync::Arc;

use crate::Services;
use store::OidcStore;

/// Lifetimes and the issuer.
#[derive(Debug, Clone)]
pub struct ProviderConfig {
    /// The issuer URL (the service's public URL, no trailing slash).
    pub issuer: String,
    pub code_ttl_secs: i64,
    pub access_token_ttl_secs: i64,
    pub id_token_ttl_secs: i64,
    /// How long an authorization request waits for sign-in, proofing and consent.
    pub request_ttl_secs: i64,
    /// A refresh token unused this long expires (each use issues a new one).
    pub refresh_token_idle_secs: i64,
    /// However often it is refreshed, a grant ends this long after the sign-in.
    pub refresh_token_max_secs: i64,
    /// Also accept the token endpoint URL as a client assertion's `aud` (compatibility
    /// with clients written to OIDC Core 1.0 §9; see [`sa_oidc::AudienceRule`]).
    pub assertion_audience_token_endpoint: bool,
}

impl ProviderConfig {
    pub fn new(issuer: &str) -> Self {
        Self {
            issuer: issuer.trim_end_matches('/').to_owned(),
            code_ttl_secs: 300,
            access_token_ttl_secs: 3600,
            id_token_ttl_secs: 900,
            request_ttl_secs: 3600,
            refresh_token_idle_secs: 30 * 24 * 3600,
            refresh_token_max_secs: 90 * 24 * 3600,
            assertion_audience_token_endpoint: false,
        }
    }

    pub fn token_endpoint(&self) -> String {
        format!("{}/oidc/token", self.issuer)
    }
}

/// The provider: the journeys' services, its own storage, and the signing keys.
pub struct Provider {
    pub services: Arc<Services>,
    pub store: Arc<dyn OidcStore>,
    pub config: ProviderConfig,
    keys: key_cache::KeyCache,
    certificates: key_cache::CertificateCache,
}

impl std::fmt::Debug for Provider {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Provider")
            .field("issuer", &self.config.issuer)
            .finish_non_exhaustive()
    }
}

/// An OAuth 2.0 / OpenID Connect error with its standard code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OAuthError {
    /// `invalid_request`, `invalid_client`, `invalid_grant`, `unauthorized_client`,
    /// `unsupported_grant_type`, `invalid_scope`, `invalid_token`, `access_denied`,
    /// `login_required`, `consent_required`, `interaction_required`, `server_error`.
    pub error: &'static str,
    pub description: String,
}

impl OAuthError {
    pub fn new(error: &'static str, description: impl Into<String>) -> Self {
        Self {
            error,
            description: description.into(),
        }
    }

    /// HTTP status for the token and userinfo endpoints.
    pub fn status(&self) -> u16 {
        match self.error {
            "invalid_client" | "invalid_token" => 401,
            "server_error" => 500,
            "temporarily_unavailable" => 503,
            "insufficient_scope" => 403,
            _ => 400,
        }
    }
}

impl From<crate::store::StoreError> for OAuthError {
    fn from(error: crate::store::StoreError) -> Self {
        tracing::error!(%error, "oidc storage failure");
        Self::new(
            "temporarily_unavailable",
            "The service is busy; try again shortly.",
        )
    }
}

impl From<crate::DomainError> for OAuthError {
    fn from(error: crate::DomainError) -> Self {
        match error {
            crate::DomainError::Unavailable { detail } => {
                tracing::error!(%detail, "oidc dependency failure");
                Self::new(
                    "temporarily_unavailable",
                    "The service is busy; try again shortly.",
                )
            }
            other => Self::new("server_error", other.to_string()),
        }
    }
}

pub type OAuthResult<T> = Result<T, OAuthError>;

impl Provider {
    /// Build the provider and make sure signing keys exist (generated on first start).
    pub async fn new(
        services: Arc<Services>,
        store: Arc<dyn OidcStore>,
        config: ProviderConfig,
    ) -> OAuthResult<Self> {
        let provider = Self {
            services,
            store,
            config,
            keys: key_cache::KeyCache::default(),
            certificates: key_cache::CertificateCache::default(),
        };
        provider.ensure_signing_keys().await?;
        Ok(provider)
    }

    fn now(&self) -> time::OffsetDateTime {
        self.services.core().now()
    }

    /// The scheduled clean-up: expired requests, codes, tokens and assertion ids go (a
    /// used code is kept until it expires, so its reuse can still be detected).
    pub async fn purge_expired(&self) -> OAuthResult<u64> {
        Ok(self.store.purge_expired(self.now()).await?)
    }
}

/// SHA-256 hex of a code, token or client secret: what is stored (the same hash as
/// session tokens).
pub(crate) use crate::keys::hash_token as hash_secret;

/// A new random code or token (256 bits, base64url).
pub(crate) fn new_secret() -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(*crate::keys::random_bytes::<32>())
}
