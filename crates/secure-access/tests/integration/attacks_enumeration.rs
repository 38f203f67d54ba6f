//! Account enumeration: what an outsider can learn about who has an account, against the
//! real server on SQLite and PostgreSQL.
//!
//! What this proves:
//! - **Sign-in** answers an unknown username and a wrong password identically: the same
//!   status, body and headers (all but `Date`) over the API, and the same page (once the
//!   username typed back into the form is set aside). Both do the same Argon2id work: a
//!   burst of either, with room for one hash at a time and no queue, is partly told
//!   `503 overloaded` (only a request that asks the hasher can be), and their median
//!   times over 15 interleaved tries are within a factor of 2. The timing check is
//!   coarse on purpose (a debug build, two cores shared with other tests): it catches a
//!   missing dummy hash (an unknown username answered several times faster), not a
//!   difference of a few percent.
//! - **Sign-up** answers a new username with someone else's email exactly like a fresh
//!   sign-up (`201`, same fields, `next: confirm_email`), over the API and the pages. The
//!   only thing it reveals is a taken username (unavoidable: usernames are unique and
//!   chosen), and that answer is the same whatever email is given.
//! - **Identity proofing** answers every mismatch (first or last name, date of birth,
//!   SSN, filing status, address) with one message that names no field, no `field` key
//!   over the API, and an alert tied to no field on the page.

use std::time::Instant;

use serde_json::{Value, json};
use time::Duration;

use crate::attacks_web::TokenPages;
use crate::common::applicant::*;
use crate::common::pages::{Browser, csrf_token};
use crate::common::*;
use crate::on_both_databases;

/// Status, headers (but `Date`) and body of an answer.
async fn comparable(response: reqwest::Response) -> (u16, Vec<(String, String)>, String) {
    let status = response.status().as_u16();
    let mut headers: Vec<(String, String)> = response
        .headers()
        .iter()
        .filter(|(name, _)| *name != "date")
        .map(|(name, value)| (name.to_string(), value.to_str().unwrap().to_owned()))
        .collect();
    headers.sort();
    (status, headers, response.text().await.unwrap())
}

async fn sign_in_api(server: &TestServer, username: &str, password: &str) -> reqwest::Response {
    api_client()
        .post(server.url("/api/v1/sessions"))
        .json(&json!({"username": username, "password": password}))
        .send()
        .await
        .unwrap()
}

fn median(mut samples: Vec<f64>) -> f64 {
    samples.sort_by(f64::total_cmp);
    samples[samples.len() / 2]
}

async fn unknown_username_and_wrong_password_answer_alike(backend: Backend) {
    // One hash at a time and no queue: a request that finds the hasher busy is told so.
    let server = TestServer::start_with(backend, |c| {
        c.hashing_concurrency = Some(1);
        c.hashing_queue = 0;
        c.limits.ip_sign_in_per_minute = 1000;
        // The per-username limit counts a guess before checking it, so a burst would be
        // refused before reaching the hasher; this test is about the hasher's work.
        c.limits.password_failures_per_window = 1000;
    })
    .await;
    let client = api_client();
    // Same length as the unknown name below, so even Content-Length cannot differ.
    let person = Person::new("known.user");
    account_with_totp(&server, &client, &person).await;
    let unknown = "nobody.xyz";
    let wrong = "not the right password";

    let known_answer = comparable(sign_in_api(&server, &person.username, wrong).await).await;
    let unknown_answer = comparable(sign_in_api(&server, unknown, wrong).await).await;
    assert_eq!(known_answer, unknown_answer);
    assert_eq!(known_answer.0, 401);

    // The sign-in page: same status, headers and page, the typed username aside.
    let browser = Browser::new(&server);
    let page = browser.get("/sign-in").await;
    let token = csrf_token(&page.text);
    let cookie = format!("sa_csrf={}", browser.cookie("sa_csrf").unwrap());
    let mut pages = Vec::new();
    for username in [person.username.as_str(), unknown] {
        let response = client
            .post(server.url("/sign-in"))
            .header("cookie", &cookie)
            .form(&[
                ("csrf_token", token.as_str()),
                ("username", username),
                ("password", wrong),
            ])
            .send()
            .await
            .unwrap();
        let (status, headers, body) = comparable(response).await;
        pages.push((status, headers, body.replace(username, "USERNAME")));
    }
    assert_eq!(pages[0], pages[1]);
    assert_eq!(pages[0].0, 401, "{}", pages[0].2);
    server.clock.advance(Duration::seconds(61));

    // The same work: a burst of either kind finds the hasher busy (a lookup alone could
    // never be told so).
    for username in [person.username.as_str(), unknown] {
        let mut burst = tokio::task::JoinSet::new();
        for _ in 0..12 {
            let request = client
                .post(server.url("/api/v1/sessions"))
                .json(&json!({"username": username, "password": wrong}));
            burst.spawn(async move { request.send().await.unwrap().status().as_u16() });
        }
        let statuses = burst.join_all().await;
        assert!(statuses.contains(&503), "{username}: {statuses:?}");
        assert!(
            statuses.iter().all(|s| [401, 429, 503].contains(s)),
            "{statuses:?}"
        );
        server.clock.advance(Duration::seconds(61));
    }

    // Timing (coarse): medians of 15 tries of each, interleaved and taking turns to go
    // first (whichever goes first in a pair tends to be slower), within a factor of 2.
    let (mut known_times, mut unknown_times) = (Vec::new(), Vec::new());
    for round in 0..15 {
        if round % 4 == 0 {
            // Stay under five wrong passwords per username per minute.
            server.clock.advance(Duration::seconds(61));
        }
        let mut pair = [
            (person.username.as_str(), &mut known_times),
            (unknown, &mut unknown_times),
        ];
        if round % 2 == 1 {
            pair.reverse();
        }
        for (username, times) in pair {
            let started = Instant::now();
            let status = sign_in_api(&server, username, wrong).await.status();
            times.push(started.elapsed().as_secs_f64());
            assert_eq!(status, 401);
        }
    }
    let (known, unknown) = (median(known_times), median(unknown_times));
    let ratio = known.max(unknown) / known.min(unknown);
    assert!(
        ratio < 2.0,
        "medians: wrong password {known:.4}s, unknown username {unknown:.4}s"
    );
    server.finish().await;
}

async fn sign_up(server: &TestServer, username: &str, email: &str) -> (u16, Value) {
    let response = api_client()
        .post(server.url("/api/v1/accounts"))
        .json(&json!({"username": username, "email": email, "password": "violet harbor piano meadow"}))
        .send()
        .await
        .unwrap();
    (response.status().as_u16(), response.json().await.unwrap())
}

/// The shape of a JSON answer: its keys and the values that are not per-request.
fn shape(body: &Value) -> Vec<(String, Value)> {
    body.as_object()
        .unwrap()
        .iter()
        .map(|(key, value)| match key.as_str() {
            "account_id" | "session_token" => (key.clone(), json!("…")),
            _ => (key.clone(), value.clone()),
        })
        .collect()
}

async fn sign_up_reveals_no_email_and_only_a_taken_username(backend: Backend) {
    let server = TestServer::start(backend).await;
    let owner = Person::new("first.owner");
    let (status, _) = sign_up(&server, &owner.username, &owner.email).await;
    assert_eq!(status, 201);

    // Someone else's email under a new username: answered like any fresh sign-up.
    let (reused_status, reused) = sign_up(&server, "second.claimant", &owner.email).await;
    let (fresh_status, fresh) = sign_up(&server, "third.person", "third@example.test").await;
    assert_eq!(
        (reused_status, shape(&reused)),
        (fresh_status, shape(&fresh))
    );
    assert_eq!(reused["next"], "confirm_email");

    // A taken username is the one thing said, the same with any email.
    let (status, taken) = sign_up(&server, &owner.username, "someone@example.test").await;
    let (same_status, taken_with_email) = sign_up(&server, &owner.username, &owner.email).await;
    assert_eq!((status, &taken), (same_status, &taken_with_email));
    assert_eq!(taken["error"]["code"], "username_taken", "{taken}");
    assert_eq!(taken["error"]["field"], "username");
    assert!(
        !taken.to_string().to_lowercase().contains("email"),
        "{taken}"
    );

    // The sign-up page: someone else's email leads on to confirming it, as any would.
    for (username, email) in [
        ("fourth.claimant", owner.email.as_str()),
        ("fifth.person", "fifth@example.test"),
    ] {
        let browser = Browser::new(&server);
        let page = browser.get("/sign-up").await;
        let created = browser
            .post(
                &page.text,
                "/sign-up",
                &[
                    ("username", username),
                    ("email", email),
                    ("password", "violet harbor piano meadow"),
                ],
            )
            .await;
        assert_eq!(
            (created.status, created.location.as_deref()),
            (303, Some("/sign-up/confirm-email")),
            "{email}"
        );
    }
    server.finish().await;
}

/// The identity step's answer to these details, over the API.
async fn identity_answer(server: &TestServer, token: &str, details: Value) -> Value {
    step(
        server,
        &api_client(),
        token,
        "/identity",
        Some(details),
        200,
    )
    .await
}

/// The message with its numbers (tries left) taken out.
fn without_numbers(message: &str) -> String {
    message.chars().filter(|c| !c.is_ascii_digit()).collect()
}

async fn the_identity_step_never_names_the_failing_field(backend: Backend) {
    let server = TestServer::start_with(backend, |c| {
        c.require_identity_verification = true;
        // Attempt limits are not what this test is about.
        c.limits.proofing_identity_attempts = 50;
        c.limits.proofing_ssn_attempts = 50;
    })
    .await;
    load_records(&server).await;
    let client = api_client();
    let person = Person::new("enum.applicant");
    let token = sign_up_to_proofing(&server, &client, &person).await;

    let mismatches: Vec<(&str, Value)> = vec![
        ("first name", json!({"first_name": "Zelda"})),
        ("last name", json!({"last_name": "Stranger"})),
        ("date of birth", json!({"date_of_birth": "1980-04-16"})),
        ("SSN", json!({"ssn": "900-99-9999"})),
        (
            "filing status",
            json!({"filing_status": "head_of_household"}),
        ),
        (
            "address",
            json!({"address": {"street": "500 Elsewhere Ave", "city": "Springfield", "state": "VA", "zip": "30301"}}),
        ),
    ];
    let mut messages = Vec::new();
    for (what, change) in &mismatches {
        let mut details = identity();
        for (key, value) in change.as_object().unwrap() {
            details[key] = value.clone();
        }
        let answer = identity_answer(&server, &token, details).await;
        assert_eq!(answer["result"], "not_matched", "{what}: {answer}");
        assert!(answer.get("field").is_none(), "{what}: {answer}");
        let message = answer["message"].as_str().unwrap().to_owned();
        let lower = message.to_lowercase();
        for telltale in [
            "is wrong",
            "is incorrect",
            "doesn't match",
            "does not match",
            "not found",
            "no return",
            "ssn",
            "social security",
        ] {
            assert!(!lower.contains(telltale), "{what}: {message}");
        }
        messages.push(without_numbers(&message));
    }
    messages.dedup();
    assert_eq!(
        messages.len(),
        1,
        "one message for every mismatch: {messages:?}"
    );

    // The page: the same words in an alert tied to no field.
    let pages = TokenPages {
        browser: Browser::new(&server),
        token,
    };
    let mut alerts = Vec::new();
    for (field, value) in [("date_of_birth", "1980-04-16"), ("ssn", "900-99-9999")] {
        let mut form = vec![
            ("first_name", "Roberta"),
            ("last_name", "Testperson"),
            ("date_of_birth", "1980-04-15"),
            ("ssn", "900-12-3456"),
            ("filing_status", "married_filing_jointly"),
            ("street", "123 Example St"),
            ("unit", "Apt 4"),
            ("city", "Springfield"),
            ("state", "VA"),
            ("zip", "22150"),
        ];
        for entry in &mut form {
            if entry.0 == field {
                entry.1 = value;
            }
        }
        let page = pages.post("/verify/identity", &form).await;
        assert_eq!(page.status, 200, "{field}: {}", page.text);
        assert!(!page.text.contains("usa-input--error"), "{field}");
        assert!(!page.text.contains("aria-invalid=\"true\""), "{field}");
        let alert = page
            .text
            .split("usa-alert__text\">")
            .nth(1)
            .unwrap()
            .split("</p>")
            .next()
            .unwrap()
            .replace("&#x27;", "'")
            .replace("&#39;", "'")
            .replace("&quot;", "\"")
            .replace("&amp;", "&");
        alerts.push(without_numbers(&alert));
    }
    assert_eq!(alerts[0], alerts[1]);
    assert_eq!(alerts[0], messages[0], "the page says what the API says");
    server.finish().await;
}

on_both_databases!(
    unknown_username_and_wrong_password_answer_alike,
    sign_up_reveals_no_email_and_only_a_taken_username,
    the_identity_step_never_names_the_failing_field,
);
