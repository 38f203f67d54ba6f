//! The language of the request being answered, for whatever renders words: set by the
//! middleware in [`crate::language`] as a task-local around each handler, read by the
//! pages' layout, API errors and the request context.

use sa_i18n::Lang;

/// The query parameter of an explicit choice.
pub const PARAMETER: &str = "lang";

/// The language of this request, and where it is (for links to the same page in
/// another language).
#[derive(Clone, Debug)]
pub struct RequestLanguage {
    pub lang: Lang,
    /// Path and query of this request without the language parameter.
    pub here: String,
}

tokio::task_local! {
    static CURRENT: RequestLanguage;
}

/// Run `answer` as the request in `language`.
pub async fn within<F: std::future::Future>(language: RequestLanguage, answer: F) -> F::Output {
    CURRENT.scope(language, answer).await
}

/// The language of the request being answered (English outside one).
pub fn current() -> Lang {
    CURRENT.try_with(|c| c.lang).unwrap_or_default()
}

/// The request being answered: its language and address.
pub fn request() -> RequestLanguage {
    CURRENT.try_with(Clone::clone).unwrap_or(RequestLanguage {
        lang: Lang::En,
        here: "/".to_owned(),
    })
}

/// A message of the catalogues in the request's language (for handlers that build
/// words themselves).
pub fn words(id: &str) -> String {
    sa_i18n::text(current(), id)
}

/// A link to `here` in `lang`.
pub fn link_in(here: &str, lang: Lang) -> String {
    let separator = if here.contains('?') { '&' } else { '?' };
    format!("{here}{separator}{PARAMETER}={}", lang.code())
}
