//! What the apps a person uses must hear about their account: the RISC events
//! (OpenID Risk and Incident Sharing and Coordination, the types Login.gov sends) and
//! back-channel logout. An [`AppEvent`] is written in the same transaction as the
//! change it reports ([`crate::journeys::Core`] adds it when it commits); the OpenID
//! Connect provider later turns each into one signed token per app in the outbox
//! (`oidc/push.rs`), which the delivery worker posts with retries.
//!
//! | in the security history (or the change)          | apps hear                 |
//! | ------------------------------------------------ | ------------------------- |
//! | `disabled_by_staff` / `enabled_by_staff`          | `account-disabled` / `account-enabled` |
//! | a password changed or reset                       | `credential-change` (password, update) |
//! | a second factor or passkey added / removed / reset | `credential-change` (two-factor, create / delete) |
//! | `email_changed`                                   | `identifier-changed`      |
//! | recovery online, by letter, or by account reset   | `recovery-activated`      |
//! | sessions ended by staff, or a disavowed change    | `sessions-revoked`        |
//! | the account deleted                               | `account-purged`          |
//! | signed out, or every session ended                | a back-channel logout     |

use serde_json::{Value, json};
use time::OffsetDateTime;

/// The RISC event type URIs start with this.
pub const RISC_PREFIX: &str = "https://schemas.openid.net/secevent/risc/event-type/";
/// The event of an OpenID Connect Back-Channel Logout token.
pub const BACKCHANNEL_LOGOUT: &str = "http://schemas.openid.net/event/backchannel-logout";
/// The [`AppEvent::kind`] of a logout (not a RISC event: it goes to logout URIs).
pub const LOGOUT: &str = "logout";
/// The outbox `template` of a Security Event Token for an app's `events_uri`.
pub const SECURITY_EVENT_TEMPLATE: &str = "security_event";
/// The outbox `template` of a logout token for an app's `backchannel_logout_uri`.
pub const LOGOUT_TEMPLATE: &str = "backchannel_logout";

/// One thing apps must hear about one account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppEvent {
    pub id: String,
    pub account_id: String,
    /// [`LOGOUT`], or a RISC event type name (`account-disabled`, ...).
    pub kind: String,
    /// The event's members, a JSON object (`{}` for most).
    pub detail: Value,
    /// The apps to tell, fixed when the account is being deleted (its consents go
    /// with it); `None`: the account's connected apps when dispatched.
    pub audience: Option<Vec<String>>,
    pub created_at: OffsetDateTime,
}

impl AppEvent {
    pub fn new(account_id: &str, kind: &str, detail: Value, at: OffsetDateTime) -> Self {
        Self {
            id: crate::model::new_id(at),
            account_id: account_id.to_owned(),
            kind: kind.to_owned(),
            detail,
            audience: None,
            created_at: at,
        }
    }

    /// A back-channel logout for the account's apps.
    pub fn logout(account_id: &str, at: OffsetDateTime) -> Self {
        Self::new(account_id, LOGOUT, json!({}), at)
    }

    /// The RISC event type URI (`None` for a logout).
    pub fn risc_type(&self) -> Option<String> {
        (self.kind != LOGOUT).then(|| format!("{RISC_PREFIX}{}", self.kind))
    }
}

/// One token sent (or being sent) to an app, for `apps show`: what it said, when it
/// was queued, and where delivery stands (from the outbox).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppDelivery {
    /// The event's kind ([`LOGOUT`] or the RISC event name).
    pub kind: String,
    pub created_at: OffsetDateTime,
    /// `pending`, `sent` or `dead` (given up).
    pub status: String,
    pub attempts: i64,
    /// Why the last attempt failed (names the app's host, never the token).
    pub last_error: Option<String>,
}

/// The RISC event (its name and members) a security-history entry means to apps.
pub fn risc_event_for(history_kind: &str) -> Option<(&'static str, Value)> {
    let credential = |credential_type: &str, change_type: &str| json!({"credential_type": credential_type, "change_type": change_type});
    Some(match history_kind {
        "disabled_by_staff" => ("account-disabled", json!({})),
        "enabled_by_staff" => ("account-enabled", json!({})),
        "password_changed" | "password_reset" | "temporary_password_used" => {
            ("credential-change", credential("password", "update"))
        }
        "factor_added" => ("credential-change", credential("two-factor", "create")),
        "factor_removed" | "factor_disabled" | "factors_reset" => {
            ("credential-change", credential("two-factor", "delete"))
        }
        "email_changed" => ("identifier-changed", json!({})),
        "recovered_online" | "recovered_by_letter" | "account_reset_completed" => {
            ("recovery-activated", json!({}))
        }
        "sessions_ended_by_staff" | "disavowed" => ("sessions-revoked", json!({})),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn history_entries_map_to_risc_events_and_others_to_none() {
        assert_eq!(
            risc_event_for("disabled_by_staff").map(|e| e.0),
            Some("account-disabled")
        );
        let (name, members) = risc_event_for("factor_removed").unwrap();
        assert_eq!(name, "credential-change");
        assert_eq!(members["change_type"], "delete");
        assert!(risc_event_for("new_device_sign_in").is_none());
        assert!(risc_event_for("staff_viewed").is_none());
    }

    #[test]
    fn a_logout_has_no_risc_type() {
        let at = OffsetDateTime::UNIX_EPOCH;
        assert_eq!(AppEvent::new("a", LOGOUT, json!({}), at).risc_type(), None);
        assert_eq!(
            AppEvent::new("a", "account-purged", json!({}), at)
                .risc_type()
                .as_deref(),
            Some("https://schemas.openid.net/secevent/risc/event-type/account-purged")
        );
    }
}
