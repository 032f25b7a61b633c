//! Hash maps and sets for the pipeline's hot paths. Every line of every
//! seed is looked up in word lists and every sentence is keyed by its words;
//! with the standard library's SipHash, hashing was about 9% of a
//! 10,000-article build's CPU. aHash is several times faster on short keys
//! and is already compiled in (Tera depends on it). Output never depends on
//! iteration order, so the hasher is free to change.

pub type HashMap<K, V> = std::collections::HashMap<K, V, ahash::RandomState>;
pub type HashSet<T> = std::collections::HashSet<T, ahash::RandomState>;
