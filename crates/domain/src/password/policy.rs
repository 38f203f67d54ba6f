//! The policy a new password must meet (NIST SP 800-63B-4 §3.1.1.2), and the strength
//! rating the password forms' meter shows: the same checks, so they never disagree.

use unicode_normalization::UnicodeNormalization;
use zeroize::Zeroizing;

use sa_i18n::Text;
use zxcvbn::feedback::Warning;

use crate::{DomainError, DomainResult};

pub const MIN_PASSWORD_CHARS: usize = 12;
pub const MAX_PASSWORD_CHARS: usize = 128;
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
            Text::new("error-password-too-short").with("min", MIN_PASSWORD_CHARS),
        ));
    }
    if chars > MAX_PASSWORD_CHARS {
        return Err(DomainError::invalid(
            "password",
            Text::new("error-password-too-long").with("max", MAX_PASSWORD_CHARS),
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
            Text::new("error-password-contains-name"),
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
            Text::new("error-password-predictable"),
        ));
    }
    let estimate = zxcvbn::zxcvbn(&normalised, &[username, email]);
    if u8::from(estimate.score()) < MIN_ZXCVBN_SCORE {
        let why = estimate
            .feedback()
            .and_then(|feedback| feedback.warning())
            .map_or("none", warning_key);
        return Err(DomainError::invalid(
            "password",
            Text::new("error-password-guessable").with("why", why),
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
    pub message: Option<Text>,
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
            message: Some(other.text()),
        },
    }
}

/// zxcvbn's warning as the selector key of `error-password-guessable`.
fn warning_key(warning: Warning) -> &'static str {
    match warning {
        Warning::StraightRowsOfKeysAreEasyToGuess => "keyboard-row",
        Warning::ShortKeyboardPatternsAreEasyToGuess => "keyboard-pattern",
        Warning::RepeatsLikeAaaAreEasyToGuess => "repeated-character",
        Warning::RepeatsLikeAbcAbcAreOnlySlightlyHarderToGuess => "repeated-group",
        Warning::ThisIsATop10Password
        | Warning::ThisIsATop100Password
        | Warning::ThisIsACommonPassword => "common",
        Warning::ThisIsSimilarToACommonlyUsedPassword => "similar-to-common",
        Warning::SequencesLikeAbcAreEasyToGuess => "sequence",
        Warning::RecentYearsAreEasyToGuess => "recent-year",
        Warning::AWordByItselfIsEasyToGuess => "single-word",
        Warning::DatesAreOftenEasyToGuess => "date",
        Warning::NamesAndSurnamesByThemselvesAreEasyToGuess
        | Warning::CommonNamesAndSurnamesAreEasyToGuess => "names",
    }
}

/// Words that, padded with digits and symbols, make the passwords sprayers try first.
const PREDICTABLE_WORDS: [&str; 16] = [
    "spring", "summer", "autumn", "fall", "winter", "password", "passw", "changeme", "letmein",
    "welcome", "qwerty", "admin", "iloveyou", "monkey", "dragon", "football",
];

/// The service's own name and what it is about: never part of a password.
const CONTEXT_WORDS: [&str; 3] = ["secureaccess", "irsgov", "eservices"];
