//! Matching source sentences to topics by their keywords and aliases.
//!
//! Matching is on word boundaries, case-insensitive, and tolerant of the
//! variants news copy uses for one term: plural ("soybean"/"soybeans") and
//! hyphen or space ("rare earth"/"rare-earth"/"rare earths").

use std::sync::Arc;

use rayon::prelude::*;
use regex::Regex;

use crate::cache::{Cache, Key, KeyHasher};
use crate::content::TopicMeta;
use crate::refs::SentenceRef;
use crate::seeds::{Corpus, Ingested, Source};

/// A sentence that mentions a topic.
pub type Passage = SentenceRef;

/// Which sentences each topic matched, in topic order.
#[derive(Debug, Clone, Default)]
pub struct TopicIndex {
    /// Source position → positions in `topics` that are a real subject of
    /// it (see [`substantive`]), for `sources.json` and source cards.
    by_source: Vec<Vec<usize>>,
    /// `(topic slug, passages)` in the order topics were given.
    pub topics: Vec<(String, Vec<Passage>)>,
    /// A hash of all the index was made from (see [`index_kept`]).
    pub key: Key,
    /// Per source position: the key of the source matched there, and its
    /// matches in sentence order (the timeline asks them of every dated
    /// sentence: a binary search in one source's few, not a scan); what a
    /// rebuild after a seed edit patches.
    sources: Vec<Key>,
    matches: Vec<Arc<Matches>>,
    /// A hash of the topics matched.
    made_from: Key,
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

    /// A hash of the topics matched: with a source's key, all that
    /// [`TopicIndex::topic_ids_of_sentence`] reads of a sentence.
    pub fn matched_key(&self) -> Key {
        self.made_from
    }

    /// Positions in `topics` of the topics one sentence mentions.
    pub fn topic_ids_of_sentence(&self, r: SentenceRef) -> &[usize] {
        let Some(matches) = self.matches.get(r.source()) else {
            return &[];
        };
        matches
            .binary_search_by_key(&(r.paragraph, r.sentence), |m| (m.0, m.1))
            .map_or(&[], |i| matches[i].2.as_slice())
    }

    /// Slugs of the topics one sentence mentions.
    pub fn topics_of_sentence(&self, r: SentenceRef) -> Vec<&str> {
        let ids = self.topic_ids_of_sentence(r);
        ids.iter().map(|&t| self.topics[t].0.as_str()).collect()
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
/// changed, or that index with the changed sources' matches replaced when
/// only a few sources changed in place (a seed edit).
pub fn index_kept(ingested: &Ingested, topics: &[&TopicMeta], cache: &Cache) -> Arc<TopicIndex> {
    let per_source = topics_key(topics);
    let key = per_source.clone().u128(ingested.key).finish();
    let touch = |_: &TopicIndex| {
        for s in &ingested.corpus.sources {
            cache.touch(per_source.clone().u128(s.key).finish());
        }
    };
    cache.stage("topics", key, touch, || {
        let corpus = &ingested.corpus;
        let mut index = match cache.take_stage::<TopicIndex>("topics") {
            Some(last) if last.made_from == per_source.finish() => {
                patched(last, corpus, topics, cache)
            }
            _ => index_cached(corpus, topics, cache),
        };
        index.key = key;
        index
    })
}

/// Past this many changed sources, the index is made anew.
const MAX_PATCHED: usize = 256;

/// `last` with the matches of the sources whose text changed replaced;
/// made anew when sources were added, removed or moved, or many changed.
fn patched(
    mut last: TopicIndex,
    corpus: &Corpus,
    topics: &[&TopicMeta],
    cache: &Cache,
) -> TopicIndex {
    let changed: Vec<usize> = (0..corpus.sources.len())
        .filter(|&i| last.sources.get(i) != Some(&corpus.sources[i].key))
        .collect();
    if last.sources.len() != corpus.sources.len() || changed.len() > MAX_PATCHED {
        return index_cached(corpus, topics, cache);
    }
    let matchers: Vec<TopicMatcher> = topics.iter().map(|t| TopicMatcher::new(t)).collect();
    let key = topics_key(topics);
    // The unchanged sources' matches stay kept for the next build.
    for (i, s) in corpus.sources.iter().enumerate() {
        if last.sources[i] == s.key {
            cache.touch(key.clone().u128(s.key).finish());
        }
    }
    for i in changed {
        let source = &corpus.sources[i];
        let matches = source_matches(source, &matchers, &key, cache);
        for (_, passages) in &mut last.topics {
            // Passages are in source order: this source's are one run.
            let from = passages.partition_point(|r| r.source() < i);
            let to = passages.partition_point(|r| r.source() <= i);
            passages.drain(from..to);
        }
        let mut counts = vec![0; topics.len()];
        let mut added: Vec<Vec<Passage>> = vec![Vec::new(); topics.len()];
        for (paragraph, sentence, hits) in matches.iter() {
            let r = SentenceRef::new(i, *paragraph as usize, *sentence as usize);
            for &t in hits {
                added[t].push(r);
                counts[t] += 1;
            }
        }
        for ((_, passages), new) in last.topics.iter_mut().zip(added) {
            let at = passages.partition_point(|r| r.source() < i);
            passages.splice(at..at, new);
        }
        last.by_source[i] = substantive(&counts, &in_title(source, &matchers));
        last.sources[i] = source.key;
        last.matches[i] = matches;
    }
    last
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

/// Of one source's body sentences, those that mention a topic:
/// `(paragraph, sentence, topics)`.
type Matches = Vec<(u32, u32, Vec<usize>)>;

/// One source's [`Matches`], from `cache` when it is unchanged.
fn source_matches(
    s: &Source,
    matchers: &[TopicMatcher],
    topics_key: &KeyHasher,
    cache: &Cache,
) -> Arc<Matches> {
    let key = topics_key.clone().u128(s.key).finish();
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
}

/// Which topics a source's title names.
fn in_title(s: &Source, matchers: &[TopicMatcher]) -> Vec<bool> {
    let title = s.meta.title.as_deref().unwrap_or("");
    matchers.iter().map(|m| m.is_match(title)).collect()
}

/// [`index`], with each unchanged source's matches from `cache`.
pub fn index_cached(corpus: &Corpus, topics: &[&TopicMeta], cache: &Cache) -> TopicIndex {
    let matchers: Vec<TopicMatcher> = topics.iter().map(|t| TopicMatcher::new(t)).collect();
    let key = topics_key(topics);
    // Sources in parallel.
    let matches: Vec<Arc<Matches>> = corpus
        .sources
        .par_iter()
        .map(|s| source_matches(s, &matchers, &key, cache))
        .collect();
    let mut passages: Vec<Vec<Passage>> = vec![Vec::new(); topics.len()];
    let mut by_source = Vec::with_capacity(matches.len());
    for (source, sentences) in matches.iter().enumerate() {
        let mut counts = vec![0; topics.len()];
        for (paragraph, sentence, hits) in sentences.iter() {
            let r = SentenceRef::new(source, *paragraph as usize, *sentence as usize);
            for &t in hits {
                passages[t].push(r);
                counts[t] += 1;
            }
        }
        let in_title = in_title(&corpus.sources[source], &matchers);
        by_source.push(substantive(&counts, &in_title));
    }
    TopicIndex {
        by_source,
        topics: topics
            .iter()
            .map(|t| t.slug.clone())
            .zip(passages)
            .collect(),
        sources: corpus.sources.iter().map(|s| s.key).collect(),
        matches,
        made_from: key.finish(),
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

    fn topic(slug: &str) -> TopicMeta {
        TopicMeta {
            slug: slug.into(),
            title: slug.into(),
            summary: String::new(),
            order: 0,
            keywords: vec![slug.into()],
            aliases: Vec::new(),
            exclude: Vec::new(),
            numbers: Vec::new(),
        }
    }

    fn ingested(texts: &[&str], key: Key) -> Ingested {
        let sources = texts.iter().enumerate().map(|(i, t)| {
            let (rel, name) = (format!("seeds/{i}.txt"), format!("{i}.txt"));
            let made =
                crate::seeds::ingest_file(std::path::Path::new(&rel), &name, t.as_bytes(), None);
            Arc::new(made.unwrap().0.unwrap())
        });
        Ingested {
            corpus: Arc::new(Corpus::new(sources.collect())),
            warnings: Vec::new(),
            key,
        }
    }

    /// A seed edit patches the last index: it must equal one made anew,
    /// and re-read no unchanged source.
    #[test]
    fn a_patched_index_equals_one_made_anew() {
        let topics = [topic("soybeans"), topic("tariffs")];
        let refs: Vec<&TopicMeta> = topics.iter().collect();
        let mut cache = Cache::none();
        cache.remember_files();
        let before = [
            "Farmers sold soybeans to China in May.\n\nTariffs stayed in place all year.",
            "Soybeans rose on Monday after the talks.\n\nTraders bought more soybeans on Tuesday.",
            "Tariffs on steel were doubled in June.",
        ];
        let after = [
            before[0],
            "Tariffs fell on Monday after the talks.\n\nOfficials said the new tariffs start soon.\n\nSoybeans were not discussed.",
            before[2],
        ];
        drop(index_kept(&ingested(&before, 1), &refs, &cache));
        cache.save().unwrap();
        let patched = index_kept(&ingested(&after, 2), &refs, &cache);
        assert_eq!(
            cache.counts(),
            (2, 1),
            "the unchanged sources' matches are kept, and only the edited source is matched again"
        );
        let fresh = index(&ingested(&after, 2).corpus, &refs);
        assert_eq!(patched.topics, fresh.topics);
        assert_eq!(patched.by_source, fresh.by_source);
        assert_eq!(patched.matches, fresh.matches);
        assert_eq!(
            patched.topics_of(1),
            ["tariffs"],
            "one passing mention of soybeans"
        );
    }
}
