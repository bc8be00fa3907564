//! Dates in a history search, as people type them after reading the list: `2026-11-25`,
//! `Nov 25`, `25 Nov`, `November 25, 2026`, in their own time zone and, besides English, in the
//! month names of their language.

use time::{Date, Month};

/// A date someone searched for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SearchDate {
    /// One day of one year.
    Day(Date),
    /// A day of a month, in any year (`Nov 25`).
    MonthDay(Month, u8),
}

/// One part of a search: a date, or a word to look for in the record's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Term {
    /// A date, with the words it was written as (matched as text too).
    Date(SearchDate, String),
    /// Any other word.
    Word(String),
}

const ENGLISH_MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// Splits `text` into words and dates. `month_names` are the twelve month names of the
/// person's language, January first (English names always count); a month may be written in
/// full or by its first three letters or more (`Nov`, `Sept`, `déc.`).
pub fn terms(text: &str, month_names: &[String]) -> Vec<Term> {
    let words: Vec<&str> = text.split_whitespace().collect();
    let mut terms = Vec::new();
    let mut at = 0;
    while at < words.len() {
        match date_at(&words[at..], month_names) {
            Some((date, used)) => {
                terms.push(Term::Date(date, words[at..at + used].join(" ")));
                at += used;
            }
            None => {
                terms.push(Term::Word(words[at].to_owned()));
                at += 1;
            }
        }
    }
    terms
}

/// The date the first words make, and how many words it took.
fn date_at(words: &[&str], month_names: &[String]) -> Option<(SearchDate, usize)> {
    let first = words.first()?;
    if let Some(day) = iso_day(first) {
        return Some((SearchDate::Day(day), 1));
    }
    let second = words.get(1)?;
    let (month, day) = match (month(first, month_names), day_number(second)) {
        (Some(month), Some(day)) => (month, day),
        _ => (month(second, month_names)?, day_number(first)?),
    };
    let year = words.get(2).and_then(|word| year_number(word));
    let date = match year {
        Some(year) => SearchDate::Day(Date::from_calendar_date(year, month, day).ok()?),
        // A day that exists in some year (29 February included).
        None => {
            Date::from_calendar_date(2000, month, day).ok()?;
            SearchDate::MonthDay(month, day)
        }
    };
    Some((date, if year.is_some() { 3 } else { 2 }))
}

fn iso_day(word: &str) -> Option<Date> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    Date::parse(word, &format).ok()
}

/// `nov`, `November`, `Nov.`, `déc.` (with `month_names` in French): the month.
fn month(word: &str, month_names: &[String]) -> Option<Month> {
    let word = word.trim_end_matches([',', '.']).to_lowercase();
    if word.chars().count() < 3 {
        return None;
    }
    let local = month_names.iter().map(|name| name.to_lowercase());
    let english = ENGLISH_MONTHS.iter().map(|name| (*name).to_owned());
    for (names_index, name) in english.chain(local).enumerate() {
        let name = name.trim_end_matches('.');
        if name.starts_with(&word) {
            let number = u8::try_from(names_index % 12 + 1).ok()?;
            return Month::try_from(number).ok();
        }
    }
    None
}

/// `25`, `25,`, `25th`, `25.`: a day of the month.
fn day_number(word: &str) -> Option<u8> {
    let word = word.trim_end_matches([',', '.']);
    let digits = ["st", "nd", "rd", "th"]
        .into_iter()
        .find_map(|suffix| word.strip_suffix(suffix))
        .unwrap_or(word);
    let day: u8 = digits.parse().ok()?;
    (1..=31).contains(&day).then_some(day)
}

fn year_number(word: &str) -> Option<i32> {
    let digits = word.trim_end_matches([',', '.']);
    (digits.len() == 4).then(|| digits.parse().ok()).flatten()
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn dates(text: &str) -> Vec<SearchDate> {
        terms(text, &[])
            .into_iter()
            .filter_map(|term| match term {
                Term::Date(date, _) => Some(date),
                Term::Word(_) => None,
            })
            .collect()
    }

    #[test]
    fn dates_as_the_list_shows_them_are_recognised() {
        let nov_25 = SearchDate::MonthDay(Month::November, 25);
        for text in [
            "Nov 25",
            "25 Nov",
            "november 25",
            "Nov. 25",
            "25th November",
            "NOV 25,",
        ] {
            assert_eq!(dates(text), [nov_25], "{text}");
        }
        let day = SearchDate::Day(date!(2026 - 11 - 25));
        for text in ["Nov 25, 2026", "25 Nov 2026", "2026-11-25"] {
            assert_eq!(dates(text), [day], "{text}");
        }
    }

    #[test]
    fn other_words_stay_words() {
        assert_eq!(
            terms("chorus Nov 25 final", &[]),
            [
                Term::Word("chorus".into()),
                Term::Date(SearchDate::MonthDay(Month::November, 25), "Nov 25".into()),
                Term::Word("final".into()),
            ]
        );
        for text in ["take 25", "mar", "nov 32", "feb 30", "no 5", "25 12"] {
            assert!(dates(text).is_empty(), "{text}");
        }
        assert_eq!(dates("feb 29"), [SearchDate::MonthDay(Month::February, 29)]);
    }

    #[test]
    fn the_window_s_month_names_count_too() {
        let french: Vec<String> = [
            "janvier",
            "février",
            "mars",
            "avril",
            "mai",
            "juin",
            "juillet",
            "août",
            "septembre",
            "octobre",
            "novembre",
            "décembre",
        ]
        .map(str::to_owned)
        .to_vec();
        assert_eq!(
            terms("25 déc.", &french),
            [Term::Date(
                SearchDate::MonthDay(Month::December, 25),
                "25 déc.".into()
            )]
        );
        assert!(dates("25 déc.").is_empty(), "not without the names");
    }
}
