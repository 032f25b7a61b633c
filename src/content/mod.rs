//! Authored content: every `content/**/*.md`, classified by where it lives.
//!
//! - `content/_index.md`: the home page
//! - `content/topics/<slug>.md`: a topic
//! - `content/timeline/*.md`: an authored timeline event
//! - `content/commitments/*.md`: a promise of the deal, for the tracker
//! - anything else: a page at its path (`notes/method.md` → `/notes/method/`)
//!
//! Each kind has its own strict front matter; unknown keys are errors.

pub mod commitment;
pub mod front_matter;
pub mod numbers;

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::Deserialize;

use crate::dates::PartialDate;
use crate::diag::Diagnostic;
use crate::project::Project;

/// One authored markdown file.
#[derive(Debug, Clone)]
pub struct Doc {
    /// Project-relative path, for messages.
    pub path: PathBuf,
    pub body: String,
    /// 1-based line of the file where `body` starts.
    pub body_line: usize,
    pub kind: DocKind,
    /// What is suspicious but not wrong, e.g. a keyword that cannot match.
    pub warnings: Vec<Diagnostic>,
}

#[derive(Debug, Clone)]
pub enum DocKind {
    Home(HomeMeta),
    Topic(TopicMeta),
    Event(EventMeta),
    Commitment(Box<commitment::CommitmentMeta>),
    Page(PageMeta),
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HomeMeta {
    pub title: String,
    #[serde(default)]
    pub description: String,
}

/// A topic: its slug comes from its file name, the rest from front matter.
#[derive(Debug, Clone)]
pub struct TopicMeta {
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub order: i64,
    pub keywords: Vec<String>,
    pub aliases: Vec<String>,
    /// Phrases whose words look like the topic's but are not about it
    /// ("soy sauce"): a keyword inside one does not count.
    pub exclude: Vec<String>,
    /// "By the numbers": a few cited figures.
    pub numbers: Vec<numbers::Number>,
}

/// A topic's front matter as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTopic {
    title: String,
    summary: String,
    #[serde(default)]
    order: i64,
    keywords: Vec<String>,
    #[serde(default)]
    aliases: Vec<String>,
    #[serde(default)]
    exclude: Vec<String>,
    #[serde(default)]
    numbers: Vec<numbers::RawNumber>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEvent {
    title: String,
    date: toml::Spanned<String>,
    #[serde(default)]
    end: Option<toml::Spanned<String>>,
    #[serde(default)]
    topics: Vec<String>,
    #[serde(default)]
    date_basis: Option<String>,
}

#[derive(Debug, Clone)]
pub struct EventMeta {
    pub title: String,
    pub date: PartialDate,
    /// Line of `date = …` in the file, for the date-support check.
    pub date_line: usize,
    pub end: Option<PartialDate>,
    pub topics: Vec<String>,
    /// How the date was worked out when no citation states it ("Thursday
    /// of the week of the meeting, per …"); readers see it as "date inferred".
    pub date_basis: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPage {
    title: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    date: Option<toml::Spanned<String>>,
    #[serde(default)]
    draft: bool,
    #[serde(default)]
    weight: i64,
}

#[derive(Debug, Clone)]
pub struct PageMeta {
    /// Site path without the base, e.g. `notes/method/`.
    pub url_path: String,
    pub title: String,
    pub description: String,
    pub date: Option<PartialDate>,
    pub draft: bool,
    pub weight: i64,
}

/// The extensions of content files, in any case.
pub const EXTENSIONS: [&str; 2] = ["md", "markdown"];

/// Read and classify every markdown file under `content/`. Drafts are left
/// out; other files get a warning saying they were not read.
pub fn load(
    project: &Project,
    cache: &crate::cache::Cache,
) -> Result<(Vec<Doc>, Vec<Diagnostic>), Vec<Diagnostic>> {
    let dir = project.content_dir();
    let (files, others) = project.walk_split(&dir, &EXTENSIONS)?;
    let unread = others.iter().map(|p| {
        Diagnostic::warning(
            project.rel(p),
            "not read: content files are markdown (.md or .markdown)",
        )
    });
    let mut unread: Vec<Diagnostic> = unread.collect();
    let parsed: Vec<Result<Doc, Diagnostic>> = files
        .par_iter()
        .map(|path| {
            let rel = project.rel(path);
            let within = path.strip_prefix(&dir).unwrap_or(path);
            // Parsed again only when the file changed, in a process that
            // builds again (`Cache::file`).
            let parsed = cache.file(path, || {
                Ok(project
                    .read_to_string(path)
                    .and_then(|text| parse(&rel, within, &text)))
            });
            match parsed {
                Ok(doc) => doc.as_ref().clone(),
                Err(e) => Err(Diagnostic::error(&rel, format!("cannot read: {e}"))),
            }
        })
        .collect();
    let mut docs = Vec::new();
    let mut errors = Vec::new();
    for result in parsed {
        match result {
            Ok(doc) if matches!(&doc.kind, DocKind::Page(p) if p.draft) => {}
            Ok(mut doc) => {
                unread.append(&mut doc.warnings);
                docs.push(doc);
            }
            Err(d) => errors.push(d),
        }
    }
    if errors.is_empty() {
        Ok((docs, unread))
    } else {
        Err(errors)
    }
}

/// Parse one file. `rel` is for messages; `within` is the path inside `content/`.
pub fn parse(rel: &Path, within: &Path, text: &str) -> Result<Doc, Diagnostic> {
    let split = front_matter::split(rel, text)?;
    // Classified by folder and stem, so `_index.MD` is the home page too.
    let parts: Vec<String> = within
        .with_extension("")
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    let stem = within
        .file_stem()
        .map_or(String::new(), |s| s.to_string_lossy().into_owned());
    let kind = match parts
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["_index"] => DocKind::Home(front_matter::parse(rel, &split)?),
        ["topics", _] => {
            let t: RawTopic = front_matter::parse(rel, &split)?;
            if !crate::seeds::sources::valid_id(&stem) {
                return Err(Diagnostic::error(
                    rel,
                    format!("topic file name {stem:?} is not a valid slug"),
                )
                .with_hint("use lower-case letters, digits and hyphens"));
            }
            let numbers = numbers::parse(t.numbers, &split)
                .map_err(|m| Diagnostic::error(rel, m).at_line(split.toml_line))?;
            DocKind::Topic(TopicMeta {
                numbers,
                slug: stem,
                title: t.title,
                summary: t.summary,
                order: t.order,
                keywords: t.keywords,
                aliases: t.aliases,
                exclude: t.exclude,
            })
        }
        ["timeline", _] => DocKind::Event(event(rel, &split)?),
        ["commitments", _] => DocKind::Commitment(Box::new(commitment::parse(rel, stem, &split)?)),
        _ => DocKind::Page(page(rel, within, &split)?),
    };
    let warnings = match &kind {
        DocKind::Topic(t) => unmatchable_terms(rel, &split, t),
        _ => Vec::new(),
    };
    Ok(Doc {
        path: rel.to_path_buf(),
        body: split.body.to_string(),
        body_line: split.body_line,
        kind,
        warnings,
    })
}

/// Keywords matched on ASCII word boundaries can never match when they
/// start or end with punctuation or a non-ASCII letter ("U.S.", "café").
fn unmatchable_terms(
    rel: &Path,
    split: &front_matter::Split<'_>,
    t: &TopicMeta,
) -> Vec<Diagnostic> {
    let edge_ok = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
    t.keywords
        .iter()
        .chain(&t.aliases)
        .chain(&t.exclude)
        .filter(|k| !(edge_ok(k.chars().next()) && edge_ok(k.chars().last())))
        .map(|k| {
            let line = split
                .toml
                .lines()
                .position(|l| l.contains(&format!("{k:?}")))
                .map_or(split.toml_line, |i| split.toml_line + i);
            Diagnostic::warning(rel, format!("keyword {k:?} can never match"))
                .at_line(line)
                .with_hint("keywords match on word boundaries: start and end them with an ASCII letter or digit (\"US\", not \"U.S.\")")
        })
        .collect()
}

fn spanned_date(
    rel: &Path,
    split: &front_matter::Split<'_>,
    s: &toml::Spanned<String>,
) -> Result<PartialDate, Diagnostic> {
    PartialDate::parse(s.get_ref()).map_err(|msg| {
        let (line, col) = crate::diag::line_col(split.toml, s.span().start);
        Diagnostic::error(rel, msg).at(line + split.toml_line - 1, col)
    })
}

fn event(rel: &Path, split: &front_matter::Split<'_>) -> Result<EventMeta, Diagnostic> {
    let raw: RawEvent = front_matter::parse(rel, split)?;
    let date = spanned_date(rel, split, &raw.date)?;
    let end = raw
        .end
        .as_ref()
        .map(|e| spanned_date(rel, split, e))
        .transpose()?;
    if let Some(end) = end.filter(|e| e.first_day() < date.first_day()) {
        return Err(
            Diagnostic::error(rel, format!("end {end} is before date {date}"))
                .at_line(split.toml_line),
        );
    }
    let date_line = split.line_of(raw.date.span().start);
    Ok(EventMeta {
        title: raw.title,
        date,
        date_line,
        end,
        topics: raw.topics,
        date_basis: raw.date_basis.filter(|b| !b.trim().is_empty()),
    })
}

fn page(
    rel: &Path,
    within: &Path,
    split: &front_matter::Split<'_>,
) -> Result<PageMeta, Diagnostic> {
    let raw: RawPage = front_matter::parse(rel, split)?;
    let date = raw
        .date
        .as_ref()
        .map(|d| spanned_date(rel, split, d))
        .transpose()?;
    let mut url = within.with_extension("");
    if url
        .file_name()
        .is_some_and(|n| n == "_index" || n == "index")
    {
        url.pop();
    }
    let url_path: Vec<String> = url
        .iter()
        .map(|c| c.to_string_lossy().into_owned())
        .collect();
    if let Some(bad) = url_path
        .iter()
        .find(|c| !crate::seeds::sources::valid_id(c))
    {
        return Err(
            Diagnostic::error(rel, format!("path segment {bad:?} is not URL-safe"))
                .with_hint("name content files with lower-case letters, digits and hyphens"),
        );
    }
    let url_path = if url_path.is_empty() {
        String::new()
    } else {
        format!("{}/", url_path.join("/"))
    };
    Ok(PageMeta {
        url_path,
        title: raw.title,
        description: raw.description,
        date,
        draft: raw.draft,
        weight: raw.weight,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_by_path() {
        let fm = "+++\ntitle = \"T\"\n+++\nBody";
        let doc = parse(
            Path::new("content/notes/method.md"),
            Path::new("notes/method.md"),
            fm,
        )
        .unwrap();
        match doc.kind {
            DocKind::Page(p) => assert_eq!(p.url_path, "notes/method/"),
            other => panic!("{other:?}"),
        }
        let t = "+++\ntitle = \"Soy\"\nsummary = \"s\"\nkeywords = [\"soy\"]\n+++\n";
        assert!(
            matches!(parse(Path::new("x"), Path::new("topics/soybeans.md"), t).unwrap().kind, DocKind::Topic(t) if t.slug == "soybeans")
        );
    }

    #[test]
    fn malformed_event_date_is_located() {
        let t = "+++\ntitle = \"E\"\ndate = \"Nov 2025\"\n+++\nx";
        let d = parse(
            Path::new("content/timeline/e.md"),
            Path::new("timeline/e.md"),
            t,
        )
        .unwrap_err();
        assert_eq!((d.line, d.col), (Some(3), Some(8)), "{d}");
    }
}
