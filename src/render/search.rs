//! The search index: topics, pages, timeline events and every source
//! sentence, as one small JSON file the search page fetches on first use.
//!
//! Built here rather than with Pagefind because the corpus is small
//! (hundreds of entries), the index must point at sentence anchors, and a
//! second toolchain at build time would cost more than these 80 lines.
//! serde_json escapes all text; the page inserts results as text nodes.

use serde::Serialize;

use super::OutputFile;
use crate::site::Site;

#[derive(Serialize)]
struct Doc<'a> {
    /// Title shown for the result.
    t: String,
    /// URL (root-relative, with the base path).
    u: String,
    /// Kind: "topic", "page", "event" or "source".
    k: &'a str,
    /// Text searched and quoted in snippets.
    x: String,
}

/// Visible text of rendered HTML: citation markers and tags dropped,
/// entities of our own escaping undone.
fn text_of(html: &str) -> String {
    let mut html = html.to_string();
    while let Some(start) = html.find("<sup class=\"cite\">") {
        let end = html[start..]
            .find("</sup>")
            .map_or(html.len(), |e| start + e + "</sup>".len());
        html.replace_range(start..end, "");
    }
    let html = html.as_str();
    let mut out = String::with_capacity(html.len());
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
    let out = out
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&");
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

pub fn file(site: &Site) -> OutputFile {
    let u = &site.config.urls;
    let mut docs = Vec::new();
    for t in &site.topics {
        let x = format!("{} {}", t.meta.summary, text_of(&t.article.html));
        docs.push(Doc {
            t: t.meta.title.clone(),
            u: u.path(&format!("topics/{}/", t.meta.slug)),
            k: "topic",
            x,
        });
    }
    for p in &site.pages {
        docs.push(Doc {
            t: p.meta.title.clone(),
            u: u.path(&p.meta.url_path),
            k: "page",
            x: text_of(&p.article.html),
        });
    }
    for e in &site.timeline.events {
        docs.push(Doc {
            t: format!("{} — {}", e.date.human(), e.title),
            u: format!("{}#{}", u.path("timeline/"), e.id),
            k: "event",
            x: text_of(&e.body_html),
        });
    }
    for s in &site.corpus.sources {
        let title = s.display_title();
        for x in s.sentences() {
            docs.push(Doc {
                t: title.clone(),
                u: format!("{}#{}", u.path(&format!("sources/{}/", s.meta.id)), x.id),
                k: "source",
                x: x.text.clone(),
            });
        }
    }
    OutputFile {
        path: "search-index.json".into(),
        bytes: serde_json::to_vec(&serde_json::json!({ "docs": docs })).unwrap_or_default(),
    }
}
