//! Authenticator-app codes (RFC 6238 over RFC 4226): SHA-1, 6 digits, 30-second steps,
//! accepted one step either side of now. Secrets are 160 random bits.
//!
//! Replay: each accepted code's time step is returned, and the caller stores it; a code
//! whose step is not later than the last accepted step is a replay ([`TotpCheck::Replayed`]).

use totp_rs::{Algorithm, Builder, Totp};

use crate::{DomainError, DomainResult};

use crate::keys::{constant_time_eq, random_bytes};

pub const SECRET_BYTES: usize = 20;
pub const DIGITS: usize = 6;
pub const STEP_SECONDS: u64 = 30;
/// Steps accepted either side of the current one.
pub const SKEW_STEPS: i64 = 1;

/// A new 160-bit secret.
pub fn new_secret() -> Vec<u8> {
    random_bytes::<SECRET_BYTES>().to_vec()
}

/// Base32 (RFC 4648, no padding) as authenticator apps expect it.
pub fn secret_base32(secret: &[u8]) -> String {
    data_encoding::BASE32_NOPAD.encode(secret)
}

/// The HMAC hash of an OTP generator (RFC 6238 §1.2 allows SHA-1, SHA-256, SHA-512).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OtpHash {
    Sha1,
    Sha256,
    Sha512,
}

/// The RFC 6238 code for `unix_seconds` with any hash and digit count (T0 = 0, 30 s
/// steps). With a time of `counter * 30` it is the RFC 4226 HOTP value for `counter`.
pub fn generate(hash: OtpHash, digits: usize, secret: &[u8], unix_seconds: u64) -> String {
    let algorithm = match hash {
        OtpHash::Sha1 => Algorithm::SHA1,
        OtpHash::Sha256 => Algorithm::SHA256,
        OtpHash::Sha512 => Algorithm::SHA512,
    };
    // Not the RFC checks of `build`: the RFC's own vectors use 8 digits and the seeds
    // of any length the callers pass.
    Builder::new()
        .with_algorithm(algorithm)
        .with_digits(u8::try_from(digits).unwrap_or(u8::MAX))
        .with_skew(1)
        .with_step_duration(STEP_SECONDS)
        .with_secret(secret.to_vec())
        .build_noncompliant()
        .generate(unix_seconds)
        .to_string()
}

fn totp(secret: &[u8], issuer: &str, account: &str) -> Totp {
    Builder::new()
        .with_algorithm(Algorithm::SHA1)
        .with_digits(DIGITS as u8)
        .with_skew(1)
        .with_step_duration(STEP_SECONDS)
        .with_secret(secret.to_vec())
        .with_issuer(Some(issuer))
        .with_account_name(account)
        .build_noncompliant()
}

/// The `otpauth://` URI an app scans from the QR code.
pub fn otpauth_uri(secret: &[u8], issuer: &str, account: &str) -> DomainResult<String> {
    totp(secret, issuer, account)
        .to_url()
        .map_err(|e| DomainError::unavailable(format!("otpauth URI: {e}")))
}

/// The code for the step containing `unix_seconds` (used by tests and the demo).
pub fn code_at(secret: &[u8], unix_seconds: u64) -> String {
    generate(OtpHash::Sha1, DIGITS, secret, unix_seconds)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TotpCheck {
    /// Accepted at this time step.
    Accepted {
        step: i64,
    },
    /// A correct code for a step already used.
    Replayed,
    Wrong,
}

/// Check `code` at `unix_seconds`, given the last step already accepted for this secret.
pub fn check(secret: &[u8], code: &str, unix_seconds: i64, last_step: Option<i64>) -> TotpCheck {
    let code = code.trim().replace([' ', '-'], "");
    if code.len() != DIGITS || !code.bytes().all(|b| b.is_ascii_digit()) {
        return TotpCheck::Wrong;
    }
    let current = unix_seconds.div_euclid(STEP_SECONDS as i64);
    let mut matched = None;
    // Every candidate step is computed and compared, so timing does not reveal which matched.
    for step in (current - SKEW_STEPS)..=(current + SKEW_STEPS) {
        if step < 0 {
            continue;
        }
        let expected = code_at(secret, step as u64 * STEP_SECONDS);
        if constant_time_eq(expected.as_bytes(), code.as_bytes()) && matched.is_none() {
            matched = Some(step);
        }
    }
    match matched {
        Some(step) if last_step.is_some_and(|last| step <= last) => TotpCheck::Replayed,
        Some(step) => TotpCheck::Accepted { step },
        None => TotpCheck::Wrong,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_one_step_either_side_and_no_more() {
        let secret = new_secret();
        let now = 1_900_000_000_i64;
        for offset in [-30, 0, 30] {
            let code = code_at(&secret, (now + offset) as u64);
            assert!(
                matches!(check(&secret, &code, now, None), TotpCheck::Accepted { .. }),
                "{offset}"
            );
        }
        for offset in [-90, 90] {
            let code = code_at(&secret, (now + offset) as u64);
            assert_eq!(
                check(&secret, &code, now, None),
                TotpCheck::Wrong,
                "{offset}"
            );
        }
    }

    #[test]
    fn a_code_is_accepted_once() {
        let secret = new_secret();
        let now = 1_900_000_000_i64;
        let code = code_at(&secret, now as u64);
        let TotpCheck::Accepted { step } = check(&secret, &code, now, None) else {
            panic!()
        };
        assert_eq!(check(&secret, &code, now, Some(step)), TotpCheck::Replayed);
        // An earlier step's code is a replay too once a later one was used.
        let older = code_at(&secret, (now - 30) as u64);
        assert_eq!(check(&secret, &older, now, Some(step)), TotpCheck::Replayed);
    }

    #[test]
    fn secrets_are_160_bits_and_the_uri_names_the_issuer() {
        let secret = new_secret();
        assert_eq!(secret.len() * 8, 160);
        let uri = otpauth_uri(&secret, "Secure Access", "pat").unwrap();
        assert!(
            uri.starts_with("otpauth://totp/Secure%20Access:pat?secret="),
            "{uri}"
        );
        assert!(uri.contains(&secret_base32(&secret)));
    }
}
