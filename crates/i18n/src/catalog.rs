//! The catalogues, built into the binary: one Fluent bundle per language, made once.

use std::sync::LazyLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};

use crate::{Arg, Lang};

/// Lists the catalogue files (`locales/<lang>/<file>.ftl`), the same in every language.
macro_rules! catalogues {
    ($($file:literal),* $(,)?) => {
        /// The catalogue files, by name, the same in every language.
        pub const CATALOGUE_FILES: &[&str] = &[$($file),*];
        const ENGLISH: &[&str] = &[$(include_str!(concat!("../locales/en/", $file, ".ftl"))),*];
        const SPANISH: &[&str] = &[$(include_str!(concat!("../locales/es/", $file, ".ftl"))),*];
    };
}

catalogues!(
    "common", "errors", "sign_in", "sign_up", "messages", "proofing", "account", "recovery",
    "history"
);

/// The Fluent source of one catalogue file (for the catalogue tests and tools).
pub fn catalogue_source(lang: Lang, file: &str) -> Option<&'static str> {
    let index = CATALOGUE_FILES.iter().position(|f| *f == file)?;
    sources(lang).get(index).copied()
}

fn sources(lang: Lang) -> &'static [&'static str] {
    match lang {
        Lang::En => ENGLISH,
        Lang::Es => SPANISH,
    }
}

type Bundle = FluentBundle<FluentResource>;

static BUNDLES: LazyLock<Vec<(Lang, Bundle)>> = LazyLock::new(|| {
    Lang::ALL
        .into_iter()
        .map(|lang| (lang, bundle_of(lang)))
        .collect()
});

fn bundle_of(lang: Lang) -> Bundle {
    let id = match lang.code().parse() {
        Ok(id) => vec![id],
        Err(_) => Vec::new(),
    };
    let mut bundle = FluentBundle::new_concurrent(id);
    // Pages escape and place text themselves; Unicode isolation marks would show up
    // in emails, text messages and the API.
    bundle.set_use_isolating(false);
    for source in sources(lang) {
        // A syntax error drops only the broken message (the catalogue tests fail on any).
        let resource = match FluentResource::try_new((*source).to_owned()) {
            Ok(resource) | Err((resource, _)) => resource,
        };
        // A duplicate id keeps the first (the catalogue tests fail on any).
        let _ = bundle.add_resource(resource);
    }
    bundle
}

fn bundle(lang: Lang) -> Option<&'static Bundle> {
    BUNDLES.iter().find(|(l, _)| *l == lang).map(|(_, b)| b)
}

/// A message with no arguments, in `lang`.
pub fn text(lang: Lang, id: &str) -> String {
    format(lang, id, &[])
}

/// A message in `lang`, else in English, else its id (which the tests rule out).
pub(crate) fn format(lang: Lang, id: &str, args: &[(&str, Arg)]) -> String {
    let mut fluent_args = FluentArgs::with_capacity(args.len());
    for (name, value) in args {
        let value = match value {
            Arg::Words(words) => FluentValue::from(words.as_str()),
            Arg::Number(number) => FluentValue::from(*number),
        };
        fluent_args.set(*name, value);
    }
    for lang in [lang, Lang::En] {
        let Some(bundle) = bundle(lang) else { continue };
        let Some(pattern) = bundle.get_message(id).and_then(|m| m.value()) else {
            continue;
        };
        let mut errors = Vec::new();
        return bundle
            .format_pattern(pattern, Some(&fluent_args), &mut errors)
            .into_owned();
    }
    id.to_owned()
}
