//! Pairwise subject identifiers (OIDC Core §8.1): each sector (a relying party, or the
//! host of its `sector_identifier_uri`) sees a different, stable `sub` for the same
//! account, so two relying parties cannot join their records on it.
//!
//! `sub = BASE64URL(HMAC-SHA-256(secret, len(sector) || sector || account_id))`, with
//! `len` as 8 big-endian bytes so no two (sector, account) pairs share an input. The
//! secret is the service's pairwise key: rotating it changes every `sub`, so it is
//! kept, not rotated. The caller normalises the sector (for example, lowercases a host).

use hmac::digest::KeyInit;
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use crate::encoding::b64url;

/// SHA-256's block size: HMAC keys are hashed down to, or zero-padded up to, this.
const HMAC_BLOCK_LEN: usize = 64;

/// HMAC-SHA256, base64url, stable.
pub fn pairwise_sub(secret: &[u8], sector: &str, account_id: &str) -> String {
    let mut mac = hmac_sha256(secret);
    mac.update(&(sector.len() as u64).to_be_bytes());
    mac.update(sector.as_bytes());
    mac.update(account_id.as_bytes());
    b64url(&mac.finalize().into_bytes())
}

/// HMAC-SHA-256 keyed with `key` of any length. The key is brought to block size the
/// way RFC 2104 §2 does it, so the infallible fixed-size constructor applies (no
/// `unwrap` on the slice constructor's never-taken error path).
fn hmac_sha256(key: &[u8]) -> Hmac<Sha256> {
    let mut block = Zeroizing::new([0u8; HMAC_BLOCK_LEN]);
    if key.len() > HMAC_BLOCK_LEN {
        block[..32].copy_from_slice(&Sha256::digest(key));
    } else {
        block[..key.len()].copy_from_slice(key);
    }
    <Hmac<Sha256> as KeyInit>::new(&(*block).into())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(bytes: &[u8]) -> String {
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }

    #[test]
    fn hmac_matches_rfc4231_short_and_long_keys() {
        let mut mac = hmac_sha256(&[0x0b; 20]);
        mac.update(b"Hi There");
        assert_eq!(
            hex(&mac.finalize().into_bytes()),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"
        );
        let mut mac = hmac_sha256(&[0xaa; 131]);
        mac.update(b"Test Using Larger Than Block-Size Key - Hash Key First");
        assert_eq!(
            hex(&mac.finalize().into_bytes()),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"
        );
    }

    #[test]
    fn hmac_agrees_with_the_slice_constructor_for_every_key_length() {
        for len in 0..=200 {
            let key: Vec<u8> = (0..len).map(|i| i as u8).collect();
            let mut ours = hmac_sha256(&key);
            let mut reference = <Hmac<Sha256> as Mac>::new_from_slice(&key).unwrap();
            ours.update(b"message");
            reference.update(b"message");
            assert_eq!(
                ours.finalize().into_bytes(),
                reference.finalize().into_bytes(),
                "key length {len}"
            );
        }
    }
}
