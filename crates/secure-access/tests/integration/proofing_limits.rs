//! Proofing limits and reason codes, on SQLite and PostgreSQL: each attempt limit holds
//! exactly and answers 429 with `Retry-After`; the SSN limit holds across accounts;
//! failures store machine-readable reasons but tell the applicant only what to do next;
//! letters are limited, reminded on day 14 and expired by the scheduled job; the funnel
//! report counts it all and is for admins only.

use reqwest::Method;
use serde_json::{Value, json};
use time::Duration;

use crate::common::applicant::*;
use crate::common::*;
use crate::on_both_databases;

async fn proofing_server(backend: Backend) -> TestServer {
    let server = TestServer::start_with(backend, |c| {
        c.require_identity_verification = true;
        c.jobs_interval_secs = 1;
    })
    .await;
    load_records(&server).await;
    server
}

async fn refused_with_retry(
    client: &reqwest::Client,
    url: String,
    token: &str,
    body: Value,
) -> Value {
    let response = client
        .post(url)
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), 429);
    assert!(response.headers().contains_key("retry-after"));
    response.json().await.expect("json")
}

async fn identity_failures_store_reasons_and_stop_at_five(backend: Backend) {
    let server = proofing_server(backend).await;
    let client = api_client();
    let person = Person::new("limit.identity");
    let token = sign_up_to_proofing(&server, &client, &person).await;
    let mut wrong_dob = identity();
    wrong_dob["date_of_birth"] = json!("1980-04-16");
    let mut wrong_ssn = identity();
    wrong_ssn["ssn"] = json!("900-99-9999");
    let mut wrong_address = identity();
    wrong_address["address"]["street"] = json!("500 Elsewhere Ave");
    wrong_address["address"]["zip"] = json!("30301");
    let mut wrong_name = identity();
    wrong_name["last_name"] = json!("Stranger");
    let mut wrong_status = identity();
    wrong_status["filing_status"] = json!("head_of_household");
    let cases = [
        (wrong_dob, "date_of_birth_mismatch"),
        (wrong_ssn, "no_return_for_ssn"),
        (wrong_address, "address_mismatch"),
        (wrong_name, "last_name_mismatch"),
        (wrong_status, "filing_status_mismatch"),
    ];
    for (i, (body, _)) in cases.iter().enumerate() {
        let failed = step(
            &server,
            &client,
            &token,
            "/identity",
            Some(body.clone()),
            200,
        )
        .await;
        assert_eq!(failed["result"], "not_matched");
        assert_eq!(failed["next"], "proofing_identity");
        assert_eq!(failed["attempts_remaining"], 4 - i as i64);
        let message = failed["message"].as_str().unwrap().to_lowercase();
        for field in [
            "date of birth is",
            "ssn is",
            "address is wrong",
            "last name",
        ] {
            assert!(
                !message.contains(field),
                "the message must not say which field failed: {message}"
            );
        }
        assert!(message.contains("help desk"), "{message}");
    }
    let recorded = attempts(&server, &person.username).await;
    for ((_, reason), (step, result, reasons)) in cases.iter().rev().zip(&recorded) {
        assert_eq!((step.as_str(), result.as_str()), ("identity", "failed"));
        assert!(
            reasons.contains(&(*reason).to_owned()),
            "{reason} in {reasons:?}"
        );
    }
    // The sixth try is refused before anything is checked, even with the right data.
    let refused = refused_with_retry(
        &client,
        server.url("/api/v1/proofing/identity"),
        &token,
        identity(),
    )
    .await;
    assert_eq!(refused["error"]["code"], "rate_limited");
    assert_eq!(
        attempts(&server, &person.username).await[0].2,
        ["account_attempt_limit"]
    );
    // Six hours later the window has passed.
    server
        .clock
        .advance(Duration::hours(6) + Duration::seconds(1));
    let signed = call(
        &client,
        Method::POST,
        server.url("/api/v1/sessions"),
        None,
        Some(json!({"username": person.username, "password": person.password})),
        200,
    )
    .await;
    let token = signed["session_token"].as_str().unwrap().to_owned();
    let passed = step(&server, &client, &token, "/identity", Some(identity()), 200).await;
    assert_eq!(passed["result"], "matched");
    server.finish().await;
}

async fn one_ssn_is_limited_across_accounts(backend: Backend) {
    let server = proofing_server(backend).await;
    let client = api_client();
    let mut wrong = identity();
    wrong["date_of_birth"] = json!("1970-01-01");
    // Two accounts use their five tries each on the same SSN: ten checks in the hour.
    for name in ["ssn.one", "ssn.two"] {
        let token = sign_up_to_proofing(&server, &client, &Person::new(name)).await;
        for _ in 0..5 {
            step(
                &server,
                &client,
                &token,
                "/identity",
                Some(wrong.clone()),
                200,
            )
            .await;
        }
    }
    // A third account is refused for that SSN, but may check another one.
    let third = Person::new("ssn.three");
    let token = sign_up_to_proofing(&server, &client, &third).await;
    refused_with_retry(
        &client,
        server.url("/api/v1/proofing/identity"),
        &token,
        identity(),
    )
    .await;
    assert_eq!(
        attempts(&server, &third.username).await[0].2,
        ["ssn_attempt_limit"]
    );
    let mut other = identity();
    other["ssn"] = json!("900-11-1111");
    let answer = step(&server, &client, &token, "/identity", Some(other), 200).await;
    assert_eq!(answer["result"], "not_matched");
    server.finish().await;
}

async fn financial_and_phone_limits_and_reasons(backend: Backend) {
    let server = proofing_server(backend).await;
    let client = api_client();
    let person = Person::new("limit.steps");
    let token = sign_up_to_proofing(&server, &client, &person).await;
    step(&server, &client, &token, "/identity", Some(identity()), 200).await;
    let tries = [
        (
            json!({"kind": "auto_loan", "account_number": "123456"}),
            "no_account_of_kind",
        ),
        (
            json!({"kind": "credit_card", "account_number": "11112222"}),
            "account_number_mismatch",
        ),
        (
            json!({"kind": "mortgage", "account_number": "7700-000000"}),
            "account_number_mismatch",
        ),
        (
            json!({"kind": "student_loan", "account_number": "55555"}),
            "no_account_of_kind",
        ),
        (
            json!({"kind": "credit_card", "account_number": "00000000"}),
            "account_number_mismatch",
        ),
    ];
    for (body, _) in &tries {
        let failed = step(
            &server,
            &client,
            &token,
            "/financial-account",
            Some(body.clone()),
            200,
        )
        .await;
        assert_eq!(failed["result"], "not_matched");
        assert_eq!(failed["next"], "proofing_financial_account");
    }
    let recorded = attempts(&server, &person.username).await;
    for ((_, reason), (_, _, reasons)) in tries.iter().rev().zip(&recorded) {
        assert!(
            reasons.contains(&(*reason).to_owned()),
            "{reason} in {reasons:?}"
        );
    }
    refused_with_retry(
        &client,
        server.url("/api/v1/proofing/financial-account"),
        &token,
        json!({"kind": "credit_card", "account_number": CARD_LAST_8}),
    )
    .await;
    server
        .clock
        .advance(Duration::hours(6) + Duration::seconds(1));
    let signed = call(
        &client,
        Method::POST,
        server.url("/api/v1/sessions"),
        None,
        Some(json!({"username": person.username, "password": person.password})),
        200,
    )
    .await;
    let token = signed["session_token"].as_str().unwrap().to_owned();
    step(
        &server,
        &client,
        &token,
        "/financial-account",
        Some(json!({"kind": "credit_card", "account_number": CARD_LAST_8})),
        200,
    )
    .await;

    // Phones: each kind of mismatch has its reason; 20 tries per 24 hours.
    let phones = [
        (SPOUSE_MOBILE, "phone_spouse_name"),
        (BUSINESS_MOBILE, "phone_business_line"),
        (OWN_LANDLINE, "phone_not_mobile"),
        ("+12025550199", "phone_not_found"),
    ];
    for (phone, _) in phones {
        let failed = step(
            &server,
            &client,
            &token,
            "/phone",
            Some(json!({"phone": phone})),
            200,
        )
        .await;
        assert_eq!(failed["result"], "not_matched");
    }
    let recorded = attempts(&server, &person.username).await;
    for ((_, reason), (_, _, reasons)) in phones.iter().rev().zip(&recorded) {
        assert!(
            reasons.contains(&(*reason).to_owned()),
            "{reason} in {reasons:?}"
        );
    }
    for _ in 4..20 {
        step(
            &server,
            &client,
            &token,
            "/phone",
            Some(json!({"phone": "+12025550199"})),
            200,
        )
        .await;
    }
    refused_with_retry(
        &client,
        server.url("/api/v1/proofing/phone"),
        &token,
        json!({"phone": OWN_MOBILE}),
    )
    .await;
    server.finish().await;
}

async fn letters_are_limited_reminded_and_expired(backend: Backend) {
    let server = proofing_server(backend).await;
    let client = api_client();
    let person = Person::new("letter.limits");
    let token = sign_up_to_proofing(&server, &client, &person).await;
    through_financial(&server, &client, &token).await;

    let sign_in = || {
        let client = client.clone();
        let url = server.url("/api/v1/sessions");
        let body = json!({"username": person.username, "password": person.password});
        async move {
            call(&client, Method::POST, url, None, Some(body), 200).await["session_token"]
                .as_str()
                .unwrap()
                .to_owned()
        }
    };
    // Four letters in 30 days, one per 24 hours.
    let mut token = token;
    for day in 0..4 {
        if day > 0 {
            server.clock.advance(Duration::hours(24));
            token = sign_in().await;
        }
        step(&server, &client, &token, "/mail", None, 202).await;
        refused_with_retry(
            &client,
            server.url("/api/v1/proofing/mail"),
            &token,
            json!({}),
        )
        .await;
    }
    server.clock.advance(Duration::hours(24));
    let token = sign_in().await;
    refused_with_retry(
        &client,
        server.url("/api/v1/proofing/mail"),
        &token,
        json!({}),
    )
    .await;
    let state = call(
        &client,
        Method::GET,
        server.url("/api/v1/proofing"),
        Some(&token),
        None,
        200,
    )
    .await;
    assert_eq!(state["attempts_remaining"]["letters"], 0);
    assert_eq!(state["next"], "proofing_mail_code");

    // Five wrong codes per 10 minutes, then 429 even for a right one.
    let letters = server.letters(4).await;
    assert_eq!(letters.len(), 4);
    for _ in 0..5 {
        step(
            &server,
            &client,
            &token,
            "/mail/confirm",
            Some(json!({"code": "ZZZZ-ZZZZ-ZZZZ"})),
            401,
        )
        .await;
    }
    let right = letters[3]["code"].as_str().unwrap();
    refused_with_retry(
        &client,
        server.url("/api/v1/proofing/mail/confirm"),
        &token,
        json!({"code": right}),
    )
    .await;

    // Day 14 after the first letter: the job reminds (once per letter); day 21: expired.
    server.clock.advance(Duration::days(10));
    let reminders = server
        .messages_with("letter_reminder", &person.email, 1)
        .await;
    assert!(reminders[0]["body"].as_str().unwrap().contains("expires"));
    server.clock.advance(Duration::days(3));
    server
        .messages_with("letter_reminder", &person.email, 4)
        .await;
    server.clock.advance(Duration::days(4));
    server
        .messages_with("letter_expired", &person.email, 1)
        .await;
    let token = sign_in().await;
    let first = letters[0]["code"].as_str().unwrap();
    let expired = step(
        &server,
        &client,
        &token,
        "/mail/confirm",
        Some(json!({"code": first})),
        401,
    )
    .await;
    assert_eq!(expired["error"]["code"], "code_expired");
    // The newest letter is still good.
    let verified = step(
        &server,
        &client,
        &token,
        "/mail/confirm",
        Some(json!({"code": right})),
        200,
    )
    .await;
    assert_eq!(verified["result"], "verified");
    server.finish().await;
}

async fn funnel_report_counts_and_is_for_admins(backend: Backend) {
    let server = proofing_server(backend).await;
    let client = api_client();
    let person = Person::new("funnel.admin");
    let token = sign_up_to_proofing(&server, &client, &person).await;
    let mut wrong = identity();
    wrong["date_of_birth"] = json!("1999-09-09");
    step(&server, &client, &token, "/identity", Some(wrong), 200).await;
    through_financial(&server, &client, &token).await;
    let mark = server.outbox_mark();
    step(
        &server,
        &client,
        &token,
        "/phone",
        Some(json!({"phone": OWN_MOBILE})),
        200,
    )
    .await;
    let code = server.code_after(mark, OWN_MOBILE).await;
    let verified = step(
        &server,
        &client,
        &token,
        "/phone/confirm",
        Some(json!({"code": code})),
        200,
    )
    .await;
    let token = verified["session_token"].as_str().unwrap().to_owned();
    let other = sign_up_to_proofing(&server, &client, &Person::new("funnel.other")).await;
    call(
        &client,
        Method::GET,
        server.url("/api/v1/proofing"),
        Some(&other),
        None,
        200,
    )
    .await;

    let url = server.url("/api/v1/admin/reports/funnel?from=2026-03-01&to=2026-03-03");
    let forbidden = call(&client, Method::GET, url.clone(), Some(&token), None, 403).await;
    assert_eq!(forbidden["error"]["code"], "forbidden");
    server
        .running()
        .services
        .roles()
        .grant_staff_role(
            sa_domain::journeys::RoleAdmin::Console,
            &person.username,
            "admin",
            None,
        )
        .await
        .expect("grant");
    let report = call(&client, Method::GET, url, Some(&token), None, 200).await;
    let day = report["days"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["date"] == "2026-03-02")
        .expect("day")
        .clone();
    assert_eq!(day["started"], 2);
    assert_eq!(day["verified_online"], 1);
    assert_eq!(day["verification_rate"], 0.5);
    let identity_step = day["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["step"] == "identity")
        .unwrap();
    assert_eq!(identity_step["attempts"], 2);
    assert_eq!(identity_step["failed"], 1);
    assert_eq!(identity_step["reasons"]["date_of_birth_mismatch"], 1);
    assert_eq!(report["total"]["verified_online"], 1);
    call(
        &client,
        Method::GET,
        server.url("/api/v1/admin/reports/funnel?from=2026-13-01"),
        Some(&token),
        None,
        400,
    )
    .await;

    // The command-line report reads the same numbers.
    let cli = secure_access::commands::report::funnel(
        &server.config,
        std::sync::Arc::new(server.clock.clone()),
        None,
        None,
    )
    .await
    .expect("report");
    assert_eq!(cli.total.verified_online, 1);
    assert!(secure_access::commands::report::as_table(&cli).contains("date_of_birth_mismatch 1"));
    server.finish().await;
}

async fn proofing_phone_codes_follow_the_sms_rules(backend: Backend) {
    let server = proofing_server(backend).await;
    let client = api_client();
    let person = Person::new("limit.sms");
    let token = sign_up_to_proofing(&server, &client, &person).await;
    through_financial(&server, &client, &token).await;

    // A texted code lives 10 minutes.
    let mark = server.outbox_mark();
    step(
        &server,
        &client,
        &token,
        "/phone",
        Some(json!({"phone": OWN_MOBILE})),
        200,
    )
    .await;
    let first = server.code_after(mark, OWN_MOBILE).await;
    server.clock.advance(Duration::minutes(11));
    let expired = step(
        &server,
        &client,
        &token,
        "/phone/confirm",
        Some(json!({"code": first})),
        401,
    )
    .await;
    assert_eq!(expired["error"]["code"], "code_expired");

    // Wrong codes are recorded; five wrong tries use the code up.
    let mark = server.outbox_mark();
    step(
        &server,
        &client,
        &token,
        "/phone",
        Some(json!({"phone": OWN_MOBILE})),
        200,
    )
    .await;
    let code = server.code_after(mark, OWN_MOBILE).await;
    let wrong = if code == "000000" { "111111" } else { "000000" };
    for _ in 0..5 {
        let refused = step(
            &server,
            &client,
            &token,
            "/phone/confirm",
            Some(json!({"code": wrong})),
            401,
        )
        .await;
        assert_eq!(refused["error"]["code"], "invalid_code");
    }
    let spent = step(
        &server,
        &client,
        &token,
        "/phone/confirm",
        Some(json!({"code": code})),
        400,
    )
    .await;
    assert_eq!(spent["error"]["code"], "code_attempts_exhausted");
    let recorded = attempts(&server, &person.username).await;
    assert_eq!(
        recorded[1],
        (
            "phone_code".to_owned(),
            "failed".to_owned(),
            vec!["wrong_code".to_owned()]
        )
    );
    assert!(recorded.iter().any(|(_, _, r)| r == &["code_expired"]));

    // Sending codes follows the sign-in SMS limit: 5 per 10 minutes per account (the
    // window restarted with the second send, 11 minutes after the first).
    for _ in 1..5 {
        step(
            &server,
            &client,
            &token,
            "/phone",
            Some(json!({"phone": OWN_MOBILE})),
            200,
        )
        .await;
    }
    refused_with_retry(
        &client,
        server.url("/api/v1/proofing/phone"),
        &token,
        json!({"phone": OWN_MOBILE}),
    )
    .await;
    server
        .clock
        .advance(Duration::minutes(10) + Duration::seconds(1));
    let mark = server.settled_outbox_mark().await;
    step(
        &server,
        &client,
        &token,
        "/phone",
        Some(json!({"phone": OWN_MOBILE})),
        200,
    )
    .await;
    let code = server.code_after(mark, OWN_MOBILE).await;
    let verified = step(
        &server,
        &client,
        &token,
        "/phone/confirm",
        Some(json!({"code": code})),
        200,
    )
    .await;
    assert_eq!(verified["result"], "verified");
    server.finish().await;
}

/// Five letter requests for one account at once mail exactly one letter: the others
/// are refused `429` with `Retry-After` (the limit's reads would let them all through;
/// the letter window is counted atomically before the letter is written).
async fn simultaneous_letter_requests_mail_one_letter(backend: Backend) {
    let server = proofing_server(backend).await;
    let client = api_client();
    let person = Person::new("letter.burst");
    let token = sign_up_to_proofing(&server, &client, &person).await;
    through_financial(&server, &client, &token).await;
    let mut burst = tokio::task::JoinSet::new();
    for _ in 0..5 {
        let request = client
            .post(server.url("/api/v1/proofing/mail"))
            .bearer_auth(&token)
            .json(&json!({}));
        burst.spawn(async move {
            let response = request.send().await.unwrap();
            (
                response.status().as_u16(),
                response.headers().contains_key("retry-after"),
            )
        });
    }
    let mut answers = burst.join_all().await;
    answers.sort();
    assert_eq!(
        answers,
        [
            (202, false),
            (429, true),
            (429, true),
            (429, true),
            (429, true)
        ]
    );
    let state = call(
        &client,
        Method::GET,
        server.url("/api/v1/proofing"),
        Some(&token),
        None,
        200,
    )
    .await;
    assert_eq!(
        state["attempts_remaining"]["letters"], 3,
        "one letter of four used: {state}"
    );
    server.finish().await;
}

on_both_databases!(
    proofing_phone_codes_follow_the_sms_rules,
    identity_failures_store_reasons_and_stop_at_five,
    one_ssn_is_limited_across_accounts,
    financial_and_phone_limits_and_reasons,
    letters_are_limited_reminded_and_expired,
    simultaneous_letter_requests_mail_one_letter,
    funnel_report_counts_and_is_for_admins,
);
