//! The whole life of an app's tokens, on SQLite and PostgreSQL: refresh tokens
//! (`offline_access`, rotation at every use, a reused or leaked one ends its grant,
//! idle expiry by the server's clock), introspection (RFC 7662) and revocation
//! (RFC 7009), and the grant ending when the person disconnects the app or an admin
//! signs them out everywhere.
//!
//! Refresh and introspection go through the unchanged `openidconnect` crate.
//! Revocation is raw HTTP: the crate refuses a revocation endpoint that is not
//! `https://` (RFC 7009 §2 asks clients to check), and the test server is plain HTTP on
//! loopback.

use openidconnect::core::{CoreAuthenticationFlow, CoreClient, CoreTokenResponse};
use openidconnect::{
    AccessToken, AuthorizationCode, ClientId, ClientSecret, CsrfToken, IntrospectionUrl, Nonce,
    OAuth2TokenResponse, PkceCodeChallenge, RedirectUrl, Scope, TokenIntrospectionResponse,
    TokenResponse,
};
use serde_json::Value;

use crate::common::oidc::*;
use crate::common::*;
use crate::on_both_databases;

/// Sign in to `SECRET_APP` through the library with `scopes`; returns the client
/// (with the introspection endpoint discovery names) and the token response.
async fn sign_in(
    env: &OidcEnv,
    scopes: &[&str],
) -> (
    impl Fn() -> CoreClientWithIntrospection + use<>,
    CoreTokenResponse,
    String,
) {
    let meta = metadata(env).await;
    let discovery: Value = api_client()
        .get(env.url("/.well-known/openid-configuration"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let introspection = discovery["introspection_endpoint"]
        .as_str()
        .expect("discovery names the introspection endpoint")
        .to_owned();
    let make = move || {
        CoreClient::from_provider_metadata(
            meta.clone(),
            ClientId::new(SECRET_APP.into()),
            Some(ClientSecret::new(SECRET.into())),
        )
        .set_redirect_uri(RedirectUrl::new(REDIRECT.into()).expect("redirect"))
        .set_introspection_url(IntrospectionUrl::new(introspection.clone()).expect("url"))
    };
    let client = make();
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let mut request = client.authorize_url(
        CoreAuthenticationFlow::AuthorizationCode,
        CsrfToken::new_random,
        Nonce::new_random,
    );
    for scope in scopes {
        request = request.add_scope(Scope::new((*scope).to_owned()));
    }
    let (url, _, nonce) = request.set_pkce_challenge(challenge).url();
    let code = env.authorize(url.as_str()).await["code"].clone();
    let tokens = client
        .exchange_code(AuthorizationCode::new(code))
        .expect("token endpoint")
        .set_pkce_verifier(verifier)
        .request_async(&http_client())
        .await
        .expect("code exchange");
    let sub = tokens
        .id_token()
        .expect("id token")
        .claims(
            &client
                .id_token_verifier()
                .set_time_fn(server_time(env))
                .require_audience_match(true),
            &nonce,
        )
        .expect("valid ID token")
        .subject()
        .as_str()
        .to_owned();
    (make, tokens, sub)
}

type CoreClientWithIntrospection = openidconnect::core::CoreClient<
    openidconnect::EndpointSet,
    openidconnect::EndpointNotSet,
    openidconnect::EndpointSet,
    openidconnect::EndpointNotSet,
    openidconnect::EndpointMaybeSet,
    openidconnect::EndpointMaybeSet,
>;

/// A refresh by raw form (for the answers the library turns into its own errors).
async fn refresh_raw(env: &OidcEnv, refresh_token: &str, app: &str) -> (u16, Value) {
    env.token_request(
        &[
            ("grant_type", "refresh_token"),
            ("refresh_token", refresh_token),
        ],
        Some((app, SECRET)),
    )
    .await
}

/// A form post to a client-authenticated endpoint; the status and the JSON (or Null).
async fn post(
    env: &OidcEnv,
    path: &str,
    form: &[(&str, &str)],
    basic: Option<(&str, &str)>,
) -> (u16, Value) {
    let mut request = api_client().post(env.url(path)).form(form);
    if let Some((id, secret)) = basic {
        request = request.basic_auth(id, Some(secret));
    }
    let response = request.send().await.expect("POST");
    let status = response.status().as_u16();
    let text = response.text().await.unwrap_or_default();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

async fn refresh_tokens_rotate_and_a_reused_one_ends_the_grant(backend: Backend) {
    let env = OidcEnv::start(backend).await;
    let http = http_client();

    // Without offline_access there is no refresh token.
    let (_, plain, _) = sign_in(&env, &["email"]).await;
    assert!(plain.refresh_token().is_none());

    let (make, tokens, sub) = sign_in(&env, &["email", "offline_access"]).await;
    let client = make();
    let first = tokens.refresh_token().expect("a refresh token").clone();
    let refreshed = client
        .exchange_refresh_token(&first)
        .expect("token endpoint")
        .request_async(&http)
        .await
        .expect("refresh");
    let second = refreshed
        .refresh_token()
        .expect("a new refresh token")
        .clone();
    assert_ne!(second.secret(), first.secret(), "rotated at every use");
    // The refreshed ID token speaks for the same sign-in, with no nonce.
    let claims = refreshed
        .id_token()
        .expect("an ID token")
        .claims(
            &client.id_token_verifier().set_time_fn(server_time(&env)),
            |nonce: Option<&Nonce>| match nonce {
                None => Ok(()),
                Some(_) => Err("a refreshed ID token carries no nonce".to_owned()),
            },
        )
        .expect("valid refreshed ID token");
    assert_eq!(claims.subject().as_str(), sub);
    let (status, info) = env.userinfo(refreshed.access_token().secret()).await;
    assert_eq!(status, 200, "{info}");
    assert_eq!(info["email"], env.person.email.as_str());

    // Asking for less is allowed; asking for more is not.
    let narrower = client
        .exchange_refresh_token(&second)
        .expect("token endpoint")
        .add_scope(Scope::new("openid".into()))
        .request_async(&http)
        .await
        .expect("narrower refresh");
    let (status, info) = env.userinfo(narrower.access_token().secret()).await;
    assert_eq!(status, 200);
    assert!(
        info.get("email").is_none(),
        "email was not asked for: {info}"
    );
    let third = narrower.refresh_token().expect("rotated").secret().clone();
    let (status, error) = env
        .token_request(
            &[
                ("grant_type", "refresh_token"),
                ("refresh_token", &third),
                ("scope", "openid phone"),
            ],
            Some((SECRET_APP, SECRET)),
        )
        .await;
    assert_eq!(
        (status, error["error"].as_str()),
        (400, Some("invalid_scope"))
    );

    // A used refresh token presented again: refused, and the whole grant ends, the
    // newest refresh token and the access tokens included.
    let (status, error) = refresh_raw(&env, first.secret(), SECRET_APP).await;
    assert_eq!(
        (status, error["error"].as_str()),
        (400, Some("invalid_grant"))
    );
    assert!(
        error["error_description"]
            .as_str()
            .is_some_and(|d| d.contains("already used")),
        "{error}"
    );
    let (status, _) = refresh_raw(&env, &third, SECRET_APP).await;
    assert_eq!(status, 400, "the grant's newest token is revoked too");
    assert_eq!(env.userinfo(narrower.access_token().secret()).await.0, 401);
    assert_eq!(env.userinfo(refreshed.access_token().secret()).await.0, 401);

    // A refresh token presented by another app: refused, and its grant ends.
    let (_, tokens, _) = sign_in(&env, &["offline_access"]).await;
    let leaked = tokens.refresh_token().unwrap().secret().clone();
    let (status, error) = refresh_raw(&env, &leaked, VERIFIED_APP).await;
    assert_eq!(
        (status, error["error"].as_str()),
        (400, Some("invalid_grant"))
    );
    assert_eq!(refresh_raw(&env, &leaked, SECRET_APP).await.0, 400);

    // Two uses at once of one refresh token: one wins, and the grant ends, the
    // winner's new token included (one of the two was not the app).
    let (_, tokens, _) = sign_in(&env, &["offline_access"]).await;
    let raced = tokens.refresh_token().unwrap().secret().clone();
    let (first, second) = tokio::join!(
        refresh_raw(&env, &raced, SECRET_APP),
        refresh_raw(&env, &raced, SECRET_APP)
    );
    let mut statuses = [first.0, second.0];
    statuses.sort_unstable();
    assert_eq!(statuses, [200, 400], "{first:?} {second:?}");
    let winner = if first.0 == 200 { &first.1 } else { &second.1 };
    let next = winner["refresh_token"].as_str().unwrap();
    assert_eq!(refresh_raw(&env, next, SECRET_APP).await.0, 400);

    // Idle expiry by the server's clock: unused for more than 30 days.
    let (_, tokens, _) = sign_in(&env, &["offline_access"]).await;
    let idle = tokens.refresh_token().unwrap().secret().clone();
    env.server
        .clock
        .advance(time::Duration::days(30) + time::Duration::seconds(1));
    let (status, error) = refresh_raw(&env, &idle, SECRET_APP).await;
    assert_eq!(
        (status, error["error"].as_str()),
        (400, Some("invalid_grant"))
    );
    assert!(
        error["error_description"]
            .as_str()
            .is_some_and(|d| d.contains("expired")),
        "{error}"
    );
    // Missing or malformed requests are named.
    let (status, error) = env
        .token_request(
            &[("grant_type", "refresh_token")],
            Some((SECRET_APP, SECRET)),
        )
        .await;
    assert_eq!(
        (status, error["error"].as_str()),
        (400, Some("invalid_request"))
    );
    let (status, error) = refresh_raw(&env, "not-a-refresh-token", SECRET_APP).await;
    assert_eq!(
        (status, error["error"].as_str()),
        (400, Some("invalid_grant"))
    );
    env.finish().await;
}

async fn introspection_and_revocation(backend: Backend) {
    let env = OidcEnv::start(backend).await;
    let http = http_client();
    let (make, tokens, sub) = sign_in(&env, &["email", "offline_access"]).await;
    let client = make();

    let answer = client
        .introspect(tokens.access_token())
        .request_async(&http)
        .await
        .expect("introspection");
    assert!(answer.active());
    assert_eq!(
        answer.sub(),
        Some(sub.as_str()),
        "the app's pairwise subject"
    );
    assert_eq!(answer.client_id().map(|c| c.as_str()), Some(SECRET_APP));
    let scopes: Vec<String> = answer
        .scopes()
        .map(|s| s.iter().map(|s| s.to_string()).collect())
        .unwrap_or_default();
    assert!(scopes.contains(&"email".to_owned()), "{scopes:?}");
    assert!(answer.exp().is_some() && answer.iat().is_some());
    let refresh = tokens.refresh_token().unwrap().secret().clone();
    let (status, answer) = post(
        &env,
        "/oidc/introspect",
        &[("token", &refresh), ("token_type_hint", "refresh_token")],
        Some((SECRET_APP, SECRET)),
    )
    .await;
    assert_eq!(
        (status, answer["active"].as_bool()),
        (200, Some(true)),
        "{answer}"
    );

    // Another app learns nothing about this app's token; unknown tokens are inactive;
    // a public app cannot introspect; nobody unauthenticated can.
    let (status, answer) = post(
        &env,
        "/oidc/introspect",
        &[("token", tokens.access_token().secret())],
        Some((VERIFIED_APP, SECRET)),
    )
    .await;
    assert_eq!(answer, serde_json::json!({"active": false}), "{status}");
    let (_, answer) = post(
        &env,
        "/oidc/introspect",
        &[("token", "no-such-token")],
        Some((SECRET_APP, SECRET)),
    )
    .await;
    assert_eq!(answer, serde_json::json!({"active": false}));
    let (status, error) = post(
        &env,
        "/oidc/introspect",
        &[
            ("token", tokens.access_token().secret()),
            ("client_id", PUBLIC_APP),
        ],
        None,
    )
    .await;
    assert_eq!(
        (status, error["error"].as_str()),
        (401, Some("invalid_client"))
    );
    let (status, error) = post(
        &env,
        "/oidc/introspect",
        &[("token", tokens.access_token().secret())],
        None,
    )
    .await;
    assert_eq!(
        (status, error["error"].as_str()),
        (401, Some("invalid_client"))
    );
    let (status, error) = post(&env, "/oidc/introspect", &[], Some((SECRET_APP, SECRET))).await;
    assert_eq!(
        (status, error["error"].as_str()),
        (400, Some("invalid_request"))
    );

    // Revocation: another app may not revoke this app's token; an unknown token is
    // revoked "successfully" (RFC 7009 §2.2); an access token ends alone.
    let (status, error) = post(
        &env,
        "/oidc/revoke",
        &[("token", tokens.access_token().secret())],
        Some((VERIFIED_APP, SECRET)),
    )
    .await;
    assert_eq!(
        (status, error["error"].as_str()),
        (400, Some("invalid_request"))
    );
    assert_eq!(env.userinfo(tokens.access_token().secret()).await.0, 200);
    let (status, _) = post(
        &env,
        "/oidc/revoke",
        &[("token", "no-such-token")],
        Some((SECRET_APP, SECRET)),
    )
    .await;
    assert_eq!(status, 200);
    let (status, body) = post(
        &env,
        "/oidc/revoke",
        &[
            ("token", tokens.access_token().secret()),
            ("token_type_hint", "access_token"),
        ],
        Some((SECRET_APP, SECRET)),
    )
    .await;
    assert_eq!((status, body), (200, Value::Null));
    assert_eq!(env.userinfo(tokens.access_token().secret()).await.0, 401);
    let inactive = client
        .introspect(tokens.access_token())
        .request_async(&http)
        .await
        .expect("introspection");
    assert!(!inactive.active());
    let refreshed = refresh_raw(&env, &refresh, SECRET_APP).await;
    assert_eq!(
        refreshed.0, 200,
        "revoking an access token leaves the grant"
    );
    let access = refreshed.1["access_token"].as_str().unwrap().to_owned();
    let refresh = refreshed.1["refresh_token"].as_str().unwrap().to_owned();

    // Revoking a refresh token ends the grant: the refresh token and its access tokens.
    let (status, _) = post(
        &env,
        "/oidc/revoke",
        &[("token", &refresh)],
        Some((SECRET_APP, SECRET)),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(refresh_raw(&env, &refresh, SECRET_APP).await.0, 400);
    assert_eq!(env.userinfo(&access).await.0, 401);
    let answer = client
        .introspect(&AccessToken::new(access))
        .request_async(&http)
        .await
        .expect("introspection");
    assert!(!answer.active());

    // A public app revokes its own tokens with its client_id alone.
    let (status, _) = post(
        &env,
        "/oidc/revoke",
        &[("token", "whatever"), ("client_id", PUBLIC_APP)],
        None,
    )
    .await;
    assert_eq!(status, 200);
    let (status, error) = post(&env, "/oidc/revoke", &[("token", "whatever")], None).await;
    assert_eq!(
        (status, error["error"].as_str()),
        (401, Some("invalid_client"))
    );
    env.finish().await;
}

async fn disconnecting_the_app_or_signing_out_everywhere_ends_the_grant(backend: Backend) {
    let env = OidcEnv::start(backend).await;
    let (_, tokens, _) = sign_in(&env, &["offline_access"]).await;
    let refresh = tokens.refresh_token().unwrap().secret().clone();
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
    let (status, error) = refresh_raw(&env, &refresh, SECRET_APP).await;
    assert_eq!(
        (status, error["error"].as_str()),
        (400, Some("invalid_grant"))
    );
    assert_eq!(env.userinfo(tokens.access_token().secret()).await.0, 401);

    // Signed in again, the person disconnects the app on the security page.
    env.sign_in_browser().await;
    let (_, tokens, _) = sign_in(&env, &["offline_access"]).await;
    let refresh = tokens.refresh_token().unwrap().secret().clone();
    let security = env.get_text("/account/security").await;
    let (status, _) = env
        .post_form(
            &security,
            &format!("/account/apps/{SECRET_APP}/revoke"),
            &[],
        )
        .await;
    assert_eq!(status, 303);
    let (status, error) = refresh_raw(&env, &refresh, SECRET_APP).await;
    assert_eq!(
        (status, error["error"].as_str()),
        (400, Some("invalid_grant"))
    );
    env.finish().await;
}

on_both_databases!(
    refresh_tokens_rotate_and_a_reused_one_ends_the_grant,
    introspection_and_revocation,
    disconnecting_the_app_or_signing_out_everywhere_ends_the_grant,
);
