//! The same first journey through the HTML pages, as a person with a browser (cookies,
//! forms, redirects; no JavaScript): sign up, confirm email, scan the QR, sign out,
//! sign in with the app code, land on the security page listing that sign-in.

use crate::common::pages::{self, between};
use crate::common::*;
use crate::on_both_databases;

/// The shared page browser, read the way this journey reads answers: the status, and
/// the `Location` of a redirect or else the page.
struct Browser(pages::Browser);

impl Browser {
    async fn get(&self, path: &str) -> (u16, String) {
        let page = self.0.get(path).await;
        (page.status, page.text)
    }

    /// Submit a form found on `page`.
    async fn post(&self, page: &str, action: &str, fields: &[(&str, &str)]) -> (u16, String) {
        let answer = self.0.post(page, action, fields).await;
        (answer.status, answer.location.unwrap_or(answer.text))
    }
}

async fn a_person_signs_up_and_signs_in_with_pages_only(backend: Backend) {
    let server = TestServer::start(backend).await;
    let browser = Browser(pages::Browser::with_user_agent(
        &server,
        "Mozilla/5.0 (Pages test)",
    ));
    let person = Person::new("page.person");

    let (status, home) = browser.get("/").await;
    assert_eq!(status, 200);
    assert!(home.contains("href=\"/sign-up\""));
    let (_, form) = browser.get("/sign-up").await;
    assert!(form.contains("<label class=\"usa-label\" for=\"password\">Password</label>"));

    // A weak password is refused, the reason shown beside the field, the other values kept.
    let (status, page) = browser
        .post(
            &form,
            "/sign-up",
            &[
                ("username", &person.username),
                ("email", &person.email),
                ("password", "password12345"),
            ],
        )
        .await;
    assert_eq!(status, 400);
    assert!(page.contains("There is a problem"));
    assert!(
        page.contains("href=\"#password\""),
        "the summary links to the field"
    );
    assert!(page.contains("id=\"password-error\""));
    assert!(page.contains("aria-invalid=\"true\""));
    assert!(page.contains(&format!("value=\"{}\"", person.email)));

    let mark = server.outbox_mark();
    let (status, location) = browser
        .post(
            &page,
            "/sign-up",
            &[
                ("username", &person.username),
                ("email", &person.email),
                ("password", &person.password),
            ],
        )
        .await;
    assert_eq!((status, location.as_str()), (303, "/sign-up/confirm-email"));
    let code = server.code_after(mark, &person.email).await;
    let (_, confirm) = browser.get("/sign-up/confirm-email").await;
    let (status, page) = browser
        .post(&confirm, "/sign-up/confirm-email", &[("code", "000000")])
        .await;
    assert_eq!(status, 401);
    assert!(page.contains("That code is not correct"));
    let (status, location) = browser
        .post(&page, "/sign-up/confirm-email", &[("code", &code)])
        .await;
    assert_eq!((status, location.as_str()), (303, "/second-factor/setup"));

    let (_, choose) = browser.get("/second-factor/setup").await;
    let app_position = choose.find("Authenticator app").unwrap();
    let sms_position = choose.find("Text message").unwrap();
    assert!(app_position < sms_position, "the app is offered first");
    let (status, location) = browser
        .post(&choose, "/second-factor/setup/totp", &[])
        .await;
    assert_eq!(status, 303);
    assert!(location.starts_with("/second-factor/setup/totp/"));
    let (_, qr_page) = browser.get(&location).await;
    assert!(qr_page.contains("<svg"), "the QR code is on the page");
    let secret = between(&qr_page, "<code>", "</code>").to_owned();
    let (status, location) = browser
        .post(&qr_page, &location, &[("code", &server.totp_now(&secret))])
        .await;
    assert_eq!((status, location.as_str()), (303, "/account/security"));

    let (status, security) = browser.get("/account/security").await;
    assert_eq!(status, 200);
    assert!(security.contains("Authenticator app added"));
    let (status, location) = browser.post(&security, "/sign-out", &[]).await;
    assert_eq!((status, location.as_str()), (303, "/"));
    let location = browser.0.get("/account/security").await.location;
    assert_eq!(
        location.as_deref(),
        Some("/sign-in"),
        "signed out: the security page asks to sign in"
    );

    server.clock.advance(time::Duration::minutes(2));
    let (_, sign_in) = browser.get("/sign-in").await;
    let (status, location) = browser
        .post(
            &sign_in,
            "/sign-in",
            &[
                ("username", &person.username),
                ("password", &person.password),
            ],
        )
        .await;
    assert_eq!((status, location.as_str()), (303, "/sign-in/second-factor"));
    let (_, factor_page) = browser.get("/sign-in/second-factor").await;
    assert!(factor_page.contains("Code from your authenticator app"));
    assert!(
        !factor_page.contains("Text me a code"),
        "only the methods this account has"
    );
    let (status, page) = browser
        .post(
            &factor_page,
            "/sign-in/second-factor",
            &[("method", "totp"), ("code", "123")],
        )
        .await;
    assert_eq!(status, 401);
    assert!(page.contains("href=\"#totp-code\""));
    let (status, location) = browser
        .post(
            &page,
            "/sign-in/second-factor",
            &[("method", "totp"), ("code", &server.totp_now(&secret))],
        )
        .await;
    assert_eq!((status, location.as_str()), (303, "/account/security"));

    let (status, security) = browser.get("/account/security").await;
    assert_eq!(status, 200);
    assert!(security.contains("Recent sign-ins"));
    assert!(
        security.contains("March 2, 2026 15:02 UTC"),
        "the sign-in is listed with its time"
    );
    assert!(
        security.contains("Failed (wrong code)"),
        "the failed attempt too"
    );
    assert!(security.contains("Mozilla/5.0 (Pages test)"));
    server.finish().await;
}

async fn pages_set_hardened_cookies_and_headers(backend: Backend) {
    let server = TestServer::start(backend).await;
    let response = reqwest::Client::new()
        .get(server.url("/sign-up"))
        .send()
        .await
        .unwrap();
    let headers = response.headers().clone();
    let csp = headers["content-security-policy"].to_str().unwrap();
    assert!(!csp.contains("unsafe-inline") && csp.contains("frame-ancestors 'none'"));
    assert_eq!(headers["x-frame-options"], "DENY");
    assert_eq!(headers["referrer-policy"], "no-referrer");
    assert_eq!(headers["cache-control"], "no-store");
    let cookie = headers["set-cookie"].to_str().unwrap();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    assert!(
        !cookie.contains("Secure"),
        "plain HTTP on loopback in dev drops Secure"
    );
    let css = reqwest::Client::new()
        .get(server.url("/assets/uswds/css/uswds.min.css"))
        .send()
        .await
        .unwrap();
    assert_eq!(css.status(), 200);
    assert!(
        css.headers()["cache-control"]
            .to_str()
            .unwrap()
            .contains("max-age")
    );
    server.finish().await;
}

/// Behind TLS (the public URL is `https://`, as when a proxy terminates TLS): HSTS on
/// every answer, and cookies `Secure` with the `__Host-` prefix. Over plain HTTP on
/// loopback (the test above) neither is sent.
async fn https_deployments_send_hsts_and_secure_host_cookies(backend: Backend) {
    let server = TestServer::start_with(backend, |c| {
        c.public_url = Some("https://secure-access.example.test".to_owned());
    })
    .await;
    let plain = reqwest::Client::new();
    for path in ["/sign-up", "/healthz", "/.well-known/openid-configuration"] {
        let response = plain.get(server.url(path)).send().await.unwrap();
        assert_eq!(
            response.headers()["strict-transport-security"],
            "max-age=31536000; includeSubDomains",
            "{path}"
        );
    }
    let page = plain.get(server.url("/sign-up")).send().await.unwrap();
    let cookies: Vec<&str> = page
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|c| c.to_str().unwrap())
        .collect();
    assert!(!cookies.is_empty());
    for cookie in cookies {
        assert!(
            cookie.starts_with("__Host-")
                && cookie.contains("Secure")
                && cookie.contains("Path=/")
                && !cookie.contains("Domain="),
            "{cookie}"
        );
    }
    let loopback = TestServer::start(Backend::Sqlite).await;
    let response = plain.get(loopback.url("/sign-up")).send().await.unwrap();
    assert!(
        response
            .headers()
            .get("strict-transport-security")
            .is_none()
    );
    loopback.finish().await;
    server.finish().await;
}

on_both_databases!(
    a_person_signs_up_and_signs_in_with_pages_only,
    pages_set_hardened_cookies_and_headers,
    https_deployments_send_hsts_and_secure_host_cookies
);
