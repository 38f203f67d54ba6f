//! Scenarios: what each applicant types, and what the match rules of
//! `docs/records.md` should decide. The table of weights and outcomes is in the
//! documentation of [`super`].

use rand::SeedableRng;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, RngExt};
use sa_domain::proofing::records::AccountKind;
use serde::Serialize;

use super::names::{fold_accents, nickname_of, one_typo, pick, two_typos};
use super::numbers::{account_number, dashed_ssn, written_number};
use super::people::{FilingStatus, LastNameNeed, Needs, Person, PhonePlan};
use super::places::{Address, AddressText};

/// How one applicant departs (or not) from the records.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Scenario {
    Exact,
    Nickname,
    TypoLongName,
    TwoTypos,
    HyphenatedPart,
    AccentsAndCase,
    UspsVariants,
    Moved,
    NoPhoneRecord,
    PhoneInSpouseName,
    BusinessPhone,
    Landline,
    NoFinancialAccountOfKind,
    ImpostorWrongAddress,
    ImpostorWrongDob,
    WrongFilingStatus,
}

/// The result of one check.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Matched,
    NotMatched,
    /// Not checked: the flow stopped at an earlier step.
    #[serde(rename = "none")]
    NotChecked,
}

/// Where the applicant ends up.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Route {
    /// Verified online (identity, account and phone all matched).
    Online,
    /// Identity and account matched but not the phone: verify by a letter to the address
    /// of record.
    Mail,
    /// Cannot be verified this way.
    Fail,
}

/// What the match rules should decide for an applicant.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Expected {
    pub identity: Outcome,
    pub financial: Outcome,
    pub phone: Outcome,
    pub route: Route,
}

const ONLINE: Expected = Expected {
    identity: Outcome::Matched,
    financial: Outcome::Matched,
    phone: Outcome::Matched,
    route: Route::Online,
};
const MAIL: Expected = Expected {
    identity: Outcome::Matched,
    financial: Outcome::Matched,
    phone: Outcome::NotMatched,
    route: Route::Mail,
};
const NO_ACCOUNT: Expected = Expected {
    identity: Outcome::Matched,
    financial: Outcome::NotMatched,
    phone: Outcome::NotChecked,
    route: Route::Fail,
};
const NO_IDENTITY: Expected = Expected {
    identity: Outcome::NotMatched,
    financial: Outcome::NotChecked,
    phone: Outcome::NotChecked,
    route: Route::Fail,
};

impl Scenario {
    pub const ALL: [Scenario; 16] = [
        Self::Exact,
        Self::Nickname,
        Self::TypoLongName,
        Self::TwoTypos,
        Self::HyphenatedPart,
        Self::AccentsAndCase,
        Self::UspsVariants,
        Self::Moved,
        Self::NoPhoneRecord,
        Self::PhoneInSpouseName,
        Self::BusinessPhone,
        Self::Landline,
        Self::NoFinancialAccountOfKind,
        Self::ImpostorWrongAddress,
        Self::ImpostorWrongDob,
        Self::WrongFilingStatus,
    ];

    /// How many of every 100 consecutive people play this scenario.
    pub const fn weight(self) -> u32 {
        match self {
            Self::Exact => 30,
            Self::Nickname => 6,
            Self::TypoLongName => 5,
            Self::TwoTypos => 3,
            Self::HyphenatedPart => 4,
            Self::AccentsAndCase => 5,
            Self::UspsVariants => 8,
            Self::Moved => 6,
            Self::NoPhoneRecord => 6,
            Self::PhoneInSpouseName => 4,
            Self::BusinessPhone => 3,
            Self::Landline => 4,
            Self::NoFinancialAccountOfKind => 5,
            Self::ImpostorWrongAddress => 4,
            Self::ImpostorWrongDob => 3,
            Self::WrongFilingStatus => 4,
        }
    }

    /// The name written in `applicants.jsonl`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Exact => "exact",
            Self::Nickname => "nickname",
            Self::TypoLongName => "typo_long_name",
            Self::TwoTypos => "two_typos",
            Self::HyphenatedPart => "hyphenated_part",
            Self::AccentsAndCase => "accents_and_case",
            Self::UspsVariants => "usps_variants",
            Self::Moved => "moved",
            Self::NoPhoneRecord => "no_phone_record",
            Self::PhoneInSpouseName => "phone_in_spouse_name",
            Self::BusinessPhone => "business_phone",
            Self::Landline => "landline",
            Self::NoFinancialAccountOfKind => "no_financial_account_of_kind",
            Self::ImpostorWrongAddress => "impostor_wrong_address",
            Self::ImpostorWrongDob => "impostor_wrong_dob",
            Self::WrongFilingStatus => "wrong_filing_status",
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == name)
    }

    /// What the match rules should decide.
    pub fn expected(self) -> Expected {
        match self {
            Self::Exact
            | Self::Nickname
            | Self::TypoLongName
            | Self::HyphenatedPart
            | Self::AccentsAndCase
            | Self::UspsVariants
            | Self::Moved => ONLINE,
            Self::NoPhoneRecord
            | Self::PhoneInSpouseName
            | Self::BusinessPhone
            | Self::Landline => MAIL,
            Self::NoFinancialAccountOfKind => NO_ACCOUNT,
            Self::TwoTypos
            | Self::ImpostorWrongAddress
            | Self::ImpostorWrongDob
            | Self::WrongFilingStatus => NO_IDENTITY,
        }
    }

    /// What the person playing this scenario must have in the records.
    pub(super) fn needs(self) -> Needs {
        let base = Needs::default();
        match self {
            Self::Exact => base,
            Self::Nickname => Needs {
                formal_first_name: true,
                ..base
            },
            Self::TypoLongName | Self::TwoTypos => Needs {
                last_name: LastNameNeed::LongPlain,
                ..base
            },
            Self::HyphenatedPart => Needs {
                last_name: LastNameNeed::Hyphenated,
                ..base
            },
            Self::AccentsAndCase => Needs {
                last_name: LastNameNeed::Marked,
                ..base
            },
            Self::UspsVariants => Needs {
                abbreviated_address: true,
                ..base
            },
            Self::Moved => Needs {
                moved: true,
                ..base
            },
            Self::NoPhoneRecord => Needs {
                phone: PhonePlan::NoRecord,
                ..base
            },
            Self::PhoneInSpouseName => Needs {
                joint_latest: true,
                phone: PhonePlan::SpouseMobile,
                ..base
            },
            Self::BusinessPhone => Needs {
                phone: PhonePlan::Business,
                ..base
            },
            Self::Landline => Needs {
                phone: PhonePlan::Landline,
                ..base
            },
            Self::NoFinancialAccountOfKind => Needs {
                has_account: false,
                ..base
            },
            Self::ImpostorWrongAddress | Self::ImpostorWrongDob | Self::WrongFilingStatus => {
                Needs {
                    has_account: false,
                    phone: PhonePlan::Usual,
                    ..base
                }
            }
        }
    }
}

const fn total_weight() -> u32 {
    let mut total = 0;
    let mut i = 0;
    while i < Scenario::ALL.len() {
        total += Scenario::ALL[i].weight();
        i += 1;
    }
    total
}

/// People per block; every block holds each scenario exactly `weight` times.
pub(super) const BLOCK: u64 = 100;
const _: () = assert!(total_weight() as u64 == BLOCK);

/// The scenario of each person: every block of 100 consecutive people is the multiset of
/// weights, shuffled by a generator seeded from the seed and the block number. So any
/// 100 consecutive people (from a block start) contain every scenario.
pub(super) struct Schedule {
    seed: u64,
    block: u64,
    slots: Vec<Scenario>,
}

impl Schedule {
    pub(super) fn new(seed: u64) -> Self {
        let mut schedule = Self {
            seed,
            block: 0,
            slots: Vec::with_capacity(BLOCK as usize),
        };
        schedule.fill(0);
        schedule
    }

    fn fill(&mut self, block: u64) {
        self.block = block;
        self.slots.clear();
        for scenario in Scenario::ALL {
            for _ in 0..scenario.weight() {
                self.slots.push(scenario);
            }
        }
        let mut rng =
            StdRng::seed_from_u64(super::seeds::mix(self.seed ^ 0x5CE7_A210_5CE7_A210, block));
        self.slots.shuffle(&mut rng);
    }

    pub(super) fn scenario_for(&mut self, index: u64) -> Scenario {
        let block = index / BLOCK;
        if block != self.block {
            self.fill(block);
        }
        let slot = usize::try_from(index % BLOCK).unwrap_or(0);
        self.slots.get(slot).copied().unwrap_or(Scenario::Exact)
    }
}

/// One line of `applicants.jsonl`.
#[derive(Debug, Serialize)]
pub(super) struct Applicant {
    pub person: u64,
    pub scenario: &'static str,
    pub identity: TypedIdentity,
    pub financial: Option<TypedAccount>,
    pub phone: Option<String>,
    /// The number the person would give (E.164), whether or not a step reached it.
    pub own_phone: String,
    pub expected: Expected,
}

#[derive(Debug, Serialize)]
pub(super) struct TypedIdentity {
    pub first_name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub middle_name: Option<String>,
    pub last_name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suffix: Option<&'static str>,
    pub date_of_birth: String,
    pub ssn: String,
    pub filing_status: &'static str,
    pub address: AddressText,
}

#[derive(Debug, Serialize)]
pub(super) struct TypedAccount {
    pub kind: &'static str,
    pub account_number: String,
}

/// Accents folded, apostrophes dropped, all in one case.
fn flattened(name: &str, upper: bool) -> String {
    let folded: String = fold_accents(name).chars().filter(|c| *c != '\'').collect();
    if upper {
        folded.to_uppercase()
    } else {
        folded.to_lowercase()
    }
}

/// What `person` types when playing `scenario`. Steps the flow never reaches (because
/// an earlier one fails) are left out (`null`).
pub(super) fn applicant(rng: &mut impl Rng, person: &Person, scenario: Scenario) -> Applicant {
    let expected = scenario.expected();
    let latest = &person.returns[0];
    // The return whose status and address are typed.
    let typed_return = match (scenario, person.returns.get(1)) {
        (Scenario::Moved, Some(prior)) => prior,
        _ => latest,
    };

    // Apostrophe names typed in lower case ("otesta"), accented ones in capitals
    // ("NUNEZ-PRUEBA").
    let upper = !person.last.contains('\'');
    let first_name = match scenario {
        Scenario::Nickname => nickname_of(person.first).unwrap_or(person.first).to_owned(),
        Scenario::AccentsAndCase => flattened(person.first, upper),
        _ => person.first.to_owned(),
    };
    let middle_name = person.middle.map(|middle| match scenario {
        Scenario::AccentsAndCase => flattened(middle, upper),
        _ => middle.to_owned(),
    });
    let last_name = match scenario {
        Scenario::TypoLongName => one_typo(rng, person.last),
        Scenario::TwoTypos => two_typos(rng, person.last),
        Scenario::HyphenatedPart => {
            let parts: Vec<&str> = person.last.split('-').collect();
            pick(rng, &parts).to_owned()
        }
        Scenario::AccentsAndCase => flattened(person.last, upper),
        _ => person.last.to_owned(),
    };
    let date_of_birth = match scenario {
        Scenario::ImpostorWrongDob => person.dob.wrong(rng),
        _ => person.dob,
    }
    .iso();
    let ssn = if rng.random_bool(0.5) {
        dashed_ssn(&person.ssn)
    } else {
        person.ssn.clone()
    };
    let filing_status = match scenario {
        Scenario::WrongFilingStatus => {
            let recent: Vec<FilingStatus> =
                person.returns.iter().take(2).map(|r| r.status).collect();
            let others: Vec<FilingStatus> = FilingStatus::ALL
                .into_iter()
                .filter(|s| !recent.contains(s))
                .collect();
            pick(rng, &others)
        }
        _ => typed_return.status,
    };
    let address = match scenario {
        Scenario::UspsVariants => latest.address.expanded_text(rng),
        Scenario::ImpostorWrongAddress => {
            let recent: Vec<&Address> = person.returns.iter().take(2).map(|r| &r.address).collect();
            Address::random_unlike(rng, &recent).record_text()
        }
        _ => typed_return.address.record_text(),
    };

    let financial = match (expected.financial, scenario) {
        (Outcome::NotChecked, _) => None,
        (_, Scenario::NoFinancialAccountOfKind) => {
            let missing: Vec<AccountKind> = AccountKind::ALL
                .into_iter()
                .filter(|kind| person.accounts.iter().all(|a| a.kind != *kind))
                .collect();
            let kind = pick(rng, &missing);
            let number = account_number(rng, kind);
            Some(typed_account(rng, kind, &number))
        }
        _ => {
            let account = &person.accounts[rng.random_range(0..person.accounts.len())];
            Some(typed_account(rng, account.kind, &account.number))
        }
    };
    let phone = match expected.phone {
        Outcome::NotChecked => None,
        _ => Some(person.phone_number.clone()),
    };

    Applicant {
        person: person.index,
        scenario: scenario.as_str(),
        identity: TypedIdentity {
            first_name,
            middle_name,
            last_name,
            suffix: person.suffix,
            date_of_birth,
            ssn,
            filing_status: filing_status.as_str(),
            address,
        },
        financial,
        phone,
        own_phone: person.phone_number.clone(),
        expected,
    }
}

/// A card by its last 8 digits, a loan by its whole number (perhaps grouped).
fn typed_account(rng: &mut impl Rng, kind: AccountKind, number: &str) -> TypedAccount {
    let account_number = match kind {
        AccountKind::CreditCard => number[number.len().saturating_sub(8)..].to_owned(),
        _ => written_number(rng, number),
    };
    TypedAccount {
        kind: kind.as_str(),
        account_number,
    }
}

#[cfg(test)]
#[path = "scenarios_tests.rs"]
mod tests;
