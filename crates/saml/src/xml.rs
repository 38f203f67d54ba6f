//! Writing XML in the form exclusive canonicalisation (xml-exc-c14n, without comments)
//! gives it, so the bytes we sign are the bytes we send and no general canonicaliser is
//! needed for our own documents:
//! - every element declares the namespace of its prefix where no output ancestor
//!   already declared it, and declares nothing else (the only "visibly utilised"
//!   namespace is the element's own, since every attribute we write is unprefixed);
//! - attributes in lexicographic order of their names;
//! - no XML declaration, no whitespace between elements, no empty-element tags;
//! - text and attribute values escaped exactly as C14N escapes them.
//!
//! A subtree written alone (the apex of a signed reference) declares its namespace
//! itself, which is what canonicalising that subtree of the whole document gives.

/// One namespace-qualified element: `prefix:local`, its attributes and children.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Element {
    prefix: &'static str,
    namespace: &'static str,
    local: &'static str,
    attributes: Vec<(&'static str, String)>,
    children: Vec<Node>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Node {
    Element(Element),
    Text(String),
}

impl Element {
    pub fn new(prefix: &'static str, namespace: &'static str, local: &'static str) -> Self {
        Self {
            prefix,
            namespace,
            local,
            attributes: Vec::new(),
            children: Vec::new(),
        }
    }

    /// An unprefixed attribute.
    pub fn attr(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.attributes.push((name, value.into()));
        self
    }

    pub fn child(mut self, child: Element) -> Self {
        self.children.push(Node::Element(child));
        self
    }

    pub fn text(mut self, text: impl Into<String>) -> Self {
        self.children.push(Node::Text(text.into()));
        self
    }

    /// Put `child` at `index` among the children (a signature goes after `Issuer`).
    pub fn insert_child(&mut self, index: usize, child: Element) {
        let index = index.min(self.children.len());
        self.children.insert(index, Node::Element(child));
    }

    /// The element alone, canonical, declaring its own namespace.
    pub fn to_canonical(&self) -> String {
        let mut out = String::new();
        self.write(&mut out, &[]);
        out
    }

    fn write(&self, out: &mut String, in_scope: &[(&str, &str)]) {
        let name = format!("{}:{}", self.prefix, self.local);
        out.push('<');
        out.push_str(&name);
        let declared = in_scope
            .iter()
            .rev()
            .find(|(prefix, _)| *prefix == self.prefix)
            .is_some_and(|(_, namespace)| *namespace == self.namespace);
        let mut scope = in_scope.to_vec();
        if !declared {
            out.push_str(" xmlns:");
            out.push_str(self.prefix);
            out.push_str("=\"");
            escape_attribute(self.namespace, out);
            out.push('"');
            scope.push((self.prefix, self.namespace));
        }
        let mut attributes: Vec<&(&str, String)> = self.attributes.iter().collect();
        attributes.sort_by(|a, b| a.0.cmp(b.0));
        for (attribute, value) in attributes {
            out.push(' ');
            out.push_str(attribute);
            out.push_str("=\"");
            escape_attribute(value, out);
            out.push('"');
        }
        out.push('>');
        for child in &self.children {
            match child {
                Node::Element(element) => element.write(out, &scope),
                Node::Text(text) => escape_text(text, out),
            }
        }
        out.push_str("</");
        out.push_str(&name);
        out.push('>');
    }
}

/// C14N text escaping: `&`, `<`, `>` and carriage return.
pub(crate) fn escape_text(text: &str, out: &mut String) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\r' => out.push_str("&#xD;"),
            other => out.push(other),
        }
    }
}

/// C14N attribute escaping: `&`, `<`, `"`, tab, newline and carriage return.
pub(crate) fn escape_attribute(value: &str, out: &mut String) {
    for c in value.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '"' => out.push_str("&quot;"),
            '\t' => out.push_str("&#x9;"),
            '\n' => out.push_str("&#xA;"),
            '\r' => out.push_str("&#xD;"),
            other => out.push(other),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: &str = "urn:a";
    const B: &str = "urn:b";

    #[test]
    fn namespaces_are_declared_once_where_first_used_and_attributes_are_sorted() {
        let doc = Element::new("a", A, "Root")
            .attr("Zeta", "1")
            .attr("Alpha", "2")
            .child(Element::new("b", B, "Child").child(Element::new("b", B, "Leaf").text("x")))
            .child(Element::new("a", A, "Other"));
        assert_eq!(
            doc.to_canonical(),
            "<a:Root xmlns:a=\"urn:a\" Alpha=\"2\" Zeta=\"1\"><b:Child xmlns:b=\"urn:b\"><b:Leaf>x</b:Leaf></b:Child><a:Other></a:Other></a:Root>"
        );
    }

    #[test]
    fn text_and_attributes_are_escaped_as_c14n_does() {
        let doc = Element::new("a", A, "E")
            .attr("v", "<\"&\t\n\r>")
            .text("<&>\r\"'");
        assert_eq!(
            doc.to_canonical(),
            "<a:E xmlns:a=\"urn:a\" v=\"&lt;&quot;&amp;&#x9;&#xA;&#xD;>\">&lt;&amp;&gt;&#xD;\"'</a:E>"
        );
    }

    #[test]
    fn a_subtree_alone_declares_its_namespace() {
        let inner = Element::new("a", A, "Inner").text("t");
        let outer = Element::new("a", A, "Outer").child(inner.clone());
        assert!(outer.to_canonical().contains("<a:Inner>t</a:Inner>"));
        assert_eq!(
            inner.to_canonical(),
            "<a:Inner xmlns:a=\"urn:a\">t</a:Inner>"
        );
    }
}
