//! What a search term is. `static/search.js` splits queries the same way,
//! with the same pattern, plural rule and stop list (the stop list travels
//! in the index's manifest so the two cannot drift apart).
//!
//! - A term is a run of letters and digits; a number keeps its inner `.`
//!   and drops its inner `,` ("12,000" → `12000`, "1.8" → `1.8`).
//! - "%" is the word `percent`, so "10%" finds "10 percent".
//! - Lower case; single letters and stop words are not terms.
//! - A plural is its singular by a light rule ("tariffs" → `tariff`,
//!   "duties" → `duty`): no dictionary, so it never turns one word into another.

use crate::hash::WordList;

/// What `static/search.js` matches terms with (`u` flag). The scanner
/// below is this pattern by hand: `char::is_alphabetic` is the Alphabetic
/// property and `char::is_numeric` is `\p{N}`. (The regex crate took 16% of
/// a 10,000-article build to find the same words.)
pub const PATTERN: &str = r"\p{N}+(?:[.,]\p{N}+)+|[\p{Alphabetic}\p{N}]+|%";

/// Words too common to find anything by.
pub static STOP: WordList = WordList::new(&[
    "a", "about", "after", "all", "also", "an", "and", "any", "are", "as", "at", "be", "been",
    "but", "by", "can", "could", "did", "do", "for", "from", "had", "has", "have", "he", "her",
    "his", "if", "in", "into", "is", "it", "its", "more", "no", "not", "of", "on", "one", "or",
    "our", "out", "over", "said", "she", "so", "than", "that", "the", "their", "them", "then",
    "there", "these", "they", "this", "to", "up", "was", "we", "were", "what", "when", "which",
    "who", "will", "with", "would", "you",
]);

/// Each term of `text`, in order, passed to `each`.
pub fn each_term(text: &str, mut each: impl FnMut(&str)) {
    let mut buf = String::new();
    for raw in Words(text) {
        if term(raw, &mut buf) {
            each(&buf);
        }
    }
}

/// Each term of `text`, in order.
#[cfg(test)]
pub fn terms(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    each_term(text, |t| out.push(t.to_string()));
    out
}

fn is_word(c: char) -> bool {
    c.is_alphabetic() || c.is_numeric()
}

/// The raw matches of [`PATTERN`].
struct Words<'a>(&'a str);

impl<'a> Iterator for Words<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        let text = self.0;
        let (start, first) = text.char_indices().find(|&(_, c)| is_word(c) || c == '%')?;
        if first == '%' {
            self.0 = &text[start + 1..];
            return Some(&text[start..=start]);
        }
        let rest = &text[start..];
        let end = number_with_separators(rest)
            .unwrap_or_else(|| rest.find(|c: char| !is_word(c)).unwrap_or(rest.len()));
        self.0 = &rest[end..];
        Some(&rest[..end])
    }
}

/// The length of a leading `\p{N}+(?:[.,]\p{N}+)+`, if there is one.
fn number_with_separators(s: &str) -> Option<usize> {
    let digits = |from: usize| {
        s[from..]
            .find(|c: char| !c.is_numeric())
            .map_or(s.len(), |n| from + n)
    };
    let mut end = digits(0);
    if end == 0 {
        return None;
    }
    let mut groups = 0;
    while let Some(sep) = s[end..].chars().next().filter(|c| *c == '.' || *c == ',') {
        let after = end + sep.len_utf8();
        let next = digits(after);
        if next == after {
            break;
        }
        end = next;
        groups += 1;
    }
    (groups > 0).then_some(end)
}

/// Make `raw` a term in `buf`; false if it is none.
fn term(raw: &str, buf: &mut String) -> bool {
    buf.clear();
    if raw == "%" {
        buf.push_str("percent");
        return true;
    }
    if raw.is_ascii() {
        buf.push_str(raw);
        buf.make_ascii_lowercase();
    } else {
        buf.extend(raw.chars().flat_map(char::to_lowercase));
    }
    if buf.starts_with(|c: char| c.is_numeric()) {
        if buf.contains(',') {
            buf.retain(|c| c != ',');
        }
    } else if buf.chars().nth(1).is_none() {
        return false;
    }
    // No stop word is longer than five letters.
    if buf.len() <= 5 && STOP.contains(buf) {
        return false;
    }
    singular(buf);
    true
}

/// The light plural rule; `search.js` has the same one.
fn singular(t: &mut String) {
    if t.len() < 4 || !t.ends_with('s') || !t.is_ascii() {
        return;
    }
    if t.ends_with("ies") {
        t.truncate(t.len() - 3);
        t.push('y');
    } else if t.ends_with("sses")
        || t.ends_with("xes")
        || t.ends_with("ches")
        || t.ends_with("shes")
    {
        t.truncate(t.len() - 2);
    } else if !(t.ends_with("ss") || t.ends_with("us") || t.ends_with("is")) {
        t.truncate(t.len() - 1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(text: &str) -> Vec<String> {
        terms(text)
    }

    #[test]
    fn the_scanner_finds_what_the_pattern_finds() {
        let re = regex::Regex::new(PATTERN).expect("pattern");
        for text in [
            "A 10% cut, 12,000 tons; 1.8m. 3.5.7 v2.0 x,1 2, 3 ,4 café naïve 東京 ٣٤ ½ e\u{301}",
            "…end. 2025-11-10 (Nov. 10) $200 billion—and U.S.-China",
        ] {
            let want: Vec<&str> = re.find_iter(text).map(|m| m.as_str()).collect();
            assert_eq!(Words(text).collect::<Vec<_>>(), want, "{text}");
        }
    }

    #[test]
    fn the_stop_list_is_sorted_for_binary_search() {
        assert!(STOP.words().windows(2).all(|w| w[0] < w[1]));
        assert!(STOP.words().iter().all(|w| w.len() <= 5));
    }

    #[test]
    fn numbers_and_percentages_are_one_form() {
        assert_eq!(all("a 10% cut"), ["10", "percent", "cut"]);
        assert_eq!(all("10 percent"), ["10", "percent"]);
        assert_eq!(
            all("12,000 tons, 1.8 million"),
            ["12000", "ton", "1.8", "million"]
        );
        assert_eq!(all("in 2026."), ["2026"]);
    }

    #[test]
    fn plurals_fold_to_the_singular_and_nothing_else_changes() {
        assert_eq!(
            all("Tariffs duties taxes visits"),
            ["tariff", "duty", "tax", "visit"]
        );
        assert_eq!(
            all("US press status analysis"),
            ["us", "press", "status", "analysis"]
        );
        assert_eq!(all("China's soybeans"), ["china", "soybean"]);
        assert_eq!(all("visiting agreed"), ["visiting", "agreed"]);
    }
}
