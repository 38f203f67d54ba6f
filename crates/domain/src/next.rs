//! [`Next`]: the step a client is told to take next. It sits below every other module
//! (errors name it too), so it depends on nothing of the crate.

use serde::Serialize;

/// The step a client should take next (the `next` field of every API answer).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Next {
    ConfirmEmail,
    ProofingIdentity,
    ProofingFinancialAccount,
    ProofingPhone,
    ProofingPhoneCode,
    ProofingMailCode,
    ExceptionProcessing,
    ChangePassword,
    SecondFactor,
    SetupSecondFactor,
    Done,
}

impl Next {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::ConfirmEmail => "confirm_email",
            Self::ProofingIdentity => "proofing_identity",
            Self::ProofingFinancialAccount => "proofing_financial_account",
            Self::ProofingPhone => "proofing_phone",
            Self::ProofingPhoneCode => "proofing_phone_code",
            Self::ProofingMailCode => "proofing_mail_code",
            Self::ExceptionProcessing => "exception_processing",
            Self::ChangePassword => "change_password",
            Self::SecondFactor => "second_factor",
            Self::SetupSecondFactor => "setup_second_factor",
            Self::Done => "done",
        }
    }
}
