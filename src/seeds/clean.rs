//! Cleaning one article: boilerplate out, paragraphs mended, sentences
//! split and numbered; or the result of an earlier build with the same
//! inputs.

use std::path::Path;

use super::read::Bytes;
use super::{Dropped, Paragraph, Sentence, SourceMeta, boilerplate, paragraphs, sentences};
use crate::cache::{Cache, Key, KeyHasher};

/// A seed file as read.
pub(super) struct Seed<'a> {
    pub(super) rel: &'a Path,
    pub(super) name: &'a str,
    pub(super) bytes: &'a Bytes,
}

/// What cleaning one article needs from the others, and earlier results.
pub(super) struct Cleaner<'a> {
    pub(super) recurring: &'a boilerplate::Recurring,
    pub(super) cache: &'a Cache,
}

impl Cleaner<'_> {
    /// [`clean`], or its result from an earlier build: keyed by all it reads.
    /// The text is decoded from the bytes only when cleaned.
    pub(super) fn clean(
        &self,
        bytes: &Bytes,
        meta: &SourceMeta,
    ) -> (Key, Vec<Paragraph>, Vec<Dropped>) {
        let mut key = KeyHasher::new("clean");
        key.u128(bytes.key)
            .str(meta.title.as_deref().unwrap_or("\0"));
        for re in &meta.drop {
            key.str(re.as_str());
        }
        // Which of the text's lines recur: a line does when its key does,
        // and the keys were hashed when the seed was read.
        for k in boilerplate::recurring_keys(&bytes.facts.line_keys, self.recurring) {
            key.u64(k);
        }
        let key = key.finish();
        let (paragraphs, dropped) = self
            .cache
            .get(key, || clean(bytes.text(), meta, self.recurring));
        (key, paragraphs, dropped)
    }
}

/// Boilerplate out, paragraphs mended, sentences split.
fn clean(
    text: &str,
    meta: &SourceMeta,
    recurring: &boilerplate::Recurring,
) -> (Vec<Paragraph>, Vec<Dropped>) {
    let lines: Vec<(usize, String)> = text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.is_empty())
        .map(|(i, l)| (i + 1, l.to_string()))
        .collect();
    let (kept, dropped) = boilerplate::filter(lines, meta.title.as_deref(), &meta.drop, recurring);
    (number(paragraphs::build(kept)), dropped)
}

fn number(blocks: Vec<paragraphs::Block>) -> Vec<Paragraph> {
    blocks
        .into_iter()
        .map(|b| Paragraph {
            sentences: sentences::split(&b.text)
                .into_iter()
                .map(|t| Sentence {
                    gaps: gaps_in(&b.text, t, &b.gaps),
                    text: t.to_string(),
                })
                .collect(),
            line: b.line,
            heading: b.heading,
        })
        .collect()
}

/// The block's gaps that fall inside `sentence` (a slice of `block`), as
/// offsets into the sentence; a gap at its very end still belongs to it.
fn gaps_in(block: &str, sentence: &str, gaps: &[usize]) -> Vec<u32> {
    let start = (sentence.as_ptr() as usize).saturating_sub(block.as_ptr() as usize);
    let end = start + sentence.len();
    gaps.iter()
        .filter(|&&g| g > start && g <= end)
        .map(|&g| u32::try_from(g - start).unwrap_or(u32::MAX))
        .collect()
}
