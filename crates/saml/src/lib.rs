//! # sa-saml: the SAML 2.0 identity provider's protocol core
//!
//! Pure functions over bytes and values: no I/O, no database, no clock and no
//! randomness (times and ids arrive from the caller), no HTTP. The service keeps the
//! state; the web layer carries the bindings.
//!
//! ```text
//!   SP metadata ──► metadata::parse_service_provider ──► registration (apps add)
//!   /saml/sso  ─┬─ binding::decode_redirect / decode_post ──► request::parse_authn_request
//!               └─ signature::verify_redirect / verify_post (SPs that sign requests)
//!   sign-in done ──► response::signed_response ──► form posted to the ACS
//!   /saml/metadata ◄── metadata::identity_provider (certificate::self_signed per key)
//! ```
//!
//! Modules by responsibility:
//! - [`xml`]: writing XML already in exclusive-canonical form (what we sign is what we
//!   send).
//! - [`signature`]: XML-DSig enveloped signatures (RSA-SHA256, exclusive C14N, SHA-256
//!   digests) made and checked, and the HTTP-Redirect binding's query-string signature.
//! - [`canonical`]: exclusive canonicalisation of a parsed document, for the one
//!   signature we check inside XML (an AuthnRequest signed in the HTTP-POST binding).
//! - [`certificate`]: our self-signed certificates, and service providers' RSA keys.
//! - [`request`], [`binding`]: reading an AuthnRequest safely.
//! - [`metadata`]: service providers' metadata in, ours out.
//! - [`response`]: the Response and its Assertion.
//!
//! Why this stack: XML signatures go wrong in the general case (wrapping, comments,
//! entity tricks, a library whose verify "succeeds" when its crypto is compiled out),
//! so nothing here verifies a general signature. We emit our own documents canonically
//! and sign them with the provider's RS256 key on `graviola` (constant-time, no
//! OpenSSL). We read requests with `roxmltree`, which refuses any DTD (so no entities,
//! external or internal), and we accept exactly one signature shape: a single
//! enveloped signature over the root element, by the registered key, with the
//! algorithms above. There is no feature flag, so no build verifies without checking.
#![forbid(unsafe_code)]

pub mod binding;
pub mod canonical;
pub mod certificate;
pub mod metadata;
pub mod request;
pub mod response;
pub mod signature;
pub mod xml;

use thiserror::Error;

/// `urn:oasis:names:tc:SAML:2.0:protocol`.
pub const PROTOCOL_NS: &str = "urn:oasis:names:tc:SAML:2.0:protocol";
/// `urn:oasis:names:tc:SAML:2.0:assertion`.
pub const ASSERTION_NS: &str = "urn:oasis:names:tc:SAML:2.0:assertion";
/// `urn:oasis:names:tc:SAML:2.0:metadata`.
pub const METADATA_NS: &str = "urn:oasis:names:tc:SAML:2.0:metadata";
/// XML-DSig.
pub const DSIG_NS: &str = "http://www.w3.org/2000/09/xmldsig#";
/// The HTTP-Redirect binding.
pub const HTTP_REDIRECT: &str = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect";
/// The HTTP-POST binding.
pub const HTTP_POST: &str = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST";
/// A persistent (and here pairwise) NameID.
pub const NAMEID_PERSISTENT: &str = "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent";
/// "Any format": we answer it with a persistent NameID.
pub const NAMEID_UNSPECIFIED: &str = "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified";
/// The entity NameID format of issuers.
pub const NAMEID_ENTITY: &str = "urn:oasis:names:tc:SAML:2.0:nameid-format:entity";

/// What went wrong; messages name the problem and never carry keys, signatures or the
/// caller's values, so they are safe to log and to show.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum SamlError {
    #[error("The SAML message is malformed: {0}.")]
    Malformed(&'static str),
    #[error("The SAML message is too large.")]
    TooLarge,
    #[error("The SAML request asks for something not supported: {0}.")]
    Unsupported(&'static str),
    #[error("The SAML request must be signed by the service provider and is not.")]
    MissingSignature,
    #[error("The SAML request's signature is not valid: {0}.")]
    BadSignature(&'static str),
    #[error("The certificate is not usable: {0}.")]
    BadCertificate(&'static str),
    #[error("The service provider's metadata is not usable: {0}.")]
    BadMetadata(String),
    #[error("SAML signing needs an RSA key.")]
    KeyNotRsa,
    #[error("A cryptographic operation failed.")]
    Crypto,
}

/// The text content of an element that must hold only text: a comment, a processing
/// instruction or an element inside it is refused (a comment splitting a value is how
/// `admin@example.com<!---->.evil` reads as two different names to two parsers).
pub(crate) fn text_only(node: roxmltree::Node<'_, '_>) -> Result<String, SamlError> {
    let mut text = String::new();
    for child in node.children() {
        match child.node_type() {
            roxmltree::NodeType::Text => text.push_str(child.text().unwrap_or_default()),
            _ => {
                return Err(SamlError::Malformed(
                    "a value holds a comment or markup where only text is allowed",
                ));
            }
        }
    }
    Ok(text.trim().to_owned())
}

/// Parse XML that came from outside: no DTD (so no entities), at most 5,000 nodes.
pub(crate) fn parse_document(xml: &str) -> Result<roxmltree::Document<'_>, SamlError> {
    // roxmltree lets an empty `<!DOCTYPE x>` through; nothing we read has one.
    if xml.contains("<!DOCTYPE") {
        return Err(SamlError::Malformed(
            "it has a DTD (document type declarations are refused)",
        ));
    }
    let options = roxmltree::ParsingOptions {
        allow_dtd: false,
        nodes_limit: 5_000,
        entity_resolver: None,
    };
    roxmltree::Document::parse_with_options(xml, options).map_err(|error| match error {
        roxmltree::Error::DtdDetected => {
            SamlError::Malformed("it has a DTD (document type declarations are refused)")
        }
        roxmltree::Error::NodesLimitReached => SamlError::TooLarge,
        _ => SamlError::Malformed("it is not well-formed XML"),
    })
}
