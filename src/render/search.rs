//! The search index: topics, pages, timeline events and every source
//! sentence, as one JSON file the search page fetches on first use.
//!
//! Built here rather than with Pagefind because the explainer's corpus is
//! small (hundreds of entries), the index must point at sentence anchors,
//! and a second toolchain at build time would cost more than this file.
//! serde_json escapes all text; the page inserts results as text nodes.

use std::borrow::Cow;
use std::io::{self, Write};

use serde::Serialize;

use crate::site::Site;

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

/// Visible text of rendered HTML: citation markers and tags dropped,
/// entities of our own escaping undone.
fn text_of(html: &str) -> String {
    const CITE: &str = "<sup class=\"cite\">";
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while !rest.is_empty() {
        let (visible, after) = match rest.find(CITE) {
            Some(start) => {
                let end = rest[start..]
                    .find("</sup>")
                    .map_or(rest.len(), |e| start + e + "</sup>".len());
                (&rest[..start], &rest[end..])
            }
            None => (rest, ""),
        };
        strip_tags(visible, &mut out);
        rest = after;
    }
    let out = out
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&");
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn strip_tags(html: &str, out: &mut String) {
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                out.push(' ');
            }
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
}

pub const PATH: &str = "search-index.json";

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
            u: u.path(&format!("topics/{}/", t.meta.slug)),
            k: "topic",
            x: Cow::Owned(format!("{} {}", t.meta.summary, text_of(&t.article.html))),
        })?;
    }
    for p in &site.pages {
        push(Doc {
            t: Cow::Borrowed(&p.meta.title),
            u: u.path(&p.meta.url_path),
            k: "page",
            x: Cow::Owned(text_of(&p.article.html)),
        })?;
    }
    for e in &site.timeline.events {
        push(Doc {
            t: Cow::Owned(format!("{} — {}", e.date.human(), e.title)),
            u: format!("{}#{}", u.path("timeline/"), e.id),
            k: "event",
            x: Cow::Owned(text_of(&e.body_html)),
        })?;
    }
    for s in &site.corpus.sources {
        let title = s.display_title();
        let page = u.path(&format!("sources/{}/", s.meta.id));
        for x in s.sentences() {
            push(Doc {
                t: Cow::Borrowed(&title),
                u: format!("{page}#{}", x.id),
                k: "source",
                x: Cow::Borrowed(&x.text),
            })?;
        }
    }
    out.write_all(b"]}")
}
