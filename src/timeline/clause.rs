//! The clause that carries a date: a found event's title.
//!
//! A sentence often reports several things; the timeline entry is about the
//! one its date belongs to. The clause runs from the last clause boundary
//! before the date phrase to the first one after it: a semicolon, a colon,
//! a dash, or a comma or subordinator that opens a clause of its
//! own ("…, but", "… when"). A clause too short to stand alone takes the one
//! before it; a long one keeps the words nearest the date.

use std::ops::Range;

/// Fewer words than this do not make a title ("On Friday").
const SHORTEST: usize = 6;
/// More words than this are cut, around the date phrase.
const LONGEST: usize = 22;

/// Words that open a clause after a comma ("…, while Xi is expected to …").
/// Not "and": "…, and then maintain …" goes on with the same subject.
const AFTER_COMMA: [&str; 11] = [
    "but",
    "while",
    "whereas",
    "which",
    "who",
    "although",
    "though",
    "as",
    "after",
    "before",
    "according",
];
/// Words that open a clause even without a comma ("… when they meet Thursday").
const ALONE: [&str; 4] = ["when", "while", "whereas", "because"];

/// Byte offsets where a clause starts (after the boundary mark).
fn boundaries(text: &str) -> Vec<usize> {
    let mut at = vec![0];
    for (i, c) in text.char_indices() {
        let next = i + c.len_utf8();
        match c {
            // Brackets are asides inside a clause ("On Monday (November 24), …").
            ';' | '—' | '–' => at.push(next),
            ':' if text[next..].starts_with(' ') => at.push(next),
            ',' => {
                let word = first_word(&text[next..]);
                if AFTER_COMMA.contains(&word.as_str()) {
                    at.push(next);
                }
            }
            ' ' if ALONE.contains(&first_word(&text[next..]).as_str()) => at.push(next),
            _ => {}
        }
    }
    at.push(text.len());
    at
}

fn first_word(text: &str) -> String {
    text.split_whitespace()
        .next()
        .unwrap_or("")
        .trim_matches(|c: char| !c.is_alphanumeric())
        .to_ascii_lowercase()
}

/// The clause of `sentence` that holds `phrase`, as a title.
pub fn around(sentence: &str, phrase: &Range<usize>) -> String {
    let marks = boundaries(sentence);
    let starts_before = |p: usize| marks.iter().rev().find(|&&m| m <= p).copied().unwrap_or(0);
    let mut start = starts_before(phrase.start);
    let end = marks
        .iter()
        .find(|&&m| m >= phrase.end && m > start)
        .map_or(sentence.len(), |&m| m);
    // Too short alone, or subordinate to the clause before ("… when they
    // meet Thursday"): take the clause before as well.
    while start > 0
        && (word_count(&sentence[start..end]) < SHORTEST || subordinate(&sentence[start..end]))
    {
        start = starts_before(start.saturating_sub(1));
    }
    let end = if word_count(&sentence[start..end]) < SHORTEST {
        sentence.len()
    } else {
        end
    };
    let clause = &sentence[start..end];
    let date_at = phrase.start.saturating_sub(start);
    title_case_first(&tidy(&cut(clause, date_at)))
}

fn subordinate(clause: &str) -> bool {
    let w = first_word(clause);
    AFTER_COMMA.contains(&w.as_str()) && w != "but" || ALONE.contains(&w.as_str())
}

fn word_count(s: &str) -> usize {
    s.split_whitespace().count()
}

/// At most `LONGEST` words, keeping the opening and the word at byte `date_at`.
fn cut(clause: &str, date_at: usize) -> String {
    let words: Vec<(usize, &str)> = clause
        .split_whitespace()
        .map(|w| (w.as_ptr() as usize - clause.as_ptr() as usize, w))
        .collect();
    if words.len() <= LONGEST {
        return clause.to_string();
    }
    let date_word = words
        .iter()
        .rposition(|(at, _)| *at <= date_at)
        .unwrap_or(0);
    // Keep the clause's opening (its subject) when the date fits after it,
    // with a few words of what follows the date.
    let from = date_word
        .saturating_sub(LONGEST - 5)
        .min(words.len() - LONGEST);
    let to = from + LONGEST;
    let mut out = String::new();
    if from > 0 {
        out.push('…');
    }
    out.push_str(
        &words[from..to]
            .iter()
            .map(|(_, w)| *w)
            .collect::<Vec<_>>()
            .join(" "),
    );
    if to < words.len() {
        out.push('…');
    }
    out
}

/// Without the punctuation and conjunction a clause boundary leaves behind.
fn tidy(clause: &str) -> String {
    let t = clause.trim_matches(|c: char| c.is_whitespace() || ",;:—–()".contains(c));
    let t = t.trim_end_matches('.');
    let first = first_word(t);
    let t = if ["but", "and", "while", "whereas", "although", "though"].contains(&first.as_str()) {
        t.split_once(' ').map_or(t, |(_, rest)| rest)
    } else {
        t
    };
    t.trim().to_string()
}

fn title_case_first(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn title(sentence: &str, phrase: &str) -> String {
        let at = sentence.find(phrase).unwrap();
        around(sentence, &(at..at + phrase.len()))
    }

    #[test]
    fn the_clause_with_the_date_not_the_whole_sentence() {
        let s = "Officials met in Geneva for two days, but the ministry said on Friday that it would lift the ban on cattle imports.";
        assert_eq!(
            title(s, "on Friday"),
            "The ministry said on Friday that it would lift the ban on cattle imports"
        );
        let s = "The port reopened on 4 March; traffic has not recovered since the storm of last winter.";
        assert_eq!(title(s, "on 4 March"), "The port reopened on 4 March");
    }

    #[test]
    fn a_short_clause_takes_the_one_before() {
        let s = "The mayor will open the new bridge to traffic when it is finished in May.";
        assert_eq!(
            title(s, "in May"),
            "The mayor will open the new bridge to traffic when it is finished in May"
        );
    }

    #[test]
    fn a_long_clause_keeps_the_words_around_the_date() {
        let s = "The committee, which has argued for a decade about the wording of the charter and the powers of its chair and the size of its budget and staff, finally voted on 12 June 2024 to adopt the new charter with a large majority of its members in favour of every single article.";
        let t = title(s, "on 12 June 2024");
        assert!(t.contains("on 12 June 2024"), "{t}");
        assert!(t.split_whitespace().count() <= LONGEST, "{t}");
        assert!(t.ends_with('…'), "{t}");
    }
}
