//! Password hashes moved over from the older tools (`accounts import-legacy`): bcrypt
//! (`$2a$`, `$2b$`, `$2y$`), PBKDF2-SHA256 in PHC form (`$pbkdf2-sha256$i=…,l=…$salt$hash`)
//! and Argon2id in PHC form. They are stored as `legacy:<PHC string>` so that the
//! service's pepper (which the old systems never used) is not applied to them, and
//! replaced by a current Argon2id hash at the first sign-in that proves the password.
//!
//! Verification uses the `bcrypt` and `pbkdf2` crates (RustCrypto), and `argon2` for
//! imported Argon2id hashes, each comparing in constant time.

use argon2::password_hash::PasswordVerifier;
use argon2::password_hash::phc::PasswordHash;

use crate::{DomainError, DomainResult};

/// What marks a stored hash as imported.
pub const LEGACY_PREFIX: &str = "legacy:";

/// The most work an imported hash may ask for: bcrypt cost, PBKDF2 rounds, Argon2 memory
/// in KiB (an import file must not be able to stall the hashing threads).
const MAX_BCRYPT_COST: u32 = 14;
const MAX_PBKDF2_ROUNDS: u32 = 2_000_000;
const MAX_ARGON2_MEMORY_KIB: u32 = 256 * 1024;

/// The kinds of imported hash.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LegacyKind {
    Bcrypt,
    Pbkdf2Sha256,
    Argon2id,
}

/// Check a hash from an import file: a supported format within the work limits.
/// The error names the problem (never the hash).
pub fn check_import(phc: &str) -> Result<LegacyKind, &'static str> {
    if phc.starts_with("$2a$") || phc.starts_with("$2b$") || phc.starts_with("$2y$") {
        let cost: u32 = phc
            .get(4..6)
            .and_then(|c| c.parse().ok())
            .ok_or("bcrypt hash without a cost")?;
        if phc.len() != 60 {
            return Err("bcrypt hash is not 60 characters");
        }
        if !(4..=MAX_BCRYPT_COST).contains(&cost) {
            return Err("bcrypt cost outside 4..=14");
        }
        return Ok(LegacyKind::Bcrypt);
    }
    let parsed = PasswordHash::new(phc).map_err(|_| "not a PHC string or bcrypt hash")?;
    if parsed.salt.is_none() || parsed.hash.is_none() {
        return Err("PHC string without a salt or hash");
    }
    match parsed.algorithm.as_str() {
        "pbkdf2-sha256" => {
            let rounds = parsed
                .params
                .get_decimal("i")
                .ok_or("pbkdf2 hash without rounds (i=)")?;
            if !(1000..=MAX_PBKDF2_ROUNDS).contains(&rounds) {
                return Err("pbkdf2 rounds outside 1000..=2000000");
            }
            Ok(LegacyKind::Pbkdf2Sha256)
        }
        "argon2id" => {
            let memory = parsed
                .params
                .get_decimal("m")
                .ok_or("argon2id hash without memory (m=)")?;
            if memory > MAX_ARGON2_MEMORY_KIB {
                return Err("argon2id memory above 256 MiB");
            }
            argon2::Params::try_from(&parsed).map_err(|_| "argon2id parameters not valid")?;
            Ok(LegacyKind::Argon2id)
        }
        _ => Err("hash algorithm not supported (bcrypt, pbkdf2-sha256, argon2id)"),
    }
}

/// Whether a stored hash is an imported one (to be replaced at the next sign-in).
pub fn is_legacy(stored: &str) -> bool {
    stored.starts_with(LEGACY_PREFIX)
}

/// Verify `password` against an imported hash (`stored` without its prefix). The old
/// system hashed what the person typed; the NFC form is tried too, since people type
/// the same password on other devices.
pub(super) fn verify(password: &str, normalised: &str, phc: &str) -> DomainResult<bool> {
    let kind = check_import(phc).map_err(DomainError::unavailable)?;
    let candidates: &[&str] = if password == normalised {
        &[password]
    } else {
        &[password, normalised]
    };
    for candidate in candidates {
        let matched = match kind {
            LegacyKind::Bcrypt => bcrypt::verify(candidate.as_bytes(), phc)
                .map_err(|e| DomainError::unavailable(format!("bcrypt: {e}")))?,
            LegacyKind::Pbkdf2Sha256 => {
                let parsed = PasswordHash::new(phc)
                    .map_err(|e| DomainError::unavailable(format!("pbkdf2: {e}")))?;
                pbkdf2::Pbkdf2::default()
                    .verify_password(candidate.as_bytes(), &parsed)
                    .is_ok()
            }
            LegacyKind::Argon2id => {
                let parsed = PasswordHash::new(phc)
                    .map_err(|e| DomainError::unavailable(format!("argon2: {e}")))?;
                argon2::Argon2::default()
                    .verify_password(candidate.as_bytes(), &parsed)
                    .is_ok()
            }
        };
        if matched {
            return Ok(true);
        }
    }
    Ok(false)
}

#[cfg(test)]
mod tests {
    use super::*;
    use argon2::password_hash::PasswordHasher as _;

    const PASSWORD: &str = "old tool password 1";

    fn bcrypt_hash() -> String {
        bcrypt::hash(PASSWORD, 4).unwrap()
    }

    fn pbkdf2_hash() -> String {
        pbkdf2::Pbkdf2::default()
            .hash_password_with_salt(PASSWORD.as_bytes(), b"saltsaltsaltsalt")
            .unwrap()
            .to_string()
    }

    #[test]
    fn hashes_made_by_the_crates_verify() {
        for phc in [bcrypt_hash(), pbkdf2_hash()] {
            assert!(verify(PASSWORD, PASSWORD, &phc).unwrap(), "{phc}");
            assert!(!verify("wrong password", "wrong password", &phc).unwrap());
        }
    }

    #[test]
    fn imports_are_checked() {
        assert_eq!(check_import(&bcrypt_hash()), Ok(LegacyKind::Bcrypt));
        assert_eq!(check_import(&pbkdf2_hash()), Ok(LegacyKind::Pbkdf2Sha256));
        assert!(check_import("plain text password").is_err());
        assert!(check_import("$md5$abc").is_err());
        let too_costly = bcrypt::hash(PASSWORD, 4)
            .unwrap()
            .replacen("$04$", "$20$", 1);
        assert!(check_import(&too_costly).is_err());
    }
}
