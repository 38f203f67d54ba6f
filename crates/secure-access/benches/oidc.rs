//! OpenID Connect endpoints under load: requests per second and latency (p50/p99) of the
//! token endpoint (authorization code exchange), discovery and the JWKS, from
//! concurrent HTTP clients against the real server.
//!
//! Run: `cargo bench -p secure-access --bench oidc`
//! Options (environment): `SA_BENCH_CODES` (default 2000: token requests, each
//! exchanging its own code once), `SA_BENCH_REQUESTS` (5000 each for discovery and
//! JWKS), `SA_BENCH_CLIENTS` (16), `SA_BENCH_DATABASE_URL` (default: SQLite in a temp
//! dir; e.g. a postgres:// URL of an empty database).
//!
//! Set-up (not measured): one app registered with `client_secret_basic` (from the
//! `[[apps]]` configuration), one verified account signed in through the API (password
//! and authenticator code), and the codes obtained through the provider's own
//! authorization decisions (`RunningServer::oidc`: `authorize`, consent once, then one
//! code per call), exactly what `/oidc/authorize` does for a signed-in browser. Each
//! token request then carries Basic credentials, the code, the redirect URI and a PKCE
//! verifier, and gets an access token and an ES256 ID token.
//!
//! Refresh: the codes ask for `offline_access`, so each exchange also stores a refresh
//! token; then each refresh token is used once (`grant_type=refresh_token`: a guarded
//! rotation, a new refresh token, a new access token and an ID token).
//!
//! Machine access: a second app (`client_credentials`, acting for the same verified
//! account) asks for `SA_BENCH_MACHINE_TOKENS` (default 5,000) access tokens. With
//! `SA_BENCH_COMPARE_TOKEN_URL`, `SA_BENCH_COMPARE_CLIENT_ID` and
//! `SA_BENCH_COMPARE_CLIENT_SECRET`, the same load (same clients, same requests, same
//! run) is sent to another provider's token endpoint, and the ratio is printed
//! (`tools/compare-oidc-provider` runs node oidc-provider 9 for this; BENCHMARKS.md).
#![allow(clippy::unwrap_used, clippy::expect_used)] // a benchmark stops on a failed setup

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use sa_domain::clock::ManualClock;
use sa_domain::oidc::authorize::AuthorizeOutcome;
use secure_access::Config;
use secure_access::config::{AppConfig, Secret};
use serde_json::json;

const CLIENT_ID: &str = "bench-app";
const MACHINE_ID: &str = "bench-machine";
const SECRET: &str = "a-long-random-client-secret-for-the-benchmark-0123456789";
const REDIRECT: &str = "http://127.0.0.1:9/callback";
const PASSWORD: &str = "violet harbor piano meadow";
/// RFC 7636 appendix B: a verifier and its S256 challenge.
const VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
const CHALLENGE: &str = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Throughput and latency of one measured phase.
struct Measure {
    name: &'static str,
    requests: usize,
    per_second: f64,
    p50: Duration,
    p99: Duration,
    max: Duration,
}

impl Measure {
    fn from(name: &'static str, wall: Duration, mut latencies: Vec<Duration>) -> Self {
        latencies.sort_unstable();
        let at = |q: f64| {
            let index = ((latencies.len() as f64 * q).ceil() as usize).saturating_sub(1);
            latencies.get(index).copied().unwrap_or_default()
        };
        Self {
            name,
            requests: latencies.len(),
            per_second: latencies.len() as f64 / wall.as_secs_f64(),
            p50: at(0.50),
            p99: at(0.99),
            max: latencies.last().copied().unwrap_or_default(),
        }
    }
}

/// Run `total` requests from `clients` concurrent tasks; `request(i)` sends the i-th
/// and checks its answer. Returns the wall time and every request's latency.
async fn load<F, Fut>(clients: usize, total: usize, request: F) -> (Duration, Vec<Duration>)
where
    F: Fn(usize) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = ()> + Send,
{
    let next = Arc::new(AtomicUsize::new(0));
    let request = Arc::new(request);
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..clients {
        let (next, request) = (next.clone(), request.clone());
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= total {
                    break;
                }
                let sent = Instant::now();
                request(i).await;
                latencies.push(sent.elapsed());
            }
            latencies
        }));
    }
    let mut all = Vec::with_capacity(total);
    for task in tasks {
        all.extend(task.await.expect("client task"));
    }
    (started.elapsed(), all)
}

/// `total` client_credentials token requests to `url`, HTTP Basic with `credentials`,
/// from `clients` concurrent clients; every answer must carry an access token.
async fn machine_token_load(
    client: reqwest::Client,
    url: String,
    credentials: (String, String),
    clients: usize,
    total: usize,
) -> (Duration, Vec<Duration>) {
    let credentials = Arc::new(credentials);
    load(clients, total, move |_| {
        let (client, url, credentials) = (client.clone(), url.clone(), credentials.clone());
        async move {
            let answer = client
                .post(&url)
                .basic_auth(&credentials.0, Some(&credentials.1))
                .form(&[("grant_type", "client_credentials")])
                .send()
                .await
                .expect("token request");
            let status = answer.status();
            let body: serde_json::Value = answer.json().await.expect("json");
            assert_eq!(status, 200, "client_credentials succeeds: {body}");
            assert!(body["access_token"].is_string());
        }
    })
    .await
}

fn code_of(url: &str) -> String {
    let query = url.split_once('?').map(|(_, q)| q).unwrap_or_default();
    query
        .split('&')
        .find_map(|pair| pair.strip_prefix("code="))
        .expect("a code in the redirect")
        .to_owned()
}

fn main() {
    let codes = env_usize("SA_BENCH_CODES", 2000);
    let requests = env_usize("SA_BENCH_REQUESTS", 5000);
    let clients = env_usize("SA_BENCH_CLIENTS", 16);
    let cores = std::thread::available_parallelism()
        .map(usize::from)
        .unwrap_or(2);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");

    let data_dir = tempfile::tempdir().expect("temp dir");
    let mut config = Config {
        listen: "127.0.0.1:0".parse().expect("addr"),
        data_dir: data_dir.path().to_path_buf(),
        database_url: std::env::var("SA_BENCH_DATABASE_URL").ok(),
        ..Config::default()
    };
    config.limits.ip_sign_in_per_minute = u32::MAX;
    config.apps = vec![AppConfig {
        client_id: CLIENT_ID.to_owned(),
        name: "Benchmark app".to_owned(),
        redirect_uris: vec![REDIRECT.to_owned()],
        auth_method: "client_secret_basic".to_owned(),
        client_secret: Some(Secret::new(SECRET)),
        scopes: vec![
            "openid".to_owned(),
            "email".to_owned(),
            "offline_access".to_owned(),
        ],
        ..AppConfig::default()
    }];
    let backend = if config.database_url.is_some() {
        "postgresql"
    } else {
        "sqlite"
    };
    // A fixed clock: codes (5 minutes) and the session stay valid for the whole run.
    let clock = ManualClock::new(time::macros::datetime!(2026-03-02 15:00:00 UTC));

    let (setup, authorize_rate, measures) = runtime.block_on(async {
        let server = secure_access::start(config, Arc::new(clock.clone()), false)
            .await
            .expect("server");
        let base = format!("http://{}", server.addr);
        let client = reqwest::Client::new();
        let setup_started = Instant::now();

        // One verified account with an authenticator app, signed in through the API.
        let demo = server
            .services
            .demo().ensure_demo_account("bench.professional", "bench.professional@example.test", PASSWORD)
            .await
            .expect("account");
        let secret = totp_rs::Secret::try_from_base32(&demo.totp_secret)
            .map(|secret| secret.as_bytes().to_vec())
            .expect("secret");
        let started: serde_json::Value = client
            .post(format!("{base}/api/v1/sessions"))
            .json(&json!({"username": "bench.professional", "password": PASSWORD}))
            .send()
            .await
            .expect("sign-in")
            .json()
            .await
            .expect("json");
        let pending = started["session_token"].as_str().expect("token");
        let done: serde_json::Value = client
            .post(format!("{base}/api/v1/sessions/second-factor"))
            .bearer_auth(pending)
            .json(&json!({"method": "totp", "code": sa_domain::totp::code_at(&secret, 1_772_463_600)}))
            .send()
            .await
            .expect("second factor")
            .json()
            .await
            .expect("json");
        let token = done["session_token"].as_str().expect("signed-in token");
        let auth = server.services.sessions().authenticate(token).await.expect("session");
        // The machine app acts for that account, so it is registered once the account exists.
        let machine = AppConfig {
            client_id: MACHINE_ID.to_owned(),
            name: "Benchmark machine".to_owned(),
            redirect_uris: vec![REDIRECT.to_owned()],
            auth_method: "client_secret_basic".to_owned(),
            client_secret: Some(Secret::new(SECRET)),
            scopes: vec!["openid".to_owned(), "email".to_owned()],
            machine_username: Some("bench.professional".to_owned()),
            ..AppConfig::default()
        };
        server
            .oidc
            .register_client(secure_access::wiring::new_client(&machine).expect("machine app"))
            .await
            .expect("register the machine app");

        // The codes, one per token request, through the provider's authorization step.
        let params: HashMap<String, String> = [
            ("response_type", "code"),
            ("client_id", CLIENT_ID),
            ("redirect_uri", REDIRECT),
            ("scope", "openid email offline_access"),
            ("state", "bench-state"),
            ("nonce", "bench-nonce"),
            ("code_challenge", CHALLENGE),
            ("code_challenge_method", "S256"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
        let authorize_started = Instant::now();
        let mut issued = Vec::with_capacity(codes);
        while issued.len() < codes {
            let outcome = server
                .oidc
                .authorize(&params, Some(&auth))
                .await
                .expect("authorize");
            let outcome = match outcome {
                AuthorizeOutcome::Consent { request_id, .. } => server
                    .oidc
                    .resume(&request_id, Some(&auth), Some(true))
                    .await
                    .expect("consent"),
                other => other,
            };
            match outcome {
                AuthorizeOutcome::Redirect(url) => issued.push(code_of(&url)),
                other => panic!("unexpected authorization outcome {other:?}"),
            }
        }
        let authorize_rate = codes as f64 / authorize_started.elapsed().as_secs_f64();
        let setup = setup_started.elapsed();

        let mut measures = Vec::new();
        let issued = Arc::new(issued);
        let refresh_tokens = Arc::new(std::sync::Mutex::new(vec![String::new(); codes]));
        {
            let (client, base, issued) = (client.clone(), base.clone(), issued.clone());
            let kept = refresh_tokens.clone();
            let (wall, latencies) = load(clients, codes, move |i| {
                let (client, base, issued) = (client.clone(), base.clone(), issued.clone());
                let kept = kept.clone();
                async move {
                    let answer = client
                        .post(format!("{base}/oidc/token"))
                        .basic_auth(CLIENT_ID, Some(SECRET))
                        .form(&[
                            ("grant_type", "authorization_code"),
                            ("code", issued[i].as_str()),
                            ("redirect_uri", REDIRECT),
                            ("code_verifier", VERIFIER),
                        ])
                        .send()
                        .await
                        .expect("token request");
                    let status = answer.status();
                    let body: serde_json::Value = answer.json().await.expect("json");
                    assert_eq!(status, 200, "code exchange succeeds: {body}");
                    assert!(body["id_token"].is_string());
                    let refresh = body["refresh_token"].as_str().expect("a refresh token");
                    kept.lock().expect("refresh tokens")[i] = refresh.to_owned();
                }
            })
            .await;
            measures.push(Measure::from("token (code exchange)", wall, latencies));
        }
        {
            let (client, base) = (client.clone(), base.clone());
            let tokens = Arc::new(refresh_tokens.lock().expect("refresh tokens").clone());
            let (wall, latencies) = load(clients, codes, move |i| {
                let (client, base, tokens) = (client.clone(), base.clone(), tokens.clone());
                async move {
                    let answer = client
                        .post(format!("{base}/oidc/token"))
                        .basic_auth(CLIENT_ID, Some(SECRET))
                        .form(&[
                            ("grant_type", "refresh_token"),
                            ("refresh_token", tokens[i].as_str()),
                        ])
                        .send()
                        .await
                        .expect("refresh request");
                    let status = answer.status();
                    let body: serde_json::Value = answer.json().await.expect("json");
                    assert_eq!(status, 200, "refresh succeeds: {body}");
                    assert!(body["refresh_token"].is_string());
                }
            })
            .await;
            measures.push(Measure::from("token (refresh)", wall, latencies));
        }
        let machine_tokens = env_usize("SA_BENCH_MACHINE_TOKENS", 5000);
        let ours = machine_token_load(
            client.clone(),
            format!("{base}/oidc/token"),
            (MACHINE_ID.to_owned(), SECRET.to_owned()),
            clients,
            machine_tokens,
        )
        .await;
        measures.push(Measure::from("token (client_credentials)", ours.0, ours.1));
        if let (Ok(url), Ok(id), Ok(secret)) = (
            std::env::var("SA_BENCH_COMPARE_TOKEN_URL"),
            std::env::var("SA_BENCH_COMPARE_CLIENT_ID"),
            std::env::var("SA_BENCH_COMPARE_CLIENT_SECRET"),
        ) {
            let theirs =
                machine_token_load(client.clone(), url, (id, secret), clients, machine_tokens)
                    .await;
            measures.push(Measure::from("compared provider (client_credentials)", theirs.0, theirs.1));
        }
        for (name, path) in [
            ("discovery", "/.well-known/openid-configuration"),
            ("JWKS", "/oidc/jwks"),
        ] {
            let url = format!("{base}{path}");
            let client = client.clone();
            let (wall, latencies) = load(clients, requests, move |_| {
                let (client, url) = (client.clone(), url.clone());
                async move {
                    let answer = client.get(&url).send().await.expect("GET");
                    assert_eq!(answer.status(), 200);
                    answer.bytes().await.expect("body");
                }
            })
            .await;
            measures.push(Measure::from(name, wall, latencies));
        }
        server.stop().await.expect("stop");
        (setup, authorize_rate, measures)
    });

    println!("OpenID Connect benchmark ({backend}, {cores} cores, {clients} concurrent clients)");
    println!(
        "  set-up: {:.1} s, including {codes} codes at {authorize_rate:.0} /s (provider call, one at a time; not measured below)",
        setup.as_secs_f64()
    );
    println!(
        "  {:<40} {:>8} {:>10} {:>10} {:>10} {:>10}",
        "endpoint", "requests", "req/s", "p50 ms", "p99 ms", "max ms"
    );
    for m in &measures {
        println!(
            "  {:<40} {:>8} {:>10.0} {:>10.2} {:>10.2} {:>10.2}",
            m.name,
            m.requests,
            m.per_second,
            m.p50.as_secs_f64() * 1000.0,
            m.p99.as_secs_f64() * 1000.0,
            m.max.as_secs_f64() * 1000.0,
        );
    }
    let rate = |name: &str| {
        measures
            .iter()
            .find(|m| m.name == name)
            .map(|m| m.per_second)
    };
    if let (Some(ours), Some(theirs)) = (
        rate("token (client_credentials)"),
        rate("compared provider (client_credentials)"),
    ) {
        println!(
            "  client_credentials: this service / the compared provider = {:.2}",
            ours / theirs
        );
    }
}
