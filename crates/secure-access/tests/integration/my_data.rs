//! A person downloads their own data (ASVS 8.3.2), over the API and from the security
//! page's link, on SQLite and PostgreSQL: everything kept about the account is in it,
//! opened for them, and no secret is.

use reqwest::Method;
use serde_json::Value;

use crate::common::pages::Browser;
use crate::common::*;
use crate::on_both_databases;

const PHONE: &str = "+12025550148";

async fn a_person_downloads_their_data_without_secrets(backend: Backend) {
    let server = TestServer::start(backend).await;
    let client = api_client();
    let person = Person::new("my.data");
    let (token, secret) = account_with_totp(&server, &client, &person).await;
    add_confirmed_phone(&server, &client, &token, PHONE).await;
    let wrong = password_step(&server, &client, &person).await;
    second_factor(
        &server,
        &client,
        wrong["session_token"].as_str().unwrap(),
        "totp",
        "000000",
        401,
    )
    .await;

    let response = client
        .get(server.url("/api/v1/account/export"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert!(
        response.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("attachment;")
    );
    let data: Value = response.json().await.unwrap();
    assert_eq!(data["account"]["username"], person.username.as_str());
    assert_eq!(data["account"]["email"], person.email.as_str());
    let methods = data["sign_in_methods"].to_string();
    assert!(
        methods.contains("totp") && methods.contains(PHONE),
        "{methods}"
    );
    assert!(
        data["sign_in_history"]
            .as_array()
            .unwrap()
            .iter()
            .any(|l| l["reason"] == "wrong_code"),
        "{data}"
    );
    assert!(!data["account_events"].as_array().unwrap().is_empty());
    assert_eq!(data["signed_in_sessions"].as_array().unwrap().len(), 2);
    assert!(data["identity_proofing"]["attempts"].is_array());
    assert!(data["connected_apps"].is_array());
    let text = data.to_string();
    for secret_text in [
        secret.as_str(),
        token.as_str(),
        person.password.as_str(),
        "$argon2",
    ] {
        assert!(!text.contains(secret_text), "the export holds a secret");
    }

    // The security page links to it; the browser's own cookie is enough.
    server.clock.advance(time::Duration::seconds(30));
    let browser = Browser::new(&server);
    browser.sign_in(&server, &person, &secret).await;
    let page = browser.get("/account/security").await.text;
    assert!(page.contains("href=\"/api/v1/account/export\""), "{page}");
    let download = browser.get("/api/v1/account/export").await;
    assert_eq!(download.status, 200);
    assert!(download.text.contains(&person.email));

    // Nobody else's, and not without signing in.
    call(
        &client,
        Method::GET,
        server.url("/api/v1/account/export"),
        None,
        None,
        401,
    )
    .await;
    server.finish().await;
}

on_both_databases!(a_person_downloads_their_data_without_secrets);
