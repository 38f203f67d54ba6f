//! Signing keys: one current ES256 key (the default) and one current RS256 key (for
//! apps that need it, and for SAML), generated on first start, private parts sealed
//! with the keyring. `rotate_signing_keys` makes the next keys: published at once (JWKS
//! and SAML metadata), signing from their activation (at once, or after a delay so
//! service providers that cache metadata see the next certificate first), when the old
//! ones retire; retired keys stay published until every token they signed has expired. Opened keys and the published list are
//! cached for a minute (so the JWKS costs no database read), and a rotation by the
//! command line reaches running servers without a restart.

use std::sync::Arc;

use sa_oidc::{SigningAlg, SigningKey};
use time::{Duration, OffsetDateTime};

use super::key_cache::{OpenedKey, PublishedKey, is_fresh};
use super::records::StoredKey;
use super::{OAuthError, OAuthResult, Provider};

const SIGNING_KEY_PURPOSE: &str = "oidc.signing_key";

/// What a rotation did.
#[derive(Debug, Clone)]
pub struct RotatedKeys {
    /// New current key ids.
    pub new_kids: Vec<String>,
    /// The new keys sign, and the old ones retire, from then.
    pub activates_at: OffsetDateTime,
    /// Old keys stay published until then.
    pub old_published_until: OffsetDateTime,
}

impl Provider {
    /// Generate the current key of each algorithm that has none.
    pub(super) async fn ensure_signing_keys(&self) -> OAuthResult<()> {
        let stored = self.store.signing_keys().await?;
        for alg in [SigningAlg::Es256, SigningAlg::Rs256] {
            if !stored
                .iter()
                .any(|k| k.alg == alg.as_str() && k.retired_at.is_none())
            {
                self.store_new_key(alg, None).await?;
            }
        }
        Ok(())
    }

    async fn store_new_key(
        &self,
        alg: SigningAlg,
        activates_at: Option<OffsetDateTime>,
    ) -> OAuthResult<String> {
        let key = tokio::task::spawn_blocking(move || SigningKey::generate(alg))
            .await
            .map_err(|_| OAuthError::new("server_error", "key generation stopped"))?
            .map_err(|e| OAuthError::new("server_error", e.to_string()))?;
        let der = key
            .to_pkcs8()
            .map_err(|e| OAuthError::new("server_error", e.to_string()))?;
        let stored = StoredKey {
            kid: key.kid.clone(),
            alg: alg.as_str().to_owned(),
            private_sealed: self.services.core().keys.seal(SIGNING_KEY_PURPOSE, &der)?,
            public_jwk: key.public_jwk(),
            created_at: self.now(),
            retired_at: None,
            publish_until: None,
            activates_at,
        };
        self.store.insert_signing_key(&stored).await?;
        self.forget_cached_keys();
        Ok(stored.kid)
    }

    /// Next keys for both algorithms, published now and signing after
    /// `activate_after` (zero: at once), when the old ones retire; the old ones stay
    /// published until the tokens and assertions they signed have expired.
    pub async fn rotate_signing_keys(&self, activate_after: Duration) -> OAuthResult<RotatedKeys> {
        let activate_after = activate_after.max(Duration::ZERO);
        let activates_at = self.now() + activate_after;
        let until = activates_at
            + Duration::seconds(
                self.config
                    .id_token_ttl_secs
                    .max(self.config.access_token_ttl_secs),
            )
            + Duration::minutes(5);
        let scheduled = (activate_after > Duration::ZERO).then_some(activates_at);
        let mut new_kids = Vec::new();
        for alg in [SigningAlg::Es256, SigningAlg::Rs256] {
            let kid = self.store_new_key(alg, scheduled).await?;
            self.store
                .retire_signing_keys(alg.as_str(), &kid, activates_at, until)
                .await?;
            new_kids.push(kid);
        }
        self.forget_cached_keys();
        Ok(RotatedKeys {
            new_kids,
            activates_at,
            old_published_until: until,
        })
    }

    fn forget_cached_keys(&self) {
        if let Ok(mut loaded) = self.keys.loaded.lock() {
            *loaded = None;
        }
        if let Ok(mut published) = self.keys.published.lock() {
            *published = None;
        }
    }

    /// Remember the published keys of a fresh read of the signing keys.
    fn remember_published(
        &self,
        now: OffsetDateTime,
        stored: &[StoredKey],
    ) -> Arc<Vec<PublishedKey>> {
        let published: Arc<Vec<PublishedKey>> = Arc::new(
            stored
                .iter()
                .map(|k| (k.public_jwk.clone(), k.publish_until))
                .collect(),
        );
        if let Ok(mut cached) = self.keys.published.lock() {
            *cached = Some((now, published.clone()));
        }
        published
    }

    /// A stored key's private part, unsealed; `None` for an algorithm we do not know.
    pub(super) fn open_key(&self, stored: &StoredKey) -> OAuthResult<Option<SigningKey>> {
        let Some(alg) = SigningAlg::parse(&stored.alg) else {
            return Ok(None);
        };
        let der = self
            .services
            .core()
            .keys
            .open(SIGNING_KEY_PURPOSE, &stored.private_sealed)?;
        SigningKey::from_pkcs8(&stored.kid, alg, &der)
            .map(Some)
            .map_err(|e| OAuthError::new("server_error", e.to_string()))
    }

    /// The keys not retired when read (current, next, and ones retiring later), opened.
    pub(super) async fn current_keys(&self) -> OAuthResult<Arc<Vec<OpenedKey>>> {
        let now = self.now();
        if let Ok(loaded) = self.keys.loaded.lock()
            && let Some((at, keys)) = loaded.as_ref()
            && is_fresh(*at, now)
        {
            return Ok(keys.clone());
        }
        let all = self.store.signing_keys().await?;
        self.remember_published(now, &all);
        let mut keys = Vec::new();
        for stored in all {
            if stored.retired_at.is_some_and(|at| at <= now) {
                continue;
            }
            let Some(key) = self.open_key(&stored)? else {
                continue;
            };
            keys.push(OpenedKey {
                key,
                created_at: stored.created_at,
                activates_at: stored.activates_at,
                retired_at: stored.retired_at,
            });
        }
        let keys = Arc::new(keys);
        if let Ok(mut loaded) = self.keys.loaded.lock() {
            *loaded = Some((now, keys.clone()));
        }
        Ok(keys)
    }

    /// Sign claims with the current key of `alg` (`ES256` or `RS256`).
    pub(super) async fn sign(&self, alg: &str, claims: &serde_json::Value) -> OAuthResult<String> {
        self.sign_typed(alg, claims, "JWT").await
    }

    /// Sign with the current key of `alg`, with header `typ`.
    pub(super) async fn sign_typed(
        &self,
        alg: &str,
        claims: &serde_json::Value,
        typ: &str,
    ) -> OAuthResult<String> {
        let keys = self.current_keys().await?;
        let now = self.now();
        let key = keys
            .iter()
            .rev()
            .find(|k| k.key.alg.as_str() == alg && k.signs_at(now))
            .ok_or_else(|| OAuthError::new("server_error", format!("no current {alg} key")))?;
        key.key
            .sign_jwt_typed(claims, typ)
            .map_err(|e| OAuthError::new("server_error", e.to_string()))
    }

    /// The published keys: current ones and retired ones still within their window.
    pub async fn jwks(&self) -> OAuthResult<serde_json::Value> {
        let now = self.now();
        let cached = self
            .keys
            .published
            .lock()
            .ok()
            .and_then(|cached| cached.clone())
            .filter(|(at, _)| is_fresh(*at, now))
            .map(|(_, published)| published);
        let published = match cached {
            Some(published) => published,
            None => self.remember_published(now, &self.store.signing_keys().await?),
        };
        let public: Vec<serde_json::Value> = published
            .iter()
            .filter(|(_, until)| until.is_none_or(|until| until > now))
            .map(|(jwk, _)| jwk.clone())
            .collect();
        Ok(sa_oidc::jwks(&public))
    }
}
