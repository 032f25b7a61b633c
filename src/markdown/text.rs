//! The words a reader sees, for search and plain-text exports.
//!
//! Search shows a snippet from the block that holds the query's words and
//! links to the section it is in, so the text is kept as sections (one per
//! heading, plus what comes before the first) of blocks (a paragraph, a
//! list item, a table row). Code blocks are left out: a documentation page's
//! shell commands are not what a reader searches for. Citation syntax is
//! removed, and with it the space it leaves before punctuation.

use std::ops::Range;

use pulldown_cmark::{Event, Tag, TagEnd};

use crate::cite;

/// A run of blocks under one heading.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Section {
    /// The heading's text; empty for the part before the first heading.
    pub heading: String,
    /// The heading's anchor, filled in once headings have their ids.
    pub anchor: String,
    pub blocks: Vec<String>,
}

/// The sections of a page's events, and their words joined as one text.
/// The first section is what precedes the first heading, even if empty, so
/// that section `i + 1` belongs to heading `i`.
pub(super) fn sections(events: &[(Event<'_>, Range<usize>)]) -> (String, Vec<Section>) {
    let mut out = vec![Section::default()];
    let mut block = String::new();
    let mut heading: Option<String> = None;
    let mut in_code = false;
    for (ev, _) in events {
        match ev {
            Event::Start(Tag::CodeBlock(_)) => in_code = true,
            Event::End(TagEnd::CodeBlock) => in_code = false,
            Event::Start(Tag::Heading { .. }) => {
                end_block(&mut out, &mut block);
                heading = Some(String::new());
            }
            Event::End(TagEnd::Heading(_)) => {
                out.push(Section {
                    heading: tidy(&heading.take().unwrap_or_default()),
                    ..Section::default()
                });
            }
            Event::Text(t) | Event::Code(t) if !in_code => {
                let into = heading.as_mut().unwrap_or(&mut block);
                push_visible(into, t);
            }
            Event::End(TagEnd::TableCell) => block.push_str(" · "),
            Event::End(TagEnd::Paragraph | TagEnd::Item | TagEnd::TableRow | TagEnd::TableHead) => {
                end_block(&mut out, &mut block)
            }
            _ => {}
        }
    }
    end_block(&mut out, &mut block);
    let text = out
        .iter()
        .flat_map(|s| std::iter::once(&s.heading).chain(&s.blocks))
        .filter(|t| !t.is_empty())
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join(" ");
    (text, out)
}

/// `t` without its citations, each replaced by a space.
fn push_visible(into: &mut String, t: &str) {
    let mut last = 0;
    for (range, _) in cite::find_all(t) {
        into.push_str(&t[last..range.start]);
        into.push(' ');
        last = range.end;
    }
    into.push_str(&t[last..]);
}

fn end_block(out: &mut [Section], block: &mut String) {
    let text = tidy(block.trim_end_matches([' ', '·']));
    block.clear();
    if !text.is_empty()
        && let Some(section) = out.last_mut()
    {
        section.blocks.push(text);
    }
}

/// Whitespace folded, and no space left before closing punctuation where
/// a citation was cut out ("farm products [1] ." read "farm products .").
pub fn tidy(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        let closes = word.starts_with(['.', ',', ';', ':', '!', '?', ')', '”', '’']);
        if !out.is_empty() && !closes {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn of(md: &str) -> (String, Vec<Section>) {
        let parsed =
            pulldown_cmark::Parser::new_ext(md, super::super::options()).into_offset_iter();
        let events: Vec<_> = pulldown_cmark::TextMergeWithOffset::new(parsed).collect();
        sections(&events)
    }

    #[test]
    fn blocks_fall_under_their_heading_and_code_is_left_out() {
        let (text, s) =
            of("Intro words.\n\n## Install\n\nRun it:\n\n```sh\ncargo run\n```\n\n- one\n- two\n");
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].heading, "");
        assert_eq!(s[0].blocks, ["Intro words."]);
        assert_eq!(s[1].heading, "Install");
        assert_eq!(s[1].blocks, ["Run it:", "one", "two"]);
        assert!(!text.contains("cargo"), "{text}");
    }

    #[test]
    fn a_table_row_is_a_block_of_separated_cells() {
        let (_, s) = of("| A | B |\n|---|---|\n| 12 tons | soybeans |\n");
        assert_eq!(s[0].blocks, ["A · B", "12 tons · soybeans"]);
    }

    #[test]
    fn a_removed_citation_leaves_no_space_before_punctuation() {
        let (text, _) =
            of("Farm products [@src: \"farm products\"]. And more [@a: \"x\"] [@b: \"y\"], too.");
        assert_eq!(text, "Farm products. And more, too.");
    }
}
