//! Markdown to HTML: pulldown-cmark plus three small event adapters.
//!
//! 1. fenced code → syntect-highlighted HTML (classes only);
//! 2. `[@id: "quote"]` in text → a numbered citation link, via a callback so
//!    this module knows nothing of the corpus;
//! 3. headings → unique `id`s with a self-link, for the page's outline.

use std::collections::HashSet;
use std::ops::Range;

use pulldown_cmark::{
    CodeBlockKind, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd, TextMergeWithOffset,
    html,
};

use crate::cite::{self, CiteRef};
use crate::urls::slugify;

mod text;

pub use text::{Section, tidy};

/// A heading of the rendered page.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Heading {
    pub level: u8,
    pub id: String,
    pub text: String,
}

/// Markdown turned into HTML, with what the page needs to know of it.
#[derive(Debug, Clone, Default)]
pub struct Markdown {
    pub html: String,
    /// Visible text, citations and code blocks left out, whitespace folded.
    pub text: String,
    /// The same text by section and block: what search indexes.
    pub sections: Vec<Section>,
    pub headings: Vec<Heading>,
    pub has_code: bool,
    /// Links and images whose URL would run script (`javascript:`), with
    /// their byte offset; they are rendered as `#` and the caller refuses them.
    pub unsafe_urls: Vec<(usize, String)>,
    /// Other authoring mistakes the caller refuses: a malformed citation,
    /// a heading id that is not a plain token.
    pub problems: Vec<Problem>,
}

/// A mistake in authored markdown, at a byte offset of the source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub at: usize,
    pub message: String,
    pub hint: String,
}

/// Turns a citation at a byte offset of the source into inline HTML.
pub type CiteFn<'f> = dyn FnMut(&CiteRef<'_>, usize) -> String + 'f;

pub(crate) fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// Render `src`. Raw HTML in it is shown as text unless `allow_html`: the
/// site's trust model is that authored markdown is text, and a project
/// that trusts its authors with HTML says so in `dossier.toml`.
pub fn render(src: &str, on_cite: &mut CiteFn<'_>, allow_html: bool) -> Markdown {
    let mut problems = Vec::new();
    let parsed = Parser::new_ext(src, options())
        .into_offset_iter()
        .map(|(ev, range)| (authored(ev, &range, allow_html, &mut problems), range))
        // A soft break is a newline in the text, so a citation may wrap.
        .map(|(ev, range)| match ev {
            Event::SoftBreak => (Event::Text("\n".into()), range),
            ev => (ev, range),
        });
    let events: Vec<(Event<'_>, Range<usize>)> = TextMergeWithOffset::new(parsed)
        .map(drop_forbidden)
        .collect();
    let (text, mut sections) = text::sections(&events);
    let (events, unsafe_urls) = neutralise_urls(events);
    let (events, has_code) = highlight_code(events);
    let events = expand_citations(events, src, on_cite, &mut problems);
    let (events, headings) = anchor_headings(events);
    for (s, h) in sections.iter_mut().skip(1).zip(&headings) {
        s.anchor.clone_from(&h.id);
    }
    sections.retain(|s| !s.heading.is_empty() || !s.blocks.is_empty());
    let mut out = String::with_capacity(src.len() * 3 / 2);
    html::push_html(&mut out, events.into_iter());
    Markdown {
        html: out,
        text,
        sections,
        headings,
        has_code,
        unsafe_urls,
        problems,
    }
}

/// One parser event as the site accepts it: raw HTML becomes text unless
/// allowed, and a heading id must be a plain token (letters, digits, `-`,
/// `_`, `:`, `.`), never something that could leave its attribute.
fn authored<'a>(
    ev: Event<'a>,
    range: &Range<usize>,
    allow_html: bool,
    problems: &mut Vec<Problem>,
) -> Event<'a> {
    match ev {
        Event::Html(h) | Event::InlineHtml(h) if !allow_html => Event::Text(h),
        Event::Start(Tag::Heading {
            level,
            id: Some(id),
            classes,
            attrs,
        }) if !is_plain_id(&id) => {
            problems.push(Problem {
                at: range.start,
                message: format!("heading id {:?} is not a plain token", id.as_ref()),
                hint: "use letters, digits, '-', '_', ':' or '.', e.g. {#what-was-agreed}".into(),
            });
            Event::Start(Tag::Heading {
                level,
                id: None,
                classes,
                attrs,
            })
        }
        ev => ev,
    }
}

fn is_plain_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | ':' | '.'))
}

/// Reading the file dropped raw characters XML forbids, but a character
/// reference (`&#7;`) is decoded only here, by the parser.
fn drop_forbidden<'a>((ev, at): (Event<'a>, Range<usize>)) -> (Event<'a>, Range<usize>) {
    match ev {
        Event::Text(t) if t.chars().any(crate::project::is_forbidden) => (
            Event::Text(CowStr::from(crate::project::without_forbidden(&t))),
            at,
        ),
        ev => (ev, at),
    }
}

/// Does following `url` run or render content of its own instead of going
/// somewhere? Browsers ignore case, surrounding spaces and control
/// characters in the scheme, so this does too.
pub fn is_unsafe_url(url: &str) -> bool {
    let squeezed: String = url
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .take(12)
        .collect::<String>()
        .to_ascii_lowercase();
    ["javascript:", "vbscript:", "data:"]
        .iter()
        .any(|scheme| squeezed.starts_with(scheme))
}

/// Parser events with their byte ranges in the source.
type Events<'a> = Vec<(Event<'a>, Range<usize>)>;

fn neutralise_urls(mut events: Events<'_>) -> (Events<'_>, Vec<(usize, String)>) {
    let mut found = Vec::new();
    for (ev, range) in &mut events {
        if let Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) = ev
            && is_unsafe_url(dest_url)
        {
            found.push((range.start, dest_url.to_string()));
            *dest_url = "#".into();
        }
    }
    (events, found)
}

fn highlight_code<'a>(
    events: Vec<(Event<'a>, Range<usize>)>,
) -> (Vec<(Event<'a>, Range<usize>)>, bool) {
    let mut out = Vec::with_capacity(events.len());
    let mut code: Option<(String, String, Range<usize>)> = None;
    let mut has_code = false;
    for (ev, range) in events {
        match (ev, &mut code) {
            (Event::Start(Tag::CodeBlock(kind)), None) => {
                let lang = match kind {
                    CodeBlockKind::Fenced(l) => {
                        l.split([' ', ',']).next().unwrap_or("").to_string()
                    }
                    CodeBlockKind::Indented => String::new(),
                };
                code = Some((lang, String::new(), range));
            }
            (Event::Text(t), Some((_, buf, _))) => buf.push_str(&t),
            (Event::End(TagEnd::CodeBlock), Some(_)) => {
                let Some((lang, buf, range)) = code.take() else {
                    continue;
                };
                let highlighted = (!lang.is_empty())
                    .then(|| crate::highlight::highlight(&lang, &buf))
                    .flatten();
                has_code |= highlighted.is_some();
                let inner = highlighted.unwrap_or_else(|| escape(&buf));
                let lang_attr = if lang.is_empty() {
                    String::new()
                } else {
                    format!(" data-lang=\"{}\"", escape(&lang))
                };
                out.push((
                    Event::Html(
                        format!("<pre class=\"code\"{lang_attr}><code>{inner}</code></pre>\n")
                            .into(),
                    ),
                    range,
                ));
            }
            (ev, _) => out.push((ev, range)),
        }
    }
    (out, has_code)
}

fn expand_citations<'a>(
    events: Vec<(Event<'a>, Range<usize>)>,
    src: &str,
    on_cite: &mut CiteFn<'_>,
    problems: &mut Vec<Problem>,
) -> Vec<Event<'a>> {
    let mut out = Vec::with_capacity(events.len());
    for (ev, range) in events {
        let Event::Text(text) = &ev else {
            out.push(ev);
            continue;
        };
        let found = cite::find_all(text);
        malformed_citations(text, &found, &range, src, problems);
        if found.is_empty() {
            out.push(ev);
            continue;
        }
        // The text is usually the source slice itself; when it is not
        // (entities, escapes) fall back to the event's start for messages.
        let base = src
            .get(range.clone())
            .and_then(|s| s.find(found[0].1.source).map(|_| range.start))
            .unwrap_or(range.start);
        let mut last = 0;
        for (r, c) in &found {
            if r.start > last {
                out.push(Event::Text(CowStr::from(text[last..r.start].to_string())));
            }
            let at = src
                .get(base..)
                .and_then(|s| s.find(&text[r.clone()]))
                .map_or(base, |o| base + o);
            out.push(Event::InlineHtml(on_cite(c, at).into()));
            last = r.end;
        }
        if last < text.len() {
            out.push(Event::Text(CowStr::from(text[last..].to_string())));
        }
    }
    out
}

/// Any `[@` left outside a well-formed citation is a citation the author
/// meant but mistyped (single quotes, no colon, an upper-case id): printing
/// it as literal text would publish an uncited claim.
fn malformed_citations(
    text: &str,
    found: &[(Range<usize>, CiteRef<'_>)],
    range: &Range<usize>,
    src: &str,
    problems: &mut Vec<Problem>,
) {
    for (i, _) in text.match_indices("[@") {
        if found.iter().any(|(r, _)| r.contains(&i)) {
            continue;
        }
        let snippet: String = text[i..].chars().take(40).collect();
        let at = src
            .get(range.clone())
            .and_then(|s| s.find(&snippet))
            .map_or(range.start, |o| range.start + o);
        problems.push(Problem {
            at,
            message: format!("malformed citation {:?}", snippet.lines().next().unwrap_or("")),
            hint: "write [@source-id] or [@source-id: \"exact words\"] (lower-case id, colon, double quotes)".into(),
        });
    }
}

fn anchor_headings(events: Vec<Event<'_>>) -> (Vec<Event<'_>>, Vec<Heading>) {
    let mut out = Vec::with_capacity(events.len());
    let mut headings = Vec::new();
    let mut used = Ids::default();
    let mut inside: Option<(HeadingLevel, Option<String>, Vec<Event<'_>>)> = None;
    for ev in events {
        match (ev, &mut inside) {
            (Event::Start(Tag::Heading { level, id, .. }), None) => {
                inside = Some((level, id.map(|i| i.to_string()), Vec::new()))
            }
            (Event::End(TagEnd::Heading(_)), Some(_)) => {
                let Some((level, id, body)) = inside.take() else {
                    continue;
                };
                let text = plain_text(&body);
                let id = unique(id.unwrap_or_else(|| slugify(&text)), &mut used);
                let mut inner = String::new();
                html::push_html(&mut inner, body.into_iter());
                let n = level as u8;
                out.push(Event::Html(format!("<h{n} id=\"{id}\">{inner} <a class=\"heading-anchor\" href=\"#{id}\" aria-label=\"Link to this section\">#</a></h{n}>\n").into()));
                headings.push(Heading { level: n, id, text });
            }
            (ev, Some((_, _, body))) => body.push(ev),
            (ev, None) => out.push(ev),
        }
    }
    (out, headings)
}

fn plain_text(events: &[Event<'_>]) -> String {
    events
        .iter()
        .filter_map(|e| match e {
            Event::Text(t) | Event::Code(t) => Some(t.as_ref()),
            _ => None,
        })
        .collect()
}

/// Heading ids given so far, and for each base the next suffix to try, so
/// that 20,000 headings of one title take linear time, not quadratic.
#[derive(Default)]
struct Ids {
    used: HashSet<String>,
    next: std::collections::HashMap<String, usize>,
}

fn unique(base: String, ids: &mut Ids) -> String {
    let base = if base.is_empty() {
        "section".to_string()
    } else {
        base
    };
    if ids.used.insert(base.clone()) {
        return base;
    }
    let n = ids.next.entry(base.clone()).or_insert(1);
    loop {
        let id = format!("{base}-{n}");
        *n += 1;
        if ids.used.insert(id.clone()) {
            return id;
        }
    }
}

/// Minimal HTML escaping for text and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(src: &str) -> Markdown {
        render(
            src,
            &mut |c, at| format!("<sup data-at=\"{at}\">{}</sup>", c.source),
            false,
        )
    }

    #[test]
    fn hostile_heading_ids_raw_html_and_malformed_citations_are_caught() {
        let r = plain(
            "## H {#x\"onmouseover=\"alert(1)}\n\nText <script>alert(1)</script> and <b>bold</b>.\n",
        );
        assert!(!r.html.contains("onmouseover=\"alert"), "{}", r.html);
        assert!(
            !r.html.contains("<script>") && r.html.contains("&lt;script&gt;"),
            "{}",
            r.html
        );
        assert_eq!(r.problems.len(), 1, "{:?}", r.problems);
        assert_eq!(r.problems[0].at, 0);
        let trusted = render("<b>bold</b>\n", &mut |_, _| String::new(), true);
        assert!(trusted.html.contains("<b>bold</b>"));
        for bad in [
            "Claim [@kl-talks: 'single quotes'].",
            "Claim [@kl-talks \"no colon\"].",
            "Claim [@KL-Talks].",
        ] {
            let r = plain(bad);
            assert_eq!(r.problems.len(), 1, "{bad}: {:?}", r.problems);
            assert_eq!(r.problems[0].at, 6, "{bad}");
        }
        // A citation may wrap across a soft line break.
        let r = plain("Claim [@kl-talks: \"words that\nwrap\"] here.\n");
        assert!(r.problems.is_empty(), "{:?}", r.problems);
        assert!(
            r.html.contains("<sup data-at=\"6\">kl-talks</sup>"),
            "{}",
            r.html
        );
    }

    /// Property: whatever the author writes, every attribute in the output
    /// stays inside its quotes: no event-handler attribute and no script
    /// element ever appears. Inputs are drawn from hostile fragments by a
    /// fixed-seed generator, so a failure reproduces.
    #[test]
    fn attributes_stay_inside_their_quotes() {
        const PARTS: &[&str] = &[
            "## Heading {#x\"onmouseover=\"alert(1)}\n",
            "## Plain {#ok-id}\n",
            "[link](javascript:alert(1) \"t\\\"onclick=x\")",
            "[link](https://e.org/\"onclick=\"x)",
            "![img](x.png \"a\" onerror=\"alert(1)\")",
            "<img src=x onerror=alert(1)>",
            "<script>alert(1)</script>",
            "[@kl-talks: \"quote\\\" onclick=\\\"x\"]",
            "[@kl-talks]",
            "`code \" onclick=x`",
            "```js\nalert(\"</code>\")\n```\n",
            "\"quoted\" 'single' & <> ",
            "\n\n",
            "* item\n",
            "| a | b |\n|---|---|\n| \" | ' |\n",
        ];
        let mut state: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for case in 0..1500 {
            let n = 1 + next() % 8;
            let src: String = (0..n)
                .map(|_| PARTS[(next() % PARTS.len() as u64) as usize])
                .collect();
            let r = plain(&src);
            let doc = scraper::Html::parse_fragment(&r.html);
            for el in doc
                .root_element()
                .descendants()
                .filter_map(scraper::ElementRef::wrap)
            {
                assert_ne!(
                    el.value().name(),
                    "script",
                    "case {case}: {src:?}\n{}",
                    r.html
                );
                for (name, _) in el.value().attrs() {
                    assert!(
                        !name.starts_with("on"),
                        "case {case}: attribute {name} escaped its quotes in {src:?}\n{}",
                        r.html
                    );
                }
            }
        }
    }

    #[test]
    fn character_references_to_forbidden_characters_are_dropped() {
        let r = plain("A bell &#7; rings &#x1B;here.\n");
        assert_eq!(r.html, "<p>A bell  rings here.</p>\n");
    }

    #[test]
    fn headings_get_unique_ids_and_outline() {
        let r = plain("## What was agreed\n\ntext\n\n## What was agreed\n");
        assert!(r.html.contains("<h2 id=\"what-was-agreed\">"));
        assert!(r.html.contains("<h2 id=\"what-was-agreed-1\">"));
        assert_eq!(r.headings.len(), 2);
    }

    #[test]
    fn citations_become_html_with_offsets_but_not_in_code() {
        let src = "Cut [@a: \"to 10 percent\"].\n\n`[@b]` and\n\n```\n[@c]\n```\n";
        let r = plain(src);
        assert!(r.html.contains("<sup data-at=\"4\">a</sup>"), "{}", r.html);
        assert!(!r.html.contains(">b</sup>") && !r.html.contains(">c</sup>"));
    }

    #[test]
    fn code_is_highlighted_and_tables_render() {
        let r = plain("```rust\nfn x() {}\n```\n\n| a | b |\n|---|---|\n| 1 | 2 |\n");
        assert!(r.has_code);
        assert!(r.html.contains("hl-"));
        assert!(r.html.contains("<table>"));
    }

    #[test]
    fn script_urls_are_neutralised_and_reported() {
        let src = "[a](javascript:alert(1)) [b]( JaVaScRiPt:x) ![c](data:text/html,x) [ok](https://example.org/) [rel](/x/)";
        let r = render(src, &mut |_, _| String::new(), false);
        assert_eq!(r.unsafe_urls.len(), 3, "{:?}", r.unsafe_urls);
        assert_eq!(r.unsafe_urls[0].0, 0);
        assert!(
            !r.html.to_ascii_lowercase().contains("javascript:"),
            "{}",
            r.html
        );
        assert!(
            r.html.contains("href=\"https://example.org/\"") && r.html.contains("href=\"/x/\"")
        );
    }

    #[test]
    fn raw_html_in_text_is_escaped_in_code() {
        let r = plain("```\n<script>alert(1)</script>\n```\n");
        assert!(r.html.contains("&lt;script&gt;"));
    }
}
