//! Online security information: recent sign-ins and account events, newest first.

use super::{core::Core, sessions::AuthSession};
use crate::model::{LoginRecord, Next, SecurityEvent, SessionStage};
use crate::{DomainError, DomainResult};

/// How many entries of each list the security page shows.
pub const HISTORY_LIMIT: i64 = 25;

#[derive(Debug)]
pub struct SecurityOverview {
    pub recent_logins: Vec<LoginRecord>,
    pub events: Vec<SecurityEvent>,
}

/// The person's security page: history, sessions, password, data export, apps.
#[derive(Clone, Copy)]
pub struct Security<'a> {
    pub(super) core: &'a Core,
}

impl<'a> Security<'a> {
    pub(crate) fn new(core: &'a Core) -> Self {
        Self { core }
    }
}

impl Security<'_> {
    pub async fn security_overview(&self, auth: &AuthSession) -> DomainResult<SecurityOverview> {
        if auth.session.stage != SessionStage::Authenticated {
            return Err(DomainError::WrongStep {
                next: Next::SecondFactor,
                message_id: "step-second-factor-first",
            });
        }
        Ok(SecurityOverview {
            recent_logins: self
                .core
                .store
                .recent_logins(&auth.account.id, HISTORY_LIMIT)
                .await?,
            events: self
                .core
                .store
                .security_events(&auth.account.id, HISTORY_LIMIT)
                .await?,
        })
    }
}

impl Security<'_> {
    /// The person chose a language on a page while signed in: messages and letters to
    /// them are written in it from now on.
    pub async fn choose_language(
        &self,
        auth: &AuthSession,
        language: sa_i18n::Lang,
    ) -> DomainResult<()> {
        if auth.account.language == language {
            return Ok(());
        }
        let change = crate::store::Change::new().with(crate::store::Write::SetAccountLanguage {
            account_id: auth.account.id.clone(),
            language,
        });
        self.core.commit(change).await
    }

    /// The person agreed to share with an app (single sign-on): in their history and the
    /// audit log.
    pub async fn record_app_consent(&self, account_id: &str, app_name: &str) -> DomainResult<()> {
        let change = crate::store::Change::new()
            .with(self.core.event(
                account_id,
                "app_connected",
                format!(
                    "You allowed {app_name} to sign you in and see the information it asked for"
                ),
            ))
            .with(self.core.audit(
                crate::audit::applicant_actor(account_id),
                "oidc.consent_granted",
                Some(account_id),
                serde_json::json!({ "app": app_name }),
            ));
        self.core.commit(change).await
    }

    /// The person withdrew an app's access.
    pub async fn record_app_revoked(&self, account_id: &str, app_name: &str) -> DomainResult<()> {
        let change = crate::store::Change::new()
            .with(self.core.event(
                account_id,
                "app_disconnected",
                format!("You removed {app_name}'s access to your account"),
            ))
            .with(self.core.audit(
                crate::audit::applicant_actor(account_id),
                "oidc.consent_revoked",
                Some(account_id),
                serde_json::json!({ "app": app_name }),
            ));
        self.core.commit(change).await
    }
}
