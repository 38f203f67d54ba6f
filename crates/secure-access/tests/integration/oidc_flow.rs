//! Single sign-on through the OpenID Connect provider, driven by an independent client
//! library (`openidconnect`, unchanged) on SQLite and PostgreSQL: discovery, the code
//! flow with PKCE, ID tokens validated against the JWKS (ES256 and RS256), userinfo,
//! `private_key_jwt`, `client_credentials`, step-up to a verified identity, consent and
//! its revocation, RP-initiated logout; and every refusal with its standard error code.

use openidconnect::core::{
    CoreAuthenticationFlow, CoreClient, CoreIdToken, CoreJwsSigningAlgorithm, CoreUserInfoClaims,
};
use openidconnect::{
    AuthorizationCode, ClientId, ClientSecret, CsrfToken, Nonce, OAuth2TokenResponse,
    PkceCodeChallenge, RedirectUrl, Scope, TokenResponse,
};
use serde_json::{Value, json};

use crate::common::oidc::*;

/// Borrow owned form pairs.
fn refs(form: &[(String, String)]) -> Vec<(&str, &str)> {
    form.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect()
}
use crate::common::*;
use crate::on_both_databases;

async fn code_flow_with_pkce_and_a_client_secret(backend: Backend) {
    let env = OidcEnv::start(backend).await;
    let http = http_client();
    let client = CoreClient::from_provider_metadata(
        metadata(&env).await,
        ClientId::new(SECRET_APP.into()),
        Some(ClientSecret::new(SECRET.into())),
    )
    .set_redirect_uri(RedirectUrl::new(REDIRECT.into()).expect("redirect"));
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let (url, state, nonce) = client
        .authorize_url(
            CoreAuthenticationFlow::AuthorizationCode,
            CsrfToken::new_random,
            Nonce::new_random,
        )
        .add_scope(Scope::new("email".into()))
        .add_scope(Scope::new("profile".into()))
        .set_pkce_challenge(challenge)
        .url();
    let answer = env.authorize(url.as_str()).await;
    assert_eq!(answer.get("state"), Some(state.secret()));
    let code = answer.get("code").expect("code").clone();

    let tokens = client
        .exchange_code(AuthorizationCode::new(code.clone()))
        .expect("token endpoint known")
        .set_pkce_verifier(verifier)
        .request_async(&http)
        .await
        .expect("token exchange");
    let id_token = tokens.id_token().expect("an ID token");
    let verifier = client
        .id_token_verifier()
        .set_time_fn(server_time(&env))
        .set_allowed_algs(vec![CoreJwsSigningAlgorithm::EcdsaP256Sha256]);
    let claims = id_token
        .claims(&verifier, &nonce)
        .expect("ID token valid against the JWKS");
    assert_eq!(claims.issuer().as_str(), env.server.base);
    assert_eq!(
        claims.auth_context_ref().map(|acr| acr.as_str()),
        Some("http://idmanagement.gov/ns/assurance/ial/1")
    );
    let sub = claims.subject().as_str().to_owned();
    assert!(!sub.contains(&env.person.username));

    let info: CoreUserInfoClaims = client
        .user_info(tokens.access_token().clone(), None)
        .expect("userinfo endpoint known")
        .request_async(&http)
        .await
        .expect("userinfo");
    assert_eq!(info.subject().as_str(), sub);
    assert_eq!(
        info.email().map(|e| e.as_str()),
        Some(env.person.email.as_str())
    );
    // POST works as well.
    let posted = api_client()
        .post(env.url("/oidc/userinfo"))
        .bearer_auth(tokens.access_token().secret())
        .send()
        .await
        .unwrap();
    assert_eq!(posted.status(), 200);

    // The code works once; a second try is refused and revokes what it issued.
    let (status, error) = env
        .token_request(
            &[
                ("grant_type", "authorization_code"),
                ("code", &code),
                ("redirect_uri", REDIRECT),
            ],
            Some((SECRET_APP, SECRET)),
        )
        .await;
    assert_eq!(
        (status, error["error"].as_str()),
        (400, Some("invalid_grant"))
    );
    let (status, _) = env.userinfo(tokens.access_token().secret()).await;
    assert_eq!(status, 401, "tokens from a reused code are revoked");

    // A second sign-in to the same app needs no new consent; its sub is the same, and
    // another app sees another sub (pairwise).
    let (url2, _, _) = client
        .authorize_url(
            CoreAuthenticationFlow::AuthorizationCode,
            CsrfToken::new_random,
            Nonce::new_random,
        )
        .set_pkce_challenge(PkceCodeChallenge::new_random_sha256().0)
        .url();
    let again = env.get(url2.as_str()).await;
    assert_eq!(again.status(), 303, "no consent page the second time");
    let security = env.get_text("/account/security").await;
    assert!(security.contains("transcripts (test app)"), "{security}");
    env.finish().await;
}

async fn private_key_jwt_and_rs256(backend: Backend) {
    let env = OidcEnv::start(backend).await;
    let http = http_client();
    let meta = metadata(&env).await;
    let client = CoreClient::from_provider_metadata(meta, ClientId::new(JWT_APP.into()), None)
        .set_redirect_uri(RedirectUrl::new(REDIRECT.into()).expect("redirect"));
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let (url, _, nonce) = client
        .authorize_url(
            CoreAuthenticationFlow::AuthorizationCode,
            CsrfToken::new_random,
            Nonce::new_random,
        )
        .set_pkce_challenge(challenge)
        .url();
    let code = env
        .authorize(url.as_str())
        .await
        .remove("code")
        .expect("code");
    let issuer = env.server.base.clone();
    let assertion = env.assertion(&env.app_key, &issuer, "jti-1");
    let form = |assertion: &str, code: &str| {
        vec![
            ("grant_type".to_owned(), "authorization_code".to_owned()),
            ("code".to_owned(), code.to_owned()),
            ("redirect_uri".to_owned(), REDIRECT.to_owned()),
            ("code_verifier".to_owned(), verifier.secret().clone()),
            (
                "client_assertion_type".to_owned(),
                "urn:ietf:params:oauth:client-assertion-type:jwt-bearer".to_owned(),
            ),
            ("client_assertion".to_owned(), assertion.to_owned()),
        ]
    };

    // An assertion signed by another key, and one with alg none, are refused.
    let stranger = sa_oidc::SigningKey::generate(sa_oidc::SigningAlg::Es256).unwrap();
    let forged = env.assertion(&stranger, &issuer, "jti-2");
    let (status, error) = env.token_request(&refs(&form(&forged, &code)), None).await;
    assert_eq!(
        (status, error["error"].as_str()),
        (401, Some("invalid_client"))
    );
    // The token endpoint as audience is refused unless the deployment allows it
    // (audience injection: the OpenID Foundation's 2025 advice).
    let for_endpoint = env.assertion(&env.app_key, &env.url("/oidc/token"), "jti-3");
    let (status, error) = env
        .token_request(&refs(&form(&for_endpoint, &code)), None)
        .await;
    assert_eq!(
        (status, error["error"].as_str()),
        (401, Some("invalid_client"))
    );
    assert!(
        error["error_description"]
            .as_str()
            .is_some_and(|d| d.contains("issuer")),
        "{error}"
    );
    let parts: Vec<&str> = assertion.split('.').collect();
    use base64::Engine;
    let none_header =
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT"}"#);
    let unsigned = format!("{none_header}.{}.", parts[1]);
    let (status, error) = env
        .token_request(&refs(&form(&unsigned, &code)), None)
        .await;
    assert_eq!(
        (status, error["error"].as_str()),
        (401, Some("invalid_client"))
    );

    let (status, tokens) = env
        .token_request(&refs(&form(&assertion, &code)), None)
        .await;
    assert_eq!(status, 200, "{tokens}");
    let id_token: CoreIdToken =
        serde_json::from_value(tokens["id_token"].clone()).expect("id token");
    let verifier = client.id_token_verifier().set_time_fn(server_time(&env));
    let claims = id_token
        .claims(&verifier, &nonce)
        .expect("RS256 ID token valid against the JWKS");
    assert_eq!(claims.audiences()[0].as_str(), JWT_APP);
    // The same assertion cannot be replayed.
    let (status, _) = env
        .token_request(&refs(&form(&assertion, &code)), None)
        .await;
    assert_eq!(status, 401);
    let _ = http;
    env.finish().await;
}

async fn refusals_use_the_standard_error_codes(backend: Backend) {
    let env = OidcEnv::start(backend).await;
    let base_params = |client: &str, redirect: &str| {
        format!(
            "/oidc/authorize?response_type=code&client_id={client}&redirect_uri={}&scope=openid&state=s1&nonce=n1",
            sa_domain::oidc::authorize::urlencode(redirect)
        )
    };
    // A redirect URI the app did not register: an error page, never a redirect.
    let wrong = env
        .get(&base_params(SECRET_APP, "https://evil.example.test/cb"))
        .await;
    assert_eq!(wrong.status(), 400);
    assert!(wrong.headers().get("location").is_none());
    let unknown = env.get(&base_params("no-such-app", REDIRECT)).await;
    assert_eq!(unknown.status(), 400);
    // A public client without PKCE: back to the app with invalid_request.
    let no_pkce = env.get(&base_params(PUBLIC_APP, REDIRECT)).await;
    let location = no_pkce.headers()["location"].to_str().unwrap().to_owned();
    assert!(location.starts_with(REDIRECT));
    assert_eq!(query_of(&location)["error"], "invalid_request");
    assert_eq!(query_of(&location)["state"], "s1");
    let bad_type = env
        .get(
            &base_params(SECRET_APP, REDIRECT).replace("response_type=code", "response_type=token"),
        )
        .await;
    assert_eq!(
        query_of(bad_type.headers()["location"].to_str().unwrap())["error"],
        "unsupported_response_type"
    );

    // Wrong PKCE verifier, wrong redirect URI, expired code.
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let with_pkce = format!(
        "{}&code_challenge={}&code_challenge_method=S256",
        base_params(PUBLIC_APP, REDIRECT),
        challenge.as_str()
    );
    let code = env.authorize(&with_pkce).await.remove("code").unwrap();
    let exchange = |code: &str, verifier: &str, redirect: &str| {
        vec![
            ("grant_type".to_owned(), "authorization_code".to_owned()),
            ("code".to_owned(), code.to_owned()),
            ("redirect_uri".to_owned(), redirect.to_owned()),
            ("code_verifier".to_owned(), verifier.to_owned()),
            ("client_id".to_owned(), PUBLIC_APP.to_owned()),
        ]
    };
    let wrong_verifier = "x".repeat(43);
    let (status, error) = env
        .token_request(&refs(&exchange(&code, &wrong_verifier, REDIRECT)), None)
        .await;
    assert_eq!(
        (status, error["error"].as_str()),
        (400, Some("invalid_grant"))
    );
    let code = env.authorize(&with_pkce).await.remove("code").unwrap();
    let (status, error) = env
        .token_request(
            &refs(&exchange(
                &code,
                verifier.secret(),
                "https://app.example.test/other",
            )),
            None,
        )
        .await;
    assert_eq!(
        (status, error["error"].as_str()),
        (400, Some("invalid_grant"))
    );
    let code = env.authorize(&with_pkce).await.remove("code").unwrap();
    env.server.clock.advance(time::Duration::minutes(6));
    let (status, error) = env
        .token_request(&refs(&exchange(&code, verifier.secret(), REDIRECT)), None)
        .await;
    assert_eq!(
        (status, error["error"].as_str()),
        (400, Some("invalid_grant"))
    );

    // Client authentication and grant types.
    let (status, error) = env
        .token_request(
            &[
                ("grant_type", "authorization_code"),
                ("code", "x"),
                ("redirect_uri", REDIRECT),
            ],
            Some((SECRET_APP, "wrong-secret")),
        )
        .await;
    assert_eq!(
        (status, error["error"].as_str()),
        (401, Some("invalid_client"))
    );
    let (status, error) = env
        .token_request(&[("grant_type", "password")], Some((SECRET_APP, SECRET)))
        .await;
    assert_eq!(
        (status, error["error"].as_str()),
        (400, Some("unsupported_grant_type"))
    );
    let (status, error) = env
        .token_request(
            &[("grant_type", "client_credentials")],
            Some((SECRET_APP, SECRET)),
        )
        .await;
    assert_eq!(
        (status, error["error"].as_str()),
        (400, Some("unauthorized_client"))
    );
    let (status, error) = env.userinfo("not-a-token").await;
    assert_eq!(
        (status, error["error"].as_str()),
        (401, Some("invalid_token"))
    );
    env.finish().await;
}

async fn discovery_and_jwks_pass_the_config_op_checks(backend: Backend) {
    let env = OidcEnv::start(backend).await;
    let doc: Value = api_client()
        .get(env.url("/.well-known/openid-configuration"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(doc["issuer"], env.server.base.as_str());
    for field in [
        "authorization_endpoint",
        "token_endpoint",
        "userinfo_endpoint",
        "jwks_uri",
        "end_session_endpoint",
        "revocation_endpoint",
        "introspection_endpoint",
    ] {
        assert!(
            doc[field].as_str().unwrap().starts_with(&env.server.base),
            "{field}"
        );
    }
    let has = |field: &str, value: &str| doc[field].as_array().unwrap().iter().any(|v| v == value);
    assert!(has("response_types_supported", "code"));
    assert!(has("id_token_signing_alg_values_supported", "RS256"));
    assert!(has("id_token_signing_alg_values_supported", "ES256"));
    assert!(has("scopes_supported", "openid"));
    assert!(has("subject_types_supported", "pairwise"));
    assert!(has(
        "token_endpoint_auth_methods_supported",
        "private_key_jwt"
    ));
    assert!(has("code_challenge_methods_supported", "S256"));
    assert!(has("grant_types_supported", "refresh_token"));
    assert!(has("scopes_supported", "offline_access"));
    assert!(has(
        "introspection_endpoint_auth_methods_supported",
        "client_secret_basic"
    ));
    let jwks: Value = api_client()
        .get(env.url("/oidc/jwks"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let keys = jwks["keys"].as_array().unwrap();
    assert!(keys.iter().any(|k| k["alg"] == "ES256") && keys.iter().any(|k| k["alg"] == "RS256"));
    for key in keys {
        for private in ["d", "p", "q", "dp", "dq", "qi", "k"] {
            assert!(
                key.get(private).is_none(),
                "no private or symmetric key material"
            );
        }
        assert_ne!(key["kty"], "oct");
    }
    env.finish().await;
}

async fn step_up_consent_revocation_machine_access_and_logout(backend: Backend) {
    let env = OidcEnv::start(backend).await;
    // An app that needs a verified identity: an unverified account is sent to proofing,
    // or (prompt=none) the app gets an error it can act on.
    let url = format!(
        "/oidc/authorize?response_type=code&client_id={VERIFIED_APP}&redirect_uri={}&scope=openid%20email&state=s2",
        sa_domain::oidc::authorize::urlencode(REDIRECT)
    );
    let step_up = env.get(&url).await;
    assert_eq!(step_up.status(), 303);
    assert_eq!(step_up.headers()["location"], "/verify/identity");
    let silent = env.get(&format!("{url}&prompt=none")).await;
    assert_eq!(
        query_of(silent.headers()["location"].to_str().unwrap())["error"],
        "interaction_required"
    );

    // Once verified, the pending request continues from the security page to the app.
    use sa_domain::store::{Change, Store, Write};
    let store = &env.server.running().store;
    let account = store
        .account_by_username(&env.person.username)
        .await
        .unwrap()
        .unwrap();
    store
        .apply(Change::new().with(Write::MarkIdentityVerified {
            account_id: account.id.clone(),
            at: env.server.clock_now(),
            by: "in_person".into(),
        }))
        .await
        .unwrap();
    let _ = env.get(&url).await; // stores the request and its cookie
    let resumed = env.get("/account/security").await;
    assert_eq!(resumed.status(), 303);
    let next = resumed.headers()["location"].to_str().unwrap().to_owned();
    assert!(next.starts_with("/oidc/authorize/resume"), "{next}");
    let consent = env.get_text(&next).await;
    assert!(consent.contains("Share your information with"), "{consent}");
    let request_id = consent
        .split("name=\"request_id\" value=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_owned();
    let (status, location) = env
        .post_form(
            &consent,
            "/oidc/consent",
            &[("request_id", &request_id), ("decision", "allow")],
        )
        .await;
    let code = query_of(&returning_to_app(status, &location))
        .remove("code")
        .expect("code");
    let (status, tokens) = env
        .token_request(
            &[
                ("grant_type", "authorization_code"),
                ("code", &code),
                ("redirect_uri", REDIRECT),
            ],
            Some((VERIFIED_APP, SECRET)),
        )
        .await;
    assert_eq!(status, 200, "{tokens}");
    let access = tokens["access_token"].as_str().unwrap().to_owned();
    let id_token_hint = tokens["id_token"].as_str().unwrap().to_owned();
    let (status, info) = env.userinfo(&access).await;
    assert_eq!(status, 200);
    assert_eq!(info["acr"], "http://idmanagement.gov/ns/assurance/ial/2");

    // Revoking the app from the security page stops its tokens.
    let apps = call(
        &api_client(),
        reqwest::Method::GET,
        env.url("/api/v1/account/apps"),
        Some(&sign_in_with_app(&env.server, &api_client(), &env.person, &env.totp_secret).await),
        None,
        200,
    )
    .await;
    assert!(apps["apps"].to_string().contains(VERIFIED_APP), "{apps}");
    let security = env.get_text("/account/security").await;
    let (status, _) = env
        .post_form(
            &security,
            &format!("/account/apps/{VERIFIED_APP}/revoke"),
            &[],
        )
        .await;
    assert_eq!(status, 303);
    let (status, _) = env.userinfo(&access).await;
    assert_eq!(status, 401);
    assert!(env.get_text("/account/security").await.contains("removed"));

    // Denying consent sends access_denied back.
    let (challenge, _) = PkceCodeChallenge::new_random_sha256();
    let public = format!(
        "/oidc/authorize?response_type=code&client_id={PUBLIC_APP}&redirect_uri={}&scope=openid&state=s3&code_challenge={}&code_challenge_method=S256",
        sa_domain::oidc::authorize::urlencode(REDIRECT),
        challenge.as_str()
    );
    let page = env.get_text(&public).await;
    let request_id = page
        .split("name=\"request_id\" value=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_owned();
    let (_, location) = env
        .post_form(
            &page,
            "/oidc/consent",
            &[("request_id", &request_id), ("decision", "deny")],
        )
        .await;
    assert_eq!(
        query_of(&returning_to_app(200, &location))["error"],
        "access_denied"
    );

    // RP-initiated logout: only to a registered address.
    let bad = env.get(&format!("/oidc/logout?client_id={SECRET_APP}&post_logout_redirect_uri=https%3A%2F%2Fevil.example.test%2F")).await;
    assert_eq!(bad.status(), 400);
    // Without an ID token naming this person, a link only asks (anyone can link here).
    let bare = format!(
        "/oidc/logout?client_id={SECRET_APP}&post_logout_redirect_uri={}&state=bye",
        sa_domain::oidc::authorize::urlencode(LOGOUT_REDIRECT)
    );
    let asked = env.get(&bare).await;
    assert_eq!(asked.status(), 200);
    let page = asked.text().await.unwrap();
    assert!(page.contains("Sign out of Secure Access?"), "{page}");
    assert_eq!(
        env.get("/account/security").await.status(),
        200,
        "still signed in"
    );
    // Confirming ends the session and forwards to the app (a page, as after any form).
    let (status, answer) = env
        .post_form(
            &page,
            "/oidc/logout",
            &[
                ("client_id", SECRET_APP),
                ("post_logout_redirect_uri", LOGOUT_REDIRECT),
                ("state", "bye"),
                ("id_token_hint", ""),
            ],
        )
        .await;
    assert_eq!(
        returning_to_app(status, &answer),
        format!("{LOGOUT_REDIRECT}?state=bye")
    );
    let after = env.get("/account/security").await;
    assert_eq!(after.headers()["location"], "/sign-in");

    // With the app's ID token for this person, the app signs them out directly.
    env.server.clock.advance(time::Duration::seconds(30)); // a fresh app code
    env.sign_in_browser().await;
    let out = env
        .get(&format!(
            "/oidc/logout?id_token_hint={id_token_hint}&post_logout_redirect_uri={}&state=bye",
            sa_domain::oidc::authorize::urlencode(LOGOUT_REDIRECT)
        ))
        .await;
    assert_eq!(out.status(), 303);
    assert_eq!(
        out.headers()["location"],
        format!("{LOGOUT_REDIRECT}?state=bye").as_str()
    );
    let after = env.get("/account/security").await;
    assert_eq!(after.headers()["location"], "/sign-in");
    let _ = json!({});
    env.finish().await;
}

async fn signing_keys_rotate_and_machine_access(backend: Backend) {
    let env = OidcEnv::start(backend).await;
    let provider = env.server.running().oidc.clone();
    let jwks = |env: &OidcEnv| {
        let url = env.url("/oidc/jwks");
        async move {
            api_client()
                .get(url)
                .send()
                .await
                .unwrap()
                .json::<Value>()
                .await
                .unwrap()
        }
    };
    let before = jwks(&env).await;
    assert_eq!(before["keys"].as_array().unwrap().len(), 2);
    let rotated = provider
        .rotate_signing_keys(time::Duration::ZERO)
        .await
        .expect("rotate");
    let during = jwks(&env).await;
    assert_eq!(
        during["keys"].as_array().unwrap().len(),
        4,
        "old keys stay published"
    );
    for kid in &rotated.new_kids {
        assert!(during.to_string().contains(kid.as_str()));
    }
    env.server.clock.advance(time::Duration::hours(2));
    let after = jwks(&env).await;
    assert_eq!(
        after["keys"].as_array().unwrap().len(),
        2,
        "old keys leave once their tokens expired"
    );

    // Machine access: an app registered to a verified account gets a token for it.
    use sa_domain::oidc::clients::NewClient;
    let machine = |name: &str| NewClient {
        name: name.into(),
        redirect_uris: vec![REDIRECT.into()],
        auth_method: "client_secret_basic".into(),
        scopes: vec!["openid".into(), "email".into()],
        required_ial: 2,
        machine_username: Some(env.person.username.clone()),
        ..NewClient::default()
    };
    let refused = provider
        .register_client(machine("Scripted filing tool"))
        .await;
    assert!(
        refused.is_err(),
        "client_credentials needs a verified account"
    );
    use sa_domain::store::{Change, Store, Write};
    let store = &env.server.running().store;
    let account = store
        .account_by_username(&env.person.username)
        .await
        .unwrap()
        .unwrap();
    store
        .apply(Change::new().with(Write::MarkIdentityVerified {
            account_id: account.id,
            at: env.server.clock_now(),
            by: "in_person".into(),
        }))
        .await
        .unwrap();
    let registered = provider
        .register_client(machine("Scripted filing tool"))
        .await
        .expect("register");
    let secret = registered.secret.expect("a generated secret, shown once");
    let (status, tokens) = env
        .token_request(
            &[
                ("grant_type", "client_credentials"),
                ("scope", "openid email"),
            ],
            Some((&registered.client_id, &secret)),
        )
        .await;
    assert_eq!(status, 200, "{tokens}");
    assert!(tokens.get("id_token").is_none());
    let (status, info) = env.userinfo(tokens["access_token"].as_str().unwrap()).await;
    assert_eq!(status, 200);
    assert_eq!(info["email"], env.person.email.as_str());
    let (status, error) = env
        .token_request(
            &[
                ("grant_type", "client_credentials"),
                ("scope", "openid phone"),
            ],
            Some((&registered.client_id, &secret)),
        )
        .await;
    assert_eq!(
        (status, error["error"].as_str()),
        (400, Some("invalid_scope"))
    );
    // The scheduled clean-up removes expired tokens (and the token stops working).
    env.server.clock.advance(time::Duration::hours(2));
    assert!(provider.purge_expired().await.expect("purge") >= 1);
    let (status, _) = env.userinfo(tokens["access_token"].as_str().unwrap()).await;
    assert_eq!(status, 401);
    env.finish().await;
}

async fn prompt_max_age_login_hint_and_acr_values(backend: Backend) {
    let env = OidcEnv::start(backend).await;
    let (challenge, _) = PkceCodeChallenge::new_random_sha256();
    let base = format!(
        "/oidc/authorize?response_type=code&client_id={PUBLIC_APP}&redirect_uri={}&scope=openid&state=s&code_challenge={}&code_challenge_method=S256",
        sa_domain::oidc::authorize::urlencode(REDIRECT),
        challenge.as_str()
    );
    // First use: consent, then later sign-ins go straight back to the app.
    env.authorize(&base).await;
    let silent = env.get(&format!("{base}&prompt=none")).await;
    let location = silent.headers()["location"].to_str().unwrap().to_owned();
    assert!(query_of(&location).contains_key("code"), "{location}");
    // prompt=consent asks again.
    let again = env.get(&format!("{base}&prompt=consent")).await;
    assert_eq!(again.status(), 200);
    // prompt=login and an exceeded max_age need a fresh sign-in (the session is ended),
    // and login_hint fills in the username.
    let fresh = env
        .get(&format!(
            "{base}&prompt=login&login_hint={}",
            env.person.username
        ))
        .await;
    assert_eq!(fresh.status(), 303);
    let to = fresh.headers()["location"].to_str().unwrap().to_owned();
    assert_eq!(to, format!("/sign-in?username={}", env.person.username));
    assert!(
        fresh.headers().get_all("set-cookie").iter().any(|c| c
            .to_str()
            .unwrap()
            .contains("sa_session=;")
            || c.to_str().unwrap().contains("Max-Age=0")),
        "the old session cookie is cleared"
    );
    let prefilled = env.get_text(&to).await;
    assert!(
        prefilled.contains(&format!("value=\"{}\"", env.person.username)),
        "login_hint fills in the username"
    );
    env.sign_in_browser().await;
    env.server.clock.advance(time::Duration::minutes(10));
    let old = env.get(&format!("{base}&max_age=60")).await;
    assert_eq!(old.status(), 303);
    assert!(
        old.headers()["location"]
            .to_str()
            .unwrap()
            .starts_with("/sign-in")
    );
    let not_signed_in = api_client()
        .get(env.url(&format!("{base}&prompt=none")))
        .send()
        .await
        .unwrap();
    assert_eq!(
        query_of(not_signed_in.headers()["location"].to_str().unwrap())["error"],
        "login_required"
    );
    // acr_values asking for IAL2 on an IAL1 app is a step-up.
    env.sign_in_browser().await;
    let ial2 = env
        .get(&format!(
            "{base}&acr_values={}",
            sa_domain::oidc::authorize::urlencode(sa_oidc::IAL2)
        ))
        .await;
    assert_eq!(ial2.headers()["location"], "/verify/identity");
    env.finish().await;
}

async fn the_binary_registers_apps_and_rotates_signing_keys(backend: Backend) {
    let env = OidcEnv::start(backend).await;
    let config = &env.server.config;
    let run = |args: &[&str]| {
        let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_secure-access"));
        command
            .args(args)
            .env("SA_DATA_DIR", &config.data_dir)
            .env("SA_REQUIRE_IDENTITY_VERIFICATION", "false");
        if let Some(url) = &config.database_url {
            command.env("SA_DATABASE_URL", url);
        }
        command.output().expect("run the binary")
    };
    let added = run(&[
        "apps",
        "add",
        "--name",
        "Balance due",
        "--redirect-uri",
        REDIRECT,
        "--auth",
        "client_secret_basic",
        "--scopes",
        "openid email offline_access",
        "--events-uri",
        "https://app.example.test/events",
        "--backchannel-logout-uri",
        "https://app.example.test/logout",
    ]);
    let out = String::from_utf8_lossy(&added.stdout).to_string();
    assert!(
        added.status.success(),
        "{out}{}",
        String::from_utf8_lossy(&added.stderr)
    );
    assert!(
        out.contains("client_id: app-") && out.contains("client_secret: "),
        "{out}"
    );
    let client_id = out
        .lines()
        .find_map(|l| l.strip_prefix("client_id: "))
        .unwrap()
        .to_owned();
    let shown = run(&["apps", "show", &client_id]);
    let shown = String::from_utf8_lossy(&shown.stdout).to_string();
    assert!(
        shown.contains("events_uri: https://app.example.test/events")
            && shown.contains("backchannel_logout_uri: https://app.example.test/logout")
            && shown.contains("offline_access"),
        "{shown}"
    );
    let insecure = run(&[
        "apps",
        "add",
        "--name",
        "Plain events",
        "--redirect-uri",
        REDIRECT,
        "--events-uri",
        "http://app.example.test/events",
    ]);
    assert!(!insecure.status.success());
    assert!(String::from_utf8_lossy(&insecure.stderr).contains("events and logout URI"));
    let refused = run(&[
        "apps",
        "add",
        "--name",
        "Bad",
        "--redirect-uri",
        "http://evil.example.test/cb",
        "--auth",
        "none",
    ]);
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("https://"));
    let rotated = run(&["keys", "rotate-signing"]);
    assert!(
        rotated.status.success(),
        "{}",
        String::from_utf8_lossy(&rotated.stderr)
    );
    let jwks: Value = api_client()
        .get(env.url("/oidc/jwks"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(jwks["keys"].as_array().unwrap().len(), 4);
    env.finish().await;
}

/// An account an admin turned off answers no app: its access tokens stop working at
/// userinfo, and a code issued before cannot be exchanged.
async fn a_turned_off_account_answers_no_app(backend: Backend) {
    let env = OidcEnv::start(backend).await;
    let url = format!(
        "/oidc/authorize?response_type=code&client_id={SECRET_APP}&redirect_uri={}&scope=openid%20email&state=off",
        sa_domain::oidc::authorize::urlencode(REDIRECT)
    );
    let exchange = |code: String| {
        let env = &env;
        async move {
            env.token_request(
                &[
                    ("grant_type", "authorization_code"),
                    ("code", &code),
                    ("redirect_uri", REDIRECT),
                ],
                Some((SECRET_APP, SECRET)),
            )
            .await
        }
    };
    let first = env.authorize(&url).await["code"].clone();
    let (status, tokens) = exchange(first).await;
    assert_eq!(status, 200, "{tokens}");
    let access = tokens["access_token"].as_str().unwrap().to_owned();
    assert_eq!(env.userinfo(&access).await.0, 200);
    let second = env.authorize(&url).await["code"].clone();

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
    assert_eq!(env.userinfo(&access).await.0, 401);
    let (status, error) = exchange(second).await;
    assert_eq!(
        (status, error["error"].as_str()),
        (400, Some("invalid_grant"))
    );
    env.finish().await;
}

on_both_databases!(
    a_turned_off_account_answers_no_app,
    prompt_max_age_login_hint_and_acr_values,
    the_binary_registers_apps_and_rotates_signing_keys,
    signing_keys_rotate_and_machine_access,
    code_flow_with_pkce_and_a_client_secret,
    private_key_jwt_and_rs256,
    refusals_use_the_standard_error_codes,
    discovery_and_jwks_pass_the_config_op_checks,
    step_up_consent_revocation_machine_access_and_logout,
);
