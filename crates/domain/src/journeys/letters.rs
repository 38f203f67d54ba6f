//! The mail path of proofing: an activation code mailed to the address of record (the
//! latest tax return, never an address the applicant typed), entered to verify.
//!
//! - [`Letters::request_letter`]: after the financial account matched; at most one
//!   letter per `letter_min_interval_secs` and `letters_per_30_days` per 30 days. The
//!   code (12 Crockford base32 characters) is stored as a fingerprint; the printable
//!   content is sealed until the letter is printed. Valid 21 days in the contiguous US,
//!   30 elsewhere.
//! - [`Letters::confirm_letter`]: `letter_code_attempts` tries per window.
//! - [`Letters::run_letter_jobs`]: the scheduled job: reminder emails on day 14,
//!   expiry of unused codes.
//! - [`Letters::letters_to_print`] / [`Letters::claim_for_batch`] /
//!   [`Letters::mark_batch_printed`]: what `secure-access letters print` uses; a
//!   letter is claimed by one batch before its PDF is written and marked printed after,
//!   so an interrupted run re-prints the same batch and no letter is printed twice.

use sa_i18n::Text;
use time::{Duration, OffsetDateTime};

use super::proofing_case::ProofingCases;
use super::proofing_case::{ProofingOutcome, ProofingResult};
use super::proofing_limits::{StepLimit, letters_in_last_30_days};
use super::{core::Core, core::purpose, sessions::AuthSession};
use crate::codes;
use crate::messages;
use crate::model::{Next, new_id};
use crate::proofing::case::{
    AttemptResult, Letter, LetterContent, ProofingStep, attempt_step, flow_reason, in_contiguous_us,
};
use crate::proofing::records::TaxReturn;
use crate::proofing::sources::Lookup;
use crate::proofing::steps::ProofingAction;
use crate::store::{Change, Write};
use crate::{DomainError, DomainResult};

/// A letter was queued.
#[derive(Debug, Clone)]
pub struct LetterQueued {
    pub letter_id: String,
    pub code_expires_at: OffsetDateTime,
    /// Business days a letter usually takes, low and high.
    pub expected_delivery_days: [u8; 2],
}

/// What one run of the letter job did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct LetterJobReport {
    pub reminders_sent: usize,
    pub expired: usize,
}

/// Letters to print together, with their opened content.
#[derive(Debug)]
pub struct PrintBatch {
    pub batch: String,
    pub letters: Vec<(Letter, LetterContent)>,
}

impl std::fmt::Debug for LetterContent {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("LetterContent { .. }")
    }
}

const LETTER_FINGERPRINT: &str = "letter";

/// Proofing by mail: activation letters, their codes, jobs and printing.
#[derive(Clone, Copy)]
pub struct Letters<'a> {
    core: &'a Core,
}

impl<'a> Letters<'a> {
    pub(crate) fn new(core: &'a Core) -> Self {
        Self { core }
    }
}

impl Letters<'_> {
    /// Refuse a letter request over the letter limits: the refusal is recorded, and the
    /// answer says when another letter may be asked for.
    async fn refuse_request(
        &self,
        account_id: &str,
        now: OffsetDateTime,
        until: OffsetDateTime,
    ) -> DomainResult<LetterQueued> {
        self.core
            .commit(Change::new().with(ProofingCases::new(self.core).attempt(
                account_id,
                attempt_step::MAIL_REQUEST,
                AttemptResult::Limited,
                vec![flow_reason::LETTER_LIMIT.to_owned()],
            )))
            .await?;
        Err(DomainError::RateLimited {
            retry_after_secs: crate::clock::seconds_until(now, until),
        })
    }

    /// Mail an activation code to the address of record.
    pub async fn request_letter(&self, auth: &AuthSession) -> DomainResult<LetterQueued> {
        let mut case = ProofingCases::new(self.core)
            .require_proofing(auth, ProofingAction::RequestLetter)
            .await?;
        let account_id = auth.account.id.clone();
        let now = self.core.now();
        let letter_key = match self.claim_letter_window(&account_id).await? {
            Ok(key) => key,
            Err(until) => return self.refuse_request(&account_id, now, until).await,
        };
        let ssn = self
            .core
            .case_ssn(&case)
            .unwrap_or_else(|| Lookup::fingerprint_only(""));
        let mut change = Change::new();
        let queued = match self.push_letter(&mut change, &auth.account, &ssn).await {
            Ok(queued) => queued,
            Err(error) => {
                self.core.uncount_in_window(&letter_key).await?;
                self.core
                    .commit(Change::new().with(ProofingCases::new(self.core).attempt(
                        &account_id,
                        attempt_step::MAIL_REQUEST,
                        AttemptResult::Failed,
                        vec![flow_reason::NO_ADDRESS_OF_RECORD.to_owned()],
                    )))
                    .await?;
                return Err(error);
            }
        };
        case.step = ProofingStep::MailCode;
        case.updated_at = now;
        change.push(Write::SaveProofingCase(case));
        change.push(ProofingCases::new(self.core).attempt(
            &account_id,
            attempt_step::MAIL_REQUEST,
            AttemptResult::Passed,
            Vec::new(),
        ));
        if let Err(error) = self.core.commit(change).await {
            // Nothing was mailed: the window is free again (best effort).
            let _ = self.core.uncount_in_window(&letter_key).await;
            return Err(error);
        }
        Ok(queued)
    }

    /// Take this account's turn for a letter under the letter limits (one per
    /// `letter_min_interval_secs`, `letters_per_30_days` per 30 days): `Ok(window key)`
    /// (to give back with `uncount_in_window` if nothing is mailed after all), or
    /// `Err(until)`: no letter before then.
    pub(super) async fn claim_letter_window(
        &self,
        account_id: &str,
    ) -> DomainResult<Result<String, OffsetDateTime>> {
        let now = self.core.now();
        let limits = self.core.limits().clone();
        let letters = self.core.store.letters_of(account_id).await?;
        let min_interval = Duration::seconds(limits.letter_min_interval_secs);
        let recent = letters_in_last_30_days(&letters, now);
        let wait_until =
            if let Some(last) = recent.iter().find(|l| now - l.created_at < min_interval) {
                Some(last.created_at + min_interval)
            } else if recent.len() as i64 >= limits.letters_per_30_days {
                recent
                    .iter()
                    .map(|l| l.created_at + Duration::days(30))
                    .min()
            } else {
                None
            };
        if let Some(until) = wait_until {
            return Ok(Err(until));
        }
        // Two requests at once both pass the reads above; the first to count this
        // account's letter window mails the letter, the other is refused.
        let letter_key = format!("letter:{account_id}");
        let (started, count) = self
            .core
            .count_in_window(&letter_key, min_interval, now)
            .await?;
        if started > now - min_interval && count > 1 {
            self.core.uncount_in_window(&letter_key).await?;
            return Ok(Err(started + min_interval));
        }
        Ok(Ok(letter_key))
    }

    /// The usable letter whose code is `typed`, if any (compared in constant time).
    pub(super) fn letter_with_code<'l>(
        &self,
        letters: &'l [Letter],
        account_id: &str,
        typed: &str,
    ) -> Option<&'l Letter> {
        let hash = codes::normalise_activation_code(typed).map(|c| {
            self.core
                .code_fingerprint(LETTER_FINGERPRINT, account_id, &c)
        })?;
        letters.iter().find(|l| {
            l.activated_at.is_none()
                && crate::keys::constant_time_eq(hash.as_bytes(), l.code_hash.as_bytes())
        })
    }

    /// The writes that mail a new activation letter to the address of record (the
    /// latest return for `ssn`): the letter row, the letter itself for the outbox,
    /// the email saying it is on its way, and the history entry. No limits: callers
    /// apply theirs (the applicant's, or none for staff).
    pub(super) async fn push_letter(
        &self,
        change: &mut Change,
        account: &crate::model::Account,
        ssn: &Lookup,
    ) -> DomainResult<LetterQueued> {
        let latest = self
            .core
            .sources
            .tax_returns
            .returns_for(ssn, 1)
            .await?
            .into_iter()
            .next()
            .ok_or(DomainError::Conflict("error-we-cant-mail-letter-because"))?;
        let now = self.core.now();
        let limits = self.core.limits();
        let code = codes::activation_code();
        let canonical = codes::normalise_activation_code(&code).unwrap_or_default();
        let valid_days = if in_contiguous_us(&latest.address.state) {
            limits.letter_valid_days_contiguous
        } else {
            limits.letter_valid_days_elsewhere
        };
        let expires_at = now + Duration::days(valid_days);
        let content = LetterContent {
            name: printed_name(&latest),
            address_lines: address_lines(&latest),
            code: code.clone(),
            language: account.language,
        };
        let content_json = serde_json::to_vec(&content).map_err(DomainError::unavailable)?;
        let letter = Letter {
            id: new_id(now),
            account_id: account.id.clone(),
            created_at: now,
            expires_at,
            code_hash: self
                .core
                .code_fingerprint(LETTER_FINGERPRINT, &account.id, &canonical),
            print_sealed: Some(self.core.keys.seal(purpose::LETTER_PRINT, &content_json)?),
            printed_at: None,
            print_batch: None,
            reminder_sent_at: None,
            activated_at: None,
            expired_at: None,
        };
        let letter_id = letter.id.clone();
        let mut block = vec![content.name.clone()];
        block.extend(content.address_lines.iter().cloned());
        change.push(Write::InsertLetter(letter));
        change.push(self.core.event(
            &account.id,
            "letter_requested",
            "Activation code letter mailed to the address on your latest tax return",
        ));
        self.core.enqueue(
            change,
            &messages::activation_letter(account.language, &block.join("\n"), &code, expires_at),
        )?;
        self.core.enqueue(
            change,
            &messages::letter_mailed(
                account.language,
                &self.core.account_email(account)?,
                expires_at,
            ),
        )?;
        Ok(LetterQueued {
            letter_id,
            code_expires_at: expires_at,
            expected_delivery_days: [5, 10],
        })
    }

    /// Enter a mailed activation code. A correct code verifies the identity by mail; the
    /// account then sets up a second factor.
    pub async fn confirm_letter(
        &self,
        auth: &AuthSession,
        code: &str,
    ) -> DomainResult<ProofingOutcome> {
        let mut case = ProofingCases::new(self.core)
            .require_proofing(auth, ProofingAction::MailCode)
            .await?;
        let account_id = auth.account.id.clone();
        let letters = self.core.store.letters_of(&account_id).await?;
        if letters.is_empty() {
            return Err(DomainError::WrongStep {
                next: Next::ProofingPhone,
                message_id: "step-letter-first",
            });
        }
        let limits = self.core.limits().clone();
        ProofingCases::new(self.core)
            .consume_attempt(&account_id, &StepLimit::mail_code(&limits, &account_id))
            .await?;
        let now = self.core.now();
        let letter = match self.letter_with_code(&letters, &account_id, code) {
            Some(letter) if letter.is_usable(now) => letter,
            found => {
                let (reason, error) = if found.is_some() {
                    (flow_reason::CODE_EXPIRED, DomainError::CodeExpired)
                } else {
                    (flow_reason::WRONG_CODE, DomainError::InvalidCode)
                };
                self.core
                    .commit(Change::new().with(ProofingCases::new(self.core).attempt(
                        &account_id,
                        attempt_step::MAIL_CODE,
                        AttemptResult::Failed,
                        vec![reason.to_owned()],
                    )))
                    .await?;
                return Err(error);
            }
        };
        let ssn_fp = case.ssn_fp.clone().unwrap_or_default();
        let staff_assisted = case.is_staff_assisted();
        let by = if staff_assisted {
            case.staff_method.clone().unwrap_or_default()
        } else {
            "mail".to_owned()
        };
        case.step = ProofingStep::Verified;
        case.updated_at = now;
        case.verified_at = Some(now);
        let mut change = Change::new().with(Write::MarkLetterActivated {
            letter_id: letter.id.clone(),
            at: now,
        });
        if staff_assisted {
            // Staff verified the person and the letter proves the address: whatever
            // sign-in methods the account had (lost, locked, disabled) give way to new ones.
            let factors = self.core.store.factors(&account_id).await?;
            for factor in &factors {
                change.push(Write::DeleteFactor {
                    factor_id: factor.id.clone(),
                });
            }
            if !factors.is_empty() {
                change.push(self.core.event(
                    &account_id,
                    "factors_reset",
                    "Your earlier sign-in methods were removed after staff verified your identity; set up a new one",
                ));
            }
        }
        ProofingCases::new(self.core).push_verification(
            &mut change,
            auth,
            case,
            &ssn_fp,
            &by,
            attempt_step::MAIL_CODE,
        )?;
        if let Some(outcome) = ProofingCases::new(self.core)
            .commit_verification(auth, change, &ssn_fp)
            .await?
        {
            return Ok(outcome);
        }
        let factors = self.core.store.factors(&account_id).await?;
        let verified = crate::model::Account {
            identity_verified_at: Some(now),
            identity_verified_by: Some("mail".to_owned()),
            ..auth.account.clone()
        };
        let next = self
            .core
            .next_step(&verified, &factors, auth.session.stage)
            .await?;
        Ok(ProofingOutcome {
            result: ProofingResult::Verified,
            next,
            message: Text::new("proofing-verified-by-letter"),
            attempts_remaining: None,
            session_token: None,
        })
    }

    /// The scheduled letter job: remind on day `letter_reminder_days`, expire unused
    /// codes. Safe to run from several instances at once (each change is guarded).
    pub async fn run_letter_jobs(&self) -> DomainResult<LetterJobReport> {
        let now = self.core.now();
        let mut report = LetterJobReport::default();
        let reminder_age = Duration::days(self.core.limits().letter_reminder_days);
        for letter in self
            .core
            .store
            .letters_needing_reminder(now - reminder_age, now, 500)
            .await?
        {
            let Some(account) = self.core.store.account_by_id(&letter.account_id).await? else {
                continue;
            };
            let mut change = Change::new().with(Write::MarkLetterReminded {
                letter_id: letter.id.clone(),
                at: now,
            });
            self.core.enqueue(
                &mut change,
                &messages::letter_reminder(
                    account.language,
                    &self.core.account_email(&account)?,
                    letter.expires_at,
                ),
            )?;
            if self.core.commit(change).await.is_ok() {
                report.reminders_sent += 1;
            }
        }
        for letter in self.core.store.letters_past_expiry(now, 500).await? {
            let Some(account) = self.core.store.account_by_id(&letter.account_id).await? else {
                continue;
            };
            let mut change = Change::new()
                .with(Write::MarkLetterExpired {
                    letter_id: letter.id.clone(),
                    at: now,
                })
                .with(self.core.event(
                    &letter.account_id,
                    "letter_expired",
                    "The mailed activation code expired unused",
                ));
            if account.identity_verified_at.is_none() {
                self.core.enqueue(
                    &mut change,
                    &messages::letter_expired(
                        account.language,
                        &self.core.account_email(&account)?,
                    ),
                )?;
            }
            if self.core.commit(change).await.is_ok() {
                report.expired += 1;
            }
        }
        Ok(report)
    }

    /// Letters waiting to be printed, with their content: first those claimed by a
    /// batch that was interrupted (so that batch is printed again, whole), otherwise
    /// up to `limit` unclaimed ones under a new batch name.
    pub async fn letters_to_print(&self, limit: i64) -> DomainResult<PrintBatch> {
        let waiting = self.core.store.unprinted_letters(limit).await?;
        let interrupted = waiting.iter().find_map(|l| l.print_batch.clone());
        let (batch, chosen): (String, Vec<Letter>) = match interrupted {
            Some(batch) => {
                let chosen = waiting
                    .into_iter()
                    .filter(|l| l.print_batch.as_deref() == Some(batch.as_str()))
                    .collect();
                (batch, chosen)
            }
            None => {
                let now = self.core.now();
                let batch = format!("{}-{}", now.date(), &new_id(now)[20..28]);
                (batch, waiting)
            }
        };
        let mut letters = Vec::with_capacity(chosen.len());
        for letter in chosen {
            let sealed = letter.print_sealed.clone().unwrap_or_default();
            let json = self.core.keys.open(purpose::LETTER_PRINT, &sealed)?;
            let content: LetterContent =
                serde_json::from_slice(&json).map_err(DomainError::unavailable)?;
            letters.push((letter, content));
        }
        Ok(PrintBatch { batch, letters })
    }

    /// Claim the batch's letters before the PDF is written (one transaction; fails if
    /// another run claimed one of them first).
    pub async fn claim_for_batch(&self, batch: &PrintBatch) -> DomainResult<()> {
        let mut change = Change::new();
        for (letter, _) in &batch.letters {
            if letter.print_batch.is_none() {
                change.push(Write::ClaimLetterForBatch {
                    letter_id: letter.id.clone(),
                    batch: batch.batch.clone(),
                });
            }
        }
        if change.is_empty() {
            return Ok(());
        }
        self.core.commit(change).await
    }

    /// The batch's files are written: mark its letters printed (their sealed content
    /// is erased).
    pub async fn mark_batch_printed(&self, batch: &PrintBatch) -> DomainResult<()> {
        let now = self.core.now();
        let mut change = Change::new();
        for (letter, _) in &batch.letters {
            change.push(Write::MarkLetterPrinted {
                letter_id: letter.id.clone(),
                at: now,
                batch: batch.batch.clone(),
            });
        }
        if change.is_empty() {
            return Ok(());
        }
        self.core.commit(change).await
    }
}

/// The name as printed: upper case, as on the return.
fn printed_name(latest: &TaxReturn) -> String {
    let mut parts = vec![latest.first_name.as_str()];
    if let Some(middle) = latest.middle_name.as_deref() {
        parts.push(middle);
    }
    parts.push(latest.last_name.as_str());
    if let Some(suffix) = latest.suffix.as_deref() {
        parts.push(suffix);
    }
    parts.join(" ").to_uppercase()
}

/// The address block under the name, as a USPS mail piece wants it.
fn address_lines(latest: &TaxReturn) -> Vec<String> {
    let a = &latest.address;
    let mut lines = vec![a.street.to_uppercase()];
    if let Some(unit) = a.unit.as_deref().filter(|u| !u.trim().is_empty()) {
        lines.push(unit.to_uppercase());
    }
    let zip = if a.zip.len() == 9 {
        format!("{}-{}", &a.zip[..5], &a.zip[5..])
    } else {
        a.zip.clone()
    };
    lines.push(format!("{} {} {zip}", a.city.to_uppercase(), a.state));
    lines
}
