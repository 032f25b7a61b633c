//! The sources index, in pages, whole and per topic: at 10,000 articles
//! one page of every source was 4.9 MB. Each list is a plain link away, so
//! filtering by topic needs no script.

use serde::Serialize;
use tera::Context;

use super::cards::{count, source_card};
use super::{Link, base};
use crate::cache::{Key, KeyHasher};
use crate::site::Site;
use crate::urls::Route;

/// Sources per page of the index.
const PER_PAGE: usize = 100;

#[derive(Serialize)]
struct Pager {
    page: usize,
    pages: usize,
    prev: Option<String>,
    next: Option<String>,
}

#[derive(Serialize)]
struct Filter {
    link: Link,
    count: String,
    current: bool,
}

/// Which sources each list holds, by position: all, and each topic's.
/// Made once per build: every page of every list reads it.
pub struct SourceLists<'s> {
    by_topic: crate::hash::HashMap<&'s str, Vec<usize>>,
    all: Vec<usize>,
    /// Each source's card: a source is on the index and on each of its
    /// topics' lists, and its card is made once for all of them, when a
    /// page that shows it is made (most are kept: see [`sources_key`]).
    cards: Vec<std::sync::OnceLock<super::cards::SourceCard>>,
}

impl<'s> SourceLists<'s> {
    pub fn new(site: &'s Site) -> Self {
        let mut by_topic: crate::hash::HashMap<&'s str, Vec<usize>> = site
            .topics
            .iter()
            .map(|t| (t.meta.slug.as_str(), Vec::new()))
            .collect();
        for i in 0..site.corpus.sources.len() {
            for t in site.topic_index.topics_of(i) {
                if let Some(list) = by_topic.get_mut(t) {
                    list.push(i);
                }
            }
        }
        Self {
            by_topic,
            all: (0..site.corpus.sources.len()).collect(),
            cards: (0..site.corpus.sources.len())
                .map(|_| std::sync::OnceLock::new())
                .collect(),
        }
    }

    fn card(&self, site: &Site, i: usize) -> Option<&super::cards::SourceCard> {
        Some(self.cards.get(i)?.get_or_init(|| source_card(site, i)))
    }

    /// The sources on page `page` of `topic`'s list (or all sources').
    fn on_page(&self, topic: Option<&str>, page: usize) -> impl Iterator<Item = usize> + '_ {
        let all = self.members(topic);
        let page = page.clamp(1, pages(all.len()));
        all.iter()
            .skip((page - 1) * PER_PAGE)
            .take(PER_PAGE)
            .copied()
    }

    fn members(&self, topic: Option<&str>) -> &[usize] {
        match topic {
            None => &self.all,
            Some(t) => self.by_topic.get(t).map_or(&[], Vec::as_slice),
        }
    }
}

fn pages(n: usize) -> usize {
    n.div_ceil(PER_PAGE).max(1)
}

/// Every page of every list past the first of all sources (`Route::Sources`).
pub fn source_lists<'s>(site: &'s Site, lists: &SourceLists<'_>) -> Vec<Route<'s>> {
    let mut out: Vec<Route<'_>> = (2..=pages(lists.members(None).len()))
        .map(|n| Route::SourcesList(None, n))
        .collect();
    for t in &site.topics {
        let slug = t.meta.slug.as_str();
        out.extend(
            (1..=pages(lists.members(Some(slug)).len())).map(|n| Route::SourcesList(Some(slug), n)),
        );
    }
    out
}

/// A hash of everything a page of a list reads besides `site_key` (the
/// settings and topics): the size of every list, for the filters and the
/// pager, and each source on the page, by its digest and its topics.
pub fn sources_key(
    site: &Site,
    lists: &SourceLists<'_>,
    topic: Option<&str>,
    page: usize,
    site_key: &KeyHasher,
) -> Key {
    let mut k = site_key.clone();
    k.str("source list")
        .str(topic.unwrap_or("\0"))
        .u64(page as u64)
        .u64(lists.members(None).len() as u64);
    for t in &site.topics {
        k.u64(lists.members(Some(&t.meta.slug)).len() as u64);
    }
    for i in lists.on_page(topic, page) {
        k.u128(site.corpus.sources[i].digest());
        for slug in site.topic_index.topics_of(i) {
            k.str(slug);
        }
    }
    k.finish()
}

pub fn sources(
    site: &Site,
    lists: &SourceLists<'_>,
    topic: Option<&str>,
    page: usize,
) -> Result<Context, tera::Error> {
    let u = &site.config.urls;
    let all = lists.members(topic);
    let total = pages(all.len());
    let page = page.clamp(1, total);
    let name = topic
        .and_then(|t| site.topics.iter().find(|x| x.meta.slug == t))
        .map(|t| t.meta.title.as_str());
    let title = match (name, page) {
        (None, 1) => "Sources".to_string(),
        (None, n) => format!("Sources, page {n}"),
        (Some(t), 1) => format!("Sources on {t}"),
        (Some(t), n) => format!("Sources on {t}, page {n}"),
    };
    let route = Route::SourcesList(topic, page);
    let mut ctx = base(
        site,
        &title,
        "Every article this explainer rests on, cleaned, with an anchor on every sentence.",
        &route.rel(),
        "sources",
    );
    ctx.insert(
        "sources",
        &lists
            .on_page(topic, page)
            .filter_map(|i| lists.card(site, i))
            .collect::<Vec<_>>(),
    );
    ctx.insert("sources_total", &count(all.len()));
    let at = |n: usize| u.of(Route::SourcesList(topic, n));
    ctx.insert(
        "pager",
        &Pager {
            page,
            pages: total,
            prev: (page > 1).then(|| at(page - 1)),
            next: (page < total).then(|| at(page + 1)),
        },
    );
    let filters = filters(site, lists, topic);
    ctx.insert("filters", &filters);
    Ok(ctx)
}

/// "All" and one link per topic, each with its count; the current one marked.
fn filters(site: &Site, lists: &SourceLists<'_>, topic: Option<&str>) -> Vec<Filter> {
    let u = &site.config.urls;
    let mut filters = vec![Filter {
        link: Link {
            title: "All".into(),
            url: u.of(Route::Sources),
            hue: None,
        },
        count: count(site.corpus.sources.len()),
        current: topic.is_none(),
    }];
    filters.extend(site.topics.iter().map(|t| Filter {
        link: Link {
            title: t.meta.title.clone(),
            url: u.of(Route::SourcesList(Some(&t.meta.slug), 1)),
            hue: None,
        },
        count: count(lists.members(Some(&t.meta.slug)).len()),
        current: topic == Some(t.meta.slug.as_str()),
    }));
    filters
}
