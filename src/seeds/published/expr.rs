//! Calendar dates as English metadata lines write them.
//!
//! Day-month ("3 November 2025"), month-day ("Nov. 3, 2025"), either with
//! a weekday in front, ISO (2025-11-03) and all-numeric (03/11/2025). The
//! year may be missing; the caller decides what a yearless date means.
//! All-numeric dates whose two leading numbers could both be a month are
//! only read when the caller knows the text's convention.

use std::sync::LazyLock;

use jiff::civil::{Date, Weekday};
use regex::{Captures, Regex};

use crate::seeds::sources::month_number;

/// Which number comes first in an all-numeric date such as 03/11/2025.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Order {
    DayFirst,
    MonthFirst,
}

/// One date expression found in a line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    /// Byte range in the line, weekday included.
    pub start: usize,
    pub end: usize,
    pub year: Option<i16>,
    pub month: i8,
    pub day: i8,
    pub weekday: Option<Weekday>,
}

impl Hit {
    /// The date, when the expression states its year and the day exists.
    pub fn date(&self) -> Option<Date> {
        Date::new(self.year?, self.month, self.day).ok()
    }
}

fn weekday(name: &str) -> String {
    format!(
        r"(?:(?P<{name}>mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?\.?,?\s+)?"
    )
}

const MONTH: &str = r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?";

static DATE: LazyLock<Regex> = LazyLock::new(|| {
    let day_month = format!(
        r"\b{}(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m1>{MONTH})\b\.?(?:,?\s+(?P<y1>\d{{4}})\b)?",
        weekday("w1")
    );
    let month_day = format!(
        r"\b{}(?P<m2>{MONTH})\b\.?\s+(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(?P<y2>\d{{4}})\b)?",
        weekday("w2")
    );
    // A timestamp's "T" follows the day with no word boundary.
    let iso = r"\b(?P<iy>\d{4})-(?P<im>\d{2})-(?P<id>\d{2})(?:\b|T\d)";
    let numeric = format!(
        r"\b{}(?P<na>\d{{1,2}})[/.](?P<nb>\d{{1,2}})[/.](?P<ny>\d{{4}})\b",
        weekday("w3")
    );
    let pattern = format!("(?i){day_month}|{month_day}|{iso}|{numeric}");
    // ASCII word boundaries: a Unicode `\b` makes the fast DFA give up on
    // the first curly quote, and every date here is ASCII anyway.
    #[allow(clippy::unwrap_used)] // constant pattern
    Regex::new(&pattern.replace(r"\b", r"(?-u:\b)")).unwrap()
});

fn num<T: std::str::FromStr>(c: &Captures<'_>, name: &str) -> Option<T> {
    c.name(name)?.as_str().parse().ok()
}

fn weekday_of(c: &Captures<'_>) -> Option<Weekday> {
    let w = ["w1", "w2", "w3"].iter().find_map(|n| c.name(n))?;
    let w = w.as_str().to_ascii_lowercase();
    Some(match &w[..2] {
        "mo" => Weekday::Monday,
        "tu" => Weekday::Tuesday,
        "we" => Weekday::Wednesday,
        "th" => Weekday::Thursday,
        "fr" => Weekday::Friday,
        "sa" => Weekday::Saturday,
        _ => Weekday::Sunday,
    })
}

/// Month and day of an all-numeric date: a number above 12 can only be a
/// day; otherwise the text's convention decides, and without one the date
/// is not read at all rather than guessed.
fn numeric_parts(a: i8, b: i8, order: Option<Order>) -> Option<(i8, i8)> {
    match (a > 12, b > 12) {
        (true, true) => None,
        (true, false) => Some((b, a)),
        (false, true) => Some((a, b)),
        _ if a == b => Some((a, b)),
        _ => match order? {
            Order::DayFirst => Some((b, a)),
            Order::MonthFirst => Some((a, b)),
        },
    }
}

fn hit(c: &Captures<'_>, order: Option<Order>) -> Option<Hit> {
    let (year, month, day) = if let Some(m) = c.name("m1") {
        (num(c, "y1"), month_number(m.as_str())?, num(c, "d1")?)
    } else if let Some(m) = c.name("m2") {
        (num(c, "y2"), month_number(m.as_str())?, num(c, "d2")?)
    } else if c.name("iy").is_some() {
        (num(c, "iy"), num(c, "im")?, num(c, "id")?)
    } else {
        let (month, day) = numeric_parts(num(c, "na")?, num(c, "nb")?, order)?;
        (num(c, "ny"), month, day)
    };
    let whole = c.get(0)?;
    let plausible = (1..=12).contains(&month)
        && (1..=31).contains(&day)
        && year.is_none_or(|y| (1900..=2199).contains(&y));
    plausible.then(|| Hit {
        start: whole.start(),
        end: whole.end(),
        year,
        month,
        day,
        weekday: weekday_of(c),
    })
}

/// Every date expression in `line`, left to right.
pub fn scan(line: &str, order: Option<Order>) -> Vec<Hit> {
    // Most lines hold no date: the DFA says so far faster than a capturing search.
    if !DATE.is_match(line) {
        return Vec::new();
    }
    DATE.captures_iter(line)
        .filter_map(|c| hit(&c, order))
        .filter(|h| h.year.is_none() || h.date().is_some())
        .collect()
}

/// The convention of the text's all-numeric dates, from those whose first
/// or second number is above 12 and so can be read only one way. Read line
/// by line, as `scan` reads: a capturing search over a whole long text is slow.
pub fn numeric_order(text: &str) -> Option<Order> {
    let (mut day_first, mut month_first) = (0, 0);
    let dated = text.lines().filter(|l| DATE.is_match(l));
    for c in dated.flat_map(|l| DATE.captures_iter(l)) {
        let (Some(a), Some(b)) = (num::<i8>(&c, "na"), num::<i8>(&c, "nb")) else {
            continue;
        };
        match (a > 12, b > 12) {
            (true, false) => day_first += 1,
            (false, true) => month_first += 1,
            _ => {}
        }
    }
    match day_first.cmp(&month_first) {
        std::cmp::Ordering::Greater => Some(Order::DayFirst),
        std::cmp::Ordering::Less => Some(Order::MonthFirst),
        std::cmp::Ordering::Equal => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(line: &str) -> (Option<i16>, i8, i8) {
        let h = scan(line, None);
        assert_eq!(h.len(), 1, "{line:?}: {h:?}");
        (h[0].year, h[0].month, h[0].day)
    }

    #[test]
    fn day_month_and_month_day_with_or_without_year() {
        assert_eq!(one("Filed 21 March 2024 at noon"), (Some(2024), 3, 21));
        assert_eq!(one("the 2nd of February, 2023"), (Some(2023), 2, 2));
        assert_eq!(one("Sept. 14, 2026"), (Some(2026), 9, 14));
        assert_eq!(one("on Jun 5 the"), (None, 6, 5));
        assert_eq!(one("Aug. 19"), (None, 8, 19));
    }

    #[test]
    fn weekday_is_part_of_the_expression() {
        let h = &scan("Wednesday, 4 March 2026 18:00", None)[0];
        assert_eq!((h.start, h.weekday), (0, Some(Weekday::Wednesday)));
        let h = &scan("Sat. Jan 9, 2027", None)[0];
        assert_eq!(h.weekday, Some(Weekday::Saturday));
        assert_eq!(h.date(), Some(jiff::civil::date(2027, 1, 9)));
    }

    #[test]
    fn iso_and_numeric() {
        assert_eq!(one("Issued 2024-02-29 |"), (Some(2024), 2, 29));
        assert_eq!(one("2023-07-01T08:30:00Z"), (Some(2023), 7, 1));
        assert_eq!(one("at 25/12/2023 08:00"), (Some(2023), 12, 25));
        assert_eq!(one("at 12/25/2023"), (Some(2023), 12, 25));
        assert!(scan("at 04/05/2023", None).is_empty(), "ambiguous");
        let h = &scan("at 04/05/2023", Some(Order::DayFirst))[0];
        assert_eq!((h.month, h.day), (5, 4));
        assert_eq!(one("on 06/06/2021"), (Some(2021), 6, 6));
    }

    #[test]
    fn not_dates() {
        for s in [
            "2,025 tons",
            "10:45 GMT",
            "the mayor said 4 things",
            "2023-02-30",
            "Page 3 of 4",
            "31/31/2020",
            "Marching 5 abreast",
        ] {
            assert!(scan(s, None).is_empty(), "{s:?}: {:?}", scan(s, None));
        }
    }

    #[test]
    fn convention_from_unambiguous_numeric_dates() {
        assert_eq!(
            numeric_order("on 3/28/2024 and 4/5/2024"),
            Some(Order::MonthFirst)
        );
        assert_eq!(numeric_order("le 28/3/2024"), Some(Order::DayFirst));
        assert_eq!(numeric_order("4/5/2024"), None);
    }
}
