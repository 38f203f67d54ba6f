//! The step graph of an account, declared once: the gates every account passes in order,
//! and for each proofing action the case steps it may be taken at, the limits it counts
//! and the steps it may lead to. Both the answer "what next?" ([`next_step`]) and the
//! check before a proofing action runs ([`refusal`]) read these declarations, so the
//! order of steps is written in one place. Pure: the journeys gather the [`Facts`].
//!
//! ```text
//!  email confirmed ─► password chosen ─► (staff letter pending: mail_code)
//!     ─► [identity required and not verified] second factor entered if the account has one
//!          ─► identity ─► financial_account ─► phone ─► phone_code ─► verified
//!                                                 └──────┴──► mail_code ─► verified
//!     ─► a second factor set up ─► entered ─► done
//! ```

use crate::model::Next;
use crate::proofing::case::ProofingStep;

/// What a person does in proofing; each maps to one API call and one page form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProofingAction {
    /// Personal information against the tax returns.
    Identity,
    /// One financial account.
    FinancialAccount,
    /// A mobile phone in the applicant's name (a code is texted to it).
    Phone,
    /// The texted code.
    PhoneCode,
    /// Ask for an activation letter.
    RequestLetter,
    /// The mailed activation code.
    MailCode,
}

/// A limit an action counts before it runs (the numbers are in
/// [`Limits`](crate::limits::Limits)).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepLimitKind {
    /// Identity attempts per account.
    Identity,
    /// Identity attempts per SSN, across accounts.
    Ssn,
    FinancialAccount,
    Phone,
    /// Codes texted to proofing phones.
    Sms,
    MailCode,
    /// Letters per account in 30 days (and one per day).
    Letters,
}

/// One action's place in the graph.
#[derive(Debug, Clone, Copy)]
pub struct ActionRule {
    /// The case steps at which the action may be taken.
    pub allowed_at: &'static [ProofingStep],
    /// The limits it counts, in the order it counts them.
    pub limits: &'static [StepLimitKind],
    /// The steps the case may be at after it.
    pub may_follow: &'static [ProofingStep],
}

/// After a financial account, and until a code is entered, the person may try a phone or
/// choose the letter, in any order.
const PHONE_OR_LETTER: &[ProofingStep] = &[
    ProofingStep::Phone,
    ProofingStep::PhoneCode,
    ProofingStep::MailCode,
];

impl ProofingAction {
    pub const fn rule(self) -> ActionRule {
        use ProofingStep as S;
        use StepLimitKind as L;
        match self {
            Self::Identity => ActionRule {
                allowed_at: &[S::Identity],
                limits: &[L::Identity, L::Ssn],
                may_follow: &[S::Identity, S::FinancialAccount, S::Exception],
            },
            Self::FinancialAccount => ActionRule {
                allowed_at: &[S::FinancialAccount],
                limits: &[L::FinancialAccount],
                may_follow: &[S::FinancialAccount, S::Phone],
            },
            Self::Phone => ActionRule {
                allowed_at: PHONE_OR_LETTER,
                limits: &[L::Phone, L::Sms],
                may_follow: PHONE_OR_LETTER,
            },
            Self::PhoneCode => ActionRule {
                allowed_at: &[S::PhoneCode],
                limits: &[],
                may_follow: &[S::PhoneCode, S::Verified, S::Exception],
            },
            Self::RequestLetter => ActionRule {
                allowed_at: PHONE_OR_LETTER,
                limits: &[L::Letters],
                may_follow: &[S::MailCode],
            },
            // A letter may arrive after the person went on to try a phone.
            Self::MailCode => ActionRule {
                allowed_at: PHONE_OR_LETTER,
                limits: &[L::MailCode],
                may_follow: &[S::MailCode, S::Verified, S::Exception],
            },
        }
    }

    /// Whether a case at `step` may take this action.
    pub fn allowed_at(self, step: ProofingStep) -> bool {
        self.rule().allowed_at.contains(&step)
    }

    /// Whether this action may leave the case at `step`.
    pub fn may_lead_to(self, step: ProofingStep) -> bool {
        self.rule().may_follow.contains(&step)
    }
}

/// What the graph reads about an account and its session.
#[derive(Debug, Clone, Copy)]
pub struct Facts {
    pub email_confirmed: bool,
    pub password_change_required: bool,
    pub identity_verified: bool,
    /// The deployment requires a verified identity before an account is complete.
    pub verification_required: bool,
    pub has_active_factor: bool,
    /// The session entered a second factor (or set up the first one).
    pub second_factor_entered: bool,
    /// Staff verified the person and the letter they sent is due.
    pub staff_letter_due: bool,
    /// The case's step (a new or abandoned case is at `Identity`).
    pub case_step: ProofingStep,
}

/// A gate every account passes, in this order, before anything else.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gate {
    EmailConfirmed,
    PasswordChosen,
}

const GATES: [Gate; 2] = [Gate::EmailConfirmed, Gate::PasswordChosen];

impl Gate {
    fn holds(self, facts: &Facts) -> bool {
        match self {
            Self::EmailConfirmed => facts.email_confirmed,
            Self::PasswordChosen => !facts.password_change_required,
        }
    }

    pub fn next(self) -> Next {
        match self {
            Self::EmailConfirmed => Next::ConfirmEmail,
            Self::PasswordChosen => Next::ChangePassword,
        }
    }

    /// The catalogue id of what to do first.
    pub fn message_id(self) -> &'static str {
        match self {
            Self::EmailConfirmed => "step-confirm-email-first",
            Self::PasswordChosen => "step-choose-password-first",
        }
    }
}

/// The first gate the account has not passed.
pub fn unmet_gate(facts: &Facts) -> Option<Gate> {
    GATES.into_iter().find(|gate| !gate.holds(facts))
}

/// An account with a factor proofs in a session that entered it.
fn second_factor_due(facts: &Facts) -> bool {
    facts.has_active_factor && !facts.second_factor_entered
}

/// What this account must do next.
pub fn next_step(facts: &Facts) -> Next {
    if let Some(gate) = unmet_gate(facts) {
        return gate.next();
    }
    if facts.identity_verified && facts.staff_letter_due {
        // Staff are helping an already verified person back in: the letter first.
        return Next::ProofingMailCode;
    }
    if facts.verification_required && !facts.identity_verified {
        if second_factor_due(facts) {
            return Next::SecondFactor;
        }
        if let Some(next) = facts.case_step.next() {
            return next;
        }
    }
    if !facts.has_active_factor {
        Next::SetupSecondFactor
    } else if !facts.second_factor_entered {
        Next::SecondFactor
    } else {
        Next::Done
    }
}

/// Why a proofing action cannot run now, checked in the graph's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// An account gate comes first.
    Gate(Gate),
    /// Every sign-in method was turned off: only the help desk can help.
    RecoveryRequired,
    /// The identity is verified already; the account's own next step applies.
    AlreadyVerified,
    /// The account has a second factor and this session has not entered it.
    SecondFactorFirst,
    /// The case is at another step.
    WrongStep(ProofingStep),
}

/// Whether `action` may run for this account now. `needs_recovery`: every factor the
/// account confirmed is disabled. A staff letter that is due may be entered whatever
/// else the account has: it is how a person staff verified gets back in.
pub fn refusal(facts: &Facts, needs_recovery: bool, action: ProofingAction) -> Option<Refusal> {
    if let Some(gate) = unmet_gate(facts) {
        return Some(Refusal::Gate(gate));
    }
    if facts.staff_letter_due && action.allowed_at(ProofingStep::MailCode) {
        return None;
    }
    if needs_recovery {
        return Some(Refusal::RecoveryRequired);
    }
    if facts.identity_verified {
        return Some(Refusal::AlreadyVerified);
    }
    if second_factor_due(facts) {
        return Some(Refusal::SecondFactorFirst);
    }
    (!action.allowed_at(facts.case_step)).then_some(Refusal::WrongStep(facts.case_step))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn applicant(step: ProofingStep) -> Facts {
        Facts {
            email_confirmed: true,
            password_change_required: false,
            identity_verified: false,
            verification_required: true,
            has_active_factor: false,
            second_factor_entered: false,
            staff_letter_due: false,
            case_step: step,
        }
    }

    const ACTIONS: [ProofingAction; 6] = [
        ProofingAction::Identity,
        ProofingAction::FinancialAccount,
        ProofingAction::Phone,
        ProofingAction::PhoneCode,
        ProofingAction::RequestLetter,
        ProofingAction::MailCode,
    ];

    #[test]
    fn every_step_the_graph_names_is_one_an_action_can_be_taken_at() {
        for step in [
            ProofingStep::Identity,
            ProofingStep::FinancialAccount,
            ProofingStep::Phone,
            ProofingStep::PhoneCode,
            ProofingStep::MailCode,
        ] {
            let next = next_step(&applicant(step));
            assert_eq!(Some(next), step.next());
            assert!(ACTIONS.iter().any(|a| a.allowed_at(step)), "{step:?}");
            assert!(
                ACTIONS
                    .iter()
                    .all(|a| refusal(&applicant(step), false, *a).is_none() == a.allowed_at(step))
            );
        }
    }

    #[test]
    fn steps_follow_only_the_declared_order() {
        // Each action leads only to steps some action (or verification) continues from.
        for action in ACTIONS {
            for step in action.rule().may_follow {
                assert!(
                    matches!(step, ProofingStep::Verified | ProofingStep::Exception)
                        || ACTIONS.iter().any(|a| a.allowed_at(*step)),
                    "{action:?} -> {step:?}"
                );
            }
        }
        assert!(!ProofingAction::Identity.may_lead_to(ProofingStep::Verified));
        assert!(!ProofingAction::FinancialAccount.allowed_at(ProofingStep::Identity));
    }

    #[test]
    fn gates_come_first_in_order() {
        let mut facts = applicant(ProofingStep::Phone);
        facts.email_confirmed = false;
        facts.password_change_required = true;
        assert_eq!(next_step(&facts), Next::ConfirmEmail);
        assert_eq!(
            refusal(&facts, false, ProofingAction::Phone),
            Some(Refusal::Gate(Gate::EmailConfirmed))
        );
        facts.email_confirmed = true;
        assert_eq!(next_step(&facts), Next::ChangePassword);
    }

    #[test]
    fn an_account_with_a_factor_enters_it_before_proofing() {
        let mut facts = applicant(ProofingStep::Identity);
        facts.has_active_factor = true;
        assert_eq!(next_step(&facts), Next::SecondFactor);
        assert_eq!(
            refusal(&facts, false, ProofingAction::Identity),
            Some(Refusal::SecondFactorFirst)
        );
        facts.second_factor_entered = true;
        assert_eq!(next_step(&facts), Next::ProofingIdentity);
    }

    #[test]
    fn a_staff_letter_is_entered_whatever_else_the_account_has() {
        let mut facts = applicant(ProofingStep::MailCode);
        facts.identity_verified = true;
        facts.staff_letter_due = true;
        facts.has_active_factor = true;
        assert_eq!(next_step(&facts), Next::ProofingMailCode);
        assert_eq!(refusal(&facts, true, ProofingAction::MailCode), None);
        assert_eq!(
            refusal(&facts, false, ProofingAction::Identity),
            Some(Refusal::AlreadyVerified)
        );
    }

    #[test]
    fn without_required_verification_the_account_goes_to_its_factors() {
        let mut facts = applicant(ProofingStep::Identity);
        facts.verification_required = false;
        assert_eq!(next_step(&facts), Next::SetupSecondFactor);
        // Proofing is still open (an app may ask for a verified identity).
        assert_eq!(refusal(&facts, false, ProofingAction::Identity), None);
    }
}
