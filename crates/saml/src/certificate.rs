//! The identity provider's signing certificates, and the keys of service providers'.
//!
//! SAML metadata publishes keys as X.509 certificates. Ours are self-signed wrappers
//! around the provider's RS256 signing keys (metadata, not a CA, is what service
//! providers trust), built here in DER: version 3, a serial from the key id, the
//! issuer's host as common name, valid from the key's creation for ten years, no
//! extensions, `sha256WithRSAEncryption`. The same key and times give the same bytes,
//! so a certificate never changes under a service provider that pinned it.
//!
//! A service provider's certificate (from its metadata) is read with `x509-cert` for its
//! RSA public key, which checks the signatures of its requests.

use graviola::signing::rsa::VerifyingKey;
use sa_oidc::SigningKey;
use sha2::{Digest, Sha256};
use time::{Duration, OffsetDateTime};
use x509_cert::der::Decode;

use crate::SamlError;

/// 1.2.840.113549.1.1.11, sha256WithRSAEncryption.
const SHA256_WITH_RSA: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b];
/// 1.2.840.113549.1.1.1, rsaEncryption.
const RSA_ENCRYPTION: &str = "1.2.840.113549.1.1.1";
/// 2.5.4.3, commonName.
const COMMON_NAME: &[u8] = &[0x55, 0x04, 0x03];
/// How long our certificates say they are valid (metadata, not dates, decides trust).
const VALID_YEARS: i64 = 10;

fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    let len = content.len();
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes: Vec<u8> = len
            .to_be_bytes()
            .into_iter()
            .skip_while(|b| *b == 0)
            .collect();
        out.push(0x80 | bytes.len() as u8);
        out.extend(bytes);
    }
    out.extend_from_slice(content);
    out
}

fn sequence(parts: &[&[u8]]) -> Vec<u8> {
    tlv(0x30, &parts.concat())
}

fn der_time(at: OffsetDateTime) -> Vec<u8> {
    let (tag, text) = if (1950..2050).contains(&at.year()) {
        (0x17, format!("{:02}", at.year() % 100))
    } else {
        (0x18, format!("{:04}", at.year()))
    };
    let text = format!(
        "{text}{:02}{:02}{:02}{:02}{:02}Z",
        u8::from(at.month()),
        at.day(),
        at.hour(),
        at.minute(),
        at.second()
    );
    tlv(tag, text.as_bytes())
}

fn name(common_name: &str) -> Vec<u8> {
    let attribute = sequence(&[&tlv(0x06, COMMON_NAME), &tlv(0x0c, common_name.as_bytes())]);
    sequence(&[&tlv(0x31, &attribute)])
}

/// A self-signed certificate (DER) for an RS256 signing key, valid from `not_before`.
pub fn self_signed(
    key: &SigningKey,
    common_name: &str,
    not_before: OffsetDateTime,
) -> Result<Vec<u8>, SamlError> {
    let spki = key.rsa_public_spki_der().ok_or(SamlError::KeyNotRsa)?;
    let mut serial: [u8; 16] = Sha256::digest(key.kid.as_bytes())[..16]
        .try_into()
        .map_err(|_| SamlError::Crypto)?;
    // Positive, and minimal: the top bit clear and the first byte not zero.
    serial[0] = (serial[0] & 0x7f) | 0x40;
    let algorithm = sequence(&[&tlv(0x06, SHA256_WITH_RSA), &tlv(0x05, &[])]);
    let not_before = not_before.replace_nanosecond(0).unwrap_or(not_before);
    let validity = sequence(&[
        &der_time(not_before),
        &der_time(not_before + Duration::days(365 * VALID_YEARS)),
    ]);
    let name = name(common_name);
    let tbs = sequence(&[
        &tlv(0xa0, &tlv(0x02, &[2])),
        &tlv(0x02, &serial),
        &algorithm,
        &name,
        &validity,
        &name,
        &spki,
    ]);
    let signature = key.sign_rsa_sha256(&tbs).map_err(|_| SamlError::Crypto)?;
    let mut bits = vec![0u8];
    bits.extend(signature);
    Ok(sequence(&[&tbs, &algorithm, &tlv(0x03, &bits)]))
}

/// The RSA public key of a service provider's certificate (DER).
pub fn rsa_public_key(certificate_der: &[u8]) -> Result<VerifyingKey, SamlError> {
    let certificate = x509_cert::Certificate::from_der(certificate_der)
        .map_err(|_| SamlError::BadCertificate("it is not an X.509 certificate"))?;
    let spki = certificate.tbs_certificate().subject_public_key_info();
    if spki.algorithm.oid.to_string() != RSA_ENCRYPTION {
        return Err(SamlError::BadCertificate(
            "its key is not an RSA key (only RSA-SHA256 request signatures are accepted)",
        ));
    }
    let pkcs1 = spki
        .subject_public_key
        .as_bytes()
        .ok_or(SamlError::BadCertificate(
            "its public key is not whole bytes",
        ))?;
    VerifyingKey::from_pkcs1_der(pkcs1)
        .map_err(|_| SamlError::BadCertificate("its RSA public key cannot be read"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use sa_oidc::SigningAlg;
    use time::macros::datetime;

    #[test]
    fn our_certificate_parses_and_verifies_under_its_own_key() {
        let key = SigningKey::generate(SigningAlg::Rs256).unwrap();
        let der = self_signed(&key, "idp.example", datetime!(2026-12-04 10:00:00 UTC)).unwrap();
        let again = self_signed(&key, "idp.example", datetime!(2026-12-04 10:00:00 UTC)).unwrap();
        assert_eq!(
            der, again,
            "the same key and time give the same certificate"
        );
        let parsed = x509_cert::Certificate::from_der(&der).unwrap();
        let tbs = parsed.tbs_certificate();
        assert_eq!(tbs.subject().to_string(), "CN=idp.example");
        assert_eq!(tbs.issuer().to_string(), "CN=idp.example");
        let public = rsa_public_key(&der).unwrap();
        let tbs_der = x509_cert::der::Encode::to_der(tbs).unwrap();
        public
            .verify_pkcs1_sha256(parsed.signature().raw_bytes(), &tbs_der)
            .unwrap();
        assert!(der_time(datetime!(2051-01-02 03:04:05 UTC)).starts_with(&[0x18]));
    }

    #[test]
    fn an_ec_key_has_no_certificate_and_garbage_is_not_one() {
        let key = SigningKey::generate(SigningAlg::Es256).unwrap();
        assert_eq!(
            self_signed(&key, "x", OffsetDateTime::UNIX_EPOCH),
            Err(SamlError::KeyNotRsa)
        );
        assert!(matches!(
            rsa_public_key(b"not a certificate"),
            Err(SamlError::BadCertificate(_))
        ));
    }
}
