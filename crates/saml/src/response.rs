//! The answer to an AuthnRequest (SAML Core §3.2.2, Profiles §4.1.4.2): a `Response`
//! holding one `Assertion` with a persistent pairwise NameID, a bearer
//! SubjectConfirmation bound to the request and the consumer, Conditions limiting it in
//! time and to the service provider, an AuthnStatement stating the assurance, and the
//! attributes released. The assertion is signed, and the Response around it too (so a
//! service provider that checks either finds a signature); a failure is a signed
//! Response with its status and no assertion.

use time::format_description::well_known::Rfc3339;
use time::{Duration, OffsetDateTime};

use crate::signature::sign_enveloped;
use crate::xml::Element;
use crate::{ASSERTION_NS, NAMEID_ENTITY, NAMEID_PERSISTENT, PROTOCOL_NS, SamlError};

/// How long an assertion may be presented (Conditions, SubjectConfirmationData).
pub const ASSERTION_LIFETIME: Duration = Duration::minutes(5);
/// Clock skew allowed to the service provider in `NotBefore`.
const SKEW: Duration = Duration::minutes(1);
const BEARER: &str = "urn:oasis:names:tc:SAML:2.0:cm:bearer";
const ATTRIBUTE_BASIC: &str = "urn:oasis:names:tc:SAML:2.0:attrname-format:basic";

/// Top-level and second-level status codes (SAML Core §3.2.2.2).
pub mod status {
    pub const SUCCESS: &str = "urn:oasis:names:tc:SAML:2.0:status:Success";
    pub const REQUESTER: &str = "urn:oasis:names:tc:SAML:2.0:status:Requester";
    pub const RESPONDER: &str = "urn:oasis:names:tc:SAML:2.0:status:Responder";
    pub const REQUEST_DENIED: &str = "urn:oasis:names:tc:SAML:2.0:status:RequestDenied";
    pub const NO_PASSIVE: &str = "urn:oasis:names:tc:SAML:2.0:status:NoPassive";
    pub const NO_AUTHN_CONTEXT: &str = "urn:oasis:names:tc:SAML:2.0:status:NoAuthnContext";
    pub const UNKNOWN_PRINCIPAL: &str = "urn:oasis:names:tc:SAML:2.0:status:UnknownPrincipal";
    pub const INVALID_NAME_ID_POLICY: &str =
        "urn:oasis:names:tc:SAML:2.0:status:InvalidNameIDPolicy";
}

/// Where a Response goes and what it answers.
#[derive(Debug, Clone)]
pub struct Addressing<'a> {
    /// Our entity id.
    pub idp_entity_id: &'a str,
    pub sp_entity_id: &'a str,
    /// The consumer the Response is posted to.
    pub acs_url: &'a str,
    /// The AuthnRequest's ID.
    pub in_response_to: &'a str,
    /// A fresh unique ID (an NCName) for the Response.
    pub response_id: &'a str,
    pub now: OffsetDateTime,
}

/// What the assertion says about the person.
#[derive(Debug, Clone)]
pub struct Statement<'a> {
    /// A fresh unique ID for the Assertion.
    pub assertion_id: &'a str,
    /// The pairwise subject for this service provider.
    pub name_id: &'a str,
    /// When the person authenticated.
    pub authn_instant: OffsetDateTime,
    /// An opaque id of the sign-in session.
    pub session_index: &'a str,
    /// The assurance met (an idmanagement.gov IAL/AAL URI).
    pub authn_context: &'a str,
    /// Attribute name and values, in order.
    pub attributes: &'a [(String, Vec<String>)],
}

fn instant(at: OffsetDateTime) -> String {
    let at = at.replace_nanosecond(0).unwrap_or(at);
    at.format(&Rfc3339).unwrap_or_default()
}

fn samlp(local: &'static str) -> Element {
    Element::new("samlp", PROTOCOL_NS, local)
}

fn saml(local: &'static str) -> Element {
    Element::new("saml", ASSERTION_NS, local)
}

fn issuer(entity_id: &str) -> Element {
    saml("Issuer").attr("Format", NAMEID_ENTITY).text(entity_id)
}

fn response(to: &Addressing<'_>, status: Element) -> Element {
    samlp("Response")
        .attr("ID", to.response_id)
        .attr("Version", "2.0")
        .attr("IssueInstant", instant(to.now))
        .attr("Destination", to.acs_url)
        .attr("InResponseTo", to.in_response_to)
        .child(issuer(to.idp_entity_id))
        .child(status)
}

fn status_element(
    top: &'static str,
    second: Option<&'static str>,
    message: Option<&str>,
) -> Element {
    let mut code = samlp("StatusCode").attr("Value", top);
    if let Some(second) = second {
        code = code.child(samlp("StatusCode").attr("Value", second));
    }
    let mut status = samlp("Status").child(code);
    if let Some(message) = message {
        status = status.child(samlp("StatusMessage").text(message));
    }
    status
}

fn assertion(to: &Addressing<'_>, statement: &Statement<'_>) -> Element {
    let until = instant(to.now + ASSERTION_LIFETIME);
    let subject = saml("Subject")
        .child(
            saml("NameID")
                .attr("Format", NAMEID_PERSISTENT)
                .attr("NameQualifier", to.idp_entity_id)
                .attr("SPNameQualifier", to.sp_entity_id)
                .text(statement.name_id),
        )
        .child(
            saml("SubjectConfirmation").attr("Method", BEARER).child(
                saml("SubjectConfirmationData")
                    .attr("InResponseTo", to.in_response_to)
                    .attr("NotOnOrAfter", until.clone())
                    .attr("Recipient", to.acs_url),
            ),
        );
    let conditions = saml("Conditions")
        .attr("NotBefore", instant(to.now - SKEW))
        .attr("NotOnOrAfter", until)
        .child(saml("AudienceRestriction").child(saml("Audience").text(to.sp_entity_id)));
    let authn = saml("AuthnStatement")
        .attr("AuthnInstant", instant(statement.authn_instant))
        .attr("SessionIndex", statement.session_index)
        .child(
            saml("AuthnContext").child(saml("AuthnContextClassRef").text(statement.authn_context)),
        );
    let mut assertion = saml("Assertion")
        .attr("ID", statement.assertion_id)
        .attr("Version", "2.0")
        .attr("IssueInstant", instant(to.now))
        .child(issuer(to.idp_entity_id))
        .child(subject)
        .child(conditions)
        .child(authn);
    if !statement.attributes.is_empty() {
        let mut attributes = saml("AttributeStatement");
        for (name, values) in statement.attributes {
            let mut attribute = saml("Attribute")
                .attr("Name", name.clone())
                .attr("NameFormat", ATTRIBUTE_BASIC);
            for value in values {
                attribute = attribute.child(saml("AttributeValue").text(value.clone()));
            }
            attributes = attributes.child(attribute);
        }
        assertion = assertion.child(attributes);
    }
    assertion
}

/// A successful Response with a signed assertion, itself signed. XML text.
pub fn signed_response(
    to: &Addressing<'_>,
    statement: &Statement<'_>,
    key: &sa_oidc::SigningKey,
    certificate_der: &[u8],
) -> Result<String, SamlError> {
    let assertion = sign_enveloped(
        assertion(to, statement),
        statement.assertion_id,
        1,
        key,
        certificate_der,
    )?;
    let response = response(to, status_element(status::SUCCESS, None, None)).child(assertion);
    let response = sign_enveloped(response, to.response_id, 1, key, certificate_der)?;
    Ok(response.to_canonical())
}

/// A signed Response saying why there is no assertion (signed, so a service provider
/// that accepts only signed responses still learns why).
pub fn failure_response(
    to: &Addressing<'_>,
    top: &'static str,
    second: Option<&'static str>,
    message: &str,
    key: &sa_oidc::SigningKey,
    certificate_der: &[u8],
) -> Result<String, SamlError> {
    let response = response(to, status_element(top, second, Some(message)));
    Ok(sign_enveloped(response, to.response_id, 1, key, certificate_der)?.to_canonical())
}

#[cfg(test)]
mod tests {
    use super::*;
    use sa_oidc::{SigningAlg, SigningKey};
    use time::macros::datetime;

    #[test]
    fn the_assertion_carries_every_binding_the_profile_asks_for() {
        let key = SigningKey::generate(SigningAlg::Rs256).unwrap();
        let to = Addressing {
            idp_entity_id: "https://idp.example/saml/metadata",
            sp_entity_id: "https://sp.example",
            acs_url: "https://sp.example/acs",
            in_response_to: "_req1",
            response_id: "_resp1",
            now: datetime!(2026-12-04 10:00:00.5 UTC),
        };
        let attributes = vec![("email".to_owned(), vec!["a<b>@example.com".to_owned()])];
        let statement = Statement {
            assertion_id: "_as1",
            name_id: "pairwise",
            authn_instant: datetime!(2026-12-04 09:59:00 UTC),
            session_index: "_s1",
            authn_context: sa_oidc::IAL2,
            attributes: &attributes,
        };
        let xml = signed_response(&to, &statement, &key, b"cert").unwrap();
        let document = roxmltree::Document::parse(&xml).unwrap();
        let find = |name: &str| {
            document
                .descendants()
                .find(|n| n.tag_name().name() == name)
                .unwrap()
        };
        assert_eq!(find("Response").attribute("InResponseTo"), Some("_req1"));
        assert_eq!(
            find("Response").attribute("Destination"),
            Some("https://sp.example/acs")
        );
        let confirmation = find("SubjectConfirmationData");
        assert_eq!(
            confirmation.attribute("Recipient"),
            Some("https://sp.example/acs")
        );
        assert_eq!(
            confirmation.attribute("NotOnOrAfter"),
            Some("2026-12-04T10:05:00Z")
        );
        assert_eq!(
            find("Conditions").attribute("NotBefore"),
            Some("2026-12-04T09:59:00Z")
        );
        assert_eq!(find("Audience").text(), Some("https://sp.example"));
        assert_eq!(find("NameID").attribute("Format"), Some(NAMEID_PERSISTENT));
        assert_eq!(find("AuthnContextClassRef").text(), Some(sa_oidc::IAL2));
        assert_eq!(find("AttributeValue").text(), Some("a<b>@example.com"));
        assert!(xml.contains("a&lt;b&gt;@example.com"));
        let signatures = document
            .descendants()
            .filter(|n| n.tag_name().name() == "Signature")
            .count();
        assert_eq!(signatures, 2, "assertion and response are both signed");
    }

    #[test]
    fn a_failure_names_its_status_and_holds_no_assertion() {
        let to = Addressing {
            idp_entity_id: "idp",
            sp_entity_id: "sp",
            acs_url: "https://sp.example/acs",
            in_response_to: "_r",
            response_id: "_x",
            now: OffsetDateTime::UNIX_EPOCH,
        };
        let key = SigningKey::generate(SigningAlg::Rs256).unwrap();
        let xml = failure_response(
            &to,
            status::RESPONDER,
            Some(status::NO_PASSIVE),
            "not signed in",
            &key,
            b"cert",
        )
        .unwrap();
        assert!(xml.contains(status::NO_PASSIVE));
        assert!(xml.contains("<ds:Signature"));
        assert!(!xml.contains("Assertion"));
    }
}
