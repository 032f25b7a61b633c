//! Citations: `[@id]` and `[@id: "exact words"]` in authored markdown.
//!
//! A quote is checked against the cleaned source text, tolerant of curly vs
//! straight quotes, dashes and whitespace and strict about the words. It
//! resolves to the sentence it rests on, whose anchor the link targets. When
//! it is not there the error shows the closest passage the source does have.

use crate::hash::HashSet;
use std::sync::LazyLock;

use regex::Regex;

use crate::refs::{Cited, SentenceRef};
use crate::seeds::Corpus;

/// `[@source-id]` or `[@source-id: "quote"]` (straight or curly quotes).
pub static CITATION: LazyLock<Regex> = LazyLock::new(|| {
    #[allow(clippy::unwrap_used)] // constant pattern
    Regex::new(r#"\[@([a-z0-9][a-z0-9-]*)(?:\s*:\s*["“]([^"”\]]+)["”])?\]"#).unwrap()
});

/// A citation as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CiteRef<'a> {
    pub source: &'a str,
    pub quote: Option<&'a str>,
}

/// Why a citation did not resolve: a message and a hint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CiteError {
    pub message: String,
    pub hint: String,
}

/// All citations in `text`, with their byte ranges.
pub fn find_all(text: &str) -> Vec<(std::ops::Range<usize>, CiteRef<'_>)> {
    CITATION
        .captures_iter(text)
        .filter_map(|c| {
            let m = c.get(0)?;
            Some((
                m.range(),
                CiteRef {
                    source: c.get(1)?.as_str(),
                    quote: c.get(2).map(|q| q.as_str()),
                },
            ))
        })
        .collect()
}

/// Fold what a quote may differ in: quote marks, dashes, whitespace.
pub fn normalise(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        let c = match c {
            '“' | '”' | '„' | '″' => '"',
            '‘' | '’' | '‚' | '′' => '\'',
            '‐' | '‑' | '‒' | '–' | '—' | '―' | '−' => '-',
            c if c.is_whitespace() => ' ',
            c => c,
        };
        if c == ' ' && (out.ends_with(' ') || out.is_empty()) {
            continue;
        }
        out.push(c);
    }
    out.trim_end().to_string()
}

/// A sentence with its quote-comparable form.
struct Indexed {
    at: SentenceRef,
    norm: String,
}

/// Looks quotes up in the corpus. Built once per build.
pub struct Verifier<'a> {
    corpus: &'a Corpus,
    /// Per source position, every sentence (subheads too), in order; made
    /// when a quote first asks, since most sources are never cited (and
    /// cached pages ask nothing).
    sentences: Vec<std::sync::OnceLock<Vec<Indexed>>>,
}

impl<'a> Verifier<'a> {
    pub fn new(corpus: &'a Corpus) -> Self {
        let sentences = corpus.sources.iter().map(|_| Default::default()).collect();
        Self { corpus, sentences }
    }

    fn sentences_of(&self, position: usize) -> &[Indexed] {
        self.sentences[position].get_or_init(|| {
            self.corpus.sources[position]
                .paragraphs
                .iter()
                .enumerate()
                .flat_map(|(pi, p)| {
                    p.sentences.iter().enumerate().map(move |(xi, x)| Indexed {
                        at: SentenceRef::new(position, pi, xi),
                        norm: normalise(&x.text),
                    })
                })
                .collect()
        })
    }

    /// The corpus quotes are checked against, for rendering what they cite.
    pub fn corpus(&self) -> &'a Corpus {
        self.corpus
    }

    pub fn resolve(&self, c: &CiteRef<'_>) -> Result<Cited, CiteError> {
        let Some(position) = self.corpus.position(c.source) else {
            return Err(CiteError {
                message: format!("unknown source id {:?}", c.source),
                hint: format!("known ids: {}", self.corpus.ids().join(", ")),
            });
        };
        let source = &self.corpus.sources[position];
        let Some(quote) = c.quote else {
            return Ok(Cited::whole(position));
        };
        let q = normalise(quote);
        let idx = self.sentences_of(position);
        if let Some(hit) = idx.iter().find(|s| s.norm.contains(&q)) {
            return Ok(Cited::Sentence(hit.at));
        }
        // A quote may run across a sentence break inside one paragraph.
        if let Some(hit) = across_sentences(idx, &q) {
            return Ok(Cited::Sentence(hit));
        }
        Err(CiteError {
            message: format!("quote not found in source {:?}: \"{quote}\"", c.source),
            hint: format!(
                "closest passage in {}: \"{}\"",
                source.path.display(),
                closest(idx, &q).unwrap_or_default()
            ),
        })
    }
}

/// The sentence where `q` starts, when it runs across sentences of one paragraph.
fn across_sentences(idx: &[Indexed], q: &str) -> Option<SentenceRef> {
    let mut start = 0;
    while start < idx.len() {
        let p = idx[start].at.paragraph;
        let end = idx[start..]
            .iter()
            .position(|s| s.at.paragraph != p)
            .map_or(idx.len(), |n| start + n);
        let joined = idx[start..end]
            .iter()
            .map(|s| s.norm.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        if let Some(at) = joined.find(q) {
            let mut offset = 0;
            for s in &idx[start..end] {
                offset += s.norm.len() + 1;
                if at < offset {
                    return Some(s.at);
                }
            }
        }
        start = end;
    }
    None
}

fn words(text: &str) -> HashSet<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// The sentence sharing the most words with the quote.
fn closest(idx: &[Indexed], q: &str) -> Option<String> {
    let qw = words(q);
    idx.iter()
        .max_by_key(|s| words(&s.norm).intersection(&qw).count())
        .map(|s| s.norm.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_both_forms() {
        let found =
            find_all(r#"Cut to 10 percent [@busan-outcomes: "to 10 percent"] and [@kl-talks]."#);
        assert_eq!(found.len(), 2);
        assert_eq!(
            found[0].1,
            CiteRef {
                source: "busan-outcomes",
                quote: Some("to 10 percent")
            }
        );
        assert_eq!(
            found[1].1,
            CiteRef {
                source: "kl-talks",
                quote: None
            }
        );
    }

    #[test]
    fn normalise_folds_marks_not_words() {
        assert_eq!(
            normalise("China’s  “great news” — now"),
            "China's \"great news\" - now"
        );
        assert_ne!(normalise("cut tariffs"), normalise("cut tariff"));
    }
}
