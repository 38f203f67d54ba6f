//! What the match rules take and give: the applicant's [`IdentityClaim`], and a
//! [`Decision`] with its machine-readable [`Reason`] codes.

use std::fmt;

use serde::{Deserialize, Serialize};
use time::Date;

use crate::proofing::records::{Address, FilingStatus};

/// What an applicant typed for the identity step (already trimmed; SSN normalised to 9
/// digits by the caller). `Debug` prints no personal data.
#[derive(Clone, PartialEq, Eq)]
pub struct IdentityClaim {
    pub first_name: String,
    pub middle_name: Option<String>,
    pub last_name: String,
    pub suffix: Option<String>,
    pub date_of_birth: Date,
    pub ssn: String,
    pub filing_status: FilingStatus,
    pub address: Address,
}

impl fmt::Debug for IdentityClaim {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("IdentityClaim { .. }")
    }
}

/// Machine-readable reasons, stored and reported as their snake_case strings
/// ([`Reason::as_str`]); the names are stable. Failures say which field failed and why;
/// `Matched*` reasons say which tolerance a pass needed; a few are informational.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    // Identity: failures.
    /// No tax return on file for the SSN.
    NoReturnForSsn,
    /// The date of birth differs.
    DateOfBirthMismatch,
    /// The first name matches neither exactly, by nickname, by part nor with one typo.
    FirstNameMismatch,
    /// The last name matches neither exactly, by part nor with one typo.
    LastNameMismatch,
    /// Both sides give a generational suffix and they differ (Jr against Sr).
    SuffixMismatch,
    /// The filing status differs from the return the names matched.
    FilingStatusMismatch,
    /// The address differs from the return's; followed by the parts that differ.
    AddressMismatch,
    /// The house number differs.
    HouseNumberMismatch,
    /// The street (name, directional or suffix) differs.
    StreetMismatch,
    /// Both sides give a unit and they differ.
    UnitMismatch,
    /// The city differs.
    CityMismatch,
    /// The state differs.
    StateMismatch,
    /// The first five ZIP digits differ (or fewer than five were given).
    ZipMismatch,

    // Identity: tolerances and notes on a pass.
    /// A first name matched through the nickname table (Bob for Robert).
    MatchedNickname,
    /// A first or last name matched with one typo.
    MatchedTypo,
    /// A name matched one part of a hyphenated or multi-word name.
    MatchedHyphenatedPart,
    /// A middle initial matched a full middle name.
    MatchedMiddleInitial,
    /// Both middle names were given and differ (noted, never a failure).
    MiddleNameDiffers,
    /// The match was on the older of the two most recent returns (someone who moved).
    MatchedPriorYear,
    /// Only the first five ZIP digits agreed (ZIP+4 against ZIP, or different +4).
    MatchedZip5,
    /// The street name matched with one typo.
    MatchedStreetTypo,
    /// One side gave a unit (apartment, suite) and the other none.
    MatchedWithoutUnit,
    /// The city matched with one typo (its ZIP code agreed).
    MatchedCityTypo,

    // Financial account.
    /// No account of the chosen kind is held under the SSN.
    NoAccountOfKind,
    /// The typed number has characters other than digits, spaces and dashes, or no digits.
    AccountNumberMalformed,
    /// A credit card needs at least its last 8 digits; fewer were typed.
    CreditCardNeedsLast8,
    /// The number matches no account of that kind.
    AccountNumberMismatch,
    /// The account that matched is closed (noted: closed accounts count).
    MatchedClosedAccount,

    // Phone.
    /// The carrier has no record of the number.
    PhoneNotFound,
    /// A landline or VoIP line, not mobile.
    PhoneNotMobile,
    /// A business line (whatever the organization is called).
    PhoneBusinessLine,
    /// The subscriber's name does not match the applicant's.
    PhoneNameMismatch,
    /// The line is in the spouse's name.
    PhoneSpouseName,
    /// The line was taken too recently to verify an identity on its own (a fraudster can
    /// open a new line in a victim's name); the letter path remains.
    PhoneRecentLine,
    /// The subscriber matched a name the person filed under (on one of the two returns),
    /// not the one typed: a carrier's record often lags a name change.
    MatchedFiledName,
}

impl Reason {
    /// Every reason, in declaration order.
    pub const ALL: [Reason; 35] = [
        Self::NoReturnForSsn,
        Self::DateOfBirthMismatch,
        Self::FirstNameMismatch,
        Self::LastNameMismatch,
        Self::SuffixMismatch,
        Self::FilingStatusMismatch,
        Self::AddressMismatch,
        Self::HouseNumberMismatch,
        Self::StreetMismatch,
        Self::UnitMismatch,
        Self::CityMismatch,
        Self::StateMismatch,
        Self::ZipMismatch,
        Self::MatchedNickname,
        Self::MatchedTypo,
        Self::MatchedHyphenatedPart,
        Self::MatchedMiddleInitial,
        Self::MiddleNameDiffers,
        Self::MatchedPriorYear,
        Self::MatchedZip5,
        Self::MatchedStreetTypo,
        Self::MatchedWithoutUnit,
        Self::MatchedCityTypo,
        Self::NoAccountOfKind,
        Self::AccountNumberMalformed,
        Self::CreditCardNeedsLast8,
        Self::AccountNumberMismatch,
        Self::MatchedClosedAccount,
        Self::PhoneNotFound,
        Self::PhoneNotMobile,
        Self::PhoneBusinessLine,
        Self::PhoneNameMismatch,
        Self::PhoneSpouseName,
        Self::PhoneRecentLine,
        Self::MatchedFiledName,
    ];

    /// The stable snake_case code (the same string serde writes).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::NoReturnForSsn => "no_return_for_ssn",
            Self::DateOfBirthMismatch => "date_of_birth_mismatch",
            Self::FirstNameMismatch => "first_name_mismatch",
            Self::LastNameMismatch => "last_name_mismatch",
            Self::SuffixMismatch => "suffix_mismatch",
            Self::FilingStatusMismatch => "filing_status_mismatch",
            Self::AddressMismatch => "address_mismatch",
            Self::HouseNumberMismatch => "house_number_mismatch",
            Self::StreetMismatch => "street_mismatch",
            Self::UnitMismatch => "unit_mismatch",
            Self::CityMismatch => "city_mismatch",
            Self::StateMismatch => "state_mismatch",
            Self::ZipMismatch => "zip_mismatch",
            Self::MatchedNickname => "matched_nickname",
            Self::MatchedTypo => "matched_typo",
            Self::MatchedHyphenatedPart => "matched_hyphenated_part",
            Self::MatchedMiddleInitial => "matched_middle_initial",
            Self::MiddleNameDiffers => "middle_name_differs",
            Self::MatchedPriorYear => "matched_prior_year",
            Self::MatchedZip5 => "matched_zip5",
            Self::MatchedStreetTypo => "matched_street_typo",
            Self::MatchedWithoutUnit => "matched_without_unit",
            Self::MatchedCityTypo => "matched_city_typo",
            Self::NoAccountOfKind => "no_account_of_kind",
            Self::AccountNumberMalformed => "account_number_malformed",
            Self::CreditCardNeedsLast8 => "credit_card_needs_last8",
            Self::AccountNumberMismatch => "account_number_mismatch",
            Self::MatchedClosedAccount => "matched_closed_account",
            Self::PhoneNotFound => "phone_not_found",
            Self::PhoneNotMobile => "phone_not_mobile",
            Self::PhoneBusinessLine => "phone_business_line",
            Self::PhoneNameMismatch => "phone_name_mismatch",
            Self::PhoneSpouseName => "phone_spouse_name",
            Self::PhoneRecentLine => "phone_recent_line",
            Self::MatchedFiledName => "matched_filed_name",
        }
    }

    /// From the stable code.
    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|reason| reason.as_str() == code)
    }

    /// Whether this reason explains a failure (as opposed to a tolerance or a note that
    /// can accompany a pass).
    pub fn is_failure(self) -> bool {
        !matches!(
            self,
            Self::MatchedNickname
                | Self::MatchedTypo
                | Self::MatchedHyphenatedPart
                | Self::MatchedMiddleInitial
                | Self::MiddleNameDiffers
                | Self::MatchedPriorYear
                | Self::MatchedZip5
                | Self::MatchedStreetTypo
                | Self::MatchedWithoutUnit
                | Self::MatchedCityTypo
                | Self::MatchedClosedAccount
                | Self::MatchedFiledName
        )
    }
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The outcome of one match: whether it passed, and why (failures on a fail; the
/// tolerances used and notes on a pass). Reasons appear once each, in a fixed order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    pub matched: bool,
    pub reasons: Vec<Reason>,
}

impl Decision {
    pub(crate) fn pass(reasons: Vec<Reason>) -> Self {
        Self {
            matched: true,
            reasons: dedup(reasons),
        }
    }

    pub(crate) fn fail(reasons: Vec<Reason>) -> Self {
        Self {
            matched: false,
            reasons: dedup(reasons),
        }
    }

    /// Whether `reason` is among the reasons.
    pub fn has(&self, reason: Reason) -> bool {
        self.reasons.contains(&reason)
    }
}

fn dedup(reasons: Vec<Reason>) -> Vec<Reason> {
    let mut out: Vec<Reason> = Vec::with_capacity(reasons.len());
    for reason in reasons {
        if !out.contains(&reason) {
            out.push(reason);
        }
    }
    out
}
