//! An OpenID Connect test environment: a server with three registered apps (a
//! confidential app with a client secret, an app authenticating with `private_key_jwt`
//! whose ID tokens are RS256, and a public app that must use PKCE), a signed-in browser,
//! and helpers to get an authorization code the way a person's browser does.

use std::collections::HashMap;

use sa_oidc::{SigningAlg, SigningKey};
use secure_access::config::{AppConfig, Secret};
use serde_json::Value;

use super::pages::{between, csrf_token};
use super::{Backend, Person, TestServer, account_with_totp, api_client, browser};

pub const SECRET_APP: &str = "transcripts";
pub const SECRET: &str = "a-long-random-client-secret-for-tests-0123456789";
pub const JWT_APP: &str = "balance-due";
pub const PUBLIC_APP: &str = "ip-pin";
pub const VERIFIED_APP: &str = "tin-matching";
pub const REDIRECT: &str = "https://app.example.test/callback";
pub const LOGOUT_REDIRECT: &str = "https://app.example.test/signed-out";

pub struct OidcEnv {
    pub server: TestServer,
    /// The key the `private_key_jwt` app signs its assertions with.
    pub app_key: SigningKey,
    pub person: Person,
    pub totp_secret: String,
    /// A browser signed in as `person`.
    pub browser: reqwest::Client,
    /// Holds the `private_key_jwt` app's JWKS file, read again at a restart.
    _keys_dir: tempfile::TempDir,
}

fn app(client_id: &str, auth: &str) -> AppConfig {
    AppConfig {
        client_id: client_id.to_owned(),
        name: format!("{client_id} (test app)"),
        redirect_uris: vec![REDIRECT.to_owned()],
        post_logout_redirect_uris: vec![LOGOUT_REDIRECT.to_owned()],
        auth_method: auth.to_owned(),
        scopes: [
            "openid",
            "email",
            "profile",
            "phone",
            "verified_at",
            "offline_access",
        ]
        .iter()
        .map(|s| (*s).to_owned())
        .collect(),
        ..AppConfig::default()
    }
}

impl OidcEnv {
    pub async fn start(backend: Backend) -> Self {
        let app_key = SigningKey::generate(SigningAlg::Es256).expect("app key");
        let keys_dir = tempfile::tempdir().expect("temp dir");
        let jwks_file = keys_dir.path().join("app-jwks.json");
        std::fs::write(
            &jwks_file,
            sa_oidc::jwks(&[app_key.public_jwk()]).to_string(),
        )
        .expect("jwks file");
        let server = TestServer::start_with(backend, |config| {
            let mut secret_app = app(SECRET_APP, "client_secret_basic");
            secret_app.client_secret = Some(Secret::new(SECRET));
            let mut jwt_app = app(JWT_APP, "private_key_jwt");
            jwt_app.jwks_file = Some(jwks_file.clone());
            jwt_app.id_token_alg = Some("RS256".to_owned());
            let public_app = app(PUBLIC_APP, "none");
            let mut verified_app = app(VERIFIED_APP, "client_secret_basic");
            verified_app.client_secret = Some(Secret::new(SECRET));
            verified_app.identity_level = Some(2);
            config.apps = vec![secret_app, jwt_app, public_app, verified_app];
        })
        .await;
        let person = Person::new("sso.person");
        let client = api_client();
        let (_, totp_secret) = account_with_totp(&server, &client, &person).await;
        let browser = browser("Mozilla/5.0 (OIDC test)");
        let env = Self {
            server,
            app_key,
            person,
            totp_secret,
            browser,
            _keys_dir: keys_dir,
        };
        env.sign_in_browser().await;
        env
    }

    pub fn url(&self, path: &str) -> String {
        self.server.url(path)
    }

    /// Sign the browser in with password and authenticator code.
    pub async fn sign_in_browser(&self) {
        let page = self.get_text("/sign-in").await;
        let (status, location) = self
            .post_form(
                &page,
                "/sign-in",
                &[
                    ("username", &self.person.username),
                    ("password", &self.person.password),
                ],
            )
            .await;
        assert_eq!((status, location.as_str()), (303, "/sign-in/second-factor"));
        let page = self.get_text("/sign-in/second-factor").await;
        let code = self.server.totp_now(&self.totp_secret);
        let (status, _) = self
            .post_form(
                &page,
                "/sign-in/second-factor",
                &[("method", "totp"), ("code", &code)],
            )
            .await;
        assert_eq!(status, 303);
        self.server.clock.advance(time::Duration::seconds(30));
    }

    pub async fn get(&self, path_or_url: &str) -> reqwest::Response {
        let url = if path_or_url.starts_with("http") {
            path_or_url.to_owned()
        } else {
            self.url(path_or_url)
        };
        self.browser.get(url).send().await.expect("GET")
    }

    pub async fn get_text(&self, path: &str) -> String {
        self.get(path).await.text().await.expect("body")
    }

    /// Post a form of `page`; returns the status and the `Location` (or the body).
    pub async fn post_form(
        &self,
        page: &str,
        action: &str,
        fields: &[(&str, &str)],
    ) -> (u16, String) {
        let token = csrf_token(page);
        let mut form: Vec<(&str, &str)> = vec![("csrf_token", token.as_str())];
        form.extend_from_slice(fields);
        let response = self
            .browser
            .post(self.url(action))
            .form(&form)
            .send()
            .await
            .expect("POST");
        let status = response.status().as_u16();
        match response.headers().get("location") {
            Some(location) => (status, location.to_str().expect("ascii").to_owned()),
            None => (status, response.text().await.expect("body")),
        }
    }

    /// Answer the consent page `page` (`allow` or `deny`): the status and the
    /// `Location` (or the body).
    pub async fn answer_consent(&self, page: &str, decision: &str) -> (u16, String) {
        let request_id = between(page, "name=\"request_id\" value=\"", "\"").to_owned();
        self.post_form(
            page,
            "/oidc/consent",
            &[("request_id", &request_id), ("decision", decision)],
        )
        .await
    }

    /// Follow the browser from an authorization URL to the app's redirect, agreeing to
    /// share on the consent page if it appears. Returns the redirect's query parameters.
    pub async fn authorize(&self, authorization_url: &str) -> HashMap<String, String> {
        let response = self.get(authorization_url).await;
        let status = response.status().as_u16();
        let location = response
            .headers()
            .get("location")
            .map(|l| l.to_str().expect("ascii").to_owned());
        let location = match (status, location) {
            (303, Some(location)) if location.starts_with(REDIRECT) => location,
            (200, None) => {
                let page = response.text().await.expect("consent page");
                assert!(page.contains("Share your information with"), "{page}");
                let (status, answer) = self.answer_consent(&page, "allow").await;
                returning_to_app(status, &answer)
            }
            other => panic!("unexpected authorization answer {other:?}"),
        };
        query_of(&location)
    }

    /// A token request by form (for cases the OIDC library refuses to send).
    pub async fn token_request(
        &self,
        form: &[(&str, &str)],
        basic: Option<(&str, &str)>,
    ) -> (u16, Value) {
        let mut request = api_client().post(self.url("/oidc/token")).form(form);
        if let Some((id, secret)) = basic {
            request = request.basic_auth(id, Some(secret));
        }
        let response = request.send().await.expect("token request");
        let status = response.status().as_u16();
        (status, response.json().await.unwrap_or(Value::Null))
    }

    /// A client assertion for the `private_key_jwt` app.
    pub fn assertion(&self, key: &SigningKey, audience: &str, jti: &str) -> String {
        let now = self.server.clock_now().unix_timestamp();
        key.sign_jwt(&serde_json::json!({
            "iss": JWT_APP, "sub": JWT_APP, "aud": audience, "jti": jti,
            "iat": now, "exp": now + 300,
        }))
        .expect("assertion")
    }

    pub async fn userinfo(&self, access_token: &str) -> (u16, Value) {
        let response = api_client()
            .get(self.url("/oidc/userinfo"))
            .bearer_auth(access_token)
            .send()
            .await
            .expect("userinfo");
        let status = response.status().as_u16();
        (status, response.json().await.unwrap_or(Value::Null))
    }

    pub async fn finish(self) {
        self.server.finish().await;
    }
}

/// Where our "returning you to the app" page (200) or a redirect (303) sends the
/// browser. After a form, the last hop is a page of ours (the CSP's `form-action` binds
/// every redirect after a form submission).
pub fn returning_to_app(status: u16, answer: &str) -> String {
    match status {
        303 => answer.to_owned(),
        200 => {
            assert!(answer.contains("http-equiv=\"refresh\""), "{answer}");
            between(answer, "id=\"continue\" href=\"", "\"")
                .replace("&#38;", "&")
                .replace("&amp;", "&")
        }
        other => panic!("unexpected answer {other}: {answer}"),
    }
}

/// The query parameters of a URL, decoded.
pub fn query_of(url: &str) -> HashMap<String, String> {
    let query = url.split_once('?').map(|(_, q)| q).unwrap_or_default();
    openidconnect::url::form_urlencoded::parse(query.as_bytes())
        .into_owned()
        .collect()
}

/// An HTTP client for the OpenID Connect library (no redirects followed).
pub fn http_client() -> openidconnect::reqwest::Client {
    openidconnect::reqwest::ClientBuilder::new()
        .redirect(openidconnect::reqwest::redirect::Policy::none())
        .build()
        .expect("http client")
}

/// The server's (manual) clock, for checking token lifetimes.
pub fn server_time(
    env: &OidcEnv,
) -> impl Fn() -> chrono::DateTime<chrono::Utc> + Send + Sync + 'static {
    let clock = env.server.clock.clone();
    move || {
        use sa_domain::clock::Clock;
        chrono::DateTime::from_timestamp(clock.now().unix_timestamp(), 0).unwrap_or_default()
    }
}

pub async fn metadata(env: &OidcEnv) -> openidconnect::core::CoreProviderMetadata {
    openidconnect::core::CoreProviderMetadata::discover_async(
        openidconnect::IssuerUrl::new(env.server.base.clone()).expect("issuer"),
        &http_client(),
    )
    .await
    .expect("discovery document is valid for an independent client")
}
