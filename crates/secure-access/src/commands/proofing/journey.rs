//! Each simulated person through the real journeys: the same `Proofing` and `Letters`
//! code the pages and the API call, on the simulator's own database, with texts and
//! letters handed to the real delivery worker and caught by a sender that keeps them
//! for the person they were sent to. An impostor never reads a letter: it goes to the
//! victim's address of record.

use std::net::{IpAddr, Ipv4Addr};
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use rand::Rng;
use sa_delivery::{Router, SendError, Sender, Worker};
use sa_domain::journeys::{AuthSession, IdentityInput, ProofingResult, parse_account_kind};
use sa_domain::model::{Channel, Message};
use sa_domain::proofing::case::AttemptResult;
use sa_domain::store::Store;
use sa_domain::{DomainError, RequestContext, Services};
use sa_store::SqlStore;
use time::OffsetDateTime;

use super::population::{Genuine, Impostor};
use super::typing::Typist;

/// What the delivery worker handed over, newest last.
#[derive(Default)]
pub struct Inbox {
    messages: Mutex<Vec<Message>>,
}

impl Inbox {
    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<Message>> {
        self.messages
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The newest code on `channel` (to `to`, if given), taken out of the inbox.
    fn take_code(&self, channel: Channel, to: Option<&str>) -> Option<String> {
        let mut messages = self.lock();
        let i = messages.iter().rposition(|m| {
            m.channel == channel && m.code.is_some() && to.is_none_or(|t| m.to == t)
        })?;
        messages.remove(i).code
    }

    fn clear(&self) {
        self.lock().clear();
    }
}

#[async_trait]
impl Sender for Inbox {
    async fn send(
        &self,
        _id: &str,
        message: &Message,
        _at: OffsetDateTime,
    ) -> Result<(), SendError> {
        self.lock().push(message.clone());
        Ok(())
    }

    fn kind(&self) -> &'static str {
        "simulator inbox"
    }
}

/// How one person's application ended.
#[derive(Debug, Default, Clone)]
pub struct Ending {
    /// Verified online with every step right the first time.
    pub first_try_online: bool,
    /// `online`, `mail`, or `None` when not verified.
    pub verified_by: Option<&'static str>,
    /// Reason codes of the failed or refused attempts, in order.
    pub reasons: Vec<String>,
    /// A letter went to the address of record (for an impostor: the victim's).
    pub letter_sent: bool,
}

pub struct Harness {
    pub services: Arc<Services>,
    pub store: SqlStore,
    worker: Worker,
    inbox: Arc<Inbox>,
}

/// Where a person applies from: their own address and device, or a ring's.
fn context(n: u64, device: &str) -> RequestContext {
    let [_, a, b, c] = u32::try_from(n % (1 << 24)).unwrap_or(0).to_be_bytes();
    RequestContext {
        ip: IpAddr::V4(Ipv4Addr::new(10, a, b, c)),
        user_agent: "Mozilla/5.0 (proofing simulator)".to_owned(),
        device: Some(device.to_owned()),
        language: sa_i18n::Lang::En,
    }
}

impl Harness {
    pub fn new(
        services: Arc<Services>,
        store: SqlStore,
        clock: Arc<dyn sa_domain::clock::Clock>,
    ) -> Self {
        let inbox = Arc::new(Inbox::default());
        let router = Router::new(inbox.clone(), inbox.clone(), inbox.clone());
        let worker = Worker::new(
            Arc::new(store.clone()),
            services.core().keys.clone(),
            clock,
            router,
            sa_delivery::DeliveryConfig::default(),
        );
        Self {
            services,
            store,
            worker,
            inbox,
        }
    }

    async fn deliver(&self) -> anyhow::Result<()> {
        while self.worker.deliver_due().await? > 0 {}
        Ok(())
    }

    async fn reasons(&self, auth: &AuthSession) -> anyhow::Result<Vec<String>> {
        let mut attempts = self.store.proofing_attempts(&auth.account.id, 100).await?;
        attempts.reverse();
        Ok(attempts
            .into_iter()
            .filter(|a| a.result != AttemptResult::Passed)
            .flat_map(|a| a.reasons)
            .collect())
    }

    async fn start(&self, username: &str, ctx: &RequestContext) -> anyhow::Result<AuthSession> {
        Ok(self
            .services
            .simulated_applicants()
            .start(username, ctx)
            .await?)
    }

    /// The identity step with `input`; `Ok(true)` when it matched.
    async fn identity(
        &self,
        auth: &AuthSession,
        input: IdentityInput,
        ctx: &RequestContext,
    ) -> anyhow::Result<bool> {
        let today = self.services.core().now().date();
        let claim = match input.into_claim(today) {
            Ok(claim) => claim,
            Err(_) => return Ok(false),
        };
        Ok(outcome(
            self.services
                .proofing()
                .submit_identity(auth, &claim, ctx)
                .await,
        )? == Some(ProofingResult::Matched))
    }

    async fn financial(
        &self,
        auth: &AuthSession,
        kind: &str,
        number: &str,
    ) -> anyhow::Result<bool> {
        let Ok(kind) = parse_account_kind(kind) else {
            return Ok(false);
        };
        Ok(outcome(
            self.services
                .proofing()
                .submit_financial_account(auth, kind, number)
                .await,
        )? == Some(ProofingResult::Matched))
    }

    /// The phone step; for a person who holds the phone, the texted code too.
    async fn phone(
        &self,
        auth: &AuthSession,
        typed: &str,
        holder: Option<&str>,
        ctx: &RequestContext,
    ) -> anyhow::Result<bool> {
        let sent = outcome(
            self.services
                .proofing()
                .submit_proofing_phone(auth, typed, ctx)
                .await,
        )?;
        if sent != Some(ProofingResult::CodeSent) {
            return Ok(false);
        }
        self.deliver().await?;
        let Some(code) = holder.and_then(|to| self.inbox.take_code(Channel::Sms, Some(to))) else {
            return Ok(false);
        };
        Ok(outcome(
            self.services
                .proofing()
                .confirm_proofing_phone(auth, &code)
                .await,
        )? == Some(ProofingResult::Verified))
    }

    /// Ask for a letter; the person at the address of record enters its code if
    /// `reads_letter`. Returns (letter sent, verified).
    async fn letter(&self, auth: &AuthSession, reads_letter: bool) -> anyhow::Result<(bool, bool)> {
        let queued = match self.services.letters().request_letter(auth).await {
            Ok(_) => true,
            Err(error) => {
                expected(error)?;
                false
            }
        };
        self.deliver().await?;
        let code = self.inbox.take_code(Channel::Letter, None);
        let verified = match (reads_letter, code) {
            (true, Some(code)) => {
                outcome(self.services.letters().confirm_letter(auth, &code).await)?
                    == Some(ProofingResult::Verified)
            }
            _ => false,
        };
        Ok((queued, verified))
    }

    /// A genuine person: their typing first; then, where a step failed, again carefully
    /// from their own papers; a phone that fails leads to the letter.
    pub async fn genuine<R: Rng>(
        &self,
        person: &Genuine,
        typist: &mut Typist<'_, R>,
    ) -> anyhow::Result<Ending> {
        self.inbox.clear();
        let ctx = context(person.index, &format!("device-{}", person.index));
        let auth = self.start(&format!("sim-{}", person.index), &ctx).await?;
        let mut first_try = true;
        let mut ending = Ending::default();

        let typed = typist.identity(&person.typed_identity);
        if !self.identity(&auth, typed, &ctx).await? {
            first_try = false;
            let careful = super::typing::careful_identity(&person.latest_return);
            if !self.identity(&auth, careful, &ctx).await? {
                ending.reasons = self.reasons(&auth).await?;
                return Ok(ending);
            }
        }

        let typed_account = person.typed_financial.as_ref().map(|f| {
            let kind = f["kind"].as_str().unwrap_or_default().to_owned();
            let whole = person
                .accounts
                .iter()
                .find(|a| a.kind == kind)
                .map(|a| a.number.as_str());
            let number = typist.account_number(
                &kind,
                f["account_number"].as_str().unwrap_or_default(),
                whole,
            );
            (kind, number)
        });
        let mut passed = match &typed_account {
            Some((kind, number)) => self.financial(&auth, kind, number).await?,
            None => false,
        };
        if !passed {
            first_try = false;
            for held in &person.accounts {
                let number = if held.kind == "credit_card" {
                    held.number[held.number.len().saturating_sub(8)..].to_owned()
                } else {
                    held.number.clone()
                };
                if self.financial(&auth, &held.kind, &number).await? {
                    passed = true;
                    break;
                }
            }
        }
        if !passed {
            ending.reasons = self.reasons(&auth).await?;
            return Ok(ending);
        }

        let typed_phone = typist.phone(&person.own_phone);
        if self
            .phone(&auth, &typed_phone, Some(&person.own_phone), &ctx)
            .await?
        {
            ending.first_try_online = first_try;
            ending.verified_by = Some("online");
        } else {
            let (sent, verified) = self.letter(&auth, true).await?;
            ending.letter_sent = sent;
            ending.verified_by = verified.then_some("mail");
        }
        ending.reasons = self.reasons(&auth).await?;
        Ok(ending)
    }

    /// An impostor: the victim's data as breached, then the phone they hold, then the
    /// letter, which goes to the victim.
    pub async fn impostor<R: Rng>(
        &self,
        n: usize,
        impostor: &Impostor,
        typist: &mut Typist<'_, R>,
    ) -> anyhow::Result<Ending> {
        self.inbox.clear();
        let ctx = match impostor.ring {
            Some(ring) => context(0xff_0000 + ring as u64, &format!("ring-device-{ring}")),
            None => context(0xfe_0000 + n as u64, &format!("impostor-device-{n}")),
        };
        let auth = self.start(&format!("sim-impostor-{n}"), &ctx).await?;
        let mut ending = Ending::default();
        let typed = typist.identity(&impostor.typed_identity);
        let financial = &impostor.financial;
        let steps_passed = self.identity(&auth, typed, &ctx).await?
            && financial.is_object()
            && self
                .financial(
                    &auth,
                    financial["kind"].as_str().unwrap_or_default(),
                    financial["account_number"].as_str().unwrap_or_default(),
                )
                .await?;
        if steps_passed {
            let typed_phone = typist.phone(&impostor.phone);
            if self
                .phone(&auth, &typed_phone, Some(&impostor.phone), &ctx)
                .await?
            {
                ending.verified_by = Some("online");
            } else {
                let (sent, verified) = self.letter(&auth, false).await?;
                ending.letter_sent = sent;
                ending.verified_by = verified.then_some("mail");
            }
        }
        ending.reasons = self.reasons(&auth).await?;
        Ok(ending)
    }
}

/// A step's result; refusals a person meets (limits, wrong step, bad input) are a
/// "no", anything else stops the simulation.
fn outcome(
    result: Result<sa_domain::journeys::ProofingOutcome, DomainError>,
) -> anyhow::Result<Option<ProofingResult>> {
    match result {
        Ok(outcome) => Ok(Some(outcome.result)),
        Err(error) => expected(error).map(|()| None),
    }
}

fn expected(error: DomainError) -> anyhow::Result<()> {
    match error {
        DomainError::Unavailable { detail } => anyhow::bail!("the simulation failed: {detail}"),
        DomainError::SourceUnavailable { .. } => anyhow::bail!("a live source is unavailable"),
        _ => Ok(()),
    }
}
