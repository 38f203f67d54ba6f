//! One error type for every journey. The web layer maps each variant to an HTTP status
//! and a stable `code` once (see `sa-web::error`); messages here are written for the
//! person using the service and never contain secrets or personal data.

use thiserror::Error;

pub type DomainResult<T> = Result<T, DomainError>;

#[derive(Debug, Error)]
pub enum DomainError {
    /// Input failed validation; `field` names the offending field.
    #[error("{message}")]
    Invalid {
        field: &'static str,
        message: String,
    },
    #[error("That username is already taken. Choose another one.")]
    UsernameTaken,
    #[error("The username or password is not correct.")]
    InvalidCredentials,
    /// A code that is wrong.
    #[error("That code is not correct. Check it and try again.")]
    InvalidCode,
    #[error("That code has expired. Ask for a new code.")]
    CodeExpired,
    /// Too many wrong tries against one code; a new code is needed.
    #[error("Too many incorrect tries for this code. Ask for a new code.")]
    CodeAttemptsExhausted,
    #[error("That code was already used. {hint}")]
    CodeAlreadyUsed { hint: &'static str },
    /// Too many attempts in a window; try again after `retry_after_secs`.
    #[error("Too many attempts. Try again in {}.", human_wait(*retry_after_secs))]
    RateLimited { retry_after_secs: u64 },
    /// The account's second factors are locked for a while after too many bad codes.
    #[error("Too many incorrect codes. For your security, sign-in is locked. Try again in {}.", human_wait(*retry_after_secs))]
    Locked { retry_after_secs: u64 },
    /// Every sign-in method was turned off after too many wrong codes: only the help
    /// desk can restore access (self-service enrolment would let a password thief in).
    #[error(
        "To protect your account, your sign-in methods were turned off after too many incorrect codes. Call the help desk to confirm it's you and get back in."
    )]
    RecoveryRequired,
    /// The owner reported a change that wasn't them ("this wasn't me"): the password
    /// must be reset before anyone signs in.
    #[error(
        "To protect your account, you need to choose a new password before you sign in. Use \"Forgot your password?\" to get a code by email."
    )]
    PasswordResetRequired,
    /// A password-reset code that is wrong, used, expired or out of tries, or a
    /// username with no account: one answer for all, so it reveals nothing.
    #[error(
        "That code didn't work. It may be mistyped, already used or expired. Check the newest email from us, or ask for a new code."
    )]
    ResetCodeRefused,
    /// A "this wasn't me" link that does not exist or has expired.
    #[error(
        "This link is not valid or has expired (links work for 7 days). If you think someone is using your account, reset your password or call the help desk."
    )]
    DisavowLinkInvalid,
    /// A "this wasn't me" link that already did its work.
    #[error(
        "This link was already used, so your account is already protected. Choose a new password with \"Forgot your password?\" to sign in."
    )]
    DisavowLinkUsed,
    /// Something that will be possible later (an account reset still waiting).
    #[error("{message}")]
    NotYet {
        retry_after_secs: u64,
        message: String,
    },
    /// A passkey answer that did not pass (another site, not verified, a copied
    /// authenticator, an expired or used challenge, ...): the reason is for the history.
    #[error("{message}")]
    PasskeyRefused {
        reason: &'static str,
        message: &'static str,
    },
    /// An admin who has a passkey signed in another way: admin tools need the passkey.
    #[error(
        "You have a passkey, so the admin tools need it: sign in again with your passkey (a code from an app or a text message is not enough)."
    )]
    PasskeyRequired,
    /// Passkeys are off: the server's public address cannot be a WebAuthn RP id.
    #[error(
        "Passkeys are not available on this server (its public address is not a domain name). Use another sign-in method."
    )]
    PasskeysUnavailable,
    /// An admin turned the account off.
    #[error(
        "This account has been turned off by our staff. Call the help desk to find out why and what to do next."
    )]
    AccountDisabled,
    #[error("You need to sign in first.")]
    Unauthenticated,
    /// Signed in, but this step is not available yet; `next` says what to do first.
    #[error("{message}")]
    WrongStep {
        next: crate::next::Next,
        message: &'static str,
    },
    /// The action needs a second factor entered recently.
    #[error(
        "For your security, confirm a second factor again before changing your sign-in methods."
    )]
    ReauthenticationRequired,
    #[error("{0}")]
    NotFound(&'static str),
    /// Signed in, but without the role this needs.
    #[error("{0}")]
    Forbidden(&'static str),
    #[error("{0}")]
    Conflict(&'static str),
    /// The service is at capacity; the request may be retried shortly.
    #[error(
        "The service is busy right now. Please try again in {} seconds.",
        retry_after_secs
    )]
    Overloaded { retry_after_secs: u64 },
    /// A live source of reference records (a vendor's API) did not answer usefully:
    /// the person is told exactly that, and where the letter path is open, offered it.
    /// The try was not counted.
    #[error("{}", source_unavailable_message(*kind))]
    SourceUnavailable {
        kind: crate::proofing::records::RecordKind,
    },
    /// A dependency (database, key store) failed. The detail is for logs only.
    #[error(
        "Something went wrong on our side. Your information is safe; please try again in a minute."
    )]
    Unavailable { detail: String },
}

impl From<crate::passkey::PasskeyRefusal> for DomainError {
    fn from(refusal: crate::passkey::PasskeyRefusal) -> Self {
        Self::PasskeyRefused {
            reason: refusal.reason,
            message: refusal.message,
        }
    }
}

impl DomainError {
    pub fn invalid(field: &'static str, message: impl Into<String>) -> Self {
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

fn source_unavailable_message(kind: crate::proofing::records::RecordKind) -> &'static str {
    use crate::proofing::records::RecordKind;
    match kind {
        RecordKind::TaxReturns => {
            "The tax-records system we check your information against is not answering right now. Nothing is wrong with what you entered, and this try was not counted. Please try again in a few minutes."
        }
        RecordKind::FinancialAccounts => {
            "The credit bureau we check financial accounts with is not answering right now. Nothing is wrong with what you entered, and this try was not counted. Please try again in a few minutes."
        }
        RecordKind::PhoneRecords => {
            "The phone carriers' records service we check mobile numbers with is not answering right now, so we can't check this number. This try was not counted. You can ask for an activation code by mail instead (it arrives in 5 to 10 days), or try again in a few minutes."
        }
    }
}

fn human_wait(secs: u64) -> String {
    match secs {
        0..=1 => "1 second".to_owned(),
        2..=59 => format!("{secs} seconds"),
        60..=119 => "1 minute".to_owned(),
        _ => format!("{} minutes", secs.div_ceil(60)),
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
            StoreError::GuardFailed(_) => Self::Conflict(
                "That was just done by another request. Reload the page and try again.",
            ),
            StoreError::Unavailable(detail) => Self::Unavailable { detail },
            StoreError::SourceUnavailable { kind, detail } => {
                tracing::warn!(source = kind.as_str(), %detail, "reference source unavailable");
                Self::SourceUnavailable { kind }
            }
        }
    }
}

pub type StoreResult<T> = Result<T, StoreError>;
