//! Matching source sentences to topics by their keywords and aliases.
//!
//! Matching is on word boundaries, case-insensitive, and tolerant of the
//! variants news copy uses for one term: plural ("soybean"/"soybeans") and
//! hyphen or space ("rare earth"/"rare-earth"/"rare earths").

use std::sync::Arc;

use crate::hash::HashMap;

use rayon::prelude::*;
use regex::Regex;

use crate::cache::{Cache, Key, KeyHasher};
use crate::content::TopicMeta;
use crate::refs::SentenceRef;
use crate::seeds::{Corpus, Ingested};

/// A sentence that mentions a topic.
pub type Passage = SentenceRef;

/// Which sentences each topic matched, in topic order.
#[derive(Debug, Clone, Default)]
pub struct TopicIndex {
    /// Sentence → positions in `topics`: the timeline asks this for every
    /// candidate, so it is a lookup, not a scan.
    by_sentence: HashMap<SentenceRef, Vec<usize>>,
    /// Source position → positions in `topics` that are a real subject of
    /// it (see [`substantive`]), for `sources.json` and source cards.
    by_source: Vec<Vec<usize>>,
    /// `(topic slug, passages)` in the order topics were given.
    pub topics: Vec<(String, Vec<Passage>)>,
    /// A hash of all the index was made from (see [`index_kept`]).
    pub key: Key,
}

impl TopicIndex {
    pub fn passages(&self, slug: &str) -> &[Passage] {
        self.topics
            .iter()
            .find(|(s, _)| s == slug)
            .map_or(&[], |(_, p)| p)
    }

    /// Slugs of the topics a source is about.
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

/// One topic's keywords and aliases, and the phrases that do not count.
struct TopicMatcher {
    terms: Option<Regex>,
    exclude: Option<Regex>,
}

impl TopicMatcher {
    fn new(t: &TopicMeta) -> Self {
        let mut terms = t.keywords.clone();
        terms.extend(t.aliases.iter().cloned());
        Self {
            terms: matcher(&terms),
            exclude: matcher(&t.exclude),
        }
    }

    /// Does `text` name the topic, other than inside an excluded phrase?
    fn is_match(&self, text: &str) -> bool {
        let Some(terms) = &self.terms else {
            return false;
        };
        let Some(exclude) = &self.exclude else {
            return terms.is_match(text);
        };
        let excluded: Vec<std::ops::Range<usize>> =
            exclude.find_iter(text).map(|m| m.range()).collect();
        terms.find_iter(text).any(|m| {
            !excluded
                .iter()
                .any(|x| x.start <= m.start() && m.end() <= x.end)
        })
    }
}

/// A source's topics are the ones that are a real subject of it, not a
/// passing word: named in its headline (and its text), or in at least
/// `MIN_SENTENCES` sentences and more than `SHARE_OF_LEADING` of the count
/// of its most-mentioned topic. Tuned on the development corpus
/// (ACCURACY.md): one or two passing mentions of a visit or a tariff in an
/// article about something else stay out.
const MIN_SENTENCES: usize = 2;
const SHARE_OF_LEADING: f64 = 0.4;

fn substantive(counts: &[usize], in_title: &[bool]) -> Vec<usize> {
    let leading = counts.iter().copied().max().unwrap_or(0) as f64;
    (0..counts.len())
        .filter(|&t| {
            let n = counts[t];
            (in_title[t] && n >= 1) || (n >= MIN_SENTENCES && n as f64 > SHARE_OF_LEADING * leading)
        })
        .collect()
}

/// Match every body sentence of every source against every topic.
pub fn index(corpus: &Corpus, topics: &[&TopicMeta]) -> TopicIndex {
    index_cached(corpus, topics, &Cache::none())
}

/// [`index_cached`] of the ingested corpus; in a process that builds
/// again, the last build's index when neither the corpus nor the topics
/// changed.
pub fn index_kept(ingested: &Ingested, topics: &[&TopicMeta], cache: &Cache) -> Arc<TopicIndex> {
    let per_source = topics_key(topics);
    let key = per_source.clone().u128(ingested.key).finish();
    let touch = |_: &TopicIndex| {
        for s in &ingested.corpus.sources {
            cache.touch(per_source.clone().u128(s.key).finish());
        }
    };
    cache.stage("topics", key, touch, || {
        let mut index = index_cached(&ingested.corpus, topics, cache);
        index.key = key;
        index
    })
}

/// Matching reads the topics' whole front matter (and a source's text,
/// which each source's key adds).
fn topics_key(topics: &[&TopicMeta]) -> KeyHasher {
    let mut key = KeyHasher::new("topics");
    for t in topics {
        key.str(&format!("{t:?}"));
    }
    key
}

/// [`index`], with each unchanged source's matches from `cache`.
pub fn index_cached(corpus: &Corpus, topics: &[&TopicMeta], cache: &Cache) -> TopicIndex {
    let matchers: Vec<TopicMatcher> = topics.iter().map(|t| TopicMatcher::new(t)).collect();
    let key = topics_key(topics);
    // Per source, the topics of each sentence (by paragraph and sentence
    // position); sources in parallel.
    let per_source: Vec<Arc<Vec<(u32, u32, Vec<usize>)>>> = corpus
        .sources
        .par_iter()
        .map(|s| {
            let key = key.clone().u128(s.key).finish();
            cache.shared(key, || {
                s.body(0)
                    .filter_map(|(r, text)| {
                        let hits: Vec<usize> = matchers
                            .iter()
                            .enumerate()
                            .filter(|(_, m)| m.is_match(text))
                            .map(|(t, _)| t)
                            .collect();
                        (!hits.is_empty()).then_some((r.paragraph, r.sentence, hits))
                    })
                    .collect()
            })
        })
        .collect();
    let mut passages: Vec<Vec<Passage>> = vec![Vec::new(); topics.len()];
    let mut by_sentence = HashMap::default();
    let mut by_source = Vec::with_capacity(per_source.len());
    for (source, sentences) in per_source.into_iter().enumerate() {
        let mut counts = vec![0; topics.len()];
        for (paragraph, sentence, hits) in sentences.iter() {
            let r = SentenceRef::new(source, *paragraph as usize, *sentence as usize);
            for &t in hits {
                passages[t].push(r);
                counts[t] += 1;
            }
            by_sentence.insert(r, hits.clone());
        }
        let title = corpus.sources[source].meta.title.as_deref().unwrap_or("");
        let in_title: Vec<bool> = matchers.iter().map(|m| m.is_match(title)).collect();
        by_source.push(substantive(&counts, &in_title));
    }
    TopicIndex {
        by_sentence,
        by_source,
        topics: topics
            .iter()
            .map(|t| t.slug.clone())
            .zip(passages)
            .collect(),
        key: 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_passing_mention_is_not_a_subject() {
        // Counts per topic of matching sentences; the headline names topic 2.
        let counts = [9, 1, 1, 3, 2];
        let title = [false, false, true, false, false];
        assert_eq!(substantive(&counts, &title), [0, 2]);
        // A second real subject, with enough sentences, is kept.
        assert_eq!(substantive(&[5, 4, 2], &[false; 3]), [0, 1]);
        assert_eq!(substantive(&[1, 0], &[false; 2]), Vec::<usize>::new());
    }

    #[test]
    fn excluded_phrases_do_not_count() {
        let t = TopicMatcher {
            terms: matcher(&["soy".to_string()]),
            exclude: matcher(&["soy sauce".to_string()]),
        };
        assert!(!t.is_match("a barrel-aged soy sauce"));
        assert!(t.is_match("soy sauce makers and soy growers"));
        assert!(t.is_match("China bought soy"));
    }

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
