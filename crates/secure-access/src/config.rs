//! The one typed configuration: every setting, its default and its environment variable,
//! in one place. Sources, later ones winning: built-in defaults, a TOML file
//! (`--config FILE`), then `SA_*` environment variables (nested keys with `__`, e.g.
//! `SA_LIMITS__CODE_LOCK_SECS=300`, `SA_DELIVERY__SMTP_URL=smtps://...`).
//! [`Config::validate`] refuses unsafe or inconsistent settings at start-up with a
//! message naming the key.

use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use ipnet::IpNet;
use sa_delivery::DeliveryConfig;
use sa_domain::limits::Limits;
use serde::{Deserialize, Deserializer, Serialize};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use crate::keyfile::Kek;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// `SA_LISTEN`: address and port to listen on. Default `127.0.0.1:8080`.
    pub listen: SocketAddr,
    /// `SA_DATA_DIR`: where the SQLite database, keys and dev outbox live.
    /// Default `./secure-access-data`.
    pub data_dir: PathBuf,
    /// `SA_DATABASE_URL`: `sqlite://FILE` or `postgres://...`.
    /// Default `sqlite://<data_dir>/secure-access.db`.
    pub database_url: Option<String>,
    /// `SA_DATABASE_MAX_CONNECTIONS`: pool size. Default 10.
    pub database_max_connections: u32,
    /// `SA_PUBLIC_URL`: the URL people use. Default `http://<listen>`. With `https://`,
    /// cookies are `Secure`/`__Host-` and HSTS is sent.
    pub public_url: Option<String>,
    /// `SA_REQUIRE_IDENTITY_VERIFICATION`: accounts must pass identity proofing before they
    /// are complete. Default `true`; `false` for deployments whose tools need no verified
    /// identity (an account is then complete with a confirmed email and a second factor).
    pub require_identity_verification: bool,
    /// `SA_JOBS_INTERVAL_SECS`: how often the scheduled jobs (letter reminders on day 14,
    /// expiry of unused mailed codes) run. Default 300.
    pub jobs_interval_secs: u64,
    /// `SA_LETTERS_DIR`: where `secure-access letters print` writes its PDF and CSV
    /// batches. Default `<data_dir>/letters`.
    pub letters_dir: Option<PathBuf>,
    /// `SA_TRUSTED_PROXIES`: CIDRs whose `X-Forwarded-For` is believed, comma-separated
    /// (e.g. `10.0.0.0/8,192.168.0.0/16`). Default: none.
    #[serde(deserialize_with = "list_or_csv")]
    pub trusted_proxies: Vec<IpNet>,
    /// `SA_KEYS_FILE`: JSON keyring (data keys and MAC key). Created with fresh keys on
    /// first start if missing. Default `<data_dir>/keys.json`.
    pub keys_file: Option<PathBuf>,
    /// `SA_KEY_ENCRYPTION_KEY`: optional key-encryption key that wraps the keys file
    /// (AES-256-GCM): base64 of 32 random bytes, optionally prefixed with an id and `:`
    /// (`kek2:…`; default id `kek1`). With it the keys file holds no key in clear, a
    /// plain file is wrapped at the next start, and a wrapped file cannot be opened
    /// without it. `secure-access keys rewrap` moves the file to the key in
    /// `SA_NEW_KEY_ENCRYPTION_KEY` (read by that command only). Never printed. Default: none.
    pub key_encryption_key: Option<Secret>,
    /// `SA_PASSWORD_PEPPER`: optional server-side secret mixed into every password hash.
    /// Changing it invalidates all passwords. Default: none.
    pub password_pepper: Option<Secret>,
    /// `SA_HASHING_CONCURRENCY`: password hashes computed at once. Default: the core count.
    pub hashing_concurrency: Option<usize>,
    /// `SA_HASHING_QUEUE`: sign-ins that may wait for a hashing slot before the service
    /// answers 503 with `Retry-After`. Default 256.
    pub hashing_queue: usize,
    /// `SA_MAX_BODY_BYTES`: the largest request body accepted. Default 65536.
    pub max_body_bytes: usize,
    /// `SA_LOG_FORMAT`: `text` or `json`. Default `text`.
    pub log_format: String,
    /// `SA_ISSUER`: the name authenticator apps and messages show. Default `Secure Access`.
    pub issuer: String,
    /// `[limits]` / `SA_LIMITS__*`: attempt limits and session timeouts (see `sa_domain::limits`).
    pub limits: Limits,
    /// `SA_REDIS_URL`: `redis://[:password@]host:port/db`. With it, the per-IP limits are
    /// counted in Redis, shared by every instance; without it, in each instance's
    /// memory. While Redis does not answer, sign-in and recovery are refused (503) and
    /// the other limits count locally; `/readyz` reports it. Never printed. Default: none.
    pub redis_url: Option<Secret>,
    /// `SA_REDIS_KEY_PREFIX`: the prefix of every key this deployment writes to Redis.
    /// Default `secure-access:`.
    pub redis_key_prefix: String,
    /// `SA_METRICS_ALLOWED`: client networks that may read `/metrics`, comma-separated
    /// CIDRs (the client address as `trusted_proxies` resolves it). Others get 404.
    /// Default: loopback only (`127.0.0.0/8,::1/128`).
    #[serde(deserialize_with = "list_or_csv")]
    pub metrics_allowed: Vec<IpNet>,
    /// `[delivery]` / `SA_DELIVERY__*`: SMTP, SMS webhook and outbox worker settings.
    pub delivery: DeliveryConfig,
    /// `[oidc]` / `SA_OIDC__*`: refresh-token lifetimes and the client-assertion
    /// audience rule of the OpenID Connect provider.
    pub oidc: OidcConfig,
    /// `[[apps]]`: apps that sign people in through the OpenID Connect provider,
    /// registered (or updated) at start-up. `secure-access apps add` registers more.
    pub apps: Vec<AppConfig>,
    /// `[help_desk]` / `SA_HELP_DESK__PHONE`, `__HOURS`, `__VISIT`: how people reach the
    /// help desk and book an assistance-center visit (shown on the pages that send them);
    /// `[help_desk.translations.es]` `hours` and `visit` for Spanish pages.
    pub help_desk: sa_web::HelpDesk,
    /// `[sources.tax_returns]`, `[sources.financial_accounts]`, `[sources.phone_records]`
    /// / `SA_SOURCES__PHONE_RECORDS__URL=https://…` (and `__API_KEY`, `__TIMEOUT_MS`,
    /// `__RETRIES`, `__BACKOFF_MS`, `__BREAKER_FAILURES`, `__BREAKER_COOLDOWN_SECS`):
    /// a vendor's API for that kind of record. A kind with no vendor is answered from the
    /// tables `records import` fills. Default: the tables for all three.
    pub sources: SourcesConfig,
}

/// The OpenID Connect provider's settings.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct OidcConfig {
    /// `SA_OIDC__REFRESH_TOKEN_IDLE_SECS`: a refresh token unused this long expires
    /// (each use gives a new one). Default 2,592,000 (30 days).
    pub refresh_token_idle_secs: i64,
    /// `SA_OIDC__REFRESH_TOKEN_MAX_SECS`: however often it is used, an app's offline
    /// access ends this long after the person signed in. Default 7,776,000 (90 days).
    pub refresh_token_max_secs: i64,
    /// `SA_OIDC__CLIENT_ASSERTION_AUDIENCE`: the `aud` a `private_key_jwt` client
    /// assertion must carry. `issuer` (default, the OpenID Foundation's 2025 advice
    /// against audience injection): the issuer identifier alone.
    /// `issuer_or_token_endpoint`: also the token endpoint URL, for apps written to
    /// OIDC Core 1.0 §9 that cannot yet be changed.
    pub client_assertion_audience: String,
}

impl Default for OidcConfig {
    fn default() -> Self {
        Self {
            refresh_token_idle_secs: 30 * 24 * 3600,
            refresh_token_max_secs: 90 * 24 * 3600,
            client_assertion_audience: "issuer".to_owned(),
        }
    }
}

impl OidcConfig {
    fn validate(&self) -> Result<(), String> {
        if self.refresh_token_idle_secs < 60 {
            return Err("oidc.refresh_token_idle_secs must be at least 60".to_owned());
        }
        if self.refresh_token_max_secs < self.refresh_token_idle_secs {
            return Err(
                "oidc.refresh_token_max_secs must be at least oidc.refresh_token_idle_secs"
                    .to_owned(),
            );
        }
        self.audience_token_endpoint().map(|_| ())
    }

    /// Whether the token endpoint URL is accepted as a client assertion's `aud`.
    pub fn audience_token_endpoint(&self) -> Result<bool, String> {
        match self.client_assertion_audience.as_str() {
            "issuer" => Ok(false),
            "issuer_or_token_endpoint" => Ok(true),
            other => Err(format!(
                "oidc.client_assertion_audience must be \"issuer\" or \"issuer_or_token_endpoint\", not {other:?}"
            )),
        }
    }

    /// The provider's configuration for `issuer`.
    pub fn provider_config(&self, issuer: &str) -> sa_domain::oidc::ProviderConfig {
        let mut config = sa_domain::oidc::ProviderConfig::new(issuer);
        config.refresh_token_idle_secs = self.refresh_token_idle_secs;
        config.refresh_token_max_secs = self.refresh_token_max_secs;
        config.assertion_audience_token_endpoint = self.audience_token_endpoint().unwrap_or(false);
        config
    }
}

/// Where each kind of reference record comes from: a vendor (`Some`) or the tables.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SourcesConfig {
    pub tax_returns: Option<sa_vendors::VendorSettings>,
    pub financial_accounts: Option<sa_vendors::VendorSettings>,
    pub phone_records: Option<sa_vendors::VendorSettings>,
}

/// One app of the `[[apps]]` configuration (see `secure-access apps add --help`).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AppConfig {
    pub client_id: String,
    pub name: String,
    pub redirect_uris: Vec<String>,
    pub post_logout_redirect_uris: Vec<String>,
    /// `private_key_jwt`, `client_secret_basic` or `none` (public: PKCE required).
    pub auth_method: String,
    /// For `client_secret_basic`: at least 32 characters (stored hashed).
    pub client_secret: Option<Secret>,
    /// For `private_key_jwt`: a file holding the app's public JWKS.
    pub jwks_file: Option<PathBuf>,
    pub scopes: Vec<String>,
    /// 1 (sign-in only) or 2 (a verified identity is required). Default 1.
    pub identity_level: Option<u8>,
    /// `ES256` (default) or `RS256`.
    pub id_token_alg: Option<String>,
    /// May receive the `social_security_number` claim.
    pub social_security_number: bool,
    /// For `client_credentials`: the username of the verified account it acts for.
    pub machine_username: Option<String>,
    /// Where Security Event Tokens are pushed (RFC 8935). Default: none.
    pub events_uri: Option<String>,
    /// Where logout tokens are posted (OpenID Connect Back-Channel Logout). Default: none.
    pub backchannel_logout_uri: Option<String>,
    /// A SAML 2.0 service provider: a file holding its metadata (or the metadata XML
    /// itself). Its entity id becomes the client id (`client_id` may be left out) and its
    /// HTTP-POST AssertionConsumerServices the only places answers go.
    pub saml_metadata: Option<String>,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            data_dir: PathBuf::from("secure-access-data"),
            database_url: None,
            database_max_connections: 10,
            public_url: None,
            require_identity_verification: true,
            jobs_interval_secs: 300,
            letters_dir: None,
            trusted_proxies: Vec::new(),
            keys_file: None,
            key_encryption_key: None,
            password_pepper: None,
            hashing_concurrency: None,
            hashing_queue: 256,
            max_body_bytes: 64 * 1024,
            log_format: "text".to_owned(),
            issuer: "Secure Access".to_owned(),
            limits: Limits::default(),
            redis_url: None,
            redis_key_prefix: "secure-access:".to_owned(),
            metrics_allowed: ["127.0.0.0/8", "::1/128"]
                .iter()
                .filter_map(|net| net.parse().ok())
                .collect(),
            delivery: DeliveryConfig::default(),
            oidc: OidcConfig::default(),
            apps: Vec::new(),
            help_desk: sa_web::HelpDesk::default(),
            sources: SourcesConfig::default(),
        }
    }
}

/// A setting that must never be printed: `Debug` shows `<redacted>`, and the text is
/// zeroized when dropped. (De)serialises as the plain string.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The value itself, for the one place that uses it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("<redacted>")
    }
}

impl Drop for Secret {
    fn drop(&mut self) {
        zeroize::Zeroize::zeroize(&mut self.0);
    }
}

fn list_or_csv<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<IpNet>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum ListOrCsv {
        List(Vec<String>),
        Csv(String),
    }
    let items = match ListOrCsv::deserialize(deserializer)? {
        ListOrCsv::List(items) => items,
        ListOrCsv::Csv(text) => text.split(',').map(str::to_owned).collect(),
    };
    items
        .iter()
        .map(|item| item.trim())
        .filter(|item| !item.is_empty())
        .map(|item| {
            item.parse::<IpNet>()
                .or_else(|_| item.parse::<std::net::IpAddr>().map(IpNet::from))
                .map_err(|_| {
                    serde::de::Error::custom(format!("{item:?} is not an IP address or CIDR"))
                })
        })
        .collect()
}

impl Config {
    /// Defaults, then the TOML file, then `SA_*` variables.
    pub fn load(file: Option<&Path>) -> Result<Self, String> {
        let mut figment = Figment::from(Serialized::defaults(Config::default()));
        if let Some(file) = file {
            if !file.exists() {
                return Err(format!(
                    "configuration file {} does not exist",
                    file.display()
                ));
            }
            figment = figment.merge(Toml::file(file));
        }
        figment = figment.merge(
            Env::prefixed("SA_")
                .filter(|key| {
                    let key = key.as_str().to_ascii_lowercase();
                    // Not settings: SA_NEW_KEY_ENCRYPTION_KEY is read by `keys rewrap`
                    // alone; SA_TEST_*, SA_BENCH_* and SA_CHROMEDRIVER by the tests and
                    // benchmarks.
                    !key.starts_with("test_")
                        && !key.starts_with("bench_")
                        && key != "chromedriver"
                        && key != "new_key_encryption_key"
                })
                .split("__"),
        );
        let config: Config = figment
            .extract()
            .map_err(|error| format!("configuration: {error}"))?;
        config.validate()?;
        Ok(config)
    }

    pub fn validate(&self) -> Result<(), String> {
        if self.jobs_interval_secs == 0 {
            return Err("jobs_interval_secs must be at least 1".to_owned());
        }
        self.limits.validate()?;
        self.oidc.validate()?;
        self.kek()?;
        for (key, vendor) in [
            ("sources.tax_returns", &self.sources.tax_returns),
            (
                "sources.financial_accounts",
                &self.sources.financial_accounts,
            ),
            ("sources.phone_records", &self.sources.phone_records),
        ] {
            if let Some(problem) = vendor.as_ref().and_then(|v| v.problem(key)) {
                return Err(problem);
            }
        }
        if !["text", "json"].contains(&self.log_format.as_str()) {
            return Err(format!(
                "log_format must be \"text\" or \"json\", not {:?}",
                self.log_format
            ));
        }
        if let Some(url) = &self.redis_url
            && !url.expose().starts_with("redis://")
        {
            // The URL may hold a password: name the rule, not the value.
            return Err(
                "redis_url must start with redis:// (TLS to Redis is not built in: keep Redis on a private network)"
                    .to_owned(),
            );
        }
        if self.max_body_bytes < 1024 {
            return Err("max_body_bytes must be at least 1024".to_owned());
        }
        if let Some(url) = &self.public_url
            && !(url.starts_with("http://") || url.starts_with("https://"))
        {
            return Err(format!(
                "public_url must start with http:// or https://, not {url:?}"
            ));
        }
        Ok(())
    }

    pub fn database_url(&self) -> String {
        self.database_url.clone().unwrap_or_else(|| {
            format!(
                "sqlite://{}",
                self.data_dir.join("secure-access.db").display()
            )
        })
    }

    pub fn letters_dir(&self) -> PathBuf {
        self.letters_dir
            .clone()
            .unwrap_or_else(|| self.data_dir.join("letters"))
    }

    pub fn keys_file(&self) -> PathBuf {
        self.keys_file
            .clone()
            .unwrap_or_else(|| self.data_dir.join("keys.json"))
    }

    /// The key-encryption key, if set (its format is checked by [`Config::validate`]; the
    /// message names the setting, never the value).
    pub fn kek(&self) -> Result<Option<Kek>, String> {
        self.key_encryption_key
            .as_ref()
            .map(|secret| {
                Kek::parse(secret.expose())
                    .map_err(|e| format!("key_encryption_key (SA_KEY_ENCRYPTION_KEY) {e}"))
            })
            .transpose()
    }

    pub fn outbox_file(&self) -> PathBuf {
        self.data_dir.join("outbox.jsonl")
    }

    /// The public URL, given the address actually bound.
    pub fn public_url(&self, bound: SocketAddr) -> String {
        self.public_url
            .clone()
            .unwrap_or_else(|| format!("http://{bound}"))
    }

    /// Cookies drop `Secure` only for plain HTTP on a loopback address.
    pub fn secure_cookies(&self, bound: SocketAddr) -> bool {
        let public = self.public_url(bound);
        !(public.starts_with("http://") && bound.ip().is_loopback())
    }
}

#[cfg(test)]
// figment's `Jail` closures must return `figment::Error`, which is large: not ours to shrink.
#[allow(clippy::result_large_err)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_the_documented_ones() {
        let config = Config::default();
        assert_eq!(config.listen.to_string(), "127.0.0.1:8080");
        assert_eq!(config.data_dir, PathBuf::from("secure-access-data"));
        assert!(
            config
                .database_url()
                .starts_with("sqlite://secure-access-data/")
        );
        assert!(!config.secure_cookies(config.listen));
        config.validate().unwrap();
    }

    #[test]
    fn toml_and_environment_layer_over_defaults() {
        figment::Jail::expect_with(|jail| {
            jail.create_file(
                "sa.toml",
                "listen = \"127.0.0.1:9000\"\n[limits]\ncode_lock_secs = 300\n",
            )?;
            jail.set_env("SA_DATA_DIR", "/tmp/sa-data");
            jail.set_env("SA_TRUSTED_PROXIES", "10.0.0.0/8, 192.168.1.1");
            jail.set_env("SA_LIMITS__PASSWORD_FAILURES_PER_WINDOW", "7");
            jail.set_env("SA_TEST_POSTGRES_URL", "postgres://ignored");
            let config = Config::load(Some(Path::new("sa.toml"))).map_err(figment::Error::from)?;
            assert_eq!(config.listen.port(), 9000);
            assert_eq!(config.limits.code_lock_secs, 300);
            assert_eq!(config.limits.password_failures_per_window, 7);
            assert_eq!(config.data_dir, PathBuf::from("/tmp/sa-data"));
            assert_eq!(config.trusted_proxies.len(), 2);
            Ok(())
        });
    }

    #[test]
    fn the_key_encryption_key_is_checked_at_start_and_never_printed() {
        let value = "kek7:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
        figment::Jail::expect_with(|jail| {
            jail.set_env("SA_KEY_ENCRYPTION_KEY", value);
            jail.set_env("SA_NEW_KEY_ENCRYPTION_KEY", "read by keys rewrap only");
            let config = Config::load(None).map_err(figment::Error::from)?;
            let kek = config.kek().map_err(figment::Error::from)?;
            assert_eq!(kek.as_ref().map(Kek::id), Some("kek7"));
            let debug = format!("{config:?}");
            assert!(
                !debug.contains("AAECAw") && debug.contains("<redacted>"),
                "{debug}"
            );

            jail.set_env("SA_KEY_ENCRYPTION_KEY", "kek7:c2hvcnQ=");
            let error = Config::load(None).unwrap_err();
            assert!(error.contains("key_encryption_key"), "{error}");
            assert!(!error.contains("c2hvcnQ="), "{error}");
            Ok(())
        });
    }

    #[test]
    fn unsafe_or_unknown_settings_are_refused_with_the_key_named() {
        figment::Jail::expect_with(|jail| {
            jail.create_file("bad.toml", "listne = \"127.0.0.1:1\"\n")?;
            let error = Config::load(Some(Path::new("bad.toml"))).unwrap_err();
            assert!(error.contains("listne"), "{error}");
            jail.create_file(
                "lax.toml",
                "[limits]\nfactor_failures_before_disable = 500\n",
            )?;
            let error = Config::load(Some(Path::new("lax.toml"))).unwrap_err();
            assert!(error.contains("100"), "{error}");
            Ok(())
        });
    }

    #[test]
    fn the_oidc_settings_reach_the_provider_and_bad_ones_are_named() {
        figment::Jail::expect_with(|jail| {
            let issuer = "https://id.example.gov";
            let strict = Config::load(None).map_err(figment::Error::from)?;
            let provider = strict.oidc.provider_config(issuer);
            assert!(!provider.assertion_audience_token_endpoint);
            assert_eq!(provider.refresh_token_idle_secs, 30 * 24 * 3600);

            jail.set_env(
                "SA_OIDC__CLIENT_ASSERTION_AUDIENCE",
                "issuer_or_token_endpoint",
            );
            jail.set_env("SA_OIDC__REFRESH_TOKEN_IDLE_SECS", "3600");
            let legacy = Config::load(None).map_err(figment::Error::from)?;
            let provider = legacy.oidc.provider_config(issuer);
            assert!(provider.assertion_audience_token_endpoint);
            assert_eq!(provider.refresh_token_idle_secs, 3600);

            jail.set_env("SA_OIDC__CLIENT_ASSERTION_AUDIENCE", "anything");
            let error = Config::load(None).unwrap_err();
            assert!(error.contains("oidc.client_assertion_audience"), "{error}");
            jail.set_env("SA_OIDC__CLIENT_ASSERTION_AUDIENCE", "issuer");
            jail.set_env("SA_OIDC__REFRESH_TOKEN_MAX_SECS", "60");
            let error = Config::load(None).unwrap_err();
            assert!(error.contains("oidc.refresh_token_max_secs"), "{error}");
            Ok(())
        });
    }

    #[test]
    fn a_vendor_is_chosen_per_kind_checked_and_its_key_never_printed() {
        figment::Jail::expect_with(|jail| {
            jail.set_env(
                "SA_SOURCES__PHONE_RECORDS__URL",
                "https://carrier.example/v1",
            );
            jail.set_env("SA_SOURCES__PHONE_RECORDS__API_KEY", "vendor-key-123");
            jail.set_env("SA_SOURCES__PHONE_RECORDS__TIMEOUT_MS", "800");
            let config = Config::load(None).map_err(figment::Error::from)?;
            let phones = config.sources.phone_records.clone().expect("a vendor");
            assert_eq!(phones.timeout_ms, 800);
            assert_eq!(phones.retries, 2, "the rest are defaults");
            assert!(config.sources.tax_returns.is_none(), "the tables");
            assert!(!format!("{config:?}").contains("vendor-key-123"));

            jail.set_env(
                "SA_SOURCES__PHONE_RECORDS__URL",
                "http://carrier.example/v1",
            );
            let error = Config::load(None).unwrap_err();
            assert!(error.contains("sources.phone_records.url"), "{error}");
            assert!(error.contains("https"), "{error}");
            jail.set_env("SA_SOURCES__PHONE_RECORDS__URL", "http://127.0.0.1:9/v1");
            jail.set_env("SA_SOURCES__PHONE_RECORDS__BREAKER_FAILURES", "0");
            let error = Config::load(None).unwrap_err();
            assert!(error.contains("breaker_failures"), "{error}");
            Ok(())
        });
    }
}
