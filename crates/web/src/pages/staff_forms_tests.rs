//! Unit tests of `staff_forms` (kept beside it so the module reads as product code).

use super::*;

fn fields(pairs: &[(&str, &str)]) -> Fields {
    pairs
        .iter()
        .map(|&(k, v)| (k.to_owned(), v.to_owned()))
        .collect()
}

#[test]
fn every_answer_is_built_and_each_missing_one_is_tied_to_its_field() {
    let questions: Vec<Question> = ["agi:2025", "filing_status:2024", "address:2024"]
        .into_iter()
        .filter_map(Question::parse)
        .collect();
    let complete = fields(&[
        ("answer.agi:2025", " 55,000 "),
        ("answer.filing_status:2024", "single"),
        ("answer.address:2024.street", "9 Old Example Road"),
        ("answer.address:2024.zip", "22150"),
    ]);
    let built = answers(&questions, &complete).ok().unwrap_or_default();
    assert_eq!(built.len(), 3);
    assert!(matches!(built.get("agi:2025"), Some(Answer::Text(t)) if t == "55,000"));
    assert!(
        matches!(built.get("address:2024"), Some(Answer::Address { zip, .. }) if zip == "22150")
    );

    let missing = fields(&[
        ("answer.agi:2025", "1"),
        ("answer.address:2024.street", "x"),
    ]);
    let errors = answers(&questions, &missing).err().unwrap_or_default();
    assert!(errors.has("answer.filing_status:2024"));
    assert!(errors.has("answer.address:2024.zip"));
    assert!(!errors.has("answer.agi:2025"));
}

#[test]
fn blank_document_rows_are_ignored_and_bad_ones_named() {
    let form = fields(&[
        ("kind", "existing_user"),
        ("office", "TAC"),
        ("document_1_type", "passport"),
        ("document_1_issuer", "U.S. Department of State"),
        ("document_1_number_last4", "X987"),
        ("document_1_expires_on", "2031-06-30"),
        ("person_matches", "yes"),
    ]);
    let input = in_person_input(&form).ok();
    assert!(
        input
            .as_ref()
            .is_some_and(|i| i.documents.len() == 1 && i.person_matches && i.ssn.is_none())
    );

    let bad = fields(&[
        ("document_2_issuer", "Virginia DMV"),
        ("document_3_type", "state_id"),
        ("document_3_expires_on", "31/01/2030"),
    ]);
    let errors = in_person_input(&bad).err().unwrap_or_default();
    for field in ["kind", "document_2_type", "document_3_expires_on"] {
        assert!(errors.has(field), "{field}");
    }
    assert!(!errors.has("document_1_type"), "a blank row is ignored");
}

#[test]
fn only_plain_ids_become_links() {
    assert_eq!(link_id("019a2b3c"), "019a2b3c");
    assert_eq!(link_id("../admin"), "");
    assert_eq!(link_id(""), "");
}
