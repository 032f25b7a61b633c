//! The search index: topics, pages, timeline events and every source
//! sentence, as one JSON file the search page fetches on first use.
//!
//! Entries are made from what the stages handed over: each page's visible
//! text (kept by the markdown stage, citations left out) and sentence
//! references, whose anchors come from the route table. No HTML is parsed
//! back. serde_json escapes all text; the page inserts results as text nodes.

use std::borrow::Cow;
use std::io::{self, Write};

use serde::Serialize;

use crate::site::Site;
use crate::urls::Route;

#[derive(Serialize)]
struct Doc<'a> {
    /// Title shown for the result.
    t: Cow<'a, str>,
    /// URL (root-relative, with the base path).
    u: String,
    /// Kind: "topic", "page", "event" or "source".
    k: &'a str,
    /// Text searched and quoted in snippets.
    x: Cow<'a, str>,
}

/// `{"docs":[…]}`, written one entry at a time: at 10,000 pages the index
/// is about 80 MB, which would otherwise sit in memory beside the site.
pub fn write(site: &Site, out: &mut dyn Write) -> io::Result<()> {
    let u = &site.config.urls;
    out.write_all(b"{\"docs\":[")?;
    let mut first = true;
    let mut push = |d: Doc<'_>| -> io::Result<()> {
        if !std::mem::take(&mut first) {
            out.write_all(b",")?;
        }
        serde_json::to_writer(&mut *out, &d).map_err(io::Error::other)
    };
    for t in &site.topics {
        push(Doc {
            t: Cow::Borrowed(&t.meta.title),
            u: u.of(Route::Topic(&t.meta.slug)),
            k: "topic",
            x: Cow::Owned(format!("{} {}", t.meta.summary, t.article.text)),
        })?;
    }
    for p in &site.pages {
        push(Doc {
            t: Cow::Borrowed(&p.meta.title),
            u: u.of(Route::Page(&p.meta.url_path)),
            k: "page",
            x: Cow::Borrowed(&p.article.text),
        })?;
    }
    // What the pages show: the timeline, and the unreviewed list under it.
    let mode = site.config.extracted;
    let shown = |e: &&crate::timeline::Event| e.in_timeline(mode) || e.in_unreviewed(mode);
    for e in site.timeline.events.iter().filter(shown) {
        push(Doc {
            t: Cow::Owned(format!("{} — {}", e.date.human(), e.title)),
            u: format!("{}#{}", u.of(Route::Timeline), e.id),
            k: "event",
            x: e.summary(&site.corpus),
        })?;
    }
    for (i, s) in site.corpus.sources.iter().enumerate() {
        let title = s.display_title();
        for (r, text) in site.corpus.body(i) {
            push(Doc {
                t: Cow::Borrowed(&title),
                u: u.sentence(&s.meta.id, r),
                k: "source",
                x: Cow::Borrowed(text),
            })?;
        }
    }
    out.write_all(b"]}")
}
