//! Postal addresses in the style of USPS Publication 28: normalisation
//! ([`normalise_address`]) and the address rule ([`compare_addresses`]).
//!
//! Normalisation:
//! - case and diacritics fold as for names; apostrophes vanish; a period after a single
//!   letter joins (`N.E.` = `NE`, `P.O.` = `PO`) and otherwise separates (`St.Louis`);
//!   commas, hyphens and other punctuation separate words (a hyphen between two digits
//!   joins them: `123-45` is house number `12345`); `#` is a word of its own
//!   (`#4B` = `# 4B`); `Post Office Box` and `P O Box` are `po box`.
//! - every word is mapped to its standard abbreviation: street suffixes
//!   (Street/Str → `st`, Avenue/Av → `ave`, Road → `rd`, Drive → `dr`, Boulevard →
//!   `blvd`, Lane → `ln`, Court → `ct`, Place → `pl`, Terrace → `ter`, Circle → `cir`,
//!   Highway → `hwy`, Parkway → `pkwy`, Square → `sq`, Trail → `trl`, Way → `way`, and
//!   the rest of Publication 28 appendix C1), directionals (North → `n`, Northeast → `ne`,
//!   ...), ordinal words (First → `1st` ... Twentieth → `20th`) and Saint/Fort/Mount →
//!   `st`/`ft`/`mt`. The same map applies to the city.
//! - a unit designator (Apartment, Apt, `#`, Unit, Suite, Ste, and Room, Floor, Building,
//!   Lot, ... when followed by a number or a single letter) after the street name
//!   starts the unit: `12 Oak St Apt 4` is street `12 Oak St`, unit `4`. The designator
//!   itself is dropped, so `#4B`, `Apt 4B`, `Apartment 4b` and `Unit 4-B` are unit `4b`.
//!   A unit in the unit field wins over one typed in the street line.
//! - the street line splits into house number (first word when it starts with a digit,
//!   plus a fraction such as `1/2`), pre-directional, street name proper, suffix and
//!   post-directional.
//! - ZIP codes keep their digits: the first five, and the +4 when there are nine.
//!
//! Comparison (every part must agree; the fields that do not are all reported):
//! - house number: exactly (no typo tolerance in numbers);
//! - street: directionals and suffix exactly; the street name proper exactly, or with
//!   one typo when it has no digits and the name on record has
//!   [`super::names::TYPO_MIN_CHARS`] or more letters ([`AddressTolerance::StreetTypo`]);
//! - unit: equal when both sides have one; a unit missing on one side is tolerated
//!   ([`AddressTolerance::UnitOmitted`]) because people leave it out and letters go to
//!   the address of record anyway;
//! - city: equal ignoring spaces (`St. Louis` = `Saint Louis` = `St Louis`);
//! - state: equal;
//! - ZIP: the first five digits decide; when the full codes differ (ZIP+4 against ZIP,
//!   or different +4) that is [`AddressTolerance::Zip5`].

use std::fmt;

use super::decision::Reason;
use super::distance::within_one_edit;
use super::names::{TYPO_MIN_CHARS, fold};
use super::postal_forms;
use super::usps::{
    DIRECTIONALS, STRONG_DESIGNATORS, WEAK_DESIGNATORS, abbreviate, is_designator, is_suffix,
    is_unit_word, unit_word,
};
use crate::proofing::records::Address;

/// An address in normal form. `Debug` prints no personal data.
#[derive(Clone, PartialEq, Eq)]
pub struct NormalisedAddress {
    /// Digits (and letters) of the house number, with a fraction if any: `123`, `123 1/2`.
    /// Empty when the street line does not start with a number (PO Box, rural route).
    pub house_number: String,
    pub pre_directional: Option<String>,
    /// The street name proper, words separated by one space: `martin luther king`.
    pub street_name: String,
    pub suffix: Option<String>,
    pub post_directional: Option<String>,
    /// The unit without its designator, compacted: `4b`.
    pub unit: Option<String>,
    /// Words separated by one space: `st louis`.
    pub city: String,
    /// Upper-case letters.
    pub state: String,
    /// First five digits (fewer if fewer were given).
    pub zip5: String,
    /// The +4, when nine digits were given.
    pub zip4: Option<String>,
}

impl fmt::Debug for NormalisedAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("NormalisedAddress { .. }")
    }
}

impl NormalisedAddress {
    /// The street line in normal form: `123 n oak st`.
    pub fn street_line(&self) -> String {
        [
            Some(self.house_number.as_str()),
            self.pre_directional.as_deref(),
            Some(self.street_name.as_str()),
            self.suffix.as_deref(),
            self.post_directional.as_deref(),
        ]
        .into_iter()
        .flatten()
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
    }

    /// Back to an [`Address`] (in normal form); normalising it again changes nothing.
    pub fn to_address(&self) -> Address {
        Address {
            street: self.street_line(),
            unit: self.unit.clone(),
            city: self.city.clone(),
            state: self.state.clone(),
            zip: format!("{}{}", self.zip5, self.zip4.as_deref().unwrap_or("")),
        }
    }
}

/// A part of an address that did not match.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AddressField {
    HouseNumber,
    Street,
    Unit,
    City,
    State,
    Zip,
}

impl AddressField {
    pub fn reason(self) -> Reason {
        match self {
            Self::HouseNumber => Reason::HouseNumberMismatch,
            Self::Street => Reason::StreetMismatch,
            Self::Unit => Reason::UnitMismatch,
            Self::City => Reason::CityMismatch,
            Self::State => Reason::StateMismatch,
            Self::Zip => Reason::ZipMismatch,
        }
    }
}

/// A tolerance an address match needed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AddressTolerance {
    /// Only the first five ZIP digits agreed (ZIP+4 against ZIP, or different +4).
    Zip5,
    /// One typo in the street name proper.
    StreetTypo,
    /// One side gave a unit, the other none.
    UnitOmitted,
    /// One typo in the city, whose ZIP code agreed.
    CityTypo,
}

impl AddressTolerance {
    pub fn reason(self) -> Reason {
        match self {
            Self::Zip5 => Reason::MatchedZip5,
            Self::StreetTypo => Reason::MatchedStreetTypo,
            Self::UnitOmitted => Reason::MatchedWithoutUnit,
            Self::CityTypo => Reason::MatchedCityTypo,
        }
    }
}

/// A successful address comparison: which tolerances it used (empty when exact).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AddressMatch {
    pub tolerances: Vec<AddressTolerance>,
}

impl AddressMatch {
    pub fn is_exact(&self) -> bool {
        self.tolerances.is_empty()
    }
}

/// A single letter after a house number that is part of it (not a directional).
fn is_house_letter(word: &str) -> bool {
    word.len() == 1
        && word.chars().all(|c| c.is_ascii_alphabetic())
        && !DIRECTIONALS.contains(&word)
}

/// Words that make `Road N` the name of a numbered road (`County Road 12`).
const ROAD_QUALIFIERS: &[&str] = &[
    "county",
    "co",
    "state",
    "us",
    "farm",
    "market",
    "forest",
    "ranch",
    "township",
    "twp",
    "private",
    "parish",
    "federal",
    "interstate",
    "national",
    "cr",
    "fm",
];

fn looks_like_unit_value(word: &str) -> bool {
    word.chars().any(|c| c.is_ascii_digit()) || word.chars().count() == 1
}

/// Split text into lower-case words: apostrophes vanish, `#` is a word, a hyphen
/// between digits joins them, a period after a single letter joins (`N.E.` is `ne`,
/// `P.O.` is `po`) and otherwise separates (`St.Louis`), other punctuation separates.
fn words(text: &str) -> Vec<String> {
    let folded: Vec<char> = fold(text).chars().collect();
    let mut spaced = String::with_capacity(folded.len() + 8);
    let mut word_len = 0usize;
    for (i, &c) in folded.iter().enumerate() {
        let separate = match c {
            '\'' | '’' | '‘' | '`' | '´' | 'ʼ' => false,
            '.' => word_len != 1,
            '#' => {
                spaced.push_str(" # ");
                word_len = 0;
                continue;
            }
            '-' | '‐' | '‑' | '–' | '—' => {
                let digit_before = i > 0 && folded[i - 1].is_ascii_digit();
                let digit_after = folded.get(i + 1).is_some_and(char::is_ascii_digit);
                !(digit_before && digit_after)
            }
            c if c.is_alphanumeric() || c == '/' => {
                spaced.push(c);
                word_len += 1;
                continue;
            }
            _ => true,
        };
        if separate {
            spaced.push(' ');
            word_len = 0;
        }
    }
    let mut words: Vec<String> = spaced.split_whitespace().map(str::to_owned).collect();
    // "Post Office Box" and "P O Box" are "PO Box".
    if words.len() >= 2
        && matches!(
            (words[0].as_str(), words[1].as_str()),
            ("post", "office") | ("p", "o")
        )
    {
        words.splice(0..2, ["po".to_owned()]);
    }
    words
}

/// `true` for a fraction such as `1/2`.
fn is_fraction(word: &str) -> bool {
    match word.split_once('/') {
        Some((top, bottom)) => {
            !top.is_empty()
                && !bottom.is_empty()
                && top.chars().all(|c| c.is_ascii_digit())
                && bottom.chars().all(|c| c.is_ascii_digit())
        }
        None => false,
    }
}

/// The unit value from words that follow a designator: designators dropped from the
/// front, `#` dropped anywhere, the rest compacted. `None` when nothing (or only a
/// designator) is left.
fn unit_value(words: &[String]) -> Option<String> {
    let start = words
        .iter()
        .position(|word| !is_designator(word))
        .unwrap_or(words.len());
    let value: String = words[start..]
        .iter()
        .filter(|word| word.as_str() != "#")
        .map(|word| unit_word(word))
        .collect();
    (!value.is_empty() && !is_designator(&value)).then_some(value)
}

struct StreetParts {
    house_number: String,
    pre_directional: Option<String>,
    street_name: String,
    suffix: Option<String>,
    post_directional: Option<String>,
    unit: Option<String>,
}

/// `unit_field`: the unit typed in its own field (normalised), if any.
fn parse_street(street: &str, unit_field: Option<&str>) -> StreetParts {
    let mut raw = postal_forms::standardise(words(street));
    // Every word in standard form first: parsing then sees the same words whether it
    // reads what a person typed or an address already in normal form.
    let mut abbreviated: Vec<String> = raw.iter().map(|w| abbreviate(w).to_owned()).collect();
    // House number: a first word starting with a digit, and a fraction after it.
    let mut house = Vec::new();
    if abbreviated
        .first()
        .is_some_and(|w| w.starts_with(|c: char| c.is_ascii_digit()))
    {
        house.push(abbreviated.remove(0));
        raw.remove(0);
        if abbreviated.first().is_some_and(|w| is_fraction(w)) {
            house.push(abbreviated.remove(0));
            raw.remove(0);
        } else if abbreviated.len() >= 3
            && house[0].chars().all(|c| c.is_ascii_digit())
            && is_house_letter(&abbreviated[0])
            && !is_suffix(&abbreviated[1])
        {
            // `123 A Main St` is house `123a`, as `123A` and `123-A` are.
            let letter = abbreviated.remove(0);
            raw.remove(0);
            if let Some(number) = house.last_mut() {
                number.push_str(&letter);
            }
        }
    }
    // Unit: from the first designator that follows at least one street word. Its value
    // keeps the words as typed (a unit is not abbreviated).
    let mut unit = None;
    let designator_at = (1..abbreviated.len()).find(|&i| {
        let word = abbreviated[i].as_str();
        STRONG_DESIGNATORS.contains(&word)
            || (WEAK_DESIGNATORS.contains(&word)
                && abbreviated
                    .get(i + 1)
                    .is_some_and(|next| looks_like_unit_value(next)))
    });
    if let Some(at) = designator_at {
        unit = unit_value(&raw[at..]);
        abbreviated.truncate(at);
    }
    let mut rest = abbreviated;
    // A unit typed after the street without a designator: `12 Oak St 4B`, `12 Oak St
    // Rear`. When the unit has its own field, only that same unit is taken from the
    // street (typed twice); another word stays part of the street, so an address
    // already in normal form reads back the same.
    if unit.is_none() && rest.len() >= 3 {
        let before = rest[rest.len() - 2].as_str();
        let last = rest[rest.len() - 1].as_str();
        // Not after a numbered road: `US Highway 1`, `Route 9`, `County Road 12` (a
        // road is numbered when a qualifier names it: `Mill Rd 4` has a unit).
        let qualified = rest.len() >= 3 && ROAD_QUALIFIERS.contains(&rest[rest.len() - 3].as_str());
        let numbered_road = matches!(before, "hwy" | "rte" | "fwy" | "expy" | "tpke")
            || (before == "rd" && qualified);
        let after_street = !numbered_road && (is_suffix(before) || DIRECTIONALS.contains(&before));
        let same_as_field = unit_field.is_none_or(|typed| typed == unit_word(last));
        if after_street
            && same_as_field
            && (last.chars().any(|c| c.is_ascii_digit()) || is_unit_word(last))
        {
            unit = rest.pop().map(|word| unit_word(&word).to_owned());
        }
    }
    let mut post_directional = None;
    if rest.len() >= 3
        && DIRECTIONALS.contains(&rest[rest.len() - 1].as_str())
        && is_suffix(&rest[rest.len() - 2])
    {
        post_directional = rest.pop();
    }
    let mut suffix = None;
    if rest.len() >= 2 && rest.last().is_some_and(|w| is_suffix(w)) {
        suffix = rest.pop();
    }
    let mut pre_directional = None;
    if rest.len() >= 2 && DIRECTIONALS.contains(&rest[0].as_str()) {
        pre_directional = Some(rest.remove(0));
    }
    StreetParts {
        house_number: house.join(" "),
        pre_directional,
        street_name: rest.join(" "),
        suffix,
        post_directional,
        unit,
    }
}

fn normalise_city(city: &str) -> String {
    words(city)
        .iter()
        .map(|w| abbreviate(w))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Bring an address to normal form (see the module docs).
pub fn normalise_address(a: &Address) -> NormalisedAddress {
    let unit_field = a.unit.as_deref().and_then(|u| unit_value(&words(u)));
    let street = parse_street(&a.street, unit_field.as_deref());
    let digits: String = a.zip.chars().filter(char::is_ascii_digit).collect();
    let zip5: String = digits.chars().take(5).collect();
    let zip4 = (digits.len() >= 9).then(|| digits[5..9].to_owned());
    NormalisedAddress {
        house_number: street.house_number,
        pre_directional: street.pre_directional,
        street_name: street.street_name,
        suffix: street.suffix,
        post_directional: street.post_directional,
        unit: unit_field.or(street.unit),
        city: normalise_city(&a.city),
        state: fold(&a.state)
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .collect::<String>()
            .to_ascii_uppercase(),
        zip5,
        zip4,
    }
}

/// A city's letters and digits only, folded (no abbreviation applied).
fn letters_of(city: &str) -> String {
    fold(city).chars().filter(|c| c.is_alphanumeric()).collect()
}

fn compact(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Compare a typed address with the one on record: the tolerances used on a match, or
/// every field that did not match.
pub fn compare_addresses(
    typed: &Address,
    on_record: &Address,
) -> Result<AddressMatch, Vec<AddressField>> {
    let (t, r) = (normalise_address(typed), normalise_address(on_record));
    let mut failed = Vec::new();
    let mut tolerances = Vec::new();

    if t.house_number != r.house_number {
        failed.push(AddressField::HouseNumber);
    }

    let (typed_name, record_name) = (compact(&t.street_name), compact(&r.street_name));
    let name_ok = if typed_name == record_name {
        !record_name.is_empty() || !r.house_number.is_empty()
    } else if !typed_name.chars().any(|c| c.is_ascii_digit())
        && !record_name.chars().any(|c| c.is_ascii_digit())
        && record_name.chars().count() >= TYPO_MIN_CHARS
        && within_one_edit(&typed_name, &record_name)
    {
        tolerances.push(AddressTolerance::StreetTypo);
        true
    } else {
        false
    };
    if !name_ok
        || t.pre_directional != r.pre_directional
        || t.suffix != r.suffix
        || t.post_directional != r.post_directional
    {
        failed.push(AddressField::Street);
    }

    match (&t.unit, &r.unit) {
        (Some(typed_unit), Some(record_unit)) if typed_unit != record_unit => {
            failed.push(AddressField::Unit);
        }
        (Some(_), None) | (None, Some(_)) => tolerances.push(AddressTolerance::UnitOmitted),
        _ => {}
    }

    let (typed_city, record_city) = (compact(&t.city), compact(&r.city));
    let zip5_agrees = t.zip5.len() == 5 && t.zip5 == r.zip5;
    if typed_city.is_empty() {
        failed.push(AddressField::City);
    } else if typed_city != record_city {
        if zip5_agrees
            && record_city.chars().count() >= TYPO_MIN_CHARS
            // Before abbreviation too: a typo in `Falls` is not one away from `fls`.
            && (within_one_edit(&typed_city, &record_city)
                || within_one_edit(&letters_of(&typed.city), &letters_of(&on_record.city)))
        {
            tolerances.push(AddressTolerance::CityTypo);
        } else {
            failed.push(AddressField::City);
        }
    }

    if t.state.is_empty() || t.state != r.state {
        failed.push(AddressField::State);
    }

    if !zip5_agrees {
        failed.push(AddressField::Zip);
    } else if t.zip4 != r.zip4 {
        tolerances.push(AddressTolerance::Zip5);
    }

    if failed.is_empty() {
        Ok(AddressMatch { tolerances })
    } else {
        Err(failed)
    }
}

/// Whether a typed address matches the one on record, and with which tolerances.
pub fn addresses_match(typed: &Address, on_record: &Address) -> Option<AddressMatch> {
    compare_addresses(typed, on_record).ok()
}

#[cfg(test)]
#[path = "address_tests.rs"]
mod tests;

#[cfg(test)]
#[path = "address_forms_tests.rs"]
mod forms_tests;
