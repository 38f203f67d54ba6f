//! The keyring: everything secret the service holds, and the operations on it.
//!
//! - **Data at rest** (emails, phone numbers, TOTP secrets, outbox payloads) is sealed
//!   with AES-256-GCM under the *current* data key. The stored text is
//!   `KEY_ID:BASE64(nonce || ciphertext)`, so older keys can still open older rows while
//!   new rows use the newest key. The purpose (for example `account.email`) is bound in
//!   as associated data, so a sealed value cannot be moved to another column.
//! - **Fingerprints** of low-entropy secrets (6-digit codes, backup codes, usernames used
//!   as rate-limit keys) are HMAC-SHA-256 under the MAC key: a stolen database alone does
//!   not allow brute-forcing them offline.
//! - **Tokens** (sessions) are 256-bit random values; only their SHA-256 is stored.

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use hmac::{Hmac, Mac};
use rand::Rng;
use rand::rand_core::UnwrapErr;
use rand::rngs::SysRng;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

use crate::{DomainError, DomainResult};

/// The serialised form of the keyring (a JSON file in the data directory by default).
#[derive(Clone, Serialize, Deserialize)]
pub struct KeyMaterial {
    /// Id of the key new data is sealed with.
    pub current_data_key: String,
    /// Data keys by id, base64 of 32 bytes each.
    pub data_keys: BTreeMap<String, String>,
    /// HMAC key, base64 of 32 bytes.
    pub mac_key: String,
}

impl std::fmt::Debug for KeyMaterial {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KeyMaterial")
            .field("current_data_key", &self.current_data_key)
            .field("data_keys", &self.data_keys.keys().collect::<Vec<_>>())
            .finish_non_exhaustive()
    }
}

impl KeyMaterial {
    /// Fresh random keys, for a first start.
    pub fn generate() -> Self {
        let mut data_keys = BTreeMap::new();
        data_keys.insert("k1".to_owned(), STANDARD.encode(*random_bytes::<32>()));
        Self {
            current_data_key: "k1".to_owned(),
            data_keys,
            mac_key: STANDARD.encode(*random_bytes::<32>()),
        }
    }
}

pub struct Keyring {
    current: String,
    ciphers: BTreeMap<String, Aes256Gcm>,
    mac_key: Zeroizing<Vec<u8>>,
}

impl std::fmt::Debug for Keyring {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Keyring")
            .field("current", &self.current)
            .finish_non_exhaustive()
    }
}

impl Keyring {
    /// Build the keyring, checking every key: a bad key stops start-up with a clear message.
    pub fn new(material: &KeyMaterial) -> Result<Self, String> {
        let mut ciphers = BTreeMap::new();
        for (id, encoded) in &material.data_keys {
            if id.is_empty() || id.contains(':') {
                return Err(format!(
                    "data key id {id:?} must be non-empty and contain no ':'"
                ));
            }
            let raw = Zeroizing::new(
                STANDARD
                    .decode(encoded)
                    .map_err(|_| format!("data key {id} is not valid base64"))?,
            );
            let cipher = Aes256Gcm::new_from_slice(&raw)
                .map_err(|_| format!("data key {id} must be 32 bytes"))?;
            ciphers.insert(id.clone(), cipher);
        }
        if !ciphers.contains_key(&material.current_data_key) {
            return Err(format!(
                "current data key {:?} is not among the data keys",
                material.current_data_key
            ));
        }
        let mac_key = Zeroizing::new(
            STANDARD
                .decode(&material.mac_key)
                .map_err(|_| "mac key is not valid base64")?,
        );
        if mac_key.len() < 32 {
            return Err("mac key must be at least 32 bytes".to_owned());
        }
        Ok(Self {
            current: material.current_data_key.clone(),
            ciphers,
            mac_key,
        })
    }

    /// Seal `plaintext` for the column named by `purpose`.
    pub fn seal(&self, purpose: &str, plaintext: &[u8]) -> DomainResult<String> {
        let cipher = self
            .ciphers
            .get(&self.current)
            .ok_or_else(|| DomainError::unavailable("current data key missing"))?;
        let nonce_bytes = random_bytes::<12>();
        let nonce = Nonce::try_from(&nonce_bytes[..])
            .map_err(|_| DomainError::unavailable("nonce length"))?;
        let sealed = cipher
            .encrypt(
                &nonce,
                Payload {
                    msg: plaintext,
                    aad: purpose.as_bytes(),
                },
            )
            .map_err(|_| DomainError::unavailable("encryption failed"))?;
        let mut out = Vec::with_capacity(12 + sealed.len());
        out.extend_from_slice(&nonce_bytes[..]);
        out.extend_from_slice(&sealed);
        Ok(format!("{}:{}", self.current, STANDARD.encode(out)))
    }

    pub fn seal_str(&self, purpose: &str, plaintext: &str) -> DomainResult<String> {
        self.seal(purpose, plaintext.as_bytes())
    }

    /// Open a value sealed by [`Keyring::seal`] under any key still in the ring.
    pub fn open(&self, purpose: &str, sealed: &str) -> DomainResult<Zeroizing<Vec<u8>>> {
        let (id, body) = sealed
            .split_once(':')
            .ok_or_else(|| DomainError::unavailable("sealed value malformed"))?;
        let cipher = self.ciphers.get(id).ok_or_else(|| {
            DomainError::unavailable(format!("data key {id} is not in the keyring"))
        })?;
        let raw = STANDARD
            .decode(body)
            .map_err(|_| DomainError::unavailable("sealed value malformed"))?;
        if raw.len() < 12 {
            return Err(DomainError::unavailable("sealed value malformed"));
        }
        let (nonce, ciphertext) = raw.split_at(12);
        let nonce = Nonce::try_from(nonce)
            .map_err(|_| DomainError::unavailable("sealed value malformed"))?;
        let plain = cipher
            .decrypt(
                &nonce,
                Payload {
                    msg: ciphertext,
                    aad: purpose.as_bytes(),
                },
            )
            .map_err(|_| DomainError::unavailable("sealed value failed authentication"))?;
        Ok(Zeroizing::new(plain))
    }

    pub fn open_string(&self, purpose: &str, sealed: &str) -> DomainResult<String> {
        let bytes = self.open(purpose, sealed)?;
        String::from_utf8(bytes.to_vec())
            .map_err(|_| DomainError::unavailable("sealed value not UTF-8"))
    }

    /// Keyed fingerprint of a secret or identifier, as lowercase hex.
    pub fn fingerprint(&self, purpose: &str, value: &[u8]) -> String {
        hex(&self.mac(purpose, value))
    }

    /// Raw HMAC-SHA-256 over `purpose || 0x00 || value`.
    pub fn mac(&self, purpose: &str, value: &[u8]) -> [u8; 32] {
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&self.mac_key)
            .unwrap_or_else(|_| unreachable_mac());
        mac.update(purpose.as_bytes());
        mac.update(&[0]);
        mac.update(value);
        mac.finalize().into_bytes().into()
    }
}

// HMAC accepts keys of any length, so construction cannot fail; this keeps the
// signature total without an `unwrap` on an input path.
fn unreachable_mac() -> Hmac<Sha256> {
    <Hmac<Sha256> as Mac>::new_from_slice(&[0u8; 32]).unwrap_or_else(|_| unreachable_mac())
}

/// The operating system's CSPRNG. (A failing OS generator is a broken machine: it
/// panics, as it always has, rather than hand out predictable values.)
pub fn os_rng() -> UnwrapErr<SysRng> {
    UnwrapErr(SysRng)
}

/// `N` bytes from the operating system's CSPRNG.
pub fn random_bytes<const N: usize>() -> Zeroizing<[u8; N]> {
    let mut bytes = Zeroizing::new([0u8; N]);
    os_rng().fill_bytes(&mut bytes[..]);
    bytes
}

/// A new bearer token (256 bits, URL-safe base64) and the hash that is stored.
pub fn new_token() -> (String, String) {
    let token = URL_SAFE_NO_PAD.encode(*random_bytes::<32>());
    let hash = hash_token(&token);
    (token, hash)
}

/// SHA-256 of a high-entropy token, as hex: how tokens are stored and looked up.
pub fn hash_token(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

/// Constant-time equality for secrets and their fingerprints.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && bool::from(a.ct_eq(b))
}

pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for byte in bytes {
        out.push(DIGITS[usize::from(byte >> 4)] as char);
        out.push(DIGITS[usize::from(byte & 0x0f)] as char);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ring() -> Keyring {
        Keyring::new(&KeyMaterial::generate()).unwrap()
    }

    #[test]
    fn sealed_values_open_only_for_their_purpose() {
        let ring = ring();
        let sealed = ring
            .seal_str("account.email", "someone@example.test")
            .unwrap();
        assert!(sealed.starts_with("k1:"));
        assert!(!sealed.contains("someone"));
        assert_eq!(
            ring.open_string("account.email", &sealed).unwrap(),
            "someone@example.test"
        );
        assert!(ring.open_string("factor.phone", &sealed).is_err());
    }

    #[test]
    fn older_keys_still_open_after_a_new_current_key() {
        let mut material = KeyMaterial::generate();
        let old = Keyring::new(&material).unwrap();
        let sealed = old.seal_str("p", "v").unwrap();
        material
            .data_keys
            .insert("k2".into(), STANDARD.encode([7u8; 32]));
        material.current_data_key = "k2".into();
        let rotated = Keyring::new(&material).unwrap();
        assert_eq!(rotated.open_string("p", &sealed).unwrap(), "v");
        assert!(rotated.seal_str("p", "v").unwrap().starts_with("k2:"));
    }

    #[test]
    fn bad_key_material_is_refused_with_a_reason() {
        let mut material = KeyMaterial::generate();
        material.current_data_key = "missing".into();
        assert!(Keyring::new(&material).unwrap_err().contains("missing"));
    }

    #[test]
    fn tokens_are_long_and_hashed() {
        let (token, hash) = new_token();
        assert!(token.len() >= 43);
        assert_eq!(hash, hash_token(&token));
        assert_ne!(token, hash);
    }
}
