//! Brute force of one-time codes, against the real server on SQLite and PostgreSQL, with
//! the test clock (never a sleep) measuring every wait to the second.
//!
//! What this proves:
//! - **Second-factor codes** (text message, authenticator app, backup code): exactly ten
//!   wrong codes are checked; the eleventh try is refused with `423 locked` and
//!   `Retry-After: 600` even with the right code; the lock lasts exactly 600 seconds
//!   (`Retry-After: 1` at 599 s); asking for a new text-message code does not help while
//!   locked; after the lock the count starts again from zero.
//! - **Replays**: an authenticator code used once is refused on another session within
//!   its 30 seconds (and so is the previous step's); a text-message code and a backup
//!   code work once.
//! - **Emailed confirmation codes**: five wrong tries per code; the sixth is refused even
//!   with the right code (`400 code_attempts_exhausted`) until a new code is sent.
//! - **Mailed activation codes** (identity proofing): five tries per ten minutes, then
//!   `429` + `Retry-After` counting down to one second past the window's end, even for
//!   the right code; waiting exactly `Retry-After` is enough; and no more than five are
//!   checked when twenty guesses arrive at once.
//! - **OpenID Connect authorization codes**: a code is redeemed once (`invalid_grant`
//!   after, and the tokens it issued stop working); two redemptions racing get exactly
//!   one answer with tokens; another app cannot redeem it.
//! - **Parallel guesses**: forty wrong authenticator codes at once get exactly ten
//!   checks (each try is claimed on the account before its code is checked); thirty
//!   emailed-code guesses at once get at most five (each try is counted on the code
//!   before it is compared).

use openidconnect::PkceCodeChallenge;
use reqwest::Method;
use serde_json::{Value, json};
use time::Duration;

use crate::common::applicant::*;
use crate::common::oidc::*;
use crate::common::*;
use crate::on_both_databases;

const PHONE: &str = "+12025550177";

/// `POST /api/v1/sessions/second-factor`: status, `Retry-After`, body.
async fn try_code(
    server: &TestServer,
    client: &reqwest::Client,
    pending: &str,
    method: &str,
    code: &str,
) -> (u16, Option<String>, Value) {
    let response = client
        .post(server.url("/api/v1/sessions/second-factor"))
        .bearer_auth(pending)
        .json(&json!({"method": method, "code": code}))
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let retry_after = response
        .headers()
        .get("retry-after")
        .map(|v| v.to_str().unwrap().to_owned());
    (
        status,
        retry_after,
        response.json().await.unwrap_or(Value::Null),
    )
}

/// Exactly ten wrong codes are checked; the eleventh try, with the right code, is locked.
async fn ten_wrong_codes_then_locked(
    server: &TestServer,
    client: &reqwest::Client,
    pending: &str,
    method: &str,
    wrong: &str,
    right: &str,
) {
    for attempt in 1..=10 {
        let (status, _, body) = try_code(server, client, pending, method, wrong).await;
        assert_eq!(
            (status, body["error"]["code"].as_str()),
            (401, Some("invalid_code")),
            "{method}: wrong code {attempt} is checked"
        );
    }
    let (status, retry_after, body) = try_code(server, client, pending, method, right).await;
    assert_eq!(status, 423, "{method}: the eleventh try is refused: {body}");
    assert_eq!(retry_after.as_deref(), Some("600"));
    assert_eq!(body["error"]["code"], "locked");
}

/// The lock holds at 599 seconds (with the right code) and is gone at 600.
async fn lock_lasts_exactly_ten_minutes(
    server: &TestServer,
    client: &reqwest::Client,
    pending: &str,
    method: &str,
    right: impl Fn() -> String,
) {
    server.clock.advance(Duration::seconds(599));
    let (status, retry_after, _) = try_code(server, client, pending, method, &right()).await;
    assert_eq!(
        (status, retry_after.as_deref()),
        (423, Some("1")),
        "{method}"
    );
    server.clock.advance(Duration::seconds(1));
}

/// A six-digit code that is none of the authenticator's codes in the ±1 window.
fn wrong_app_code(server: &TestServer, secret: &str) -> String {
    let valid: Vec<String> = (-1..=1).map(|s| server.totp_at(secret, s)).collect();
    ["000000", "111111", "222222", "333333"]
        .into_iter()
        .find(|c| !valid.iter().any(|v| v == c))
        .unwrap()
        .to_owned()
}

fn other_than(code: &str) -> &'static str {
    if code == "000000" { "111111" } else { "000000" }
}

async fn pending_session(server: &TestServer, client: &reqwest::Client, person: &Person) -> String {
    password_step(server, client, person).await["session_token"]
        .as_str()
        .unwrap()
        .to_owned()
}

async fn text_message_codes_lock_after_ten_and_work_once(backend: Backend) {
    let server = TestServer::start(backend).await;
    let client = api_client();
    let person = Person::new("sms.target");
    let token = sign_up_confirmed(&server, &client, &person).await;
    add_confirmed_phone(&server, &client, &token, PHONE).await;

    let pending = pending_session(&server, &client, &person).await;
    let mark = server.outbox_mark();
    call(
        &client,
        Method::POST,
        server.url("/api/v1/sessions/sms"),
        Some(&pending),
        None,
        202,
    )
    .await;
    let code = server.code_after(mark, PHONE).await;
    ten_wrong_codes_then_locked(&server, &client, &pending, "sms", other_than(&code), &code).await;
    // A fresh code does not open the lock, and none is sent.
    let mark = server.outbox_mark();
    let refused = call(
        &client,
        Method::POST,
        server.url("/api/v1/sessions/sms"),
        Some(&pending),
        None,
        423,
    )
    .await;
    assert_eq!(refused["error"]["code"], "locked");
    lock_lasts_exactly_ten_minutes(&server, &client, &pending, "sms", || code.clone()).await;
    assert_eq!(
        server.outbox().len(),
        mark,
        "no code is texted while locked"
    );

    // The code the attacker was guessing died with the lock (both last 10 minutes).
    let (status, _, body) = try_code(&server, &client, &pending, "sms", &code).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (401, Some("code_expired"))
    );
    let mark = server.outbox_mark();
    call(
        &client,
        Method::POST,
        server.url("/api/v1/sessions/sms"),
        Some(&pending),
        None,
        202,
    )
    .await;
    let code = server.code_after(mark, PHONE).await;
    second_factor(&server, &client, &pending, "sms", &code, 200).await;
    // Used once; refused on the next sign-in.
    let again = pending_session(&server, &client, &person).await;
    let (status, _, body) = try_code(&server, &client, &again, "sms", &code).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (401, Some("code_already_used"))
    );
    server.finish().await;
}

async fn app_codes_lock_after_ten_and_replays_are_refused(backend: Backend) {
    let server = TestServer::start(backend).await;
    let client = api_client();
    let person = Person::new("totp.target");
    let (_, secret) = account_with_totp(&server, &client, &person).await;

    let pending = pending_session(&server, &client, &person).await;
    let wrong = wrong_app_code(&server, &secret);
    ten_wrong_codes_then_locked(
        &server,
        &client,
        &pending,
        "totp",
        &wrong,
        &server.totp_now(&secret),
    )
    .await;
    lock_lasts_exactly_ten_minutes(&server, &client, &pending, "totp", || {
        server.totp_now(&secret)
    })
    .await;
    // The count started again at the lock: nine wrong codes, then the right one works.
    let wrong = wrong_app_code(&server, &secret);
    for _ in 0..9 {
        let (status, _, _) = try_code(&server, &client, &pending, "totp", &wrong).await;
        assert_eq!(status, 401);
    }
    let used = server.totp_now(&secret);
    second_factor(&server, &client, &pending, "totp", &used, 200).await;

    // Someone who saw that code replays it on their own session within its 30 seconds;
    // the previous step's code (still inside the ±1 window) is a replay as well.
    let attacker = pending_session(&server, &client, &person).await;
    for replayed in [used, server.totp_at(&secret, -1)] {
        let (status, _, body) = try_code(&server, &client, &attacker, "totp", &replayed).await;
        assert_eq!(
            (status, body["error"]["code"].as_str()),
            (401, Some("code_already_used"))
        );
    }
    server.finish().await;
}

async fn backup_codes_lock_after_ten_and_work_once(backend: Backend) {
    let server = TestServer::start(backend).await;
    let client = api_client();
    let person = Person::new("backup.target");
    let token = sign_up_confirmed(&server, &client, &person).await;
    let created = call(
        &client,
        Method::POST,
        server.url("/api/v1/factors/backup-codes"),
        Some(&token),
        None,
        201,
    )
    .await;
    let code = created["codes"][0].as_str().unwrap().to_owned();

    let pending = pending_session(&server, &client, &person).await;
    ten_wrong_codes_then_locked(
        &server,
        &client,
        &pending,
        "backup_code",
        "ABCD-EFGH-JKMN",
        &code,
    )
    .await;
    lock_lasts_exactly_ten_minutes(&server, &client, &pending, "backup_code", || code.clone())
        .await;
    second_factor(&server, &client, &pending, "backup_code", &code, 200).await;
    let again = pending_session(&server, &client, &person).await;
    let (status, _, body) = try_code(&server, &client, &again, "backup_code", &code).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (401, Some("code_already_used"))
    );
    server.finish().await;
}

async fn emailed_codes_allow_five_tries_each(backend: Backend) {
    let server = TestServer::start(backend).await;
    let client = api_client();
    let person = Person::new("email.target");
    let mark = server.outbox_mark();
    let created = call(
        &client,
        Method::POST,
        server.url("/api/v1/accounts"),
        None,
        Some(json!({"username": person.username, "email": person.email, "password": person.password})),
        201,
    )
    .await;
    let token = created["session_token"].as_str().unwrap().to_owned();
    let code = server.code_after(mark, &person.email).await;
    let confirm = |code: String, status: u16| {
        call(
            &client,
            Method::POST,
            server.url("/api/v1/accounts/email/confirm"),
            Some(&token),
            Some(json!({"code": code})),
            status,
        )
    };
    for attempt in 1..=5 {
        let refused = confirm(other_than(&code).to_owned(), 401).await;
        assert_eq!(refused["error"]["code"], "invalid_code", "try {attempt}");
    }
    let spent = confirm(code.clone(), 400).await;
    assert_eq!(spent["error"]["code"], "code_attempts_exhausted");
    // Only a new code helps; the old one stays dead.
    let mark = server.outbox_mark();
    call(
        &client,
        Method::POST,
        server.url("/api/v1/accounts/email/resend"),
        Some(&token),
        None,
        202,
    )
    .await;
    let fresh = server.code_after(mark, &person.email).await;
    if fresh != code {
        confirm(code, 401).await;
    }
    let confirmed = confirm(fresh, 200).await;
    assert_eq!(confirmed["next"], "setup_second_factor");
    server.finish().await;
}

/// `POST /api/v1/proofing/mail/confirm`: status and `Retry-After`.
async fn try_letter_code(
    server: &TestServer,
    client: &reqwest::Client,
    token: &str,
    code: &str,
) -> (u16, Option<String>) {
    let response = client
        .post(server.url("/api/v1/proofing/mail/confirm"))
        .bearer_auth(token)
        .json(&json!({"code": code}))
        .send()
        .await
        .unwrap();
    let retry_after = response
        .headers()
        .get("retry-after")
        .map(|v| v.to_str().unwrap().to_owned());
    (response.status().as_u16(), retry_after)
}

async fn mailed_codes_allow_five_tries_per_ten_minutes_even_in_parallel(backend: Backend) {
    let server = TestServer::start_with(backend, |c| c.require_identity_verification = true).await;
    load_records(&server).await;
    let client = api_client();
    let person = Person::new("letter.target");
    let token = sign_up_to_proofing(&server, &client, &person).await;
    through_financial(&server, &client, &token).await;
    step(&server, &client, &token, "/mail", None, 202).await;
    let code = server.letters(1).await[0]["code"]
        .as_str()
        .unwrap()
        .to_owned();
    let wrong = "ZZZZ-ZZZZ-ZZZZ";

    // One at a time: five wrong codes are checked, the sixth try waits, right or not.
    for attempt in 1..=5 {
        let (status, _) = try_letter_code(&server, &client, &token, wrong).await;
        assert_eq!(status, 401, "try {attempt}");
    }
    let (status, retry_after) = try_letter_code(&server, &client, &token, &code).await;
    // The window is open at its very end, so the wait is one second past it.
    assert_eq!((status, retry_after.as_deref()), (429, Some("601")));
    server.clock.advance(Duration::seconds(599));
    let (status, retry_after) = try_letter_code(&server, &client, &token, &code).await;
    assert_eq!((status, retry_after.as_deref()), (429, Some("2")));
    // The window closes just after its 600th second (open for 600 s and 1 ms, which is
    // why `Retry-After` points one second past it; see
    // `waiting_exactly_retry_after_is_enough`).
    server.clock.advance(just_over(1));

    // Twenty at once: at most five are checked (each request counts itself before the
    // code is looked at, then reads the count; in a burst most read the others' counts
    // too, so fewer than five may be checked: the limit errs on the safe side).
    let mut burst = tokio::task::JoinSet::new();
    for _ in 0..20 {
        let request = client
            .post(server.url("/api/v1/proofing/mail/confirm"))
            .bearer_auth(&token)
            .json(&json!({"code": wrong}));
        burst.spawn(async move { request.send().await.unwrap().status().as_u16() });
    }
    let statuses = burst.join_all().await;
    let checked = statuses.iter().filter(|s| **s == 401).count();
    let waiting = statuses.iter().filter(|s| **s == 429).count();
    assert!(checked <= 5, "{statuses:?}");
    assert_eq!(checked + waiting, 20, "{statuses:?}");

    server.clock.advance(just_over(600));
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
    // A used code verifies nothing more.
    let (status, _) = try_letter_code(&server, &client, &token, &code).await;
    assert_ne!(status, 200);
    server.finish().await;
}

/// `secs` seconds and one millisecond.
fn just_over(secs: i64) -> Duration {
    Duration::seconds(secs) + Duration::milliseconds(1)
}

/// A client that waits exactly `Retry-After` (601 s after five wrong mailed codes) gets
/// its right code checked and accepted. `store/src/counters.rs` restarts a window only
/// when it started *before* `now - window` (a window is open at its very end), so
/// `ProofingCases::consume_attempt` points `Retry-After` at one second past `start + window`.
/// The same rule serves every proofing limit (identity, SSN, financial account, phone,
/// texted codes, mailed code).
async fn waiting_exactly_retry_after_is_enough(backend: Backend) {
    let server = TestServer::start_with(backend, |c| c.require_identity_verification = true).await;
    load_records(&server).await;
    let client = api_client();
    let person = Person::new("letter.patient");
    let token = sign_up_to_proofing(&server, &client, &person).await;
    through_financial(&server, &client, &token).await;
    step(&server, &client, &token, "/mail", None, 202).await;
    let code = server.letters(1).await[0]["code"]
        .as_str()
        .unwrap()
        .to_owned();
    for _ in 0..5 {
        try_letter_code(&server, &client, &token, "ZZZZ-ZZZZ-ZZZZ").await;
    }
    let (status, retry_after) = try_letter_code(&server, &client, &token, &code).await;
    assert_eq!((status, retry_after.as_deref()), (429, Some("601")));
    server.clock.advance(Duration::seconds(601));
    let (status, retry_after) = try_letter_code(&server, &client, &token, &code).await;
    assert_eq!(
        (status, retry_after),
        (200, None),
        "waited exactly Retry-After"
    );
    server.finish().await;
}

/// The authorization URL of the confidential app with PKCE; returns it and the verifier.
fn authorization_url() -> (String, String) {
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let url = format!(
        "/oidc/authorize?response_type=code&client_id={SECRET_APP}&redirect_uri={}&scope=openid%20email&state=s1&nonce=n1&code_challenge={}&code_challenge_method=S256",
        sa_domain::oidc::authorize::urlencode(REDIRECT),
        challenge.as_str()
    );
    (url, verifier.secret().clone())
}

async fn redeem(env: &OidcEnv, client_id: &str, code: &str, verifier: &str) -> (u16, Value) {
    env.token_request(
        &[
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", REDIRECT),
            ("code_verifier", verifier),
        ],
        Some((client_id, SECRET)),
    )
    .await
}

async fn authorization_codes_are_redeemed_once(backend: Backend) {
    let env = OidcEnv::start(backend).await;
    let (url, verifier) = authorization_url();
    let code = env.authorize(&url).await.remove("code").unwrap();
    let (status, tokens) = redeem(&env, SECRET_APP, &code, &verifier).await;
    assert_eq!(status, 200, "{tokens}");
    let access = tokens["access_token"].as_str().unwrap().to_owned();
    assert_eq!(env.userinfo(&access).await.0, 200);
    // Reused: refused, and what the code issued is revoked.
    let (status, error) = redeem(&env, SECRET_APP, &code, &verifier).await;
    assert_eq!(
        (status, error["error"].as_str()),
        (400, Some("invalid_grant"))
    );
    assert_eq!(env.userinfo(&access).await.0, 401);

    // Two redemptions of one code racing: exactly one gets tokens.
    let (url, verifier) = authorization_url();
    let code = env.authorize(&url).await.remove("code").unwrap();
    let (first, second) = tokio::join!(
        redeem(&env, SECRET_APP, &code, &verifier),
        redeem(&env, SECRET_APP, &code, &verifier)
    );
    let mut statuses = [first.0, second.0];
    statuses.sort_unstable();
    assert_eq!(statuses, [200, 400], "{first:?} {second:?}");

    // A code is bound to its app: another app, with valid credentials, cannot redeem it.
    let (url, verifier) = authorization_url();
    let code = env.authorize(&url).await.remove("code").unwrap();
    let (status, error) = redeem(&env, VERIFIED_APP, &code, &verifier).await;
    assert_eq!(
        (status, error["error"].as_str()),
        (400, Some("invalid_grant"))
    );
    env.finish().await;
}

/// Forty wrong authenticator codes sent at once on one password session: exactly ten
/// are checked (401) and the other thirty are refused `423`; afterwards even the right
/// code is refused `423` with `Retry-After: 600`. `verify_second_factor` claims each
/// try on the account (`Store::claim_code_try`, one atomic `UPDATE ... RETURNING`)
/// before the code is checked, and the tenth claim sets the lock.
async fn parallel_app_code_guesses_stay_within_the_lock(backend: Backend) {
    let server = TestServer::start(backend).await;
    let client = api_client();
    let person = Person::new("totp.burst");
    let (_, secret) = account_with_totp(&server, &client, &person).await;
    let pending = pending_session(&server, &client, &person).await;
    let wrong = wrong_app_code(&server, &secret);
    let mut burst = tokio::task::JoinSet::new();
    for _ in 0..40 {
        let request = client
            .post(server.url("/api/v1/sessions/second-factor"))
            .bearer_auth(&pending)
            .json(&json!({"method": "totp", "code": wrong}));
        burst.spawn(async move { request.send().await.unwrap().status().as_u16() });
    }
    let statuses = burst.join_all().await;
    let checked = statuses.iter().filter(|s| **s == 401).count();
    let locked = statuses.iter().filter(|s| **s == 423).count();
    assert_eq!(
        (checked, locked),
        (10, 30),
        "40 parallel codes: {statuses:?}"
    );
    let right = server.totp_now(&secret);
    let (status, retry_after, _) = try_code(&server, &client, &pending, "totp", &right).await;
    assert_eq!((status, retry_after.as_deref()), (423, Some("600")));
    server.finish().await;
}

/// Thirty wrong guesses at an emailed code sent at once get at most five checks (401):
/// `check_one_time_code` counts the try on the code (`CountCodeAttempt`) before it
/// compares the code, then reads the count back and refuses any try past the fifth, so
/// someone who signed up with another person's address cannot confirm it by guessing in
/// parallel. The same check, with the same five tries, serves phone-enrolment and
/// proofing phone codes (sign-in text-message codes use it under the account's
/// ten-try lock instead).
async fn parallel_emailed_code_guesses_stay_within_five(backend: Backend) {
    let server = TestServer::start(backend).await;
    let client = api_client();
    let person = Person::new("email.burst");
    let created = call(
        &client,
        Method::POST,
        server.url("/api/v1/accounts"),
        None,
        Some(json!({"username": person.username, "email": person.email, "password": person.password})),
        201,
    )
    .await;
    let token = created["session_token"].as_str().unwrap().to_owned();
    let mut burst = tokio::task::JoinSet::new();
    for i in 0..30 {
        let request = client
            .post(server.url("/api/v1/accounts/email/confirm"))
            .bearer_auth(&token)
            .json(&json!({"code": format!("{:06}", 100_000 + i)}));
        burst.spawn(async move { request.send().await.unwrap().status().as_u16() });
    }
    let statuses = burst.join_all().await;
    let checked = statuses.iter().filter(|s| **s == 401).count();
    assert!(
        checked <= 5,
        "{checked} of 30 parallel guesses were checked"
    );
    server.finish().await;
}

on_both_databases!(
    text_message_codes_lock_after_ten_and_work_once,
    app_codes_lock_after_ten_and_replays_are_refused,
    backup_codes_lock_after_ten_and_work_once,
    emailed_codes_allow_five_tries_each,
    mailed_codes_allow_five_tries_per_ten_minutes_even_in_parallel,
    authorization_codes_are_redeemed_once,
    parallel_emailed_code_guesses_stay_within_five,
    parallel_app_code_guesses_stay_within_the_lock,
    waiting_exactly_retry_after_is_enough,
);
