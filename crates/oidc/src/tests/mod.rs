//! Unit tests, one file per module, named for what a relying party or an attacker
//! would do. Shared here: the two generated keys (RSA generation is slow, so each is
//! made once per run), the RFC 7515/7638 vectors, and helpers to forge tokens.

mod assertion;
mod discovery;
mod interop;
mod jwt;
mod keys;
mod pkce;
mod subject;

use std::sync::OnceLock;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::Value;

use crate::{SigningAlg, SigningKey, jwks};

pub(crate) fn es256() -> &'static SigningKey {
    static KEY: OnceLock<SigningKey> = OnceLock::new();
    KEY.get_or_init(|| SigningKey::generate(SigningAlg::Es256).unwrap())
}

pub(crate) fn rs256() -> &'static SigningKey {
    static KEY: OnceLock<SigningKey> = OnceLock::new();
    KEY.get_or_init(|| SigningKey::generate(SigningAlg::Rs256).unwrap())
}

/// A JWKS holding only `key`'s public JWK.
pub(crate) fn jwks_of(key: &SigningKey) -> Value {
    jwks(&[key.public_jwk()])
}

/// RFC 7515 Appendix A.1-A.3 and RFC 7638 §3.1, kept in `testdata/`.
pub(crate) fn rfc_vectors() -> Value {
    serde_json::from_str(include_str!("../../testdata/rfc7515-rfc7638.json")).unwrap()
}

pub(crate) fn b64e(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

pub(crate) fn b64d(text: &str) -> Vec<u8> {
    URL_SAFE_NO_PAD.decode(text).unwrap()
}

/// `token` split into its three parts.
pub(crate) fn parts(token: &str) -> [String; 3] {
    let parts: Vec<String> = token.split('.').map(str::to_owned).collect();
    parts.try_into().unwrap()
}

/// A compact JWS from any header, claims and signature bytes (no signing).
pub(crate) fn forge(header: &Value, claims: &Value, signature: &[u8]) -> String {
    format!(
        "{}.{}.{}",
        b64e(&serde_json::to_vec(header).unwrap()),
        b64e(&serde_json::to_vec(claims).unwrap()),
        b64e(signature)
    )
}

/// A DER element (test-only; enough to build PKCS#8 from published key components).
pub(crate) fn der(tag: u8, content: &[u8]) -> Vec<u8> {
    let len = content.len();
    let mut out = vec![tag];
    if len < 0x80 {
        out.push(len as u8);
    } else if len < 0x100 {
        out.extend([0x81, len as u8]);
    } else {
        out.extend([0x82, (len >> 8) as u8, len as u8]);
    }
    out.extend_from_slice(content);
    out
}

fn der_uint(bytes: &[u8]) -> Vec<u8> {
    let mut content = Vec::new();
    if bytes[0] & 0x80 != 0 {
        content.push(0);
    }
    content.extend_from_slice(bytes);
    der(0x02, &content)
}

fn pkcs8(algorithm: &[u8], private_key: &[u8]) -> Vec<u8> {
    let mut body = der(0x02, &[0]);
    body.extend(der(0x30, algorithm));
    body.extend(der(0x04, private_key));
    der(0x30, &body)
}

/// PKCS#8 DER of an RSA private JWK (RFC 8017 A.1.2 inside RFC 5208).
pub(crate) fn rsa_pkcs8_from_jwk(jwk: &Value) -> Vec<u8> {
    let mut rsa_private_key = der(0x02, &[0]);
    for name in ["n", "e", "d", "p", "q", "dp", "dq", "qi"] {
        rsa_private_key.extend(der_uint(&b64d(jwk[name].as_str().unwrap())));
    }
    let rsa_encryption = [
        0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00,
    ];
    pkcs8(&rsa_encryption, &der(0x30, &rsa_private_key))
}

/// PKCS#8 DER of a P-256 private scalar (SEC 1 `ECPrivateKey` inside RFC 5208).
pub(crate) fn ec_pkcs8_from_scalar(d: &[u8]) -> Vec<u8> {
    let mut ec_private_key = der(0x02, &[1]);
    ec_private_key.extend(der(0x04, d));
    let mut algorithm = vec![0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01];
    algorithm.extend([0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07]);
    pkcs8(&algorithm, &der(0x30, &ec_private_key))
}
