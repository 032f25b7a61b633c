//! Matching source sentences to topics by their keywords and aliases.
//!
//! Matching is on word boundaries, case-insensitive, and tolerant of the
//! variants news copy uses for one term: plural ("soybean"/"soybeans") and
//! hyphen or space ("rare earth"/"rare-earth"/"rare earths").

use std::collections::HashMap;

use regex::Regex;

use crate::content::TopicMeta;
use crate::seeds::Corpus;

/// A sentence that mentions a topic.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Passage {
    /// Index into `Corpus::sources`.
    pub source: usize,
    pub sentence: String,
}

/// Which sentences each topic matched, in topic order.
#[derive(Debug, Clone, Default)]
pub struct TopicIndex {
    /// `(source, sentence id)` → positions in `topics`: the timeline asks this
    /// for every candidate, so it is a lookup, not a scan.
    by_sentence: HashMap<(usize, String), Vec<usize>>,
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
        self.topics
            .iter()
            .filter(|(_, ps)| ps.iter().any(|p| p.source == source))
            .map(|(s, _)| s.as_str())
            .collect()
    }

    /// Slugs of the topics one sentence mentions.
    pub fn topics_of_sentence(&self, source: usize, sentence: &str) -> Vec<&str> {
        self.by_sentence
            .get(&(source, sentence.to_string()))
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
    let topics = topics
        .iter()
        .map(|t| {
            let mut terms = t.keywords.clone();
            terms.extend(t.aliases.iter().cloned());
            let passages = match matcher(&terms) {
                Some(re) => corpus
                    .sources
                    .iter()
                    .enumerate()
                    .flat_map(|(i, s)| {
                        s.sentences()
                            .filter(|x| re.is_match(&x.text))
                            .map(move |x| Passage {
                                source: i,
                                sentence: x.id.clone(),
                            })
                    })
                    .collect(),
                None => Vec::new(),
            };
            (t.slug.clone(), passages)
        })
        .collect::<Vec<(String, Vec<Passage>)>>();
    let mut by_sentence: HashMap<(usize, String), Vec<usize>> = HashMap::new();
    for (t, (_, passages)) in topics.iter().enumerate() {
        for p in passages {
            by_sentence
                .entry((p.source, p.sentence.clone()))
                .or_default()
                .push(t);
        }
    }
    TopicIndex {
        by_sentence,
        topics,
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
