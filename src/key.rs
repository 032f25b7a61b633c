//! Keys of cached results: a 128-bit hash of everything a result is made
//! from, fed field by field.

use std::hash::{BuildHasher, Hasher};

/// A 128-bit key: collisions among a few million entries are out of reach.
pub type Key = u128;

/// Hashes inputs into a [`Key`]. Stable within one executable, which is
/// all a cache stamped with the executable needs.
#[derive(Clone)]
pub struct KeyHasher(ahash::AHasher, ahash::AHasher);

impl KeyHasher {
    pub fn new(stage: &str) -> Self {
        let a = ahash::RandomState::with_seeds(1, 2, 3, 4).build_hasher();
        let b = ahash::RandomState::with_seeds(5, 6, 7, 8).build_hasher();
        let mut h = Self(a, b);
        h.str(stage);
        h
    }
    pub fn bytes(&mut self, bytes: &[u8]) -> &mut Self {
        // Length first, so that ("ab", "c") and ("a", "bc") differ.
        self.0.write_usize(bytes.len());
        self.1.write_usize(bytes.len());
        self.0.write(bytes);
        self.1.write(bytes);
        self
    }
    pub fn str(&mut self, s: &str) -> &mut Self {
        self.bytes(s.as_bytes())
    }
    pub fn u64(&mut self, n: u64) -> &mut Self {
        self.bytes(&n.to_le_bytes())
    }
    pub fn u128(&mut self, n: u128) -> &mut Self {
        self.bytes(&n.to_le_bytes())
    }
    /// A value through its `Hash`, which costs far less than printing it.
    pub fn hashed(&mut self, v: &impl std::hash::Hash) -> &mut Self {
        v.hash(&mut self.0);
        v.hash(&mut self.1);
        self
    }
    pub fn finish(&self) -> Key {
        (u128::from(self.0.finish()) << 64) | u128::from(self.1.finish())
    }
}

/// The hash of a file's bytes that output stamps and page keys record.
pub fn content_hash(bytes: &[u8]) -> Key {
    KeyHasher::new("output").bytes(bytes).finish()
}

/// Where `now` differs from `before`, place by place, when they are the
/// same length and differ in at most `most` places: what a stage patches
/// instead of making again (`None`: make it again).
pub fn changed(before: &[Key], now: &[Key], most: usize) -> Option<Vec<usize>> {
    if before.len() != now.len() {
        return None;
    }
    let changed: Vec<usize> = (0..now.len()).filter(|&n| before[n] != now[n]).collect();
    (changed.len() <= most).then_some(changed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_differ_by_where_the_bytes_split() {
        let a = KeyHasher::new("t").str("ab").str("c").finish();
        let b = KeyHasher::new("t").str("a").str("bc").finish();
        assert_ne!(a, b);
    }
}
