use serde_json::{Value, json};

use crate::assertion::{MAX_ASSERTION_LIFETIME_SECS, MAX_JTI_LEN};
use crate::{AudienceRule, OidcError, check_client_assertion};

const NOW: i64 = 1_700_000_000;
const CLIENT: &str = "rp-42";
const TOKEN_ENDPOINT: &str = "https://id.example.gov/oidc/token";
const ISSUER: &str = "https://id.example.gov";

const STRICT: AudienceRule<'static> = AudienceRule {
    issuer: ISSUER,
    legacy_token_endpoint: None,
};
const LEGACY: AudienceRule<'static> = AudienceRule {
    issuer: ISSUER,
    legacy_token_endpoint: Some(TOKEN_ENDPOINT),
};

fn valid() -> Value {
    json!({ "iss": CLIENT, "sub": CLIENT, "aud": ISSUER, "jti": "jti-1", "exp": NOW + 120, "iat": NOW })
}

fn check(claims: &Value) -> Result<String, OidcError> {
    check_client_assertion(claims, CLIENT, &STRICT, NOW)
}

fn with(name: &str, value: Value) -> Value {
    let mut claims = valid();
    claims[name] = value;
    claims
}

fn without(name: &str) -> Value {
    let mut claims = valid();
    claims.as_object_mut().unwrap().remove(name);
    claims
}

fn refused(claims: &Value) -> bool {
    matches!(check(claims), Err(OidcError::InvalidClaims(_)))
}

#[test]
fn valid_assertion_returns_its_jti_for_the_replay_store() {
    assert_eq!(check(&valid()).unwrap(), "jti-1");
}

#[test]
fn audience_is_the_issuer_alone_by_default() {
    assert!(check(&with("aud", json!(ISSUER))).is_ok());
    assert!(check(&with("aud", json!([ISSUER]))).is_ok());
    // The token endpoint, or the issuer beside another audience, could have been
    // made for (or injected by) another server: refused.
    assert!(refused(&with("aud", json!(TOKEN_ENDPOINT))));
    assert!(refused(&with(
        "aud",
        json!([ISSUER, "https://other.example"])
    )));
    assert!(refused(&with("aud", json!([TOKEN_ENDPOINT]))));
}

#[test]
fn the_compatibility_rule_also_takes_the_token_endpoint() {
    let legacy = |claims: &Value| check_client_assertion(claims, CLIENT, &LEGACY, NOW);
    assert!(legacy(&with("aud", json!(ISSUER))).is_ok());
    assert!(legacy(&with("aud", json!(TOKEN_ENDPOINT))).is_ok());
    assert!(
        legacy(&with(
            "aud",
            json!(["https://other.example", TOKEN_ENDPOINT])
        ))
        .is_ok()
    );
    assert!(legacy(&with("aud", json!("https://evil.example/token"))).is_err());
}

#[test]
fn wrong_issuer_or_subject_is_refused() {
    assert!(refused(&with("iss", json!("rp-43"))));
    assert!(refused(&with("sub", json!("rp-43"))));
    assert!(refused(&without("iss")));
    assert!(refused(&without("sub")));
    assert!(check_client_assertion(&valid(), "", &STRICT, NOW).is_err());
}

#[test]
fn assertion_for_another_audience_is_refused() {
    assert!(refused(&with("aud", json!("https://evil.example/token"))));
    assert!(refused(&with("aud", json!([]))));
    assert!(refused(&with("aud", json!(format!("{ISSUER}/")))));
    assert!(refused(&without("aud")));
}

#[test]
fn expired_assertion_is_refused() {
    assert!(refused(&with("exp", json!(NOW - 1))));
    assert!(refused(&with("exp", json!(NOW))));
    assert!(refused(&without("exp")));
    assert!(refused(&with("exp", json!("1900000000"))));
}

#[test]
fn assertion_valid_for_more_than_an_hour_is_refused() {
    assert!(check(&with("exp", json!(NOW + MAX_ASSERTION_LIFETIME_SECS))).is_ok());
    assert!(refused(&with(
        "exp",
        json!(NOW + MAX_ASSERTION_LIFETIME_SECS + 1)
    )));
    assert!(refused(&with("exp", json!(u64::MAX))));
    assert!(check(&with("exp", json!((NOW + 30) as f64 + 0.5))).is_ok());
}

#[test]
fn missing_or_unusable_jti_is_refused() {
    assert!(refused(&without("jti")));
    assert!(refused(&with("jti", json!(""))));
    assert!(refused(&with("jti", json!(7))));
    assert!(refused(&with("jti", json!("j".repeat(MAX_JTI_LEN + 1)))));
    assert!(check(&with("jti", json!("j".repeat(MAX_JTI_LEN)))).is_ok());
}

#[test]
fn assertion_from_the_future_is_refused() {
    assert!(refused(&with("nbf", json!(NOW + 600))));
    assert!(refused(&with("iat", json!(NOW + 600))));
    assert!(
        check(&with("iat", json!(NOW + 30))).is_ok(),
        "small clock skew is tolerated"
    );
    assert!(refused(&with("iat", json!("yesterday"))));
}
