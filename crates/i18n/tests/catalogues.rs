//! The catalogues agree with each other and with the code: every language has the same
//! files, message ids and arguments; every message formats without an error in every
//! language; every id the code or a template names exists; every message is used.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed expectation fails the test

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use fluent_bundle::{FluentArgs, FluentBundle, FluentResource, FluentValue};
use fluent_syntax::ast;
use sa_i18n::{CATALOGUE_FILES, Lang, catalogue_source};

/// Message id to the names of the variables it uses.
type Messages = BTreeMap<String, BTreeSet<String>>;

fn parse(lang: Lang, file: &str) -> Messages {
    let source = catalogue_source(lang, file)
        .unwrap_or_else(|| panic!("{lang}/{file}.ftl is not in the catalogue"));
    let resource = fluent_syntax::parser::parse(source).unwrap_or_else(|(_, errors)| {
        panic!("{lang}/{file}.ftl does not parse: {errors:?}");
    });
    let mut messages = Messages::new();
    for entry in resource.body {
        match entry {
            ast::Entry::Message(message) => {
                assert!(
                    message.attributes.is_empty(),
                    "{lang}/{file}.ftl: {} has attributes; give each its own id",
                    message.id.name
                );
                let mut variables = BTreeSet::new();
                if let Some(pattern) = &message.value {
                    pattern_variables(pattern, &mut variables);
                } else {
                    panic!("{lang}/{file}.ftl: {} has no value", message.id.name);
                }
                let id = message.id.name.to_owned();
                assert!(
                    messages.insert(id.clone(), variables).is_none(),
                    "{lang}/{file}.ftl: {id} twice"
                );
            }
            ast::Entry::Term(term) => {
                panic!("{lang}/{file}.ftl: term -{} (not used here)", term.id.name)
            }
            ast::Entry::Junk { content } => panic!("{lang}/{file}.ftl: cannot read {content:?}"),
            _ => {}
        }
    }
    messages
}

fn pattern_variables(pattern: &ast::Pattern<&str>, out: &mut BTreeSet<String>) {
    for element in &pattern.elements {
        if let ast::PatternElement::Placeable { expression } = element {
            expression_variables(expression, out);
        }
    }
}

fn expression_variables(expression: &ast::Expression<&str>, out: &mut BTreeSet<String>) {
    match expression {
        ast::Expression::Select { selector, variants } => {
            inline_variables(selector, out);
            for variant in variants {
                pattern_variables(&variant.value, out);
            }
        }
        ast::Expression::Inline(inline) => inline_variables(inline, out),
    }
}

fn inline_variables(inline: &ast::InlineExpression<&str>, out: &mut BTreeSet<String>) {
    match inline {
        ast::InlineExpression::VariableReference { id } => {
            out.insert(id.name.to_owned());
        }
        ast::InlineExpression::Placeable { expression } => expression_variables(expression, out),
        ast::InlineExpression::FunctionReference { arguments, .. } => {
            for argument in &arguments.positional {
                inline_variables(argument, out);
            }
        }
        _ => {}
    }
}

fn all_messages(lang: Lang) -> Messages {
    let mut all = Messages::new();
    for file in CATALOGUE_FILES {
        for (id, variables) in parse(lang, file) {
            assert!(
                all.insert(id.clone(), variables).is_none(),
                "{lang}: {id} is in two files"
            );
        }
    }
    all
}

#[test]
fn every_catalogue_file_is_listed_and_in_every_language() {
    let locales = Path::new(env!("CARGO_MANIFEST_DIR")).join("locales");
    for lang in Lang::ALL {
        let mut found: Vec<String> = std::fs::read_dir(locales.join(lang.code()))
            .unwrap_or_else(|_| panic!("locales/{lang} is missing"))
            .flatten()
            .filter_map(|entry| {
                let name = entry.file_name().into_string().ok()?;
                name.strip_suffix(".ftl").map(str::to_owned)
            })
            .collect();
        found.sort();
        let mut listed: Vec<String> = CATALOGUE_FILES.iter().map(|f| (*f).to_owned()).collect();
        listed.sort();
        assert_eq!(found, listed, "locales/{lang}/ against CATALOGUE_FILES");
    }
}

#[test]
fn every_language_has_the_same_messages_and_arguments() {
    for file in CATALOGUE_FILES {
        let english = parse(Lang::En, file);
        for lang in Lang::ALL {
            let translated = parse(lang, file);
            let missing: Vec<_> = english
                .keys()
                .filter(|id| !translated.contains_key(*id))
                .collect();
            let extra: Vec<_> = translated
                .keys()
                .filter(|id| !english.contains_key(*id))
                .collect();
            assert!(missing.is_empty(), "{lang}/{file}.ftl lacks {missing:?}");
            assert!(
                extra.is_empty(),
                "{lang}/{file}.ftl has ids English lacks: {extra:?}"
            );
            for (id, variables) in &english {
                assert_eq!(
                    translated.get(id),
                    Some(variables),
                    "{lang}/{file}.ftl: {id} takes other arguments than in English"
                );
            }
        }
    }
}

#[test]
fn every_message_formats_in_every_language_for_one_and_many() {
    let english = all_messages(Lang::En);
    for lang in Lang::ALL {
        let mut bundle = FluentBundle::new(vec![lang.code().parse().expect("a language id")]);
        bundle.set_use_isolating(false);
        for file in CATALOGUE_FILES {
            let source = catalogue_source(lang, file).expect("listed").to_owned();
            let resource = FluentResource::try_new(source).expect("parses");
            bundle.add_resource(resource).expect("no duplicate ids");
        }
        for (id, variables) in &english {
            for number in [1, 2, 0, 1000] {
                let mut args = FluentArgs::new();
                for name in variables {
                    args.set(name.as_str(), FluentValue::from(number));
                }
                let pattern = bundle
                    .get_message(id)
                    .and_then(|m| m.value())
                    .unwrap_or_else(|| panic!("{lang}: {id} missing"));
                let mut errors = Vec::new();
                let text = bundle.format_pattern(pattern, Some(&args), &mut errors);
                assert!(errors.is_empty(), "{lang}: {id} with {number}: {errors:?}");
                assert!(!text.trim().is_empty(), "{lang}: {id} is empty");
                assert!(
                    !text.contains('{'),
                    "{lang}: {id} left a placeholder: {text}"
                );
            }
        }
    }
}

/// The workspace's `crates/` directory.
fn crates_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("crates/")
        .to_path_buf()
}

fn sources_under(dir: &Path, out: &mut Vec<(PathBuf, String)>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            sources_under(&path, out);
        } else if path
            .extension()
            .is_some_and(|ext| ext == "rs" || ext == "html")
            && let Ok(text) = std::fs::read_to_string(&path)
        {
            out.push((path, text));
        }
    }
}

/// Every product source file (templates and Rust, tests excluded).
fn product_sources() -> Vec<(PathBuf, String)> {
    let mut all = Vec::new();
    for krate in std::fs::read_dir(crates_dir()).expect("crates/").flatten() {
        for part in ["src", "templates"] {
            sources_under(&krate.path().join(part), &mut all);
        }
    }
    all
}

/// The string literals that follow `prefix` in `source`.
fn literals_after<'a>(source: &'a str, prefix: &str) -> Vec<&'a str> {
    source
        .match_indices(prefix)
        .filter_map(|(at, _)| {
            let rest = &source[at + prefix.len()..];
            rest.find('"').map(|end| &rest[..end])
        })
        .collect()
}

/// The ways code and templates name a message.
const NAMING: &[&str] = &[
    "Text::new(\"",
    ".t(\"",
    ".t1(\"",
    ".t2(\"",
    "message_id: \"",
    "notice: Some(\"",
    "sa_i18n::text(lang, \"",
    "locale::words(\"",
    "NotFound(\"",
    "Forbidden(\"",
    "Conflict(\"",
];

#[test]
fn every_id_the_code_names_exists() {
    let english = all_messages(Lang::En);
    let mut named = 0;
    for (path, source) in product_sources() {
        for prefix in NAMING {
            for id in literals_after(&source, prefix) {
                named += 1;
                assert!(
                    english.contains_key(id),
                    "{} names {id:?}, which no catalogue has",
                    path.display()
                );
            }
        }
    }
    assert!(
        named > 100,
        "the scan found only {named} names: is NAMING out of date?"
    );
}

#[test]
fn every_message_is_used() {
    let sources = product_sources();
    for id in all_messages(Lang::En).keys() {
        let quoted = format!("\"{id}\"");
        assert!(
            sources.iter().any(|(_, source)| source.contains(&quoted)),
            "{id} is in the catalogues but nothing names it"
        );
    }
}
