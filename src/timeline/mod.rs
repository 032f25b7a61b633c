//! The timeline: authored events, in date order, each citing its sources.
//!
//! Authored events come from `content/timeline/*.md`; every one must cite at
//! least one source sentence and name only known topics.

use std::path::PathBuf;

use serde::Serialize;

use crate::article::Article;
use crate::cite::Resolved;
use crate::content::EventMeta;
use crate::dates::{PartialDate, Precision};
use crate::diag::Diagnostic;

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

/// Order authored events; check their topics exist.
pub fn build(authored: Vec<Authored>, topic_slugs: &[&str]) -> Result<Timeline, Vec<Diagnostic>> {
    let mut errors = Vec::new();
    let mut events = Vec::new();
    for a in authored {
        for t in &a.meta.topics {
            if !topic_slugs.contains(&t.as_str()) {
                errors.push(
                    Diagnostic::error(&a.path, format!("unknown topic {t:?}"))
                        .with_hint(format!("known topics: {}", topic_slugs.join(", "))),
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
            citations: a.article.references,
        });
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    sort(&mut events);
    Ok(Timeline { events })
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
