//! The musician's language: one Fluent catalogue per language (`locales/<tag>.ftl`, built in
//! by `build.rs`), which of them is in use, and messages formatted from it.
//!
//! Rust and the window read the same catalogue: the window is handed [`Words::source`] and
//! formats it with Fluent's JavaScript implementation. Messages are looked up with [`tr!`]
//! (in the language in use) or [`Words::message`] (in a given one).

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::FluentResource;
pub use fluent_bundle::{FluentArgs, FluentValue};
use fluent_langneg::{negotiate_languages, NegotiationStrategy};
use fluent_syntax::ast;
use serde::{Deserialize, Serialize};
use std::sync::{Arc, LazyLock, RwLock};
pub use unic_langid::LanguageIdentifier;

include!(concat!(env!("OUT_DIR"), "/catalogues.rs"));

/// The language of the reference catalogue, and the one used when nothing else fits.
pub const ENGLISH: &str = "en";
/// The pseudo-language for tests: the English catalogue accented and about 40 % longer, so that
/// text which does not come from the catalogue, or is cut off, stands out. Chosen only through
/// [`LANGUAGE_VARIABLE`]; never offered in Settings.
pub const PSEUDO: &str = "en-XA";
/// Chooses the language over the system's locale: a tag such as `zh-CN`, or [`PSEUDO`].
pub const LANGUAGE_VARIABLE: &str = "PRODUCER_UPLOAD_LANGUAGE";

/// A language's messages, ready to format.
pub struct Words {
    language: LanguageIdentifier,
    source: String,
    bundle: FluentBundle<FluentResource>,
}

impl std::fmt::Debug for Words {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Words")
            .field("language", &self.language)
            .finish_non_exhaustive()
    }
}

impl Words {
    /// The catalogue of `language` (one of [`languages`], or [`PSEUDO`]); English for any other.
    pub fn of(language: &LanguageIdentifier) -> Words {
        let tag = language.to_string();
        if tag == PSEUDO {
            return Words::from_source(PSEUDO, pseudo_source(english_source()));
        }
        match catalogue(&tag) {
            Some(source) => Words::from_source(&tag, source.to_owned()),
            None => Words::from_source(ENGLISH, english_source().to_owned()),
        }
    }

    fn from_source(tag: &str, source: String) -> Words {
        let language: LanguageIdentifier = tag.parse().expect("a catalogue named by its tag");
        let resource = FluentResource::try_new(source.clone())
            .unwrap_or_else(|(_, errors)| panic!("locales/{tag}.ftl does not parse: {errors:?}"));
        let mut bundle = FluentBundle::new_concurrent(vec![language.clone()]);
        // Only left-to-right languages so far: no isolation marks around placeholders, which
        // would end up in copied text and file names.
        bundle.set_use_isolating(false);
        bundle
            .add_resource(resource)
            .unwrap_or_else(|errors| panic!("locales/{tag}.ftl repeats a message: {errors:?}"));
        Words {
            language,
            source,
            bundle,
        }
    }

    /// The language these words are in.
    pub fn language(&self) -> &LanguageIdentifier {
        &self.language
    }

    /// The catalogue's Fluent text, for the window to format with.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// The message `id` (or `id.attribute`) with `args`; English when this catalogue lacks it
    /// (the catalogue test keeps that from happening), the id itself when no catalogue has it.
    pub fn message(&self, id: &str, args: Option<&FluentArgs>) -> String {
        self.format(id, args)
            .or_else(|| {
                (self.language != ENGLISH)
                    .then(|| ENGLISH_WORDS.format(id, args))
                    .flatten()
            })
            .unwrap_or_else(|| {
                tracing::warn!(id, "no such message in the catalogue");
                id.to_owned()
            })
    }

    fn format(&self, id: &str, args: Option<&FluentArgs>) -> Option<String> {
        let (name, attribute) = match id.split_once('.') {
            Some((name, attribute)) => (name, Some(attribute)),
            None => (id, None),
        };
        let message = self.bundle.get_message(name)?;
        let pattern = match attribute {
            Some(attribute) => message.get_attribute(attribute)?.value(),
            None => message.value()?,
        };
        let mut errors = vec![];
        let text = self.bundle.format_pattern(pattern, args, &mut errors);
        if !errors.is_empty() {
            tracing::warn!(id, ?errors, "a message was formatted with missing values");
        }
        Some(text.into_owned())
    }
}

/// What the musician chose in Settings: the system's language, or one of the catalogues.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(into = "String", from = "String")]
pub enum Preference {
    /// The desktop's locale (see [`system_language`]).
    #[default]
    System,
    /// A language tag, such as `zh-CN`.
    Language(String),
}

impl From<String> for Preference {
    fn from(text: String) -> Self {
        if text.is_empty() || text == "system" {
            Preference::System
        } else {
            Preference::Language(text)
        }
    }
}

impl From<Preference> for String {
    fn from(preference: Preference) -> Self {
        match preference {
            Preference::System => "system".into(),
            Preference::Language(tag) => tag,
        }
    }
}

/// A language that can be chosen, as Settings lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LanguageChoice {
    /// Its tag, such as `zh-CN`.
    pub tag: String,
    /// Its name in itself, such as `简体中文`.
    pub name: String,
}

/// Every language with a catalogue (the pseudo-language aside), named in its own words.
pub fn languages() -> &'static [LanguageChoice] {
    static LANGUAGES: LazyLock<Vec<LanguageChoice>> = LazyLock::new(|| {
        CATALOGUES
            .iter()
            .map(|(tag, _)| LanguageChoice {
                tag: (*tag).to_owned(),
                name: Words::of(&tag.parse().expect("a catalogue named by its tag"))
                    .message("language-name", None),
            })
            .collect()
    });
    &LANGUAGES
}

/// The language for `preference`: the chosen catalogue, or the system's.
pub fn resolve(preference: &Preference) -> LanguageIdentifier {
    match preference {
        Preference::Language(tag) => best_match(tag),
        Preference::System => system_language(),
    }
}

/// The system's language among the catalogues: [`LANGUAGE_VARIABLE`] first, then the locale
/// variables as gettext reads them (`LANGUAGE`, `LC_ALL`, `LC_MESSAGES`, `LANG`); English when
/// none is set or none has a catalogue.
pub fn system_language() -> LanguageIdentifier {
    system_language_from(|name| std::env::var(name).ok())
}

fn system_language_from(variable: impl Fn(&str) -> Option<String>) -> LanguageIdentifier {
    let wanted = [
        LANGUAGE_VARIABLE,
        "LANGUAGE",
        "LC_ALL",
        "LC_MESSAGES",
        "LANG",
    ]
    .into_iter()
    .filter_map(&variable)
    .map(|value| value.split(':').next().unwrap_or_default().to_owned())
    .find(|value| !value.is_empty());
    match wanted {
        Some(value) => best_match(&posix_to_tag(&value)),
        None => ENGLISH.parse().unwrap(),
    }
}

/// `zh_CN.UTF-8@latin` → `zh-CN`; `C` and `POSIX` → English.
fn posix_to_tag(value: &str) -> String {
    let tag = value
        .split(['.', '@'])
        .next()
        .unwrap_or_default()
        .replace('_', "-");
    if tag == "C" || tag == "POSIX" {
        ENGLISH.to_owned()
    } else {
        tag
    }
}

/// The catalogue closest to `tag` (`zh` and `zh-SG` find `zh-CN`), English when none is.
fn best_match(tag: &str) -> LanguageIdentifier {
    let english: LanguageIdentifier = ENGLISH.parse().unwrap();
    if tag == PSEUDO {
        return PSEUDO.parse().unwrap();
    }
    let Ok(requested) = tag.parse::<LanguageIdentifier>() else {
        return english;
    };
    let available: Vec<LanguageIdentifier> = CATALOGUES
        .iter()
        .map(|(tag, _)| tag.parse().unwrap())
        .collect();
    negotiate_languages(
        &[requested],
        &available,
        Some(&english),
        NegotiationStrategy::Lookup,
    )
    .first()
    .map(|found| (*found).clone())
    .unwrap_or(english)
}

static ENGLISH_WORDS: LazyLock<Words> =
    LazyLock::new(|| Words::of(&ENGLISH.parse().expect("English's tag")));

static CURRENT: LazyLock<RwLock<Arc<Words>>> =
    LazyLock::new(|| RwLock::new(Arc::new(Words::of(&system_language()))));

/// The words in use in this program (the system's language until [`use_language`]).
pub fn current() -> Arc<Words> {
    CURRENT.read().unwrap_or_else(|e| e.into_inner()).clone()
}

/// Switches this program's words to `language`; returns them.
pub fn use_language(language: &LanguageIdentifier) -> Arc<Words> {
    let words = Arc::new(Words::of(language));
    *CURRENT.write().unwrap_or_else(|e| e.into_inner()) = words.clone();
    words
}

/// The Fluent source of the catalogue `tag`, if there is one.
fn catalogue(tag: &str) -> Option<&'static str> {
    CATALOGUES
        .iter()
        .find(|(known, _)| *known == tag)
        .map(|(_, source)| *source)
}

/// The Fluent source of the English catalogue, the reference.
fn english_source() -> &'static str {
    catalogue(ENGLISH).expect("the English catalogue is built in")
}

/// Every catalogue built in: (tag, Fluent source); for the catalogue test.
pub fn catalogues() -> &'static [(&'static str, &'static str)] {
    CATALOGUES
}

/// The English catalogue with every text accented and lengthened (terms, which hold brand
/// names, are left as they are).
fn pseudo_source(english: &str) -> String {
    let mut resource = fluent_syntax::parser::parse(english.to_owned())
        .unwrap_or_else(|(_, errors)| panic!("locales/en.ftl does not parse: {errors:?}"));
    for entry in &mut resource.body {
        if let ast::Entry::Message(message) = entry {
            if let Some(value) = &mut message.value {
                pseudo_pattern(value);
            }
            for attribute in &mut message.attributes {
                pseudo_pattern(&mut attribute.value);
            }
        }
    }
    fluent_syntax::serializer::serialize(&resource)
}

fn pseudo_pattern(pattern: &mut ast::Pattern<String>) {
    for element in &mut pattern.elements {
        match element {
            ast::PatternElement::TextElement { value } => *value = pseudo_text(value),
            ast::PatternElement::Placeable { expression } => pseudo_expression(expression),
        }
    }
}

/// `text` accented (vowels doubled) and padded with `·` to at least 40 % longer, the padding
/// before any trailing space so words stay apart.
fn pseudo_text(text: &str) -> String {
    if !text.chars().any(|c| c.is_ascii_alphabetic()) {
        return text.to_owned();
    }
    let accented = fluent_pseudo::transform_dom(text, false, true, false);
    let wanted = (text.chars().count() * 7).div_ceil(5);
    let padding = wanted.saturating_sub(accented.chars().count());
    let body = accented.trim_end();
    format!("{body}{}{}", "·".repeat(padding), &accented[body.len()..])
}

fn pseudo_expression(expression: &mut ast::Expression<String>) {
    match expression {
        ast::Expression::Select { variants, .. } => {
            for variant in variants {
                pseudo_pattern(&mut variant.value);
            }
        }
        ast::Expression::Inline(ast::InlineExpression::Placeable { expression }) => {
            pseudo_expression(expression)
        }
        ast::Expression::Inline(_) => {}
    }
}

/// The message `id` in the language in use: `tr!("id")`, or with values,
/// `tr!("id", count = 3, name = "take.wav")`.
#[macro_export]
macro_rules! tr {
    ($id:expr) => {
        $crate::words::current().message($id, None)
    };
    ($id:expr, $($name:ident = $value:expr),+ $(,)?) => {{
        let mut args = $crate::words::FluentArgs::new();
        $(args.set(stringify!($name), $value);)+
        $crate::words::current().message($id, Some(&args))
    }};
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let pairs: Vec<(String, String)> = pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        move |name| {
            pairs
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
        }
    }

    #[test]
    fn the_system_language_follows_gettext_order_and_falls_back_to_english() {
        let tag = |pairs: &[(&str, &str)]| system_language_from(env(pairs)).to_string();
        assert_eq!(tag(&[]), "en");
        assert_eq!(tag(&[("LANG", "zh_CN.UTF-8")]), "zh-CN");
        assert_eq!(tag(&[("LANG", "zh_SG.UTF-8")]), "zh-CN");
        assert_eq!(tag(&[("LANG", "de_DE.UTF-8")]), "en");
        assert_eq!(tag(&[("LANG", "C")]), "en");
        assert_eq!(
            tag(&[("LANG", "en_GB.UTF-8"), ("LC_MESSAGES", "zh_CN.UTF-8")]),
            "zh-CN"
        );
        assert_eq!(
            tag(&[("LC_ALL", "en_US.UTF-8"), ("LC_MESSAGES", "zh_CN.UTF-8")]),
            "en"
        );
        assert_eq!(
            tag(&[("LANGUAGE", "zh_CN:en"), ("LANG", "en_US.UTF-8")]),
            "zh-CN"
        );
        assert_eq!(
            tag(&[(LANGUAGE_VARIABLE, PSEUDO), ("LANG", "zh_CN.UTF-8")]),
            PSEUDO
        );
    }

    #[test]
    fn settings_choose_a_catalogue_or_the_system() {
        assert_eq!(
            resolve(&Preference::Language("zh-CN".into())).to_string(),
            "zh-CN"
        );
        assert_eq!(
            resolve(&Preference::Language("klingon".into())).to_string(),
            "en"
        );
        let stored = serde_json::to_string(&Preference::System).unwrap();
        assert_eq!(stored, "\"system\"");
        let back: Preference = serde_json::from_str("\"zh-CN\"").unwrap();
        assert_eq!(back, Preference::Language("zh-CN".into()));
    }

    #[test]
    fn settings_list_each_catalogue_by_its_own_name_and_never_the_pseudo_language() {
        let listed = languages();
        assert!(listed.contains(&LanguageChoice {
            tag: "en".into(),
            name: "English".into()
        }));
        assert!(listed.contains(&LanguageChoice {
            tag: "zh-CN".into(),
            name: "简体中文".into()
        }));
        assert!(listed.iter().all(|choice| choice.tag != PSEUDO));
    }

    #[test]
    fn counts_follow_each_languages_plural_rules() {
        let english = Words::of(&"en".parse().unwrap());
        let chinese = Words::of(&"zh-CN".parse().unwrap());
        let count = |words: &Words, n: usize| {
            let mut args = FluentArgs::new();
            args.set("count", n);
            words.message("links-count", Some(&args))
        };
        assert_eq!(count(&english, 1), "1 link");
        assert_eq!(count(&english, 12), "12 links");
        assert_eq!(count(&chinese, 1), "1 个链接");
        assert_eq!(count(&chinese, 12), "12 个链接");
    }

    #[test]
    fn the_pseudo_language_is_english_accented_and_longer_with_brands_and_values_kept() {
        let pseudo = Words::of(&PSEUDO.parse().unwrap());
        let english = Words::of(&"en".parse().unwrap());
        let mut args = FluentArgs::new();
        args.set("count", 12);
        let plain = english.message("links-count", Some(&args));
        let accented = pseudo.message("links-count", Some(&args));
        assert!(accented.starts_with("12 "), "{accented}");
        assert_ne!(accented, plain);
        assert!(!accented.contains("links"), "{accented}");
        let name = pseudo.message("language-name", None);
        assert!(name.chars().count() * 10 >= "English".len() * 14, "{name}");
        assert_eq!(pseudo.message("app-name", None), "Producer Uploader");
        assert!(
            pseudo.source().contains("ƞ"),
            "the window gets the same text"
        );
    }

    #[test]
    fn a_missing_message_shows_its_id_rather_than_nothing() {
        let english = Words::of(&"en".parse().unwrap());
        assert_eq!(english.message("no-such-message", None), "no-such-message");
    }
}
