//! Splitting `+++` TOML front matter from a markdown body.
//!
//! Pure and string-based so it can be tested and fuzzed without files. Line
//! numbers in errors are counted in the whole file, not the TOML snippet.

use std::path::Path;

use serde::de::DeserializeOwned;

use crate::diag::{self, Diagnostic};

/// Front matter text and body, with the 1-based line each starts on.
#[derive(Debug, PartialEq, Eq)]
pub struct Split<'a> {
    pub toml: &'a str,
    pub toml_line: usize,
    pub body: &'a str,
    pub body_line: usize,
}

impl Split<'_> {
    /// The line of the file a byte offset of `toml` is on.
    pub fn line_of(&self, at: usize) -> usize {
        diag::line_col(self.toml, at).0 + self.toml_line - 1
    }
}

/// Words resting on a citation written in front matter (`cite = '@id:
/// "quoted words"'`): as markdown, for the citation stage to check and
/// render like prose, and the line of the `cite` key, for its errors.
#[derive(Debug, Clone)]
pub struct Cited {
    pub markdown: String,
    pub line: usize,
}

impl Cited {
    pub fn new(words: &str, cite: &toml::Spanned<String>, split: &Split<'_>) -> Self {
        Self {
            markdown: format!("{} [{}]", words.trim(), cite.get_ref().trim()),
            line: split.line_of(cite.span().start),
        }
    }
}

/// Split `+++\n…\n+++\n` from the body.
pub fn split<'a>(path: &Path, text: &'a str) -> Result<Split<'a>, Diagnostic> {
    let Some(rest) = text
        .strip_prefix("+++\n")
        .or_else(|| (text.trim_end() == "+++").then_some(""))
    else {
        return Err(Diagnostic::error(
            path,
            "expected front matter: the file must start with a `+++` line",
        )
        .at(1, 1)
        .with_hint(
            "add TOML front matter between two `+++` lines, e.g. +++\\ntitle = \"…\"\\n+++",
        ));
    };
    let mut offset = 0;
    for (i, line) in rest.split_inclusive('\n').enumerate() {
        if line.trim_end() == "+++" {
            return Ok(Split {
                toml: &rest[..offset],
                toml_line: 2,
                body: &rest[offset + line.len()..],
                body_line: i + 3,
            });
        }
        offset += line.len();
    }
    Err(
        Diagnostic::error(path, "front matter opened on line 1 is never closed")
            .at(1, 1)
            .with_hint("add a closing `+++` line after the front matter"),
    )
}

/// Deserialize front matter into `T`, with errors placed in the file.
pub fn parse<T: DeserializeOwned>(path: &Path, split: &Split<'_>) -> Result<T, Diagnostic> {
    forbidden_escape(path, split)?;
    toml::from_str(split.toml)
        .map_err(|e| diag::from_toml(path, split.toml, &e, split.toml_line - 1))
}

/// Reading the file already dropped raw characters XML forbids, but a TOML
/// escape (`\u0007`) writes one back into a title; it is refused, not
/// silently edited, because someone typed it on purpose.
fn forbidden_escape(path: &Path, split: &Split<'_>) -> Result<(), Diagnostic> {
    match crate::project::forbidden_escape(split.toml) {
        None => Ok(()),
        Some((line, col, escape)) => Err(Diagnostic::error(
            path,
            format!("the escape {escape} writes a control character that HTML and XML output cannot carry"),
        )
        .at(split.toml_line + line - 1, col)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Fm {
        title: String,
        weight: i64,
    }

    #[test]
    fn escapes_of_forbidden_characters_are_refused() {
        let s = split(
            Path::new("a.md"),
            "+++\ntitle = \"A\\u0007B\"\nweight = 1\n+++\n",
        )
        .unwrap();
        let e = parse::<Fm>(Path::new("a.md"), &s).unwrap_err().to_string();
        assert!(e.starts_with("a.md:2:11: error: the escape \\u0007"), "{e}");
        // An escaped backslash is a literal one, and ordinary escapes are fine.
        let s = split(
            Path::new("a.md"),
            "+++\ntitle = \"A\\\\u0007 \\u00e9\"\nweight = 1\n+++\n",
        )
        .unwrap();
        assert!(parse::<Fm>(Path::new("a.md"), &s).is_ok());
    }

    #[test]
    fn splits_and_counts_lines() {
        let s = split(Path::new("a.md"), "+++\ntitle = \"A\"\n+++\nBody\n").unwrap();
        assert_eq!(s.toml, "title = \"A\"\n");
        assert_eq!((s.body, s.body_line), ("Body\n", 4));
    }

    #[test]
    fn unclosed_and_missing() {
        let d = split(Path::new("a.md"), "+++\ntitle = \"A\"\nBody\n").unwrap_err();
        assert!(
            d.to_string()
                .starts_with("a.md:1:1: error: front matter opened on line 1 is never closed")
        );
        assert!(split(Path::new("a.md"), "# Title\n").is_err());
    }

    #[test]
    fn wrong_type_and_unknown_key_are_placed_in_the_file() {
        let text = "+++\ntitle = \"A\"\nweight = \"heavy\"\n+++\n";
        let d =
            parse::<Fm>(Path::new("a.md"), &split(Path::new("a.md"), text).unwrap()).unwrap_err();
        assert_eq!((d.line, d.col), (Some(3), Some(10)), "{d}");
        let text = "+++\ntitle = \"A\"\nweight = 1\ncolour = 2\n+++\n";
        let d =
            parse::<Fm>(Path::new("a.md"), &split(Path::new("a.md"), text).unwrap()).unwrap_err();
        assert_eq!(d.line, Some(4));
        assert!(d.message.contains("unknown field `colour`"), "{d}");
    }
}
