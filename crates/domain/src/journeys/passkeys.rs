//! Passkeys and security keys (WebAuthn) as sign-in methods:
//!
//! - registering one as a factor (from the security page, at first factor set-up, or
//!   through the API): user verification required, no attestation, a credential id
//!   already registered to any account refused;
//! - using one as the second factor after the password;
//! - signing in with one alone: a discoverable credential with user verification
//!   names its account, so no username or password is asked.
//!
//! Both sign-ins give AAL2 and a session that records it was phishing-resistant
//! (`auth_method` `passkey` or `passwordless_passkey`). Every answer is checked by the
//! relying party (`crate::passkey`: origin, RP id, challenge, user verification, sign
//! counter, backup flags) and against the stored counter again; each refusal is in the
//! sign-in history with its reason and told in plain words.

use serde_json::Value;
use webauthn_rs::prelude::{
    AuthenticationResult, DiscoverableAuthentication, Passkey, PasskeyAuthentication,
    PasskeyRegistration, PublicKeyCredential,
};

use super::factors::{ConfirmedFactor, Factors, clean_label, pending_factor};
use super::passkey_ceremonies::{NewCeremony, ceremony};
use super::second_factor::{Assurance, SecondFactorStage, SecondFactorVerified};
use super::sessions::Sessions;
use super::sign_in::SignIn;
use super::{core::RequestContext, sessions::AuthSession};
use crate::limits::IpAction;
use crate::model::{
    Account, Factor, FactorKind, PASSKEY_METHOD, PASSKEY_SETUP_METHOD, PASSWORDLESS_METHOD,
    PasskeyCredential, SessionStage,
};
use crate::passkey::{
    self, ALREADY_REGISTERED, EXPIRED, PasskeyRefusal, RegisteredPasskey, UNKNOWN_CREDENTIAL,
};
use crate::store::{Change, Write};
use crate::{DomainError, DomainResult};

/// A passkey being registered: the pending factor and the options for
/// `navigator.credentials.create` (`{"publicKey": ...}`).
#[derive(Debug)]
pub struct PasskeyEnrolment {
    pub factor_id: String,
    pub options: Value,
}

/// A sign-in ceremony started: its id and the options for `navigator.credentials.get`.
#[derive(Debug)]
pub struct PasskeyChallenge {
    pub challenge_id: String,
    pub options: Value,
}

fn registration_id(factor_id: &str) -> String {
    format!("{}:{factor_id}", ceremony::REGISTER)
}

fn second_factor_id(session_id: &str) -> String {
    format!("{}:{session_id}", ceremony::SECOND_FACTOR)
}

impl Factors<'_> {
    /// Start registering a passkey: a pending factor and the creation options.
    pub async fn begin_passkey(
        &self,
        auth: &AuthSession,
        label: Option<&str>,
    ) -> DomainResult<PasskeyEnrolment> {
        let factors = self.require_factor_management(auth).await?;
        Self::check_factor_room(&factors)?;
        let rp = self.core.relying_party()?;
        let label = clean_label(label, "Passkey")?;
        let account_id = &auth.account.id;
        let existing = self
            .core
            .store
            .passkeys(account_id)
            .await?
            .iter()
            .filter_map(|p| passkey::open_passkey(&p.credential_json))
            .map(|p| p.cred_id().clone())
            .collect();
        let (options, state) = rp.start_registration(
            self.core.passkey_user_handle(account_id),
            &auth.account.username,
            existing,
        )?;
        let factor = Factor::new(
            account_id,
            FactorKind::Passkey,
            label,
            None,
            self.core.now(),
            false,
        );
        let factor_id = factor.id.clone();
        let mut change = Change::new().with(Write::InsertFactor(factor));
        self.core.keep_ceremony(
            &mut change,
            NewCeremony {
                id: registration_id(&factor_id),
                purpose: ceremony::REGISTER,
                account_id: Some(account_id),
                session_id: Some(&auth.session.id),
                factor_id: Some(&factor_id),
            },
            &state,
        )?;
        self.core.commit(change).await?;
        Ok(PasskeyEnrolment { factor_id, options })
    }

    /// Finish registering a passkey with the authenticator's answer.
    pub async fn confirm_passkey(
        &self,
        auth: &AuthSession,
        factor_id: &str,
        credential: &Value,
    ) -> DomainResult<ConfirmedFactor> {
        let factors = self.require_factor_management(auth).await?;
        let factor = pending_factor(&factors, factor_id, FactorKind::Passkey)?;
        let rp = self.core.relying_party()?;
        let (state, finish) = self
            .core
            .open_ceremony::<PasskeyRegistration>(
                &registration_id(&factor.id),
                ceremony::REGISTER,
                Some(&auth.account.id),
            )
            .await?;
        let registered = rp.finish_registration(credential, &state)?;
        if self
            .core
            .store
            .passkey_by_credential_id(&registered.credential_id)
            .await?
            .is_some()
        {
            return Err(ALREADY_REGISTERED.into());
        }
        let credential_id = registered.credential_id.clone();
        let change = Change::new()
            .with(finish)
            .with(Write::InsertPasskey(passkey_record(
                &factor.id,
                &auth.account.id,
                registered,
            )));
        let what = crate::messages::FactorChange::new("factor-added-passkey", factor.label.clone());
        match self
            .confirm_pending(auth, &factors, factor, change, what, PASSKEY_SETUP_METHOD)
            .await
        {
            // The guarded writes: the credential was registered meanwhile, or the
            // ceremony was finished by another request.
            Err(DomainError::Conflict(_)) => {
                let taken = self
                    .core
                    .store
                    .passkey_by_credential_id(&credential_id)
                    .await?
                    .is_some();
                Err(if taken { ALREADY_REGISTERED } else { EXPIRED }.into())
            }
            other => other,
        }
    }
}

fn passkey_record(
    factor_id: &str,
    account_id: &str,
    passkey: RegisteredPasskey,
) -> PasskeyCredential {
    PasskeyCredential {
        factor_id: factor_id.to_owned(),
        account_id: account_id.to_owned(),
        credential_id: passkey.credential_id,
        credential_json: passkey.credential_json,
        sign_count: passkey.sign_count,
        backup_eligible: passkey.backup_eligible,
        backup_state: passkey.backup_state,
    }
}

/// A checked assertion: the writes recording the use.
struct PasskeyUsed {
    writes: Vec<Write>,
}

impl SignIn<'_> {
    /// The options to use a passkey as the second factor (after the password).
    pub async fn passkey_options(&self, auth: &AuthSession) -> DomainResult<Value> {
        let factors = self.require_second_factor_stage(auth).await?.factors;
        self.check_code_lock(auth)?;
        let rp = self.core.relying_party()?;
        let passkeys: Vec<Passkey> = self
            .active_passkeys(&auth.account.id, &factors)
            .await?
            .iter()
            .filter_map(|p| passkey::open_passkey(&p.credential_json))
            .collect();
        if passkeys.is_empty() {
            return Err(DomainError::invalid(
                "method",
                "There is no passkey set up on this account. Choose another sign-in method.",
            ));
        }
        let (options, state) = rp.start_authentication(&passkeys)?;
        let mut change = Change::new();
        self.core.keep_ceremony(
            &mut change,
            NewCeremony {
                id: second_factor_id(&auth.session.id),
                purpose: ceremony::SECOND_FACTOR,
                account_id: Some(&auth.account.id),
                session_id: Some(&auth.session.id),
                factor_id: None,
            },
            &state,
        )?;
        self.core.commit(change).await?;
        Ok(options)
    }

    /// Check a passkey used as the second factor; on success the session is replaced
    /// by an authenticated, phishing-resistant one.
    pub async fn verify_passkey(
        &self,
        auth: &AuthSession,
        credential: &Value,
        ctx: &RequestContext,
    ) -> DomainResult<SecondFactorVerified> {
        let SecondFactorStage { factors, case } = self.require_second_factor_stage(auth).await?;
        self.check_code_lock(auth)?;
        let rp = self.core.relying_party()?;
        let account = &auth.account;
        let checked = async {
            let answer = passkey::read_assertion(credential)?;
            let (state, finish) = self
                .core
                .open_ceremony::<PasskeyAuthentication>(
                    &second_factor_id(&auth.session.id),
                    ceremony::SECOND_FACTOR,
                    Some(&account.id),
                )
                .await?;
            let used = self
                .check_assertion(&account.id, &answer, &factors, |_| {
                    rp.finish_authentication(&answer, &state)
                })
                .await?;
            Ok::<_, DomainError>((used, finish))
        }
        .await;
        let (used, finish) = match checked {
            Ok(ok) => ok,
            Err(error) => {
                return Err(self
                    .record_passkey_failure(account, PASSKEY_METHOD, error, ctx)
                    .await);
            }
        };
        let mut change = Change::new().with(finish);
        change.writes.extend(used.writes);
        change.push(Write::ResetCodeFailures {
            account_id: account.id.clone(),
            clear_lock_until: None,
        });
        change.push(Sessions::new(self.core).login_record(
            &account.id,
            ctx,
            PASSKEY_METHOD,
            true,
            None,
        ));
        self.note_device(&mut change, account, ctx).await?;
        let session_token =
            Sessions::new(self.core).elevate(&mut change, &auth.session, ctx, PASSKEY_METHOD);
        self.commit_passkey_use(account, PASSKEY_METHOD, change, ctx)
            .await?;
        Ok(SecondFactorVerified {
            session_token,
            next: self.core.next_step_with(
                account,
                &factors,
                SessionStage::Authenticated,
                case.as_ref(),
            ),
            assurance: Assurance::of(account, PASSKEY_METHOD),
        })
    }

    /// Start a sign-in with a passkey alone: options with no credentials listed, so the
    /// browser offers the person's discoverable passkeys for this site.
    pub async fn passwordless_options(
        &self,
        ctx: &RequestContext,
    ) -> DomainResult<PasskeyChallenge> {
        self.core.limit_ip(ctx.ip, IpAction::SignIn).await?;
        let rp = self.core.relying_party()?;
        let (options, state) = rp.start_discoverable()?;
        let challenge_id = crate::keys::hex(&crate::keys::random_bytes::<16>()[..]);
        let mut change = Change::new();
        self.core.keep_ceremony(
            &mut change,
            NewCeremony {
                id: challenge_id.clone(),
                purpose: ceremony::PASSWORDLESS,
                account_id: None,
                session_id: None,
                factor_id: None,
            },
            &state,
        )?;
        self.core.commit(change).await?;
        Ok(PasskeyChallenge {
            challenge_id,
            options,
        })
    }

    /// Sign in with a passkey alone: the passkey names the account; user verification
    /// on the device is the second factor. Opens an authenticated, phishing-resistant
    /// session.
    pub async fn with_passkey(
        &self,
        challenge_id: &str,
        credential: &Value,
        ctx: &RequestContext,
    ) -> DomainResult<SecondFactorVerified> {
        self.core.limit_ip(ctx.ip, IpAction::SignIn).await?;
        let rp = self.core.relying_party()?;
        let answer = passkey::read_assertion(credential)?;
        let (state, finish) = self
            .core
            .open_ceremony::<DiscoverableAuthentication>(challenge_id, ceremony::PASSWORDLESS, None)
            .await?;
        let credential_id = passkey::assertion_credential_id(&answer);
        let Some(account) = self.passkey_account(&credential_id).await? else {
            return Err(UNKNOWN_CREDENTIAL.into());
        };
        let factors = self.core.store.factors(&account.id).await?;
        let handle = self.core.passkey_user_handle(&account.id);
        let used = match self
            .check_assertion(&account.id, &answer, &factors, |passkey| {
                rp.finish_discoverable(&answer, state, passkey, handle)
            })
            .await
        {
            Ok(used) => used,
            Err(error) => {
                return Err(self
                    .record_passkey_failure(&account, PASSWORDLESS_METHOD, error, ctx)
                    .await);
            }
        };
        if let Some(refusal) = self.refuse_account(&account, ctx).await? {
            return Err(refusal);
        }
        let mut change = Change::new().with(finish);
        change.writes.extend(used.writes);
        change.push(Sessions::new(self.core).login_record(
            &account.id,
            ctx,
            PASSWORDLESS_METHOD,
            true,
            None,
        ));
        self.note_device(&mut change, &account, ctx).await?;
        let session_token = Sessions::new(self.core).open_authenticated(
            &mut change,
            &account.id,
            ctx,
            PASSWORDLESS_METHOD,
        );
        self.commit_passkey_use(&account, PASSWORDLESS_METHOD, change, ctx)
            .await?;
        Ok(SecondFactorVerified {
            session_token,
            next: self
                .core
                .next_step(&account, &factors, SessionStage::Authenticated)
                .await?,
            assurance: Assurance::of(&account, PASSWORDLESS_METHOD),
        })
    }

    /// The account holding this credential, if it is a live account.
    async fn passkey_account(&self, credential_id: &str) -> DomainResult<Option<Account>> {
        let Some(stored) = self
            .core
            .store
            .passkey_by_credential_id(credential_id)
            .await?
        else {
            return Ok(None);
        };
        Ok(self
            .core
            .store
            .account_by_id(&stored.account_id)
            .await?
            .filter(|a| a.deleted_at.is_none()))
    }

    /// Why this account may not sign in now, recorded (turned off by staff, or its
    /// owner said "this wasn't me" and must reset the password first).
    async fn refuse_account(
        &self,
        account: &Account,
        ctx: &RequestContext,
    ) -> DomainResult<Option<DomainError>> {
        let (reason, error) = if account.disabled_at.is_some() {
            ("account_disabled", DomainError::AccountDisabled)
        } else if account.password_reset_required {
            (
                "password_reset_required",
                DomainError::PasswordResetRequired,
            )
        } else {
            return Ok(None);
        };
        self.core
            .commit(Change::new().with(Sessions::new(self.core).login_record(
                &account.id,
                ctx,
                PASSWORDLESS_METHOD,
                false,
                Some(reason),
            )))
            .await?;
        Ok(Some(error))
    }

    /// The passkeys of the account's active passkey factors.
    async fn active_passkeys(
        &self,
        account_id: &str,
        factors: &[Factor],
    ) -> DomainResult<Vec<PasskeyCredential>> {
        Ok(self
            .core
            .store
            .passkeys(account_id)
            .await?
            .into_iter()
            .filter(|p| {
                factors
                    .iter()
                    .any(|f| f.id == p.factor_id && f.kind == FactorKind::Passkey && f.is_active())
            })
            .collect())
    }

    /// Check an assertion by `verify` against the named passkey of this account (an
    /// active factor), and that its counter moved on from the stored one.
    async fn check_assertion(
        &self,
        account_id: &str,
        answer: &PublicKeyCredential,
        factors: &[Factor],
        verify: impl FnOnce(&Passkey) -> Result<AuthenticationResult, PasskeyRefusal>,
    ) -> DomainResult<PasskeyUsed> {
        let credential_id = passkey::assertion_credential_id(answer);
        let stored = self
            .active_passkeys(account_id, factors)
            .await?
            .into_iter()
            .find(|p| p.credential_id == credential_id)
            .ok_or(DomainError::from(UNKNOWN_CREDENTIAL))?;
        let opened = passkey::open_passkey(&stored.credential_json)
            .ok_or_else(|| DomainError::unavailable("stored passkey unreadable"))?;
        let result = verify(&opened)?;
        let counter = i64::from(result.counter());
        if (counter > 0 || stored.sign_count > 0) && counter <= stored.sign_count {
            return Err(passkey::CLONED.into());
        }
        let after = passkey::after_use(opened, &result)?;
        let now = self.core.now();
        Ok(PasskeyUsed {
            writes: vec![
                Write::RecordPasskeyUse(passkey_record(
                    &stored.factor_id,
                    &stored.account_id,
                    after,
                )),
                Write::FactorUsed {
                    factor_id: stored.factor_id.clone(),
                    at: now,
                },
            ],
        })
    }

    /// Commit a passkey sign-in; a ceremony finished meanwhile by another request is a
    /// replay, refused and recorded.
    async fn commit_passkey_use(
        &self,
        account: &Account,
        method: &str,
        change: Change,
        ctx: &RequestContext,
    ) -> DomainResult<()> {
        match self.core.commit(change).await {
            Err(DomainError::Conflict(_)) => Err(self
                .record_passkey_failure(account, method, EXPIRED.into(), ctx)
                .await),
            other => other,
        }
    }

    /// Record a refused passkey in the sign-in history (and, for a counter that went
    /// back, in the security history); returns the error to show.
    async fn record_passkey_failure(
        &self,
        account: &Account,
        method: &str,
        error: DomainError,
        ctx: &RequestContext,
    ) -> DomainError {
        let DomainError::PasskeyRefused { reason, .. } = &error else {
            return error;
        };
        let mut change = Change::new().with(Sessions::new(self.core).login_record(
            &account.id,
            ctx,
            method,
            false,
            Some(reason),
        ));
        if *reason == passkey::CLONED.reason {
            change.push(self.core.event(
                &account.id,
                "passkey_refused",
                "A passkey was refused because its use count went backwards (it may have been copied)",
            ));
        }
        if let Err(commit) = self.core.commit(change).await {
            return commit;
        }
        error
    }
}
