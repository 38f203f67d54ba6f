//! The languages Secure Access speaks and everything it says in them.
//!
//! Every sentence a person reads (pages, form errors, the API's `message` fields,
//! emails, text messages and letters) is a message in a [Project Fluent] catalogue under
//! `locales/<language>/`, one file per area, the same files and the same message ids in
//! every language. Code names a message by its id ([`Text`], [`text`]); the catalogue
//! holds the words, the plural forms and the order of the arguments.
//!
//! - [`Lang`]: the languages, and choosing one from a request (`Accept-Language`).
//! - [`Text`]: a message id with its arguments, rendered in any language later (so the
//!   domain can say what happened without knowing who reads it).
//! - [`text`] / [`Text::render`]: the words. A message missing from a translation falls
//!   back to English; the catalogue tests keep that from happening.
//!
//! Adding a language: see the README ("Adding a language").
//!
//! [Project Fluent]: https://projectfluent.org

#![forbid(unsafe_code)]

mod arg;
mod catalog;
mod dates;
mod lang;
mod text;

pub use arg::Arg;
pub use catalog::{CATALOGUE_FILES, catalogue_source, text};
pub use dates::{long_date, long_date_time};
pub use lang::Lang;
pub use text::Text;
