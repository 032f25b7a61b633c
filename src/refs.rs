//! Which sentence: the small value every stage passes around.
//!
//! Topic passages, citations, timeline candidates and search entries all
//! name a sentence by its position in the corpus, never by a copy of its
//! text or a string id parsed back later. Render borrows the text from the
//! corpus and builds the anchor from the position, so the anchor a
//! citation links to and the anchor the source page carries cannot differ.

use std::fmt;

/// A sentence of the corpus: source, paragraph and sentence positions
/// (0-based). Displays as its anchor, `p3-s2` (1-based, as readers count).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub struct SentenceRef {
    pub source: u32,
    pub paragraph: u32,
    pub sentence: u32,
}

impl SentenceRef {
    pub fn new(source: usize, paragraph: usize, sentence: usize) -> Self {
        // A corpus of over four billion sources, paragraphs or sentences
        // does not fit in memory first.
        let narrow = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        Self {
            source: narrow(source),
            paragraph: narrow(paragraph),
            sentence: narrow(sentence),
        }
    }

    /// Position of the source in the corpus.
    pub fn source(self) -> usize {
        self.source as usize
    }

    /// The anchor of the sentence's paragraph, `p3`.
    pub fn paragraph_anchor(self) -> ParagraphAnchor {
        ParagraphAnchor(self.paragraph)
    }
}

impl fmt::Display for SentenceRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "p{}-s{}", self.paragraph + 1, self.sentence + 1)
    }
}

/// A paragraph's anchor, `p3`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ParagraphAnchor(pub u32);

impl fmt::Display for ParagraphAnchor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "p{}", self.0 + 1)
    }
}

/// What a citation rests on: one sentence, or a whole source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Cited {
    Sentence(SentenceRef),
    /// `[@id]` with no quote: the article as a whole (position in the corpus).
    Source(u32),
}

impl Cited {
    /// A whole-source citation of the source at `position`.
    pub fn whole(position: usize) -> Self {
        Cited::Source(u32::try_from(position).unwrap_or(u32::MAX))
    }

    /// Position of the cited source in the corpus.
    pub fn source(self) -> usize {
        match self {
            Cited::Sentence(r) => r.source(),
            Cited::Source(s) => s as usize,
        }
    }

    pub fn sentence(self) -> Option<SentenceRef> {
        match self {
            Cited::Sentence(r) => Some(r),
            Cited::Source(_) => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anchors_count_from_one() {
        let r = SentenceRef::new(4, 2, 1);
        assert_eq!(r.to_string(), "p3-s2");
        assert_eq!(r.paragraph_anchor().to_string(), "p3");
        assert_eq!(Cited::Sentence(r).source(), 4);
        assert_eq!(Cited::Source(7).sentence(), None);
    }
}
