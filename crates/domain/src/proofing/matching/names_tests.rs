//! Unit tests of `names` (kept beside it so the module reads as product code).

use super::*;
use proptest::prelude::*;

#[test]
fn normalisation_folds_case_accents_and_punctuation() {
    assert_eq!(normalise_name("  Testpérson "), "testperson");
    assert_eq!(normalise_name("Ñandú"), "nandu");
    assert_eq!(normalise_name("Müller-Testperson"), "mullertestperson");
    assert_eq!(normalise_name("O'Testperson"), "otestperson");
    assert_eq!(normalise_name("O’Testperson"), "otestperson");
    assert_eq!(normalise_name("O Testperson"), "otestperson");
    assert_eq!(normalise_name("T.J."), "tj");
    assert_eq!(normalise_name("STRAßE"), "strasse");
    assert_eq!(normalise_name("Łukasz Ærø"), "lukaszaero");
    assert_eq!(normalise_name("İsmail"), "ismail");
    assert_eq!(normalise_name("---"), "");
}

#[test]
fn apostrophes_spaces_and_accents_do_not_matter() {
    for typed in [
        "O'Testperson",
        "OTestperson",
        "O Testperson",
        "o’testperson",
    ] {
        assert_eq!(
            last_names_match(typed, "O'Testperson"),
            Some(Tolerance::Exact),
            "{typed}"
        );
    }
    assert_eq!(
        first_names_match("Jose", "José"),
        Some(Tolerance::Exact),
        "accents"
    );
    assert_eq!(last_names_match("NUNEZ", "Núñez"), Some(Tolerance::Exact));
}

#[test]
fn nickname_bob_matches_robert() {
    assert_eq!(
        first_names_match("Bob", "Robert"),
        Some(Tolerance::Nickname)
    );
    assert_eq!(
        first_names_match("Robert", "Bob"),
        Some(Tolerance::Nickname)
    );
    assert_eq!(
        first_names_match("bobby", "ROBERT"),
        Some(Tolerance::Nickname)
    );
    assert_eq!(
        first_names_match("Liz", "Elizabeth"),
        Some(Tolerance::Nickname)
    );
    assert_eq!(
        first_names_match("Peggy", "Margaret"),
        Some(Tolerance::Nickname)
    );
    assert_eq!(first_names_match("Pepe", "José"), Some(Tolerance::Nickname));
    assert_eq!(
        first_names_match("Nacho", "Ignacio"),
        Some(Tolerance::Nickname)
    );
    assert_eq!(first_names_match("Bob", "William"), None);
    assert_eq!(
        first_names_match("Christopher", "Christine"),
        None,
        "two formal names sharing Chris are different people"
    );
}

#[test]
fn nicknames_are_for_first_names_only() {
    assert_eq!(last_names_match("Bob", "Robert"), None);
}

#[test]
fn one_typo_in_a_long_last_name_passes_but_two_fail() {
    let record = "Testperson";
    for typed in [
        "Testpersen",  // substitution
        "Testperso",   // deletion
        "Testpersson", // insertion
        "Tsetperson",  // adjacent transposition
    ] {
        assert_eq!(
            last_names_match(typed, record),
            Some(Tolerance::Typo),
            "{typed}"
        );
    }
    for typed in ["Tsetpersen", "Testpers", "Tesptersno"] {
        assert_eq!(last_names_match(typed, record), None, "{typed}");
    }
    assert_eq!(
        first_names_match("Examplar", "Exemplar"),
        Some(Tolerance::Typo)
    );
}

#[test]
fn short_names_need_an_exact_match() {
    // "Sample" has 6 letters: one typo is fine. "Testa" has 5: it is not.
    assert_eq!(last_names_match("Sampel", "Sample"), Some(Tolerance::Typo));
    assert_eq!(last_names_match("Testa", "Testa"), Some(Tolerance::Exact));
    assert_eq!(last_names_match("Tests", "Testa"), None);
    assert_eq!(last_names_match("Testaa", "Testa"), None);
    assert_eq!(last_names_match("Tsta", "Testa"), None);
    assert_eq!(first_names_match("Avrey", "Avery"), None);
    assert_eq!(first_names_match("Dana", "Dena"), None, "not in the table");
}

#[test]
fn either_part_of_a_hyphenated_surname_matches() {
    let record = "Garcia-Testperson";
    for typed in [
        "Garcia",
        "Testperson",
        "Garcia Testperson",
        "GarciaTestperson",
        "garcia-testperson",
        "Testperson Garcia",
    ] {
        assert!(last_names_match(typed, record).is_some(), "{typed}");
    }
    assert_eq!(
        last_names_match("Testperson", record),
        Some(Tolerance::HyphenatedPart)
    );
    // And the reverse: typed hyphenated, record one part.
    assert_eq!(
        last_names_match("Garcia-Testperson", "Testperson"),
        Some(Tolerance::HyphenatedPart)
    );
    assert_eq!(last_names_match("Garcia-Testperson", "Sample"), None);
    assert_eq!(last_names_match("Sample", record), None);
}

#[test]
fn particles_alone_do_not_match_a_compound_surname() {
    let record = "De La Testperson";
    assert_eq!(last_names_match("De", record), None);
    assert_eq!(last_names_match("La", record), None);
    assert_eq!(
        last_names_match("Testperson", record),
        Some(Tolerance::HyphenatedPart)
    );
    assert_eq!(
        last_names_match("DeLaTestperson", record),
        Some(Tolerance::Exact)
    );
}

#[test]
fn a_middle_initial_in_the_first_name_field_still_matches() {
    assert_eq!(
        first_names_match("Avery Q.", "Avery"),
        Some(Tolerance::HyphenatedPart)
    );
    assert_eq!(first_names_match("Q.", "Avery Q"), None);
}

#[test]
fn suffixes_are_split_off_the_last_name() {
    assert_eq!(split_suffix("Testperson Jr."), ("Testperson", Some("jr")));
    assert_eq!(
        split_suffix("Testperson, Junior"),
        ("Testperson", Some("jr"))
    );
    assert_eq!(split_suffix("Testperson III"), ("Testperson", Some("iii")));
    assert_eq!(split_suffix("Testperson 2nd"), ("Testperson", Some("ii")));
    assert_eq!(split_suffix("Testperson"), ("Testperson", None));
    assert_eq!(split_suffix("Jr"), ("Jr", None));
    assert_eq!(split_suffix("Van Testperson"), ("Van Testperson", None));
    assert_eq!(
        last_names_match("Testperson Jr.", "Testperson"),
        Some(Tolerance::Exact)
    );
    assert_eq!(
        last_names_match("Testperson", "Testperson Sr"),
        Some(Tolerance::Exact)
    );
}

#[test]
fn suffixes_conflict_only_when_both_are_present_and_differ() {
    assert!(!suffixes_conflict(
        None,
        "Testperson Jr.",
        None,
        "Testperson"
    ));
    assert!(!suffixes_conflict(
        Some("Jr."),
        "Testperson",
        None,
        "Testperson"
    ));
    assert!(!suffixes_conflict(
        None,
        "Testperson Jr",
        Some("Junior"),
        "Testperson"
    ));
    assert!(!suffixes_conflict(
        Some("II"),
        "Testperson",
        Some("2nd"),
        "Testperson"
    ));
    assert!(!suffixes_conflict(
        Some("  "),
        "Testperson",
        Some("Sr"),
        "Testperson"
    ));
    assert!(suffixes_conflict(
        None,
        "Testperson Jr",
        Some("Sr"),
        "Testperson"
    ));
    assert!(suffixes_conflict(
        Some("III"),
        "Testperson",
        None,
        "Testperson IV"
    ));
}

#[test]
fn middle_names_never_fail_but_are_noted() {
    assert_eq!(
        compare_middle_names(None, Some("Quinn")),
        MiddleName::Ignored
    );
    assert_eq!(compare_middle_names(Some("Q"), None), MiddleName::Ignored);
    assert_eq!(
        compare_middle_names(Some(""), Some("Quinn")),
        MiddleName::Ignored
    );
    assert_eq!(
        compare_middle_names(Some("quinn"), Some("Quinn")),
        MiddleName::Same
    );
    assert_eq!(
        compare_middle_names(Some("Q."), Some("Quinn")),
        MiddleName::Initial
    );
    assert_eq!(
        compare_middle_names(Some("Quinn"), Some("Q")),
        MiddleName::Initial
    );
    assert_eq!(
        compare_middle_names(Some("R"), Some("Quinn")),
        MiddleName::Differs
    );
    assert_eq!(
        compare_middle_names(Some("Sample"), Some("Quinn")),
        MiddleName::Differs
    );
}

#[test]
fn empty_names_never_match() {
    assert_eq!(first_names_match("", ""), None);
    assert_eq!(first_names_match("'", "'"), None);
    assert_eq!(last_names_match("Testperson", ""), None);
}

fn name_like() -> impl Strategy<Value = String> {
    "[A-Za-zÀ-ÖØ-öø-ÿĀ-ſ' .,-]{0,24}"
}

proptest! {
    #[test]
    fn normalise_name_is_idempotent(s in "\\PC{0,24}") {
        let once = normalise_name(&s);
        prop_assert_eq!(normalise_name(&once), once);
    }

    #[test]
    fn normalise_name_is_idempotent_on_name_like_text(s in name_like()) {
        let once = normalise_name(&s);
        prop_assert_eq!(normalise_name(&once), once);
    }

    #[test]
    fn normalise_name_is_case_insensitive(s in name_like()) {
        prop_assert_eq!(normalise_name(&s.to_uppercase()), normalise_name(&s.to_lowercase()));
        prop_assert_eq!(normalise_name(&s.to_uppercase()), normalise_name(&s));
    }

    #[test]
    fn a_name_always_matches_itself(
        s in "[A-Za-zÀ-ÖØ-öø-ÿ' .,-]{0,8}[A-Za-zÀ-ÖØ-öø-ÿĀ-ſ][A-Za-zÀ-ÖØ-öø-ÿĀ-ſ' .,-]{0,15}"
    ) {
        prop_assert_eq!(first_names_match(&s, &s), Some(Tolerance::Exact));
        prop_assert_eq!(last_names_match(&s, &s), Some(Tolerance::Exact));
    }

    #[test]
    fn any_name_matches_itself_in_any_case(s in "\\PC{1,24}") {
        prop_assume!(!normalise_name(&s).is_empty());
        prop_assert!(first_names_match(&s, &s).is_some());
        prop_assert!(first_names_match(&s.to_uppercase(), &s).is_some());
        prop_assert!(last_names_match(&s, &s).is_some());
    }

    #[test]
    fn name_rules_never_panic(a in "\\PC{0,40}", b in "\\PC{0,40}", c in proptest::option::of("\\PC{0,8}")) {
        let _ = first_names_match(&a, &b);
        let _ = last_names_match(&a, &b);
        let _ = split_suffix(&a);
        let _ = suffixes_conflict(c.as_deref(), &a, None, &b);
        let _ = compare_middle_names(Some(&a), c.as_deref());
    }
}

#[test]
fn a_middle_initial_in_the_first_name_field_is_left_out() {
    assert_eq!(
        first_names_match("Kate G", "Katherine"),
        Some(Tolerance::Nickname)
    );
    assert_eq!(
        first_names_match("Bill M.", "William"),
        Some(Tolerance::Nickname)
    );
    assert!(first_names_match("Roberta Q.", "Roberta").is_some());
    assert!(first_names_match("Roberta", "Roberta Q").is_some());
    // Only a single letter is an initial; another first name is not.
    assert_eq!(first_names_match("Kate Gina", "Katherine"), None);
    assert_eq!(first_names_match("Q", "Roberta"), None);
}
