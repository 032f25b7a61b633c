//! Dropping what is not the article: site chrome around and inside it.
//!
//! A classifier, not a phrase list. Each line is judged on its own features
//! (`features.rs`: length, function-word density, sentence ends, separators,
//! widget and form vocabulary, stamps, credits, contact shapes), then on its
//! neighbours and position (`context.rs`: jusText's smoothing, with the file's
//! edges counting as chrome), and on repetition within the file and across
//! all seeds (`recur.rs`). A few block rules cover what a line cannot show
//! alone: an "About …" or disclosures block at the end, a sponsored block,
//! an author bio naming the byline's author. `sources.toml` patterns apply
//! first. Every dropped line is recorded with the reason that decided it, so
//! the source page says what was removed and a wrong call is easy to spot.

mod blocks;
mod context;
mod features;
mod lexicon;
mod recur;
mod words;

use crate::hash::{HashMap, HashSet};
use std::sync::LazyLock;

use regex::Regex;

pub use features::{Class, chrome_reason, classify, ends_sentence, words};
pub use recur::{Recurring, line_keys};

/// A line the ingester removed, and why.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Dropped {
    pub line: usize,
    pub text: String,
    pub reason: std::borrow::Cow<'static, str>,
}

static SUMMARY_HEADER: LazyLock<Regex> = LazyLock::new(|| {
    #[allow(clippy::unwrap_used)] // constant pattern
    Regex::new(r"(?i)^.{0,30}(summary|key takeaways|tl;dr)$").unwrap()
});

/// Widgets, credits and bylines are short; a longer line is article text,
/// and skipping the features there keeps a 50 MB seed from costing seconds.
const LONGEST_BOILERPLATE: usize = 600;

/// A line recurring in this many seeds is chrome (when it is short and no sentence).
const RECURS_IN: u32 = 2;

/// Of a text's [`line_keys`], those that count as recurring: what the
/// text's cleaning depends on of the other seeds.
pub fn recurring_keys<'k>(
    keys: &'k [u64],
    recurring: &'k Recurring,
) -> impl Iterator<Item = u64> + 'k {
    recurring.among(keys, RECURS_IN)
}

/// What the whole-file passes decided before the line classifier runs.
fn fixed_reasons(
    lines: &[(usize, String)],
    title: Option<&str>,
    extra: &[Regex],
    recurring: &Recurring,
) -> Vec<Option<&'static str>> {
    let mut in_file: HashMap<String, u32> = HashMap::default();
    for (_, t) in lines {
        if let Some(k) = recur::key(t) {
            *in_file.entry(k).or_default() += 1;
        }
    }
    // Counting letters is cheap and rules out almost every line before the
    // normalised comparison, which allocates.
    let title = title.map(|t| (normalise_words(t), alphanumerics(t)));
    let mut in_summary = false;
    // A recurring section heading ("Key dates") that leads into prose is a
    // heading the publisher always uses, not chrome.
    let leads_prose = |i: usize| {
        looks_like_heading(&lines[i].1)
            && lines
                .get(i + 1)
                .is_some_and(|(_, n)| matches!(classify(n), Class::Good | Class::NearGood))
    };
    lines
        .iter()
        .enumerate()
        .map(|(i, (_, text))| {
            let is_bullet =
                text.starts_with(['-', '•', '*', '▪']) && text.chars().nth(1) == Some(' ');
            in_summary &= is_bullet;
            if title
                .as_ref()
                .is_some_and(|(t, n)| alphanumerics(text) == *n && *t == normalise_words(text))
            {
                Some("headline")
            } else if extra.iter().any(|re| re.is_match(text)) {
                Some("source rule")
            } else if text.len() <= LONGEST_BOILERPLATE && SUMMARY_HEADER.is_match(text) {
                in_summary = true;
                Some("summary widget")
            } else if in_summary {
                Some("summary widget")
            } else if recur::key(text).is_some_and(|k| in_file[&k] >= 2) {
                Some("repeated label (the same short line recurs in this article)")
            } else if recurring.files(text) >= RECURS_IN && !leads_prose(i) {
                Some("recurs in other articles (site chrome)")
            } else {
                None
            }
        })
        .collect()
}

/// Keep the article's lines, drop the rest. `lines` are `(line number, text)`
/// with blank lines already removed (a gap in the numbers is a blank line);
/// `title` is the headline, dropped wherever it stands; `extra` are the
/// source's own patterns; `recurring` counts lines across all seeds.
pub fn filter(
    lines: Vec<(usize, String)>,
    title: Option<&str>,
    extra: &[Regex],
    recurring: &Recurring,
) -> (Vec<(usize, String)>, Vec<Dropped>) {
    let fixed = fixed_reasons(&lines, title, extra, recurring);
    let mut cf: Vec<Class> = lines
        .iter()
        .zip(&fixed)
        .map(|((_, text), f)| match f {
            Some(r) => Class::Bad(r),
            None if text.len() > LONGEST_BOILERPLATE => Class::Good,
            None => classify(text),
        })
        .collect();
    blocks::mark(&lines, &mut cf);
    let heading_like: Vec<bool> = lines.iter().map(|(_, t)| looks_like_heading(t)).collect();
    let reasons = context::smooth(&cf, &heading_like);
    let mut kept = Vec::new();
    let mut dropped = Vec::new();
    let mut seen: HashSet<String> = HashSet::default();
    for ((line, text), reason) in lines.into_iter().zip(reasons) {
        let reason = reason.or_else(|| seen.contains(&text).then_some("repeated paragraph"));
        match reason {
            Some(reason) => dropped.push(Dropped {
                line,
                text,
                reason: reason.into(),
            }),
            None => {
                seen.insert(text.clone());
                kept.push((line, text));
            }
        }
    }
    (kept, dropped)
}

/// Headlines stand near the top of the page.
const HEADLINE_WINDOW: usize = 15;

/// The headline of an article with no title in `sources.toml`: among the
/// first lines, one that reads like a headline (4 to 20 words, not all
/// capitals, under 30% site vocabulary, not chrome by its features), preferring the
/// first above the byline or date stamp, where headlines stand; a masthead,
/// a section kicker or a consent banner above it is skipped.
pub fn headline(text: &str) -> Option<&str> {
    let top: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .take(HEADLINE_WINDOW)
        .collect();
    let stamp = top.iter().position(|l| {
        chrome_reason(l, &words(l)).is_some_and(|r| r == "byline" || r == "date or time stamp")
    });
    let candidates: Vec<usize> = (0..top.len())
        .filter(|&i| reads_like_headline(top[i]))
        .collect();
    let before = candidates.iter().find(|&&i| stamp.is_none_or(|s| i < s));
    before.or(candidates.first()).map(|&i| top[i])
}

fn reads_like_headline(line: &str) -> bool {
    let w = words(line);
    let letters = line.chars().filter(|c| c.is_alphabetic());
    let all_caps = letters.clone().all(char::is_uppercase);
    // "Cookies on Northgate News" is about the site; "… ready to sign off" is not.
    let site_words = w.iter().filter(|t| lexicon::SITE.contains(t)).count();
    let content = w.iter().filter(|t| !lexicon::STOP.contains(t)).count();
    // A line ending in a full stop is a sentence, not a headline.
    !line.ends_with('.')
        && (4..=20).contains(&w.len())
        && !all_caps
        && site_words * 10 < content.max(1) * 3
        && chrome_reason(line, &w).is_none()
}

/// Short, capitalised and unpunctuated (or a question): a subhead's shape.
pub fn looks_like_heading(text: &str) -> bool {
    let n = text.split_whitespace().count();
    let first = text
        .trim_start_matches(|c: char| !c.is_alphanumeric())
        .chars()
        .next();
    n > 0
        && n <= 12
        && first.is_some_and(|c| c.is_uppercase() || c.is_ascii_digit())
        && (!ends_sentence(text) || text.trim_end().ends_with('?'))
}

fn alphanumerics(s: &str) -> usize {
    s.chars().filter(|c| c.is_alphanumeric()).count()
}

/// A line's letters and digits, lower-cased, one space between words: two
/// lines with the same words compare equal whatever their punctuation.
fn normalise_words(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric() || c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests;
