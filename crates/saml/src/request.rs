//! Reading an AuthnRequest (SAML Core §3.4.1) into what the provider decides on. The
//! checks that need no registration happen here: the root element, version, ID,
//! IssueInstant, one text-only Issuer, the response binding (HTTP-POST only), and the
//! NameID format (persistent or unspecified). The provider then checks the issuer is
//! registered, the ACS is one of its own, the time window, the signature where required
//! and that the ID has not been seen.

use roxmltree::Node;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::{
    ASSERTION_NS, HTTP_POST, NAMEID_ENTITY, NAMEID_PERSISTENT, NAMEID_UNSPECIFIED, PROTOCOL_NS,
    SamlError, parse_document, text_only,
};

/// The longest ID we keep (they are remembered to refuse replays).
const MAX_ID_LEN: usize = 256;

/// What an AuthnRequest asks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthnRequest {
    pub id: String,
    /// The service provider's entity id.
    pub issuer: String,
    pub issue_instant: OffsetDateTime,
    pub destination: Option<String>,
    /// Where the SP asked the answer to go (must be registered), if it named one.
    pub acs_url: Option<String>,
    /// Or which of its registered ACS, by index.
    pub acs_index: Option<u16>,
    /// Sign in again even if a session exists (like `prompt=login`).
    pub force_authn: bool,
    /// Do not interact with the person (like `prompt=none`).
    pub is_passive: bool,
    /// `AuthnContextClassRef`s of a `RequestedAuthnContext`, in the SP's order.
    pub authn_contexts: Vec<String>,
    /// The request carries an XML signature (the HTTP-POST binding's way to sign).
    pub has_xml_signature: bool,
    /// The NameID of a `Subject`: the SP asks about this person only.
    pub subject: Option<String>,
}

/// Problems the service provider should hear about in a Response rather than the
/// person on an error page: the request was readable and came from a registered SP.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// A NameID format we do not issue (`InvalidNameIDPolicy`).
    NameIdPolicy,
}

fn attribute<'a>(node: Node<'a, '_>, name: &str) -> Option<&'a str> {
    node.attribute(name)
}

fn boolean(node: Node<'_, '_>, name: &str) -> Result<bool, SamlError> {
    match attribute(node, name) {
        None | Some("false" | "0") => Ok(false),
        Some("true" | "1") => Ok(true),
        Some(_) => Err(SamlError::Malformed(
            "a boolean attribute is not true or false",
        )),
    }
}

fn children<'a, 'i>(node: Node<'a, 'i>, ns: &'a str, name: &'a str) -> Vec<Node<'a, 'i>> {
    node.children()
        .filter(|c| {
            c.is_element() && c.tag_name().namespace() == Some(ns) && c.tag_name().name() == name
        })
        .collect()
}

/// An ID is an xs:ID (an NCName): a letter or `_` first, then letters, digits, `.`,
/// `-`, `_`. Anything else cannot be echoed safely as `InResponseTo`.
fn valid_id(id: &str) -> bool {
    let mut chars = id.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
        && id.len() <= MAX_ID_LEN
}

/// Parse the request's XML. `Ok((request, refusal))`: a refusal is for the SP.
pub fn parse_authn_request(xml: &str) -> Result<(AuthnRequest, Option<Refusal>), SamlError> {
    let document = parse_document(xml)?;
    let root = document.root_element();
    if root.tag_name().namespace() != Some(PROTOCOL_NS) || root.tag_name().name() != "AuthnRequest"
    {
        return Err(SamlError::Malformed("it is not an AuthnRequest"));
    }
    if attribute(root, "Version") != Some("2.0") {
        return Err(SamlError::Unsupported("only SAML version 2.0"));
    }
    let id = attribute(root, "ID")
        .filter(|id| valid_id(id))
        .ok_or(SamlError::Malformed(
            "the request's ID is missing or not an XML ID",
        ))?
        .to_owned();
    let issue_instant = attribute(root, "IssueInstant")
        .and_then(|t| OffsetDateTime::parse(t, &Rfc3339).ok())
        .ok_or(SamlError::Malformed(
            "IssueInstant is missing or not a UTC date-time",
        ))?;
    let issuers = children(root, ASSERTION_NS, "Issuer");
    let [issuer_node] = issuers.as_slice() else {
        return Err(SamlError::Malformed(
            "the request must name its Issuer once",
        ));
    };
    if attribute(*issuer_node, "Format").is_some_and(|f| f != NAMEID_ENTITY) {
        return Err(SamlError::Malformed(
            "the Issuer's Format is not the entity format",
        ));
    }
    let issuer = text_only(*issuer_node)?;
    if issuer.is_empty() {
        return Err(SamlError::Malformed("the Issuer is empty"));
    }
    if attribute(root, "ProtocolBinding").is_some_and(|b| b != HTTP_POST) {
        return Err(SamlError::Unsupported(
            "answers are sent by the HTTP-POST binding only",
        ));
    }
    let acs_index =
        match attribute(root, "AssertionConsumerServiceIndex") {
            Some(index) => Some(index.parse::<u16>().map_err(|_| {
                SamlError::Malformed("AssertionConsumerServiceIndex is not a number")
            })?),
            None => None,
        };
    if acs_index.is_some() && attribute(root, "AssertionConsumerServiceURL").is_some() {
        return Err(SamlError::Malformed(
            "AssertionConsumerServiceURL and AssertionConsumerServiceIndex cannot both be given",
        ));
    }
    let subject = match children(root, ASSERTION_NS, "Subject").as_slice() {
        [] => None,
        [subject] => match children(*subject, ASSERTION_NS, "NameID").as_slice() {
            [name_id] => Some(text_only(*name_id)?),
            _ => {
                return Err(SamlError::Unsupported(
                    "a Subject is named by one plain NameID only",
                ));
            }
        },
        _ => {
            return Err(SamlError::Malformed(
                "the request names more than one Subject",
            ));
        }
    };
    let mut refusal = None;
    for policy in children(root, PROTOCOL_NS, "NameIDPolicy") {
        if attribute(policy, "Format")
            .is_some_and(|f| f != NAMEID_PERSISTENT && f != NAMEID_UNSPECIFIED)
        {
            refusal = Some(Refusal::NameIdPolicy);
        }
    }
    let mut authn_contexts = Vec::new();
    for requested in children(root, PROTOCOL_NS, "RequestedAuthnContext") {
        for class in children(requested, ASSERTION_NS, "AuthnContextClassRef") {
            authn_contexts.push(text_only(class)?);
        }
    }
    let has_xml_signature = !children(root, crate::DSIG_NS, "Signature").is_empty();
    Ok((
        AuthnRequest {
            id,
            issuer,
            issue_instant,
            destination: attribute(root, "Destination").map(str::to_owned),
            acs_url: attribute(root, "AssertionConsumerServiceURL").map(str::to_owned),
            acs_index,
            force_authn: boolean(root, "ForceAuthn")?,
            is_passive: boolean(root, "IsPassive")?,
            authn_contexts,
            has_xml_signature,
            subject,
        },
        refusal,
    ))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn form_encode(value: &str) -> String {
        url::form_urlencoded::byte_serialize(value.as_bytes()).collect()
    }

    fn request(inner: &str, attributes: &str) -> String {
        format!(
            r#"<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_r1" Version="2.0" IssueInstant="2026-12-04T10:00:00Z" {attributes}>{inner}</samlp:AuthnRequest>"#
        )
    }

    #[test]
    fn a_typical_request_is_read() {
        let xml = request(
            r#"<saml:Issuer>https://sp.example/metadata</saml:Issuer><samlp:NameIDPolicy Format="urn:oasis:names:tc:SAML:2.0:nameid-format:persistent" AllowCreate="true"/><samlp:RequestedAuthnContext Comparison="exact"><saml:AuthnContextClassRef>http://idmanagement.gov/ns/assurance/ial/2</saml:AuthnContextClassRef></samlp:RequestedAuthnContext>"#,
            r#"AssertionConsumerServiceURL="https://sp.example/acs" ForceAuthn="true" ProtocolBinding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Destination="https://idp.example/saml/sso""#,
        );
        let (parsed, refusal) = parse_authn_request(&xml).unwrap();
        assert_eq!(refusal, None);
        assert_eq!(parsed.id, "_r1");
        assert_eq!(parsed.issuer, "https://sp.example/metadata");
        assert_eq!(parsed.acs_url.as_deref(), Some("https://sp.example/acs"));
        assert!(parsed.force_authn && !parsed.is_passive && !parsed.has_xml_signature);
        assert_eq!(
            parsed.authn_contexts,
            ["http://idmanagement.gov/ns/assurance/ial/2"]
        );
    }

    #[test]
    fn hostile_or_broken_requests_are_refused_with_a_reason() {
        let issuer = "<saml:Issuer>https://sp.example</saml:Issuer>";
        let cases = [
            // A comment inside the issuer: two parsers could read two names.
            request(
                "<saml:Issuer>https://sp.example<!---->.evil</saml:Issuer>",
                "",
            ),
            request("<saml:Issuer>https://sp<x/>.example</saml:Issuer>", ""),
            request(&format!("{issuer}{issuer}"), ""),
            request("", ""),
            request(
                issuer,
                r#"ProtocolBinding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Artifact""#,
            ),
            request(issuer, r#"IsPassive="maybe""#),
            format!(
                "<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>{}",
                request(issuer, "")
            ),
            format!("<!DOCTYPE x>{}", request(issuer, "")),
            request(issuer, "").replace("ID=\"_r1\"", "ID=\"1<bad>\""),
            request(issuer, "").replace("Version=\"2.0\"", "Version=\"1.1\""),
            request(issuer, "").replace("2026-12-04T10:00:00Z", "yesterday"),
            request(issuer, "").replace("samlp:AuthnRequest", "samlp:LogoutRequest"),
            "not xml".to_owned(),
        ];
        for xml in cases {
            assert!(parse_authn_request(&xml).is_err(), "accepted: {xml}");
        }
    }

    #[test]
    fn a_subject_is_read_and_one_consumer_is_named_at_most() {
        let xml = request(
            "<saml:Issuer>sp</saml:Issuer><saml:Subject><saml:NameID>abc</saml:NameID></saml:Subject>",
            "",
        );
        assert_eq!(
            parse_authn_request(&xml).unwrap().0.subject.as_deref(),
            Some("abc")
        );
        let both = request(
            "<saml:Issuer>sp</saml:Issuer>",
            r#"AssertionConsumerServiceURL="https://sp/acs" AssertionConsumerServiceIndex="1""#,
        );
        assert!(matches!(
            parse_authn_request(&both),
            Err(SamlError::Malformed(_))
        ));
        let commented = request(
            "<saml:Issuer>sp</saml:Issuer><saml:Subject><saml:NameID>ab<!---->c</saml:NameID></saml:Subject>",
            "",
        );
        assert!(parse_authn_request(&commented).is_err());
    }

    #[test]
    fn a_name_id_format_we_do_not_issue_is_for_the_sp_to_hear() {
        let xml = request(
            r#"<saml:Issuer>sp</saml:Issuer><samlp:NameIDPolicy Format="urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress"/>"#,
            "",
        );
        assert_eq!(
            parse_authn_request(&xml).unwrap().1,
            Some(Refusal::NameIdPolicy)
        );
    }

    #[test]
    fn the_node_limit_stops_a_flood_of_elements() {
        let many = "<saml:Issuer>sp</saml:Issuer>".to_owned() + &"<x/>".repeat(6_000);
        assert_eq!(
            parse_authn_request(&request(&many, "")).unwrap_err(),
            SamlError::TooLarge
        );
    }
}
