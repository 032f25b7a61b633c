//! The date grammar: one regular expression per phrase class, and the
//! checks that tell a date phrase from text that only looks like one.
//!
//! A class is a shape of English date phrase ("Nov. 10, 2025", "late last
//! month", "in each of 2026, 2027 and 2028"), never a string from one
//! article. Month and weekday names are case-sensitive so that "may" and
//! "march" stay verbs; the small words around them are not.

use std::ops::Range;
use std::sync::LazyLock;

use regex::{Regex, RegexBuilder, RegexSet, RegexSetBuilder};

/// The phrase classes. Explicit dates first, then partial dates, ranges,
/// deadlines and relative phrases, as `resolve` groups them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    DayMonthYear,
    MonthDayYear,
    Iso,
    Slash,
    WeekdayParen,
    MonthDay,
    DayMonth,
    MonthYear,
    PartOfMonth,
    InMonth,
    RelMonth,
    InYear,
    Quarter,
    YearRel,
    MonthRel,
    DayRange,
    DayRangeDayFirst,
    DaySpan,
    MonthSpan,
    MonthPair,
    YearSpan,
    YearList,
    NextYears,
    MonthsOf,
    WeekdayPair,
    EndOfYear,
    Weekday,
    DayWord,
    Ago,
    Offset,
    SameDay,
    Week,
    Weekend,
}

const M: &str = r"(January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\b\.?";
const D: &str = r"([0-9]{1,2})(?:st|nd|rd|th)?\b";
const Y: &str = r"((?:19|20)[0-9]{2})\b";
const WD: &str = r"(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b";
/// A preposition before a weekday-led date, so that "on Monday (Nov. 24)"
/// starts where "on Monday" does and wins as the longer phrase.
const ON: &str = r"(?:(?i:on|since|from|until|till|by|before|after) )?";
/// A day as an ordinal word: "November tenth", "March the twenty-first".
const ORD: &str = r"(?i:((?:twenty-|thirty-)?(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth)|tenth|eleventh|twelfth|thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth|thirtieth))\b";
const PART: &str = r"(?:(?:early|mid|late)[- ])?";
const TO: &str = r"(?i:through|to|until|till|and)";
const N: &str =
    r"(?i:(a|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|[0-9]{1,3}))";

fn patterns() -> Vec<(String, Kind)> {
    use Kind::*;
    vec![
        (format!(r"\b{ON}(?:{WD},? )?{D} {M},? {Y}"), DayMonthYear),
        (format!(r"\b{ON}(?:{WD},? )?{M} {D},? {Y}"), MonthDayYear),
        (r"\b((?:19|20)[0-9]{2})-([01][0-9])-([0-3][0-9])\b".into(), Iso),
        (r"\b([0-9]{1,2})/([0-9]{1,2})/((?:19|20)[0-9]{2})\b".into(), Slash),
        (format!(r"\b{ON}{WD},? \(?{M} {D}\)?"), WeekdayParen),
        (format!(r"\b{M} (?:{D}|(?i:the )?{ORD})(?: (?i:of )?(?i:(this|next|last) year))?"), MonthDay),
        (format!(r"\b{D} {M}"), DayMonth),
        (format!(r"\b{M},? {Y}"), MonthYear),
        (format!(r"\b(?:(early|mid|late)[- ]|(?i:the )?(end|start|beginning|middle) of |(end)-(?:of-)?){M}(?:,? {Y})?"), PartOfMonth),
        (format!(r"\b(?i:in|since|during|until|till|through|by|before|after|from|for) {PART}{M}(?:,? {Y})?"), InMonth),
        (format!(r"\b(?:(?i:(this|next|last|coming) ){M}|{M},? (?i:(?:of )?(this|next|last) year))"), RelMonth),
        // Not "since 2018": "the first drop since 2018" measures a time, it dates nothing.
        (format!(r"\b(?i:in|during|until|till|through|by|before|after|from|for|early|late|mid)[- ]{Y}"), InYear),
        (format!(r"\b(?:Q([1-4])|(?i:(?:the )?(first|second|third|fourth) quarter(?: of)?)),? (?:{Y}|(?i:(this|next|last) year))"), Quarter),
        (r"\b(?i:(?:(earlier|later|early|late) )?(this|next|last) year)\b(?:'s|’s)?".into(), YearRel),
        (r"\b(?i:(?:(early|mid|late)[- ])?(this|next|last) month)\b".into(), MonthRel),
        (format!(r"\b{M} {D} ?(?:–|—|-) ?([0-9]{{1,2}})\b(?:,? {Y})?"), DayRange),
        (format!(r"\b([0-9]{{1,2}}) ?(?:–|—|-) ?{D} {M}(?:,? {Y})?"), DayRangeDayFirst),
        (format!(r"\b(?i:from|between) (?:{WD},? )?{M} {D}(?:,? {Y})? {TO} (?:{WD},? )?{M} {D}(?:,? {Y})?"), DaySpan),
        (format!(r"\b(?i:from|between) {PART}{M}(?:,? {Y})? {TO} {PART}{M}(?:,? {Y})?"), MonthSpan),
        (format!(r"\b(?i:over|in|during|across|between|through) {M}(?:,? {Y})? (?i:and|or) {M}(?:,? {Y})?"), MonthPair),
        (r"\b(?:(?i:between|from) )?((?:19|20)[0-9]{2}) ?(?:–|—|-|(?i:to|through|and)) ?((?:19|20)[0-9]{2})\b".into(), YearSpan),
        (format!(r"\b(?i:each of|both|in|during|for) {Y}(?:, (?:19|20)[0-9]{{2}})*,? (?i:and|or) {Y}"), YearList),
        (format!(r"\b(?i:the (next|following|coming|past|last|previous) {N} (year|month)s)\b"), NextYears),
        (format!(r"\b(?i:the (first|last|final) {N} months of) (?:{Y}|(?i:(this|next|last) year))"), MonthsOf),
        (format!(r"\b(?:(?i:(on|last|next|this|coming)) )?{WD} (?i:and|or|to|through|-|–) {WD}"), WeekdayPair),
        (format!(r"\b(?i:(by|before|until|till|through|at|around|toward|towards|near) (?:the )?end of (?:(?:(the|this|next|last) year)|{Y}))"), EndOfYear),
        (format!(r"\b(?:(?i:(on|last|next|this|since|until|till|by|from|before|after|every|each|coming)) )?{WD}"), Weekday),
        (r"\b(?i:(yesterday|today|tomorrow))\b".into(), DayWord),
        (r"\b(?i:([0-9]{1,3}|a|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve) (day|week|month|year)s? ago)\b".into(), Ago),
        (format!(r"\b{N} (?i:(day|week)s? (later|earlier|before|after))\b(?: {M} {D}(?:,? {Y})?)?"), Offset),
        (format!(r"\b(?i:the (?:(same|next|following|previous) (?:day|date)|day (before|after)))\b(?: {M} {D}(?:,? {Y})?)?"), SameDay),
        (r"\b(?i:(this|next|last) week)\b".into(), Week),
        (r"\b(?i:(?:at|over|during|on) (the|this|last|next) weekend|(this|last|next) weekend)\b".into(), Weekend),
    ]
}

/// Every pattern, compiled, with its class.
pub(super) static PATTERNS: LazyLock<Vec<(Regex, Kind)>> = LazyLock::new(|| {
    patterns()
        .into_iter()
        .map(|(s, k)| {
            // ASCII mode: Unicode classes and case folding cost milliseconds
            // to compile, and every pattern here is English text and digits.
            #[allow(clippy::unwrap_used)] // constant patterns, covered by the tests
            let re = RegexBuilder::new(&s).unicode(false).build().unwrap();
            (re, k)
        })
        .collect()
});

/// All of `PATTERNS` as one set: most sentences hold no date, and one pass
/// of a set's DFA tells which patterns are worth running for captures.
pub(super) static ANY: LazyLock<RegexSet> = LazyLock::new(|| {
    #[allow(clippy::unwrap_used)] // the same patterns, already compiled once
    RegexSetBuilder::new(PATTERNS.iter().map(|(re, _)| re.as_str()))
        .unicode(false)
        // The default lazy-DFA cache is too small for 33 patterns and is
        // cleared over and over: with room for 8 MB of states, one pass over
        // 125,000 lines takes 0.45 s instead of 1 s.
        .dfa_size_limit(8 << 20)
        .build()
        .unwrap()
});

pub(super) fn ascii(pattern: &str) -> Regex {
    #[allow(clippy::unwrap_used)] // constant patterns, covered by the tests
    RegexBuilder::new(pattern).unicode(false).build().unwrap()
}

/// Words that put a clause in the future: "will", "is set to", "plans to
/// visit", "would travel" (reported future).
pub(super) static FUTURE: LazyLock<Regex> = LazyLock::new(|| {
    ascii(
        r"(?i)\b(will|shall|would|going to|is to|are to|set to|set for|due to|due in|scheduled|upcoming|plans?|planned|planning|expects?|expected|next|invit(?:ed|es|ation)|to (?:visit|travel|meet|hold|make|take|begin|start|resume|expire|lapse|end|come|go|sign))\b|(?:'|’)ll\b",
    )
});

/// Past-tense verbs: regular ones and the common irregular ones of news copy.
static PAST: LazyLock<Regex> = LazyLock::new(|| {
    ascii(
        r"(?i)\b([a-z]+ed|said|met|told|took|went|was|were|had|made|gave|held|came|saw|began|spoke|rose|fell|left|sent|won|did|struck|bought|sold|put|set out)\b",
    )
});

/// Verbs that report speech: what follows them is a clause of its own.
static REPORT: LazyLock<Regex> = LazyLock::new(|| {
    ascii(
        r"(?i)\b(said|says|say|told|tells|announced|added|noted|reported|stated|confirmed|according to)\b",
    )
});

/// Words that open a clause of its own ("… when they meet Thursday").
static SUBORDINATE: LazyLock<Regex> =
    LazyLock::new(|| ascii(r"(?i)\b(when|where|while|who|which|because|although|whereas)\b"));

/// Words that open a condition: a date inside one is hypothetical.
static CONDITION: LazyLock<Regex> = LazyLock::new(|| ascii(r"(?i)\b(if|unless|in case)\b"));

/// Lines that describe the article rather than report an event: "Posted
/// Thursday, November 20, 2025", "This article first appeared in …", an
/// issue or related-post line "Sept. 4, 2025 | Headline".
static META: LazyLock<Regex> = LazyLock::new(|| {
    ascii(
        r"(?i)^[ \t*>(\[-]*(posted|published|updated|last updated|issued|filed|first published|dateline|correction)\b|\b(first|originally) (appeared|published|ran)\b| (?:\||·|•) ",
    )
});

/// Function words after "Jan 26": a date goes on into the sentence with one
/// of these, while a futures contract month names its commodity ("Jan 26
/// soybeans").
const AFTER_DATE: [&str; 24] = [
    "the", "a", "an", "and", "or", "to", "at", "in", "on", "of", "for", "from", "by", "with",
    "when", "that", "as", "is", "was", "will", "through", "until", "after", "before",
];

/// Whether the sentence is a meta line (byline, dateline, credit, list of
/// headlines): its dates are the article's, not events.
pub(super) fn is_meta(text: &str, dates: &[Range<usize>]) -> bool {
    if META.is_match(text) {
        return true;
    }
    // A line that is little more than a date is a dateline.
    let mut rest = String::with_capacity(text.len());
    let mut at = 0;
    for r in dates {
        rest.push_str(text.get(at..r.start).unwrap_or(""));
        rest.push(' ');
        at = r.end.max(at);
    }
    rest.push_str(text.get(at..).unwrap_or(""));
    // Prose has lowercase words; "Tuesday, 3 March 2026, 10:05 AM EST" and
    // "By Jane Roe" do not.
    let prose = rest
        .split(|c: char| !c.is_alphabetic())
        .any(|w| w.len() > 1 && w.starts_with(char::is_lowercase) && !is_clock_word(w));
    !dates.is_empty() && !prose
}

fn is_clock_word(w: &str) -> bool {
    matches!(
        w.to_ascii_lowercase().as_str(),
        "am" | "pm" | "gmt" | "utc" | "et" | "est" | "edt" | "pt" | "pst" | "bst" | "cet"
    )
}

/// Whether a match is not a date at all: part of a clock time ("13:01"), a
/// recurring day ("every Monday"), a futures contract month ("Jan 26
/// soybeans"), a comparison ("a day earlier than promised"), or inside a
/// condition ("if talks fail in 2027").
pub(super) fn not_a_date(text: &str, at: &Range<usize>, kind: Kind) -> bool {
    let (before, after) = around(text, at);
    let phrase = text.get(at.clone()).unwrap_or("");
    let lower_before = before.to_ascii_lowercase();
    clock_time(before, phrase, after)
        || lower_before.ends_with("every ")
        || lower_before.ends_with("each ")
        || (kind == Kind::Weekday && {
            let p = phrase.to_ascii_lowercase();
            p.starts_with("every ") || p.starts_with("each ")
        })
        || (kind == Kind::MonthDay && futures_month(phrase, after))
        || (kind == Kind::Offset && after.trim_start().starts_with("than"))
        || (kind == Kind::DayWord && writer_today(&lower_before))
        || conditional(before)
}

/// "That's it for today", "lots to get through today": the writer's own
/// day, not an event's.
fn writer_today(before: &str) -> bool {
    ["for ", "through ", "until ", "till "]
        .iter()
        .any(|p| before.ends_with(p))
}

fn clock_time(before: &str, phrase: &str, after: &str) -> bool {
    let digit_first = phrase.starts_with(|c: char| c.is_ascii_digit());
    let glued_before = before.ends_with([':', '.', ',', '/']) || before.ends_with(char::is_numeric);
    let glued_after =
        after.starts_with(':') && after[1..].starts_with(|c: char| c.is_ascii_digit());
    (digit_first && glued_before) || (phrase.ends_with(char::is_numeric) && glued_after)
}

fn futures_month(phrase: &str, after: &str) -> bool {
    let month_abbr = phrase.split(' ').next().is_some_and(|m| m.len() == 3);
    let next = after.split_whitespace().next().unwrap_or("");
    month_abbr
        && after.starts_with(char::is_whitespace)
        && next.starts_with(|c: char| c.is_ascii_lowercase())
        && !AFTER_DATE.contains(&next.trim_end_matches([',', '.', ';']))
}

/// Whether a phrase that ends in a month name is only the start of a day
/// ("for October 24–27", "by Nov. 10"): the day's own pattern takes it.
pub(super) fn cut_short(text: &str, at: &Range<usize>) -> bool {
    let phrase = text.get(at.clone()).unwrap_or("");
    let after = text.get(at.end..).unwrap_or("");
    let Some(next) = after.strip_prefix(' ') else {
        return false;
    };
    let word = next
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
        .next()
        .unwrap_or("");
    let day = (1..=2).contains(&word.len()) && word.bytes().all(|b| b.is_ascii_digit());
    let ordinal = super::calendar::ordinal_day(word).is_some();
    phrase.ends_with(|c: char| c.is_ascii_alphabetic() || c == '.') && (day || ordinal)
}

/// Whether the clause the phrase stands in opens with a condition.
fn conditional(before: &str) -> bool {
    // Most text has no condition word at all: only then find the clause.
    CONDITION.is_match(before) && CONDITION.is_match(&before[clause_start(before)..])
}

fn clause_start(before: &str) -> usize {
    let punct = before
        .rfind([',', ';', ':', '(', ')', '—', '–'])
        .map_or(0, |i| {
            i + before[i..].chars().next().map_or(1, char::len_utf8)
        });
    let word = SUBORDINATE.find_iter(before).last().map_or(0, |m| m.end());
    punct.max(word)
}

fn clause_end(after: &str) -> usize {
    after
        .find([',', ';', ':', '(', ')', '—', '–'])
        .unwrap_or(after.len())
}

/// What a clause says about when: the future ("will", "is set to"), the
/// past ("announced", "said"), or nothing ("the leaders meet Thursday").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Tense {
    Past,
    Future,
    Unknown,
}

/// The tense of the clause `at` stands in. The words before the phrase
/// decide first; a phrase right after a reporting verb ("said on Monday")
/// dates the report; otherwise the first marker after it, in its clause or
/// the next ("In April, he will …", "On Friday, the ministry said …").
/// `sentence_future` says whether the sentence has a future marker
/// anywhere: a clause with no marker of its own ("When he lands in Beijing
/// in April, the pictures will be …") follows the sentence. The caller
/// computes it once per sentence.
pub(super) fn tense(text: &str, at: &Range<usize>, sentence_future: impl Fn() -> bool) -> Tense {
    match clause_tense(text, at) {
        Tense::Unknown if sentence_future() => Tense::Future,
        t => t,
    }
}

/// Whether the sentence has a future marker anywhere.
pub(super) fn future_anywhere(text: &str) -> bool {
    FUTURE.is_match(text)
}

/// The text before and after a phrase, at most `WINDOW` bytes each way: a
/// clause is never longer, and a run-on sentence with a date every few
/// words must stay linear.
fn around<'t>(text: &'t str, at: &Range<usize>) -> (&'t str, &'t str) {
    const WINDOW: usize = 300;
    let mut start = at.start.saturating_sub(WINDOW);
    while !text.is_char_boundary(start) {
        start += 1;
    }
    let mut end = (at.end + WINDOW).min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    (
        text.get(start..at.start).unwrap_or(""),
        text.get(at.end..end).unwrap_or(""),
    )
}

fn clause_tense(text: &str, at: &Range<usize>) -> Tense {
    let (before, after) = around(text, at);
    let mut head = &before[clause_start(before)..];
    if let Some(m) = REPORT.find_iter(head).last() {
        // "said on Monday", "announced on 4 April": the phrase dates the report.
        if head[m.end()..].split_whitespace().count() <= 1 {
            return Tense::Past;
        }
        head = &head[m.end()..];
    }
    if FUTURE.is_match(head) {
        return Tense::Future;
    }
    if PAST.is_match(head) {
        return Tense::Past;
    }
    // With no marker before it, the phrase takes the first one after it,
    // in its own clause or the next ("Speaking on Sunday, he said …").
    let mut end = clause_end(after);
    if let Some(c) = after[end..].chars().next() {
        end += c.len_utf8();
        end += clause_end(&after[end..]);
    }
    let tail = &after[..end];
    let past = [PAST.find(tail), REPORT.find(tail)]
        .into_iter()
        .flatten()
        .map(|m| m.start())
        .min();
    match (FUTURE.find(tail), past) {
        (Some(f), Some(p)) if p < f.start() => Tense::Past,
        (Some(_), _) => Tense::Future,
        (None, Some(_)) => Tense::Past,
        (None, None) => Tense::Unknown,
    }
}

pub(super) fn warm_up() {
    LazyLock::force(&PATTERNS);
    LazyLock::force(&ANY);
    LazyLock::force(&FUTURE);
    LazyLock::force(&CONDITION);
    LazyLock::force(&super::speculation::SPECULATION);
    LazyLock::force(&PAST);
    LazyLock::force(&SUBORDINATE);
    LazyLock::force(&REPORT);
    LazyLock::force(&META);
}
