//! Tests of the synthetic people (kept beside `people.rs` to keep that file readable).
use super::super::numbers::*;
use super::super::places::*;
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
    for index in (0..fictional + 30_000).chain(phone_capacity(&codes) - 100..phone_capacity(&codes))
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
