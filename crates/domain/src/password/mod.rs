//! Passwords: the policy a new password must meet, and the bounded Argon2id hasher.
//!
//! Policy (NIST SP 800-63B-4 §3.1.1.2): 12 to 128 characters of any Unicode, NFC-normalised
//! before hashing, no composition rules, refused when zxcvbn rates it weak (score < 3) or
//! when it contains the username or email. Each refusal says why.
//!
//! Hashing: Argon2id, m = 19456 KiB, t = 2, p = 1 (OWASP ASVS 4.0.3 V2.4), 16-byte salt
//! per hash, PHC string output, and an optional server-side pepper (Argon2 "secret").
//! Hashing is CPU- and memory-heavy, so it runs on a few dedicated threads with a
//! bounded queue ([`hasher`]): a flood of sign-ins waits (or is told to retry) instead
//! of exhausting memory.

mod argon;
mod hasher;
pub mod legacy;
mod policy;

pub use argon::{ARGON2_ITERATIONS, ARGON2_MEMORY_KIB, ARGON2_PARALLELISM};
pub use hasher::{HashTurn, PasswordHasher};
pub use policy::{
    MAX_PASSWORD_CHARS, MIN_PASSWORD_CHARS, MIN_ZXCVBN_SCORE, PasswordRating, check_new_password,
    normalise, rate_new_password,
};

use crate::DomainResult;

/// Hash once, synchronously, with fresh Argon2 memory (callers off the runtime:
/// benchmarks and test fixtures; the service hashes through [`PasswordHasher`]).
pub fn hash_blocking(pepper: Option<&[u8]>, password: &str) -> DomainResult<String> {
    hasher::Workspace::default().hash(pepper, password)
}

/// Verify once, synchronously, against a PHC string (see [`hash_blocking`]).
pub fn verify_blocking(pepper: Option<&[u8]>, password: &str, phc: &str) -> DomainResult<bool> {
    hasher::Workspace::default().verify(pepper, password, phc)
}

/// Verify `times` times in a row reusing one Argon2 memory, as each of the service's
/// hashing threads does; whether every verification matched. What "bare Argon2id" means
/// in the sign-in benchmark: fresh memory per hash ([`verify_blocking`]) costs page
/// faults the service does not pay.
pub fn verify_repeatedly(
    pepper: Option<&[u8]>,
    password: &str,
    phc: &str,
    times: usize,
) -> DomainResult<bool> {
    let mut workspace = hasher::Workspace::default();
    let mut all = true;
    for _ in 0..times {
        all &= workspace.verify(pepper, password, phc)?;
    }
    Ok(all)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::DomainError;

    fn reason(password: &str) -> String {
        match check_new_password(password, "taxpayer", "pat@example.test") {
            Err(DomainError::Invalid { message, .. }) => message.to_string(),
            other => panic!("expected a refusal, got {other:?}"),
        }
    }

    #[test]
    fn length_limits_are_12_and_128_characters() {
        assert!(reason("short words").contains("at least 12"));
        assert!(reason(&"x".repeat(129)).contains("at most 128"));
        assert!(
            check_new_password(
                "marble trumpet winter ocean",
                "taxpayer",
                "pat@example.test"
            )
            .is_ok()
        );
    }

    #[test]
    fn counts_characters_not_bytes() {
        // 12 characters, 24+ bytes: accepted by length, and strong enough.
        let password = "ñandú çé 鳥猫犬魚";
        assert!(password.chars().count() >= 12);
        assert!(check_new_password(password, "taxpayer", "pat@example.test").is_ok());
    }

    #[test]
    fn refuses_username_email_and_weak_passwords() {
        assert!(reason("my taxpayer secret 99").contains("username"));
        assert!(reason("password1234").contains("pattern"));
        assert!(reason("aaaaaaaaaaaaaaaa").contains("too easy"));
    }

    #[test]
    fn refuses_the_patterns_sprayers_try_first() {
        for sprayed in [
            "Spring2026!!",
            "Winter2025!!",
            "Summer2026!!",
            "Changeme2026!",
            "Letmein2026!!",
            "Secureaccess2026!",
            "my SecureAccess password",
        ] {
            assert!(reason(sprayed).contains("pattern"), "{sprayed}");
        }
        assert!(
            check_new_password(
                "spring lantern mosaic tulip",
                "taxpayer",
                "pat@example.test"
            )
            .is_ok()
        );
    }

    #[test]
    fn ratings_agree_with_the_check() {
        let weak = rate_new_password("Spring2026!!", "taxpayer", "pat@example.test");
        assert!(!weak.acceptable && weak.score < MIN_ZXCVBN_SCORE);
        assert!(
            weak.message
                .is_some_and(|m| m.to_string().contains("pattern"))
        );
        let short = rate_new_password("short", "taxpayer", "pat@example.test");
        assert!(
            short
                .message
                .is_some_and(|m| m.to_string().contains("at least 12"))
        );
        let long = rate_new_password(&"x".repeat(5000), "taxpayer", "pat@example.test");
        assert_eq!(long.score, 0);
        assert!(
            long.message
                .is_some_and(|m| m.to_string().contains("at most 128"))
        );
        let strong = rate_new_password(
            "copper lantern meadow violin",
            "taxpayer",
            "pat@example.test",
        );
        assert_eq!((strong.acceptable, strong.message), (true, None));
        assert!(strong.score >= MIN_ZXCVBN_SCORE);
    }

    #[test]
    fn nfc_and_nfd_forms_hash_alike() {
        let nfc = "caf\u{e9} lantern mosaic";
        let nfd = "cafe\u{301} lantern mosaic";
        let phc = hash_blocking(None, &normalise(nfc)).unwrap();
        assert!(verify_blocking(None, &normalise(nfd), &phc).unwrap());
    }

    #[test]
    fn hashes_are_argon2id_with_the_asvs_parameters() {
        let phc = hash_blocking(None, "lantern mosaic tulip").unwrap();
        assert!(phc.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{phc}");
    }

    #[test]
    fn pepper_changes_the_hash() {
        let phc = hash_blocking(Some(b"pepper"), "lantern mosaic tulip").unwrap();
        assert!(verify_blocking(Some(b"pepper"), "lantern mosaic tulip", &phc).unwrap());
        assert!(!verify_blocking(None, "lantern mosaic tulip", &phc).unwrap());
    }
}
