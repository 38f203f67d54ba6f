//! Interoperability with an independent implementation: RustCrypto's `p256` checks
//! our ES256 signatures, and signs a client assertion the way a relying party's
//! library would, which our verifier must accept. RS256 is checked against the
//! backend's own verifier from the sealed key, and against RFC 7515 A.2 (see keys.rs).

use graviola::signing::rsa;
use p256::ecdsa::signature::{Signer, Verifier};
use p256::ecdsa::{Signature, SigningKey as P256SigningKey, VerifyingKey as P256VerifyingKey};
use serde_json::json;

use super::{b64d, b64e, es256, parts, rfc_vectors, rs256};
use crate::{check_client_assertion, jwks, verify_jwt};

/// ASN.1 DER `Ecdsa-Sig-Value` from fixed-size `r` and `s` (what JOSE must *not* use).
pub(crate) fn der_signature(r: &[u8], s: &[u8]) -> Vec<u8> {
    let integer = |v: &[u8]| {
        let v = &v[v.iter().position(|b| *b != 0).unwrap_or(v.len() - 1)..];
        let mut content = if v[0] & 0x80 != 0 { vec![0] } else { vec![] };
        content.extend_from_slice(v);
        super::der(0x02, &content)
    };
    let mut body = integer(r);
    body.extend(integer(s));
    super::der(0x30, &body)
}

#[test]
fn our_es256_signature_verifies_with_rustcrypto_p256_as_raw_r_s() {
    let token = es256()
        .sign_jwt(&json!({ "iss": "https://id.example.gov", "sub": "x" }))
        .unwrap();
    let [header, payload, signature] = parts(&token);
    let jwk = es256().public_jwk();
    let mut point = vec![0x04];
    point.extend(b64d(jwk["x"].as_str().unwrap()));
    point.extend(b64d(jwk["y"].as_str().unwrap()));
    let verifier = P256VerifyingKey::from_sec1_bytes(&point).unwrap();

    let raw = b64d(&signature);
    assert_eq!(raw.len(), 64);
    let signature = Signature::from_slice(&raw).unwrap();
    verifier
        .verify(format!("{header}.{payload}").as_bytes(), &signature)
        .unwrap();
    assert!(
        Signature::from_der(&raw).is_err(),
        "the JOSE form is not DER"
    );
}

#[test]
fn private_key_jwt_assertion_signed_by_rustcrypto_is_accepted() {
    // The client's key is the RFC 7515 A.3 key; its library is RustCrypto.
    let v = &rfc_vectors()["a3_es256"]["jwk"];
    let client_key = P256SigningKey::from_slice(&b64d(v["d"].as_str().unwrap())).unwrap();
    let mut registered = v.clone();
    registered.as_object_mut().unwrap().remove("d");
    registered["kid"] = json!("client-key-1");

    let now = 1_700_000_000;
    let token_endpoint = "https://id.example.gov/oidc/token";
    let header = b64e(br#"{"alg":"ES256","kid":"client-key-1","typ":"JWT"}"#);
    let claims = json!({ "iss": "rp-42", "sub": "rp-42", "aud": token_endpoint, "jti": "a-1", "exp": now + 300, "iat": now });
    let payload = b64e(&serde_json::to_vec(&claims).unwrap());
    let signature: Signature = client_key.sign(format!("{header}.{payload}").as_bytes());
    let assertion = format!("{header}.{payload}.{}", b64e(&signature.to_bytes()));

    let verified = verify_jwt(&assertion, &jwks(&[registered])).unwrap();
    let jti = check_client_assertion(
        &verified.claims,
        "rp-42",
        &crate::AudienceRule {
            issuer: "https://id.example.gov",
            legacy_token_endpoint: Some(token_endpoint),
        },
        now,
    );
    assert_eq!(jti.unwrap(), "a-1");
}

#[test]
fn our_rs256_signature_verifies_with_the_backend_verifier_at_modulus_length() {
    let token = rs256()
        .sign_jwt(&json!({ "iss": "https://id.example.gov" }))
        .unwrap();
    let [header, payload, signature] = parts(&token);
    let signature = b64d(&signature);
    let modulus = b64d(rs256().public_jwk()["n"].as_str().unwrap());
    assert_eq!(signature.len(), modulus.len());

    let sealed = rs256().to_pkcs8().unwrap();
    let verifier = rsa::SigningKey::from_pkcs8_der(&sealed)
        .unwrap()
        .public_key();
    verifier
        .verify_pkcs1_sha256(&signature, format!("{header}.{payload}").as_bytes())
        .unwrap();
    assert!(
        verifier
            .verify_pkcs1_sha256(&signature, b"other input")
            .is_err()
    );
}
