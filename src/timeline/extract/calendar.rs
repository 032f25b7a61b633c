//! Calendar arithmetic the resolvers share: which year a yearless month or
//! day falls in, weekdays around a reference, counts written as words.
//!
//! Everything here is total: a date out of range gives `None`, never a
//! panic, because the inputs come from arbitrary text.

use jiff::ToSpan;
use jiff::civil::{Date, Weekday};

/// The year that puts month `m` at or before the reference month.
pub(super) fn past_month_year(r: Date, m: i8) -> i16 {
    if m <= r.month() {
        r.year()
    } else {
        r.year() - 1
    }
}

/// The year that puts month `m` after the reference month.
pub(super) fn next_month_year(r: Date, m: i8) -> i16 {
    if m > r.month() {
        r.year()
    } else {
        r.year() + 1
    }
}

/// The year that puts month `m` at or after the reference month: a deadline
/// ("by the end of February") is never already behind the writer.
pub(super) fn coming_month_year(r: Date, m: i8) -> i16 {
    if m >= r.month() {
        r.year()
    } else {
        r.year() + 1
    }
}

/// A yearless day: the occurrence closest to the reference, ties to the past.
pub(super) fn nearest_day(r: Date, m: i8, d: i8) -> Option<Date> {
    (r.year() - 1..=r.year() + 1)
        .filter_map(|y| Date::new(y, m, d).ok())
        .min_by_key(|x| {
            (
                x.since(r).map_or(i64::MAX, |s| s.get_days().abs() as i64),
                *x > r,
            )
        })
}

/// Which way from the reference a weekday name points.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Way {
    /// The reference day itself or the latest such day before it.
    OnOrBefore,
    /// Strictly before ("last Wednesday").
    Before,
    /// The reference day itself or the first such day after it.
    OnOrAfter,
    /// Strictly after ("next Monday").
    After,
}

pub(super) fn weekday_near(r: Date, wd: Weekday, way: Way) -> Option<Date> {
    let offsets: Vec<i64> = match way {
        Way::OnOrBefore => (0..7).map(|n| -n).collect(),
        Way::Before => (1..=7).map(|n| -n).collect(),
        Way::OnOrAfter => (0..7).collect(),
        Way::After => (1..=7).collect(),
    };
    offsets
        .into_iter()
        .filter_map(|o| r.checked_add(o.days()).ok())
        .find(|d| d.weekday() == wd)
}

/// "Monday (November 24)": the year near the reference, or near the years
/// the text mentions, in which that day is that weekday.
pub(super) fn weekday_year(
    wd: Weekday,
    m: i8,
    d: i8,
    r: Option<Date>,
    mentioned: &[i16],
) -> Option<Date> {
    let mut years: Vec<i16> = match r {
        Some(r) => vec![r.year(), r.year() - 1, r.year() + 1],
        None => Vec::new(),
    };
    years.extend(mentioned.iter().flat_map(|&y| [y, y - 1, y + 1]));
    years
        .into_iter()
        .filter_map(|y| Date::new(y, m, d).ok())
        .find(|x| x.weekday() == wd)
}

pub(super) fn weekday(name: &str) -> Option<Weekday> {
    const DAYS: [(&str, Weekday); 7] = [
        ("mon", Weekday::Monday),
        ("tue", Weekday::Tuesday),
        ("wed", Weekday::Wednesday),
        ("thu", Weekday::Thursday),
        ("fri", Weekday::Friday),
        ("sat", Weekday::Saturday),
        ("sun", Weekday::Sunday),
    ];
    let n = name.to_ascii_lowercase();
    DAYS.iter().find(|(p, _)| n.starts_with(p)).map(|(_, w)| *w)
}

/// A small count, in digits or words ("a", "three", "Eleven").
pub(super) fn count(word: &str) -> Option<i64> {
    const WORDS: [&str; 13] = [
        "a", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
        "eleven", "twelve",
    ];
    let w = word.to_ascii_lowercase();
    WORDS
        .iter()
        .position(|x| *x == w)
        .map(|i| i.max(1) as i64)
        .or_else(|| w.parse().ok())
}

/// "first" … "fourth", or 1–4: a quarter or an ordinal month count.
pub(super) fn ordinal(word: &str) -> Option<i8> {
    const WORDS: [&str; 4] = ["first", "second", "third", "fourth"];
    let w = word.to_ascii_lowercase();
    WORDS
        .iter()
        .position(|x| *x == w)
        .map(|i| i as i8 + 1)
        .or_else(|| w.parse().ok())
}

/// "next" is +1, "last" -1, "this" and anything else 0.
pub(super) fn rel(word: &str) -> i64 {
    match word.to_ascii_lowercase().as_str() {
        "next" | "following" | "coming" => 1,
        "last" | "previous" | "past" => -1,
        _ => 0,
    }
}

/// The last day of a month, for deadlines ("by the end of February").
pub(super) fn last_of_month(y: i16, m: i8) -> Option<Date> {
    Some(Date::new(y, m, 1).ok()?.last_of_month())
}

/// "tenth" is 10, "twenty-first" 21.
pub(super) fn ordinal_day(word: &str) -> Option<i8> {
    const WORDS: [&str; 20] = [
        "first",
        "second",
        "third",
        "fourth",
        "fifth",
        "sixth",
        "seventh",
        "eighth",
        "ninth",
        "tenth",
        "eleventh",
        "twelfth",
        "thirteenth",
        "fourteenth",
        "fifteenth",
        "sixteenth",
        "seventeenth",
        "eighteenth",
        "nineteenth",
        "twentieth",
    ];
    let w = word.to_ascii_lowercase();
    let (tens, unit) = match w.split_once('-') {
        Some(("twenty", u)) => (20, u),
        Some(("thirty", u)) => (30, u),
        Some(_) => return None,
        None if w == "thirtieth" => return Some(30),
        None => (0, w.as_str()),
    };
    let n = WORDS.iter().position(|x| *x == unit)? as i8 + 1;
    (tens == 0 || n < 10).then_some(tens + n)
}
