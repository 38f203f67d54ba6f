//! Phishing-resistant single sign-on: an app asks for it with `acr_values`, a person
//! signed in with an authenticator app is sent to add a passkey and use it (step-up),
//! and the ID token, checked by an independent client library, then carries the
//! phishing-resistant `acr` and `amr` with `hwk`. With `prompt=none` the app is told
//! interaction is required instead. Discovery lists the value.

use openidconnect::core::{CoreAuthenticationFlow, CoreClient, CoreProviderMetadata};
use openidconnect::{
    AuthenticationContextClass, AuthorizationCode, ClientId, ClientSecret, CsrfToken, IssuerUrl,
    Nonce, PkceCodeChallenge, RedirectUrl, Scope, TokenResponse,
};
use sa_test_support::passkey::SoftPasskey;
use serde_json::Value;

use crate::common::oidc::*;
use crate::common::pages::between;
use crate::common::*;
use crate::on_both_databases;

const PHISHING_RESISTANT: &str =
    "http://idmanagement.gov/ns/assurance/aal/2?phishing_resistant=true";

fn http_client() -> openidconnect::reqwest::Client {
    openidconnect::reqwest::ClientBuilder::new()
        .redirect(openidconnect::reqwest::redirect::Policy::none())
        .build()
        .expect("http client")
}

/// The JSON options a passkey form carries in `data-options` (HTML-escaped).
fn form_options(page: &str) -> Value {
    let escaped = between(page, "data-options=\"", "\"");
    let json = escaped
        .replace("&#34;", "\"")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&#38;", "&")
        .replace("&amp;", "&");
    serde_json::from_str(&json).unwrap_or_else(|_| panic!("options JSON in {page}"))
}

/// Follow the browser's redirects from `location` until it goes back to the app
/// (agreeing to share on the consent page); returns the app's query parameters.
async fn follow_to_app(
    env: &OidcEnv,
    mut location: String,
) -> std::collections::HashMap<String, String> {
    for _ in 0..6 {
        if location.starts_with(REDIRECT) {
            return query_of(&location);
        }
        let response = env.get(&location).await;
        let status = response.status().as_u16();
        match response.headers().get("location") {
            Some(next) => location = next.to_str().unwrap().to_owned(),
            None => {
                let page = response.text().await.unwrap();
                assert_eq!(status, 200, "{page}");
                assert!(page.contains("Share your information with"), "{page}");
                let (status, answer) = env.answer_consent(&page, "allow").await;
                return query_of(&returning_to_app(status, &answer));
            }
        }
    }
    panic!("too many redirects, at {location}");
}

async fn an_app_asks_for_a_passkey_and_gets_phishing_resistant_claims(backend: Backend) {
    let env = OidcEnv::start(backend).await;
    let http = http_client();
    let metadata = CoreProviderMetadata::discover_async(
        IssuerUrl::new(env.server.base.clone()).unwrap(),
        &http,
    )
    .await
    .expect("discovery");
    let doc: Value = env
        .get("/.well-known/openid-configuration")
        .await
        .json()
        .await
        .unwrap();
    assert!(
        doc["acr_values_supported"]
            .as_array()
            .unwrap()
            .iter()
            .any(|v| v == PHISHING_RESISTANT),
        "{doc}"
    );
    let client = CoreClient::from_provider_metadata(
        metadata,
        ClientId::new(SECRET_APP.into()),
        Some(ClientSecret::new(SECRET.into())),
    )
    .set_redirect_uri(RedirectUrl::new(REDIRECT.into()).unwrap());
    let authorize_url = |prompt_none: bool| {
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let mut request = client
            .authorize_url(
                CoreAuthenticationFlow::AuthorizationCode,
                CsrfToken::new_random,
                Nonce::new_random,
            )
            .add_scope(Scope::new("email".into()))
            .add_auth_context_value(AuthenticationContextClass::new(PHISHING_RESISTANT.into()))
            .set_pkce_challenge(challenge);
        if prompt_none {
            request = request.add_prompt(openidconnect::core::CoreAuthPrompt::None);
        }
        let (url, _, nonce) = request.url();
        (url.to_string(), verifier, nonce)
    };

    // Signed in with an authenticator app: prompt=none gets an error to act on.
    let (url, _, _) = authorize_url(true);
    let refused = env.get(&url).await;
    let location = refused.headers()["location"].to_str().unwrap().to_owned();
    assert_eq!(query_of(&location)["error"], "interaction_required");

    // Without prompt=none: sent to use a passkey; having none, to add one first.
    let (url, verifier, nonce) = authorize_url(false);
    let step_up = env.get(&url).await;
    assert_eq!(step_up.status(), 303);
    assert_eq!(step_up.headers()["location"], "/security/passkey-check");
    let page = env.get_text("/security/passkey-check").await;
    assert!(page.contains("have a passkey yet"), "{page}");
    let (status, setup) = env
        .post_form(&page, "/second-factor/setup/passkey", &[])
        .await;
    assert_eq!(status, 200, "{setup}");
    let mut device = SoftPasskey::new(&env.server.passkey_origin());
    let answer = device.register(&form_options(&setup));
    let action = between(&setup, "action=\"/second-factor/setup/passkey/", "\"").to_owned();
    let (status, location) = env
        .post_form(
            &setup,
            &format!("/second-factor/setup/passkey/{action}"),
            &[("credential", &answer.to_string())],
        )
        .await;
    assert_eq!((status, location.as_str()), (303, "/account/security"));
    // Back to the request: adding a passkey is not using one, so the app still waits.
    let resumed = env.get("/account/security").await;
    let location = resumed.headers()["location"].to_str().unwrap().to_owned();
    let again = env.get(&location).await;
    assert_eq!(again.headers()["location"], "/security/passkey-check");
    let page = env.get_text("/security/passkey-check").await;
    let assertion = device.assert(&form_options(&page));
    let (status, location) = env
        .post_form(
            &page,
            "/sign-in/passkey",
            &[("credential", &assertion.to_string())],
        )
        .await;
    assert_eq!(status, 303, "{location}");
    let answer = follow_to_app(&env, location).await;
    let code = answer.get("code").expect("a code").clone();

    let tokens = client
        .exchange_code(AuthorizationCode::new(code))
        .unwrap()
        .set_pkce_verifier(verifier)
        .request_async(&http)
        .await
        .expect("token exchange");
    let claims = tokens
        .id_token()
        .expect("an ID token")
        .claims(
            &client.id_token_verifier().set_time_fn({
                let clock = env.server.clock.clone();
                move || {
                    use sa_domain::clock::Clock;
                    chrono::DateTime::from_timestamp(clock.now().unix_timestamp(), 0)
                        .unwrap_or_default()
                }
            }),
            &nonce,
        )
        .expect("a valid ID token");
    assert_eq!(
        claims.auth_context_ref().map(|acr| acr.as_str()),
        Some(PHISHING_RESISTANT)
    );
    let amr: Vec<String> = claims
        .auth_method_refs()
        .unwrap()
        .iter()
        .map(|m| m.as_str().to_owned())
        .collect();
    assert!(
        amr.contains(&"hwk".to_owned()) && amr.contains(&"pwd".to_owned()),
        "{amr:?}"
    );

    // The session is phishing-resistant now: the next request goes straight through.
    let (url, _, _) = authorize_url(true);
    let direct = env.get(&url).await;
    let location = direct.headers()["location"].to_str().unwrap().to_owned();
    assert!(query_of(&location).contains_key("code"), "{location}");
    env.finish().await;
}

on_both_databases!(an_app_asks_for_a_passkey_and_gets_phishing_resistant_claims);
