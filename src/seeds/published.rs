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

use std::sync::LazyLock;

use jiff::civil::{Date, Weekday};
use regex::Regex;

use expr::{Hit, Order};

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
/// Longer lines are prose; datelines excepted, they open a paragraph.
const MAX_META_WORDS: usize = 24;
/// Words a keyword line may carry besides its date ("by Jane Doe", "Live coverage").
const MAX_KEYWORD_REST: usize = 6;
/// A bare date line may keep a word or two ("Weekly wrap", "Edition").
const MAX_BARE_REST: usize = 2;
/// The other parts of an issue line ("Issue No. 214", "5-minute read").
const MAX_META_PART: usize = 4;

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

#[derive(Debug, Clone)]
struct Candidate {
    kind: Kind,
    hit: Hit,
    /// 1-based line in the file.
    line: usize,
    zone: Zone,
}

static UPDATED: LazyLock<Regex> = LazyLock::new(|| {
    #[allow(clippy::unwrap_used)] // constant pattern
    Regex::new(r"(?i)\b(?:updated|modified|revised)\b").unwrap()
});

static PUBLISHED: LazyLock<Regex> = LazyLock::new(|| {
    #[allow(clippy::unwrap_used)] // constant pattern
    Regex::new(
        r"(?i)\b(published|posted|issued|released|recorded|filed|dated|started|date(?:\s*:))",
    )
    .unwrap()
});

static BYLINE: LazyLock<Regex> = LazyLock::new(|| {
    #[allow(clippy::unwrap_used)] // constant pattern
    Regex::new(r"^(?:[Bb]y|BY)\s+\p{Lu}").unwrap()
});

/// Words that carry no content on a metadata line: times, zones, linking words.
static FILLER: LazyLock<Regex> = LazyLock::new(|| {
    #[allow(clippy::unwrap_used)] // constant pattern
    Regex::new(r"(?i)^(?:\d{1,2}[:.]\d{2}(?:[:.]\d{2})?(?:[ap]\.?m\.?)?|[ap]\.?m\.?|(?:gmt|utc)(?:[+-]\d{1,2})?|[ecmpa][sd]?t|bst|cet|cest|ist|jst|hkt|sgt|aest|aedt|at|on|last|first|updated|modified|revised|published|posted|issued|released|recorded|filed|dated|date|started)$").unwrap()
});

/// Relative stamps and reading times that sit beside a date on a meta line.
static STAMP: LazyLock<Regex> = LazyLock::new(|| {
    #[allow(clippy::unwrap_used)] // constant pattern
    Regex::new(r"(?i)\b\d+\s*(?:s|secs?|seconds?|m|mins?|minutes?|h|hrs?|hours?|d|days?)\s+ago\b|\b\d+[\s-]*min(?:ute)?s?\s+(?:read|listen)\b").unwrap()
});

/// A place, optionally ", State", then the comma before the date.
static DATELINE_PLACE: LazyLock<Regex> = LazyLock::new(|| {
    #[allow(clippy::unwrap_used)] // constant pattern
    Regex::new(r"^\p{Lu}[\p{L}.'’ -]+(?:,\s*\p{Lu}[\p{L}.]*(?:\s\p{Lu}[\p{L}.]*)*)?\s*,\s*$")
        .unwrap()
});

/// After the date: an optional "(Agency)", then the dash that opens the story.
static DATELINE_DASH: LazyLock<Regex> = LazyLock::new(|| {
    #[allow(clippy::unwrap_used)] // constant pattern
    Regex::new(r"^\s*(?:\([^)]{1,40}\)\s*)?(?:--|—|–|-|:)\s*\S").unwrap()
});

fn words(s: &str) -> usize {
    s.split_whitespace()
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .count()
}

/// Words left on a segment once its dates, times, zones and keywords go.
fn rest_words(line: &str, a: usize, b: usize, hits: &[&Hit]) -> usize {
    let mut rest = String::new();
    let mut from = a;
    for h in hits {
        rest.push_str(&line[from..h.start]);
        rest.push(' ');
        from = h.end;
    }
    rest.push_str(&line[from..b]);
    let rest = unglue(&rest);
    let rest = STAMP.replace_all(&rest, " ");
    rest.split_whitespace()
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric() && c != '.' && c != ':'))
        .map(|w| w.trim_end_matches([',', ':']))
        .filter(|w| w.chars().any(char::is_alphanumeric) && !FILLER.is_match(w))
        .count()
}

/// Scraping glues neighbouring widgets together ("GMT+1Updated", "ET2 min
/// read"); a case or digit change inside a token marks the seam.
fn unglue(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    let mut prev: Option<char> = None;
    for c in s.chars() {
        if let Some(p) = prev {
            let seam = ((p.is_lowercase() || p.is_ascii_digit()) && c.is_uppercase())
                || (p.is_uppercase() && c.is_ascii_digit());
            if seam {
                out.push(' ');
            }
        }
        out.push(c);
        prev = Some(c);
    }
    out
}

fn is_separator(c: char) -> bool {
    matches!(c, '|' | '·' | '•' | '⋅' | '∙')
}

/// Byte ranges of the parts of a line between separators. A slash
/// separates only between spaces: 03/11/2025 is one date.
fn segments(line: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    let bytes = line.as_bytes();
    for (i, c) in line.char_indices() {
        let spaced_slash =
            c == '/' && i > 0 && bytes.get(i - 1) == Some(&b' ') && bytes.get(i + 1) == Some(&b' ');
        if is_separator(c) || spaced_slash {
            out.push((start, i));
            start = i + c.len_utf8();
        }
    }
    out.push((start, line.len()));
    out
}

/// A line of article text: a dozen words or more, ending a sentence.
fn is_prose(line: &str) -> bool {
    words(line) >= 12 && line.ends_with(['.', '!', '?', '"', '”', '’', ')'])
}

/// Bullets and numbered items are lists of dated events, never metadata.
fn is_list_item(line: &str) -> bool {
    let t = line.trim_start();
    t.starts_with(['-', '*', '•', '–', '—', '▪', '‣'])
        || t.split_once(['.', ')']).is_some_and(|(n, _)| {
            !n.is_empty() && n.len() <= 3 && n.bytes().all(|b| b.is_ascii_digit())
        })
}

/// "CITY, Nov. 3 (Agency) —", or a wire story's bare "Nov. 3 (Agency) -".
fn dateline(line: &str, hit: &Hit) -> bool {
    let (place, after) = (&line[..hit.start], &line[hit.end..]);
    let placed = DATELINE_PLACE.is_match(place) && words(place) <= 4;
    let credited = place.is_empty() && after.trim_start().starts_with('(');
    (placed || credited) && DATELINE_DASH.is_match(after)
}

/// What kind of metadata line this is, if any, with the dates it gives.
fn classify(line: &str, zone: Zone, order: Option<Order>) -> Vec<(Kind, Hit)> {
    if is_list_item(line) {
        return Vec::new();
    }
    let hits = expr::scan(line, order);
    if let Some(first) = hits.first()
        && zone == Zone::Top
        && dateline(line, first)
    {
        return vec![(Kind::Dateline, first.clone())];
    }
    if hits.is_empty() || words(line) > MAX_META_WORDS {
        return Vec::new();
    }
    let parts = segments(line);
    let mut out: Vec<(Kind, Hit)> = Vec::new();
    for &(a, b) in &parts {
        let inside: Vec<&Hit> = hits.iter().filter(|h| h.start >= a && h.end <= b).collect();
        let shape = Shape {
            zone,
            rest: rest_words(line, a, b, &inside),
            others_short: parts.iter().filter(|&&p| p != (a, b)).all(|&(x, y)| {
                words(&line[x..y]) <= MAX_META_PART || BYLINE.is_match(line[x..y].trim())
            }),
            split: parts.len() > 1,
            byline: BYLINE.is_match(line.trim_start()),
        };
        let mut from = a;
        for hit in inside {
            // A keyword governs the dates after it, up to the next date:
            // "Published Nov. 3, updated Nov. 5".
            let kind = kind_of(&line[from..hit.start], &shape);
            from = hit.end;
            if let Some(kind) =
                kind.filter(|k| zone != Zone::Middle || words(line) <= 12 || *k == Kind::Updated)
            {
                out.push((kind, hit.clone()));
            }
        }
    }
    out
}

/// What the classifier knows of the segment a date stands in.
struct Shape {
    zone: Zone,
    /// Words of the segment besides its dates, times, zones and keywords.
    rest: usize,
    /// Whether the line's other segments are all short labels or a byline.
    others_short: bool,
    split: bool,
    byline: bool,
}

fn kind_of(before: &str, shape: &Shape) -> Option<Kind> {
    if UPDATED.is_match(before) {
        Some(Kind::Updated)
    } else if let Some(k) = PUBLISHED.captures(before) {
        (shape.rest <= MAX_KEYWORD_REST).then(|| Kind::Keyword(keyword(&k[1])))
    } else if shape.byline {
        (shape.rest <= MAX_KEYWORD_REST).then_some(Kind::Byline)
    } else if shape.zone == Zone::Middle || shape.rest > MAX_BARE_REST || !shape.others_short {
        None
    } else if shape.split {
        Some(Kind::MetaLine)
    } else {
        Some(Kind::DateLine)
    }
}

fn keyword(k: &str) -> String {
    let k = k.to_lowercase();
    match k.trim_end_matches([':', ' ']) {
        "date" | "dated" => "date".into(),
        other => other.to_string(),
    }
}

/// The publication date and its basis; `None` when no metadata line dates
/// the text (body dates alone never do).
pub fn find(text: &str) -> Option<Published> {
    let lines: Vec<(usize, &str)> = text
        .lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.trim()))
        .filter(|(_, l)| !l.is_empty())
        .collect();
    let order = expr::numeric_order(text);
    let candidates = candidates(&lines, order);
    let explicit: Vec<Date> = lines
        .iter()
        .flat_map(|(_, l)| expr::scan(l, order))
        .filter_map(|h| h.date())
        .collect();
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
        prefer_update(&mut out, &ranked, &lines, order);
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

fn candidates(lines: &[(usize, &str)], order: Option<Order>) -> Vec<Candidate> {
    let n = lines.len();
    let starts_dated = |k: usize| -> bool {
        lines
            .get(k)
            .and_then(|(_, l)| expr::scan(l, order).first().map(|h| h.start == 0))
            .unwrap_or(false)
    };
    // Chrome can be longer than TOP_LINES (menus, cookie banners): the
    // lead block runs at least to the article's second line of prose, and
    // whatever follows its last line of prose is trailing chrome.
    let prose: Vec<usize> = (0..n).filter(|&k| is_prose(lines[k].1)).collect();
    let lead_end = prose.get(1).map_or(TOP_LINES, |&k| k.min(MAX_LEAD_LINES));
    let tail_start = prose.last().map_or(n, |&k| k + 1);
    let mut out = Vec::new();
    for (k, &(line, text)) in lines.iter().enumerate() {
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
        for (kind, hit) in classify(text, zone, order) {
            let weak = matches!(kind, Kind::DateLine | Kind::MetaLine);
            if !(weak && in_run) {
                out.push(Candidate {
                    kind,
                    hit,
                    line,
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
fn prefer_update(
    out: &mut Published,
    ranked: &[&Candidate],
    lines: &[(usize, &str)],
    order: Option<Order>,
) {
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
        .filter(|(n, _)| !meta.contains(n))
        .flat_map(|(_, l)| expr::scan(l, order))
        .filter_map(|h| h.date())
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
