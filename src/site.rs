//! The assembled site: every document rendered, every citation resolved,
//! every cross-reference (topics, back-links) computed. Built once per build
//! and then only borrowed by the renderer.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

use rayon::prelude::*;

use crate::article::{self, Article};
use crate::cite::Verifier;
use crate::config::Config;
use crate::content::{Doc, DocKind, HomeMeta, PageMeta, TopicMeta};
use crate::diag::Diagnostic;
use crate::seeds::Corpus;
use crate::timeline::{Authored, Timeline};
use crate::topics::TopicIndex;

pub struct Home {
    pub meta: HomeMeta,
    pub article: Article,
}

pub struct Topic {
    pub meta: TopicMeta,
    pub path: PathBuf,
    pub article: Article,
}

pub struct Page {
    pub meta: PageMeta,
    pub path: PathBuf,
    pub article: Article,
}

/// A page that cites a source.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Backlink {
    pub title: String,
    pub url_path: String,
}

pub struct Site {
    pub config: Config,
    pub corpus: Corpus,
    pub home: Home,
    /// Sorted by `order`, then slug.
    pub topics: Vec<Topic>,
    /// Sorted by weight, then title.
    pub pages: Vec<Page>,
    pub topic_index: TopicIndex,
    pub timeline: Timeline,
    /// Source id → pages citing it.
    pub backlinks: HashMap<String, Vec<Backlink>>,
    pub has_code: bool,
}

/// Documents rendered with verified citations, before assembly.
pub struct Rendered {
    pub home: Home,
    pub topics: Vec<Topic>,
    pub pages: Vec<Page>,
    pub events: Vec<Authored>,
}

/// Render every document; collect every citation and structure error.
pub fn render_docs(
    docs: Vec<Doc>,
    corpus: &Corpus,
    config: &Config,
) -> Result<Rendered, Vec<Diagnostic>> {
    let verifier = Verifier::new(corpus);
    let mut errors = Vec::new();
    let (mut home, mut topics, mut pages, mut events) = (None, Vec::new(), Vec::new(), Vec::new());
    // Documents only read the corpus, so they render in parallel; each
    // body is dropped as soon as it is rendered.
    let rendered: Vec<_> = docs
        .into_par_iter()
        .map(|mut doc| {
            let article = article::render(&doc, &verifier, &config.urls);
            doc.body = String::new();
            (doc, article)
        })
        .collect();
    for (doc, article) in rendered {
        let article = match article {
            Ok(a) => a,
            Err(e) => {
                errors.extend(e);
                continue;
            }
        };
        match doc.kind {
            DocKind::Home(meta) => home = Some(Home { meta, article }),
            DocKind::Topic(meta) => topics.push(Topic {
                meta,
                path: doc.path,
                article,
            }),
            DocKind::Page(meta) => pages.push(Page {
                meta,
                path: doc.path,
                article,
            }),
            DocKind::Event(meta) => {
                if article.references.is_empty() {
                    errors.push(
                        Diagnostic::error(&doc.path, "timeline event has no citation")
                            .at_line(doc.body_line)
                            .with_hint(
                                "cite the sentence it rests on, e.g. [@source-id: \"exact words\"]",
                            ),
                    );
                }
                events.push(Authored {
                    meta,
                    path: doc.path,
                    article,
                });
            }
        }
    }
    let Some(home) = home else {
        errors.push(
            Diagnostic::error("content/_index.md", "the home page is missing")
                .with_hint("create content/_index.md with +++ title = \"…\" +++"),
        );
        return Err(errors);
    };
    if !errors.is_empty() {
        return Err(errors);
    }
    topics.sort_by(|a, b| (a.meta.order, &a.meta.slug).cmp(&(b.meta.order, &b.meta.slug)));
    pages.sort_by(|a, b| (a.meta.weight, &a.meta.title).cmp(&(b.meta.weight, &b.meta.title)));
    Ok(Rendered {
        home,
        topics,
        pages,
        events,
    })
}

/// Put the site together. Fails on URL collisions and unknown topic slugs.
pub fn assemble(
    config: Config,
    corpus: Corpus,
    rendered: Rendered,
    topic_index: TopicIndex,
    timeline: Timeline,
) -> Result<Site, Vec<Diagnostic>> {
    let Rendered {
        home,
        topics,
        pages,
        events: _,
    } = rendered;
    check_urls(&topics, &pages, &corpus)?;
    let has_code = home.article.has_code
        || topics.iter().any(|t| t.article.has_code)
        || pages.iter().any(|p| p.article.has_code);
    let mut site = Site {
        config,
        corpus,
        home,
        topics,
        pages,
        topic_index,
        timeline,
        backlinks: HashMap::new(),
        has_code,
    };
    site.backlinks = backlinks(&site);
    Ok(site)
}

fn check_urls(topics: &[Topic], pages: &[Page], corpus: &Corpus) -> Result<(), Vec<Diagnostic>> {
    let reserved = ["topics/", "sources/", "timeline/", "search/"];
    let mut errors = Vec::new();
    let mut seen: BTreeMap<String, String> = BTreeMap::new();
    let mut claim = |url: String, owner: String, errors: &mut Vec<Diagnostic>| {
        if let Some(first) = seen.get(&url) {
            errors.push(Diagnostic::error(
                &owner,
                format!("URL /{url} is also the URL of {first}"),
            ));
        } else {
            seen.insert(url, owner);
        }
    };
    for t in topics {
        claim(
            format!("topics/{}/", t.meta.slug),
            t.path.display().to_string(),
            &mut errors,
        );
    }
    for s in &corpus.sources {
        claim(
            format!("sources/{}/", s.meta.id),
            s.path.display().to_string(),
            &mut errors,
        );
    }
    for p in pages {
        let owner = p.path.display().to_string();
        if reserved.contains(&p.meta.url_path.as_str()) || p.meta.url_path.is_empty() {
            errors.push(Diagnostic::error(
                &p.path,
                format!("URL /{} is reserved for a generated page", p.meta.url_path),
            ));
        }
        claim(p.meta.url_path.clone(), owner, &mut errors);
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

fn backlinks(site: &Site) -> HashMap<String, Vec<Backlink>> {
    let mut out: HashMap<String, Vec<Backlink>> = HashMap::new();
    let mut add = |article: &Article, title: &str, url_path: &str| {
        for r in &article.references {
            let b = Backlink {
                title: title.to_string(),
                url_path: url_path.to_string(),
            };
            let list = out.entry(r.source.clone()).or_default();
            if !list.contains(&b) {
                list.push(b);
            }
        }
    };
    add(&site.home.article, "Home", "");
    for t in &site.topics {
        add(
            &t.article,
            &t.meta.title,
            &format!("topics/{}/", t.meta.slug),
        );
    }
    for p in &site.pages {
        add(&p.article, &p.meta.title, &p.meta.url_path);
    }
    for e in &site.timeline.events {
        for c in &e.citations {
            let b = Backlink {
                title: "Timeline".into(),
                url_path: "timeline/".into(),
            };
            let list = out.entry(c.source.clone()).or_default();
            if !list.contains(&b) {
                list.push(b);
            }
        }
    }
    out
}
