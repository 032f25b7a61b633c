//! A topic's page: the authored explainer, its slice of the timeline, and
//! every source sentence that mentions it, grouped by source.

use serde::Serialize;
use tera::Context;

use super::cards::{SourceCard, count, source_card, topic_card};
use super::timeline::event_view;
use super::{Link, article_ld, article_with, base, insert_article};
use crate::site::{Site, Topic};
use crate::urls::Route;

/// How many sources' passages a topic page lists before it links to the
/// rest: at 10,000 articles every matching sentence would be 35 MB, and
/// 30 groups still made the page 178 KB; 10 keep it under 100 KB.
const TOPIC_SOURCE_GROUPS: usize = 10;

#[derive(Serialize)]
struct PassageGroup {
    source: SourceCard,
    passages: Vec<Link>,
}

pub fn topic(site: &Site, t: &Topic) -> Result<Context, tera::Error> {
    let rel = Route::Topic(&t.meta.slug).rel();
    let mut ctx = base(site, &t.meta.title, &t.meta.summary, &rel, "topic");
    ctx.insert("topic", &topic_card(site, t));
    // One numbering for the page: the timeline slice's markers continue
    // the explainer's references, and the list at the end holds them all.
    let mut refs = t.article.references.clone();
    ctx.insert("numbers", &numbers(site, t, &mut refs));
    let promises: Vec<&crate::site::Commitment> = site
        .commitments
        .iter()
        .filter(|c| c.meta.topic == t.meta.slug)
        .collect();
    if !promises.is_empty() {
        ctx.insert(
            "tracker",
            &super::tracker::chart(site, &promises, &mut refs),
        );
        ctx.insert("tracker_url", &site.config.urls.of(Route::Tracker));
    }
    let events: Vec<_> = site
        .timeline
        .for_topic(&t.meta.slug)
        .filter(|e| e.in_timeline(site.config.extracted))
        .map(|e| {
            let mut v = event_view(site, e);
            if let Some(body) = &e.body {
                v.body_html = body.numbered_html(&mut refs, &site.corpus, &site.config.urls);
            }
            v
        })
        .collect();
    ctx.insert("events", &events);
    insert_article(&mut ctx, site, &t.article);
    ctx.insert("article", &article_with(site, &t.article, &refs));
    ctx.insert(
        "jsonld",
        &article_ld(site, &t.meta.title, &t.meta.summary, &rel, &t.article),
    );
    let (groups, groups_total) = passage_groups(site, t);
    let passages: usize = groups.iter().map(|g| g.passages.len()).sum();
    ctx.insert("passages_shown", &count(passages));
    ctx.insert("groups", &groups);
    ctx.insert("groups_total", &groups_total);
    ctx.insert("groups_total_shown", &count(groups_total));
    Ok(ctx)
}

#[derive(Serialize)]
struct NumberView {
    caption: String,
    versions: Vec<VersionView>,
}

#[derive(Serialize)]
struct VersionView {
    figure: String,
    /// The figure with its citation marker.
    html: String,
    /// Whose figure it is, when sources disagree.
    source: String,
}

/// The topic's figures, their markers numbered on after `refs`.
fn numbers(site: &Site, t: &Topic, refs: &mut Vec<crate::refs::Cited>) -> Vec<NumberView> {
    let mut articles = t.numbers.iter();
    t.meta
        .numbers
        .iter()
        .map(|n| NumberView {
            caption: n.caption.clone(),
            versions: n
                .versions
                .iter()
                .zip(articles.by_ref())
                .map(|(v, a)| VersionView {
                    figure: v.figure.clone(),
                    html: super::inline(a.numbered_html(refs, &site.corpus, &site.config.urls)),
                    source: a.references.first().map_or_else(String::new, |r| {
                        site.corpus.sources[r.source()].short_name()
                    }),
                })
                .collect(),
        })
        .collect()
}

/// The topic's passages grouped by source (at most `TOPIC_SOURCE_GROUPS`
/// groups), and how many groups there are in all.
fn passage_groups(site: &Site, t: &Topic) -> (Vec<PassageGroup>, usize) {
    let mut groups: Vec<PassageGroup> = Vec::new();
    let (mut groups_total, mut last_source) = (0, None);
    for &p in site.topic_index.passages(&t.meta.slug) {
        let source = p.source();
        if last_source != Some(source) {
            groups_total += 1;
            last_source = Some(source);
        }
        if groups_total > TOPIC_SOURCE_GROUPS {
            continue;
        }
        let id = &site.corpus.sources[source].meta.id;
        let link = Link {
            title: site.corpus.text(p).to_string(),
            url: site.config.urls.sentence(id, p),
            hue: None,
        };
        match groups.last_mut() {
            Some(g) if g.source.id == *id => g.passages.push(link),
            _ => groups.push(PassageGroup {
                source: source_card(site, source),
                passages: vec![link],
            }),
        }
    }
    (groups, groups_total)
}
