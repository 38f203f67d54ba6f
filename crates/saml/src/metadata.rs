//! Metadata: a service provider's, read at registration (SAML Metadata §2.4.4), and
//! ours, published at `/saml/metadata` (an `IDPSSODescriptor`).

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use roxmltree::Node;

use crate::xml::Element;
use crate::{
    DSIG_NS, HTTP_POST, HTTP_REDIRECT, METADATA_NS, NAMEID_PERSISTENT, PROTOCOL_NS, SamlError,
    parse_document, text_only,
};

/// The largest metadata file read.
pub const MAX_METADATA: usize = 256 * 1024;

/// One `AssertionConsumerService` with the HTTP-POST binding.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct AssertionConsumer {
    pub url: String,
    pub index: u16,
    pub is_default: bool,
}

/// What registration keeps of a service provider's metadata.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceProvider {
    pub entity_id: String,
    /// HTTP-POST consumers only (the one binding answers are sent by).
    pub consumers: Vec<AssertionConsumer>,
    /// DER certificates of the keys it signs requests with.
    pub signing_certificates: Vec<Vec<u8>>,
    /// Its requests must be signed (`AuthnRequestsSigned="true"`).
    pub authn_requests_signed: bool,
    /// It wants signed assertions (`WantAssertionsSigned`); ours always are.
    pub want_assertions_signed: bool,
}

/// The consumer an AuthnRequest names (by URL or index), else the default one
/// (`isDefault`, else the first). `None` when the request names one not registered.
pub fn choose_consumer<'a>(
    consumers: &'a [AssertionConsumer],
    url: Option<&str>,
    index: Option<u16>,
) -> Option<&'a AssertionConsumer> {
    match (url, index) {
        (Some(url), _) => consumers.iter().find(|c| c.url == url),
        (None, Some(index)) => consumers.iter().find(|c| c.index == index),
        (None, None) => consumers
            .iter()
            .find(|c| c.is_default)
            .or_else(|| consumers.first()),
    }
}

fn bad(message: impl Into<String>) -> SamlError {
    SamlError::BadMetadata(message.into())
}

fn md_children<'a, 'i>(node: Node<'a, 'i>, name: &'a str) -> impl Iterator<Item = Node<'a, 'i>> {
    node.children().filter(move |c| {
        c.is_element()
            && c.tag_name().namespace() == Some(METADATA_NS)
            && c.tag_name().name() == name
    })
}

fn true_attribute(node: Node<'_, '_>, name: &str) -> bool {
    matches!(node.attribute(name), Some("true" | "1"))
}

/// Read a service provider's metadata: one `EntityDescriptor` (alone, or the only one
/// in an `EntitiesDescriptor`) with an `SPSSODescriptor` for SAML 2.0.
pub fn parse_service_provider(xml: &str) -> Result<ServiceProvider, SamlError> {
    if xml.len() > MAX_METADATA {
        return Err(SamlError::TooLarge);
    }
    let document = parse_document(xml).map_err(|e| bad(e.to_string()))?;
    let root = document.root_element();
    let entities: Vec<Node> = if root.tag_name().name() == "EntitiesDescriptor" {
        md_children(root, "EntityDescriptor").collect()
    } else {
        vec![root]
    };
    let [entity] = entities.as_slice() else {
        return Err(bad("it must describe exactly one entity"));
    };
    if entity.tag_name().namespace() != Some(METADATA_NS)
        || entity.tag_name().name() != "EntityDescriptor"
    {
        return Err(bad("it is not SAML 2.0 metadata (no md:EntityDescriptor)"));
    }
    let entity_id = entity
        .attribute("entityID")
        .map(str::trim)
        .filter(|id| !id.is_empty() && id.len() <= 1024)
        .ok_or_else(|| bad("the EntityDescriptor has no entityID"))?
        .to_owned();
    let descriptor = md_children(*entity, "SPSSODescriptor")
        .find(|d| {
            d.attribute("protocolSupportEnumeration")
                .is_some_and(|p| p.split_whitespace().any(|p| p == PROTOCOL_NS))
        })
        .ok_or_else(|| bad("it has no SPSSODescriptor for SAML 2.0"))?;
    let mut consumers = Vec::new();
    for (position, service) in md_children(descriptor, "AssertionConsumerService").enumerate() {
        if service.attribute("Binding") != Some(HTTP_POST) {
            continue;
        }
        let url = service
            .attribute("Location")
            .ok_or_else(|| bad("an AssertionConsumerService has no Location"))?
            .to_owned();
        let index = match service.attribute("index") {
            Some(index) => index
                .parse()
                .map_err(|_| bad("an AssertionConsumerService index is not a number"))?,
            None => u16::try_from(position).unwrap_or(u16::MAX),
        };
        consumers.push(AssertionConsumer {
            url,
            index,
            is_default: true_attribute(service, "isDefault"),
        });
    }
    if consumers.is_empty() {
        return Err(bad(
            "it has no AssertionConsumerService with the HTTP-POST binding",
        ));
    }
    let mut signing_certificates = Vec::new();
    for key in md_children(descriptor, "KeyDescriptor") {
        if key.attribute("use").is_some_and(|u| u != "signing") {
            continue;
        }
        for certificate in key.descendants().filter(|n| {
            n.tag_name().namespace() == Some(DSIG_NS) && n.tag_name().name() == "X509Certificate"
        }) {
            let text = text_only(certificate).map_err(|e| bad(e.to_string()))?;
            let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
            let der = STANDARD
                .decode(compact)
                .map_err(|_| bad("a signing certificate is not base64"))?;
            crate::certificate::rsa_public_key(&der).map_err(|e| bad(e.to_string()))?;
            signing_certificates.push(der);
        }
    }
    let authn_requests_signed = true_attribute(descriptor, "AuthnRequestsSigned");
    if authn_requests_signed && signing_certificates.is_empty() {
        return Err(bad(
            "it says its requests are signed (AuthnRequestsSigned) but has no signing certificate",
        ));
    }
    Ok(ServiceProvider {
        entity_id,
        consumers,
        signing_certificates,
        authn_requests_signed,
        want_assertions_signed: true_attribute(descriptor, "WantAssertionsSigned"),
    })
}

fn md(local: &'static str) -> Element {
    Element::new("md", METADATA_NS, local)
}

/// Our metadata: the entity id (the metadata's own URL), one signing `KeyDescriptor`
/// per published certificate (the current one, and a next or a retiring one during a
/// rotation), the persistent NameID format, and the single sign-on service by both
/// bindings at `sso_url`. `cacheDuration` asks service providers to read it hourly.
pub fn identity_provider(entity_id: &str, sso_url: &str, certificates: &[Vec<u8>]) -> String {
    let mut descriptor = md("IDPSSODescriptor")
        .attr("WantAuthnRequestsSigned", "false")
        .attr("protocolSupportEnumeration", PROTOCOL_NS);
    for certificate in certificates {
        descriptor = descriptor.child(
            md("KeyDescriptor").attr("use", "signing").child(
                Element::new("ds", DSIG_NS, "KeyInfo").child(
                    Element::new("ds", DSIG_NS, "X509Data").child(
                        Element::new("ds", DSIG_NS, "X509Certificate")
                            .text(STANDARD.encode(certificate)),
                    ),
                ),
            ),
        );
    }
    descriptor = descriptor
        .child(md("NameIDFormat").text(NAMEID_PERSISTENT))
        .child(
            md("SingleSignOnService")
                .attr("Binding", HTTP_REDIRECT)
                .attr("Location", sso_url),
        )
        .child(
            md("SingleSignOnService")
                .attr("Binding", HTTP_POST)
                .attr("Location", sso_url),
        );
    let entity = md("EntityDescriptor")
        .attr("entityID", entity_id)
        .attr("cacheDuration", "PT1H")
        .child(descriptor);
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n{}\n",
        entity.to_canonical()
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use sa_oidc::{SigningAlg, SigningKey};

    fn certificate() -> String {
        let key = SigningKey::generate(SigningAlg::Rs256).unwrap();
        STANDARD.encode(
            crate::certificate::self_signed(&key, "sp", time::OffsetDateTime::UNIX_EPOCH).unwrap(),
        )
    }

    fn metadata(descriptor_attributes: &str, inner: &str) -> String {
        format!(
            r#"<?xml version="1.0"?>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" entityID="https://sp.example/saml">
  <md:SPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol" {descriptor_attributes}>
    {inner}
    <md:AssertionConsumerService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Artifact" Location="https://sp.example/artifact" index="0"/>
    <md:AssertionConsumerService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://sp.example/acs" index="1"/>
    <md:AssertionConsumerService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://sp.example/acs2" index="2" isDefault="true"/>
  </md:SPSSODescriptor>
</md:EntityDescriptor>"#
        )
    }

    #[test]
    fn a_service_provider_is_read_with_its_post_consumers_and_key() {
        let key = format!(
            r#"<md:KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>
            {}
            </ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>"#,
            certificate()
        );
        let sp = parse_service_provider(&metadata(
            r#"AuthnRequestsSigned="true" WantAssertionsSigned="true""#,
            &key,
        ))
        .unwrap();
        assert_eq!(sp.entity_id, "https://sp.example/saml");
        assert_eq!(sp.consumers.len(), 2);
        assert!(sp.authn_requests_signed && sp.want_assertions_signed);
        assert_eq!(sp.signing_certificates.len(), 1);
        assert_eq!(
            choose_consumer(&sp.consumers, None, None).unwrap().url,
            "https://sp.example/acs2"
        );
        assert_eq!(
            choose_consumer(&sp.consumers, None, Some(1)).unwrap().url,
            "https://sp.example/acs"
        );
        assert_eq!(
            choose_consumer(&sp.consumers, Some("https://sp.example/acs"), None)
                .unwrap()
                .index,
            1
        );
        assert!(choose_consumer(&sp.consumers, Some("https://evil.example/acs"), None).is_none());
        assert!(
            choose_consumer(&sp.consumers, Some("https://sp.example/artifact"), None).is_none()
        );
    }

    #[test]
    fn unusable_metadata_is_refused_naming_the_problem() {
        let signed_without_key =
            parse_service_provider(&metadata(r#"AuthnRequestsSigned="true""#, ""));
        assert!(
            matches!(signed_without_key, Err(SamlError::BadMetadata(m)) if m.contains("AuthnRequestsSigned"))
        );
        let no_post = metadata("", "").replace("HTTP-POST", "HTTP-Redirect");
        assert!(
            matches!(parse_service_provider(&no_post), Err(SamlError::BadMetadata(m)) if m.contains("HTTP-POST"))
        );
        let bad_cert = metadata(
            "",
            r#"<md:KeyDescriptor><ds:KeyInfo><ds:X509Data><ds:X509Certificate>AAAA</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>"#,
        );
        assert!(parse_service_provider(&bad_cert).is_err());
        assert!(parse_service_provider("<x/>").is_err());
        assert!(
            parse_service_provider(
                &metadata("", "").replace("entityID=\"https://sp.example/saml\"", "")
            )
            .is_err()
        );
    }

    #[test]
    fn our_metadata_names_both_bindings_and_every_certificate() {
        let xml = identity_provider(
            "https://idp.example/saml/metadata",
            "https://idp.example/saml/sso",
            &[vec![1, 2, 3], vec![4, 5, 6]],
        );
        let document = roxmltree::Document::parse(&xml).unwrap();
        let root = document.root_element();
        assert_eq!(
            root.attribute("entityID"),
            Some("https://idp.example/saml/metadata")
        );
        let certificates: Vec<&str> = root
            .descendants()
            .filter(|n| n.tag_name().name() == "X509Certificate")
            .filter_map(|n| n.text())
            .collect();
        assert_eq!(certificates, ["AQID", "BAUG"]);
        let bindings: Vec<&str> = root
            .descendants()
            .filter(|n| n.tag_name().name() == "SingleSignOnService")
            .filter_map(|n| n.attribute("Binding"))
            .collect();
        assert_eq!(bindings, [HTTP_REDIRECT, HTTP_POST]);
    }
}
