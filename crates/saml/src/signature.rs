//! Signatures: the enveloped XML signature we put on assertions and responses, and the
//! two ways service providers sign requests: over the query string in the
//! HTTP-Redirect binding (SAML Bindings §3.4.4.1), and an enveloped XML signature in
//! the HTTP-POST binding, of which exactly one shape is accepted (see [`verify_post`]).
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

fn dsig<'a, 'i>(node: roxmltree::Node<'a, 'i>, name: &str) -> Vec<roxmltree::Node<'a, 'i>> {
    node.children()
        .filter(|c| {
            c.is_element()
                && c.tag_name().namespace() == Some(DSIG_NS)
                && c.tag_name().name() == name
        })
        .collect()
}

fn one<'a, 'i>(
    node: roxmltree::Node<'a, 'i>,
    name: &str,
) -> Result<roxmltree::Node<'a, 'i>, SamlError> {
    match dsig(node, name).as_slice() {
        [only] => Ok(*only),
        _ => Err(SamlError::BadSignature(
            "the signature's structure is not the expected one",
        )),
    }
}

fn algorithm<'a>(node: roxmltree::Node<'a, '_>) -> &'a str {
    node.attribute("Algorithm").unwrap_or_default()
}

/// Check the enveloped signature of an HTTP-POST AuthnRequest against any of the
/// service provider's keys. Only one shape passes, which rules out signature wrapping:
/// one `Signature`, a child of the root element; one `Reference`, to the root's own
/// `ID`, which no other element carries; the enveloped-signature and exclusive-C14N
/// transforms (an `InclusiveNamespaces` prefix list is honoured); SHA-256 digest;
/// exclusive-C14N `SignedInfo`; RSA-SHA256. The request is then read from that same
/// root, so what was checked is what is used.
pub fn verify_post(xml: &str, keys: &[VerifyingKey]) -> Result<(), SamlError> {
    let document = crate::parse_document(xml)?;
    let root = document.root_element();
    let signatures = document
        .descendants()
        .filter(|n| n.tag_name().namespace() == Some(DSIG_NS) && n.tag_name().name() == "Signature")
        .count();
    let signature = match (signatures, dsig(root, "Signature").as_slice()) {
        (0, _) => return Err(SamlError::MissingSignature),
        (1, [only]) => *only,
        _ => {
            return Err(SamlError::BadSignature(
                "it must hold exactly one signature, on the request itself",
            ));
        }
    };
    let id = root
        .attribute("ID")
        .ok_or(SamlError::Malformed("the request has no ID"))?;
    let same_id = document
        .descendants()
        .filter(|n| n.attributes().any(|a| a.name() == "ID" && a.value() == id))
        .count();
    if same_id != 1 {
        return Err(SamlError::BadSignature(
            "another element carries the signed ID",
        ));
    }
    let signed_info = one(signature, "SignedInfo")?;
    if algorithm(one(signed_info, "CanonicalizationMethod")?) != EXC_C14N {
        return Err(SamlError::BadSignature(
            "SignedInfo must use exclusive canonicalisation",
        ));
    }
    if algorithm(one(signed_info, "SignatureMethod")?) != RSA_SHA256 {
        return Err(SamlError::BadSignature(
            "only RSA-SHA256 (http://www.w3.org/2001/04/xmldsig-more#rsa-sha256) is accepted",
        ));
    }
    let reference = one(signed_info, "Reference")?;
    if reference.attribute("URI") != Some(&format!("#{id}")) {
        return Err(SamlError::BadSignature(
            "the signature does not cover the request",
        ));
    }
    let transforms = dsig(one(reference, "Transforms")?, "Transform");
    let [enveloped, exclusive] = transforms.as_slice() else {
        return Err(SamlError::BadSignature(
            "the signature's transforms are not the expected ones",
        ));
    };
    if algorithm(*enveloped) != ENVELOPED || algorithm(*exclusive) != EXC_C14N {
        return Err(SamlError::BadSignature(
            "the signature's transforms are not the expected ones",
        ));
    }
    let prefixes: Vec<&str> = exclusive
        .children()
        .filter(|c| c.tag_name().name() == "InclusiveNamespaces")
        .filter_map(|c| c.attribute("PrefixList"))
        .flat_map(str::split_whitespace)
        .collect();
    if algorithm(one(reference, "DigestMethod")?) != SHA256_DIGEST {
        return Err(SamlError::BadSignature("only SHA-256 digests are accepted"));
    }
    let expected = STANDARD
        .decode(crate::text_only(one(reference, "DigestValue")?)?.replace(char::is_whitespace, ""))
        .map_err(|_| SamlError::BadSignature("the digest is not base64"))?;
    let canonical =
        crate::canonical::canonicalize(&document, root, Some(signature.id()), &prefixes)?;
    if Sha256::digest(canonical.as_bytes()).as_slice() != expected.as_slice() {
        return Err(SamlError::BadSignature(
            "the request was changed after it was signed",
        ));
    }
    let signed_info_prefixes: Vec<&str> = one(signed_info, "CanonicalizationMethod")?
        .children()
        .filter(|c| c.tag_name().name() == "InclusiveNamespaces")
        .filter_map(|c| c.attribute("PrefixList"))
        .flat_map(str::split_whitespace)
        .collect();
    let signed_octets =
        crate::canonical::canonicalize(&document, signed_info, None, &signed_info_prefixes)?;
    let value = STANDARD
        .decode(
            crate::text_only(one(signature, "SignatureValue")?)?.replace(char::is_whitespace, ""),
        )
        .map_err(|_| SamlError::BadSignature("the signature is not base64"))?;
    if keys.iter().any(|key| {
        key.verify_pkcs1_sha256(&value, signed_octets.as_bytes())
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

#[cfg(test)]
mod post_tests {
    use super::*;
    use crate::xml::Element;
    use crate::{ASSERTION_NS, PROTOCOL_NS};
    use sa_oidc::SigningAlg;

    fn signed_request(key: &SigningKey) -> String {
        let request = Element::new("samlp", PROTOCOL_NS, "AuthnRequest")
            .attr("ID", "_req")
            .attr("Version", "2.0")
            .child(Element::new("saml", ASSERTION_NS, "Issuer").text("https://sp.example"));
        sign_enveloped(request, "_req", 1, key, b"cert")
            .unwrap()
            .to_canonical()
    }

    fn verifying(key: &SigningKey) -> VerifyingKey {
        let der =
            crate::certificate::self_signed(key, "sp", time::OffsetDateTime::UNIX_EPOCH).unwrap();
        crate::certificate::rsa_public_key(&der).unwrap()
    }

    #[test]
    fn a_signed_post_request_verifies_and_changes_to_it_do_not() {
        let key = SigningKey::generate(SigningAlg::Rs256).unwrap();
        let other = SigningKey::generate(SigningAlg::Rs256).unwrap();
        let xml = signed_request(&key);
        verify_post(&xml, &[verifying(&key)]).unwrap();
        // Whitespace between elements is text, so it is covered by the digest.
        let spaced = xml.replacen("<saml:Issuer ", "\n  <saml:Issuer ", 1);
        assert_ne!(spaced, xml);
        assert!(
            verify_post(&spaced, &[verifying(&key)]).is_err(),
            "text is content"
        );
        assert!(verify_post(&xml, &[verifying(&other)]).is_err());
        let changed = xml.replace("https://sp.example", "https://evil.example");
        assert_eq!(
            verify_post(&changed, &[verifying(&key)]),
            Err(SamlError::BadSignature(
                "the request was changed after it was signed"
            ))
        );
        let unsigned = Element::new("samlp", PROTOCOL_NS, "AuthnRequest")
            .attr("ID", "_req")
            .to_canonical();
        assert_eq!(
            verify_post(&unsigned, &[verifying(&key)]),
            Err(SamlError::MissingSignature)
        );
    }

    #[test]
    fn wrapping_the_signed_element_is_refused() {
        let key = SigningKey::generate(SigningAlg::Rs256).unwrap();
        let xml = signed_request(&key);
        // The signed request moved inside an evil one that reuses its ID.
        let inner = &xml;
        let wrapped = format!(
            "<samlp:AuthnRequest xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\" ID=\"_req\" Version=\"2.0\"><saml:Issuer xmlns:saml=\"urn:oasis:names:tc:SAML:2.0:assertion\">https://evil.example</saml:Issuer><samlp:Extensions>{inner}</samlp:Extensions></samlp:AuthnRequest>"
        );
        assert!(matches!(
            verify_post(&wrapped, &[verifying(&key)]),
            Err(SamlError::BadSignature(_))
        ));
        // The signature moved to the evil root, the signed request inside.
        let signature_start = xml.find("<ds:Signature").unwrap();
        let signature_end = xml.find("</ds:Signature>").unwrap() + "</ds:Signature>".len();
        let signature = &xml[signature_start..signature_end];
        let stripped = format!("{}{}", &xml[..signature_start], &xml[signature_end..]);
        let moved = format!(
            "<samlp:AuthnRequest xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\" ID=\"_evil\" Version=\"2.0\">{signature}<samlp:Extensions>{stripped}</samlp:Extensions></samlp:AuthnRequest>"
        );
        assert!(matches!(
            verify_post(&moved, &[verifying(&key)]),
            Err(SamlError::BadSignature(_))
        ));
    }
}
