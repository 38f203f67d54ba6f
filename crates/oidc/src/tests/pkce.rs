use serde_json::Value;

use crate::{is_valid_challenge, is_valid_verifier, verify_pkce_s256};

const RFC_VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
const RFC_CHALLENGE: &str = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

#[test]
fn rfc7636_appendix_b_vector_verifies() {
    assert!(verify_pkce_s256(RFC_VERIFIER, RFC_CHALLENGE));
}

#[test]
fn rfc7636_vector_file_verifies() {
    let v: Value = serde_json::from_str(include_str!("../../testdata/pkce-rfc7636.json")).unwrap();
    assert_eq!(v["code_challenge_method"], "S256");
    let (verifier, challenge) = (
        v["code_verifier"].as_str().unwrap(),
        v["code_challenge"].as_str().unwrap(),
    );
    assert!(verify_pkce_s256(verifier, challenge));
}

#[test]
fn plain_method_is_refused_verifier_is_not_its_own_challenge() {
    assert!(!verify_pkce_s256(RFC_VERIFIER, RFC_VERIFIER));
}

#[test]
fn wrong_verifier_is_refused() {
    let other = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXK";
    assert!(!verify_pkce_s256(other, RFC_CHALLENGE));
}

#[test]
fn verifier_must_be_43_to_128_unreserved_characters() {
    assert!(is_valid_verifier(&"a".repeat(43)));
    assert!(is_valid_verifier(&"A-._~z9".repeat(19)[..128]));
    assert!(!is_valid_verifier(&"a".repeat(42)));
    assert!(!is_valid_verifier(&"a".repeat(129)));
    assert!(!is_valid_verifier(&format!("{}+", "a".repeat(42))));
    assert!(!is_valid_verifier(&format!("{}é", "a".repeat(42))));
    assert!(!verify_pkce_s256(&"a".repeat(42), RFC_CHALLENGE));
}

#[test]
fn challenge_must_be_43_base64url_characters_of_a_digest() {
    assert!(is_valid_challenge(RFC_CHALLENGE));
    assert!(!is_valid_challenge(&RFC_CHALLENGE[..42]));
    assert!(!is_valid_challenge(&format!("{RFC_CHALLENGE}=")));
    assert!(!is_valid_challenge(
        "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw+cM"
    ));
    // Last character with non-zero unused bits is not a canonical encoding.
    assert!(!is_valid_challenge(
        "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cN"
    ));
}
