//! The whole journey against a real Secure Access server: a tax professional with a
//! verified identity opens e-Services, signs in at Secure Access (password page, then
//! authenticator code), agrees to share, comes back through `/callback`, sees the
//! taxpayers their power of attorney covers and is refused another, then signs out of
//! both through RP-initiated logout. The browser is a reqwest client with a cookie jar
//! that follows no redirect by itself, so every hop is checked.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed expectation fails the test

use std::sync::Arc;
use std::time::Duration;

use reqwest::{Client, StatusCode};
use sa_domain::clock::{Clock, ManualClock};
use sa_domain::store::{Change, Store, Write};
use secure_access::config::AppConfig;
use serde_json::{Value, json};

const USERNAME: &str = "pat.preparer";
const EMAIL: &str = "pat.preparer@example.test";
const PASSWORD: &str = "violet harbor piano meadow";
const CLIENT_ID: &str = "eservices";

/// The value of `name="csrf_token"` in a page's form.
fn csrf_from(html: &str) -> String {
    let marker = "name=\"csrf_token\" value=\"";
    let start = html.find(marker).expect("a form with a CSRF token") + marker.len();
    html[start..]
        .split('"')
        .next()
        .unwrap_or_default()
        .to_owned()
}

fn between(html: &str, before: &str, after: &str) -> String {
    let start = html
        .find(before)
        .unwrap_or_else(|| panic!("{before} not in {html}"))
        + before.len();
    html[start..]
        .split(after)
        .next()
        .unwrap_or_default()
        .to_owned()
}

/// An absolute URL for a `Location` (relative ones are on `current`'s origin).
fn absolute(current: &str, location: &str) -> String {
    if location.starts_with("http://") || location.starts_with("https://") {
        return location.to_owned();
    }
    let scheme_end = current.find("://").map(|i| i + 3).unwrap_or(0);
    let origin_end = current[scheme_end..]
        .find('/')
        .map(|i| scheme_end + i)
        .unwrap_or(current.len());
    format!("{}{location}", &current[..origin_end])
}

struct Hop {
    url: String,
    status: StatusCode,
}

/// GET `url` and follow redirects by hand until a page answers; returns every hop,
/// the final URL and the page.
async fn follow(browser: &Client, url: &str) -> (Vec<Hop>, String, StatusCode, String) {
    let mut url = url.to_owned();
    let mut hops = Vec::new();
    for _ in 0..12 {
        let response = browser.get(&url).send().await.expect("GET");
        let status = response.status();
        hops.push(Hop {
            url: url.clone(),
            status,
        });
        if status.is_redirection() {
            let location = response.headers()["location"]
                .to_str()
                .expect("ascii location")
                .to_owned();
            url = absolute(&url, &location);
            continue;
        }
        let body = response.text().await.expect("body");
        return (hops, url, status, body);
    }
    panic!("too many redirects from {url}");
}

/// POST a form of `page` (with its CSRF token); returns the status and `Location`.
async fn post_form(
    browser: &Client,
    url: &str,
    page: &str,
    fields: &[(&str, &str)],
) -> (StatusCode, String) {
    let token = csrf_from(page);
    let mut form = vec![("csrf_token", token.as_str())];
    form.extend_from_slice(fields);
    let response = browser.post(url).form(&form).send().await.expect("POST");
    let status = response.status();
    let location = response
        .headers()
        .get("location")
        .map(|l| l.to_str().expect("ascii").to_owned());
    match location {
        Some(location) => (status, absolute(url, &location)),
        None => (status, response.text().await.expect("body")),
    }
}

/// Where Secure Access sends the browser back to the app after a form: a `303`, or a
/// page of its own that forwards with a link (so the CSP's `form-action` holds).
fn back_to_app(status: StatusCode, location_or_page: &str) -> String {
    if status.is_redirection() {
        return location_or_page.to_owned();
    }
    assert_eq!(status, 200, "{location_or_page}");
    unescape_html(&between(location_or_page, "id=\"continue\" href=\"", "\""))
}

/// Decode the character references an HTML attribute may hold (`&amp;`, `&#38;`, `&#x2f;`).
fn unescape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find('&') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        let Some(end) = after.find(';') else {
            out.push_str(&rest[start..]);
            return out;
        };
        let entity = &after[..end];
        let decoded = match entity {
            "amp" => Some('&'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            "lt" => Some('<'),
            "gt" => Some('>'),
            _ => entity
                .strip_prefix("#x")
                .or_else(|| entity.strip_prefix("#X"))
                .map(|hex| u32::from_str_radix(hex, 16))
                .or_else(|| entity.strip_prefix('#').map(str::parse::<u32>))
                .and_then(Result::ok)
                .and_then(char::from_u32),
        };
        match decoded {
            Some(c) => out.push(c),
            None => out.push_str(&rest[start..start + 2 + end]),
        }
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    out
}

async fn api(
    client: &Client,
    url: String,
    token: Option<&str>,
    body: Option<Value>,
    expected: u16,
) -> Value {
    let mut request = client.post(&url);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.expect("API call");
    let status = response.status().as_u16();
    let text = response.text().await.expect("body");
    assert_eq!(status, expected, "POST {url}: {text}");
    serde_json::from_str(&text).unwrap_or(Value::Null)
}

fn totp(secret_base32: &str, at: i64) -> String {
    let secret = totp_rs::Secret::try_from_base32(secret_base32)
        .expect("base32 secret")
        .as_bytes()
        .to_vec();
    sa_domain::totp::code_at(&secret, at as u64)
}

/// The confirmation code emailed to `to` (the dev outbox file).
async fn emailed_code(outbox: &std::path::Path, to: &str) -> String {
    for _ in 0..200 {
        let text = std::fs::read_to_string(outbox).unwrap_or_default();
        if let Some(code) = text
            .lines()
            .filter_map(|line| serde_json::from_str::<Value>(line).ok())
            .find(|m| m["to"] == to && m["code"].is_string())
            .and_then(|m| m["code"].as_str().map(str::to_owned))
        {
            return code;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    panic!("no code emailed to {to}");
}

/// A professional's account: signed up, email confirmed, identity marked verified (as
/// an assistance center would), authenticator app set up. Returns (account id, TOTP
/// secret).
async fn verified_professional(
    server: &secure_access::RunningServer,
    outbox: &std::path::Path,
) -> (String, String) {
    let base = format!("http://{}", server.addr);
    let client = Client::new();
    let created = api(
        &client,
        format!("{base}/api/v1/accounts"),
        None,
        Some(json!({"username": USERNAME, "email": EMAIL, "password": PASSWORD})),
        201,
    )
    .await;
    let token = created["session_token"].as_str().expect("token").to_owned();
    let code = emailed_code(outbox, EMAIL).await;
    api(
        &client,
        format!("{base}/api/v1/accounts/email/confirm"),
        Some(&token),
        Some(json!({"code": code})),
        200,
    )
    .await;
    let account = server
        .store
        .account_by_username(USERNAME)
        .await
        .expect("store")
        .expect("account");
    server
        .store
        .apply(Change::new().with(Write::MarkIdentityVerified {
            account_id: account.id.clone(),
            at: server.services.core().now(),
            by: "in_person".into(),
        }))
        .await
        .expect("identity verified");
    let begun = api(
        &client,
        format!("{base}/api/v1/factors/totp"),
        Some(&token),
        None,
        201,
    )
    .await;
    let secret = begun["secret"].as_str().expect("secret").to_owned();
    let factor_id = begun["factor_id"].as_str().expect("factor id");
    let now = server.services.core().now().unix_timestamp();
    let confirmed = api(
        &client,
        format!("{base}/api/v1/factors/totp/{factor_id}/confirm"),
        Some(&token),
        Some(json!({"code": totp(&secret, now)})),
        200,
    )
    .await;
    assert_eq!(confirmed["next"], "done", "{confirmed}");
    (account.id, secret)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_verified_professional_signs_in_sees_only_represented_taxpayers_and_signs_out() {
    // Secure Access, on a manual clock that starts at the real time: the example checks
    // ID token times against the system clock, as any app would.
    let sa_dir = tempfile::tempdir().expect("temp dir");
    let mut config = secure_access::Config {
        listen: "127.0.0.1:0".parse().expect("addr"),
        data_dir: sa_dir.path().to_path_buf(),
        hashing_concurrency: Some(2),
        ..secure_access::Config::default()
    };
    config.delivery.poll_interval_ms = 50;
    let clock = ManualClock::new(time::OffsetDateTime::now_utc());
    let server = secure_access::start(config.clone(), Arc::new(clock.clone()), false)
        .await
        .expect("Secure Access starts");
    let issuer = server.public_url.clone();
    let (account_id, totp_secret) = verified_professional(&server, &config.outbox_file()).await;

    // The example starts, makes its key pair, reads discovery, and is registered the
    // way its printed command does it (through `secure_access::wiring`).
    let app_dir = tempfile::tempdir().expect("temp dir");
    let app = eservices::start(eservices::Config {
        issuer: issuer.clone(),
        client_id: CLIENT_ID.to_owned(),
        listen: "127.0.0.1:0".parse().expect("addr"),
        data_dir: app_dir.path().to_path_buf(),
        public_url: None,
    })
    .await
    .expect("the example starts");
    assert!(app.key_created && app.discovered);
    assert!(
        app.registration_command()
            .contains("--auth private_key_jwt")
    );
    let provider = secure_access::wiring::provider(
        &server.store,
        server.services.clone(),
        &issuer,
        &secure_access::config::OidcConfig::default(),
    )
    .await
    .expect("provider");
    let registration = AppConfig {
        client_id: CLIENT_ID.to_owned(),
        name: "e-Services (example)".to_owned(),
        redirect_uris: vec![app.redirect_uri.clone()],
        post_logout_redirect_uris: vec![app.post_logout_redirect_uri.clone()],
        auth_method: "private_key_jwt".to_owned(),
        jwks_file: Some(app.jwks_file.clone()),
        scopes: ["openid", "email", "profile", "verified_at"]
            .map(str::to_owned)
            .to_vec(),
        identity_level: Some(2),
        ..AppConfig::default()
    };
    provider
        .register_client(secure_access::wiring::new_client(&registration).expect("app"))
        .await
        .expect("registered");

    // The operator records a power of attorney for this professional's pairwise subject
    // (tp-1001 and tp-1002; not tp-1003).
    let sub = provider.subject(CLIENT_ID, &account_id);
    let records = eservices::records::SAMPLE.replace(
        "REPLACE-WITH-THE-SUBJECT-SHOWN-ON-THE-TRANSCRIPTS-PAGE",
        &sub,
    );
    std::fs::write(&app.records_file, records).expect("records");

    // Times from here on are real: the authenticator code for the next step.
    clock.set(time::OffsetDateTime::now_utc());
    let browser = Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .user_agent("Mozilla/5.0 (e-Services journey test)")
        .build()
        .expect("browser");
    let example = app.public_url.clone();

    let (_, _, status, home) = follow(&browser, &format!("{example}/")).await;
    assert_eq!(status, 200);
    assert!(home.contains("href=\"/sign-in\""), "{home}");

    // Sign in: the example sends the browser to Secure Access with PKCE, state, nonce
    // and the identity level it needs; Secure Access asks for a sign-in first.
    let (hops, at, status, sign_in_page) = follow(&browser, &format!("{example}/sign-in")).await;
    let authorize = &hops[1].url;
    assert!(
        authorize.starts_with(&format!("{issuer}/oidc/authorize?")),
        "{authorize}"
    );
    for part in [
        "response_type=code",
        "client_id=eservices",
        "code_challenge_method=S256",
        "code_challenge=",
        "state=",
        "nonce=",
        "acr_values=http%3A%2F%2Fidmanagement.gov%2Fns%2Fassurance%2Fial%2F2",
    ] {
        assert!(authorize.contains(part), "{part} missing from {authorize}");
    }
    assert_eq!(
        (status.as_u16(), at.as_str()),
        (200, format!("{issuer}/sign-in").as_str())
    );
    let (status, next) = post_form(
        &browser,
        &format!("{issuer}/sign-in"),
        &sign_in_page,
        &[("username", USERNAME), ("password", PASSWORD)],
    )
    .await;
    assert_eq!(
        (status.as_u16(), next.as_str()),
        (303, format!("{issuer}/sign-in/second-factor").as_str())
    );
    let (_, _, _, factor_page) = follow(&browser, &next).await;
    let code = totp(&totp_secret, clock.now().unix_timestamp() + 30);
    let (status, next) = post_form(
        &browser,
        &format!("{issuer}/sign-in/second-factor"),
        &factor_page,
        &[("method", "totp"), ("code", &code)],
    )
    .await;
    assert_eq!(status, 303, "{next}");

    // Back to the pending request: first use of the app, so Secure Access asks.
    let (_, _, status, consent) = follow(&browser, &next).await;
    assert_eq!(status, 200);
    assert!(
        consent.contains("Share your information with e-Services (example)?"),
        "{consent}"
    );
    let request_id = between(&consent, "name=\"request_id\" value=\"", "\"");
    let (status, callback) = post_form(
        &browser,
        &format!("{issuer}/oidc/consent"),
        &consent,
        &[("request_id", &request_id), ("decision", "allow")],
    )
    .await;
    let callback = back_to_app(status, &callback);
    assert!(
        callback.starts_with(&format!("{example}/callback?code=")),
        "{callback}"
    );

    // The example exchanges the code (private_key_jwt), verifies the ES256 ID token
    // with IAL2, and lists the taxpayers this professional represents.
    let (hops, at, status, list) = follow(&browser, &callback).await;
    assert_eq!(
        hops[0].status, 303,
        "the callback signs in and moves on: {callback} {list}"
    );
    assert_eq!(
        (status.as_u16(), at.as_str()),
        (200, format!("{example}/transcripts").as_str())
    );
    assert!(list.contains("identity verified (IAL2)"), "{list}");
    assert!(list.contains("signed in with two factors (AAL2)"), "{list}");
    assert!(list.contains(EMAIL));
    assert!(list.contains(&sub), "the page names the pairwise subject");
    assert!(list.contains("Avery Q. Placeholder") && list.contains("Jordan Sample"));
    assert!(
        !list.contains("Riley Fictional"),
        "no authorization, not listed"
    );
    assert!(list.contains("***-**-1001") && !list.contains("900-12-1001"));

    let (_, _, status, transcripts) =
        follow(&browser, &format!("{example}/transcripts/tp-1001")).await;
    assert_eq!(status, 200);
    assert!(transcripts.contains("$48,210") && transcripts.contains("Refund issued"));
    let (_, _, status, refused) = follow(&browser, &format!("{example}/transcripts/tp-1003")).await;
    assert_eq!(status, 403);
    assert!(
        refused.contains("No power of attorney on file"),
        "{refused}"
    );
    assert!(
        !refused.contains("Riley"),
        "nothing of the taxpayer is shown"
    );

    // A callback whose state is not this browser's pending sign-in is refused.
    let started = browser
        .get(format!("{example}/sign-in"))
        .send()
        .await
        .expect("sign-in");
    assert_eq!(
        started.status(),
        303,
        "a new sign-in is pending in this browser"
    );
    let forged = browser
        .get(format!("{example}/callback?code=stolen&state=not-mine"))
        .send()
        .await
        .expect("callback");
    assert_eq!(forged.status(), 400);

    // Sign-out needs the page's token, then ends both sessions through /oidc/logout.
    let refused = browser
        .post(format!("{example}/sign-out"))
        .form(&[("csrf_token", "wrong")])
        .send()
        .await
        .expect("sign-out");
    assert_eq!(refused.status(), 403);
    let (status, logout) = post_form(&browser, &format!("{example}/sign-out"), &list, &[]).await;
    assert_eq!(status, 303);
    assert!(
        logout.starts_with(&format!("{issuer}/oidc/logout?")),
        "{logout}"
    );
    assert!(logout.contains("id_token_hint="));
    let (hops, at, status, signed_out) = follow(&browser, &logout).await;
    assert_eq!(hops[0].status, 303);
    assert_eq!(
        (status.as_u16(), at.as_str()),
        (200, format!("{example}/signed-out").as_str())
    );
    assert!(signed_out.contains("You are signed out"));
    let (hops, _, _, _) = follow(&browser, &format!("{example}/transcripts")).await;
    assert_eq!(hops.len(), 2, "signed out here: back to the home page");
    let after = browser
        .get(format!("{issuer}/account/security"))
        .send()
        .await
        .expect("security page");
    assert_eq!(after.status(), 303, "signed out of Secure Access too");

    app.stop().await.expect("example stops");
    server.stop().await.expect("server stops");
}
