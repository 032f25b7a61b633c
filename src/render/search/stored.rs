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

use super::merge::{Kinds, MAX_PATCHED, number};
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
    if !same_kinds {
        return None;
    }
    let changed = crate::key::changed(&stored.keys, &docs.keys, MAX_PATCHED)?;
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

/// For each term a changed document had or has: `(document, its weight
/// now)`, `None` where the document no longer has the term.
type Edits = BTreeMap<String, Changes>;

/// A term's changed documents, in order, each with its weight now.
type Changes = Vec<(u32, Option<u32>)>;

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
/// and its manifest, as [`chunks::files`] makes them. Each chunk is
/// patched on its own, with the edits to the terms from its first up to
/// the next chunk's.
fn patch(texts: &[String], edits: Edits, kinds: &Kinds) -> Option<Vec<OutputFile>> {
    let parsed: Vec<Chunk<'_>> = texts
        .par_iter()
        .map(|t| serde_json::from_str(t).ok())
        .collect::<Option<_>>()?;
    if parsed
        .iter()
        .any(|c| c.t.is_empty() || c.t.len() != c.p.len())
    {
        return None;
    }
    let edits: Vec<(String, Changes)> = edits.into_iter().collect();
    // Where each chunk's edits end; the first chunk takes any before it.
    let mut ends: Vec<usize> = parsed
        .iter()
        .skip(1)
        .map(|c| edits.partition_point(|(t, _)| t.as_str() < c.t[0].as_ref()))
        .collect();
    ends.push(edits.len());
    let starts = std::iter::once(0).chain(ends.iter().copied());
    let patched: Vec<Vec<Term<'_>>> = parsed
        .par_iter()
        .zip(starts.zip(ends.iter().copied()).collect::<Vec<_>>())
        .map(|(chunk, (from, to))| patch_chunk(chunk, &edits[from..to]))
        .collect::<Option<_>>()?;
    let mut terms: Vec<Term<'_>> = patched.into_iter().flatten().collect();
    if parsed.is_empty() {
        for (term, e) in &edits {
            push_edited(&mut terms, Cow::Borrowed(term), None, e)?;
        }
    }
    let terms = terms.iter().map(|(t, p)| (t.as_ref(), p.as_ref()));
    Some(chunks::files(terms, kinds))
}

/// A term and its encoded postings.
type Term<'a> = (Cow<'a, str>, Cow<'a, str>);

/// `chunk`'s terms with `edits`, terms from its first up to the next
/// chunk's, made.
fn patch_chunk<'a>(chunk: &'a Chunk<'a>, edits: &'a [(String, Changes)]) -> Option<Vec<Term<'a>>> {
    let mut terms = Vec::with_capacity(chunk.t.len() + edits.len());
    let mut edits = edits.iter().peekable();
    for (term, postings) in chunk.t.iter().zip(&chunk.p) {
        while let Some((new, e)) = edits.next_if(|(t, _)| t.as_str() < term.as_ref()) {
            push_edited(&mut terms, Cow::Borrowed(new), None, e)?;
        }
        match edits.next_if(|(t, _)| t.as_str() == term.as_ref()) {
            Some((_, e)) => {
                push_edited(&mut terms, Cow::Borrowed(term), Some(postings.get()), e)?;
            }
            None => terms.push((Cow::Borrowed(term.as_ref()), Cow::Borrowed(postings.get()))),
        }
    }
    for (new, e) in edits {
        push_edited(&mut terms, Cow::Borrowed(new), None, e)?;
    }
    Some(terms)
}

/// `term`, with `postings` (none for a new term) and `edits` made to
/// them, unless no document is left; `None` when `postings` are not what
/// [`chunks::encode`] writes.
fn push_edited<'a>(
    terms: &mut Vec<Term<'a>>,
    term: Cow<'a, str>,
    postings: Option<&str>,
    edits: &[(u32, Option<u32>)],
) -> Option<()> {
    let spliced = chunks::splice(postings.unwrap_or("[]"), edits)?;
    if spliced != "[]" {
        terms.push((term, Cow::Owned(spliced)));
    }
    Some(())
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
    fn spliced_postings_are_the_edited_postings_encoded() {
        // The reference: decoded, edited one by one, encoded whole.
        let edited = |docs: &[(u32, u32)], edits: &[(u32, Option<u32>)]| {
            let mut docs = docs.to_vec();
            for &(n, w) in edits {
                docs.retain(|&(d, _)| d != n);
                if let Some(w) = w {
                    docs.push((n, w));
                }
            }
            docs.sort_unstable();
            let mut s = String::new();
            chunks::encode(&docs, &mut s);
            s
        };
        let docs = [(0, 3), (5, 1), (9, 2), (900, 64), (901, 1)];
        let cases: [&[(u32, Option<u32>)]; 9] = [
            &[],
            &[(0, None)],
            &[(0, Some(7))],
            &[(2, Some(1))],
            &[(5, None), (9, None)],
            &[(6, Some(4)), (901, None)],
            &[(901, Some(2)), (1000, Some(1))],
            &[(0, None), (5, None), (9, None), (900, None), (901, None)],
            &[(1, Some(1)), (9, Some(9)), (950, Some(3))],
        ];
        let mut text = String::new();
        chunks::encode(&docs, &mut text);
        for edits in cases {
            assert_eq!(
                chunks::splice(&text, edits).as_deref(),
                Some(edited(&docs, edits).as_str()),
                "{edits:?}"
            );
        }
        assert_eq!(
            chunks::splice("[]", &[(3, Some(2))]).as_deref(),
            Some("[3,2]")
        );
        // Pairs are read up to the last edit, then copied unread.
        let late = [(10, Some(1))];
        assert_eq!(
            chunks::splice("[1,2,3]", &late),
            None,
            "a gap without a weight"
        );
        assert_eq!(chunks::splice("[1;2]", &late), None);
    }
}
