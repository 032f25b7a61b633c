//! Serialise-only views handed to templates.
//!
//! Each page kind gets one function building its Tera context from `&Site`.
//! URLs are made here from `Urls`, never in templates, so a base path works
//! everywhere.

use serde::Serialize;
use tera::Context;

use crate::article::{Article, citation_url};
use crate::markdown::Heading;
use crate::seeds::Source;
use crate::site::{Page, Site, Topic};
use crate::timeline::Event;

#[derive(Serialize)]
struct SiteView<'a> {
    title: &'a str,
    description: &'a str,
    language: &'a str,
    base: &'a str,
    home_url: String,
    stylesheet: String,
    favicon: String,
    nav: Vec<Link>,
    sources_url: String,
    timeline_url: String,
    feed: String,
    search_url: String,
}

#[derive(Serialize, Clone)]
pub struct Link {
    title: String,
    url: String,
}

#[derive(Serialize)]
struct PageView<'a> {
    title: &'a str,
    description: &'a str,
    /// Root-relative URL of this page.
    url: String,
    canonical: String,
    kind: &'static str,
}

#[derive(Serialize)]
struct Reference {
    n: usize,
    url: String,
    source_title: String,
    source_url: String,
    text: String,
    whole_source: bool,
}

#[derive(Serialize)]
struct ArticleView<'a> {
    html: &'a str,
    headings: &'a [Heading],
    references: Vec<Reference>,
}

fn base(site: &Site, title: &str, description: &str, rel: &str, kind: &'static str) -> Context {
    let u = &site.config.urls;
    let mut ctx = Context::new();
    ctx.insert(
        "site",
        &SiteView {
            title: &site.config.title,
            description: &site.config.description,
            language: &site.config.language,
            base: u.base_path(),
            home_url: u.path(""),
            stylesheet: u.path("style.css"),
            favicon: u.path("favicon.svg"),
            nav: site.topics.iter().map(|t| topic_link(site, t)).collect(),
            sources_url: u.path("sources/"),
            timeline_url: u.path("timeline/"),
            feed: u.path("atom.xml"),
            search_url: u.path("search/"),
        },
    );
    ctx.insert(
        "page",
        &PageView {
            title,
            description,
            url: u.path(rel),
            canonical: u.absolute(rel),
            kind,
        },
    );
    let ld = serde_json::json!({
        "@context": "https://schema.org",
        "@type": "WebPage",
        "name": title,
        "description": description,
        "url": u.absolute(rel),
        "inLanguage": site.config.language,
    });
    ctx.insert("jsonld", &json_ld(&ld));
    ctx
}

/// JSON for a `<script type="application/ld+json">` block. Seed text may
/// contain `</script>`; escaping `<`, `>` and `&` keeps the block closed
/// exactly where we close it.
pub fn json_ld(value: &serde_json::Value) -> String {
    serde_json::to_string(value)
        .unwrap_or_default()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

/// NewsArticle JSON-LD for an authored page resting on sources.
fn article_ld(site: &Site, title: &str, description: &str, rel: &str, a: &Article) -> String {
    let u = &site.config.urls;
    let mut based: Vec<String> = Vec::new();
    for r in &a.references {
        let url = u.absolute(&format!("sources/{}/", r.source));
        if !based.contains(&url) {
            based.push(url);
        }
    }
    json_ld(&serde_json::json!({
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": title,
        "description": description,
        "url": u.absolute(rel),
        "inLanguage": site.config.language,
        "publisher": { "@type": "Organization", "name": site.config.title },
        "isBasedOn": based,
    }))
}

fn topic_link(site: &Site, t: &Topic) -> Link {
    Link {
        title: t.meta.title.clone(),
        url: site.config.urls.path(&format!("topics/{}/", t.meta.slug)),
    }
}

/// Link the code stylesheet only on pages that have highlighted code.
fn insert_article(ctx: &mut Context, site: &Site, a: &Article) {
    ctx.insert("article", &article(site, a));
    if a.has_code {
        ctx.insert("syntax_css", &site.config.urls.path("syntax.css"));
    }
}

fn article<'a>(site: &Site, a: &'a Article) -> ArticleView<'a> {
    let references = a
        .references
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let source = site.corpus.get(&r.source);
            Reference {
                n: i + 1,
                url: citation_url(&site.config.urls, r),
                source_title: source.map_or_else(|| r.source.clone(), Source::display_title),
                source_url: site.config.urls.path(&format!("sources/{}/", r.source)),
                text: r.text.clone(),
                whole_source: r.sentence.is_none(),
            }
        })
        .collect();
    ArticleView {
        html: &a.html,
        headings: &a.headings,
        references,
    }
}

#[derive(Serialize)]
struct SourceCard {
    id: String,
    title: String,
    has_title: bool,
    /// "unknown" where the article does not say.
    publisher: String,
    date: String,
    /// "AInvest · 26 Oct 2025", or "publisher unknown · date unknown".
    byline: String,
    url: String,
    original_url: Option<String>,
    sentences: usize,
    topics: Vec<Link>,
}

fn source_card(site: &Site, i: usize) -> SourceCard {
    let s = &site.corpus.sources[i];
    let publisher = s
        .meta
        .publisher
        .clone()
        .unwrap_or_else(|| "publisher unknown".into());
    let date = s.meta.date.map_or_else(
        || "date unknown".into(),
        |d| d.strftime("%-d %b %Y").to_string(),
    );
    SourceCard {
        byline: format!("{publisher} · {date}"),
        id: s.meta.id.clone(),
        title: s.display_title(),
        has_title: s.meta.title.is_some(),
        publisher: s.meta.publisher.clone().unwrap_or_else(|| "unknown".into()),
        date: s
            .meta
            .date
            .map_or_else(|| "unknown".into(), |d| d.strftime("%-d %b %Y").to_string()),
        url: site.config.urls.path(&format!("sources/{}/", s.meta.id)),
        original_url: s.meta.url.clone(),
        sentences: s.sentence_count(),
        topics: site
            .topic_index
            .topics_of(i)
            .iter()
            .filter_map(|slug| site.topics.iter().find(|t| t.meta.slug == *slug))
            .map(|t| topic_link(site, t))
            .collect(),
    }
}

#[derive(Serialize)]
struct TopicCard {
    title: String,
    summary: String,
    url: String,
    passages: usize,
    sources: usize,
    /// The counts as shown: "169,917".
    passages_shown: String,
    sources_shown: String,
}

/// A count with thousands separators, as English text writes it.
fn count(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(d);
    }
    out
}

fn topic_cards(site: &Site) -> Vec<TopicCard> {
    site.topics.iter().map(|t| topic_card(site, t)).collect()
}

fn topic_card(site: &Site, t: &Topic) -> TopicCard {
    let passages = site.topic_index.passages(&t.meta.slug);
    let mut sources: Vec<usize> = passages.iter().map(|p| p.source).collect();
    sources.dedup();
    TopicCard {
        title: t.meta.title.clone(),
        summary: t.meta.summary.clone(),
        url: topic_link(site, t).url,
        passages: passages.len(),
        sources: sources.len(),
        passages_shown: count(passages.len()),
        sources_shown: count(sources.len()),
    }
}

/// How much of a long list a page shows before it links to the whole of it.
/// The real explainer is far below these; a 10,000-article site would
/// otherwise put every source on its home page and every matching sentence
/// of 10,000 articles on each topic page (35 MB at that size).
const HOME_SOURCES: usize = 12;
const HOME_PAGES: usize = 20;
const TOPIC_SOURCE_GROUPS: usize = 30;

pub fn home(site: &Site) -> Result<Context, tera::Error> {
    let h = &site.home;
    let mut ctx = base(site, &h.meta.title, &h.meta.description, "", "home");
    insert_article(&mut ctx, site, &h.article);
    ctx.insert(
        "jsonld",
        &article_ld(site, &h.meta.title, &h.meta.description, "", &h.article),
    );
    ctx.insert("topics", &topic_cards(site));
    let sources = site.corpus.sources.len();
    ctx.insert(
        "sources",
        &(0..sources.min(HOME_SOURCES))
            .map(|i| source_card(site, i))
            .collect::<Vec<_>>(),
    );
    ctx.insert("sources_total", &sources);
    ctx.insert("sources_total_shown", &count(sources));
    ctx.insert(
        "pages",
        &site
            .pages
            .iter()
            .take(HOME_PAGES)
            .map(|p| page_link(site, p))
            .collect::<Vec<_>>(),
    );
    ctx.insert("pages_total", &site.pages.len());
    Ok(ctx)
}

fn page_link(site: &Site, p: &Page) -> Link {
    Link {
        title: p.meta.title.clone(),
        url: site.config.urls.path(&p.meta.url_path),
    }
}

#[derive(Serialize)]
struct PassageGroup {
    source: SourceCard,
    passages: Vec<Link>,
}

#[derive(Serialize)]
struct EventView<'a> {
    #[serde(flatten)]
    event: &'a Event,
    date_human: String,
    end_human: Option<String>,
    month: String,
    topic_links: Vec<Link>,
    references: Vec<Link>,
}

fn event_view<'a>(site: &Site, e: &'a Event) -> EventView<'a> {
    let month = crate::dates::PartialDate {
        day: None,
        ..e.date
    };
    EventView {
        event: e,
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
        references: distinct_sources(site, &e.citations),
    }
}

/// One link per cited source, to the first sentence cited from it.
fn distinct_sources(site: &Site, citations: &[crate::cite::Resolved]) -> Vec<Link> {
    let mut seen: Vec<&str> = Vec::new();
    let mut links = Vec::new();
    for c in citations {
        if seen.contains(&c.source.as_str()) {
            continue;
        }
        seen.push(&c.source);
        let title = site
            .corpus
            .get(&c.source)
            .map_or_else(|| c.source.clone(), Source::display_title);
        links.push(Link {
            title,
            url: citation_url(&site.config.urls, c),
        });
    }
    links
}

pub fn topic(site: &Site, t: &Topic) -> Result<Context, tera::Error> {
    let rel = format!("topics/{}/", t.meta.slug);
    let mut ctx = base(site, &t.meta.title, &t.meta.summary, &rel, "topic");
    ctx.insert("topic", &topic_card(site, t));
    insert_article(&mut ctx, site, &t.article);
    ctx.insert(
        "jsonld",
        &article_ld(site, &t.meta.title, &t.meta.summary, &rel, &t.article),
    );
    let mut groups: Vec<PassageGroup> = Vec::new();
    let (mut groups_total, mut last_source) = (0, None);
    for p in site.topic_index.passages(&t.meta.slug) {
        let s = &site.corpus.sources[p.source];
        if last_source != Some(p.source) {
            groups_total += 1;
            last_source = Some(p.source);
        }
        if groups_total > TOPIC_SOURCE_GROUPS {
            continue;
        }
        let text = s
            .sentence(&p.sentence)
            .map_or_else(String::new, |x| x.text.clone());
        let link = Link {
            title: text,
            url: format!(
                "{}#{}",
                site.config.urls.path(&format!("sources/{}/", s.meta.id)),
                p.sentence
            ),
        };
        match groups.last_mut() {
            Some(g) if g.source.id == s.meta.id => g.passages.push(link),
            _ => groups.push(PassageGroup {
                source: source_card(site, p.source),
                passages: vec![link],
            }),
        }
    }
    ctx.insert("groups", &groups);
    ctx.insert("groups_total", &groups_total);
    ctx.insert("groups_total_shown", &count(groups_total));
    ctx.insert(
        "events",
        &site
            .timeline
            .for_topic(&t.meta.slug)
            .map(|e| event_view(site, e))
            .collect::<Vec<_>>(),
    );
    Ok(ctx)
}

#[derive(Serialize)]
struct ParagraphView<'a> {
    id: &'a str,
    heading: bool,
    sentences: Vec<SentenceView<'a>>,
}

#[derive(Serialize)]
struct SentenceView<'a> {
    id: &'a str,
    text: &'a str,
}

pub fn source(site: &Site, i: usize) -> Result<Context, tera::Error> {
    let s = &site.corpus.sources[i];
    let title = s.display_title();
    let rel = format!("sources/{}/", s.meta.id);
    let description = format!("The cleaned text of “{title}”, with an anchor on every sentence.");
    let mut ctx = base(site, &title, &description, &rel, "source");
    ctx.insert("source", &source_card(site, i));
    ctx.insert("file", &s.meta.file);
    ctx.insert("notes", &s.meta.notes);
    ctx.insert("listed", &s.meta.listed);
    let paragraphs: Vec<ParagraphView<'_>> = s
        .paragraphs
        .iter()
        .map(|p| ParagraphView {
            id: &p.id,
            heading: p.heading,
            sentences: p
                .sentences
                .iter()
                .map(|x| SentenceView {
                    id: &x.id,
                    text: &x.text,
                })
                .collect(),
        })
        .collect();
    ctx.insert("paragraphs", &paragraphs);
    ctx.insert("dropped", &s.dropped);
    let backlinks: Vec<Link> = site
        .backlinks
        .get(&s.meta.id)
        .map(|bs| {
            bs.iter()
                .map(|b| Link {
                    title: b.title.clone(),
                    url: site.config.urls.path(&b.url_path),
                })
                .collect()
        })
        .unwrap_or_default();
    ctx.insert("backlinks", &backlinks);
    Ok(ctx)
}

pub fn sources(site: &Site) -> Result<Context, tera::Error> {
    let mut ctx = base(
        site,
        "Sources",
        "Every article this explainer rests on, cleaned, with an anchor on every sentence.",
        "sources/",
        "sources",
    );
    ctx.insert(
        "sources",
        &(0..site.corpus.sources.len())
            .map(|i| source_card(site, i))
            .collect::<Vec<_>>(),
    );
    Ok(ctx)
}

pub fn page(site: &Site, p: &Page) -> Result<Context, tera::Error> {
    let mut ctx = base(
        site,
        &p.meta.title,
        &p.meta.description,
        &p.meta.url_path,
        "page",
    );
    insert_article(&mut ctx, site, &p.article);
    ctx.insert(
        "jsonld",
        &article_ld(
            site,
            &p.meta.title,
            &p.meta.description,
            &p.meta.url_path,
            &p.article,
        ),
    );
    ctx.insert("date", &p.meta.date.map(|d| d.human()));
    Ok(ctx)
}

#[derive(Serialize)]
struct MonthGroup<'a> {
    month: String,
    id: String,
    events: Vec<EventView<'a>>,
}

/// The timeline page, whole or filtered to one topic (`/timeline/<slug>/`).
pub fn timeline(site: &Site, filter: Option<&Topic>) -> Result<Context, tera::Error> {
    let (title, rel) = match filter {
        Some(t) => (
            format!("Timeline: {}", t.meta.title),
            format!("timeline/{}/", t.meta.slug),
        ),
        None => ("Timeline".to_string(), "timeline/".to_string()),
    };
    let mut ctx = base(
        site,
        &title,
        "Every dated event of the truce, in order, each citing its sources.",
        &rel,
        "timeline",
    );
    let mut filters = vec![Link {
        title: "All topics".into(),
        url: site.config.urls.path("timeline/"),
    }];
    filters.extend(site.topics.iter().map(|t| Link {
        title: t.meta.title.clone(),
        url: site.config.urls.path(&format!("timeline/{}/", t.meta.slug)),
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
                    "url": format!("{}#{}", u.absolute("timeline/"), e.id),
                    "description": e.citations.first().map(|c| c.text.as_str()).unwrap_or(""),
                }
            })
        })
        .collect();
    ctx.insert("jsonld", &json_ld(&serde_json::json!({"@context": "https://schema.org", "@type": "ItemList", "name": "Timeline", "itemListElement": items})));
    Ok(ctx)
}

pub fn search(site: &Site) -> Result<Context, tera::Error> {
    let mut ctx = base(
        site,
        "Search",
        "Search the topics, the timeline and the text of every source.",
        "search/",
        "search",
    );
    ctx.insert("index_url", &site.config.urls.path("search-index.json"));
    ctx.insert("script_url", &site.config.urls.path("search.js"));
    Ok(ctx)
}

pub fn not_found(site: &Site) -> Result<Context, tera::Error> {
    let mut ctx = base(
        site,
        "Page not found",
        "This page does not exist.",
        "404.html",
        "404",
    );
    ctx.insert("topics", &topic_cards(site));
    Ok(ctx)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_get_thousands_separators() {
        let shown: Vec<String> = [0, 999, 1000, 169_917, 1_234_567].map(count).into();
        assert_eq!(shown, ["0", "999", "1,000", "169,917", "1,234,567"]);
    }
}
