use serde_json::Value;

use crate::{ProviderMetadata, assurance, discovery_document};

const ISSUER: &str = "https://id.example.gov";

/// A provider with a few scopes and claims and every supported `acr` value (the
/// service's real lists live in `sa-domain`'s `oidc::claims`).
fn metadata(issuer: &str) -> ProviderMetadata {
    let owned = |values: &[&str]| values.iter().map(|v| (*v).to_owned()).collect();
    ProviderMetadata {
        issuer: issuer.to_owned(),
        scopes: owned(&["openid", "email"]),
        claims: owned(&["sub", "email", "email_verified"]),
        acr_values: owned(&assurance::SUPPORTED),
    }
}

fn strings(doc: &Value, field: &str) -> Vec<String> {
    doc[field]
        .as_array()
        .unwrap_or_else(|| panic!("{field} must be an array"))
        .iter()
        .map(|v| v.as_str().unwrap().to_owned())
        .collect()
}

fn has(doc: &Value, field: &str, value: &str) -> bool {
    strings(doc, field).iter().any(|v| v == value)
}

#[test]
fn document_has_every_field_the_config_op_checks_need() {
    let doc = discovery_document(&metadata(ISSUER));
    assert_eq!(doc["issuer"], ISSUER);
    assert_eq!(
        doc["authorization_endpoint"],
        "https://id.example.gov/oidc/authorize"
    );
    assert_eq!(doc["token_endpoint"], "https://id.example.gov/oidc/token");
    assert_eq!(
        doc["userinfo_endpoint"],
        "https://id.example.gov/oidc/userinfo"
    );
    assert_eq!(doc["jwks_uri"], "https://id.example.gov/oidc/jwks");
    assert_eq!(
        doc["end_session_endpoint"],
        "https://id.example.gov/oidc/logout"
    );
    assert_eq!(strings(&doc, "response_types_supported"), ["code"]);
    assert!(has(&doc, "id_token_signing_alg_values_supported", "RS256"));
    assert!(has(&doc, "id_token_signing_alg_values_supported", "ES256"));
    assert!(has(&doc, "scopes_supported", "openid"));
    assert_eq!(strings(&doc, "subject_types_supported"), ["pairwise"]);
    assert!(has(
        &doc,
        "token_endpoint_auth_methods_supported",
        "private_key_jwt"
    ));
    assert!(has(
        &doc,
        "token_endpoint_auth_methods_supported",
        "client_secret_basic"
    ));
    assert!(has(
        &doc,
        "token_endpoint_auth_signing_alg_values_supported",
        "RS256"
    ));
    assert!(has(&doc, "claims_supported", "sub"));
    assert_eq!(strings(&doc, "code_challenge_methods_supported"), ["S256"]);
    assert_eq!(
        strings(&doc, "grant_types_supported"),
        ["authorization_code", "refresh_token", "client_credentials"]
    );
    assert_eq!(
        doc["revocation_endpoint"],
        "https://id.example.gov/oidc/revoke"
    );
    assert_eq!(
        doc["introspection_endpoint"],
        "https://id.example.gov/oidc/introspect"
    );
    // A public app may revoke its own tokens; only confidential apps introspect.
    assert!(has(
        &doc,
        "revocation_endpoint_auth_methods_supported",
        "none"
    ));
    assert!(!has(
        &doc,
        "introspection_endpoint_auth_methods_supported",
        "none"
    ));
    assert_eq!(strings(&doc, "acr_values_supported"), assurance::SUPPORTED);
    assert_eq!(doc["request_uri_parameter_supported"], false);
}

#[test]
fn document_never_advertises_weak_options() {
    let mut doc = discovery_document(&metadata(ISSUER));
    // The one place `none` belongs: a public app revoking its own token (RFC 7009 §2.1).
    doc["revocation_endpoint_auth_methods_supported"] = Value::Null;
    let text = doc.to_string();
    for weak in [
        "\"none\"",
        "\"plain\"",
        "HS256",
        "client_secret_post",
        "\"token\"",
        "implicit",
    ] {
        assert!(!text.contains(weak), "{weak} advertised");
    }
}

#[test]
fn openid_and_sub_are_added_and_duplicates_dropped() {
    let mut meta = metadata(ISSUER);
    meta.scopes = vec!["email".into(), "email".into()];
    meta.claims = vec!["email".into()];
    let doc = discovery_document(&meta);
    assert_eq!(strings(&doc, "scopes_supported"), ["openid", "email"]);
    assert_eq!(strings(&doc, "claims_supported"), ["sub", "email"]);
}

#[test]
fn trailing_slash_on_the_issuer_is_not_doubled_and_issuer_is_kept_exactly() {
    let meta = metadata("https://id.example.gov/");
    let doc = discovery_document(&meta);
    assert_eq!(doc["issuer"], "https://id.example.gov/");
    assert_eq!(doc["token_endpoint"], "https://id.example.gov/oidc/token");
    assert_eq!(meta.endpoints().token, "https://id.example.gov/oidc/token");
}

#[test]
fn requested_acr_values_keep_only_supported_ones_in_order() {
    let asked = format!(
        "urn:unknown {} {} {}",
        assurance::AAL2,
        assurance::IAL2,
        assurance::AAL2
    );
    assert_eq!(
        assurance::requested(&asked),
        [assurance::AAL2, assurance::IAL2]
    );
    assert!(assurance::is_supported(assurance::AAL2_PHISHING_RESISTANT));
    assert!(!assurance::is_supported(
        "http://idmanagement.gov/ns/assurance/ial/3"
    ));
}
