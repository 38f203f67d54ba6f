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
//! - [`match_phone_for`] compares the subscriber with every name the person goes by:
//!   the one typed and each name filed under on the two returns (a carrier's record
//!   often lags a name change, and a typo at the identity step must not fail this one);
//!   a pass on a filed name notes [`Reason::MatchedFiledName`].
//! - [`line_too_new`]: a line taken within the configured days (the record's `since`)
//!   does not verify an identity on its own ([`Reason::PhoneRecentLine`]): a fraudster
//!   can open a new line in a victim's name. The letter path remains.
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

/// [`match_phone`] against each of `names` in turn (the typed name first): the first
/// pass, noting [`Reason::MatchedFiledName`] when it was not the typed name; else the
/// typed name's failure.
pub fn match_phone_for(
    names: &[(String, String)],
    spouse: Option<(&str, &str)>,
    record: Option<&PhoneRecord>,
) -> Decision {
    let mut first_failure = None;
    for (index, (first, last)) in names.iter().enumerate() {
        let decision = match_phone(first, last, spouse, record);
        if decision.matched {
            if index == 0 {
                return decision;
            }
            let mut reasons = decision.reasons;
            reasons.push(Reason::MatchedFiledName);
            return Decision::pass(reasons);
        }
        first_failure.get_or_insert(decision);
    }
    first_failure.unwrap_or_else(|| Decision::fail(vec![Reason::PhoneNameMismatch]))
}

/// The phone rule as the journeys apply it: [`match_phone_for`], then the line's
/// tenure ([`line_too_new`] fails a pass with [`Reason::PhoneRecentLine`]).
pub fn match_phone_with_tenure(
    names: &[(String, String)],
    spouse: Option<(&str, &str)>,
    record: Option<&PhoneRecord>,
    today: time::Date,
    min_tenure_days: i64,
) -> Decision {
    let decision = match_phone_for(names, spouse, record);
    if decision.matched && record.is_some_and(|r| line_too_new(r, today, min_tenure_days)) {
        return Decision::fail(vec![Reason::PhoneRecentLine]);
    }
    decision
}

/// Whether the carrier's record says the line was taken less than `min_days` before
/// `today` (no `since` on record: not too new; `min_days` 0: the rule is off).
pub fn line_too_new(record: &PhoneRecord, today: time::Date, min_days: i64) -> bool {
    min_days > 0
        && record
            .since
            .is_some_and(|since| (today - since).whole_days() < min_days)
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

    #[test]
    fn a_name_filed_under_matches_when_the_typed_one_does_not() {
        let record = personal_mobile("Roberta", "Oldname");
        let names = vec![
            ("Roberta".to_owned(), "Newname".to_owned()),
            ("Roberta".to_owned(), "Oldname".to_owned()),
        ];
        let decision = match_phone_for(&names, None, Some(&record));
        assert!(decision.matched);
        assert!(decision.has(Reason::MatchedFiledName));
        let stranger = personal_mobile("Someone", "Else");
        let decision = match_phone_for(&names, None, Some(&stranger));
        assert!(!decision.matched);
        assert!(decision.has(Reason::PhoneNameMismatch));
    }

    #[test]
    fn a_line_taken_recently_is_too_new() {
        let today = time::macros::date!(2026 - 03 - 02);
        let mut record = personal_mobile("Roberta", "Testperson");
        assert!(!line_too_new(&record, today, 30), "no date on record");
        record.since = Some(time::macros::date!(2026 - 02 - 20));
        assert!(line_too_new(&record, today, 30));
        assert!(
            !line_too_new(&record, today, 0),
            "the rule can be turned off"
        );
        record.since = Some(time::macros::date!(2025 - 12 - 01));
        assert!(!line_too_new(&record, today, 30));
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
