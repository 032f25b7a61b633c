//! Matching source sentences to topics by their keywords and aliases.
//!
//! Matching is on word boundaries, case-insensitive, and tolerant of the
//! variants news copy uses for one term: plural ("soybean"/"soybeans") and
//! hyphen or space ("rare earth"/"rare-earth"/"rare earths").

use std::collections::HashMap;

use rayon::prelude::*;
use regex::Regex;

use crate::content::TopicMeta;
use crate::refs::SentenceRef;
use crate::seeds::Corpus;

/// A sentence that mentions a topic.
pub type Passage = SentenceRef;

/// Which sentences each topic matched, in topic order.
#[derive(Debug, Clone, Default)]
pub struct TopicIndex {
    /// Sentence → positions in `topics`: the timeline asks this for every
    /// candidate, so it is a lookup, not a scan.
    by_sentence: HashMap<SentenceRef, Vec<usize>>,
    /// Source position → positions in `topics` it feeds, for source cards.
    by_source: Vec<Vec<usize>>,
    /// `(topic slug, passages)` in the order topics were given.
    pub topics: Vec<(String, Vec<Passage>)>,
}

impl TopicIndex {
    pub fn passages(&self, slug: &str) -> &[Passage] {
        self.topics
            .iter()
            .find(|(s, _)| s == slug)
            .map_or(&[], |(_, p)| p)
    }

    /// Slugs of the topics a source feeds.
    pub fn topics_of(&self, source: usize) -> Vec<&str> {
        self.by_source
            .get(source)
            .map(|ts| ts.iter().map(|&t| self.topics[t].0.as_str()).collect())
            .unwrap_or_default()
    }

    /// Slugs of the topics one sentence mentions.
    pub fn topics_of_sentence(&self, r: SentenceRef) -> Vec<&str> {
        self.by_sentence
            .get(&r)
            .map(|ts| ts.iter().map(|&t| self.topics[t].0.as_str()).collect())
            .unwrap_or_default()
    }
}

/// One regex matching any of `terms` with its variants.
pub fn matcher(terms: &[String]) -> Option<Regex> {
    let alternatives: Vec<String> = terms.iter().filter_map(|t| term_pattern(t)).collect();
    if alternatives.is_empty() {
        return None;
    }
    // ASCII word boundaries: Unicode ones cost far more to compile and match,
    // and every keyword starts and ends with an ASCII letter or digit.
    Regex::new(&format!(
        r"(?i)(?-u:\b)(?:{})(?-u:\b)",
        alternatives.join("|")
    ))
    .ok()
}

fn term_pattern(term: &str) -> Option<String> {
    let words: Vec<&str> = term
        .split(|c: char| c.is_whitespace() || c == '-')
        .filter(|w| !w.is_empty())
        .collect();
    let (last, init) = words.split_last()?;
    let mut parts: Vec<String> = init.iter().map(|w| regex::escape(w)).collect();
    let stem = last
        .strip_suffix("es")
        .filter(|_| last.len() > 4 && last.ends_with("ses"))
        .or_else(|| last.strip_suffix('s').filter(|_| last.len() > 3))
        .unwrap_or(last);
    parts.push(format!("{}(?:s|es)?", regex::escape(stem)));
    Some(parts.join(r"[\s\-‐–]+"))
}

/// Match every body sentence of every source against every topic.
pub fn index(corpus: &Corpus, topics: &[&TopicMeta]) -> TopicIndex {
    let matchers: Vec<Option<Regex>> = topics
        .iter()
        .map(|t| {
            let mut terms = t.keywords.clone();
            terms.extend(t.aliases.iter().cloned());
            matcher(&terms)
        })
        .collect();
    // Per source, the topics of each sentence; sources in parallel.
    let per_source: Vec<Vec<(SentenceRef, Vec<usize>)>> = (0..corpus.sources.len())
        .into_par_iter()
        .map(|i| {
            corpus
                .body(i)
                .filter_map(|(r, text)| {
                    let hits: Vec<usize> = matchers
                        .iter()
                        .enumerate()
                        .filter(|(_, re)| re.as_ref().is_some_and(|re| re.is_match(text)))
                        .map(|(t, _)| t)
                        .collect();
                    (!hits.is_empty()).then_some((r, hits))
                })
                .collect()
        })
        .collect();
    let mut passages: Vec<Vec<Passage>> = vec![Vec::new(); topics.len()];
    let mut by_sentence = HashMap::new();
    let mut by_source = Vec::with_capacity(per_source.len());
    for sentences in per_source {
        let mut fed: Vec<usize> = Vec::new();
        for (r, hits) in sentences {
            for &t in &hits {
                passages[t].push(r);
            }
            fed.extend(&hits);
            by_sentence.insert(r, hits);
        }
        fed.sort_unstable();
        fed.dedup();
        by_source.push(fed);
    }
    TopicIndex {
        by_sentence,
        by_source,
        topics: topics
            .iter()
            .map(|t| t.slug.clone())
            .zip(passages)
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_plural_and_hyphen_variants_on_word_boundaries() {
        let re = matcher(&["rare earth".to_string()]).unwrap();
        for s in [
            "rare earth minerals",
            "the rare-earth issue",
            "supplies of rare earths",
            "Rare Earth Deal",
        ] {
            assert!(re.is_match(s), "{s}");
        }
        assert!(!re.is_match("a rare earthquake"));
        let soy = matcher(&["soybeans".to_string()]).unwrap();
        assert!(soy.is_match("soybean purchases") && soy.is_match("US soybeans"));
        let call = matcher(&["call".to_string()]).unwrap();
        assert!(!call.is_match("they called it"));
    }
}
