//! What one SAML sign-in costs the identity provider's CPU: building and signing a
//! Response (two RSA-3072 signatures: the assertion and the response), and checking a
//! service provider's signed request by each binding (parse, canonicalise, verify).
//!
//! `cargo bench -p sa-saml --bench saml` (release build; a few seconds). Prints the
//! mean time of each operation and how many one core does per second. No network, no
//! database: the rest of a SAML sign-in is the same journey as OpenID Connect's, whose
//! numbers are in BENCHMARKS.md.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a benchmark: a failure is a bug to see

use std::hint::black_box;
use std::time::Instant;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use sa_oidc::{SigningAlg, SigningKey};
use sa_saml::response::{Addressing, Statement};
use sa_saml::xml::Element;
use sa_saml::{ASSERTION_NS, PROTOCOL_NS};

fn measure(name: &str, rounds: u32, mut work: impl FnMut()) {
    work();
    let start = Instant::now();
    for _ in 0..rounds {
        work();
    }
    let each = start.elapsed() / rounds;
    println!(
        "{name:<48} {:>8.3} ms  {:>8.0} per second on one core",
        each.as_secs_f64() * 1000.0,
        1.0 / each.as_secs_f64()
    );
}

fn main() {
    // A fixed instant: the work does not depend on the time, only the clock read would.
    let at = time::macros::datetime!(2026-12-04 10:00:00 UTC);
    let idp_key = SigningKey::generate(SigningAlg::Rs256).unwrap();
    let idp_cert = sa_saml::certificate::self_signed(&idp_key, "idp.example", at).unwrap();
    let sp_key = SigningKey::generate(SigningAlg::Rs256).unwrap();
    let sp_cert = sa_saml::certificate::self_signed(&sp_key, "sp.example", at).unwrap();
    let sp_public = sa_saml::certificate::rsa_public_key(&sp_cert).unwrap();
    let attributes: Vec<(String, Vec<String>)> = [
        ("email", "pat.example@example.test"),
        ("given_name", "Pat"),
        ("family_name", "Example"),
        ("birthdate", "1980-01-31"),
        ("verified_at", "2026-12-04T10:00:00Z"),
    ]
    .iter()
    .map(|(n, v)| ((*n).to_owned(), vec![(*v).to_owned()]))
    .collect();

    measure("signed Response (assertion + response signed)", 200, || {
        let to = Addressing {
            idp_entity_id: "https://idp.example/saml/metadata",
            sp_entity_id: "https://sp.example/saml",
            acs_url: "https://sp.example/acs",
            in_response_to: "_request",
            response_id: "_response",
            now: at,
        };
        let statement = Statement {
            assertion_id: "_assertion",
            name_id: "pairwise-subject-0123456789abcdef0123456789abcdef",
            authn_instant: at,
            session_index: "_session",
            authn_context: sa_oidc::IAL2,
            attributes: &attributes,
        };
        black_box(
            sa_saml::response::signed_response(&to, &statement, &idp_key, &idp_cert).unwrap(),
        );
    });

    let request = Element::new("samlp", PROTOCOL_NS, "AuthnRequest")
        .attr("ID", "_req")
        .attr("Version", "2.0")
        .attr("IssueInstant", "2026-12-04T10:00:00Z")
        .child(Element::new("saml", ASSERTION_NS, "Issuer").text("https://sp.example/saml"));
    let signed = sa_saml::signature::sign_enveloped(request.clone(), "_req", 1, &sp_key, &sp_cert)
        .unwrap()
        .to_canonical();
    measure(
        "HTTP-POST request: parse + verify XML signature",
        500,
        || {
            sa_saml::signature::verify_post(black_box(&signed), std::slice::from_ref(&sp_public))
                .unwrap();
            black_box(sa_saml::request::parse_authn_request(&signed).unwrap());
        },
    );

    let mut encoder =
        flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::default());
    std::io::Write::write_all(&mut encoder, request.to_canonical().as_bytes()).unwrap();
    let encoded = STANDARD.encode(encoder.finish().unwrap());
    let escaped =
        |v: &str| -> String { url::form_urlencoded::byte_serialize(v.as_bytes()).collect() };
    let mut query = format!(
        "SAMLRequest={}&SigAlg={}",
        escaped(&encoded),
        escaped(sa_saml::signature::RSA_SHA256)
    );
    let signature = sp_key.sign_rsa_sha256(query.as_bytes()).unwrap();
    query.push_str(&format!(
        "&Signature={}",
        escaped(&STANDARD.encode(signature))
    ));
    measure(
        "HTTP-Redirect request: inflate + parse + verify",
        500,
        || {
            sa_saml::signature::verify_redirect(
                black_box(&query),
                std::slice::from_ref(&sp_public),
            )
            .unwrap();
            let xml = sa_saml::binding::decode_redirect(&encoded).unwrap();
            black_box(sa_saml::request::parse_authn_request(&xml).unwrap());
        },
    );
}
