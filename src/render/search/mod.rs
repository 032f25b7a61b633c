//! The search index, in pieces a reader's browser fetches only as needed.
//!
//! One JSON file of every sentence was 68 MB at 10,000 articles, all of it
//! downloaded by a reader's first search. Now a search downloads:
//! - `search/index.json`: the manifest (stop words, where each term chunk
//!   starts, the number of documents), a few kilobytes;
//! - the chunk(s) of `search/t/` holding its terms: sorted terms, each with
//!   its postings (document, field weights), cut at about 32 KB;
//! - for each result shown, its document in `search/d/`: title, URL, kind
//!   and text as blocks (a sentence, paragraph or table row) with the anchor
//!   each links to and the section heading above it.
//!
//! A document is a topic, an authored page, a timeline event or a source;
//! the browser picks the best blocks within it for the snippet. All text
//! goes through serde_json; the page inserts results as text nodes.

mod chunks;
pub mod terms;

use std::borrow::Cow;

use rayon::prelude::*;
use serde::Serialize;

use crate::cache::{Cache, KeyHasher};
use crate::hash::HashMap;
use crate::render::OutputFile;
use crate::site::Site;
use crate::urls::Route;

/// Where the pieces go, under the site root.
pub const DIR: &str = "search";

/// One searchable document, as its `search/d/<n>.json` file holds it.
#[derive(Serialize)]
pub struct Doc<'a> {
    /// Title shown for the result.
    t: Cow<'a, str>,
    /// URL (root-relative, with the base path), without a fragment.
    u: String,
    /// Kind: "topic", "page", "event", "found" (an unreviewed date) or "source".
    k: &'static str,
    /// Blocks: `[anchor, section heading, text]`; the anchor is a fragment
    /// of `u` (a sentence or heading id), or empty for the page's top.
    b: Vec<[Cow<'a, str>; 3]>,
}

/// Field weights packed in a posting: the client ranks by them.
const IN_TITLE: u32 = 64;
const IN_HEADING: u32 = 32;
const BODY_MAX: u32 = 31;

impl Doc<'_> {
    /// [`Doc::weights`], from `cache` when the document's words are unchanged.
    fn weights_cached(&self, cache: &Cache) -> Weights {
        let mut key = KeyHasher::new("search terms");
        key.str(&self.t);
        for [_, h, x] in &self.b {
            key.str(h).str(x);
        }
        cache.get(key.finish(), || {
            let mut w: Weights = self.weights().into_iter().collect();
            w.sort_unstable();
            w
        })
    }

    /// Each term of the document with its packed field weight.
    fn weights(&self) -> HashMap<String, u32> {
        let mut w: HashMap<String, u32> = HashMap::default();
        let mut add = |t: &str, f: &dyn Fn(&mut u32)| match w.get_mut(t) {
            Some(e) => f(e),
            None => f(w.entry(t.to_string()).or_default()),
        };
        terms::each_term(&self.t, |t| add(t, &|e| *e |= IN_TITLE));
        let mut heading: Option<&str> = None;
        for [_, h, x] in &self.b {
            if heading != Some(h.as_ref()) {
                heading = Some(h);
                terms::each_term(h, |t| add(t, &|e| *e |= IN_HEADING));
            }
            terms::each_term(x, |t| {
                add(t, &|e| {
                    if *e & BODY_MAX < BODY_MAX {
                        *e += 1;
                    }
                })
            });
        }
        w
    }

    pub fn file(&self, n: usize) -> OutputFile {
        OutputFile {
            path: format!("{DIR}/d/{n}.json"),
            // Serialising strings and arrays cannot fail.
            bytes: serde_json::to_vec(self).unwrap_or_default(),
        }
    }
}

/// Every searchable document of the site, in a fixed order (a document's
/// number is its place here).
pub fn docs(site: &Site) -> Vec<Doc<'_>> {
    let u = &site.config.urls;
    let mut out = Vec::new();
    for t in &site.topics {
        let mut b = vec![[
            Cow::Borrowed(""),
            Cow::Borrowed(""),
            Cow::Borrowed(t.meta.summary.as_str()),
        ]];
        b.extend(sections(&t.article));
        out.push(Doc {
            t: Cow::Borrowed(&t.meta.title),
            u: u.of(Route::Topic(&t.meta.slug)),
            k: "topic",
            b,
        });
    }
    for p in &site.pages {
        out.push(Doc {
            t: Cow::Borrowed(&p.meta.title),
            u: u.of(Route::Page(&p.meta.url_path)),
            k: "page",
            b: sections(&p.article),
        });
    }
    // What the pages show: the timeline, and the unreviewed list under it.
    let mode = site.config.extracted;
    let timeline = u.of(Route::Timeline);
    let shown = site
        .timeline
        .events
        .iter()
        .filter(|e| e.in_timeline(mode) || e.in_unreviewed(mode));
    // Authored events, then found ones: each kind is one run of numbers.
    let (found, authored): (Vec<_>, Vec<_>) = shown.partition(|e| e.extracted);
    for e in authored.into_iter().chain(found) {
        out.push(Doc {
            t: Cow::Owned(format!("{} — {}", e.date.spelled(), e.title)),
            u: timeline.clone(),
            // A found date no editor has reviewed ranks below an authored event.
            k: if e.extracted { "found" } else { "event" },
            b: vec![[
                Cow::Borrowed(e.id.as_str()),
                Cow::Borrowed(""),
                Cow::Owned(crate::markdown::tidy(&e.summary(&site.corpus))),
            ]],
        });
    }
    for (i, s) in site.corpus.sources.iter().enumerate() {
        out.push(Doc {
            t: Cow::Owned(s.display_title()),
            u: u.of(Route::Source(&s.meta.id)),
            k: "source",
            b: source_blocks(site, i),
        });
    }
    out
}

/// An authored page's blocks, each under its section's heading.
fn sections(a: &crate::article::Article) -> Vec<[Cow<'_, str>; 3]> {
    a.sections
        .iter()
        .flat_map(|s| {
            s.blocks.iter().map(move |b| {
                [
                    Cow::Borrowed(s.anchor.as_str()),
                    Cow::Borrowed(s.heading.as_str()),
                    Cow::Borrowed(b.as_str()),
                ]
            })
        })
        .collect()
}

/// A source's sentences, each under the subhead before it.
fn source_blocks(site: &Site, i: usize) -> Vec<[Cow<'_, str>; 3]> {
    let mut heading = "";
    let mut out = Vec::new();
    for (p, para) in site.corpus.sources[i].paragraphs.iter().enumerate() {
        if para.heading {
            heading = para.sentences.first().map_or("", |s| s.text.as_str());
            continue;
        }
        for (j, s) in para.sentences.iter().enumerate() {
            let r = crate::refs::SentenceRef::new(i, p, j);
            out.push([
                Cow::Owned(r.to_string()),
                Cow::Borrowed(heading),
                Cow::Borrowed(s.text.as_str()),
            ]);
        }
    }
    out
}

/// A document's terms with their weights.
type Weights = Vec<(String, u32)>;

/// The manifest and the term chunks for `docs`.
pub fn index_files(docs: &[Doc<'_>], cache: &Cache) -> Vec<OutputFile> {
    // Terms are dealt into shards by hash so that the shards merge in
    // parallel; each keeps its postings in document order.
    const SHARDS: usize = 32;
    let hasher = ahash::RandomState::new();
    let per_doc: Vec<Vec<Weights>> = docs
        .par_iter()
        .map(|d| {
            let mut shards = vec![Vec::new(); SHARDS];
            for (term, w) in d.weights_cached(cache) {
                let shard = usize::try_from(hasher.hash_one(&term)).unwrap_or(0) % SHARDS;
                shards[shard].push((term, w));
            }
            shards
        })
        .collect();
    let mut by_shard: Vec<Vec<(u32, Weights)>> = vec![Vec::new(); SHARDS];
    for (n, shards) in per_doc.into_iter().enumerate() {
        let n = u32::try_from(n).unwrap_or(u32::MAX);
        for (i, entries) in shards.into_iter().enumerate() {
            by_shard[i].push((n, entries));
        }
    }
    let mut terms: Vec<(String, Vec<(u32, u32)>)> = by_shard
        .into_par_iter()
        .flat_map_iter(|docs| {
            let mut postings: HashMap<String, Vec<(u32, u32)>> = HashMap::default();
            for (n, entries) in docs {
                for (term, w) in entries {
                    postings.entry(term).or_default().push((n, w));
                }
            }
            postings.into_iter()
        })
        .collect();
    terms.par_sort_unstable_by(|a, b| a.0.cmp(&b.0));
    let mut kinds: Vec<(&'static str, usize)> = Vec::new();
    for d in docs {
        match kinds.last_mut() {
            Some((k, n)) if *k == d.k => *n += 1,
            _ => kinds.push((d.k, 1)),
        }
    }
    chunks::files(&terms, &kinds)
}
