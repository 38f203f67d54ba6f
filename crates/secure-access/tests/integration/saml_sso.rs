//! SAML 2.0 single sign-on with a service provider written by someone else (pysaml2,
//! verifying with xmlsec1), on SQLite and PostgreSQL: registration from its metadata
//! at the console, SP-initiated sign-in by HTTP-Redirect and HTTP-POST through the
//! pages (no JavaScript: the last page is a form with a Continue button), consent,
//! step-up to identity verification, and the attacks SAML is known for.

use serde_json::Value;

use crate::common::oidc::*;
use crate::common::pages::between;
use crate::common::saml::{ACS, Posted, ServiceProvider, available, posted_form};
use crate::common::*;
use crate::on_both_databases;

const SP_ENTITY: &str = "https://sp.example.test/saml";

/// Register `sp` at the console with `extra` flags; its client id is its entity id.
async fn register(env: &OidcEnv, sp: &ServiceProvider, extra: &[&str]) {
    let file = sp.metadata_file();
    let mut args = vec![
        "apps",
        "add",
        "--name",
        "Transcripts (SAML)",
        "--saml-metadata",
        &file,
        "--scopes",
        "openid email profile",
    ];
    args.extend_from_slice(extra);
    let (ok, stdout, stderr) = cli(&env.server, &args).await;
    assert!(ok, "apps add --saml-metadata: {stderr}");
    assert!(stdout.contains(&format!("client_id: {}", sp.entity_id)), "{stdout}");
    sp.trust(&env.server).await;
}

/// Follow the browser from the SP's redirect URL to our form page, agreeing on the
/// consent page if it appears; returns what the form posts.
async fn through_pages(env: &OidcEnv, url: &str) -> Posted {
    let response = env.get(url).await;
    assert_eq!(response.status().as_u16(), 200, "{url}");
    let csp = response.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    let page = response.text().await.unwrap();
    let page = if page.contains("Share your information with") {
        assert!(page.contains("Transcripts (SAML)"));
        let request_id = between(&page, "name=\"request_id\" value=\"", "\"").to_owned();
        let (status, answer) = env
            .post_form(
                &page,
                "/oidc/consent",
                &[("request_id", &request_id), ("decision", "allow")],
            )
            .await;
        assert_eq!(status, 200);
        answer
    } else {
        assert!(
            csp.contains(&format!("form-action 'self' {ACS}")),
            "the page may post to the consumer only: {csp}"
        );
        page
    };
    assert!(!page.contains("<script>"), "no inline script on the form page");
    posted_form(&page)
}

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
    let read = sp.consume(&env.server, &posted).expect("the SP accepts our Response");
    assert_eq!(read["issuer"], env.url("/saml/metadata"));
    assert_eq!(read["in_response_to"], login["id"]);
    assert_eq!(
        read["name_id_format"],
        "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent"
    );
    assert_eq!(read["authn_context"], sa_oidc::IAL1);
    assert_eq!(read["attributes"]["email"][0], env.person.email.as_str(), "{read}");
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
    assert_eq!(response.status().as_u16(), 303, "a cross-site POST is kept, then continued");
    let begin = response.headers()["location"].to_str().unwrap().to_owned();
    assert!(begin.starts_with("/saml/sso/begin?request="), "{begin}");
    let posted = through_pages(&env, &begin).await;
    let read: Value = sp.consume(&env.server, &posted).expect("POST binding");
    assert_eq!(read["name_id"], name_id.as_str());

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

on_both_databases!(sign_in_by_redirect_and_post);
