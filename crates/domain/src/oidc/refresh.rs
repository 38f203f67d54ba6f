//! The `refresh_token` grant (RFC 6749 §6, OIDC Core §12), with the protections of
//! RFC 9700 §4.14: a refresh token is bound to the app it was issued to, works once
//! (each use gives a new one of the same grant), and a used or revoked one presented
//! again revokes every access and refresh token of its grant, because either the app
//! or a thief holds a copy. A grant lives until it goes unused for the idle lifetime
//! or reaches its maximum age, and ends when the account is turned off, the person
//! withdraws consent, or the account is recovered or signed out everywhere.

use time::Duration;

use super::records::{AccessToken, Client, RefreshToken};
use super::token::{SignedIn, TokenRequest, TokenResponse};
use super::{OAuthError, OAuthResult, Provider, hash_secret, new_secret};

/// Why a used refresh token presented again is refused.
const REPLAYED: &str = "the refresh token was already used; every token of this grant is revoked";

impl Provider {
    /// End the grant begun by the code `code_hash` (one of its refresh tokens leaked or
    /// was replayed) and refuse the request with `why`.
    async fn end_grant(
        &self,
        code_hash: &str,
        now: time::OffsetDateTime,
        why: &str,
    ) -> OAuthResult<TokenResponse> {
        self.store.revoke_tokens_of_code(code_hash, now).await?;
        Err(OAuthError::new("invalid_grant", why.to_owned()))
    }

    /// Exchange a refresh token of `client` for a new access and refresh token.
    pub(super) async fn refresh(
        &self,
        client: &Client,
        request: &TokenRequest,
    ) -> OAuthResult<TokenResponse> {
        let invalid_grant = |m: &str| OAuthError::new("invalid_grant", m.to_owned());
        let presented = request
            .refresh_token
            .as_deref()
            .filter(|t| !t.is_empty())
            .ok_or_else(|| OAuthError::new("invalid_request", "refresh_token is required"))?;
        let used_hash = hash_secret(presented);
        let stored = self
            .store
            .refresh_token(&used_hash)
            .await?
            .ok_or_else(|| invalid_grant("the refresh token is not valid"))?;
        let now = self.now();
        if stored.client_id != client.client_id {
            // Another app holds this app's token: it leaked, so the grant ends.
            return self
                .end_grant(
                    &stored.code_hash,
                    now,
                    "the refresh token was issued to another client",
                )
                .await;
        }
        if stored.revoked_at.is_some() {
            return Err(invalid_grant("the refresh token has been revoked"));
        }
        if stored.used_at.is_some() {
            return self.end_grant(&stored.code_hash, now, REPLAYED).await;
        }
        if stored.expires_at <= now {
            return Err(invalid_grant("the refresh token has expired"));
        }
        let account = self.grant_account(&stored.account_id).await?;
        let consented = self
            .store
            .consent(&account.id, &client.client_id)
            .await?
            .is_some_and(|c| c.revoked_at.is_none());
        if !consented {
            return Err(invalid_grant(
                "the person no longer shares their information with this app",
            ));
        }
        let scope = match request.scope.as_deref() {
            Some(asked) => {
                let asked: Vec<String> = asked.split_whitespace().map(str::to_owned).collect();
                if let Some(bad) = asked.iter().find(|s| !stored.scope.contains(s)) {
                    return Err(OAuthError::new(
                        "invalid_scope",
                        format!("scope {bad} was not granted"),
                    ));
                }
                asked
            }
            None => stored.scope.clone(),
        };

        let refresh_token = new_secret();
        let next = RefreshToken {
            token_hash: hash_secret(&refresh_token),
            created_at: now,
            expires_at: self.refresh_expiry(now, stored.grant_expires_at),
            used_at: None,
            revoked_at: None,
            ..stored.clone()
        };
        let access_token = new_secret();
        let access = AccessToken {
            token_hash: hash_secret(&access_token),
            client_id: client.client_id.clone(),
            account_id: account.id.clone(),
            scope: scope.clone(),
            acr: stored.acr.clone(),
            code_hash: Some(stored.code_hash.clone()),
            created_at: now,
            expires_at: now + Duration::seconds(self.config.access_token_ttl_secs),
            revoked_at: None,
        };
        if !self
            .store
            .rotate_refresh_token(&used_hash, now, &next, &access)
            .await?
        {
            // Two uses raced: one of them is not the app's own.
            return self.end_grant(&stored.code_hash, now, REPLAYED).await;
        }
        let id_token = if scope.iter().any(|s| s == "openid") {
            let signed_in = SignedIn {
                auth_time: stored.auth_time,
                acr: &stored.acr,
                amr: &stored.amr,
                nonce: None,
                scope: &scope,
            };
            Some(self.id_token(client, &account, &signed_in).await?)
        } else {
            None
        };
        Ok(TokenResponse {
            access_token,
            token_type: "Bearer",
            expires_in: self.config.access_token_ttl_secs,
            refresh_token: Some(refresh_token),
            id_token,
            scope: scope.join(" "),
        })
    }
}
