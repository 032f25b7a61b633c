//! The sources index, in pages, whole and per topic: at 10,000 articles
//! one page of every source was 4.9 MB. Each list is a plain link away, so
//! filtering by topic needs no script.

use serde::Serialize;
use tera::Context;

use super::cards::{count, source_card};
use super::{Link, base};
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

/// Which sources a list holds, by position: all, or those with the topic.
fn members(site: &Site, topic: Option<&str>) -> Vec<usize> {
    (0..site.corpus.sources.len())
        .filter(|&i| topic.is_none_or(|t| site.topic_index.topics_of(i).contains(&t)))
        .collect()
}

fn pages(n: usize) -> usize {
    n.div_ceil(PER_PAGE).max(1)
}

/// Every page of every list past the first of all sources (`Route::Sources`).
pub fn source_lists(site: &Site) -> Vec<Route<'_>> {
    let mut out: Vec<Route<'_>> = (2..=pages(members(site, None).len()))
        .map(|n| Route::SourcesList(None, n))
        .collect();
    for t in &site.topics {
        let slug = t.meta.slug.as_str();
        out.extend(
            (1..=pages(members(site, Some(slug)).len())).map(|n| Route::SourcesList(Some(slug), n)),
        );
    }
    out
}

pub fn sources(site: &Site, topic: Option<&str>, page: usize) -> Result<Context, tera::Error> {
    let u = &site.config.urls;
    let all = members(site, topic);
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
        &all.iter()
            .skip((page - 1) * PER_PAGE)
            .take(PER_PAGE)
            .map(|&i| source_card(site, i))
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
    let filters = filters(site, topic);
    ctx.insert("filters", &filters);
    Ok(ctx)
}

/// "All" and one link per topic, each with its count; the current one marked.
fn filters(site: &Site, topic: Option<&str>) -> Vec<Filter> {
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
        count: count(members(site, Some(&t.meta.slug)).len()),
        current: topic == Some(t.meta.slug.as_str()),
    }));
    filters
}
