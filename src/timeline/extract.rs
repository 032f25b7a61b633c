//! Finding dated events in source text.
//!
//! Every sentence that states a date becomes a candidate, one per date
//! phrase: "Oct 26, 2025", "November 10", "On Monday (November 24)", "in
//! April", "April 2026", "from late October through January 2026", "three
//! weeks ago", "later next year", "this week". Phrases without a year are
//! resolved against the article's date (or its editorial `reference_date`,
//! or failing both the latest explicit date in the text) and keep their
//! true precision.

use std::ops::Range;
use std::sync::LazyLock;

use jiff::civil::{Date, Weekday};
use jiff::{Span, ToSpan};
use rayon::prelude::*;
use regex::{Captures, Regex, RegexSet, RegexSetBuilder};

use crate::dates::PartialDate;
use crate::refs::SentenceRef;
use crate::seeds::sources::month_number;
use crate::seeds::{Corpus, Source};

/// A date stated in one sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    /// The sentence that states it.
    pub at: SentenceRef,
    pub date: PartialDate,
    pub end: Option<PartialDate>,
    /// "three weeks ago": a day computed from a rough span.
    pub approximate: bool,
}

/// A date phrase found in a text, resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub at: Range<usize>,
    pub date: PartialDate,
    pub end: Option<PartialDate>,
    pub approximate: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    MonthRange,
    DayRange,
    FullDay,
    WeekdayParen,
    MonthDay,
    MonthYear,
    PartOfMonth,
    InMonth,
    InYear,
    Ago,
    Week,
    MonthRel,
    YearRel,
    Weekday,
}

const M: &str = r"(January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?";
const WD: &str = r"(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)";

static PATTERNS: LazyLock<Vec<(Regex, Kind)>> = LazyLock::new(|| {
    let p = |s: String, k: Kind| {
        #[allow(clippy::unwrap_used)] // constant patterns, covered by the tests below
        // ASCII mode: Unicode classes and case folding cost milliseconds to
        // compile, and every pattern here is English text and digits.
        let re = regex::RegexBuilder::new(&s).unicode(false).build().unwrap();
        (re, k)
    };
    vec![
        p(format!(r"\bfrom (?:(?:early|mid|late)[- ])?{M}(?: ([0-9]{{4}}))? (?:through|to|until|till) (?:(?:early|mid|late)[- ])?{M}(?: ([0-9]{{4}}))?"), Kind::MonthRange),
        p(format!(r"\b{M} ([0-9]{{1,2}}) ?(?:–|-) ?([0-9]{{1,2}})\b(?:, ([0-9]{{4}}))?"), Kind::DayRange),
        p(format!(r"\b{M} ([0-9]{{1,2}}), ([0-9]{{4}})\b"), Kind::FullDay),
        p(format!(r"\b{WD},? \(?{M} ([0-9]{{1,2}})\)?"), Kind::WeekdayParen),
        p(format!(r"\b{M} ([0-9]{{1,2}})\b"), Kind::MonthDay),
        p(format!(r"\b{M} ([0-9]{{4}})\b"), Kind::MonthYear),
        p(format!(r"\b(?:the )?(?:end|start|beginning|middle) of {M}"), Kind::PartOfMonth),
        p(format!(r"\bin (?:(?:early|mid|late)[- ])?{M}(?: ([0-9]{{4}}))?\b"), Kind::InMonth),
        p(r"\bin ([0-9]{4})\b".into(), Kind::InYear),
        p(r"(?i)\b([0-9]+|one|two|three|four|five|six|seven|eight|nine|ten|a) (day|week|month)s? ago\b".into(), Kind::Ago),
        p(r"(?i)\b(this|next|last) week\b".into(), Kind::Week),
        p(r"(?i)\b(this|next|last) month\b".into(), Kind::MonthRel),
        p(r"(?i)\b(?:(?:earlier|later) )?(this|next|last) year\b(?:'s|’s)?".into(), Kind::YearRel),
        // No leading "on": "On Monday (November 24)" must reach WeekdayParen.
        p(format!(r"\b(?:(?i:next|last) )?{WD}\b"), Kind::Weekday),
    ]
});

static FUTURE: LazyLock<Regex> = LazyLock::new(|| {
    #[allow(clippy::unwrap_used)] // constant pattern
    Regex::new(r"(?i)\b(will|['’]ll|to visit|plans?|planned|expected|set for|scheduled|upcoming|going to|accepted)\b").unwrap()
});

/// Compile the patterns now. The build calls this on a second thread at
/// start, so the few milliseconds it takes overlap with loading.
/// All of `PATTERNS` as one set: most sentences hold no date, and one pass
/// of a set's DFA tells which patterns are worth running for captures.
static ANY: LazyLock<RegexSet> = LazyLock::new(|| {
    #[allow(clippy::unwrap_used)] // the same patterns, already compiled once
    RegexSetBuilder::new(PATTERNS.iter().map(|(re, _)| re.as_str()))
        .unicode(false)
        .build()
        .unwrap()
});

pub fn warm_up() {
    LazyLock::force(&PATTERNS);
    LazyLock::force(&ANY);
    LazyLock::force(&FUTURE);
}

/// Every date phrase in `text`, left to right, resolved against `reference`.
/// Phrases that need a reference are skipped when there is none.
pub fn find(text: &str, reference: Option<Date>) -> Vec<Found> {
    let mut matches: Vec<(Range<usize>, Kind, Captures<'_>)> = Vec::new();
    for i in ANY.matches(text).iter() {
        let (re, kind) = &PATTERNS[i];
        for c in re.captures_iter(text) {
            if let Some(m) = c.get(0) {
                matches.push((m.range(), *kind, c));
            }
        }
    }
    matches.sort_by(|a, b| a.0.start.cmp(&b.0.start).then(b.0.end.cmp(&a.0.end)));
    let future = FUTURE.is_match(text);
    // The years a text mentions, found once however many dates it holds.
    let years = std::cell::OnceCell::new();
    let mut out: Vec<Found> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    let mut taken = 0;
    for (range, kind, c) in matches {
        if range.start < taken {
            continue;
        }
        let found = resolve(kind, &c, reference, future, &|| {
            years.get_or_init(|| years_in(text)).clone()
        });
        if let Some((date, end, approximate)) = found {
            taken = range.end;
            // One sentence saying the same date twice states one date.
            if !seen.insert((date, end)) {
                continue;
            }
            out.push(Found {
                at: range,
                date,
                end,
                approximate,
            });
        }
    }
    out
}

type Resolved = (PartialDate, Option<PartialDate>, bool);

fn num<T: std::str::FromStr>(c: &Captures<'_>, i: usize) -> Option<T> {
    c.get(i)?.as_str().parse().ok()
}

fn month(c: &Captures<'_>, i: usize) -> Option<i8> {
    month_number(c.get(i)?.as_str())
}

fn resolve(
    kind: Kind,
    c: &Captures<'_>,
    r: Option<Date>,
    future: bool,
    years: &dyn Fn() -> Vec<i16>,
) -> Option<Resolved> {
    let day = |d: Date| (PartialDate::day(d), None, false);
    match kind {
        Kind::FullDay => Some(day(Date::new(num(c, 3)?, month(c, 1)?, num(c, 2)?).ok()?)),
        Kind::MonthYear => Some((PartialDate::month(num(c, 2)?, month(c, 1)?), None, false)),
        Kind::InYear => Some((PartialDate::year(num(c, 1)?), None, false)),
        Kind::MonthDay => Some(day(nearest_day(r?, month(c, 1)?, num(c, 2)?)?)),
        Kind::WeekdayParen => {
            let wd = weekday(c.get(1)?.as_str())?;
            let (m, d): (i8, i8) = (month(c, 2)?, num(c, 3)?);
            Some(day(weekday_year(wd, m, d, r, &years())?))
        }
        Kind::DayRange => {
            let (m, d1, d2): (i8, i8, i8) = (month(c, 1)?, num(c, 2)?, num(c, 3)?);
            let start = match num::<i16>(c, 4) {
                Some(y) => Date::new(y, m, d1).ok()?,
                None => nearest_day(r?, m, d1)?,
            };
            let end = Date::new(start.year(), m, d2).ok().filter(|e| *e > start)?;
            Some((PartialDate::day(start), Some(PartialDate::day(end)), false))
        }
        Kind::MonthRange => {
            let (m1, m2) = (month(c, 1)?, month(c, 3)?);
            let (y1, y2) = match (num::<i16>(c, 2), num::<i16>(c, 4)) {
                (Some(a), Some(b)) => (a, b),
                (None, Some(b)) => (if m1 <= m2 { b } else { b - 1 }, b),
                (Some(a), None) => (a, if m2 >= m1 { a } else { a + 1 }),
                (None, None) => {
                    let a = past_month_year(r?, m1);
                    (a, if m2 >= m1 { a } else { a + 1 })
                }
            };
            Some((
                PartialDate::month(y1, m1),
                Some(PartialDate::month(y2, m2)),
                false,
            ))
        }
        Kind::PartOfMonth => {
            let m = month(c, 1)?;
            Some((PartialDate::month(past_month_year(r?, m), m), None, false))
        }
        Kind::InMonth => {
            let m = month(c, 1)?;
            if let Some(y) = num(c, 2) {
                return Some((PartialDate::month(y, m), None, false));
            }
            let r = r?;
            let y = if future {
                next_month_year(r, m)
            } else {
                past_month_year(r, m)
            };
            Some((PartialDate::month(y, m), None, false))
        }
        Kind::Ago => {
            let r = r?;
            let n = count(c.get(1)?.as_str())?;
            // Out of range ("9999999 days ago") means no date, never a panic.
            let back = |span: Result<Span, jiff::Error>| r.checked_sub(span.ok()?).ok();
            match c.get(2)?.as_str().to_ascii_lowercase().as_str() {
                "day" => Some((
                    PartialDate::day(back(Span::new().try_days(n))?),
                    None,
                    n > 2,
                )),
                "week" => Some((
                    PartialDate::day(back(Span::new().try_weeks(n))?),
                    None,
                    true,
                )),
                _ => {
                    let d = back(Span::new().try_months(n))?;
                    Some((PartialDate::month(d.year(), d.month()), None, false))
                }
            }
        }
        Kind::Week => {
            let r = r?;
            let shift = rel(c.get(1)?.as_str()) * 7;
            let monday = r
                .checked_sub((r.weekday().to_monday_zero_offset() as i64).days())
                .ok()?
                .checked_add(shift.days())
                .ok()?;
            let sunday = monday.checked_add(6.days()).ok()?;
            Some((
                PartialDate::day(monday),
                Some(PartialDate::day(sunday)),
                false,
            ))
        }
        Kind::MonthRel => {
            let d = r?
                .first_of_month()
                .checked_add(rel(c.get(1)?.as_str()).months())
                .ok()?;
            Some((PartialDate::month(d.year(), d.month()), None, false))
        }
        Kind::YearRel => {
            // "this year's harvest" names no moment.
            if c.get(0)?.as_str().ends_with('s') {
                return None;
            }
            Some((
                PartialDate::year(r?.year() + rel(c.get(1)?.as_str()) as i16),
                None,
                false,
            ))
        }
        Kind::Weekday => {
            let phrase = c.get(0)?.as_str().to_ascii_lowercase();
            let wd = weekday(c.get(1)?.as_str())?;
            Some(day(nearest_weekday(r?, wd, &phrase)?))
        }
    }
}

fn rel(word: &str) -> i64 {
    match word.to_ascii_lowercase().as_str() {
        "next" => 1,
        "last" => -1,
        _ => 0,
    }
}

fn count(word: &str) -> Option<i64> {
    const WORDS: [&str; 11] = [
        "a", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    ];
    let w = word.to_ascii_lowercase();
    WORDS
        .iter()
        .position(|x| *x == w)
        .map(|i| i.max(1) as i64)
        .or_else(|| w.parse().ok())
}

fn weekday(name: &str) -> Option<Weekday> {
    Some(match name {
        "Monday" => Weekday::Monday,
        "Tuesday" => Weekday::Tuesday,
        "Wednesday" => Weekday::Wednesday,
        "Thursday" => Weekday::Thursday,
        "Friday" => Weekday::Friday,
        "Saturday" => Weekday::Saturday,
        "Sunday" => Weekday::Sunday,
        _ => return None,
    })
}

/// The year that puts month `m` at or before the reference month.
fn past_month_year(r: Date, m: i8) -> i16 {
    if m <= r.month() {
        r.year()
    } else {
        r.year() - 1
    }
}

/// The year that puts month `m` after the reference month.
fn next_month_year(r: Date, m: i8) -> i16 {
    if m > r.month() {
        r.year()
    } else {
        r.year() + 1
    }
}

/// A yearless day: the occurrence closest to the reference.
fn nearest_day(r: Date, m: i8, d: i8) -> Option<Date> {
    (r.year() - 1..=r.year() + 1)
        .filter_map(|y| Date::new(y, m, d).ok())
        .min_by_key(|x| {
            (
                x.since(r).map_or(i64::MAX, |s| s.get_days().abs() as i64),
                *x > r,
            )
        })
}

/// "Monday" alone: the nearest such day (ties to the past); "next"/"last" say which way.
fn nearest_weekday(r: Date, wd: Weekday, phrase: &str) -> Option<Date> {
    let offsets: Vec<i64> = if phrase.starts_with("next") {
        (1..=7).collect()
    } else if phrase.starts_with("last") {
        (1..=7).map(|n| -n).collect()
    } else {
        vec![0, -1, 1, -2, 2, -3, 3]
    };
    offsets
        .into_iter()
        .filter_map(|o| r.checked_add(o.days()).ok())
        .find(|d| d.weekday() == wd)
}

/// "Monday (November 24)": the year near the reference, or near the years
/// the text mentions, in which that day is that weekday.
fn weekday_year(wd: Weekday, m: i8, d: i8, r: Option<Date>, mentioned: &[i16]) -> Option<Date> {
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

fn years_in(text: &str) -> Vec<i16> {
    static YEAR: LazyLock<Regex> = LazyLock::new(|| {
        #[allow(clippy::unwrap_used)] // constant pattern
        Regex::new(r"(?-u:\b)(19|20)[0-9][0-9](?-u:\b)").unwrap()
    });
    let mut ys: Vec<i16> = YEAR
        .find_iter(text)
        .filter_map(|m| m.as_str().parse().ok())
        .collect();
    ys.sort_unstable_by(|a, b| b.cmp(a));
    ys.dedup();
    ys
}

/// The date relative phrases in `source` are resolved against: its own
/// date, its editorial reference date, or the latest explicit date in it.
pub fn reference_date(source: &Source) -> Option<Date> {
    if let Some(d) = source.meta.date.or(source.meta.reference_date) {
        return Some(d);
    }
    let all: String = source
        .sentences()
        .map(|s| s.text.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    find(&all, None)
        .into_iter()
        .filter(|f| f.end.is_none())
        .max_by_key(|f| {
            (
                f.date.precision() == crate::dates::Precision::Day,
                f.date.first_day(),
            )
        })
        .map(|f| f.date.first_day())
}

/// Every dated sentence of every source.
pub fn extract(corpus: &Corpus) -> Vec<Candidate> {
    // Sources are independent; the result keeps corpus order.
    corpus
        .sources
        .par_iter()
        .enumerate()
        .flat_map_iter(|(i, source)| {
            let reference = reference_date(source);
            corpus.body(i).flat_map(move |(at, text)| {
                find(text, reference).into_iter().map(move |f| Candidate {
                    at,
                    date: f.date,
                    end: f.end,
                    approximate: f.approximate,
                })
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn iso(text: &str, r: Option<Date>) -> Vec<String> {
        find(text, r)
            .iter()
            .map(|f| match f.end {
                Some(e) => format!("{}/{}", f.date, e),
                None => f.date.to_string(),
            })
            .collect()
    }

    #[test]
    fn explicit_dates_keep_their_precision() {
        assert_eq!(iso("Sunday, Oct 26, 2025 8:03 am ET", None), ["2025-10-26"]);
        assert_eq!(iso("his visit to Beijing in April 2026", None), ["2026-04"]);
        assert_eq!(
            iso("exports collapsed to zero tons in September 2025", None),
            ["2025-09"]
        );
    }

    #[test]
    fn weekday_fixes_the_year() {
        // nov24-call has no date; only the weekday says which year.
        let text = "On Monday (November 24), U.S. President Donald Trump held a phone call. Both sides agreed on his visit to Beijing in April 2026.";
        assert_eq!(iso(text, None), ["2025-11-24", "2026-04"]);
    }

    #[test]
    fn relative_phrases_resolve_against_the_reference() {
        let busan = Some(date(2025, 10, 30));
        assert_eq!(
            iso(
                "Trump announced his plans to visit China in April for follow-up discussions, while Xi Jinping is expected to make a reciprocal visit to the United States later next year.",
                busan
            ),
            ["2026-04", "2026"]
        );
        let r = Some(date(2025, 11, 24));
        assert_eq!(
            iso(
                "This call was a follow up to our highly successful meeting in South Korea, three weeks ago.",
                r
            ),
            ["2025-11-03"]
        );
        assert_eq!(
            iso(
                "China committed to purchase 12 million metric tons of U.S. soybeans from late October through January 2026, and then maintain",
                r
            ),
            ["2025-10/2026-01"]
        );
        assert_eq!(
            iso(
                "from late October to mid-November, China ordered about 1.8 million tons",
                r
            ),
            ["2025-10/2025-11"]
        );
        assert_eq!(
            iso("On November 14, Trump said Washington was in talks", r),
            ["2025-11-14"]
        );
        let kl = Some(date(2025, 10, 26));
        assert_eq!(
            iso(
                "The discussions, scheduled for October 24–27, focus on defusing a crisis",
                kl
            ),
            ["2025-10-24/2025-10-27"]
        );
        assert_eq!(
            iso(
                "officials are set to finalize a sweeping this week, aiming",
                kl
            ),
            ["2025-10-20/2025-10-26"]
        );
    }

    #[test]
    fn tense_decides_past_or_next_month() {
        let r = Some(date(2025, 10, 27));
        assert_eq!(
            iso(
                "China halted soybean purchases after Trump’s tariffs on Chinese goods in April.",
                r
            ),
            ["2025-04"]
        );
        assert_eq!(
            iso("implementing the first measures in December in response", r),
            ["2024-12"]
        );
        assert_eq!(
            iso(
                "Speaking to ABC News on Sunday, Bessent said the leaders meet Thursday in South Korea.",
                r
            ),
            ["2025-10-26", "2025-10-30"]
        );
    }

    #[test]
    fn no_reference_no_relative_dates_and_possessives_are_not_dates() {
        assert!(
            iso(
                "three shipments from this year’s US harvest",
                Some(date(2025, 10, 30))
            )
            .is_empty()
        );
        assert!(iso("I’ll be going to China in April", None).is_empty());
    }
}
