//! Property tests of what an unauthenticated client sends the token endpoint: a client
//! assertion (`verify_jwt` against a registered JWKS, then `check_client_assertion`).
//! Whatever the token, the key set or the claims, nothing panics; only the exact
//! token a key signed verifies; and an accepted assertion always satisfied every rule.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed expectation fails the test

use std::sync::OnceLock;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use proptest::prelude::*;
use sa_oidc::assertion::{CLOCK_SKEW_SECS, MAX_ASSERTION_LIFETIME_SECS, MAX_JTI_LEN};
use sa_oidc::{
    AudienceRule, SigningAlg, SigningKey, check_client_assertion, jwks, unverified_client_id,
    verify_jwt,
};
use serde_json::{Value, json};

const CLIENT: &str = "rp-1";
const TOKEN_ENDPOINT: &str = "https://id.example.gov/oidc/token";
const ISSUER: &str = "https://id.example.gov";
const NOW: i64 = 1_700_000_000;
const STRICT: AudienceRule<'static> = AudienceRule {
    issuer: ISSUER,
    legacy_token_endpoint: None,
};

/// RFC 7515 A.2 (RS256) and A.3 (ES256): keys and tokens signed with them.
fn rfc() -> &'static Value {
    static RFC: OnceLock<Value> = OnceLock::new();
    RFC.get_or_init(|| {
        serde_json::from_str(include_str!("../testdata/rfc7515-rfc7638.json"))
            .unwrap_or(Value::Null)
    })
}

fn public(jwk: &Value) -> Value {
    let mut jwk = jwk.clone();
    if let Some(members) = jwk.as_object_mut() {
        for private in ["d", "p", "q", "dp", "dq", "qi"] {
            members.remove(private);
        }
    }
    jwk
}

fn es256() -> &'static SigningKey {
    static KEY: OnceLock<SigningKey> = OnceLock::new();
    KEY.get_or_init(|| SigningKey::generate(SigningAlg::Es256).expect("ES256 key"))
}

/// The fixed key set: our generated ES256 key and the RFC's RSA and EC keys.
fn key_set() -> &'static Value {
    static SET: OnceLock<Value> = OnceLock::new();
    SET.get_or_init(|| {
        jwks(&[
            es256().public_jwk(),
            public(&rfc()["a2_rs256"]["jwk"]),
            public(&rfc()["a3_es256"]["jwk"]),
        ])
    })
}

fn b64(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

fn valid_claims() -> Value {
    json!({ "iss": CLIENT, "sub": CLIENT, "aud": ISSUER, "jti": "j-1", "exp": NOW + 60, "iat": NOW })
}

/// Tokens that verify against [`key_set`]: one we sign, and the RFC's two.
fn signed_tokens() -> Vec<String> {
    vec![
        es256().sign_jwt(&valid_claims()).expect("sign"),
        rfc()["a2_rs256"]["jws"]
            .as_str()
            .unwrap_or_default()
            .to_owned(),
        rfc()["a3_es256"]["jws"]
            .as_str()
            .unwrap_or_default()
            .to_owned(),
    ]
}

/// Any JSON value, nested a little.
fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        any::<String>().prop_map(Value::String),
        "(ES256|RS256|HS256|none|EC|RSA|P-256|sig|verify|rp-1|https://id.example.gov(/oidc/token)?)"
            .prop_map(Value::String),
    ];
    leaf.prop_recursive(3, 32, 6, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
            proptest::collection::btree_map(
                prop_oneof![
                    "(alg|kid|crit|typ|jwk|jku|kty|crv|x|y|n|e|use|key_ops|keys|iss|sub|aud|exp|nbf|iat|jti)",
                    any::<String>(),
                ],
                inner,
                0..6
            )
            .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// A JWK-shaped object with members that may or may not make sense.
fn any_jwk() -> impl Strategy<Value = Value> {
    (
        prop_oneof![Just("EC"), Just("RSA"), Just("oct"), Just("")],
        proptest::option::of(prop_oneof![Just("P-256"), Just("P-384")]),
        proptest::collection::vec(any::<u8>(), 0..80),
        proptest::collection::vec(any::<u8>(), 0..80),
        proptest::collection::vec(any::<u8>(), 0..600),
        proptest::collection::vec(any::<u8>(), 0..8),
        proptest::option::of(any_json()),
    )
        .prop_map(|(kty, crv, x, y, n, e, extra)| {
            let mut jwk =
                json!({ "kty": kty, "x": b64(&x), "y": b64(&y), "n": b64(&n), "e": b64(&e) });
            if let Some(crv) = crv {
                jwk["crv"] = json!(crv);
            }
            if let (Some(Value::Object(extra)), Some(members)) = (extra, jwk.as_object_mut()) {
                members.extend(extra);
            }
            jwk
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn verify_jwt_never_panics_on_any_text(token in any::<String>()) {
        prop_assert!(verify_jwt(&token, key_set()).is_err());
        let _ = unverified_client_id(&token);
    }

    #[test]
    fn verify_jwt_never_panics_on_three_dotted_parts(
        parts in proptest::collection::vec("[A-Za-z0-9_=+/-]{0,120}", 0..5),
    ) {
        let token = parts.join(".");
        prop_assert!(verify_jwt(&token, key_set()).is_err());
        let _ = unverified_client_id(&token);
    }

    #[test]
    fn verify_jwt_never_panics_on_any_header_claims_and_signature(
        header in any_json(),
        claims in any_json(),
        signature in proptest::collection::vec(any::<u8>(), 0..300),
    ) {
        let token = format!(
            "{}.{}.{}",
            b64(header.to_string().as_bytes()),
            b64(claims.to_string().as_bytes()),
            b64(&signature)
        );
        prop_assert!(verify_jwt(&token, key_set()).is_err());
        let _ = unverified_client_id(&token);
    }

    #[test]
    fn verify_jwt_never_panics_on_any_key_set(
        keys in proptest::collection::vec(any_jwk(), 0..4),
        set in any_json(),
        alg in prop_oneof![Just("ES256"), Just("RS256")],
        signature in proptest::collection::vec(any::<u8>(), 0..300),
    ) {
        let header = b64(json!({ "alg": alg }).to_string().as_bytes());
        let claims = b64(valid_claims().to_string().as_bytes());
        let token = format!("{header}.{claims}.{}", b64(&signature));
        let random_set = json!({ "keys": keys });
        prop_assert!(verify_jwt(&token, &random_set).is_err());
        let _ = verify_jwt(&token, &set);
        for signed in signed_tokens() {
            let _ = verify_jwt(&signed, &random_set);
            let _ = verify_jwt(&signed, &set);
        }
    }

    #[test]
    fn only_the_exact_signed_token_verifies(
        which in 0usize..3,
        at in any::<usize>(),
        replacement in "[A-Za-z0-9_.=+/-]",
    ) {
        let token = signed_tokens().swap_remove(which);
        prop_assert!(verify_jwt(&token, key_set()).is_ok());
        let mut chars: Vec<char> = token.chars().collect();
        let at = at % chars.len();
        let new = replacement.chars().next().unwrap_or('A');
        prop_assume!(chars[at] != new);
        chars[at] = new;
        let tampered: String = chars.into_iter().collect();
        prop_assert!(verify_jwt(&tampered, key_set()).is_err(), "{}", tampered);
    }

    #[test]
    fn check_client_assertion_never_panics(
        claims in any_json(),
        client_id in prop_oneof![Just(CLIENT.to_owned()), any::<String>()],
        now in prop_oneof![Just(NOW), any::<i64>(), Just(i64::MAX), Just(i64::MIN)],
    ) {
        let _ = check_client_assertion(&claims, &client_id, &STRICT, now);
    }

    #[test]
    fn an_accepted_assertion_met_every_rule(
        iss in prop_oneof![4 => Just(json!(CLIENT)), 1 => any_json()],
        sub in prop_oneof![4 => Just(json!(CLIENT)), 1 => any_json()],
        aud in prop_oneof![2 => Just(json!(ISSUER)), 1 => Just(json!([ISSUER])), 1 => Just(json!(TOKEN_ENDPOINT)), 1 => Just(json!([ISSUER, "x"])), 1 => any_json()],
        exp in prop_oneof![2 => (-100i64..7300).prop_map(|d| json!(NOW + d)), 2 => (-100.0f64..7300.0).prop_map(|d| json!(NOW as f64 + d)), 1 => any_json()],
        nbf in proptest::option::of(prop_oneof![(-100i64..200).prop_map(|d| json!(NOW + d)), any_json()]),
        iat in proptest::option::of(prop_oneof![(-100i64..200).prop_map(|d| json!(NOW + d)), any_json()]),
        jti in prop_oneof![4 => Just(json!("j-1")), 1 => "[a-z]{250,260}".prop_map(Value::String), 1 => any_json()],
    ) {
        let mut claims = json!({ "iss": iss, "sub": sub, "aud": aud, "exp": exp, "jti": jti });
        if let Some(nbf) = nbf {
            claims["nbf"] = nbf;
        }
        if let Some(iat) = iat {
            claims["iat"] = iat;
        }
        let result = check_client_assertion(&claims, CLIENT, &STRICT, NOW);
        if let Ok(jti) = result {
            let seconds = |v: &Value| v.as_i64().or_else(|| v.as_f64().map(|f| f as i64));
            prop_assert_eq!(claims["iss"].as_str(), Some(CLIENT));
            prop_assert_eq!(claims["sub"].as_str(), Some(CLIENT));
            // The issuer identifier and nothing else (audience injection).
            let audiences = match &claims["aud"] {
                Value::Array(values) => values.clone(),
                other => vec![other.clone()],
            };
            prop_assert_eq!(audiences, vec![json!(ISSUER)]);
            let exp = seconds(&claims["exp"]).unwrap_or(i64::MIN);
            prop_assert!(exp > NOW && exp <= NOW + MAX_ASSERTION_LIFETIME_SECS);
            for name in ["nbf", "iat"] {
                if let Some(value) = claims.get(name) {
                    prop_assert!(seconds(value).is_some_and(|t| t <= NOW + CLOCK_SKEW_SECS));
                }
            }
            prop_assert_eq!(claims["jti"].as_str(), Some(jti.as_str()));
            prop_assert!(!jti.is_empty() && jti.len() <= MAX_JTI_LEN);
        }
    }
}

#[test]
fn the_fixed_key_set_verifies_its_own_tokens() {
    for token in signed_tokens() {
        assert!(verify_jwt(&token, key_set()).is_ok(), "{token}");
    }
}
