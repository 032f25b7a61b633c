//! How a quoted sentence shows what the source lost: "[…]" where mending
//! found that a removed link took words with it. The stored text is not
//! changed; only quotations show the marks.

use super::{Corpus, Sentence};
use crate::refs::SentenceRef;

impl Corpus {
    /// The sentence `r` points at; `None` only for a reference not made
    /// from this corpus.
    pub(super) fn sentence(&self, r: SentenceRef) -> Option<&Sentence> {
        self.sources
            .get(r.source())
            .and_then(|s| s.paragraphs.get(r.paragraph as usize))
            .and_then(|p| p.sentences.get(r.sentence as usize))
    }
    /// The text with "[…]" where a removed link took words with it: how a
    /// quotation shows that the source, not the quoter, lost them.
    pub fn text_with_gaps(&self, r: SentenceRef) -> std::borrow::Cow<'_, str> {
        let Some(s) = self.sentence(r) else {
            return "".into();
        };
        if s.gaps.is_empty() {
            return s.text.as_str().into();
        }
        let mut out = String::with_capacity(s.text.len() + 4 * s.gaps.len());
        let mut at = 0;
        for &g in &s.gaps {
            let g = (g as usize).min(s.text.len());
            out.push_str(s.text.get(at..g).unwrap_or(""));
            out.push_str(" […] ");
            at = g;
        }
        out.push_str(s.text.get(at..).unwrap_or(""));
        let mut text = out.split_whitespace().collect::<Vec<_>>().join(" ");
        for p in [",", ".", ";", ":"] {
            text = text.replace(&format!("[…] {p}"), &format!("[…]{p}"));
        }
        text.into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::seeds::{Paragraph, Sentence, Source};

    #[test]
    fn gaps_show_as_ellipses_in_brackets_hugging_punctuation() {
        let mut source = crate::seeds::ingest_file(
            std::path::Path::new("seeds/a.txt"),
            "a.txt",
            b"Officials said the talks were useful.\n",
            None,
        )
        .unwrap()
        .0
        .unwrap();
        source.paragraphs = vec![Paragraph {
            sentences: vec![Sentence {
                text: "The talks, are led by envoys and a deal , say aides.".into(),
                gaps: vec![10, 39],
            }],
            line: 1,
            heading: false,
        }];
        let corpus = Corpus::new(vec![std::sync::Arc::new(Source { ..source })]);
        assert_eq!(
            corpus.text_with_gaps(SentenceRef::new(0, 0, 0)),
            "The talks, […] are led by envoys and a deal […], say aides."
        );
    }
}
