//! Start-up wiring, in one place: from the configuration to the object graph every
//! entry point uses (the server, and each command): the migrated store, the keyring
//! ([`load_keyring`]), the password hasher and the journeys ([`build_services`]), the OpenID Connect provider,
//! and the apps registered from `[[apps]]`.
//!
//! ```text
//!  Config ─► open_store (connect + migrate) ─┐
//!         ─► load_keyring (keys file) ───────┼─► build_services ─► provider ─► register_configured
//!         ─► PasswordHasher, Sources ────────┘
//! ```

use std::path::Path;
use std::sync::Arc;

use anyhow::Context;
use sa_domain::clock::Clock;
use sa_domain::journeys::{Core, CoreParts};
use sa_domain::keys::Keyring;
use sa_domain::limiter::{LimitCounters, MemoryCounters};
use sa_domain::metrics::Metrics;
use sa_domain::oidc::Provider;
use sa_domain::oidc::clients::NewClient;
use sa_domain::password::PasswordHasher;
use sa_domain::proofing::sources::Sources;
use sa_domain::{Services, ServicesConfig};
use sa_store::SqlStore;
use tokio::sync::Notify;

use crate::config::{AppConfig, Config, Secret};
use crate::keyfile;

/// Connect and migrate the database named by the configuration.
pub async fn open_store(config: &Config) -> anyhow::Result<SqlStore> {
    std::fs::create_dir_all(&config.data_dir).map_err(|e| {
        anyhow::anyhow!(
            "cannot create data directory {}: {e}",
            config.data_dir.display()
        )
    })?;
    let store = SqlStore::connect(&config.database_url(), config.database_max_connections)
        .await
        .map_err(|e| anyhow::anyhow!("cannot open the database: {e}"))?;
    store
        .migrate()
        .await
        .map_err(|e| anyhow::anyhow!("cannot migrate the database: {e}"))?;
    Ok(store)
}

/// Build the journeys from the configuration; `public_url` is where links in messages
/// point.
pub async fn build_services(
    config: &Config,
    store: &SqlStore,
    public_url: &str,
    clock: Arc<dyn Clock>,
    wake: Arc<Notify>,
) -> anyhow::Result<Arc<Services>> {
    let keys = Arc::new(load_keyring(config)?);
    let concurrency = config.hashing_concurrency.unwrap_or_else(|| {
        std::thread::available_parallelism()
            .map(usize::from)
            .unwrap_or(2)
    });
    let hasher = PasswordHasher::new(
        config.password_pepper.as_ref().map(Secret::expose),
        concurrency,
        config.hashing_queue,
    )
    .map_err(|e| anyhow::anyhow!("password hasher: {e}"))?;
    let services_config = ServicesConfig {
        issuer: config.issuer.clone(),
        limits: config.limits.clone(),
        require_identity_verification: config.require_identity_verification,
        public_url: public_url.to_owned(),
    };
    let sources = reference_sources(config, store, keys.clone(), clock.clone())?;
    let parts = CoreParts {
        limit_counters: limit_counters(config)?,
        metrics: Arc::new(Metrics::new().map_err(|e| anyhow::anyhow!("metrics: {e}"))?),
        outbox_wake: wake,
    };
    Ok(Arc::new(Services::new(Core::new(
        Arc::new(store.clone()),
        clock,
        keys,
        hasher,
        services_config,
        sources,
        parts,
    ))))
}

/// Where the per-IP limits count: Redis when `redis_url` is set (shared by every
/// instance), else this process's memory. Redis is connected lazily, so the service
/// starts (and `/readyz` says why it is not ready) while Redis is down.
fn limit_counters(config: &Config) -> anyhow::Result<Arc<dyn LimitCounters>> {
    Ok(match &config.redis_url {
        Some(url) => Arc::new(
            sa_redis::RedisCounters::new(url.expose(), &config.redis_key_prefix)
                .map_err(anyhow::Error::msg)?,
        ),
        None => Arc::new(MemoryCounters::default()),
    })
}

/// Each kind of reference record from its vendor where `[sources]` names one, else from
/// the embedded tables.
fn reference_sources(
    config: &Config,
    store: &SqlStore,
    keys: Arc<sa_domain::keys::Keyring>,
    clock: Arc<dyn Clock>,
) -> anyhow::Result<Sources> {
    let mut sources = Sources::embedded(Arc::new(store.clone()), keys);
    let chosen = &config.sources;
    if let Some(vendor) = &chosen.tax_returns {
        sources.tax_returns = Arc::new(
            sa_vendors::HttpTaxReturns::new(vendor.clone(), clock.clone())
                .map_err(anyhow::Error::msg)?,
        );
    }
    if let Some(vendor) = &chosen.financial_accounts {
        sources.financial_accounts = Arc::new(
            sa_vendors::HttpFinancialAccounts::new(vendor.clone(), clock.clone())
                .map_err(anyhow::Error::msg)?,
        );
    }
    if let Some(vendor) = &chosen.phone_records {
        sources.phones = Arc::new(
            sa_vendors::HttpPhoneRecords::new(vendor.clone(), clock).map_err(anyhow::Error::msg)?,
        );
    }
    Ok(sources)
}

/// The service's keyring: the keys file of `config`, opened with its key-encryption
/// key if one is set (see `keyfile.rs` for what happens to each kind of file).
pub fn load_keyring(config: &Config) -> anyhow::Result<Keyring> {
    let kek = config.kek().map_err(anyhow::Error::msg)?;
    keyfile::load_or_create_with(&config.keys_file(), kek.as_ref())
}

/// The store and the journeys for a command run at the console (no delivery worker
/// listens, so nothing is woken).
pub async fn open_for_command(
    config: &Config,
    clock: Arc<dyn Clock>,
) -> anyhow::Result<(SqlStore, Arc<Services>)> {
    let store = open_store(config).await?;
    let services = build_services(
        config,
        &store,
        &issuer(config),
        clock,
        Arc::new(Notify::new()),
    )
    .await?;
    Ok((store, services))
}

/// The provider over this store and services, issuing as `issuer`.
pub async fn provider(
    store: &SqlStore,
    services: Arc<Services>,
    issuer: &str,
    settings: &crate::config::OidcConfig,
) -> anyhow::Result<Arc<Provider>> {
    Provider::new(
        services,
        Arc::new(store.clone()),
        settings.provider_config(issuer),
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

/// The store and services for a command, and the provider over them.
pub async fn open_provider(
    config: &Config,
    clock: Arc<dyn Clock>,
) -> anyhow::Result<(SqlStore, Arc<Provider>)> {
    let (store, services) = open_for_command(config, clock).await?;
    let provider = provider(&store, services, &issuer(config), &config.oidc).await?;
    Ok((store, provider))
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
        events_uri: app.events_uri.clone(),
        backchannel_logout_uri: app.backchannel_logout_uri.clone(),
        saml_metadata: app
            .saml_metadata
            .as_deref()
            .map(read_saml_metadata)
            .transpose()?,
    })
}

/// A SAML service provider's metadata: the XML itself, or a file holding it.
pub fn read_saml_metadata(file_or_xml: &str) -> anyhow::Result<String> {
    if file_or_xml.trim_start().starts_with('<') {
        return Ok(file_or_xml.to_owned());
    }
    let path = Path::new(file_or_xml);
    let size = std::fs::metadata(path)
        .with_context(|| format!("cannot read the SAML metadata file {}", path.display()))?
        .len();
    if size > sa_saml::metadata::MAX_METADATA as u64 {
        anyhow::bail!(
            "the SAML metadata file {} is larger than {} KiB",
            path.display(),
            sa_saml::metadata::MAX_METADATA / 1024
        );
    }
    std::fs::read_to_string(path).with_context(|| {
        format!(
            "cannot read the SAML metadata file {} as UTF-8 text",
            path.display()
        )
    })
}

/// Register every `[[apps]]` entry (idempotent: a fixed client id is updated).
pub async fn register_configured(provider: &Provider, config: &Config) -> anyhow::Result<()> {
    for app in &config.apps {
        if app.client_id.trim().is_empty() && app.saml_metadata.is_none() {
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
