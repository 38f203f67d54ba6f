//! Staff and app administration at the console, on SQLite and PostgreSQL: `staff add`,
//! `staff remove`, `staff list`, `apps add|list|show|remove`, and helping a person
//! (`accounts unlock|end-sessions|disable|enable`), through the real binary.
//! Every grant and removal is in the hash-chained audit log (who, whom, what, when,
//! why) and the person's history; the last admin cannot be removed; bad input is
//! refused with the problem named; and an edited staff entry is named by `audit
//! verify`. (The same through the API: `admin_api.rs`.)

use sa_domain::store::Store;
use serde_json::json;

use crate::common::*;
use crate::on_both_databases;

pub(crate) async fn account_id(server: &TestServer, username: &str) -> String {
    let store = &server.running().store;
    store
        .account_by_username(username)
        .await
        .unwrap()
        .expect("account")
        .id
}

pub(crate) async fn staff(server: &TestServer, args: &[&str]) -> (bool, String) {
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
    assert!(ann_line.ends_with("never\t-"), "no sign-in yet: {list}");
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
    let mut db = server.database().await;
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

async fn a_person_is_turned_off_and_on_at_the_console(backend: Backend) {
    let server = TestServer::start(backend).await;
    let client = api_client();
    let person = Person::new("console.helped");
    account_with_totp(&server, &client, &person).await;
    let id = account_id(&server, &person.username).await;
    let accounts = |args: &'static [&'static str]| {
        let server = &server;
        async move {
            let mut all = vec!["accounts"];
            all.extend_from_slice(args);
            cli(server, &all).await
        }
    };
    let sign_in = || async {
        client
            .post(server.url("/api/v1/sessions"))
            .json(&json!({"username": person.username, "password": person.password}))
            .send()
            .await
            .unwrap()
            .status()
            .as_u16()
    };

    let (ok, _, stderr) = accounts(&["disable", "--username", "console.helped"]).await;
    assert!(!ok && stderr.contains("--reason"), "{stderr}");
    let (ok, _, stderr) =
        accounts(&["disable", "--username", "nobody.here", "--reason", "typo"]).await;
    assert!(
        !ok && stderr.contains("no account with that username"),
        "{stderr}"
    );
    let (ok, stdout, stderr) = accounts(&[
        "disable",
        "--username",
        "console.helped",
        "--reason",
        "reported as taken over",
    ])
    .await;
    assert!(ok, "{stderr}");
    assert!(stdout.contains("turned off"), "{stdout}");
    assert_eq!(sign_in().await, 403);
    let (ok, _, stderr) = accounts(&[
        "disable",
        "--username",
        "console.helped",
        "--reason",
        "again",
    ])
    .await;
    assert!(!ok && stderr.contains("already turned off"), "{stderr}");
    let (ok, _, stderr) = accounts(&[
        "enable",
        "--username",
        "console.helped",
        "--reason",
        "owner called back",
    ])
    .await;
    assert!(ok, "{stderr}");
    assert_eq!(sign_in().await, 200);
    let (ok, stdout, _) = accounts(&[
        "unlock",
        "--username",
        "console.helped",
        "--reason",
        "asked",
    ])
    .await;
    assert!(ok && stdout.contains("not locked"), "{stdout}");

    let entries = server
        .running()
        .store
        .audit_entries(Some(&id), 0, 100)
        .await
        .unwrap();
    let help: Vec<_> = entries
        .iter()
        .filter(|e| e.event.action.starts_with("staff.account_"))
        .collect();
    assert_eq!(
        help.len(),
        2,
        "disabled and enabled; the unlock changed nothing"
    );
    assert!(
        help.iter()
            .all(|e| e.event.actor == "system" && e.event.detail["via"] == "console")
    );
    assert_eq!(help[0].event.detail["reason"], "reported as taken over");
    let (ok, stdout, stderr) = cli(&server, &["audit", "verify"]).await;
    assert!(ok, "{stdout}{stderr}");
    server.finish().await;
}

on_both_databases!(
    a_person_is_turned_off_and_on_at_the_console,
    roles_are_granted_listed_and_removed_with_an_audit_trail,
    apps_are_listed_shown_and_removed_with_an_audit_trail,
);
