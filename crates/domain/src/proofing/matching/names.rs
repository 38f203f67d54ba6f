//! Person names: normalisation and the first, middle and last name rules.
//!
//! Normalisation ([`normalise_name`]) folds case (full Unicode case folding, so
//! `ß` = `SS` = `ss`), strips diacritics (NFD, combining marks dropped: á→a, ñ→n, ü→u;
//! plus a few letters NFD leaves alone: æ→ae, ø→o, ł→l, đ→d, þ→th, œ→oe) and drops
//! everything that is not a letter or digit (spaces, apostrophes, hyphens, periods,
//! commas), so `O'Brien` = `OBrien` = `O Brien` and `Garcia-Lopez` = `Garcia Lopez`.
//!
//! A typed name matches the name on record with one [`Tolerance`], tried in this order:
//! 1. [`Tolerance::Exact`]: equal after normalisation.
//! 2. [`Tolerance::Nickname`] (first names only): the two are related in the nickname
//!    table (`nicknames.rs`), in either direction.
//! 3. [`Tolerance::HyphenatedPart`]: one side is made of parts (split at hyphens and
//!    spaces) and the significant parts of one side are all parts of the other:
//!    record `Garcia-Lopez` matches typed `Garcia`, `Lopez` or `Lopez Garcia`; record
//!    `Garcia` matches typed `Garcia-Lopez`. Parts of one character and particles
//!    (`de`, `la`, `van`, `y`, ...) are not significant, so typed `De` never matches
//!    record `De La Cruz` but typed `Cruz` does.
//! 4. [`Tolerance::Typo`]: one insertion, deletion, substitution or adjacent
//!    transposition, only when the name **on record** has [`TYPO_MIN_CHARS`] or more
//!    characters after normalisation. Shorter names match exactly or by nickname.
//!
//! Tolerances do not combine: a nickname with a typo, or a part with a typo, fails.
//!
//! Generational suffixes (Jr, Sr, II, III, IV, V and their spelled forms) typed at the
//! end of a last name are split off before comparing ([`split_suffix`]); whether two
//! suffixes conflict is decided by the caller with [`suffixes_conflict`].

use std::collections::BTreeSet;

use unicode_normalization::char::{decompose_canonical, is_combining_mark};

use super::decision::Reason;
use super::distance::within_one_edit;
use super::nicknames;

/// Names on record shorter than this (after normalisation) must match without a typo.
pub const TYPO_MIN_CHARS: usize = 6;

/// How a typed name matched the name on record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Tolerance {
    /// Equal after normalisation.
    Exact,
    /// Related in the nickname table (first names only).
    Nickname,
    /// One part of a hyphenated or multi-word name.
    HyphenatedPart,
    /// One edit apart, in a name of [`TYPO_MIN_CHARS`] or more characters.
    Typo,
}

impl Tolerance {
    /// The reason code recorded when this tolerance was needed (none for an exact match).
    pub fn reason(self) -> Option<Reason> {
        match self {
            Self::Exact => None,
            Self::Nickname => Some(Reason::MatchedNickname),
            Self::HyphenatedPart => Some(Reason::MatchedHyphenatedPart),
            Self::Typo => Some(Reason::MatchedTypo),
        }
    }

    /// How loose the match was: 0 exact, 1 nickname or part, 2 typo.
    pub(crate) fn looseness(self) -> u8 {
        match self {
            Self::Exact => 0,
            Self::Nickname | Self::HyphenatedPart => 1,
            Self::Typo => 2,
        }
    }
}

/// Letters NFD does not decompose but a person typing on a US keyboard replaces.
const EXTRA_FOLDS: &[(char, &str)] = &[
    ('æ', "ae"),
    ('œ', "oe"),
    ('ø', "o"),
    ('ł', "l"),
    ('đ', "d"),
    ('ð', "d"),
    ('þ', "th"),
    ('ħ', "h"),
    ('ŧ', "t"),
    ('ı', "i"),
    ('ß', "ss"),
];

fn fold_once(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        for upper in c.to_uppercase() {
            for lower in upper.to_lowercase() {
                decompose_canonical(lower, |d| {
                    if is_combining_mark(d) {
                        return;
                    }
                    match EXTRA_FOLDS.iter().find(|(from, _)| *from == d) {
                        Some((_, to)) => out.push_str(to),
                        None => out.push(d),
                    }
                });
            }
        }
    }
    out
}

/// Case-fold and strip diacritics, keeping every other character (separators
/// included) so callers can still split the text into words.
pub(crate) fn fold(text: &str) -> String {
    let mut current = fold_once(text);
    // One round is enough for real names; a few exotic characters need a second.
    for _ in 0..4 {
        let next = fold_once(&current);
        if next == current {
            break;
        }
        current = next;
    }
    current
}

/// The comparison key of a name: folded case, no diacritics, letters and digits only.
pub fn normalise_name(s: &str) -> String {
    fold(s).chars().filter(|c| c.is_alphanumeric()).collect()
}

/// Name particles that do not identify a person on their own.
const PARTICLES: &[&str] = &[
    "de", "del", "della", "der", "den", "di", "da", "das", "dos", "du", "la", "las", "le", "les",
    "los", "van", "von", "ten", "ter", "y", "e", "al", "el", "bin", "ibn", "st",
];

/// The parts of a name as written, split at hyphens, spaces and other separators
/// (apostrophes and periods join: `O'Brien` is one part), each normalised.
fn raw_parts(s: &str) -> Vec<String> {
    fold(s)
        .split(|c: char| !(c.is_alphanumeric() || is_joiner(c)))
        .map(normalise_name)
        .filter(|part| !part.is_empty())
        .collect()
}

fn is_joiner(c: char) -> bool {
    matches!(c, '\'' | '’' | '‘' | '`' | '´' | 'ʼ' | '.')
}

fn significant(parts: &[String]) -> BTreeSet<&str> {
    parts
        .iter()
        .map(String::as_str)
        .filter(|part| part.chars().count() >= 2 && !PARTICLES.contains(part))
        .collect()
}

fn parts_match(typed: &str, on_record: &str) -> bool {
    let (typed, on_record) = (raw_parts(typed), raw_parts(on_record));
    if typed.len() < 2 && on_record.len() < 2 {
        return false;
    }
    let (typed, on_record) = (significant(&typed), significant(&on_record));
    !typed.is_empty()
        && !on_record.is_empty()
        && (typed.is_subset(&on_record) || on_record.is_subset(&typed))
}

fn typo_match(typed_key: &str, record_key: &str) -> bool {
    record_key.chars().count() >= TYPO_MIN_CHARS && within_one_edit(typed_key, record_key)
}

fn names_match(typed: &str, on_record: &str, nicknames_allowed: bool) -> Option<Tolerance> {
    let (typed_key, record_key) = (normalise_name(typed), normalise_name(on_record));
    if typed_key.is_empty() || record_key.is_empty() {
        return None;
    }
    if typed_key == record_key {
        Some(Tolerance::Exact)
    } else if nicknames_allowed && nicknames::equivalent(&typed_key, &record_key) {
        Some(Tolerance::Nickname)
    } else if parts_match(typed, on_record) {
        Some(Tolerance::HyphenatedPart)
    } else if typo_match(&typed_key, &record_key) {
        Some(Tolerance::Typo)
    } else {
        None
    }
}

/// Whether a typed first name matches the first name on record, and how.
pub fn first_names_match(typed: &str, on_record: &str) -> Option<Tolerance> {
    names_match(typed, on_record, true).or_else(|| {
        // A middle initial typed into the first-name field (`Kate G`, `Bill M.`), or
        // kept there on the record: compared without it.
        let (typed, on_record) = (
            without_trailing_initial(typed).unwrap_or(typed),
            without_trailing_initial(on_record).unwrap_or(on_record),
        );
        names_match(typed, on_record, true)
    })
}

/// `Kate G.` → `Kate`: the name without a last word of one letter, if it has one.
fn without_trailing_initial(name: &str) -> Option<&str> {
    let trimmed = name.trim_end_matches(|c: char| c.is_whitespace() || c == '.');
    let (rest, last) = trimmed.rsplit_once(char::is_whitespace)?;
    (last.chars().count() == 1 && last.chars().all(char::is_alphabetic) && !rest.trim().is_empty())
        .then_some(rest.trim_end())
}

/// Whether a typed last name matches the last name on record, and how. A generational
/// suffix at the end of either (`Testperson Jr.`) is ignored here; see
/// [`suffixes_conflict`].
pub fn last_names_match(typed: &str, on_record: &str) -> Option<Tolerance> {
    let (typed, _) = split_suffix(typed);
    let (on_record, _) = split_suffix(on_record);
    names_match(typed, on_record, false)
}

/// Canonical generational suffixes and the ways people write them.
const SUFFIXES: &[(&str, &[&str])] = &[
    ("jr", &["jr", "jnr", "junior"]),
    ("sr", &["sr", "snr", "senior"]),
    ("ii", &["ii", "2nd", "2d"]),
    ("iii", &["iii", "3rd", "3d"]),
    ("iv", &["iv", "4th"]),
    ("v", &["v", "5th"]),
];

fn known_suffix(key: &str) -> Option<&'static str> {
    SUFFIXES
        .iter()
        .find(|(_, forms)| forms.contains(&key))
        .map(|(canonical, _)| *canonical)
}

/// The comparison key of a suffix: `Jr.`, `Jnr` and `Junior` are `jr`; `2nd` is `ii`;
/// any other suffix (`MD`, `Esq`) is its normalised text. `None` when blank.
pub fn normalise_suffix(s: &str) -> Option<String> {
    let key = normalise_name(s);
    if key.is_empty() {
        return None;
    }
    Some(known_suffix(&key).map_or(key, str::to_owned))
}

/// Split a known generational suffix off the end of a last name:
/// `"Testperson, Jr."` → (`"Testperson"`, `Some("jr")`). The name is returned unchanged
/// when it does not end in one, or when nothing would be left of it.
pub fn split_suffix(last_name: &str) -> (&str, Option<&'static str>) {
    let is_separator = |c: char| c.is_whitespace() || c == ',';
    let trimmed = last_name.trim_end_matches(|c: char| is_separator(c) || c == '.');
    let Some(split_at) = trimmed.rfind(is_separator) else {
        return (last_name, None);
    };
    let (rest, token) = trimmed.split_at(split_at);
    let Some(suffix) = known_suffix(&normalise_name(token)) else {
        return (last_name, None);
    };
    let rest = rest.trim_end_matches(is_separator);
    if normalise_name(rest).is_empty() {
        return (last_name, None);
    }
    (rest, Some(suffix))
}

/// Whether the applicant's suffix and the one on record contradict each other. The
/// suffix of each side is its suffix field or, failing that, a suffix typed at the end
/// of its last name. A suffix missing on either side never conflicts.
pub fn suffixes_conflict(
    typed_suffix: Option<&str>,
    typed_last_name: &str,
    record_suffix: Option<&str>,
    record_last_name: &str,
) -> bool {
    let side = |suffix: Option<&str>, last: &str| {
        suffix
            .and_then(normalise_suffix)
            .or_else(|| split_suffix(last).1.map(str::to_owned))
    };
    match (
        side(typed_suffix, typed_last_name),
        side(record_suffix, record_last_name),
    ) {
        (Some(typed), Some(on_record)) => typed != on_record,
        _ => false,
    }
}

/// How the middle names compared. Middle names never fail a match on their own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MiddleName {
    /// One side has none: nothing to compare.
    Ignored,
    /// The same name (exact, nickname or typo as for first names).
    Same,
    /// An initial on one side matches the full name on the other.
    Initial,
    /// Both present and different.
    Differs,
}

impl MiddleName {
    /// The informational reason code, if any.
    pub fn reason(self) -> Option<Reason> {
        match self {
            Self::Ignored | Self::Same => None,
            Self::Initial => Some(Reason::MatchedMiddleInitial),
            Self::Differs => Some(Reason::MiddleNameDiffers),
        }
    }
}

/// Compare middle names: ignored if either is missing; an initial (`Q` or `Q.`) matches
/// any middle name starting with that letter.
pub fn compare_middle_names(typed: Option<&str>, on_record: Option<&str>) -> MiddleName {
    let typed_key = typed.map(normalise_name).unwrap_or_default();
    let record_key = on_record.map(normalise_name).unwrap_or_default();
    let (Some(typed_first), Some(record_first)) =
        (typed_key.chars().next(), record_key.chars().next())
    else {
        return MiddleName::Ignored;
    };
    if let (Some(typed), Some(on_record)) = (typed, on_record)
        && first_names_match(typed, on_record).is_some()
    {
        return MiddleName::Same;
    }
    let is_initial = |key: &str| key.chars().count() == 1;
    if (is_initial(&typed_key) || is_initial(&record_key)) && typed_first == record_first {
        MiddleName::Initial
    } else {
        MiddleName::Differs
    }
}

/// Whether a person's first and last names match those on record, with the tolerance
/// each needed.
pub(crate) fn person_matches(
    typed_first: &str,
    typed_last: &str,
    record_first: &str,
    record_last: &str,
) -> Option<(Tolerance, Tolerance)> {
    Some((
        first_names_match(typed_first, record_first)?,
        last_names_match(typed_last, record_last)?,
    ))
}

#[cfg(test)]
#[path = "names_tests.rs"]
mod tests;
