//! Apps that sign people in through the OpenID Connect provider: building the provider
//! for the server and the command line, registering apps (`secure-access apps add` and
//! the `[[apps]]` configuration), and rotating the signing keys
//! (`secure-access keys rotate-signing`).

use std::path::Path;
use std::sync::Arc;

use anyhow::Context;
use sa_domain::Services;
use sa_domain::clock::Clock;
use sa_domain::oidc::clients::{NewClient, Registered};
use sa_domain::oidc::{Provider, ProviderConfig};
use sa_store::SqlStore;

use crate::config::{AppConfig, Config};
use crate::server::{build_services, open_store};

/// The provider over this store and services, issuing as `issuer`.
pub async fn provider(
    store: &SqlStore,
    services: Arc<Services>,
    issuer: &str,
) -> anyhow::Result<Arc<Provider>> {
    Provider::new(
        services,
        Arc::new(store.clone()),
        ProviderConfig::new(issuer),
    )
    .await
    .map(Arc::new)
    .map_err(|e| anyhow::anyhow!("OpenID Connect provider: {}", e.description))
}

/// The issuer the command line uses (the configured public URL).
pub fn issuer(config: &Config) -> String {
    config
        .public_url
        .clone()
        .unwrap_or_else(|| format!("http://{}", config.listen))
}

/// Read a JWKS file (public keys only).
pub fn read_jwks(path: &Path) -> anyhow::Result<serde_json::Value> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read the JWKS file {}", path.display()))?;
    serde_json::from_str(&text).with_context(|| format!("{} is not JSON", path.display()))
}

/// The registration an `[[apps]]` entry asks for.
pub fn new_client(app: &AppConfig) -> anyhow::Result<NewClient> {
    Ok(NewClient {
        client_id: (!app.client_id.trim().is_empty()).then(|| app.client_id.trim().to_owned()),
        name: app.name.clone(),
        redirect_uris: app.redirect_uris.clone(),
        post_logout_redirect_uris: app.post_logout_redirect_uris.clone(),
        auth_method: app.auth_method.clone(),
        jwks: app.jwks_file.as_deref().map(read_jwks).transpose()?,
        secret: app.client_secret.as_ref().map(|s| s.expose().to_owned()),
        scopes: app.scopes.clone(),
        required_ial: app.identity_level.unwrap_or(1),
        id_token_alg: app.id_token_alg.clone(),
        can_receive_ssn: app.social_security_number,
        machine_username: app.machine_username.clone(),
    })
}

/// Register every `[[apps]]` entry (idempotent: a fixed client id is updated).
pub async fn register_configured(provider: &Provider, config: &Config) -> anyhow::Result<()> {
    for app in &config.apps {
        if app.client_id.trim().is_empty() {
            anyhow::bail!(
                "apps: every [[apps]] entry needs a client_id ({:?} has none)",
                app.name
            );
        }
        provider
            .register_client(new_client(app)?)
            .await
            .map_err(|e| anyhow::anyhow!("apps: {}: {}", app.client_id, e.description))?;
    }
    Ok(())
}

/// Open the store and services for a command, and the provider over them.
pub async fn open(
    config: &Config,
    clock: Arc<dyn Clock>,
) -> anyhow::Result<(SqlStore, Arc<Provider>)> {
    let store = open_store(config).await?;
    let services =
        build_services(config, &store, clock, Arc::new(tokio::sync::Notify::new())).await?;
    let provider = provider(&store, services, &issuer(config)).await?;
    Ok((store, provider))
}

/// `secure-access apps add`.
pub async fn add(
    config: &Config,
    clock: Arc<dyn Clock>,
    app: &AppConfig,
) -> anyhow::Result<Registered> {
    let (store, provider) = open(config, clock).await?;
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
    let (store, provider) = open(config, clock).await?;
    let rotated = provider
        .rotate_signing_keys()
        .await
        .map_err(|e| anyhow::anyhow!("{}", e.description));
    store.close().await;
    rotated
}
