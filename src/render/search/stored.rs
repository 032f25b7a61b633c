//! The term index as the last `build` left it, kept in `.dossier-cache/`:
//! its chunk files as written, and the keys of the documents they were
//! made from. A cold build that changed a few documents patches their
//! terms into those chunks instead of merging the terms of every document
//! again (190 ms of CPU at 10,000 articles). A chunk is kept as text: an
//! unchanged term's postings are copied as they stand, and only the terms
//! of a changed document are decoded.
//!
//! A process that builds again (`serve`) keeps the merged index in memory
//! instead ([`super::merge`]).

use std::borrow::Cow;
use std::collections::BTreeMap;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

use super::merge::{Kinds, MAX_PATCHED};
use super::{DIR, Docs, Weights, chunks};
use crate::cache::{Cache, Key, KeyHasher};
use crate::render::OutputFile;

/// What the last build's index was made of.
#[derive(Serialize, Deserialize)]
struct Stored {
    keys: Vec<Key>,
    kinds: Vec<(String, usize)>,
    /// Each chunk file's key; its text is kept under it.
    chunks: Vec<Key>,
}

/// Where [`Stored`] is kept: one index per project, whichever output it
/// went to (another base URL changes every document's key, and so merges).
fn stored_key() -> Key {
    KeyHasher::new("search index, as last built").finish()
}

fn chunk_key(text: &str) -> Key {
    KeyHasher::new("search chunk").str(text).finish()
}

/// The key document `doc`'s terms are kept under.
pub(super) fn weights_key(doc: Key) -> Key {
    KeyHasher::new("search terms").u128(doc).finish()
}

/// The index files for `docs`, patched from the last build's when it had
/// the same documents but a few; `None` when it cannot be.
pub(super) fn patched(docs: &Docs<'_>, kinds: &Kinds, cache: &Cache) -> Option<Vec<OutputFile>> {
    let stored: Stored = cache.peek(stored_key())?;
    let same_kinds = stored.kinds.len() == kinds.len()
        && stored
            .kinds
            .iter()
            .zip(kinds)
            .all(|(a, b)| a.0 == b.0 && a.1 == b.1);
    if !same_kinds || stored.keys.len() != docs.keys.len() {
        return None;
    }
    let changed: Vec<usize> = (0..docs.keys.len())
        .filter(|&n| stored.keys[n] != docs.keys[n])
        .collect();
    if changed.len() > MAX_PATCHED {
        return None;
    }
    let texts: Vec<String> = stored
        .chunks
        .par_iter()
        .map(|&k| cache.peek(k))
        .collect::<Option<_>>()?;
    let mut edits = Edits::new();
    for &n in &changed {
        let old: Weights = cache.peek(weights_key(stored.keys[n]))?;
        edit(&mut edits, number(n), old, docs.weights(n, cache));
    }
    let files = patch(&texts, edits, kinds)?;
    // The unchanged documents' terms stay kept for the next patch.
    (0..docs.keys.len()).into_par_iter().for_each(|n| {
        if stored.keys[n] == docs.keys[n] {
            cache.touch(weights_key(docs.keys[n]));
        }
    });
    Some(files)
}

/// Keep `files` (made from documents `keys`) for the next build's
/// [`patched`].
pub(super) fn store(keys: &[Key], kinds: &Kinds, files: &[OutputFile], cache: &Cache) {
    let prefix = format!("{DIR}/t/");
    let chunks = files
        .iter()
        .filter(|f| f.path.starts_with(&prefix))
        .map(|f| {
            let text = std::str::from_utf8(&f.bytes).unwrap_or_default();
            let key = chunk_key(text);
            cache.put(key, &text);
            key
        })
        .collect();
    let stored = Stored {
        keys: keys.to_vec(),
        kinds: kinds.iter().map(|&(k, n)| (k.to_owned(), n)).collect(),
        chunks,
    };
    cache.put(stored_key(), &stored);
}

fn number(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// For each term a changed document had or has: `(document, its weight
/// now)`, `None` where the document no longer has the term.
type Edits = BTreeMap<String, Vec<(u32, Option<u32>)>>;

/// Document `n` had the terms `old` and has `new`.
fn edit(edits: &mut Edits, n: u32, old: Weights, new: Weights) {
    for (term, _) in old {
        edits.entry(term).or_default().push((n, None));
    }
    for (term, w) in new {
        let e = edits.entry(term).or_default();
        match e.iter_mut().find(|(d, _)| *d == n) {
            Some(was) => was.1 = Some(w),
            None => e.push((n, Some(w))),
        }
    }
}

/// One chunk file, its terms and their postings borrowed from its text.
#[derive(Deserialize)]
struct Chunk<'a> {
    #[serde(borrow)]
    t: Vec<Cow<'a, str>>,
    #[serde(borrow)]
    p: Vec<&'a RawValue>,
}

/// The chunk files `texts` with `edits` made: the files of the whole index
/// and its manifest, as [`chunks::files`] makes them.
fn patch(texts: &[String], edits: Edits, kinds: &Kinds) -> Option<Vec<OutputFile>> {
    let parsed: Vec<Chunk<'_>> = texts
        .par_iter()
        .map(|t| serde_json::from_str(t).ok())
        .collect::<Option<_>>()?;
    let count: usize = parsed.iter().map(|c| c.t.len()).sum();
    let mut terms: Vec<(Cow<'_, str>, Cow<'_, str>)> = Vec::with_capacity(count + edits.len());
    let mut edits = edits.into_iter().peekable();
    for chunk in &parsed {
        if chunk.t.len() != chunk.p.len() {
            return None;
        }
        for (term, postings) in chunk.t.iter().zip(&chunk.p) {
            while let Some((new, e)) = edits.next_if(|(t, _)| t.as_str() < term.as_ref()) {
                push_edited(&mut terms, Cow::Owned(new), Vec::new(), &e);
            }
            match edits.next_if(|(t, _)| t.as_str() == term.as_ref()) {
                Some((_, e)) => {
                    let docs = chunks::decode(postings.get())?;
                    push_edited(&mut terms, Cow::Borrowed(term.as_ref()), docs, &e);
                }
                None => terms.push((Cow::Borrowed(term.as_ref()), Cow::Borrowed(postings.get()))),
            }
        }
    }
    for (new, e) in edits {
        push_edited(&mut terms, Cow::Owned(new), Vec::new(), &e);
    }
    let terms = terms.iter().map(|(t, p)| (t.as_ref(), p.as_ref()));
    Some(chunks::files(terms, kinds))
}

/// `term` with postings `docs` and `edits` made to them, unless none are
/// left.
fn push_edited<'a>(
    terms: &mut Vec<(Cow<'a, str>, Cow<'a, str>)>,
    term: Cow<'a, str>,
    mut docs: Vec<(u32, u32)>,
    edits: &[(u32, Option<u32>)],
) {
    for &(n, w) in edits {
        match (docs.binary_search_by_key(&n, |&(d, _)| d), w) {
            (Ok(i), Some(w)) => docs[i].1 = w,
            (Ok(i), None) => drop(docs.remove(i)),
            (Err(i), Some(w)) => docs.insert(i, (n, w)),
            (Err(_), None) => {}
        }
    }
    if !docs.is_empty() {
        let mut encoded = String::new();
        chunks::encode(&docs, &mut encoded);
        terms.push((term, Cow::Owned(encoded)));
    }
}

#[cfg(test)]
mod tests {
    use super::super::merge::Index;
    use super::*;

    fn weights(doc: &[(&str, u32)]) -> Weights {
        doc.iter().map(|&(t, w)| (t.to_owned(), w)).collect()
    }

    fn chunk_texts(files: &[OutputFile]) -> Vec<String> {
        files
            .iter()
            .filter(|f| f.path.starts_with(&format!("{DIR}/t/")))
            .map(|f| String::from_utf8(f.bytes.clone()).expect("utf-8"))
            .collect()
    }

    /// Enough documents and terms for many chunks.
    fn corpus() -> Vec<Weights> {
        (0..1500u32)
            .map(|d| {
                (0..40u32)
                    .map(|i| {
                        (
                            format!("term{:04}", (d * 7 + i * 13) % 900),
                            1 + (d + i) % 5,
                        )
                    })
                    .collect::<BTreeMap<_, _>>()
                    .into_iter()
                    .collect()
            })
            .collect()
    }

    fn merged(docs: &[Weights]) -> Vec<OutputFile> {
        let keys = (0..docs.len() as u128).collect();
        let kinds = vec![("source", docs.len())];
        Index::merge(keys, kinds, |n| docs[n].clone()).files()
    }

    #[test]
    fn patched_chunks_are_the_chunks_of_a_whole_merge() {
        let before = corpus();
        let mut after = before.clone();
        // A document loses terms, gains new ones (one before every other
        // term, one after), changes a weight; another empties entirely.
        after[3] = weights(&[("aardvark", 2), ("term0021", 9), ("zebra", 1)]);
        after[599] = Vec::new();
        after[0].retain(|(t, _)| t != "term0000");
        let old = merged(&before);
        let mut edits = Edits::new();
        for n in [0, 3, 599] {
            edit(&mut edits, n as u32, before[n].clone(), after[n].clone());
        }
        let kinds = vec![("source", after.len())];
        let patched = patch(&chunk_texts(&old), edits, &kinds).expect("patched");
        let whole = merged(&after);
        assert!(whole.len() > 5, "several chunks: {}", whole.len());
        assert_eq!(patched.len(), whole.len());
        for (p, w) in patched.iter().zip(&whole) {
            assert_eq!(p.path, w.path);
            assert!(p.bytes == w.bytes, "{} differs", p.path);
        }
    }

    #[test]
    fn postings_decode_as_they_were_encoded() {
        let docs = vec![(0, 3), (5, 1), (900, 64)];
        let mut s = String::new();
        chunks::encode(&docs, &mut s);
        assert_eq!(chunks::decode(&s), Some(docs));
        assert_eq!(chunks::decode("[]"), Some(Vec::new()));
        assert_eq!(chunks::decode("[1,2,3]"), None, "a gap without a weight");
    }
}
