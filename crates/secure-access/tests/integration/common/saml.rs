//! An independent SAML service provider for the tests: `tests/saml/sp.py`, built on
//! pysaml2, which checks our signatures with the xmlsec1 program. Outside CI, a machine
//! without pysaml2 or xmlsec1 skips the SAML tests with a notice; in CI (`CI` set) a
//! missing tool fails them.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use base64::Engine;
use base64::engine::general_purpose::STANDARD;

use serde_json::Value;

use super::oidc::OidcEnv;
use super::pages::between;
use super::{TestServer, cli};

/// Where the SP says its AssertionConsumerService is (the test carries the form).
pub const ACS: &str = "https://sp.example.test/acs";

fn script() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/saml/sp.py")
}

/// Whether pysaml2 and xmlsec1 are here; panics in CI when they are not.
pub fn available() -> bool {
    let pysaml2 = Command::new("python3")
        .args(["-c", "import saml2"])
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    let xmlsec1 = Path::new("/usr/bin/xmlsec1").exists();
    if pysaml2 && xmlsec1 {
        return true;
    }
    let ci = std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false");
    assert!(
        !ci,
        "SAML tests must run in CI: install xmlsec1 (apt) and tests/saml/requirements.txt (pip)"
    );
    eprintln!("skipping SAML tests: pysaml2 or /usr/bin/xmlsec1 is missing");
    false
}

/// One service provider: its key, metadata and outstanding requests in a directory.
pub struct ServiceProvider {
    pub entity_id: String,
    state: tempfile::TempDir,
}

/// What the form page of ours posts to the service provider.
#[derive(Debug, Clone)]
pub struct Posted {
    pub action: String,
    pub saml_response: String,
    pub relay_state: Option<String>,
}

impl ServiceProvider {
    pub fn new(entity_id: &str, sign_requests: bool) -> Self {
        let state = tempfile::tempdir().expect("sp state");
        let sp = Self {
            entity_id: entity_id.to_owned(),
            state,
        };
        let dir = sp.dir();
        let mut args = vec![
            "setup",
            "--state",
            &dir,
            "--entity-id",
            entity_id,
            "--acs",
            ACS,
        ];
        if sign_requests {
            args.push("--sign-requests");
        }
        let (ok, _, stderr) = sp.run(&args, None);
        assert!(ok, "sp setup: {stderr}");
        sp
    }

    fn dir(&self) -> String {
        self.state.path().display().to_string()
    }

    pub fn metadata_file(&self) -> String {
        self.state.path().join("sp.xml").display().to_string()
    }

    fn run(&self, args: &[&str], stdin: Option<&str>) -> (bool, String, String) {
        let mut child = Command::new("python3")
            .arg(script())
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("run sp.py");
        if let Some(input) = stdin {
            use std::io::Write;
            child
                .stdin
                .take()
                .expect("stdin")
                .write_all(input.as_bytes())
                .expect("write stdin");
        }
        let output = child.wait_with_output().expect("sp.py output");
        (
            output.status.success(),
            String::from_utf8_lossy(&output.stdout).into_owned(),
            String::from_utf8_lossy(&output.stderr).into_owned(),
        )
    }

    /// Read our metadata as the SP would (from the URL we publish).
    pub async fn trust(&self, server: &TestServer) {
        let response = reqwest::get(server.url("/saml/metadata"))
            .await
            .expect("metadata");
        assert_eq!(response.status().as_u16(), 200);
        assert_eq!(
            response.headers()["content-type"],
            "application/samlmetadata+xml"
        );
        let xml = response.text().await.expect("metadata body");
        std::fs::write(self.state.path().join("idp.xml"), xml).expect("idp.xml");
    }

    /// A new AuthnRequest: the SP's JSON answer (`url`, or `action` and fields).
    pub fn login(&self, server: &TestServer, extra: &[&str]) -> Value {
        let now = server.clock_now().unix_timestamp().to_string();
        let dir = self.dir();
        let mut args = vec!["login", "--state", &dir, "--now", &now];
        args.extend_from_slice(extra);
        let (ok, stdout, stderr) = self.run(&args, None);
        assert!(ok, "sp login: {stderr}");
        serde_json::from_str(&stdout).expect("login JSON")
    }

    /// Hand the posted Response to the SP: `Ok(what it read)` or `Err(why it refused)`.
    pub fn consume(&self, server: &TestServer, posted: &Posted) -> Result<Value, String> {
        let now = server.clock_now().unix_timestamp().to_string();
        let dir = self.dir();
        let input = serde_json::json!({
            "SAMLResponse": posted.saml_response,
            "RelayState": posted.relay_state,
        })
        .to_string();
        let (ok, stdout, stderr) = self.run(&["acs", "--state", &dir, "--now", &now], Some(&input));
        if ok {
            Ok(serde_json::from_str(&stdout).expect("acs JSON"))
        } else {
            Err(stderr)
        }
    }
}

impl Posted {
    /// The Response's XML.
    pub fn xml(&self) -> String {
        decoded(&self.saml_response)
    }
}

/// Base64 text as the UTF-8 it encodes (a `SAMLRequest` or a `SAMLResponse`).
pub fn decoded(base64_text: &str) -> String {
    String::from_utf8(STANDARD.decode(base64_text).expect("base64")).expect("UTF-8")
}

/// A redirect URL for an AuthnRequest we write ourselves (to send what no SP library
/// would: hostile or broken requests, or none at all).
pub fn crafted(server: &TestServer, xml: &str) -> String {
    let mut encoder =
        flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(xml.as_bytes()).expect("deflate");
    let encoded = STANDARD.encode(encoder.finish().expect("deflate"));
    let encoded = sa_domain::oidc::authorize::urlencode(&encoded);
    server.url(&format!("/saml/sso?SAMLRequest={encoded}"))
}

/// A plain AuthnRequest from `issuer`, answered at `acs`, issued now by the server's clock.
pub fn request_xml(server: &TestServer, id: &str, issuer: &str, acs: &str) -> String {
    let now = server
        .clock_now()
        .format(&time::format_description::well_known::Rfc3339)
        .expect("time");
    format!(
        r#"<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="{id}" Version="2.0" IssueInstant="{now}" AssertionConsumerServiceURL="{acs}"><saml:Issuer>{issuer}</saml:Issuer></samlp:AuthnRequest>"#
    )
}

/// A service provider's metadata: one HTTP-POST consumer, no keys (it does not sign).
pub fn sp_metadata(entity_id: &str, acs: &str) -> String {
    format!(
        r#"<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="{entity_id}"><md:SPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol" WantAssertionsSigned="true"><md:AssertionConsumerService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="{acs}" index="0"/></md:SPSSODescriptor></md:EntityDescriptor>"#
    )
}

/// The entity id of the service provider most SAML tests register.
pub const SP_ENTITY: &str = "https://sp.example.test/saml";

/// Register `sp` at the console with `extra` flags; its client id is its entity id.
pub async fn register(env: &OidcEnv, sp: &ServiceProvider, extra: &[&str]) {
    let file = sp.metadata_file();
    let mut args = vec![
        "apps",
        "add",
        "--name",
        "Transcripts (SAML)",
        "--saml-metadata",
        &file,
        "--scopes",
        "openid email profile",
    ];
    args.extend_from_slice(extra);
    let (ok, stdout, stderr) = cli(&env.server, &args).await;
    assert!(ok, "apps add --saml-metadata: {stderr}");
    assert!(
        stdout.contains(&format!("client_id: {}", sp.entity_id)),
        "{stdout}"
    );
    sp.trust(&env.server).await;
}

/// Follow the browser from the SP's redirect URL to our form page, agreeing on the
/// consent page if it appears; returns what the form posts.
pub async fn through_pages(env: &OidcEnv, url: &str) -> Posted {
    let response = env.get(url).await;
    assert_eq!(response.status().as_u16(), 200, "{url}");
    let csp = response.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    let page = response.text().await.unwrap();
    let page = if page.contains("Share your information with") {
        assert!(page.contains("Transcripts (SAML)"));
        let (status, answer) = env.answer_consent(&page, "allow").await;
        assert_eq!(status, 200);
        answer
    } else {
        assert!(
            csp.contains(&format!("form-action 'self' {ACS}")),
            "the page may post to the consumer only: {csp}"
        );
        page
    };
    assert!(
        !page.contains("<script>"),
        "no inline script on the form page"
    );
    posted_form(&page)
}

/// The form our last page posts to the service provider.
pub fn posted_form(page: &str) -> Posted {
    assert!(
        page.contains("id=\"continue\""),
        "no Continue button: {page}"
    );
    let relay_state = page
        .contains("name=\"RelayState\"")
        .then(|| unescape(between(page, "name=\"RelayState\" value=\"", "\"")));
    Posted {
        action: unescape(between(
            page,
            "<form id=\"saml-post\" method=\"post\" action=\"",
            "\"",
        )),
        saml_response: unescape(between(page, "name=\"SAMLResponse\" value=\"", "\"")),
        relay_state,
    }
}

/// Undo HTML escaping in an attribute value (named and numeric references), as a
/// browser does before it submits the form.
fn unescape(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(start) = rest.find('&') {
        out.push_str(&rest[..start]);
        let tail = &rest[start..];
        let Some(end) = tail.find(';') else {
            out.push_str(tail);
            return out;
        };
        let entity = &tail[1..end];
        let decoded = match entity {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            _ => entity
                .strip_prefix("#x")
                .or_else(|| entity.strip_prefix("#X"))
                .and_then(|hex| u32::from_str_radix(hex, 16).ok())
                .or_else(|| entity.strip_prefix('#').and_then(|d| d.parse().ok()))
                .and_then(char::from_u32),
        };
        match decoded {
            Some(c) => out.push(c),
            None => out.push_str(&tail[..=end]),
        }
        rest = &tail[end + 1..];
    }
    out.push_str(rest);
    out
}
