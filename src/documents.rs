//! Rendering authored documents: markdown to HTML with every citation
//! verified against the corpus. The first half of enrichment; `site`
//! puts the results together.

use rayon::prelude::*;

use crate::article;
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
    Ok((
        Documents {
            home,
            topics,
            pages,
        },
        events,
    ))
}
