//! Sentence splitting tuned for news copy.
//!
//! A period ends a sentence only when what follows looks like a new one
//! (space, then a capital, digit or opening quote), and not after an
//! abbreviation ("U.S.", "Dr.", "Oct."), an initial, or inside a quotation
//! that is still open, so a quoted statement stays one citable unit.

const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "gen", "sen", "rep", "gov", "lt", "col",
    "capt", "sgt", "pres", "inc", "corp", "ltd", "co", "vs", "etc", "no", "fig", "approx", "jan",
    "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "mon", "tue",
    "tues", "wed", "thu", "thurs", "fri", "sat", "sun",
];

const CLOSERS: &[char] = &['”', '"', '’', ')', ']', '\''];
const OPENERS: &[char] = &['“', '"', '‘', '(', '[', '\''];

/// Split one paragraph into trimmed sentences. Never returns an empty sentence.
pub fn split(text: &str) -> Vec<&str> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut out = Vec::new();
    let mut start = 0;
    let mut depth = 0i32;
    let mut i = 0;
    while i < chars.len() {
        let (_, c) = chars[i];
        match c {
            '“' => depth += 1,
            '”' => depth = (depth - 1).max(0),
            '"' => depth = if depth > 0 { depth - 1 } else { 1 },
            '.' | '!' | '?' | '…' => {
                let mut j = i + 1;
                while j < chars.len()
                    && (matches!(chars[j].1, '.' | '!' | '?' | '…')
                        || CLOSERS.contains(&chars[j].1))
                {
                    match chars[j].1 {
                        '”' => depth = (depth - 1).max(0),
                        '"' => depth = if depth > 0 { depth - 1 } else { 1 },
                        _ => {}
                    }
                    j += 1;
                }
                if depth == 0
                    && starts_new_sentence(&chars, j)
                    && !(c == '.' && is_abbreviation(text, chars[i].0))
                {
                    let end = chars.get(j).map_or(text.len(), |&(b, _)| b);
                    push_trimmed(&mut out, &text[start..end]);
                    start = end;
                }
                i = j;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    push_trimmed(&mut out, &text[start..]);
    out
}

/// Longest sentence kept whole, in bytes. News sentences run to a few
/// hundred; anything longer is a run-on (a table, a list pasted as one
/// line) and is cut at spaces, so every later stage works on bounded pieces
/// and stays linear in the length of the article.
pub const MAX_SENTENCE: usize = 2_000;

fn push_trimmed<'a>(out: &mut Vec<&'a str>, s: &'a str) {
    let mut s = s.trim();
    while s.len() > MAX_SENTENCE {
        let mut cut = MAX_SENTENCE;
        while !s.is_char_boundary(cut) {
            cut -= 1;
        }
        let at = s[..cut]
            .rfind(char::is_whitespace)
            .filter(|&i| i > 0)
            .unwrap_or(cut);
        out.push(s[..at].trim_end());
        s = s[at..].trim_start();
    }
    if !s.is_empty() {
        out.push(s);
    }
}

/// At `j`: one or more spaces, then a capital letter, a digit or an opening quote.
fn starts_new_sentence(chars: &[(usize, char)], j: usize) -> bool {
    let mut k = j;
    while k < chars.len() && chars[k].1 == ' ' {
        k += 1;
    }
    if k == j || k >= chars.len() {
        return false;
    }
    let next = chars[k].1;
    next.is_uppercase() || next.is_ascii_digit() || OPENERS.contains(&next)
}

/// Is the word ending at the period at byte `dot` an abbreviation or initial?
fn is_abbreviation(text: &str, dot: usize) -> bool {
    let word_start = text[..dot].rfind([' ', '(', '“', '"']).map_or(0, |p| {
        p + text[p..].chars().next().map_or(1, char::len_utf8)
    });
    let word = &text[word_start..dot];
    if word.is_empty() {
        return false;
    }
    // "U.S", "a.m", "e.g": a period inside the word marks an abbreviation.
    if word.contains('.') {
        return true;
    }
    let mut cs = word.chars();
    if let (Some(first), None) = (cs.next(), cs.next()) {
        return first.is_uppercase();
    }
    ABBREVIATIONS.contains(&word.to_lowercase().as_str())
}

#[cfg(test)]
mod tests {
    use super::split;

    #[test]
    fn abbreviations_decimals_and_numbers_do_not_split() {
        let t = "U.S. and Chinese officials met on Oct. 26 with Dr. Wang. China ordered about 1.8 million tons over 4+ years.";
        assert_eq!(
            split(t),
            vec![
                "U.S. and Chinese officials met on Oct. 26 with Dr. Wang.",
                "China ordered about 1.8 million tons over 4+ years."
            ]
        );
    }

    #[test]
    fn real_seed_quote_pairs_split_between_quotes() {
        // busan-outcomes, paragraph 3
        let t = "“I expect to be lowering that because I believe that they’re going to help us with the fentanyl situation,” Trump said aboard Air Force One. “The relationship with China is very good,” he added, describing Xi as “a tremendous leader of a very powerful country.”";
        let s = split(t);
        assert_eq!(s.len(), 2);
        assert!(s[0].ends_with("Air Force One."));
        assert!(s[1].starts_with("“The relationship"));
    }

    #[test]
    fn open_quotation_is_not_split() {
        // deal-prospects: a quoted statement of several sentences stays whole.
        let t = "“Both sides approach the relationship with confidence,” Medeiros said. “Both believe the other needs them more, and ultimately both believe they have the upper hand. This,” he concluded, “is an extremely dangerous point of balance.”";
        let s = split(t);
        assert_eq!(s.len(), 2, "{s:#?}");
        assert!(s[1].ends_with("point of balance.”"));
    }

    #[test]
    fn period_then_closing_quote_then_new_sentence() {
        let t = "Agriculture Secretary Brooke Rollins called the agreement “great news.” “China’s commitment brings balance,” he wrote.";
        assert_eq!(split(t).len(), 2);
    }

    #[test]
    fn missing_space_after_cut_link_does_not_split() {
        let t = "to the level they were earlier this year.before Trump starts the new trade war.";
        assert_eq!(split(t).len(), 1);
    }

    #[test]
    fn trailing_text_without_period_is_kept() {
        assert_eq!(
            split("Beijing Visit Set For April"),
            vec!["Beijing Visit Set For April"]
        );
    }
}
