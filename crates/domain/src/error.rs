//! One error type for every journey. The web layer maps each variant to an HTTP status
//! and a stable `code` once (see `sa-web::error`); messages here are written for the
//! person using the service and never contain secrets or personal data.

use sa_i18n::Text;

pub type DomainResult<T> = Result<T, DomainError>;

/// What went wrong, for the person: [`DomainError::text`] says it in their language
/// (the words are in `sa-i18n`'s `errors.ftl`); `Display` gives the English, for tests.
#[derive(Debug)]
pub enum DomainError {
    /// Input failed validation; `field` names the offending field.
    Invalid {
        field: &'static str,
        message: Text,
    },
    UsernameTaken,
    InvalidCredentials,
    /// A code that is wrong.
    InvalidCode,
    CodeExpired,
    /// Too many wrong tries against one code; a new code is needed.
    CodeAttemptsExhausted,
    /// `message_id` is the catalogue's `error-code-used-*` message saying what to do
    /// instead, which depends on the kind of code.
    CodeAlreadyUsed {
        message_id: &'static str,
    },
    /// Too many attempts in a window; try again after `retry_after_secs`.
    RateLimited {
        retry_after_secs: u64,
    },
    /// The account's second factors are locked for a while after too many bad codes.
    Locked {
        retry_after_secs: u64,
    },
    /// Every sign-in method was turned off after too many wrong codes: only the help
    /// desk can restore access (self-service enrolment would let a password thief in).
    RecoveryRequired,
    /// The owner reported a change that wasn't them ("this wasn't me"): the password
    /// must be reset before anyone signs in.
    PasswordResetRequired,
    /// A password-reset code that is wrong, used, expired or out of tries, or a
    /// username with no account: one answer for all, so it reveals nothing.
    ResetCodeRefused,
    /// A "this wasn't me" link that does not exist or has expired.
    DisavowLinkInvalid,
    /// A "this wasn't me" link that already did its work.
    DisavowLinkUsed,
    /// Something that will be possible later (an account reset still waiting).
    NotYet {
        retry_after_secs: u64,
        message: Text,
    },
    /// A passkey answer that did not pass (another site, not verified, a copied
    /// authenticator, an expired or used challenge, ...): the reason is for the history.
    PasskeyRefused {
        reason: &'static str,
        /// The catalogue id of what the person is told.
        message_id: &'static str,
    },
    /// An admin who has a passkey signed in another way: admin tools need the passkey.
    PasskeyRequired,
    /// Passkeys are off: the server's public address cannot be a WebAuthn RP id.
    PasskeysUnavailable,
    /// An admin turned the account off.
    AccountDisabled,
    Unauthenticated,
    /// Signed in, but this step is not available yet; `next` says what to do first.
    WrongStep {
        next: crate::next::Next,
        /// The catalogue's `step-*` message saying what to do first.
        message_id: &'static str,
    },
    /// The action needs a second factor entered recently.
    ReauthenticationRequired,
    /// The catalogue id of what was not found.
    NotFound(&'static str),
    /// Signed in, but without the role this needs (a catalogue id).
    Forbidden(&'static str),
    /// Already done, or not possible in this state (a catalogue id).
    Conflict(&'static str),
    /// The service is at capacity; the request may be retried shortly.
    Overloaded {
        retry_after_secs: u64,
    },
    /// A live source of reference records (a vendor's API) did not answer usefully:
    /// the person is told exactly that, and where the letter path is open, offered it.
    /// The try was not counted.
    SourceUnavailable {
        kind: crate::proofing::records::RecordKind,
    },
    /// A dependency (database, key store) failed. The detail is for logs only.
    Unavailable {
        detail: String,
    },
}

impl DomainError {
    /// What to tell the person, in any language.
    pub fn text(&self) -> Text {
        use crate::proofing::records::RecordKind;
        match self {
            Self::Invalid { message, .. } => message.clone(),
            Self::UsernameTaken => Text::new("error-username-taken"),
            Self::InvalidCredentials => Text::new("error-invalid-credentials"),
            Self::InvalidCode => Text::new("error-invalid-code"),
            Self::CodeExpired => Text::new("error-code-expired"),
            Self::CodeAttemptsExhausted => Text::new("error-code-attempts-exhausted"),
            Self::CodeAlreadyUsed { message_id } => Text::new(message_id),
            Self::RateLimited { retry_after_secs } => {
                with_wait(Text::new("error-rate-limited"), *retry_after_secs)
            }
            Self::Locked { retry_after_secs } => {
                with_wait(Text::new("error-locked"), *retry_after_secs)
            }
            Self::RecoveryRequired => Text::new("error-recovery-required"),
            Self::PasswordResetRequired => Text::new("error-password-reset-required"),
            Self::ResetCodeRefused => Text::new("error-reset-code-refused"),
            Self::DisavowLinkInvalid => Text::new("error-disavow-link-invalid"),
            Self::DisavowLinkUsed => Text::new("error-disavow-link-used"),
            Self::NotYet { message, .. } => message.clone(),
            Self::PasskeyRefused { message_id, .. } => Text::new(message_id),
            Self::PasskeyRequired => Text::new("error-passkey-required"),
            Self::PasskeysUnavailable => Text::new("error-passkeys-unavailable"),
            Self::AccountDisabled => Text::new("error-account-disabled"),
            Self::Unauthenticated => Text::new("error-unauthenticated"),
            Self::WrongStep { message_id, .. } => Text::new(message_id),
            Self::ReauthenticationRequired => Text::new("error-reauthentication-required"),
            Self::NotFound(message_id)
            | Self::Forbidden(message_id)
            | Self::Conflict(message_id) => Text::new(message_id),
            Self::Overloaded { retry_after_secs } => {
                Text::new("error-overloaded").with("seconds", *retry_after_secs)
            }
            Self::SourceUnavailable { kind } => Text::new(match kind {
                RecordKind::TaxReturns => "error-source-unavailable-tax-returns",
                RecordKind::FinancialAccounts => "error-source-unavailable-financial",
                RecordKind::PhoneRecords => "error-source-unavailable-phone",
            }),
            Self::Unavailable { .. } => Text::new("error-unavailable"),
        }
    }
}

impl std::fmt::Display for DomainError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text().render(sa_i18n::Lang::En))
    }
}

impl std::error::Error for DomainError {}

/// A wait as the messages say it: seconds under a minute, else whole minutes rounded
/// up (`minutes` is 0 when `seconds` is what to say).
fn with_wait(text: Text, secs: u64) -> Text {
    let minutes = match secs {
        0..=59 => 0,
        60..=119 => 1,
        _ => secs.div_ceil(60),
    };
    text.with("seconds", secs.max(1)).with("minutes", minutes)
}

impl From<crate::passkey::PasskeyRefusal> for DomainError {
    fn from(refusal: crate::passkey::PasskeyRefusal) -> Self {
        Self::PasskeyRefused {
            reason: refusal.reason,
            message_id: refusal.message_id,
        }
    }
}

impl DomainError {
    pub fn invalid(field: &'static str, message: impl Into<Text>) -> Self {
        Self::Invalid {
            field,
            message: message.into(),
        }
    }

    pub fn unavailable(detail: impl std::fmt::Display) -> Self {
        Self::Unavailable {
            detail: detail.to_string(),
        }
    }
}

/// What the storage port fails with (see [`crate::store::Store`]).
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("username already exists")]
    UsernameTaken,
    /// A guarded write matched no row; the change was rolled back.
    #[error("guarded write did not apply: {0}")]
    GuardFailed(&'static str),
    /// The database could not be reached or failed. Text is for logs (no PII).
    #[error("database unavailable: {0}")]
    Unavailable(String),
    /// A live source of reference records is down, slow, or answered nonsense.
    #[error("{} source unavailable: {detail}", kind.as_str())]
    SourceUnavailable {
        kind: crate::proofing::records::RecordKind,
        /// For logs (no PII).
        detail: String,
    },
}

impl From<StoreError> for DomainError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::UsernameTaken => Self::UsernameTaken,
            StoreError::GuardFailed(_) => Self::Conflict("error-was-just-done-another-request"),
            StoreError::Unavailable(detail) => Self::Unavailable { detail },
            StoreError::SourceUnavailable { kind, detail } => {
                tracing::warn!(source = kind.as_str(), %detail, "reference source unavailable");
                Self::SourceUnavailable { kind }
            }
        }
    }
}

pub type StoreResult<T> = Result<T, StoreError>;
