use serde_json::{Value, json};

use super::{
    b64d, b64e, ec_pkcs8_from_scalar, es256, jwks_of, parts, rfc_vectors, rs256, rsa_pkcs8_from_jwk,
};
use crate::{OidcError, SigningAlg, SigningKey, jwk_thumbprint, jwks, verify_jwt};

const PRIVATE_MEMBERS: [&str; 7] = ["d", "p", "q", "dp", "dq", "qi", "k"];

fn claims() -> Value {
    json!({ "iss": "https://id.example.gov", "sub": "abc", "aud": "rp-1", "exp": 1_900_000_000, "nonce": "n-0S6" })
}

fn assert_no_private_members(jwk: &Value) {
    for name in PRIVATE_MEMBERS {
        assert!(jwk.get(name).is_none(), "{name} published in {jwk}");
    }
}

#[test]
fn es256_id_token_verifies_through_the_published_jwk() {
    let token = es256().sign_jwt(&claims()).unwrap();
    let verified = verify_jwt(&token, &jwks_of(es256())).unwrap();
    assert_eq!(verified.claims, claims());
    assert_eq!(
        verified.header,
        json!({ "alg": "ES256", "typ": "JWT", "kid": es256().kid })
    );
    assert_eq!(
        b64d(&parts(&token)[2]).len(),
        64,
        "JOSE ES256 signatures are r || s"
    );
}

#[test]
fn rs256_id_token_verifies_through_the_published_jwk() {
    let token = rs256().sign_jwt(&claims()).unwrap();
    let verified = verify_jwt(&token, &jwks_of(rs256())).unwrap();
    assert_eq!(verified.claims, claims());
    assert_eq!(
        verified.header,
        json!({ "alg": "RS256", "typ": "JWT", "kid": rs256().kid })
    );
}

#[test]
fn public_jwks_have_the_expected_members_and_no_private_ones() {
    let ec = es256().public_jwk();
    assert_eq!(ec["kty"], "EC");
    assert_eq!(ec["crv"], "P-256");
    assert_eq!(b64d(ec["x"].as_str().unwrap()).len(), 32);
    assert_eq!(b64d(ec["y"].as_str().unwrap()).len(), 32);
    assert_eq!(
        (ec["use"].as_str(), ec["alg"].as_str()),
        (Some("sig"), Some("ES256"))
    );
    let rsa = rs256().public_jwk();
    assert_eq!(rsa["kty"], "RSA");
    assert_eq!(rsa["e"], "AQAB");
    assert_eq!(
        b64d(rsa["n"].as_str().unwrap()).len(),
        384,
        "new RSA keys are 3072 bits"
    );
    assert_eq!(
        (rsa["use"].as_str(), rsa["alg"].as_str()),
        (Some("sig"), Some("RS256"))
    );

    let set = jwks(&[ec, rsa]);
    let keys = set["keys"].as_array().unwrap();
    assert_eq!(keys.len(), 2);
    keys.iter().for_each(assert_no_private_members);
}

#[test]
fn jwks_strips_private_members_even_when_handed_a_private_jwk() {
    let private = rfc_vectors()["a2_rs256"]["jwk"].clone();
    assert!(private.get("d").is_some());
    let set = jwks(std::slice::from_ref(&private));
    let published = &set["keys"][0];
    assert_no_private_members(published);
    assert_eq!(published["n"], private["n"]);
}

#[test]
fn jwks_refuses_symmetric_and_unsupported_keys() {
    let oct = rfc_vectors()["a1_hs256"]["jwk"].clone();
    let p384 = json!({ "kty": "EC", "crv": "P-384", "x": "AA", "y": "AA" });
    let set = jwks(&[
        oct,
        p384,
        json!("not a key"),
        json!({ "kty": "RSA" }),
        es256().public_jwk(),
    ]);
    assert_eq!(set["keys"].as_array().unwrap(), &vec![es256().public_jwk()]);
    assert!(!set.to_string().contains("\"oct\""));
}

#[test]
fn kid_is_the_rfc7638_thumbprint_truncated_to_16_bytes() {
    for key in [es256(), rs256()] {
        let thumbprint = b64d(&jwk_thumbprint(&key.public_jwk()).unwrap());
        assert_eq!(key.kid, b64e(&thumbprint[..16]));
        assert_eq!(key.kid.len(), 22);
    }
    let other = SigningKey::generate(SigningAlg::Es256).unwrap();
    assert_ne!(other.kid, es256().kid);
}

#[test]
fn thumbprint_matches_rfc7638_section_3_1() {
    let v = &rfc_vectors()["rfc7638_rsa"];
    assert_eq!(
        jwk_thumbprint(&v["jwk"]).unwrap(),
        v["thumbprint"].as_str().unwrap()
    );
    assert!(jwk_thumbprint(&json!({ "kty": "oct", "k": "AA" })).is_err());
}

#[test]
fn sealed_form_round_trips_for_both_algorithms() {
    for key in [es256(), rs256()] {
        let der = key.to_pkcs8().unwrap();
        let reloaded = SigningKey::from_pkcs8(&key.kid, key.alg, &der).unwrap();
        assert_eq!(reloaded.public_jwk(), key.public_jwk());
        let token = reloaded.sign_jwt(&claims()).unwrap();
        assert!(verify_jwt(&token, &jwks_of(key)).is_ok());
    }
}

#[test]
fn sealed_form_for_the_other_algorithm_or_garbage_is_refused() {
    let ec_der = es256().to_pkcs8().unwrap();
    let rsa_der = rs256().to_pkcs8().unwrap();
    let refused = |alg, der: &[u8]| {
        matches!(
            SigningKey::from_pkcs8("k", alg, der),
            Err(OidcError::InvalidKey(_))
        )
    };
    assert!(refused(SigningAlg::Rs256, &ec_der));
    assert!(refused(SigningAlg::Es256, &rsa_der));
    assert!(refused(SigningAlg::Es256, b"not der"));
    assert!(refused(SigningAlg::Rs256, &rsa_der[..rsa_der.len() - 1]));
}

#[test]
fn rs256_signature_matches_rfc7515_a2_byte_for_byte() {
    let v = &rfc_vectors()["a2_rs256"];
    let key =
        SigningKey::from_pkcs8("2011", SigningAlg::Rs256, &rsa_pkcs8_from_jwk(&v["jwk"])).unwrap();
    assert_eq!(key.public_jwk()["n"], v["jwk"]["n"]);
    let [header, payload, signature] = parts(v["jws"].as_str().unwrap());
    let ours = key
        .sign_bytes(format!("{header}.{payload}").as_bytes())
        .unwrap();
    assert_eq!(b64e(&ours), signature);
}

#[test]
fn p256_key_from_rfc7515_a3_imports_with_its_published_point() {
    let v = &rfc_vectors()["a3_es256"]["jwk"];
    let der = ec_pkcs8_from_scalar(&b64d(v["d"].as_str().unwrap()));
    let key = SigningKey::from_pkcs8("a3", SigningAlg::Es256, &der).unwrap();
    assert_eq!(
        (&key.public_jwk()["x"], &key.public_jwk()["y"]),
        (&v["x"], &v["y"])
    );
}

#[test]
fn debug_output_names_the_key_without_its_material() {
    let shown = format!("{:?}", rs256());
    assert!(shown.contains(&rs256().kid) && shown.contains("Rs256"));
    assert!(!shown.contains(rs256().public_jwk()["n"].as_str().unwrap()));
}

#[test]
fn header_alg_follows_the_key_even_if_the_alg_field_is_changed() {
    let mut key =
        SigningKey::from_pkcs8("k1", SigningAlg::Es256, &es256().to_pkcs8().unwrap()).unwrap();
    key.alg = SigningAlg::Rs256;
    let token = key.sign_jwt(&claims()).unwrap();
    assert_eq!(
        verify_jwt(&token, &jwks_of(&key)).unwrap().header["alg"],
        "ES256"
    );
}

#[test]
fn keys_can_be_shared_across_threads_and_tasks() {
    fn assert_send_sync<T: Send + Sync + 'static>() {}
    assert_send_sync::<SigningKey>();
}

#[test]
fn only_a_json_object_can_be_signed() {
    assert!(matches!(
        es256().sign_jwt(&json!(["a"])),
        Err(OidcError::InvalidClaims(_))
    ));
}

#[test]
fn signing_alg_names_are_exact() {
    assert_eq!(SigningAlg::parse("ES256"), Some(SigningAlg::Es256));
    assert_eq!("RS256".parse::<SigningAlg>(), Ok(SigningAlg::Rs256));
    for name in ["none", "HS256", "es256", "PS256", "ES384", ""] {
        assert_eq!(SigningAlg::parse(name), None, "{name}");
    }
    assert_eq!(SigningAlg::default(), SigningAlg::Es256);
    assert_eq!(
        serde_json::to_value(SigningAlg::Rs256).unwrap(),
        json!("RS256")
    );
    assert_eq!(
        serde_json::from_value::<SigningAlg>(json!("ES256")).unwrap(),
        SigningAlg::Es256
    );
    assert_eq!(SigningAlg::Rs256.to_string(), "RS256");
}
