//! The journeys a person takes, clicked through in Chromium, each once with JavaScript
//! and once without (the pages need none, so both must end the same way): proofing
//! online, proofing by mail then an authenticator app, signing in with a backup code
//! and with a texted code, and single sign-on into an app.

use serde_json::Value;

use crate::common::app::RelyingApp;
use crate::common::applicant::{self, *};
use crate::common::*;
use crate::driver::*;

/// From the home page: create an account and confirm the email with the emailed code.
/// Leaves the browser wherever confirming leads.
pub async fn sign_up_with_pages(server: &TestServer, b: &mut Browser, person: &Person) {
    b.goto("/").await;
    b.arrive("/", "home").await;
    b.follow("Create an account").await;
    b.arrive("/sign-up", "sign-up").await;
    let mark = server.outbox_mark();
    b.fill("username", &person.username).await;
    b.fill("email", &person.email).await;
    b.fill("password", &person.password).await;
    b.press("Create account").await;
    b.arrive("/sign-up/confirm-email", "confirm-email").await;
    let code = server.code_after(mark, &person.email).await;
    b.fill("code", &code).await;
    b.press("Confirm").await;
}

/// From the home page: username and password; leaves the browser on the second step.
pub async fn sign_in_with_password(b: &mut Browser, person: &Person) {
    b.goto("/").await;
    b.arrive("/", "home").await;
    b.follow("Sign in").await;
    b.arrive("/sign-in", "sign-in").await;
    b.fill("username", &person.username).await;
    b.fill("password", &person.password).await;
    b.press("Sign in").await;
    b.arrive("/sign-in/second-factor", "second-factor").await;
}

/// Fill the identity form as the applicant and send it.
async fn enter_identity(b: &mut Browser, street: &str) {
    enter_identity_pressing(b, street, "Continue").await;
}

/// Fill the identity form and send it with the button labelled `button`.
pub async fn enter_identity_pressing(b: &mut Browser, street: &str, button: &str) {
    for (id, value) in IDENTITY_FIELDS {
        b.fill(id, if id == "street" { street } else { value })
            .await;
    }
    for (id, value) in IDENTITY_CHOICES {
        b.choose(id, value).await;
    }
    b.choose("filing_status", FILING_STATUS).await;
    b.press(button).await;
}

async fn proofs_online_with_a_texted_code(js: Js) {
    let Some(tools) = tools() else { return };
    let server =
        TestServer::start_with(Backend::Sqlite, |c| c.require_identity_verification = true).await;
    applicant::load_records(&server).await;
    let mut b = Browser::start(&tools, &server.base, "proofing-online", js).await;
    let person = Person::new("online.applicant");

    sign_up_with_pages(&server, &mut b, &person).await;
    b.arrive("/verify/identity", "identity").await;
    enter_identity(&mut b, "123 Example Street").await;
    b.arrive("/verify/financial-account", "financial-account")
        .await;
    b.choose("kind", "credit_card").await;
    b.fill("account_number", CARD_LAST_8).await;
    b.press("Continue").await;
    b.arrive("/verify/phone", "phone").await;
    let mark = server.outbox_mark();
    b.fill("phone", "(202) 555-0143").await;
    b.press("Text me a code").await;
    b.arrive("/verify/phone/confirm", "phone-code").await;
    let code = server.code_after(mark, OWN_MOBILE).await;
    b.fill("code", &code).await;
    b.press("Verify").await;
    b.arrive("/account/security", "security").await;
    b.says("Identity verified online").await;

    b.finish().await;
    server.finish().await;
}

async fn proofs_by_mail_then_signs_in_with_an_authenticator_app(js: Js) {
    let Some(tools) = tools() else { return };
    let server =
        TestServer::start_with(Backend::Sqlite, |c| c.require_identity_verification = true).await;
    applicant::load_records(&server).await;
    let mut b = Browser::start(&tools, &server.base, "proofing-by-mail", js).await;
    let person = Person::new("mail.applicant");

    sign_up_with_pages(&server, &mut b, &person).await;
    b.arrive("/verify/identity", "identity").await;
    enter_identity(&mut b, "123 Example St").await;
    b.arrive("/verify/financial-account", "financial-account")
        .await;
    b.choose("kind", "mortgage").await;
    b.fill("account_number", MORTGAGE).await;
    b.press("Continue").await;
    b.arrive("/verify/phone", "phone").await;
    // A landline in their name is not a mobile: no match, and a letter is offered.
    b.fill("phone", OWN_LANDLINE).await;
    b.press("Text me a code").await;
    b.arrive("/verify/phone", "phone-not-matched").await;
    b.says("We couldn't verify that").await;
    b.press("Mail me an activation code instead").await;
    b.arrive("/verify/mail/confirm?sent=1", "letter-sent").await;

    // The print run puts the code on paper; the person types it in.
    let printed = secure_access::commands::letters::print(
        &server.config,
        std::sync::Arc::new(server.clock.clone()),
    )
    .await
    .expect("print");
    assert_eq!(printed.letters, 1);
    let letter = server.letters(1).await.remove(0);
    let code = letter["code"].as_str().expect("letter code").to_owned();
    b.fill("code", &code).await;
    b.press("Verify").await;

    // Verified by mail: now the first way to sign in, an authenticator app.
    b.arrive("/second-factor/setup", "choose-second-factor")
        .await;
    b.press("Set up an authenticator app").await;
    b.arrive("/second-factor/setup/totp/*", "authenticator-app")
        .await;
    let secret = b.text_of(".sa-secret code").await;
    assert!(secret.len() >= 16, "a base32 secret on the page: {secret}");
    b.fill("code", &server.totp_now(&secret)).await;
    b.press("Confirm").await;
    b.arrive("/account/security", "security").await;
    b.says("Identity verified with the activation code mailed to you")
        .await;
    b.says("Authenticator app").await;

    b.press("Sign out").await;
    b.arrive("/", "signed-out").await;
    server.next_totp_step();
    sign_in_with_password(&mut b, &person).await;
    // A wrong code first: the error is tied to the field, then the right one.
    b.fill("totp-code", "000000").await;
    b.press("Continue").await;
    b.arrive("/sign-in/second-factor", "wrong-app-code").await;
    crate::errors::assert_errors_tied(&b, &["totp-code"]).await;
    b.fill("totp-code", &server.totp_now(&secret)).await;
    b.press("Continue").await;
    b.arrive("/account/security", "security-signed-in").await;
    b.says("Recent sign-ins").await;

    b.finish().await;
    server.finish().await;
}

async fn signs_in_with_a_backup_code_and_with_a_texted_code(js: Js) {
    let Some(tools) = tools() else { return };
    let server = TestServer::start_with(Backend::Sqlite, |_| {}).await;
    let person = Person::new("spare.codes");
    let phone = "+12025550177";
    let codes = api_account_with_phone_and_backup_codes(&server, &person, phone).await;
    let mut b = Browser::start(&tools, &server.base, "backup-and-text", js).await;

    sign_in_with_password(&mut b, &person).await;
    b.says("Backup code").await;
    b.fill("backup_code-code", &codes[0]).await;
    b.press_in_form_with("backup_code-code", "Continue").await;
    b.arrive("/account/security", "security-after-backup-code")
        .await;
    b.press("Sign out").await;
    b.arrive("/", "signed-out").await;

    sign_in_with_password(&mut b, &person).await;
    let mark = server.outbox_mark();
    b.press("Text me a code").await;
    b.arrive("/sign-in/second-factor?sent=1", "code-texted")
        .await;
    let code = server.code_after(mark, phone).await;
    b.fill("sms-code", &code).await;
    b.press_in_form_with("sms-code", "Continue").await;
    b.arrive("/account/security", "security-after-text").await;
    b.says("Recent sign-ins").await;

    b.finish().await;
    server.finish().await;
}

const CLIENT_ID: &str = "example-eservices";
const CLIENT_SECRET: &str = "a-long-random-client-secret-for-browser-tests-0123456789";
/// A PKCE verifier and its S256 challenge (base64url of its SHA-256, computed once).
const PKCE_VERIFIER: &str = "browser-tests-pkce-verifier-0123456789-abcdefghijkl";
const PKCE_CHALLENGE: &str = "XvV450qTXnxhmPtzq11dAUsO9XuxXvLT-qewmQDi5jM";

/// The app's authorization request, as the link a person follows from the app.
fn authorization_url(server: &TestServer, callback: &str, state: &str) -> String {
    let mut url = reqwest::Url::parse(&server.url("/oidc/authorize")).expect("url");
    url.query_pairs_mut()
        .append_pair("response_type", "code")
        .append_pair("client_id", CLIENT_ID)
        .append_pair("redirect_uri", callback)
        .append_pair("scope", "openid email")
        .append_pair("state", state)
        .append_pair("nonce", &format!("nonce-{state}"))
        .append_pair("code_challenge", PKCE_CHALLENGE)
        .append_pair("code_challenge_method", "S256");
    url.into()
}

/// Wait for the browser to come back to the app with `state`; the code it brought.
async fn back_at_the_app(b: &mut Browser, app: &RelyingApp, state: &str, shot: &str) -> String {
    let Some(answer) = app.callback_with_state(state).await else {
        b.screenshot("not-back-at-the-app").await;
        panic!(
            "the browser never reached the app; it shows {}; the browser's console says:\n{}",
            b.current_url().await,
            b.console().await.join("\n")
        );
    };
    let url = b.current_url().await;
    assert!(url.starts_with(&app.callback()), "back at the app: {url}");
    b.screenshot(shot).await;
    answer.get("code").expect("an authorization code").clone()
}

/// The app redeems the code with its secret, as a real one would; the ID token.
async fn redeem(server: &TestServer, callback: &str, code: &str) -> String {
    let answer = api_client()
        .post(server.url("/oidc/token"))
        .basic_auth(CLIENT_ID, Some(CLIENT_SECRET))
        .form(&[
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", callback),
            ("code_verifier", PKCE_VERIFIER),
        ])
        .send()
        .await
        .expect("token request");
    let status = answer.status().as_u16();
    let tokens: Value = answer.json().await.expect("token JSON");
    assert_eq!(status, 200, "token exchange: {tokens}");
    tokens["id_token"].as_str().expect("an ID token").to_owned()
}

async fn signs_in_to_an_app_with_single_sign_on(js: Js) {
    let Some(tools) = tools() else { return };
    let app = RelyingApp::start().await;
    let callback = app.callback();
    let signed_out = app.signed_out();
    let server = TestServer::start_with(Backend::Sqlite, |config| {
        config.apps = vec![secure_access::config::AppConfig {
            client_id: CLIENT_ID.to_owned(),
            name: "Example eServices".to_owned(),
            redirect_uris: vec![callback.clone()],
            post_logout_redirect_uris: vec![signed_out.clone()],
            auth_method: "client_secret_basic".to_owned(),
            client_secret: Some(secure_access::config::Secret::new(CLIENT_SECRET)),
            scopes: ["openid", "email"]
                .iter()
                .map(|s| (*s).to_owned())
                .collect(),
            ..Default::default()
        }];
    })
    .await;
    let person = Person::new("sso.person");
    let secret = api_account_with_totp(&server, &person).await;
    let mut b = Browser::start(&tools, &server.base, "single-sign-on", js).await;

    // First visit: sign in, agree to share, back at the app with a code.
    b.goto(&authorization_url(&server, &callback, "first-visit"))
        .await;
    b.arrive("/sign-in", "sign-in").await;
    b.fill("username", &person.username).await;
    b.fill("password", &person.password).await;
    b.press("Sign in").await;
    b.arrive("/sign-in/second-factor", "second-factor").await;
    b.fill("totp-code", &server.totp_now(&secret)).await;
    b.press("Continue").await;
    b.arrive("/oidc/authorize/resume*", "consent").await;
    b.says("Share your information with Example eServices?")
        .await;
    b.says("Your email address").await;
    b.press("Allow and continue").await;
    let code = back_at_the_app(&mut b, &app, "first-visit", "back-at-the-app").await;
    redeem(&server, &callback, &code).await;

    // The security page lists the app; sign out there.
    b.goto("/account/security").await;
    b.arrive("/account/security", "security-lists-the-app")
        .await;
    b.says("Example eServices").await;
    b.press("Sign out").await;
    b.arrive("/", "signed-out").await;

    // Next visit: signing in leads straight back to the app (consent remembered).
    server.next_totp_step();
    b.goto(&authorization_url(&server, &callback, "next-visit"))
        .await;
    b.arrive("/sign-in", "sign-in-again").await;
    b.fill("username", &person.username).await;
    b.fill("password", &person.password).await;
    b.press("Sign in").await;
    b.arrive("/sign-in/second-factor", "second-factor-again")
        .await;
    b.fill("totp-code", &server.totp_now(&secret)).await;
    b.press("Continue").await;
    let code = back_at_the_app(&mut b, &app, "next-visit", "back-at-the-app-again").await;
    redeem(&server, &callback, &code).await;

    // The app's sign-out link without an ID token: Secure Access asks first, then
    // sends the browser back to the app's registered signed-out page.
    let mut logout = reqwest::Url::parse(&server.url("/oidc/logout")).expect("url");
    logout
        .query_pairs_mut()
        .append_pair("client_id", CLIENT_ID)
        .append_pair("post_logout_redirect_uri", &signed_out)
        .append_pair("state", "bye");
    b.goto(logout.as_str()).await;
    b.arrive("/oidc/logout*", "sign-out-confirmation").await;
    b.says("Sign out of Secure Access?").await;
    b.press("Yes, sign me out").await;
    assert!(
        app.signed_out_with_state("bye").await,
        "back at the app's signed-out page; the browser shows {}",
        b.current_url().await
    );
    b.goto("/account/security").await;
    b.arrive("/sign-in", "signed-out-of-secure-access").await;

    b.finish().await;
    server.finish().await;
}

const SAML_SP: &str = "https://saml-app.example.test/sp";

/// An AuthnRequest by HTTP-Redirect, as the link a person follows from a SAML app.
fn saml_request_url(server: &TestServer, id: &str, acs: &str) -> String {
    use base64::Engine;
    use std::io::Write;
    let now = server
        .clock_now()
        .format(&time::format_description::well_known::Rfc3339)
        .expect("time");
    let xml = format!(
        r#"<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="{id}" Version="2.0" IssueInstant="{now}" AssertionConsumerServiceURL="{acs}" ProtocolBinding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST"><saml:Issuer>{SAML_SP}</saml:Issuer></samlp:AuthnRequest>"#
    );
    let mut encoder =
        flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(xml.as_bytes()).expect("deflate");
    let encoded =
        base64::engine::general_purpose::STANDARD.encode(encoder.finish().expect("deflate"));
    let mut url = reqwest::Url::parse(&server.url("/saml/sso")).expect("url");
    url.query_pairs_mut()
        .append_pair("SAMLRequest", &encoded)
        .append_pair("RelayState", "/after-sign-in");
    url.into()
}

/// SP-initiated SAML sign-in in a real browser: the last page is a form the person
/// submits to the app's consumer (our CSP must allow exactly that), with and without
/// JavaScript.
async fn signs_in_to_a_saml_app(js: Js) {
    let Some(tools) = tools() else { return };
    let app = RelyingApp::start().await;
    let acs = format!("{}/acs", app.base);
    let metadata = format!(
        r#"<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="{SAML_SP}"><md:SPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"><md:AssertionConsumerService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="{acs}" index="0"/></md:SPSSODescriptor></md:EntityDescriptor>"#
    );
    let server = TestServer::start_with(Backend::Sqlite, |config| {
        config.apps = vec![secure_access::config::AppConfig {
            name: "Example SAML app".to_owned(),
            scopes: ["openid", "email"]
                .iter()
                .map(|s| (*s).to_owned())
                .collect(),
            saml_metadata: Some(metadata),
            ..Default::default()
        }];
    })
    .await;
    let person = Person::new("saml.person");
    let secret = api_account_with_totp(&server, &person).await;
    let mut b = Browser::start(&tools, &server.base, "saml-single-sign-on", js).await;

    b.goto(&saml_request_url(&server, "_browser-request-1", &acs))
        .await;
    b.arrive("/sign-in", "saml-sign-in").await;
    b.fill("username", &person.username).await;
    b.fill("password", &person.password).await;
    b.press("Sign in").await;
    b.arrive("/sign-in/second-factor", "saml-second-factor")
        .await;
    b.fill("totp-code", &server.totp_now(&secret)).await;
    b.press("Continue").await;
    b.arrive("/oidc/authorize/resume*", "saml-consent").await;
    b.says("Share your information with Example SAML app?")
        .await;
    b.press("Allow and continue").await;
    b.arrive("/oidc/consent", "saml-return-to-the-app").await;
    b.says("You are signed in. Select Continue to return to Example SAML app.")
        .await;
    b.press("Continue").await;
    let Some(form) = app.form_posted_to("/acs").await else {
        b.screenshot("not-posted-to-the-app").await;
        panic!(
            "the browser never posted to the app; it shows {}; console:\n{}",
            b.current_url().await,
            b.console().await.join("\n")
        );
    };
    assert_eq!(
        form.get("RelayState").map(String::as_str),
        Some("/after-sign-in")
    );
    use base64::Engine;
    let xml = base64::engine::general_purpose::STANDARD
        .decode(form.get("SAMLResponse").expect("SAMLResponse"))
        .expect("base64");
    let xml = String::from_utf8(xml).expect("utf-8");
    assert!(xml.contains("InResponseTo=\"_browser-request-1\""), "{xml}");
    assert!(xml.contains("urn:oasis:names:tc:SAML:2.0:status:Success"));
    assert!(xml.contains(&person.email), "the email attribute");

    b.finish().await;
    server.finish().await;
}

crate::with_and_without_javascript!(
    signs_in_to_a_saml_app,
    proofs_online_with_a_texted_code,
    proofs_by_mail_then_signs_in_with_an_authenticator_app,
    signs_in_with_a_backup_code_and_with_a_texted_code,
    signs_in_to_an_app_with_single_sign_on,
);
