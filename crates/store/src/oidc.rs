//! The OpenID Connect tables (migrations 0007 and 0011), implementing
//! [`sa_domain::oidc::store::OidcStore`] for [`SqlStore`].

use async_trait::async_trait;
use sa_domain::oidc::records::{
    AccessToken, AuthorizationCode, Client, ClientAuth, Consent, RefreshToken, StoredKey,
};
use sa_domain::oidc::store::OidcStore;
use sa_domain::store::StoreResult;
use sqlx::AssertSqlSafe;
use sqlx::any::AnyRow;
use time::OffsetDateTime;

use crate::connect::SqlStore;
use crate::error;
use crate::rows::{self, ms, opt_ms};

fn json_list(text: &str) -> Vec<String> {
    serde_json::from_str(text).unwrap_or_default()
}

fn to_json_list(items: &[String]) -> String {
    serde_json::to_string(items).unwrap_or_else(|_| "[]".to_owned())
}

fn words(text: &str) -> Vec<String> {
    text.split_whitespace().map(str::to_owned).collect()
}

const CLIENT_COLUMNS: &str = "client_id, name, redirect_uris, post_logout_redirect_uris, \
     auth_method, secret_hash, jwks, scopes, required_ial, id_token_alg, can_receive_ssn, \
     machine_account_id, created_at, events_uri, backchannel_logout_uri, saml_sp";

fn client_from_row(row: &AnyRow) -> StoreResult<Client> {
    Ok(Client {
        client_id: rows::text(row, "client_id")?,
        name: rows::text(row, "name")?,
        redirect_uris: json_list(&rows::text(row, "redirect_uris")?),
        post_logout_redirect_uris: json_list(&rows::text(row, "post_logout_redirect_uris")?),
        auth_method: ClientAuth::parse(&rows::text(row, "auth_method")?)
            .ok_or_else(|| rows::unknown("auth_method"))?,
        secret_hash: rows::opt_text(row, "secret_hash")?,
        jwks: rows::opt_text(row, "jwks")?.and_then(|t| serde_json::from_str(&t).ok()),
        scopes: words(&rows::text(row, "scopes")?),
        required_ial: u8::try_from(rows::int(row, "required_ial")?).unwrap_or(1),
        id_token_alg: rows::text(row, "id_token_alg")?,
        can_receive_ssn: rows::int(row, "can_receive_ssn")? != 0,
        machine_account_id: rows::opt_text(row, "machine_account_id")?,
        events_uri: rows::opt_text(row, "events_uri")?,
        backchannel_logout_uri: rows::opt_text(row, "backchannel_logout_uri")?,
        saml: match rows::opt_text(row, "saml_sp")? {
            Some(json) => Some(serde_json::from_str(&json).map_err(|_| rows::unknown("saml_sp"))?),
            None => None,
        },
        created_at: rows::time(row, "created_at")?,
    })
}

const CODE_COLUMNS: &str = "code_hash, client_id, account_id, redirect_uri, scope, nonce, \
     code_challenge, auth_time, acr, amr, created_at, expires_at, used_at";

fn code_from_row(row: &AnyRow) -> StoreResult<AuthorizationCode> {
    Ok(AuthorizationCode {
        code_hash: rows::text(row, "code_hash")?,
        client_id: rows::text(row, "client_id")?,
        account_id: rows::text(row, "account_id")?,
        redirect_uri: rows::text(row, "redirect_uri")?,
        scope: words(&rows::text(row, "scope")?),
        nonce: rows::opt_text(row, "nonce")?,
        code_challenge: rows::opt_text(row, "code_challenge")?,
        auth_time: rows::time(row, "auth_time")?,
        acr: rows::text(row, "acr")?,
        amr: words(&rows::text(row, "amr")?),
        created_at: rows::time(row, "created_at")?,
        expires_at: rows::time(row, "expires_at")?,
        used_at: rows::opt_time(row, "used_at")?,
    })
}

const TOKEN_COLUMNS: &str =
    "token_hash, client_id, account_id, scope, acr, code_hash, created_at, expires_at, revoked_at";

fn token_from_row(row: &AnyRow) -> StoreResult<AccessToken> {
    Ok(AccessToken {
        token_hash: rows::text(row, "token_hash")?,
        client_id: rows::text(row, "client_id")?,
        account_id: rows::text(row, "account_id")?,
        scope: words(&rows::text(row, "scope")?),
        acr: rows::text(row, "acr")?,
        code_hash: rows::opt_text(row, "code_hash")?,
        created_at: rows::time(row, "created_at")?,
        expires_at: rows::time(row, "expires_at")?,
        revoked_at: rows::opt_time(row, "revoked_at")?,
    })
}

const REFRESH_COLUMNS: &str = "token_hash, code_hash, client_id, account_id, scope, acr, amr, \
     auth_time, created_at, expires_at, grant_expires_at, used_at, revoked_at";

fn refresh_from_row(row: &AnyRow) -> StoreResult<RefreshToken> {
    Ok(RefreshToken {
        token_hash: rows::text(row, "token_hash")?,
        code_hash: rows::text(row, "code_hash")?,
        client_id: rows::text(row, "client_id")?,
        account_id: rows::text(row, "account_id")?,
        scope: words(&rows::text(row, "scope")?),
        acr: rows::text(row, "acr")?,
        amr: words(&rows::text(row, "amr")?),
        auth_time: rows::time(row, "auth_time")?,
        created_at: rows::time(row, "created_at")?,
        expires_at: rows::time(row, "expires_at")?,
        grant_expires_at: rows::time(row, "grant_expires_at")?,
        used_at: rows::opt_time(row, "used_at")?,
        revoked_at: rows::opt_time(row, "revoked_at")?,
    })
}

async fn insert_refresh(conn: &mut sqlx::AnyConnection, t: &RefreshToken) -> StoreResult<()> {
    sqlx::query(AssertSqlSafe(format!(
        "INSERT INTO oidc_refresh_tokens ({REFRESH_COLUMNS}) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)"
    )))
    .bind(&t.token_hash)
    .bind(&t.code_hash)
    .bind(&t.client_id)
    .bind(&t.account_id)
    .bind(t.scope.join(" "))
    .bind(&t.acr)
    .bind(t.amr.join(" "))
    .bind(ms(t.auth_time))
    .bind(ms(t.created_at))
    .bind(ms(t.expires_at))
    .bind(ms(t.grant_expires_at))
    .bind(opt_ms(t.used_at))
    .bind(opt_ms(t.revoked_at))
    .execute(conn)
    .await
    .map_err(error::db("insert refresh token"))?;
    Ok(())
}

async fn insert_access(conn: &mut sqlx::AnyConnection, t: &AccessToken) -> StoreResult<()> {
    sqlx::query(AssertSqlSafe(format!(
        "INSERT INTO oidc_tokens ({TOKEN_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
    )))
    .bind(&t.token_hash)
    .bind(&t.client_id)
    .bind(&t.account_id)
    .bind(t.scope.join(" "))
    .bind(&t.acr)
    .bind(t.code_hash.as_deref())
    .bind(ms(t.created_at))
    .bind(ms(t.expires_at))
    .bind(opt_ms(t.revoked_at))
    .execute(conn)
    .await
    .map_err(error::db("insert oidc token"))?;
    Ok(())
}

/// Revoke every access and refresh token of an account for one app, in the caller's
/// transaction.
async fn revoke_account_tokens(
    conn: &mut sqlx::AnyConnection,
    account_id: &str,
    client_id: &str,
    at: OffsetDateTime,
) -> StoreResult<()> {
    for table in ["oidc_tokens", "oidc_refresh_tokens"] {
        sqlx::query(AssertSqlSafe(format!(
            "UPDATE {table} SET revoked_at = $1 WHERE account_id = $2 \
             AND client_id = $3 AND revoked_at IS NULL"
        )))
        .bind(ms(at))
        .bind(account_id)
        .bind(client_id)
        .execute(&mut *conn)
        .await
        .map_err(error::db("revoke an account's app tokens"))?;
    }
    Ok(())
}

/// Every access and refresh token any app holds for the account goes (with its
/// sessions: see `recovery::end_all_sessions`), in the caller's transaction.
pub(crate) async fn delete_account_tokens(
    conn: &mut sqlx::AnyConnection,
    account_id: &str,
) -> StoreResult<()> {
    for table in ["oidc_tokens", "oidc_refresh_tokens"] {
        sqlx::query(AssertSqlSafe(format!(
            "DELETE FROM {table} WHERE account_id = $1"
        )))
        .bind(account_id)
        .execute(&mut *conn)
        .await
        .map_err(error::db("end an account's app tokens"))?;
    }
    Ok(())
}

fn consent_from_row(row: &AnyRow) -> StoreResult<Consent> {
    Ok(Consent {
        account_id: rows::text(row, "account_id")?,
        client_id: rows::text(row, "client_id")?,
        scope: words(&rows::text(row, "scope")?),
        granted_at: rows::time(row, "granted_at")?,
        revoked_at: rows::opt_time(row, "revoked_at")?,
    })
}

#[async_trait]
impl OidcStore for SqlStore {
    async fn signing_keys(&self) -> StoreResult<Vec<StoredKey>> {
        let rows = sqlx::query(
            "SELECT kid, alg, private_sealed, public_jwk, created_at, retired_at, publish_until, \
             activates_at FROM signing_keys ORDER BY created_at, kid",
        )
        .fetch_all(&self.pool)
        .await
        .map_err(error::db("signing keys"))?;
        rows.iter()
            .map(|row| {
                Ok(StoredKey {
                    kid: rows::text(row, "kid")?,
                    alg: rows::text(row, "alg")?,
                    private_sealed: rows::text(row, "private_sealed")?,
                    public_jwk: serde_json::from_str(&rows::text(row, "public_jwk")?)
                        .map_err(|_| rows::unknown("public_jwk"))?,
                    created_at: rows::time(row, "created_at")?,
                    retired_at: rows::opt_time(row, "retired_at")?,
                    publish_until: rows::opt_time(row, "publish_until")?,
                    activates_at: rows::opt_time(row, "activates_at")?,
                })
            })
            .collect()
    }

    async fn insert_signing_key(&self, key: &StoredKey) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO signing_keys (kid, alg, private_sealed, public_jwk, created_at, retired_at, \
             publish_until, activates_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(&key.kid)
        .bind(&key.alg)
        .bind(&key.private_sealed)
        .bind(key.public_jwk.to_string())
        .bind(ms(key.created_at))
        .bind(opt_ms(key.retired_at))
        .bind(opt_ms(key.publish_until))
        .bind(opt_ms(key.activates_at))
        .execute(&self.pool)
        .await
        .map_err(error::db("insert signing key"))?;
        Ok(())
    }

    async fn retire_signing_keys(
        &self,
        alg: &str,
        keep_kid: &str,
        at: OffsetDateTime,
        until: OffsetDateTime,
    ) -> StoreResult<()> {
        sqlx::query(
            "UPDATE signing_keys SET retired_at = $1, publish_until = $2 \
             WHERE alg = $3 AND kid <> $4 AND retired_at IS NULL",
        )
        .bind(ms(at))
        .bind(ms(until))
        .bind(alg)
        .bind(keep_kid)
        .execute(&self.pool)
        .await
        .map_err(error::db("retire signing keys"))?;
        Ok(())
    }

    async fn client(&self, client_id: &str) -> StoreResult<Option<Client>> {
        sqlx::query(AssertSqlSafe(format!(
            "SELECT {CLIENT_COLUMNS} FROM oidc_clients WHERE client_id = $1"
        )))
        .bind(client_id)
        .fetch_optional(&self.pool)
        .await
        .map_err(error::db("oidc client"))?
        .as_ref()
        .map(client_from_row)
        .transpose()
    }

    async fn clients(&self) -> StoreResult<Vec<Client>> {
        let rows = sqlx::query(AssertSqlSafe(format!(
            "SELECT {CLIENT_COLUMNS} FROM oidc_clients ORDER BY client_id"
        )))
        .fetch_all(&self.pool)
        .await
        .map_err(error::db("oidc clients"))?;
        rows.iter().map(client_from_row).collect()
    }

    async fn upsert_client(&self, c: &Client) -> StoreResult<()> {
        sqlx::query(AssertSqlSafe(format!(
            "INSERT INTO oidc_clients ({CLIENT_COLUMNS}) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) \
             ON CONFLICT (client_id) DO UPDATE SET name = $2, redirect_uris = $3, \
             post_logout_redirect_uris = $4, auth_method = $5, secret_hash = $6, jwks = $7, \
             scopes = $8, required_ial = $9, id_token_alg = $10, can_receive_ssn = $11, \
             machine_account_id = $12, events_uri = $14, backchannel_logout_uri = $15, saml_sp = $16"
        )))
        .bind(&c.client_id)
        .bind(&c.name)
        .bind(to_json_list(&c.redirect_uris))
        .bind(to_json_list(&c.post_logout_redirect_uris))
        .bind(c.auth_method.as_str())
        .bind(c.secret_hash.as_deref())
        .bind(c.jwks.as_ref().map(|j| j.to_string()))
        .bind(c.scopes.join(" "))
        .bind(i64::from(c.required_ial))
        .bind(&c.id_token_alg)
        .bind(i64::from(c.can_receive_ssn))
        .bind(c.machine_account_id.as_deref())
        .bind(ms(c.created_at))
        .bind(c.events_uri.as_deref())
        .bind(c.backchannel_logout_uri.as_deref())
        .bind(
            c.saml
                .as_ref()
                .and_then(|sp| serde_json::to_string(sp).ok()),
        )
        .execute(&self.pool)
        .await
        .map_err(error::db("upsert oidc client"))?;
        Ok(())
    }

    async fn insert_request(
        &self,
        id: &str,
        client_id: &str,
        params: &str,
        created_at: OffsetDateTime,
        expires_at: OffsetDateTime,
    ) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO oidc_requests (id, client_id, params, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(id)
        .bind(client_id)
        .bind(params)
        .bind(ms(created_at))
        .bind(ms(expires_at))
        .execute(&self.pool)
        .await
        .map_err(error::db("insert oidc request"))?;
        Ok(())
    }

    async fn request(&self, id: &str, now: OffsetDateTime) -> StoreResult<Option<String>> {
        let row = sqlx::query("SELECT params FROM oidc_requests WHERE id = $1 AND expires_at > $2")
            .bind(id)
            .bind(ms(now))
            .fetch_optional(&self.pool)
            .await
            .map_err(error::db("oidc request"))?;
        row.as_ref().map(|r| rows::text(r, "params")).transpose()
    }

    async fn delete_request(&self, id: &str) -> StoreResult<()> {
        sqlx::query("DELETE FROM oidc_requests WHERE id = $1")
            .bind(id)
            .execute(&self.pool)
            .await
            .map_err(error::db("delete oidc request"))?;
        Ok(())
    }

    async fn insert_code(&self, c: &AuthorizationCode) -> StoreResult<()> {
        sqlx::query(AssertSqlSafe(format!(
            "INSERT INTO oidc_codes ({CODE_COLUMNS}) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)"
        )))
        .bind(&c.code_hash)
        .bind(&c.client_id)
        .bind(&c.account_id)
        .bind(&c.redirect_uri)
        .bind(c.scope.join(" "))
        .bind(c.nonce.as_deref())
        .bind(c.code_challenge.as_deref())
        .bind(ms(c.auth_time))
        .bind(&c.acr)
        .bind(c.amr.join(" "))
        .bind(ms(c.created_at))
        .bind(ms(c.expires_at))
        .bind(opt_ms(c.used_at))
        .execute(&self.pool)
        .await
        .map_err(error::db("insert oidc code"))?;
        Ok(())
    }

    async fn code(&self, code_hash: &str) -> StoreResult<Option<AuthorizationCode>> {
        sqlx::query(AssertSqlSafe(format!(
            "SELECT {CODE_COLUMNS} FROM oidc_codes WHERE code_hash = $1"
        )))
        .bind(code_hash)
        .fetch_optional(&self.pool)
        .await
        .map_err(error::db("oidc code"))?
        .as_ref()
        .map(code_from_row)
        .transpose()
    }

    async fn use_code(&self, code_hash: &str, at: OffsetDateTime) -> StoreResult<bool> {
        let done = sqlx::query(
            "UPDATE oidc_codes SET used_at = $1 WHERE code_hash = $2 AND used_at IS NULL",
        )
        .bind(ms(at))
        .bind(code_hash)
        .execute(&self.pool)
        .await
        .map_err(error::db("use oidc code"))?;
        Ok(done.rows_affected() == 1)
    }

    async fn insert_token(&self, t: &AccessToken) -> StoreResult<()> {
        let mut conn = self.pool.acquire().await.map_err(error::db("acquire"))?;
        insert_access(&mut conn, t).await
    }

    async fn token(&self, token_hash: &str) -> StoreResult<Option<AccessToken>> {
        sqlx::query(AssertSqlSafe(format!(
            "SELECT {TOKEN_COLUMNS} FROM oidc_tokens WHERE token_hash = $1"
        )))
        .bind(token_hash)
        .fetch_optional(&self.pool)
        .await
        .map_err(error::db("oidc token"))?
        .as_ref()
        .map(token_from_row)
        .transpose()
    }

    async fn revoke_token(&self, token_hash: &str, at: OffsetDateTime) -> StoreResult<()> {
        sqlx::query(
            "UPDATE oidc_tokens SET revoked_at = $1 WHERE token_hash = $2 AND revoked_at IS NULL",
        )
        .bind(ms(at))
        .bind(token_hash)
        .execute(&self.pool)
        .await
        .map_err(error::db("revoke an access token"))?;
        Ok(())
    }

    async fn revoke_tokens_of_code(&self, code_hash: &str, at: OffsetDateTime) -> StoreResult<()> {
        let mut tx = crate::connect::begin_write(&self.pool, self.backend).await?;
        for table in ["oidc_tokens", "oidc_refresh_tokens"] {
            sqlx::query(AssertSqlSafe(format!(
                "UPDATE {table} SET revoked_at = $1 WHERE code_hash = $2 AND revoked_at IS NULL"
            )))
            .bind(ms(at))
            .bind(code_hash)
            .execute(&mut *tx)
            .await
            .map_err(error::db("revoke tokens of code"))?;
        }
        tx.commit().await.map_err(error::db("commit"))?;
        Ok(())
    }

    async fn insert_refresh_token(&self, t: &RefreshToken) -> StoreResult<()> {
        let mut conn = self.pool.acquire().await.map_err(error::db("acquire"))?;
        insert_refresh(&mut conn, t).await
    }

    async fn refresh_token(&self, token_hash: &str) -> StoreResult<Option<RefreshToken>> {
        sqlx::query(AssertSqlSafe(format!(
            "SELECT {REFRESH_COLUMNS} FROM oidc_refresh_tokens WHERE token_hash = $1"
        )))
        .bind(token_hash)
        .fetch_optional(&self.pool)
        .await
        .map_err(error::db("refresh token"))?
        .as_ref()
        .map(refresh_from_row)
        .transpose()
    }

    async fn rotate_refresh_token(
        &self,
        used_hash: &str,
        at: OffsetDateTime,
        next: &RefreshToken,
        access: &AccessToken,
    ) -> StoreResult<bool> {
        let mut tx = crate::connect::begin_write(&self.pool, self.backend).await?;
        let used = sqlx::query(
            "UPDATE oidc_refresh_tokens SET used_at = $1 \
             WHERE token_hash = $2 AND used_at IS NULL AND revoked_at IS NULL",
        )
        .bind(ms(at))
        .bind(used_hash)
        .execute(&mut *tx)
        .await
        .map_err(error::db("use refresh token"))?;
        if used.rows_affected() != 1 {
            return Ok(false);
        }
        insert_refresh(&mut tx, next).await?;
        insert_access(&mut tx, access).await?;
        tx.commit().await.map_err(error::db("commit"))?;
        Ok(true)
    }

    async fn revoke_tokens_of_client(
        &self,
        account_id: &str,
        client_id: &str,
        at: OffsetDateTime,
    ) -> StoreResult<()> {
        let mut tx = crate::connect::begin_write(&self.pool, self.backend).await?;
        revoke_account_tokens(&mut tx, account_id, client_id, at).await?;
        tx.commit().await.map_err(error::db("commit"))?;
        Ok(())
    }

    async fn consent(&self, account_id: &str, client_id: &str) -> StoreResult<Option<Consent>> {
        sqlx::query(
            "SELECT account_id, client_id, scope, granted_at, revoked_at FROM oidc_consents \
             WHERE account_id = $1 AND client_id = $2",
        )
        .bind(account_id)
        .bind(client_id)
        .fetch_optional(&self.pool)
        .await
        .map_err(error::db("oidc consent"))?
        .as_ref()
        .map(consent_from_row)
        .transpose()
    }

    async fn consents(&self, account_id: &str) -> StoreResult<Vec<Consent>> {
        let rows = sqlx::query(
            "SELECT account_id, client_id, scope, granted_at, revoked_at FROM oidc_consents \
             WHERE account_id = $1 ORDER BY granted_at DESC",
        )
        .bind(account_id)
        .fetch_all(&self.pool)
        .await
        .map_err(error::db("oidc consents"))?;
        rows.iter().map(consent_from_row).collect()
    }

    async fn save_consent(&self, c: &Consent) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO oidc_consents (account_id, client_id, scope, granted_at, revoked_at) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (account_id, client_id) DO UPDATE SET \
             scope = $3, granted_at = $4, revoked_at = $5",
        )
        .bind(&c.account_id)
        .bind(&c.client_id)
        .bind(c.scope.join(" "))
        .bind(ms(c.granted_at))
        .bind(opt_ms(c.revoked_at))
        .execute(&self.pool)
        .await
        .map_err(error::db("save oidc consent"))?;
        Ok(())
    }

    async fn purge_expired(&self, now: OffsetDateTime) -> StoreResult<u64> {
        let mut removed = 0;
        for sql in [
            "DELETE FROM oidc_requests WHERE expires_at <= $1",
            "DELETE FROM oidc_codes WHERE expires_at <= $1",
            "DELETE FROM oidc_tokens WHERE expires_at <= $1",
            "DELETE FROM oidc_refresh_tokens WHERE expires_at <= $1",
            "DELETE FROM oidc_assertion_ids WHERE expires_at <= $1",
            // Dispatched app events are kept a week (their tokens are in the outbox).
            "DELETE FROM app_events WHERE dispatched_at <= $1 - 604800000",
            // The record of tokens sent to apps is kept 30 days.
            "DELETE FROM app_deliveries WHERE created_at <= $1 - 2592000000",
        ] {
            removed += sqlx::query(sql)
                .bind(ms(now))
                .execute(&self.pool)
                .await
                .map_err(error::db("purge expired oidc rows"))?
                .rows_affected();
        }
        Ok(removed)
    }

    async fn remember_assertion(
        &self,
        jti_hash: &str,
        expires_at: OffsetDateTime,
        now: OffsetDateTime,
    ) -> StoreResult<bool> {
        sqlx::query("DELETE FROM oidc_assertion_ids WHERE expires_at <= $1")
            .bind(ms(now))
            .execute(&self.pool)
            .await
            .map_err(error::db("expire assertion ids"))?;
        let done = sqlx::query(
            "INSERT INTO oidc_assertion_ids (jti_hash, expires_at) VALUES ($1, $2) \
             ON CONFLICT (jti_hash) DO NOTHING",
        )
        .bind(jti_hash)
        .bind(ms(expires_at))
        .execute(&self.pool)
        .await
        .map_err(error::db("remember assertion id"))?;
        Ok(done.rows_affected() == 1)
    }
}

/// An app and everything issued to it, in the caller's transaction; fails (rolling the
/// change back) when no such app is registered.
pub(crate) async fn delete_client(
    conn: &mut sqlx::AnyConnection,
    client_id: &str,
) -> StoreResult<()> {
    for table in [
        "oidc_requests",
        "oidc_codes",
        "oidc_tokens",
        "oidc_refresh_tokens",
        "oidc_consents",
        "app_deliveries",
    ] {
        sqlx::query(AssertSqlSafe(format!(
            "DELETE FROM {table} WHERE client_id = $1"
        )))
        .bind(client_id)
        .execute(&mut *conn)
        .await
        .map_err(error::db("delete an app's grants"))?;
    }
    let done = sqlx::query("DELETE FROM oidc_clients WHERE client_id = $1")
        .bind(client_id)
        .execute(&mut *conn)
        .await
        .map_err(error::db("delete an app"))?;
    if done.rows_affected() == 0 {
        return Err(sa_domain::store::StoreError::GuardFailed("no such app"));
    }
    Ok(())
}
