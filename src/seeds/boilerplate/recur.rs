//! Lines that recur across articles: the corpus-level feature.
//!
//! A menu item, a share button or a publisher's tag line shows up in every
//! article scraped from that site, while an article's own sentences do not.
//! Counting, over all seeds, in how many files each short non-sentence line
//! occurs needs every file read first, so `ingest` makes this pass before it
//! cleans files one by one.

use crate::hash::{HashMap, HashSet};

use rayon::prelude::*;

use super::features::{ends_sentence, words};

/// Lines longer than this are never counted: text this long is prose.
const MAX_WORDS: usize = 8;

/// In how many files each short, non-sentence line occurs.
#[derive(Debug, Default, Clone)]
pub struct Recurring {
    files: HashMap<String, u32>,
}

/// The key a line is counted under: its words, lower-cased.
pub(super) fn key(line: &str) -> Option<String> {
    // Most article lines end a sentence: asking that first spares their words.
    if ends_sentence(line) {
        return None;
    }
    let w = words(line);
    (!w.is_empty() && w.len() <= MAX_WORDS).then(|| w.join(" "))
}

impl Recurring {
    /// Count the lines of every text, each line once per text.
    pub fn count(texts: &[&str]) -> Self {
        // Each text's keys in parallel; the merge is cheap next to them.
        let per_text: Vec<HashSet<String>> = texts
            .par_iter()
            .map(|text| text.lines().filter_map(key).collect())
            .collect();
        let mut files: HashMap<String, u32> = HashMap::default();
        for k in per_text.into_iter().flatten() {
            *files.entry(k).or_default() += 1;
        }
        Self { files }
    }

    /// How many files hold this line (0 when it is not a countable line).
    pub fn files(&self, line: &str) -> u32 {
        key(line)
            .and_then(|k| self.files.get(&k).copied())
            .unwrap_or(0)
    }
}
