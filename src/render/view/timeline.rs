//! The timeline page and the events topic pages show.

use serde::Serialize;
use tera::Context;

use super::{Link, base, json_ld, topic_link};
use crate::article::{citation_url, cited_text};
use crate::dates::{PartialDate, Precision};
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
    pub(super) body_html: String,
    extracted: bool,
    /// "24 Oct 2025", or the span "24–27 Oct 2025".
    date_human: String,
    month: String,
    topic_links: Vec<Link>,
    references: Vec<Link>,
    /// Other sources that report it, not cited by the entry itself.
    also: Vec<Link>,
    /// Reporting sources beyond the ones listed.
    more_sources: usize,
    date_basis: Option<&'a str>,
    /// The first event after the as-of day: the record ends before it and
    /// what is announced or planned begins.
    /// Holds the as-of day, as readers see it.
    starts_planned: Option<String>,
}

/// Sources listed by name on one entry; the rest are counted. An entry
/// thousands of articles report stays one entry, not a page of links.
const LISTED_SOURCES: usize = 8;

pub(super) fn event_view<'a>(site: &Site, e: &'a Event) -> EventView<'a> {
    let month = PartialDate {
        day: None,
        ..e.date
    };
    let mut seen = Seen::new(site.corpus.sources.len());
    let (references, cited) = distinct_sources(site, &e.citations, &mut seen, LISTED_SOURCES);
    // A source already in the references is not "also" reporting it.
    let (also, reporting) =
        distinct_sources(site, &e.also, &mut seen, LISTED_SOURCES - references.len());
    let more_sources = (cited + reporting).saturating_sub(LISTED_SOURCES);
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
        date_human: match (e.end, e.approximate) {
            (Some(end), _) => e.date.human_span(&end),
            (None, true) => format!("about {}", e.date.human()),
            (None, false) => e.date.human(),
        },
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
        references,
        also,
        more_sources,
        date_basis: e.date_basis.as_deref(),
        starts_planned: None,
    }
}

/// An extracted event's body: the sentence its title comes from, quoted
/// (the other reports are linked, not quoted).
fn quotes(site: &Site, e: &Event) -> String {
    e.citations
        .first()
        .map(|c| {
            format!(
                "<blockquote><p>{}</p></blockquote>",
                escape(&cited_text(&site.corpus, *c))
            )
        })
        .unwrap_or_default()
}

/// One link per cited source not in `seen`, to the first sentence cited
/// from it, for the first `listed` of them; and how many there are. Links
/// past `listed` are never made: an event thousands of articles report
/// would otherwise make thousands to show eight.
fn distinct_sources(
    site: &Site,
    citations: &[Cited],
    seen: &mut Seen,
    listed: usize,
) -> (Vec<Link>, usize) {
    let mut links = Vec::new();
    let mut count = 0;
    for c in citations {
        if !seen.insert(c.source()) {
            continue;
        }
        count += 1;
        if links.len() == listed {
            continue;
        }
        links.push(Link {
            title: site.corpus.sources[c.source()].short_name(),
            url: citation_url(&site.config.urls, &site.corpus, *c),
            hue: None,
        });
    }
    (links, count)
}

/// Sources already counted, one bit each: an event thousands of articles
/// report is shown on nine pages, and a hash set of its sources took most
/// of the time of showing it.
struct Seen(Vec<u64>);

impl Seen {
    fn new(sources: usize) -> Self {
        Self(vec![0; sources.div_ceil(64)])
    }

    /// Whether `source` is new (then counted).
    fn insert(&mut self, source: usize) -> bool {
        let (word, bit) = (source / 64, 1u64 << (source % 64));
        if word >= self.0.len() {
            self.0.resize(word + 1, 0);
        }
        let new = self.0[word] & bit == 0;
        self.0[word] |= bit;
        new
    }
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
        hue: None,
    }];
    filters.extend(site.topics.iter().enumerate().map(|(i, t)| Link {
        title: t.meta.title.clone(),
        url: u.of(Route::TimelineTopic(&t.meta.slug)),
        hue: super::hue(i),
    }));
    ctx.insert("filters", &filters);
    let mode = site.config.extracted;
    let events = site
        .timeline
        .events
        .iter()
        .filter(|e| filter.is_none_or(|t| e.topics.contains(&t.meta.slug)));
    let unreviewed: Vec<EventView<'_>> = events
        .clone()
        .filter(|e| e.in_unreviewed(mode))
        .map(|e| event_view(site, e))
        .collect();
    ctx.insert("unreviewed", &unreviewed);
    let months = months(site, events.filter(|e| e.in_timeline(mode)));
    ctx.insert("months", &months);
    ctx.insert("jsonld", &timeline_ld(site));
    Ok(ctx)
}

/// The shown events grouped under month (or year) headings, with the line
/// where the record ends before the first event after the as-of day.
fn months<'a>(site: &Site, events: impl Iterator<Item = &'a Event>) -> Vec<MonthGroup<'a>> {
    let mut months: Vec<MonthGroup<'_>> = Vec::new();
    let as_of = site.as_of;
    let mut planned_marked = false;
    for e in events {
        let mut v = event_view(site, e);
        // Under the heading "Oct 2025", a month-only event does not say
        // "Oct 2025" again.
        if v.date_human == v.month {
            v.date_human = match e.precision {
                Precision::Month => "day not given".into(),
                _ => "month not given".into(),
            };
        }
        if !planned_marked && as_of.is_some_and(|d| e.date.first_day() > d) {
            v.starts_planned = as_of.map(|d| PartialDate::day(d).human());
            planned_marked = true;
        }
        match months.last_mut() {
            Some(m) if m.month == v.month => m.events.push(v),
            _ => months.push(MonthGroup {
                id: crate::urls::slugify(&v.month),
                month: v.month.clone(),
                events: vec![v],
            }),
        }
    }
    months
}

/// The timeline as a schema.org `ItemList` of `Event`s.
fn timeline_ld(site: &Site) -> String {
    let u = &site.config.urls;
    let items: Vec<serde_json::Value> = site
        .timeline
        .shown(site.config.extracted)
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
