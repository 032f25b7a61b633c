//! The timeline: authored events, in date order, each citing its sources.
//!
//! Authored events come from `content/timeline/*.md`; every one must cite at
//! least one source sentence and name only known topics.

pub mod extract;

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hash, Hasher};
use std::path::PathBuf;

use rayon::prelude::*;

use crate::article::Article;
use crate::content::EventMeta;
use crate::dates::{PartialDate, Precision};
use crate::diag::Diagnostic;
use crate::refs::{Cited, SentenceRef};
use crate::seeds::Corpus;
use crate::topics::TopicIndex;
use extract::Candidate;

/// An authored event, rendered, before it joins the timeline.
pub struct Authored {
    pub meta: EventMeta,
    pub path: PathBuf,
    pub article: Article,
}

/// One entry of the timeline.
#[derive(Debug, Clone)]
pub struct Event {
    /// Anchor id on the timeline page.
    pub id: String,
    pub date: PartialDate,
    pub end: Option<PartialDate>,
    pub precision: Precision,
    pub title: String,
    /// What an authored event says; `None` for an extracted event, which
    /// shows the sentences it cites.
    pub body: Option<Prose>,
    pub topics: Vec<String>,
    pub extracted: bool,
    /// A day computed from a rough span ("three weeks ago").
    pub approximate: bool,
    pub citations: Vec<Cited>,
}

/// An authored event's body, rendered, and its visible text for search.
#[derive(Debug, Clone)]
pub struct Prose {
    pub html: String,
    pub text: String,
}

#[derive(Debug, Clone, Default)]
pub struct Timeline {
    pub events: Vec<Event>,
}

impl Timeline {
    pub fn for_topic<'a>(&'a self, slug: &'a str) -> impl Iterator<Item = &'a Event> + 'a {
        self.events
            .iter()
            .filter(move |e| e.topics.iter().any(|t| t == slug))
    }
}

/// Authored events plus the dates found in the sources, merged and sorted.
pub fn build(
    authored: Vec<Authored>,
    corpus: &Corpus,
    topics: &TopicIndex,
) -> Result<Timeline, Vec<Diagnostic>> {
    let slugs: Vec<&str> = topics.topics.iter().map(|(s, _)| s.as_str()).collect();
    let mut events = authored_events(authored, &slugs)?;
    let clusters = cluster(extract::extract(corpus), corpus, topics);
    let words: Vec<WordSet> = events.iter().map(|e| authored_words(e, corpus)).collect();
    let uncovered: Vec<Cluster<'_>> = clusters
        .into_par_iter()
        .filter(|c| !covered(&events, &words, c))
        .collect();
    let extracted: Vec<Event> = uncovered
        .into_par_iter()
        .enumerate()
        .map(|(i, c)| extracted_event(i + 1, c.candidates, corpus, topics))
        .collect();
    events.extend(extracted);
    sort(&mut events);
    Ok(Timeline { events })
}

fn authored_events(authored: Vec<Authored>, slugs: &[&str]) -> Result<Vec<Event>, Vec<Diagnostic>> {
    let mut errors = Vec::new();
    let mut events = Vec::new();
    for a in authored {
        for t in &a.meta.topics {
            if !slugs.contains(&t.as_str()) {
                errors.push(
                    Diagnostic::error(&a.path, format!("unknown topic {t:?}"))
                        .with_hint(format!("known topics: {}", slugs.join(", "))),
                );
            }
        }
        let slug = a.path.file_stem().map_or(String::new(), |s| {
            crate::urls::slugify(&s.to_string_lossy())
        });
        events.push(Event {
            id: format!("event-{slug}"),
            date: a.meta.date,
            end: a.meta.end,
            precision: a.meta.date.precision(),
            title: a.meta.title,
            body: Some(Prose {
                html: a.article.html,
                text: a.article.text,
            }),
            topics: a.meta.topics,
            extracted: false,
            approximate: false,
            citations: a.article.references,
        });
    }
    if errors.is_empty() {
        Ok(events)
    } else {
        Err(errors)
    }
}

/// Candidates with the same dates that share a topic or enough words are one event.
pub fn merge(
    candidates: Vec<Candidate>,
    corpus: &Corpus,
    topics: &TopicIndex,
) -> Vec<Vec<Candidate>> {
    cluster(candidates, corpus, topics)
        .into_iter()
        .map(|k| k.candidates)
        .collect()
}

/// A set of content words, each kept as a 64-bit hash of the word: merging
/// 84,000 dated sentences at 10,000 articles is set arithmetic on these, and
/// hashing every word once beats rehashing strings at every comparison.
type WordSet = HashSet<u64, BuildHasherDefault<Prehashed>>;

/// A `Hasher` for keys that already are hashes.
#[derive(Default)]
struct Prehashed(u64);

impl Hasher for Prehashed {
    fn finish(&self) -> u64 {
        self.0
    }
    // Only u64 keys go in; anything else still hashes, just not as fast.
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// A fixed-key 64-bit hash of a word.
fn hash_str(text: &str) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    text.hash(&mut h);
    h.finish()
}

fn word_set(text: &str) -> WordSet {
    content_words(text).iter().map(|w| hash_str(w)).collect()
}

/// One happening gathered from the sources: its sentences, each with its
/// word set, and the topics they mention (both for the authored-event test).
pub struct Cluster<'t> {
    pub candidates: Vec<Candidate>,
    words: Vec<WordSet>,
    topics: HashSet<&'t str>,
}

/// Group candidates that report the same happening: same date and end, and
/// two content words or a topic in common with the group so far.
fn cluster<'t>(
    candidates: Vec<Candidate>,
    corpus: &Corpus,
    topics: &'t TopicIndex,
) -> Vec<Cluster<'t>> {
    /// A cluster being gathered, plus the union of its words and the set of
    /// its sentences, so joining it is a lookup, not a scan.
    struct Gathering<'t> {
        words: WordSet,
        sentences: HashSet<SentenceRef>,
        cluster: Cluster<'t>,
    }
    let mut gathering: Vec<Gathering<'_>> = Vec::new();
    // Only clusters of the same date and end can take a candidate.
    let mut by_date: HashMap<(PartialDate, Option<PartialDate>), Vec<usize>> = HashMap::new();
    // Word sets are per candidate, so they are made in parallel up front.
    let prepared: Vec<(WordSet, Candidate)> = candidates
        .into_par_iter()
        .map(|c| (word_set(corpus.text(c.at)), c))
        .collect();
    for (words, c) in prepared {
        let c_topics = topics.topics_of_sentence(c.at);
        let sentence = c.at;
        let same_date = by_date.entry((c.date, c.end)).or_default();
        let same = same_date.iter().copied().find(|&i| {
            let k = &gathering[i];
            words.iter().filter(|w| k.words.contains(w)).take(2).count() >= 2
                || c_topics.iter().any(|t| k.cluster.topics.contains(t))
        });
        match same {
            Some(i) => {
                let k = &mut gathering[i];
                if k.sentences.insert(sentence) {
                    k.words.extend(&words);
                    k.cluster.topics.extend(c_topics);
                    k.cluster.candidates.push(c);
                    k.cluster.words.push(words);
                }
            }
            None => {
                same_date.push(gathering.len());
                gathering.push(Gathering {
                    words: words.clone(),
                    sentences: HashSet::from([sentence]),
                    cluster: Cluster {
                        candidates: vec![c],
                        words: vec![words],
                        topics: c_topics.into_iter().collect(),
                    },
                });
            }
        }
    }
    gathering.into_iter().map(|k| k.cluster).collect()
}

/// Content words of an authored event: its title and the text it cites.
fn authored_words(a: &Event, corpus: &Corpus) -> WordSet {
    let mut words = word_set(&a.title);
    for c in &a.citations {
        words.extend(word_set(&crate::article::cited_text(corpus, *c)));
    }
    words
}

/// Does any authored event already tell the happening `cluster` reports?
fn covered(authored: &[Event], authored_words: &[WordSet], cluster: &Cluster<'_>) -> bool {
    authored
        .iter()
        .zip(authored_words)
        .any(|(a, aw)| covers(a, aw, cluster))
}

/// Does authored event `a` tell the happening `cluster` reports? Yes when
/// it cites one of its sentences, or overlaps it in time and shares a topic
/// (same date) or enough words with one of its sentences.
fn covers(a: &Event, aw: &WordSet, cluster: &Cluster<'_>) -> bool {
    let (members, cluster_topics) = (&cluster.words, &cluster.topics);
    let cluster = &cluster.candidates;
    let cites = |c: &Candidate| a.citations.contains(&Cited::Sentence(c.at));
    if cluster.iter().any(cites) {
        return true;
    }
    let same_date = a.date == cluster[0].date && a.end == cluster[0].end;
    let shared_topic = a.topics.iter().any(|t| cluster_topics.contains(t.as_str()));
    if same_date && shared_topic {
        return true;
    }
    let (a0, a1) = span(a.date, a.end);
    let (c0, c1) = span(cluster[0].date, cluster[0].end);
    if a1 < c0 || c1 < a0 {
        return false;
    }
    let needed = if same_date { 2 } else { 3 };
    members
        .iter()
        .any(|w| w.iter().filter(|x| aw.contains(x)).take(needed).count() >= needed)
}

fn span(date: PartialDate, end: Option<PartialDate>) -> (jiff::civil::Date, jiff::civil::Date) {
    (date.first_day(), end.unwrap_or(date).last_day())
}

fn extracted_event(
    n: usize,
    cluster: Vec<Candidate>,
    corpus: &Corpus,
    topics: &TopicIndex,
) -> Event {
    let first = &cluster[0];
    let mut topic_slugs: Vec<String> = Vec::new();
    for c in &cluster {
        for t in topics.topics_of_sentence(c.at) {
            if !topic_slugs.iter().any(|x| x == t) {
                topic_slugs.push(t.to_string());
            }
        }
    }
    Event {
        id: format!("found-{}-{n}", first.date),
        date: first.date,
        end: first.end,
        precision: first.date.precision(),
        title: headline(corpus.text(first.at)),
        body: None,
        topics: topic_slugs,
        extracted: true,
        approximate: first.approximate,
        citations: cluster.iter().map(|c| Cited::Sentence(c.at)).collect(),
    }
}

/// The sentence's first dozen words, as a title.
fn headline(text: &str) -> String {
    let words: Vec<&str> = text.split_whitespace().collect();
    if words.len() <= 14 {
        return text.to_string();
    }
    format!(
        "{}…",
        words[..12].join(" ").trim_end_matches([',', ';', ':'])
    )
}

const STOPWORDS: &[&str] = &[
    "the",
    "and",
    "with",
    "that",
    "for",
    "from",
    "this",
    "was",
    "were",
    "has",
    "have",
    "had",
    "are",
    "said",
    "will",
    "would",
    "their",
    "his",
    "her",
    "its",
    "they",
    "which",
    "into",
    "after",
    "before",
    "also",
    "both",
    "two",
    "than",
    "more",
    "such",
    "not",
    "but",
    "been",
    "being",
    "who",
    "what",
    "when",
    "where",
    "while",
    "about",
    "over",
    "under",
    "since",
    "last",
    "next",
    "year",
    "month",
    "week",
    "trump",
    "china",
    "chinese",
    "xi",
    "jinping",
    "president",
    "donald",
    "united",
    "states",
    "u.s",
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "on",
    "in",
    "of",
    "to",
    "at",
    "by",
    "as",
];

/// Lower-cased words that say what a sentence is about.
pub fn content_words(text: &str) -> HashSet<String> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '%'))
        .map(str::to_lowercase)
        .filter(|w| {
            (w.len() >= 3 || w.chars().any(|c| c.is_ascii_digit()))
                && !STOPWORDS.contains(&w.as_str())
        })
        .map(|w| w.trim_end_matches('s').to_string())
        .collect()
}

/// Earliest first; a coarser date sorts before finer dates in its span.
fn sort(events: &mut [Event]) {
    events.sort_by(|a, b| {
        (a.date.first_day(), a.date.precision(), &a.title).cmp(&(
            b.date.first_day(),
            b.date.precision(),
            &b.title,
        ))
    });
}
