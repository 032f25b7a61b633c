//! Serialise-only views handed to templates.
//!
//! Each page kind gets one function building its Tera context from `&Site`.
//! URLs are made here from the route table, never in templates, so a base
//! path works everywhere. Sentence text is borrowed from the corpus here,
//! at the last moment, through the references the stages passed along.

mod cards;
mod source;
mod sources;
mod timeline;
mod topic;
mod tracker;

use serde::Serialize;
use tera::Context;

use crate::article::{Article, citation_url, cited_text};
use crate::markdown::Heading;
use crate::site::{Page, Site, Topic};
use crate::urls::Route;
use cards::{count, source_card, topic_cards};
pub use source::{source, source_key};
pub use sources::{SourceLists, source_lists, sources, sources_key};
pub use timeline::timeline;
pub use topic::topic;
pub use tracker::tracker;

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
    tracker_url: Option<String>,
    /// The as-of day (`YYYY-MM-DD`) and as readers see it.
    as_of: Option<String>,
    as_of_human: Option<String>,
}

#[derive(Serialize, Clone)]
pub struct Link {
    title: String,
    url: String,
    /// A topic's colour, 1 to 6 by its place in the topic order (labels).
    #[serde(skip_serializing_if = "Option::is_none")]
    hue: Option<usize>,
}

/// Topic colours the stylesheet defines; more topics reuse them in turn.
const HUES: usize = 6;

/// The colour of the topic at `position` in the topic order.
fn hue(position: usize) -> Option<usize> {
    Some(position % HUES + 1)
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
    /// The source's short editorial name; `source_full` is its whole title.
    source_title: String,
    source_full: String,
    source_url: String,
    text: String,
    whole_source: bool,
    /// The quoted sentence is garbled in the source as received.
    sic: bool,
    /// "no date", "publisher unknown", the editor's flags.
    provenance: Vec<String>,
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
            home_url: u.of(Route::Home),
            stylesheet: u.of(Route::Stylesheet),
            favicon: u.of(Route::Favicon),
            nav: site.topics.iter().map(|t| topic_link(site, t)).collect(),
            sources_url: u.of(Route::Sources),
            timeline_url: u.of(Route::Timeline),
            feed: u.of(Route::Feed),
            search_url: u.of(Route::Search),
            tracker_url: (!site.commitments.is_empty()).then(|| u.of(Route::Tracker)),
            as_of: site.as_of.map(|d| d.to_string()),
            as_of_human: site
                .as_of
                .map(|d| crate::dates::PartialDate::day(d).human()),
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
        let url = u.absolute_of(Route::Source(&site.corpus.sources[r.source()].meta.id));
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
        url: site.config.urls.of(Route::Topic(&t.meta.slug)),
        hue: site
            .topics
            .iter()
            .position(|x| x.meta.slug == t.meta.slug)
            .and_then(hue),
    }
}

/// Link the code stylesheet only on pages that have highlighted code.
fn insert_article(ctx: &mut Context, site: &Site, a: &Article) {
    ctx.insert("article", &article(site, a));
    if a.has_code {
        ctx.insert("syntax_css", &site.config.urls.of(Route::SyntaxCss));
    }
}

fn article<'a>(site: &Site, a: &'a Article) -> ArticleView<'a> {
    article_with(site, a, &a.references)
}

/// The article's view with `refs` as the page's reference list (its own
/// references first, then those of other texts on the page).
fn article_with<'a>(site: &Site, a: &'a Article, refs: &[crate::refs::Cited]) -> ArticleView<'a> {
    let references = refs
        .iter()
        .enumerate()
        .map(|(i, &r)| {
            let source = &site.corpus.sources[r.source()];
            Reference {
                n: i + 1,
                url: citation_url(&site.config.urls, &site.corpus, r),
                source_title: source.short_name(),
                source_full: source.display_title(),
                provenance: source.provenance(),
                source_url: site.config.urls.of(Route::Source(&source.meta.id)),
                text: inner_quotes(&match r.sentence() {
                    Some(at) => site.corpus.text_with_gaps(at),
                    None => cited_text(&site.corpus, r),
                }),
                whole_source: r.sentence().is_none(),
                sic: r.sentence().is_some_and(|at| {
                    let anchor = at.to_string();
                    source.meta.sic.iter().any(|(a, _)| *a == anchor)
                }),
            }
        })
        .collect();
    ArticleView {
        html: &a.html,
        headings: &a.headings,
        references,
    }
}

/// How much of a long list the home page shows before it links to the
/// whole of it. The real explainer is far below these; a 10,000-article
/// site would otherwise put every source on its home page.
const HOME_SOURCES: usize = 12;
const HOME_PAGES: usize = 20;

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
    ctx.insert("rests_on", &rests_on(site));
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
        url: site.config.urls.of(Route::Page(&p.meta.url_path)),
        hue: None,
    }
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

pub fn search(site: &Site) -> Result<Context, tera::Error> {
    let mut ctx = base(
        site,
        "Search",
        "Search the topics, the timeline and the text of every source.",
        &Route::Search.rel(),
        "search",
    );
    ctx.insert("index_url", &site.config.urls.of(Route::SearchIndex));
    ctx.insert("script_url", &site.config.urls.of(Route::SearchScript));
    Ok(ctx)
}

pub fn not_found(site: &Site) -> Result<Context, tera::Error> {
    let mut ctx = base(
        site,
        "Page not found",
        "This page does not exist.",
        &Route::NotFound.rel(),
        "404",
    );
    ctx.insert("topics", &topic_cards(site));
    Ok(ctx)
}

/// One line on what the explainer rests on: how many sources, and how
/// many of them lack a date or a publisher or carry an editor's flag.
fn rests_on(site: &Site) -> String {
    let sources = &site.corpus.sources;
    let n = sources.len();
    let undated = sources.iter().filter(|s| s.meta.date.is_none()).count();
    let unknown = sources
        .iter()
        .filter(|s| s.meta.publisher.is_none())
        .count();
    let mut flags: Vec<(String, usize)> = Vec::new();
    for f in sources.iter().flat_map(|s| &s.meta.flags) {
        match flags.iter_mut().find(|(g, _)| g == f) {
            Some((_, k)) => *k += 1,
            None => flags.push((f.clone(), 1)),
        }
    }
    let mut parts = vec![
        format!("{} of them undated", count(undated)),
        format!("{} from an unknown publisher", count(unknown)),
    ];
    parts.extend(flags.iter().map(|(f, k)| format!("{} {f}", count(*k))));
    format!(
        "This explainer rests on {} news source{}: {}.",
        count(n),
        if n == 1 { "" } else { "s" },
        parts.join(", ")
    )
}

/// A quotation's own quotation marks, made the inner ones: the page sets it
/// in curly double quotes (`<q>`), so “ ” and straight " inside become
/// ‘ ’, never doubled marks or straight ones.
/// A one-line text's HTML without the paragraph markdown put round it.
pub(super) fn inline(html: String) -> String {
    let t = html.trim();
    match t.strip_prefix("<p>").and_then(|t| t.strip_suffix("</p>")) {
        Some(inner) if !inner.contains("<p>") => inner.to_string(),
        _ => html,
    }
}

pub(crate) fn inner_quotes(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut prev: Option<char> = None;
    for c in text.chars() {
        out.push(match c {
            '“' => '‘',
            '”' => '’',
            '"' if prev.is_none_or(|p| p.is_whitespace() || "([{—–-".contains(p)) => '‘',
            '"' => '’',
            _ => c,
        });
        prev = Some(c);
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn quotes_inside_a_quotation_become_single_and_curly() {
        assert_eq!(
            super::inner_quotes("“China's commitment is firm” he wrote."),
            "‘China's commitment is firm’ he wrote."
        );
        assert_eq!(
            super::inner_quotes("He said \"deal\" twice (\"done\")."),
            "He said ‘deal’ twice (‘done’)."
        );
    }
}
