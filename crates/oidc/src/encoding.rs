//! The byte-level encodings JOSE uses, in one place so every module decodes strictly:
//!
//! - **base64url without padding** (RFC 7515 §2): padding, `+`/`/` and non-zero
//!   trailing bits are refused, so one value has exactly one encoding.
//! - **DER `RSAPublicKey`** (RFC 8017 A.1.1, `SEQUENCE { INTEGER n, INTEGER e }`):
//!   the bridge between a JWK's `n`/`e` and the PKCS#1 form the crypto backend reads
//!   and writes. Only this one structure is supported, strictly (definite lengths,
//!   minimal length octets, nothing trailing).

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use crate::OidcError;

pub(crate) fn b64url(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Strict base64url decode; `what` names the part in the error message.
pub(crate) fn b64url_decode(text: &str, what: &'static str) -> Result<Vec<u8>, OidcError> {
    URL_SAFE_NO_PAD
        .decode(text)
        .map_err(|_| OidcError::Malformed(what))
}

const TAG_INTEGER: u8 = 0x02;
const TAG_SEQUENCE: u8 = 0x30;

/// DER `RSAPublicKey` from big-endian unsigned `n` and `e` (leading zeros allowed).
pub(crate) fn rsa_public_key_der(n: &[u8], e: &[u8]) -> Result<Vec<u8>, OidcError> {
    let mut body = der_unsigned_integer(n)?;
    body.extend(der_unsigned_integer(e)?);
    der_tlv(TAG_SEQUENCE, &body)
}

/// `(n, e)` as minimal big-endian unsigned bytes from a DER `RSAPublicKey`.
pub(crate) fn parse_rsa_public_key_der(der: &[u8]) -> Result<(Vec<u8>, Vec<u8>), OidcError> {
    let bad = || OidcError::InvalidKey("RSA public key encoding");
    let (body, rest) = der_read(der, TAG_SEQUENCE).ok_or_else(bad)?;
    if !rest.is_empty() {
        return Err(bad());
    }
    let (n, body) = der_read(body, TAG_INTEGER).ok_or_else(bad)?;
    let (e, body) = der_read(body, TAG_INTEGER).ok_or_else(bad)?;
    if !body.is_empty() {
        return Err(bad());
    }
    Ok((
        strip_leading_zeros(n).to_vec(),
        strip_leading_zeros(e).to_vec(),
    ))
}

pub(crate) fn strip_leading_zeros(bytes: &[u8]) -> &[u8] {
    let first = bytes.iter().position(|b| *b != 0).unwrap_or(bytes.len());
    &bytes[first..]
}

fn der_unsigned_integer(value: &[u8]) -> Result<Vec<u8>, OidcError> {
    let value = strip_leading_zeros(value);
    let mut content = Vec::with_capacity(value.len() + 1);
    // DER integers are signed: a set top bit needs a zero octet in front, and zero
    // itself is one zero octet.
    if value.first().is_none_or(|b| b & 0x80 != 0) {
        content.push(0);
    }
    content.extend_from_slice(value);
    der_tlv(TAG_INTEGER, &content)
}

fn der_tlv(tag: u8, content: &[u8]) -> Result<Vec<u8>, OidcError> {
    let len = content.len();
    let mut out = Vec::with_capacity(len + 4);
    out.push(tag);
    match len {
        0..=0x7f => out.push(len as u8),
        0x80..=0xff => out.extend([0x81, len as u8]),
        0x100..=0xffff => out.extend([0x82, (len >> 8) as u8, len as u8]),
        _ => return Err(OidcError::InvalidKey("RSA key too large")),
    }
    out.extend_from_slice(content);
    Ok(out)
}

/// Reads one element with `tag`; returns its content and what follows it.
fn der_read(input: &[u8], tag: u8) -> Option<(&[u8], &[u8])> {
    let (&found, rest) = input.split_first()?;
    if found != tag {
        return None;
    }
    let (&first, rest) = rest.split_first()?;
    let (len, rest) = match first {
        0..=0x7f => (usize::from(first), rest),
        0x81 => {
            let (&b, rest) = rest.split_first()?;
            if b < 0x80 {
                return None; // not minimal
            }
            (usize::from(b), rest)
        }
        0x82 => {
            let (hi, rest) = rest.split_first_chunk::<2>()?;
            let len = usize::from(u16::from_be_bytes(*hi));
            if len < 0x100 {
                return None; // not minimal
            }
            (len, rest)
        }
        _ => return None,
    };
    if rest.len() < len {
        return None;
    }
    Some(rest.split_at(len))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rsa_public_key_der_round_trips_and_adds_sign_octet() {
        let n = [0x00, 0xc1, 0x02, 0x03];
        let der = rsa_public_key_der(&n, &[0x01, 0x00, 0x01]).unwrap();
        assert_eq!(
            der,
            [
                0x30, 0x0b, 0x02, 0x04, 0x00, 0xc1, 0x02, 0x03, 0x02, 0x03, 0x01, 0x00, 0x01
            ]
        );
        let (n2, e2) = parse_rsa_public_key_der(&der).unwrap();
        assert_eq!(n2, [0xc1, 0x02, 0x03]);
        assert_eq!(e2, [0x01, 0x00, 0x01]);
    }

    #[test]
    fn der_reader_refuses_trailing_and_truncated_input() {
        let der = rsa_public_key_der(&[0x05], &[0x03]).unwrap();
        let mut trailing = der.clone();
        trailing.push(0);
        assert!(parse_rsa_public_key_der(&trailing).is_err());
        assert!(parse_rsa_public_key_der(&der[..der.len() - 1]).is_err());
        assert!(parse_rsa_public_key_der(&[0x30, 0x81, 0x05]).is_err());
    }

    #[test]
    fn base64url_is_strict() {
        assert_eq!(b64url(b"\xfb\xff"), "-_8");
        assert!(b64url_decode("-_8", "x").is_ok());
        assert!(b64url_decode("-_8=", "x").is_err(), "padding");
        assert!(b64url_decode("+/8", "x").is_err(), "standard alphabet");
        assert!(b64url_decode("-_9", "x").is_err(), "non-zero trailing bits");
    }
}
