//! The assistance center: documents seen in person (sealed, their content hash in the
//! audit log), then the help desk completes registration with a letter (and, if asked,
//! a temporary password).

use serde_json::json;
use sha2::{Digest, Sha256};

use super::letters::Letters;
use super::proofing_case::ProofingCases;
use super::roles::Roles;
use super::staff::{Staff, StaffOutcome};
use super::temporary_passwords::TemporaryPasswords;
use super::{core::purpose, sessions::AuthSession};
use crate::model::new_id;
use crate::proofing::case::{AttemptResult, ProofingCase, ProofingStep, staff_method};
use crate::proofing::records::normalise_ssn;
use crate::proofing::sources::ssn_fingerprint;
use crate::staff::{
    ASSISTANCE_CENTER, Document, HELP_DESK, InPersonRecord, VisitKind, check_documents,
};
use crate::store::{Change, Write};
use crate::{DomainError, DomainResult};

/// What assistance-center staff record.
#[derive(Debug, Clone)]
pub struct InPersonInput {
    pub kind: VisitKind,
    pub office: String,
    pub documents: Vec<Document>,
    /// Typed from the Social Security card when the account has none on file.
    pub ssn: Option<String>,
    /// Staff confirm the person in front of them matches the photo ID.
    pub person_matches: bool,
}

impl Staff<'_> {
    /// Assistance center: record the documents seen and that the person matches them.
    /// The record is sealed (read-only); the help desk completes registration from it.
    pub async fn record_in_person(
        &self,
        auth: &AuthSession,
        account_id: &str,
        input: InPersonInput,
    ) -> DomainResult<String> {
        Roles::new(self.core)
            .require_staff(auth, ASSISTANCE_CENTER, Some(account_id))
            .await?;
        let account = self.subject_account(account_id).await?;
        if !input.person_matches {
            return Err(DomainError::invalid(
                "person_matches",
                "Confirm that the person in front of you matches the photo ID before saving.",
            ));
        }
        let office = input.office.trim();
        if office.is_empty() || office.chars().count() > 100 {
            return Err(DomainError::invalid(
                "office",
                "Enter the assistance center's name or code.",
            ));
        }
        let now = self.core.now();
        check_documents(input.kind, &input.documents, now.date())
            .map_err(|message| DomainError::invalid("documents", message))?;
        let case = self.core.store.proofing_case(account_id).await?;
        let ssn_fp = match input.ssn.as_deref().filter(|s| !s.trim().is_empty()) {
            Some(ssn) => Some(ssn_fingerprint(
                &self.core.keys,
                &normalise_ssn(ssn.trim()).ok_or_else(|| {
                    DomainError::invalid("ssn", "Enter the SSN as 9 digits, like 123-45-6789.")
                })?,
            )),
            None => case.as_ref().and_then(|c| c.ssn_fp.clone()),
        };
        if ssn_fp.is_none() {
            return Err(DomainError::invalid(
                "ssn",
                "This account has no SSN on file: enter the one on the Social Security card or other document.",
            ));
        }
        let documents_json =
            serde_json::to_vec(&input.documents).map_err(DomainError::unavailable)?;
        let id = new_id(now);
        let mut hasher = Sha256::new();
        for part in [
            id.as_bytes(),
            account.id.as_bytes(),
            input.kind.as_str().as_bytes(),
            office.as_bytes(),
            auth.account.id.as_bytes(),
            &documents_json,
        ] {
            hasher.update((part.len() as u64).to_be_bytes());
            hasher.update(part);
        }
        let content_hash = crate::keys::hex(&hasher.finalize());
        let record = InPersonRecord {
            id: id.clone(),
            account_id: account.id.clone(),
            kind: input.kind,
            office: office.to_owned(),
            staff_id: auth.account.id.clone(),
            ssn_fp: ssn_fp.clone(),
            documents_sealed: self
                .core
                .keys
                .seal(purpose::IN_PERSON_DOCUMENTS, &documents_json)?,
            content_hash: content_hash.clone(),
            created_at: now,
            completed_at: None,
            completed_by: None,
        };
        let mut case = case.unwrap_or_else(|| ProofingCase::new(&account.id, now));
        case.step = ProofingStep::Exception;
        case.staff_method = Some(staff_method::DOCUMENTS_CHECKED.to_owned());
        case.ssn_fp = ssn_fp;
        case.updated_at = now;
        let kinds: Vec<&str> = input.documents.iter().map(|d| d.kind.as_str()).collect();
        let change = Change::new()
            .with(Write::InsertInPersonRecord(record))
            .with(Write::SaveProofingCase(case))
            .with(ProofingCases::new(self.core).attempt(&account.id, "in_person", AttemptResult::Passed, Vec::new()))
            .with(self.core.event(
                &account.id,
                "in_person_documents_checked",
                format!("Your identity documents were checked in person at {office}"),
            ))
            .with(self.audit_write(
                auth,
                "assistance_center.record_sealed",
                Some(&account.id),
                json!({"record_id": id, "kind": input.kind.as_str(), "office": office, "documents": kinds, "content_hash": content_hash}),
            ));
        self.core.commit(change).await?;
        Ok(id)
    }

    /// Help desk: complete registration from a sealed in-person record: a letter to the
    /// address of record and, when asked (an existing user who cannot sign in), a
    /// temporary password.
    pub async fn complete_in_person(
        &self,
        auth: &AuthSession,
        account_id: &str,
        issue_temporary_password: bool,
    ) -> DomainResult<StaffOutcome> {
        Roles::new(self.core)
            .require_staff(auth, HELP_DESK, Some(account_id))
            .await?;
        let account = self.subject_account(account_id).await?;
        let record = self
            .core
            .store
            .in_person_records(account_id)
            .await?
            .into_iter()
            .find(|r| r.completed_at.is_none())
            .ok_or(DomainError::Conflict(
                "error-no-inperson-record-waiting-completed",
            ))?;
        let now = self.core.now();
        let mut case = self
            .core
            .store
            .proofing_case(account_id)
            .await?
            .unwrap_or_else(|| ProofingCase::new(account_id, now));
        let ssn_fp = record
            .ssn_fp
            .clone()
            .or_else(|| case.ssn_fp.clone())
            .unwrap_or_default();
        let ssn = self.core.ssn_lookup_for(Some(&case), &ssn_fp);
        let mut change = Change::new().with(Write::CompleteInPersonRecord {
            record_id: record.id.clone(),
            at: now,
            by: auth.account.id.clone(),
        });
        let letter = Letters::new(self.core)
            .push_letter(&mut change, &account, &ssn)
            .await?;
        let temporary_password = if issue_temporary_password {
            Some(
                TemporaryPasswords::new(self.core)
                    .push_temporary_password(&mut change, &account, &auth.account.id)
                    .await?,
            )
        } else {
            None
        };
        case.ssn_fp = Some(ssn_fp);
        case.step = ProofingStep::MailCode;
        case.staff_method = Some(staff_method::IN_PERSON.to_owned());
        case.updated_at = now;
        change.push(Write::SaveProofingCase(case));
        change.push(self.core.event(
            &account.id,
            "in_person_completed",
            if temporary_password.is_some() {
                "The help desk completed your in-person verification: a temporary password was issued and an activation code mailed to the address on your latest tax return."
            } else {
                "The help desk completed your in-person verification: an activation code was mailed to the address on your latest tax return."
            },
        ));
        change.push(self.audit_write(
            auth,
            "help_desk.in_person_completed",
            Some(&account.id),
            json!({"record_id": record.id, "letter_id": letter.letter_id, "temporary_password_issued": temporary_password.is_some()}),
        ));
        self.core.commit(change).await?;
        Ok(StaffOutcome {
            passed: true,
            message: "Registration completed. The activation code arrives by mail in 5 to 10 days; entering it finishes the account.".to_owned(),
            temporary_password,
            letter: Some(letter),
        })
    }
}
