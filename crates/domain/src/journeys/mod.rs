//! The journeys: every step a person takes, written once and called by both the HTML
//! pages and the JSON API.
//!
//! ```text
//!  sign_up().start ──► confirm_email ──► factors(): begin_totp/confirm_totp | add_phone/
//!     │                    ▲              confirm_phone | create_backup_codes ──► Authenticated
//!     ▼                    │ resend_email_code
//!  Enrolling session
//!
//!  sign_in().start ──► PasswordVerified ──► send_sms_code? ──► verify_second_factor ──► Authenticated
//!                                                              (new token: privilege changed)
//! ```
//!
//! Each journey is a small service over the shared [`Core`] (store, clock, keys, hasher,
//! sources, commit): [`SignUp`], [`SignIn`], [`Sessions`], [`Factors`], [`Proofing`] and
//! [`Letters`] (identity proofing), [`Security`] (the person's security page), [`Staff`]
//! and [`Roles`] (exception processing), [`Recovery`] (password reset, "this wasn't me",
//! account reset), [`Admin`], [`Reports`], [`AuditLog`], [`Demo`], and
//! [`SimulatedApplicants`] (the proofing simulator's applicants).
//! [`Services`] owns the core and hands each one out. A journey reads what it
//! needs, decides, and commits one [`Change`](crate::store::Change) holding the new rows,
//! the history entries and any outbox messages. The step graph (`steps.rs`, over the
//! declarations of `proofing::steps`) says what an account must do next, and steps
//! refuse to run out of order.
//!
//! Modules import one way: `core` at the bottom, then `one_time_codes` and `steps`
//! (more of the core), `sessions`, `roles` and `temporary_passwords`, then the
//! journeys, and this facade on top.

mod account_help;
mod account_reset;
mod active_sessions;
mod admin;
mod audit;
mod caller_accounts;
mod core;
mod deletion;
mod demo;
mod disavow;
mod email_change;
mod export;
mod factors;
mod identity_input;
mod in_person;
mod knowledge_checks;
mod legacy_import;
mod letters;
mod one_time_codes;
mod passkey_ceremonies;
mod passkeys;
mod password;
mod proofing;
mod proofing_case;
mod proofing_limits;
mod proofing_velocity;
mod recovery;
mod recovery_letter;
mod recovery_proofing;
mod report;
mod roles;
mod second_factor;
mod security;
mod security_email;
mod sessions;
mod sign_in;
mod sign_up;
mod simulated_applicants;
mod staff;
mod steps;
mod temporary_passwords;

pub(crate) use self::core::purpose;
pub use self::core::{
    Core, CoreParts, OUTBOX_PURPOSE, RequestContext, ServicesConfig, normalise_username,
};
pub use account_help::AccountHelp;
pub use account_reset::AccountResetDone;
pub use active_sessions::ActiveSession;
pub use admin::{Admin, Dashboard, MaintenanceStatus};
pub use audit::AuditLog;
pub use demo::{Demo, DemoAccount};
pub use factors::{ConfirmedFactor, FactorSummary, Factors, NewBackupCodes, TotpEnrolment};
pub use identity_input::{IdentityInput, parse_account_kind};
pub use in_person::InPersonInput;
pub use knowledge_checks::{KNOWLEDGE_CHECKS_PER_DAY, KnowledgeCheckStarted};
pub use legacy_import::{LegacyAccount, LegacyImported};
pub use letters::{LetterJobReport, LetterQueued, Letters, PrintBatch};
pub use passkeys::{PasskeyChallenge, PasskeyEnrolment};
pub use proofing::{AttemptsRemaining, Proofing, ProofingStatus};
pub use proofing_case::{ProofingCases, ProofingOutcome, ProofingResult};
pub use recovery::Recovery;
pub use recovery_proofing::{IdentityRecovered, RecoveryStepOutcome, recovery_step};
pub use report::{FunnelDay, FunnelReport, Reports, StepCounts};
pub(crate) use roles::checked_reason;
pub use roles::{REASON_MAX_CHARS, RoleAdmin, Roles, STAFF_ROLES};
pub use second_factor::{Assurance, SecondFactorVerified};
pub use security::{Security, SecurityOverview};
pub use sessions::{AuthSession, SessionStatus, Sessions};
pub use sign_in::{SignIn, SignInStarted};
pub use sign_up::{SignUp, SignedUp};
pub use simulated_applicants::SimulatedApplicants;
pub use staff::{AccountOverview, InPersonSummary, Staff, StaffOutcome};

use admin::MaintenanceCache;

/// The journeys over one core. Cheap to share (`Arc<Services>`); each accessor hands out
/// a borrowed journey service.
pub struct Services {
    core: Core,
    /// Maintenance windows last read (see `admin.rs`).
    maintenance: MaintenanceCache,
}

impl Services {
    pub fn new(core: Core) -> Self {
        Self {
            core,
            maintenance: MaintenanceCache::default(),
        }
    }

    /// The store, clock, keys and settings every journey shares.
    pub fn core(&self) -> &Core {
        &self.core
    }

    pub fn sign_up(&self) -> SignUp<'_> {
        SignUp::new(&self.core)
    }

    pub fn sign_in(&self) -> SignIn<'_> {
        SignIn::new(&self.core)
    }

    pub fn sessions(&self) -> Sessions<'_> {
        Sessions::new(&self.core)
    }

    pub fn factors(&self) -> Factors<'_> {
        Factors::new(&self.core)
    }

    pub fn proofing(&self) -> Proofing<'_> {
        Proofing::new(&self.core)
    }

    pub fn letters(&self) -> Letters<'_> {
        Letters::new(&self.core)
    }

    pub fn recovery(&self) -> Recovery<'_> {
        Recovery::new(&self.core)
    }

    pub fn security(&self) -> Security<'_> {
        Security::new(&self.core)
    }

    pub fn staff(&self) -> Staff<'_> {
        Staff::new(&self.core)
    }

    pub fn account_help(&self) -> AccountHelp<'_> {
        AccountHelp::new(&self.core)
    }

    pub fn roles(&self) -> Roles<'_> {
        Roles::new(&self.core)
    }

    pub fn admin(&self) -> Admin<'_> {
        Admin::new(&self.core, &self.maintenance)
    }

    pub fn reports(&self) -> Reports<'_> {
        Reports::new(&self.core)
    }

    pub fn audit_log(&self) -> AuditLog<'_> {
        AuditLog::new(&self.core)
    }

    pub fn demo(&self) -> Demo<'_> {
        Demo::new(&self.core)
    }

    pub fn simulated_applicants(&self) -> SimulatedApplicants<'_> {
        SimulatedApplicants::new(&self.core)
    }
}
