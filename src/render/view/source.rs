//! A source's page: its cleaned text with an anchor on every paragraph and
//! sentence, what cleaning removed, and the pages citing it.

use serde::Serialize;
use tera::Context;

use super::cards::source_card;
use super::{Link, base};
use crate::cache::{Key, KeyHasher};
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
    /// The text cut where a removed link took words (the template puts a
    /// gap marker before such a part) and where quoted words start and end
    /// (marked), so the text itself stays as quoted.
    parts: Vec<Part<'a>>,
    /// The pages citing this sentence, for "← back to".
    cited_by: Vec<Link>,
    /// Garbled in the article as received (`sic` in `sources.toml`).
    sic: bool,
}

#[derive(Serialize, Debug, PartialEq, Eq)]
struct Part<'a> {
    text: &'a str,
    /// Words missing just before this part.
    gap: bool,
    /// Words a page of the site quotes.
    quoted: bool,
}

/// `text` split at its gaps and at the edges of the quoted words (byte
/// offsets; any not on a character boundary is ignored).
fn parts<'a>(text: &'a str, gaps: &[u32], quotes: &[String]) -> Vec<Part<'a>> {
    let mut quoted: Vec<(usize, usize)> = quotes
        .iter()
        .filter(|q| !q.is_empty())
        .filter_map(|q| text.find(q.as_str()).map(|at| (at, at + q.len())))
        .collect();
    quoted.sort_unstable();
    let inside = |at: usize| quoted.iter().any(|&(a, b)| a <= at && at < b);
    let mut cuts: Vec<usize> = gaps.iter().map(|&g| g as usize).collect();
    cuts.extend(quoted.iter().flat_map(|&(a, b)| [a, b]));
    cuts.retain(|&c| c > 0 && c < text.len() && text.is_char_boundary(c));
    cuts.sort_unstable();
    cuts.dedup();
    let mut out = Vec::with_capacity(cuts.len() + 1);
    let mut from = 0;
    for to in cuts.into_iter().chain([text.len()]) {
        out.push(Part {
            text: &text[from..to],
            gap: from > 0 && gaps.iter().any(|&g| g as usize == from),
            quoted: inside(from),
        });
        from = to;
    }
    out
}

/// The source's paragraphs, each sentence with its parts and citing pages.
fn paragraphs(site: &Site, i: usize) -> Vec<ParagraphView<'_>> {
    let s = &site.corpus.sources[i];
    s.paragraphs
        .iter()
        .enumerate()
        .map(|(pi, p)| ParagraphView {
            id: SentenceRef::new(i, pi, 0).paragraph_anchor().to_string(),
            heading: p.heading,
            sentences: p
                .sentences
                .iter()
                .enumerate()
                .map(|(xi, x)| {
                    let r = SentenceRef::new(i, pi, xi);
                    let by = site.cited_by.get(&r);
                    let id = r.to_string();
                    SentenceView {
                        sic: s.meta.sic.iter().any(|(a, _)| *a == id),
                        id,
                        text: &x.text,
                        parts: parts(&x.text, &x.gaps, by.map_or(&[], |b| &b.quotes)),
                        cited_by: by.map_or_else(Vec::new, |b| {
                            b.pages
                                .iter()
                                .map(|p| Link {
                                    title: p.title.clone(),
                                    url: site.config.urls.path(&p.url_path),
                                    hue: None,
                                })
                                .collect()
                        }),
                    }
                })
                .collect(),
        })
        .collect()
}

/// A hash of everything [`source`] reads of source `i` (its text, metadata
/// and topics, who cites it and which words), added to `site_key` (what
/// every page reads): a page with an unchanged key renders the same bytes.
/// Whatever `source` comes to read must be hashed here too.
pub fn source_key(site: &Site, i: usize, site_key: &KeyHasher) -> Key {
    let s = &site.corpus.sources[i];
    let mut k = site_key.clone();
    k.str("source page").u128(s.digest());
    for slug in site.topic_index.topics_of(i) {
        k.str(slug);
    }
    for r in site.cited_in.get(&i).into_iter().flatten() {
        if let Some(by) = site.cited_by.get(r) {
            k.u64(r.paragraph.into()).u64(r.sentence.into()).hashed(by);
        }
    }
    if let Some(b) = site.backlinks.get(&i) {
        k.hashed(b);
    }
    k.finish()
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
    let paragraphs = paragraphs(site, i);
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

    fn texts(p: &[super::Part<'_>]) -> Vec<String> {
        p.iter()
            .map(|p| {
                format!(
                    "{}{}{}",
                    if p.gap { "|" } else { "" },
                    if p.quoted { "*" } else { "" },
                    p.text
                )
            })
            .collect()
    }

    #[test]
    fn text_is_split_at_gaps_on_character_boundaries() {
        assert_eq!(
            texts(&parts("a sweeping this week", &[10], &[])),
            ["a sweeping", "| this week"]
        );
        assert_eq!(texts(&parts("no gaps", &[], &[])), ["no gaps"]);
        // Offsets off a boundary or past the end are ignored, never a panic.
        assert_eq!(
            texts(&parts("café au lait", &[4, 99], &[])),
            ["café au lait"]
        );
    }

    #[test]
    fn quoted_words_are_their_own_parts() {
        let q = ["12 million".to_string(), "not in it".to_string()];
        assert_eq!(
            texts(&parts("China bought 12 million tons this week", &[28], &q)),
            ["China bought ", "*12 million", " tons", "| this week"]
        );
    }
}
