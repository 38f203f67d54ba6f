//! The phone rule: the carrier's record of the number the applicant gave must be a
//! `mobile` line on a `personal` account whose subscriber is the applicant.
//!
//! - No record: [`Reason::PhoneNotFound`].
//! - A business account fails with [`Reason::PhoneBusinessLine`] whatever the
//!   organization is called (names are not compared); a landline or VoIP line fails
//!   with [`Reason::PhoneNotMobile`]. Both are reported when both apply.
//! - The subscriber's first and last names are compared with the applicant's by the
//!   rules of [`super::names`] (nicknames, one typo, hyphenated parts).
//! - A line in the spouse's name fails with [`Reason::PhoneSpouseName`]. When the
//!   subscriber matches both the applicant and the spouse (the same or nickname-related
//!   first names), the line is taken as the spouse's unless it matches the applicant
//!   strictly more closely: a phone that may be the spouse's does not verify.
//!
//! After verification by mail any text-capable phone may be added as a second factor;
//! that is not this rule.

use super::decision::{Decision, Reason};
use super::names::{Tolerance, person_matches};
use crate::proofing::records::{LineType, PhoneAccountType, PhoneRecord};

/// How loosely a first/last pair matched: the looser part first, then the total.
fn looseness((first, last): (Tolerance, Tolerance)) -> (u8, u8) {
    let (a, b) = (first.looseness(), last.looseness());
    (a.max(b), a + b)
}

/// Whether the carrier's record shows a mobile, personal line in the applicant's name.
/// `spouse` is the spouse's first and last name from the matched return, if any.
pub fn match_phone(
    first_name: &str,
    last_name: &str,
    spouse: Option<(&str, &str)>,
    record: Option<&PhoneRecord>,
) -> Decision {
    let Some(record) = record else {
        return Decision::fail(vec![Reason::PhoneNotFound]);
    };
    let mut failures = Vec::new();
    if record.account_type == PhoneAccountType::Business {
        failures.push(Reason::PhoneBusinessLine);
    }
    if record.line_type != LineType::Mobile {
        failures.push(Reason::PhoneNotMobile);
    }
    if record.account_type == PhoneAccountType::Business {
        return Decision::fail(failures);
    }

    let subscriber = &record.subscriber;
    let (Some(record_first), Some(record_last)) = (
        subscriber.first_name.as_deref(),
        subscriber.last_name.as_deref(),
    ) else {
        failures.push(Reason::PhoneNameMismatch);
        return Decision::fail(failures);
    };

    let applicant = person_matches(first_name, last_name, record_first, record_last);
    let spouse = spouse.and_then(|(spouse_first, spouse_last)| {
        person_matches(spouse_first, spouse_last, record_first, record_last)
    });
    let mut notes = Vec::new();
    match (applicant, spouse) {
        (applicant, Some(spouse))
            if applicant.is_none_or(|applicant| looseness(spouse) <= looseness(applicant)) =>
        {
            failures.push(Reason::PhoneSpouseName);
        }
        (None, _) => failures.push(Reason::PhoneNameMismatch),
        (Some((first, last)), _) => {
            notes.extend(first.reason());
            notes.extend(last.reason());
        }
    }

    if failures.is_empty() {
        Decision::pass(notes)
    } else {
        Decision::fail(failures)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proofing::records::Subscriber;
    use proptest::prelude::*;

    fn phone(
        line_type: LineType,
        account_type: PhoneAccountType,
        first: Option<&str>,
        last: Option<&str>,
        organization: Option<&str>,
    ) -> PhoneRecord {
        PhoneRecord {
            phone: "+12025550143".to_owned(),
            line_type,
            account_type,
            subscriber: Subscriber {
                first_name: first.map(str::to_owned),
                last_name: last.map(str::to_owned),
                organization: organization.map(str::to_owned),
            },
            address: None,
            since: None,
        }
    }

    fn personal_mobile(first: &str, last: &str) -> PhoneRecord {
        phone(
            LineType::Mobile,
            PhoneAccountType::Personal,
            Some(first),
            Some(last),
            None,
        )
    }

    const SPOUSE: Option<(&str, &str)> = Some(("Blake", "Testperson"));

    #[test]
    fn own_mobile_phone_verifies() {
        let record = personal_mobile("Avery", "Testperson");
        assert_eq!(
            match_phone("Avery", "Testperson", SPOUSE, Some(&record)),
            Decision::pass(vec![])
        );
    }

    #[test]
    fn name_rules_apply_to_subscribers() {
        let record = personal_mobile("Robert", "Garcia-Testperson");
        assert_eq!(
            match_phone("Bob", "Testperson", None, Some(&record)),
            Decision::pass(vec![Reason::MatchedNickname, Reason::MatchedHyphenatedPart])
        );
        let record = personal_mobile("Avery", "Testpersno");
        assert_eq!(
            match_phone("Avery", "Testperson", None, Some(&record)),
            Decision::pass(vec![Reason::MatchedTypo])
        );
        let record = personal_mobile("Sample", "Person");
        assert_eq!(
            match_phone("Avery", "Testperson", None, Some(&record)),
            Decision::fail(vec![Reason::PhoneNameMismatch])
        );
    }

    #[test]
    fn spouse_phone_does_not_verify() {
        let record = personal_mobile("Blake", "Testperson");
        assert_eq!(
            match_phone("Avery", "Testperson", SPOUSE, Some(&record)),
            Decision::fail(vec![Reason::PhoneSpouseName])
        );
        // Without a spouse on the return it is simply someone else's phone.
        assert_eq!(
            match_phone("Avery", "Testperson", None, Some(&record)),
            Decision::fail(vec![Reason::PhoneNameMismatch])
        );
    }

    #[test]
    fn a_phone_that_may_be_the_spouses_does_not_verify() {
        // Applicant Chris (Christopher), spouse Christine: "Christine" is the spouse.
        let record = personal_mobile("Christine", "Testperson");
        assert_eq!(
            match_phone(
                "Chris",
                "Testperson",
                Some(("Christine", "Testperson")),
                Some(&record)
            ),
            Decision::fail(vec![Reason::PhoneSpouseName])
        );
        // But "Christopher" is the applicant, closer than to the spouse.
        let record = personal_mobile("Christopher", "Testperson");
        assert_eq!(
            match_phone(
                "Christopher",
                "Testperson",
                Some(("Chris", "Testperson")),
                Some(&record)
            ),
            Decision::pass(vec![])
        );
    }

    #[test]
    fn business_phone_does_not_verify() {
        let record = phone(
            LineType::Mobile,
            PhoneAccountType::Business,
            None,
            None,
            Some("Avery Testperson LLC"),
        );
        assert_eq!(
            match_phone("Avery", "Testperson", None, Some(&record)),
            Decision::fail(vec![Reason::PhoneBusinessLine])
        );
        let named = phone(
            LineType::Landline,
            PhoneAccountType::Business,
            Some("Avery"),
            Some("Testperson"),
            Some("Testperson Consulting"),
        );
        assert_eq!(
            match_phone("Avery", "Testperson", None, Some(&named)),
            Decision::fail(vec![Reason::PhoneBusinessLine, Reason::PhoneNotMobile])
        );
    }

    #[test]
    fn landline_does_not_verify() {
        for line_type in [LineType::Landline, LineType::Voip] {
            let record = phone(
                line_type,
                PhoneAccountType::Personal,
                Some("Avery"),
                Some("Testperson"),
                None,
            );
            assert_eq!(
                match_phone("Avery", "Testperson", None, Some(&record)),
                Decision::fail(vec![Reason::PhoneNotMobile])
            );
        }
    }

    #[test]
    fn unknown_number_does_not_verify() {
        assert_eq!(
            match_phone("Avery", "Testperson", None, None),
            Decision::fail(vec![Reason::PhoneNotFound])
        );
    }

    #[test]
    fn a_personal_line_without_a_name_does_not_verify() {
        let record = phone(
            LineType::Mobile,
            PhoneAccountType::Personal,
            None,
            None,
            None,
        );
        assert_eq!(
            match_phone("Avery", "Testperson", None, Some(&record)),
            Decision::fail(vec![Reason::PhoneNameMismatch])
        );
    }

    proptest! {
        #[test]
        fn phone_matching_never_panics(
            first in "\\PC{0,20}",
            last in "\\PC{0,20}",
            record_first in "\\PC{0,20}",
            record_last in "\\PC{0,20}",
        ) {
            let record = personal_mobile(&record_first, &record_last);
            let decision = match_phone(&first, &last, Some((&record_last, &record_first)), Some(&record));
            prop_assert!(decision.matched || !decision.reasons.is_empty());
        }

        #[test]
        fn a_subscriber_always_matches_their_own_name(first in "[A-Z][a-z]{1,10}", last in "[A-Z][a-z]{1,12}") {
            let record = personal_mobile(&first, &last);
            prop_assert_eq!(match_phone(&first, &last, None, Some(&record)), Decision::pass(vec![]));
        }
    }
}
