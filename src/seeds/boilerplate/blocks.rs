//! Chrome a single line cannot show: blocks opened by a marker line.
//!
//! A sponsored block reads as prose ("Lock in basis … get three months
//! free."), a publisher's "About" paragraph and a disclosures paragraph read
//! as prose, and an author's bio reads as a sentence about a person. What
//! gives them away is the line that opens them (a sponsor marker, an
//! "About …" or "Disclosures" heading) or, for a bio, that it names the
//! byline's author.

use super::features::{Class, byline_name, classify, ends_sentence, words};
use super::lexicon;

/// An ad ends within this many lines of its marker, or it is just the marker.
const AD_SPAN: usize = 8;
/// An "About" or disclosures block at the end is at most this many lines.
const ABOUT_SPAN: usize = 8;

/// Mark block chrome in `cf` (lines as in `filter`).
pub fn mark(lines: &[(usize, String)], cf: &mut [Class]) {
    wrapped_prose(lines, cf);
    sentence_lists(lines, cf);
    ad_blocks(lines, cf);
    about_blocks(lines, cf);
    author_bios(lines, cf);
}

/// No marker is longer than this: five words of at most thirteen letters.
const LONGEST_AD_MARKER: usize = 100;

fn is_ad_marker(text: &str) -> bool {
    if text.len() > LONGEST_AD_MARKER {
        return false;
    }
    let w = words(text);
    const MARKERS: [&str; 9] = [
        "sponsored",
        "sponsor",
        "advertisement",
        "advertising",
        "promoted",
        "promotion",
        "partner",
        "paid",
        "ad",
    ];
    let markers = MARKERS;
    w.len() <= 5
        && w.iter().any(|t| markers.contains(&t.as_str()))
        && w.iter().all(|t| {
            markers.contains(&t.as_str())
                || matches!(
                    t.as_str(),
                    "end" | "content" | "the" | "post" | "message" | "from" | "our" | "by"
                )
        })
}

fn ad_blocks(lines: &[(usize, String)], cf: &mut [Class]) {
    let mut i = 0;
    while i < lines.len() {
        if !is_ad_marker(&lines[i].1) {
            i += 1;
            continue;
        }
        cf[i] = Class::Bad("advertisement marker");
        let end = (i + 1..lines.len().min(i + AD_SPAN + 1))
            .find(|&j| is_ad_marker(&lines[j].1) && words(&lines[j].1).iter().any(|t| t == "end"));
        if let Some(end) = end {
            for c in &mut cf[i + 1..=end] {
                *c = Class::Bad("inside a sponsored block");
            }
            i = end;
        }
        i += 1;
    }
}

fn is_block_head(text: &str) -> bool {
    if super::ends_sentence(text) {
        return false;
    }
    let w = words(text);
    if w.is_empty() || w.len() > 5 {
        return false;
    }
    let joined = w.join(" ");
    let about_a_name = w[0] == "about"
        && text
            .split_whitespace()
            .skip(1)
            .all(|t| t.starts_with(char::is_uppercase));
    lexicon::BLOCK_HEADS.contains(&joined) || about_a_name
}

fn about_blocks(lines: &[(usize, String)], cf: &mut [Class]) {
    for i in 0..lines.len() {
        if !is_block_head(&lines[i].1) {
            continue;
        }
        // The block runs to the next blank line (a gap in line numbers).
        let mut end = i;
        while end + 1 < lines.len() && lines[end + 1].0 == lines[end].0 + 1 {
            end += 1;
        }
        let trailing = !cf[end + 1..].contains(&Class::Good);
        if trailing && end - i <= ABOUT_SPAN {
            cf[i] = Class::Bad("heading of an About or disclosures block");
            for c in &mut cf[i + 1..=end] {
                *c = Class::Bad("inside an About or disclosures block");
            }
        }
    }
}

fn author_bios(lines: &[(usize, String)], cf: &mut [Class]) {
    let names: Vec<String> = lines
        .iter()
        .filter_map(|(_, t)| byline_name(t))
        .filter(|n| n.split_whitespace().count() >= 2)
        .collect();
    for (i, (_, text)) in lines.iter().enumerate() {
        let bio = names.iter().any(|n| {
            text.strip_prefix(n.as_str()).is_some_and(|rest| {
                [" is ", " was ", " has ", ", "]
                    .iter()
                    .any(|p| rest.starts_with(p))
            })
        });
        if bio {
            cf[i] = Class::Bad("author bio (names the byline's author)");
        }
    }
}

/// A wrapped line this long that does not end a sentence goes on in the next.
const WRAPPED_WIDTH: usize = 60;

/// Whether the paragraph at `line` goes on in `next`: hard-wrapped text (a
/// PDF's lines of 60 to 80 characters) or a line cut before lower case.
fn goes_on(line: &str, next: &str) -> bool {
    !ends_sentence(line)
        && (line.chars().count() >= WRAPPED_WIDTH || next.starts_with(char::is_lowercase))
}

/// Hard-wrapped prose is judged as the paragraph it is, not line by line:
/// no 75-character line of a PDF is long enough to count as prose alone.
fn wrapped_prose(lines: &[(usize, String)], cf: &mut [Class]) {
    let mut start = 0;
    while start < lines.len() {
        let mut end = start;
        while end + 1 < lines.len()
            && !matches!(cf[end + 1], Class::Bad(_))
            && !matches!(cf[end], Class::Bad(_))
            && goes_on(&lines[end].1, &lines[end + 1].1)
        {
            end += 1;
        }
        if end > start {
            let joined: Vec<&str> = lines[start..=end].iter().map(|(_, t)| t.as_str()).collect();
            if classify(&joined.join(" ")) == Class::Good {
                for c in &mut cf[start..=end] {
                    *c = Class::Good;
                }
            }
        }
        start = end + 1;
    }
}

/// A list of sentences is at least this many items and characters.
const LIST_ITEMS: usize = 3;
const LIST_CHARS: usize = 200;

/// A run of short full sentences ("- Oct. 9: The ministry announces …",
/// one per line) is prose as a whole, as a wrapped paragraph is; menus and
/// link lists do not end their items with full stops.
fn sentence_lists(lines: &[(usize, String)], cf: &mut [Class]) {
    let mut i = 0;
    while i < cf.len() {
        let run = cf[i..]
            .iter()
            .take_while(|c| **c == Class::NearGood)
            .count();
        let chars: usize = lines[i..i + run].iter().map(|(_, t)| t.len()).sum();
        if run >= LIST_ITEMS && chars >= LIST_CHARS {
            for c in &mut cf[i..i + run] {
                *c = Class::Good;
            }
        }
        i += run.max(1);
    }
}
