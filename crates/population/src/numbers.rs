//! Synthetic numbers: SSNs and phone numbers derived from a person's index (unique at
//! any population size, only in never-issued or fictional ranges), and card and loan
//! numbers (cards with a valid Luhn check digit), written the various ways people do.

use rand::{Rng, RngExt};
use sa_domain::proofing::records::AccountKind;

/// SSNs per area number: groups 01–99, serials 0001–9999.
pub(super) const SSNS_PER_AREA: u64 = 99 * 9_999;
/// Areas 900–999 only (see the module documentation of `generate`).
pub(super) const SSN_AREAS: u64 = 100;

/// The `k`-th synthetic SSN (9 digits), area 900–999, group 01–99, serial 0001–9999.
/// Person `i` holds number `2i`, their spouse `2i + 1`. Groups and serials are permuted
/// (bijectively) so neighbours do not look sequential. `None` past the last one.
pub(super) fn ssn_for(k: u64) -> Option<String> {
    let area = k / SSNS_PER_AREA;
    if area >= SSN_AREAS {
        return None;
    }
    let within = k % SSNS_PER_AREA;
    let group = (within / 9_999) * 37 % 99 + 1;
    let serial = (within % 9_999) * 7_919 % 9_999 + 1;
    Some(format!("{}{group:02}{serial:04}", 900 + area))
}

/// How many people fit the SSN range (two numbers each).
pub(super) const SSN_CAPACITY: u64 = SSN_AREAS * SSNS_PER_AREA / 2;

/// `123-45-6789`.
pub(super) fn dashed_ssn(ssn: &str) -> String {
    format!("{}-{}-{}", &ssn[..3], &ssn[3..5], &ssn[5..])
}

/// The US area codes used for phone numbers: NANP-shaped (first digit 2–9), without
/// N11 service codes, N00 and 8YY special codes (toll-free, premium), and the N9X, 37X
/// and 96X codes held in reserve.
pub(super) fn area_codes() -> Vec<u16> {
    (200..1000u16)
        .filter(|npa| {
            let first = npa / 100;
            let middle = npa / 10 % 10;
            let last = npa % 10;
            let n11 = middle == 1 && last == 1;
            let special = (middle == 0 && last == 0) || (first == 8 && middle == last);
            let reserved = middle == 9 || npa / 10 == 37 || npa / 10 == 96;
            !n11 && !special && !reserved
        })
        .collect()
}

/// Phone number of person `index` (E.164), from `area_codes`. The first
/// `100 × area codes` people get the fictional range `+1 NPA 555 0100–0199`; after that,
/// the other `555` lines `0000–0099` and `0200–9999` of each area code. `None` past the
/// last one.
pub(super) fn phone_for(area_codes: &[u16], index: u64) -> Option<String> {
    let codes = area_codes.len() as u64;
    let fictional = codes * 100;
    let (code, line) = if index < fictional {
        (index / 100, 100 + index % 100)
    } else {
        let rest = index - fictional;
        let within = rest % 9_900;
        (
            rest / 9_900,
            if within < 100 { within } else { within + 100 },
        )
    };
    let npa = area_codes.get(usize::try_from(code).ok()?)?;
    Some(format!("+1{npa}555{line:04}"))
}

/// How many people get a phone number.
pub(super) fn phone_capacity(area_codes: &[u16]) -> u64 {
    area_codes.len() as u64 * 10_000
}

pub(super) fn luhn_check_digit(digits: &[u8]) -> u8 {
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &d)| {
            let d = u32::from(d);
            if i % 2 == 0 {
                let doubled = d * 2;
                if doubled > 9 { doubled - 9 } else { doubled }
            } else {
                d
            }
        })
        .sum();
    ((10 - sum % 10) % 10) as u8
}

/// A 16-digit card number starting `4000` (the prefix networks use for test cards),
/// with a valid Luhn check digit.
pub(super) fn card_number(rng: &mut impl Rng) -> String {
    let mut digits = vec![4, 0, 0, 0];
    digits.extend((0..11).map(|_| rng.random_range(0..10u8)));
    digits.push(luhn_check_digit(&digits));
    digits.iter().map(|d| char::from(b'0' + d)).collect()
}

/// A loan number of 10 to 14 digits, not starting with 0.
pub(super) fn loan_number(rng: &mut impl Rng) -> String {
    let len = rng.random_range(10..=14);
    let mut number = String::with_capacity(len);
    number.push(char::from(b'1' + rng.random_range(0..9u8)));
    for _ in 1..len {
        number.push(char::from(b'0' + rng.random_range(0..10u8)));
    }
    number
}

/// A fresh account number of the right shape for `kind`.
pub(super) fn account_number(rng: &mut impl Rng, kind: AccountKind) -> String {
    match kind {
        AccountKind::CreditCard => card_number(rng),
        _ => loan_number(rng),
    }
}

/// Groups of four, joined by `separator`.
pub(super) fn grouped(number: &str, separator: char) -> String {
    let mut out = String::with_capacity(number.len() + number.len() / 4);
    for (i, c) in number.chars().enumerate() {
        if i > 0 && i % 4 == 0 {
            out.push(separator);
        }
        out.push(c);
    }
    out
}

/// Digits as a person or bureau might write them: plain, or grouped by spaces or dashes.
pub(super) fn written_number(rng: &mut impl Rng, number: &str) -> String {
    match rng.random_range(0..10) {
        0..=5 => number.to_owned(),
        6..=7 => grouped(number, ' '),
        _ => grouped(number, '-'),
    }
}
