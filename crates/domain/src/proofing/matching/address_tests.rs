//! Tests of the address rules (kept beside `address.rs` to keep that file readable).
use super::super::usps::ABBREVIATIONS;
use super::*;
use proptest::prelude::*;

pub(super) fn address(
    street: &str,
    unit: Option<&str>,
    city: &str,
    state: &str,
    zip: &str,
) -> Address {
    Address {
        street: street.to_owned(),
        unit: unit.map(str::to_owned),
        city: city.to_owned(),
        state: state.to_owned(),
        zip: zip.to_owned(),
    }
}

fn record() -> Address {
    address(
        "100 North Example Street",
        Some("Apt 4B"),
        "Testville",
        "VA",
        "220001234",
    )
}

#[test]
fn the_street_line_splits_into_its_parts() {
    let n = normalise_address(&address(
        "1234 1/2 North Example Avenue Southwest",
        None,
        "Saint Testville",
        "va",
        "22000-1234",
    ));
    assert_eq!(n.house_number, "1234 1/2");
    assert_eq!(n.pre_directional.as_deref(), Some("n"));
    assert_eq!(n.street_name, "example");
    assert_eq!(n.suffix.as_deref(), Some("ave"));
    assert_eq!(n.post_directional.as_deref(), Some("sw"));
    assert_eq!(n.city, "st testville");
    assert_eq!(n.state, "VA");
    assert_eq!(n.zip5, "22000");
    assert_eq!(n.zip4.as_deref(), Some("1234"));
    assert_eq!(n.street_line(), "1234 1/2 n example ave sw");
    assert_eq!(format!("{n:?}"), "NormalisedAddress { .. }");
}

#[test]
fn a_directional_or_suffix_alone_is_the_street_name() {
    let n = normalise_address(&address("12 North St", None, "Testville", "VA", "22000"));
    assert_eq!(n.street_name, "n");
    assert_eq!(n.suffix.as_deref(), Some("st"));
    assert_eq!(n.pre_directional, None);
    let n = normalise_address(&address("12 Parkway", None, "Testville", "VA", "22000"));
    assert_eq!(n.street_name, "pkwy");
    assert_eq!(n.suffix, None);
}

#[test]
fn case_punctuation_suffixes_and_directionals_do_not_matter() {
    let typed = address(
        "100 N. example st.",
        Some("apt. 4-B"),
        "TESTVILLE",
        "va",
        "22000-1234",
    );
    assert_eq!(
        addresses_match(&typed, &record()),
        Some(AddressMatch::default())
    );
    for (long, short) in [
        ("Avenue", "Ave"),
        ("Road", "Rd"),
        ("Drive", "Dr"),
        ("Boulevard", "Blvd"),
        ("Lane", "Ln"),
        ("Court", "Ct"),
        ("Place", "Pl"),
        ("Terrace", "Ter"),
        ("Circle", "Cir"),
        ("Highway", "Hwy"),
        ("Parkway", "Pkwy"),
        ("Square", "Sq"),
        ("Trail", "Trl"),
        ("Way", "Wy"),
    ] {
        for (d_long, d_short) in [
            ("North", "N"),
            ("South", "S"),
            ("East", "E"),
            ("West", "W"),
            ("Northeast", "NE"),
            ("Northwest", "NW"),
            ("Southeast", "SE"),
            ("Southwest", "SW"),
        ] {
            let a = address(
                &format!("7 {d_long} Example {long}"),
                None,
                "Testville",
                "VA",
                "22000",
            );
            let b = address(
                &format!("7 {d_short} Example {short}"),
                None,
                "Testville",
                "VA",
                "22000",
            );
            assert!(
                addresses_match(&a, &b).is_some_and(|m| m.is_exact()),
                "{long} {d_long}"
            );
        }
    }
}

#[test]
fn apartment_hash_and_unit_are_the_same() {
    for unit in [
        "#4B",
        "# 4b",
        "Apt 4B",
        "Apartment 4b",
        "Unit 4-B",
        "Suite 4B",
        "4B",
    ] {
        let typed = address(
            "100 N Example St",
            Some(unit),
            "Testville",
            "VA",
            "220001234",
        );
        assert_eq!(
            addresses_match(&typed, &record()),
            Some(AddressMatch::default()),
            "{unit}"
        );
    }
    for street in [
        "100 N Example St Apt 4B",
        "100 N Example St #4B",
        "100 N Example St, Apartment 4-b",
        "100 N Example St Unit 4B",
    ] {
        let typed = address(street, None, "Testville", "VA", "220001234");
        assert_eq!(
            addresses_match(&typed, &record()),
            Some(AddressMatch::default()),
            "{street}"
        );
    }
    let other_unit = address(
        "100 N Example St",
        Some("#5B"),
        "Testville",
        "VA",
        "220001234",
    );
    assert_eq!(
        compare_addresses(&other_unit, &record()),
        Err(vec![AddressField::Unit])
    );
}

#[test]
fn a_unit_left_out_is_tolerated_and_noted() {
    let typed = address("100 N Example St", None, "Testville", "VA", "220001234");
    assert_eq!(
        addresses_match(&typed, &record()).map(|m| m.tolerances),
        Some(vec![AddressTolerance::UnitOmitted])
    );
}

#[test]
fn weak_designators_need_a_number() {
    let n = normalise_address(&address("9 Old Lot Rd", None, "Testville", "VA", "22000"));
    assert_eq!(n.street_name, "old lot");
    assert_eq!(n.unit, None);
    let n = normalise_address(&address(
        "9 Example Rd Lot 12",
        None,
        "Testville",
        "VA",
        "22000",
    ));
    assert_eq!(n.street_name, "example");
    assert_eq!(n.unit.as_deref(), Some("12"));
}

#[test]
fn zip_plus_four_matches_zip() {
    let five = address("100 N Example St", Some("4B"), "Testville", "VA", "22000");
    assert_eq!(
        addresses_match(&five, &record()).map(|m| m.tolerances),
        Some(vec![AddressTolerance::Zip5])
    );
    let other_plus_four = address(
        "100 N Example St",
        Some("4B"),
        "Testville",
        "VA",
        "220009999",
    );
    assert_eq!(
        addresses_match(&other_plus_four, &record()).map(|m| m.tolerances),
        Some(vec![AddressTolerance::Zip5])
    );
    let dashed = address(
        "100 N Example St",
        Some("4B"),
        "Testville",
        "VA",
        "22000-1234",
    );
    assert_eq!(
        addresses_match(&dashed, &record()).map(|m| m.tolerances),
        Some(vec![])
    );
    let other_zip = address("100 N Example St", Some("4B"), "Testville", "VA", "22001");
    assert_eq!(
        compare_addresses(&other_zip, &record()),
        Err(vec![AddressField::Zip])
    );
    let short_zip = address("100 N Example St", Some("4B"), "Testville", "VA", "2200");
    assert!(addresses_match(&short_zip, &record()).is_none());
}

#[test]
fn house_numbers_must_match_exactly() {
    let typed = address(
        "101 N Example St",
        Some("4B"),
        "Testville",
        "VA",
        "220001234",
    );
    assert_eq!(
        compare_addresses(&typed, &record()),
        Err(vec![AddressField::HouseNumber])
    );
    let typed = address(
        "10 N Example St",
        Some("4B"),
        "Testville",
        "VA",
        "220001234",
    );
    assert!(addresses_match(&typed, &record()).is_none());
}

#[test]
fn one_typo_in_a_long_street_name_passes_but_not_in_numbers_or_short_names() {
    let record = address("100 Examplar Rd", None, "Testville", "VA", "22000");
    let typed = address("100 Exmaplar Rd", None, "Testville", "VA", "22000");
    assert_eq!(
        addresses_match(&typed, &record).map(|m| m.tolerances),
        Some(vec![AddressTolerance::StreetTypo])
    );
    let two = address("100 Exmaplra Rd", None, "Testville", "VA", "22000");
    assert!(addresses_match(&two, &record).is_none());
    let short_record = address("100 Oak Rd", None, "Testville", "VA", "22000");
    let short_typed = address("100 Oat Rd", None, "Testville", "VA", "22000");
    assert!(addresses_match(&short_typed, &short_record).is_none());
    let numbered = address("100 125th St", None, "Testville", "VA", "22000");
    let numbered_typo = address("100 126th St", None, "Testville", "VA", "22000");
    assert!(addresses_match(&numbered_typo, &numbered).is_none());
}

#[test]
fn ordinal_words_equal_their_numbers() {
    for (word, number) in [
        ("First", "1st"),
        ("Second", "2nd"),
        ("Third", "3rd"),
        ("Tenth", "10th"),
    ] {
        let a = address(&format!("5 {word} Ave"), None, "Testville", "VA", "22000");
        let b = address(&format!("5 {number} Ave"), None, "Testville", "VA", "22000");
        assert!(
            addresses_match(&a, &b).is_some_and(|m| m.is_exact()),
            "{word}"
        );
    }
}

#[test]
fn suffix_and_directional_must_agree() {
    let record = address("5 Example Ave", None, "Testville", "VA", "22000");
    for typed in ["5 Example St", "5 N Example Ave", "5 Example Ave E"] {
        let typed = address(typed, None, "Testville", "VA", "22000");
        assert_eq!(
            compare_addresses(&typed, &record),
            Err(vec![AddressField::Street])
        );
    }
}

#[test]
fn city_variants_match_but_state_must_agree() {
    for (a, b) in [
        ("St. Testville", "Saint Testville"),
        ("Ft Testville", "Fort Testville"),
        ("Mt. Testville", "Mount Testville"),
        ("Testville Beach", "testville beach"),
        ("Mc Testville", "McTestville"),
        ("Testvillé", "TESTVILLE"),
    ] {
        let typed = address("5 Example Ave", None, a, "VA", "22000");
        let on_record = address("5 Example Ave", None, b, "VA", "22000");
        assert!(addresses_match(&typed, &on_record).is_some(), "{a} {b}");
    }
    let typed = address("5 Example Ave", None, "Otherville", "MD", "22000");
    let on_record = address("5 Example Ave", None, "Testville", "VA", "22000");
    assert_eq!(
        compare_addresses(&typed, &on_record),
        Err(vec![AddressField::City, AddressField::State])
    );
}

#[test]
fn dotted_abbreviations_join_and_other_periods_separate() {
    let a = address("100 N.E. Example St.", None, "St.Testville", "VA", "22000");
    let b = address(
        "100 Northeast Example Street",
        None,
        "Saint Testville",
        "VA",
        "22000",
    );
    assert!(addresses_match(&a, &b).is_some_and(|m| m.is_exact()));
}

#[test]
fn po_boxes_compare_as_street_lines() {
    let record = address("PO Box 123", None, "Testville", "VA", "22000");
    let typed = address("P.O. Box 123", None, "Testville", "VA", "22000");
    assert!(addresses_match(&typed, &record).is_some());
    let wrong = address("PO Box 124", None, "Testville", "VA", "22000");
    assert!(addresses_match(&wrong, &record).is_none());
}

#[test]
fn standard_forms_map_to_themselves_and_spellings_are_unambiguous() {
    let mut seen = std::collections::HashMap::new();
    for (standard, others) in ABBREVIATIONS {
        assert_eq!(abbreviate(standard), *standard, "{standard}");
        for other in *others {
            if let Some(previous) = seen.insert(*other, *standard) {
                assert_eq!(previous, *standard, "{other} is ambiguous");
            }
            if !other.contains(' ') {
                assert_eq!(abbreviate(other), *standard, "{other}");
            }
        }
    }
}

fn address_strategy() -> impl Strategy<Value = Address> {
    (
        "[0-9]{0,5}( [0-9]/[0-9])?( (N|North|se|Saint))? [A-Za-zé' .#-]{0,20}( (St|Street|Ave|Pkwy|way))?( (N|W|Southwest))?( (Apt|#|Unit|Lot|Room) ?[0-9A-Za-z-]{0,4})?",
        proptest::option::of("(#|Apt|Unit|Suite|Lot)? ?[0-9A-Za-z -]{0,6}"),
        "[A-Za-z .'-]{0,20}",
        "[A-Za-z]{0,3}",
        "[0-9 -]{0,11}",
    )
        .prop_map(|(street, unit, city, state, zip)| Address {
            street,
            unit,
            city,
            state,
            zip,
        })
}

fn complete_address_strategy() -> impl Strategy<Value = Address> {
    (
        "[0-9]{1,5}( (N|North|se|Saint))? [A-Za-zé' .-]{1,20}( (St|Street|Ave|Pkwy|way))?( (N|W|Southwest))?( (Apt|#|Unit|Lot|Room) ?[0-9A-Za-z-]{0,4})?",
        proptest::option::of("(#|Apt|Unit|Suite|Lot)? ?[0-9A-Za-z -]{0,6}"),
        "[A-Za-z][A-Za-z .'-]{0,19}",
        "[A-Za-z]{2}",
        "[0-9]{5}(-?[0-9]{4})?",
    )
        .prop_map(|(street, unit, city, state, zip)| Address {
            street,
            unit,
            city,
            state,
            zip,
        })
}

fn arbitrary_address() -> impl Strategy<Value = Address> {
    (
        "\\PC{0,40}",
        proptest::option::of("\\PC{0,10}"),
        "\\PC{0,20}",
        "\\PC{0,4}",
        "\\PC{0,12}",
    )
        .prop_map(|(street, unit, city, state, zip)| Address {
            street,
            unit,
            city,
            state,
            zip,
        })
}

proptest! {
    #[test]
    fn normalise_address_is_idempotent(a in address_strategy()) {
        let once = normalise_address(&a);
        let twice = normalise_address(&once.to_address());
        prop_assert!(twice == once, "{:?} {:?}: {} {:?} / {} {:?}", a.street, a.unit, once.street_line(), once.unit, twice.street_line(), twice.unit);
    }

    #[test]
    fn normalise_address_is_idempotent_on_any_text(a in arbitrary_address()) {
        let once = normalise_address(&a);
        let twice = normalise_address(&once.to_address());
        prop_assert!(twice == once, "{:?} {:?} {:?}: {} {:?} / {} {:?}", a.street, a.unit, a.city, once.street_line(), once.unit, twice.street_line(), twice.unit);
    }

    #[test]
    fn a_complete_address_matches_itself(a in complete_address_strategy()) {
        let n = normalise_address(&a);
        prop_assert!(addresses_match(&a, &a).is_some_and(|m| m.is_exact()));
        prop_assert!(addresses_match(&n.to_address(), &a).is_some(), "{:?} {:?} / {}", a.street, a.unit, n.street_line());
    }

    #[test]
    fn address_rules_never_panic(a in arbitrary_address(), b in arbitrary_address()) {
        let _ = compare_addresses(&a, &b);
    }
}
