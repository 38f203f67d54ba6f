//! The WebAuthn relying party (passkeys and security keys), over `webauthn-rs`: who we
//! are to authenticators (the RP id and origin, from the public URL), the options a
//! ceremony sends, and the checks its answer must pass (our origin and RP id, the
//! challenge, user verification, ES256 or better, the sign counter and backup flags).
//! Each refusal is told in plain words; what it was for the log is a stable reason.
//!
//! A passkey's user handle is not the account id: it is a keyed fingerprint of it
//! (16 bytes), so a credential shows nothing about the account it belongs to.

use serde_json::Value;
use webauthn_rs::prelude::{
    AuthenticationResult, CreationChallengeResponse, CredentialID, DiscoverableAuthentication,
    Passkey, PasskeyAuthentication, PasskeyRegistration, PublicKeyCredential,
    RegisterPublicKeyCredential, RequestChallengeResponse, Url, Uuid, Webauthn, WebauthnBuilder,
    WebauthnError,
};
use webauthn_rs_proto::ResidentKeyRequirement;

/// How long a ceremony's challenge is accepted (and the browser's timeout).
pub const CEREMONY_SECS: i64 = 300;

/// Why a passkey answer was refused: a stable reason for the sign-in history and a
/// message for the person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PasskeyRefusal {
    pub reason: &'static str,
    /// The catalogue id of what the person is told.
    pub message_id: &'static str,
}

impl PasskeyRefusal {
    pub const fn new(reason: &'static str, message_id: &'static str) -> Self {
        Self { reason, message_id }
    }
}

pub const UNREADABLE: PasskeyRefusal =
    PasskeyRefusal::new("passkey_unreadable", "error-passkey-unreadable");
pub const EXPIRED: PasskeyRefusal = PasskeyRefusal::new(
    "passkey_challenge_expired",
    "error-passkey-challenge-expired",
);
pub const UNKNOWN_CREDENTIAL: PasskeyRefusal =
    PasskeyRefusal::new("passkey_unknown", "error-passkey-unknown");
pub const ALREADY_REGISTERED: PasskeyRefusal = PasskeyRefusal::new(
    "passkey_already_registered",
    "error-passkey-already-registered",
);
const WRONG_SITE: PasskeyRefusal =
    PasskeyRefusal::new("passkey_wrong_site", "error-passkey-wrong-site");
const NOT_VERIFIED: PasskeyRefusal =
    PasskeyRefusal::new("passkey_not_verified", "error-passkey-not-verified");
pub const CLONED: PasskeyRefusal = PasskeyRefusal::new(
    "passkey_counter_went_back",
    "error-passkey-counter-went-back",
);
const WRONG_CHALLENGE: PasskeyRefusal =
    PasskeyRefusal::new("passkey_wrong_challenge", "error-passkey-wrong-challenge");
const WEAK_KEY: PasskeyRefusal =
    PasskeyRefusal::new("passkey_unsupported", "error-passkey-unsupported");
const INVALID: PasskeyRefusal = PasskeyRefusal::new("passkey_invalid", "error-passkey-invalid");

fn refusal_of(error: &WebauthnError) -> PasskeyRefusal {
    use WebauthnError as E;
    match error {
        E::InvalidRPOrigin | E::InvalidRPIDHash | E::CredentialCrossOrigin => WRONG_SITE,
        E::UserNotVerified | E::UserNotPresent | E::InconsistentUserVerificationPolicy => {
            NOT_VERIFIED
        }
        E::CredentialPossibleCompromise | E::CredentialBackupEligibilityInconsistent => CLONED,
        E::MismatchedChallenge | E::ChallengeNotFound => WRONG_CHALLENGE,
        E::CredentialNotFound => UNKNOWN_CREDENTIAL,
        E::CredentialExcludedFromRequest | E::CredentialAlreadyExists => ALREADY_REGISTERED,
        E::COSEKeyInvalidAlgorithm
        | E::CredentialInsecureCryptography
        | E::CredentialAlteredAlgFromRequest
        | E::COSEKeyEDUnsupported => WEAK_KEY,
        E::ParseCBORFailure(_) | E::ParseJSONFailure(_) | E::ParseNOMFailure => UNREADABLE,
        _ => INVALID,
    }
}

/// A passkey as registered: the credential to keep and what the store indexes it by.
pub struct RegisteredPasskey {
    /// base64url, no padding.
    pub credential_id: String,
    /// The `webauthn-rs` credential, JSON.
    pub credential_json: String,
    pub sign_count: i64,
    pub backup_eligible: bool,
    pub backup_state: bool,
}

/// The relying party: configured once from the public URL.
pub struct RelyingParty {
    webauthn: Webauthn,
    /// The origin authenticators must answer for (`https://host[:port]`).
    pub origin: String,
}

impl std::fmt::Debug for RelyingParty {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RelyingParty")
            .field("origin", &self.origin)
            .finish()
    }
}

impl RelyingParty {
    /// The relying party for a public URL: its host is the RP id. A loopback address
    /// (`http://127.0.0.1:8080`) is served as `localhost`, which browsers accept for
    /// WebAuthn; another IP address cannot be an RP id, so passkeys are then off.
    pub fn for_public_url(public_url: &str, name: &str) -> Option<Self> {
        let mut url = Url::parse(public_url).ok()?;
        let loopback = match url.host() {
            Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
            Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
            _ => false,
        };
        if loopback {
            url.set_host(Some("localhost")).ok()?;
        }
        let rp_id = url.domain()?.to_owned();
        url.set_path("");
        let origin = url.origin().ascii_serialization();
        let origin_url = Url::parse(&origin).ok()?;
        let webauthn = WebauthnBuilder::new(&rp_id, &origin_url)
            .ok()?
            .rp_name(name)
            .timeout(std::time::Duration::from_secs(CEREMONY_SECS as u64))
            .build()
            .ok()?;
        Some(Self { webauthn, origin })
    }

    /// Options to register a new passkey (ES256 and other strong algorithms, user
    /// verification required, no attestation, a discoverable credential preferred so
    /// it can sign in without a username), excluding the account's passkeys.
    pub fn start_registration(
        &self,
        user_handle: Uuid,
        username: &str,
        existing: Vec<CredentialID>,
    ) -> Result<(Value, PasskeyRegistration), PasskeyRefusal> {
        let exclude = (!existing.is_empty()).then_some(existing);
        let (mut options, state) = self
            .webauthn
            .start_passkey_registration(user_handle, username, username, exclude)
            .map_err(|e| refusal_of(&e))?;
        prefer_discoverable(&mut options);
        let json = serde_json::to_value(&options).map_err(|_| INVALID)?;
        Ok((json, state))
    }

    /// Check a registration answer against its ceremony.
    pub fn finish_registration(
        &self,
        answer: &Value,
        state: &PasskeyRegistration,
    ) -> Result<RegisteredPasskey, PasskeyRefusal> {
        let answer: RegisterPublicKeyCredential =
            serde_json::from_value(answer.clone()).map_err(|_| UNREADABLE)?;
        let passkey = self
            .webauthn
            .finish_passkey_registration(&answer, state)
            .map_err(|e| refusal_of(&e))?;
        registered(&passkey)
    }

    /// Options to use one of these passkeys (the second factor after a password).
    pub fn start_authentication(
        &self,
        passkeys: &[Passkey],
    ) -> Result<(Value, PasskeyAuthentication), PasskeyRefusal> {
        let (options, state) = self
            .webauthn
            .start_passkey_authentication(passkeys)
            .map_err(|e| refusal_of(&e))?;
        Ok((request_json(options)?, state))
    }

    /// Options to sign in with any discoverable passkey (no username).
    pub fn start_discoverable(
        &self,
    ) -> Result<(Value, DiscoverableAuthentication), PasskeyRefusal> {
        let (mut options, state) = self
            .webauthn
            .start_discoverable_authentication()
            .map_err(|e| refusal_of(&e))?;
        // A button press, not autofill: the browser shows its own passkey chooser.
        options.mediation = None;
        Ok((request_json(options)?, state))
    }

    /// Check an answer to a second-factor ceremony.
    pub fn finish_authentication(
        &self,
        answer: &PublicKeyCredential,
        state: &PasskeyAuthentication,
    ) -> Result<AuthenticationResult, PasskeyRefusal> {
        self.webauthn
            .finish_passkey_authentication(answer, state)
            .map_err(|e| refusal_of(&e))
    }

    /// Check an answer to a discoverable sign-in against the passkey it named; the
    /// user handle it carries must be that passkey's account's.
    pub fn finish_discoverable(
        &self,
        answer: &PublicKeyCredential,
        state: DiscoverableAuthentication,
        passkey: &Passkey,
        user_handle: Uuid,
    ) -> Result<AuthenticationResult, PasskeyRefusal> {
        let (handle, _) = self
            .webauthn
            .identify_discoverable_authentication(answer)
            .map_err(|_| UNKNOWN_CREDENTIAL)?;
        if handle != user_handle {
            return Err(UNKNOWN_CREDENTIAL);
        }
        self.webauthn
            .finish_discoverable_authentication_v2(answer, state, passkey)
            .map_err(|e| refusal_of(&e))
    }
}

/// Read an assertion (an `AuthenticationResponseJSON`).
pub fn read_assertion(answer: &Value) -> Result<PublicKeyCredential, PasskeyRefusal> {
    serde_json::from_value(answer.clone()).map_err(|_| UNREADABLE)
}

/// The credential id of an assertion, base64url.
pub fn assertion_credential_id(answer: &PublicKeyCredential) -> String {
    base64url(answer.get_credential_id())
}

/// A stored passkey, opened.
pub fn open_passkey(credential_json: &str) -> Option<Passkey> {
    serde_json::from_str(credential_json).ok()
}

/// A passkey after a use: the credential with its counter and flags updated.
pub fn after_use(
    mut passkey: Passkey,
    result: &AuthenticationResult,
) -> Result<RegisteredPasskey, PasskeyRefusal> {
    passkey.update_credential(result);
    registered(&passkey)
}

fn registered(passkey: &Passkey) -> Result<RegisteredPasskey, PasskeyRefusal> {
    let value = serde_json::to_value(passkey).map_err(|_| INVALID)?;
    let cred = &value["cred"];
    Ok(RegisteredPasskey {
        credential_id: base64url(passkey.cred_id()),
        sign_count: cred["counter"].as_i64().unwrap_or(0),
        backup_eligible: cred["backup_eligible"].as_bool().unwrap_or(false),
        backup_state: cred["backup_state"].as_bool().unwrap_or(false),
        credential_json: value.to_string(),
    })
}

/// base64url without padding (WebAuthn's encoding of credential ids).
fn base64url(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

fn request_json(options: RequestChallengeResponse) -> Result<Value, PasskeyRefusal> {
    serde_json::to_value(&options).map_err(|_| INVALID)
}

/// Ask for a discoverable credential where the authenticator can make one (passkey
/// managers and platform authenticators do; a security key may decline).
fn prefer_discoverable(options: &mut CreationChallengeResponse) {
    if let Some(selection) = options.public_key.authenticator_selection.as_mut() {
        selection.resident_key = Some(ResidentKeyRequirement::Preferred);
        selection.require_resident_key = false;
    }
}
