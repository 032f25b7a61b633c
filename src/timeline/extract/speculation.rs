//! Questions and guesses: sentences whose dates are not events.

use std::sync::LazyLock;

use regex::Regex;

use super::grammar::ascii;

/// Words of speculation: a sentence built on one guesses at a date rather
/// than reports one ("it remains to be seen what will be agreed … this week").
/// Case matters: "may" is a guess, "May" a month.
pub(super) static SPECULATION: LazyLock<Regex> = LazyLock::new(|| {
    ascii(
        r"\b(remains? to be seen|(?:is|are|was|were|remains?) unclear|unclear (?:whether|if|when)|might|could|may|perhaps|possibly|speculat\w*|rumou?r\w*)\b",
    )
});

/// A question or a guess: its dates are not events.
pub(super) fn speculative(text: &str) -> bool {
    let end = text.trim_end_matches(['"', '”', '’', '\'', ')', ' ']);
    end.ends_with('?') || SPECULATION.is_match(text)
}
