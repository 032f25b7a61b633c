//! A topic's "by the numbers": a few figures, each with a one-line caption
//! and the citation it rests on. Where sources disagree, a figure has one
//! version per source, shown side by side.

use serde::Deserialize;

use super::front_matter::{Cited, Split};

/// One figure as readers see it: a caption and its versions.
#[derive(Debug, Clone)]
pub struct Number {
    pub caption: String,
    pub versions: Vec<Version>,
}

#[derive(Debug, Clone)]
pub struct Version {
    pub figure: String,
    pub cited: Cited,
}

/// `[[numbers]]` as written: `figure` and `cite`, or `[[numbers.versions]]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawNumber {
    caption: String,
    figure: Option<String>,
    cite: Option<toml::Spanned<String>>,
    #[serde(default)]
    versions: Vec<RawVersion>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawVersion {
    figure: String,
    cite: toml::Spanned<String>,
}

/// The numbers, or the first one that has neither a cited figure nor versions.
pub(super) fn parse(raw: Vec<RawNumber>, split: &Split<'_>) -> Result<Vec<Number>, String> {
    let cited = |figure: &str, cite: &toml::Spanned<String>| Version {
        figure: figure.to_string(),
        cited: Cited::new(figure, cite, split),
    };
    raw.into_iter()
        .map(|n| {
            let mut versions: Vec<Version> = n
                .versions
                .iter()
                .map(|v| cited(&v.figure, &v.cite))
                .collect();
            match (&n.figure, &n.cite) {
                (Some(f), Some(c)) => versions.insert(0, cited(f, c)),
                (None, None) if !versions.is_empty() => {}
                _ => {
                    return Err(format!(
                        "number {:?} needs a figure with its cite, or [[numbers.versions]]",
                        n.caption
                    ));
                }
            }
            Ok(Number {
                caption: n.caption,
                versions,
            })
        })
        .collect()
}
