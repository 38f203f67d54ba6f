//! Staff and app administration at the console, on SQLite and PostgreSQL: `staff add`,
//! `staff remove`, `staff list`, and `apps add|list|show|remove`, through the real binary. Every grant and removal is in the
//! hash-chained audit log (who, whom, what, when, why) and the person's history; the
//! last admin cannot be removed; bad input is refused with the problem named; and an
//! edited staff entry is named by `audit verify`.

use sa_domain::store::Store;
use serde_json::json;
use sqlx::Connection;

use crate::common::*;
use crate::on_both_databases;

async fn account_id(server: &TestServer, username: &str) -> String {
    let store = &server.running().store;
    store
        .account_by_username(username)
        .await
        .unwrap()
        .expect("account")
        .id
}

async fn staff(server: &TestServer, args: &[&str]) -> (bool, String) {
    let mut all = vec!["staff"];
    all.extend_from_slice(args);
    let (ok, stdout, stderr) = cli(server, &all).await;
    (ok, if ok { stdout } else { stderr })
}

async fn roles_are_granted_listed_and_removed_with_an_audit_trail(backend: Backend) {
    let server = TestServer::start(backend).await;
    let client = api_client();
    let (ann, bo) = (Person::new("admin.ann"), Person::new("helper.bo"));
    for person in [&ann, &bo] {
        sign_up_confirmed(&server, &client, person).await;
    }
    let (ann_id, bo_id) = (
        account_id(&server, &ann.username).await,
        account_id(&server, &bo.username).await,
    );

    let (ok, out) = staff(
        &server,
        &[
            "add",
            "--username",
            &ann.username,
            "--role",
            "admin",
            "--reason",
            "ticket 4411",
        ],
    )
    .await;
    assert!(ok, "{out}");
    assert!(out.contains("now has the admin role"), "{out}");
    let (ok, out) = staff(
        &server,
        &["add", "--username", &bo.username, "--role", "help_desk"],
    )
    .await;
    assert!(ok, "{out}");

    let (ok, list) = staff(&server, &["list"]).await;
    assert!(ok, "{list}");
    let ann_line = list
        .lines()
        .find(|l| l.starts_with(&ann.username))
        .expect("ann listed");
    assert!(ann_line.contains("admin (since 2026-"), "{list}");
    assert!(ann_line.ends_with("never"), "no sign-in yet: {list}");
    assert!(
        list.lines()
            .any(|l| l.starts_with(&bo.username) && l.contains("help_desk"))
    );

    // Never the last admin; never a role not held; never an unknown role.
    let (ok, out) = staff(
        &server,
        &["remove", "--username", &ann.username, "--role", "admin"],
    )
    .await;
    assert!(!ok);
    assert!(out.contains("last admin"), "{out}");
    let (ok, out) = staff(
        &server,
        &["remove", "--username", &bo.username, "--role", "admin"],
    )
    .await;
    assert!(!ok);
    assert!(out.contains("does not have that role"), "{out}");
    let (ok, out) = staff(
        &server,
        &["add", "--username", &bo.username, "--role", "root"],
    )
    .await;
    assert!(!ok);
    assert!(out.contains("Role must be"), "{out}");
    let long = "x".repeat(201);
    let (ok, out) = staff(
        &server,
        &[
            "add",
            "--username",
            &bo.username,
            "--role",
            "admin",
            "--reason",
            &long,
        ],
    )
    .await;
    assert!(!ok);
    assert!(out.contains("200 characters"), "{out}");
    let (ok, out) = staff(
        &server,
        &["add", "--username", "nobody.here", "--role", "admin"],
    )
    .await;
    assert!(!ok);
    assert!(out.contains("no account with that username"), "{out}");

    // With a second admin, the first can go.
    let (ok, out) = staff(
        &server,
        &["add", "--username", &bo.username, "--role", "admin"],
    )
    .await;
    assert!(ok, "{out}");
    let (ok, out) = staff(
        &server,
        &[
            "remove",
            "--username",
            &ann.username,
            "--role",
            "admin",
            "--reason",
            "moved team",
        ],
    )
    .await;
    assert!(ok, "{out}");
    let (_, list) = staff(&server, &["list"]).await;
    assert!(!list.contains(&ann.username), "{list}");

    // The audit log holds each grant and removal: who, whom, what, when, why.
    let entries = server
        .running()
        .services
        .core()
        .store
        .audit_entries(None, 0, 1_000)
        .await
        .unwrap();
    let staff_entries: Vec<_> = entries
        .iter()
        .filter(|e| e.event.action.starts_with("staff.role_"))
        .collect();
    assert_eq!(staff_entries.len(), 4, "three grants and one removal");
    let first = staff_entries[0];
    assert_eq!(first.event.action, "staff.role_granted");
    assert_eq!(first.event.actor, "system");
    assert_eq!(first.event.subject.as_deref(), Some(ann_id.as_str()));
    assert_eq!(
        first.event.detail,
        json!({"role": "admin", "via": "console", "reason": "ticket 4411"})
    );
    let removal = staff_entries[3];
    assert_eq!(removal.event.action, "staff.role_revoked");
    assert_eq!(removal.event.subject.as_deref(), Some(ann_id.as_str()));
    assert_eq!(removal.event.detail["reason"], "moved team");
    assert!(
        staff_entries
            .iter()
            .any(|e| e.event.subject.as_deref() == Some(bo_id.as_str()))
    );

    // And the person's history.
    let events = server
        .running()
        .store
        .security_events(&ann_id, 50)
        .await
        .unwrap();
    let kinds: Vec<&str> = events.iter().map(|e| e.kind.as_str()).collect();
    assert!(
        kinds.contains(&"staff_role_granted") && kinds.contains(&"staff_role_revoked"),
        "{kinds:?}"
    );

    // The chain is intact; an edited staff entry is named.
    let (ok, stdout, _) = cli(&server, &["audit", "verify"]).await;
    assert!(ok && stdout.contains("audit log intact"), "{stdout}");
    sqlx::any::install_default_drivers();
    let mut db = sqlx::AnyConnection::connect(&server.config.database_url())
        .await
        .unwrap();
    let forged = json!({"role": "help_desk", "via": "console", "reason": "moved team"});
    sqlx::query("UPDATE audit_log SET detail = $1 WHERE seq = $2")
        .bind(forged.to_string())
        .bind(removal.seq)
        .execute(&mut db)
        .await
        .unwrap();
    let (ok, stdout, _) = cli(&server, &["audit", "verify"]).await;
    assert!(!ok);
    assert!(
        stdout.contains(&format!("audit log BROKEN at entry {}", removal.seq)),
        "{stdout}"
    );
    server.finish().await;
}

async fn apps_are_listed_shown_and_removed_with_an_audit_trail(backend: Backend) {
    let server = TestServer::start(backend).await;
    let (ok, out, err) = cli(
        &server,
        &[
            "apps",
            "add",
            "--name",
            "Transcript tool",
            "--redirect-uri",
            "https://transcripts.example/callback",
            "--auth",
            "client_secret_basic",
        ],
    )
    .await;
    assert!(ok, "{err}");
    let client_id = out
        .lines()
        .find_map(|l| l.strip_prefix("client_id: "))
        .expect("client id printed")
        .to_owned();
    let secret = out
        .lines()
        .find_map(|l| l.strip_prefix("client_secret: "))
        .expect("secret shown once")
        .to_owned();

    let (ok, list, _) = cli(&server, &["apps", "list"]).await;
    assert!(ok);
    assert!(
        list.lines()
            .any(|l| l.starts_with(&client_id) && l.contains("Transcript tool")),
        "{list}"
    );
    let (ok, shown, _) = cli(&server, &["apps", "show", &client_id]).await;
    assert!(ok);
    assert!(
        shown.contains("redirect_uris: https://transcripts.example/callback"),
        "{shown}"
    );
    assert!(shown.contains("auth: client_secret_basic"), "{shown}");
    assert!(
        !shown.contains(&secret) && !shown.contains("secret_hash"),
        "{shown}"
    );

    let (ok, out, err) = cli(
        &server,
        &["apps", "remove", &client_id, "--reason", "tool retired"],
    )
    .await;
    assert!(ok, "{err}");
    assert!(out.contains("removed"), "{out}");
    for args in [
        vec!["apps", "show", client_id.as_str()],
        vec!["apps", "remove", client_id.as_str()],
    ] {
        let (ok, _, err) = cli(&server, &args).await;
        assert!(!ok);
        assert!(err.contains("There is no app with that client id"), "{err}");
    }
    let (_, list, _) = cli(&server, &["apps", "list"]).await;
    assert!(!list.contains(&client_id), "{list}");

    let entries = server
        .running()
        .services
        .core()
        .store
        .audit_entries(None, 0, 1_000)
        .await
        .unwrap();
    let actions: Vec<(&str, &serde_json::Value)> = entries
        .iter()
        .filter(|e| e.event.action.starts_with("app."))
        .map(|e| (e.event.action.as_str(), &e.event.detail))
        .collect();
    assert_eq!(actions.len(), 2, "{actions:?}");
    assert_eq!(actions[0].0, "app.registered");
    assert_eq!(actions[0].1["client_id"], client_id.as_str());
    assert_eq!(actions[1].0, "app.removed");
    assert_eq!(actions[1].1["reason"], "tool retired");
    let (ok, stdout, _) = cli(&server, &["audit", "verify"]).await;
    assert!(ok && stdout.contains("audit log intact"), "{stdout}");
    server.finish().await;
}

async fn admin(
    server: &TestServer,
    client: &reqwest::Client,
    path: &str,
    token: &str,
    body: serde_json::Value,
    status: u16,
) -> serde_json::Value {
    call(
        client,
        reqwest::Method::POST,
        server.url(path),
        Some(token),
        Some(body),
        status,
    )
    .await
}

async fn admins_grant_and_revoke_roles_through_the_api(backend: Backend) {
    let server = TestServer::start_with(backend, |c| c.require_identity_verification = true).await;
    let client = api_client();
    let boss = crate::common::staff::staff_member(&server, &client, "boss.admin", &["admin"]).await;
    let helper =
        crate::common::staff::staff_member(&server, &client, "desk.helper", &["help_desk"]).await;
    let grant = "/api/v1/admin/staff/roles";
    let revoke = "/api/v1/admin/staff/roles/revoke";

    // Only admins; a non-admin learns nothing from bad input.
    let refused = admin(
        &server,
        &client,
        grant,
        &helper.token,
        json!({"username": "desk.helper", "role": "nonsense"}),
        403,
    )
    .await;
    assert_eq!(refused["error"]["code"], "forbidden");
    let list = call(
        &client,
        reqwest::Method::GET,
        server.url("/api/v1/admin/staff"),
        Some(&helper.token),
        None,
        403,
    )
    .await;
    assert_eq!(list["error"]["code"], "forbidden");

    // An admin with a fresh second factor grants; the list shows it.
    let after = admin(
        &server,
        &client,
        grant,
        &boss.token,
        json!({"username": "desk.helper", "role": "admin", "reason": "second admin for cover"}),
        200,
    )
    .await;
    let helper_row = after["staff"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["username"] == "desk.helper")
        .expect("listed")
        .clone();
    let roles: Vec<&str> = helper_row["roles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["role"].as_str().unwrap())
        .collect();
    assert_eq!(roles, ["admin", "help_desk"]);

    // Never on one's own account; bad input named.
    let own = admin(
        &server,
        &client,
        revoke,
        &boss.token,
        json!({"username": "boss.admin", "role": "admin"}),
        403,
    )
    .await;
    assert!(
        own["error"]["message"]
            .as_str()
            .unwrap()
            .contains("own account"),
        "{own}"
    );
    let bad = admin(
        &server,
        &client,
        grant,
        &boss.token,
        json!({"username": "desk.helper", "role": "root"}),
        400,
    )
    .await;
    assert_eq!(bad["error"]["field"], "role");
    let missing = admin(
        &server,
        &client,
        grant,
        &boss.token,
        json!({"role": "admin"}),
        400,
    )
    .await;
    assert_eq!(missing["error"]["field"], "username");

    // The helper (now admin) removes the boss's admin role; then the boss, no longer
    // an admin, cannot act; and the last admin cannot be removed by the console.
    let helper_token = helper.token.clone();
    admin(
        &server,
        &client,
        revoke,
        &helper_token,
        json!({"username": "boss.admin", "role": "admin", "reason": "left the team"}),
        200,
    )
    .await;
    admin(
        &server,
        &client,
        grant,
        &boss.token,
        json!({"username": "desk.helper", "role": "help_desk"}),
        403,
    )
    .await;
    let (ok, out) = staff(
        &server,
        &["remove", "--username", "desk.helper", "--role", "admin"],
    )
    .await;
    assert!(!ok && out.contains("last admin"), "{out}");

    // A second factor older than 15 minutes is not enough (the session is still alive).
    server.clock.advance(time::Duration::minutes(14));
    call(
        &client,
        reqwest::Method::GET,
        server.url("/api/v1/admin/staff"),
        Some(&helper_token),
        None,
        200,
    )
    .await;
    server.clock.advance(time::Duration::minutes(2));
    let stale = admin(
        &server,
        &client,
        grant,
        &helper_token,
        json!({"username": "boss.admin", "role": "help_desk"}),
        403,
    )
    .await;
    assert_eq!(
        stale["error"]["code"], "reauthentication_required",
        "{stale}"
    );

    // The audit log names the admin who acted.
    let entries = server
        .running()
        .services
        .core()
        .store
        .audit_entries(None, 0, 1_000)
        .await
        .unwrap();
    let by_api: Vec<_> = entries
        .iter()
        .filter(|e| {
            e.event.action.starts_with("staff.role_") && e.event.detail["via"] == "admin_console"
        })
        .collect();
    assert_eq!(by_api.len(), 2, "one grant and one removal through the API");
    assert!(by_api.iter().all(|e| e.event.actor.starts_with("staff:")));
    assert_eq!(by_api[1].event.detail["reason"], "left the team");
    server.finish().await;
}

on_both_databases!(
    roles_are_granted_listed_and_removed_with_an_audit_trail,
    admins_grant_and_revoke_roles_through_the_api,
    apps_are_listed_shown_and_removed_with_an_audit_trail,
);
