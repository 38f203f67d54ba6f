//! The second fault: the database goes away under load, then comes back. Honest 503s,
//! no crash, and recovery without a restart (the crate docs say how it is checked).

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use reqwest::Client;
use sa_test_support::process::Deployment;
use sa_test_support::server::Backend;
use serde_json::{Value, json};
use sqlx::AssertSqlSafe;
use sqlx::Connection;

use super::{ONE_AT_A_TIME, PASSWORD, api_client, deployment};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Kind {
    ApiSignIn,
    ApiSignUp,
    PageSignIn,
    HomePage,
}

const KINDS: [Kind; 4] = [
    Kind::ApiSignIn,
    Kind::ApiSignUp,
    Kind::PageSignIn,
    Kind::HomePage,
];

/// One answer (or failure) of the load.
#[derive(Debug, Clone)]
struct Answer {
    kind: Kind,
    sent: Instant,
    answered: Instant,
    status: Option<u16>,
    retry_after: bool,
    body: String,
}

impl Answer {
    fn ok(&self) -> bool {
        self.status.is_some_and(|s| (200..400).contains(&s))
    }
}

struct Load {
    stop: Arc<AtomicBool>,
    answers: Arc<Mutex<Vec<Answer>>>,
    workers: tokio::task::JoinSet<()>,
}

impl Load {
    /// One loop per username, each cycling through the four kinds of request (one
    /// request at a time per person: several sign-ins of one username in flight at once
    /// are counted against its password limit before they are checked).
    fn start(base: &str, usernames: &[String]) -> Self {
        let stop = Arc::new(AtomicBool::new(false));
        let answers = Arc::new(Mutex::new(Vec::new()));
        let mut set = tokio::task::JoinSet::new();
        for (worker, username) in usernames.iter().cloned().enumerate() {
            let (stop, answers) = (stop.clone(), answers.clone());
            let base = base.to_owned();
            set.spawn(async move {
                let api = api_client();
                let mut round = worker;
                while !stop.load(Ordering::SeqCst) {
                    let kind = KINDS[round % KINDS.len()];
                    let fresh = format!("outage.w{worker}.n{round}");
                    let answer = request(&api, &base, kind, &username, &fresh).await;
                    answers.lock().expect("answers").push(answer);
                    round += 1;
                }
            });
        }
        Self {
            stop,
            answers,
            workers: set,
        }
    }

    fn answers(&self) -> Vec<Answer> {
        self.answers.lock().expect("answers").clone()
    }

    /// Wait (bounded) until every kind has a success sent after `since`.
    async fn wait_for_successes(&self, since: Instant, what: &str) {
        let deadline = Instant::now() + Duration::from_secs(40);
        loop {
            let answers = self.answers();
            let missing: Vec<Kind> = KINDS
                .into_iter()
                .filter(|kind| {
                    !answers
                        .iter()
                        .any(|a| a.kind == *kind && a.sent >= since && a.ok())
                })
                .collect();
            if missing.is_empty() {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "{what}: no success within 40 s for {missing:?}; last answers: {:#?}",
                &answers[answers.len().saturating_sub(8)..]
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    async fn stop(mut self) -> Vec<Answer> {
        self.stop.store(true, Ordering::SeqCst);
        while let Some(joined) = self.workers.join_next().await {
            joined.expect("load worker");
        }
        self.answers()
    }
}

/// One request of the given kind; a page sign-in is a fresh browser (form, then post).
async fn request(api: &Client, base: &str, kind: Kind, username: &str, fresh: &str) -> Answer {
    let sent = Instant::now();
    let response = match kind {
        Kind::ApiSignIn => {
            api.post(format!("{base}/api/v1/sessions"))
                .json(&json!({"username": username, "password": PASSWORD}))
                .send()
                .await
        }
        Kind::ApiSignUp => {
            api.post(format!("{base}/api/v1/accounts"))
                .json(
                    &json!({"username": fresh, "email": format!("{fresh}@example.test"),
                    "password": PASSWORD}),
                )
                .send()
                .await
        }
        Kind::HomePage => api.get(format!("{base}/")).send().await,
        Kind::PageSignIn => {
            let browser = Client::builder()
                .cookie_store(true)
                .redirect(reqwest::redirect::Policy::none())
                .timeout(Duration::from_secs(30))
                .build()
                .expect("browser");
            match browser.get(format!("{base}/sign-in")).send().await {
                Ok(form) if form.status() == 200 => {
                    let html = form.text().await.unwrap_or_default();
                    let csrf = hidden_value(&html, "csrf_token").unwrap_or_default();
                    browser
                        .post(format!("{base}/sign-in"))
                        .form(&[
                            ("csrf_token", csrf.as_str()),
                            ("username", username),
                            ("password", PASSWORD),
                        ])
                        .send()
                        .await
                }
                other => other,
            }
        }
    };
    match response {
        Ok(response) => {
            let status = response.status().as_u16();
            let retry_after = response
                .headers()
                .contains_key(reqwest::header::RETRY_AFTER);
            let body = response.text().await.unwrap_or_default();
            Answer {
                kind,
                sent,
                answered: Instant::now(),
                status: Some(status),
                retry_after,
                body,
            }
        }
        Err(error) => Answer {
            kind,
            sent,
            answered: Instant::now(),
            status: None,
            retry_after: false,
            body: error.to_string(),
        },
    }
}

fn hidden_value(html: &str, name: &str) -> Option<String> {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html.find(&marker)? + marker.len();
    let end = html[start..].find('"')?;
    Some(html[start..start + end].to_owned())
}

/// Undo the few entities askama writes, to compare page text with API messages.
fn unescape(html: &str) -> String {
    html.replace("&#x27;", "'")
        .replace("&#39;", "'")
        .replace("&quot;", "\"")
        .replace("&#x22;", "\"")
        .replace("&amp;", "&")
}

/// The database taken away: SQLite locked by another process, PostgreSQL refusing
/// connections with its backends terminated.
enum Outage {
    Sqlite(sqlx::SqliteConnection),
    Postgres {
        admin: sqlx::PgConnection,
        name: String,
    },
}

impl Outage {
    async fn begin(deployment: &Deployment) -> Self {
        match deployment.postgres() {
            None => {
                let mut lock = sqlx::SqliteConnection::connect(&deployment.database_url)
                    .await
                    .expect("open the SQLite file");
                sqlx::query("BEGIN EXCLUSIVE")
                    .execute(&mut lock)
                    .await
                    .expect("take the write lock");
                Self::Sqlite(lock)
            }
            Some(database) => {
                let name = database.name().to_owned();
                let mut admin = sqlx::PgConnection::connect(database.admin_url())
                    .await
                    .expect("admin connection");
                sqlx::query(AssertSqlSafe(format!(
                    "ALTER DATABASE {name} ALLOW_CONNECTIONS false"
                )))
                .execute(&mut admin)
                .await
                .expect("refuse connections");
                sqlx::query(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
                     WHERE datname = $1 AND pid <> pg_backend_pid()",
                )
                .bind(&name)
                .execute(&mut admin)
                .await
                .expect("terminate the server's connections");
                Self::Postgres { admin, name }
            }
        }
    }

    async fn end(self) {
        match self {
            Self::Sqlite(mut lock) => {
                sqlx::query("ROLLBACK")
                    .execute(&mut lock)
                    .await
                    .expect("release the lock");
                lock.close().await.ok();
            }
            Self::Postgres { mut admin, name } => {
                sqlx::query(AssertSqlSafe(format!(
                    "ALTER DATABASE {name} ALLOW_CONNECTIONS true"
                )))
                .execute(&mut admin)
                .await
                .expect("allow connections");
                admin.close().await.ok();
            }
        }
    }
}

pub(crate) async fn database_outage_answers_503_and_recovers(backend: Backend) {
    let _one = ONE_AT_A_TIME.lock().await;
    let started = Instant::now();
    let deployment = deployment(&backend).await;
    let mut server = deployment.start().await;
    let pid = server.pid();
    let http = api_client();
    // Eight people keep signing in and up; a ninth checks recovery.
    let usernames: Vec<String> = (0..9).map(|i| format!("outage.person{i}")).collect();
    for username in &usernames {
        let created = http
            .post(server.url("/api/v1/accounts"))
            .json(
                &json!({"username": username, "email": format!("{username}@example.test"),
                "password": PASSWORD}),
            )
            .send()
            .await
            .expect("sign-up");
        assert_eq!(
            created.status(),
            201,
            "{}",
            created.text().await.unwrap_or_default()
        );
    }

    let load = Load::start(&server.base, &usernames[..8]);
    load.wait_for_successes(started, "before the outage").await;

    // The database goes away.
    let outage_requested = Instant::now();
    let outage = Outage::begin(&deployment).await;
    let outage_began = Instant::now();
    let deadline = outage_began + Duration::from_secs(40);
    let mut readyz = Vec::new();
    let mut api_message = None;
    let mut page_message = None;
    loop {
        let answers = load.answers();
        let during = |kind: Kind| {
            answers
                .iter()
                .filter(move |a| a.kind == kind && a.sent >= outage_began && a.status == Some(503))
        };
        api_message = api_message.or_else(|| {
            during(Kind::ApiSignIn)
                .chain(during(Kind::ApiSignUp))
                .find_map(|a| {
                    let body: Value = serde_json::from_str(&a.body).ok()?;
                    Some(body["error"]["message"].as_str()?.to_owned())
                })
        });
        page_message = page_message.or_else(|| during(Kind::PageSignIn).next().cloned());
        if readyz
            .last()
            .is_none_or(|(status, _): &(u16, String)| *status != 503)
            && let Ok(response) = http.get(server.url("/readyz")).send().await
        {
            let status = response.status().as_u16();
            readyz.push((status, response.text().await.unwrap_or_default()));
        }
        let ready_seen = readyz.last().is_some_and(|(status, _)| *status == 503);
        if api_message.is_some() && page_message.is_some() && ready_seen {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "within 40 s of the outage: API 503 {api_message:?}, page 503 {page_message:?}, \
             readyz {readyz:?}\n{}",
            server.log_tail()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(server.alive(), "the server died:\n{}", server.log_tail());
    let health = http
        .get(server.url("/healthz"))
        .send()
        .await
        .expect("healthz");
    assert_eq!(health.status(), 200, "/healthz during the outage");
    let api_message = api_message.expect("API message");
    let page = page_message.expect("page answer");
    assert!(page.retry_after, "503 page without Retry-After");
    assert!(
        unescape(&page.body).contains(&api_message),
        "the 503 page should say {api_message:?}: {}",
        page.body
    );
    let (_, ready_body) = readyz.last().cloned().expect("readyz answered");
    // On SQLite the probe takes the write lock (a read would still succeed while
    // another process holds the database locked).
    assert!(
        ready_body.contains("unreachable"),
        "/readyz during the outage: {ready_body}"
    );

    // The database comes back: the same process recovers by itself.
    let restoring = Instant::now();
    outage.end().await;
    let restored = Instant::now();
    let deadline = restored + Duration::from_secs(30);
    loop {
        let ready = http.get(server.url("/readyz")).send().await;
        let signed_in = http
            .post(server.url("/api/v1/sessions"))
            .json(&json!({"username": usernames[8], "password": PASSWORD}))
            .send()
            .await;
        if ready.is_ok_and(|r| r.status() == 200) && signed_in.is_ok_and(|r| r.status() == 200) {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "not recovered within 30 s of the database coming back:\n{}",
            server.log_tail()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let recovered_after = restored.elapsed();
    load.wait_for_successes(restored, "after the outage").await;
    let answers = load.stop().await;
    assert!(server.alive());
    assert_eq!(server.pid(), pid, "no restart");

    // Never a 500; every 503 says when to come back; before the outage and after it
    // recovered, everything succeeded; during it, sign-in and sign-up answered 503.
    for answer in &answers {
        let status = answer.status;
        assert!(
            status.is_some(),
            "{:?} failed without an answer: {}",
            answer.kind,
            answer.body
        );
        assert!(
            status.is_some_and(|s| s < 500 || s == 503),
            "{:?} answered {status:?}: {}",
            answer.kind,
            answer.body
        );
        if status == Some(503) {
            assert!(answer.retry_after, "503 without Retry-After: {answer:?}");
        }
        let before = answer.answered < outage_requested;
        let after = answer.sent >= restored + recovered_after;
        let inside = answer.sent >= outage_began && answer.answered < restoring;
        if before || after {
            assert!(
                answer.ok(),
                "{:?} outside the outage: {answer:?}",
                answer.kind
            );
        }
        if inside && answer.kind != Kind::HomePage {
            assert_eq!(
                status,
                Some(503),
                "{:?} during the outage: {answer:?}",
                answer.kind
            );
        }
    }
    let mut tally: HashMap<(Kind, Option<u16>), usize> = HashMap::new();
    for answer in &answers {
        *tally.entry((answer.kind, answer.status)).or_default() += 1;
    }
    let mut tally: Vec<_> = tally.into_iter().collect();
    tally.sort_by_key(|((kind, status), _)| (format!("{kind:?}"), *status));
    server.stop().await;
    deployment.finish().await;
    eprintln!(
        "{backend:?}: outage test passed in {:.1} s; recovered {:.2} s after the database \
         came back; answers {tally:?}",
        started.elapsed().as_secs_f64(),
        recovered_after.as_secs_f64()
    );
}
