//! The audit log, on SQLite and PostgreSQL: concurrent appends form one unbroken chain;
//! editing or deleting a row in the database makes `audit verify` (the function and the
//! real binary) fail and name the entry; staff search by account and admin export are
//! role-checked, and each read is itself recorded.

use reqwest::Method;
use sa_domain::audit::{AuditEntry, AuditEvent, GENESIS_HASH, applicant_actor, staff_actor};
use sa_domain::clock::Clock;
use sa_domain::store::{Change, Write};
use serde_json::{Value, json};
use sqlx::Connection;

use crate::common::*;
use crate::on_both_databases;

/// An event like the proofing flow records (ids and reason codes only).
fn decision(server: &TestServer, subject: &str, n: usize) -> AuditEvent {
    AuditEvent {
        at: server.clock.now(),
        actor: applicant_actor(subject),
        action: "proofing.identity.failed".to_owned(),
        subject: Some(subject.to_owned()),
        detail: json!({"attempt": n, "reasons": ["date_of_birth_mismatch"]}),
    }
}

async fn append(server: &TestServer, event: AuditEvent) {
    server
        .running()
        .services
        .core()
        .store
        .apply(Change::new().with(Write::AppendAudit(event)))
        .await
        .expect("append");
}

async fn all_entries(server: &TestServer) -> Vec<AuditEntry> {
    server
        .running()
        .services
        .core()
        .store
        .audit_entries(None, 0, 10_000)
        .await
        .expect("entries")
}

/// `secure-access audit verify` against the server's data; (success, stdout).
async fn verify_with_binary(server: &TestServer) -> (bool, String) {
    let (ok, stdout, _) = crate::common::cli(server, &["audit", "verify"]).await;
    (ok, stdout)
}

async fn broken_at(server: &TestServer) -> (i64, String) {
    let broken = secure_access::commands::audit::verify(
        &server.config,
        std::sync::Arc::new(server.clock.clone()),
    )
    .await
    .expect("verify runs")
    .expect_err("the chain is broken");
    (broken.seq, broken.reason)
}

async fn concurrent_appends_chain_and_tampering_is_named(backend: Backend) {
    let server = TestServer::start(backend).await;
    assert_eq!(
        secure_access::commands::audit::verify(
            &server.config,
            std::sync::Arc::new(server.clock.clone())
        )
        .await
        .unwrap(),
        Ok(0),
        "an empty log is intact"
    );

    // 20 appends from 20 tasks at once: one chain, seq 1..=20, no fork.
    let mut tasks = Vec::new();
    for n in 0..20 {
        let services = server.running().services.clone();
        let event = decision(&server, &format!("acct-{}", n % 4), n);
        tasks.push(tokio::spawn(async move {
            services
                .core()
                .store
                .apply(Change::new().with(Write::AppendAudit(event)))
                .await
        }));
    }
    for task in tasks {
        task.await.expect("task").expect("append");
    }
    let entries = all_entries(&server).await;
    assert_eq!(
        entries.iter().map(|e| e.seq).collect::<Vec<_>>(),
        (1..=20).collect::<Vec<i64>>()
    );
    assert_eq!(entries[0].prev_hash, GENESIS_HASH);
    for pair in entries.windows(2) {
        assert_eq!(pair[1].prev_hash, pair[0].hash);
    }
    let head = server
        .running()
        .services
        .core()
        .store
        .audit_head()
        .await
        .unwrap();
    assert_eq!(head, Some((20, entries[19].hash.clone())));
    assert_eq!(
        secure_access::commands::audit::verify(
            &server.config,
            std::sync::Arc::new(server.clock.clone())
        )
        .await
        .unwrap(),
        Ok(20)
    );
    let (ok, stdout) = verify_with_binary(&server).await;
    assert!(ok, "{stdout}");
    assert!(stdout.contains("audit log intact: 20 entries"), "{stdout}");

    let mut db = server.database().await;

    // Edit one row's detail: that entry is named.
    let original: String = sqlx::query_scalar("SELECT detail FROM audit_log WHERE seq = 7")
        .fetch_one(&mut db)
        .await
        .unwrap();
    sqlx::query("UPDATE audit_log SET detail = $1 WHERE seq = 7")
        .bind(r#"{"attempt":0,"reasons":[]}"#)
        .execute(&mut db)
        .await
        .unwrap();
    assert_eq!(
        broken_at(&server).await,
        (7, "hash does not match its contents".to_owned())
    );
    let (ok, stdout) = verify_with_binary(&server).await;
    assert!(!ok, "a broken chain fails the command");
    assert!(
        stdout.contains("audit log BROKEN at entry 7: hash does not match its contents"),
        "{stdout}"
    );

    // Put it back: intact again.
    sqlx::query("UPDATE audit_log SET detail = $1 WHERE seq = 7")
        .bind(&original)
        .execute(&mut db)
        .await
        .unwrap();
    assert_eq!(
        secure_access::commands::audit::verify(
            &server.config,
            std::sync::Arc::new(server.clock.clone())
        )
        .await
        .unwrap(),
        Ok(20)
    );

    // Edit the actor and recompute that row's hash: the next row's link names it.
    let edited = entries[9].clone();
    let mut forged = edited.event.clone();
    forged.actor = staff_actor("someone-else");
    let forged_hash = sa_domain::audit::entry_hash(&edited.prev_hash, 10, &forged);
    sqlx::query("UPDATE audit_log SET actor = $1, hash = $2 WHERE seq = 10")
        .bind(&forged.actor)
        .bind(&forged_hash)
        .execute(&mut db)
        .await
        .unwrap();
    let (seq, reason) = broken_at(&server).await;
    assert_eq!(seq, 11);
    assert!(reason.starts_with("previous-hash link broken"), "{reason}");
    sqlx::query("UPDATE audit_log SET actor = $1, hash = $2 WHERE seq = 10")
        .bind(&edited.event.actor)
        .bind(&edited.hash)
        .execute(&mut db)
        .await
        .unwrap();

    // Delete a row in the middle: the entry after the gap is named.
    sqlx::query("DELETE FROM audit_log WHERE seq = 12")
        .execute(&mut db)
        .await
        .unwrap();
    assert_eq!(
        broken_at(&server).await,
        (13, "sequence gap: entry 12 missing".to_owned())
    );
    let (ok, stdout) = verify_with_binary(&server).await;
    assert!(!ok);
    assert!(stdout.contains("BROKEN at entry 13"), "{stdout}");
    reinsert(&mut db, &entries[11]).await;
    assert_eq!(
        secure_access::commands::audit::verify(
            &server.config,
            std::sync::Arc::new(server.clock.clone())
        )
        .await
        .unwrap(),
        Ok(20)
    );

    // Delete the last row: the head still records it.
    sqlx::query("DELETE FROM audit_log WHERE seq = 20")
        .execute(&mut db)
        .await
        .unwrap();
    assert_eq!(
        broken_at(&server).await,
        (20, "head records seq 20 but the log ends at 19".to_owned())
    );
    let (ok, stdout) = verify_with_binary(&server).await;
    assert!(!ok);
    assert!(stdout.contains("BROKEN at entry 20"), "{stdout}");
    reinsert(&mut db, &entries[19]).await;
    db.close().await.ok();

    // The chain goes on from the head after the repair.
    append(&server, decision(&server, "acct-0", 99)).await;
    assert_eq!(
        secure_access::commands::audit::verify(
            &server.config,
            std::sync::Arc::new(server.clock.clone())
        )
        .await
        .unwrap(),
        Ok(21)
    );
    server.finish().await;
}

/// Put a deleted row back exactly as it was.
async fn reinsert(db: &mut sqlx::AnyConnection, entry: &AuditEntry) {
    sqlx::query(
        "INSERT INTO audit_log (seq, at, actor, action, subject, detail, prev_hash, hash) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(entry.seq)
    .bind(sa_domain::clock::to_millis(entry.event.at))
    .bind(&entry.event.actor)
    .bind(&entry.event.action)
    .bind(entry.event.subject.as_deref())
    .bind(sa_domain::audit::canonical_json(&entry.event.detail))
    .bind(&entry.prev_hash)
    .bind(&entry.hash)
    .execute(db)
    .await
    .unwrap();
}

async fn account_id(server: &TestServer, username: &str) -> String {
    server
        .running()
        .services
        .core()
        .store
        .account_by_username(username)
        .await
        .unwrap()
        .expect("account")
        .id
}

async fn get(
    server: &TestServer,
    client: &reqwest::Client,
    path: &str,
    token: Option<&str>,
    status: u16,
) -> Value {
    call(client, Method::GET, server.url(path), token, None, status).await
}

async fn staff_search_and_admin_export_are_role_checked_and_recorded(backend: Backend) {
    let server = TestServer::start(backend).await;
    let client = api_client();
    let applicant = Person::new("audit.applicant");
    let staff = Person::new("audit.staff");
    let (applicant_token, _) = account_with_totp(&server, &client, &applicant).await;
    let (staff_token, _) = account_with_totp(&server, &client, &staff).await;
    let applicant_id = account_id(&server, &applicant.username).await;
    let staff_id = account_id(&server, &staff.username).await;
    let at = sa_domain::clock::rfc3339(server.clock.now());
    append(&server, decision(&server, &applicant_id, 1)).await;
    append(&server, decision(&server, "someone-else", 1)).await;
    append(&server, decision(&server, &applicant_id, 2)).await;

    let search = format!("/api/v1/staff/audit?account={applicant_id}");
    let export = "/api/v1/admin/audit/export";

    // Not signed in, and signed in without a staff role.
    get(&server, &client, &search, None, 401).await;
    get(&server, &client, export, None, 401).await;
    for token in [&applicant_token, &staff_token] {
        let refused = get(&server, &client, &search, Some(token), 403).await;
        assert_eq!(refused["error"]["code"], "forbidden");
        let refused = get(&server, &client, export, Some(token), 403).await;
        assert_eq!(refused["error"]["code"], "forbidden");
    }

    // The help desk may search by account, but not export.
    server
        .running()
        .services
        .roles()
        .grant_staff_role(
            sa_domain::journeys::RoleAdmin::Console,
            &staff.username,
            "help_desk",
            None,
        )
        .await
        .expect("grant");
    let found = get(&server, &client, &search, Some(&staff_token), 200).await;
    let entries = found["entries"].as_array().expect("entries");
    assert_eq!(entries.len(), 2, "{found}");
    assert!(
        entries
            .iter()
            .all(|e| e["subject"] == applicant_id.as_str())
    );
    assert_eq!(entries[0]["action"], "proofing.identity.failed");
    assert_eq!(entries[0]["actor"], applicant_actor(&applicant_id));
    assert_eq!(entries[0]["detail"]["attempt"], 1);
    assert_eq!(entries[0]["at"], at);
    for key in ["seq", "hash", "prev_hash"] {
        assert!(entries[0].get(key).is_some(), "{key} missing");
    }
    assert_eq!(found["next_after"], Value::Null);
    let refused = get(&server, &client, export, Some(&staff_token), 403).await;
    assert_eq!(refused["error"]["code"], "forbidden");

    // Paging: a full page points at the next one.
    let first = get(
        &server,
        &client,
        &format!("{search}&limit=1"),
        Some(&staff_token),
        200,
    )
    .await;
    assert_eq!(first["entries"].as_array().unwrap().len(), 1);
    let after = first["next_after"].as_i64().expect("next_after");
    assert_eq!(after, first["entries"][0]["seq"].as_i64().unwrap());
    let rest = get(
        &server,
        &client,
        &format!("{search}&after={after}&limit=500"),
        Some(&staff_token),
        200,
    )
    .await;
    let rest = rest["entries"].as_array().unwrap();
    assert_eq!(rest[0]["detail"]["attempt"], 2);
    // The earlier searches of this account were recorded with it as the subject.
    let searched: Vec<&Value> = rest
        .iter()
        .filter(|e| e["action"] == "audit.searched")
        .collect();
    assert_eq!(searched.len(), 2, "{rest:?}");
    assert_eq!(searched[0]["actor"], staff_actor(&staff_id));

    // Bad paging is a 400 naming the field.
    let bad = get(
        &server,
        &client,
        &format!("{search}&limit=501"),
        Some(&staff_token),
        400,
    )
    .await;
    assert_eq!(bad["error"]["field"], "limit");
    let bad = get(
        &server,
        &client,
        "/api/v1/staff/audit",
        Some(&staff_token),
        400,
    )
    .await;
    assert_eq!(bad["error"]["field"], "account");

    // An admin may export the whole log, which records the export.
    server
        .running()
        .services
        .roles()
        .grant_staff_role(
            sa_domain::journeys::RoleAdmin::Console,
            &staff.username,
            "admin",
            None,
        )
        .await
        .expect("grant");
    let all = get(&server, &client, export, Some(&staff_token), 200).await;
    let all = all["entries"].as_array().unwrap();
    let count = |action: &str| all.iter().filter(|e| e["action"] == action).count();
    assert_eq!(count("proofing.identity.failed"), 3, "{all:?}");
    assert_eq!(count("audit.searched"), 3, "{all:?}");
    assert!(all.iter().any(|e| e["subject"] == "someone-else"));
    let last_seq = all.last().unwrap()["seq"].as_i64().unwrap();
    let again = get(
        &server,
        &client,
        &format!("{export}?after={last_seq}&limit=5000"),
        Some(&staff_token),
        200,
    )
    .await;
    let again = again["entries"].as_array().unwrap();
    assert_eq!(again.len(), 1);
    assert_eq!(again[0]["action"], "audit.exported");
    assert_eq!(again[0]["actor"], staff_actor(&staff_id));
    assert_eq!(again[0]["subject"], Value::Null);
    get(
        &server,
        &client,
        &format!("{export}?limit=5001"),
        Some(&staff_token),
        400,
    )
    .await;

    // The console export writes JSON Lines and records itself too.
    let out = server.data_dir.path().join("audit.jsonl");
    let written = secure_access::commands::audit::export(
        &server.config,
        std::sync::Arc::new(server.clock.clone()),
        &out,
    )
    .await
    .expect("export");
    let lines: Vec<Value> = std::fs::read_to_string(&out)
        .unwrap()
        .lines()
        .map(|line| serde_json::from_str(line).expect("JSON line"))
        .collect();
    assert_eq!(lines.len() as u64, written);
    assert!(
        lines
            .iter()
            .any(|l| l["action"] == "audit.exported" && l["actor"] == staff_actor(&staff_id))
    );
    let last = lines.last().unwrap();
    assert_eq!(last["action"], "audit.exported");
    assert_eq!(last["actor"], "system");
    assert_eq!(last["detail"]["via"], "console");
    assert_eq!(lines[0]["prev_hash"], GENESIS_HASH);
    assert_eq!(
        secure_access::commands::audit::verify(
            &server.config,
            std::sync::Arc::new(server.clock.clone())
        )
        .await
        .unwrap(),
        Ok(written)
    );
    server.finish().await;
}

on_both_databases!(
    concurrent_appends_chain_and_tampering_is_named,
    staff_search_and_admin_export_are_role_checked_and_recorded,
);
