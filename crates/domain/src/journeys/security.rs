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
