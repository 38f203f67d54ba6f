//! [`Text`]: what to say, as a message id and its arguments, rendered in a language
//! only when someone reads it.

use std::fmt;

use crate::{Arg, Lang, catalog};

/// A message of the catalogues with its arguments. `Display` gives the English.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Text {
    words: Words,
    args: Vec<(&'static str, Arg)>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Words {
    /// A message id of the catalogues.
    Catalogue(&'static str),
    /// English written in code, the same in every language: what has not moved into
    /// the catalogues yet (see the README's language section for what is left).
    Verbatim(String),
}

impl Text {
    pub fn new(id: &'static str) -> Self {
        Self {
            words: Words::Catalogue(id),
            args: Vec::new(),
        }
    }

    /// English written in code, shown as it is in every language.
    pub fn verbatim(words: impl Into<String>) -> Self {
        Self {
            words: Words::Verbatim(words.into()),
            args: Vec::new(),
        }
    }

    /// The same message with one more argument.
    #[must_use]
    pub fn with(mut self, name: &'static str, value: impl Into<Arg>) -> Self {
        self.args.push((name, value.into()));
        self
    }

    /// The catalogue's id for this message (`None` for verbatim English).
    pub fn id(&self) -> Option<&'static str> {
        match self.words {
            Words::Catalogue(id) => Some(id),
            Words::Verbatim(_) => None,
        }
    }

    /// The words in `lang`.
    pub fn render(&self, lang: Lang) -> String {
        match &self.words {
            Words::Catalogue(id) => catalog::format(lang, id, &self.args),
            Words::Verbatim(words) => words.clone(),
        }
    }
}

impl From<String> for Text {
    fn from(words: String) -> Self {
        Text::verbatim(words)
    }
}

impl From<&str> for Text {
    fn from(words: &str) -> Self {
        Text::verbatim(words)
    }
}

impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(Lang::En))
    }
}
