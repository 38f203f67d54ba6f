//! Speaking to the JSON API as a client would: made-up people, and calls that assert
//! the status and hand back the JSON body.

use serde_json::Value;

/// The value of the `/metrics` sample line that starts with `series` (its name, and its
/// labels if any).
pub fn metric_sample(text: &str, series: &str) -> Option<f64> {
    text.lines()
        .filter(|line| !line.starts_with('#'))
        .find_map(|line| line.strip_prefix(series))
        .and_then(|rest| rest.trim().parse().ok())
}

/// A person's made-up details.
#[derive(Clone)]
pub struct Person {
    pub username: String,
    pub email: String,
    pub password: String,
}

impl Person {
    pub fn new(name: &str) -> Self {
        Self {
            username: name.to_owned(),
            email: format!("{name}@example.test"),
            password: "violet harbor piano meadow".to_owned(),
        }
    }
}

/// An HTTP client that follows no redirects, sending `user_agent`.
pub fn client(user_agent: &str) -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(user_agent)
        .build()
        .expect("client")
}

/// A browser-like client: a cookie jar, no automatic redirects.
pub fn browser(user_agent: &str) -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(user_agent)
        .build()
        .expect("client")
}

/// An API call, asserting the status; returns the JSON body (or `Null` for no body).
pub async fn call(
    client: &reqwest::Client,
    method: reqwest::Method,
    url: String,
    token: Option<&str>,
    body: Option<Value>,
    expected: u16,
) -> Value {
    let mut request = client.request(method.clone(), &url);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.expect("request sent");
    let status = response.status().as_u16();
    let text = response.text().await.expect("body");
    assert_eq!(status, expected, "{method} {url} answered {status}: {text}");
    if text.is_empty() {
        Value::Null
    } else {
        serde_json::from_str(&text).expect("JSON body")
    }
}
