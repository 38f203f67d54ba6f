//! Property tests of how typed identity input is read (`sa_domain::proofing::typed`):
//! lenient in what is parsed, strict in what is matched. Every way of writing one date,
//! SSN, ZIP or state reads to the same value; different values never read alike; and no
//! input, however strange, panics.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed expectation fails the test

use proptest::prelude::*;
use sa_domain::proofing::typed::{STATES, parse_date, parse_ssn, parse_state, parse_zip};
use time::{Date, Month};

const MONTH_NAMES: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

fn a_date() -> impl Strategy<Value = Date> {
    (1900i32..=2025, 1u8..=12, 1u8..=28)
        .prop_map(|(y, m, d)| Date::from_calendar_date(y, Month::try_from(m).unwrap(), d).unwrap())
}

/// The ways an American writes `date`.
fn written(date: Date) -> Vec<String> {
    let (y, m, d) = (date.year(), u8::from(date.month()), date.day());
    let name = MONTH_NAMES[usize::from(m) - 1];
    vec![
        format!("{y:04}-{m:02}-{d:02}"),
        format!("{m:02}/{d:02}/{y:04}"),
        format!("{m}/{d}/{y}"),
        format!("{m}-{d}-{y}"),
        format!("{m:02}.{d:02}.{y}"),
        format!(" {m} / {d} / {y} "),
        format!("{name} {d}, {y}"),
        format!("{} {d} {y}", &name[..3]),
        format!("{d} {name} {y}"),
    ]
}

proptest! {
    #[test]
    fn every_way_of_writing_a_date_reads_the_same(date in a_date()) {
        for typed in written(date) {
            prop_assert_eq!(parse_date(&typed), Some(date), "{}", typed);
        }
    }

    #[test]
    fn different_dates_never_read_alike(a in a_date(), b in a_date()) {
        prop_assume!(a != b);
        for (x, y) in written(a).iter().zip(written(b).iter()) {
            prop_assert_ne!(parse_date(x), parse_date(y));
        }
    }

    #[test]
    fn two_digit_years_are_never_guessed(m in 1u8..=12, d in 1u8..=28, y in 0u8..=99) {
        let typed = format!("{m}/{d}/{y:02}");
        prop_assert_eq!(parse_date(&typed), None);
    }

    #[test]
    fn ssns_read_the_same_with_any_separators(digits in "[0-9]{9}", seps in proptest::collection::vec("[ .\u{2013}-]{0,2}", 10)) {
        let mut typed = String::new();
        for (i, c) in digits.chars().enumerate() {
            typed.push_str(&seps[i]);
            typed.push(c);
        }
        typed.push_str(&seps[9]);
        prop_assert_eq!(parse_ssn(&typed), Some(digits.clone()));
    }

    #[test]
    fn different_ssns_never_read_alike(a in "[0-9]{9}", b in "[0-9]{9}") {
        prop_assume!(a != b);
        prop_assert_ne!(parse_ssn(&a), parse_ssn(&b));
        prop_assert_eq!(parse_ssn(&format!("{a}0")), None, "ten digits are not an SSN");
    }

    #[test]
    fn zips_read_with_or_without_the_plus_four_separator(zip in "[0-9]{5}", plus in "[0-9]{4}") {
        prop_assert_eq!(parse_zip(&zip), Some(zip.clone()));
        let full = format!("{zip}{plus}");
        prop_assert_eq!(parse_zip(&format!("{zip}-{plus}")), Some(full.clone()));
        prop_assert_eq!(parse_zip(&format!("{zip} {plus}")), Some(full));
    }

    #[test]
    fn typed_input_never_panics(s in any::<String>()) {
        let _ = parse_date(&s);
        let _ = parse_ssn(&s);
        let _ = parse_zip(&s);
        let _ = parse_state(&s);
    }
}

#[test]
fn every_state_reads_by_code_and_by_name_in_any_case() {
    for (code, name) in STATES {
        assert_eq!(parse_state(code), Some(code));
        assert_eq!(parse_state(&code.to_lowercase()), Some(code));
        assert_eq!(parse_state(name), Some(code), "{name}");
        assert_eq!(parse_state(&name.to_uppercase()), Some(code), "{name}");
        assert_eq!(
            parse_state(&format!("  {}  ", name.to_lowercase())),
            Some(code),
            "{name}"
        );
    }
}

#[test]
fn states_are_never_confused_with_each_other() {
    for (code, name) in STATES {
        for (other_code, other_name) in STATES {
            if code != other_code {
                assert_ne!(
                    parse_state(name),
                    Some(other_code),
                    "{name} vs {other_name}"
                );
            }
        }
    }
}
