//! Administration through the API, on SQLite and PostgreSQL: admins grant and revoke
//! staff roles (a fresh second factor, never their own account, never the last admin),
//! lift a person's sign-in lock and end their sessions, each with a reason; all in the
//! audit log with the admin as actor, and in the person's history.

use sa_domain::store::Store;
use serde_json::json;

use crate::common::*;
use crate::on_both_databases;
use crate::staff_admin::{account_id, staff};

/// Status of a POST with a bearer token and a JSON body (no status asserted).
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

async fn status_of(
    client: &reqwest::Client,
    url: String,
    token: &str,
    body: serde_json::Value,
) -> u16 {
    client
        .post(url)
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

async fn admins_unlock_accounts_and_end_sessions_with_a_reason(backend: Backend) {
    let server = TestServer::start_with(backend, |c| c.require_identity_verification = true).await;
    let client = api_client();
    let boss = crate::common::staff::staff_member(&server, &client, "help.admin", &["admin"]).await;
    let desk =
        crate::common::staff::staff_member(&server, &client, "desk.only", &["help_desk"]).await;
    let person = crate::common::staff::staff_member(&server, &client, "locked.out", &[]).await;
    let person_id = account_id(&server, "locked.out").await;
    let boss_id = account_id(&server, "help.admin").await;

    // The person locks their sign-in with wrong codes.
    let started = call(
        &client,
        reqwest::Method::POST,
        server.url("/api/v1/sessions"),
        None,
        Some(json!({"username": "locked.out", "password": Person::new("locked.out").password})),
        200,
    )
    .await;
    let pending = started["session_token"].as_str().unwrap().to_owned();
    let second = server.url("/api/v1/sessions/second-factor");
    let mut locked = false;
    for _ in 0..12 {
        if status_of(
            &client,
            second.clone(),
            &pending,
            json!({"method": "totp", "code": "000000"}),
        )
        .await
            == 423
        {
            locked = true;
            break;
        }
    }
    assert!(locked, "wrong codes lock sign-in");

    let unlock = format!("/api/v1/admin/accounts/{person_id}/unlock");
    let end = format!("/api/v1/admin/accounts/{person_id}/end-sessions");
    // Admins only, never on their own account, and a reason is required.
    let refused = admin(
        &server,
        &client,
        &unlock,
        &desk.token,
        json!({"reason": "caller verified"}),
        403,
    )
    .await;
    assert_eq!(refused["error"]["code"], "forbidden");
    admin(
        &server,
        &client,
        &format!("/api/v1/admin/accounts/{boss_id}/unlock"),
        &boss.token,
        json!({"reason": "mine"}),
        403,
    )
    .await;
    let no_reason = admin(&server, &client, &unlock, &boss.token, json!({}), 400).await;
    assert_eq!(no_reason["error"]["field"], "reason");
    admin(
        &server,
        &client,
        "/api/v1/admin/accounts/no-such-id/unlock",
        &boss.token,
        json!({"reason": "typo"}),
        404,
    )
    .await;

    let done = admin(
        &server,
        &client,
        &unlock,
        &boss.token,
        json!({"reason": "caller verified by phone"}),
        200,
    )
    .await;
    assert_eq!(done["result"], "unlocked");
    let again = admin(
        &server,
        &client,
        &unlock,
        &boss.token,
        json!({"reason": "again"}),
        200,
    )
    .await;
    assert_eq!(again["result"], "not_locked");
    server.next_totp_step();
    let code = server.totp_now(&person.secret);
    call(
        &client,
        reqwest::Method::POST,
        second.clone(),
        Some(&pending),
        Some(json!({"method": "totp", "code": code})),
        200,
    )
    .await;

    // Ending the sessions signs the person out everywhere.
    call(
        &client,
        reqwest::Method::GET,
        server.url("/api/v1/account/security"),
        Some(&person.token),
        None,
        200,
    )
    .await;
    let ended = admin(
        &server,
        &client,
        &end,
        &boss.token,
        json!({"reason": "phone stolen"}),
        200,
    )
    .await;
    assert_eq!(ended["result"], "sessions_ended");
    call(
        &client,
        reqwest::Method::GET,
        server.url("/api/v1/account/security"),
        Some(&person.token),
        None,
        401,
    )
    .await;

    let entries = server
        .running()
        .services
        .core()
        .store
        .audit_entries(None, 0, 1_000)
        .await
        .unwrap();
    let help: Vec<_> = entries
        .iter()
        .filter(|e| {
            e.event.subject.as_deref() == Some(person_id.as_str())
                && ["staff.account_unlocked", "staff.sessions_ended"]
                    .contains(&e.event.action.as_str())
        })
        .collect();
    assert_eq!(
        help.len(),
        2,
        "one unlock (the second changed nothing) and one end"
    );
    assert_eq!(help[0].event.detail["reason"], "caller verified by phone");
    assert_eq!(help[1].event.detail["reason"], "phone stolen");
    assert!(
        help.iter()
            .all(|e| e.event.actor == format!("staff:{boss_id}"))
    );
    let events = server
        .running()
        .store
        .security_events(&person_id, 50)
        .await
        .unwrap();
    let kinds: Vec<&str> = events.iter().map(|e| e.kind.as_str()).collect();
    assert!(
        kinds.contains(&"unlocked_by_staff") && kinds.contains(&"sessions_ended_by_staff"),
        "{kinds:?}"
    );
    server.finish().await;
}

/// Every way in for `name`: the password (status), and the passkey alone (status).
async fn ways_in(
    server: &TestServer,
    client: &reqwest::Client,
    name: &str,
    device: &mut sa_test_support::passkey::SoftPasskey,
) -> (u16, u16) {
    let password = client
        .post(server.url("/api/v1/sessions"))
        .json(&json!({"username": name, "password": Person::new(name).password}))
        .send()
        .await
        .unwrap()
        .status()
        .as_u16();
    let started = call(
        client,
        reqwest::Method::POST,
        server.url("/api/v1/sessions/passwordless"),
        None,
        None,
        200,
    )
    .await;
    let answer = device.assert(&started["options"]);
    let passkey = client
        .post(server.url("/api/v1/sessions/passwordless/confirm"))
        .json(&json!({"challenge_id": started["challenge_id"], "credential": answer}))
        .send()
        .await
        .unwrap()
        .status()
        .as_u16();
    (password, passkey)
}

async fn admins_turn_accounts_off_and_on_with_a_reason(backend: Backend) {
    let server = TestServer::start_with(backend, |c| c.require_identity_verification = true).await;
    let client = api_client();
    let boss = crate::common::staff::staff_member(&server, &client, "off.admin", &["admin"]).await;
    let person = crate::common::staff::staff_member(&server, &client, "turned.off", &[]).await;
    let person_id = account_id(&server, "turned.off").await;
    let mut device = sa_test_support::passkey::SoftPasskey::new(&server.passkey_origin());
    add_passkey(&server, &client, &person.token, &mut device).await;
    assert_eq!(
        ways_in(&server, &client, "turned.off", &mut device).await,
        (200, 200)
    );

    let disable = format!("/api/v1/admin/accounts/{person_id}/disable");
    let enable = format!("/api/v1/admin/accounts/{person_id}/enable");
    let no_reason = admin(&server, &client, &disable, &boss.token, json!({}), 400).await;
    assert_eq!(no_reason["error"]["field"], "reason");
    let mark = server.settled_outbox_mark().await;
    let done = admin(
        &server,
        &client,
        &disable,
        &boss.token,
        json!({"reason": "reported as taken over"}),
        200,
    )
    .await;
    assert_eq!(done["result"], "disabled");
    admin(
        &server,
        &client,
        &disable,
        &boss.token,
        json!({"reason": "again"}),
        409,
    )
    .await;
    // Signed out everywhere, and no way back in: not the password, not the passkey.
    let gone = client
        .get(server.url("/api/v1/account/security"))
        .bearer_auth(&person.token)
        .send()
        .await
        .unwrap();
    assert_eq!(gone.status(), 401);
    assert_eq!(
        ways_in(&server, &client, "turned.off", &mut device).await,
        (403, 403)
    );
    let refused = client
        .post(server.url("/api/v1/sessions"))
        .json(&json!({"username": "turned.off", "password": Person::new("turned.off").password}))
        .send()
        .await
        .unwrap()
        .json::<serde_json::Value>()
        .await
        .unwrap();
    assert_eq!(refused["error"]["code"], "account_disabled");
    let told = server
        .message_after(mark, &Person::new("turned.off").email)
        .await;
    assert_eq!(told["template"], "account_disabled");

    let done = admin(
        &server,
        &client,
        &enable,
        &boss.token,
        json!({"reason": "owner confirmed at the counter"}),
        200,
    )
    .await;
    assert_eq!(done["result"], "enabled");
    admin(
        &server,
        &client,
        &enable,
        &boss.token,
        json!({"reason": "again"}),
        409,
    )
    .await;
    assert_eq!(
        ways_in(&server, &client, "turned.off", &mut device).await,
        (200, 200)
    );

    let entries = server
        .running()
        .services
        .core()
        .store
        .audit_entries(Some(&person_id), 0, 1_000)
        .await
        .unwrap();
    let actions: Vec<(&str, &str)> = entries
        .iter()
        .filter(|e| e.event.action.starts_with("staff.account_"))
        .map(|e| {
            (
                e.event.action.as_str(),
                e.event.detail["reason"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(
        actions,
        [
            ("staff.account_disabled", "reported as taken over"),
            ("staff.account_enabled", "owner confirmed at the counter"),
        ]
    );
    let kinds: Vec<String> = server
        .running()
        .store
        .security_events(&person_id, 50)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.kind)
        .collect();
    assert!(
        kinds.contains(&"disabled_by_staff".to_owned())
            && kinds.contains(&"enabled_by_staff".to_owned()),
        "{kinds:?}"
    );
    server.finish().await;
}

async fn an_admin_with_a_passkey_must_use_it(backend: Backend) {
    let server = TestServer::start_with(backend, |c| c.require_identity_verification = true).await;
    let client = api_client();
    let boss = crate::common::staff::staff_member(&server, &client, "key.admin", &["admin"]).await;
    crate::common::staff::staff_member(&server, &client, "some.one", &[]).await;
    let person_id = account_id(&server, "some.one").await;
    let end = format!("/api/v1/admin/accounts/{person_id}/end-sessions");
    // With only an app, the app's code is enough.
    admin(
        &server,
        &client,
        &end,
        &boss.token,
        json!({"reason": "lost phone"}),
        200,
    )
    .await;
    // Once the admin has a passkey, a session raised with the app's code is not.
    let mut device = sa_test_support::passkey::SoftPasskey::new(&server.passkey_origin());
    add_passkey(&server, &client, &boss.token, &mut device).await;
    let refused = admin(
        &server,
        &client,
        &end,
        &boss.token,
        json!({"reason": "again"}),
        403,
    )
    .await;
    assert_eq!(refused["error"]["code"], "passkey_required");
    assert_eq!(refused["error"]["next"], "second_factor");
    // Signed in with the passkey: allowed, and the staff list says how.
    let started = call(
        &client,
        reqwest::Method::POST,
        server.url("/api/v1/sessions"),
        None,
        Some(json!({"username": "key.admin", "password": Person::new("key.admin").password})),
        200,
    )
    .await;
    let pending = started["session_token"].as_str().unwrap();
    let options = admin(
        &server,
        &client,
        "/api/v1/sessions/passkey",
        pending,
        json!({}),
        200,
    )
    .await;
    let verified = admin(
        &server,
        &client,
        "/api/v1/sessions/second-factor",
        pending,
        json!({"method": "passkey", "credential": device.assert(&options["options"])}),
        200,
    )
    .await;
    let token = verified["session_token"].as_str().unwrap();
    admin(
        &server,
        &client,
        &end,
        token,
        json!({"reason": "again"}),
        200,
    )
    .await;
    let staff = call(
        &client,
        reqwest::Method::GET,
        server.url("/api/v1/admin/staff"),
        Some(token),
        None,
        200,
    )
    .await;
    let me = staff["staff"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["username"] == "key.admin")
        .unwrap()
        .clone();
    assert_eq!(me["last_method"], "passkey");
    server.finish().await;
}

on_both_databases!(
    an_admin_with_a_passkey_must_use_it,
    admins_grant_and_revoke_roles_through_the_api,
    admins_unlock_accounts_and_end_sessions_with_a_reason,
    admins_turn_accounts_off_and_on_with_a_reason,
);
