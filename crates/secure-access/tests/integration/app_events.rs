//! Apps hear about their users, on SQLite and PostgreSQL: Security Event Tokens
//! pushed to an app's `events_uri` (RFC 8417/8935, RISC event types) and logout
//! tokens posted to its `backchannel_logout_uri` (Back-Channel Logout 1.0), received
//! by an app the test runs. Each token is checked as an app would: its `typ`, its
//! signature against the published JWKS, its claims, and the app's pairwise subject.
//! Each event arrives once, also when the app was down and the service restarted in
//! between; a deleted account's apps hear it was purged.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use base64::Engine;
use sa_domain::oidc::clients::NewClient;
use serde_json::Value;

use crate::common::oidc::*;
use crate::common::saml::{crafted, posted_form, request_xml, sp_metadata};
use crate::common::*;
use crate::on_both_databases;

const ALERTS_APP: &str = "alerts";
const RISC: &str = "https://schemas.openid.net/secevent/risc/event-type/";
const LOGOUT_EVENT: &str = "http://schemas.openid.net/event/backchannel-logout";

/// What the app received: (path, content type, token), and what it answers.
#[derive(Default)]
struct Inbox {
    accepted: Vec<(String, String, String)>,
    refused: usize,
    answer_unavailable: bool,
}

/// An app's two receiving endpoints on a free loopback port.
struct Receiver {
    base: String,
    inbox: Arc<Mutex<Inbox>>,
}

async fn receive(
    State((inbox, path)): State<(Arc<Mutex<Inbox>>, &'static str)>,
    headers: HeaderMap,
    body: Bytes,
) -> StatusCode {
    let mut inbox = inbox.lock().unwrap();
    if inbox.answer_unavailable {
        inbox.refused += 1;
        return StatusCode::SERVICE_UNAVAILABLE;
    }
    let content_type = headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let text = String::from_utf8_lossy(&body).into_owned();
    let token = match text.strip_prefix("logout_token=") {
        Some(token) => token.to_owned(),
        None => text,
    };
    inbox.accepted.push((path.to_owned(), content_type, token));
    if path == "/events" {
        StatusCode::ACCEPTED
    } else {
        StatusCode::OK
    }
}

impl Receiver {
    async fn start() -> Self {
        let inbox = Arc::new(Mutex::new(Inbox::default()));
        let app = axum::Router::new()
            .route(
                "/events",
                post(receive).with_state((inbox.clone(), "/events")),
            )
            .route(
                "/logout",
                post(receive).with_state((inbox.clone(), "/logout")),
            );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Self { base, inbox }
    }

    fn accepted(&self) -> Vec<(String, String, String)> {
        self.inbox.lock().unwrap().accepted.clone()
    }

    /// Wait (up to 20 s) until `count` tokens were accepted; then a moment more, so a
    /// duplicate would show.
    async fn wait_for(&self, count: usize) -> Vec<(String, String, String)> {
        for _ in 0..200 {
            if self.accepted().len() >= count {
                tokio::time::sleep(Duration::from_millis(500)).await;
                return self.accepted();
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("expected {count} tokens, got {:?}", self.accepted());
    }
}

/// What `apps show` says of the tokens sent to the app, once it says `expected`
/// (the worker records an outcome just after the app answers).
async fn shown_deliveries(env: &OidcEnv, expected: &str) -> String {
    let mut shown = String::new();
    for _ in 0..50 {
        let (ok, stdout, stderr) = cli(&env.server, &["apps", "show", ALERTS_APP]).await;
        assert!(ok, "{stderr}");
        shown = stdout;
        if shown.contains(expected) {
            return shown;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    panic!("apps show never said {expected:?}: {shown}");
}

/// Register the app that listens, and let the person sign in to it (consent); returns
/// its pairwise subject from the ID token.
async fn connect_alerts_app(env: &OidcEnv, receiver: &Receiver) -> String {
    env.server
        .running()
        .oidc
        .register_client(NewClient {
            client_id: Some(ALERTS_APP.to_owned()),
            name: "Balance alerts".to_owned(),
            redirect_uris: vec![REDIRECT.to_owned()],
            auth_method: "client_secret_basic".to_owned(),
            secret: Some(SECRET.to_owned()),
            scopes: vec!["openid".to_owned(), "email".to_owned()],
            required_ial: 1,
            events_uri: Some(format!("{}/events", receiver.base)),
            backchannel_logout_uri: Some(format!("{}/logout", receiver.base)),
            ..NewClient::default()
        })
        .await
        .expect("register the app");
    let url = format!(
        "/oidc/authorize?response_type=code&client_id={ALERTS_APP}&redirect_uri={}&scope=openid&state=s",
        sa_domain::oidc::authorize::urlencode(REDIRECT)
    );
    let code = env.authorize(&url).await["code"].clone();
    let (status, tokens) = env
        .token_request(
            &[
                ("grant_type", "authorization_code"),
                ("code", &code),
                ("redirect_uri", REDIRECT),
            ],
            Some((ALERTS_APP, SECRET)),
        )
        .await;
    assert_eq!(status, 200, "{tokens}");
    let (_, claims) = verified(env, tokens["id_token"].as_str().unwrap()).await;
    claims["sub"].as_str().unwrap().to_owned()
}

/// A token's header and claims, once its signature verifies against the JWKS.
async fn verified(env: &OidcEnv, token: &str) -> (Value, Value) {
    let jwks: Value = api_client()
        .get(env.url("/oidc/jwks"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let claims = sa_oidc::verify_jwt(token, &jwks)
        .expect("signed with a published key")
        .claims;
    let header = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(token.split('.').next().unwrap())
        .unwrap();
    (serde_json::from_slice(&header).unwrap(), claims)
}

/// Check a Security Event Token as the app would; returns its one event type.
async fn security_event(
    env: &OidcEnv,
    received: &(String, String, String),
    issuer: &str,
    sub: &str,
) -> String {
    let (path, content_type, token) = received;
    assert_eq!(path, "/events");
    assert_eq!(content_type, "application/secevent+jwt");
    let (header, claims) = verified(env, token).await;
    assert_eq!(header["typ"], "secevent+jwt");
    assert_eq!(claims["iss"], issuer);
    assert_eq!(claims["sub_id"]["iss"], issuer);
    assert_eq!(claims["aud"], ALERTS_APP);
    assert_eq!(claims["sub_id"]["format"], "iss_sub");
    assert_eq!(claims["sub_id"]["sub"], sub, "the app's pairwise subject");
    assert!(claims["jti"].as_str().is_some_and(|j| j.len() >= 32));
    assert!(claims.get("exp").is_none() && claims.get("sub").is_none());
    let events = claims["events"].as_object().unwrap();
    assert_eq!(events.len(), 1, "one event per token");
    let (event_type, members) = events.iter().next().unwrap();
    assert_eq!(members["subject"]["sub"], sub);
    event_type
        .strip_prefix(RISC)
        .expect("a RISC event type")
        .to_owned()
}

async fn logout_token(env: &OidcEnv, received: &(String, String, String), sub: &str) {
    let (path, content_type, token) = received;
    assert_eq!(path, "/logout");
    assert_eq!(content_type, "application/x-www-form-urlencoded");
    let (header, claims) = verified(env, token).await;
    assert_eq!(header["typ"], "logout+jwt");
    assert_eq!(claims["aud"], ALERTS_APP);
    assert_eq!(claims["sub"], sub);
    assert!(claims["events"][LOGOUT_EVENT].is_object());
    assert!(claims.get("nonce").is_none());
    assert!(claims["exp"].as_i64().unwrap() > claims["iat"].as_i64().unwrap());
}

async fn apps_hear_of_changes_once_with_signed_tokens(backend: Backend) {
    let receiver = Receiver::start().await;
    let env = OidcEnv::start(backend).await;
    let sub = connect_alerts_app(&env, &receiver).await;
    let id = crate::staff_admin::account_id(&env.server, &env.person.username).await;
    let help = env.server.running().services.account_help();
    let console = sa_domain::journeys::RoleAdmin::Console;
    help.disable(console, &id, Some("reported as taken over"))
        .await
        .unwrap();
    let received = receiver.wait_for(2).await;
    assert_eq!(received.len(), 2, "{received:?}");
    let (events, logouts): (Vec<_>, Vec<_>) = received.iter().partition(|r| r.0 == "/events");
    assert_eq!(
        security_event(&env, events[0], &env.server.base, &sub).await,
        "account-disabled"
    );
    logout_token(&env, logouts[0], &sub).await;
    // The operator sees the app is hearing.
    let shown = shown_deliveries(&env, "account-disabled: delivered after 1 attempt(s)").await;
    assert!(
        shown.contains("logout: delivered after 1 attempt(s)"),
        "{shown}"
    );

    help.enable(console, &id, Some("owner confirmed by phone"))
        .await
        .unwrap();
    let received = receiver.wait_for(3).await;
    assert_eq!(received.len(), 3, "{received:?}");
    assert_eq!(
        security_event(&env, &received[2], &env.server.base, &sub).await,
        "account-enabled"
    );

    // The person signs in again and signs out: a logout token. The apps that did not
    // register where to hear get nothing, and nothing is written to the dev outbox.
    env.sign_in_browser().await;
    let page = env.get_text("/account/security").await;
    let (status, _) = env.post_form(&page, "/sign-out", &[]).await;
    assert_eq!(status, 303);
    let received = receiver.wait_for(4).await;
    assert_eq!(received.len(), 4, "{received:?}");
    logout_token(&env, &received[3], &sub).await;
    assert!(
        env.server.outbox().iter().all(|m| m["channel"] != "app"),
        "apps' tokens never go to the development outbox"
    );

    // The person deletes the account: the app hears it was purged (its consent went
    // with the account, so the audience was fixed when it was deleted).
    env.sign_in_browser().await;
    let page = env.get_text("/account/delete").await;
    let (status, answer) = env.post_form(&page, "/account/delete", &[]).await;
    assert_eq!(status, 200, "{answer}");
    let received = receiver.wait_for(6).await;
    assert_eq!(received.len(), 6, "{received:?}");
    let purged = received[4..].iter().find(|r| r.0 == "/events").unwrap();
    assert_eq!(
        security_event(&env, purged, &env.server.base, &sub).await,
        "account-purged"
    );
    let logout = received[4..].iter().find(|r| r.0 == "/logout").unwrap();
    logout_token(&env, logout, &sub).await;
    env.finish().await;
}

async fn an_event_survives_the_app_being_down_and_a_restart(backend: Backend) {
    let receiver = Receiver::start().await;
    let mut env = OidcEnv::start(backend).await;
    let sub = connect_alerts_app(&env, &receiver).await;
    receiver.inbox.lock().unwrap().answer_unavailable = true;
    let id = crate::staff_admin::account_id(&env.server, &env.person.username).await;
    env.server
        .running()
        .services
        .account_help()
        .end_sessions(
            sa_domain::journeys::RoleAdmin::Console,
            &id,
            Some("caller reports a stolen phone"),
        )
        .await
        .unwrap();
    for _ in 0..200 {
        if receiver.inbox.lock().unwrap().refused >= 2 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(
        receiver.inbox.lock().unwrap().refused >= 2,
        "both were tried"
    );
    let shown = shown_deliveries(&env, "sessions-revoked: waiting to be tried again").await;
    let sent = shown
        .split("security events and logout tokens sent")
        .nth(1)
        .unwrap_or_default();
    assert!(
        sent.contains("answered 503") && !sent.contains("/events"),
        "the error names the app's host, not its path: {shown}"
    );

    let issuer = env.server.base.clone();
    env.server.restart().await;
    receiver.inbox.lock().unwrap().answer_unavailable = false;
    // The retry is due by the server's clock (5 s after the first try, doubling).
    env.server.clock.advance(time::Duration::minutes(2));
    let received = receiver.wait_for(2).await;
    assert_eq!(received.len(), 2, "each token once: {received:?}");
    let event = received.iter().find(|r| r.0 == "/events").unwrap();
    assert_eq!(
        security_event(&env, event, &issuer, &sub).await,
        "sessions-revoked"
    );
    let logout = received.iter().find(|r| r.0 == "/logout").unwrap();
    let (_, claims) = verified(&env, &logout.2).await;
    assert_eq!(claims["sub"], sub.as_str());
    env.finish().await;
}

/// A SAML service provider that registered an events URI hears of its users too, by
/// the NameID its assertions carried.
async fn a_saml_app_hears_of_its_users_by_their_name_id(backend: Backend) {
    let receiver = Receiver::start().await;
    let env = OidcEnv::start(backend).await;
    let entity = "https://saml-alerts.example.test/sp";
    let acs = "https://saml-alerts.example.test/acs";
    env.server
        .running()
        .oidc
        .register_client(NewClient {
            name: "Balance alerts (SAML)".to_owned(),
            scopes: vec!["openid".to_owned()],
            required_ial: 1,
            events_uri: Some(format!("{}/events", receiver.base)),
            saml_metadata: Some(sp_metadata(entity, acs)),
            ..NewClient::default()
        })
        .await
        .expect("register the SAML app");

    // Sign in to it through the pages with an AuthnRequest by HTTP-Redirect.
    let url = crafted(
        &env.server,
        &request_xml(&env.server, "_alerts", entity, acs),
    );
    let page = env.get_text(&url).await;
    let (status, page) = env.answer_consent(&page, "allow").await;
    assert_eq!(status, 200);
    let answer = posted_form(&page).xml();
    let name_id =
        crate::common::pages::between(&answer, &format!("SPNameQualifier=\"{entity}\">"), "<")
            .to_owned();

    // The account is turned off: the SAML app is told, about that NameID.
    let id = crate::staff_admin::account_id(&env.server, &env.person.username).await;
    env.server
        .running()
        .services
        .account_help()
        .disable(
            sa_domain::journeys::RoleAdmin::Console,
            &id,
            Some("reported as taken over"),
        )
        .await
        .unwrap();
    let received = receiver.wait_for(1).await;
    assert_eq!(received.len(), 1, "{received:?}");
    let (_, claims) = verified(&env, &received[0].2).await;
    assert_eq!(claims["aud"], entity);
    assert_eq!(
        claims["sub_id"]["sub"],
        name_id.as_str(),
        "the NameID it knows"
    );
    assert!(
        claims["events"]
            .as_object()
            .unwrap()
            .contains_key(&format!("{RISC}account-disabled"))
    );
    env.finish().await;
}

on_both_databases!(
    apps_hear_of_changes_once_with_signed_tokens,
    an_event_survives_the_app_being_down_and_a_restart,
    a_saml_app_hears_of_its_users_by_their_name_id,
);
