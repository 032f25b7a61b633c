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
                })
                .collect(),
        })
        .collect();
    ctx.insert("paragraphs", &paragraphs);
    ctx.insert("dropped", &s.dropped);
    let backlinks: Vec<Link> = site
        .backlinks
        .get(&i)
        .map(|bs| {
            bs.iter()
                .map(|b| Link {
                    title: b.title.clone(),
                    url: site.config.urls.path(&b.url_path),
                })
                .collect()
        })
        .unwrap_or_default();
    ctx.insert("backlinks", &backlinks);
    Ok(ctx)
}
