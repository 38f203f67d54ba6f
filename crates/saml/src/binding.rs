//! The two ways an AuthnRequest arrives: HTTP-Redirect (base64 of raw DEFLATE in the
//! query) and HTTP-POST (base64 in a form field). Both are bounded before and after
//! decoding, so a small request cannot inflate into a large one.

use std::io::Read;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use flate2::read::DeflateDecoder;

use crate::SamlError;

/// The most an encoded `SAMLRequest` may be (query or form field).
pub const MAX_ENCODED: usize = 16 * 1024;
/// The most a request's XML may be once decoded.
pub const MAX_XML: usize = 32 * 1024;

fn base64(encoded: &str) -> Result<Vec<u8>, SamlError> {
    if encoded.len() > MAX_ENCODED {
        return Err(SamlError::TooLarge);
    }
    let compact: String = encoded.chars().filter(|c| !c.is_whitespace()).collect();
    STANDARD
        .decode(compact)
        .map_err(|_| SamlError::Malformed("SAMLRequest is not base64"))
}

fn utf8(bytes: Vec<u8>) -> Result<String, SamlError> {
    String::from_utf8(bytes).map_err(|_| SamlError::Malformed("the request is not UTF-8"))
}

/// The XML of an HTTP-Redirect `SAMLRequest` (already percent-decoded).
pub fn decode_redirect(encoded: &str) -> Result<String, SamlError> {
    let deflated = base64(encoded)?;
    let mut xml = Vec::new();
    DeflateDecoder::new(deflated.as_slice())
        .take(MAX_XML as u64 + 1)
        .read_to_end(&mut xml)
        .map_err(|_| SamlError::Malformed("SAMLRequest is not DEFLATE-compressed"))?;
    if xml.len() > MAX_XML {
        return Err(SamlError::TooLarge);
    }
    utf8(xml)
}

/// The XML of an HTTP-POST `SAMLRequest`.
pub fn decode_post(encoded: &str) -> Result<String, SamlError> {
    let xml = base64(encoded)?;
    if xml.len() > MAX_XML {
        return Err(SamlError::TooLarge);
    }
    utf8(xml)
}

#[cfg(test)]
mod tests {
    use super::*;
    use flate2::Compression;
    use flate2::write::DeflateEncoder;
    use std::io::Write;

    pub(crate) fn deflate(xml: &[u8]) -> String {
        let mut encoder = DeflateEncoder::new(Vec::new(), Compression::default());
        encoder.write_all(xml).unwrap();
        STANDARD.encode(encoder.finish().unwrap())
    }

    #[test]
    fn both_bindings_decode_and_refuse_what_is_not_theirs() {
        assert_eq!(decode_redirect(&deflate(b"<x/>")).unwrap(), "<x/>");
        assert_eq!(decode_post(&STANDARD.encode("<x/>")).unwrap(), "<x/>");
        assert!(matches!(
            decode_redirect("%%%"),
            Err(SamlError::Malformed(_))
        ));
        assert!(matches!(
            decode_redirect(&STANDARD.encode("<x/>")),
            Err(SamlError::Malformed(_))
        ));
        assert!(matches!(
            decode_post(&STANDARD.encode([0xff, 0xfe])),
            Err(SamlError::Malformed(_))
        ));
    }

    #[test]
    fn a_compression_bomb_is_refused() {
        let bomb = deflate(&vec![b' '; 10 * 1024 * 1024]);
        assert!(bomb.len() < MAX_ENCODED);
        assert_eq!(decode_redirect(&bomb), Err(SamlError::TooLarge));
        assert_eq!(
            decode_post(&"A".repeat(MAX_ENCODED + 4)),
            Err(SamlError::TooLarge)
        );
    }
}
