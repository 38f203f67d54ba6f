//! The identity rule: what an applicant typed (name, SSN, date of birth, filing status,
//! address) against the tax returns filed under the SSN.
//!
//! - Only the [`MOST_RECENT_RETURNS`] most recent returns for the SSN count (by tax year;
//!   the input may hold more, in any order, and returns for other SSNs are ignored).
//! - SSN and date of birth match exactly; names by the rules of [`super::names`]; the
//!   address by [`super::address`]; middle names never fail.
//! - Names, date of birth, filing status and address must all match **one** return:
//!   a filing status from one year with an address from another fails.
//! - A pass on the older of the two returns records [`Reason::MatchedPriorYear`].
//! - A fail reports the failures against the return that came closest (fewest failing
//!   fields; the most recent on a tie), so staff see what differed.

use super::address::compare_addresses;
use super::decision::{Decision, IdentityClaim, Reason};
use super::names::{compare_middle_names, first_names_match, last_names_match, suffixes_conflict};
use crate::keys::constant_time_eq;
use crate::proofing::records::TaxReturn;

/// How many of the most recent returns an applicant may match.
pub const MOST_RECENT_RETURNS: usize = 2;

/// Whether the claim matches one of the two most recent returns for its SSN.
pub fn match_identity(claim: &IdentityClaim, returns: &[TaxReturn]) -> Decision {
    let mut candidates: Vec<&TaxReturn> = returns
        .iter()
        .filter(|r| constant_time_eq(r.ssn.as_bytes(), claim.ssn.as_bytes()))
        .collect();
    if candidates.is_empty() {
        return Decision::fail(vec![Reason::NoReturnForSsn]);
    }
    candidates.sort_by_key(|r| std::cmp::Reverse(r.tax_year));
    candidates.truncate(MOST_RECENT_RETURNS);

    let mut closest: Option<Mismatch> = None;
    for (index, tax_return) in candidates.into_iter().enumerate() {
        match compare(claim, tax_return) {
            Ok(mut notes) => {
                if index > 0 {
                    notes.push(Reason::MatchedPriorYear);
                }
                return Decision::pass(notes);
            }
            Err(mismatch) => {
                if closest
                    .as_ref()
                    .is_none_or(|best| mismatch.fields < best.fields)
                {
                    closest = Some(mismatch);
                }
            }
        }
    }
    Decision::fail(closest.map(|m| m.reasons).unwrap_or_default())
}

/// Why a claim failed against one return.
struct Mismatch {
    /// How many fields failed (the address counts once).
    fields: usize,
    reasons: Vec<Reason>,
}

/// The claim against one return: the tolerances and notes of a match, or the failures.
fn compare(claim: &IdentityClaim, tax_return: &TaxReturn) -> Result<Vec<Reason>, Mismatch> {
    let mut failures = Vec::new();
    let mut notes = Vec::new();

    if claim.date_of_birth != tax_return.date_of_birth {
        failures.push(Reason::DateOfBirthMismatch);
    }
    match first_names_match(&claim.first_name, &tax_return.first_name) {
        Some(tolerance) => notes.extend(tolerance.reason()),
        None => failures.push(Reason::FirstNameMismatch),
    }
    match last_names_match(&claim.last_name, &tax_return.last_name) {
        Some(tolerance) => notes.extend(tolerance.reason()),
        None => failures.push(Reason::LastNameMismatch),
    }
    if suffixes_conflict(
        claim.suffix.as_deref(),
        &claim.last_name,
        tax_return.suffix.as_deref(),
        &tax_return.last_name,
    ) {
        failures.push(Reason::SuffixMismatch);
    }
    notes.extend(
        compare_middle_names(
            claim.middle_name.as_deref(),
            tax_return.middle_name.as_deref(),
        )
        .reason(),
    );
    if claim.filing_status != tax_return.filing_status {
        failures.push(Reason::FilingStatusMismatch);
    }
    match compare_addresses(&claim.address, &tax_return.address) {
        Ok(matched) => notes.extend(matched.tolerances.iter().map(|t| t.reason())),
        Err(fields) => {
            failures.push(Reason::AddressMismatch);
            failures.extend(fields.iter().map(|f| f.reason()));
        }
    }

    if failures.is_empty() {
        Ok(notes)
    } else {
        Err(Mismatch {
            fields: failures
                .iter()
                .filter(|reason| !is_address_detail(**reason))
                .count(),
            reasons: failures,
        })
    }
}

fn is_address_detail(reason: Reason) -> bool {
    matches!(
        reason,
        Reason::HouseNumberMismatch
            | Reason::StreetMismatch
            | Reason::UnitMismatch
            | Reason::CityMismatch
            | Reason::StateMismatch
            | Reason::ZipMismatch
    )
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::{self, SSN, claim, joint_return, other_address, tax_return};
    use super::*;
    use crate::proofing::records::{Address, FilingStatus};
    use proptest::prelude::*;
    use time::macros::date;

    fn pass(reasons: &[Reason]) -> Decision {
        Decision {
            matched: true,
            reasons: reasons.to_vec(),
        }
    }

    fn fail(reasons: &[Reason]) -> Decision {
        Decision {
            matched: false,
            reasons: reasons.to_vec(),
        }
    }

    #[test]
    fn the_same_person_matches_the_latest_return() {
        assert_eq!(match_identity(&claim(), &[tax_return(2025)]), pass(&[]));
    }

    #[test]
    fn no_return_for_the_ssn() {
        assert_eq!(
            match_identity(&claim(), &[]),
            fail(&[Reason::NoReturnForSsn])
        );
        let other = crate::proofing::records::TaxReturn {
            ssn: "900000009".to_owned(),
            ..tax_return(2025)
        };
        assert_eq!(
            match_identity(&claim(), &[other]),
            fail(&[Reason::NoReturnForSsn]),
            "a return under another SSN is not this person's"
        );
    }

    #[test]
    fn date_of_birth_must_match_exactly() {
        let claim = IdentityClaim {
            date_of_birth: date!(1980 - 04 - 02),
            ..claim()
        };
        assert_eq!(
            match_identity(&claim, &[tax_return(2025)]),
            fail(&[Reason::DateOfBirthMismatch])
        );
    }

    #[test]
    fn real_peoples_messy_typing_passes_and_says_how() {
        let claim = IdentityClaim {
            first_name: "avery".to_owned(),
            middle_name: Some("Q.".to_owned()),
            last_name: "TESTPERSSON jr".to_owned(),
            address: Address {
                street: "100 example street apartment 2".to_owned(),
                unit: None,
                city: "TESTVILLE".to_owned(),
                state: "va".to_owned(),
                zip: "22000".to_owned(),
            },
            ..claim()
        };
        assert_eq!(
            match_identity(&claim, &[tax_return(2025)]),
            pass(&[
                Reason::MatchedTypo,
                Reason::MatchedMiddleInitial,
                Reason::MatchedZip5
            ])
        );
    }

    #[test]
    fn nickname_and_middle_name_difference_still_pass() {
        let record = crate::proofing::records::TaxReturn {
            first_name: "Robert".to_owned(),
            ..tax_return(2025)
        };
        let claim = IdentityClaim {
            first_name: "Bob".to_owned(),
            middle_name: Some("Sample".to_owned()),
            ..claim()
        };
        assert_eq!(
            match_identity(&claim, &[record]),
            pass(&[Reason::MatchedNickname, Reason::MiddleNameDiffers])
        );
    }

    #[test]
    fn conflicting_suffixes_fail() {
        let record = crate::proofing::records::TaxReturn {
            suffix: Some("Sr".to_owned()),
            ..tax_return(2025)
        };
        let junior = IdentityClaim {
            suffix: Some("Jr.".to_owned()),
            ..claim()
        };
        assert_eq!(
            match_identity(&junior, std::slice::from_ref(&record)),
            fail(&[Reason::SuffixMismatch])
        );
        assert!(
            match_identity(&claim(), &[record]).matched,
            "suffix left out"
        );
    }

    #[test]
    fn moved_person_matches_prior_year_return() {
        // They filed 2024 from the old address, moved, and filed 2025 from the new one;
        // they type the old address.
        let latest = crate::proofing::records::TaxReturn {
            address: other_address(),
            ..tax_return(2025)
        };
        let decision = match_identity(&claim(), &[latest, tax_return(2024)]);
        assert_eq!(decision, pass(&[Reason::MatchedPriorYear]));
    }

    #[test]
    fn returns_are_taken_newest_first_whatever_their_order() {
        let latest = crate::proofing::records::TaxReturn {
            address: other_address(),
            ..tax_return(2025)
        };
        let new_address_claim = IdentityClaim {
            address: other_address(),
            ..claim()
        };
        let returns = [tax_return(2024), latest];
        assert_eq!(match_identity(&new_address_claim, &returns), pass(&[]));
        assert_eq!(
            match_identity(&claim(), &returns),
            pass(&[Reason::MatchedPriorYear])
        );
    }

    #[test]
    fn third_most_recent_return_does_not_count() {
        let moved = |year| crate::proofing::records::TaxReturn {
            address: other_address(),
            ..tax_return(year)
        };
        // The old address appears only on the 2023 return.
        let returns = [tax_return(2023), moved(2025), moved(2024)];
        let decision = match_identity(&claim(), &returns);
        assert!(!decision.matched);
        assert!(decision.has(Reason::AddressMismatch));
        // With 2023 among the two most recent it would have matched.
        assert!(match_identity(&claim(), &[tax_return(2023), moved(2024)]).matched);
    }

    #[test]
    fn filing_status_and_address_must_come_from_the_same_return() {
        // 2025: married filing jointly at the new address; 2024: single at the old one.
        let latest = crate::proofing::records::TaxReturn {
            address: other_address(),
            ..joint_return(2025)
        };
        let returns = [latest, tax_return(2024)];
        let mixed = IdentityClaim {
            filing_status: FilingStatus::MarriedFilingJointly,
            address: fixtures::address(),
            ..claim()
        };
        // Each return fails on one field; the reasons are those of the most recent.
        let decision = match_identity(&mixed, &returns);
        assert!(!decision.matched);
        assert_eq!(
            decision.reasons,
            vec![
                Reason::AddressMismatch,
                Reason::HouseNumberMismatch,
                Reason::StreetMismatch,
                Reason::CityMismatch,
                Reason::StateMismatch,
                Reason::ZipMismatch
            ]
        );

        let mixed_the_other_way = IdentityClaim {
            filing_status: FilingStatus::Single,
            address: other_address(),
            ..claim()
        };
        assert!(!match_identity(&mixed_the_other_way, &returns).matched);

        let consistent = IdentityClaim {
            filing_status: FilingStatus::MarriedFilingJointly,
            address: other_address(),
            ..claim()
        };
        assert_eq!(match_identity(&consistent, &returns), pass(&[]));
    }

    #[test]
    fn impostor_with_stolen_ssn_name_and_dob_but_wrong_address_fails() {
        let impostor = IdentityClaim {
            address: Address {
                street: "55 Stolen Data Ln".to_owned(),
                unit: None,
                city: "Testville".to_owned(),
                state: "VA".to_owned(),
                zip: "22000".to_owned(),
            },
            ..claim()
        };
        let decision = match_identity(&impostor, &[tax_return(2025), tax_return(2024)]);
        assert_eq!(
            decision,
            fail(&[
                Reason::AddressMismatch,
                Reason::HouseNumberMismatch,
                Reason::StreetMismatch
            ])
        );
    }

    #[test]
    fn every_failing_field_is_reported() {
        let wrong = IdentityClaim {
            first_name: "Blake".to_owned(),
            last_name: "Sample".to_owned(),
            date_of_birth: date!(1990 - 01 - 01),
            filing_status: FilingStatus::HeadOfHousehold,
            address: other_address(),
            ..claim()
        };
        assert_eq!(
            match_identity(&wrong, &[tax_return(2025)]).reasons,
            vec![
                Reason::DateOfBirthMismatch,
                Reason::FirstNameMismatch,
                Reason::LastNameMismatch,
                Reason::FilingStatusMismatch,
                Reason::AddressMismatch,
                Reason::HouseNumberMismatch,
                Reason::StreetMismatch,
                Reason::CityMismatch,
                Reason::StateMismatch,
                Reason::ZipMismatch,
            ]
        );
    }

    #[test]
    fn ssn_must_match_exactly() {
        let claim = IdentityClaim {
            ssn: "900000010".to_owned(),
            ..claim()
        };
        assert_eq!(
            match_identity(&claim, &[tax_return(2025)]),
            fail(&[Reason::NoReturnForSsn])
        );
        assert_eq!(SSN.len(), 9);
    }

    proptest! {
        #[test]
        fn matching_never_panics_on_arbitrary_unicode_input(
            first in "\\PC{0,30}",
            middle in proptest::option::of("\\PC{0,10}"),
            last in "\\PC{0,30}",
            suffix in proptest::option::of("\\PC{0,6}"),
            street in "\\PC{0,40}",
            unit in proptest::option::of("\\PC{0,10}"),
            city in "\\PC{0,20}",
            state in "\\PC{0,3}",
            zip in "\\PC{0,11}",
            ssn in "[0-9]{0,9}|900000001",
        ) {
            let claim = IdentityClaim {
                first_name: first.clone(),
                middle_name: middle,
                last_name: last.clone(),
                suffix,
                ssn,
                address: Address { street, unit, city, state, zip },
                ..claim()
            };
            let odd_record = crate::proofing::records::TaxReturn {
                first_name: last,
                last_name: first,
                ..tax_return(2024)
            };
            let decision = match_identity(&claim, &[tax_return(2025), odd_record]);
            prop_assert!(decision.matched || !decision.reasons.is_empty());
            prop_assert!(decision.reasons.iter().all(|r| r.is_failure() != decision.matched));
        }
    }
}
