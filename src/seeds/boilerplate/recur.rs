//! Lines that recur across articles: the corpus-level feature.
//!
//! A menu item, a share button or a publisher's tag line shows up in every
//! article scraped from that site, while an article's own sentences do not.
//! Counting, over all seeds, in how many files each short non-sentence line
//! occurs needs every file read first, so `ingest` makes this pass before it
//! cleans files one by one.

use crate::hash::HashMap;

use rayon::prelude::*;

use super::features::{ends_sentence, words};

/// Lines longer than this are never counted: text this long is prose.
const MAX_WORDS: usize = 8;

/// In how many files each short, non-sentence line occurs, by the hash of
/// its key: a seed's keys are hashed once, when it is read, and counted as
/// numbers on every build after.
#[derive(Debug, Default, Clone)]
pub struct Recurring {
    files: HashMap<u64, u32>,
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

fn hashed(key: &str) -> u64 {
    // Truncated: 64 bits are plenty for the lines of any corpus.
    crate::cache::content_hash(key.as_bytes()) as u64
}

/// The distinct countable lines of `text`, hashed, in order.
pub fn line_keys(text: &str) -> Vec<u64> {
    let mut keys: Vec<u64> = text.lines().filter_map(key).map(|k| hashed(&k)).collect();
    keys.sort_unstable();
    keys.dedup();
    keys
}

impl Recurring {
    /// Count the lines of every text, each line once per text.
    pub fn count(texts: &[&str]) -> Self {
        let keys: Vec<Vec<u64>> = texts.par_iter().map(|t| line_keys(t)).collect();
        Self::count_keys(keys.iter().map(Vec::as_slice))
    }

    /// Count texts' [`line_keys`].
    pub fn count_keys<'k>(texts: impl Iterator<Item = &'k [u64]>) -> Self {
        let mut files: HashMap<u64, u32> = HashMap::default();
        for k in texts.flatten() {
            *files.entry(*k).or_default() += 1;
        }
        Self { files }
    }

    /// How many files hold this line (0 when it is not a countable line).
    pub fn files(&self, line: &str) -> u32 {
        key(line)
            .and_then(|k| self.files.get(&hashed(&k)).copied())
            .unwrap_or(0)
    }

    /// Of a text's [`line_keys`], those in at least `files` files: all that
    /// cleaning that text asks of the count.
    pub fn among(&self, keys: &[u64], files: u32) -> impl Iterator<Item = u64> {
        keys.iter()
            .copied()
            .filter(move |k| self.files.get(k).is_some_and(|&n| n >= files))
    }
}
