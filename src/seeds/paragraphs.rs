//! Paragraphs: mending lines a removed link cut in two, and spotting subheads.
//!
//! When a scraper drops a link it often drops the words of the link too,
//! leaving "…set to finalize a sweeping" on one line and "this week, aiming…"
//! on the next. A line that ends without sentence punctuation followed by one
//! that starts in lower case (or with a comma) is one paragraph. Text
//! extracted from a PDF is hard-wrapped at a fixed width: there a line that
//! reached the margin goes on in the next whatever its case, and a word split
//! by a hyphen at the margin is put back together.

use super::boilerplate;

/// A paragraph before sentence splitting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    /// 1-based line in the seed file where the paragraph starts.
    pub line: usize,
    pub text: String,
    pub heading: bool,
    /// Byte offsets in `text` where a removed link took words with it.
    pub gaps: Vec<usize>,
}

/// Join cut lines, then mark subheads.
pub fn build(lines: Vec<(usize, String)>) -> Vec<Block> {
    let width = wrap_width(&lines);
    let mut blocks: Vec<Block> = Vec::new();
    let mut last_len = 0;
    for (line, text) in lines {
        let (text, inner) = tidy_seams(&text);
        let len = text.chars().count();
        let prev_len = std::mem::replace(&mut last_len, len);
        let wrapped = |prev: &str| width.is_some_and(|w| reached_margin(prev, prev_len, &text, w));
        match blocks.last_mut() {
            Some(prev) if continues(&prev.text, &text) || wrapped(&prev.text) => {
                // In hard-wrapped text a line end is the margin, not a cut;
                // elsewhere a continued line is where link text went missing.
                let cut = width.is_none() && !prev.text.ends_with('-');
                let (seam, start, skipped) = join(&mut prev.text, &text);
                if cut {
                    prev.gaps.push(seam);
                }
                prev.gaps
                    .extend(inner.iter().map(|g| start + g.saturating_sub(skipped)));
            }
            _ => blocks.push(Block {
                line,
                text,
                heading: false,
                gaps: inner,
            }),
        }
    }
    let n = blocks.len();
    for (i, b) in blocks.iter_mut().enumerate() {
        b.heading = i + 1 < n && is_subhead(&b.text);
    }
    blocks
}

fn ends_sentence(text: &str) -> bool {
    text.ends_with(['.', '!', '?', '…', '”', '"', '’', ')', ':'])
}

/// Hard wraps are at most this wide; web text has paragraph-long lines.
const WIDEST_WRAP: usize = 100;

/// The width a text is hard-wrapped at, if it is: the length most long
/// lines reach (90th percentile), when that is a typewriter-like width.
fn wrap_width(lines: &[(usize, String)]) -> Option<usize> {
    let mut lens: Vec<usize> = lines.iter().map(|(_, t)| t.chars().count()).collect();
    if lens.len() < 5 {
        return None;
    }
    lens.sort_unstable();
    let p90 = lens[lens.len() * 9 / 10 - 1];
    (p90 <= WIDEST_WRAP).then_some(p90)
}

/// A list item or footnote starts its own paragraph: "• …", "- …", "2 The …".
fn starts_item(text: &str) -> bool {
    let bullet = text.starts_with(['•', '-', '*', '▪', '–']) && text.chars().nth(1) == Some(' ');
    let digits = text.chars().take_while(char::is_ascii_digit).count();
    let numbered = digits > 0
        && text[digits..]
            .trim_start_matches('.')
            .strip_prefix(' ')
            .is_some_and(|r| r.starts_with(char::is_uppercase));
    bullet || numbered
}

/// The previous line (last `prev_len` chars of the paragraph) stopped only
/// because the next word would not have fitted in `width`.
fn reached_margin(prev: &str, prev_len: usize, next: &str, width: usize) -> bool {
    let first_word = next
        .split_whitespace()
        .next()
        .map_or(0, |w| w.chars().count());
    !ends_sentence(prev) && !starts_item(next) && prev_len + 1 + first_word > width
}

fn continues(prev: &str, next: &str) -> bool {
    let Some(first) = next.chars().next() else {
        return false;
    };
    // A line cannot start with a comma: whatever came before was cut off.
    // A word cut by a hyphen at the end of a line goes on in the next.
    let hyphen_cut = prev
        .strip_suffix('-')
        .is_some_and(|p| p.ends_with(char::is_alphabetic));
    matches!(first, ',' | ';')
        || (hyphen_cut && !starts_item(next))
        || (!ends_sentence(prev) && (first.is_lowercase() || first == ')'))
}

/// Close the gaps a removed link leaves inside a line, in one pass: "The
/// talks, , are" → "The talks, are" (a space before a comma goes, and a run
/// of commas is one).
fn tidy_seams(text: &str) -> (String, Vec<usize>) {
    let mut out = String::with_capacity(text.len());
    let mut gaps = Vec::new();
    for c in text.chars() {
        if c == ',' {
            let kept = out.trim_end_matches(' ').len();
            out.truncate(kept);
            if out.ends_with(',') {
                if gaps.last() != Some(&out.len()) {
                    gaps.push(out.len());
                }
                continue;
            }
        }
        out.push(c);
    }
    (out, gaps)
}

/// Append a cut line, tidying only the seam a removed link leaves ("The
/// talks," + ", are" → "The talks, are"), so that mending stays linear in
/// the length of the paragraph however many lines it joins. Returns the
/// seam's offset, where `next`'s kept text starts, and how many of its
/// leading bytes were left out.
fn join(prev: &mut String, next: &str) -> (usize, usize, usize) {
    prev.truncate(prev.trim_end().len());
    let seam = prev.len();
    let mut used = next.trim_start();
    if split_word(prev, used) {
        // "auto-" + "makers": the hyphen only broke the word at the margin.
        prev.pop();
    } else if prev.ends_with('-') && prev[..prev.len() - 1].ends_with(char::is_alphabetic) {
        // "Sino-" + "American", "mid-" + "2026": a real compound.
    } else if !used.starts_with([',', ';']) {
        prev.push(' ');
    } else if prev.ends_with([',', ';']) {
        // "talks," + ", are": one comma is enough.
        prev.push(' ');
        used = used.trim_start_matches([',', ';', ' ']);
    }
    let start = prev.len();
    prev.push_str(used);
    (seam, start, next.len() - used.len())
}

/// "auto-" + "makers": a letter, a hyphen at the end, then lower case.
fn split_word(prev: &str, next: &str) -> bool {
    let Some(stem) = prev.strip_suffix('-') else {
        return false;
    };
    stem.ends_with(char::is_alphabetic) && next.starts_with(char::is_lowercase)
}

/// A short Title Case line without final punctuation: a subhead such as
/// "Soybean Trade Resumes Amid New Commitments".
fn is_subhead(text: &str) -> bool {
    let words: Vec<&str> = text.split_whitespace().collect();
    if words.is_empty() || words.len() > 12 || ends_sentence(text) || text.ends_with(',') {
        return false;
    }
    // Bylines, date stamps and widget labels are Title Case too.
    if boilerplate::chrome_reason(text, &boilerplate::words(text)).is_some() {
        return false;
    }
    let long: Vec<&&str> = words.iter().filter(|w| w.chars().count() > 3).collect();
    let capitalised = long
        .iter()
        .filter(|w| w.starts_with(char::is_uppercase))
        .count();
    words[0].starts_with(char::is_uppercase) && capitalised * 4 >= long.len() * 3
}

#[cfg(test)]
mod tests {
    use super::*;

    fn l(pairs: &[(usize, &str)]) -> Vec<(usize, String)> {
        pairs.iter().map(|&(n, t)| (n, t.to_string())).collect()
    }

    #[test]
    fn mends_lines_cut_by_removed_links() {
        // kl-talks, lines 19-21 and 25-27 of the seed.
        let blocks = build(l(&[
            (
                19,
                "U.S. and Chinese officials are set to finalize a sweeping",
            ),
            (
                21,
                "this week, aiming to de-escalate tensions. The talks, , are led by Chinese Vice Premier He Lifeng.",
            ),
            (23, "Chinese officials reiterated their stance,"),
            (
                25,
                ", that civilian-sector export restrictions are nonexistent.",
            ),
            (26, "Bessent announced a \"very substantial framework\""),
            (
                27,
                ", stating that the U.S. would avoid the 100% tariff threat.",
            ),
            (28, "Next paragraph."),
        ]));
        assert_eq!(blocks.len(), 4);
        assert_eq!(blocks[0].line, 19);
        assert!(
            blocks[2].text.ends_with(
                "framework\", stating that the U.S. would avoid the 100% tariff threat."
            )
        );
        assert!(blocks[0].text.contains("a sweeping this week, aiming"));
        assert!(blocks[0].text.contains("The talks, are led"));
        assert!(
            blocks[1].text.ends_with(
                "their stance, that civilian-sector export restrictions are nonexistent."
            )
        );
    }

    #[test]
    fn does_not_mend_into_a_new_capitalised_paragraph() {
        // progress-call: the first paragraph lacks its final period, the next is a new one.
        let blocks = build(l(&[
            (4, "Trump confirmed plans to visit Beijing in April"),
            (5, "He wrote on a Truth Social post."),
        ]));
        assert_eq!(blocks.len(), 2);
    }

    #[test]
    fn spots_subheads_but_not_sentences() {
        let blocks = build(l(&[
            (1, "Soybean Trade Resumes Amid New Commitments"),
            (
                2,
                "One of the most notable takeaways was China’s commitment.",
            ),
            (3, "Trump to Visit China in April for Follow-Up Talks"),
            (4, "Concluding the meeting, Trump announced his plans."),
        ]));
        let heads: Vec<bool> = blocks.iter().map(|b| b.heading).collect();
        assert_eq!(heads, [true, false, true, false]);
    }

    /// A PDF-like text hard-wrapped at about 70 columns (prose written for this test).
    const WRAPPED: &[&str] = &[
        "The port authority said the dredging of the outer channel, begun on 3",
        "March, would be finished before the autumn, when the larger container",
        "ships are due. Two of the four cranes on the east quay are out of ser-",
        "vice, and several auto-",
        "makers have moved their exports to the Sino-",
        "American terminal at the river mouth since mid-",
        "2025, the authority added in its quarterly note.",
        "• Cranes on the west quay are unaffected by the work and remain open.",
        "2 The note was published with the authority's accounts for the year.",
    ];

    fn numbered(lines: &[&str]) -> Vec<(usize, String)> {
        lines
            .iter()
            .enumerate()
            .map(|(i, t)| (i + 1, t.to_string()))
            .collect()
    }

    #[test]
    fn joins_hard_wrapped_lines_and_split_words() {
        let blocks = build(numbered(WRAPPED));
        assert_eq!(blocks.len(), 3, "{blocks:#?}");
        let t = &blocks[0].text;
        assert!(t.contains("begun on 3 March, would"), "{t}");
        assert!(t.contains("out of service, and"), "{t}");
        assert!(t.contains("several automakers have"), "{t}");
        assert!(t.contains("the Sino-American terminal"), "{t}");
        assert!(t.contains("since mid-2025, the"), "{t}");
        assert!(blocks[1].text.starts_with("• Cranes"));
        assert!(blocks[2].text.starts_with("2 The note"));
    }

    #[test]
    fn web_lines_are_not_joined_across_a_capital() {
        // Paragraph-long lines: a standfirst without a full stop stays apart.
        let long = "Ferry operators say the new timetable leaves the outer islands without a crossing on Sunday mornings for the whole winter";
        let body = "Residents of the outer islands said on Monday that they would petition the council again, as they did when the last timetable was published two years ago.";
        let blocks = build(l(&[(1, long), (3, body), (4, body), (5, body), (6, body)]));
        assert_eq!(blocks.len(), 5);
    }

    #[test]
    fn cut_links_join_with_one_space_never_glued() {
        let blocks = build(l(&[
            (1, "Our partners at the river desk have a good"),
            (3, "on what the first barges mean for freight rates."),
        ]));
        assert_eq!(
            blocks[0].text,
            "Our partners at the river desk have a good on what the first barges mean for freight rates."
        );
    }

    #[test]
    fn bylines_dates_and_labels_are_not_subheads() {
        for t in [
            "By Tomasz Ek",
            "Tuesday 3 March 2026",
            "Share This Article",
            "Home | World | Business",
        ] {
            assert!(!is_subhead(t), "{t}");
        }
        assert!(is_subhead("Harbour Fees Fall Again"));
    }

    #[test]
    fn records_where_link_text_was_cut_but_not_wraps() {
        let blocks = build(l(&[
            (1, "The talks, , are led by the deputy minister and a"),
            (3, ", said the ministry on Sunday."),
        ]));
        let b = &blocks[0];
        assert_eq!(
            b.text,
            "The talks, are led by the deputy minister and a, said the ministry on Sunday."
        );
        let at: Vec<&str> = b.gaps.iter().map(|&g| &b.text[..g]).collect();
        assert_eq!(
            at,
            [
                "The talks,",
                "The talks, are led by the deputy minister and a"
            ]
        );
        // Hard-wrapped text has margins, not cuts.
        assert!(build(numbered(WRAPPED)).iter().all(|b| b.gaps.is_empty()));
    }
}
