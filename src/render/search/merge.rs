//! The term index: every term with the documents it occurs in. A build
//! merges every document's terms; a process that builds again (`serve`,
//! `build --watch`) keeps the index and patches in the few documents a
//! save changed, rather than merge ten thousand again.

use std::collections::BTreeMap;

use rayon::prelude::*;

use super::{Weights, chunks};
use crate::cache::Key;
use crate::hash::HashMap;
use crate::render::OutputFile;

/// A term's postings, `(document, packed weights)` in document order, and
/// how a chunk file writes them.
struct Postings {
    docs: Vec<(u32, u32)>,
    encoded: String,
}

impl Postings {
    fn new(docs: Vec<(u32, u32)>) -> Self {
        let mut encoded = String::new();
        chunks::encode(&docs, &mut encoded);
        Self { docs, encoded }
    }

    fn encode(&mut self) {
        self.encoded.clear();
        chunks::encode(&self.docs, &mut self.encoded);
    }
}

/// Documents are numbered by kind, in runs: `[kind, how many]`.
pub(super) type Kinds = Vec<(&'static str, usize)>;

pub(super) struct Index {
    /// Every document's key, by number: what tells which ones changed.
    keys: Vec<Key>,
    kinds: Kinds,
    terms: BTreeMap<String, Postings>,
}

/// Past this many changed documents (a template or a setting touched them
/// all), merging everything again is the quicker way.
pub(super) const MAX_PATCHED: usize = 256;

/// A document's number as postings hold it.
pub(super) fn number(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

impl Index {
    /// Merge the terms of every document; `weights(n)` are document `n`'s.
    pub(super) fn merge(
        keys: Vec<Key>,
        kinds: Kinds,
        weights: impl Fn(usize) -> Weights + Sync,
    ) -> Self {
        // Terms are dealt into shards by hash so that the shards merge in
        // parallel; each keeps its postings in document order.
        const SHARDS: usize = 32;
        let hasher = ahash::RandomState::new();
        let per_doc: Vec<Vec<Weights>> = (0..keys.len())
            .into_par_iter()
            .map(|n| {
                let mut shards = vec![Vec::new(); SHARDS];
                for (term, w) in weights(n) {
                    let shard = usize::try_from(hasher.hash_one(&term)).unwrap_or(0) % SHARDS;
                    shards[shard].push((term, w));
                }
                shards
            })
            .collect();
        let mut by_shard: Vec<Vec<(u32, Weights)>> = vec![Vec::new(); SHARDS];
        for (n, shards) in per_doc.into_iter().enumerate() {
            for (i, entries) in shards.into_iter().enumerate() {
                by_shard[i].push((number(n), entries));
            }
        }
        let mut terms: Vec<(String, Postings)> = by_shard
            .into_par_iter()
            .flat_map_iter(|docs| {
                let mut postings: HashMap<String, Vec<(u32, u32)>> = HashMap::default();
                for (n, entries) in docs {
                    for (term, w) in entries {
                        postings.entry(term).or_default().push((n, w));
                    }
                }
                postings
                    .into_iter()
                    .map(|(t, docs)| (t, Postings::new(docs)))
            })
            .collect();
        terms.par_sort_unstable_by(|a, b| a.0.cmp(&b.0));
        Self {
            keys,
            kinds,
            terms: terms.into_iter().collect(),
        }
    }

    /// The documents whose keys are not `keys`, when few enough to patch
    /// and the documents are the same in number and kind (otherwise each
    /// number may now be another document).
    pub(super) fn changed(&self, keys: &[Key], kinds: &Kinds) -> Option<Vec<usize>> {
        if self.kinds != *kinds {
            return None;
        }
        crate::key::changed(&self.keys, keys, MAX_PATCHED)
    }

    /// The index with documents `changed` holding `weights(n)` instead of
    /// what they held: the same as [`Index::merge`] of all of `keys`. Only
    /// the terms whose postings differ are encoded again: a one-word edit
    /// touches a few, though the document holds hundreds.
    pub(super) fn patch(
        &mut self,
        keys: Vec<Key>,
        changed: &[usize],
        weights: impl Fn(usize) -> Weights + Sync,
    ) {
        let new: Vec<(u32, HashMap<String, u32>)> = changed
            .par_iter()
            .map(|&n| (number(n), weights(n).into_iter().collect()))
            .collect();
        // A changed document's old terms are not known, only its number:
        // every term is looked at, and a term still there is left alone
        // when its weight is the same.
        self.terms.par_iter_mut().for_each(|(term, p)| {
            let mut edited = false;
            for (n, now) in &new {
                let at = p.docs.binary_search_by_key(n, |&(d, _)| d);
                match (at, now.get(term)) {
                    (Ok(i), Some(&w)) if p.docs[i].1 != w => p.docs[i].1 = w,
                    (Ok(i), None) => drop(p.docs.remove(i)),
                    _ => continue,
                }
                edited = true;
            }
            if edited {
                p.encode();
            }
        });
        for (n, now) in new {
            for (term, w) in now {
                let p = self
                    .terms
                    .entry(term)
                    .or_insert_with(|| Postings::new(Vec::new()));
                if let Err(at) = p.docs.binary_search_by_key(&n, |&(d, _)| d) {
                    p.docs.insert(at, (n, w));
                    p.encode();
                }
            }
        }
        self.terms.retain(|_, p| !p.docs.is_empty());
        self.keys = keys;
    }

    /// The chunk files and the manifest.
    pub(super) fn files(&self) -> Vec<OutputFile> {
        let terms = self
            .terms
            .iter()
            .map(|(t, p)| (t.as_str(), p.encoded.as_str()));
        chunks::files(terms, &self.kinds)
    }
}
