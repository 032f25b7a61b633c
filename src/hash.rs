//! Hash maps and sets for the pipeline's hot paths. Every line of every
//! seed is looked up in word lists and every sentence is keyed by its words;
//! with the standard library's SipHash, hashing was about 9% of a
//! 10,000-article build's CPU. aHash is several times faster on short keys
//! and is already compiled in (Tera depends on it). Output never depends on
//! iteration order, so the hasher is free to change.

pub type HashMap<K, V> = std::collections::HashMap<K, V, ahash::RandomState>;
pub type HashSet<T> = std::collections::HashSet<T, ahash::RandomState>;

/// A fixed list of words, asked about as a hashed set built on first use:
/// every word of every seed line and of every sentence asks one.
pub struct WordList {
    words: &'static [&'static str],
    set: std::sync::OnceLock<HashSet<&'static str>>,
}

impl WordList {
    pub const fn new(words: &'static [&'static str]) -> Self {
        Self {
            words,
            set: std::sync::OnceLock::new(),
        }
    }

    pub fn contains(&self, word: &str) -> bool {
        let set = self
            .set
            .get_or_init(|| self.words.iter().copied().collect());
        set.contains(word)
    }

    /// The words, in the order listed.
    pub fn words(&self) -> &'static [&'static str] {
        self.words
    }
}
