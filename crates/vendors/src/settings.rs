//! One vendor's settings, as the configuration gives them (`[sources.*]`).

use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

/// How to reach one vendor and how patient to be with it.
#[derive(Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(default, deny_unknown_fields)]
pub struct VendorSettings {
    /// The API's base URL (`https://…`; `http://` only for a vendor on this machine).
    /// The three searches are `POST {url}/tax-returns/search`,
    /// `/financial-accounts/search` and `/phone-records/search`.
    pub url: String,
    /// Sent as `Authorization: Bearer …` when set. Never printed.
    pub api_key: Option<String>,
    /// How long one try may take, connection included. Default 2000 ms.
    pub timeout_ms: u64,
    /// Tries after the first when a try fails. Default 2.
    pub retries: u32,
    /// The first back-off before a retry; each retry doubles it, and the wait is a
    /// random time up to it (full jitter). Default 100 ms.
    pub backoff_ms: u64,
    /// Failed lookups in a row that open the breaker. Default 5.
    pub breaker_failures: u32,
    /// How long an open breaker refuses lookups before it lets one trial through.
    /// Default 30 s.
    pub breaker_cooldown_secs: u64,
}

impl Default for VendorSettings {
    fn default() -> Self {
        Self {
            url: String::new(),
            api_key: None,
            timeout_ms: 2_000,
            retries: 2,
            backoff_ms: 100,
            breaker_failures: 5,
            breaker_cooldown_secs: 30,
        }
    }
}

impl std::fmt::Debug for VendorSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("VendorSettings")
            .field("url", &self.url)
            .field("api_key", &self.api_key.as_ref().map(|_| "<redacted>"))
            .field("timeout_ms", &self.timeout_ms)
            .field("retries", &self.retries)
            .field("backoff_ms", &self.backoff_ms)
            .field("breaker_failures", &self.breaker_failures)
            .field("breaker_cooldown_secs", &self.breaker_cooldown_secs)
            .finish()
    }
}

impl VendorSettings {
    /// Why these settings cannot work, naming the key under `prefix`, if they cannot.
    pub fn problem(&self, prefix: &str) -> Option<String> {
        let url = self.url.trim();
        if url.is_empty() {
            return Some(format!("{prefix}.url: set the vendor's base URL"));
        }
        let Ok(parsed) = reqwest::Url::parse(url) else {
            return Some(format!("{prefix}.url: not a URL"));
        };
        let local = matches!(
            parsed.host_str(),
            Some("localhost" | "127.0.0.1" | "[::1]" | "::1")
        );
        if parsed.scheme() != "https" && !(parsed.scheme() == "http" && local) {
            return Some(format!(
                "{prefix}.url: use https:// (http:// only for a vendor on this machine)"
            ));
        }
        if self.timeout_ms == 0 {
            return Some(format!("{prefix}.timeout_ms: must be at least 1"));
        }
        if self.breaker_failures == 0 {
            return Some(format!("{prefix}.breaker_failures: must be at least 1"));
        }
        None
    }

    /// The key, held so it is wiped when dropped.
    pub(crate) fn bearer(&self) -> Option<Zeroizing<String>> {
        self.api_key
            .as_ref()
            .filter(|k| !k.is_empty())
            .map(|k| Zeroizing::new(format!("Bearer {k}")))
    }
}
