//! What a page refers to, read as a browser reads it: HTML through a
//! WHATWG tokenizer (any quoting, any case), CSS for `url()` and `@import`.

use html5gum::{DefaultEmitter, Token, Tokenizer};

/// How a reference is used: a load happens when the page is shown (a
/// stylesheet, an image, a font), a navigation only when a reader follows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Use {
    Load,
    Navigate,
}

/// One URL a page or stylesheet refers to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Ref {
    pub(super) url: String,
    pub(super) use_: Use,
    /// Where it was found, for messages: `<img src>`, `url()` in `<style>`.
    pub(super) what: String,
}

/// Every element id of a page and every URL it refers to.
#[derive(Debug, Default)]
pub(super) struct Page {
    pub(super) ids: Vec<String>,
    pub(super) refs: Vec<Ref>,
}

/// `rel` values of `<link>` that make the browser fetch the target now.
const LOADING_RELS: &[&str] = &[
    "stylesheet",
    "preload",
    "prefetch",
    "modulepreload",
    "icon",
    "apple-touch-icon",
    "manifest",
    "preconnect",
    "dns-prefetch",
];

pub(super) fn html(text: &str) -> Page {
    let mut emitter = DefaultEmitter::default();
    // Without it `<style>` and `<script>` bodies would be read as markup.
    emitter.naively_switch_states(true);
    let mut page = Page::default();
    let mut in_style = false;
    for token in Tokenizer::new_with_emitter(text, emitter).flatten() {
        match token {
            Token::StartTag(tag) => {
                let name = String::from_utf8_lossy(&tag.name).to_ascii_lowercase();
                let attr = |a: &str| {
                    tag.attributes
                        .get(a.as_bytes())
                        .map(|v| String::from_utf8_lossy(v).into_owned())
                };
                if let Some(id) = attr("id") {
                    page.ids.push(id);
                }
                in_style = name == "style";
                element_refs(&name, &attr, &mut page.refs);
            }
            Token::EndTag(_) => in_style = false,
            Token::String(s) if in_style => {
                page.refs
                    .extend(css(&String::from_utf8_lossy(&s), "<style>"));
            }
            _ => {}
        }
    }
    page
}

/// The references of one element, by what the element does with them.
fn element_refs(name: &str, attr: &dyn Fn(&str) -> Option<String>, out: &mut Vec<Ref>) {
    let mut push = |url: String, use_: Use, a: &str| {
        out.push(Ref {
            url,
            use_,
            what: format!("<{name} {a}>"),
        });
    };
    match name {
        "a" | "area" => attr("href")
            .into_iter()
            .for_each(|u| push(u, Use::Navigate, "href")),
        "link" => {
            let rel = attr("rel").unwrap_or_default().to_ascii_lowercase();
            let loads = rel
                .split_ascii_whitespace()
                .any(|r| LOADING_RELS.contains(&r));
            let use_ = if loads { Use::Load } else { Use::Navigate };
            attr("href").into_iter().for_each(|u| push(u, use_, "href"));
        }
        _ => {
            for a in ["src", "poster", "data"] {
                attr(a).into_iter().for_each(|u| push(u, Use::Load, a));
            }
            for a in ["srcset", "imagesrcset"] {
                for candidate in attr(a).unwrap_or_default().split(',') {
                    if let Some(u) = candidate.split_ascii_whitespace().next() {
                        push(u.to_string(), Use::Load, a);
                    }
                }
            }
        }
    }
    if let Some(style) = attr("style") {
        out.extend(css(&style, &format!("<{name} style>")));
    }
}

/// `url(…)` and `@import "…"` references in CSS: everything a stylesheet
/// makes the browser fetch (fonts, images, other stylesheets).
pub(super) fn css(text: &str, what: &str) -> Vec<Ref> {
    let mut out = Vec::new();
    let lower = text.to_ascii_lowercase();
    let mut push = |url: &str| {
        out.push(Ref {
            url: url.to_string(),
            use_: Use::Load,
            what: what.to_string(),
        })
    };
    let mut at = 0;
    while let Some(i) = lower[at..].find("url(").map(|i| at + i) {
        let rest = &text[i + 4..];
        let end = rest.find(')').unwrap_or(rest.len());
        push(unquote(&rest[..end]));
        at = i + 4 + end;
    }
    let mut at = 0;
    while let Some(i) = lower[at..].find("@import").map(|i| at + i) {
        let rest = text[i + 7..].trim_start();
        if let Some(q) = rest.chars().next().filter(|c| *c == '"' || *c == '\'') {
            let inner = &rest[1..];
            push(&inner[..inner.find(q).unwrap_or(inner.len())]);
        }
        at = i + 7;
    }
    out
}

fn unquote(s: &str) -> &str {
    s.trim().trim_matches(|c| c == '"' || c == '\'').trim()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn loads(text: &str) -> Vec<String> {
        html(text)
            .refs
            .into_iter()
            .filter(|r| r.use_ == Use::Load)
            .map(|r| r.url)
            .collect()
    }

    #[test]
    fn every_way_a_page_can_load_something_is_seen() {
        let page = r#"<LINK REL=preload HREF='https://cdn.example/font.woff2'>
<link rel="stylesheet" href="https://cdn.example/x">
<link rel="canonical" href="https://example.org/">
<img srcset="a.png 1x, https://cdn.example/b.png 2x" src=/c.png>
<video poster="https://cdn.example/p.jpg"></video>
<div style="background:url('https://cdn.example/bg.png')"></div>
<style>@import "https://cdn.example/more.css"; p{background:URL(https://cdn.example/q.png)}</style>
<a href="https://example.org/">away</a>"#;
        assert_eq!(
            loads(page),
            [
                "https://cdn.example/font.woff2",
                "https://cdn.example/x",
                "/c.png",
                "a.png",
                "https://cdn.example/b.png",
                "https://cdn.example/p.jpg",
                "https://cdn.example/bg.png",
                "https://cdn.example/q.png",
                "https://cdn.example/more.css",
            ]
        );
        let nav: Vec<String> = html(page)
            .refs
            .into_iter()
            .filter(|r| r.use_ == Use::Navigate)
            .map(|r| r.url)
            .collect();
        assert_eq!(nav, ["https://example.org/", "https://example.org/"]);
    }
}
