//! SAML 2.0 single sign-on with a service provider written by someone else (pysaml2,
//! verifying with xmlsec1), on SQLite and PostgreSQL: SP-initiated sign-in by HTTP-Redirect and HTTP-POST through the
//! pages (no JavaScript: the last page is a form with a Continue button), consent,
//! step-up to identity verification, and the attacks SAML is known for.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::Value;

use crate::common::oidc::*;
use crate::common::pages::between;
use crate::common::saml::{
    ACS, Posted, SP_ENTITY, ServiceProvider, available, crafted, decoded, posted_form, register,
    request_xml, through_pages,
};
use crate::common::*;
use crate::on_both_databases;

async fn sign_in_by_redirect_and_post(backend: Backend) {
    if !available() {
        return;
    }
    let env = OidcEnv::start(backend).await;
    let sp = ServiceProvider::new(SP_ENTITY, false);
    register(&env, &sp, &[]).await;

    // HTTP-Redirect, first time: consent, then the form to the consumer.
    let login = sp.login(&env.server, &["--relay-state", "/after?x=1&y=2"]);
    let url = login["url"].as_str().unwrap();
    assert!(url.starts_with(&env.url("/saml/sso?SAMLRequest=")), "{url}");
    let posted = through_pages(&env, url).await;
    assert_eq!(posted.action, ACS);
    assert_eq!(posted.relay_state.as_deref(), Some("/after?x=1&y=2"));
    let read = sp
        .consume(&env.server, &posted)
        .expect("the SP accepts our Response");
    assert_eq!(read["issuer"], env.url("/saml/metadata"));
    assert_eq!(read["in_response_to"], login["id"]);
    assert_eq!(
        read["name_id_format"],
        "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent"
    );
    assert_eq!(read["authn_context"], sa_oidc::IAL1);
    assert_eq!(
        read["attributes"]["email"][0],
        env.person.email.as_str(),
        "{read}"
    );
    let name_id = read["name_id"].as_str().unwrap().to_owned();
    assert!(name_id.len() >= 40 && !name_id.contains(&env.person.username));

    // The same Response again is a replay: the SP has no such request outstanding.
    let replay = sp.consume(&env.server, &posted);
    assert!(replay.is_err(), "a replayed Response was accepted");

    // The same AuthnRequest again is refused by us, on a page, not posted anywhere.
    let again = env.get(url).await;
    assert_eq!(again.status().as_u16(), 400);
    assert!(again.text().await.unwrap().contains("already used"));

    // HTTP-POST, consented already: straight to the form, same pairwise NameID.
    let login = sp.login(&env.server, &["--binding", "post"]);
    let response = env
        .browser
        .post(login["action"].as_str().unwrap())
        .form(&[
            ("SAMLRequest", login["SAMLRequest"].as_str().unwrap()),
            ("RelayState", login["RelayState"].as_str().unwrap()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(
        response.status().as_u16(),
        303,
        "a cross-site POST is kept, then continued"
    );
    let begin = response.headers()["location"].to_str().unwrap().to_owned();
    assert!(begin.starts_with("/saml/sso/begin?request="), "{begin}");
    let posted = through_pages(&env, &begin).await;
    let read: Value = sp.consume(&env.server, &posted).expect("POST binding");
    assert_eq!(read["name_id"], name_id.as_str());

    // An SP may ask about one person (a Subject): the answer is about them, or a
    // refusal if someone else is signed in here.
    for (id, asked, granted) in [
        ("_s1", name_id.as_str(), true),
        ("_s2", "someone-else", false),
    ] {
        let xml = request_xml(&env.server, id, SP_ENTITY, ACS).replace(
            "</saml:Issuer>",
            &format!(
                "</saml:Issuer><saml:Subject><saml:NameID>{asked}</saml:NameID></saml:Subject>"
            ),
        );
        let page = env.get_text(&crafted(&env.server, &xml)).await;
        let posted = posted_form(&page);
        let answer = posted.xml();
        assert_eq!(answer.contains("status:Success"), granted, "{answer}");
        assert_eq!(
            answer.contains("status:UnknownPrincipal"),
            !granted,
            "{answer}"
        );
    }

    // Another SP sees another NameID for the same person.
    let other = ServiceProvider::new("https://other-sp.example.test/saml", false);
    register(&env, &other, &[]).await;
    let login = other.login(&env.server, &[]);
    let posted = through_pages(&env, login["url"].as_str().unwrap()).await;
    let read = other.consume(&env.server, &posted).expect("other SP");
    assert_ne!(read["name_id"], name_id.as_str());

    // `apps show` says what the metadata said.
    let (ok, shown, _) = cli(&env.server, &["apps", "show", SP_ENTITY]).await;
    assert!(ok);
    assert!(shown.contains(&format!("redirect_uris: {ACS}")), "{shown}");
    assert!(shown.contains("saml: 1 consumer(s)"), "{shown}");
    env.finish().await;
}

/// Our answer to a request that must end on an error page: 400, naming the problem.
async fn refused_on_a_page(env: &OidcEnv, url: &str, names: &str) {
    let response = env.get(url).await;
    assert_eq!(response.status().as_u16(), 400, "{url}");
    let page = response.text().await.unwrap();
    assert!(page.contains(names), "expected {names:?} in {page}");
    assert!(!page.contains("SAMLResponse"), "nothing is posted anywhere");
}

async fn signed_requests_are_required_and_checked(backend: Backend) {
    if !available() {
        return;
    }
    let env = OidcEnv::start(backend).await;
    let sp = ServiceProvider::new(SP_ENTITY, true);
    register(&env, &sp, &[]).await;

    // Signed over the query string by the registered key: accepted.
    let login = sp.login(&env.server, &[]);
    let url = login["url"].as_str().unwrap().to_owned();
    assert!(
        url.contains("&SigAlg=") && url.contains("&Signature="),
        "{url}"
    );
    let posted = through_pages(&env, &url).await;
    sp.consume(&env.server, &posted).expect("a signed request");

    // The same request without its signature.
    let login = sp.login(&env.server, &[]);
    let url = login["url"].as_str().unwrap();
    let unsigned = &url[..url.find("&SigAlg=").unwrap()];
    refused_on_a_page(&env, unsigned, "must sign").await;

    // Its RelayState changed after signing.
    let login = sp.login(&env.server, &["--relay-state", "/reports"]);
    let url = login["url"].as_str().unwrap();
    let tampered = url.replace("RelayState=%2Freports", "RelayState=%2Fevil");
    assert_ne!(tampered, url);
    refused_on_a_page(&env, &tampered, "signature is not valid").await;

    // Signed by a key that is not the registered one (an impostor using its entity id).
    let impostor = ServiceProvider::new(SP_ENTITY, true);
    impostor.trust(&env.server).await;
    let login = impostor.login(&env.server, &[]);
    refused_on_a_page(
        &env,
        login["url"].as_str().unwrap(),
        "signature is not valid",
    )
    .await;

    // HTTP-POST: the SP's XML signature (made by xmlsec1) is checked by our own
    // exclusive canonicalisation: accepted as signed, refused once changed.
    let post = |saml_request: String| {
        env.browser
            .post(env.url("/saml/sso"))
            .form(&[("SAMLRequest", saml_request)])
            .send()
    };
    let login = sp.login(&env.server, &["--binding", "post"]);
    let signed = login["SAMLRequest"].as_str().unwrap().to_owned();
    let xml = decoded(&signed);
    assert!(
        xml.contains("SignatureValue"),
        "pysaml2 signed the POST request"
    );
    let response = post(signed).await.unwrap();
    assert_eq!(response.status().as_u16(), 303);
    let begin = response.headers()["location"].to_str().unwrap().to_owned();
    let posted = through_pages(&env, &begin).await;
    sp.consume(&env.server, &posted)
        .expect("a signed POST request");

    let login = sp.login(&env.server, &["--binding", "post", "--force"]);
    let xml = decoded(login["SAMLRequest"].as_str().unwrap());
    let changed = xml.replace("ForceAuthn=\"true\"", "ForceAuthn=\"false\"");
    assert_ne!(changed, xml);
    let response = post(STANDARD.encode(changed)).await.unwrap();
    assert_eq!(response.status().as_u16(), 400);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("signature is not valid")
    );

    // Without its signature, refused for this SP.
    let start = xml.find(":Signature ").unwrap();
    let start = xml[..start].rfind('<').unwrap();
    let close = xml[start..].find(":Signature>").unwrap() + start + ":Signature>".len();
    let unsigned = format!("{}{}", &xml[..start], &xml[close..]);
    let response = post(STANDARD.encode(unsigned)).await.unwrap();
    assert_eq!(response.status().as_u16(), 400);
    assert!(response.text().await.unwrap().contains("must sign"));
    env.finish().await;
}

/// Rewrite the Response's XML and encode it again for the SP.
fn rewritten(posted: &Posted, edit: impl Fn(&str) -> String) -> Posted {
    let xml = posted.xml();
    let changed = edit(&xml);
    assert_ne!(changed, xml, "the edit changed nothing");
    Posted {
        saml_response: STANDARD.encode(changed),
        ..posted.clone()
    }
}

fn element<'a>(xml: &'a str, open: &str, close: &str) -> &'a str {
    let start = xml.find(open).unwrap();
    let end = xml[start..].find(close).unwrap() + start + close.len();
    &xml[start..end]
}

async fn tampered_responses_are_refused_by_the_sp(backend: Backend) {
    if !available() {
        return;
    }
    let env = OidcEnv::start(backend).await;
    let sp = ServiceProvider::new(SP_ENTITY, false);
    register(&env, &sp, &[]).await;
    let login = sp.login(&env.server, &[]);
    let posted = through_pages(&env, login["url"].as_str().unwrap()).await;
    let xml = posted.xml();
    let name_id = between(
        &xml,
        "SPNameQualifier=\"https://sp.example.test/saml\">",
        "<",
    )
    .to_owned();

    // Another person's NameID in the signed assertion.
    let other_person = rewritten(&posted, |x| x.replace(&name_id, "someone-else"));
    assert!(sp.consume(&env.server, &other_person).is_err());

    // Signature wrapping: the Response's signature removed, and an unsigned assertion
    // for someone else put before the signed one.
    let wrapped = rewritten(&posted, |x| {
        let response_signature = element(x, "<ds:Signature", "</ds:Signature>");
        let signed_assertion = element(x, "<saml:Assertion", "</saml:Assertion>");
        let assertion_signature = element(signed_assertion, "<ds:Signature", "</ds:Signature>");
        let evil = signed_assertion
            .replace(assertion_signature, "")
            .replace(&name_id, "someone-else")
            .replacen("ID=\"_", "ID=\"_evil", 1);
        x.replacen(response_signature, "", 1).replacen(
            "<saml:Assertion",
            &format!("{evil}<saml:Assertion"),
            1,
        )
    });
    assert!(sp.consume(&env.server, &wrapped).is_err());

    // The same wrapping with the Response's signature kept: it no longer matches.
    let wrapped_signed = rewritten(&posted, |x| {
        let signed_assertion = element(x, "<saml:Assertion", "</saml:Assertion>");
        let assertion_signature = element(signed_assertion, "<ds:Signature", "</ds:Signature>");
        let evil = signed_assertion
            .replace(assertion_signature, "")
            .replace(&name_id, "someone-else")
            .replacen("ID=\"_", "ID=\"_evil", 1);
        x.replacen("<saml:Assertion", &format!("{evil}<saml:Assertion"), 1)
    });
    assert!(sp.consume(&env.server, &wrapped_signed).is_err());

    // A comment inside the NameID survives canonicalisation, so the signature still
    // verifies; the SP reads the whole name, not the part before the comment (the 2018
    // comment-truncation attack). Accepting this one also shows the refusals above were
    // the edits', since the signatures are otherwise intact.
    let (head, tail) = name_id.split_at(10);
    let commented = rewritten(&posted, |x| {
        x.replace(&name_id, &format!("{head}<!---->{tail}"))
    });
    let read = sp
        .consume(&env.server, &commented)
        .expect("signatures intact");
    assert_eq!(
        read["name_id"],
        name_id.as_str(),
        "the SP read a truncated NameID"
    );
    env.finish().await;
}

async fn step_up_passive_and_refusals(backend: Backend) {
    if !available() {
        return;
    }
    let env = OidcEnv::start(backend).await;
    let sp = ServiceProvider::new(SP_ENTITY, false);
    register(&env, &sp, &[]).await;
    let verified_sp = ServiceProvider::new("https://verified-sp.example.test/saml", false);
    register(&env, &verified_sp, &["--identity-level", "2"]).await;

    // An SP registered for IAL2, or a request for IAL2: identity verification first.
    for (sp, extra) in [
        (&verified_sp, vec![]),
        (&sp, vec!["--context", sa_oidc::IAL2]),
    ] {
        let login = sp.login(&env.server, &extra);
        let response = env.get(login["url"].as_str().unwrap()).await;
        assert_eq!(response.status().as_u16(), 303);
        assert_eq!(response.headers()["location"], "/verify/identity");
    }

    // ForceAuthn: sign in again even though signed in.
    let login = sp.login(&env.server, &["--force"]);
    let response = env.get(login["url"].as_str().unwrap()).await;
    assert_eq!(response.status().as_u16(), 303);
    assert_eq!(response.headers()["location"], "/sign-in");
    env.sign_in_browser().await;

    // Declining to share goes back to the SP as a refusal it can read.
    let login = sp.login(&env.server, &[]);
    let page = env.get_text(login["url"].as_str().unwrap()).await;
    let (status, page) = env.answer_consent(&page, "deny").await;
    assert_eq!(status, 200);
    assert!(
        page.contains("You are not signed in to Transcripts (SAML)"),
        "{page}"
    );
    let refusal = sp.consume(&env.server, &posted_form(&page)).unwrap_err();
    assert!(
        refusal.contains("RequestDenied") || refusal.contains("status"),
        "{refusal}"
    );

    // A context we do not offer: NoAuthnContext, to the SP.
    let login = sp.login(
        &env.server,
        &[
            "--context",
            "urn:oasis:names:tc:SAML:2.0:ac:classes:Kerberos",
        ],
    );
    let page = env.get_text(login["url"].as_str().unwrap()).await;
    let xml = posted_form(&page).xml();
    assert!(xml.contains("status:NoAuthnContext"), "{xml}");

    // IsPassive for someone not signed in: NoPassive, never a sign-in page.
    let stranger = browser("Mozilla/5.0 (not signed in)");
    let login = sp.login(&env.server, &["--passive"]);
    let response = stranger
        .get(login["url"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    let page = response.text().await.unwrap();
    let xml = posted_form(&page).xml();
    assert!(
        xml.contains("status:NoPassive") && !xml.contains("Assertion"),
        "{xml}"
    );

    // What no SP library would send: each refused on a page, nothing posted.
    let cases = [
        (
            request_xml(&env.server, "_u1", "https://unknown.example.test/saml", ACS),
            "not registered",
        ),
        (
            request_xml(
                &env.server,
                "_u2",
                SP_ENTITY,
                "https://evil.example.test/acs",
            ),
            "has not registered",
        ),
        (
            request_xml(&env.server, "_u3", &format!("{SP_ENTITY}<!---->"), ACS),
            "comment",
        ),
        (
            format!(
                "<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>{}",
                request_xml(&env.server, "_u4", SP_ENTITY, ACS)
            ),
            "DTD",
        ),
        (
            request_xml(&env.server, "_u5", SP_ENTITY, ACS).replace("Version=\"2.0\"", ""),
            "version",
        ),
    ];
    for (xml, names) in cases {
        refused_on_a_page(&env, &crafted(&env.server, &xml), names).await;
    }
    refused_on_a_page(&env, &env.url("/saml/sso"), "SAMLRequest is missing").await;
    refused_on_a_page(&env, &env.url("/saml/sso?SAMLRequest=%%%"), "malformed").await;

    // A request kept too long before it reached us.
    let login = sp.login(&env.server, &[]);
    env.server.clock.advance(time::Duration::minutes(11));
    refused_on_a_page(&env, login["url"].as_str().unwrap(), "too old").await;
    env.finish().await;
}

on_both_databases!(
    sign_in_by_redirect_and_post,
    signed_requests_are_required_and_checked,
    tampered_responses_are_refused_by_the_sp,
    step_up_passive_and_refusals,
);
