//! # e-Services (example): a relying party of Secure Access
//!
//! A small transcript portal for tax professionals that signs people in with Secure
//! Access over OpenID Connect, using the `openidconnect` crate unchanged, the way any
//! outside app would. It shows what an app registered for identity level 2 does:
//!
//! ```text
//!  browser ─► /sign-in ─► Secure Access /oidc/authorize (code, PKCE S256, state, nonce, acr_values=IAL2)
//!             sign in (password + second factor) ─► consent ─► /callback?code&state
//!  /callback ─► /oidc/token (code + verifier + private_key_jwt assertion) ─► ID token (ES256)
//!            ─► verified (iss, aud, exp, nonce, acr = IAL2) ─► session ─► /transcripts
//!  /transcripts ─► powers of attorney for this pairwise `sub` ─► the taxpayers it may see
//!  /sign-out ─► /oidc/logout?id_token_hint&post_logout_redirect_uri ─► /signed-out
//! ```
//!
//! Modules: [`config`] (the `EXAMPLE_*` variables), [`keys`] (this app's key pair and
//! client assertions), [`rp`] (everything said to Secure Access), [`records`] (the
//! synthetic taxpayers and who may see them), `session` (in-memory sessions and logins
//! in progress) and `web` (the pages). [`start`] wires them and serves; `main.rs` reads
//! the environment and prints the registration command.
#![forbid(unsafe_code)]

pub mod config;
pub mod keys;
pub mod records;
pub mod rp;
mod session;
mod web;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use anyhow::Context;
use tokio::sync::watch;
use tokio::task::JoinHandle;

pub use config::Config;

/// The running app.
pub struct Running {
    pub addr: SocketAddr,
    /// This app's address as browsers see it.
    pub public_url: String,
    pub client_id: String,
    pub redirect_uri: String,
    pub post_logout_redirect_uri: String,
    /// The public JWKS file to register.
    pub jwks_file: PathBuf,
    /// The records file (taxpayers and powers of attorney).
    pub records_file: PathBuf,
    /// Whether this start generated the key pair (it must be registered).
    pub key_created: bool,
    /// Whether Secure Access's discovery document was read at start.
    pub discovered: bool,
    shutdown: watch::Sender<bool>,
    http: JoinHandle<std::io::Result<()>>,
}

impl Running {
    /// The `secure-access apps add` command that registers this app.
    pub fn registration_command(&self) -> String {
        let jwks =
            std::fs::canonicalize(&self.jwks_file).unwrap_or_else(|_| self.jwks_file.clone());
        format!(
            "secure-access apps add --client-id {client_id} --name \"e-Services (example)\" \\\n    \
             --redirect-uri {redirect} \\\n    \
             --post-logout-redirect-uri {logout} \\\n    \
             --auth private_key_jwt --jwks-file {jwks} \\\n    \
             --identity-level 2 --scopes \"openid email profile verified_at\"",
            client_id = self.client_id,
            redirect = self.redirect_uri,
            logout = self.post_logout_redirect_uri,
            jwks = jwks.display(),
        )
    }

    /// Stop serving and wait for requests in flight.
    pub async fn stop(self) -> anyhow::Result<()> {
        let _ = self.shutdown.send(true);
        self.http.await??;
        Ok(())
    }

    /// Serve until Ctrl-C or SIGTERM.
    pub async fn wait_for_signal(self) -> anyhow::Result<()> {
        let ctrl_c = tokio::signal::ctrl_c();
        #[cfg(unix)]
        {
            let mut term =
                tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())?;
            tokio::select! {
                _ = ctrl_c => {}
                _ = term.recv() => {}
            }
        }
        #[cfg(not(unix))]
        {
            let _ = ctrl_c.await;
        }
        self.stop().await
    }
}

/// Make the key pair and the records file if needed, listen, read the provider's
/// discovery document (again later if it is not up yet), and serve.
pub async fn start(config: Config) -> anyhow::Result<Running> {
    let key = keys::ClientKey::load_or_create(&config.data_dir)?;
    let key_created = key.created;
    let jwks_file = key.jwks_file.clone();
    let records_file = records::Records::ensure_file(&config.data_dir)?;
    let listener = tokio::net::TcpListener::bind(config.listen)
        .await
        .with_context(|| format!("cannot listen on {}", config.listen))?;
    let addr = listener.local_addr()?;
    let public_url = config.public_url_for(addr);
    let rp = rp::RelyingParty::new(&config.issuer, &config.client_id, &public_url, key)?;
    let discovered = match rp.discover().await {
        Ok(()) => true,
        Err(error) => {
            tracing::warn!(error = %format!("{error:#}"), "Secure Access is not reachable yet; discovery is retried at the first sign-in");
            false
        }
    };
    let issuer_origin = origin_of(&config.issuer);
    let running_meta = (
        rp.client_id().to_owned(),
        rp.redirect_uri().to_owned(),
        rp.post_logout_redirect_uri().to_owned(),
    );
    let app = Arc::new(web::App {
        rp,
        sessions: session::Sessions::default(),
        data_dir: config.data_dir.clone(),
        secure_cookies: public_url.starts_with("https://"),
        issuer_origin,
    });
    let router = web::router(app);
    let (shutdown, mut stop) = watch::channel(false);
    let http = tokio::spawn(async move {
        axum::serve(listener, router)
            .with_graceful_shutdown(async move {
                let _ = stop.wait_for(|stop| *stop).await;
            })
            .await
    });
    let (client_id, redirect_uri, post_logout_redirect_uri) = running_meta;
    Ok(Running {
        addr,
        public_url,
        client_id,
        redirect_uri,
        post_logout_redirect_uri,
        jwks_file,
        records_file,
        key_created,
        discovered,
        shutdown,
        http,
    })
}

/// `scheme://host[:port]` of a URL (for the CSP's `form-action`).
fn origin_of(url: &str) -> String {
    let (scheme, rest) = url.split_once("://").unwrap_or(("https", url));
    let host = rest.split('/').next().unwrap_or(rest);
    format!("{scheme}://{host}")
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_origin_drops_the_path() {
        assert_eq!(
            super::origin_of("https://id.example.test/base"),
            "https://id.example.test"
        );
        assert_eq!(
            super::origin_of("http://127.0.0.1:8080"),
            "http://127.0.0.1:8080"
        );
    }

    #[test]
    fn the_ial2_value_is_the_providers() {
        assert_eq!(super::rp::IAL2, sa_oidc::IAL2);
    }
}
