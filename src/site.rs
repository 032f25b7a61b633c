//! The assembled site: every document rendered, every citation resolved,
//! every cross-reference (topics, back-links) computed, every URL checked
//! against the route table. Built once per build and then only borrowed by
//! the renderer.

use std::path::{Path, PathBuf};

use crate::hash::HashMap;

use crate::article::Article;
use crate::config::Config;
use crate::content::{HomeMeta, PageMeta, TopicMeta};
use crate::diag::Diagnostic;
use std::sync::Arc;

use crate::documents::Documents;
use crate::seeds::Corpus;
use crate::timeline::Timeline;
use crate::topics::TopicIndex;
use crate::urls::{self, Route};

pub struct Home {
    pub meta: HomeMeta,
    pub article: Arc<Article>,
}

pub struct Topic {
    pub meta: TopicMeta,
    pub path: PathBuf,
    pub article: Arc<Article>,
    /// Each version of each of `meta.numbers`, in order, with its citation.
    pub numbers: Vec<Arc<Article>>,
}

/// A promise of the deal with its checked citations: the promise's, and
/// one per data point, in the order of `meta.points`.
pub struct Commitment {
    pub meta: crate::content::commitment::CommitmentMeta,
    pub path: PathBuf,
    pub article: Arc<Article>,
    pub promise: Arc<Article>,
    pub points: Vec<Arc<Article>>,
}

pub struct Page {
    pub meta: PageMeta,
    pub path: PathBuf,
    pub article: Arc<Article>,
}

/// A page that cites a source.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Backlink {
    pub title: String,
    pub url_path: String,
}

/// Who cites one source sentence, and which of its words.
#[derive(Debug, Default, Hash)]
pub struct CitedBy {
    pub pages: Vec<Backlink>,
    pub quotes: Vec<String>,
}

pub struct Site {
    pub config: Config,
    pub corpus: std::sync::Arc<Corpus>,
    pub home: Home,
    /// Sorted by `order`, then slug.
    pub topics: Vec<Topic>,
    /// Sorted by weight, then title.
    pub pages: Vec<Page>,
    /// Sorted by `order`, then title.
    pub commitments: Vec<Commitment>,
    pub topic_index: std::sync::Arc<TopicIndex>,
    pub timeline: Timeline,
    /// Source position → pages citing it.
    pub backlinks: HashMap<usize, Vec<Backlink>>,
    /// Source sentence → the pages citing it and the words they quote.
    pub cited_by: HashMap<crate::refs::SentenceRef, CitedBy>,
    /// Source position → its sentences in `cited_by`, in text order: at
    /// 10,000 articles most sources have none, and a page's key would
    /// otherwise look up every sentence.
    pub cited_in: HashMap<usize, Vec<crate::refs::SentenceRef>>,
    pub has_code: bool,
    /// The day the record is told up to: `[timeline] as_of`, else the
    /// newest date of any source (its own date or its reference date).
    pub as_of: Option<jiff::civil::Date>,
}

/// Put the site together. Fails on URL collisions.
pub fn assemble(
    config: Config,
    corpus: std::sync::Arc<Corpus>,
    documents: Documents,
    topic_index: std::sync::Arc<TopicIndex>,
    timeline: Timeline,
) -> Result<Site, Vec<Diagnostic>> {
    let Documents {
        home,
        topics,
        pages,
        commitments,
    } = documents;
    check_urls(&topics, &pages, &corpus)?;
    let has_code = home.article.has_code
        || topics.iter().any(|t| t.article.has_code)
        || pages.iter().any(|p| p.article.has_code);
    let backlinks = backlinks(&home, &topics, &pages, &timeline);
    let cited_by = cited_by(&home, &topics, &pages, &commitments, &timeline);
    let mut cited_in: HashMap<usize, Vec<crate::refs::SentenceRef>> = HashMap::default();
    for r in cited_by.keys() {
        cited_in.entry(r.source()).or_default().push(*r);
    }
    for refs in cited_in.values_mut() {
        refs.sort_unstable_by_key(|r| (r.paragraph, r.sentence));
    }
    let as_of = config.as_of.or_else(|| {
        corpus
            .sources
            .iter()
            .filter_map(|s| s.meta.date.or(s.meta.reference_date))
            .max()
    });
    Ok(Site {
        as_of,
        config,
        corpus,
        home,
        topics,
        pages,
        commitments,
        topic_index,
        timeline,
        backlinks,
        cited_by,
        cited_in,
        has_code,
    })
}

/// Every generated page claims its URL first; an authored page may not
/// take a reserved one, nor one another page has.
fn check_urls<'a>(
    topics: &'a [Topic],
    pages: &'a [Page],
    corpus: &'a Corpus,
) -> Result<(), Vec<Diagnostic>> {
    let slugs: Vec<&str> = topics.iter().map(|t| t.meta.slug.as_str()).collect();
    let reserved = urls::reserved(&urls::generated(&slugs, &corpus.ids()));
    let mut errors = Vec::new();
    // Owners by path, printed only for a collision: at 10,000 articles
    // printing every one cost more than the check.
    let mut seen: HashMap<String, &'a Path> = HashMap::default();
    let mut claim = |url: String, owner: &'a Path, errors: &mut Vec<Diagnostic>| {
        if let Some(first) = seen.get(&url) {
            errors.push(Diagnostic::error(
                owner,
                format!("URL /{url} is also the URL of {}", first.display()),
            ));
        } else {
            seen.insert(url, owner);
        }
    };
    for t in topics {
        claim(Route::Topic(&t.meta.slug).rel(), &t.path, &mut errors);
    }
    for s in &corpus.sources {
        claim(Route::Source(&s.meta.id).rel(), &s.path, &mut errors);
    }
    for p in pages {
        let owner = &p.path;
        if reserved.contains(&p.meta.url_path) {
            errors.push(Diagnostic::error(
                &p.path,
                format!("URL /{} is reserved for a generated page", p.meta.url_path),
            ));
        }
        claim(Route::Page(&p.meta.url_path).rel(), owner, &mut errors);
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// Source position → the pages citing it, in page order, each once.
fn backlinks(
    home: &Home,
    topics: &[Topic],
    pages: &[Page],
    timeline: &Timeline,
) -> HashMap<usize, Vec<Backlink>> {
    let mut out: HashMap<usize, Vec<Backlink>> = HashMap::default();
    let mut add = |sources: &mut dyn Iterator<Item = usize>, title: &str, route: Route<'_>| {
        // One link per page, copied to each source: an event can cite
        // 10,000 of them.
        let b = Backlink {
            title: title.to_string(),
            url_path: route.rel(),
        };
        for source in sources {
            let list = out.entry(source).or_default();
            if !list.contains(&b) {
                list.push(b.clone());
            }
        }
    };
    let cited = |a: &Article| a.references.iter().map(|r| r.source()).collect::<Vec<_>>();
    add(&mut cited(&home.article).into_iter(), "Home", Route::Home);
    for t in topics {
        add(
            &mut cited(&t.article).into_iter(),
            &t.meta.title,
            Route::Topic(&t.meta.slug),
        );
    }
    for p in pages {
        add(
            &mut cited(&p.article).into_iter(),
            &p.meta.title,
            Route::Page(&p.meta.url_path),
        );
    }
    for e in &timeline.events {
        add(
            &mut e.citations.iter().chain(&e.also).map(|c| c.source()),
            "Timeline",
            Route::Timeline,
        );
    }
    out
}

/// For each cited sentence, the pages citing it (in site order) and the
/// words they quote: the source page marks those words and offers a way
/// back to each page.
fn cited_by(
    home: &Home,
    topics: &[Topic],
    pages: &[Page],
    commitments: &[Commitment],
    timeline: &Timeline,
) -> HashMap<crate::refs::SentenceRef, CitedBy> {
    let mut out: HashMap<crate::refs::SentenceRef, CitedBy> = HashMap::default();
    let mut add = |a: &Article, title: &str, route: Route<'_>| {
        let quoted = a.quotes.iter().map(|(c, q)| (*c, Some(q.as_str())));
        for (c, quote) in a.references.iter().map(|c| (*c, None)).chain(quoted) {
            let Some(r) = c.sentence() else { continue };
            let entry = out.entry(r).or_default();
            let b = Backlink {
                title: title.to_string(),
                url_path: route.rel(),
            };
            if !entry.pages.contains(&b) {
                entry.pages.push(b);
            }
            if let Some(q) = quote.filter(|q| !entry.quotes.iter().any(|x| x == q)) {
                entry.quotes.push(q.to_string());
            }
        }
    };
    add(&home.article, "Home", Route::Home);
    for t in topics {
        add(&t.article, &t.meta.title, Route::Topic(&t.meta.slug));
    }
    for p in pages {
        add(&p.article, &p.meta.title, Route::Page(&p.meta.url_path));
    }
    for e in timeline.events.iter().filter(|e| !e.extracted) {
        if let Some(body) = &e.body {
            add(body, "Timeline", Route::Timeline);
        }
    }
    for c in commitments {
        for a in std::iter::once(&c.article)
            .chain(&c.points)
            .chain([&c.promise])
        {
            add(a, "Promises tracker", Route::Tracker);
        }
    }
    out
}
