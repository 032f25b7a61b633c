//! Rendering authored documents: markdown to HTML with every citation
//! verified against the corpus. The first half of enrichment; `site`
//! puts the results together.

use rayon::prelude::*;

use crate::article::{self, Article};
use crate::cite::Verifier;
use crate::config::Config;
use crate::content::{Doc, DocKind};
use crate::diag::Diagnostic;
use crate::seeds::Corpus;
use crate::site::{Home, Page, Topic};
use crate::timeline::Authored;

/// The site's documents rendered with verified citations, before assembly.
pub struct Documents {
    pub home: Home,
    /// Sorted by `order`, then slug.
    pub topics: Vec<Topic>,
    /// Sorted by weight, then title.
    pub pages: Vec<Page>,
}

/// Render every document; collect every citation and structure error.
/// Timeline events come back apart, for the timeline stage.
pub fn render(
    docs: Vec<Doc>,
    corpus: &Corpus,
    config: &Config,
) -> Result<(Documents, Vec<Authored>), Vec<Diagnostic>> {
    let verifier = Verifier::new(corpus);
    // Documents only read the corpus, so they render in parallel; each
    // body is dropped as soon as it is rendered.
    let rendered: Vec<_> = docs
        .into_par_iter()
        .map(|mut doc| {
            let article = article::render(&doc, &verifier, &config.urls, config.unsafe_html);
            doc.body = String::new();
            (doc, article)
        })
        .collect();
    let mut sorted = Sorted::default();
    for (doc, article) in rendered {
        match article {
            Ok(article) => sorted.add(doc, article),
            Err(e) => sorted.errors.extend(e),
        }
    }
    sorted.finish()
}

/// Rendered documents sorted by kind, and the errors met on the way.
#[derive(Default)]
struct Sorted {
    home: Option<Home>,
    topics: Vec<Topic>,
    pages: Vec<Page>,
    events: Vec<Authored>,
    errors: Vec<Diagnostic>,
}

impl Sorted {
    fn add(&mut self, doc: Doc, article: Article) {
        let path = doc.path;
        match doc.kind {
            DocKind::Home(meta) => self.home = Some(Home { meta, article }),
            DocKind::Topic(meta) => self.topics.push(Topic {
                meta,
                path,
                article,
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
        topics.sort_by(|a, b| (a.meta.order, &a.meta.slug).cmp(&(b.meta.order, &b.meta.slug)));
        pages.sort_by(|a, b| (a.meta.weight, &a.meta.title).cmp(&(b.meta.weight, &b.meta.title)));
        Ok((
            Documents {
                home,
                topics,
                pages,
            },
            self.events,
        ))
    }
}
