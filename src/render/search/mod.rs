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
mod merge;
mod stored;
pub mod terms;

use std::borrow::Cow;
use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;

use crate::cache::{Cache, Key, KeyHasher};
use crate::hash::HashMap;
use crate::render::OutputFile;
use crate::site::Site;
use crate::urls::Route;

/// Where the pieces go, under the site root.
pub const DIR: &str = "search";

/// One searchable document, as its `search/d/<n>.json` file holds it.
#[derive(Serialize, Clone)]
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
    /// A hash of all the document's file holds.
    fn key(&self) -> Key {
        let mut key = KeyHasher::new("search doc");
        key.str(&self.t).str(&self.u).str(self.k);
        for [a, h, x] in &self.b {
            key.str(a).str(h).str(x);
        }
        key.finish()
    }

    /// Its terms, sorted, with their packed field weights.
    fn sorted_weights(&self) -> Weights {
        let mut w: Weights = self.weights().into_iter().collect();
        w.sort_unstable();
        w
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
/// number is its place): topics, pages and timeline events, made up front,
/// then sources, made when asked for. Each has a key, a hash of all its
/// file holds; a source's is made from its digest, not its text.
pub struct Docs<'s> {
    site: &'s Site,
    authored: Vec<Doc<'s>>,
    keys: Vec<Key>,
}

impl<'s> Docs<'s> {
    pub fn new(site: &'s Site) -> Self {
        let authored = authored(site);
        let u = &site.config.urls;
        let mut keys: Vec<Key> = authored.par_iter().map(Doc::key).collect();
        keys.par_extend(site.corpus.sources.par_iter().map(|s| {
            let mut key = KeyHasher::new("search source doc");
            key.u128(s.digest()).str(&u.of(Route::Source(&s.meta.id)));
            key.finish()
        }));
        Self {
            site,
            authored,
            keys,
        }
    }

    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// Document `n`.
    pub fn doc(&self, n: usize) -> Cow<'_, Doc<'s>> {
        match self.authored.get(n) {
            Some(d) => Cow::Borrowed(d),
            None => Cow::Owned(source_doc(self.site, n - self.authored.len())),
        }
    }

    /// What the file of document `n` is kept by.
    pub fn file_key(&self, n: usize) -> Key {
        KeyHasher::new("search doc file")
            .u128(self.keys[n])
            .u64(n as u64)
            .finish()
    }

    /// Document `n`'s terms, from `cache` when it is unchanged.
    fn weights(&self, n: usize, cache: &Cache) -> Weights {
        cache.get(stored::weights_key(self.keys[n]), || {
            self.doc(n).sorted_weights()
        })
    }

    fn kinds(&self) -> merge::Kinds {
        let mut kinds: merge::Kinds = Vec::new();
        let sources = self.site.corpus.sources.iter().map(|_| "source");
        for k in self.authored.iter().map(|d| d.k).chain(sources) {
            match kinds.last_mut() {
                Some((last, n)) if *last == k => *n += 1,
                _ => kinds.push((k, 1)),
            }
        }
        kinds
    }
}

/// Topics, authored pages and timeline events, as documents.
fn authored(site: &Site) -> Vec<Doc<'_>> {
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
    out
}

/// Source `i` as a document.
fn source_doc(site: &Site, i: usize) -> Doc<'_> {
    let s = &site.corpus.sources[i];
    Doc {
        t: Cow::Owned(s.display_title()),
        u: site.config.urls.of(Route::Source(&s.meta.id)),
        k: "source",
        b: source_blocks(site, i),
    }
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

/// The manifest and the term chunks for `docs`. A process that builds
/// again keeps the merged index and patches in the documents that changed;
/// a single build patches the last build's chunks ([`stored`]).
pub fn index_files(docs: &Docs<'_>, cache: &Cache) -> Vec<OutputFile> {
    let kinds = docs.kinds();
    let weights = |n: usize| docs.weights(n, cache);
    if !cache.keeps_values() {
        let files = stored::patched(docs, &kinds, cache).unwrap_or_else(|| {
            merge::Index::merge(docs.keys.clone(), kinds.clone(), weights).files()
        });
        stored::store(&docs.keys, &kinds, &files, cache);
        return files;
    }
    let kept = cache.take_stage::<merge::Index>("search index");
    let index = match kept.and_then(|i| Some((i.changed(&docs.keys, &kinds)?, i))) {
        Some((changed, mut index)) => {
            index.patch(docs.keys.clone(), &changed, weights);
            index
        }
        None => merge::Index::merge(docs.keys.clone(), kinds, weights),
    };
    let files = index.files();
    cache.keep_stage("search index", 0, Arc::new(index));
    files
}
