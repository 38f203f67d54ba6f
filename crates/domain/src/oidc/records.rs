//! The provider's records: registered apps (clients), signing keys, pending
//! authorization requests, one-time codes, access and refresh tokens, and consents. Codes and tokens
//! are kept as SHA-256 hashes; private keys sealed.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

/// How a client authenticates at the token endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClientAuth {
    PrivateKeyJwt,
    ClientSecretBasic,
    /// A public client (no secret): PKCE S256 is required.
    None,
}

impl ClientAuth {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::PrivateKeyJwt => "private_key_jwt",
            Self::ClientSecretBasic => "client_secret_basic",
            Self::None => "none",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "private_key_jwt" => Some(Self::PrivateKeyJwt),
            "client_secret_basic" => Some(Self::ClientSecretBasic),
            "none" => Some(Self::None),
            _ => None,
        }
    }
}

/// A registered app.
#[derive(Debug, Clone)]
pub struct Client {
    pub client_id: String,
    pub name: String,
    /// Exact-match redirect URIs.
    pub redirect_uris: Vec<String>,
    pub post_logout_redirect_uris: Vec<String>,
    pub auth_method: ClientAuth,
    /// SHA-256 (hex) of the secret, for `client_secret_basic`.
    pub secret_hash: Option<String>,
    /// The app's public keys (JWKS JSON), for `private_key_jwt`.
    pub jwks: Option<serde_json::Value>,
    /// Scopes the app may ask for.
    pub scopes: Vec<String>,
    /// 1: authentication only; 2: a verified identity is required.
    pub required_ial: u8,
    /// `ES256` (default) or `RS256`.
    pub id_token_alg: String,
    /// Registered to receive the `social_security_number` claim.
    pub can_receive_ssn: bool,
    /// For `client_credentials`: the verified account the app acts for.
    pub machine_account_id: Option<String>,
    /// Where Security Event Tokens are pushed (RFC 8935).
    pub events_uri: Option<String>,
    /// Where logout tokens are posted (Back-Channel Logout 1.0).
    pub backchannel_logout_uri: Option<String>,
    /// A SAML service provider (its `client_id` is its entity id, its redirect URIs its
    /// HTTP-POST consumers): what its metadata said.
    pub saml: Option<SamlServiceProvider>,
    pub created_at: OffsetDateTime,
}

/// What registration kept of a SAML service provider's metadata.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SamlServiceProvider {
    /// HTTP-POST AssertionConsumerServices.
    pub consumers: Vec<sa_saml::metadata::AssertionConsumer>,
    /// Base64 DER certificates of the keys its requests are signed with.
    pub signing_certificates: Vec<String>,
    /// Its requests must be signed (and are refused unsigned or wrongly signed).
    pub authn_requests_signed: bool,
    /// It asked for signed assertions (ours always are).
    pub want_assertions_signed: bool,
}

/// A stored signing key.
#[derive(Debug, Clone)]
pub struct StoredKey {
    pub kid: String,
    pub alg: String,
    /// Sealed PKCS#8.
    pub private_sealed: String,
    pub public_jwk: serde_json::Value,
    pub created_at: OffsetDateTime,
    pub retired_at: Option<OffsetDateTime>,
    /// A retired key stays in the JWKS until then.
    pub publish_until: Option<OffsetDateTime>,
    /// A next key is published at once and signs from then (`None`: at once).
    pub activates_at: Option<OffsetDateTime>,
}

/// A validated authorization request, kept while the person signs in, proofs or
/// consents.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct AuthorizationRequest {
    pub client_id: String,
    pub redirect_uri: String,
    pub scope: Vec<String>,
    pub state: Option<String>,
    pub nonce: Option<String>,
    pub code_challenge: Option<String>,
    /// `login`, `consent`, `none`.
    pub prompt: Vec<String>,
    pub max_age: Option<i64>,
    pub login_hint: Option<String>,
    /// Identity level asked for (1 or 2), from `acr_values` or the client's registration.
    pub ial: u8,
    /// The supported `acr_values` the app asked for, in its order of preference.
    #[serde(default)]
    pub acr_values: Vec<String>,
    /// For a SAML AuthnRequest: what the answer must echo (the answer is a Response
    /// posted to `redirect_uri`, the consumer, instead of a code).
    #[serde(default)]
    pub saml: Option<SamlContext>,
}

/// What a SAML answer echoes of its AuthnRequest.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct SamlContext {
    /// The AuthnRequest's ID, for `InResponseTo`.
    pub request_id: String,
    /// Returned unchanged with the Response.
    pub relay_state: Option<String>,
    /// The NameID the SP asked about, if it named one: the answer is about that person
    /// or a refusal.
    #[serde(default)]
    pub subject: Option<String>,
}

impl AuthorizationRequest {
    /// The app asked for phishing-resistant authentication (a passkey).
    pub fn wants_phishing_resistance(&self) -> bool {
        self.acr_values
            .iter()
            .any(|v| v == sa_oidc::AAL2_PHISHING_RESISTANT)
    }
}

/// A one-time authorization code (its hash is the key).
#[derive(Debug, Clone)]
pub struct AuthorizationCode {
    pub code_hash: String,
    pub client_id: String,
    pub account_id: String,
    pub redirect_uri: String,
    pub scope: Vec<String>,
    pub nonce: Option<String>,
    pub code_challenge: Option<String>,
    pub auth_time: OffsetDateTime,
    pub acr: String,
    pub amr: Vec<String>,
    pub created_at: OffsetDateTime,
    pub expires_at: OffsetDateTime,
    pub used_at: Option<OffsetDateTime>,
}

/// An access token (its hash is the key).
#[derive(Debug, Clone)]
pub struct AccessToken {
    pub token_hash: String,
    pub client_id: String,
    pub account_id: String,
    pub scope: Vec<String>,
    pub acr: String,
    /// The code it was issued for (reuse of that code revokes it).
    pub code_hash: Option<String>,
    pub created_at: OffsetDateTime,
    pub expires_at: OffsetDateTime,
    pub revoked_at: Option<OffsetDateTime>,
}

/// A refresh token (its hash is the key). Each use replaces it with a new one of the
/// same grant; presenting a used one again revokes the whole grant (RFC 9700 §4.14.2).
#[derive(Debug, Clone)]
pub struct RefreshToken {
    pub token_hash: String,
    /// The grant: the hash of the code whose exchange issued the first token. Every
    /// access and refresh token of the grant carries it, so one statement revokes all.
    pub code_hash: String,
    pub client_id: String,
    pub account_id: String,
    /// What the grant allows (a refresh may ask for less, never more).
    pub scope: Vec<String>,
    pub acr: String,
    pub amr: Vec<String>,
    /// When the person signed in, for the `auth_time` of refreshed ID tokens.
    pub auth_time: OffsetDateTime,
    pub created_at: OffsetDateTime,
    /// Unused for the idle lifetime, or the grant's end, whichever is first.
    pub expires_at: OffsetDateTime,
    /// The grant ends then, however often it is refreshed.
    pub grant_expires_at: OffsetDateTime,
    pub used_at: Option<OffsetDateTime>,
    pub revoked_at: Option<OffsetDateTime>,
}

/// What an account agreed to share with an app.
#[derive(Debug, Clone)]
pub struct Consent {
    pub account_id: String,
    pub client_id: String,
    pub scope: Vec<String>,
    pub granted_at: OffsetDateTime,
    pub revoked_at: Option<OffsetDateTime>,
}
