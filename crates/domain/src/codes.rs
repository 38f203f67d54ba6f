//! One-time codes and backup codes.
//!
//! - Numeric codes (email confirmation, SMS): 6 digits drawn uniformly from the OS CSPRNG.
//!   Only an HMAC fingerprint is stored ([`crate::keys::Keyring::fingerprint`]).
//! - Backup codes: 10 codes of 12 Crockford base32 characters (60 bits each), shown
//!   once as `XXXX-XXXX-XXXX`, stored as fingerprints, each usable once. Input is
//!   forgiving: case, spaces, dashes and the look-alikes `O`→`0`, `I`/`L`→`1` are folded.

use rand::RngExt;

use crate::keys::os_rng;

use crate::keys::Keyring;

pub const NUMERIC_CODE_DIGITS: usize = 6;
pub const BACKUP_CODE_COUNT: usize = 10;
const BACKUP_CODE_CHARS: usize = 12;
const CROCKFORD: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// What a one-time code is for; part of its fingerprint so codes cannot cross purposes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodePurpose {
    EmailConfirmation,
    SmsSignIn,
    PhoneEnrolment,
    /// The code that confirms the phone during identity proofing.
    ProofingPhone,
    /// The code that confirms the phone that replaces lost sign-in methods when a
    /// verified person proves their identity again.
    RecoveryPhone,
}

impl CodePurpose {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::EmailConfirmation => "email_confirmation",
            Self::SmsSignIn => "sms_sign_in",
            Self::PhoneEnrolment => "phone_enrolment",
            Self::ProofingPhone => "proofing_phone",
            Self::RecoveryPhone => "recovery_phone",
        }
    }
}

/// A fresh 6-digit code.
pub fn numeric_code() -> String {
    let n: u32 = os_rng().random_range(0..1_000_000);
    format!("{n:06}")
}

/// Keep only the digits a person typed ("123 456" and "123-456" are fine).
pub fn normalise_numeric(input: &str) -> Option<String> {
    let digits: String = input
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect();
    (digits.len() == NUMERIC_CODE_DIGITS && digits.bytes().all(|b| b.is_ascii_digit()))
        .then_some(digits)
}

/// Fingerprint of a code for storage and lookup.
pub fn fingerprint(keys: &Keyring, purpose: &str, code: &str) -> String {
    keys.fingerprint(purpose, code.as_bytes())
}

/// A fresh set of backup codes as shown to the person.
pub fn backup_codes() -> Vec<String> {
    (0..BACKUP_CODE_COUNT).map(|_| crockford_code()).collect()
}

/// 12 Crockford base32 characters (60 bits) from the OS CSPRNG, shown as
/// `XXXX-XXXX-XXXX`: backup codes and mailed activation codes.
pub fn crockford_code() -> String {
    let raw: String = (0..BACKUP_CODE_CHARS)
        .map(|_| CROCKFORD[os_rng().random_range(0..CROCKFORD.len())] as char)
        .collect();
    format!("{}-{}-{}", &raw[0..4], &raw[4..8], &raw[8..12])
}

/// A mailed activation code (NIST SP 800-63A-4 asks for at least 10 characters from a
/// CSPRNG; this is 12 Crockford base32 characters, 60 bits).
pub fn activation_code() -> String {
    crockford_code()
}

/// The canonical form of a typed activation code, or `None` if it cannot be one.
pub fn normalise_activation_code(input: &str) -> Option<String> {
    normalise_backup_code(input)
}

/// The canonical form of a typed backup code, or `None` if it cannot be one.
pub fn normalise_backup_code(input: &str) -> Option<String> {
    let mut out = String::with_capacity(BACKUP_CODE_CHARS);
    for c in input.chars() {
        if c.is_whitespace() || c == '-' {
            continue;
        }
        let folded = match c.to_ascii_uppercase() {
            'O' => '0',
            'I' | 'L' => '1',
            other => other,
        };
        if !CROCKFORD.contains(&(folded as u8)) || !folded.is_ascii() {
            return None;
        }
        out.push(folded);
    }
    (out.len() == BACKUP_CODE_CHARS).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numeric_codes_are_six_digits() {
        for _ in 0..200 {
            let code = numeric_code();
            assert_eq!(code.len(), 6);
            assert!(code.bytes().all(|b| b.is_ascii_digit()));
        }
        assert_eq!(normalise_numeric(" 123-456 ").as_deref(), Some("123456"));
        assert_eq!(normalise_numeric("12345"), None);
        assert_eq!(normalise_numeric("12345a"), None);
    }

    #[test]
    fn backup_codes_are_ten_distinct_and_forgiving_to_type() {
        let codes = backup_codes();
        assert_eq!(codes.len(), 10);
        let mut unique = codes.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), 10);
        let shown = &codes[0];
        let typed = shown.to_lowercase().replace('-', " ");
        assert_eq!(normalise_backup_code(&typed), normalise_backup_code(shown));
        assert_eq!(
            normalise_backup_code("oooo-iiii-llll").as_deref(),
            Some("000011111111")
        );
        assert_eq!(normalise_backup_code("UUUU-0000-0000"), None);
        assert_eq!(normalise_backup_code("short"), None);
    }
}
