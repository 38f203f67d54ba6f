//! A stand-in relying app for single sign-on: a tiny HTTP listener on a free loopback
//! port that answers every request with a small page and records each request target
//! (and a form's body), so a test can read the `code` and `state` the provider sent the
//! browser back with, or the `SAMLResponse` it posted.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

pub struct RelyingApp {
    pub base: String,
    requests: Arc<Mutex<Vec<(String, String)>>>,
    task: JoinHandle<()>,
}

const PAGE: &str = "<!DOCTYPE html><html lang=\"en\"><head><title>Example app</title></head>\
<body><main><h1>Example app</h1><p>Signed in with Secure Access.</p></main></body></html>";

impl RelyingApp {
    pub async fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("app port");
        let base = format!("http://{}", listener.local_addr().expect("addr"));
        let requests = Arc::new(Mutex::new(Vec::new()));
        let seen = requests.clone();
        let task = tokio::spawn(async move {
            while let Ok((mut stream, _)) = listener.accept().await {
                let seen = seen.clone();
                tokio::spawn(async move {
                    let mut head = Vec::new();
                    let mut buffer = [0u8; 1024];
                    while !head.windows(4).any(|w| w == b"\r\n\r\n") && head.len() < 16 * 1024 {
                        match stream.read(&mut buffer).await {
                            Ok(0) | Err(_) => return,
                            Ok(n) => head.extend_from_slice(&buffer[..n]),
                        }
                    }
                    let split = head
                        .windows(4)
                        .position(|w| w == b"\r\n\r\n")
                        .map_or(head.len(), |at| at + 4);
                    let mut body = head.split_off(split);
                    let head = String::from_utf8_lossy(&head).into_owned();
                    let length = head
                        .lines()
                        .filter_map(|l| l.split_once(':'))
                        .find(|(name, _)| name.eq_ignore_ascii_case("content-length"))
                        .and_then(|(_, value)| value.trim().parse::<usize>().ok())
                        .unwrap_or(0)
                        .min(1024 * 1024);
                    while body.len() < length {
                        match stream.read(&mut buffer).await {
                            Ok(0) | Err(_) => break,
                            Ok(n) => body.extend_from_slice(&buffer[..n]),
                        }
                    }
                    if let Some(target) = head.split_whitespace().nth(1) {
                        let body = String::from_utf8_lossy(&body).into_owned();
                        seen.lock().expect("lock").push((target.to_owned(), body));
                    }
                    let answer = format!(
                        "HTTP/1.1 200 OK\r\ncontent-type: text/html; charset=utf-8\r\n\
                         content-length: {}\r\nconnection: close\r\n\r\n{PAGE}",
                        PAGE.len()
                    );
                    let _ = stream.write_all(answer.as_bytes()).await;
                    let _ = stream.shutdown().await;
                });
            }
        });
        Self {
            base,
            requests,
            task,
        }
    }

    pub fn callback(&self) -> String {
        format!("{}/callback", self.base)
    }

    /// Where the app wants people to land after signing out.
    pub fn signed_out(&self) -> String {
        format!("{}/signed-out", self.base)
    }

    /// Wait (bounded) for the browser to arrive at the callback with this `state`; the
    /// query parameters it brought (`None` if it never came).
    pub async fn callback_with_state(&self, state: &str) -> Option<HashMap<String, String>> {
        self.arrived_at("/callback?", state).await
    }

    /// Wait (bounded) for the browser to arrive at the signed-out page with `state`.
    pub async fn signed_out_with_state(&self, state: &str) -> bool {
        self.arrived_at("/signed-out?", state).await.is_some()
    }

    /// Wait (bounded) for a form posted to `path`; its fields.
    pub async fn form_posted_to(&self, path: &str) -> Option<HashMap<String, String>> {
        for _ in 0..200 {
            let requests = self.requests.lock().expect("lock").clone();
            if let Some((_, body)) = requests.iter().find(|(target, _)| target == path) {
                let url = reqwest::Url::parse(&format!("http://form.invalid/?{body}")).ok()?;
                return Some(url.query_pairs().into_owned().collect());
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        None
    }

    async fn arrived_at(&self, prefix: &str, state: &str) -> Option<HashMap<String, String>> {
        for _ in 0..200 {
            let requests = self.requests.lock().expect("lock").clone();
            let targets: Vec<&String> = requests.iter().map(|(target, _)| target).collect();
            for target in targets.into_iter().filter(|t| t.starts_with(prefix)) {
                let url = reqwest::Url::parse(&format!("{}{target}", self.base)).expect("url");
                let query: HashMap<String, String> = url.query_pairs().into_owned().collect();
                if query.get("state").map(String::as_str) == Some(state) {
                    return Some(query);
                }
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        None
    }
}

impl Drop for RelyingApp {
    fn drop(&mut self) {
        self.task.abort();
    }
}
