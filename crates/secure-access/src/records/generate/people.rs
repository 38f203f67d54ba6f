//! One synthetic person: name, SSN, date of birth, spouse, one to three tax returns,
//! financial accounts and a phone line, drawn to fit what the person's scenario needs.
//!
//! Numbers that must be unique (SSNs, phone numbers) are derived from the person's
//! index, never drawn at random, so uniqueness holds at any population size without
//! remembering what was already handed out.

use rand::Rng;
use sa_domain::proofing::records::AccountKind;

use super::names::{
    CITIES, DIRECTIONALS, FIRST_NAMES, INITIALS, LAST_NAMES, NICKNAMES, ORGANIZATIONS, STATES,
    STREET_NAMES, STREET_SUFFIXES, SUFFIXES, edit_distance, has_marks, is_hyphenated,
    is_long_plain, nickname_of, pick, plain_key, weighted,
};

/// The most recent tax year any return is filed for.
pub(super) const LATEST_TAX_YEAR: i32 = 2025;
/// The oldest tax year any return is filed for.
pub(super) const OLDEST_TAX_YEAR: i32 = 2023;

// ---------------------------------------------------------------------------------------
// Unique numbers
// ---------------------------------------------------------------------------------------

/// SSNs per area number: groups 01–99, serials 0001–9999.
const SSNS_PER_AREA: u64 = 99 * 9_999;
/// Areas 900–999 only (see the module documentation of `generate`).
const SSN_AREAS: u64 = 100;

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

// ---------------------------------------------------------------------------------------
// Dates
// ---------------------------------------------------------------------------------------

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct Ymd {
    pub year: i32,
    pub month: u8,
    pub day: u8,
}

fn is_leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

impl Ymd {
    pub(super) fn random(rng: &mut impl Rng, from_year: i32, to_year: i32) -> Self {
        let year = rng.gen_range(from_year..=to_year);
        let month = rng.gen_range(1..=12u8);
        let day = rng.gen_range(1..=days_in_month(year, month));
        Self { year, month, day }
    }

    /// `YYYY-MM-DD`.
    pub(super) fn iso(self) -> String {
        format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }

    /// A different, still valid date an impostor might give: another year, day and month
    /// swapped, or a few days off.
    pub(super) fn wrong(self, rng: &mut impl Rng) -> Self {
        loop {
            let candidate = match rng.gen_range(0..3) {
                0 => {
                    let year = self.year + pick(rng, &[-3, -2, -1, 1, 2, 3]);
                    Self {
                        year,
                        month: self.month,
                        day: self.day.min(days_in_month(year, self.month)),
                    }
                }
                1 if self.day <= 12 => Self {
                    year: self.year,
                    month: self.day,
                    day: self.month.min(days_in_month(self.year, self.day)),
                },
                _ => {
                    let last = days_in_month(self.year, self.month);
                    Self {
                        day: rng.gen_range(1..=last),
                        ..self
                    }
                }
            };
            if candidate != self {
                return candidate;
            }
        }
    }
}

// ---------------------------------------------------------------------------------------
// Addresses
// ---------------------------------------------------------------------------------------

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum UnitKind {
    /// `#4B`
    Hash,
    /// `Apt 4B` / `Apartment 4B`
    Apartment,
    /// `Ste 300` / `Suite 300`
    Suite,
    /// `Unit 12`
    Unit,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Address {
    number: u32,
    predirectional: Option<usize>,
    street: &'static str,
    suffix: usize,
    postdirectional: Option<usize>,
    /// USPS abbreviations (`N`, `St`, `Apt`) rather than full words.
    abbreviated: bool,
    unit: Option<(UnitKind, String)>,
    city: &'static str,
    state: &'static str,
    zip5: u32,
    zip4: Option<u16>,
}

/// An address as text, the way a record or an applicant writes it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub(super) struct AddressText {
    pub street: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    pub city: &'static str,
    pub state: &'static str,
    pub zip: String,
}

fn unit_id(rng: &mut impl Rng, kind: UnitKind) -> String {
    match kind {
        UnitKind::Suite => format!("{}", rng.gen_range(1..=9u32) * 100 + rng.gen_range(0..20)),
        UnitKind::Unit => format!("{}", rng.gen_range(1..=60u32)),
        UnitKind::Hash | UnitKind::Apartment => {
            if rng.gen_bool(0.5) {
                let floor = rng.gen_range(1..=12u32);
                let letter = char::from(b'A' + rng.gen_range(0..6u8));
                format!("{floor}{letter}")
            } else {
                format!("{}", rng.gen_range(1..=450u32))
            }
        }
    }
}

impl Address {
    pub(super) fn random(rng: &mut impl Rng) -> Self {
        let predirectional = if rng.gen_bool(0.2) {
            Some(rng.gen_range(0..DIRECTIONALS.len()))
        } else {
            None
        };
        let postdirectional = if predirectional.is_none() && rng.gen_bool(0.05) {
            Some(rng.gen_range(0..DIRECTIONALS.len()))
        } else {
            None
        };
        let unit = if rng.gen_bool(0.3) {
            let kind = weighted(
                rng,
                &[
                    (UnitKind::Apartment, 5),
                    (UnitKind::Hash, 3),
                    (UnitKind::Unit, 2),
                    (UnitKind::Suite, 1),
                ],
            );
            Some((kind, unit_id(rng, kind)))
        } else {
            None
        };
        Self {
            number: rng.gen_range(1..=9_899),
            predirectional,
            street: pick(rng, STREET_NAMES),
            suffix: rng.gen_range(0..STREET_SUFFIXES.len()),
            postdirectional,
            abbreviated: rng.gen_bool(0.7),
            unit,
            city: pick(rng, CITIES),
            state: pick(rng, STATES),
            zip5: rng.gen_range(1_001..=99_950),
            zip4: rng.gen_bool(0.3).then(|| rng.gen_range(1..=9_999)),
        }
    }

    /// An address in USPS abbreviations with a directional and an `#`, `Apt` or `Ste`
    /// unit, so that [`Address::expanded_text`] differs from it in every way the match
    /// rules must see through.
    pub(super) fn random_abbreviated(rng: &mut impl Rng) -> Self {
        let mut address = Self::random(rng);
        address.abbreviated = true;
        if address.predirectional.is_none() && address.postdirectional.is_none() {
            address.predirectional = Some(rng.gen_range(0..DIRECTIONALS.len()));
        }
        let kind = pick(rng, &[UnitKind::Hash, UnitKind::Apartment, UnitKind::Suite]);
        address.unit = Some((kind, unit_id(rng, kind)));
        address
    }

    /// A new address that no normalisation could confuse with any of `others`: another
    /// house number and another ZIP code.
    pub(super) fn random_unlike(rng: &mut impl Rng, others: &[&Address]) -> Self {
        loop {
            let candidate = Self::random(rng);
            if others
                .iter()
                .all(|o| o.number != candidate.number && o.zip5 != candidate.zip5)
            {
                return candidate;
            }
        }
    }

    fn street_line(&self, abbreviated: bool) -> String {
        let word = |pair: (&'static str, &'static str)| if abbreviated { pair.1 } else { pair.0 };
        let mut line = self.number.to_string();
        if let Some(d) = self.predirectional {
            line.push(' ');
            line.push_str(word(DIRECTIONALS[d]));
        }
        line.push(' ');
        line.push_str(self.street);
        line.push(' ');
        line.push_str(word(STREET_SUFFIXES[self.suffix]));
        if let Some(d) = self.postdirectional {
            line.push(' ');
            line.push_str(word(DIRECTIONALS[d]));
        }
        line
    }

    fn unit_text(&self, abbreviated: bool) -> Option<String> {
        self.unit
            .as_ref()
            .map(|(kind, id)| match (kind, abbreviated) {
                (UnitKind::Hash, _) => format!("#{id}"),
                (UnitKind::Apartment, true) => format!("Apt {id}"),
                (UnitKind::Apartment, false) => format!("Apartment {id}"),
                (UnitKind::Suite, true) => format!("Ste {id}"),
                (UnitKind::Suite, false) => format!("Suite {id}"),
                (UnitKind::Unit, _) => format!("Unit {id}"),
            })
    }

    /// As the record writes it (ZIP as 5 or 9 digits).
    pub(super) fn record_text(&self) -> AddressText {
        AddressText {
            street: self.street_line(self.abbreviated),
            unit: self.unit_text(self.abbreviated),
            city: self.city,
            state: self.state,
            zip: match self.zip4 {
                Some(plus4) => format!("{:05}{plus4:04}", self.zip5),
                None => format!("{:05}", self.zip5),
            },
        }
    }

    /// The same address with every USPS abbreviation written out (`North`, `Street`),
    /// `#4B` / `Apt 4B` as `Apartment 4B`, and ZIP+4 where the record has a 5-digit ZIP
    /// (or the 5-digit ZIP where it has ZIP+4). Sometimes in capitals.
    pub(super) fn expanded_text(&self, rng: &mut impl Rng) -> AddressText {
        let mut street = self.street_line(false);
        if rng.gen_bool(0.3) {
            street = street.to_uppercase();
        }
        let unit = self.unit.as_ref().map(|(kind, id)| match kind {
            UnitKind::Hash | UnitKind::Apartment => format!("Apartment {id}"),
            UnitKind::Suite => format!("Suite {id}"),
            UnitKind::Unit => format!("Unit {id}"),
        });
        let zip = match self.zip4 {
            Some(_) => format!("{:05}", self.zip5),
            None => format!("{:05}-{:04}", self.zip5, rng.gen_range(1..=9_999)),
        };
        AddressText {
            street,
            unit,
            city: self.city,
            state: self.state,
            zip,
        }
    }
}

// ---------------------------------------------------------------------------------------
// Tax returns
// ---------------------------------------------------------------------------------------

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum FilingStatus {
    Single,
    MarriedFilingJointly,
    MarriedFilingSeparately,
    HeadOfHousehold,
    QualifyingSurvivingSpouse,
}

impl FilingStatus {
    pub(super) const ALL: [Self; 5] = [
        Self::Single,
        Self::MarriedFilingJointly,
        Self::MarriedFilingSeparately,
        Self::HeadOfHousehold,
        Self::QualifyingSurvivingSpouse,
    ];

    pub(super) fn as_str(self) -> &'static str {
        match self {
            Self::Single => "single",
            Self::MarriedFilingJointly => "married_filing_jointly",
            Self::MarriedFilingSeparately => "married_filing_separately",
            Self::HeadOfHousehold => "head_of_household",
            Self::QualifyingSurvivingSpouse => "qualifying_surviving_spouse",
        }
    }

    fn needs_dependents(self) -> bool {
        matches!(
            self,
            Self::HeadOfHousehold | Self::QualifyingSurvivingSpouse
        )
    }

    fn random(rng: &mut impl Rng) -> Self {
        weighted(
            rng,
            &[
                (Self::Single, 45),
                (Self::MarriedFilingJointly, 35),
                (Self::MarriedFilingSeparately, 4),
                (Self::HeadOfHousehold, 14),
                (Self::QualifyingSurvivingSpouse, 2),
            ],
        )
    }

    /// Standard deduction and bracket scale (numerator, denominator) against single.
    fn deduction_and_scale(self) -> (i64, i64, i64) {
        match self {
            Self::Single | Self::MarriedFilingSeparately => (15_000, 1, 1),
            Self::MarriedFilingJointly | Self::QualifyingSurvivingSpouse => (30_000, 2, 1),
            Self::HeadOfHousehold => (22_500, 3, 2),
        }
    }
}

/// Federal income tax in whole dollars, roughly 2025 rules: standard deduction, seven
/// brackets, a $2,000 credit per dependent.
fn income_tax(status: FilingStatus, agi: i64, dependents: i64) -> i64 {
    const BRACKETS: [(i64, i64); 7] = [
        (11_925, 10),
        (48_475, 12),
        (103_350, 22),
        (197_300, 24),
        (250_525, 32),
        (626_350, 35),
        (i64::MAX / 4, 37),
    ];
    let (deduction, num, den) = status.deduction_and_scale();
    let taxable = (agi - deduction).max(0);
    let mut tax = 0;
    let mut lower = 0;
    for (upper, percent) in BRACKETS {
        let upper = upper.saturating_mul(num) / den;
        if taxable > lower {
            tax += (taxable.min(upper) - lower) * percent / 100;
        }
        lower = upper;
    }
    (tax - 2_000 * dependents).max(0)
}

#[derive(Clone, Debug)]
pub(super) struct TaxReturn {
    pub year: i32,
    pub status: FilingStatus,
    pub address: Address,
    pub agi: i64,
    pub wages: Option<i64>,
    pub total_tax: i64,
    pub refund: i64,
    pub dependents: Option<i64>,
    /// The SSN is written `123-45-6789` rather than `123456789`.
    pub dashed_ssn: bool,
}

// ---------------------------------------------------------------------------------------
// Accounts and phones
// ---------------------------------------------------------------------------------------

#[derive(Clone, Debug)]
pub(super) struct Account {
    pub kind: AccountKind,
    /// Digits only.
    pub number: String,
    /// As the bureau writes it: digits, or grouped with spaces or dashes.
    pub written: String,
    pub holder_name: String,
    pub open: bool,
    pub opened_on: Option<Ymd>,
}

fn luhn_check_digit(digits: &[u8]) -> u8 {
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
fn card_number(rng: &mut impl Rng) -> String {
    let mut digits = vec![4, 0, 0, 0];
    digits.extend((0..11).map(|_| rng.gen_range(0..10u8)));
    digits.push(luhn_check_digit(&digits));
    digits.iter().map(|d| char::from(b'0' + d)).collect()
}

/// A loan number of 10 to 14 digits, not starting with 0.
fn loan_number(rng: &mut impl Rng) -> String {
    let len = rng.gen_range(10..=14);
    let mut number = String::with_capacity(len);
    number.push(char::from(b'1' + rng.gen_range(0..9u8)));
    for _ in 1..len {
        number.push(char::from(b'0' + rng.gen_range(0..10u8)));
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
fn grouped(number: &str, separator: char) -> String {
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
    match rng.gen_range(0..10) {
        0..=5 => number.to_owned(),
        6..=7 => grouped(number, ' '),
        _ => grouped(number, '-'),
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum LineType {
    Mobile,
    Landline,
    Voip,
}

impl LineType {
    pub(super) fn as_str(self) -> &'static str {
        match self {
            Self::Mobile => "mobile",
            Self::Landline => "landline",
            Self::Voip => "voip",
        }
    }
}

/// Who the carrier has as the subscriber.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Subscriber {
    Person {
        first: &'static str,
        last: &'static str,
    },
    Organization(&'static str),
}

/// The carrier's record of a person's number.
#[derive(Clone, Debug)]
pub(super) struct PhoneLine {
    pub line_type: LineType,
    pub subscriber: Subscriber,
    pub with_address: bool,
    pub since: Option<Ymd>,
    /// Written as 10 digits rather than E.164.
    pub ten_digits: bool,
}

/// What kind of phone record a scenario needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum PhonePlan {
    /// A personal mobile line in the person's own name.
    OwnMobile,
    /// A personal mobile line in the spouse's name.
    SpouseMobile,
    /// A business line (mobile or VoIP) in a company's name.
    Business,
    /// A personal landline or VoIP line in the person's own name.
    Landline,
    /// The carrier has no record of the number.
    NoRecord,
    /// Whatever people usually have: mostly their own mobile.
    Usual,
}

// ---------------------------------------------------------------------------------------
// People
// ---------------------------------------------------------------------------------------

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum LastNameNeed {
    Any,
    /// Plain letters, at least six (for typos).
    LongPlain,
    Hyphenated,
    /// With an accent or an apostrophe.
    Marked,
}

/// What a scenario requires of the person it is played by.
#[derive(Clone, Copy, Debug)]
pub(super) struct Needs {
    /// A first name with a nickname.
    pub formal_first_name: bool,
    pub last_name: LastNameNeed,
    /// At least two returns, the older of the latest two at another address.
    pub moved: bool,
    /// The latest return is a joint one (so there is a spouse).
    pub joint_latest: bool,
    /// The latest address is written with USPS abbreviations, a directional and a unit.
    pub abbreviated_address: bool,
    /// At least one financial account.
    pub has_account: bool,
    pub phone: PhonePlan,
}

impl Default for Needs {
    fn default() -> Self {
        Self {
            formal_first_name: false,
            last_name: LastNameNeed::Any,
            moved: false,
            joint_latest: false,
            abbreviated_address: false,
            has_account: true,
            phone: PhonePlan::OwnMobile,
        }
    }
}

#[derive(Clone, Debug)]
pub(super) struct Spouse {
    pub ssn: String,
    pub first: &'static str,
    pub last: &'static str,
    pub dob: Ymd,
}

#[derive(Clone, Debug)]
pub(super) struct Person {
    pub index: u64,
    /// 9 digits.
    pub ssn: String,
    pub first: &'static str,
    pub middle: Option<&'static str>,
    pub last: &'static str,
    pub suffix: Option<&'static str>,
    pub dob: Ymd,
    pub spouse: Option<Spouse>,
    /// Newest first; one to three consecutive years.
    pub returns: Vec<TaxReturn>,
    pub accounts: Vec<Account>,
    /// E.164; the number the person would give, whether or not the carrier has it.
    pub phone_number: String,
    pub phone: Option<PhoneLine>,
}

/// Unique numbers handed out by index.
pub(super) struct Numbering {
    area_codes: Vec<u16>,
}

impl Numbering {
    pub(super) fn new() -> Self {
        Self {
            area_codes: area_codes(),
        }
    }

    /// How many people can be generated.
    pub(super) fn capacity(&self) -> u64 {
        phone_capacity(&self.area_codes).min(SSN_CAPACITY)
    }
}

fn last_name(rng: &mut impl Rng, need: LastNameNeed) -> &'static str {
    loop {
        let name = pick(rng, LAST_NAMES);
        let fits = match need {
            LastNameNeed::Any => true,
            LastNameNeed::LongPlain => is_long_plain(name),
            LastNameNeed::Hyphenated => is_hyphenated(name),
            LastNameNeed::Marked => has_marks(name),
        };
        if fits {
            return name;
        }
    }
}

/// Two first names that no matching rule could take for the same person.
fn clearly_different(a: &str, b: &str) -> bool {
    let related = |x: &str, y: &str| nickname_of(x).is_some_and(|nick| nick == y);
    edit_distance(&plain_key(a), &plain_key(b)) >= 3 && !related(a, b) && !related(b, a)
}

fn holder_name(rng: &mut impl Rng, first: &str, middle: Option<&str>, last: &str) -> String {
    let initial = middle.and_then(|m| m.chars().next());
    let name = match (initial, rng.gen_bool(0.3)) {
        (Some(initial), true) => format!("{first} {initial} {last}"),
        _ => format!("{first} {last}"),
    };
    if rng.gen_bool(0.3) {
        name.to_uppercase()
    } else {
        name
    }
}

/// Generate person `index` to fit `needs`. `None` when the index is past the numbering
/// capacity.
pub(super) fn generate(
    rng: &mut impl Rng,
    numbering: &Numbering,
    index: u64,
    needs: &Needs,
) -> Option<Person> {
    let ssn = ssn_for(index.checked_mul(2)?)?;
    let spouse_ssn = ssn_for(index.checked_mul(2)?.checked_add(1)?)?;
    let phone_number = phone_for(&numbering.area_codes, index)?;

    let first = if needs.formal_first_name {
        pick(rng, NICKNAMES).0
    } else {
        pick(rng, FIRST_NAMES)
    };
    let middle = match rng.gen_range(0..100) {
        0..=44 => None,
        45..=74 => Some(pick(rng, INITIALS)),
        _ => loop {
            let middle = pick(rng, FIRST_NAMES);
            if middle != first {
                break Some(middle);
            }
        },
    };
    let last = last_name(rng, needs.last_name);
    let suffix = rng.gen_bool(0.04).then(|| pick(rng, SUFFIXES));
    let dob = Ymd::random(rng, 1935, 2005);

    // Which years, which filing status each year.
    let latest_year = if needs.moved || rng.gen_bool(0.88) {
        LATEST_TAX_YEAR
    } else {
        LATEST_TAX_YEAR - 1
    };
    let most = usize::try_from(latest_year - OLDEST_TAX_YEAR + 1).unwrap_or(1);
    let mut count = weighted(rng, &[(1usize, 20), (2, 35), (3, 45)]).min(most);
    if needs.moved {
        count = count.max(2);
    }
    let latest_status = if needs.joint_latest {
        FilingStatus::MarriedFilingJointly
    } else {
        FilingStatus::random(rng)
    };
    let mut statuses = vec![latest_status];
    while statuses.len() < count {
        let newer = statuses[statuses.len() - 1];
        statuses.push(if rng.gen_bool(0.88) {
            newer
        } else {
            FilingStatus::random(rng)
        });
    }
    let spouse = statuses
        .contains(&FilingStatus::MarriedFilingJointly)
        .then(|| {
            let first = loop {
                let candidate = pick(rng, FIRST_NAMES);
                if clearly_different(candidate, first) {
                    break candidate;
                }
            };
            let spouse_last = if rng.gen_bool(0.65) {
                last
            } else {
                last_name(rng, LastNameNeed::Any)
            };
            let year = (dob.year + rng.gen_range(-8..=8)).clamp(1930, 2005);
            Spouse {
                ssn: spouse_ssn,
                first,
                last: spouse_last,
                dob: Ymd::random(rng, year, year),
            }
        });

    // Where they lived each year.
    let latest_address = if needs.abbreviated_address {
        Address::random_abbreviated(rng)
    } else {
        Address::random(rng)
    };
    let mut addresses = vec![latest_address];
    while addresses.len() < count {
        let must_move = needs.moved && addresses.len() == 1;
        let next = if must_move || rng.gen_bool(0.12) {
            let seen: Vec<&Address> = addresses.iter().collect();
            Address::random_unlike(rng, &seen)
        } else {
            addresses[addresses.len() - 1].clone()
        };
        addresses.push(next);
    }

    // Money.
    let kids = if latest_status.needs_dependents() {
        rng.gen_range(1..=4)
    } else {
        weighted(rng, &[(0i64, 60), (1, 15), (2, 15), (3, 7), (4, 3)])
    };
    let retired = dob.year <= 1958 && rng.gen_bool(0.7);
    let base_income: i64 = if retired {
        rng.gen_range(14_000..=65_000)
    } else {
        match rng.gen_range(0..100) {
            0..=19 => rng.gen_range(8_000..=30_000),
            20..=59 => rng.gen_range(30_000..=75_000),
            60..=87 => rng.gen_range(75_000..=150_000),
            88..=97 => rng.gen_range(150_000..=300_000),
            _ => rng.gen_range(300_000..=900_000),
        }
    };
    // A joint return adds the spouse's earnings: the same share of the filer's each year.
    let spouse_share = rng.gen_range(0..=100);
    let returns = statuses
        .iter()
        .zip(addresses)
        .enumerate()
        .map(|(i, (&status, address))| {
            let year = latest_year - i as i32;
            let years_back = i64::from(LATEST_TAX_YEAR - year);
            let mut earned = base_income * (100 - 3 * years_back) / 100;
            earned = earned * rng.gen_range(92..=108) / 100;
            if status == FilingStatus::MarriedFilingJointly {
                earned += earned * spouse_share / 100;
            }
            let wages = (!retired).then_some(earned);
            let other = earned * rng.gen_range(0..=15) / 100;
            let agi = earned + other - earned * rng.gen_range(0..=4) / 100;
            let dependents = if status.needs_dependents() {
                kids.max(1)
            } else {
                kids
            };
            let total_tax = income_tax(status, agi, dependents);
            let withheld = total_tax * rng.gen_range(80..=125) / 100 + rng.gen_range(0..=400);
            TaxReturn {
                year,
                status,
                address,
                agi,
                wages,
                total_tax,
                refund: withheld - total_tax,
                dependents: (dependents > 0 || rng.gen_bool(0.7)).then_some(dependents),
                dashed_ssn: rng.gen_bool(0.5),
            }
        })
        .collect();

    // Accounts.
    let mut account_count = weighted(rng, &[(0usize, 15), (1, 30), (2, 30), (3, 17), (4, 8)]);
    if needs.has_account {
        account_count = account_count.max(1);
    }
    let adult = dob.year + 18;
    let accounts = (0..account_count)
        .map(|_| {
            let kind = weighted(
                rng,
                &[
                    (AccountKind::CreditCard, 45),
                    (AccountKind::AutoLoan, 18),
                    (AccountKind::StudentLoan, 15),
                    (AccountKind::Mortgage, 12),
                    (AccountKind::HomeEquityLineOfCredit, 5),
                    (AccountKind::HomeEquityLoan, 5),
                ],
            );
            let number = account_number(rng, kind);
            Account {
                kind,
                written: written_number(rng, &number),
                number,
                holder_name: holder_name(rng, first, middle, last),
                open: rng.gen_bool(0.8),
                opened_on: rng
                    .gen_bool(0.8)
                    .then(|| Ymd::random(rng, adult.max(1990), LATEST_TAX_YEAR)),
            }
        })
        .collect();

    // Phone.
    let plan = match needs.phone {
        PhonePlan::Usual => weighted(
            rng,
            &[
                (PhonePlan::OwnMobile, 80),
                (PhonePlan::NoRecord, 8),
                (PhonePlan::Landline, 6),
                (PhonePlan::Business, 4),
                (PhonePlan::SpouseMobile, 2),
            ],
        ),
        plan => plan,
    };
    let own = Subscriber::Person { first, last };
    let line = match (plan, &spouse) {
        (PhonePlan::NoRecord | PhonePlan::Usual, _) => None,
        (PhonePlan::OwnMobile, _) | (PhonePlan::SpouseMobile, None) => {
            Some((LineType::Mobile, own))
        }
        (PhonePlan::SpouseMobile, Some(spouse)) => Some((
            LineType::Mobile,
            Subscriber::Person {
                first: spouse.first,
                last: spouse.last,
            },
        )),
        (PhonePlan::Business, _) => Some((
            if rng.gen_bool(0.8) {
                LineType::Mobile
            } else {
                LineType::Voip
            },
            Subscriber::Organization(pick(rng, ORGANIZATIONS)),
        )),
        (PhonePlan::Landline, _) => Some((
            if rng.gen_bool(0.7) {
                LineType::Landline
            } else {
                LineType::Voip
            },
            own,
        )),
    };
    let phone = line.map(|(line_type, subscriber)| PhoneLine {
        line_type,
        subscriber,
        with_address: rng.gen_bool(0.6),
        since: rng.gen_bool(0.8).then(|| Ymd::random(rng, 2008, 2025)),
        ten_digits: rng.gen_bool(0.15),
    });

    Some(Person {
        index,
        ssn,
        first,
        middle,
        last,
        suffix,
        dob,
        spouse,
        returns,
        accounts,
        phone_number,
        phone,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand::rngs::StdRng;
    use std::collections::HashSet;

    #[test]
    fn ssns_are_unique_and_never_issued() {
        let mut seen = HashSet::new();
        // The start, an area boundary, and the very end of the range.
        let ranges = [
            0..20_000u64,
            SSNS_PER_AREA - 10_000..SSNS_PER_AREA + 10_000,
            SSN_AREAS * SSNS_PER_AREA - 1_000..SSN_AREAS * SSNS_PER_AREA,
        ];
        for k in ranges.into_iter().flatten() {
            let ssn = ssn_for(k).unwrap();
            assert_eq!(ssn.len(), 9);
            let area: u32 = ssn[..3].parse().unwrap();
            assert!((900..=999).contains(&area), "{ssn}");
            assert_ne!(&ssn[3..5], "00");
            assert_ne!(&ssn[5..], "0000");
            assert!(seen.insert(ssn));
        }
        assert_eq!(ssn_for(SSN_AREAS * SSNS_PER_AREA), None);
        assert_eq!(dashed_ssn("900123456"), "900-12-3456");
    }

    #[test]
    fn whole_areas_are_permuted_without_collisions() {
        let area: HashSet<String> = (0..SSNS_PER_AREA).map(|k| ssn_for(k).unwrap()).collect();
        assert_eq!(area.len() as u64, SSNS_PER_AREA);
    }

    #[test]
    fn phones_start_in_the_fictional_range_and_stay_unique() {
        let codes = area_codes();
        assert!(codes.len() >= 500, "{}", codes.len());
        for special in [200, 211, 800, 888, 900, 911, 370, 965, 295] {
            assert!(!codes.contains(&special), "{special}");
        }
        assert!(phone_capacity(&codes) >= 5_000_000);
        assert_eq!(codes.len(), 677);
        assert_eq!(phone_for(&codes, 0).unwrap(), "+12015550100");
        let fictional = codes.len() as u64 * 100;
        let mut seen = HashSet::new();
        for index in
            (0..fictional + 30_000).chain(phone_capacity(&codes) - 100..phone_capacity(&codes))
        {
            let phone = phone_for(&codes, index).unwrap();
            assert_eq!(phone.len(), 12);
            assert_eq!(&phone[5..8], "555", "{phone}");
            let line: u32 = phone[8..].parse().unwrap();
            if index < fictional {
                assert!((100..=199).contains(&line), "{phone}");
            } else {
                assert!(!(100..=199).contains(&line), "{phone}");
            }
            assert!(seen.insert(phone));
        }
        assert_eq!(phone_for(&codes, phone_capacity(&codes)), None);
    }

    #[test]
    fn tax_is_progressive_and_credits_apply() {
        assert_eq!(income_tax(FilingStatus::Single, 10_000, 0), 0);
        let low = income_tax(FilingStatus::Single, 40_000, 0);
        let high = income_tax(FilingStatus::Single, 400_000, 0);
        assert!(low > 0 && high > low * 10);
        assert!(
            income_tax(FilingStatus::MarriedFilingJointly, 80_000, 0)
                < income_tax(FilingStatus::Single, 80_000, 0)
        );
        assert_eq!(income_tax(FilingStatus::Single, 40_000, 1), low - 2_000);
    }

    #[test]
    fn card_numbers_pass_luhn() {
        let mut rng = StdRng::seed_from_u64(1);
        for _ in 0..100 {
            let card = card_number(&mut rng);
            assert_eq!(card.len(), 16);
            assert!(card.starts_with("4000"));
            let digits: Vec<u8> = card.bytes().map(|b| b - b'0').collect();
            assert_eq!(luhn_check_digit(&digits[..15]), digits[15]);
            let loan = loan_number(&mut rng);
            assert!((10..=14).contains(&loan.len()));
        }
        assert_eq!(grouped("4000123456789010", ' '), "4000 1234 5678 9010");
    }

    #[test]
    fn people_fit_their_needs() {
        let numbering = Numbering::new();
        let mut rng = StdRng::seed_from_u64(9);
        let needs = Needs {
            formal_first_name: true,
            last_name: LastNameNeed::Hyphenated,
            moved: true,
            joint_latest: true,
            abbreviated_address: true,
            has_account: true,
            phone: PhonePlan::SpouseMobile,
        };
        for index in 0..200 {
            let person = generate(&mut rng, &numbering, index, &needs).unwrap();
            assert!(nickname_of(person.first).is_some());
            assert!(person.last.contains('-'));
            assert!(person.returns.len() >= 2);
            assert_eq!(person.returns[0].year, LATEST_TAX_YEAR);
            assert_ne!(person.returns[0].address, person.returns[1].address);
            assert_eq!(person.returns[0].status, FilingStatus::MarriedFilingJointly);
            let spouse = person.spouse.as_ref().unwrap();
            assert!(clearly_different(spouse.first, person.first));
            assert!(!person.accounts.is_empty());
            let line = person.phone.as_ref().unwrap();
            assert_eq!(
                line.subscriber,
                Subscriber::Person {
                    first: spouse.first,
                    last: spouse.last
                }
            );
            let record = person.returns[0].address.record_text();
            let typed = person.returns[0].address.expanded_text(&mut rng);
            assert_ne!(record.street.to_lowercase(), typed.street.to_lowercase());
            assert_ne!(record.unit, typed.unit);
            assert_ne!(record.zip, typed.zip);
            assert_eq!(&record.zip[..5], &typed.zip[..5]);
        }
    }

    #[test]
    fn wrong_dates_differ_and_stay_valid() {
        let mut rng = StdRng::seed_from_u64(5);
        for _ in 0..2_000 {
            let date = Ymd::random(&mut rng, 1935, 2005);
            let wrong = date.wrong(&mut rng);
            assert_ne!(date, wrong);
            assert!(wrong.day >= 1 && wrong.day <= days_in_month(wrong.year, wrong.month));
            assert!((1..=12).contains(&wrong.month));
        }
        let leap = Ymd {
            year: 2000,
            month: 2,
            day: 29,
        };
        assert_eq!(leap.iso(), "2000-02-29");
    }
}
