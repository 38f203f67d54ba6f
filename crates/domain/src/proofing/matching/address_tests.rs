//! Tests of the address rules (kept beside `address.rs` to keep that file readable).
use super::super::usps::ABBREVIATIONS;
use super::*;
use proptest::prelude::*;

fn address(street: &str, unit: Option<&str>, city: &str, state: &str, zip: &str) -> Address {
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

fn same(typed: &str, on_record: &str) -> bool {
    let typed = address(typed, None, "Testville", "VA", "22000");
    let on_record = address(on_record, None, "Testville", "VA", "22000");
    addresses_match(&typed, &on_record).is_some()
}

#[test]
fn po_boxes_in_every_usps_spelling_match() {
    for typed in [
        "PO Box 123",
        "P.O. Box 123",
        "P O Box 123",
        "POB 123",
        "P.O.B. 123",
        "Post Office Box 123",
        "Post Box 123",
        "Postal Box 123",
        "PO Bx 123",
        "Box 123",
        "BOX #123",
        "PO Box No. 123",
        "POBox 123",
        "pobox123",
        "Drawer 123",
        "Lock Box 123",
    ] {
        let line = normalise_address(&address(typed, None, "T", "VA", "22000")).street_line();
        assert!(same(typed, "PO BOX 123"), "{typed}: {line}");
    }
    assert!(!same("PO Box 1234", "PO BOX 123"));
    assert!(!same("123 Box Elder St", "PO BOX 123"));
}

#[test]
fn rural_and_highway_contract_routes_in_every_spelling_match() {
    for typed in [
        "RR 2 Box 15",
        "R.R. 2, Box 15",
        "RR2 BOX 15",
        "Rural Route 2 Box 15",
        "Rural Rte. 2 Bx 15",
        "RFD 2 Box 15",
        "Rural Free Delivery #2, Box 15",
        "Route 2 Box 15",
        "Rt. 2 Box #15",
        "RR 2 PO Box 15",
    ] {
        assert!(same(typed, "RR 2 BOX 15"), "{typed}");
    }
    assert!(!same("RR 3 Box 15", "RR 2 BOX 15"));
    assert!(!same("RR 2 Box 16", "RR 2 BOX 15"));
    for typed in [
        "HC 68 Box 23",
        "Highway Contract 68 Box 23",
        "Star Route 68 Box 23",
        "HCR 68 Box 23",
    ] {
        assert!(same(typed, "HC 68 BOX 23"), "{typed}");
    }
}

#[test]
fn spelled_and_numbered_ordinals_match() {
    for typed in [
        "100 W Twenty-First St",
        "100 W Twenty First Street",
        "100 West 21st St",
        "100 W 21 St",
        "100 w. 21ST ST.",
    ] {
        assert!(same(typed, "100 W 21ST ST"), "{typed}");
    }
    assert!(same("5 Fifth Avenue", "5 5th Ave"));
    assert!(same("5 5 Ave", "5 Fifth Ave"));
    assert!(same("9 Ninetieth St", "9 90th St"));
    assert!(!same("100 W 22nd St", "100 W 21ST ST"));
    assert!(!same("100 W Twenty-Second St", "100 W 21ST ST"));
}

#[test]
fn saint_mount_and_fort_street_names_match_their_abbreviations() {
    assert!(same("10 Saint Charles Avenue", "10 St Charles Ave"));
    assert!(same("10 Mount Vernon Pl", "10 Mt. Vernon Place"));
    assert!(same("10 Fort Hunt Rd", "10 Ft Hunt Road"));
    assert!(!same("10 Fort Hunt Rd", "10 Fort Hunt Ave"));
}

#[test]
fn a_letter_after_the_house_number_joins_it() {
    assert!(same("123 A Example St", "123A Example St"));
    assert!(same("123-A Example St", "123A Example St"));
    assert!(!same("123 B Example St", "123A Example St"));
    // A directional or a one-letter street name is not part of the number.
    assert!(same("123 N Example St", "123 North Example Street"));
    assert!(same("123 A Street", "123 A St"));
}

#[test]
fn every_kind_of_unit_designator_and_unit_word_is_a_unit() {
    let record = address("12 Example St", Some("Apt 4B"), "Testville", "VA", "22000");
    for (street, unit) in [
        ("12 Example St Apt 4B", None),
        ("12 Example St #4B", None),
        ("12 Example St 4B", None),
        ("12 Example Street, Apt. 4-B", None),
        ("12 Example St Apt4B", None),
        ("12 Example St", Some("Unit # 4B")),
        ("12 Example St", Some("Apartment No. 4b")),
    ] {
        let typed = address(street, unit, "Testville", "VA", "22000");
        assert!(
            addresses_match(&typed, &record).is_some_and(|m| m.is_exact()),
            "{street} {unit:?}"
        );
    }
    let wrong = address("12 Example St 4C", None, "Testville", "VA", "22000");
    assert_eq!(
        compare_addresses(&wrong, &record),
        Err(vec![AddressField::Unit])
    );
    for (typed, on_record) in [
        ("12 Example St Basement", "12 Example St Bsmt"),
        ("12 Example St Rear", "12 Example St, Rear"),
        ("12 Example St Upper", "12 Example St Uppr"),
        ("12 Example St Hangar 3", "12 Example St Hngr 3"),
        ("12 Example St Slip 9", "12 Example St Slip 9"),
    ] {
        let typed = address(typed, None, "Testville", "VA", "22000");
        let on_record = address(on_record, None, "Testville", "VA", "22000");
        assert!(normalise_address(&typed).unit.is_some(), "{}", typed.street);
        assert!(addresses_match(&typed, &on_record).is_some_and(|m| m.is_exact()));
    }
    // A numbered road keeps its number.
    let n = normalise_address(&address(
        "100 County Road 12",
        None,
        "Testville",
        "VA",
        "22000",
    ));
    assert_eq!(n.street_line(), "100 county rd 12");
    assert_eq!(n.unit, None);
}

#[test]
fn doubled_spaces_and_typographic_apostrophes_do_not_matter() {
    assert!(same("12   O\u{2019}Example   St", "12 O'Example St"));
    assert!(same("12 OExample St", "12 O`Example St"));
}

#[test]
fn one_typo_in_the_city_passes_only_when_the_zip_agrees() {
    let record = address("5 Example Ave", None, "Testville", "VA", "22000");
    let typed = address("5 Example Ave", None, "Tsetville", "VA", "22000");
    assert_eq!(
        addresses_match(&typed, &record).map(|m| m.tolerances),
        Some(vec![AddressTolerance::CityTypo])
    );
    let other_zip = address("5 Example Ave", None, "Tsetville", "VA", "22001");
    assert_eq!(
        compare_addresses(&other_zip, &record),
        Err(vec![AddressField::City, AddressField::Zip])
    );
    let two_typos = address("5 Example Ave", None, "Tsetvile", "VA", "22000");
    assert!(addresses_match(&two_typos, &record).is_none());
}

/// Ways to write the same street line; any two spellings of one line must match.
fn equivalent_street_lines() -> impl Strategy<Value = (String, String)> {
    let forms: Vec<Vec<&'static str>> = vec![
        vec![
            "PO Box 77",
            "P.O. Box 77",
            "Box 77",
            "POB 77",
            "Post Office Box #77",
        ],
        vec![
            "RR 4 Box 9",
            "Rural Route 4 Box 9",
            "R.R. #4, Box 9",
            "RFD 4 Bx 9",
            "Route 4 Box 9",
        ],
        vec![
            "8 Twenty-Third Ave",
            "8 23rd Avenue",
            "8 23 Ave",
            "8 twenty third av",
        ],
        vec![
            "8 N Sample Blvd Ste 200",
            "8 North Sample Boulevard Suite 200",
            "8 n. sample blvd #200",
        ],
    ];
    proptest::sample::select(forms).prop_flat_map(|spellings| {
        let n = spellings.len();
        (0..n, 0..n).prop_map(move |(a, b)| (spellings[a].to_owned(), spellings[b].to_owned()))
    })
}

proptest! {
    #[test]
    fn equivalent_street_lines_match((a, b) in equivalent_street_lines()) {
        prop_assert!(same(&a, &b), "{} / {}", a, b);
    }

    #[test]
    fn a_different_box_or_house_number_never_matches(n in 1u32..100_000, m in 1u32..100_000) {
        prop_assume!(n != m);
        let pairs = [
            (format!("PO Box {n}"), format!("Box {m}")),
            (format!("RR 2 Box {n}"), format!("Rural Route 2 Box {m}")),
            (format!("{n} Fifth Ave"), format!("{m} 5th Ave")),
        ];
        for (a, b) in pairs {
            prop_assert!(!same(&a, &b), "{} / {}", a, b);
        }
    }
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
        prop_assert_eq!(normalise_address(&once.to_address()), once);
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
