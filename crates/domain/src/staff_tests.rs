//! Tests of the staff rules (kept beside `staff.rs`).
use super::*;
use crate::proofing::matching::fixtures::tax_return;
use rand::SeedableRng;
use rand::rngs::StdRng;
use time::macros::date;

fn returns() -> Vec<TaxReturn> {
    let mut prior = tax_return(2024);
    prior.address.street = "7 Sample Ave".into();
    prior.address.unit = None;
    prior.address.zip = "21000".into();
    prior.dependents = Some(2);
    vec![tax_return(2025), prior]
}

#[test]
fn questions_come_from_the_two_newest_returns_and_never_repeat_a_set() {
    let available = available_questions(&returns());
    let ids: Vec<String> = available.iter().map(Question::id).collect();
    assert!(ids.contains(&"agi:2025".to_owned()));
    assert!(ids.contains(&"address:2024".to_owned()));
    assert!(ids.contains(&"dependents:2024".to_owned()));
    assert!(
        !ids.contains(&"address:2025".to_owned()),
        "the current address is not a secret"
    );
    let mut rng = StdRng::seed_from_u64(7);
    let mut previous: Option<Vec<Question>> = None;
    for _ in 0..200 {
        let set = draw_questions(&available, previous.as_deref(), &mut rng).expect("a set");
        assert_eq!(set.len(), QUESTIONS_PER_CHECK);
        assert_ne!(Some(&set), previous.as_ref());
        previous = Some(set);
    }
    // Exactly four questions: the only set cannot be asked twice in a row.
    let four = &available[..4];
    let first = draw_questions(four, None, &mut rng).expect("a set");
    assert!(draw_questions(four, Some(&first), &mut rng).is_none());
    assert!(draw_questions(&available[..3], None, &mut rng).is_none());
    for question in &available {
        assert_eq!(Question::parse(&question.id()), Some(*question));
        assert!(!question.prompt().is_empty());
    }
}

#[test]
fn answers_are_scored_with_tolerance_where_people_round() {
    let returns = returns();
    let agi = Question::parse("agi:2025").unwrap();
    assert!(answer_is_correct(
        &agi,
        &Answer::Text("$50,000".into()),
        &returns
    ));
    assert!(
        answer_is_correct(&agi, &Answer::Number(50_900), &returns),
        "within 2%"
    );
    assert!(!answer_is_correct(&agi, &Answer::Number(52_000), &returns));
    let refund = Question::parse("refund:2025").unwrap();
    assert!(answer_is_correct(&refund, &Answer::Number(100), &returns));
    assert!(
        !answer_is_correct(&refund, &Answer::Number(-100), &returns),
        "a balance due is not a refund"
    );
    let status = Question::parse("filing_status:2025").unwrap();
    assert!(answer_is_correct(
        &status,
        &Answer::Text("Single".into()),
        &returns
    ));
    assert!(!answer_is_correct(
        &status,
        &Answer::Text("head of household".into()),
        &returns
    ));
    let dependents = Question::parse("dependents:2024").unwrap();
    assert!(answer_is_correct(
        &dependents,
        &Answer::Text("2".into()),
        &returns
    ));
    assert!(
        !answer_is_correct(&dependents, &Answer::Number(3), &returns),
        "counts are exact"
    );
    let address = Question::parse("address:2024").unwrap();
    let typed = Answer::Address {
        street: "7 Sample Avenue".into(),
        zip: "21000".into(),
    };
    assert!(answer_is_correct(&address, &typed, &returns));
    let wrong = Answer::Address {
        street: "100 Example St".into(),
        zip: "22000".into(),
    };
    assert!(!answer_is_correct(&address, &wrong, &returns));
    let missing_year = Question::parse("agi:2019").unwrap();
    assert!(!answer_is_correct(
        &missing_year,
        &Answer::Number(50_000),
        &returns
    ));
}

fn document(kind: DocumentType, last4: &str) -> Document {
    Document {
        kind,
        issuer: "Virginia DMV".into(),
        number_last4: last4.into(),
        expires_on: kind.is_photo_id().then_some(date!(2030 - 01 - 01)),
    }
}

#[test]
fn document_rules_for_new_and_existing_users() {
    let today = date!(2026 - 03 - 02);
    let license = document(DocumentType::DriversLicense, "1234");
    let passport = document(DocumentType::Passport, "9876");
    let ssn_card = document(DocumentType::SocialSecurityCard, "6789");
    assert!(
        check_documents(
            VisitKind::NewUser,
            &[license.clone(), ssn_card.clone()],
            today
        )
        .is_ok()
    );
    assert!(
        check_documents(
            VisitKind::NewUser,
            &[license.clone(), passport.clone()],
            today
        )
        .is_err()
    );
    assert!(
        check_documents(
            VisitKind::ExistingUser,
            &[license.clone(), passport.clone()],
            today
        )
        .is_ok()
    );
    assert!(
        check_documents(
            VisitKind::ExistingUser,
            &[license.clone(), license.clone()],
            today
        )
        .is_err()
    );
    assert!(check_documents(VisitKind::ExistingUser, &[license.clone(), ssn_card], today).is_err());
    let mut expired = passport.clone();
    expired.expires_on = Some(date!(2026 - 03 - 01));
    assert!(
        check_documents(VisitKind::ExistingUser, &[license.clone(), expired], today)
            .unwrap_err()
            .contains("expired")
    );
    let mut bad = passport;
    bad.number_last4 = "12".into();
    assert!(
        check_documents(VisitKind::ExistingUser, &[license, bad], today)
            .unwrap_err()
            .contains("last 4")
    );
    assert_eq!(
        format!("{:?}", document(DocumentType::Passport, "1111")),
        "Document { kind: Passport, .. }"
    );
}
