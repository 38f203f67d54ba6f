//! One synthetic person: name, SSN, date of birth, spouse, one to three tax returns,
//! financial accounts and a phone line, drawn to fit what the person's scenario needs.
//!
//! Numbers that must be unique (SSNs, phone numbers) are derived from the person's
//! index, never drawn at random, so uniqueness holds at any population size without
//! remembering what was already handed out.

use rand::{Rng, RngExt};
use sa_domain::proofing::records::AccountKind;

use super::names::{
    FIRST_NAMES, INITIALS, LAST_NAMES, NICKNAMES, ORGANIZATIONS, SUFFIXES, edit_distance,
    has_marks, is_hyphenated, is_long_plain, nickname_of, pick, plain_key, weighted,
};
use super::numbers::{
    SSN_CAPACITY, account_number, area_codes, phone_capacity, phone_for, ssn_for, written_number,
};
use super::places::{Address, Ymd};

/// The most recent tax year any return is filed for.
pub(super) const LATEST_TAX_YEAR: i32 = 2025;
/// The oldest tax year any return is filed for.
pub(super) const OLDEST_TAX_YEAR: i32 = 2023;

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
    let name = match (initial, rng.random_bool(0.3)) {
        (Some(initial), true) => format!("{first} {initial} {last}"),
        _ => format!("{first} {last}"),
    };
    if rng.random_bool(0.3) {
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
    let middle = match rng.random_range(0..100) {
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
    let suffix = rng.random_bool(0.04).then(|| pick(rng, SUFFIXES));
    let dob = Ymd::random(rng, 1935, 2005);

    // Which years, which filing status each year.
    let latest_year = if needs.moved || rng.random_bool(0.88) {
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
        statuses.push(if rng.random_bool(0.88) {
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
            let spouse_last = if rng.random_bool(0.65) {
                last
            } else {
                last_name(rng, LastNameNeed::Any)
            };
            let year = (dob.year + rng.random_range(-8..=8)).clamp(1930, 2005);
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
        let next = if must_move || rng.random_bool(0.12) {
            let seen: Vec<&Address> = addresses.iter().collect();
            Address::random_unlike(rng, &seen)
        } else {
            addresses[addresses.len() - 1].clone()
        };
        addresses.push(next);
    }

    // Money.
    let kids = if latest_status.needs_dependents() {
        rng.random_range(1..=4)
    } else {
        weighted(rng, &[(0i64, 60), (1, 15), (2, 15), (3, 7), (4, 3)])
    };
    let retired = dob.year <= 1958 && rng.random_bool(0.7);
    let base_income: i64 = if retired {
        rng.random_range(14_000..=65_000)
    } else {
        match rng.random_range(0..100) {
            0..=19 => rng.random_range(8_000..=30_000),
            20..=59 => rng.random_range(30_000..=75_000),
            60..=87 => rng.random_range(75_000..=150_000),
            88..=97 => rng.random_range(150_000..=300_000),
            _ => rng.random_range(300_000..=900_000),
        }
    };
    // A joint return adds the spouse's earnings: the same share of the filer's each year.
    let spouse_share = rng.random_range(0..=100);
    let returns = statuses
        .iter()
        .zip(addresses)
        .enumerate()
        .map(|(i, (&status, address))| {
            let year = latest_year - i as i32;
            let years_back = i64::from(LATEST_TAX_YEAR - year);
            let mut earned = base_income * (100 - 3 * years_back) / 100;
            earned = earned * rng.random_range(92..=108) / 100;
            if status == FilingStatus::MarriedFilingJointly {
                earned += earned * spouse_share / 100;
            }
            let wages = (!retired).then_some(earned);
            let other = earned * rng.random_range(0..=15) / 100;
            let agi = earned + other - earned * rng.random_range(0..=4) / 100;
            let dependents = if status.needs_dependents() {
                kids.max(1)
            } else {
                kids
            };
            let total_tax = income_tax(status, agi, dependents);
            let withheld = total_tax * rng.random_range(80..=125) / 100 + rng.random_range(0..=400);
            TaxReturn {
                year,
                status,
                address,
                agi,
                wages,
                total_tax,
                refund: withheld - total_tax,
                dependents: (dependents > 0 || rng.random_bool(0.7)).then_some(dependents),
                dashed_ssn: rng.random_bool(0.5),
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
                open: rng.random_bool(0.8),
                opened_on: rng
                    .random_bool(0.8)
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
            if rng.random_bool(0.8) {
                LineType::Mobile
            } else {
                LineType::Voip
            },
            Subscriber::Organization(pick(rng, ORGANIZATIONS)),
        )),
        (PhonePlan::Landline, _) => Some((
            if rng.random_bool(0.7) {
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
        with_address: rng.random_bool(0.6),
        since: rng.random_bool(0.8).then(|| Ymd::random(rng, 2008, 2025)),
        ten_digits: rng.random_bool(0.15),
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
#[path = "people_tests.rs"]
mod tests;
