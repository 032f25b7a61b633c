//! A source's page: its cleaned text with an anchor on every paragraph and
//! sentence, what cleaning removed, and the pages citing it.

use serde::Serialize;
use tera::Context;

use super::cards::source_card;
use super::{Link, base};
use crate::refs::SentenceRef;
use crate::site::Site;
use crate::urls::Route;

#[derive(Serialize)]
struct ParagraphView<'a> {
    id: String,
    heading: bool,
    sentences: Vec<SentenceView<'a>>,
}

#[derive(Serialize)]
struct SentenceView<'a> {
    id: String,
    text: &'a str,
    /// The text cut where a removed link took words: the template puts a
    /// gap marker between parts, so the text itself stays as quoted.
    parts: Vec<&'a str>,
}

/// `text` split at its gaps (byte offsets on character boundaries).
fn parts<'a>(text: &'a str, gaps: &[u32]) -> Vec<&'a str> {
    let mut out = Vec::with_capacity(gaps.len() + 1);
    let mut from = 0;
    for &g in gaps {
        let g = g as usize;
        if g > from && g <= text.len() && text.is_char_boundary(g) {
            out.push(&text[from..g]);
            from = g;
        }
    }
    out.push(&text[from..]);
    out
}

pub fn source(site: &Site, i: usize) -> Result<Context, tera::Error> {
    let s = &site.corpus.sources[i];
    let title = s.display_title();
    let route = Route::Source(&s.meta.id);
    let description = format!("The cleaned text of “{title}”, with an anchor on every sentence.");
    let mut ctx = base(site, &title, &description, &route.rel(), "source");
    ctx.insert("source", &source_card(site, i));
    ctx.insert("file", &s.meta.file);
    ctx.insert("notes", &s.meta.notes);
    ctx.insert("listed", &s.meta.listed);
    let paragraphs: Vec<ParagraphView<'_>> = s
        .paragraphs
        .iter()
        .enumerate()
        .map(|(pi, p)| ParagraphView {
            id: SentenceRef::new(i, pi, 0).paragraph_anchor().to_string(),
            heading: p.heading,
            sentences: p
                .sentences
                .iter()
                .enumerate()
                .map(|(xi, x)| SentenceView {
                    id: SentenceRef::new(i, pi, xi).to_string(),
                    text: &x.text,
                    parts: parts(&x.text, &x.gaps),
                })
                .collect(),
        })
        .collect();
    ctx.insert("paragraphs", &paragraphs);
    let dropped: Vec<_> = s
        .dropped
        .iter()
        .map(|d| crate::seeds::boilerplate::Dropped {
            text: super::inner_quotes(&d.text),
            ..d.clone()
        })
        .collect();
    ctx.insert("dropped", &dropped);
    let backlinks: Vec<Link> = site
        .backlinks
        .get(&i)
        .map(|bs| {
            bs.iter()
                .map(|b| Link {
                    title: b.title.clone(),
                    url: site.config.urls.path(&b.url_path),
                    hue: None,
                })
                .collect()
        })
        .unwrap_or_default();
    ctx.insert("backlinks", &backlinks);
    Ok(ctx)
}

#[cfg(test)]
mod tests {
    use super::parts;

    #[test]
    fn text_is_split_at_gaps_on_character_boundaries() {
        assert_eq!(
            parts("a sweeping this week", &[10]),
            ["a sweeping", " this week"]
        );
        assert_eq!(parts("no gaps", &[]), ["no gaps"]);
        // Offsets off a boundary or past the end are ignored, never a panic.
        assert_eq!(parts("café au lait", &[4, 99]), ["café au lait"]);
    }
}
