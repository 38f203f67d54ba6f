//! Online security information: recent sign-ins and account events, newest first.

use super::{AuthSession, Services};
use crate::model::{LoginRecord, Next, SecurityEvent, SessionStage};
use crate::{DomainError, DomainResult};

/// How many entries of each list the security page shows.
pub const HISTORY_LIMIT: i64 = 25;

#[derive(Debug)]
pub struct SecurityOverview {
    pub recent_logins: Vec<LoginRecord>,
    pub events: Vec<SecurityEvent>,
}

impl Services {
    pub async fn security_overview(&self, auth: &AuthSession) -> DomainResult<SecurityOverview> {
        if auth.session.stage != SessionStage::Authenticated {
            return Err(DomainError::WrongStep {
                next: Next::SecondFactor,
                message: "Sign in with your second factor first.",
            });
        }
        Ok(SecurityOverview {
            recent_logins: self
                .store
                .recent_logins(&auth.account.id, HISTORY_LIMIT)
                .await?,
            events: self
                .store
                .security_events(&auth.account.id, HISTORY_LIMIT)
                .await?,
        })
    }
}

impl Services {
    /// The person agreed to share with an app (single sign-on): in their history and the
    /// audit log.
    pub async fn record_app_consent(&self, account_id: &str, app_name: &str) -> DomainResult<()> {
        let change = crate::store::Change::new()
            .with(self.event(
                account_id,
                "app_connected",
                format!(
                    "You allowed {app_name} to sign you in and see the information it asked for"
                ),
            ))
            .with(self.audit(
                crate::audit::applicant_actor(account_id),
                "oidc.consent_granted",
                Some(account_id),
                serde_json::json!({ "app": app_name }),
            ));
        self.commit(change).await
    }

    /// The person withdrew an app's access.
    pub async fn record_app_revoked(&self, account_id: &str, app_name: &str) -> DomainResult<()> {
        let change = crate::store::Change::new()
            .with(self.event(
                account_id,
                "app_disconnected",
                format!("You removed {app_name}'s access to your account"),
            ))
            .with(self.audit(
                crate::audit::applicant_actor(account_id),
                "oidc.consent_revoked",
                Some(account_id),
                serde_json::json!({ "app": app_name }),
            ));
        self.commit(change).await
    }
}
