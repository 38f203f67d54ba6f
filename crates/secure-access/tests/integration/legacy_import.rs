//! Moving users of the older tools over, on SQLite and PostgreSQL: `accounts
//! import-legacy` with bcrypt and PBKDF2 hashes made by their crates (plus bad lines and
//! a re-run), then the first sign-in with the old password, which upgrades the hash to
//! Argon2id and sends the person through email confirmation and identity proofing.

use std::sync::Arc;

use pbkdf2::password_hash::PasswordHasher as _;
use reqwest::Method;
use sa_domain::store::Store;
use secure_access::commands::accounts::{LegacyReport, import_file};
use serde_json::json;

use crate::common::applicant::*;
use crate::common::*;
use crate::on_both_databases;

const BCRYPT_PASSWORD: &str = "transcript tool 2019!";
const PBKDF2_PASSWORD: &str = "e-services Pa55word";

async fn legacy_users_sign_in_once_and_are_upgraded(backend: Backend) {
    let server = TestServer::start_with(backend, |c| c.require_identity_verification = true).await;
    load_records(&server).await;
    let bcrypt_hash = bcrypt::hash(BCRYPT_PASSWORD, 6).unwrap();
    let pbkdf2_hash = pbkdf2::Pbkdf2::default()
        .hash_password_with_salt(PBKDF2_PASSWORD.as_bytes(), b"legacy-salt-0001")
        .unwrap()
        .to_string();
    let lines = [
        json!({"username": "old.transcript.user", "email": "old.transcript.user@example.test", "password_hash": bcrypt_hash, "tools": ["Get Transcript"]}).to_string(),
        json!({"username": "old.eservices.user", "email": "old.eservices.user@example.test", "password_hash": pbkdf2_hash, "tools": ["e-Services", "TIN Matching"]}).to_string(),
        json!({"username": "plain.text", "email": "plain.text@example.test", "password_hash": "hunter2"}).to_string(),
        "{not json".to_owned(),
        json!({"username": "old.transcript.user", "email": "other@example.test", "password_hash": bcrypt::hash("x", 4).unwrap()}).to_string(),
    ];
    let file = server.data_dir.path().join("legacy.jsonl");
    std::fs::write(&file, lines.join("\n")).unwrap();
    let clock: Arc<dyn sa_domain::clock::Clock> = Arc::new(server.clock.clone());
    let report = import_file(&server.config, clock.clone(), &file)
        .await
        .unwrap();
    assert_eq!(
        report,
        LegacyReport {
            created: 2,
            already_present: 1,
            rejected: 2
        }
    );
    let again = import_file(&server.config, clock, &file).await.unwrap();
    assert_eq!(
        again,
        LegacyReport {
            created: 0,
            already_present: 3,
            rejected: 2
        }
    );

    let client = api_client();
    for (username, password) in [
        ("old.transcript.user", BCRYPT_PASSWORD),
        ("old.eservices.user", PBKDF2_PASSWORD),
    ] {
        let email = format!("{username}@example.test");
        // A wrong password is refused like any other.
        call(
            &client,
            Method::POST,
            server.url("/api/v1/sessions"),
            None,
            Some(json!({"username": username, "password": "not the old one at all"})),
            401,
        )
        .await;
        let mark = server.settled_outbox_mark().await;
        let started = call(
            &client,
            Method::POST,
            server.url("/api/v1/sessions"),
            None,
            Some(json!({"username": username, "password": password})),
            200,
        )
        .await;
        assert_eq!(started["next"], "confirm_email", "{started}");
        let token = started["session_token"].as_str().unwrap().to_owned();
        let stored = server
            .running()
            .store
            .account_by_username(username)
            .await
            .unwrap()
            .unwrap();
        assert!(
            stored.password_hash.starts_with("$argon2id$"),
            "upgraded to Argon2id"
        );
        let code = server.code_after(mark, &email).await;
        let confirmed = call(
            &client,
            Method::POST,
            server.url("/api/v1/accounts/email/confirm"),
            Some(&token),
            Some(json!({"code": code})),
            200,
        )
        .await;
        assert_eq!(confirmed["next"], "proofing_identity");
        // No second factor before proofing, and the new hash keeps the old password.
        call(
            &client,
            Method::POST,
            server.url("/api/v1/factors/totp"),
            Some(&token),
            Some(json!({})),
            409,
        )
        .await;
        let again = call(
            &client,
            Method::POST,
            server.url("/api/v1/sessions"),
            None,
            Some(json!({"username": username, "password": password})),
            200,
        )
        .await;
        assert_eq!(again["next"], "proofing_identity");
    }
    server.finish().await;
}

on_both_databases!(legacy_users_sign_in_once_and_are_upgraded);
