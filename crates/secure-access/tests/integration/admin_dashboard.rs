//! The admin dashboard and planned maintenance, on SQLite and PostgreSQL: only admins
//! reach them (403 otherwise, sign-in when signed out); the dashboard counts what
//! people did (funnel, letters, lockouts, staff activity); a planned window is
//! announced on every page, closes sign-in and sign-up while it runs (503 saying when
//! service returns, `/readyz` too), can be cancelled by an admin who is still signed
//! in, and planning and cancelling are in the audit log.

use reqwest::Method;
use serde_json::{Value, json};
use time::Duration;
use time::macros::datetime;

use crate::common::applicant::*;
use crate::common::pages::csrf_token;
use crate::common::*;
use crate::on_both_databases;

/// An admin with an authenticator app, on a server that requires identity
/// verification (staff verify like anyone; the test marks it done directly).
async fn verified_admin(server: &TestServer, client: &reqwest::Client, name: &str) -> String {
    use sa_domain::store::{Change, Store, Write};
    let person = Person::new(name);
    let token = sign_up_to_proofing(server, client, &person).await;
    let store = &server.running().store;
    let account = store.account_by_username(name).await.unwrap().unwrap();
    store
        .apply(Change::new().with(Write::MarkIdentityVerified {
            account_id: account.id,
            at: server.clock_now(),
            by: "in_person".into(),
        }))
        .await
        .unwrap();
    let token = add_app(server, client, &token).await.0;
    server
        .running()
        .services
        .roles()
        .grant_staff_role(sa_domain::journeys::RoleAdmin::Console, name, "admin", None)
        .await
        .unwrap();
    token
}

/// Set up an authenticator app; returns (new session token, secret).
async fn add_app(server: &TestServer, client: &reqwest::Client, token: &str) -> (String, String) {
    let begun = call(
        client,
        Method::POST,
        server.url("/api/v1/factors/totp"),
        Some(token),
        None,
        201,
    )
    .await;
    let secret = begun["secret"].as_str().unwrap().to_owned();
    let id = begun["factor_id"].as_str().unwrap();
    let confirmed = call(
        client,
        Method::POST,
        server.url(&format!("/api/v1/factors/totp/{id}/confirm")),
        Some(token),
        Some(json!({"code": server.totp_now(&secret)})),
        200,
    )
    .await;
    server.clock.advance(Duration::seconds(30));
    (
        confirmed["session_token"].as_str().unwrap().to_owned(),
        secret,
    )
}

async fn dashboard(server: &TestServer, client: &reqwest::Client, token: &str) -> Value {
    call(
        client,
        Method::GET,
        server.url("/api/v1/admin/dashboard"),
        Some(token),
        None,
        200,
    )
    .await
}

/// A page fetched with a session token (pages accept the bearer header like the API).
async fn page(client: &reqwest::Client, url: String, token: Option<&str>) -> (u16, String) {
    let mut request = client.get(url);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let body = match response.headers().get("location") {
        Some(location) => location.to_str().unwrap().to_owned(),
        None => response.text().await.unwrap(),
    };
    (status, body)
}

/// A form posted from `form_page` (its CSRF token), with a session token; returns the
/// status and the redirect target or page.
async fn post_form(
    client: &reqwest::Client,
    url: String,
    form_page: &str,
    token: &str,
    fields: &[(&str, &str)],
) -> (u16, String) {
    let csrf = csrf_token(form_page);
    let mut form: Vec<(&str, &str)> = vec![("csrf_token", csrf.as_str())];
    form.extend_from_slice(fields);
    let response = client
        .post(url)
        .bearer_auth(token)
        .form(&form)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let body = match response.headers().get("location") {
        Some(location) => location.to_str().unwrap().to_owned(),
        None => response.text().await.unwrap(),
    };
    (status, body)
}

async fn only_admins_reach_the_dashboard_and_maintenance(backend: Backend) {
    let server = TestServer::start(backend).await;
    let client = api_client();
    let (user, _) = account_with_totp(&server, &client, &Person::new("plain.user")).await;

    // Signed in without the role: 403 on every admin endpoint and page.
    for (method, path, body) in [
        (Method::GET, "/api/v1/admin/dashboard", None),
        (Method::GET, "/api/v1/admin/maintenance", None),
        (
            Method::POST,
            "/api/v1/admin/maintenance",
            Some(json!({"starts_at": "2026-03-02T17:00", "ends_at": "2026-03-02T18:00"})),
        ),
        (Method::DELETE, "/api/v1/admin/maintenance/any-id", None),
    ] {
        let refused = call(&client, method, server.url(path), Some(&user), body, 403).await;
        assert_eq!(refused["error"]["code"], "forbidden", "{path}");
    }
    let browser = browser("Mozilla/5.0 (Admin test)");
    for path in ["/admin", "/admin/maintenance"] {
        let (status, html) = page(&browser, server.url(path), Some(&user)).await;
        assert_eq!(status, 403, "{path}");
        assert!(!html.contains("Plan maintenance") && !html.contains("<svg"));
    }
    let (_, sign_in) = page(&browser, server.url("/sign-in"), None).await;
    let (status, _) = post_form(
        &browser,
        server.url("/admin/maintenance"),
        &sign_in,
        &user,
        &[
            ("starts_at", "2026-03-02T17:00"),
            ("ends_at", "2026-03-02T18:00"),
        ],
    )
    .await;
    assert_eq!(status, 403);
    let (status, _) = post_form(
        &browser,
        server.url("/admin/maintenance/any-id/cancel"),
        &sign_in,
        &user,
        &[],
    )
    .await;
    assert_eq!(status, 403);

    // Signed out: 401 from the API, sign-in from the pages.
    call(
        &client,
        Method::GET,
        server.url("/api/v1/admin/dashboard"),
        None,
        None,
        401,
    )
    .await;
    for path in ["/admin", "/admin/maintenance"] {
        assert_eq!(
            page(&browser, server.url(path), None).await,
            (303, "/sign-in".to_owned())
        );
    }
    let entries = server
        .running()
        .services
        .core()
        .store
        .audit_entries(None, 0, 100)
        .await
        .unwrap();
    assert!(
        !entries
            .iter()
            .any(|e| e.event.action.starts_with("maintenance.")),
        "nothing was planned"
    );
    server.finish().await;
}

async fn dashboard_counts_the_funnel_letters_lockouts_and_staff_activity(backend: Backend) {
    let server = TestServer::start_with(backend, |c| {
        c.require_identity_verification = true;
        c.limits.code_failures_before_lock = 3;
        c.limits.factor_failures_before_disable = 3;
    })
    .await;
    load_records(&server).await;
    let client = api_client();
    let admin = verified_admin(&server, &client, "admin.ada").await;

    let empty = dashboard(&server, &client, &admin).await;
    assert_eq!(empty["funnel"]["days"].as_array().unwrap().len(), 30);
    assert_eq!(empty["funnel"]["to"], "2026-03-02");
    assert_eq!(empty["funnel"]["total"]["started"], 0);
    assert_eq!(
        empty["letters"],
        json!({"pending": 0, "printed": 0, "activated": 0, "expired": 0})
    );

    // One applicant's identity does not match.
    let failing = Person::new("fails.online");
    let token = sign_up_to_proofing(&server, &client, &failing).await;
    let mut wrong = identity();
    wrong["date_of_birth"] = json!("1980-05-15");
    let failed = step(&server, &client, &token, "/identity", Some(wrong), 200).await;
    assert_eq!(failed["result"], "not_matched");

    // Another's phone is a business line: she asks for a letter.
    let roberta = Person::new("roberta.mail");
    let token = sign_up_to_proofing(&server, &client, &roberta).await;
    through_financial(&server, &client, &token).await;
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
    step(&server, &client, &token, "/mail", None, 202).await;
    let code = server.letters(1).await.remove(0)["code"]
        .as_str()
        .unwrap()
        .to_owned();
    let board = dashboard(&server, &client, &admin).await;
    assert_eq!(
        board["letters"],
        json!({"pending": 1, "printed": 0, "activated": 0, "expired": 0})
    );
    assert_eq!(board["funnel"]["total"]["started"], 2);

    let printed = secure_access::commands::letters::print(
        &server.config,
        std::sync::Arc::new(server.clock.clone()),
    )
    .await
    .expect("print");
    assert_eq!(printed.letters, 1);
    let board = dashboard(&server, &client, &admin).await;
    assert_eq!(
        board["letters"],
        json!({"pending": 0, "printed": 1, "activated": 0, "expired": 0})
    );

    // The letter's code verifies her; she sets up an app, and later fumbles its codes
    // (the test server locks and disables after 3).
    let verified = step(
        &server,
        &client,
        &token,
        "/mail/confirm",
        Some(json!({"code": code})),
        200,
    )
    .await;
    assert_eq!(verified["result"], "verified");
    let (token, _) = add_app(&server, &client, &token).await;
    call(
        &client,
        Method::DELETE,
        server.url("/api/v1/sessions"),
        Some(&token),
        None,
        204,
    )
    .await;
    let pending = password_step(&server, &client, &roberta).await;
    let pending = pending["session_token"].as_str().unwrap();
    for _ in 0..3 {
        let response = client
            .post(server.url("/api/v1/sessions/second-factor"))
            .bearer_auth(pending)
            .json(&json!({"method": "totp", "code": "000000"}))
            .send()
            .await
            .unwrap();
        assert_ne!(response.status().as_u16(), 200);
    }

    // The admin exports the audit log: a staff action.
    call(
        &client,
        Method::GET,
        server.url("/api/v1/admin/audit/export"),
        Some(&admin),
        None,
        200,
    )
    .await;

    let board = dashboard(&server, &client, &admin).await;
    let total = &board["funnel"]["total"];
    assert_eq!(total["started"], 2, "{total}");
    assert_eq!(total["verified_by_mail"], 1, "{total}");
    assert_eq!(total["verified_online"], 0, "{total}");
    assert_eq!(
        board["letters"],
        json!({"pending": 0, "printed": 0, "activated": 1, "expired": 0})
    );
    assert_eq!(
        board["lockouts"],
        json!({"accounts_locked": 1, "factors_disabled": 1})
    );
    let activity = board["staff_activity"].as_array().unwrap();
    assert_eq!(activity[0]["action"], "audit.exported", "{activity:?}");
    assert!(
        activity
            .iter()
            .all(|a| a["actor"].as_str().unwrap().starts_with("staff:")),
        "only staff entries: {activity:?}"
    );

    // The page shows the same numbers: a chart with a title, and the table.
    let browser = browser("Mozilla/5.0 (Admin test)");
    let (status, html) = page(&browser, server.url("/admin"), Some(&admin)).await;
    assert_eq!(status, 200);
    assert!(html.contains("<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\""));
    assert!(html.contains(
        "<title id=\"funnel-chart-title\">Identity verification per day, 2026-02-01 to 2026-03-02 (UTC)</title>"
    ));
    assert!(
        html.contains("<title>03-02: Verified by mail 1</title>"),
        "bar titles"
    );
    assert!(html.contains("<th scope=\"row\">2026-03-02</th><td>2</td><td>0</td><td>1</td>"));
    assert!(html.contains("audit.exported"));
    assert!(!html.contains("style="), "no inline style (CSP)");
    server.finish().await;
}

async fn planned_maintenance_is_announced_then_closes_sign_in_until_cancelled(backend: Backend) {
    let server = TestServer::start(backend).await;
    let client = api_client();
    let ann = Person::new("admin.ann");
    let (admin, _) = account_with_totp(&server, &client, &ann).await;
    server
        .running()
        .services
        .roles()
        .grant_staff_role(
            sa_domain::journeys::RoleAdmin::Console,
            &ann.username,
            "admin",
            None,
        )
        .await
        .unwrap();
    let uma = Person::new("user.uma");
    account_with_totp(&server, &client, &uma).await;
    let browser = browser("Mozilla/5.0 (Admin test)");

    // The admin plans a window an hour and a half ahead with the form.
    let (status, form) = page(&browser, server.url("/admin/maintenance"), Some(&admin)).await;
    assert_eq!(status, 200);
    assert!(form.contains("No maintenance planned."));
    let (status, html) = post_form(
        &browser,
        server.url("/admin/maintenance"),
        &form,
        &admin,
        &[
            ("starts_at", "2026-03-02T16:30"),
            ("ends_at", "2026-03-02T16:00"),
            ("message", "Upgrading the database."),
        ],
    )
    .await;
    assert_eq!(status, 400);
    assert!(html.contains("The end must be after the start."));
    let (status, location) = post_form(
        &browser,
        server.url("/admin/maintenance"),
        &form,
        &admin,
        &[
            ("starts_at", "2026-03-02T16:30"),
            ("ends_at", "2026-03-02T18:00"),
            ("message", "Upgrading the database."),
        ],
    )
    .await;
    assert_eq!((status, location.as_str()), (303, "/admin/maintenance"));

    // Beforehand: every page says so, and sign-in works.
    let banner = "Planned maintenance: 2026-03-02 16:30 to 18:00 UTC. Upgrading the database.";
    for path in ["/", "/sign-in", "/sign-up"] {
        let (status, html) = page(&browser, server.url(path), None).await;
        assert_eq!(status, 200, "{path}");
        assert!(html.contains(banner), "{path}: {html}");
    }
    password_step(&server, &client, &uma).await;
    let listed = call(
        &client,
        Method::GET,
        server.url("/api/v1/admin/maintenance"),
        Some(&admin),
        None,
        200,
    )
    .await;
    assert_eq!(listed["status"], "upcoming");
    let window = listed["windows"][0].clone();
    assert_eq!(window["starts_at"], "2026-03-02T16:30:00Z");
    let ready = client.get(server.url("/readyz")).send().await.unwrap();
    assert_eq!(ready.status(), 200);

    // The admin stays signed in (sessions idle out after 15 minutes) while the clock
    // moves into the window.
    while server.clock_now() < datetime!(2026-03-02 16:45 UTC) {
        server.clock.advance(Duration::minutes(10));
        call(
            &client,
            Method::GET,
            server.url("/api/v1/admin/maintenance"),
            Some(&admin),
            None,
            200,
        )
        .await;
    }
    let now = server.clock_now();
    let seconds_left = (datetime!(2026-03-02 18:00 UTC) - now).whole_seconds();
    let expected_message = "Secure Access is down for planned maintenance until 2026-03-02 18:00 UTC. Nothing is wrong with your account; please come back then.";

    // During it: sign-in and sign-up say when service returns.
    for (path, body) in [
        (
            "/api/v1/sessions",
            json!({"username": uma.username, "password": uma.password}),
        ),
        (
            "/api/v1/accounts",
            json!({"username": "new.person", "email": "new@example.test", "password": "violet harbor piano meadow"}),
        ),
    ] {
        let response = client
            .post(server.url(path))
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 503, "{path}");
        let retry: i64 = response.headers()["retry-after"]
            .to_str()
            .unwrap()
            .parse()
            .unwrap();
        assert_eq!(retry, seconds_left);
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["error"]["code"], "maintenance");
        assert_eq!(body["error"]["message"], expected_message);
    }
    for path in ["/sign-in", "/sign-up"] {
        let response = browser.get(server.url(path)).send().await.unwrap();
        assert_eq!(response.status(), 503, "{path}");
        assert!(response.headers().contains_key("retry-after"));
        let html = response.text().await.unwrap();
        assert!(html.contains(expected_message), "{html}");
        assert!(html.contains("Upgrading the database."));
    }
    let response = browser
        .post(server.url("/sign-in"))
        .form(&[
            ("csrf_token", csrf_token(&form).as_str()),
            ("username", &uma.username),
            ("password", &uma.password),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 503);
    let ready = client.get(server.url("/readyz")).send().await.unwrap();
    assert_eq!(ready.status(), 503);
    let ready: Value = ready.json().await.unwrap();
    assert_eq!(ready["status"], "maintenance");
    assert_eq!(ready["until"], "2026-03-02T18:00:00Z");
    let health = client.get(server.url("/healthz")).send().await.unwrap();
    assert_eq!(health.status(), 200);

    // Admin pages stay open, with a banner saying the service is down.
    let (status, html) = page(&browser, server.url("/admin"), Some(&admin)).await;
    assert_eq!(status, 200);
    assert!(html.contains(expected_message));

    // The admin cancels through the API: sign-in works again at once.
    let id = window["id"].as_str().unwrap();
    let cancelled = call(
        &client,
        Method::DELETE,
        server.url(&format!("/api/v1/admin/maintenance/{id}")),
        Some(&admin),
        None,
        200,
    )
    .await;
    assert_eq!(cancelled["state"], "cancelled");
    call(
        &client,
        Method::DELETE,
        server.url(&format!("/api/v1/admin/maintenance/{id}")),
        Some(&admin),
        None,
        409,
    )
    .await;
    password_step(&server, &client, &uma).await;
    let ready = client.get(server.url("/readyz")).send().await.unwrap();
    assert_eq!(ready.status(), 200);
    let (status, html) = page(&browser, server.url("/sign-in"), None).await;
    assert_eq!(status, 200);
    assert!(!html.contains("Planned maintenance") && !html.contains("down for planned"));

    // A later window planned over the API is cancelled with the page's button.
    let planned = call(
        &client,
        Method::POST,
        server.url("/api/v1/admin/maintenance"),
        Some(&admin),
        Some(
            json!({"starts_at": "2026-03-04T02:00:00Z", "ends_at": "2026-03-04T03:00:00Z",
            "message": "Moving to new servers."}),
        ),
        201,
    )
    .await;
    assert_eq!(planned["state"], "upcoming");
    let overlapping = call(
        &client,
        Method::POST,
        server.url("/api/v1/admin/maintenance"),
        Some(&admin),
        Some(json!({"starts_at": "2026-03-04T02:30", "ends_at": "2026-03-04T04:00"})),
        409,
    )
    .await;
    assert_eq!(overlapping["error"]["code"], "conflict");
    let (_, list) = page(&browser, server.url("/admin/maintenance"), Some(&admin)).await;
    assert!(list.contains("Moving to new servers."));
    let later = planned["id"].as_str().unwrap();
    let (status, location) = post_form(
        &browser,
        server.url(&format!("/admin/maintenance/{later}/cancel")),
        &list,
        &admin,
        &[],
    )
    .await;
    assert_eq!((status, location.as_str()), (303, "/admin/maintenance"));
    let listed = call(
        &client,
        Method::GET,
        server.url("/api/v1/admin/maintenance"),
        Some(&admin),
        None,
        200,
    )
    .await;
    assert_eq!(listed["status"], "none");
    assert!(
        listed["windows"]
            .as_array()
            .unwrap()
            .iter()
            .all(|w| w["state"] == "cancelled"),
        "{listed}"
    );

    // Planning and cancelling are in the audit log, by the admin.
    let admin_id = {
        use sa_domain::store::Store;
        server
            .running()
            .store
            .account_by_username(&ann.username)
            .await
            .unwrap()
            .unwrap()
            .id
    };
    let entries = server
        .running()
        .services
        .core()
        .store
        .audit_entries(None, 0, 100)
        .await
        .unwrap();
    let actions: Vec<(&str, &str)> = entries
        .iter()
        .filter(|e| e.event.action.starts_with("maintenance."))
        .map(|e| (e.event.action.as_str(), e.event.actor.as_str()))
        .collect();
    let actor = format!("staff:{admin_id}");
    assert_eq!(
        actions,
        vec![
            ("maintenance.scheduled", actor.as_str()),
            ("maintenance.cancelled", actor.as_str()),
            ("maintenance.scheduled", actor.as_str()),
            ("maintenance.cancelled", actor.as_str()),
        ]
    );
    let first = entries
        .iter()
        .find(|e| e.event.action == "maintenance.cancelled")
        .unwrap();
    assert_eq!(first.event.detail["window"], json!(id));
    assert_eq!(first.event.detail["was"], "active");
    server.finish().await;
}

on_both_databases!(
    only_admins_reach_the_dashboard_and_maintenance,
    dashboard_counts_the_funnel_letters_lockouts_and_staff_activity,
    planned_maintenance_is_announced_then_closes_sign_in_until_cancelled,
);
