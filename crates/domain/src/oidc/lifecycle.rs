//! Ending and checking tokens: revocation (RFC 7009) for any app, introspection
//! (RFC 7662) for confidential apps and the resource servers they run.
//!
//! An app speaks only for its own tokens: revoking another app's token is refused,
//! introspecting one answers `{"active": false}` as for any token that is not valid
//! (RFC 7662 §2.2 lets the server hide why). Revoking a refresh token ends its whole
//! grant (every access and refresh token since the code, RFC 7009 §2.1); revoking an
//! access token ends that token only. Unknown tokens revoke successfully (§2.2).

use serde_json::{Value, json};

use super::records::{AccessToken, ClientAuth, RefreshToken};
use super::token::TokenRequest;
use super::{OAuthError, OAuthResult, Provider, hash_secret};

/// What a presented token turned out to be.
enum Found {
    Access(AccessToken),
    Refresh(RefreshToken),
}

impl Found {
    fn client_id(&self) -> &str {
        match self {
            Self::Access(t) => &t.client_id,
            Self::Refresh(t) => &t.client_id,
        }
    }
}

impl Provider {
    /// Find the token of a revocation or introspection request, looking first where
    /// the hint says (an unknown hint is ignored, RFC 7009 §2.1).
    async fn find_token(&self, request: &TokenRequest) -> OAuthResult<Option<Found>> {
        let token = request
            .token
            .as_deref()
            .filter(|t| !t.is_empty())
            .ok_or_else(|| OAuthError::new("invalid_request", "token is required"))?;
        let hash = hash_secret(token);
        let refresh_first = request.token_type_hint.as_deref() == Some("refresh_token");
        for refresh in [refresh_first, !refresh_first] {
            let found = if refresh {
                self.store.refresh_token(&hash).await?.map(Found::Refresh)
            } else {
                self.store.token(&hash).await?.map(Found::Access)
            };
            if found.is_some() {
                return Ok(found);
            }
        }
        Ok(None)
    }

    /// RFC 7009: revoke the presented token of the authenticated app.
    pub async fn revoke(&self, request: &TokenRequest) -> OAuthResult<()> {
        let client = self.authenticate_client(request).await?;
        let Some(found) = self.find_token(request).await? else {
            return Ok(());
        };
        if found.client_id() != client.client_id {
            return Err(OAuthError::new(
                "invalid_request",
                "the token was issued to another app; an app may revoke only its own tokens",
            ));
        }
        let now = self.now();
        match found {
            Found::Access(token) => self.store.revoke_token(&token.token_hash, now).await?,
            Found::Refresh(token) => {
                self.store
                    .revoke_tokens_of_code(&token.code_hash, now)
                    .await?;
            }
        }
        Ok(())
    }

    /// RFC 7662: what the presented token allows, for the confidential app it was
    /// issued to. Anything else is `{"active": false}`.
    pub async fn introspect(&self, request: &TokenRequest) -> OAuthResult<Value> {
        let client = self.authenticate_client(request).await?;
        if client.auth_method == ClientAuth::None {
            return Err(OAuthError::new(
                "invalid_client",
                "public apps cannot introspect tokens; authenticate as a confidential app",
            ));
        }
        let inactive = json!({"active": false});
        let Some(found) = self.find_token(request).await? else {
            return Ok(inactive);
        };
        if found.client_id() != client.client_id {
            return Ok(inactive);
        }
        let now = self.now();
        let (token, token_type) = match &found {
            Found::Access(t) if t.revoked_at.is_none() && t.expires_at > now => {
                (Granted::from(t), Some("Bearer"))
            }
            Found::Refresh(t)
                if t.revoked_at.is_none() && t.used_at.is_none() && t.expires_at > now =>
            {
                (Granted::from(t), None)
            }
            _ => return Ok(inactive),
        };
        let account = self
            .services
            .core()
            .store
            .account_by_id(token.account_id)
            .await?
            .filter(|a| a.disabled_at.is_none());
        let Some(account) = account else {
            return Ok(inactive);
        };
        let mut answer = json!({
            "active": true,
            "client_id": client.client_id,
            "scope": token.scope.join(" "),
            "sub": self.subject(&client.client_id, &account.id),
            "aud": client.client_id,
            "iss": self.config.issuer,
            "iat": token.issued.unix_timestamp(),
            "exp": token.expires.unix_timestamp(),
            "acr": token.acr,
        });
        if let Some(token_type) = token_type {
            answer["token_type"] = json!(token_type);
        }
        Ok(answer)
    }
}

/// What an active token grants, whichever kind it is.
struct Granted<'a> {
    account_id: &'a str,
    scope: &'a [String],
    acr: &'a str,
    issued: time::OffsetDateTime,
    expires: time::OffsetDateTime,
}

impl<'a> From<&'a AccessToken> for Granted<'a> {
    fn from(t: &'a AccessToken) -> Self {
        Self {
            account_id: &t.account_id,
            scope: &t.scope,
            acr: &t.acr,
            issued: t.created_at,
            expires: t.expires_at,
        }
    }
}

impl<'a> From<&'a RefreshToken> for Granted<'a> {
    fn from(t: &'a RefreshToken) -> Self {
        Self {
            account_id: &t.account_id,
            scope: &t.scope,
            acr: &t.acr,
            issued: t.created_at,
            expires: t.expires_at,
        }
    }
}
