//! A software WebAuthn authenticator for the tests, written from the WebAuthn Level 3
//! data formats: an ES256 key pair per credential, `none` attestation, user presence
//! and verification flags, a sign counter, and the backup flags of a synced passkey.
//! It answers the JSON options the server sends with the JSON a browser's
//! `toJSON()` gives. Tests can make it misbehave the ways attackers do: answer for
//! another origin or RP id, go back in its counter (a clone), skip user verification.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use p256::ecdsa::signature::Signer;
use p256::ecdsa::{Signature, SigningKey};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

fn b64(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

fn unb64(text: &str) -> Vec<u8> {
    URL_SAFE_NO_PAD
        .decode(text.trim_end_matches('='))
        .expect("base64url from the server")
}

/// A minimal CBOR writer (RFC 8949) for the few shapes WebAuthn needs.
mod cbor {
    pub fn head(major: u8, n: u64, out: &mut Vec<u8>) {
        let m = major << 5;
        match n {
            0..=23 => out.push(m | n as u8),
            24..=0xff => out.extend([m | 24, n as u8]),
            0x100..=0xffff => {
                out.push(m | 25);
                out.extend((n as u16).to_be_bytes());
            }
            _ => {
                out.push(m | 26);
                out.extend((n as u32).to_be_bytes());
            }
        }
    }
    pub fn int(value: i64, out: &mut Vec<u8>) {
        if value >= 0 {
            head(0, value as u64, out);
        } else {
            head(1, (-1 - value) as u64, out);
        }
    }
    pub fn bytes(value: &[u8], out: &mut Vec<u8>) {
        head(2, value.len() as u64, out);
        out.extend(value);
    }
    pub fn text(value: &str, out: &mut Vec<u8>) {
        head(3, value.len() as u64, out);
        out.extend(value.as_bytes());
    }
    pub fn map(len: u64, out: &mut Vec<u8>) {
        head(5, len, out);
    }
}

const UP: u8 = 0x01;
const UV: u8 = 0x04;
const BE: u8 = 0x08;
const BS: u8 = 0x10;
const AT: u8 = 0x40;

/// One authenticator holding one credential (created by [`SoftPasskey::register`]).
#[derive(Clone)]
pub struct SoftPasskey {
    key: SigningKey,
    pub credential_id: Vec<u8>,
    /// What the server put in `user.id` at registration (returned as `userHandle`).
    pub user_handle: Vec<u8>,
    pub counter: u32,
    /// The origin it puts in client data (a phishing site would put its own).
    pub origin: String,
    /// The RP id whose hash it puts in authenticator data.
    pub rp_id: String,
    /// Synced passkey flags (backup eligible and backed up).
    pub synced: bool,
    /// Whether it reports user verification (PIN, biometrics).
    pub verifies_user: bool,
    /// How much the counter goes up per use (0: a synced passkey without a counter).
    pub counter_step: u32,
}

impl SoftPasskey {
    /// A device-bound authenticator with a counter, answering for `origin`.
    pub fn new(origin: &str) -> Self {
        let seed = sa_domain::keys::random_bytes::<32>();
        let key = SigningKey::from_slice(&seed[..]).expect("a P-256 scalar");
        let host = origin
            .split("://")
            .nth(1)
            .and_then(|rest| rest.split([':', '/']).next())
            .expect("origin host")
            .to_owned();
        Self {
            key,
            credential_id: sa_domain::keys::random_bytes::<16>().to_vec(),
            user_handle: Vec::new(),
            counter: 0,
            origin: origin.to_owned(),
            rp_id: host,
            synced: false,
            verifies_user: true,
            counter_step: 1,
        }
    }

    /// A synced passkey (backup flags set, no counter).
    pub fn synced(origin: &str) -> Self {
        Self {
            synced: true,
            counter_step: 0,
            ..Self::new(origin)
        }
    }

    fn flags(&self, attested: bool) -> u8 {
        let mut flags = UP;
        if self.verifies_user {
            flags |= UV;
        }
        if self.synced {
            flags |= BE | BS;
        }
        if attested {
            flags |= AT;
        }
        flags
    }

    fn client_data(&self, kind: &str, challenge: &str) -> Vec<u8> {
        serde_json::to_vec(&json!({
            "type": kind,
            "challenge": challenge,
            "origin": self.origin,
            "crossOrigin": false,
        }))
        .expect("client data")
    }

    fn cose_key(&self) -> Vec<u8> {
        let point = self.key.verifying_key().to_encoded_point(false);
        let mut out = Vec::new();
        cbor::map(5, &mut out);
        cbor::int(1, &mut out);
        cbor::int(2, &mut out); // kty: EC2
        cbor::int(3, &mut out);
        cbor::int(-7, &mut out); // alg: ES256
        cbor::int(-1, &mut out);
        cbor::int(1, &mut out); // crv: P-256
        cbor::int(-2, &mut out);
        cbor::bytes(point.x().expect("x"), &mut out);
        cbor::int(-3, &mut out);
        cbor::bytes(point.y().expect("y"), &mut out);
        out
    }

    fn auth_data(&self, attested: bool) -> Vec<u8> {
        let mut data = Sha256::digest(self.rp_id.as_bytes()).to_vec();
        data.push(self.flags(attested));
        data.extend(self.counter.to_be_bytes());
        if attested {
            data.extend([0u8; 16]); // AAGUID
            data.extend((self.credential_id.len() as u16).to_be_bytes());
            data.extend(&self.credential_id);
            data.extend(self.cose_key());
        }
        data
    }

    /// Answer `navigator.credentials.create` options (`{"publicKey": ...}`) with a
    /// `RegistrationResponseJSON`.
    pub fn register(&mut self, options: &Value) -> Value {
        let public_key = &options["publicKey"];
        let challenge = public_key["challenge"].as_str().expect("challenge");
        self.user_handle = unb64(public_key["user"]["id"].as_str().expect("user.id"));
        let client_data = self.client_data("webauthn.create", challenge);
        let mut attestation = Vec::new();
        cbor::map(3, &mut attestation);
        cbor::text("fmt", &mut attestation);
        cbor::text("none", &mut attestation);
        cbor::text("attStmt", &mut attestation);
        cbor::map(0, &mut attestation);
        cbor::text("authData", &mut attestation);
        cbor::bytes(&self.auth_data(true), &mut attestation);
        json!({
            "id": b64(&self.credential_id),
            "rawId": b64(&self.credential_id),
            "type": "public-key",
            "response": {
                "attestationObject": b64(&attestation),
                "clientDataJSON": b64(&client_data),
                "transports": ["internal"],
            },
            "clientExtensionResults": {},
            "authenticatorAttachment": "platform",
        })
    }

    /// Answer `navigator.credentials.get` options with an `AuthenticationResponseJSON`
    /// (the counter goes up first, as a real authenticator's does).
    pub fn assert(&mut self, options: &Value) -> Value {
        let challenge = options["publicKey"]["challenge"]
            .as_str()
            .expect("challenge");
        self.counter += self.counter_step;
        self.sign_assertion(challenge)
    }

    /// An assertion for `challenge` at the current counter, without moving it.
    pub fn sign_assertion(&self, challenge: &str) -> Value {
        let client_data = self.client_data("webauthn.get", challenge);
        let auth_data = self.auth_data(false);
        let mut signed = auth_data.clone();
        signed.extend(Sha256::digest(&client_data));
        let signature: Signature = self.key.sign(&signed);
        json!({
            "id": b64(&self.credential_id),
            "rawId": b64(&self.credential_id),
            "type": "public-key",
            "response": {
                "authenticatorData": b64(&auth_data),
                "clientDataJSON": b64(&client_data),
                "signature": b64(signature.to_der().as_bytes()),
                "userHandle": b64(&self.user_handle),
            },
            "clientExtensionResults": {},
            "authenticatorAttachment": "platform",
        })
    }
}
