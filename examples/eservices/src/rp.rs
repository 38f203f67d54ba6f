//! The relying party: everything this app says to Secure Access, done with the
//! `openidconnect` crate as any app would use it (nothing here knows the provider's
//! internals).
//!
//! ```text
//!  start ─► discovery (/.well-known/openid-configuration + JWKS; again when a token's key is unknown)
//!  /sign-in  ─► authorize URL: code flow, PKCE S256, state, nonce, acr_values = IAL2
//!  /callback ─► token request: code + PKCE verifier + client assertion (private_key_jwt)
//!            ─► ID token: signature (ES256 only), iss, aud, exp, nonce, acr = IAL2
//!  /sign-out ─► end_session_endpoint?id_token_hint&post_logout_redirect_uri
//! ```
//!
//! Errors shown to people are plain sentences ([`LoginError`]); details go to the log.

use std::time::Duration;

use openidconnect::core::{
    CoreAuthenticationFlow, CoreClient, CoreClientAuthMethod, CoreGenderClaim,
    CoreJweContentEncryptionAlgorithm, CoreJwsSigningAlgorithm,
};
use openidconnect::{
    AdditionalClaims, AuthenticationContextClass, AuthorizationCode, ClaimsVerificationError,
    ClientId, CsrfToken, EndpointMaybeSet, EndpointNotSet, EndpointSet, IdToken, IssuerUrl,
    LogoutRequest, Nonce, OAuth2TokenResponse, PkceCodeChallenge, PkceCodeVerifier,
    PostLogoutRedirectUrl, ProviderMetadataWithLogout, RedirectUrl, RequestTokenError, Scope,
    SignatureVerificationError, TokenResponse,
};
use serde::{Deserialize, Serialize};
use tokio::sync::RwLock;

use crate::keys::ClientKey;

/// `acr` for a verified identity (identity assurance level 2).
pub const IAL2: &str = "http://idmanagement.gov/ns/assurance/ial/2";
/// The scopes this app asks for (and is registered with).
pub const SCOPES: [&str; 3] = ["email", "profile", "verified_at"];
/// RFC 7523 client assertion type.
const JWT_BEARER: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

/// The ID token claims Secure Access adds beyond the standard ones.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssuranceClaims {
    /// Authenticator assurance (`…/aal/2`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aal: Option<String>,
    /// When the identity was verified (unix seconds), with the `verified_at` scope.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verified_at: Option<i64>,
}

impl AdditionalClaims for AssuranceClaims {}

/// An ID token as this app reads it.
pub type EsIdToken = IdToken<
    AssuranceClaims,
    CoreGenderClaim,
    CoreJweContentEncryptionAlgorithm,
    CoreJwsSigningAlgorithm,
>;

type EsClient = CoreClient<
    EndpointSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointMaybeSet,
    EndpointMaybeSet,
>;

/// What must survive the trip to Secure Access and back, kept by this app only.
#[derive(Debug)]
pub struct PendingLogin {
    pub state: CsrfToken,
    pub nonce: Nonce,
    pub pkce_verifier: PkceCodeVerifier,
}

/// A verified sign-in.
#[derive(Debug, Clone)]
pub struct SignedIn {
    /// The pairwise subject: this person's identifier at this app.
    pub sub: String,
    pub email: Option<String>,
    pub name: Option<String>,
    pub acr: String,
    pub aal: Option<String>,
    pub verified_at: Option<i64>,
    /// Kept for `id_token_hint` at sign-out.
    pub id_token: EsIdToken,
}

/// Why a sign-in did not complete, in words for the person; details are logged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoginError(pub String);

impl std::fmt::Display for LoginError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

fn unavailable(detail: impl std::fmt::Display) -> LoginError {
    tracing::warn!(%detail, "sign-in failed");
    LoginError(
        "We could not reach Secure Access to finish signing you in. Try again in a minute.".into(),
    )
}

/// The app as a client of one provider.
pub struct RelyingParty {
    issuer: IssuerUrl,
    client_id: ClientId,
    redirect: RedirectUrl,
    post_logout: PostLogoutRedirectUrl,
    key: ClientKey,
    http: openidconnect::reqwest::Client,
    metadata: RwLock<Option<ProviderMetadataWithLogout>>,
}

impl RelyingParty {
    pub fn new(
        issuer: &str,
        client_id: &str,
        public_url: &str,
        key: ClientKey,
    ) -> anyhow::Result<Self> {
        let http = openidconnect::reqwest::ClientBuilder::new()
            // Following redirects would let a provider point us anywhere (SSRF).
            .redirect(openidconnect::reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(10))
            .build()?;
        Ok(Self {
            issuer: IssuerUrl::new(issuer.to_owned())?,
            client_id: ClientId::new(client_id.to_owned()),
            redirect: RedirectUrl::new(format!("{public_url}/callback"))?,
            post_logout: PostLogoutRedirectUrl::new(format!("{public_url}/signed-out"))?,
            key,
            http,
            metadata: RwLock::new(None),
        })
    }

    pub fn client_id(&self) -> &str {
        self.client_id.as_str()
    }

    pub fn redirect_uri(&self) -> &str {
        self.redirect.as_str()
    }

    pub fn post_logout_redirect_uri(&self) -> &str {
        self.post_logout.as_str()
    }

    pub fn key(&self) -> &ClientKey {
        &self.key
    }

    /// Fetch the discovery document and the JWKS, and keep them.
    pub async fn discover(&self) -> anyhow::Result<()> {
        let metadata = ProviderMetadataWithLogout::discover_async(self.issuer.clone(), &self.http)
            .await
            .map_err(|e| {
                anyhow::anyhow!(
                    "cannot read {}/.well-known/openid-configuration: {e}",
                    self.issuer.as_str()
                )
            })?;
        let private_key_jwt = metadata
            .token_endpoint_auth_methods_supported()
            .is_some_and(|methods| methods.contains(&CoreClientAuthMethod::PrivateKeyJwt));
        if !private_key_jwt {
            anyhow::bail!("the provider does not offer private_key_jwt client authentication");
        }
        *self.metadata.write().await = Some(metadata);
        Ok(())
    }

    async fn metadata(&self) -> Result<ProviderMetadataWithLogout, LoginError> {
        if let Some(metadata) = self.metadata.read().await.clone() {
            return Ok(metadata);
        }
        self.discover().await.map_err(unavailable)?;
        self.metadata
            .read()
            .await
            .clone()
            .ok_or_else(|| unavailable("no metadata after discovery"))
    }

    fn client(&self, metadata: ProviderMetadataWithLogout) -> EsClient {
        CoreClient::from_provider_metadata(metadata, self.client_id.clone(), None)
            .set_redirect_uri(self.redirect.clone())
    }

    /// Where to send the browser to sign in, and what to keep until it returns.
    pub async fn start_login(&self) -> Result<(String, PendingLogin), LoginError> {
        let client = self.client(self.metadata().await?);
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let mut request = client
            .authorize_url(
                CoreAuthenticationFlow::AuthorizationCode,
                CsrfToken::new_random,
                Nonce::new_random,
            )
            .set_pkce_challenge(challenge)
            .add_auth_context_value(AuthenticationContextClass::new(IAL2.to_owned()));
        for scope in SCOPES {
            request = request.add_scope(Scope::new(scope.to_owned()));
        }
        let (url, state, nonce) = request.url();
        Ok((
            url.to_string(),
            PendingLogin {
                state,
                nonce,
                pkce_verifier: verifier,
            },
        ))
    }

    /// Exchange the code and verify the ID token. `state` was already matched by the
    /// caller against the pending login.
    pub async fn finish_login(
        &self,
        code: &str,
        pending: PendingLogin,
    ) -> Result<SignedIn, LoginError> {
        let metadata = self.metadata().await?;
        let issuer = metadata.issuer().as_str().to_owned();
        let assertion = self
            .key
            .assertion(self.client_id.as_str(), &issuer)
            .map_err(unavailable)?;
        let client = self.client(metadata);
        let response = client
            .exchange_code(AuthorizationCode::new(code.to_owned()))
            .map_err(unavailable)?
            .set_pkce_verifier(pending.pkce_verifier)
            .add_extra_param("client_assertion_type", JWT_BEARER)
            .add_extra_param("client_assertion", assertion)
            .request_async(&self.http)
            .await
            .map_err(|error| match error {
                RequestTokenError::ServerResponse(answer) => {
                    tracing::warn!(error = %answer.error(), description = ?answer.error_description(), "token request refused");
                    LoginError(
                        "Secure Access did not accept this sign-in (it may have expired or been used already). Please sign in again.".into(),
                    )
                }
                other => unavailable(other),
            })?;
        if response.access_token().secret().is_empty() {
            return Err(unavailable("empty access token"));
        }
        let raw = response
            .id_token()
            .ok_or_else(|| unavailable("no ID token in the token response"))?
            .to_string();
        let id_token: EsIdToken = raw
            .parse()
            .map_err(|e| unavailable(format!("ID token does not parse: {e}")))?;
        match self.verify(&client, &id_token, &pending.nonce) {
            Err(ClaimsVerificationError::SignatureVerification(
                SignatureVerificationError::NoMatchingKey,
            )) => {
                // The provider may have rotated its keys: read the JWKS again, once.
                self.discover().await.map_err(unavailable)?;
                let client = self.client(self.metadata().await?);
                self.verify(&client, &id_token, &pending.nonce)
                    .map_err(refused_token)
            }
            other => other.map_err(refused_token),
        }
    }

    fn verify(
        &self,
        client: &EsClient,
        id_token: &EsIdToken,
        nonce: &Nonce,
    ) -> Result<SignedIn, ClaimsVerificationError> {
        let verifier = client
            .id_token_verifier()
            .set_allowed_algs([CoreJwsSigningAlgorithm::EcdsaP256Sha256])
            .set_auth_context_verifier_fn(|acr| match acr {
                Some(acr) if acr.as_str() == IAL2 => Ok(()),
                _ => Err("this portal needs a verified identity (IAL2)".to_owned()),
            });
        let claims = id_token.claims(&verifier, nonce)?;
        let name = match (
            claims.given_name().and_then(|n| n.get(None)),
            claims.family_name().and_then(|n| n.get(None)),
        ) {
            (Some(given), Some(family)) => Some(format!("{} {}", given.as_str(), family.as_str())),
            _ => None,
        };
        Ok(SignedIn {
            sub: claims.subject().as_str().to_owned(),
            email: claims.email().map(|e| e.as_str().to_owned()),
            name,
            acr: claims
                .auth_context_ref()
                .map(|a| a.as_str().to_owned())
                .unwrap_or_default(),
            aal: claims.additional_claims().aal.clone(),
            verified_at: claims.additional_claims().verified_at,
            id_token: id_token.clone(),
        })
    }

    /// RP-initiated logout at the provider, coming back to `/signed-out`; `None` when
    /// the provider has no end-session endpoint.
    pub async fn logout_url(&self, id_token: &EsIdToken) -> Option<String> {
        let metadata = self.metadata().await.ok()?;
        let endpoint = metadata
            .additional_metadata()
            .end_session_endpoint
            .clone()?;
        Some(
            LogoutRequest::from(endpoint)
                .set_id_token_hint(id_token)
                .set_client_id(self.client_id.clone())
                .set_post_logout_redirect_uri(self.post_logout.clone())
                .http_get_url()
                .to_string(),
        )
    }
}

fn refused_token(error: ClaimsVerificationError) -> LoginError {
    tracing::warn!(%error, "ID token refused");
    match error {
        ClaimsVerificationError::InvalidAuthContext(_) => LoginError(
            "e-Services needs a verified identity. Secure Access signed you in, but your identity is not verified there yet.".into(),
        ),
        _ => LoginError(
            "The sign-in answer from Secure Access could not be checked, so you are not signed in. Please try again.".into(),
        ),
    }
}
