//! What one line looks like on its own: the context-free half of the classifier.
//!
//! Each feature is a small function that either names why the line is page
//! chrome or passes. Lines no feature condemns are graded by length, by how
//! much of them is function words (prose is full of "the", "of", "that";
//! menus and labels are not) and by whether they end like a sentence; the
//! grade is what the context pass in `context.rs` then smooths.

use std::sync::LazyLock;

use regex::Regex;

use super::lexicon;
pub use super::words::{ends_sentence, words};

/// A line's grade before its neighbours are looked at (jusText's classes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    /// Chrome by one of its own features; the reason says which.
    Bad(&'static str),
    /// Too short to judge alone: its neighbours decide.
    Short,
    /// Prose, but short: kept unless chrome surrounds it.
    NearGood,
    /// Article text.
    Good,
}

fn stop_share(words: &[String]) -> f32 {
    if words.is_empty() {
        return 0.0;
    }
    let stops = words.iter().filter(|w| lexicon::STOP.contains(w)).count();
    stops as f32 / words.len() as f32
}

/// A full sentence: enough words, some of them function words, and an end.
pub(super) fn sentence_like(line: &str, words: &[String]) -> bool {
    let opens = line
        .trim_start_matches(['-', '•', '*', '▪', '–', ' '])
        .chars()
        .next()
        .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit() || "\"“‘'(".contains(c));
    // Up to eight words, a capital and a full stop make a sentence even in
    // telegraph style ("Winter sailings begin."); a longer line needs some
    // function words as well.
    let telegraph = words.len() >= 2 && words.len() <= 8 && opens;
    ends_sentence(line) && (telegraph || (words.len() >= 4 && stop_share(words) >= 0.1))
}

/// The context-free grade of a (trimmed, non-empty) line.
pub fn classify(line: &str) -> Class {
    let w = words(line);
    if let Some(reason) = chrome_reason(line, &w) {
        return Class::Bad(reason);
    }
    let density = stop_share(&w);
    let chars = line.chars().count();
    if chars >= 120 && (density >= 0.25 || sentence_like(line, &w)) {
        Class::Good
    } else if sentence_like(line, &w) || (w.len() >= 8 && density >= 0.25) {
        Class::NearGood
    } else {
        Class::Short
    }
}

/// The first feature that marks the line as chrome, if any.
pub fn chrome_reason(line: &str, w: &[String]) -> Option<&'static str> {
    if !line.chars().any(char::is_alphabetic) {
        return Some(if contact(line, w) {
            "contact details (email, phone, web or postal address)"
        } else {
            "no words: a rule, symbol or number line"
        });
    }
    FEATURES.iter().find(|(f, _)| f(line, w)).map(|&(_, r)| r)
}

/// A feature: does this line (and its words) show it is chrome?
type Feature = fn(&str, &[String]) -> bool;

/// The features in the order they are asked; the first that fires names the reason.
const FEATURES: [(Feature, &str); 14] = [
    (copyright, "copyright notice"),
    (page_furniture, "page header or footer (\"Page 2 of 5\")"),
    (
        contact,
        "contact details (email, phone, web or postal address)",
    ),
    (relative_stamp, "time stamp (\"2h ago\") of a widget entry"),
    (content_free, "no content words (sign-off or filler)"),
    (date_stamp, "date or time stamp"),
    (|l, _| byline_name(l).is_some(), "byline"),
    (
        credit,
        "credit or label line (\"Photo:\", \"Source:\", \"Editor:\")",
    ),
    (
        separated_fields,
        "fields split by | or · (menu, meta or link list)",
    ),
    (widget_label, "widget or navigation label"),
    (
        publication_talk,
        "the page talking about itself or to its reader",
    ),
    (greeting, "newsletter greeting"),
    (captioned_credit, "photo caption with its credit"),
    (first_person_bio, "author bio"),
];

fn copyright(line: &str, w: &[String]) -> bool {
    // Notices are short: only those are lower-cased and searched.
    line.contains('©')
        || (line.len() < 200 && line.to_lowercase().contains("all rights reserved"))
        || (w.first().is_some_and(|f| f == "copyright") && w.len() <= 12)
}

static EMAIL: LazyLock<Regex> = LazyLock::new(|| re(r"[\w.+-]+@[\w-]+\.[\w.-]+"));
static URL: LazyLock<Regex> = LazyLock::new(|| re(r"^(https?://|www\.)\S+$"));
static POSTAL: LazyLock<Regex> =
    LazyLock::new(|| re(r"\b(P\.?\s?O\.?\s+Box|[A-Z]{2}\s\d{5}(-\d{4})?)\b"));

fn re(pattern: &str) -> Regex {
    // Patterns are constants in this file; a typo is a bug the unit tests catch.
    // ASCII word boundaries keep the fast DFA on lines with curly quotes.
    #[allow(clippy::unwrap_used)]
    Regex::new(&pattern.replace(r"\b", r"(?-u:\b)")).unwrap()
}

fn contact(line: &str, w: &[String]) -> bool {
    let digits = line.chars().filter(char::is_ascii_digit).count();
    let phone = digits >= 7
        && line
            .chars()
            .all(|c| c.is_ascii_digit() || " +()-.".contains(c));
    let short = w.len() <= 6;
    phone
        || (short
            && line.contains(['@', '.'])
            && (EMAIL.is_match(line) || URL.is_match(line.trim())))
        || (w.len() <= 16 && !ends_sentence(line) && POSTAL.is_match(line))
}

static RELATIVE: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)^\d+\s?(s|m|h|d|w|mins?|hrs?|hours?|minutes?|days?|weeks?)\s+ago\b"));

fn relative_stamp(line: &str, _: &[String]) -> bool {
    RELATIVE.is_match(line) && !ends_sentence(line)
}

static CLOCK_OR_NUMERIC: LazyLock<Regex> = LazyLock::new(|| {
    re(r"^(\d{1,2}[:.]\d{2}([:.]\d{2})?(am|pm)?|\d{1,4}([/-]\d{1,4}){2}|\d{1,2}(am|pm))$")
});

fn is_calendar_token(t: &str) -> bool {
    let t = t.trim_end_matches('.');
    lexicon::CALENDAR.contains(t)
        || lexicon::META.contains(t)
        || (t.len() <= 4 && t.chars().all(|c| c.is_ascii_digit()))
        || (t.starts_with(|c: char| c.is_ascii_digit()) && CLOCK_OR_NUMERIC.is_match(t))
        || t.strip_suffix(['t', 'd', 'h'])
            .and_then(|s| s.strip_suffix(['s', 'n', 'r', 't']))
            .is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()))
}

/// A month, a weekday, a clock time, a numeric date or "ago": what makes a
/// line a stamp rather than words that merely sit near one.
fn is_strong_date(t: &str) -> bool {
    let t = t.trim_end_matches('.');
    let calendar_name = lexicon::CALENDAR
        .words()
        .iter()
        .take_while(|c| **c != "am")
        .any(|c| *c == t);
    calendar_name
        || t == "ago"
        || (t.starts_with(|c: char| c.is_ascii_digit()) && CLOCK_OR_NUMERIC.is_match(t))
}

/// A line that is a date or time with at most a few words of meta around
/// it: "Posted Thursday, November 20, 2025 5:00 am", "Updated at 05.52 GMT".
fn date_stamp(line: &str, _: &[String]) -> bool {
    if line.split_whitespace().nth(16).is_some() {
        return false;
    }
    // Clock times and numeric dates keep their ":" and "/" here.
    let w: Vec<String> = line
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | '|' | '·' | '(' | ')'))
        .map(|t| {
            t.trim_matches(|c: char| !c.is_alphanumeric())
                .to_lowercase()
        })
        .filter(|t| !t.is_empty())
        .collect();
    if w.is_empty() || w.len() > 14 || !w.iter().any(|t| is_strong_date(t)) {
        return false;
    }
    // "04:15 GMT — Beijing's version": a live-blog entry's heading, not a stamp.
    let labelled = [" — ", " – ", " - "].iter().any(|dash| {
        line.split_once(dash)
            .is_some_and(|(_, label)| words(label).iter().any(|t| !is_calendar_token(t)))
    });
    if labelled {
        return false;
    }
    let others = w.iter().filter(|t| !is_calendar_token(t)).count();
    // "What changes on 1 March?" asks; a stamp never does.
    let ends_like_prose = line.trim_end().ends_with(['?', '!'])
        || (ends_sentence(line) && !w.last().is_some_and(|t| is_calendar_token(t)))
        // "China bought soybeans on November 3, 2025." is news, not a stamp.
        || (ends_sentence(line) && others >= 2);
    others <= 3 && !ends_like_prose
}

static BYLINE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"^(?:[Bb][Yy]|(?i:written|writing|reported|reporting|edited|editing|reviewed|generated|compiled|produced)\s+by)\s*((?:\p{Lu}[\p{L}.'’-]*\s*){1,4})",
    )
});

/// The author's name when the line is a byline ("By A. Writer, Correspondent").
pub(super) fn byline_name(line: &str) -> Option<String> {
    // Wire credits come in brackets: "(Reporting by A. Name; Editing by …)".
    let line = line
        .trim_start_matches(['(', '['])
        .trim_end_matches([')', ']']);
    let caps = BYLINE.captures(line)?;
    let w = words(line);
    if w.len() > 14 || line.ends_with(['?', '!']) {
        return None;
    }
    let name = caps.get(1)?.as_str().trim();
    let first = words(name).into_iter().next()?;
    if lexicon::CALENDAR.contains(&first) || lexicon::STOP.contains(&first) {
        return None;
    }
    // "By Friday, China had bought …": a sentence, not a credit.
    if sentence_like(line, &w) && w.len() > 8 {
        return None;
    }
    Some(name.to_string())
}

static LABEL: LazyLock<Regex> =
    LazyLock::new(|| re(r"^\(?\s*([A-Za-z][A-Za-z ]{1,24}?)\s*:\s*(.*?)\)?$"));

fn credit(line: &str, _: &[String]) -> bool {
    if !line.contains(':') {
        return false;
    }
    let Some(c) = LABEL.captures(line.trim()) else {
        return false;
    };
    let label = c[1].to_lowercase();
    if !lexicon::CREDIT_LABELS.contains(&label) {
        return false;
    }
    let rest = &c[2];
    let rw = words(rest);
    rest.is_empty() || !sentence_like(rest, &rw)
}

fn separated_fields(line: &str, _: &[String]) -> bool {
    let parts: Vec<&str> = line
        .split(['|', '·', '»'])
        .flat_map(|p| p.split(" > "))
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    parts.len() >= 2
        && !parts.iter().any(|p| {
            let pw = words(p);
            pw.len() >= 6 && sentence_like(p, &pw)
        })
}

fn content_words(w: &[String]) -> Vec<&String> {
    w.iter().filter(|t| !lexicon::STOP.contains(t)).collect()
}

fn site_share(w: &[String]) -> (usize, usize) {
    let content = content_words(w);
    let site = content.iter().filter(|t| lexicon::SITE.contains(t)).count();
    (site, content.len())
}

fn widget_label(line: &str, w: &[String]) -> bool {
    if w.len() > 7 {
        return false;
    }
    let (site, content) = site_share(w);
    if site == 0 {
        return false;
    }
    if sentence_like(line, w) {
        site * 3 >= content * 2 && (w.iter().any(|t| t == "this" || t == "you" || t == "your"))
    } else {
        site * 2 >= content
    }
}

fn quoted(line: &str) -> bool {
    line.contains(['"', '“', '”'])
}

fn self_reference(w: &[String]) -> bool {
    w.windows(2)
        .any(|p| p[0] == "this" && lexicon::SELF_NOUNS.contains(&p[1]))
}

/// "You are receiving this email because …", "This report is for
/// information only …": the page speaks of itself or to its reader.
fn publication_talk(line: &str, w: &[String]) -> bool {
    if quoted(line) || line.len() > 400 {
        return false;
    }
    let opens_with_self = w.first().is_some_and(|f| f == "this")
        && w.get(1).is_some_and(|n| lexicon::SELF_NOUNS.contains(n));
    let addressed = w
        .iter()
        .any(|t| matches!(t.as_str(), "you" | "your" | "please"));
    let (site, _) = site_share(w);
    opens_with_self || (self_reference(w) && (addressed || site >= 2)) || (addressed && site >= 2)
}

fn greeting(line: &str, w: &[String]) -> bool {
    let Some(g) = lexicon::GREETINGS.words().iter().find(|g| {
        line.get(..g.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(g))
    }) else {
        return false;
    };
    // A greeting followed by news names people, places or numbers; a pure
    // greeting ("Good morning, and welcome back.") does not.
    let after = &line[g.len()..];
    let names = after
        .split_whitespace()
        .skip(1)
        .zip(after.split_whitespace())
        .filter(|(w, prev)| w.starts_with(char::is_uppercase) && !ends_sentence(prev))
        .count();
    names == 0 && !after.chars().any(|c| c.is_ascii_digit()) && w.len() <= 25
}

fn content_free(line: &str, w: &[String]) -> bool {
    if w.is_empty() || w.len() > 6 {
        return false;
    }
    let filler = w
        .iter()
        .any(|t| lexicon::FILLER.contains(t) || lexicon::CALENDAR.contains(t));
    // "It said so." is a sentence of function words; a sign-off names a time
    // or a thanks ("That's it for today.", "Until Friday,").
    !w.is_empty()
        && w.len() <= 6
        && (filler || !ends_sentence(line))
        && w.iter().all(|t| {
            lexicon::STOP.contains(t)
                || lexicon::CALENDAR.contains(t)
                || lexicon::FILLER.contains(t)
        })
}

fn first_person_bio(line: &str, w: &[String]) -> bool {
    let career = w.iter().filter(|t| lexicon::CAREER.contains(t)).count();
    career >= 3 && !quoted(line) && w.iter().any(|t| t == "i")
}

static CAPTION_CREDIT: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?i)\((photo|photograph|picture|image|video|credit|illustration)s?\b[^)]*\)\s*$")
});

/// "Workers wind coils at the plant. (Photo: A. Name / Paper)".
fn captioned_credit(line: &str, _: &[String]) -> bool {
    line.trim_end().ends_with(')') && CAPTION_CREDIT.is_match(line)
}

static PAGE: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)^(page|p\.|pg\.?)\s*\d+(\s*(of|/)\s*\d+)?$"));

fn page_furniture(line: &str, _: &[String]) -> bool {
    line.len() < 24 && PAGE.is_match(line.trim())
}
