//! The timeline: authored events, in date order, each citing its sources.
//!
//! Authored events come from `content/timeline/*.md`; every one must cite at
//! least one source sentence and name only known topics.

pub mod extract;

use std::collections::HashSet;
use std::path::PathBuf;

use serde::Serialize;

use crate::article::Article;
use crate::cite::Resolved;
use crate::content::EventMeta;
use crate::dates::{PartialDate, Precision};
use crate::diag::Diagnostic;
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
#[derive(Debug, Clone, Serialize)]
pub struct Event {
    /// Anchor id on the timeline page.
    pub id: String,
    pub date: PartialDate,
    pub end: Option<PartialDate>,
    pub precision: Precision,
    pub title: String,
    /// Rendered markdown body (authored events) or the sentence (extracted).
    pub body_html: String,
    pub topics: Vec<String>,
    pub extracted: bool,
    /// A day computed from a rough span ("three weeks ago").
    pub approximate: bool,
    pub citations: Vec<Resolved>,
}

#[derive(Debug, Clone, Default, Serialize)]
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
    let clusters = merge(extract::extract(corpus), topics);
    let mut extracted: Vec<Event> = clusters
        .into_iter()
        .filter(|c| !events.iter().any(|a| covers(a, c, corpus, topics)))
        .map(|c| extracted_event(c, corpus, topics))
        .collect();
    for (i, e) in extracted.iter_mut().enumerate() {
        e.id = format!("found-{}-{}", e.date, i + 1);
    }
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
            body_html: a.article.html,
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
pub fn merge(candidates: Vec<Candidate>, topics: &TopicIndex) -> Vec<Vec<Candidate>> {
    let mut clusters: Vec<(HashSet<String>, Vec<Candidate>)> = Vec::new();
    for c in candidates {
        let words = content_words(&c.text);
        let c_topics = topics.topics_of_sentence(c.source, &c.sentence);
        let same = clusters.iter_mut().find(|(w, cs)| {
            cs[0].date == c.date
                && cs[0].end == c.end
                && (w.intersection(&words).count() >= 2
                    || cs.iter().any(|x| {
                        topics
                            .topics_of_sentence(x.source, &x.sentence)
                            .iter()
                            .any(|t| c_topics.contains(t))
                    }))
        });
        match same {
            Some((w, cs)) => {
                if !cs
                    .iter()
                    .any(|x| x.source == c.source && x.sentence == c.sentence)
                {
                    w.extend(words);
                    cs.push(c);
                }
            }
            None => clusters.push((words, vec![c])),
        }
    }
    clusters.into_iter().map(|(_, cs)| cs).collect()
}

/// Does authored event `a` already tell the happening `cluster` reports?
/// Yes when it cites one of its sentences, or overlaps it in time and
/// shares enough words.
fn covers(a: &Event, cluster: &[Candidate], corpus: &Corpus, topics: &TopicIndex) -> bool {
    let cites = |c: &Candidate| {
        a.citations.iter().any(|r| {
            r.source == corpus.sources[c.source].meta.id
                && r.sentence.as_deref() == Some(c.sentence.as_str())
        })
    };
    if cluster.iter().any(cites) {
        return true;
    }
    let same_date = a.date == cluster[0].date && a.end == cluster[0].end;
    let shared_topic = cluster.iter().any(|c| {
        topics
            .topics_of_sentence(c.source, &c.sentence)
            .iter()
            .any(|t| a.topics.iter().any(|x| x == t))
    });
    if same_date && shared_topic {
        return true;
    }
    let (a0, a1) = span(a.date, a.end);
    let (c0, c1) = span(cluster[0].date, cluster[0].end);
    if a1 < c0 || c1 < a0 {
        return false;
    }
    let mut aw = content_words(&a.title);
    for r in &a.citations {
        aw.extend(content_words(&r.text));
    }
    let needed = if same_date { 2 } else { 3 };
    cluster
        .iter()
        .any(|c| content_words(&c.text).intersection(&aw).count() >= needed)
}

fn span(date: PartialDate, end: Option<PartialDate>) -> (jiff::civil::Date, jiff::civil::Date) {
    (date.first_day(), end.unwrap_or(date).last_day())
}

fn extracted_event(cluster: Vec<Candidate>, corpus: &Corpus, topics: &TopicIndex) -> Event {
    let first = &cluster[0];
    let mut topic_slugs: Vec<String> = Vec::new();
    for c in &cluster {
        for t in topics.topics_of_sentence(c.source, &c.sentence) {
            if !topic_slugs.iter().any(|x| x == t) {
                topic_slugs.push(t.to_string());
            }
        }
    }
    let body_html = cluster
        .iter()
        .map(|c| {
            format!(
                "<blockquote><p>{}</p></blockquote>",
                crate::markdown::escape(&c.text)
            )
        })
        .collect::<String>();
    Event {
        id: String::new(),
        date: first.date,
        end: first.end,
        precision: first.date.precision(),
        title: headline(&first.text),
        body_html,
        topics: topic_slugs,
        extracted: true,
        approximate: first.approximate,
        citations: cluster
            .iter()
            .map(|c| Resolved {
                source: corpus.sources[c.source].meta.id.clone(),
                sentence: Some(c.sentence.clone()),
                text: c.text.clone(),
            })
            .collect(),
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
