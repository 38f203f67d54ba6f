//! The match rules of `docs/records.md` ("The match rules"): does what an
//! applicant typed match the records the agency holds? Pure functions: no I/O, no
//! clock, no logging.
//!
//! - [`match_identity`]: name, SSN, date of birth, filing status and address against one
//!   of the two most recent tax returns for the SSN (`identity.rs`).
//! - [`match_financial`]: one credit card (last 8 digits) or loan (whole number) of the
//!   chosen kind, open or closed (`financial.rs`).
//! - [`match_phone`]: a mobile, personal line in the applicant's own name (`phone.rs`).
//!
//! The building blocks are public for reuse and tests: [`names`] (normalisation,
//! nicknames, typos, hyphenated surnames, suffixes), [`address`] (USPS Publication 28
//! normalisation) and [`distance`] (edit distance). The nickname table lives in
//! `nicknames.rs`.
//!
//! Every function returns a [`Decision`]: whether it matched, and machine-readable
//! [`Reason`] codes saying which field failed and why, or which tolerances a pass used.
//! Reasons are for staff and the funnel report; the applicant is never told which field
//! failed (that is the caller's job). Nothing here prints personal data in `Debug`.

pub mod address;
mod decision;
pub mod distance;
mod financial;
mod identity;
pub mod names;
mod nicknames;
mod phone;
mod postal_forms;
pub mod usps;

pub use address::{
    AddressField, AddressMatch, AddressTolerance, NormalisedAddress, addresses_match,
    compare_addresses, normalise_address,
};
pub use decision::{Decision, IdentityClaim, Reason};
pub use financial::{CREDIT_CARD_DIGITS, match_financial};
pub use identity::{MOST_RECENT_RETURNS, match_identity};
pub use names::{Tolerance, first_names_match, last_names_match, normalise_name};
pub use phone::{line_too_new, match_phone, match_phone_for, match_phone_with_tenure};

#[cfg(test)]
pub(crate) mod fixtures;

#[cfg(test)]
mod coverage_tests;

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn reason_codes_are_serde_snake_case_and_unique() {
        let mut seen = HashSet::new();
        for reason in Reason::ALL {
            let json = serde_json::to_string(&reason).unwrap_or_default();
            assert_eq!(json, format!("\"{}\"", reason.as_str()));
            assert_eq!(Reason::parse(reason.as_str()), Some(reason));
            assert_eq!(reason.to_string(), reason.as_str());
            assert!(seen.insert(reason.as_str()), "{reason} twice");
        }
        let back: Reason = serde_json::from_str("\"matched_zip5\"").unwrap();
        assert_eq!(back, Reason::MatchedZip5);
        assert_eq!(Reason::parse("nonsense"), None);
    }

    #[test]
    fn failures_and_tolerances_are_told_apart() {
        assert!(Reason::AddressMismatch.is_failure());
        assert!(Reason::PhoneSpouseName.is_failure());
        assert!(!Reason::MatchedPriorYear.is_failure());
        assert!(!Reason::MiddleNameDiffers.is_failure());
    }

    #[test]
    fn debug_prints_no_personal_data() {
        let claim = fixtures::claim();
        assert_eq!(format!("{claim:?}"), "IdentityClaim { .. }");
        let decision = Decision::fail(vec![Reason::AddressMismatch, Reason::AddressMismatch]);
        assert_eq!(
            format!("{decision:?}"),
            "Decision { matched: false, reasons: [AddressMismatch] }"
        );
    }
}
