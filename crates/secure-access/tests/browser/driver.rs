//! The browser side: headless Chromium driven over WebDriver (`thirtyfour`) through a
//! chromedriver each test starts on a free port and kills when it ends.
//!
//! ```text
//!  test ──► Browser ──HTTP──► chromedriver (child process) ──► chromium --headless=new
//!             │                                                    │
//!             ├─ page(name): screenshot to target/browser-artifacts/<journey>/<nn>-<name>.png
//!             │              and axe-core (tests/a11y) run on the page
//!             └─ finish():   quit, then fail if axe found a serious or critical problem
//! ```
//!
//! Finding the tools: `SA_CHROMEDRIVER` (default `/usr/bin/chromedriver`), `SA_CHROMIUM`
//! (default `/usr/bin/chromium`) and `tests/a11y/node_modules/axe-core/axe.min.js`
//! (`npm ci --prefix tests/a11y`). When one is missing the tests print a notice and pass,
//! except in CI (`CI` set), where a missing tool fails them.
//!
//! JavaScript off is a Chrome preference (`profile.managed_default_content_settings.
//! javascript = 2`): it stops the page's own scripts, while the driver's scripts (axe,
//! reading the focused element) still run through DevTools.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tempfile::TempDir;
use thirtyfour::prelude::*;

/// Whether the browser runs the pages' JavaScript.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Js {
    On,
    Off,
}

impl Js {
    fn suffix(self) -> &'static str {
        match self {
            Js::On => "js",
            Js::Off => "no-js",
        }
    }
}

/// Where the browser, its driver and axe-core are.
#[derive(Clone, Debug)]
pub struct Tools {
    chromedriver: PathBuf,
    chromium: PathBuf,
    axe: PathBuf,
}

/// The repository root (two levels above this crate).
fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Where screenshots and the accessibility notes go.
pub fn artifacts_root() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo_root().join("target"));
    target.join("browser-artifacts")
}

/// The tools, or `None` (with a notice) when one is missing outside CI.
pub fn tools() -> Option<Tools> {
    let from_env = |name: &str, default: &str| {
        std::env::var_os(name)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from(default))
    };
    let tools = Tools {
        chromedriver: from_env("SA_CHROMEDRIVER", "/usr/bin/chromedriver"),
        chromium: from_env("SA_CHROMIUM", "/usr/bin/chromium"),
        axe: repo_root().join("tests/a11y/node_modules/axe-core/axe.min.js"),
    };
    let missing: Vec<String> = [
        (
            &tools.chromedriver,
            "apt-get install chromium-driver, or set SA_CHROMEDRIVER",
        ),
        (
            &tools.chromium,
            "apt-get install chromium, or set SA_CHROMIUM",
        ),
        (&tools.axe, "npm ci --prefix tests/a11y"),
    ]
    .into_iter()
    .filter(|(path, _)| !path.is_file())
    .map(|(path, fix)| format!("{} ({fix})", path.display()))
    .collect();
    if missing.is_empty() {
        return Some(tools);
    }
    let ci = std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false");
    assert!(
        !ci,
        "browser tests must run in CI; missing: {}",
        missing.join(", ")
    );
    eprintln!("browser tests skipped: missing {}", missing.join(", "));
    None
}

/// A chromedriver child process on a free port, killed on drop.
struct Chromedriver {
    child: Child,
    url: String,
}

impl Chromedriver {
    async fn start(path: &Path) -> Self {
        let http = reqwest::Client::new();
        for _ in 0..5 {
            let port = std::net::TcpListener::bind("127.0.0.1:0")
                .and_then(|l| l.local_addr())
                .expect("a free port")
                .port();
            let child = Command::new(path)
                .arg(format!("--port={port}"))
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .unwrap_or_else(|e| panic!("cannot start {}: {e}", path.display()));
            let mut driver = Self {
                child,
                url: format!("http://127.0.0.1:{port}"),
            };
            let deadline = Instant::now() + Duration::from_secs(10);
            while Instant::now() < deadline {
                if let Ok(Some(_)) = driver.child.try_wait() {
                    break; // exited: most likely the port was taken meanwhile
                }
                let ready = http.get(format!("{}/status", driver.url)).send().await;
                if let Ok(answer) = ready
                    && answer.status().is_success()
                {
                    return driver;
                }
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            driver.kill();
        }
        panic!("chromedriver did not start");
    }

    fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Chromedriver {
    fn drop(&mut self) {
        self.kill();
    }
}

/// Timers, animation frames and idle callbacks run as promise jobs (JavaScript off).
const TIMERS_AS_PROMISE_JOBS: &str = r#"
  const later = (fn, args) => { Promise.resolve().then(() => fn(...args)); return 1; };
  window.setTimeout = (fn, _ms, ...args) => later(fn, args);
  window.clearTimeout = () => {};
  window.requestAnimationFrame = (fn) => later(fn, [performance.now()]);
  window.cancelAnimationFrame = () => {};
  window.requestIdleCallback = (fn) => later(fn, [{ didTimeout: false, timeRemaining: () => 50 }]);
  window.cancelIdleCallback = () => {};
"#;

/// What the focused element is, for keyboard tests.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Focused {
    pub tag: String,
    pub id: String,
    pub text: String,
    pub href: String,
}

impl Focused {
    /// For a link within the page, the id it points to.
    pub fn href_fragment(&self) -> Option<&str> {
        self.href.strip_prefix('#')
    }
}

impl std::fmt::Display for Focused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "<{}", self.tag)?;
        if !self.id.is_empty() {
            write!(f, " #{}", self.id)?;
        }
        if !self.text.is_empty() {
            write!(f, " \"{}\"", self.text)?;
        }
        write!(f, ">")
    }
}

/// Says where a journey's screenshots are when the journey ends, passed or failed.
/// Written to the process's stderr, past the test harness's capture.
struct ArtifactsNote {
    journey: String,
    dir: PathBuf,
}

impl Drop for ArtifactsNote {
    fn drop(&mut self) {
        let dir = self.dir.canonicalize().unwrap_or(self.dir.clone());
        let _ = writeln!(
            std::io::stderr(),
            "[{}] screenshots in {}",
            self.journey,
            dir.display()
        );
    }
}

/// One browser window on the test server, recording every page it shows.
pub struct Browser {
    // Field order is drop order: the session ends before its chromedriver is killed.
    pub driver: WebDriver,
    pub base: String,
    pub js: Js,
    journey: String,
    dir: PathBuf,
    shots: usize,
    axe_source: String,
    /// Serious or critical axe findings, one line each.
    problems: Vec<String>,
    /// Moderate and minor findings, written to `a11y.txt` (not failures).
    notes: Vec<String>,
    _profile: TempDir,
    _chromedriver: Chromedriver,
    _note: ArtifactsNote,
}

impl Browser {
    /// Start Chromium for `journey` (its artifacts go in `<journey>-js` or `-no-js`).
    pub async fn start(tools: &Tools, base: &str, journey: &str, js: Js) -> Self {
        let chromedriver = Chromedriver::start(&tools.chromedriver).await;
        let profile = tempfile::tempdir().expect("profile dir");
        let mut caps = DesiredCapabilities::chrome();
        caps.set_binary(&tools.chromium.to_string_lossy())
            .expect("binary");
        for arg in [
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--window-size=1280,900",
            "--disable-dev-shm-usage",
            // The machine's network is closed: no background calls to Google.
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-quic",
            "--no-first-run",
            "--no-default-browser-check",
            "--disable-features=Translate,OptimizationHints,MediaRouter,PasswordLeakDetection",
        ] {
            caps.add_arg(arg).expect("arg");
        }
        caps.add_arg(&format!("--user-data-dir={}", profile.path().display()))
            .expect("arg");
        let mut prefs = json!({
            "credentials_enable_service": false,
            "profile.password_manager_enabled": false,
            "profile.password_manager_leak_detection": false,
        });
        if js == Js::Off {
            prefs["profile.managed_default_content_settings.javascript"] = json!(2);
        }
        caps.add_experimental_option("prefs", prefs).expect("prefs");
        let driver = WebDriver::new(chromedriver.url.clone(), caps)
            .await
            .expect("a Chromium session");
        driver
            .set_page_load_timeout(Duration::from_secs(20))
            .await
            .expect("timeouts");
        driver
            .set_script_timeout(Duration::from_secs(30))
            .await
            .expect("timeouts");
        let journey = format!("{journey}-{}", js.suffix());
        let dir = artifacts_root().join(&journey);
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("artifacts dir");
        let axe_source = std::fs::read_to_string(&tools.axe).expect("axe.min.js");
        let note = ArtifactsNote {
            journey: journey.clone(),
            dir: dir.clone(),
        };
        let browser = Self {
            driver,
            base: base.to_owned(),
            js,
            journey,
            dir,
            shots: 0,
            axe_source,
            problems: Vec::new(),
            notes: Vec::new(),
            _profile: profile,
            _chromedriver: chromedriver,
            _note: note,
        };
        browser.check_javascript_setting().await;
        browser
    }

    /// The page's own scripts run only when `js` is `On` (checked on a data: page).
    async fn check_javascript_setting(&self) {
        self.driver
            .goto("data:text/html,<title>before</title><script>document.title='ran'</script>")
            .await
            .expect("data page");
        let title = self.driver.title().await.expect("title");
        let ran = title == "ran";
        assert_eq!(
            ran,
            self.js == Js::On,
            "page scripts ran: {ran}, expected JavaScript {:?}",
            self.js
        );
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Open a path of the test server (or a full URL).
    pub async fn goto(&self, path_or_url: &str) {
        let url = if path_or_url.contains(':') {
            path_or_url.to_owned()
        } else {
            self.url(path_or_url)
        };
        self.driver.goto(url).await.expect("navigation");
    }

    /// The current URL.
    pub async fn current_url(&self) -> String {
        self.driver
            .current_url()
            .await
            .expect("current url")
            .to_string()
    }

    /// The current path and query on the test server.
    pub async fn path(&self) -> String {
        let url = self.current_url().await;
        url.strip_prefix(&self.base).unwrap_or(&url).to_owned()
    }

    /// Wait (bounded) until the browser shows `expected` (path and query; a trailing `*`
    /// matches any rest), then record the page as `name`.
    pub async fn arrive(&mut self, expected: &str, name: &str) {
        let matches = |path: &str| match expected.strip_suffix('*') {
            Some(prefix) => path.starts_with(prefix),
            None => path == expected,
        };
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let path = self.path().await;
            if matches(&path) && self.ready().await {
                break;
            }
            if Instant::now() > deadline {
                self.screenshot("unexpected").await;
                let text = self.text().await;
                panic!(
                    "[{}] expected {expected}, the browser shows {path}:\n{text}",
                    self.journey
                );
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        self.page(name).await;
    }

    async fn ready(&self) -> bool {
        self.driver
            .execute("return document.readyState", Vec::new())
            .await
            .ok()
            .and_then(|r| r.json().as_str().map(|s| s == "complete"))
            .unwrap_or(false)
    }

    /// Record the page on screen: a numbered screenshot, then axe-core's findings.
    pub async fn page(&mut self, name: &str) {
        self.shots += 1;
        let file = self.dir.join(format!("{:02}-{name}.png", self.shots));
        self.driver.screenshot(&file).await.expect("screenshot");
        self.axe(name).await;
    }

    /// Record a page that is not ours (the relying app): a screenshot only.
    pub async fn screenshot(&mut self, name: &str) {
        self.shots += 1;
        let file = self.dir.join(format!("{:02}-{name}.png", self.shots));
        self.driver.screenshot(&file).await.expect("screenshot");
    }

    /// Inject axe-core and run it on the whole page; keep serious and critical findings
    /// as problems, the rest as notes.
    async fn axe(&mut self, name: &str) {
        // With JavaScript off the page's task queues never run (a timer, a frame or an
        // idle callback stays pending forever), only promise jobs do; axe-core waits on
        // timers, so they become promise jobs. No page script exists to notice.
        let shim = match self.js {
            Js::On => "",
            Js::Off => TIMERS_AS_PROMISE_JOBS,
        };
        let loaded = self
            .driver
            .execute(
                format!(
                    "if (!window.axe) {{ {shim}\n{} }}\nreturn typeof window.axe;",
                    self.axe_source
                ),
                Vec::new(),
            )
            .await
            .expect("inject axe-core");
        assert_eq!(loaded.json(), &json!("object"), "axe-core loaded");
        // Preloading fetches the style sheets, which never completes with JavaScript
        // off (network callbacks are tasks too); only css-orientation-lock needs it.
        let preload = self.js == Js::On;
        let answer = self
            .driver
            .execute_async(
                r#"
                const done = arguments[arguments.length - 1];
                window.axe
                  .run(document, { resultTypes: ["violations"], preload: arguments[0] })
                  .then((r) => done({ violations: r.violations.map((v) => ({
                      id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
                      targets: v.nodes.map((n) => n.target.join(" ")),
                  })) }))
                  .catch((e) => done({ error: String(e) }));
                "#,
                vec![json!(preload)],
            )
            .await
            .expect("axe.run");
        let answer = answer.json();
        if let Some(error) = answer.get("error") {
            panic!("[{}] axe.run failed on {name}: {error}", self.journey);
        }
        let path = self.path().await;
        for violation in answer["violations"].as_array().into_iter().flatten() {
            let impact = violation["impact"].as_str().unwrap_or("unknown");
            let targets: Vec<&str> = violation["targets"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .collect();
            let line = format!(
                "[{}] {:02}-{name} ({path}): {impact} {}: {} ({}) at {}",
                self.journey,
                self.shots,
                violation["id"].as_str().unwrap_or("?"),
                violation["help"].as_str().unwrap_or(""),
                violation["helpUrl"].as_str().unwrap_or(""),
                targets.join(", ")
            );
            if matches!(impact, "serious" | "critical") {
                self.problems.push(line);
            } else {
                self.notes.push(line);
            }
        }
    }

    /// Take the serious and critical findings so far (they no longer fail `finish`).
    pub fn take_problems(&mut self) -> Vec<String> {
        std::mem::take(&mut self.problems)
    }

    /// The visible text of the page.
    pub async fn text(&self) -> String {
        match self.driver.find(By::Tag("body")).await {
            Ok(body) => body.text().await.unwrap_or_default(),
            Err(_) => String::new(),
        }
    }

    /// Assert the page says `expected`.
    pub async fn says(&self, expected: &str) {
        let text = self.text().await;
        assert!(
            text.contains(expected),
            "[{}] the page does not say {expected:?}:\n{text}",
            self.journey
        );
    }

    /// Wait (bounded) until the page says `expected` (text that scripts fill in).
    pub async fn comes_to_say(&self, expected: &str) {
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if self.text().await.contains(expected) {
                return;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        self.says(expected).await;
    }

    /// Type into the field with this id (emptied first).
    pub async fn fill(&self, id: &str, text: &str) {
        let field = self
            .driver
            .find(By::Id(id))
            .await
            .unwrap_or_else(|_| panic!("[{}] no field #{id}", self.journey));
        field.clear().await.expect("clear");
        field.send_keys(text).await.expect("type");
    }

    /// Choose the option with this value in the select with this id.
    pub async fn choose(&self, id: &str, value: &str) {
        let option = self
            .driver
            .find(By::Css(format!("#{id} option[value='{value}']")))
            .await
            .unwrap_or_else(|_| panic!("[{}] no option {value} in #{id}", self.journey));
        option.click().await.expect("choose");
    }

    /// Click the button with this text (the first one, in page order).
    pub async fn press(&self, label: &str) {
        let button = self
            .driver
            .find(By::XPath(format!(
                "//button[normalize-space()=\"{label}\"] | //input[@type='submit' and @value=\"{label}\"]"
            )))
            .await
            .unwrap_or_else(|_| panic!("[{}] no button {label:?}", self.journey));
        button.click().await.expect("click");
    }

    /// Press the button with this text in the form holding the field with this id.
    pub async fn press_in_form_with(&self, field_id: &str, label: &str) {
        let button = self
            .driver
            .find(By::XPath(format!(
                "//form[.//*[@id=\"{field_id}\"]]//button[normalize-space()=\"{label}\"]"
            )))
            .await
            .unwrap_or_else(|_| panic!("[{}] no button {label:?} by #{field_id}", self.journey));
        button.click().await.expect("click");
    }

    /// Follow the link with this text.
    pub async fn follow(&self, label: &str) {
        let link = self
            .driver
            .find(By::LinkText(label))
            .await
            .unwrap_or_else(|_| panic!("[{}] no link {label:?}", self.journey));
        link.click().await.expect("click");
    }

    /// The text of the first element matching a CSS selector.
    pub async fn text_of(&self, css: &str) -> String {
        self.driver
            .find(By::Css(css))
            .await
            .unwrap_or_else(|_| panic!("[{}] nothing matches {css}", self.journey))
            .text()
            .await
            .expect("text")
    }

    // Keyboard: key events go to whatever has focus, as they do for a person.

    /// Press Tab once.
    pub async fn tab(&self) {
        self.keys(Key::Tab).await;
    }

    /// Press Enter once.
    pub async fn enter(&self) {
        self.keys(Key::Enter).await;
    }

    /// Type text into whatever has focus.
    pub async fn type_text(&self, text: &str) {
        self.keys(text).await;
    }

    async fn keys(&self, keys: impl Into<TypingData>) {
        self.driver
            .action_chain()
            .send_keys(keys)
            .perform()
            .await
            .expect("key events");
    }

    /// The focused element.
    pub async fn focused(&self) -> Focused {
        let answer = self
            .driver
            .execute(
                r#"const el = document.activeElement;
                   if (!el) return { tag: "", id: "", text: "", href: "" };
                   return { tag: el.tagName.toLowerCase(), id: el.id || "",
                            text: (el.innerText || el.value || "").trim().slice(0, 60),
                            href: el.getAttribute("href") || "" };"#,
                Vec::new(),
            )
            .await
            .expect("active element");
        let field = |name: &str| answer.json()[name].as_str().unwrap_or("").to_owned();
        Focused {
            tag: field("tag"),
            id: field("id"),
            text: field("text"),
            href: field("href"),
        }
    }

    /// Press Tab until the focused element satisfies `wanted` (at most `limit` times);
    /// returns every element focused on the way, the wanted one last.
    pub async fn tab_until(
        &self,
        what: &str,
        limit: usize,
        wanted: impl Fn(&Focused) -> bool,
    ) -> Vec<Focused> {
        let mut order = Vec::new();
        for _ in 0..limit {
            self.tab().await;
            let focused = self.focused().await;
            order.push(focused.clone());
            if wanted(&focused) {
                return order;
            }
        }
        let seen: Vec<String> = order.iter().map(ToString::to_string).collect();
        panic!(
            "[{}] Tab never reached {what} in {limit} presses; focus went: {}",
            self.journey,
            seen.join(" → ")
        );
    }

    /// Tab to the field with this id (asserting how focus got there), then type into it.
    pub async fn tab_to_field_and_type(&self, id: &str, text: &str) -> Vec<Focused> {
        let order = self.tab_until(&format!("#{id}"), 25, |f| f.id == id).await;
        self.type_text(text).await;
        order
    }

    /// Tab to the button with this text and press Enter on it.
    pub async fn tab_to_button_and_enter(&self, label: &str) -> Vec<Focused> {
        let order = self
            .tab_until(&format!("the {label:?} button"), 25, |f| {
                f.tag == "button" && f.text == label
            })
            .await;
        self.enter().await;
        order
    }

    /// What the browser's console said (errors, CSP refusals), oldest first.
    pub async fn console(&self) -> Vec<String> {
        self.driver
            .get_log("browser")
            .await
            .map(|entries| {
                entries
                    .into_iter()
                    .map(|e| format!("{}: {}", e.level, e.message.trim()))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Run a script on the page and return its value.
    pub async fn script(&self, script: &str) -> Value {
        self.driver
            .execute(script, Vec::new())
            .await
            .expect("script")
            .json()
            .clone()
    }

    /// End the session, write the accessibility notes, and fail on any serious or
    /// critical accessibility problem found on the way.
    pub async fn finish(self) {
        let Self {
            driver,
            journey,
            dir,
            problems,
            notes,
            ..
        } = self;
        driver.quit().await.expect("quit");
        let mut report = String::new();
        for line in problems.iter().chain(notes.iter()) {
            report.push_str(line);
            report.push('\n');
        }
        std::fs::write(dir.join("a11y.txt"), report).expect("a11y notes");
        assert!(
            problems.is_empty(),
            "[{journey}] serious or critical accessibility problems:\n{}",
            problems.join("\n")
        );
    }
}
