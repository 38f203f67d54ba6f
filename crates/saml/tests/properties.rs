//! Whatever arrives from outside, reading it never panics: AuthnRequests by either
//! binding, service providers' metadata, and request signatures. Each answers `Ok` or
//! an error that names the problem.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed expectation fails the test

use proptest::prelude::*;

fn xmlish() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "<samlp:AuthnRequest xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\" ",
        "xmlns:saml=\"urn:oasis:names:tc:SAML:2.0:assertion\" ",
        "ID=\"_a\" Version=\"2.0\" IssueInstant=\"2026-12-04T10:00:00Z\">",
        "<saml:Issuer>",
        "</saml:Issuer>",
        "<!--c-->",
        "<![CDATA[x]]>",
        "&amp;",
        "&#0;",
        "<saml:Subject><saml:NameID>n</saml:NameID></saml:Subject>",
        "<ds:Signature xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\">",
        "</ds:Signature>",
        "</samlp:AuthnRequest>",
        "<!DOCTYPE x>",
        "<?pi x?>",
        "\u{feff}",
        "é",
        ">",
        "<",
        "\"",
    ]);
    prop::collection::vec(pieces, 0..24).prop_map(|parts| parts.concat())
}

proptest! {
    #[test]
    fn reading_requests_never_panics(xml in xmlish(), noise in ".{0,64}") {
        let _ = sa_saml::request::parse_authn_request(&xml);
        let _ = sa_saml::request::parse_authn_request(&format!("{xml}{noise}"));
        let _ = sa_saml::signature::verify_post(&xml, &[]);
        let _ = sa_saml::metadata::parse_service_provider(&xml);
    }

    #[test]
    fn decoding_bindings_never_panics(encoded in ".{0,256}", query in "[A-Za-z=&%0-9+/]{0,256}") {
        let _ = sa_saml::binding::decode_redirect(&encoded);
        let _ = sa_saml::binding::decode_post(&encoded);
        let _ = sa_saml::signature::verify_redirect(&query, &[]);
        let _ = sa_saml::signature::redirect_is_signed(&query);
    }
}
