//! `content/commitments/*.md`: one promise of the deal, with its window
//! and the cited data points that say how far it has got.
//!
//! The promise's source and each point's are written as citations
//! (`cite = '@id: "quoted words"'`); they are checked against the corpus
//! like any citation in prose, at the line of their `cite` key.

use std::path::Path;

use serde::Deserialize;

use super::front_matter::{self, Cited};
use super::spanned_date;
use crate::dates::PartialDate;
use crate::diag::Diagnostic;

/// Where a commitment stands, as an editor judges it.
pub const STATUSES: [&str; 5] = ["in progress", "in effect", "kept", "broken", "unclear"];

#[derive(Debug, Clone)]
pub struct CommitmentMeta {
    pub slug: String,
    pub title: String,
    pub topic: String,
    pub order: i64,
    pub party: String,
    pub promise: String,
    /// The target quantity, when the promise has one, and its unit.
    pub amount: Option<f64>,
    pub unit: String,
    pub start: PartialDate,
    pub deadline: Option<PartialDate>,
    pub status: String,
    /// The promise with its citation, as markdown to check and render.
    pub cited_promise: Cited,
    pub points: Vec<Point>,
}

/// A data point: what was reached by a date, per one source.
#[derive(Debug, Clone)]
pub struct Point {
    pub date: PartialDate,
    pub amount: Option<f64>,
    pub label: String,
    pub cited: Cited,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    title: String,
    topic: String,
    #[serde(default)]
    order: i64,
    party: String,
    promise: String,
    amount: Option<f64>,
    #[serde(default)]
    unit: String,
    start: toml::Spanned<String>,
    deadline: Option<toml::Spanned<String>>,
    status: toml::Spanned<String>,
    cite: toml::Spanned<String>,
    #[serde(default)]
    points: Vec<RawPoint>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPoint {
    date: toml::Spanned<String>,
    amount: Option<f64>,
    label: String,
    cite: toml::Spanned<String>,
}

pub(super) fn parse(
    rel: &Path,
    slug: String,
    split: &front_matter::Split<'_>,
) -> Result<CommitmentMeta, Diagnostic> {
    let raw: Raw = front_matter::parse(rel, split)?;
    let line = |span: std::ops::Range<usize>| split.line_of(span.start);
    check_status(rel, &raw.status, line(raw.status.span()))?;
    let cited = |words: &str, cite: &toml::Spanned<String>| Cited::new(words, cite, split);
    let points = raw
        .points
        .iter()
        .map(|p| {
            Ok(Point {
                date: spanned_date(rel, split, &p.date)?,
                amount: p.amount,
                label: p.label.clone(),
                cited: cited(&p.label, &p.cite),
            })
        })
        .collect::<Result<Vec<_>, Diagnostic>>()?;
    let start = spanned_date(rel, split, &raw.start)?;
    let deadline = raw
        .deadline
        .as_ref()
        .map(|d| spanned_date(rel, split, d))
        .transpose()?;
    if let Some(d) = deadline.filter(|d| d.last_day() < start.first_day()) {
        return Err(
            Diagnostic::error(rel, format!("deadline {d} is before start {start}"))
                .at_line(line(raw.start.span())),
        );
    }
    Ok(CommitmentMeta {
        slug,
        cited_promise: cited(&raw.promise, &raw.cite),
        title: raw.title,
        topic: raw.topic,
        order: raw.order,
        party: raw.party,
        promise: raw.promise,
        amount: raw.amount,
        unit: raw.unit,
        start,
        deadline,
        status: raw.status.into_inner(),
        points,
    })
}

fn check_status(rel: &Path, status: &toml::Spanned<String>, line: usize) -> Result<(), Diagnostic> {
    if STATUSES.contains(&status.get_ref().as_str()) {
        return Ok(());
    }
    Err(Diagnostic::error(
        rel,
        format!("status {:?} is not one of {STATUSES:?}", status.get_ref()),
    )
    .at_line(line))
}
