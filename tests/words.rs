//! The message catalogues (locales/*.ftl): every language has every message, with the same
//! placeholders; every message is used somewhere; every message the code asks for exists.
//! Rust (`tr!`, `message(`) and the window (`t(`, `data-l10n-id`) both read these catalogues.

use fluent_syntax::ast;
use producer_upload::words::{catalogues, ENGLISH};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Message id (`id` or `id.attribute`) → the variables it uses.
type Messages = BTreeMap<String, BTreeSet<String>>;

/// Message families the code names by a prefix and a value (`error-` + an error code): their
/// members count as used when the code holds the prefix, and their own tests check each member.
const FAMILIES: &[&str] = &["error-", "next-", "cli-help-", "history-csv-"];

fn messages(tag: &str, source: &str) -> Messages {
    let resource = fluent_syntax::parser::parse(source)
        .unwrap_or_else(|(_, errors)| panic!("locales/{tag}.ftl does not parse: {errors:?}"));
    let mut found = Messages::new();
    for entry in resource.body {
        if let ast::Entry::Message(message) = entry {
            let id = message.id.name.to_owned();
            if let Some(value) = &message.value {
                found.insert(id.clone(), variables(value));
            }
            for attribute in &message.attributes {
                found.insert(
                    format!("{id}.{}", attribute.id.name),
                    variables(&attribute.value),
                );
            }
        }
    }
    found
}

fn variables(pattern: &ast::Pattern<&str>) -> BTreeSet<String> {
    fn in_inline(inline: &ast::InlineExpression<&str>, out: &mut BTreeSet<String>) {
        match inline {
            ast::InlineExpression::VariableReference { id } => {
                out.insert(id.name.to_owned());
            }
            ast::InlineExpression::Placeable { expression } => in_expression(expression, out),
            ast::InlineExpression::FunctionReference { arguments, .. } => {
                for argument in &arguments.positional {
                    in_inline(argument, out);
                }
            }
            _ => {}
        }
    }
    fn in_expression(expression: &ast::Expression<&str>, out: &mut BTreeSet<String>) {
        match expression {
            ast::Expression::Inline(inline) => in_inline(inline, out),
            ast::Expression::Select { selector, variants } => {
                in_inline(selector, out);
                for variant in variants {
                    in_pattern(&variant.value, out);
                }
            }
        }
    }
    fn in_pattern(pattern: &ast::Pattern<&str>, out: &mut BTreeSet<String>) {
        for element in &pattern.elements {
            if let ast::PatternElement::Placeable { expression } = element {
                in_expression(expression, out);
            }
        }
    }
    let mut out = BTreeSet::new();
    in_pattern(pattern, &mut out);
    out
}

fn english() -> Messages {
    let (_, source) = catalogues()
        .iter()
        .find(|(tag, _)| *tag == ENGLISH)
        .unwrap();
    messages(ENGLISH, source)
}

#[test]
fn every_language_has_every_message_with_the_same_placeholders() {
    let english = english();
    assert!(catalogues().len() >= 2, "English and Simplified Chinese");
    for (tag, source) in catalogues() {
        let other = messages(tag, source);
        let missing: Vec<_> = english
            .keys()
            .filter(|id| !other.contains_key(*id))
            .collect();
        let extra: Vec<_> = other
            .keys()
            .filter(|id| !english.contains_key(*id))
            .collect();
        assert!(missing.is_empty(), "locales/{tag}.ftl lacks {missing:?}");
        assert!(
            extra.is_empty(),
            "locales/{tag}.ftl has messages English lacks: {extra:?}"
        );
        for (id, wanted) in &english {
            assert_eq!(
                &other[id], wanted,
                "locales/{tag}.ftl: `{id}` uses other placeholders than English"
            );
        }
    }
}

/// The product's own sources that show words: Rust (core and app), the window, and the
/// packaging test, which checks the desktop entry's words.
fn code_files() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    // The packaging test holds the desktop entry's words.
    let mut files = vec![root.join("tests/packaging.rs")];
    let mut folders = vec![
        root.join("src"),
        root.join("src-tauri/src"),
        root.join("ui"),
    ];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            if path.is_dir() {
                if name != "vendor" && name != "node_modules" {
                    folders.push(path);
                }
            } else if name.ends_with(".rs") || name.ends_with(".js") || name.ends_with(".html") {
                files.push(path);
            }
        }
    }
    files
}

/// Message ids the code asks for by name: `tr!("id"`, `message("id"`, `t('id'`,
/// `data-l10n-id="id"`.
fn asked_for(code: &str) -> BTreeSet<String> {
    let mut ids = BTreeSet::new();
    for opening in [
        "tr!(\"",
        "message(\"",
        "t('",
        "t(\"",
        "data-l10n-id=\"",
        "l10n: '",
    ] {
        for (at, _) in code.match_indices(opening) {
            let before = code[..at].chars().next_back();
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                continue;
            }
            let rest = &code[at + opening.len()..];
            let id: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
                .collect();
            let closes = rest[id.len()..].starts_with(['"', '\'']);
            if !id.is_empty() && closes && !id.ends_with('-') {
                ids.insert(id);
            }
        }
    }
    ids
}

#[test]
fn every_message_is_used_and_every_message_asked_for_exists() {
    let english = english();
    let files: Vec<(PathBuf, String)> = code_files()
        .into_iter()
        .map(|path| {
            let text = std::fs::read_to_string(&path).unwrap();
            (path, text)
        })
        .collect();
    let code = files
        .iter()
        .map(|(_, text)| text.as_str())
        .collect::<Vec<_>>()
        .join("\n");
    let unused: Vec<_> = english
        .keys()
        .filter(|id| {
            let name = id.split('.').next().unwrap();
            let quoted = [format!("\"{name}"), format!("'{name}"), format!("`{name}")];
            let used = quoted.iter().any(|q| {
                code.match_indices(q.as_str()).any(|(at, _)| {
                    let after = code[at + q.len()..].chars().next();
                    matches!(after, Some('"' | '\'' | '`' | '.' | ','))
                })
            });
            let family = FAMILIES
                .iter()
                .any(|prefix| name.starts_with(prefix) && code.contains(&format!("\"{prefix}")));
            !used && !family
        })
        .collect();
    assert!(unused.is_empty(), "messages no code uses: {unused:?}");
    // The words modules (Rust's and the window's) and their tests ask for a message that does
    // not exist, on purpose. A message may have attributes only (an aria-label): its id is there.
    let missing: Vec<_> = files
        .iter()
        .filter(|(path, _)| {
            !path.ends_with("src/words.rs")
                && !path.ends_with("ui/words.js")
                && !path.to_string_lossy().ends_with(".test.js")
        })
        .flat_map(|(_, text)| asked_for(text))
        .filter(|id| {
            !english.contains_key(id)
                && !english
                    .keys()
                    .any(|known| known.starts_with(&format!("{id}.")))
        })
        .collect();
    assert!(
        missing.is_empty(),
        "the code asks for messages no catalogue has: {missing:?}"
    );
}
