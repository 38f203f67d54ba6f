//! Unit tests of `scenarios` (kept beside it so the module reads as product code).

use super::super::names::{edit_distance, plain_key};
use super::super::people::{Numbering, Subscriber, generate};
use super::*;
use std::collections::HashMap;

fn play(scenario: Scenario, index: u64) -> (Person, Applicant) {
    let numbering = Numbering::new();
    let mut rng = StdRng::seed_from_u64(index * 31 + scenario as u64);
    let person = generate(&mut rng, &numbering, index, &scenario.needs()).unwrap();
    let applicant = applicant(&mut rng, &person, scenario);
    (person, applicant)
}

#[test]
fn names_round_trip_and_weights_sum_to_a_block() {
    assert_eq!(total_weight(), 100);
    for scenario in Scenario::ALL {
        assert_eq!(Scenario::parse(scenario.as_str()), Some(scenario));
        assert!(scenario.weight() >= 1);
    }
}

#[test]
fn every_block_holds_every_scenario_by_weight() {
    let mut schedule = Schedule::new(42);
    for block in [0u64, 1, 7, 10_000] {
        let mut counts: HashMap<Scenario, u32> = HashMap::new();
        for index in block * BLOCK..(block + 1) * BLOCK {
            *counts.entry(schedule.scenario_for(index)).or_default() += 1;
        }
        for scenario in Scenario::ALL {
            assert_eq!(counts.get(&scenario).copied(), Some(scenario.weight()));
        }
    }
    let order = |seed| {
        (0..BLOCK)
            .map(|i| Schedule::new(seed).scenario_for(i))
            .collect::<Vec<_>>()
    };
    assert_ne!(order(1), order(2), "the seed shuffles the blocks");
}

#[test]
fn exact_applicants_type_the_latest_return() {
    for index in 0..50 {
        let (person, applicant) = play(Scenario::Exact, index);
        let latest = &person.returns[0];
        assert_eq!(applicant.identity.first_name, person.first);
        assert_eq!(applicant.identity.last_name, person.last);
        assert_eq!(applicant.identity.address, latest.address.record_text());
        assert_eq!(applicant.identity.filing_status, latest.status.as_str());
        assert_eq!(applicant.identity.date_of_birth, person.dob.iso());
        assert_eq!(applicant.identity.ssn.replace('-', ""), person.ssn);
        let account = applicant.financial.as_ref().unwrap();
        let digits: String = account
            .account_number
            .chars()
            .filter(char::is_ascii_digit)
            .collect();
        let held = person
            .accounts
            .iter()
            .find(|a| a.kind.as_str() == account.kind && a.number.ends_with(&digits))
            .unwrap();
        if held.kind == AccountKind::CreditCard {
            assert_eq!(digits.len(), 8);
        } else {
            assert_eq!(digits, held.number);
        }
        assert_eq!(
            applicant.phone.as_deref(),
            Some(person.phone_number.as_str())
        );
        let line = person.phone.as_ref().unwrap();
        assert_eq!(
            line.subscriber,
            Subscriber::Person {
                first: person.first,
                last: person.last
            }
        );
        assert_eq!(applicant.expected, ONLINE);
    }
}

#[test]
fn name_variants_are_the_kind_the_rules_forgive() {
    for index in 0..100 {
        let (person, a) = play(Scenario::Nickname, index);
        assert_eq!(
            nickname_of(person.first),
            Some(a.identity.first_name.as_str())
        );

        let (person, a) = play(Scenario::TypoLongName, index);
        assert!(person.last.len() >= 6);
        assert_eq!(edit_distance(person.last, &a.identity.last_name), 1);

        let (person, a) = play(Scenario::TwoTypos, index);
        assert_eq!(
            edit_distance(
                &person.last.to_lowercase(),
                &a.identity.last_name.to_lowercase()
            ),
            2
        );
        assert_eq!(a.expected, NO_IDENTITY);
        assert!(a.financial.is_none() && a.phone.is_none());

        let (person, a) = play(Scenario::HyphenatedPart, index);
        assert!(
            person
                .last
                .split('-')
                .any(|part| part == a.identity.last_name)
        );
        assert!(!a.identity.last_name.contains('-'));

        let (person, a) = play(Scenario::AccentsAndCase, index);
        assert_ne!(person.last, a.identity.last_name);
        assert!(a.identity.last_name.is_ascii() && !a.identity.last_name.contains('\''));
        assert_eq!(plain_key(person.last), plain_key(&a.identity.last_name));
    }
    assert_eq!(flattened("Núñez-Prueba", true), "NUNEZ-PRUEBA");
    assert_eq!(flattened("O'Testa", false), "otesta");
}

#[test]
fn address_scenarios_type_the_right_address() {
    for index in 0..100 {
        let (person, a) = play(Scenario::UspsVariants, index);
        let record = person.returns[0].address.record_text();
        assert_ne!(a.identity.address, record);
        assert_eq!(a.identity.address.city, record.city);
        assert_eq!(&a.identity.address.zip[..5], &record.zip[..5]);

        let (person, a) = play(Scenario::Moved, index);
        let prior = &person.returns[1];
        assert_eq!(a.identity.address, prior.address.record_text());
        assert_ne!(a.identity.address, person.returns[0].address.record_text());
        assert_eq!(a.identity.filing_status, prior.status.as_str());
        assert_eq!(a.expected, ONLINE);

        let (person, a) = play(Scenario::ImpostorWrongAddress, index);
        for r in person.returns.iter().take(2) {
            let real = r.address.record_text();
            assert_ne!(a.identity.address.zip[..5], real.zip[..5]);
            assert_ne!(a.identity.address.street, real.street);
        }
        assert_eq!(a.identity.date_of_birth, person.dob.iso());
        assert_eq!(a.identity.last_name, person.last);
        assert_eq!(a.expected, NO_IDENTITY);

        let (person, a) = play(Scenario::ImpostorWrongDob, index);
        assert_ne!(a.identity.date_of_birth, person.dob.iso());

        let (person, a) = play(Scenario::WrongFilingStatus, index);
        assert!(
            person
                .returns
                .iter()
                .take(2)
                .all(|r| r.status.as_str() != a.identity.filing_status)
        );
    }
}

#[test]
fn phone_and_account_scenarios_fail_where_they_should() {
    for index in 0..100 {
        let (person, a) = play(Scenario::NoPhoneRecord, index);
        assert!(person.phone.is_none());
        assert_eq!(a.phone.as_deref(), Some(person.phone_number.as_str()));
        assert_eq!(a.expected, MAIL);

        let (person, a) = play(Scenario::PhoneInSpouseName, index);
        let spouse = person.spouse.as_ref().unwrap();
        let line = person.phone.as_ref().unwrap();
        assert_eq!(
            line.subscriber,
            Subscriber::Person {
                first: spouse.first,
                last: spouse.last
            }
        );
        assert_eq!(a.expected, MAIL);

        let (person, _) = play(Scenario::BusinessPhone, index);
        assert!(matches!(
            person.phone.as_ref().unwrap().subscriber,
            Subscriber::Organization(_)
        ));

        let (person, _) = play(Scenario::Landline, index);
        assert_ne!(
            person.phone.as_ref().unwrap().line_type,
            super::super::people::LineType::Mobile
        );

        let (person, a) = play(Scenario::NoFinancialAccountOfKind, index);
        let account = a.financial.as_ref().unwrap();
        assert!(
            person
                .accounts
                .iter()
                .all(|held| held.kind.as_str() != account.kind)
        );
        assert!(a.phone.is_none());
        assert_eq!(a.expected, NO_ACCOUNT);
    }
}
