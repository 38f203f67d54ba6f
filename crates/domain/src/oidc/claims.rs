//! What an app learns: a pairwise subject per app, the assurance levels (`acr` from
//! the idmanagement.gov URIs), and the claims each scope releases. Identity claims
//! (name, birth date, address, SSN) come from the latest tax return of a verified
//! account and are released only to apps that asked for the scope; the SSN only to apps
//! registered for it.

use serde_json::{Map, Value, json};

use super::records::{AuthorizationRequest, Client};
use super::{OAuthResult, Provider};
use crate::journeys::purpose;
use crate::model::{Account, FactorKind};

/// The scope that asks for a refresh token (OIDC Core §11).
pub const OFFLINE_ACCESS: &str = "offline_access";

/// Scopes the provider knows.
pub const SCOPES: [&str; 8] = [
    "openid",
    OFFLINE_ACCESS,
    "email",
    "profile",
    "address",
    "phone",
    "social_security_number",
    "verified_at",
];

/// Claims those scopes can release.
pub const CLAIMS: [&str; 19] = [
    "sub",
    "iss",
    "aud",
    "exp",
    "iat",
    "auth_time",
    "nonce",
    "acr",
    "amr",
    "aal",
    "email",
    "email_verified",
    "given_name",
    "family_name",
    "birthdate",
    "address",
    "phone_number",
    "social_security_number",
    "verified_at",
];

/// The identity level an account has: 2 once verified, else 1.
pub fn ial_of(account: &Account) -> u8 {
    account.identity_level()
}

/// The `acr` value for an identity level.
pub fn acr_for(ial: u8) -> &'static str {
    if ial >= 2 {
        sa_oidc::IAL2
    } else {
        sa_oidc::IAL1
    }
}

/// The `acr` of an ID token: the first of the app's `acr_values` (its order of
/// preference) that the sign-in met; with none met, IAL2 for an app registered to need
/// it, else the phishing-resistant AAL2 value when a passkey was used, else the
/// account's identity level.
pub fn acr_met(request: &AuthorizationRequest, ial: u8, phishing_resistant: bool) -> &'static str {
    let met = |value: &str| match value {
        sa_oidc::IAL2 => ial >= 2,
        sa_oidc::AAL2_PHISHING_RESISTANT => phishing_resistant,
        _ => true,
    };
    if let Some(first) = request
        .acr_values
        .iter()
        .filter(|v| met(v))
        .find_map(|v| sa_oidc::assurance::SUPPORTED.into_iter().find(|s| s == v))
    {
        return first;
    }
    if request.ial >= 2 && ial >= 2 {
        sa_oidc::IAL2
    } else if phishing_resistant {
        sa_oidc::AAL2_PHISHING_RESISTANT
    } else {
        acr_for(ial)
    }
}

/// Authentication methods (RFC 8176) of a session raised by sign-in method `method`:
/// `pwd` when a password was used, `otp`/`sms` for codes, `hwk` for a passkey (proof
/// of possession of a key), and `mfa` whenever two factors were.
pub fn amr_of(method: Option<&str>) -> Vec<&'static str> {
    use crate::model::{PASSKEY_METHOD, PASSWORDLESS_METHOD};
    match method {
        Some("totp" | "backup_code") => vec!["pwd", "otp", "mfa"],
        Some("sms") => vec!["pwd", "sms", "mfa"],
        Some(PASSKEY_METHOD) => vec!["pwd", "hwk", "mfa"],
        Some(PASSWORDLESS_METHOD) => vec!["hwk", "user", "mfa"],
        Some(_) => vec!["pwd", "mfa"],
        None => vec!["pwd"],
    }
}

/// Whether these methods (RFC 8176) include a passkey: the AAL2 was phishing-resistant.
pub fn phishing_resistant_amr(amr: &[String]) -> bool {
    amr.iter().any(|m| m == "hwk")
}

/// The identity level asked for by `acr_values` (space-separated URIs), if any.
pub fn ial_requested(acr_values: &str) -> Option<u8> {
    let values: Vec<&str> = acr_values.split_whitespace().collect();
    if values.contains(&sa_oidc::IAL2) {
        Some(2)
    } else if values.contains(&sa_oidc::IAL1) {
        Some(1)
    } else {
        None
    }
}

impl Provider {
    /// The pairwise subject of an account for an app.
    pub fn subject(&self, client_id: &str, account_id: &str) -> String {
        let key = self
            .services
            .core()
            .keys
            .mac("oidc.pairwise_subject_key", b"v1");
        sa_oidc::pairwise_sub(&key, client_id, account_id)
    }

    /// The claims `scope` releases for `account` to `client` (without `sub`).
    pub async fn claims(
        &self,
        client: &Client,
        account: &Account,
        scope: &[String],
    ) -> OAuthResult<Map<String, Value>> {
        let has = |s: &str| scope.iter().any(|x| x == s);
        let mut claims = Map::new();
        if has("email") {
            let email = self
                .services
                .core()
                .keys
                .open_string(purpose::EMAIL, &account.email_sealed)?;
            claims.insert("email".into(), json!(email));
            claims.insert(
                "email_verified".into(),
                json!(account.email_confirmed_at.is_some()),
            );
        }
        if has("phone") {
            let factors = self.services.core().store.factors(&account.id).await?;
            if let Some(phone) = factors
                .iter()
                .find(|f| f.kind == FactorKind::Sms && f.is_active())
            {
                let number = self.services.core().keys.open_string(
                    purpose::PHONE,
                    phone.secret_sealed.as_deref().unwrap_or_default(),
                )?;
                claims.insert("phone_number".into(), json!(number));
                claims.insert("phone_number_verified".into(), json!(true));
            }
        }
        if let Some(verified_at) = account.identity_verified_at {
            if has("verified_at") {
                claims.insert("verified_at".into(), json!(verified_at.unix_timestamp()));
            }
            let wants_identity = has("profile")
                || has("address")
                || (has("social_security_number") && client.can_receive_ssn);
            if wants_identity && let Some(latest) = self.latest_return(&account.id).await? {
                if has("profile") {
                    claims.insert("given_name".into(), json!(latest.first_name));
                    claims.insert("family_name".into(), json!(latest.last_name));
                    if let Some(middle) = &latest.middle_name {
                        claims.insert("middle_name".into(), json!(middle));
                    }
                    claims.insert("birthdate".into(), json!(latest.date_of_birth.to_string()));
                }
                if has("address") {
                    let a = &latest.address;
                    let street = match &a.unit {
                        Some(unit) => format!("{} {unit}", a.street),
                        None => a.street.clone(),
                    };
                    let zip = if a.zip.len() == 9 {
                        format!("{}-{}", &a.zip[..5], &a.zip[5..])
                    } else {
                        a.zip.clone()
                    };
                    claims.insert(
                        "address".into(),
                        json!({
                            "formatted": format!("{street}\n{} {} {zip}", a.city, a.state),
                            "street_address": street,
                            "locality": a.city,
                            "region": a.state,
                            "postal_code": zip,
                            "country": "US",
                        }),
                    );
                }
                if has("social_security_number") && client.can_receive_ssn {
                    let s = &latest.ssn;
                    claims.insert(
                        "social_security_number".into(),
                        json!(format!("{}-{}-{}", &s[..3], &s[3..5], &s[5..])),
                    );
                }
            }
        }
        Ok(claims)
    }

    async fn latest_return(
        &self,
        account_id: &str,
    ) -> OAuthResult<Option<crate::proofing::records::TaxReturn>> {
        let core = self.services.core();
        let Some(ssn) = core
            .store
            .proofing_case(account_id)
            .await?
            .and_then(|case| core.case_ssn(&case))
        else {
            return Ok(None);
        };
        Ok(core
            .sources
            .tax_returns
            .returns_for(&ssn, 1)
            .await?
            .into_iter()
            .next())
    }
}
