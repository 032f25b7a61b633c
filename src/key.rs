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
    parts_hash(&[bytes])
}

/// [`content_hash`] of the bytes `parts` join into, without joining them:
/// a 26 MB data file made of cached blocks is hashed, and written, from
/// its blocks.
pub fn parts_hash(parts: &[&[u8]]) -> Key {
    let len: usize = parts.iter().map(|p| p.len()).sum();
    let mut key = KeyHasher::new("output");
    key.u64(len as u64);
    // The bytes go in as fixed-size blocks, so where the parts split does
    // not change the hash: only a block that straddles two parts is copied.
    let mut carry: Vec<u8> = Vec::new();
    for &part in parts {
        let mut rest = part;
        if !carry.is_empty() {
            let take = rest.len().min(HASH_BLOCK - carry.len());
            carry.extend_from_slice(&rest[..take]);
            rest = &rest[take..];
            if carry.len() < HASH_BLOCK {
                continue;
            }
            key.bytes(&carry);
            carry.clear();
        }
        let mut blocks = rest.chunks_exact(HASH_BLOCK);
        for block in &mut blocks {
            key.bytes(block);
        }
        carry.extend_from_slice(blocks.remainder());
    }
    if !carry.is_empty() {
        key.bytes(&carry);
    }
    key.finish()
}

/// What [`parts_hash`] feeds the hasher at a time.
const HASH_BLOCK: usize = 1 << 16;

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
    fn a_file_hashes_the_same_however_its_parts_split() {
        let bytes: Vec<u8> = (0..3 * HASH_BLOCK + 777)
            .map(|i| (i * 7 % 251) as u8)
            .collect();
        let whole = content_hash(&bytes);
        for cuts in [
            vec![],
            vec![1],
            vec![HASH_BLOCK],
            vec![HASH_BLOCK - 1, HASH_BLOCK + 1],
            vec![5, 6, 6, 2 * HASH_BLOCK + 3],
            vec![0, 0, bytes.len()],
        ] {
            let mut parts = Vec::new();
            let mut at = 0;
            for &cut in &cuts {
                parts.push(&bytes[at..cut]);
                at = cut;
            }
            parts.push(&bytes[at..]);
            assert_eq!(parts_hash(&parts), whole, "cut at {cuts:?}");
        }
        let mut other = bytes.clone();
        other[2 * HASH_BLOCK] ^= 1;
        assert_ne!(content_hash(&other), whole);
        assert_ne!(content_hash(&bytes[1..]), whole);
        assert_ne!(content_hash(b""), content_hash(b"\0"));
    }

    #[test]
    fn keys_differ_by_where_the_bytes_split() {
        let a = KeyHasher::new("t").str("ab").str("c").finish();
        let b = KeyHasher::new("t").str("a").str("bc").finish();
        assert_ne!(a, b);
    }
}
