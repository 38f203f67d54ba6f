//! Passkeys through the JSON API, with a software authenticator: registration as the
//! first factor, the passkey as the second factor after the password, sign-in with the
//! passkey alone, and the refusals an attacker meets (another origin or RP id, a
//! replayed or expired challenge, a cloned authenticator, another account's credential,
//! a credential registered elsewhere, no user verification).

use reqwest::Method;
use sa_test_support::passkey::SoftPasskey;
use serde_json::{Value, json};

use crate::common::*;
use crate::on_both_databases;

/// Sign up, confirm the email and register `authenticator` as the first factor;
/// returns the signed-in token.
async fn account_with_passkey(
    server: &TestServer,
    client: &reqwest::Client,
    person: &Person,
    authenticator: &mut SoftPasskey,
) -> String {
    let token = sign_up_confirmed(server, client, person).await;
    let (begun, confirmed) = add_passkey(server, client, &token, authenticator).await;
    let options = &begun["options"]["publicKey"];
    assert_eq!(
        options["authenticatorSelection"]["userVerification"],
        "required"
    );
    assert_eq!(options["attestation"], "none");
    assert!(
        options["pubKeyCredParams"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["alg"] == -7),
        "ES256 offered"
    );
    assert_eq!(options["rp"]["id"], "localhost");
    assert_eq!(confirmed["next"], "done");
    confirmed["session_token"].as_str().unwrap().to_owned()
}

/// Password, then passkey options; returns (pending token, options).
async fn password_then_options(
    server: &TestServer,
    client: &reqwest::Client,
    person: &Person,
) -> (String, Value) {
    let started = password_step(server, client, person).await;
    assert_eq!(
        started["methods"][0], "passkey",
        "the passkey is offered first"
    );
    let token = started["session_token"].as_str().unwrap().to_owned();
    let options = call(
        client,
        Method::POST,
        server.url("/api/v1/sessions/passkey"),
        Some(&token),
        None,
        200,
    )
    .await;
    (token, options["options"].clone())
}

async fn answer_second_factor(
    server: &TestServer,
    client: &reqwest::Client,
    token: &str,
    credential: &Value,
    status: u16,
) -> Value {
    call(
        client,
        Method::POST,
        server.url("/api/v1/sessions/second-factor"),
        Some(token),
        Some(json!({"method": "passkey", "credential": credential})),
        status,
    )
    .await
}

async fn passkey_sign_in_works_with_and_without_the_password(backend: Backend) {
    let server = TestServer::start(backend).await;
    let client = api_client();
    let person = Person::new("passkey.person");
    let mut device = SoftPasskey::new(&server.passkey_origin());
    account_with_passkey(&server, &client, &person, &mut device).await;

    let factors = call(
        &client,
        Method::GET,
        server.url("/api/v1/factors"),
        Some(&account_with_passkey_token(&server, &client, &person, &mut device).await),
        None,
        200,
    )
    .await;
    let kinds: Vec<&str> = factors
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["passkey"]);

    // Password, then the passkey: AAL2, phishing-resistant.
    let (pending, options) = password_then_options(&server, &client, &person).await;
    let allowed = options["publicKey"]["allowCredentials"].as_array().unwrap();
    assert_eq!(allowed.len(), 1);
    assert_eq!(options["publicKey"]["userVerification"], "required");
    let verified =
        answer_second_factor(&server, &client, &pending, &device.assert(&options), 200).await;
    assert_eq!(verified["next"], "done");
    assert_eq!(verified["assurance"]["aal"], 2);
    assert_eq!(verified["assurance"]["phishing_resistant"], true);
    let token = verified["session_token"].as_str().unwrap();

    // With no password: the passkey names the account.
    let started = call(
        &client,
        Method::POST,
        server.url("/api/v1/sessions/passwordless"),
        None,
        None,
        200,
    )
    .await;
    assert!(
        started["options"]["publicKey"]["allowCredentials"]
            .as_array()
            .is_none_or(Vec::is_empty),
        "no credentials listed: the browser offers the person's passkeys"
    );
    let answer = device.assert(&started["options"]);
    let body = json!({"challenge_id": started["challenge_id"], "credential": answer});
    let signed_in = call(
        &client,
        Method::POST,
        server.url("/api/v1/sessions/passwordless/confirm"),
        None,
        Some(body.clone()),
        200,
    )
    .await;
    assert_eq!(signed_in["next"], "done");
    assert_eq!(signed_in["assurance"]["phishing_resistant"], true);
    let passwordless_token = signed_in["session_token"].as_str().unwrap();

    // The same answer again: the challenge worked once.
    let replayed = call(
        &client,
        Method::POST,
        server.url("/api/v1/sessions/passwordless/confirm"),
        None,
        Some(body),
        400,
    )
    .await;
    assert_eq!(replayed["error"]["code"], "passkey_refused");
    assert!(
        replayed["error"]["message"]
            .as_str()
            .unwrap()
            .contains("already used")
    );

    // The security history shows both sign-ins by their method.
    let security = call(
        &client,
        Method::GET,
        server.url("/api/v1/account/security"),
        Some(passwordless_token),
        None,
        200,
    )
    .await;
    let methods: Vec<(&str, &str)> = security["recent_logins"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| (l["method"].as_str().unwrap(), l["result"].as_str().unwrap()))
        .collect();
    assert!(
        methods.contains(&("passwordless_passkey", "success")),
        "{methods:?}"
    );
    assert!(methods.contains(&("passkey", "success")), "{methods:?}");
    assert_eq!(security["current_session"]["phishing_resistant"], true);
    let _ = token;
    server.finish().await;
}

/// A second sign-in with the passkey after the password; returns the token.
async fn account_with_passkey_token(
    server: &TestServer,
    client: &reqwest::Client,
    person: &Person,
    device: &mut SoftPasskey,
) -> String {
    let (pending, options) = password_then_options(server, client, person).await;
    let verified =
        answer_second_factor(server, client, &pending, &device.assert(&options), 200).await;
    verified["session_token"].as_str().unwrap().to_owned()
}

async fn refused(
    server: &TestServer,
    client: &reqwest::Client,
    person: &Person,
    answer: impl FnOnce(&Value) -> Value,
) -> String {
    let (pending, options) = password_then_options(server, client, person).await;
    let credential = answer(&options);
    let error = answer_second_factor(server, client, &pending, &credential, 400).await;
    assert_eq!(error["error"]["code"], "passkey_refused");
    error["error"]["message"].as_str().unwrap().to_owned()
}

async fn forged_copied_and_foreign_passkeys_are_refused(backend: Backend) {
    let server = TestServer::start(backend).await;
    let client = api_client();
    let person = Person::new("guarded.person");
    let mut device = SoftPasskey::new(&server.passkey_origin());
    account_with_passkey(&server, &client, &person, &mut device).await;

    // A look-alike site relaying our challenge: its origin is in the client data.
    let mut phished = device.clone();
    phished.origin = "https://secure-access.example-login.test".into();
    let message = refused(&server, &client, &person, |o| phished.assert(o)).await;
    assert!(message.contains("different website"), "{message}");

    // The right origin but another RP id in the authenticator data.
    let mut other_rp = device.clone();
    other_rp.rp_id = "example-login.test".into();
    refused(&server, &client, &person, |o| other_rp.assert(o)).await;

    // No user verification (no PIN or biometrics): refused.
    let mut careless = device.clone();
    careless.verifies_user = false;
    let message = refused(&server, &client, &person, |o| careless.assert(o)).await;
    assert!(message.contains("confirm it's you"), "{message}");

    // A clone: the original moves on, the copy answers with a counter not above it.
    let mut clone = device.clone();
    account_with_passkey_token(&server, &client, &person, &mut device).await;
    let message = refused(&server, &client, &person, |o| clone.assert(o)).await;
    assert!(message.contains("copied"), "{message}");

    // Another account's passkey answering for this one.
    let other = Person::new("other.person");
    let mut others_device = SoftPasskey::new(&server.passkey_origin());
    account_with_passkey(&server, &client, &other, &mut others_device).await;
    let message = refused(&server, &client, &person, |o| others_device.assert(o)).await;
    assert!(
        message.contains("isn't registered to this account"),
        "{message}"
    );

    // An expired challenge (5 minutes), then one used twice.
    let (pending, options) = password_then_options(&server, &client, &person).await;
    server.clock.advance(time::Duration::minutes(6));
    let late =
        answer_second_factor(&server, &client, &pending, &device.assert(&options), 400).await;
    assert!(
        late["error"]["message"]
            .as_str()
            .unwrap()
            .contains("timed out")
    );
    let (pending, options) = password_then_options(&server, &client, &person).await;
    let answer = device.assert(&options);
    answer_second_factor(&server, &client, &pending, &answer, 200).await;
    let (pending, _fresh_options) = password_then_options(&server, &client, &person).await;
    let replay = answer_second_factor(&server, &client, &pending, &answer, 400).await;
    assert_eq!(replay["error"]["code"], "passkey_refused");

    // A credential registered to one account cannot be added to another.
    let third = Person::new("third.person");
    let token = sign_up_confirmed(&server, &client, &third).await;
    let begun = call(
        &client,
        Method::POST,
        server.url("/api/v1/factors/passkeys"),
        Some(&token),
        None,
        201,
    )
    .await;
    let id = begun["factor_id"].as_str().unwrap();
    let mut same_device = device.clone();
    let answer = same_device.register(&begun["options"]);
    let taken = call(
        &client,
        Method::POST,
        server.url(&format!("/api/v1/factors/passkeys/{id}/confirm")),
        Some(&token),
        Some(json!({"credential": answer})),
        400,
    )
    .await;
    assert!(
        taken["error"]["message"]
            .as_str()
            .unwrap()
            .contains("already registered"),
        "{taken}"
    );

    // Every refusal is in the person's sign-in history with its reason.
    let token = account_with_passkey_token(&server, &client, &person, &mut device).await;
    let security = call(
        &client,
        Method::GET,
        server.url("/api/v1/account/security"),
        Some(&token),
        None,
        200,
    )
    .await;
    let failures = security["recent_logins"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| l["method"] == "passkey" && l["result"] == "failure")
        .count();
    assert!(failures >= 7, "{security}");
    let events = security["events"].to_string();
    assert!(events.contains("passkey_refused"), "{events}");
    server.finish().await;
}

async fn bad_passkey_input_is_a_clear_400(backend: Backend) {
    let server = TestServer::start(backend).await;
    let client = api_client();
    let person = Person::new("typo.person");
    let mut device = SoftPasskey::new(&server.passkey_origin());
    account_with_passkey(&server, &client, &person, &mut device).await;
    let (pending, _) = password_then_options(&server, &client, &person).await;
    let missing = call(
        &client,
        Method::POST,
        server.url("/api/v1/sessions/second-factor"),
        Some(&pending),
        Some(json!({"method": "passkey"})),
        400,
    )
    .await;
    assert_eq!(missing["error"]["field"], "credential");
    let garbage = answer_second_factor(&server, &client, &pending, &json!({"id": 5}), 400).await;
    assert_eq!(garbage["error"]["code"], "passkey_refused");
    let unknown = call(
        &client,
        Method::POST,
        server.url("/api/v1/sessions/passwordless/confirm"),
        None,
        Some(json!({"challenge_id": "nope", "credential": device.sign_assertion("AAAA")})),
        400,
    )
    .await;
    assert_eq!(unknown["error"]["code"], "passkey_refused");
    server.finish().await;
}

on_both_databases!(
    passkey_sign_in_works_with_and_without_the_password,
    forged_copied_and_foreign_passkeys_are_refused,
    bad_passkey_input_is_a_clear_400,
);
