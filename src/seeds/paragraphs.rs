//! Paragraphs: mending lines a removed link cut in two, and spotting subheads.
//!
//! When a scraper drops a link it often drops the words of the link too,
//! leaving "…set to finalize a sweeping" on one line and "this week, aiming…"
//! on the next. A line that ends without sentence punctuation followed by one
//! that starts in lower case (or with a comma) is one paragraph.

/// A paragraph before sentence splitting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    /// 1-based line in the seed file where the paragraph starts.
    pub line: usize,
    pub text: String,
    pub heading: bool,
}

/// Join cut lines, then mark subheads.
pub fn build(lines: Vec<(usize, String)>) -> Vec<Block> {
    let mut blocks: Vec<Block> = Vec::new();
    for (line, text) in lines {
        let text = tidy_seams(&text);
        match blocks.last_mut() {
            Some(prev) if continues(&prev.text, &text) => join(&mut prev.text, &text),
            _ => blocks.push(Block {
                line,
                text,
                heading: false,
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

fn continues(prev: &str, next: &str) -> bool {
    let Some(first) = next.chars().next() else {
        return false;
    };
    // A line cannot start with a comma: whatever came before was cut off.
    matches!(first, ',' | ';') || (!ends_sentence(prev) && (first.is_lowercase() || first == ')'))
}

/// Close the gaps a removed link leaves inside a line, in one pass: "The
/// talks, , are" → "The talks, are" (a space before a comma goes, and a run
/// of commas is one).
fn tidy_seams(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c == ',' {
            let kept = out.trim_end_matches(' ').len();
            out.truncate(kept);
            if out.ends_with(',') {
                continue;
            }
        }
        out.push(c);
    }
    out
}

/// Append a cut line, tidying only the seam a removed link leaves ("The
/// talks," + ", are" → "The talks, are"), so that mending stays linear in
/// the length of the paragraph however many lines it joins.
fn join(prev: &mut String, next: &str) {
    prev.truncate(prev.trim_end().len());
    let next = next.trim_start();
    if !next.starts_with([',', ';']) {
        prev.push(' ');
        prev.push_str(next);
    } else if prev.ends_with([',', ';']) {
        // "talks," + ", are": one comma is enough.
        prev.push(' ');
        prev.push_str(next.trim_start_matches([',', ';', ' ']));
    } else {
        prev.push_str(next);
    }
}

/// A short Title Case line without final punctuation: a subhead such as
/// "Soybean Trade Resumes Amid New Commitments".
fn is_subhead(text: &str) -> bool {
    let words: Vec<&str> = text.split_whitespace().collect();
    if words.is_empty() || words.len() > 12 || ends_sentence(text) || text.ends_with(',') {
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
}
