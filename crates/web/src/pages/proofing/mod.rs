//! Pages: identity proofing (`/verify/...`), the page face of the proofing and letter
//! journeys in `sa_domain::journeys` (the JSON twin is [`crate::api::proofing`]).
//!
//! Every GET first asks where the account stands and, if that is not a step this page
//! serves, redirects to the page that is: no page can be used out of order, and a
//! verified person goes onward. Every POST calls its journey, then redirects along the
//! outcome's `next` (updating the session cookie when the session was replaced), or
//! shows the same page again:
//!
//! ```text
//!  /verify/identity ──matched──▶ /verify/financial-account ──matched──▶ /verify/phone ◀─┐
//!    │   ▲ not matched:              │   ▲ not matched:            code sent │        │ │ "mail me a code"
//!    │   └─ 200 + alert              │   └─ 200 + alert                      ▼        │ ▼
//!    │                                            /verify/phone/confirm    POST /verify/mail
//!    │ SSN verified on another account                  │ verified           │ queued
//!    ▼                                                  │                    ▼
//!  /verify/help (help desk, assistance center)          │        /verify/mail/confirm?sent=1
//!                                                       ▼                    │ verified
//!                                 next step (add a second factor, or the account) ◀─┘
//! ```
//!
//! How a failure is shown:
//! - a step that did not match: 200, the journey's message in an alert that names no
//!   field (the applicant is never told which detail failed);
//! - input that cannot be checked, or a wrong or expired code: 400, listed at the top
//!   and tied to its field with `aria-describedby`;
//! - a limit: 429 with `Retry-After`, the wait at the top;
//! - a step out of order or signed out: a redirect (see [`crate::pages::session::error_page`]).
//!
//! The SSN and the account number are never written back into a page.
//!
//! One file per step (`identity.rs`, `financial.rs`, `phone.rs`, `mail.rs`, `help.rs`)
//! over what they share (`common.rs`).

mod common;
mod financial;
mod help;
mod identity;
mod mail;
mod phone;
pub mod recovery;

pub use financial::{show_financial, submit_financial};
pub use help::show_help;
pub use identity::{show_identity, submit_identity};
pub use mail::{confirm_letter, request_letter, show_mail_confirm};
pub use phone::{confirm_phone, show_phone, show_phone_confirm, submit_phone};
