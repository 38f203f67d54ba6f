//! Metadata both ways, on SQLite and PostgreSQL: service providers registered from
//! theirs (the console and `[[apps]]`, and what is refused), and ours across a signing
//! key rotation (the next certificate is published before it signs).

use crate::common::oidc::*;
use crate::common::pages::between;
use crate::common::saml::{
    ACS, Posted, SP_ENTITY, ServiceProvider, available, register, sp_metadata, through_pages,
};
use crate::common::*;
use crate::on_both_databases;

/// The certificates `/saml/metadata` publishes, base64.
async fn published_certificates(env: &OidcEnv) -> Vec<String> {
    let xml = env.get_text("/saml/metadata").await;
    xml.split("<ds:X509Certificate>")
        .skip(1)
        .map(|part| part[..part.find('<').unwrap()].to_owned())
        .collect()
}

/// The certificate in the Response's own signature (which key signed it).
fn signing_certificate(posted: &Posted) -> String {
    let xml = posted.xml();
    between(&xml, "<ds:X509Certificate>", "<").to_owned()
}

async fn rotation_publishes_the_next_certificate_first(backend: Backend) {
    if !available() {
        return;
    }
    let env = OidcEnv::start(backend).await;
    let sp = ServiceProvider::new(SP_ENTITY, false);
    register(&env, &sp, &[]).await;
    let before = published_certificates(&env).await;
    assert_eq!(before.len(), 1);

    // What `keys rotate-signing` does by default, on the server's clock (the binary
    // would use the machine's).
    let provider = env.server.running().oidc.clone();
    let rotated = provider
        .rotate_signing_keys(time::Duration::hours(48))
        .await
        .expect("rotate");
    assert_eq!(
        rotated.activates_at,
        env.server.clock_now() + time::Duration::hours(48)
    );
    let during = published_certificates(&env).await;
    assert_eq!(during.len(), 2, "the next certificate is published at once");
    assert_eq!(during[0], before[0]);

    // Until the switch, the old key signs: an SP that has not read the metadata again
    // (it still trusts only the old certificate) keeps working.
    let login = sp.login(&env.server, &[]);
    let posted = through_pages(&env, login["url"].as_str().unwrap()).await;
    assert_eq!(signing_certificate(&posted), before[0]);
    sp.consume(&env.server, &posted)
        .expect("old key, old metadata");

    // The SP reads the metadata hourly; two days later the next key signs.
    sp.trust(&env.server).await;
    env.server.clock.advance(time::Duration::hours(48));
    env.sign_in_browser().await;
    let login = sp.login(&env.server, &[]);
    let posted = through_pages(&env, login["url"].as_str().unwrap()).await;
    assert_eq!(signing_certificate(&posted), during[1]);
    sp.consume(&env.server, &posted)
        .expect("new key, metadata read since");

    // Once what the old key signed has expired, only the new certificate is published.
    env.server.clock.advance(time::Duration::hours(2));
    assert_eq!(published_certificates(&env).await, [during[1].clone()]);
    env.finish().await;
}

async fn registration_from_metadata_names_problems(backend: Backend) {
    // An `[[apps]]` entry with the metadata inline and no client id.
    let server = TestServer::start_with(backend, |config| {
        config.apps = vec![secure_access::config::AppConfig {
            name: "Balance due (SAML)".to_owned(),
            scopes: vec!["openid".to_owned(), "email".to_owned()],
            saml_metadata: Some(sp_metadata(
                "https://configured.example.test/sp",
                "https://configured.example.test/acs",
            )),
            ..secure_access::config::AppConfig::default()
        }];
    })
    .await;
    let (ok, shown, stderr) = cli(
        &server,
        &["apps", "show", "https://configured.example.test/sp"],
    )
    .await;
    assert!(ok, "{stderr}");
    assert!(
        shown.contains("redirect_uris: https://configured.example.test/acs"),
        "{shown}"
    );
    assert!(shown.contains("wants signed assertions: true"), "{shown}");

    let dir = tempfile::tempdir().unwrap();
    let file = |name: &str, text: &str| {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        path.display().to_string()
    };
    let cases = [
        (file("not-saml.xml", "<x/>"), "not SAML 2.0 metadata"),
        (
            file(
                "plain-http.xml",
                &sp_metadata("https://sp.example.test/a", "http://sp.example.test/acs"),
            ),
            "must be an absolute https://",
        ),
        (
            file(
                "dtd.xml",
                &format!(
                    "<!DOCTYPE x>{}",
                    sp_metadata("https://sp.example.test/b", ACS)
                ),
            ),
            "DTD",
        ),
        (
            dir.path().join("missing.xml").display().to_string(),
            "cannot read the SAML metadata file",
        ),
    ];
    for (path, names) in cases {
        let (ok, _, stderr) = cli(
            &server,
            &["apps", "add", "--name", "SP", "--saml-metadata", &path],
        )
        .await;
        assert!(!ok, "{path} was accepted");
        assert!(stderr.contains(names), "expected {names:?} in {stderr}");
    }
    let good = file("good.xml", &sp_metadata("https://sp.example.test/c", ACS));
    let (ok, _, stderr) = cli(
        &server,
        &[
            "apps",
            "add",
            "--name",
            "SP",
            "--saml-metadata",
            &good,
            "--redirect-uri",
            ACS,
        ],
    )
    .await;
    assert!(!ok && stderr.contains("cannot be used with"), "{stderr}");
    server.finish().await;
}

on_both_databases!(
    registration_from_metadata_names_problems,
    rotation_publishes_the_next_certificate_first,
);
