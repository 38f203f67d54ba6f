//! Apps that sign people in through the OpenID Connect provider: building the provider
//! for the server and the command line, registering apps (`secure-access apps add` and
//! the `[[apps]]` configuration), and rotating the signing keys
//! (`secure-access keys rotate-signing`).

use std::sync::Arc;

use sa_domain::clock::Clock;
use sa_domain::oidc::clients::Registered;

use crate::config::{AppConfig, Config};
use crate::wiring::{new_client, open_provider};
use clap::Subcommand;
use std::path::PathBuf;

/// `secure-access apps add`.
pub async fn add(
    config: &Config,
    clock: Arc<dyn Clock>,
    app: &AppConfig,
) -> anyhow::Result<Registered> {
    let (store, provider) = open_provider(config, clock).await?;
    let registered = provider
        .register_client(new_client(app)?)
        .await
        .map_err(|e| anyhow::anyhow!("{}", e.description));
    store.close().await;
    registered
}

/// `secure-access keys rotate-signing`.
pub async fn rotate_signing(
    config: &Config,
    clock: Arc<dyn Clock>,
) -> anyhow::Result<sa_domain::oidc::keys::RotatedKeys> {
    let (store, provider) = open_provider(config, clock).await?;
    let rotated = provider
        .rotate_signing_keys()
        .await
        .map_err(|e| anyhow::anyhow!("{}", e.description));
    store.close().await;
    rotated
}

#[derive(Subcommand)]
pub enum AppsCommand {
    /// Register an app. Prints its client id, and its secret once (client_secret_basic).
    Add {
        #[arg(long)]
        name: String,
        /// Exact redirect URI (repeat for several).
        #[arg(long = "redirect-uri", required = true)]
        redirect_uris: Vec<String>,
        /// Where the app may send people after sign-out (repeat for several).
        #[arg(long = "post-logout-redirect-uri")]
        post_logout_redirect_uris: Vec<String>,
        /// private_key_jwt | client_secret_basic | none (public app: PKCE required).
        #[arg(long, default_value = "private_key_jwt")]
        auth: String,
        /// For private_key_jwt: a file holding the app's public JWKS.
        #[arg(long)]
        jwks_file: Option<PathBuf>,
        /// Scopes the app may ask for, space-separated.
        #[arg(long, default_value = "openid email")]
        scopes: String,
        /// 1: sign-in only; 2: a verified identity is required.
        #[arg(long, default_value_t = 1)]
        identity_level: u8,
        /// ES256 (default) or RS256.
        #[arg(long)]
        id_token_alg: Option<String>,
        /// May receive the social_security_number claim.
        #[arg(long)]
        social_security_number: bool,
        /// For client_credentials: the verified account the app acts for.
        #[arg(long)]
        machine_username: Option<String>,
        /// Use this client id (else one is generated).
        #[arg(long)]
        client_id: Option<String>,
    },
}

/// `secure-access apps …`.
pub async fn run(
    command: AppsCommand,
    config: &Config,
    clock: Arc<dyn Clock>,
) -> anyhow::Result<()> {
    match command {
        AppsCommand::Add {
            name,
            redirect_uris,
            post_logout_redirect_uris,
            auth,
            jwks_file,
            scopes,
            identity_level,
            id_token_alg,
            social_security_number,
            machine_username,
            client_id,
        } => {
            let app = AppConfig {
                client_id: client_id.unwrap_or_default(),
                name,
                redirect_uris,
                post_logout_redirect_uris,
                auth_method: auth,
                client_secret: None,
                jwks_file,
                scopes: scopes.split_whitespace().map(str::to_owned).collect(),
                identity_level: Some(identity_level),
                id_token_alg,
                social_security_number,
                machine_username,
            };
            let registered = add(config, clock, &app).await?;
            println!("client_id: {}", registered.client_id);
            if let Some(secret) = registered.secret {
                println!(
                    "client_secret: {secret}\n(shown once: store it in the app's secret store now)"
                );
            }
            Ok(())
        }
    }
}
