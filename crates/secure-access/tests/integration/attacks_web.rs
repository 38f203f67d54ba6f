//! Attacks through the browser and the API's web surface, against the real server on
//! SQLite and PostgreSQL.
//!
//! What this proves:
//! - **Session fixation**: a session token never survives a gain in privilege. Over the
//!   API, the enrolling token dies when the first factor is set up and the password-only
//!   token dies when the second factor is entered; in a browser, a session cookie planted
//!   by an attacker (even a real password-only session of their own) is replaced at the
//!   password step and again at the second factor, never elevated, and signing out ends
//!   the session on the server.
//! - **CSRF**: every page route that takes a POST (read from the router source, so a new
//!   form is covered the day it is added), plus `/oidc/consent` and `/oidc/logout`,
//!   refuses with 403 a POST without a token, with another browser's token, or with the
//!   right token from a browser without the matching cookie, and nothing changes. The
//!   JSON API refuses what a cross-site form can send (form, multipart or text bodies
//!   with the session cookie: 415), and answers no CORS preflight. Endpoints that take
//!   no JSON body (`POST /api/v1/factors/backup-codes`) refuse a cookie-carrying form
//!   post too: `ApiAuth` wants `Content-Type: application/json` on any cookie request
//!   that changes something.
//! - **Open redirects**: an unregistered `redirect_uri` (in every disguise tried) or an
//!   unknown app gets an error page with no `Location`; an unregistered
//!   `post_logout_redirect_uri` too, and the session stays; the pages take no
//!   `next`/`return` parameter, and `/sign-in?next=https://evil.example` ends on this
//!   site after sign-in.
//! - **IDOR**: with their own valid session, user A cannot act on user B's ids: factors
//!   (remove, confirm a pending app or phone, see a pending app's secret), connected apps
//!   (revoke), staff paths with B's account id, a knowledge check started on B, over the
//!   API and the pages; every answer is 403/404/400, and B's data is unchanged (B still
//!   finishes what A tried to hijack).

use reqwest::Method;
use serde_json::{Value, json};
use time::Duration;

use crate::common::applicant::*;
use crate::common::oidc::*;
use crate::common::pages::*;
use crate::common::*;
use crate::on_both_databases;

/// Is this redirect target on this site (a path, not `//host` or `/\host`)?
fn on_site(location: &str) -> bool {
    location.starts_with('/') && !location.starts_with("//") && !location.starts_with("/\\")
}

/// The session token is alive (as a bearer token on the API).
async fn alive(server: &TestServer, token: &str) -> bool {
    let response = api_client()
        .get(server.url("/api/v1/factors"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    match response.status().as_u16() {
        200 | 409 => true,
        401 => false,
        other => panic!("unexpected {other}"),
    }
}

// ---------------------------------------------------------------------------------------
// Session fixation
// ---------------------------------------------------------------------------------------

async fn session_tokens_change_when_privilege_changes(backend: Backend) {
    let server = TestServer::start(backend).await;
    let client = api_client();
    let person = Person::new("fixation.target");

    // API: setting up the first factor replaces the enrolling token.
    let enrolling = sign_up_confirmed(&server, &client, &person).await;
    let begun = call(
        &client,
        Method::POST,
        server.url("/api/v1/factors/totp"),
        Some(&enrolling),
        None,
        201,
    )
    .await;
    let secret = begun["secret"].as_str().unwrap().to_owned();
    let confirmed = call(
        &client,
        Method::POST,
        server.url(&format!(
            "/api/v1/factors/totp/{}/confirm",
            begun["factor_id"].as_str().unwrap()
        )),
        Some(&enrolling),
        Some(json!({"code": server.totp_now(&secret)})),
        200,
    )
    .await;
    let complete = confirmed["session_token"].as_str().unwrap().to_owned();
    assert_ne!(complete, enrolling);
    assert!(
        !alive(&server, &enrolling).await,
        "the enrolling token died"
    );
    assert!(alive(&server, &complete).await);
    server.clock.advance(Duration::seconds(30));

    // API: entering the second factor replaces the password-only token.
    let pending = password_step(&server, &client, &person).await["session_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let verified = second_factor(
        &server,
        &client,
        &pending,
        "totp",
        &server.totp_now(&secret),
        200,
    )
    .await;
    let signed_in = verified["session_token"].as_str().unwrap().to_owned();
    assert_ne!(signed_in, pending);
    assert!(
        !alive(&server, &pending).await,
        "the password-only token died"
    );
    server.clock.advance(Duration::seconds(30));

    // Browser: the attacker plants their own real password-only session, then a bogus
    // value, in the victim's browser before the victim signs in.
    let attacker = Person::new("fixation.attacker");
    account_with_totp(&server, &client, &attacker).await;
    let planted = password_step(&server, &client, &attacker).await["session_token"]
        .as_str()
        .unwrap()
        .to_owned();
    for plant in [planted.as_str(), "chosen-by-the-attacker"] {
        let browser = Browser::new(&server);
        browser.plant(&format!("sa_session={plant}"));
        let page = browser.get("/sign-in").await;
        let started = browser
            .post(
                &page.text,
                "/sign-in",
                &[
                    ("username", &person.username),
                    ("password", &person.password),
                ],
            )
            .await;
        assert_eq!(started.status, 303);
        let after_password = browser.cookie("sa_session").unwrap();
        assert_ne!(after_password, plant, "replaced at the password step");
        let page = browser.get("/sign-in/second-factor").await;
        let done = browser
            .post(
                &page.text,
                "/sign-in/second-factor",
                &[("method", "totp"), ("code", &server.totp_now(&secret))],
            )
            .await;
        assert_eq!(done.status, 303);
        server.clock.advance(Duration::seconds(30));
        let after_factor = browser.cookie("sa_session").unwrap();
        assert_ne!(
            after_factor, after_password,
            "replaced at the second factor"
        );
        assert_ne!(after_factor, plant);
        assert!(!alive(&server, &after_password).await);
        assert!(alive(&server, &after_factor).await);

        // Signing out ends the session on the server, not only in the browser.
        let page = browser.get("/account/security").await;
        assert_eq!(page.status, 200);
        let out = browser.post(&page.text, "/sign-out", &[]).await;
        assert_eq!((out.status, out.location.as_deref()), (303, Some("/")));
        assert!(!alive(&server, &after_factor).await);
    }
    // The attacker's planted session was never elevated: it still waits for the
    // attacker's own second factor and sees nothing of the victim.
    let still = call(
        &client,
        Method::GET,
        server.url("/api/v1/account/security"),
        Some(&planted),
        None,
        409,
    )
    .await;
    assert_eq!(still["error"]["next"], "second_factor");
    server.finish().await;
}

// ---------------------------------------------------------------------------------------
// CSRF
// ---------------------------------------------------------------------------------------

/// The paths of the routes in `source` that take a POST (`.route("/path", … post(…))`).
fn post_routes(source: &str) -> Vec<String> {
    source
        .split(".route(")
        .skip(1)
        .filter_map(|route| {
            // The route ends where the next builder call begins.
            let route = route
                .split(".merge(")
                .next()
                .unwrap()
                .split(".layer(")
                .next()
                .unwrap();
            let path = route.split('"').nth(1)?;
            route.contains("post(").then(|| path.to_owned())
        })
        .collect()
}

/// Every page route taking a POST: the page router and the OIDC page router.
fn page_post_routes() -> Vec<String> {
    let web = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../web/src");
    let pages = std::fs::read_to_string(web.join("pages/mod.rs")).unwrap();
    let oidc = std::fs::read_to_string(web.join("oidc/mod.rs")).unwrap();
    let oidc_pages = oidc
        .split("pub fn page_router()")
        .nth(1)
        .unwrap()
        .split("\n}\n")
        .next()
        .unwrap();
    let router = pages
        .split("pub fn router(")
        .nth(1)
        .unwrap()
        .split("\n}\n")
        .next()
        .unwrap();
    let mut routes = post_routes(router);
    routes.extend(post_routes(oidc_pages));
    routes
}

async fn every_page_form_refuses_a_post_without_its_csrf_token(backend: Backend) {
    let server = TestServer::start(backend).await;
    let client = api_client();
    let person = Person::new("csrf.target");
    let (token, secret) = account_with_totp(&server, &client, &person).await;
    let factor_id = call(
        &client,
        Method::GET,
        server.url("/api/v1/factors"),
        Some(&token),
        None,
        200,
    )
    .await[0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let victim = Browser::new(&server);
    victim.sign_in(&server, &person, &secret).await;
    let session = victim.cookie("sa_session").unwrap();
    let victim_page = victim.get("/account/security").await.text;
    // The attacker's own browser, with a valid token for its own cookie.
    let attacker = Browser::new(&server);
    let attacker_token = csrf_token(&attacker.get("/sign-in").await.text);
    // A browser with the victim's session cookie but no CSRF cookie of its own (the
    // attacker learnt the victim's form token somehow).
    let cookieless = Browser::new(&server);
    cookieless.plant(&format!("sa_session={session}"));
    let victim_token = csrf_token(&victim_page);

    let routes = page_post_routes();
    for expected in [
        "/sign-up",
        "/sign-in",
        "/sign-out",
        "/second-factor/setup/totp/{id}",
        "/verify/identity",
        "/verify/mail/confirm",
        "/account/password",
        "/staff/knowledge-checks/{id}/answers",
        "/admin/maintenance/{id}/cancel",
        "/account/factors/{id}/remove",
        "/account/apps/{client_id}/revoke",
        "/oidc/consent",
        "/oidc/logout",
    ] {
        assert!(
            routes.iter().any(|r| r == expected),
            "{expected} in {routes:?}"
        );
    }
    assert!(routes.len() >= 29, "{routes:?}");

    let fields = [
        ("decision", "allow"),
        ("request_id", "any"),
        ("new_password", "a whole new password here"),
        ("code", "123456"),
    ];
    for route in &routes {
        let path = route
            .replace("{id}", &factor_id)
            .replace("{client_id}", SECRET_APP);
        let with = |token: &str| {
            let mut form = vec![("csrf_token", token.to_owned())];
            form.extend(fields.iter().map(|(k, v)| (*k, (*v).to_owned())));
            form
        };
        let cases = [
            (
                "no token",
                &victim,
                fields
                    .iter()
                    .map(|(k, v)| (*k, (*v).to_owned()))
                    .collect::<Vec<_>>(),
            ),
            ("another browser's token", &victim, with(&attacker_token)),
            (
                "the right token without its cookie",
                &cookieless,
                with(&victim_token),
            ),
        ];
        for (case, browser, form) in cases {
            let refs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let refused = browser.post_raw(&path, &refs).await;
            assert_eq!(refused.status, 403, "POST {path} with {case}");
            assert!(
                refused.text.contains("This form has expired"),
                "POST {path} with {case}"
            );
            assert!(refused.location.is_none());
        }
    }
    // Nothing happened: still signed in (sign-out refused), the factor still there
    // (removal refused), the password unchanged (no event).
    assert!(alive(&server, &session).await);
    let security = call(
        &client,
        Method::GET,
        server.url("/api/v1/account/security"),
        Some(&session),
        None,
        200,
    )
    .await;
    let kinds: Vec<&str> = security["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert!(
        !kinds.contains(&"password_changed") && !kinds.contains(&"factor_removed"),
        "{kinds:?}"
    );
    let factors = call(
        &client,
        Method::GET,
        server.url("/api/v1/factors"),
        Some(&session),
        None,
        200,
    )
    .await;
    assert_eq!(factors.as_array().unwrap().len(), 1);
    server.finish().await;
}

/// POST to the API with the browser's session cookie, as a cross-site page could.
async fn cross_site_post(
    server: &TestServer,
    path: &str,
    session: &str,
    content_type: &str,
    body: &str,
) -> reqwest::Response {
    api_client()
        .post(server.url(path))
        .header("cookie", format!("sa_session={session}"))
        .header("origin", "https://evil.example")
        .header("content-type", content_type)
        .body(body.to_owned())
        .send()
        .await
        .unwrap()
}

/// What a cross-site `<form>` can send: urlencoded, multipart, or plain text that
/// happens to be JSON.
const FORM_TYPES: [&str; 3] = [
    "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=xyz",
    "text/plain",
];

async fn the_api_refuses_what_a_cross_site_form_can_send(backend: Backend) {
    let server = TestServer::start(backend).await;
    let client = api_client();
    let person = Person::new("cors.target");
    let (_, secret) = account_with_totp(&server, &client, &person).await;
    let browser = Browser::new(&server);
    browser.sign_in(&server, &person, &secret).await;
    let session = browser.cookie("sa_session").unwrap();

    let bodies = [
        (
            "/api/v1/account/password",
            json!({"new_password": "attacker chosen passphrase"}),
        ),
        ("/api/v1/factors/phones", json!({"phone": "+12025550166"})),
        ("/api/v1/factors/totp", json!({"label": "attacker app"})),
        (
            "/api/v1/admin/maintenance",
            json!({"starts_at": "2026-03-03T00:00:00Z", "ends_at": "2026-03-03T01:00:00Z", "message": "x"}),
        ),
    ];
    for (path, body) in &bodies {
        for content_type in FORM_TYPES {
            let refused =
                cross_site_post(&server, path, &session, content_type, &body.to_string()).await;
            assert_eq!(refused.status(), 415, "{path} as {content_type}");
            assert!(
                refused
                    .headers()
                    .get("access-control-allow-origin")
                    .is_none()
            );
        }
        // A page script could send JSON only after a CORS preflight, which gets no
        // permission.
        let preflight = api_client()
            .request(Method::OPTIONS, server.url(path))
            .header("origin", "https://evil.example")
            .header("access-control-request-method", "POST")
            .header("access-control-request-headers", "content-type")
            .send()
            .await
            .unwrap();
        assert!(
            preflight
                .headers()
                .get("access-control-allow-origin")
                .is_none(),
            "{path}"
        );
    }
    let factors = call(
        &client,
        Method::GET,
        server.url("/api/v1/factors"),
        Some(&session),
        None,
        200,
    )
    .await;
    assert_eq!(factors.as_array().unwrap().len(), 1, "{factors}");
    let security = call(
        &client,
        Method::GET,
        server.url("/api/v1/account/security"),
        Some(&session),
        None,
        200,
    )
    .await;
    assert!(!security.to_string().contains("password_changed"));
    server.finish().await;
}

/// An endpoint without a JSON body (`POST /api/v1/factors/backup-codes`) refuses a form
/// post carrying the session cookie, in each content type a cross-site form can send,
/// with 415: `ApiAuth` wants `Content-Type: application/json` whenever a cookie (not a
/// bearer token) comes with a method other than GET, HEAD or OPTIONS, body or not, as
/// `csrf.rs` promises. (SameSite=Lax already keeps the cookie off cross-site POSTs in
/// current browsers; this covers a same-site attacker, such as a sibling subdomain, or
/// an older browser.) `/api/v1/proofing/mail` and `/api/v1/accounts/email/resend` go
/// through the same `ApiAuth` check but are not posted to here.
async fn bodyless_api_posts_refuse_a_cross_site_form(backend: Backend) {
    let server = TestServer::start(backend).await;
    let client = api_client();
    let person = Person::new("bodyless.target");
    let (_, secret) = account_with_totp(&server, &client, &person).await;
    let browser = Browser::new(&server);
    browser.sign_in(&server, &person, &secret).await;
    let session = browser.cookie("sa_session").unwrap();
    for content_type in FORM_TYPES {
        let answer = cross_site_post(
            &server,
            "/api/v1/factors/backup-codes",
            &session,
            content_type,
            "a=b",
        )
        .await;
        assert_eq!(answer.status(), 415, "as {content_type}");
    }
    server.finish().await;
}

// ---------------------------------------------------------------------------------------
// Open redirects
// ---------------------------------------------------------------------------------------

fn authorize_path(client_id: &str, redirect_uri: &str) -> String {
    format!(
        "/oidc/authorize?response_type=code&client_id={client_id}&redirect_uri={}&scope=openid&state=s1&nonce=n1",
        sa_domain::oidc::authorize::urlencode(redirect_uri)
    )
}

async fn no_redirect_leaves_for_an_unregistered_address(backend: Backend) {
    let env = OidcEnv::start(backend).await;
    // Disguises of the registered https://app.example.test/callback.
    for redirect in [
        "https://evil.example/callback",
        "https://app.example.test/callback.evil.example",
        "https://app.example.test/callback/../../evil",
        "https://app.example.test/callback?next=https://evil.example",
        "https://app.example.test/callback#@evil.example",
        "https://app.example.test@evil.example/callback",
        "https://evil.example/https://app.example.test/callback",
        "http://app.example.test/callback",
        "https://APP.example.test/callback",
        "https://app.example.test/callback/",
        "//evil.example/callback",
        LOGOUT_REDIRECT,
    ] {
        let refused = env.get(&authorize_path(SECRET_APP, redirect)).await;
        assert_eq!(refused.status(), 400, "{redirect}");
        assert!(refused.headers().get("location").is_none(), "{redirect}");
    }
    for path in [
        authorize_path("no-such-app", "https://evil.example/cb"),
        authorize_path("no-such-app", REDIRECT),
        "/oidc/authorize?response_type=code&client_id=transcripts&scope=openid".to_owned(),
    ] {
        let refused = env.get(&path).await;
        assert_eq!(refused.status(), 400, "{path}");
        assert!(refused.headers().get("location").is_none(), "{path}");
    }

    // RP-initiated logout: only to a registered address; otherwise an error page, and
    // the session is not ended either.
    let logout = |target: &str, client: &str| {
        format!(
            "/oidc/logout?client_id={client}&post_logout_redirect_uri={}&state=s",
            sa_domain::oidc::authorize::urlencode(target)
        )
    };
    for path in [
        logout("https://evil.example/signed-out", SECRET_APP),
        logout(REDIRECT, SECRET_APP),
        logout(&format!("{LOGOUT_REDIRECT}/../../evil"), SECRET_APP),
        logout(LOGOUT_REDIRECT, "no-such-app"),
        format!(
            "/oidc/logout?post_logout_redirect_uri={}",
            sa_domain::oidc::authorize::urlencode(LOGOUT_REDIRECT)
        ),
    ] {
        let refused = env.get(&path).await;
        assert_eq!(refused.status(), 400, "{path}");
        assert!(refused.headers().get("location").is_none(), "{path}");
    }
    let page = env.get_text("/account/security").await;
    let (status, body) = env
        .post_form(
            &page,
            "/oidc/logout",
            &[
                ("client_id", SECRET_APP),
                ("post_logout_redirect_uri", "https://evil.example/"),
            ],
        )
        .await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(
        env.get("/account/security").await.status(),
        200,
        "still signed in"
    );
    // Logout CSRF: a bare link (or one carrying an ID token that is not this person's,
    // or not ours) only asks; the person stays signed in until they confirm.
    for path in [
        "/oidc/logout".to_owned(),
        format!("/oidc/logout?id_token_hint={}", forged_id_token()),
    ] {
        let asked = env.get(&path).await;
        assert_eq!(asked.status(), 200, "{path}");
        assert!(
            asked
                .text()
                .await
                .unwrap()
                .contains("Sign out of Secure Access?"),
            "{path}"
        );
        assert_eq!(
            env.get("/account/security").await.status(),
            200,
            "still signed in after {path}"
        );
    }

    // The pages take no next/return parameter: whatever is added, sign-in ends here.
    let evil = "https%3A%2F%2Fevil.example%2F";
    let query = format!(
        "?next={evil}&return_to={evil}&returnTo={evil}&redirect={evil}&redirect_uri={evil}&continue={evil}&url={evil}"
    );
    let browser = Browser::new(&env.server);
    let page = browser.get(&format!("/sign-in{query}")).await;
    assert_eq!(page.status, 200);
    assert!(!page.text.contains("evil.example"));
    let started = browser
        .post(
            &page.text,
            &format!("/sign-in{query}"),
            &[
                ("username", &env.person.username),
                ("password", &env.person.password),
                ("next", "https://evil.example/"),
            ],
        )
        .await;
    let location = started.location.unwrap();
    assert!(on_site(&location), "{location}");
    let page = browser.get(&format!("{location}{query}")).await;
    let done = browser
        .post(
            &page.text,
            &format!("/sign-in/second-factor{query}"),
            &[
                ("method", "totp"),
                ("code", &env.server.totp_now(&env.totp_secret)),
                ("next", "https://evil.example/"),
            ],
        )
        .await;
    let location = done.location.unwrap();
    assert!(on_site(&location), "{location}");
    for path in [
        format!("/{query}"),
        format!("/account/security{query}"),
        "/oidc/authorize/resume?request=https%3A%2F%2Fevil.example%2F".to_owned(),
    ] {
        let answer = browser.get(&path).await;
        if let Some(location) = answer.location {
            assert!(on_site(&location), "{path} → {location}");
        }
    }
    env.finish().await;
}

// ---------------------------------------------------------------------------------------
// IDOR
// ---------------------------------------------------------------------------------------

/// A page client for a session token: pages take the bearer header like the API; the
/// jar keeps the CSRF cookie.
pub(crate) struct TokenPages {
    pub(crate) browser: Browser,
    pub(crate) token: String,
}

impl TokenPages {
    pub(crate) async fn get(&self, path: &str) -> Page {
        self.browser
            .send(
                self.browser
                    .request(Method::GET, path)
                    .bearer_auth(&self.token),
            )
            .await
    }

    /// POST a form (with a CSRF token fitting this client's cookie).
    pub(crate) async fn post(&self, path: &str, fields: &[(&str, &str)]) -> Page {
        // The sign-in page always carries a form, whatever the session's step.
        let page = self.get("/sign-in").await;
        let token = csrf_token(&page.text);
        let mut form = vec![("csrf_token", token.as_str())];
        form.extend_from_slice(fields);
        self.browser
            .send(
                self.browser
                    .request(Method::POST, path)
                    .bearer_auth(&self.token)
                    .form(&form),
            )
            .await
    }
}

/// A page POST: the path, its fields, the status expected.
type PageCase<'a> = (String, Vec<(&'a str, String)>, u16);

async fn account_id(server: &TestServer, username: &str) -> String {
    use sa_domain::store::Store;
    server
        .running()
        .store
        .account_by_username(username)
        .await
        .unwrap()
        .unwrap()
        .id
}

async fn nobody_acts_on_another_persons_ids(backend: Backend) {
    let env = OidcEnv::start(backend).await;
    let server = &env.server;
    let client = api_client();

    // B (the OIDC test person) connects an app, and starts adding an app and a phone.
    let (challenge, verifier) = openidconnect::PkceCodeChallenge::new_random_sha256();
    let code = env
        .authorize(&format!(
            "{}&code_challenge={}&code_challenge_method=S256",
            authorize_path(SECRET_APP, REDIRECT),
            challenge.as_str()
        ))
        .await
        .remove("code")
        .unwrap();
    let (status, tokens) = env
        .token_request(
            &[
                ("grant_type", "authorization_code"),
                ("code", &code),
                ("redirect_uri", REDIRECT),
                ("code_verifier", verifier.secret()),
            ],
            Some((SECRET_APP, SECRET)),
        )
        .await;
    assert_eq!(status, 200, "{tokens}");
    let b_access = tokens["access_token"].as_str().unwrap().to_owned();
    let b = sign_in_with_app(server, &client, &env.person, &env.totp_secret).await;
    server.clock.advance(Duration::seconds(30));
    let b_factors = call(
        &client,
        Method::GET,
        server.url("/api/v1/factors"),
        Some(&b),
        None,
        200,
    )
    .await;
    let b_app = b_factors[0]["id"].as_str().unwrap().to_owned();
    let b_pending = call(
        &client,
        Method::POST,
        server.url("/api/v1/factors/totp"),
        Some(&b),
        Some(json!({"label": "B's second phone"})),
        201,
    )
    .await;
    let b_pending_app = b_pending["factor_id"].as_str().unwrap().to_owned();
    let b_pending_secret = b_pending["secret"].as_str().unwrap().to_owned();
    let b_phone_number = "+12025550161";
    let mark = server.outbox_mark();
    let added = call(
        &client,
        Method::POST,
        server.url("/api/v1/factors/phones"),
        Some(&b),
        Some(json!({"phone": b_phone_number})),
        201,
    )
    .await;
    let b_phone = added["factor_id"].as_str().unwrap().to_owned();
    let b_phone_code = server.code_after(mark, b_phone_number).await;
    let b_id = account_id(server, &env.person.username).await;

    // A: a complete account of their own, freshly signed in (even B's codes in hand).
    let attacker = Person::new("idor.attacker");
    let (a, _) = account_with_totp(server, &client, &attacker).await;
    let api_cases: Vec<(Method, String, Option<Value>, u16)> = vec![
        (
            Method::DELETE,
            format!("/api/v1/factors/{b_app}"),
            None,
            404,
        ),
        (
            Method::DELETE,
            format!("/api/v1/factors/{b_pending_app}"),
            None,
            404,
        ),
        (
            Method::POST,
            format!("/api/v1/factors/totp/{b_pending_app}/confirm"),
            Some(json!({"code": server.totp_now(&b_pending_secret)})),
            404,
        ),
        (
            Method::POST,
            format!("/api/v1/factors/phones/{b_phone}/confirm"),
            Some(json!({"code": b_phone_code})),
            404,
        ),
        (
            Method::DELETE,
            format!("/api/v1/account/apps/{SECRET_APP}"),
            None,
            400,
        ),
        (
            Method::GET,
            format!("/api/v1/staff/accounts/{b_id}"),
            None,
            403,
        ),
        (
            Method::POST,
            format!("/api/v1/staff/accounts/{b_id}/knowledge-checks"),
            Some(json!({"ssn": SSN})),
            403,
        ),
        (
            Method::POST,
            format!("/api/v1/staff/accounts/{b_id}/in-person"),
            Some(
                json!({"kind": "existing_user", "office": "TAC", "person_matches": true, "documents": []}),
            ),
            403,
        ),
        (
            Method::POST,
            format!("/api/v1/staff/accounts/{b_id}/complete-in-person"),
            Some(json!({})),
            403,
        ),
        (
            Method::GET,
            format!("/api/v1/staff/audit?account={b_id}"),
            None,
            403,
        ),
    ];
    for (method, path, body, status) in api_cases {
        let refused = call(
            &client,
            method.clone(),
            server.url(&path),
            Some(&a),
            body,
            status,
        )
        .await;
        assert!(
            !refused.to_string().contains(&b_pending_secret),
            "{method} {path}"
        );
    }

    // The same through the pages.
    let pages = TokenPages {
        browser: Browser::new(server),
        token: a.clone(),
    };
    let shown = pages
        .get(&format!("/second-factor/setup/totp/{b_pending_app}"))
        .await;
    assert_eq!(shown.status, 404);
    assert!(
        !shown.text.contains(&b_pending_secret),
        "B's secret not shown"
    );
    let shown = pages
        .get(&format!("/second-factor/setup/phone/{b_phone}"))
        .await;
    assert!(!shown.text.contains("0161"), "B's phone not shown");
    let page_cases: Vec<PageCase> = vec![
        (
            format!("/second-factor/setup/totp/{b_pending_app}"),
            vec![("code", server.totp_now(&b_pending_secret))],
            404,
        ),
        (
            format!("/second-factor/setup/phone/{b_phone}"),
            vec![("code", b_phone_code.clone())],
            404,
        ),
        (format!("/account/factors/{b_app}/remove"), vec![], 404),
        (format!("/account/apps/{SECRET_APP}/revoke"), vec![], 400),
        (
            format!("/staff/accounts/{b_id}/knowledge-checks"),
            vec![("ssn", SSN.to_owned())],
            403,
        ),
        (format!("/staff/accounts/{b_id}/in-person"), vec![], 403),
        (
            format!("/staff/accounts/{b_id}/complete-in-person"),
            vec![],
            403,
        ),
    ];
    for (path, fields, status) in page_cases {
        let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let refused = pages.post(&path, &fields).await;
        assert_eq!(refused.status, status, "POST {path}: {}", refused.text);
        assert!(refused.location.is_none(), "POST {path}");
    }
    for path in [
        format!("/staff/accounts/{b_id}"),
        format!("/staff/accounts/{b_id}/in-person"),
    ] {
        assert_eq!(pages.get(&path).await.status, 403, "GET {path}");
    }

    // B's data is unchanged: the app still works, the connected app still has its
    // tokens, and B finishes both pending set-ups with the very codes A tried.
    let factors = call(
        &client,
        Method::GET,
        server.url("/api/v1/factors"),
        Some(&b),
        None,
        200,
    )
    .await;
    let statuses: Vec<(&str, &str)> = factors
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["id"].as_str().unwrap(), f["status"].as_str().unwrap()))
        .collect();
    assert_eq!(
        statuses,
        [(b_app.as_str(), "active")],
        "pending ones are not listed"
    );
    assert_eq!(env.userinfo(&b_access).await.0, 200);
    let apps = call(
        &client,
        Method::GET,
        server.url("/api/v1/account/apps"),
        Some(&b),
        None,
        200,
    )
    .await;
    assert!(apps.to_string().contains(SECRET_APP), "{apps}");
    call(
        &client,
        Method::POST,
        server.url(&format!("/api/v1/factors/totp/{b_pending_app}/confirm")),
        Some(&b),
        Some(json!({"code": server.totp_now(&b_pending_secret)})),
        200,
    )
    .await;
    call(
        &client,
        Method::POST,
        server.url(&format!("/api/v1/factors/phones/{b_phone}/confirm")),
        Some(&b),
        Some(json!({"code": b_phone_code})),
        200,
    )
    .await;
    env.finish().await;
}

/// A well-formed ES256 ID token for this issuer's apps, signed by a key of its own.
fn forged_id_token() -> String {
    let key = sa_oidc::SigningKey::generate(sa_oidc::SigningAlg::Es256).unwrap();
    key.sign_jwt(&json!({"iss": "http://127.0.0.1", "aud": "transcripts", "sub": "someone"}))
        .unwrap()
}

/// A verified account with an authenticator app and these staff roles; returns a fresh
/// session token.
async fn verified_with_app(
    server: &TestServer,
    client: &reqwest::Client,
    name: &str,
    roles: &[&str],
) -> String {
    crate::common::staff::staff_member(server, client, name, roles)
        .await
        .token
}

async fn a_knowledge_check_is_answered_only_by_staff(backend: Backend) {
    let server = crate::staff_console::staff_server(backend).await;
    let client = api_client();
    let assistor = verified_with_app(&server, &client, "idor.assistor", &["help_desk"]).await;
    let outsider = verified_with_app(&server, &client, "idor.outsider", &[]).await;
    let caller = Person::new("idor.caller");
    let caller_id = crate::staff_console::failed_online(&server, &client, &caller).await;
    let started = call(
        &client,
        Method::POST,
        server.url(&format!(
            "/api/v1/staff/accounts/{caller_id}/knowledge-checks"
        )),
        Some(&assistor),
        Some(json!({"ssn": SSN})),
        201,
    )
    .await;
    let check = started["check_id"].as_str().unwrap().to_owned();
    let answers: serde_json::Map<String, Value> = started["questions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| {
            let id = q["id"].as_str().unwrap();
            (id.to_owned(), crate::staff_console::answer(id))
        })
        .collect();

    // An outsider who learnt the check id (with the right answers, even) is refused.
    let refused = call(
        &client,
        Method::POST,
        server.url(&format!("/api/v1/staff/knowledge-checks/{check}/answers")),
        Some(&outsider),
        Some(json!({"answers": answers})),
        403,
    )
    .await;
    assert!(refused.get("temporary_password").is_none());
    let pages = TokenPages {
        browser: Browser::new(&server),
        token: outsider,
    };
    let fields: Vec<(String, String)> = answers
        .iter()
        .map(|(id, value)| (format!("answer_{id}"), value.to_string()))
        .collect();
    let fields: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let refused = pages
        .post(&format!("/staff/knowledge-checks/{check}/answers"), &fields)
        .await;
    assert_eq!(refused.status, 403);
    assert!(!refused.text.to_lowercase().contains("temporary password"));

    // The check is still open for the staff member who started it.
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
    server.finish().await;
}

on_both_databases!(
    session_tokens_change_when_privilege_changes,
    every_page_form_refuses_a_post_without_its_csrf_token,
    the_api_refuses_what_a_cross_site_form_can_send,
    no_redirect_leaves_for_an_unregistered_address,
    nobody_acts_on_another_persons_ids,
    a_knowledge_check_is_answered_only_by_staff,
    bodyless_api_posts_refuse_a_cross_site_form,
);
