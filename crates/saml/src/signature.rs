//! Signatures: the enveloped XML signature we put on assertions and responses, and the
//! HTTP-Redirect binding's signature over the query string that service providers put
//! on requests (SAML Bindings §3.4.4.1).
//!
//! Ours: RSA-SHA256 over the exclusive-canonical `SignedInfo`, one `Reference` to the
//! signed element's `ID` with the enveloped-signature and exclusive-C14N transforms and
//! a SHA-256 digest, and the certificate in `KeyInfo`. The element is written
//! canonically (`xml`), so its digest is over exactly the bytes sent.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use graviola::signing::rsa::VerifyingKey;
use sa_oidc::SigningKey;
use sha2::{Digest, Sha256};

use crate::xml::Element;
use crate::{DSIG_NS, SamlError};

/// `http://www.w3.org/2001/04/xmldsig-more#rsa-sha256`.
pub const RSA_SHA256: &str = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256";
const EXC_C14N: &str = "http://www.w3.org/2001/10/xml-exc-c14n#";
const ENVELOPED: &str = "http://www.w3.org/2000/09/xmldsig#enveloped-signature";
const SHA256_DIGEST: &str = "http://www.w3.org/2001/04/xmlenc#sha256";

fn ds(local: &'static str) -> Element {
    Element::new("ds", DSIG_NS, local)
}

/// Sign `element` (whose `ID` is `id`) and put the signature at child `position` (the
/// schema wants it right after `Issuer`, so 1).
pub fn sign_enveloped(
    mut element: Element,
    id: &str,
    position: usize,
    key: &SigningKey,
    certificate_der: &[u8],
) -> Result<Element, SamlError> {
    // The enveloped-signature transform removes the signature, so the digest is over
    // the element as it is before the signature goes in.
    let digest = STANDARD.encode(Sha256::digest(element.to_canonical().as_bytes()));
    let signed_info = ds("SignedInfo")
        .child(ds("CanonicalizationMethod").attr("Algorithm", EXC_C14N))
        .child(ds("SignatureMethod").attr("Algorithm", RSA_SHA256))
        .child(
            ds("Reference")
                .attr("URI", format!("#{id}"))
                .child(
                    ds("Transforms")
                        .child(ds("Transform").attr("Algorithm", ENVELOPED))
                        .child(ds("Transform").attr("Algorithm", EXC_C14N)),
                )
                .child(ds("DigestMethod").attr("Algorithm", SHA256_DIGEST))
                .child(ds("DigestValue").text(digest)),
        );
    // Canonicalised alone, SignedInfo declares the ds namespace itself.
    let signature = key
        .sign_rsa_sha256(signed_info.to_canonical().as_bytes())
        .map_err(|_| SamlError::Crypto)?;
    let signature = ds("Signature")
        .child(signed_info)
        .child(ds("SignatureValue").text(STANDARD.encode(signature)))
        .child(ds("KeyInfo").child(
            ds("X509Data").child(ds("X509Certificate").text(STANDARD.encode(certificate_der))),
        ));
    element.insert_child(position, signature);
    Ok(element)
}

/// The parameters of an HTTP-Redirect query, as sent (still percent-encoded), which is
/// what the signature covers.
struct RawQuery<'a> {
    request: Option<&'a str>,
    relay_state: Option<&'a str>,
    sig_alg: Option<&'a str>,
    signature: Option<&'a str>,
}

fn raw_query(query: &str) -> Result<RawQuery<'_>, SamlError> {
    let mut raw = RawQuery {
        request: None,
        relay_state: None,
        sig_alg: None,
        signature: None,
    };
    for pair in query.split('&') {
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        let slot = match name {
            "SAMLRequest" => &mut raw.request,
            "RelayState" => &mut raw.relay_state,
            "SigAlg" => &mut raw.sig_alg,
            "Signature" => &mut raw.signature,
            _ => continue,
        };
        if slot.replace(value).is_some() {
            return Err(SamlError::Malformed("a SAML parameter appears twice"));
        }
    }
    Ok(raw)
}

fn decoded(raw: &str) -> String {
    url::form_urlencoded::parse(format!("v={raw}").as_bytes())
        .next()
        .map(|(_, value)| value.into_owned())
        .unwrap_or_default()
}

/// Whether a Redirect-binding query carries a signature at all.
pub fn redirect_is_signed(query: &str) -> bool {
    raw_query(query).is_ok_and(|raw| raw.signature.is_some() || raw.sig_alg.is_some())
}

/// Check the signature of an HTTP-Redirect query against any of the service
/// provider's keys. The signed octets are `SAMLRequest=…&RelayState=…&SigAlg=…` with the
/// values exactly as received; only RSA-SHA256 is accepted.
pub fn verify_redirect(query: &str, keys: &[VerifyingKey]) -> Result<(), SamlError> {
    let raw = raw_query(query)?;
    let (Some(request), Some(sig_alg), Some(signature)) = (raw.request, raw.sig_alg, raw.signature)
    else {
        return Err(SamlError::MissingSignature);
    };
    if decoded(sig_alg) != RSA_SHA256 {
        return Err(SamlError::BadSignature(
            "only RSA-SHA256 (http://www.w3.org/2001/04/xmldsig-more#rsa-sha256) is accepted",
        ));
    }
    let signature = STANDARD
        .decode(decoded(signature).replace(char::is_whitespace, ""))
        .map_err(|_| SamlError::BadSignature("the signature is not base64"))?;
    let mut signed = format!("SAMLRequest={request}");
    if let Some(relay_state) = raw.relay_state {
        signed.push_str("&RelayState=");
        signed.push_str(relay_state);
    }
    signed.push_str("&SigAlg=");
    signed.push_str(sig_alg);
    if keys.iter().any(|key| {
        key.verify_pkcs1_sha256(&signature, signed.as_bytes())
            .is_ok()
    }) {
        Ok(())
    } else {
        Err(SamlError::BadSignature(
            "it does not verify under the service provider's registered key",
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ASSERTION_NS;
    use sa_oidc::SigningAlg;

    fn rsa_key() -> SigningKey {
        SigningKey::generate(SigningAlg::Rs256).unwrap()
    }

    fn verifying(key: &SigningKey) -> VerifyingKey {
        let der =
            crate::certificate::self_signed(key, "sp", time::OffsetDateTime::UNIX_EPOCH).unwrap();
        crate::certificate::rsa_public_key(&der).unwrap()
    }

    fn signed_query(key: &SigningKey, relay: Option<&str>) -> String {
        let alg = crate::request::tests::form_encode(RSA_SHA256);
        let mut query = "SAMLRequest=fZBBa8MwDIX%2F".to_owned();
        if let Some(relay) = relay {
            query.push_str("&RelayState=");
            query.push_str(relay);
        }
        query.push_str("&SigAlg=");
        query.push_str(&alg);
        let signature = key.sign_rsa_sha256(query.as_bytes()).unwrap();
        query.push_str("&Signature=");
        query.push_str(&crate::request::tests::form_encode(
            &STANDARD.encode(signature),
        ));
        query
    }

    #[test]
    fn a_redirect_signature_by_the_registered_key_verifies_and_others_do_not() {
        let key = rsa_key();
        let other = rsa_key();
        let query = signed_query(&key, Some("r%2Fs"));
        assert!(redirect_is_signed(&query));
        verify_redirect(&query, &[verifying(&other), verifying(&key)]).unwrap();
        assert!(matches!(
            verify_redirect(&query, &[verifying(&other)]),
            Err(SamlError::BadSignature(_))
        ));
        let tampered = query.replace("RelayState=r%2Fs", "RelayState=evil");
        assert!(verify_redirect(&tampered, &[verifying(&key)]).is_err());
        let unsigned = "SAMLRequest=fZBBa8MwDIX%2F";
        assert!(!redirect_is_signed(unsigned));
        assert_eq!(
            verify_redirect(unsigned, &[verifying(&key)]),
            Err(SamlError::MissingSignature)
        );
        let sha1 = query.replace("rsa-sha256", "rsa-sha1");
        assert!(matches!(
            verify_redirect(&sha1, &[verifying(&key)]),
            Err(SamlError::BadSignature(_))
        ));
        let twice = format!("{query}&SAMLRequest=other");
        assert!(matches!(
            verify_redirect(&twice, &[verifying(&key)]),
            Err(SamlError::Malformed(_))
        ));
    }

    #[test]
    fn an_enveloped_signature_sits_after_the_issuer_and_covers_the_element() {
        let key = rsa_key();
        let element = Element::new("saml", ASSERTION_NS, "Assertion")
            .attr("ID", "_a1")
            .child(Element::new("saml", ASSERTION_NS, "Issuer").text("idp"))
            .child(Element::new("saml", ASSERTION_NS, "Subject").text("x"));
        let unsigned = element.to_canonical();
        let signed = sign_enveloped(element, "_a1", 1, &key, b"cert")
            .unwrap()
            .to_canonical();
        let issuer_end = signed.find("</saml:Issuer>").unwrap();
        let signature_start = signed.find("<ds:Signature xmlns:ds=").unwrap();
        assert!(issuer_end < signature_start);
        assert!(signed.contains("<ds:Reference URI=\"#_a1\">"));
        let digest = STANDARD.encode(Sha256::digest(unsigned.as_bytes()));
        assert!(signed.contains(&format!("<ds:DigestValue>{digest}</ds:DigestValue>")));
        // SignedInfo, canonicalised alone, declares ds: that is what was signed.
        let start = signed.find("<ds:SignedInfo>").unwrap();
        let end = signed.find("</ds:SignedInfo>").unwrap() + "</ds:SignedInfo>".len();
        let signed_info = signed[start..end].replacen(
            "<ds:SignedInfo>",
            "<ds:SignedInfo xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\">",
            1,
        );
        let value_start = signed.find("<ds:SignatureValue>").unwrap() + "<ds:SignatureValue>".len();
        let value_end = signed.find("</ds:SignatureValue>").unwrap();
        let value = STANDARD.decode(&signed[value_start..value_end]).unwrap();
        verifying(&key)
            .verify_pkcs1_sha256(&value, signed_info.as_bytes())
            .unwrap();
    }
}
