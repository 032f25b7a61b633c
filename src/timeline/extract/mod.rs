//! Finding dated events in source text.
//!
//! Every body sentence that states a date becomes a candidate, one per
//! date phrase, at the phrase's true precision. `grammar` holds the phrase
//! classes (explicit, partial, ranges, deadlines, relative) and the checks
//! that reject look-alikes (clock times, "every Monday", "if talks fail in
//! 2027", futures months, bylines and credits); `resolve`, `ranges` and
//! `relative` turn a phrase into dates.
//!
//! Relative phrases ("on Tuesday", "last week", "in April", "Nov. 4") are
//! resolved against the article's date or its editorial `reference_date`
//! and nothing else: a source with neither keeps them as undated phrases
//! for review, never as guesses on the timeline.

mod calendar;
mod grammar;
mod ranges;
mod relative;
mod resolve;
mod speculation;

use std::ops::Range;

use jiff::civil::Date;
use rayon::prelude::*;
use regex::Captures;

use crate::cache::{Cache, KeyHasher};
use crate::dates::{PartialDate, Precision};
use crate::refs::SentenceRef;
use crate::seeds::{Corpus, Ingested, Source};
use grammar::{ANY, Kind, PATTERNS};
use resolve::Ctx;
pub use resolve::SlashOrder;

/// A date stated in one sentence.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct Candidate {
    /// The sentence that states it.
    pub at: SentenceRef,
    pub date: PartialDate,
    pub end: Option<PartialDate>,
    /// "three weeks ago": a day computed from a rough span.
    pub approximate: bool,
    /// Where the date phrase stands in the sentence (bytes).
    pub phrase: Range<usize>,
}

/// A date phrase that cannot be placed: relative, with nothing to resolve
/// it against. Kept for a review queue; never on the timeline.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Undated {
    pub at: SentenceRef,
    pub phrase: String,
}

/// What extraction makes of a corpus.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct Extraction {
    pub dated: Vec<Candidate>,
    pub undated: Vec<Undated>,
}

/// A date phrase found in a text, resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub at: Range<usize>,
    pub date: PartialDate,
    pub end: Option<PartialDate>,
    pub approximate: bool,
}

/// What one text holds: dated phrases, undated ones, and the last day it
/// named (what "a day later" in the next sentence counts from).
#[derive(Debug, Clone, Default)]
pub struct Scan {
    pub dated: Vec<Found>,
    pub undated: Vec<Range<usize>>,
    pub last_day: Option<Date>,
}

/// What a text's phrases are resolved against.
#[derive(Debug, Clone, Copy, Default)]
pub struct Context<'a> {
    /// The article's date or editorial reference date.
    pub reference: Option<Date>,
    /// The day the text named last, before this text.
    pub anchor: Option<Date>,
    pub slash: SlashOrder,
    /// The years the whole article names: "Monday (November 24)" is a
    /// Monday in only one of the years around them.
    pub years: &'a [i16],
}

/// Compile the patterns now. The build calls this on a second thread at
/// start, so the few milliseconds it takes overlap with loading.
pub fn warm_up() {
    grammar::warm_up();
}

/// Every date phrase in `text`, left to right, resolved against `reference`.
/// Phrases that need a reference are skipped when there is none.
pub fn find(text: &str, reference: Option<Date>) -> Vec<Found> {
    let context = Context {
        reference,
        ..Context::default()
    };
    scan(text, &context).dated
}

/// Every date phrase in `text`: the ones `context` resolves, and the ones
/// it cannot.
pub fn scan(text: &str, context: &Context<'_>) -> Scan {
    let matches = phrases(text);
    let ranges: Vec<Range<usize>> = matches.iter().map(|m| m.0.clone()).collect();
    let mut out = Scan {
        last_day: context.anchor,
        ..Scan::default()
    };
    if matches.is_empty() || grammar::is_meta(text, &ranges) || speculation::speculative(text) {
        return out;
    }
    let mut ctx = Ctx::new(text, context);
    let mut taken = 0;
    for (range, kind, c) in matches {
        if range.start < taken {
            continue;
        }
        if grammar::cut_short(text, &range) {
            continue;
        }
        if grammar::not_a_date(text, &range, kind) {
            taken = range.end;
            continue;
        }
        ctx.at(range.clone(), out.last_day);
        match resolve::resolve(kind, &c, &ctx) {
            Some(r) => {
                taken = range.end;
                if r.date.precision() == Precision::Day {
                    out.last_day = Some(r.date.first_day());
                }
                // One sentence saying the same date twice states one date.
                if out.dated.iter().any(|f| (f.date, f.end) == (r.date, r.end)) {
                    continue;
                }
                out.dated.push(Found {
                    at: range,
                    date: r.date,
                    end: r.end,
                    approximate: r.approximate,
                });
            }
            None if ctx.needed_more() => {
                taken = range.end;
                out.undated.push(range);
            }
            None => {}
        }
    }
    out
}

/// Every match of every class, leftmost first; at one start, the longest.
fn phrases(text: &str) -> Vec<(Range<usize>, Kind, Captures<'_>)> {
    let mut matches = Vec::new();
    for i in ANY.matches(text).iter() {
        let (re, kind) = &PATTERNS[i];
        for c in re.captures_iter(text) {
            if let Some(m) = c.get(0) {
                matches.push((m.range(), *kind, c));
            }
        }
    }
    matches.sort_by(|a: &(Range<usize>, Kind, Captures<'_>), b| {
        a.0.start.cmp(&b.0.start).then(b.0.end.cmp(&a.0.end))
    });
    matches
}

/// The date relative phrases in `source` are resolved against: its own
/// date, else its editorial reference date. Never a date the text merely
/// mentions: the latest date in an article is as often a deadline as the
/// day it was written.
pub fn reference_date(source: &Source) -> Option<Date> {
    source.meta.date.or(source.meta.reference_date)
}

/// How `source` writes ambiguous slash dates, from the ones that are not.
pub fn slash_order(source: &Source) -> SlashOrder {
    let (mut month_first, mut day_first) = (false, false);
    for s in source.sentences() {
        for f in s.text.split_whitespace() {
            let parts: Vec<u32> = f
                .trim_matches(|c: char| !c.is_ascii_digit())
                .split('/')
                .filter_map(|p| p.parse().ok())
                .collect();
            if let [a, b, y] = parts[..] {
                month_first |= y > 1900 && a <= 12 && (13..=31).contains(&b);
                day_first |= y > 1900 && b <= 12 && (13..=31).contains(&a);
            }
        }
    }
    match (month_first, day_first) {
        (true, false) => SlashOrder::MonthFirst,
        (false, true) => SlashOrder::DayFirst,
        _ => SlashOrder::Unknown,
    }
}

/// Every date phrase of one source, in order.
fn extract_source(i: usize, source: &Source) -> Extraction {
    let years = resolve::years_in(source.sentences().map(|s| s.text.as_str()));
    let mut context = Context {
        reference: reference_date(source),
        anchor: None,
        slash: slash_order(source),
        years: &years,
    };
    let mut out = Extraction::default();
    for (at, text) in source.body(i) {
        let s = scan(text, &context);
        context.anchor = s.last_day;
        out.dated.extend(s.dated.into_iter().map(|f| Candidate {
            at,
            date: f.date,
            end: f.end,
            approximate: f.approximate,
            phrase: f.at,
        }));
        out.undated.extend(s.undated.into_iter().map(|r| Undated {
            at,
            phrase: text.get(r).unwrap_or("").to_string(),
        }));
    }
    out
}

/// Every dated sentence of every source, and the date phrases that could
/// not be placed.
pub fn extract(corpus: &Corpus) -> Extraction {
    extract_cached(corpus, &Cache::none())
}

/// [`extract_cached`] of the ingested corpus; in a process that builds
/// again, the last build's when the corpus did not change.
pub fn extract_kept(ingested: &Ingested, cache: &Cache) -> std::sync::Arc<Extraction> {
    let touch = |_: &Extraction| {
        for s in &ingested.corpus.sources {
            cache.touch(dates_key(s));
        }
    };
    cache.stage("dates", ingested.key, touch, || {
        extract_cached(&ingested.corpus, cache)
    })
}

/// All [`extract_source`] reads: the text, and the date it resolves against.
fn dates_key(source: &Source) -> crate::cache::Key {
    let mut key = KeyHasher::new("dates");
    key.u128(source.key);
    if let Some(d) = reference_date(source) {
        key.str(&d.to_string());
    }
    key.finish()
}

/// [`extract`], with each unchanged source's dates from `cache`.
pub fn extract_cached(corpus: &Corpus, cache: &Cache) -> Extraction {
    // Sources are independent; the result keeps corpus order.
    let per_source: Vec<Extraction> = corpus
        .sources
        .par_iter()
        .enumerate()
        .map(|(i, source)| {
            // Cached at position 0: the source may stand elsewhere now.
            let mut e =
                Extraction::clone(&cache.shared(dates_key(source), || extract_source(0, source)));
            let at = |r: &mut SentenceRef| {
                *r = SentenceRef::new(i, r.paragraph as usize, r.sentence as usize)
            };
            e.dated.iter_mut().for_each(|c| at(&mut c.at));
            e.undated.iter_mut().for_each(|u| at(&mut u.at));
            e
        })
        .collect();
    let mut all = Extraction::default();
    for e in per_source {
        all.dated.extend(e.dated);
        all.undated.extend(e.undated);
    }
    all
}

#[cfg(test)]
mod tests;
