//! Applicants for the proofing simulator (`secure-access proofing simulate`), which runs
//! synthetic people through the real proofing journeys on a database of its own. Each
//! gets an account whose email is confirmed and whose password can never be used (the
//! simulator never signs in), and a session at the start of proofing: what a person
//! has after signing up and confirming their email. Nothing else creates such accounts.

use super::core::{Core, RequestContext, normalise_username, purpose};
use super::sessions::{AuthSession, Sessions};
use crate::DomainResult;
use crate::model::{Account, SessionStage, new_id};
use crate::store::{Change, Write};

/// No password hash has this form, so no password ever matches it.
const NO_PASSWORD: &str = "!simulated-applicant";

#[derive(Clone, Copy)]
pub struct SimulatedApplicants<'a> {
    core: &'a Core,
}

impl<'a> SimulatedApplicants<'a> {
    pub(crate) fn new(core: &'a Core) -> Self {
        Self { core }
    }
}

impl SimulatedApplicants<'_> {
    /// A new account `username` (email `username@example.test`, confirmed) signed in at
    /// the start of proofing, from `ctx`.
    pub async fn start(&self, username: &str, ctx: &RequestContext) -> DomainResult<AuthSession> {
        let now = self.core.now();
        let username = normalise_username(username);
        let account = Account {
            id: new_id(now),
            username: username.clone(),
            email_sealed: self
                .core
                .keys
                .seal_str(purpose::EMAIL, &format!("{username}@example.test"))?,
            password_hash: NO_PASSWORD.to_owned(),
            created_at: now,
            email_confirmed_at: Some(now),
            code_failures: 0,
            code_locked_until: None,
            identity_verified_at: None,
            identity_verified_by: None,
            password_change_required: false,
            password_reset_required: false,
            deleted_at: None,
            disabled_at: None,
            language: sa_i18n::Lang::En,
        };
        let sessions = Sessions::new(self.core);
        let (token, session) =
            sessions.new_session(&account.id, SessionStage::Enrolling, None, ctx);
        let account_id = account.id.clone();
        let change = Change::new()
            .with(Write::InsertAccount(account))
            .with(session)
            .with(self.core.event(
                &account_id,
                "account_created",
                "Simulated applicant created by the proofing simulator",
            ));
        self.core.commit(change).await?;
        sessions.authenticate(&token).await
    }
}
