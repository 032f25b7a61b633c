//! A line's words and whether it ends as a sentence: what every feature
//! and the recurrence count read a line by.

/// Words of a line, lower-cased, with edge punctuation trimmed.
pub fn words(line: &str) -> Vec<String> {
    line.split(|c: char| {
        c.is_whitespace() || matches!(c, ',' | ';' | '|' | '·' | ':' | '(' | ')' | '[' | ']' | '/')
    })
    .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
    .filter(|w| !w.is_empty())
    .map(lower_word)
    .collect()
}

/// One word lower-cased with its curly apostrophes made straight. Most
/// words are plain ASCII: those take one allocation, not three.
fn lower_word(w: &str) -> String {
    if w.is_ascii() {
        w.to_ascii_lowercase()
    } else {
        w.replace('’', "'").to_lowercase()
    }
}

/// Ends as a sentence does, closing quotes and brackets aside.
pub fn ends_sentence(line: &str) -> bool {
    let t = line.trim_end_matches(['"', '”', '’', '\'', ')', ']', ' ']);
    t.ends_with(['.', '!', '?', '…'])
}
