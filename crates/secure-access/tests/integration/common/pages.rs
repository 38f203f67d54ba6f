//! A browser for the page suites: GETs and form POSTs against the test server, never
//! following redirects, with a cookie jar the test can read and plant in; and the few
//! ways of reading a page the suites share.

use std::sync::Arc;

use reqwest::cookie::{CookieStore, Jar};
use time::Duration;

use super::{Person, TestServer};

/// An answer: status, `Location` and `Retry-After` if any, body text.
#[derive(Debug)]
pub struct Page {
    pub status: u16,
    pub location: Option<String>,
    pub retry_after: Option<String>,
    pub text: String,
}

/// A browser whose cookies the test can read (and plant).
pub struct Browser {
    client: reqwest::Client,
    jar: Arc<Jar>,
    base: String,
}

impl Browser {
    pub fn new(server: &TestServer) -> Self {
        Self::with_user_agent(server, "Mozilla/5.0 (integration test)")
    }

    pub fn with_user_agent(server: &TestServer, user_agent: &str) -> Self {
        Self::built(server, reqwest::Client::builder().user_agent(user_agent))
    }

    /// A browser whose every request says `Accept-Language: accept_language`.
    pub fn speaking(server: &TestServer, accept_language: &str) -> Self {
        let mut headers = reqwest::header::HeaderMap::new();
        headers.insert(
            reqwest::header::ACCEPT_LANGUAGE,
            accept_language.parse().expect("a header value"),
        );
        Self::built(
            server,
            reqwest::Client::builder()
                .user_agent("Mozilla/5.0 (integration test)")
                .default_headers(headers),
        )
    }

    fn built(server: &TestServer, builder: reqwest::ClientBuilder) -> Self {
        let jar = Arc::new(Jar::default());
        let client = builder
            .cookie_provider(jar.clone())
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client");
        Self {
            client,
            jar,
            base: server.base.clone(),
        }
    }

    fn url(&self) -> reqwest::Url {
        self.base.parse().expect("base URL")
    }

    /// Put a cookie in the jar, as if the site had set it.
    pub fn plant(&self, cookie: &str) {
        self.jar
            .add_cookie_str(&format!("{cookie}; Path=/"), &self.url());
    }

    pub fn cookie(&self, name: &str) -> Option<String> {
        let header = self.jar.cookies(&self.url())?;
        header
            .to_str()
            .expect("ascii cookies")
            .split("; ")
            .filter_map(|pair| pair.split_once('='))
            .find(|(key, _)| *key == name)
            .map(|(_, value)| value.to_owned())
    }

    /// A request to `path` on the server, with this browser's cookies, to adjust (a
    /// bearer header, say) and [`Browser::send`].
    pub fn request(&self, method: reqwest::Method, path: &str) -> reqwest::RequestBuilder {
        self.client.request(method, format!("{}{path}", self.base))
    }

    pub async fn send(&self, request: reqwest::RequestBuilder) -> Page {
        let response = request.send().await.expect("request sent");
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .map(|v| v.to_str().expect("ascii header").to_owned())
        };
        let (location, retry_after) = (header("location"), header("retry-after"));
        let status = response.status().as_u16();
        let text = response.text().await.expect("body");
        Page {
            status,
            location,
            retry_after,
            text,
        }
    }

    pub async fn get(&self, path: &str) -> Page {
        self.send(self.request(reqwest::Method::GET, path)).await
    }

    /// GET, asserting 200; the page text.
    pub async fn page(&self, path: &str) -> String {
        let page = self.get(path).await;
        assert_eq!(page.status, 200, "GET {path}: {}", page.text);
        page.text
    }

    /// POST a form with exactly these fields (the test decides about `csrf_token`).
    pub async fn post_raw(&self, path: &str, fields: &[(&str, &str)]) -> Page {
        self.send(self.request(reqwest::Method::POST, path).form(fields))
            .await
    }

    /// Submit a form of `page` (its CSRF token included) to `path`.
    pub async fn post(&self, page: &str, path: &str, fields: &[(&str, &str)]) -> Page {
        let token = csrf_token(page);
        let mut form = vec![("csrf_token", token.as_str())];
        form.extend_from_slice(fields);
        self.post_raw(path, &form).await
    }

    /// Sign in with password and authenticator code through the pages; the clock then
    /// moves to the next code step.
    pub async fn sign_in(&self, server: &TestServer, person: &Person, secret: &str) {
        let page = self.get("/sign-in").await;
        let started = self
            .post(
                &page.text,
                "/sign-in",
                &[
                    ("username", &person.username),
                    ("password", &person.password),
                ],
            )
            .await;
        assert_eq!(
            (started.status, started.location.as_deref()),
            (303, Some("/sign-in/second-factor"))
        );
        let page = self.get("/sign-in/second-factor").await;
        let code = server.totp_now(secret);
        let done = self
            .post(
                &page.text,
                "/sign-in/second-factor",
                &[("method", "totp"), ("code", &code)],
            )
            .await;
        assert_eq!(done.status, 303, "{}", done.text);
        server.clock.advance(Duration::seconds(30));
    }
}

/// The text between `before` and the next `after`.
pub fn between<'a>(html: &'a str, before: &str, after: &str) -> &'a str {
    let start = html
        .find(before)
        .unwrap_or_else(|| panic!("{before} not in page: {html}"))
        + before.len();
    html[start..].split(after).next().expect("text")
}

/// The CSRF token in a page's forms.
pub fn csrf_token(html: &str) -> String {
    between(html, "name=\"csrf_token\" value=\"", "\"").to_owned()
}

/// The opening tag of the element with this `id`.
pub fn tag_with_id<'a>(html: &'a str, id: &str) -> &'a str {
    let at = html
        .find(&format!("id=\"{id}\""))
        .unwrap_or_else(|| panic!("no element with id {id}"));
    let start = html[..at].rfind('<').expect("tag start");
    let end = at + html[at..].find('>').expect("tag end");
    &html[start..=end]
}
