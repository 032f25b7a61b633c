//! The shape of a metadata line: keywords, separators, how many words
//! besides the date, and the dateline pattern. Judged per line, so a new
//! publisher's layout is read by the same cues as the last one's.

use std::sync::LazyLock;

use regex::Regex;

use super::expr::Hit;
use super::{Kind, Zone};

/// Longer lines are prose; datelines excepted, they open a paragraph.
const MAX_META_WORDS: usize = 24;
/// Words a keyword line may carry besides its date ("by Jane Doe", "Live coverage").
const MAX_KEYWORD_REST: usize = 6;
/// A bare date line may keep a word or two ("Weekly wrap", "Edition").
const MAX_BARE_REST: usize = 2;
/// The other parts of an issue line ("Issue No. 214", "5-minute read").
const MAX_META_PART: usize = 4;

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
pub(super) fn is_prose(line: &str) -> bool {
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
pub(super) fn classify(line: &str, hits: &[Hit], zone: Zone) -> Vec<(Kind, Hit)> {
    if is_list_item(line) {
        return Vec::new();
    }
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
            let kind = kind_of(&line[from..hit.start], hit, &shape);
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

fn kind_of(before: &str, hit: &Hit, shape: &Shape) -> Option<Kind> {
    // With no keyword to say so, "Nov. 5 vote" is a headline about a date;
    // only a line that is nothing but a yearless date is taken as one.
    let bare_rest = if hit.year.is_some() { MAX_BARE_REST } else { 0 };
    if UPDATED.is_match(before) {
        Some(Kind::Updated)
    } else if let Some(k) = PUBLISHED.captures(before) {
        (shape.rest <= MAX_KEYWORD_REST).then(|| Kind::Keyword(keyword(&k[1])))
    } else if shape.byline {
        (shape.rest <= MAX_KEYWORD_REST).then_some(Kind::Byline)
    } else if shape.zone == Zone::Middle || shape.rest > bare_rest || !shape.others_short {
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
