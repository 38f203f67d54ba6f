//! The example's settings, all from environment variables, each with a default that
//! works next to `secure-access demo` on one machine:
//!
//! | variable | default | meaning |
//! | --- | --- | --- |
//! | `EXAMPLE_ISSUER` | `http://127.0.0.1:8080` | Secure Access's issuer (its public URL) |
//! | `EXAMPLE_CLIENT_ID` | `eservices` | the client id this app is registered under |
//! | `EXAMPLE_LISTEN` | `127.0.0.1:8090` | where this app listens |
//! | `EXAMPLE_DATA_DIR` | `eservices-data` | the records file and this app's key pair |
//! | `EXAMPLE_PUBLIC_URL` | `http://localhost:<port>` on loopback, else `http://<listen>` | this app's address as the browser sees it |
//!
//! The public URL defaults to `localhost` (not `127.0.0.1`) on purpose: browsers keep
//! cookies per host name, not per port, so Secure Access on `127.0.0.1` and this app on
//! `localhost` never see each other's cookies.

use std::net::SocketAddr;
use std::path::PathBuf;

use anyhow::Context;

/// Everything the app needs to start.
#[derive(Debug, Clone)]
pub struct Config {
    /// The provider's issuer identifier, without a trailing `/`.
    pub issuer: String,
    pub client_id: String,
    pub listen: SocketAddr,
    pub data_dir: PathBuf,
    /// This app's address as browsers see it (no trailing `/`); derived from the
    /// bound address when `None`.
    pub public_url: Option<String>,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            issuer: "http://127.0.0.1:8080".to_owned(),
            client_id: "eservices".to_owned(),
            listen: SocketAddr::from(([127, 0, 0, 1], 8090)),
            data_dir: PathBuf::from("eservices-data"),
            public_url: None,
        }
    }
}

impl Config {
    /// Read the `EXAMPLE_*` variables over the defaults; a malformed value is an error
    /// naming the variable.
    pub fn from_env() -> anyhow::Result<Self> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// As [`Config::from_env`], from any lookup (tests pass a map).
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> anyhow::Result<Self> {
        let mut config = Self::default();
        let value = |name: &str| {
            lookup(name)
                .map(|v| v.trim().to_owned())
                .filter(|v| !v.is_empty())
        };
        if let Some(issuer) = value("EXAMPLE_ISSUER") {
            config.issuer = issuer;
        }
        config.issuer = config.issuer.trim_end_matches('/').to_owned();
        if !(config.issuer.starts_with("https://") || config.issuer.starts_with("http://")) {
            anyhow::bail!("EXAMPLE_ISSUER must be an http:// or https:// URL");
        }
        if let Some(client_id) = value("EXAMPLE_CLIENT_ID") {
            config.client_id = client_id;
        }
        if let Some(listen) = value("EXAMPLE_LISTEN") {
            config.listen = listen
                .parse()
                .context("EXAMPLE_LISTEN must be an address such as 127.0.0.1:8090")?;
        }
        if let Some(dir) = value("EXAMPLE_DATA_DIR") {
            config.data_dir = PathBuf::from(dir);
        }
        config.public_url = value("EXAMPLE_PUBLIC_URL").map(|u| u.trim_end_matches('/').to_owned());
        Ok(config)
    }

    /// The public URL for the address actually bound.
    pub fn public_url_for(&self, bound: SocketAddr) -> String {
        match &self.public_url {
            Some(url) => url.clone(),
            None if bound.ip().is_loopback() => format!("http://localhost:{}", bound.port()),
            None => format!("http://{bound}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn from(pairs: &[(&str, &str)]) -> anyhow::Result<Config> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        Config::from_lookup(|name| map.get(name).cloned())
    }

    #[test]
    fn defaults_sit_next_to_the_demo() {
        let config = from(&[]).unwrap();
        assert_eq!(config.issuer, "http://127.0.0.1:8080");
        assert_eq!(config.client_id, "eservices");
        assert_eq!(
            config.public_url_for(config.listen),
            "http://localhost:8090"
        );
    }

    #[test]
    fn variables_override_and_a_bad_address_is_named() {
        let config = from(&[
            ("EXAMPLE_ISSUER", "https://id.example.test/"),
            ("EXAMPLE_CLIENT_ID", "tp-portal"),
            ("EXAMPLE_PUBLIC_URL", "https://eservices.example.test/"),
        ])
        .unwrap();
        assert_eq!(config.issuer, "https://id.example.test");
        assert_eq!(config.client_id, "tp-portal");
        assert_eq!(
            config.public_url_for(config.listen),
            "https://eservices.example.test"
        );
        let error = from(&[("EXAMPLE_LISTEN", "not an address")]).unwrap_err();
        assert!(error.to_string().contains("EXAMPLE_LISTEN"));
        assert!(from(&[("EXAMPLE_ISSUER", "ftp://x")]).is_err());
    }
}
