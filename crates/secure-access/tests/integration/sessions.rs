//! Sessions: 15 idle minutes, 12 hours in all, kept in the database (they survive a
//! restart), ended by sign-out.

use reqwest::Method;

use crate::common::*;
use crate::on_both_databases;

/// A signed-in request (the account's factor list) with `token`, expecting `status`.
async fn factors(
    server: &TestServer,
    client: &reqwest::Client,
    token: &str,
    status: u16,
) -> serde_json::Value {
    call(
        client,
        Method::GET,
        server.url("/api/v1/factors"),
        Some(token),
        None,
        status,
    )
    .await
}

async fn sessions_end_after_15_idle_minutes(backend: Backend) {
    let server = TestServer::start(backend).await;
    let client = api_client();
    let (token, _) = account_with_totp(&server, &client, &Person::new("idle.person")).await;
    server.clock.advance(time::Duration::minutes(14));
    factors(&server, &client, &token, 200).await;
    server.clock.advance(time::Duration::minutes(15));
    factors(&server, &client, &token, 401).await;
    server.finish().await;
}

/// A request within a minute of the recorded activity does not write it again, so the
/// idle timeout counts from the recorded time: it may come up to a minute early, never
/// late. A request a minute or more later records it.
async fn activity_is_recorded_at_most_once_a_minute(backend: Backend) {
    let server = TestServer::start(backend).await;
    let client = api_client();
    let (token, _) = account_with_totp(&server, &client, &Person::new("brisk.person")).await;
    // 91 s after the session began (30 s before, see `account_with_totp`): recorded.
    server.clock.advance(time::Duration::seconds(61));
    factors(&server, &client, &token, 200).await;
    // Within a minute of that: not recorded again.
    server.clock.advance(time::Duration::seconds(50));
    factors(&server, &client, &token, 200).await;
    // 15 minutes after the recorded request, 14 min 10 s after the last one.
    server.clock.advance(time::Duration::seconds(14 * 60 + 10));
    factors(&server, &client, &token, 401).await;

    let (token, _) = account_with_totp(&server, &client, &Person::new("steady.person")).await;
    for _ in 0..3 {
        server.clock.advance(time::Duration::seconds(60));
        factors(&server, &client, &token, 200).await;
    }
    // 14 min 59 s after the last request, which was recorded: still signed in.
    server.clock.advance(time::Duration::seconds(14 * 60 + 59));
    factors(&server, &client, &token, 200).await;
    server.finish().await;
}

/// With the shortest idle limit allowed (60 s), activity is recorded more often than
/// once a minute: a person busy every 30 s stays signed in, and 60 idle seconds end it.
async fn a_short_idle_limit_records_activity_often_enough(backend: Backend) {
    let server = TestServer::start_with(backend, |c| c.limits.session_idle_secs = 60).await;
    let client = api_client();
    let (token, _) = account_with_totp(&server, &client, &Person::new("quick.person")).await;
    // 30 s after the session began (see `account_with_totp`), then every 30 s.
    factors(&server, &client, &token, 200).await;
    for _ in 0..6 {
        server.clock.advance(time::Duration::seconds(30));
        factors(&server, &client, &token, 200).await;
    }
    server.clock.advance(time::Duration::seconds(60));
    factors(&server, &client, &token, 401).await;
    server.finish().await;
}

async fn sessions_end_after_12_hours_however_active(backend: Backend) {
    let server = TestServer::start(backend).await;
    let client = api_client();
    let (token, _) = account_with_totp(&server, &client, &Person::new("busy.person")).await;
    // Active every 10 minutes for 11 h 50 min (the session began 30 s before).
    for _ in 0..71 {
        server.clock.advance(time::Duration::minutes(10));
        factors(&server, &client, &token, 200).await;
    }
    server.clock.advance(time::Duration::minutes(10));
    let expired = factors(&server, &client, &token, 401).await;
    assert_eq!(expired["error"]["code"], "unauthenticated");
    server.finish().await;
}

async fn sessions_survive_a_restart_and_end_at_sign_out(backend: Backend) {
    let mut server = TestServer::start(backend).await;
    let client = api_client();
    let person = Person::new("restart.person");
    let (token, secret) = account_with_totp(&server, &client, &person).await;
    server.restart().await;
    factors(&server, &client, &token, 200).await;
    // Keys persisted too: the TOTP secret still opens and works.
    let second = &sign_in_with_app(&server, &client, &person, &secret).await;
    call(
        &client,
        Method::DELETE,
        server.url("/api/v1/sessions"),
        Some(second),
        None,
        204,
    )
    .await;
    factors(&server, &client, second, 401).await;
    factors(&server, &client, &token, 200).await;
    server.finish().await;
}

on_both_databases!(
    sessions_end_after_15_idle_minutes,
    activity_is_recorded_at_most_once_a_minute,
    a_short_idle_limit_records_activity_often_enough,
    sessions_end_after_12_hours_however_active,
    sessions_survive_a_restart_and_end_at_sign_out,
);
