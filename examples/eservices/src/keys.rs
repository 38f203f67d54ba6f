//! This app's own key pair for `private_key_jwt` client authentication.
//!
//! ```text
//!  first start: SigningKey::generate(ES256) ─► <data>/client-key.json   (private, 0600)
//!                                           └► <data>/client-jwks.json  (public: register it)
//!  later starts: client-key.json ─► SigningKey::from_pkcs8
//!  each token request: assertion { iss = sub = client_id, aud = token endpoint, jti, iat, exp = iat + 60 }
//! ```
//!
//! The private key never leaves the data directory; the provider only ever sees the
//! public JWKS (registered by the operator) and signed assertions, each with a fresh
//! `jti` so it is accepted once.

use std::path::{Path, PathBuf};

use anyhow::Context;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use sa_oidc::{SigningAlg, SigningKey};
use serde::{Deserialize, Serialize};

/// How long an assertion is valid (the provider accepts up to an hour).
const ASSERTION_LIFETIME_SECS: u64 = 60;

/// The private key file's contents.
#[derive(Serialize, Deserialize)]
struct KeyFile {
    kid: String,
    alg: SigningAlg,
    /// PKCS#8 DER, base64.
    pkcs8: String,
}

/// The app's signing key and where its public half was written.
#[derive(Debug)]
pub struct ClientKey {
    key: SigningKey,
    /// The public JWKS file to register with Secure Access.
    pub jwks_file: PathBuf,
    /// Whether this start generated the key (the operator must register it).
    pub created: bool,
}

impl ClientKey {
    /// Read the key from `dir`, or generate one and write both files.
    pub fn load_or_create(dir: &Path) -> anyhow::Result<Self> {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("cannot create the data directory {}", dir.display()))?;
        let key_file = dir.join("client-key.json");
        let jwks_file = dir.join("client-jwks.json");
        let (key, created) = if key_file.exists() {
            let text = std::fs::read_to_string(&key_file)
                .with_context(|| format!("cannot read {}", key_file.display()))?;
            let stored: KeyFile = serde_json::from_str(&text)
                .with_context(|| format!("{} is not a key file", key_file.display()))?;
            let der = STANDARD
                .decode(stored.pkcs8.as_bytes())
                .with_context(|| format!("{} holds no valid key", key_file.display()))?;
            let key = SigningKey::from_pkcs8(&stored.kid, stored.alg, &der)
                .map_err(|e| anyhow::anyhow!("{}: {e}", key_file.display()))?;
            (key, false)
        } else {
            let key = SigningKey::generate(SigningAlg::Es256)
                .map_err(|e| anyhow::anyhow!("cannot generate the app's key: {e}"))?;
            let der = key
                .to_pkcs8()
                .map_err(|e| anyhow::anyhow!("cannot encode the app's key: {e}"))?;
            let stored = KeyFile {
                kid: key.kid.clone(),
                alg: key.alg,
                pkcs8: STANDARD.encode(&der[..]),
            };
            write_private(&key_file, &serde_json::to_vec_pretty(&stored)?)?;
            (key, true)
        };
        // The public half is rewritten on every start, so a deleted file comes back.
        let jwks = sa_oidc::jwks(&[key.public_jwk()]);
        std::fs::write(&jwks_file, serde_json::to_vec_pretty(&jwks)?)
            .with_context(|| format!("cannot write {}", jwks_file.display()))?;
        Ok(Self {
            key,
            jwks_file,
            created,
        })
    }

    /// The public JWKS (what the operator registers).
    pub fn public_jwks(&self) -> serde_json::Value {
        sa_oidc::jwks(&[self.key.public_jwk()])
    }

    /// A client assertion (RFC 7523) for one token request. Its audience is the
    /// provider's issuer identifier, never the token endpoint: an assertion made for
    /// one server then cannot be replayed at another (audience injection).
    pub fn assertion(&self, client_id: &str, issuer: &str) -> anyhow::Result<String> {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .context("the system clock is before 1970")?
            .as_secs();
        let jti = openidconnect::CsrfToken::new_random_len(32);
        self.key
            .sign_jwt(&serde_json::json!({
                "iss": client_id,
                "sub": client_id,
                "aud": issuer,
                "jti": jti.secret(),
                "iat": now,
                "exp": now + ASSERTION_LIFETIME_SECS,
            }))
            .map_err(|e| anyhow::anyhow!("cannot sign the client assertion: {e}"))
    }
}

/// Write a new file readable by its owner only.
fn write_private(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options
        .open(path)
        .with_context(|| format!("cannot create {}", path.display()))?;
    file.write_all(bytes)
        .and_then(|()| file.sync_all())
        .with_context(|| format!("cannot write {}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_key_is_made_once_and_its_public_half_is_published() {
        let dir = tempfile::tempdir().unwrap();
        let first = ClientKey::load_or_create(dir.path()).unwrap();
        assert!(first.created);
        let again = ClientKey::load_or_create(dir.path()).unwrap();
        assert!(!again.created, "the second start reads the same key");
        assert_eq!(first.public_jwks(), again.public_jwks());
        let published: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&again.jwks_file).unwrap()).unwrap();
        assert_eq!(published, first.public_jwks());
        assert!(published["keys"][0].get("d").is_none(), "no private part");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.path().join("client-key.json"))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }

    #[test]
    fn an_assertion_verifies_against_the_published_keys() {
        let dir = tempfile::tempdir().unwrap();
        let key = ClientKey::load_or_create(dir.path()).unwrap();
        let jwt = key.assertion("eservices", "http://127.0.0.1:8080").unwrap();
        let verified = sa_oidc::verify_jwt(&jwt, &key.public_jwks()).unwrap();
        let now = verified.claims["iat"].as_i64().unwrap();
        let jti = sa_oidc::check_client_assertion(
            &verified.claims,
            "eservices",
            &sa_oidc::AudienceRule {
                issuer: "http://127.0.0.1:8080",
                legacy_token_endpoint: None,
            },
            now,
        )
        .unwrap();
        assert!(jti.len() >= 32);
    }
}
