//! The staff console through the JSON API, on SQLite and PostgreSQL: the help desk's
//! phone check (pass: temporary password + letter + activation; fail: referred in
//! person), in-person records completed by the help desk, a new user verified in
//! person, and the role checks (403) around all of it. Every staff action shows in the
//! person's security history.

use reqwest::Method;
use serde_json::{Value, json};

use crate::common::applicant::*;
use crate::common::*;
use crate::on_both_databases;

pub(crate) async fn staff_server(backend: Backend) -> TestServer {
    let server = TestServer::start_with(backend, |c| c.require_identity_verification = true).await;
    load_records(&server).await;
    server
}

/// A staff member with an app and `roles`; returns a fully signed-in session token.
async fn staff_member(
    server: &TestServer,
    client: &reqwest::Client,
    name: &str,
    roles: &[&str],
) -> String {
    crate::common::staff::staff_member(server, client, name, roles)
        .await
        .token
}

/// The right answer to each question the records can ask.
pub(crate) fn answer(question_id: &str) -> Value {
    match question_id {
        "agi:2025" => json!("55,000"),
        "filing_status:2025" => json!("married_filing_jointly"),
        "agi:2024" => json!(51_050),
        "filing_status:2024" => json!("single"),
        "address:2024" => json!({"street": "9 Old Example Road", "zip": "22150"}),
        other => panic!("unexpected question {other}"),
    }
}

/// An applicant who failed online (their identity did not match); returns the account id.
pub(crate) async fn failed_online(
    server: &TestServer,
    client: &reqwest::Client,
    person: &Person,
) -> String {
    let token = sign_up_to_proofing(server, client, person).await;
    let mut wrong = identity();
    wrong["date_of_birth"] = json!("1980-05-15");
    let failed = step(server, client, &token, "/identity", Some(wrong), 200).await;
    assert_eq!(failed["result"], "not_matched");
    use sa_domain::store::Store;
    server
        .running()
        .store
        .account_by_username(&person.username)
        .await
        .unwrap()
        .unwrap()
        .id
}

/// The person finishes with the mailed code (and a temporary password if given).
async fn person_completes(
    server: &TestServer,
    client: &reqwest::Client,
    person: &Person,
    temporary: Option<&str>,
    by: &str,
) {
    let password = temporary.unwrap_or(&person.password);
    let signed = call(
        client,
        Method::POST,
        server.url("/api/v1/sessions"),
        None,
        Some(json!({"username": person.username, "password": password})),
        200,
    )
    .await;
    let token = signed["session_token"].as_str().unwrap().to_owned();
    if temporary.is_some() {
        assert_eq!(signed["next"], "change_password");
        step(
            server,
            client,
            &token,
            "/mail/confirm",
            Some(json!({"code": "AAAA-BBBB-CCCC"})),
            409,
        )
        .await;
        let changed = call(
            client,
            Method::POST,
            server.url("/api/v1/account/password"),
            Some(&token),
            Some(json!({"new_password": "copper lantern meadow violin"})),
            200,
        )
        .await;
        assert_eq!(changed["next"], "proofing_mail_code");
        // The temporary password worked once.
        call(
            client,
            Method::POST,
            server.url("/api/v1/sessions"),
            None,
            Some(json!({"username": person.username, "password": password})),
            401,
        )
        .await;
    } else {
        assert_eq!(signed["next"], "proofing_mail_code");
    }
    server.settled_outbox_mark().await;
    let letters = server
        .outbox()
        .into_iter()
        .filter(|m| m["channel"] == "letter")
        .collect::<Vec<_>>();
    let code = letters.last().unwrap()["code"].as_str().unwrap().to_owned();
    assert!(
        letters.last().unwrap()["to"]
            .as_str()
            .unwrap()
            .contains("123 EXAMPLE ST")
    );
    let verified = step(
        server,
        client,
        &token,
        "/mail/confirm",
        Some(json!({"code": code})),
        200,
    )
    .await;
    assert_eq!(verified["result"], "verified");
    assert_eq!(verified["next"], "setup_second_factor");
    let state = call(
        client,
        Method::GET,
        server.url("/api/v1/proofing"),
        Some(&token),
        None,
        200,
    )
    .await;
    assert_eq!(state["verified_by"], by);
}

pub(crate) async fn history(server: &TestServer, username: &str) -> String {
    use sa_domain::store::Store;
    let store = &server.running().store;
    let account = store.account_by_username(username).await.unwrap().unwrap();
    let events = store.security_events(&account.id, 100).await.unwrap();
    events
        .iter()
        .map(|e| format!("{}: {}\n", e.kind, e.detail))
        .collect()
}

async fn help_desk_pass_issues_a_temporary_password_and_a_letter(backend: Backend) {
    let server = staff_server(backend).await;
    let client = api_client();
    let assistor = staff_member(&server, &client, "assistor.one", &["help_desk"]).await;
    let caller = Person::new("caller.pass");
    let account_id = failed_online(&server, &client, &caller).await;

    // Found by username, and by last name and date of birth as typed online.
    let found = call(
        &client,
        Method::GET,
        server.url("/api/v1/staff/accounts?username=caller.pass"),
        Some(&assistor),
        None,
        200,
    )
    .await;
    assert_eq!(found["accounts"][0]["account_id"], account_id.as_str());
    let attempts = &found["accounts"][0]["attempts"];
    assert_eq!(attempts[0]["reasons"], json!(["date_of_birth_mismatch"]));
    let by_name = call(
        &client,
        Method::POST,
        server.url("/api/v1/staff/accounts/search"),
        Some(&assistor),
        Some(json!({"last_name": "testperson", "date_of_birth": "1980-05-15"})),
        200,
    )
    .await;
    assert_eq!(by_name["accounts"][0]["account_id"], account_id.as_str());
    // A name and birth date never go in a URL (histories and logs keep URLs).
    let in_url = call(
        &client,
        Method::GET,
        server.url("/api/v1/staff/accounts?last_name=testperson&date_of_birth=1980-05-15"),
        Some(&assistor),
        None,
        400,
    )
    .await;
    assert_eq!(in_url["error"]["field"], "last_name");

    call(
        &client,
        Method::GET,
        server.url(&format!("/api/v1/staff/accounts/{account_id}")),
        Some(&assistor),
        None,
        200,
    )
    .await;

    // No SSN on file: the assistor asks for it.
    let url = server.url(&format!(
        "/api/v1/staff/accounts/{account_id}/knowledge-checks"
    ));
    let refused = call(
        &client,
        Method::POST,
        url.clone(),
        Some(&assistor),
        Some(json!({})),
        400,
    )
    .await;
    assert_eq!(refused["error"]["field"], "ssn");
    let started = call(
        &client,
        Method::POST,
        url,
        Some(&assistor),
        Some(json!({"ssn": SSN})),
        201,
    )
    .await;
    let questions = started["questions"].as_array().unwrap();
    assert_eq!(questions.len(), 4);
    let answers: serde_json::Map<String, Value> = questions
        .iter()
        .map(|q| {
            let id = q["id"].as_str().unwrap();
            (id.to_owned(), answer(id))
        })
        .collect();
    let check = started["check_id"].as_str().unwrap();
    let passed = call(
        &client,
        Method::POST,
        server.url(&format!("/api/v1/staff/knowledge-checks/{check}/answers")),
        Some(&assistor),
        Some(json!({"answers": answers})),
        200,
    )
    .await;
    assert_eq!(passed["result"], "passed");
    let temporary = passed["temporary_password"].as_str().unwrap().to_owned();
    // A check is answered once.
    call(
        &client,
        Method::POST,
        server.url(&format!("/api/v1/staff/knowledge-checks/{check}/answers")),
        Some(&assistor),
        Some(json!({"answers": answers})),
        409,
    )
    .await;

    server.letters(1).await;
    person_completes(
        &server,
        &client,
        &caller,
        Some(&temporary.to_lowercase()),
        "help_desk",
    )
    .await;
    let history = history(&server, &caller.username).await;
    for kind in [
        "staff_viewed",
        "help_desk_check_started",
        "help_desk_verified",
        "temporary_password_used",
        "password_changed",
        "identity_verified",
    ] {
        assert!(history.contains(kind), "{kind} in {history}");
    }
    assert!(history.contains("The help desk verified your identity by phone"));
    server.finish().await;
}

async fn help_desk_fail_then_in_person_then_completed(backend: Backend) {
    let server = staff_server(backend).await;
    let client = api_client();
    let assistor = staff_member(&server, &client, "assistor.two", &["help_desk"]).await;
    let clerk = staff_member(&server, &client, "clerk.one", &["assistance_center"]).await;
    let caller = Person::new("caller.fail");
    let account_id = failed_online(&server, &client, &caller).await;

    // Three checks a day, never the same questions twice in a row, all failed here.
    let mut previous: Option<Vec<String>> = None;
    for _ in 0..3 {
        let started = call(
            &client,
            Method::POST,
            server.url(&format!(
                "/api/v1/staff/accounts/{account_id}/knowledge-checks"
            )),
            Some(&assistor),
            Some(json!({"ssn": SSN})),
            201,
        )
        .await;
        let ids: Vec<String> = started["questions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|q| q["id"].as_str().unwrap().to_owned())
            .collect();
        let mut sorted = ids.clone();
        sorted.sort();
        assert_ne!(
            previous.as_ref(),
            Some(&sorted),
            "never the same set twice in a row"
        );
        previous = Some(sorted);
        let answers: serde_json::Map<String, Value> =
            ids.iter().map(|id| (id.clone(), json!("0"))).collect();
        let check = started["check_id"].as_str().unwrap();
        let failed = call(
            &client,
            Method::POST,
            server.url(&format!("/api/v1/staff/knowledge-checks/{check}/answers")),
            Some(&assistor),
            Some(json!({"answers": answers})),
            200,
        )
        .await;
        assert_eq!(failed["result"], "failed");
        assert!(failed.get("temporary_password").is_none());
    }
    let limited = client
        .post(server.url(&format!(
            "/api/v1/staff/accounts/{account_id}/knowledge-checks"
        )))
        .bearer_auth(&assistor)
        .json(&json!({"ssn": SSN}))
        .send()
        .await
        .unwrap();
    assert_eq!(limited.status(), 429);

    // The person is referred in person.
    let signed = call(
        &client,
        Method::POST,
        server.url("/api/v1/sessions"),
        None,
        Some(json!({"username": caller.username, "password": caller.password})),
        200,
    )
    .await;
    assert_eq!(signed["next"], "exception_processing");

    // At the assistance center: an existing user shows two photo IDs.
    let url = server.url(&format!("/api/v1/staff/accounts/{account_id}/in-person"));
    let one_id = json!({"kind": "existing_user", "office": "TAC Springfield", "person_matches": true,
        "documents": [{"type": "drivers_license", "issuer": "Virginia DMV", "number_last4": "4321", "expires_on": "2030-01-01"}]});
    let refused = call(
        &client,
        Method::POST,
        url.clone(),
        Some(&clerk),
        Some(one_id),
        400,
    )
    .await;
    assert_eq!(refused["error"]["field"], "documents");
    let record = call(&client, Method::POST, url, Some(&clerk), Some(json!({
        "kind": "existing_user", "office": "TAC Springfield", "person_matches": true, "ssn": SSN,
        "documents": [
            {"type": "drivers_license", "issuer": "Virginia DMV", "number_last4": "4321", "expires_on": "2030-01-01"},
            {"type": "passport", "issuer": "U.S. Department of State", "number_last4": "X987", "expires_on": "2031-06-30"}
        ]})), 201).await;
    assert!(record["record_id"].as_str().is_some());

    let completed = call(
        &client,
        Method::POST,
        server.url(&format!(
            "/api/v1/staff/accounts/{account_id}/complete-in-person"
        )),
        Some(&assistor),
        Some(json!({"temporary_password": true})),
        200,
    )
    .await;
    assert_eq!(completed["result"], "completed");
    let temporary = completed["temporary_password"].as_str().unwrap().to_owned();
    // Only once per record.
    call(
        &client,
        Method::POST,
        server.url(&format!(
            "/api/v1/staff/accounts/{account_id}/complete-in-person"
        )),
        Some(&assistor),
        Some(json!({})),
        409,
    )
    .await;
    server.letters(1).await;
    person_completes(&server, &client, &caller, Some(&temporary), "in_person").await;
    let history = history(&server, &caller.username).await;
    for kind in [
        "help_desk_not_verified",
        "in_person_documents_checked",
        "in_person_completed",
        "identity_verified",
    ] {
        assert!(history.contains(kind), "{kind} in {history}");
    }
    server.finish().await;
}

async fn new_user_verified_in_person(backend: Backend) {
    let server = staff_server(backend).await;
    let client = api_client();
    let assistor = staff_member(&server, &client, "assistor.three", &["help_desk"]).await;
    let clerk = staff_member(&server, &client, "clerk.two", &["assistance_center"]).await;
    let person = Person::new("walk.in");
    let account_id = failed_online(&server, &client, &person).await;
    let url = server.url(&format!("/api/v1/staff/accounts/{account_id}/in-person"));
    let body = |ssn: Option<&str>| {
        json!({
        "kind": "new_user", "office": "TAC Springfield", "person_matches": true, "ssn": ssn,
        "documents": [
            {"type": "state_id", "issuer": "Virginia DMV", "number_last4": "5555", "expires_on": "2029-12-31"},
            {"type": "social_security_card", "issuer": "SSA", "number_last4": "3456"}
        ]})
    };
    let no_ssn = call(
        &client,
        Method::POST,
        url.clone(),
        Some(&clerk),
        Some(body(None)),
        400,
    )
    .await;
    assert_eq!(no_ssn["error"]["field"], "ssn");
    let mut unconfirmed = body(Some(SSN));
    unconfirmed["person_matches"] = json!(false);
    call(
        &client,
        Method::POST,
        url.clone(),
        Some(&clerk),
        Some(unconfirmed),
        400,
    )
    .await;
    call(
        &client,
        Method::POST,
        url,
        Some(&clerk),
        Some(body(Some(SSN))),
        201,
    )
    .await;
    call(
        &client,
        Method::POST,
        server.url(&format!(
            "/api/v1/staff/accounts/{account_id}/complete-in-person"
        )),
        Some(&assistor),
        Some(json!({})),
        200,
    )
    .await;
    server.letters(1).await;
    person_completes(&server, &client, &person, None, "in_person").await;
    server.finish().await;
}

async fn roles_are_checked_on_the_server(backend: Backend) {
    let server = staff_server(backend).await;
    let client = api_client();
    let assistor = staff_member(&server, &client, "assistor.four", &["help_desk"]).await;
    let clerk = staff_member(&server, &client, "clerk.three", &["assistance_center"]).await;
    let nobody = staff_member(&server, &client, "not.staff", &[]).await;
    let caller = Person::new("caller.roles");
    let account_id = failed_online(&server, &client, &caller).await;
    let in_person = json!({"kind": "new_user", "office": "TAC", "person_matches": true, "ssn": SSN, "documents": []});
    let cases: Vec<(Method, String, Option<Value>)> = vec![
        (
            Method::GET,
            "/api/v1/staff/accounts?username=caller.roles".into(),
            None,
        ),
        (
            Method::GET,
            format!("/api/v1/staff/accounts/{account_id}"),
            None,
        ),
        (
            Method::POST,
            format!("/api/v1/staff/accounts/{account_id}/knowledge-checks"),
            Some(json!({"ssn": SSN})),
        ),
        (
            Method::POST,
            format!("/api/v1/staff/accounts/{account_id}/in-person"),
            Some(in_person.clone()),
        ),
        (
            Method::POST,
            format!("/api/v1/staff/accounts/{account_id}/complete-in-person"),
            Some(json!({})),
        ),
        (
            Method::POST,
            "/api/v1/staff/knowledge-checks/unknown/answers".into(),
            Some(json!({"answers": {}})),
        ),
    ];
    for (method, path, body) in &cases {
        let answered = call(
            &client,
            method.clone(),
            server.url(path),
            Some(&nobody),
            body.clone(),
            if path.contains("unknown") { 404 } else { 403 },
        )
        .await;
        assert!(
            answered["error"]["code"] == "forbidden" || answered["error"]["code"] == "not_found",
            "{path}"
        );
    }
    // Each role only its own actions.
    call(
        &client,
        Method::POST,
        server.url(&format!("/api/v1/staff/accounts/{account_id}/in-person")),
        Some(&assistor),
        Some(in_person),
        403,
    )
    .await;
    call(
        &client,
        Method::POST,
        server.url(&format!(
            "/api/v1/staff/accounts/{account_id}/knowledge-checks"
        )),
        Some(&clerk),
        Some(json!({"ssn": SSN})),
        403,
    )
    .await;
    // Never on one's own account.
    use sa_domain::store::Store;
    let own = server
        .running()
        .store
        .account_by_username("assistor.four")
        .await
        .unwrap()
        .unwrap()
        .id;
    call(
        &client,
        Method::POST,
        server.url(&format!("/api/v1/staff/accounts/{own}/knowledge-checks")),
        Some(&assistor),
        Some(json!({"ssn": SSN})),
        403,
    )
    .await;
    call(
        &client,
        Method::GET,
        server.url(&format!("/api/v1/staff/accounts/{own}")),
        Some(&assistor),
        None,
        403,
    )
    .await;
    // A staff session must have entered its second factor.
    let password_only = call(
        &client,
        Method::POST,
        server.url("/api/v1/sessions"),
        None,
        Some(json!({"username": "assistor.four", "password": Person::new("x").password})),
        200,
    )
    .await;
    let pending = password_only["session_token"].as_str().unwrap();
    call(
        &client,
        Method::GET,
        server.url(&format!("/api/v1/staff/accounts/{account_id}")),
        Some(pending),
        None,
        403,
    )
    .await;
    server.finish().await;
}

async fn staff_sessions_end_after_15_idle_minutes(backend: Backend) {
    let server = TestServer::start_with(backend, |c| {
        c.require_identity_verification = true;
        c.limits.session_idle_secs = 3600;
    })
    .await;
    let client = api_client();
    let assistor = staff_member(&server, &client, "assistor.idle", &["help_desk"]).await;
    let caller = Person::new("caller.idle");
    let account_id = failed_online(&server, &client, &caller).await;
    let url = server.url(&format!("/api/v1/staff/accounts/{account_id}"));
    call(
        &client,
        Method::GET,
        url.clone(),
        Some(&assistor),
        None,
        200,
    )
    .await;
    server.clock.advance(time::Duration::minutes(16));
    call(&client, Method::GET, url, Some(&assistor), None, 401).await;
    server.finish().await;
}

on_both_databases!(
    staff_sessions_end_after_15_idle_minutes,
    help_desk_pass_issues_a_temporary_password_and_a_letter,
    help_desk_fail_then_in_person_then_completed,
    new_user_verified_in_person,
    roles_are_checked_on_the_server,
);
