//! Rendering authored documents: markdown to HTML with every citation
//! verified against the corpus. The first half of enrichment; `site`
//! puts the results together.

use std::sync::Arc;

use rayon::prelude::*;

use crate::article::{self, Article};
use crate::cache::{Cache, Key, KeyHasher};
use crate::cite::Verifier;
use crate::config::Config;
use crate::content::{Doc, DocKind};
use crate::diag::Diagnostic;
use crate::seeds::Corpus;
use crate::site::{Commitment, Home, Page, Topic};
use crate::timeline::Authored;

/// The site's documents rendered with verified citations, before assembly.
pub struct Documents {
    pub home: Home,
    /// Sorted by `order`, then slug.
    pub topics: Vec<Topic>,
    /// Sorted by weight, then title.
    pub pages: Vec<Page>,
    /// Sorted by order, then title.
    pub commitments: Vec<Commitment>,
}

/// Render every document; collect every citation and structure error.
/// Timeline events come back apart, for the timeline stage.
pub fn render(
    docs: Vec<Doc>,
    corpus: &Corpus,
    config: &Config,
    cache: &Cache,
) -> Result<(Documents, Vec<Authored>), Vec<Diagnostic>> {
    let verifier = Verifier::new(corpus);
    let render = Renderer {
        verifier: &verifier,
        config,
        cache,
    };
    // Documents only read the corpus, so they render in parallel; each
    // body is dropped as soon as it is rendered.
    let rendered: Vec<_> = docs
        .into_par_iter()
        .map(|mut doc| {
            let article = render.article(&doc, config.unsafe_html);
            let cited = match &doc.kind {
                DocKind::Commitment(c) => {
                    let parts =
                        std::iter::once(&c.cited_promise).chain(c.points.iter().map(|p| &p.cited));
                    cited_parts(&doc, parts, &render)
                }
                DocKind::Topic(t) => {
                    let parts = t
                        .numbers
                        .iter()
                        .flat_map(|n| n.versions.iter().map(|v| &v.cited));
                    cited_parts(&doc, parts, &render)
                }
                _ => Ok(Vec::new()),
            };
            doc.body = String::new();
            (doc, article, cited)
        })
        .collect();
    let mut sorted = Sorted::default();
    for (doc, article, cited) in rendered {
        match (article, cited) {
            (Ok(article), Ok(cited)) => sorted.add(doc, article, cited),
            (a, c) => {
                sorted.errors.extend(a.err().into_iter().flatten());
                sorted.errors.extend(c.err().into_iter().flatten());
            }
        }
    }
    sorted.finish()
}

/// Figures and promises written in front matter with a `cite` (a
/// commitment's promise and points, a topic's numbers), each checked and
/// rendered as if it were a line of prose at its `cite` key.
fn cited_parts<'a>(
    doc: &Doc,
    parts: impl Iterator<Item = &'a crate::content::front_matter::Cited>,
    render: &Renderer<'_>,
) -> Result<Vec<Arc<Article>>, Vec<Diagnostic>> {
    let mut errors = Vec::new();
    let mut out = Vec::new();
    for cited in parts {
        let line = Doc {
            path: doc.path.clone(),
            body: cited.markdown.clone(),
            body_line: cited.line,
            kind: doc.kind.clone(),
            warnings: Vec::new(),
        };
        match render.article(&line, false) {
            Ok(a) => out.push(a),
            Err(e) => errors.extend(e),
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

/// Renders authored markdown, reusing earlier results from `cache`.
struct Renderer<'a> {
    verifier: &'a Verifier<'a>,
    config: &'a Config,
    cache: &'a Cache,
}

/// What a rendered text read of the corpus: for each source it cites, its
/// position and [`crate::seeds::Source::digest`].
type Read = Vec<(usize, Key)>;

impl Renderer<'_> {
    /// [`article::render`], or its earlier result when the text is the same
    /// and every source it cited is as it was. Failures are not kept: their
    /// messages are made afresh.
    fn article(&self, doc: &Doc, allow_html: bool) -> Result<Arc<Article>, Vec<Diagnostic>> {
        let urls = &self.config.urls;
        let mut key = KeyHasher::new("article");
        key.str(&doc.path.to_string_lossy())
            .str(&doc.body)
            .u64(doc.body_line as u64)
            .str(&format!("{urls:?}"))
            .u64(u64::from(allow_html));
        let key = key.finish();
        let still = |read: &Read| read.iter().all(|r| self.read(r.0).as_ref() == Some(r));
        // Kept with its key set: the same text that read the same sources.
        if let Some(kept) = self.cache.kept_value::<(Read, Arc<Article>)>(key)
            && still(&kept.0)
        {
            return Ok(kept.1.clone());
        }
        let (read, mut article) = match self.cache.peek::<(Read, Article)>(key) {
            Some((read, article)) if still(&read) => (read, article),
            _ => {
                let article = article::render(doc, self.verifier, urls, allow_html)?;
                let mut read: Read = article
                    .cited_sources()
                    .filter_map(|p| self.read(p))
                    .collect();
                read.sort_unstable();
                read.dedup();
                self.cache.put(key, &(&read, &article));
                (read, article)
            }
        };
        article.key = made_of(key, &read);
        let article = Arc::new(article);
        self.cache
            .keep_value(key, Arc::new((read, article.clone())));
        Ok(article)
    }

    /// What a text citing the source at `position` reads of it.
    fn read(&self, position: usize) -> Option<(usize, Key)> {
        let s = self.verifier.corpus().sources.get(position)?;
        Some((position, s.digest()))
    }
}

/// [`Article::key`]: the text's key and what it read of the corpus.
fn made_of(text: Key, read: &Read) -> Key {
    let mut key = KeyHasher::new("rendered article");
    key.u128(text);
    for &(position, digest) in read {
        key.u64(position as u64).u128(digest);
    }
    key.finish()
}

/// Rendered documents sorted by kind, and the errors met on the way.
#[derive(Default)]
struct Sorted {
    home: Option<Home>,
    topics: Vec<Topic>,
    pages: Vec<Page>,
    commitments: Vec<Commitment>,
    events: Vec<Authored>,
    errors: Vec<Diagnostic>,
}

impl Sorted {
    fn add(&mut self, doc: Doc, article: Arc<Article>, mut cited: Vec<Arc<Article>>) {
        let path = doc.path;
        match doc.kind {
            DocKind::Commitment(meta) => {
                let points = cited.split_off(1.min(cited.len()));
                if let Some(promise) = cited.pop() {
                    self.commitments.push(Commitment {
                        meta: *meta,
                        path,
                        article,
                        promise,
                        points,
                    });
                }
            }
            DocKind::Home(meta) => self.home = Some(Home { meta, article }),
            DocKind::Topic(meta) => self.topics.push(Topic {
                meta,
                path,
                article,
                numbers: cited,
            }),
            DocKind::Page(meta) => self.pages.push(Page {
                meta,
                path,
                article,
            }),
            DocKind::Event(meta) => {
                if article.references.is_empty() {
                    self.errors.push(
                        Diagnostic::error(&path, "timeline event has no citation")
                            .at_line(doc.body_line)
                            .with_hint(
                                "cite the sentence it rests on, e.g. [@source-id: \"exact words\"]",
                            ),
                    );
                }
                self.events.push(Authored {
                    meta,
                    path,
                    article,
                });
            }
        }
    }

    /// The documents in reading order, or every error found.
    fn finish(mut self) -> Result<(Documents, Vec<Authored>), Vec<Diagnostic>> {
        let Some(home) = self.home else {
            self.errors.push(
                Diagnostic::error("content/_index.md", "the home page is missing")
                    .with_hint("create content/_index.md with +++ title = \"…\" +++"),
            );
            return Err(self.errors);
        };
        if !self.errors.is_empty() {
            return Err(self.errors);
        }
        let mut topics = self.topics;
        let mut pages = self.pages;
        let mut commitments = self.commitments;
        for c in &commitments {
            if !topics.iter().any(|t| t.meta.slug == c.meta.topic) {
                self.errors.push(
                    Diagnostic::error(&c.path, format!("no topic {:?}", c.meta.topic))
                        .at_line(2)
                        .with_hint("topic = the file name of a content/topics/*.md"),
                );
            }
        }
        if !self.errors.is_empty() {
            return Err(self.errors);
        }
        commitments
            .sort_by(|a, b| (a.meta.order, &a.meta.title).cmp(&(b.meta.order, &b.meta.title)));
        topics.sort_by(|a, b| (a.meta.order, &a.meta.slug).cmp(&(b.meta.order, &b.meta.slug)));
        pages.sort_by(|a, b| (a.meta.weight, &a.meta.title).cmp(&(b.meta.weight, &b.meta.title)));
        Ok((
            Documents {
                home,
                topics,
                pages,
                commitments,
            },
            self.events,
        ))
    }
}
