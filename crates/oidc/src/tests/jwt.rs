use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use super::{b64d, b64e, es256, forge, jwks_of, parts, rfc_vectors, rs256};
use crate::jwt::MAX_TOKEN_LEN;
use crate::{OidcError, SigningAlg, SigningKey, jwks, unverified_client_id, verify_jwt};

fn claims() -> Value {
    json!({ "iss": "client-1", "sub": "client-1", "aud": "https://id.example.gov/oidc/token", "jti": "j1", "exp": 1_900_000_000 })
}

fn both_keys() -> Value {
    jwks(&[es256().public_jwk(), rs256().public_jwk()])
}

#[test]
fn tampered_claims_are_refused() {
    for key in [es256(), rs256()] {
        let [header, _, signature] = parts(&key.sign_jwt(&claims()).unwrap());
        let other =
            b64e(&serde_json::to_vec(&json!({ "iss": "client-1", "sub": "admin" })).unwrap());
        let token = format!("{header}.{other}.{signature}");
        assert_eq!(
            verify_jwt(&token, &both_keys()),
            Err(OidcError::BadSignature)
        );
    }
}

#[test]
fn tampered_signature_is_refused() {
    for key in [es256(), rs256()] {
        let [header, payload, signature] = parts(&key.sign_jwt(&claims()).unwrap());
        let mut bytes = b64d(&signature);
        bytes[10] ^= 0x01;
        let token = format!("{header}.{payload}.{}", b64e(&bytes));
        assert_eq!(
            verify_jwt(&token, &both_keys()),
            Err(OidcError::BadSignature)
        );
        let truncated = format!("{header}.{payload}.{}", b64e(&b64d(&signature)[1..]));
        assert_eq!(
            verify_jwt(&truncated, &both_keys()),
            Err(OidcError::BadSignature)
        );
    }
}

#[test]
fn unsigned_alg_none_token_is_refused() {
    let unsigned = forge(&json!({ "alg": "none" }), &claims(), b"");
    assert_eq!(
        verify_jwt(&unsigned, &both_keys()),
        Err(OidcError::UnsupportedAlgorithm)
    );
    let [_, payload, signature] = parts(&es256().sign_jwt(&claims()).unwrap());
    let none = b64e(br#"{"alg":"none"}"#);
    for token in [
        format!("{none}.{payload}."),
        format!("{none}.{payload}.{signature}"),
    ] {
        assert_eq!(
            verify_jwt(&token, &both_keys()),
            Err(OidcError::UnsupportedAlgorithm)
        );
    }
}

#[test]
fn hs256_is_refused_even_with_a_symmetric_key_in_the_jwks() {
    let v = &rfc_vectors()["a1_hs256"];
    // The JWKS builder would have dropped the oct key; hand it in raw to be sure the
    // verifier refuses on its own.
    let raw_set = json!({ "keys": [v["jwk"].clone()] });
    assert_eq!(
        verify_jwt(v["jws"].as_str().unwrap(), &raw_set),
        Err(OidcError::UnsupportedAlgorithm)
    );
}

#[test]
fn hs256_keyed_with_our_public_key_is_refused() {
    // The classic confusion: an attacker "signs" with HMAC using the public key bytes.
    let public = rs256().public_jwk().to_string();
    let fake_mac = Sha256::digest(public.as_bytes());
    let token = forge(
        &json!({ "alg": "HS256", "kid": rs256().kid }),
        &claims(),
        &fake_mac,
    );
    assert_eq!(
        verify_jwt(&token, &jwks_of(rs256())),
        Err(OidcError::UnsupportedAlgorithm)
    );
}

#[test]
fn unknown_algorithms_are_refused() {
    for alg in ["PS256", "ES384", "RS512", "EdDSA", "es256", ""] {
        let token = forge(&json!({ "alg": alg }), &claims(), &[1; 64]);
        assert_eq!(
            verify_jwt(&token, &both_keys()),
            Err(OidcError::UnsupportedAlgorithm),
            "{alg}"
        );
    }
    let no_alg = forge(&json!({ "typ": "JWT" }), &claims(), &[1; 64]);
    assert!(matches!(
        verify_jwt(&no_alg, &both_keys()),
        Err(OidcError::Malformed(_))
    ));
}

#[test]
fn kid_that_matches_no_key_is_refused() {
    let token = es256().sign_jwt(&claims()).unwrap();
    let mut renamed = es256().public_jwk();
    renamed["kid"] = json!("someone-else");
    assert_eq!(
        verify_jwt(&token, &jwks(&[renamed])),
        Err(OidcError::KeyNotFound)
    );
}

#[test]
fn without_kid_each_key_of_the_right_type_is_tried() {
    let v = &rfc_vectors()["a3_es256"];
    let other_ec = SigningKey::generate(SigningAlg::Es256)
        .unwrap()
        .public_jwk();
    let set = jwks(&[rs256().public_jwk(), other_ec, v["jwk"].clone()]);
    let verified = verify_jwt(v["jws"].as_str().unwrap(), &set).unwrap();
    assert_eq!(verified.claims["iss"], "joe");
    assert_eq!(verified.claims["http://example.com/is_root"], true);
}

#[test]
fn rfc7515_rs256_example_verifies() {
    let v = &rfc_vectors()["a2_rs256"];
    let verified = verify_jwt(v["jws"].as_str().unwrap(), &jwks(&[v["jwk"].clone()])).unwrap();
    assert_eq!(verified.claims["exp"], 1_300_819_380);
}

#[test]
fn a_key_is_used_only_for_the_algorithm_its_type_implies() {
    // An ES256 token relabelled RS256 finds no RSA key with that kid.
    let [_, payload, signature] = parts(&es256().sign_jwt(&claims()).unwrap());
    let header = b64e(&serde_json::to_vec(&json!({ "alg": "RS256", "kid": es256().kid })).unwrap());
    let token = format!("{header}.{payload}.{signature}");
    assert_eq!(
        verify_jwt(&token, &both_keys()),
        Err(OidcError::KeyNotFound)
    );
}

#[test]
fn keys_marked_for_another_alg_or_use_are_skipped() {
    let token = es256().sign_jwt(&claims()).unwrap();
    for (member, value) in [
        ("alg", json!("RS256")),
        ("use", json!("enc")),
        ("key_ops", json!(["encrypt"])),
    ] {
        let mut jwk = es256().public_jwk();
        jwk[member] = value;
        let set = json!({ "keys": [jwk] });
        assert_eq!(
            verify_jwt(&token, &set),
            Err(OidcError::KeyNotFound),
            "{member}"
        );
    }
}

#[test]
fn der_encoded_es256_signature_is_refused() {
    let [header, payload, signature] = parts(&es256().sign_jwt(&claims()).unwrap());
    let raw = b64d(&signature);
    let der = super::interop::der_signature(&raw[..32], &raw[32..]);
    let token = format!("{header}.{payload}.{}", b64e(&der));
    assert_eq!(
        verify_jwt(&token, &jwks_of(es256())),
        Err(OidcError::BadSignature)
    );
}

#[test]
fn old_key_still_verifies_after_rotation() {
    let old = SigningKey::generate(SigningAlg::Es256).unwrap();
    let token = old.sign_jwt(&claims()).unwrap();
    let new = SigningKey::generate(SigningAlg::Es256).unwrap();
    let set = jwks(&[new.public_jwk(), old.public_jwk()]);
    assert!(verify_jwt(&token, &set).is_ok());
    assert_eq!(
        verify_jwt(&token, &jwks_of(&new)),
        Err(OidcError::KeyNotFound)
    );
}

#[test]
fn malformed_tokens_are_refused() {
    let good = es256().sign_jwt(&claims()).unwrap();
    let [header, payload, signature] = parts(&good);
    let array_header = b64e(b"[\"ES256\"]");
    let not_json = b64e(b"{alg");
    let cases = [
        format!("{header}.{payload}"),
        format!("{header}.{payload}.{signature}.{signature}"),
        format!("{header}=.{payload}.{signature}"),
        format!("{array_header}.{payload}.{signature}"),
        format!("{not_json}.{payload}.{signature}"),
        format!("{header}.{not_json}.{signature}"),
        format!("{header}.{payload}.{signature}!"),
        format!("{header}.{payload}.{}", "A".repeat(MAX_TOKEN_LEN)),
        String::new(),
    ];
    for token in cases {
        assert!(
            matches!(
                verify_jwt(&token, &both_keys()),
                Err(OidcError::Malformed(_))
            ),
            "{token:.60}"
        );
    }
}

#[test]
fn critical_header_extensions_are_refused() {
    let token = forge(
        &json!({ "alg": "ES256", "crit": ["exp"], "exp": 1 }),
        &claims(),
        &[1; 64],
    );
    assert!(matches!(
        verify_jwt(&token, &both_keys()),
        Err(OidcError::Malformed(_))
    ));
}

#[test]
fn key_set_without_keys_array_is_refused() {
    let token = es256().sign_jwt(&claims()).unwrap();
    assert!(matches!(
        verify_jwt(&token, &json!({})),
        Err(OidcError::InvalidKey(_))
    ));
    assert_eq!(
        verify_jwt(&token, &json!({ "keys": [] })),
        Err(OidcError::KeyNotFound)
    );
}

#[test]
fn client_id_is_read_before_verification_only_when_iss_equals_sub() {
    let token = es256().sign_jwt(&claims()).unwrap();
    assert_eq!(unverified_client_id(&token).unwrap(), "client-1");
    let mismatched = es256()
        .sign_jwt(&json!({ "iss": "client-1", "sub": "client-2" }))
        .unwrap();
    assert!(unverified_client_id(&mismatched).is_err());
    assert!(unverified_client_id("garbage").is_err());
}
