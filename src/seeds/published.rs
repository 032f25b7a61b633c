//! The publication date an article states about itself.
//!
//! Articles carry their date on metadata lines, not in prose: an agency
//! dateline opening the first paragraph, a byline, a "Published …" or
//! "Posted … by …" line, a bare date under the headline, an issue line
//! split by `|` or `·`, an "Updated …" line at the foot. Those lines are
//! recognised by shape — where they stand (the leading or trailing block of
//! the file), how short they are, their keywords and separators — never by
//! publisher, so a new source's layout needs no new rule. Dates in the
//! body are events, not the article's date; they only help to supply a
//! year the metadata line leaves out.

mod expr;
mod shape;

use jiff::civil::{Date, Weekday};

use expr::Hit;
use shape::{classify, is_prose};

/// The date and the line it was read from ("dateline, line 3").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Published {
    pub date: Date,
    pub basis: String,
}

/// Metadata sits in the first and last lines of a scraped page: chrome and
/// headline above, widgets and footers below.
const TOP_LINES: usize = 20;
const BOTTOM_LINES: usize = 12;
/// However long the chrome above the article, metadata is not further down.
const MAX_LEAD_LINES: usize = 60;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Zone {
    Top,
    Bottom,
    Middle,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Kind {
    Dateline,
    Byline,
    /// A published-class keyword, lower-cased: "published", "posted", "issued" …
    Keyword(String),
    Updated,
    DateLine,
    MetaLine,
}

impl Kind {
    fn label(&self) -> String {
        match self {
            Kind::Dateline => "dateline".into(),
            Kind::Byline => "byline".into(),
            Kind::Keyword(k) => format!("{k} line"),
            Kind::Updated => "updated line".into(),
            Kind::DateLine => "date line".into(),
            Kind::MetaLine => "meta line".into(),
        }
    }
}

/// A non-blank line of the file, scanned once for dates.
struct Line<'a> {
    /// 1-based line in the file.
    no: usize,
    text: &'a str,
    hits: Vec<Hit>,
}

impl Line<'_> {
    /// The full dates the line states.
    fn dates(&self) -> impl Iterator<Item = Date> + '_ {
        self.hits.iter().filter_map(Hit::date)
    }
}

#[derive(Debug, Clone)]
struct Candidate {
    kind: Kind,
    hit: Hit,
    /// 1-based line in the file.
    line: usize,
    zone: Zone,
}

/// The publication date and its basis; `None` when no metadata line dates
/// the text (body dates alone never do).
pub fn find(text: &str) -> Option<Published> {
    let order = expr::numeric_order(text);
    let lines: Vec<Line<'_>> = text
        .lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.trim()))
        .filter(|(_, l)| !l.is_empty())
        .map(|(no, text)| Line {
            no,
            text,
            hits: expr::scan(text, order),
        })
        .collect();
    let candidates = candidates(&lines);
    let explicit: Vec<Date> = lines.iter().flat_map(Line::dates).collect();
    let resolve = |c: &Candidate| -> Option<(Date, bool)> {
        match c.hit.date() {
            Some(d) => Some((d, false)),
            None => infer_year(c.hit.month, c.hit.day, c.hit.weekday, &explicit).map(|d| (d, true)),
        }
    };
    let mut ranked: Vec<&Candidate> = candidates.iter().collect();
    ranked.sort_by_key(|c| (c.kind == Kind::Updated, c.zone, c.line));
    let (c, (date, inferred)) = ranked.iter().find_map(|c| resolve(c).map(|r| (*c, r)))?;
    let mut out = Published {
        date,
        basis: basis(c, inferred),
    };
    if c.kind != Kind::Updated {
        prefer_update(&mut out, &ranked, &lines);
    }
    Some(out)
}

fn basis(c: &Candidate, inferred: bool) -> String {
    let year = if inferred {
        "; year from the text's other dates"
    } else {
        ""
    };
    format!("{}, line {}{year}", c.kind.label(), c.line)
}

fn candidates(lines: &[Line<'_>]) -> Vec<Candidate> {
    let n = lines.len();
    let starts_dated = |k: usize| -> bool {
        lines
            .get(k)
            .and_then(|l| l.hits.first())
            .is_some_and(|h| h.start == 0)
    };
    // Chrome can be longer than TOP_LINES (menus, cookie banners): the
    // lead block runs at least to the article's second line of prose, and
    // whatever follows its last line of prose is trailing chrome.
    let prose: Vec<usize> = (0..n).filter(|&k| is_prose(lines[k].text)).collect();
    let lead_end = prose.get(1).map_or(TOP_LINES, |&k| k.min(MAX_LEAD_LINES));
    let tail_start = prose.last().map_or(n, |&k| k + 1);
    let mut out = Vec::new();
    for (k, l) in lines.iter().enumerate() {
        let zone = if k < TOP_LINES.max(lead_end) {
            Zone::Top
        } else if k + BOTTOM_LINES >= n || k >= tail_start {
            Zone::Bottom
        } else {
            Zone::Middle
        };
        // A run of lines that each open with a date is a list of events or
        // of related stories, whatever its lines look like one by one.
        let in_run = starts_dated(k) && ((k > 0 && starts_dated(k - 1)) || starts_dated(k + 1));
        for (kind, hit) in classify(l.text, &l.hits, zone) {
            let weak = matches!(kind, Kind::DateLine | Kind::MetaLine);
            if !(weak && in_run) {
                out.push(Candidate {
                    kind,
                    hit,
                    line: l.no,
                    zone,
                });
            }
        }
    }
    out
}

/// The year a yearless date ("Nov. 3") most plausibly has: the one with
/// most of the text's explicit dates in the year before it, then the one
/// nearest after them. A weekday given with the date narrows the choice; a
/// tie stays unknown.
fn infer_year(month: i8, day: i8, weekday: Option<Weekday>, explicit: &[Date]) -> Option<Date> {
    let mut years: Vec<i16> = explicit
        .iter()
        .flat_map(|d| [d.year(), d.year() + 1])
        .collect();
    years.sort_unstable();
    years.dedup();
    // Most explicit dates in the year before it; then the nearest of them.
    let mut scored: Vec<((usize, i64), Date)> = years
        .into_iter()
        .filter_map(|y| Date::new(y, month, day).ok())
        .filter(|d| weekday.is_none_or(|w| d.weekday() == w))
        .filter_map(|d| {
            let from = d.checked_sub(jiff::Span::new().days(400)).unwrap_or(d);
            let before: Vec<&Date> = explicit
                .iter()
                .filter(|e| **e <= d && **e >= from)
                .collect();
            let nearest = before.iter().map(|e| (d - **e).get_days()).min()?;
            Some(((before.len(), -i64::from(nearest)), d))
        })
        .collect();
    scored.sort_by_key(|s| std::cmp::Reverse(s.0));
    match scored.as_slice() {
        [(n, d), rest @ ..] if rest.first().is_none_or(|r| r.0 < *n) => Some(*d),
        _ => None,
    }
}

/// A published date is kept over a later "Updated" one unless the text we
/// hold reports dates after first publication: then it is the update.
fn prefer_update(out: &mut Published, ranked: &[&Candidate], lines: &[Line<'_>]) {
    let Some((u, update)) = ranked
        .iter()
        .filter(|c| c.kind == Kind::Updated)
        .find_map(|c| c.hit.date().map(|d| (*c, d)))
    else {
        return;
    };
    if update <= out.date {
        return;
    }
    let meta: Vec<usize> = ranked.iter().map(|c| c.line).collect();
    let later = lines
        .iter()
        .filter(|l| !meta.contains(&l.no))
        .flat_map(Line::dates)
        .any(|d| d > out.date && d <= update);
    if later {
        *out = Published {
            date: update,
            basis: format!(
                "{}; the text reports dates after first publication",
                basis(u, false)
            ),
        };
    }
}

#[cfg(test)]
mod tests;
