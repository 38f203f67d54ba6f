//! Exclusive XML canonicalisation (xml-exc-c14n, without comments) of a parsed
//! subtree, for the one signature we check inside XML: an AuthnRequest signed in the
//! HTTP-POST binding. Our own documents never need it (`xml` writes them canonical).
//!
//! What it does (Exclusive XML Canonicalization 1.0, §3, over XPath data model
//! semantics that `roxmltree` gives: entities expanded, attribute values normalised,
//! line ends `\n`): an element declares exactly the namespaces it visibly uses (its
//! own prefix and its attributes' prefixes) that no output ancestor already declared
//! with the same URI, plus, for the prefixes of an `InclusiveNamespaces PrefixList`,
//! every in-scope one not yet declared; declarations sorted by prefix, attributes by
//! namespace URI then local name; comments dropped; one element (the enveloped
//! signature) left out. Processing instructions are refused rather than guessed at.

use roxmltree::{Document, Node, NodeId, NodeType};

use crate::SamlError;
use crate::xml::{escape_attribute, escape_text};

const XML_NS: &str = "http://www.w3.org/XML/1998/namespace";

/// The qualified name of an element or attribute exactly as the source wrote it.
fn source_qname<'a>(document: &'a Document<'_>, range: std::ops::Range<usize>) -> &'a str {
    let text = &document.input_text()[range];
    let text = text.strip_prefix('<').unwrap_or(text);
    let end = text
        .find(|c: char| c.is_whitespace() || c == '>' || c == '/' || c == '=')
        .unwrap_or(text.len());
    &text[..end]
}

fn prefix_of(qname: &str) -> &str {
    qname.split_once(':').map_or("", |(prefix, _)| prefix)
}

/// Canonicalise `node`'s subtree, leaving out `exclude` (and its subtree).
pub fn canonicalize(
    document: &Document<'_>,
    node: Node<'_, '_>,
    exclude: Option<NodeId>,
    inclusive_prefixes: &[&str],
) -> Result<String, SamlError> {
    let mut out = String::new();
    write(document, node, exclude, inclusive_prefixes, &[], &mut out)?;
    Ok(out)
}

fn write(
    document: &Document<'_>,
    node: Node<'_, '_>,
    exclude: Option<NodeId>,
    inclusive: &[&str],
    rendered: &[(String, String)],
    out: &mut String,
) -> Result<(), SamlError> {
    let qname = source_qname(document, node.range());
    // Prefixes this element uses visibly, then the inclusive ones in scope.
    let mut used: Vec<&str> = vec![prefix_of(qname)];
    for attribute in node.attributes() {
        let prefix = prefix_of(source_qname(document, attribute.range_qname()));
        if !prefix.is_empty() {
            used.push(prefix);
        }
    }
    for prefix in inclusive {
        let in_scope = if *prefix == "#default" {
            node.lookup_namespace_uri(None).is_some()
        } else {
            node.lookup_namespace_uri(Some(prefix)).is_some()
        };
        if in_scope {
            used.push(if *prefix == "#default" { "" } else { prefix });
        }
    }
    used.sort_unstable();
    used.dedup();
    let mut scope = rendered.to_vec();
    let mut declarations = Vec::new();
    for prefix in used {
        if prefix == "xml" {
            continue;
        }
        let uri = if prefix.is_empty() {
            node.lookup_namespace_uri(None).unwrap_or_default()
        } else {
            node.lookup_namespace_uri(Some(prefix))
                .ok_or(SamlError::Malformed("a prefix is used without a namespace"))?
        };
        let current = scope
            .iter()
            .rev()
            .find(|(p, _)| p == prefix)
            .map(|(_, u)| u.as_str());
        // An empty default namespace needs declaring only to undo a rendered one.
        let needed = match current {
            Some(current) => current != uri,
            None => !(prefix.is_empty() && uri.is_empty()),
        };
        if needed {
            declarations.push((prefix.to_owned(), uri.to_owned()));
            scope.push((prefix.to_owned(), uri.to_owned()));
        }
    }
    out.push('<');
    out.push_str(qname);
    for (prefix, uri) in &declarations {
        if prefix.is_empty() {
            out.push_str(" xmlns=\"");
        } else {
            out.push_str(" xmlns:");
            out.push_str(prefix);
            out.push_str("=\"");
        }
        escape_attribute(uri, out);
        out.push('"');
    }
    let mut attributes: Vec<(&str, &str, &str, &str)> = node
        .attributes()
        .map(|a| {
            let namespace = a.namespace().unwrap_or_default();
            let namespace = if prefix_of(source_qname(document, a.range_qname())) == "xml" {
                XML_NS
            } else {
                namespace
            };
            (
                namespace,
                a.name(),
                source_qname(document, a.range_qname()),
                a.value(),
            )
        })
        .collect();
    attributes.sort_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)));
    for (_, _, name, value) in attributes {
        out.push(' ');
        out.push_str(name);
        out.push_str("=\"");
        escape_attribute(value, out);
        out.push('"');
    }
    out.push('>');
    for child in node.children() {
        if Some(child.id()) == exclude {
            continue;
        }
        match child.node_type() {
            NodeType::Element => write(document, child, exclude, inclusive, &scope, out)?,
            NodeType::Text => escape_text(child.text().unwrap_or_default(), out),
            NodeType::Comment => {}
            NodeType::PI | NodeType::Root => {
                return Err(SamlError::Malformed(
                    "processing instructions are not accepted in a signed request",
                ));
            }
        }
    }
    out.push_str("</");
    out.push_str(qname);
    out.push('>');
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c14n(xml: &str) -> String {
        let document = Document::parse(xml).unwrap();
        canonicalize(&document, document.root_element(), None, &[]).unwrap()
    }

    #[test]
    fn what_the_specification_examples_show() {
        // Unused declarations go; used ones move to where they are used; attributes
        // sorted by namespace then name; empty elements get end tags; comments go.
        assert_eq!(
            c14n(
                r#"<a:r xmlns:a="urn:a" xmlns:b="urn:b" xmlns:unused="urn:u" z="1" b:y="2" a="3"><!-- c --><b:c/><d xmlns="urn:d">t &amp; &#x3c; "q"</d></a:r>"#
            ),
            r#"<a:r xmlns:a="urn:a" xmlns:b="urn:b" a="3" z="1" b:y="2"><b:c></b:c><d xmlns="urn:d">t &amp; &lt; "q"</d></a:r>"#
        );
        // A declaration already rendered by an output ancestor is not repeated, and a
        // prefix rebound to another URI is declared again.
        assert_eq!(
            c14n(r#"<a:r xmlns:a="urn:a"><a:c xmlns:a="urn:a"/><a:d xmlns:a="urn:other"/></a:r>"#),
            r#"<a:r xmlns:a="urn:a"><a:c></a:c><a:d xmlns:a="urn:other"></a:d></a:r>"#
        );
    }

    #[test]
    fn our_canonical_writer_is_a_fixed_point() {
        use crate::xml::Element;
        let doc = Element::new("samlp", crate::PROTOCOL_NS, "Response")
            .attr("ID", "_1")
            .attr("Destination", "https://sp/acs?a=1&b=\"2\"")
            .child(Element::new("saml", crate::ASSERTION_NS, "Issuer").text("x < y & z"));
        let written = doc.to_canonical();
        assert_eq!(c14n(&written), written);
    }

    #[test]
    fn the_excluded_element_and_inclusive_prefixes() {
        let xml = r#"<a:r xmlns:a="urn:a" xmlns:i="urn:i"><a:s>gone</a:s><a:k/></a:r>"#;
        let document = Document::parse(xml).unwrap();
        let root = document.root_element();
        let signature = root.first_element_child().unwrap().id();
        assert_eq!(
            canonicalize(&document, root, Some(signature), &["i"]).unwrap(),
            r#"<a:r xmlns:a="urn:a" xmlns:i="urn:i"><a:k></a:k></a:r>"#
        );
    }
}
