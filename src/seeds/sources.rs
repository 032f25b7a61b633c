//! `seeds/sources.toml`: what we know of each article.
//!
//! Owns the file's model and its checks (ids, dates, web addresses, drop
//! patterns, duplicates), each error at path:line:col and all of them
//! reported together; the metadata of an article with no entry (title from
//! its first line, date from a dateline); and the rules other modules
//! borrow: what a valid id is (topic and page slugs too) and English month
//! names (timeline extraction). Reads no files: the caller passes the text.
//!
//! Every field is required and "unknown" is written out where the article
//! does not say, so a missing value is a visible editorial decision rather
//! than a default. Articles with no entry still build, with metadata taken
//! from the text and a warning.

use std::collections::HashMap;
use std::ops::Range;
use std::path::Path;

use jiff::civil::Date;
use regex::Regex;
use serde::Deserialize;
use toml::Spanned;

use crate::diag::{self, Diagnostic};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    source: Vec<RawSource>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSource {
    id: Spanned<String>,
    file: Spanned<String>,
    title: String,
    publisher: String,
    date: Spanned<String>,
    url: Spanned<String>,
    /// Extra boilerplate patterns (regular expressions on whole lines).
    #[serde(default)]
    drop: Vec<Spanned<String>>,
    #[serde(default)]
    notes: Option<String>,
    /// When `date` is unknown: the date relative phrases ("this week", "in
    /// April") are resolved against. An editorial estimate, never shown as
    /// the publication date.
    #[serde(default)]
    reference_date: Option<Spanned<String>>,
    /// A short editorial name for references and timeline lines.
    #[serde(default)]
    short: Option<String>,
    /// Provenance warnings shown where the source is cited ("AI-generated").
    #[serde(default)]
    flags: Vec<String>,
    /// Sentences garbled in the article as received ("p4-s2"): readers
    /// see "[sic]" after them; the text stays as it is.
    #[serde(default)]
    sic: Vec<Spanned<String>>,
}

/// Metadata of one article; `None` means the article does not say.
#[derive(Debug, Clone, serde::Serialize, Deserialize)]
pub struct SourceMeta {
    pub id: String,
    pub file: String,
    pub title: Option<String>,
    pub publisher: Option<String>,
    pub date: Option<Date>,
    /// Where in the text `date` was read ("byline, line 2"); `None` when
    /// it comes from `sources.toml` or is unknown.
    pub date_basis: Option<String>,
    pub url: Option<String>,
    pub notes: Option<String>,
    /// Editorial estimate to resolve relative dates against when `date` is unknown.
    pub reference_date: Option<Date>,
    /// False when the article has no `sources.toml` entry.
    pub listed: bool,
    /// `short` in `sources.toml`: the editorial name references use.
    pub short: Option<String>,
    /// `flags` in `sources.toml`: provenance warnings readers see.
    pub flags: Vec<String>,
    /// `sic` in `sources.toml`: sentence anchors, each with its line there.
    pub sic: Vec<(String, usize)>,
    #[serde(with = "patterns")]
    pub drop: Vec<Regex>,
}

/// Drop patterns kept by their source text, compiled again when read.
mod patterns {
    use regex::Regex;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(drop: &[Regex], s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(drop.iter().map(Regex::as_str))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Regex>, D::Error> {
        let texts = Vec::<String>::deserialize(d)?;
        texts
            .iter()
            .map(|t| Regex::new(t).map_err(serde::de::Error::custom))
            .collect()
    }
}

/// For cache keys: every field, a pattern by its source text. Named one by
/// one, so that a new field does not compile until it is hashed here.
impl std::hash::Hash for SourceMeta {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        let Self {
            id,
            file,
            title,
            publisher,
            date,
            date_basis,
            url,
            notes,
            reference_date,
            listed,
            short,
            flags,
            sic,
            drop,
        } = self;
        (id, file, title, publisher, date, date_basis, url, notes).hash(state);
        (reference_date, listed, short, flags, sic).hash(state);
        drop.iter().for_each(|r| r.as_str().hash(state));
        drop.len().hash(state);
    }
}

fn known(value: &str) -> Option<String> {
    let v = value.trim();
    (!v.is_empty() && !v.eq_ignore_ascii_case("unknown")).then(|| v.to_string())
}

/// Parse `sources.toml`. Returns entries keyed by file name.
pub(crate) fn parse(
    path: &Path,
    text: &str,
) -> Result<HashMap<String, SourceMeta>, Vec<Diagnostic>> {
    if let Some((line, col, escape)) = crate::project::forbidden_escape(text) {
        return Err(vec![Diagnostic::error(
            path,
            format!("the escape {escape} writes a control character that HTML and XML output cannot carry"),
        )
        .at(line, col)]);
    }
    let raw: RawFile =
        toml::from_str(text).map_err(|e| vec![diag::from_toml(path, text, &e, 0)])?;
    let mut entries = Entries::new(path, text);
    for s in raw.source {
        entries.add(s);
    }
    if entries.errors.is_empty() {
        Ok(entries.by_file)
    } else {
        Err(entries.errors)
    }
}

/// The entries read so far, and every error found in them: one bad entry
/// must not hide the others' errors.
struct Entries<'t> {
    path: &'t Path,
    lines: diag::LineIndex<'t>,
    by_file: HashMap<String, SourceMeta>,
    /// id → the line it was first used on, for the duplicate's message.
    ids: HashMap<String, usize>,
    errors: Vec<Diagnostic>,
}

impl<'t> Entries<'t> {
    fn new(path: &'t Path, text: &'t str) -> Self {
        Self {
            path,
            lines: diag::LineIndex::new(text),
            by_file: HashMap::new(),
            ids: HashMap::new(),
            errors: Vec::new(),
        }
    }

    /// An error pointing at the start of `span`.
    fn error(&self, span: Range<usize>, message: String) -> Diagnostic {
        let (line, col) = self.lines.line_col(span.start);
        Diagnostic::error(self.path, message).at(line, col)
    }

    fn add(&mut self, s: RawSource) {
        let file = s.file.clone();
        let meta = self.meta(s);
        if self.by_file.insert(file.get_ref().clone(), meta).is_some() {
            let message = format!("file {:?} is listed twice", file.get_ref());
            self.errors.push(self.error(file.span(), message));
        }
    }

    /// One entry's fields, each checked; "unknown" becomes `None`.
    fn meta(&mut self, s: RawSource) -> SourceMeta {
        self.check_id(&s.id);
        let date = self.date(&s.date);
        let reference_date = s.reference_date.and_then(|r| self.reference_date(&r));
        let drop = self.drop_patterns(&s.drop);
        let url = self.url(&s.url);
        SourceMeta {
            id: s.id.into_inner(),
            file: s.file.into_inner(),
            title: known(&s.title),
            publisher: known(&s.publisher),
            date,
            date_basis: None,
            url,
            notes: s.notes.and_then(|n| known(&n)),
            reference_date,
            listed: true,
            short: s.short.and_then(|n| known(&n)),
            flags: s.flags.iter().filter_map(|f| known(f)).collect(),
            sic: s
                .sic
                .iter()
                .map(|a| {
                    (
                        a.get_ref().trim().to_string(),
                        self.lines.line_col(a.span().start).0,
                    )
                })
                .collect(),
            drop,
        }
    }

    fn check_id(&mut self, id: &Spanned<String>) {
        let (line, _) = self.lines.line_col(id.span().start);
        let name = id.get_ref();
        if !valid_id(name) {
            let message = format!("invalid source id {name:?}");
            let hint =
                "ids are lower-case letters, digits and hyphens, e.g. \"post-summit-report\"";
            self.errors
                .push(self.error(id.span(), message).with_hint(hint));
        }
        if let Some(first) = self.ids.insert(name.clone(), line) {
            let message = format!("duplicate source id {name:?} (first used on line {first})");
            self.errors.push(self.error(id.span(), message));
        }
    }

    fn date(&mut self, date: &Spanned<String>) -> Option<Date> {
        let d = known(date.get_ref())?;
        let parsed = d.parse::<Date>().ok();
        if parsed.is_none() {
            let message = format!("invalid date {d:?}: expected YYYY-MM-DD or \"unknown\"");
            self.errors.push(self.error(date.span(), message));
        }
        parsed
    }

    /// Unlike `date`, never "unknown": an entry without one leaves it out.
    fn reference_date(&mut self, r: &Spanned<String>) -> Option<Date> {
        let parsed = r.get_ref().parse::<Date>().ok();
        if parsed.is_none() {
            let message = format!(
                "invalid reference_date {:?}: expected YYYY-MM-DD",
                r.get_ref()
            );
            self.errors.push(self.error(r.span(), message));
        }
        parsed
    }

    fn url(&mut self, url: &Spanned<String>) -> Option<String> {
        let u = known(url.get_ref())?;
        if !is_web_url(&u) {
            let message = format!("url {u:?} is not an http or https address");
            let hint =
                "the source page links to it; write the article's web address, or \"unknown\"";
            self.errors
                .push(self.error(url.span(), message).with_hint(hint));
        }
        Some(u)
    }

    fn drop_patterns(&mut self, patterns: &[Spanned<String>]) -> Vec<Regex> {
        let mut drop = Vec::new();
        for pat in patterns {
            match Regex::new(pat.get_ref()) {
                Ok(re) => drop.push(re),
                Err(e) => self
                    .errors
                    .push(self.error(pat.span(), format!("invalid drop pattern: {e}"))),
            }
        }
        drop
    }
}

/// Only web addresses may become links: a `javascript:` or `data:` URL in
/// an href would run or show whatever it holds.
fn is_web_url(url: &str) -> bool {
    let lower = url.trim_start().to_ascii_lowercase();
    (lower.starts_with("https://") || lower.starts_with("http://"))
        && !url.contains(char::is_whitespace)
}

/// Lower-case ASCII letters, digits and hyphens. Also the rule for topic
/// slugs and content path segments, which become URL paths too.
pub(crate) fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !id.starts_with('-')
}

/// Metadata for an article with no entry: title from its first line, date
/// from its own metadata lines if it has them.
pub(crate) fn fallback(file: &str, id: String, text: &str) -> SourceMeta {
    // The first line is often a masthead or a consent banner: look for the
    // line that reads like a headline, and fall back to the first one.
    let title = super::boilerplate::headline(text)
        .or_else(|| text.lines().map(str::trim).find(|l| !l.is_empty()))
        .map(|l| {
            let mut t: String = l.chars().take(120).collect();
            if l.chars().count() > 120 {
                t.push('…');
            }
            t
        });
    let published = super::published::find(text);
    SourceMeta {
        id,
        file: file.to_string(),
        title,
        publisher: None,
        date: published.as_ref().map(|p| p.date),
        date_basis: published.map(|p| p.basis),
        url: None,
        notes: None,
        reference_date: None,
        listed: false,
        short: None,
        flags: Vec::new(),
        sic: Vec::new(),
        drop: Vec::new(),
    }
}

/// Month number from an English month name or its abbreviation.
pub(crate) fn month_number(name: &str) -> Option<i8> {
    let n = name.to_ascii_lowercase();
    const MONTHS: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    MONTHS
        .iter()
        .position(|m| n.starts_with(m))
        .map(|i| i as i8 + 1)
}

/// Entries of `sources.toml` whose file was not read.
pub(super) fn missing_files(
    toml_rel: &std::path::Path,
    toml_text: &str,
    dir: &std::path::Path,
    mut missing: Vec<SourceMeta>,
) -> Vec<Diagnostic> {
    missing.sort_by(|a, b| a.file.cmp(&b.file));
    missing
        .into_iter()
        .map(|m| {
            let line = toml_text
                .lines()
                .position(|l| l.contains(&format!("\"{}\"", m.file)))
                .map(|i| i + 1);
            let why = if dir.join(&m.file).is_file() {
                "which is in seeds/ but not read: articles are .txt or .text files, not hidden or editor temp files"
            } else {
                "but there is no such file in seeds/"
            };
            let d = Diagnostic::error(
                toml_rel,
                format!("source {:?} lists file {:?}, {why}", m.id, m.file),
            );
            line.map_or(d.clone(), |l| d.at_line(l))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_is_none_and_duplicates_fail() {
        let text = r#"
[[source]]
id = "a"
file = "a.txt"
title = "unknown"
publisher = "X"
date = "unknown"
url = "unknown"

[[source]]
id = "a"
file = "b.txt"
title = "B"
publisher = "unknown"
date = "2025-13-01"
url = "unknown"
"#;
        let errs = parse(Path::new("seeds/sources.toml"), text).unwrap_err();
        let msgs: Vec<String> = errs.iter().map(ToString::to_string).collect();
        assert!(
            msgs.iter()
                .any(|m| m.starts_with("seeds/sources.toml:11:6: error: duplicate source id")),
            "{msgs:#?}"
        );
        assert!(
            msgs.iter()
                .any(|m| m.contains("invalid date \"2025-13-01\"")),
            "{msgs:#?}"
        );
        let ok = parse(
            Path::new("s"),
            &text
                .replace(
                    "id = \"a\"\nfile = \"b.txt\"",
                    "id = \"b\"\nfile = \"b.txt\"",
                )
                .replace("2025-13-01", "2025-10-26"),
        )
        .unwrap();
        assert_eq!(ok["a.txt"].title, None);
        assert_eq!(ok["a.txt"].publisher.as_deref(), Some("X"));
    }
}
