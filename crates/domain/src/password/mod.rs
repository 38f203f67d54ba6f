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

mod hasher;

pub use hasher::{HashTurn, PasswordHasher};

use argon2::{Algorithm, Argon2, Params, Version};
use unicode_normalization::UnicodeNormalization;
use zeroize::Zeroizing;

use crate::{DomainError, DomainResult};

pub const MIN_PASSWORD_CHARS: usize = 12;
pub const MAX_PASSWORD_CHARS: usize = 128;
/// Argon2id memory cost in KiB (OWASP ASVS 4.0.3 V2.4.4 / OWASP cheat sheet minimum).
pub const ARGON2_MEMORY_KIB: u32 = 19_456;
pub const ARGON2_ITERATIONS: u32 = 2;
pub const ARGON2_PARALLELISM: u32 = 1;
/// Lowest zxcvbn score accepted (0..=4).
pub const MIN_ZXCVBN_SCORE: u8 = 3;

/// The NFC form of a password, zeroed when dropped.
pub fn normalise(password: &str) -> Zeroizing<String> {
    Zeroizing::new(password.nfc().collect())
}

/// Check a proposed password; `Ok` holds its normalised form.
pub fn check_new_password(
    password: &str,
    username: &str,
    email: &str,
) -> DomainResult<Zeroizing<String>> {
    let normalised = normalise(password);
    let chars = normalised.chars().count();
    if chars < MIN_PASSWORD_CHARS {
        return Err(DomainError::invalid(
            "password",
            format!(
                "Your password must be at least {MIN_PASSWORD_CHARS} characters long. A few unrelated words make a strong, memorable password."
            ),
        ));
    }
    if chars > MAX_PASSWORD_CHARS {
        return Err(DomainError::invalid(
            "password",
            format!("Your password must be at most {MAX_PASSWORD_CHARS} characters long."),
        ));
    }
    let lower = normalised.to_lowercase();
    let email_local = email.split('@').next().unwrap_or_default().to_lowercase();
    let username_lower = username.to_lowercase();
    if (!username_lower.is_empty() && lower.contains(&username_lower))
        || (email_local.len() >= 3 && lower.contains(&email_local))
    {
        return Err(DomainError::invalid(
            "password",
            "Your password must not contain your username or email address.",
        ));
    }
    // The letters of the password without digits and symbols: "Spring2026!!" is
    // "spring". Seasons, the service's name and the classic defaults with a year and
    // punctuation added are what password sprayers try first (NIST SP 800-63B-4 asks
    // for a blocklist and context words).
    let letters: String = lower.chars().filter(|c| c.is_alphabetic()).collect();
    if PREDICTABLE_WORDS.iter().any(|word| letters == *word)
        || CONTEXT_WORDS.iter().any(|word| letters.contains(word))
    {
        return Err(DomainError::invalid(
            "password",
            "That password follows a pattern attackers try first (a season, a common word or this service's name, with a year or symbols). Try a longer phrase of unrelated words.",
        ));
    }
    let estimate = zxcvbn::zxcvbn(&normalised, &[username, email]);
    if u8::from(estimate.score()) < MIN_ZXCVBN_SCORE {
        let hint = estimate
            .feedback()
            .and_then(|feedback| feedback.warning().map(|warning| warning.to_string()))
            .filter(|warning| !warning.is_empty())
            .map(|warning| format!(" ({warning})"))
            .unwrap_or_default();
        return Err(DomainError::invalid(
            "password",
            format!(
                "That password is too easy to guess{hint}. Try a longer phrase of unrelated words."
            ),
        ));
    }
    Ok(normalised)
}

/// How strong a proposed password is, for the meter on password forms: the same
/// checks as [`check_new_password`], so the meter never disagrees with the answer the
/// form will get.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PasswordRating {
    /// zxcvbn's score, 0 (weakest) to 4.
    pub score: u8,
    /// Whether the form would take it.
    pub acceptable: bool,
    /// Why not, when it would not.
    pub message: Option<String>,
}

/// Rate a proposed password (nothing is stored or logged).
pub fn rate_new_password(password: &str, username: &str, email: &str) -> PasswordRating {
    let normalised = normalise(password);
    // Too long to be taken: refused without estimating (the estimate's cost grows with
    // the length, and the meter's endpoint needs no sign-in).
    let score = if normalised.chars().count() > MAX_PASSWORD_CHARS {
        0
    } else {
        u8::from(zxcvbn::zxcvbn(&normalised, &[username, email]).score())
    };
    match check_new_password(password, username, email) {
        Ok(_) => PasswordRating {
            score,
            acceptable: true,
            message: None,
        },
        Err(DomainError::Invalid { message, .. }) => PasswordRating {
            score: score.min(MIN_ZXCVBN_SCORE - 1),
            acceptable: false,
            message: Some(message),
        },
        Err(other) => PasswordRating {
            score: 0,
            acceptable: false,
            message: Some(other.to_string()),
        },
    }
}

/// Words that, padded with digits and symbols, make the passwords sprayers try first.
const PREDICTABLE_WORDS: [&str; 16] = [
    "spring", "summer", "autumn", "fall", "winter", "password", "passw", "changeme", "letmein",
    "welcome", "qwerty", "admin", "iloveyou", "monkey", "dragon", "football",
];

/// The service's own name and what it is about: never part of a password.
const CONTEXT_WORDS: [&str; 3] = ["secureaccess", "irsgov", "eservices"];

fn argon2(pepper: Option<&[u8]>) -> DomainResult<Argon2<'_>> {
    let params = Params::new(
        ARGON2_MEMORY_KIB,
        ARGON2_ITERATIONS,
        ARGON2_PARALLELISM,
        None,
    )
    .map_err(|e| DomainError::unavailable(format!("argon2 params: {e}")))?;
    match pepper {
        Some(secret) => {
            Argon2::new_with_secret(secret, Algorithm::Argon2id, Version::V0x13, params)
                .map_err(|e| DomainError::unavailable(format!("argon2 pepper: {e}")))
        }
        None => Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params)),
    }
}

/// Hash once, synchronously, with fresh Argon2 memory (callers off the runtime:
/// benchmarks and test fixtures; the service hashes through [`PasswordHasher`]).
pub fn hash_blocking(pepper: Option<&[u8]>, password: &str) -> DomainResult<String> {
    hasher::Workspace::default().hash(pepper, password)
}

/// Verify once, synchronously, against a PHC string (see [`hash_blocking`]).
pub fn verify_blocking(pepper: Option<&[u8]>, password: &str, phc: &str) -> DomainResult<bool> {
    hasher::Workspace::default().verify(pepper, password, phc)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reason(password: &str) -> String {
        match check_new_password(password, "taxpayer", "pat@example.test") {
            Err(DomainError::Invalid { message, .. }) => message,
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
        assert!(weak.message.is_some_and(|m| m.contains("pattern")));
        let short = rate_new_password("short", "taxpayer", "pat@example.test");
        assert!(short.message.is_some_and(|m| m.contains("at least 12")));
        let long = rate_new_password(&"x".repeat(5000), "taxpayer", "pat@example.test");
        assert_eq!(long.score, 0);
        assert!(long.message.is_some_and(|m| m.contains("at most 128")));
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
