//! Overload: the real server (the release binary, run as a child process) is offered
//! about ten times the sign-ins it can do, open-loop, while cheap endpoints are timed.
//!
//! Run: `cargo bench -p secure-access --bench overload`
//! Options (environment): `SA_BENCH_OVERLOAD_FACTOR` (10), `SA_BENCH_OVERLOAD_SECS` (20),
//! `SA_BENCH_CAPACITY_SECS` (5), `SA_BENCH_CLIENTS` (16, for the capacity run),
//! `SA_BENCH_ACCOUNTS` (64: the flood signs them in round-robin),
//! `SA_BENCH_DATABASE_URL` (default: SQLite in a temp dir; a postgres:// URL of an
//! empty database to measure PostgreSQL).
//!
//! 1. Capacity: 16 closed-loop clients send `POST /api/v1/sessions` (username and
//!    password: the one Argon2id verification of a sign-in) for a few seconds.
//! 2. Overload: requests are fired on a fixed schedule at `factor` × capacity, whatever
//!    the answers (open loop: a flood does not wait for its answers), 90% API sign-ins
//!    and 10% sign-in form posts, each from its own client address (`X-Forwarded-For`
//!    through a trusted proxy, so the per-IP limit does not hide the hashing queue).
//! 3. All along, another thread times `GET /healthz`, `/`,
//!    `/.well-known/openid-configuration` and `/oidc/jwks` one after another (p50/p99;
//!    the target is p99 < 50 ms), first without load as a baseline.
//!
//! Reported: the share of 2xx/3xx, 429 and 503 answers (and whether every 429/503 has
//! `Retry-After`), latencies, and the server's peak resident memory (`VmHWM` of
//! `/proc/<pid>/status`). The server inherits the environment except `SA_*`, so
//! allocator settings such as `GLIBC_TUNABLES=glibc.malloc.mmap_threshold=1048576` can
//! be compared (see BENCHMARKS.md).
#![allow(clippy::unwrap_used, clippy::expect_used)] // a benchmark stops on a failed setup

use std::collections::BTreeMap;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::json;

const BIN: &str = env!("CARGO_BIN_EXE_secure-access");
const PASSWORD: &str = "violet harbor piano meadow";
const CHEAP: [&str; 4] = [
    "/healthz",
    "/",
    "/.well-known/openid-configuration",
    "/oidc/jwks",
];

fn env_f64(name: &str, default: f64) -> f64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// `VmHWM` (peak) or `VmRSS` (now) of a process, in KiB.
fn vm_kib(pid: u32, field: &str) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .unwrap_or_default()
        .lines()
        .find_map(|line| {
            line.strip_prefix(field)?
                .trim_start_matches(':')
                .split_whitespace()
                .next()?
                .parse()
                .ok()
        })
        .unwrap_or(0)
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = ((p * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1]
}

fn sorted(mut values: Vec<f64>) -> Vec<f64> {
    values.sort_by(f64::total_cmp);
    values
}

/// A distinct client address for request `n` (10.0.0.0/8).
fn client_ip(n: u64) -> String {
    format!("10.{}.{}.{}", (n >> 16) & 255, (n >> 8) & 255, n & 255)
}

struct Server {
    child: Child,
    base: String,
}

impl Server {
    async fn start(data_dir: &std::path::Path) -> Self {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("free port")
            .port();
        let log = std::fs::File::create(data_dir.join("server.log")).expect("log");
        let mut command = Command::new(BIN);
        for (key, _) in std::env::vars() {
            if key.starts_with("SA_") {
                command.env_remove(key);
            }
        }
        if let Ok(url) = std::env::var("SA_BENCH_DATABASE_URL") {
            command.env("SA_DATABASE_URL", url);
        }
        let child = command
            .arg("serve")
            .env("SA_DATA_DIR", data_dir)
            .env("SA_LISTEN", format!("127.0.0.1:{port}"))
            .env("SA_REQUIRE_IDENTITY_VERIFICATION", "false")
            .env("SA_TRUSTED_PROXIES", "127.0.0.1/32")
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .stdout(log.try_clone().expect("log"))
            .stderr(log)
            .spawn()
            .expect("start the server");
        let server = Self {
            child,
            base: format!("http://127.0.0.1:{port}"),
        };
        let client = reqwest::Client::new();
        for _ in 0..600 {
            if let Ok(r) = client.get(format!("{}/readyz", server.base)).send().await
                && r.status() == 200
            {
                return server;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let log = std::fs::read_to_string(data_dir.join("server.log")).unwrap_or_default();
        panic!("the server was not ready within 30 s:\n{log}");
    }

    fn pid(&self) -> u32 {
        self.child.id()
    }

    fn stop(mut self) {
        let _ = Command::new("kill")
            .args(["-TERM", &self.pid().to_string()])
            .status();
        for _ in 0..300 {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Times the cheap endpoints from its own thread and runtime until stopped.
struct Probe {
    stop: Arc<AtomicBool>,
    thread: std::thread::JoinHandle<Vec<(usize, f64, u16)>>,
}

impl Probe {
    fn start(base: &str) -> Self {
        let stop = Arc::new(AtomicBool::new(false));
        let (flag, base) = (stop.clone(), base.to_owned());
        let thread = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("probe runtime");
            runtime.block_on(async move {
                let client = reqwest::Client::builder()
                    .timeout(Duration::from_secs(30))
                    .build()
                    .expect("probe client");
                let mut samples = Vec::new();
                while !flag.load(Ordering::SeqCst) {
                    for (index, path) in CHEAP.iter().enumerate() {
                        let started = Instant::now();
                        let status = match client.get(format!("{base}{path}")).send().await {
                            Ok(r) => {
                                let status = r.status().as_u16();
                                let _ = r.bytes().await;
                                status
                            }
                            Err(_) => 0,
                        };
                        samples.push((index, started.elapsed().as_secs_f64() * 1000.0, status));
                    }
                    tokio::time::sleep(Duration::from_millis(10)).await;
                }
                samples
            })
        });
        Self { stop, thread }
    }

    fn finish(self) -> Vec<(usize, f64, u16)> {
        self.stop.store(true, Ordering::SeqCst);
        self.thread.join().expect("probe thread")
    }
}

fn report_probe(title: &str, samples: &[(usize, f64, u16)]) -> f64 {
    println!("  {title}:");
    let failed = samples.iter().filter(|(_, _, s)| *s != 200).count();
    for (index, path) in CHEAP.iter().enumerate() {
        let ms = sorted(
            samples
                .iter()
                .filter(|(i, _, _)| *i == index)
                .map(|(_, ms, _)| *ms)
                .collect(),
        );
        println!(
            "    {path:<36} n={:<5} p50 {:>6.2} ms  p99 {:>7.2} ms  max {:>7.2} ms",
            ms.len(),
            percentile(&ms, 0.5),
            percentile(&ms, 0.99),
            ms.last().copied().unwrap_or(f64::NAN)
        );
    }
    let all = sorted(samples.iter().map(|(_, ms, _)| *ms).collect());
    let p99 = percentile(&all, 0.99);
    println!(
        "    {:<36} n={:<5} p50 {:>6.2} ms  p99 {:>7.2} ms  (non-200: {failed})",
        "all four",
        all.len(),
        percentile(&all, 0.5),
        p99
    );
    p99
}

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
enum Kind {
    Api,
    Page,
}

/// One answer of the flood: kind, status (0: no answer), Retry-After present, ms, and
/// the start of the body of an error answer.
type Answer = (Kind, u16, bool, f64, String);

async fn sign_in(
    client: &reqwest::Client,
    base: &str,
    kind: Kind,
    username: &str,
    csrf: &str,
    ip: &str,
) -> Answer {
    let started = Instant::now();
    let request = match kind {
        Kind::Api => client
            .post(format!("{base}/api/v1/sessions"))
            .json(&json!({"username": username, "password": PASSWORD})),
        Kind::Page => client.post(format!("{base}/sign-in")).form(&[
            ("csrf_token", csrf),
            ("username", username),
            ("password", PASSWORD),
        ]),
    };
    match request.header("x-forwarded-for", ip).send().await {
        Ok(response) => {
            let status = response.status().as_u16();
            let retry = response
                .headers()
                .contains_key(reqwest::header::RETRY_AFTER);
            let body = response.text().await.unwrap_or_default();
            let ms = started.elapsed().as_secs_f64() * 1000.0;
            let excerpt = if status >= 400 {
                error_excerpt(&body)
            } else {
                String::new()
            };
            (kind, status, retry, ms, excerpt)
        }
        Err(error) => (
            kind,
            0,
            false,
            started.elapsed().as_secs_f64() * 1000.0,
            error.to_string(),
        ),
    }
}

/// The answers of one kind and class.
#[derive(Default)]
struct Tally {
    count: usize,
    with_retry: usize,
    ms: Vec<f64>,
    excerpt: String,
}

/// The error code of a JSON answer, or the error message of a page.
fn error_excerpt(body: &str) -> String {
    if let Ok(json) = serde_json::from_str::<serde_json::Value>(body) {
        return json["error"]["code"].as_str().unwrap_or("?").to_owned();
    }
    // The first item of the page's error summary.
    let marker = "usa-list--unstyled\">";
    body.find(marker)
        .and_then(|at| {
            let rest = &body[at + marker.len()..];
            let start = rest.find("<li>")? + 4;
            let end = rest[start..].find('<')?;
            Some(format!("page: {}", rest[start..start + end].trim()))
        })
        .unwrap_or_else(|| "(page)".to_owned())
}

fn main() {
    let factor = env_f64("SA_BENCH_OVERLOAD_FACTOR", 10.0);
    let overload_secs = env_f64("SA_BENCH_OVERLOAD_SECS", 20.0);
    let capacity_secs = env_f64("SA_BENCH_CAPACITY_SECS", 5.0);
    let clients = env_f64("SA_BENCH_CLIENTS", 16.0) as usize;
    let accounts = env_f64("SA_BENCH_ACCOUNTS", 64.0) as usize;
    let backend = if std::env::var("SA_BENCH_DATABASE_URL").is_ok() {
        "postgresql"
    } else {
        "sqlite"
    };
    let cores = std::thread::available_parallelism().map_or(2, usize::from);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let data_dir = tempfile::tempdir().expect("temp dir");

    runtime.block_on(async {
        let server = Server::start(data_dir.path()).await;
        let pid = server.pid();
        let rss_start = vm_kib(pid, "VmRSS");
        let base = server.base.clone();
        // Plain HTTP/1.1 clients, as browsers behind a proxy would arrive.
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(60))
            .pool_max_idle_per_host(1024)
            .build()
            .expect("client");
        let usernames: Vec<String> = (0..accounts).map(|i| format!("overload.person{i}")).collect();
        for (i, username) in usernames.iter().enumerate() {
            let created = client
                .post(format!("{base}/api/v1/accounts"))
                .header("x-forwarded-for", client_ip(1_000_000 + i as u64))
                .json(&json!({"username": username, "email": format!("{username}@example.test"),
                    "password": PASSWORD}))
                .send()
                .await
                .expect("sign-up");
            assert_eq!(created.status(), 201, "sign-up");
        }
        let rss_accounts = vm_kib(pid, "VmRSS");

        // 1. Capacity, closed loop.
        let next = Arc::new(std::sync::atomic::AtomicU64::new(0));
        let started = Instant::now();
        let until = started + Duration::from_secs_f64(capacity_secs);
        let mut tasks = tokio::task::JoinSet::new();
        for _ in 0..clients {
            let (client, base, next, usernames) =
                (client.clone(), base.clone(), next.clone(), usernames.clone());
            tasks.spawn(async move {
                let mut done = 0_u64;
                while Instant::now() < until {
                    let n = next.fetch_add(1, Ordering::SeqCst);
                    let username = &usernames[n as usize % usernames.len()];
                    let (_, status, _, _, _) =
                        sign_in(&client, &base, Kind::Api, username, "", &client_ip(n)).await;
                    assert_eq!(status, 200, "sign-in during the capacity run");
                    done += 1;
                }
                done
            });
        }
        let mut completed = 0;
        while let Some(done) = tasks.join_next().await {
            completed += done.expect("client");
        }
        let capacity = completed as f64 / started.elapsed().as_secs_f64();
        let hwm_after_capacity = vm_kib(pid, "VmHWM");

        // Baseline of the cheap endpoints, no load.
        let probe = Probe::start(&base);
        tokio::time::sleep(Duration::from_secs(5)).await;
        let baseline = probe.finish();

        // 2. Overload, open loop.
        let browser = reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(60))
            .pool_max_idle_per_host(1024)
            .build()
            .expect("browser");
        let form = browser
            .get(format!("{base}/sign-in"))
            .send()
            .await
            .expect("form")
            .text()
            .await
            .expect("form body");
        let marker = "name=\"csrf_token\" value=\"";
        let at = form.find(marker).expect("csrf field") + marker.len();
        let csrf = form[at..at + form[at..].find('"').expect("end")].to_owned();

        let rate = capacity * factor;
        let total = (rate * overload_secs).round() as u64;
        let answers: Arc<Mutex<Vec<Answer>>> = Arc::new(Mutex::new(Vec::with_capacity(total as usize)));
        let probe = Probe::start(&base);
        let flood_started = Instant::now();
        let mut flood = tokio::task::JoinSet::new();
        for n in 0..total {
            let due = flood_started + Duration::from_secs_f64(n as f64 / rate);
            tokio::time::sleep_until(due.into()).await;
            let kind = if n % 10 == 9 { Kind::Page } else { Kind::Api };
            let http = if kind == Kind::Page { browser.clone() } else { client.clone() };
            let (base, csrf, answers) = (base.clone(), csrf.clone(), answers.clone());
            let username = usernames[n as usize % usernames.len()].clone();
            flood.spawn(async move {
                let ip = client_ip(2_000_000 + n);
                let answer = sign_in(&http, &base, kind, &username, &csrf, &ip).await;
                answers.lock().expect("answers").push(answer);
            });
        }
        let offered_secs = flood_started.elapsed().as_secs_f64();
        let under_load = probe.finish();
        while let Some(done) = flood.join_next().await {
            done.expect("flood request");
        }
        let drained_secs = flood_started.elapsed().as_secs_f64();
        let hwm = vm_kib(pid, "VmHWM");
        let rss_end = vm_kib(pid, "VmRSS");
        let answers = answers.lock().expect("answers").clone();

        println!(
            "overload benchmark ({backend}, {cores} cores, release server as a child process)"
        );
        for (key, value) in std::env::vars() {
            if key == "GLIBC_TUNABLES" || key.starts_with("MALLOC_") {
                println!("  (the server inherited {key}={value})");
            }
        }
        println!(
            "  capacity: {capacity:.1} sign-ins/s (POST /api/v1/sessions, {clients} closed-loop clients, {completed} in {capacity_secs} s)"
        );
        println!(
            "  offered:  {} requests in {offered_secs:.1} s = {:.0}/s ({factor}x), open loop; all answered after {drained_secs:.1} s",
            answers.len(),
            answers.len() as f64 / offered_secs
        );
        let mut table: BTreeMap<(Kind, String), Tally> = BTreeMap::new();
        for (kind, status, retry, ms, excerpt) in &answers {
            let class = match status {
                0 => "no answer".to_owned(),
                200..=399 => "2xx/3xx".to_owned(),
                429 | 503 => status.to_string(),
                other => format!("other {other}"),
            };
            let entry = table.entry((*kind, class)).or_default();
            entry.count += 1;
            if *retry {
                entry.with_retry += 1;
            }
            entry.ms.push(*ms);
            if entry.excerpt.is_empty() {
                entry.excerpt.clone_from(excerpt);
            }
        }
        for ((kind, class), tally) in table {
            let Tally {
                count,
                with_retry,
                ms,
                excerpt,
            } = tally;
            let ms = sorted(ms);
            let of_kind = answers.iter().filter(|a| a.0 == kind).count();
            println!(
                "    {kind:?} {class:<9} {count:>6} ({:>5.1}%)  with Retry-After {with_retry:>6}  latency p50 {:>7.1} ms p99 {:>7.1} ms  {excerpt}",
                100.0 * count as f64 / of_kind as f64,
                percentile(&ms, 0.5),
                percentile(&ms, 0.99)
            );
        }
        let succeeded = answers.iter().filter(|a| (200..400).contains(&a.1)).count();
        println!(
            "  goodput during the flood: {:.1} sign-ins/s ({succeeded} succeeded)",
            succeeded as f64 / drained_secs
        );
        println!(
            "  server memory: VmRSS {} MiB at start, {} MiB after {accounts} sign-ups; VmHWM {} MiB after the capacity run, peak VmHWM {} MiB after the flood (VmRSS {} MiB at the end)",
            rss_start / 1024,
            rss_accounts / 1024,
            hwm_after_capacity / 1024,
            hwm / 1024,
            rss_end / 1024
        );
        report_probe("cheap endpoints, no load (baseline)", &baseline);
        let p99 = report_probe("cheap endpoints during the flood", &under_load);
        println!(
            "  target p99 < 50 ms for the cheap endpoints: {}",
            if p99 < 50.0 { "met" } else { "NOT met" }
        );
        server.stop();
    });
}
