//! Identity proofing through the JSON API, on SQLite and PostgreSQL: the online path end
//! to end, the mail path (letter to the address of record, printed PDF, activation),
//! the step order, the one-SSN rule, resume after expiry, and reason codes.

use reqwest::Method;
use serde_json::json;
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

async fn passes_online_end_to_end(backend: Backend) {
    let server = proofing_server(backend).await;
    let client = api_client();
    let person = Person::new("online.applicant");
    let token = sign_up_to_proofing(&server, &client, &person).await;

    let state = call(
        &client,
        Method::GET,
        server.url("/api/v1/proofing"),
        Some(&token),
        None,
        200,
    )
    .await;
    assert_eq!(state["state"], "identity");
    assert_eq!(state["next"], "proofing_identity");
    assert_eq!(state["attempts_remaining"]["identity"], 5);

    // No second factor can be set up before proofing.
    call(
        &client,
        Method::POST,
        server.url("/api/v1/factors/totp"),
        Some(&token),
        Some(json!({})),
        409,
    )
    .await;

    let id = step(&server, &client, &token, "/identity", Some(identity()), 200).await;
    assert_eq!(id["result"], "matched");
    assert_eq!(id["next"], "proofing_financial_account");
    assert_eq!(id["attempts_remaining"], 4);

    let fin = step(
        &server,
        &client,
        &token,
        "/financial-account",
        Some(json!({"kind": "credit_card", "account_number": "5678-9010"})),
        200,
    )
    .await;
    assert_eq!(fin["result"], "matched");
    assert_eq!(fin["next"], "proofing_phone");

    let mark = server.outbox_mark();
    let phone = step(
        &server,
        &client,
        &token,
        "/phone",
        Some(json!({"phone": "(202) 555-0143"})),
        200,
    )
    .await;
    assert_eq!(phone["result"], "code_sent");
    assert_eq!(phone["next"], "proofing_phone_code");
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
    assert_eq!(verified["next"], "done");
    let token = verified["session_token"]
        .as_str()
        .expect("new token")
        .to_owned();

    let factors = call(
        &client,
        Method::GET,
        server.url("/api/v1/factors"),
        Some(&token),
        None,
        200,
    )
    .await;
    assert!(factors.to_string().contains("\"sms\""), "{factors}");
    let security = call(
        &client,
        Method::GET,
        server.url("/api/v1/account/security"),
        Some(&token),
        None,
        200,
    )
    .await;
    assert!(
        security["events"].to_string().contains("identity_verified"),
        "{security}"
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
    assert_eq!(state["state"], "verified");
    assert_eq!(state["verified_by"], "online");
    server
        .messages_with("identity_verified", &person.email, 1)
        .await;

    // The phone is the second factor at the next sign-in.
    let signed = call(
        &client,
        Method::POST,
        server.url("/api/v1/sessions"),
        None,
        Some(json!({"username": person.username, "password": person.password})),
        200,
    )
    .await;
    assert_eq!(signed["next"], "second_factor");
    assert_eq!(signed["methods"], json!(["sms"]));

    let recorded = attempts(&server, &person.username).await;
    let steps: Vec<&str> = recorded
        .iter()
        .rev()
        .map(|(s, r, _)| if r == "passed" { s.as_str() } else { "" })
        .collect();
    assert_eq!(
        steps,
        ["identity", "financial_account", "phone", "phone_code"]
    );
    // The pass records the tolerances it used.
    assert!(
        recorded.iter().any(|(s, _, reasons)| s == "identity"
            && reasons.contains(&"matched_middle_initial".to_owned()))
    );
    server.finish().await;
}

async fn no_matching_phone_gets_a_letter_at_the_address_of_record(backend: Backend) {
    let server = proofing_server(backend).await;
    let client = api_client();
    let person = Person::new("mail.applicant");
    let token = sign_up_to_proofing(&server, &client, &person).await;

    // They type their old address (they moved): matched on the prior-year return.
    let id = step(
        &server,
        &client,
        &token,
        "/identity",
        Some(identity_at_old_address()),
        200,
    )
    .await;
    assert_eq!(id["result"], "matched");
    let fin = step(
        &server,
        &client,
        &token,
        "/financial-account",
        Some(json!({"kind": "mortgage", "account_number": MORTGAGE})),
        200,
    )
    .await;
    assert_eq!(fin["result"], "matched", "a closed mortgage counts");

    // A business phone does not verify identity; the applicant is offered mail.
    let phone = step(
        &server,
        &client,
        &token,
        "/phone",
        Some(json!({"phone": BUSINESS_MOBILE})),
        200,
    )
    .await;
    assert_eq!(phone["result"], "not_matched");
    assert_eq!(phone["next"], "proofing_phone");
    assert_eq!(
        phone["choices"],
        json!(["proofing_phone", "proofing_mail_code"])
    );
    assert!(
        !phone["message"]
            .as_str()
            .unwrap_or_default()
            .contains("business")
    );

    let queued = step(&server, &client, &token, "/mail", None, 202).await;
    assert_eq!(queued["result"], "letter_queued");
    assert_eq!(queued["expected_delivery_days"], json!([5, 10]));
    let expires = time::OffsetDateTime::parse(
        queued["code_expires_at"].as_str().unwrap(),
        &time::format_description::well_known::Rfc3339,
    )
    .expect("RFC 3339");
    assert_eq!(
        expires - test_epoch(),
        Duration::days(21),
        "contiguous US: 21 days"
    );

    // The letter goes to the latest return's address, not the one typed.
    let letter = server.letters(1).await.remove(0);
    let to = letter["to"].as_str().unwrap();
    assert!(
        to.contains("123 EXAMPLE ST") && to.contains("SPRINGFIELD VA 22150-1234"),
        "{to}"
    );
    assert!(!to.to_uppercase().contains("OLD EXAMPLE"), "{to}");
    let code = letter["code"].as_str().unwrap().to_owned();
    assert_eq!(code.replace('-', "").len(), 12);

    // One letter per 24 hours.
    let again = client
        .post(server.url("/api/v1/proofing/mail"))
        .bearer_auth(&token)
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 429);
    assert!(again.headers().contains_key("retry-after"));

    // `letters print` writes a PDF showing the code, a CSV without it; never twice.
    let printed = secure_access::commands::letters::print(
        &server.config,
        std::sync::Arc::new(server.clock.clone()),
    )
    .await
    .expect("print");
    assert_eq!(printed.letters, 1);
    let pdf = std::fs::read(printed.pdf.as_ref().unwrap()).unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    assert!(
        pdf.windows(code.len()).any(|w| w == code.as_bytes()),
        "the PDF shows the code"
    );
    let csv = std::fs::read_to_string(printed.csv.as_ref().unwrap()).unwrap();
    assert!(csv.contains("123 EXAMPLE ST") && !csv.contains(&code));
    let second = secure_access::commands::letters::print(
        &server.config,
        std::sync::Arc::new(server.clock.clone()),
    )
    .await
    .expect("print");
    assert_eq!(second.letters, 0, "never printed twice");

    // A wrong code is refused; the right one (typed loosely) verifies by mail.
    step(
        &server,
        &client,
        &token,
        "/mail/confirm",
        Some(json!({"code": "AAAA-BBBB-CCCC"})),
        401,
    )
    .await;
    let typed = code.to_lowercase().replace('-', " ");
    let verified = step(
        &server,
        &client,
        &token,
        "/mail/confirm",
        Some(json!({"code": typed})),
        200,
    )
    .await;
    assert_eq!(verified["result"], "verified");
    assert_eq!(verified["next"], "setup_second_factor");

    // After mail activation any text-capable phone may be a factor, business ones included.
    let mark = server.outbox_mark();
    let added = call(
        &client,
        Method::POST,
        server.url("/api/v1/factors/phones"),
        Some(&token),
        Some(json!({"phone": BUSINESS_MOBILE})),
        201,
    )
    .await;
    let code = server.code_after(mark, BUSINESS_MOBILE).await;
    let id = added["factor_id"].as_str().unwrap();
    let done = call(
        &client,
        Method::POST,
        server.url(&format!("/api/v1/factors/phones/{id}/confirm")),
        Some(&token),
        Some(json!({"code": code})),
        200,
    )
    .await;
    assert_eq!(done["next"], "done");
    server.finish().await;
}

async fn steps_cannot_be_skipped_or_replayed(backend: Backend) {
    let server = proofing_server(backend).await;
    let client = api_client();
    let token = sign_up_to_proofing(&server, &client, &Person::new("order.applicant")).await;
    for (path, body) in [
        (
            "/financial-account",
            json!({"kind": "credit_card", "account_number": CARD_LAST_8}),
        ),
        ("/phone", json!({"phone": OWN_MOBILE})),
        ("/phone/confirm", json!({"code": "123456"})),
        ("/mail", json!({})),
    ] {
        let refused = step(&server, &client, &token, path, Some(body), 409).await;
        assert_eq!(refused["error"]["code"], "wrong_step", "{path}");
        assert_eq!(
            refused["error"]["next"], "proofing_identity",
            "{path}: {refused}"
        );
    }
    step(&server, &client, &token, "/identity", Some(identity()), 200).await;
    let replay = step(&server, &client, &token, "/identity", Some(identity()), 409).await;
    assert_eq!(replay["error"]["next"], "proofing_financial_account");
    server.finish().await;
}

async fn one_verified_account_per_ssn(backend: Backend) {
    let server = proofing_server(backend).await;
    let client = api_client();
    let first = Person::new("first.holder");
    let token = sign_up_to_proofing(&server, &client, &first).await;
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
    let first_token = verified["session_token"].as_str().unwrap().to_owned();

    let second = Person::new("second.claimant");
    let token = sign_up_to_proofing(&server, &client, &second).await;
    let id = step(&server, &client, &token, "/identity", Some(identity()), 200).await;
    assert_eq!(id["result"], "not_matched");
    assert_eq!(id["next"], "exception_processing");
    assert!(id["message"].as_str().unwrap().contains("help desk"));
    let reasons = attempts(&server, &second.username).await;
    assert!(
        reasons[0].2.contains(&"ssn_verified_elsewhere".to_owned()),
        "{reasons:?}"
    );

    // The first holder is told, by email and in their security history.
    server
        .messages_with("identity_used_elsewhere", &first.email, 1)
        .await;
    let security = call(
        &client,
        Method::GET,
        server.url("/api/v1/account/security"),
        Some(&first_token),
        None,
        200,
    )
    .await;
    assert!(
        security["events"]
            .to_string()
            .contains("identity_used_elsewhere"),
        "{security}"
    );
    server.finish().await;
}

async fn resumes_after_the_session_expires_and_restarts_when_abandoned(backend: Backend) {
    let server = proofing_server(backend).await;
    let client = api_client();
    let person = Person::new("resume.applicant");
    let token = sign_up_to_proofing(&server, &client, &person).await;
    step(&server, &client, &token, "/identity", Some(identity()), 200).await;

    // 16 idle minutes: the session is gone, the case is not.
    server.clock.advance(Duration::minutes(16));
    call(
        &client,
        Method::GET,
        server.url("/api/v1/proofing"),
        Some(&token),
        None,
        401,
    )
    .await;
    let signed = call(
        &client,
        Method::POST,
        server.url("/api/v1/sessions"),
        None,
        Some(json!({"username": person.username, "password": person.password})),
        200,
    )
    .await;
    assert_eq!(signed["next"], "proofing_financial_account");
    let token = signed["session_token"].as_str().unwrap().to_owned();
    let fin = step(
        &server,
        &client,
        &token,
        "/financial-account",
        Some(json!({"kind": "credit_card", "account_number": CARD_LAST_8})),
        200,
    )
    .await;
    assert_eq!(fin["next"], "proofing_phone");

    // Abandoned for 30 days: it starts again from the identity step.
    server.clock.advance(Duration::days(30));
    let signed = call(
        &client,
        Method::POST,
        server.url("/api/v1/sessions"),
        None,
        Some(json!({"username": person.username, "password": person.password})),
        200,
    )
    .await;
    assert_eq!(signed["next"], "proofing_identity");
    let token = signed["session_token"].as_str().unwrap().to_owned();
    let state = call(
        &client,
        Method::GET,
        server.url("/api/v1/proofing"),
        Some(&token),
        None,
        200,
    )
    .await;
    assert_eq!(state["state"], "identity");
    let recorded = attempts(&server, &person.username).await;
    assert!(
        recorded[0]
            .2
            .contains(&"restarted_after_inactivity".to_owned()),
        "{recorded:?}"
    );
    step(&server, &client, &token, "/identity", Some(identity()), 200).await;
    server.finish().await;
}

async fn bad_input_names_the_field(backend: Backend) {
    let server = proofing_server(backend).await;
    let client = api_client();
    let token = sign_up_to_proofing(&server, &client, &Person::new("input.applicant")).await;
    for (field, value) in [
        ("ssn", json!("12-34")),
        ("date_of_birth", json!("15/04/1980")),
        ("filing_status", json!("complicated")),
        ("first_name", json!("  ")),
    ] {
        let mut body = identity();
        body[field] = value;
        let refused = step(&server, &client, &token, "/identity", Some(body), 400).await;
        assert_eq!(refused["error"]["field"], field, "{refused}");
    }
    let mut body = identity();
    body["address"]["zip"] = json!("2215");
    let refused = step(&server, &client, &token, "/identity", Some(body), 400).await;
    assert_eq!(refused["error"]["field"], "zip");
    let missing = step(
        &server,
        &client,
        &token,
        "/identity",
        Some(json!({"first_name": "x"})),
        400,
    )
    .await;
    assert_eq!(missing["error"]["code"], "invalid_request");
    // None of these counted as an attempt.
    let state = call(
        &client,
        Method::GET,
        server.url("/api/v1/proofing"),
        Some(&token),
        None,
        200,
    )
    .await;
    assert_eq!(state["attempts_remaining"]["identity"], 5);

    step(&server, &client, &token, "/identity", Some(identity()), 200).await;
    let kind = step(
        &server,
        &client,
        &token,
        "/financial-account",
        Some(json!({"kind": "savings", "account_number": "1234"})),
        400,
    )
    .await;
    assert_eq!(kind["error"]["field"], "kind");
    let short = step(
        &server,
        &client,
        &token,
        "/financial-account",
        Some(json!({"kind": "credit_card", "account_number": "9010"})),
        400,
    )
    .await;
    assert_eq!(short["error"]["field"], "account_number");
    server.finish().await;
}

/// The demo's generated population is loaded as reference records, and its applicants
/// pass (or go to mail) exactly as the generator says.
async fn demo_population_applicants_proof_as_expected(backend: Backend) {
    let server = TestServer::start_with(backend, |c| c.require_identity_verification = true).await;
    let applicants = secure_access::demo::load_population(
        &server.config,
        std::sync::Arc::new(server.clock.clone()),
    )
    .await
    .expect("population");
    // A second call finds the population already loaded.
    secure_access::demo::load_population(&server.config, std::sync::Arc::new(server.clock.clone()))
        .await
        .expect("again");
    let text = std::fs::read_to_string(applicants).expect("applicants");
    let lines: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).expect("json"))
        .collect();
    let client = api_client();
    for scenario in ["exact", "no_phone_record", "impostor_wrong_dob"] {
        let applicant = lines
            .iter()
            .find(|a| a["scenario"] == scenario)
            .expect("scenario present");
        let person = Person::new(&format!("demo.{scenario}"));
        let token = sign_up_to_proofing(&server, &client, &person).await;
        let id = step(
            &server,
            &client,
            &token,
            "/identity",
            Some(applicant["identity"].clone()),
            200,
        )
        .await;
        assert_eq!(
            id["result"], applicant["expected"]["identity"],
            "{scenario}"
        );
        if id["result"] != "matched" {
            continue;
        }
        let fin = step(
            &server,
            &client,
            &token,
            "/financial-account",
            Some(applicant["financial"].clone()),
            200,
        )
        .await;
        assert_eq!(fin["result"], "matched", "{scenario}");
        let phone = step(
            &server,
            &client,
            &token,
            "/phone",
            Some(json!({"phone": applicant["phone"]})),
            200,
        )
        .await;
        let expected = if applicant["expected"]["phone"] == "matched" {
            "code_sent"
        } else {
            "not_matched"
        };
        assert_eq!(phone["result"], expected, "{scenario}");
    }
    server.finish().await;
}

on_both_databases!(
    demo_population_applicants_proof_as_expected,
    passes_online_end_to_end,
    no_matching_phone_gets_a_letter_at_the_address_of_record,
    steps_cannot_be_skipped_or_replayed,
    one_verified_account_per_ssn,
    resumes_after_the_session_expires_and_restarts_when_abandoned,
    bad_input_names_the_field,
);
