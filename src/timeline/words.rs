//! Words for telling happenings apart: the content words of each sentence,
//! hashed, and the vocabulary too common in this corpus to tell anything.

use std::hash::{BuildHasherDefault, Hash, Hasher};

use rayon::prelude::*;

use std::sync::Arc;

use crate::cache::{Cache, Key, KeyHasher};
use crate::hash::{HashMap, HashSet, WordList};
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
    /// A hash of `common`: what a sentence's telling words rest on besides
    /// its own words.
    pub(super) key: Key,
}

/// A word in at least this share of all body sentences is common.
const COMMON_SHARE: f64 = 0.12;
/// Below this many sentences a share says nothing; nothing is common.
const COMMON_MIN_SENTENCES: usize = 50;

/// The content words of every body sentence, hashed, sorted and unique:
/// `[source][paragraph][sentence]` (a subhead's paragraph is empty).
/// Words are the clustering's largest cost, and a function of the source
/// alone, so each source's come from the cache when it is unchanged.
pub(super) struct Words {
    words: Vec<Arc<SourceWords>>,
    /// Per source, what its words were made from.
    keys: Vec<Key>,
}

/// One source's words, `[paragraph][sentence]`.
type SourceWords = Vec<Vec<Vec<u64>>>;

impl Words {
    pub(super) fn of(corpus: &Corpus, cache: &Cache) -> Self {
        let keys: Vec<Key> = corpus.sources.iter().map(|s| words_key(s)).collect();
        let words = corpus
            .sources
            .par_iter()
            .zip(&keys)
            .map(|(s, &key)| cache.shared(key, || source_words(s)))
            .collect();
        Self { words, keys }
    }

    /// What the words of the source at `source` were made from.
    pub(super) fn key_of(&self, source: usize) -> Key {
        self.keys.get(source).copied().unwrap_or_default()
    }

    pub(super) fn of_sentence(&self, r: SentenceRef) -> &[u64] {
        self.words
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

fn source_words(s: &Source) -> SourceWords {
    s.paragraphs
        .iter()
        .map(|p| {
            if p.heading {
                return Vec::new();
            }
            p.sentences
                .iter()
                .map(|x| {
                    let mut w: Vec<u64> = Vec::new();
                    each_content_word(&x.text, |word| w.push(hash_str(word)));
                    w.sort_unstable();
                    w.dedup();
                    w
                })
                .collect()
        })
        .collect()
}

/// In how many body sentences each word occurs, over the corpus, with what
/// it was counted from: kept by a process that builds again, so that a seed
/// edit recounts that seed's sentences, not all 400,000.
struct Counts {
    keys: Vec<Key>,
    words: Vec<Arc<SourceWords>>,
    df: HashMap<u64, usize>,
    total: usize,
}

/// Past this many changed sources, the counts are made anew.
const MAX_RECOUNTED: usize = 256;

impl Counts {
    fn of(words: &Words) -> Self {
        // Each thread counts into one map, and the few maps are merged:
        // a map per source, merged one by one, was most of the time.
        let mut all = words
            .words
            .par_iter()
            .fold(Self::empty, |mut counts, source| {
                counts.add(source, 1);
                counts
            })
            .reduce(Self::empty, |mut a, mut b| {
                if a.df.len() < b.df.len() {
                    std::mem::swap(&mut a, &mut b);
                }
                a.total += b.total;
                for (w, n) in b.df {
                    *a.df.entry(w).or_default() += n;
                }
                a
            });
        all.keys.clone_from(&words.keys);
        all.words.clone_from(&words.words);
        all
    }

    fn empty() -> Self {
        Self {
            keys: Vec::new(),
            words: Vec::new(),
            df: HashMap::default(),
            total: 0,
        }
    }

    /// Count one source's sentences in (`sign` 1) or out (-1).
    fn add(&mut self, source: &SourceWords, sign: isize) {
        for sentence in source.iter().flatten() {
            self.total = self.total.wrapping_add_signed(sign);
            for &w in sentence {
                let n = self.df.entry(w).or_default();
                *n = n.wrapping_add_signed(sign);
            }
        }
    }

    /// These counts moved to `words`, or `None` when too much changed.
    fn patched(mut self, words: &Words) -> Option<Self> {
        for i in crate::key::changed(&self.keys, &words.keys, MAX_RECOUNTED)? {
            let old = std::mem::replace(&mut self.words[i], words.words[i].clone());
            self.add(&old, -1);
            self.add(&words.words[i], 1);
            self.keys[i] = words.keys[i];
        }
        self.df.retain(|_, n| *n > 0);
        Some(self)
    }
}

impl Vocabulary {
    pub(super) fn of(words: &Words) -> Self {
        Self::counted(&Counts::of(words))
    }

    /// [`Vocabulary::of`]; in a process that builds again, from the last
    /// build's counts with the changed sources recounted.
    pub(super) fn kept(words: &Words, cache: &Cache) -> Self {
        let counts = cache
            .take_stage::<Counts>("word counts")
            .and_then(|last| last.patched(words))
            .unwrap_or_else(|| Counts::of(words));
        let vocabulary = Self::counted(&counts);
        cache.keep_stage("word counts", 0, Arc::new(counts));
        vocabulary
    }

    fn counted(counts: &Counts) -> Self {
        let common = if counts.total < COMMON_MIN_SENTENCES {
            HashSet::default()
        } else {
            let share = COMMON_SHARE * counts.total as f64;
            counts
                .df
                .iter()
                .filter(|&(_, &n)| n as f64 >= share)
                .map(|(&w, _)| w)
                .collect()
        };
        let mut sorted: Vec<u64> = common.iter().copied().collect();
        sorted.sort_unstable();
        let key = KeyHasher::new("vocabulary").hashed(&sorted).finish();
        Self { common, key }
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
        let mut set = WordSet::default();
        each_content_word(text, |w| {
            let h = hash_str(w);
            if !self.common.contains(&h) {
                set.insert(h);
            }
        });
        set
    }
}

static STOPWORDS: WordList = WordList::new(&[
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
]);

/// Lower-cased words that say what a sentence is about.
pub fn content_words(text: &str) -> HashSet<String> {
    let mut words = HashSet::default();
    each_content_word(text, |w| {
        words.insert(w.to_string());
    });
    words
}

/// Each of [`content_words`], in order, repeats included, passed to
/// `each`: every sentence of every source is read this way, so a word is
/// lower-cased into one buffer, not a new string each.
fn each_content_word(text: &str, mut each: impl FnMut(&str)) {
    let mut buf = String::new();
    for raw in text.split(|c: char| !(c.is_alphanumeric() || c == '%')) {
        buf.clear();
        if raw.is_ascii() {
            buf.push_str(raw);
            buf.make_ascii_lowercase();
        } else {
            buf.push_str(&raw.to_lowercase());
        }
        let long = buf.len() >= 3 || buf.chars().any(|c| c.is_ascii_digit());
        if long && !STOPWORDS.contains(&buf) {
            each(buf.trim_end_matches('s'));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_words_are_lower_cased_without_stop_words_short_words_or_a_final_s() {
        let text = "The Soybeans of ÉTÉS, 10% tariffs and US ship; the ship";
        let mut seen = Vec::new();
        each_content_word(text, |w| seen.push(w.to_string()));
        assert_eq!(seen, ["soybean", "été", "10%", "tariff", "ship", "ship"]);
        let set = content_words(text);
        assert_eq!(set.len(), 5);
        assert!(set.contains("été") && !set.contains("the") && !set.contains("us"));
    }

    fn corpus(texts: &[String]) -> Corpus {
        let sources = texts.iter().enumerate().map(|(i, t)| {
            let (rel, name) = (format!("seeds/{i}.txt"), format!("{i}.txt"));
            let made =
                crate::seeds::ingest_file(std::path::Path::new(&rel), &name, t.as_bytes(), None);
            Arc::new(made.unwrap().0.unwrap())
        });
        Corpus::new(sources.collect())
    }

    /// `n` sentences, each naming `word` and a few of its own.
    fn text(word: &str, n: usize) -> String {
        let lines: Vec<String> = (0..n)
            .map(|i| format!("The {word} report number {i} came out on day {i} of the month."))
            .collect();
        lines.join("\n\n")
    }

    /// A seed edit recounts that seed: the common words then equal those
    /// counted anew, and they do change with it.
    #[test]
    fn recounted_vocabulary_equals_one_counted_anew() {
        let mut cache = Cache::none();
        cache.remember_files();
        let before = [text("harbour", 30), text("ferry", 30), text("harbour", 5)];
        let after = [before[0].clone(), text("bridge", 30), before[2].clone()];
        let words = Words::of(&corpus(&before), &cache);
        let first = Vocabulary::kept(&words, &cache);
        assert_eq!(first.common, Vocabulary::of(&words).common);
        let words = Words::of(&corpus(&after), &cache);
        let recounted = Vocabulary::kept(&words, &cache);
        assert_eq!(recounted.common, Vocabulary::of(&words).common);
        assert_ne!(recounted.common, first.common, "ferry left, bridge came");
        let kept = cache
            .take_stage::<Counts>("word counts")
            .expect("counts kept");
        assert_eq!(
            kept.df.len(),
            Counts::of(&words).df.len(),
            "no word counted at zero"
        );
    }
}
