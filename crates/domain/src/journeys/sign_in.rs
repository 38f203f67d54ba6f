//! Sign-in: username and password, then a second factor.
//!
//! - Unknown usernames and wrong passwords get the same answer after the same work (a
//!   dummy Argon2id verification).
//! - Wrong passwords are counted per username (existing or not) in a window; past the
//!   limit, sign-in waits until the window ends.
//! - Each code try is claimed on the account before the code is checked (lock after 10
//!   for 10 minutes, even for tries sent in parallel); wrong codes also count on the
//!   factor (disabled after 100 consecutive failures); each is recorded in the login
//!   history with its reason (`wrong_code`, `code_replayed`, `code_expired`,
//!   `code_already_used`). A reused authenticator code is also told to its holder by
//!   email and in the security history.
//! - A correct code replaces the session with a new, authenticated one.
//! - A temporary password from the help desk (see `password.rs`) signs in once, to a
//!   session that must choose a new password before anything else.

use time::Duration;

use super::sessions::Sessions;
use super::sessions::methods_of;
use super::temporary_passwords::TemporaryPasswords;
use super::{core::Core, core::RequestContext, core::normalise_username, core::purpose};
use crate::clock::seconds_until;
use crate::limits::IpAction;
use crate::model::Account;
use crate::model::{Next, SessionStage};
use crate::store::{Change, Write};
use crate::{DomainError, DomainResult};

#[derive(Debug)]
pub struct SignInStarted {
    pub session_token: String,
    pub next: Next,
    /// Second-factor methods the account can use, authenticator app first.
    pub methods: Vec<&'static str>,
}

/// The sign-in journey: password, then a second factor.
#[derive(Clone, Copy)]
pub struct SignIn<'a> {
    pub(super) core: &'a Core,
}

impl<'a> SignIn<'a> {
    pub(crate) fn new(core: &'a Core) -> Self {
        Self { core }
    }
}

impl SignIn<'_> {
    /// Sign in with the temporary password: it is used up, and the session may only
    /// choose a new password (then continue where the account stands).
    pub(super) async fn sign_in_with_temporary_password(
        &self,
        account: &Account,
        ctx: &RequestContext,
        take_back: Write,
    ) -> DomainResult<SignInStarted> {
        let now = self.core.now();
        let (session_token, session) =
            Sessions::new(self.core).new_session(&account.id, SessionStage::Enrolling, None, ctx);
        let change = Change::new()
            .with(take_back)
            .with(Write::UseTemporaryPassword {
                account_id: account.id.clone(),
                at: now,
            })
            .with(session)
            .with(Sessions::new(self.core).login_record(
                &account.id,
                ctx,
                "temporary_password",
                true,
                None,
            ))
            .with(self.core.event(
                &account.id,
                "temporary_password_used",
                "Signed in with the temporary password from the help desk",
            ));
        self.core.commit(change).await?;
        Ok(SignInStarted {
            session_token,
            next: Next::ChangePassword,
            methods: Vec::new(),
        })
    }

    /// Check username and password and start a session that still needs a second factor.
    pub async fn with_password(
        &self,
        username: &str,
        password: &str,
        ctx: &RequestContext,
    ) -> DomainResult<SignInStarted> {
        self.core.limit_ip(ctx.ip, IpAction::SignIn).await?;
        let now = self.core.now();
        let username = normalise_username(username);
        let counter_key = format!(
            "pw:{}",
            self.core
                .keys
                .fingerprint(purpose::USERNAME_COUNTER, username.as_bytes())
        );
        let window = Duration::seconds(self.core.limits().password_failure_window_secs);
        // A place in the hashing queue first: when it is full the attempt is refused
        // before any database work, so a flood costs the database nothing.
        let turn = self.core.hasher.reserve()?;
        // Count the attempt before checking it, then read: parallel guesses can never
        // get more than the limit through. A correct password takes its count back.
        let (started, count) = self.core.count_in_window(&counter_key, window, now).await?;
        if started > now - window && count > self.core.limits().password_failures_per_window {
            // Refused before any check: only checked wrong passwords keep their count.
            self.core.uncount_in_window(&counter_key).await?;
            self.core.metrics.limit_refused("username_password");
            return Err(DomainError::RateLimited {
                retry_after_secs: seconds_until(now, started + window),
            });
        }
        let checked = self.check_password(turn, &username, password).await;
        let (account, correct, temporary) = match checked {
            Ok(checked) => checked,
            Err(error) => {
                // Not checked (the database failed, or the hashing queue for the
                // temporary-password check was full).
                self.core.uncount_in_window(&counter_key).await?;
                return Err(error);
            }
        };
        // A correct password takes its count back in the transaction that records what
        // came of it (one write fewer per sign-in); if that fails, the count stays.
        let take_back = Write::UncountInWindow { key: counter_key };
        let outcome = |account_id: &str, reason: &str| {
            Change::new()
                .with(take_back.clone())
                .with(Sessions::new(self.core).login_record(
                    account_id,
                    ctx,
                    "password",
                    false,
                    Some(reason),
                ))
        };
        if (correct || temporary)
            && let Some(account) = account.as_ref().filter(|a| a.disabled_at.is_some())
        {
            self.core
                .commit(outcome(&account.id, "account_disabled"))
                .await?;
            return Err(DomainError::AccountDisabled);
        }
        if temporary && let Some(account) = &account {
            return self
                .sign_in_with_temporary_password(account, ctx, take_back.clone())
                .await;
        }
        if !correct {
            let mut change = Change::new();
            if let Some(account) = &account {
                change.push(Sessions::new(self.core).login_record(
                    &account.id,
                    ctx,
                    "password",
                    false,
                    Some("wrong_password"),
                ));
            }
            self.core.commit(change).await?;
            return Err(DomainError::InvalidCredentials);
        }
        let Some(account) = account else {
            return Err(DomainError::InvalidCredentials);
        };
        if account.password_reset_required {
            // The owner said "this wasn't me": the password is no longer enough.
            self.core
                .commit(outcome(&account.id, "password_reset_required"))
                .await?;
            return Err(DomainError::PasswordResetRequired);
        }
        let factors = self.core.store.factors(&account.id).await?;
        if super::core::needs_recovery(&factors) {
            self.core
                .commit(outcome(&account.id, "factors_disabled"))
                .await?;
            return Err(DomainError::RecoveryRequired);
        }
        let account = self.upgrade_legacy_hash(account, password).await?;
        let methods = methods_of(&factors);
        let stage = if account.email_confirmed_at.is_none() || methods.is_empty() {
            SessionStage::Enrolling
        } else {
            SessionStage::PasswordVerified
        };
        let (session_token, session) =
            Sessions::new(self.core).new_session(&account.id, stage, None, ctx);
        // The count taken back and the new session need no transaction: either alone
        // is harmless (a correct password's count back, or a session nobody holds).
        self.core
            .commit(Change::new().with(take_back).with(session).independent())
            .await?;
        Ok(SignInStarted {
            session_token,
            next: self.core.next_step(&account, &factors, stage).await?,
            methods,
        })
    }

    /// The first sign-in of an account moved over from an older tool (its password just
    /// proved): the old hash becomes Argon2id, and an unconfirmed email gets its code.
    async fn upgrade_legacy_hash(&self, account: Account, password: &str) -> DomainResult<Account> {
        if !crate::password::legacy::is_legacy(&account.password_hash) {
            return Ok(account);
        }
        let new_hash = self
            .core
            .hasher
            .hash(crate::password::normalise(password))
            .await?;
        let mut change = Change::new().with(Write::UpgradePasswordHash {
            account_id: account.id.clone(),
            old_hash: account.password_hash.clone(),
            new_hash: new_hash.clone(),
        });
        change.push(self.core.event(
            &account.id,
            "password_upgraded",
            "First sign-in after moving over: the password is now stored with Argon2id",
        ));
        if account.email_confirmed_at.is_none() {
            let email = self.core.account_email(&account)?;
            self.core
                .push_email_code(&mut change, &account.id, &email, account.language)?;
        }
        match self.core.commit(change).await {
            // A parallel sign-in upgraded it first: nothing left to do.
            Ok(()) | Err(DomainError::Conflict(_)) => {}
            Err(other) => return Err(other),
        }
        Ok(Account {
            password_hash: new_hash,
            ..account
        })
    }

    /// The account (if any) and whether `password` is its password or its usable
    /// temporary password (the same Argon2id work either way).
    async fn check_password(
        &self,
        turn: crate::password::HashTurn,
        username: &str,
        password: &str,
    ) -> DomainResult<(Option<crate::model::Account>, bool, bool)> {
        let account = self.core.store.account_by_username(username).await?;
        let stored_hash = account.as_ref().map(|a| a.password_hash.clone());
        let correct = turn.verify(password, stored_hash).await?;
        let temporary = !correct
            && match &account {
                Some(account) => {
                    TemporaryPasswords::new(self.core)
                        .temporary_password_matches(account, password)
                        .await?
                }
                None => false,
            };
        Ok((account, correct, temporary))
    }
}
