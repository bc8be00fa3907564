//! Dates in a history search, as people type them after reading the list: `2026-11-25`,
//! `Nov 25`, `25 Nov`, `November 25, 2026`, in their own time zone and, besides English, in the
//! month names of their language; and as Chinese writes them: `2026年12月5日`, `12月5日`,
//! `十二月五日`, `2026/12/5` (spaces between the parts allowed).

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
    // `2026 年 12 月 5 日` is at most six words: the longest Chinese date first.
    for used in (1..=words.len().min(6)).rev() {
        if let Some(date) = chinese_date(&words[..used].concat()) {
            return Some((date, used));
        }
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

/// `2026年12月5日`, `12月5日`, `12月5号`, `十二月五日`, `2026/12/5`: a date as Chinese writes it.
fn chinese_date(text: &str) -> Option<SearchDate> {
    let text = text.trim_end_matches(['，', ',', '。', '.']);
    let (year, month, day) = if let Some((month_part, day_part)) = text.split_once('月') {
        let (year, month) = match month_part.split_once('年') {
            Some((year, month)) => (Some(year), month),
            None => (None, month_part),
        };
        let day = day_part
            .strip_suffix('日')
            .or_else(|| day_part.strip_suffix('号'))
            .unwrap_or(day_part);
        (year, month, day)
    } else {
        let mut parts = text.split('/');
        let (year, month, day) = (parts.next()?, parts.next()?, parts.next()?);
        if parts.next().is_some() || year.len() != 4 {
            return None;
        }
        (Some(year), month, day)
    };
    let month = Month::try_from(u8::try_from(chinese_number(month)?).ok()?).ok()?;
    let day = u8::try_from(chinese_number(day)?).ok()?;
    match year {
        Some(year) => {
            let year: i32 = year.parse().ok().filter(|_| year.len() == 4)?;
            Some(SearchDate::Day(
                Date::from_calendar_date(year, month, day).ok()?,
            ))
        }
        None => {
            Date::from_calendar_date(2000, month, day).ok()?;
            Some(SearchDate::MonthDay(month, day))
        }
    }
}

/// `12`, `十二`, `二十五`, `三十一`: a number from 1 to 31, in digits or Chinese numerals.
fn chinese_number(text: &str) -> Option<u32> {
    if !text.is_empty() && text.chars().all(|c| c.is_ascii_digit()) {
        return text.parse().ok().filter(|n| (1..=31).contains(n));
    }
    const DIGITS: [char; 10] = ['〇', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
    let digit = |c: char| DIGITS.iter().position(|d| *d == c).map(|n| n as u32);
    let chars: Vec<char> = text.chars().collect();
    let number = match chars.as_slice() {
        [one] if *one == '十' => 10,
        [one] => digit(*one)?,
        ['十', ones] => 10 + digit(*ones)?,
        [tens, '十'] => digit(*tens)? * 10,
        [tens, '十', ones] => digit(*tens)? * 10 + digit(*ones)?,
        _ => return None,
    };
    (1..=31).contains(&number).then_some(number)
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
    fn chinese_dates_as_the_window_shows_them_are_recognised() {
        let day = SearchDate::Day(date!(2026 - 12 - 05));
        for text in [
            "2026年12月5日",
            "2026 年 12 月 5 日",
            "2026/12/5",
            "2026年十二月五日",
        ] {
            assert_eq!(dates(text), [day], "{text}");
        }
        let dec_5 = SearchDate::MonthDay(Month::December, 5);
        for text in ["12月5日", "12月5号", "十二月五日", "12 月 5 日", "12月5"] {
            assert_eq!(dates(text), [dec_5], "{text}");
        }
        assert_eq!(
            dates("2月29日"),
            [SearchDate::MonthDay(Month::February, 29)]
        );
        assert_eq!(
            terms("副歌 11月25日 定稿", &[]),
            [
                Term::Word("副歌".into()),
                Term::Date(SearchDate::MonthDay(Month::November, 25), "11月25日".into()),
                Term::Word("定稿".into()),
            ]
        );
        for text in ["13月5日", "2月30日", "2026/13/1", "12/5", "五月天", "第5首"] {
            assert!(dates(text).is_empty(), "{text}");
        }
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
