//! The provider's own signing keys: generation, sealing form, publication, signing.
//!
//! ```text
//!   first start / `keys rotate-signing`:  SigningKey::generate(alg)
//!        │ to_pkcs8() ──► caller seals the bytes ──► database
//!        │                                             │ caller unseals
//!        │ from_pkcs8(kid, alg, der) ◄─────────────────┘
//!        ▼
//!   sign_jwt(claims)  ──► ID tokens        public_jwk() ──► jwks([...]) ──► /oidc/jwks
//! ```
//!
//! ES256 is the default; RS256 exists for relying parties that only verify RSA. Both
//! run on `graviola` (constant-time private-key operations; no `rsa` crate, no
//! OpenSSL). The `kid` is the first 16 bytes of the RFC 7638 thumbprint, base64url,
//! so it is stable for a key and never reveals anything but the public key. Rotation
//! keeps retired keys' `public_jwk()` in the JWKS until tokens signed with them expire.

use std::fmt;
use std::str::FromStr;

use graviola::hashing::Sha256 as GSha256;
use graviola::signing::{ecdsa, rsa};
use serde_json::Value;
use zeroize::Zeroizing;

use crate::OidcError;
use crate::alg::SigningAlg;
use crate::encoding::{b64url, parse_rsa_public_key_der};
use crate::jwk::{ec_public_members, public_only, rsa_public_members, thumbprint_sha256};

/// Size of newly generated RSA keys: 3072 bits (NIST SP 800-57's size for use past 2030).
const RSA_KEY_SIZE: rsa::KeySize = rsa::KeySize::Rsa3072;
/// Bytes of the RFC 7638 thumbprint kept in a generated `kid`.
const KID_BYTES: usize = 16;
/// A DER SubjectPublicKeyInfo for P-256 ends with the 65-byte uncompressed point.
const P256_SPKI_LEN: usize = 91;
const P256_POINT_LEN: usize = 65;
/// Room for any PKCS#8 or PKCS#1 encoding up to 8192-bit RSA.
const DER_BUFFER_LEN: usize = 8 * 1024;

/// Whether this processor can run the crypto backend. Check at start-up to fail with
/// a clear message; every operation here also checks and returns
/// [`OidcError::UnsupportedCpu`] rather than letting the backend abort.
pub fn backend_supported() -> bool {
    graviola::util::is_cpu_supported()
}

pub(crate) fn ensure_backend() -> Result<(), OidcError> {
    if backend_supported() {
        Ok(())
    } else {
        Err(OidcError::UnsupportedCpu)
    }
}

impl FromStr for SigningAlg {
    type Err = OidcError;
    fn from_str(name: &str) -> Result<Self, Self::Err> {
        Self::parse(name).ok_or(OidcError::UnsupportedAlgorithm)
    }
}

enum PrivateKey {
    Es256(ecdsa::SigningKey<ecdsa::P256>),
    Rs256(Box<rsa::SigningKey>),
}

/// One private signing key. `Debug` shows only `kid` and `alg`.
pub struct SigningKey {
    pub kid: String,
    pub alg: SigningAlg,
    private: PrivateKey,
    /// `kty` plus the public members, without `kid`/`alg`/`use`.
    public: Value,
}

impl SigningKey {
    /// A new random key; `kid` is derived from its RFC 7638 thumbprint.
    pub fn generate(alg: SigningAlg) -> Result<Self, OidcError> {
        ensure_backend()?;
        let private = match alg {
            SigningAlg::Es256 => {
                ecdsa::SigningKey::<ecdsa::P256>::generate().map(PrivateKey::Es256)
            }
            SigningAlg::Rs256 => {
                rsa::SigningKey::generate(RSA_KEY_SIZE).map(|key| PrivateKey::Rs256(Box::new(key)))
            }
        }
        .map_err(|_| OidcError::Crypto)?;
        let public = public_members(&private)?;
        let kid = b64url(&thumbprint_sha256(&public)?[..KID_BYTES]);
        Ok(Self {
            kid,
            alg,
            private,
            public,
        })
    }

    /// Loads a key the caller unsealed; `kid` is the one stored with it.
    pub fn from_pkcs8(kid: &str, alg: SigningAlg, der: &[u8]) -> Result<Self, OidcError> {
        ensure_backend()?;
        let private = match alg {
            SigningAlg::Es256 => {
                ecdsa::SigningKey::<ecdsa::P256>::from_pkcs8_der(der).map(PrivateKey::Es256)
            }
            SigningAlg::Rs256 => {
                rsa::SigningKey::from_pkcs8_der(der).map(|key| PrivateKey::Rs256(Box::new(key)))
            }
        }
        .map_err(|_| OidcError::InvalidKey("not a PKCS#8 private key for this algorithm"))?;
        let public = public_members(&private)?;
        Ok(Self {
            kid: kid.to_owned(),
            alg,
            private,
            public,
        })
    }

    /// The private key as PKCS#8 DER, for the caller to seal. Zeroed on drop.
    pub fn to_pkcs8(&self) -> Result<Zeroizing<Vec<u8>>, OidcError> {
        let mut buffer = Zeroizing::new(vec![0u8; DER_BUFFER_LEN]);
        let used = match &self.private {
            PrivateKey::Es256(key) => key.to_pkcs8_der(&mut buffer[..]),
            PrivateKey::Rs256(key) => key.to_pkcs8_der(&mut buffer[..]),
        }
        .map_err(|_| OidcError::Crypto)?
        .len();
        buffer.truncate(used);
        Ok(buffer)
    }

    /// The public JWK with `use: sig`, `alg` and `kid`; never any private member.
    pub fn public_jwk(&self) -> Value {
        let mut jwk = self.public.clone();
        if let Some(members) = jwk.as_object_mut() {
            members.insert("use".into(), "sig".into());
            members.insert("alg".into(), self.key_alg().as_str().into());
            members.insert("kid".into(), self.kid.clone().into());
        }
        jwk
    }

    /// Compact JWS over `claims` (a JSON object) with header `{"alg","typ":"JWT","kid"}`.
    pub fn sign_jwt(&self, claims: &Value) -> Result<String, OidcError> {
        self.sign_jwt_typed(claims, "JWT")
    }

    /// The same with another `typ` (explicit typing, RFC 8725 §3.11): `secevent+jwt` for
    /// a Security Event Token, `logout+jwt` for a logout token.
    pub fn sign_jwt_typed(&self, claims: &Value, typ: &str) -> Result<String, OidcError> {
        if !claims.is_object() {
            return Err(OidcError::InvalidClaims("claims must be a JSON object"));
        }
        let header =
            serde_json::json!({ "alg": self.key_alg().as_str(), "typ": typ, "kid": self.kid });
        let header = serde_json::to_vec(&header).map_err(|_| OidcError::Crypto)?;
        let payload = serde_json::to_vec(claims).map_err(|_| OidcError::Crypto)?;
        let signing_input = format!("{}.{}", b64url(&header), b64url(&payload));
        let signature = self.sign_bytes(signing_input.as_bytes())?;
        Ok(format!("{signing_input}.{}", b64url(&signature)))
    }

    /// The JWS signature over `message`: `r || s` for ES256, `k` bytes for RS256.
    pub(crate) fn sign_bytes(&self, message: &[u8]) -> Result<Vec<u8>, OidcError> {
        match &self.private {
            PrivateKey::Es256(key) => {
                let mut signature = [0u8; 64];
                let used = key
                    .sign::<GSha256>(&[message], &mut signature)
                    .map_err(|_| OidcError::Crypto)?;
                Ok(used.to_vec())
            }
            PrivateKey::Rs256(key) => {
                let mut signature = vec![0u8; key.modulus_len_bytes()];
                let used = key
                    .sign_pkcs1_sha256(&mut signature, message)
                    .map_err(|_| OidcError::Crypto)?;
                Ok(used.to_vec())
            }
        }
    }

    /// For an RS256 key: the public key as a DER SubjectPublicKeyInfo (for an X.509
    /// certificate); `None` for an EC key.
    pub fn rsa_public_spki_der(&self) -> Option<Vec<u8>> {
        let PrivateKey::Rs256(key) = &self.private else {
            return None;
        };
        let mut buffer = [0u8; DER_BUFFER_LEN];
        key.public_key()
            .to_spki_der(&mut buffer)
            .ok()
            .map(<[u8]>::to_vec)
    }

    /// For an RS256 key: an RSASSA-PKCS1-v1_5 SHA-256 signature over `message` (XML
    /// signatures' `rsa-sha256`, X.509's `sha256WithRSAEncryption`). An EC key answers
    /// [`OidcError::UnsupportedAlgorithm`].
    pub fn sign_rsa_sha256(&self, message: &[u8]) -> Result<Vec<u8>, OidcError> {
        match &self.private {
            PrivateKey::Rs256(_) => self.sign_bytes(message),
            PrivateKey::Es256(_) => Err(OidcError::UnsupportedAlgorithm),
        }
    }

    /// The algorithm the private key actually implements (`alg` is a public field a
    /// caller could change; the header must follow the key).
    fn key_alg(&self) -> SigningAlg {
        match self.private {
            PrivateKey::Es256(_) => SigningAlg::Es256,
            PrivateKey::Rs256(_) => SigningAlg::Rs256,
        }
    }
}

impl fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SigningKey")
            .field("kid", &self.kid)
            .field("alg", &self.alg)
            .finish_non_exhaustive()
    }
}

/// The JWKS document, `{"keys": [...]}`. Each key is reduced to its public members;
/// anything that is not an EC P-256 or RSA public key (a symmetric `kty: oct` key,
/// a malformed entry) is left out, so the published set can hold no secret.
pub fn jwks(keys: &[Value]) -> Value {
    let keys: Vec<Value> = keys.iter().filter_map(public_only).collect();
    serde_json::json!({ "keys": keys })
}

fn public_members(private: &PrivateKey) -> Result<Value, OidcError> {
    let mut buffer = [0u8; DER_BUFFER_LEN];
    match private {
        PrivateKey::Es256(key) => {
            let spki = key
                .to_spki_der(&mut buffer)
                .map_err(|_| OidcError::Crypto)?;
            if spki.len() != P256_SPKI_LEN {
                return Err(OidcError::Crypto);
            }
            let point = &spki[P256_SPKI_LEN - P256_POINT_LEN..];
            if point.first() != Some(&0x04) {
                return Err(OidcError::Crypto);
            }
            Ok(ec_public_members(&point[1..33], &point[33..]))
        }
        PrivateKey::Rs256(key) => {
            let der = key
                .public_key()
                .to_pkcs1_der(&mut buffer)
                .map_err(|_| OidcError::Crypto)?;
            let (n, e) = parse_rsa_public_key_der(der)?;
            Ok(rsa_public_members(&n, &e))
        }
    }
}
