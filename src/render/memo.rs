//! Pages and files kept from the live site when what they are made from
//! hashes the same as when it was written: a source page, the timeline's
//! pages and data files. What each key hashes is all its template or
//! writer reads; the output stamps (`output::stamps`) check that the live
//! file still holds what that key made.

use crate::hash::HashMap;
use std::io;

use rayon::prelude::*;

use super::{Claims, Edit, Made, OutputFile, Sink, view};
use crate::cache::{Cache, Key, KeyHasher};
use crate::diag::Diagnostic;
use crate::site::{Page, Site};
use crate::urls::Route;

/// The parts of keys every page, and every timeline file, share.
pub(super) struct Keys {
    site: KeyHasher,
    timeline: KeyHasher,
    /// Each event's key: all its entry in the timeline's files shows.
    pub(super) events: Vec<Key>,
}

impl Keys {
    pub(super) fn new(site: &Site, templates: Key, edited: bool) -> Self {
        let site_key = site_key(site, templates, edited);
        let events = event_keys(site);
        Self {
            timeline: timeline_key(&events, &site_key),
            events,
            site: site_key,
        }
    }

    /// The key of a page that can be kept, or `None` (always rendered).
    pub(super) fn page(
        &self,
        route: Route<'_>,
        site: &Site,
        sources: &HashMap<&str, usize>,
        pages: &HashMap<&str, usize>,
        lists: &view::SourceLists<'_>,
    ) -> Option<Key> {
        let list = |topic, n| view::sources_key(site, lists, topic, n, &self.site);
        match route {
            Route::Sources => Some(list(None, 1)),
            Route::SourcesList(topic, n) => Some(list(topic, n)),
            Route::Source(id) => sources
                .get(id)
                .map(|&i| view::source_key(site, i, &self.site)),
            Route::Page(url) => pages
                .get(url)
                .map(|&i| page_key(site, &site.pages[i], &self.site)),
            Route::Timeline | Route::TimelineTopic(_) => Some(self.timeline(&route.file())),
            _ => None,
        }
    }

    /// The key of the timeline page or data file at `path`.
    pub(super) fn timeline(&self, path: &str) -> Key {
        self.timeline.clone().str(path).finish()
    }
}

/// A hash of everything [`view::page`] reads of `p` (its front matter, its
/// rendered text, every source it cites), added to `site_key` (what every
/// page reads). Whatever `page` comes to read must be hashed here too.
fn page_key(site: &Site, p: &Page, site_key: &KeyHasher) -> Key {
    let mut k = site_key.clone();
    k.str("authored page").str(&format!("{:?}", p.meta));
    hash_article(&p.article, &mut k);
    for r in &p.article.references {
        k.u128(site.corpus.sources[r.source()].digest());
    }
    k.finish()
}

/// What every page reads of the site as a whole (its settings, the topics
/// in the navigation, the templates): the first part of a page's key.
fn site_key(site: &Site, templates: Key, edited: bool) -> KeyHasher {
    let mut k = KeyHasher::new("site");
    k.u128(templates)
        .str(&format!("{:?}", site.config))
        .str(&format!("{:?}", site.as_of))
        .u64(u64::from(edited))
        .u64(u64::from(site.has_code))
        .u64(u64::from(site.commitments.is_empty()));
    for t in &site.topics {
        k.str(&format!("{:?}", t.meta));
    }
    k
}

/// What the timeline's pages and data files read: every event, and the
/// text and metadata of every source an event cites (besides `site_key`).
fn timeline_key(events: &[Key], site_key: &KeyHasher) -> KeyHasher {
    let mut k = site_key.clone();
    k.str("timeline");
    for e in events {
        k.u128(*e);
    }
    k
}

/// Per event: the event, and the text and metadata of every source it cites.
fn event_keys(site: &Site) -> Vec<Key> {
    site.timeline
        .events
        .par_iter()
        .map(|e| {
            let mut k = KeyHasher::new("event");
            hash_event(e, &mut k);
            for c in e.citations.iter().chain(&e.also) {
                k.u128(site.corpus.sources[c.source()].digest());
            }
            k.finish()
        })
        .collect()
}

/// Every field of `e`, through `Hash` rather than printed: one found event
/// can cite ten thousand sentences. Named one by one, so that a new field
/// does not compile until it is hashed here.
fn hash_event(e: &crate::timeline::Event, k: &mut KeyHasher) {
    let crate::timeline::Event {
        id,
        date,
        end,
        precision,
        title,
        body,
        topics,
        extracted,
        approximate,
        date_basis,
        phrase,
        citations,
        also,
    } = e;
    k.hashed(&(id, date, end, precision, title, topics, extracted))
        .hashed(&(approximate, date_basis, phrase, citations, also));
    match body {
        None => k.u64(0),
        Some(a) => hash_article(a, k),
    };
}

/// An article by its own key, which says all it was made from without
/// printing it; printed when it has none.
fn hash_article<'k>(a: &crate::article::Article, k: &'k mut KeyHasher) -> &'k mut KeyHasher {
    match a.key {
        0 => k.str(&format!("{a:?}")),
        made_of => k.u128(made_of),
    }
}

/// Files kept from the live site while their inputs hash the same.
pub(super) struct Memo<'a> {
    pub(super) cache: &'a Cache,
    pub(super) sink: &'a dyn Sink,
    pub(super) edit: Option<&'a Edit>,
    pub(super) claims: &'a Claims,
}

impl Memo<'_> {
    /// Put a file that is always made: claimed, edited, written.
    pub(super) fn put(&self, owner: &str, mut f: OutputFile) -> Result<(), Diagnostic> {
        self.claims.claim(&f.path, owner)?;
        if let Some(edit) = self.edit {
            edit(&mut f);
        }
        let path = f.path.clone();
        self.sink
            .put(f)
            .map_err(|e| Diagnostic::error(&path, format!("cannot write: {e}")))
    }

    /// The file at `path`, kept if `key` says the live site's file holds
    /// what `make` would make, else made and put.
    pub(super) fn file(
        &self,
        path: &str,
        key: Key,
        owner: &str,
        make: impl FnOnce() -> Result<OutputFile, Diagnostic>,
    ) -> Result<(), Diagnostic> {
        self.file_of_parts(path, key, owner, || {}, || make().map(Made::Whole))
    }

    /// [`Memo::file`] of a file made of cached parts: `kept` keeps them
    /// for a later build when the file is kept without being made.
    pub(super) fn file_of_parts(
        &self,
        path: &str,
        key: Key,
        owner: &str,
        kept: impl FnOnce(),
        make: impl FnOnce() -> Result<Made, Diagnostic>,
    ) -> Result<(), Diagnostic> {
        let cannot_write = |e: io::Error| Diagnostic::error(path, format!("cannot write: {e}"));
        self.claims.claim(path, owner)?;
        if let Some(hash) = self.cache.peek::<Key>(key)
            && self.sink.keep(path, hash).map_err(cannot_write)?
        {
            kept();
            return Ok(());
        }
        let mut f = match make()? {
            Made::Whole(f) => f,
            Made::Parts { path, parts } if self.edit.is_none() || !super::edited(&path) => {
                let hash = crate::cache::parts_hash(&super::part_bytes(&parts));
                self.cache.put(key, &hash);
                return self
                    .sink
                    .put_parts(&path, &parts, hash)
                    .map_err(cannot_write);
            }
            Made::Parts { path, parts } => OutputFile {
                path,
                bytes: parts
                    .iter()
                    .map(|p| p.as_str())
                    .collect::<String>()
                    .into_bytes(),
            },
        };
        if let Some(edit) = self.edit {
            edit(&mut f);
        }
        let hash = crate::cache::content_hash(&f.bytes);
        self.cache.put(key, &hash);
        self.sink.put_hashed(f, hash).map_err(cannot_write)
    }
}
