//! The timeline: authored events plus the dated sentences of the sources
//! that no authored event covers, in date order, each citing its sources.
//!
//! Authored events come from `content/timeline/*.md`; every one must cite at
//! least one source sentence and name only known topics. `extract` finds
//! dated sentences, `cluster` groups them into happenings.

mod clause;
mod cluster;
pub mod extract;
pub mod support;
mod words;

use std::path::PathBuf;

use rayon::prelude::*;

use crate::article::Article;
use crate::config::Extracted;
use crate::content::EventMeta;
use crate::dates::{PartialDate, Precision};
use crate::diag::Diagnostic;
use crate::refs::Cited;
use crate::seeds::{Corpus, Ingested};
use crate::topics::TopicIndex;
pub use cluster::merge;
use cluster::sort_out;
use extract::Candidate;
pub use words::content_words;

/// An authored event, rendered, before it joins the timeline.
pub struct Authored {
    pub meta: EventMeta,
    pub path: PathBuf,
    pub article: std::sync::Arc<Article>,
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
    pub body: Option<std::sync::Arc<Article>>,
    pub topics: Vec<String>,
    pub extracted: bool,
    /// A day computed from a rough span ("three weeks ago").
    pub approximate: bool,
    /// How an authored date no citation states was worked out.
    pub date_basis: Option<String>,
    /// A found event's date phrase as the sentence words it ("on Friday").
    pub phrase: Option<String>,
    pub citations: Vec<Cited>,
    /// Sentences of other sources that report the same happening, found
    /// by extraction: shown as "also reported by".
    pub also: Vec<Cited>,
}

impl Event {
    /// Whether it stands in the timeline itself: authored events always,
    /// found ones only when the site mixes them in.
    pub fn in_timeline(&self, mode: Extracted) -> bool {
        !self.extracted || mode == Extracted::Show
    }

    /// Whether it is in the collapsed list of dated sentences no editor
    /// has reviewed, after the timeline.
    pub fn in_unreviewed(&self, mode: Extracted) -> bool {
        self.extracted && mode == Extracted::Separate
    }

    /// Its text without markup, for feeds, search and exports: an authored
    /// event's prose, or the sentence a found one rests on.
    pub fn summary<'a>(&'a self, corpus: &'a Corpus) -> std::borrow::Cow<'a, str> {
        match &self.body {
            Some(prose) => prose.text.as_str().into(),
            None => self
                .citations
                .first()
                .map(|c| crate::article::cited_text(corpus, *c))
                .unwrap_or_default(),
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct Timeline {
    pub events: Vec<Event>,
    /// Date phrases nothing could place (relative, in an article with no
    /// date and no reference date): for the review queue only.
    pub undated: Vec<extract::Undated>,
    /// Dates in authored prose that the citation beside them does not give.
    pub warnings: Vec<Diagnostic>,
}

impl Timeline {
    /// The events the timeline itself shows, in order.
    pub fn shown(&self, mode: Extracted) -> impl Iterator<Item = &Event> {
        self.events.iter().filter(move |e| e.in_timeline(mode))
    }

    pub fn for_topic<'a>(&'a self, slug: &'a str) -> impl Iterator<Item = &'a Event> + 'a {
        self.events
            .iter()
            .filter(move |e| e.topics.iter().any(|t| t == slug))
    }
}

/// Authored events plus the dates found in the sources, merged and sorted.
/// `prose` are the other authored documents, whose dates beside citations
/// are checked too.
pub fn build(
    authored: Vec<Authored>,
    extraction: &extract::Extraction,
    ingested: &Ingested,
    topics: &TopicIndex,
    prose: &[(&std::path::Path, &Article)],
    cache: &crate::cache::Cache,
) -> Result<Timeline, Vec<Diagnostic>> {
    let slugs: Vec<&str> = topics.topics.iter().map(|(s, _)| s.as_str()).collect();
    let mut docs: Vec<(&std::path::Path, &Article)> = prose.to_vec();
    docs.extend(authored.iter().map(|a| (a.path.as_path(), &*a.article)));
    let stated = support::StatedDates::new(&extraction.dated, asked(&authored, &docs));
    let unsupported = support::check(&authored, &stated);
    let warnings = support::prose_warnings(&docs, &stated);
    drop(docs);
    drop(stated);
    let mut events = authored_events(authored, &slugs).map_err(|mut e| {
        e.extend(unsupported.iter().cloned());
        e
    })?;
    if !unsupported.is_empty() {
        return Err(unsupported);
    }
    let found = found_kept(&events, extraction, ingested, topics, cache);
    for (i, sentences) in &found.confirming {
        let e = &mut events[*i];
        // Thousands of sources can confirm one event: a set, not a scan.
        let mut seen: crate::hash::HashSet<Cited> =
            e.citations.iter().chain(&e.also).copied().collect();
        for &r in sentences {
            let c = Cited::Sentence(r);
            if seen.insert(c) {
                e.also.push(c);
            }
        }
    }
    events.extend(found.extracted.iter().cloned());
    sort(&mut events);
    Ok(Timeline {
        events,
        undated: extraction.undated.clone(),
        warnings,
    })
}

/// The sentences whose dates the support checks read: those authored
/// events cite, and those cited right after a date in any authored text.
fn asked<'a>(
    authored: &'a [Authored],
    docs: &'a [(&std::path::Path, &Article)],
) -> impl Iterator<Item = crate::refs::SentenceRef> + 'a {
    let events = authored.iter().flat_map(|a| &a.article.references);
    let prose = docs
        .iter()
        .flat_map(|(_, a)| a.dated_cites.iter().map(|d| &d.cited));
    events.chain(prose).filter_map(|c| c.sentence())
}

/// What the sources add to the authored events: the sentences that confirm
/// each, and the happenings none of them covers, as events.
struct Found {
    confirming: Vec<(usize, Vec<crate::refs::SentenceRef>)>,
    extracted: Vec<Event>,
}

/// [`Found`]; in a process that builds again, the last build's when the
/// corpus, the topics and the authored events are the same (a page edit).
fn found_kept(
    authored: &[Event],
    extraction: &extract::Extraction,
    ingested: &Ingested,
    topics: &TopicIndex,
    cache: &crate::cache::Cache,
) -> std::sync::Arc<Found> {
    let mut key = crate::cache::KeyHasher::new("found events");
    key.u128(ingested.key)
        .u128(topics.key)
        .str(&format!("{authored:?}"));
    let key = key.finish();
    let touch = |_: &Found| words::touch(&ingested.corpus, cache);
    cache.stage("found events", key, touch, || {
        let corpus = &ingested.corpus;
        let sorted = sort_out(authored, extraction.dated.clone(), corpus, topics, cache);
        let extracted: Vec<Event> = sorted
            .uncovered
            .into_par_iter()
            .enumerate()
            .map(|(i, (c, topics))| extracted_event(i + 1, c, topics, corpus))
            .collect();
        Found {
            confirming: sorted.confirming,
            extracted,
        }
    })
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
            citations: a.article.references.clone(),
            body: Some(a.article),
            topics: a.meta.topics,
            extracted: false,
            approximate: false,
            date_basis: a.meta.date_basis,
            phrase: None,
            also: Vec::new(),
        });
    }
    if errors.is_empty() {
        Ok(events)
    } else {
        Err(errors)
    }
}

fn extracted_event(
    n: usize,
    cluster: Vec<Candidate>,
    topics: Vec<String>,
    corpus: &Corpus,
) -> Event {
    let first = &cluster[0];
    Event {
        id: format!("found-{}-{n}", first.date),
        date: first.date,
        end: first.end,
        precision: first.date.precision(),
        title: clause::around(corpus.text(first.at), &first.phrase),
        body: None,
        topics,
        extracted: true,
        approximate: first.approximate,
        date_basis: None,
        phrase: corpus
            .text(first.at)
            .get(first.phrase.clone())
            .map(str::to_string),
        citations: cluster.iter().map(|c| Cited::Sentence(c.at)).collect(),
        also: Vec::new(),
    }
}

/// Earliest first; a month-only or year-only event after the days it
/// contains (it could be any of them, so it closes its span).
fn sort(events: &mut [Event]) {
    events.sort_by(|a, b| {
        (
            a.date.last_day(),
            std::cmp::Reverse(a.date.precision()),
            &a.title,
        )
            .cmp(&(
                b.date.last_day(),
                std::cmp::Reverse(b.date.precision()),
                &b.title,
            ))
    });
}
