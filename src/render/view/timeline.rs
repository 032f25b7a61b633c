//! The timeline page and the events topic pages show.

use std::collections::HashSet;

use serde::Serialize;
use tera::Context;

use super::{Link, base, json_ld, topic_link};
use crate::article::{citation_url, cited_text};
use crate::dates::PartialDate;
use crate::markdown::escape;
use crate::refs::Cited;
use crate::site::{Site, Topic};
use crate::timeline::Event;
use crate::urls::Route;

#[derive(Serialize)]
pub(super) struct EventView<'a> {
    id: &'a str,
    date: PartialDate,
    end: Option<PartialDate>,
    title: &'a str,
    body_html: String,
    extracted: bool,
    date_human: String,
    end_human: Option<String>,
    month: String,
    topic_links: Vec<Link>,
    references: Vec<Link>,
    /// Other sources that report it, not cited by the entry itself.
    also: Vec<Link>,
}

pub(super) fn event_view<'a>(site: &Site, e: &'a Event) -> EventView<'a> {
    let month = PartialDate {
        day: None,
        ..e.date
    };
    EventView {
        id: &e.id,
        date: e.date,
        end: e.end,
        title: &e.title,
        body_html: e
            .body
            .as_ref()
            .map_or_else(|| quotes(site, e), |b| b.html.clone()),
        extracted: e.extracted,
        date_human: if e.approximate {
            format!("about {}", e.date.human())
        } else {
            e.date.human()
        },
        end_human: e.end.map(|d| d.human()),
        month: if e.date.month.is_some() {
            month.human()
        } else {
            e.date.year.to_string()
        },
        topic_links: e
            .topics
            .iter()
            .filter_map(|s| site.topics.iter().find(|t| &t.meta.slug == s))
            .map(|t| topic_link(site, t))
            .collect(),
        references: distinct_sources(site, &e.citations, &mut HashSet::new()),
        // A source already in the references is not "also" reporting it.
        also: distinct_sources(
            site,
            &e.also,
            &mut e.citations.iter().map(|c| c.source()).collect(),
        ),
    }
}

/// An extracted event's body: the sentences it rests on, quoted.
fn quotes(site: &Site, e: &Event) -> String {
    e.citations
        .iter()
        .map(|c| {
            format!(
                "<blockquote><p>{}</p></blockquote>",
                escape(&cited_text(&site.corpus, *c))
            )
        })
        .collect()
}

/// One link per cited source not in `seen`, to the first sentence cited from it.
fn distinct_sources(site: &Site, citations: &[Cited], seen: &mut HashSet<usize>) -> Vec<Link> {
    let mut links = Vec::new();
    for c in citations {
        if !seen.insert(c.source()) {
            continue;
        }
        links.push(Link {
            title: site.corpus.sources[c.source()].display_title(),
            url: citation_url(&site.config.urls, &site.corpus, *c),
        });
    }
    links
}

#[derive(Serialize)]
struct MonthGroup<'a> {
    month: String,
    id: String,
    events: Vec<EventView<'a>>,
}

/// The timeline page, whole or filtered to one topic (`/timeline/<slug>/`).
pub fn timeline(site: &Site, filter: Option<&Topic>) -> Result<Context, tera::Error> {
    let (title, route) = match filter {
        Some(t) => (
            format!("Timeline: {}", t.meta.title),
            Route::TimelineTopic(&t.meta.slug),
        ),
        None => ("Timeline".to_string(), Route::Timeline),
    };
    let mut ctx = base(
        site,
        &title,
        "Every dated event in the sources, in order, each citing its sources.",
        &route.rel(),
        "timeline",
    );
    let u = &site.config.urls;
    let mut filters = vec![Link {
        title: "All topics".into(),
        url: u.of(Route::Timeline),
    }];
    filters.extend(site.topics.iter().map(|t| Link {
        title: t.meta.title.clone(),
        url: u.of(Route::TimelineTopic(&t.meta.slug)),
    }));
    ctx.insert("filters", &filters);
    let events = site
        .timeline
        .events
        .iter()
        .filter(|e| filter.is_none_or(|t| e.topics.contains(&t.meta.slug)));
    let mut months: Vec<MonthGroup<'_>> = Vec::new();
    for e in events {
        let v = event_view(site, e);
        match months.last_mut() {
            Some(m) if m.month == v.month => m.events.push(v),
            _ => months.push(MonthGroup {
                id: crate::urls::slugify(&v.month),
                month: v.month.clone(),
                events: vec![v],
            }),
        }
    }
    ctx.insert("months", &months);
    ctx.insert("jsonld", &timeline_ld(site));
    Ok(ctx)
}

/// The timeline as a schema.org `ItemList` of `Event`s.
fn timeline_ld(site: &Site) -> String {
    let u = &site.config.urls;
    let items: Vec<serde_json::Value> = site
        .timeline
        .events
        .iter()
        .enumerate()
        .map(|(i, e)| {
            serde_json::json!({
                "@type": "ListItem",
                "position": i + 1,
                "item": {
                    "@type": "Event",
                    "name": e.title,
                    "startDate": e.date,
                    "endDate": e.end.unwrap_or(e.date),
                    "url": format!("{}#{}", u.absolute_of(Route::Timeline), e.id),
                    "description": e.citations.first().map(|c| cited_text(&site.corpus, *c)).unwrap_or_default(),
                }
            })
        })
        .collect();
    json_ld(
        &serde_json::json!({"@context": "https://schema.org", "@type": "ItemList", "name": "Timeline", "itemListElement": items}),
    )
}
