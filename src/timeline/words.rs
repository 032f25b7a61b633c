//! Words for telling happenings apart: the content words of each sentence,
//! hashed, and the vocabulary too common in this corpus to tell anything.

use std::hash::{BuildHasherDefault, Hash, Hasher};

use rayon::prelude::*;

use crate::cache::{Cache, KeyHasher};
use crate::hash::{HashMap, HashSet};
use crate::refs::SentenceRef;
use crate::seeds::{Corpus, Source};

/// A set of content words, each kept as a 64-bit hash of the word: merging
/// 84,000 dated sentences at 10,000 articles is set arithmetic on these, and
/// hashing every word once beats rehashing strings at every comparison.
pub(super) type WordSet = std::collections::HashSet<u64, BuildHasherDefault<Prehashed>>;

/// A `Hasher` for keys that already are hashes.
#[derive(Default)]
pub(super) struct Prehashed(u64);

impl Hasher for Prehashed {
    fn finish(&self) -> u64 {
        self.0
    }
    // Only u64 keys go in; anything else still hashes, just not as fast.
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// A fixed-key 64-bit hash of a word.
fn hash_str(text: &str) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    text.hash(&mut h);
    h.finish()
}

/// Words too common in this corpus to tell one happening from another: the
/// names every article repeats (its protagonists and places). Derived from
/// the corpus, not listed, so the generator knows nothing of any explainer.
pub(super) struct Vocabulary {
    common: HashSet<u64>,
}

/// A word in at least this share of all body sentences is common.
const COMMON_SHARE: f64 = 0.12;
/// Below this many sentences a share says nothing; nothing is common.
const COMMON_MIN_SENTENCES: usize = 50;

/// The content words of every body sentence, hashed, sorted and unique:
/// `[source][paragraph][sentence]` (a subhead's paragraph is empty).
/// Words are the clustering's largest cost, and a function of the source
/// alone, so each source's come from the cache when it is unchanged.
pub(super) struct Words(Vec<std::sync::Arc<Vec<Vec<Vec<u64>>>>>);

impl Words {
    pub(super) fn of(corpus: &Corpus, cache: &Cache) -> Self {
        Self(
            corpus
                .sources
                .par_iter()
                .map(|s| cache.shared(words_key(s), || source_words(s)))
                .collect(),
        )
    }

    pub(super) fn of_sentence(&self, r: SentenceRef) -> &[u64] {
        self.0
            .get(r.source())
            .and_then(|s| s.get(r.paragraph as usize))
            .and_then(|p| p.get(r.sentence as usize))
            .map_or(&[], Vec::as_slice)
    }
}

fn words_key(s: &Source) -> crate::cache::Key {
    KeyHasher::new("sentence words").u128(s.key).finish()
}

/// Keep every source's words for the next build without reading them.
pub(super) fn touch(corpus: &Corpus, cache: &Cache) {
    for s in &corpus.sources {
        cache.touch(words_key(s));
    }
}

fn source_words(s: &Source) -> Vec<Vec<Vec<u64>>> {
    s.paragraphs
        .iter()
        .map(|p| {
            if p.heading {
                return Vec::new();
            }
            p.sentences
                .iter()
                .map(|x| {
                    let mut w: Vec<u64> =
                        content_words(&x.text).iter().map(|w| hash_str(w)).collect();
                    w.sort_unstable();
                    w.dedup();
                    w
                })
                .collect()
        })
        .collect()
}

impl Vocabulary {
    pub(super) fn of(words: &Words) -> Self {
        let per_source: Vec<(usize, HashMap<u64, usize>)> = words
            .0
            .par_iter()
            .map(|source| {
                let mut df: HashMap<u64, usize> = HashMap::default();
                let mut n = 0;
                for sentence in source.iter().flatten() {
                    n += 1;
                    for &w in sentence {
                        *df.entry(w).or_default() += 1;
                    }
                }
                (n, df)
            })
            .collect();
        let total: usize = per_source.iter().map(|(n, _)| n).sum();
        let mut df: HashMap<u64, usize> = HashMap::default();
        for (_, d) in per_source {
            for (w, n) in d {
                *df.entry(w).or_default() += n;
            }
        }
        let common = if total < COMMON_MIN_SENTENCES {
            HashSet::default()
        } else {
            df.into_iter()
                .filter(|&(_, n)| n as f64 >= COMMON_SHARE * total as f64)
                .map(|(w, _)| w)
                .collect()
        };
        Self { common }
    }

    /// The words of `sentence` that tell happenings apart.
    pub(super) fn telling(&self, sentence: &[u64]) -> WordSet {
        sentence
            .iter()
            .copied()
            .filter(|h| !self.common.contains(h))
            .collect()
    }

    pub(super) fn word_set(&self, text: &str) -> WordSet {
        content_words(text)
            .iter()
            .map(|w| hash_str(w))
            .filter(|h| !self.common.contains(h))
            .collect()
    }
}

const STOPWORDS: &[&str] = &[
    "the",
    "and",
    "with",
    "that",
    "for",
    "from",
    "this",
    "was",
    "were",
    "has",
    "have",
    "had",
    "are",
    "said",
    "will",
    "would",
    "their",
    "his",
    "her",
    "its",
    "they",
    "which",
    "into",
    "after",
    "before",
    "also",
    "both",
    "two",
    "than",
    "more",
    "such",
    "not",
    "but",
    "been",
    "being",
    "who",
    "what",
    "when",
    "where",
    "while",
    "about",
    "over",
    "under",
    "since",
    "last",
    "next",
    "year",
    "month",
    "week",
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "on",
    "in",
    "of",
    "to",
    "at",
    "by",
    "as",
];

/// Lower-cased words that say what a sentence is about.
pub fn content_words(text: &str) -> HashSet<String> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '%'))
        .map(str::to_lowercase)
        .filter(|w| {
            (w.len() >= 3 || w.chars().any(|c| c.is_ascii_digit()))
                && !STOPWORDS.contains(&w.as_str())
        })
        .map(|w| w.trim_end_matches('s').to_string())
        .collect()
}
