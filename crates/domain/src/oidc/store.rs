//! The storage the provider needs, implemented by `sa-store` for SQLite and PostgreSQL.
//! Writes that must not happen twice are guarded (the method says so) and answer
//! `Ok(false)` when the guard fails.

use async_trait::async_trait;
use time::OffsetDateTime;

use super::records::{AccessToken, AuthorizationCode, Client, Consent, RefreshToken, StoredKey};
use crate::store::StoreResult;

#[async_trait]
pub trait OidcStore: Send + Sync + 'static {
    async fn signing_keys(&self) -> StoreResult<Vec<StoredKey>>;
    async fn insert_signing_key(&self, key: &StoredKey) -> StoreResult<()>;
    /// Retire every current key of `alg` except `keep_kid`, published until `until`.
    async fn retire_signing_keys(
        &self,
        alg: &str,
        keep_kid: &str,
        at: OffsetDateTime,
        until: OffsetDateTime,
    ) -> StoreResult<()>;

    async fn client(&self, client_id: &str) -> StoreResult<Option<Client>>;
    async fn clients(&self) -> StoreResult<Vec<Client>>;
    /// Insert or replace (registration from the configuration file is idempotent).
    async fn upsert_client(&self, client: &Client) -> StoreResult<()>;

    async fn insert_request(
        &self,
        id: &str,
        client_id: &str,
        params: &str,
        created_at: OffsetDateTime,
        expires_at: OffsetDateTime,
    ) -> StoreResult<()>;
    /// The request's params JSON, if it exists and has not expired at `now`.
    async fn request(&self, id: &str, now: OffsetDateTime) -> StoreResult<Option<String>>;
    async fn delete_request(&self, id: &str) -> StoreResult<()>;

    async fn insert_code(&self, code: &AuthorizationCode) -> StoreResult<()>;
    async fn code(&self, code_hash: &str) -> StoreResult<Option<AuthorizationCode>>;
    /// *Guarded*: marks the code used if it was unused; `false` if already used.
    async fn use_code(&self, code_hash: &str, at: OffsetDateTime) -> StoreResult<bool>;

    async fn insert_token(&self, token: &AccessToken) -> StoreResult<()>;
    async fn token(&self, token_hash: &str) -> StoreResult<Option<AccessToken>>;
    /// Revoke one access token (RFC 7009).
    async fn revoke_token(&self, token_hash: &str, at: OffsetDateTime) -> StoreResult<()>;
    /// Revoke every access and refresh token of the grant this code began (a reused
    /// code or refresh token, a revoked refresh token).
    async fn revoke_tokens_of_code(&self, code_hash: &str, at: OffsetDateTime) -> StoreResult<()>;

    async fn insert_refresh_token(&self, token: &RefreshToken) -> StoreResult<()>;
    async fn refresh_token(&self, token_hash: &str) -> StoreResult<Option<RefreshToken>>;
    /// *Guarded*: `used_hash` is neither used nor revoked. Marks it used at `at` and
    /// stores its successor and the new access token, in one transaction; `false`
    /// (nothing written) if the guard fails.
    async fn rotate_refresh_token(
        &self,
        used_hash: &str,
        at: OffsetDateTime,
        next: &RefreshToken,
        access: &AccessToken,
    ) -> StoreResult<bool>;

    /// Revoke every access and refresh token of an account for a client (consent
    /// withdrawn).
    async fn revoke_tokens_of_client(
        &self,
        account_id: &str,
        client_id: &str,
        at: OffsetDateTime,
    ) -> StoreResult<()>;

    async fn consent(&self, account_id: &str, client_id: &str) -> StoreResult<Option<Consent>>;
    async fn consents(&self, account_id: &str) -> StoreResult<Vec<Consent>>;
    async fn save_consent(&self, consent: &Consent) -> StoreResult<()>;

    /// Delete what has expired before `now` (pending requests, codes, tokens, assertion
    /// ids); returns how many rows went.
    async fn purge_expired(&self, now: OffsetDateTime) -> StoreResult<u64>;

    /// *Guarded*: remembers a client-assertion id until `expires_at`; `false` if seen.
    async fn remember_assertion(
        &self,
        jti_hash: &str,
        expires_at: OffsetDateTime,
        now: OffsetDateTime,
    ) -> StoreResult<bool>;
}
