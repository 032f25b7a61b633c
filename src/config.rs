//! `dossier.toml`: the site's settings.
//!
//! Parsed strictly (unknown keys are errors naming the key and line) into a
//! raw serde struct, then validated into [`Config`] in one place, so the rest
//! of the pipeline never sees an unchecked value.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::diag::{self, Diagnostic};
use crate::urls::Urls;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    title: String,
    #[serde(default)]
    description: String,
    #[serde(default = "default_language")]
    language: String,
    base_url: String,
    #[serde(default = "default_output_dir")]
    output_dir: PathBuf,
    /// Custom domain for GitHub Pages: written to `CNAME` when set.
    #[serde(default)]
    cname: Option<String>,
    /// Pass raw HTML in authored markdown through (trusting its authors);
    /// by default it is shown as text.
    #[serde(default)]
    unsafe_html: bool,
    #[serde(default)]
    timeline: RawTimeline,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTimeline {
    #[serde(default)]
    extracted: Extracted,
    #[serde(default)]
    as_of: Option<String>,
}

/// Where the dated sentences no editor has reviewed appear.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Extracted {
    /// A labelled, collapsed list after the timeline.
    #[default]
    Separate,
    /// Mixed in with the authored events.
    Show,
    /// Left out of the pages (still in `timeline.json`).
    Hide,
}

fn default_language() -> String {
    "en".into()
}

fn default_output_dir() -> PathBuf {
    "public".into()
}

/// Validated site settings.
#[derive(Debug, Clone)]
pub struct Config {
    pub title: String,
    pub description: String,
    pub language: String,
    pub base_url: String,
    pub urls: Urls,
    pub output_dir: PathBuf,
    pub cname: Option<String>,
    pub unsafe_html: bool,
    pub extracted: Extracted,
    /// The day the record is told up to; later events are announced or
    /// planned. `None`: the newest source date.
    pub as_of: Option<jiff::civil::Date>,
}

/// Parse and validate `dossier.toml`'s text. `path` is only used in messages.
/// `base_url_override` is `--base-url`, which wins over the file.
pub fn parse(
    path: &Path,
    text: &str,
    base_url_override: Option<&str>,
) -> Result<Config, Diagnostic> {
    let raw: RawConfig = toml::from_str(text).map_err(|e| diag::from_toml(path, text, &e, 0))?;
    let base_url = base_url_override.unwrap_or(&raw.base_url).to_string();
    let urls = Urls::parse(&base_url).map_err(|msg| {
        let d = Diagnostic::error(path, msg);
        match base_url_override {
            Some(_) => d.with_hint("given by --base-url"),
            None => locate_key(text, "base_url").map_or(d.clone(), |l| d.at_line(l)),
        }
    })?;
    if raw.title.trim().is_empty() {
        let d = Diagnostic::error(path, "title must not be empty");
        return Err(locate_key(text, "title").map_or(d.clone(), |l| d.at_line(l)));
    }
    let as_of = match &raw.timeline.as_of {
        None => None,
        Some(d) => Some(d.parse::<jiff::civil::Date>().map_err(|e| {
            let d = Diagnostic::error(path, format!("[timeline] as_of {d:?} is not a date: {e}"))
                .with_hint("write it as YYYY-MM-DD");
            locate_key(text, "as_of").map_or(d.clone(), |l| d.at_line(l))
        })?),
    };
    Ok(Config {
        title: raw.title,
        description: raw.description,
        language: raw.language,
        base_url,
        urls,
        output_dir: raw.output_dir,
        cname: raw.cname.filter(|c| !c.trim().is_empty()),
        unsafe_html: raw.unsafe_html,
        extracted: raw.timeline.extracted,
        as_of,
    })
}

/// Line of `key = …` in a TOML file (the first, in any table), for validation errors serde can't place.
pub fn locate_key(text: &str, key: &str) -> Option<usize> {
    text.lines()
        .position(|l| {
            l.trim_start()
                .strip_prefix(key)
                .is_some_and(|rest| rest.trim_start().starts_with('='))
        })
        .map(|i| i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    const OK: &str = "title = \"T\"\nbase_url = \"https://example.org/x/\"\n";

    #[test]
    fn parses_and_defaults() {
        let c = parse(Path::new("dossier.toml"), OK, None).unwrap();
        assert_eq!(c.output_dir, PathBuf::from("public"));
        assert_eq!(c.urls.base_path(), "/x/");
        let o = parse(Path::new("dossier.toml"), OK, Some("https://a.org/")).unwrap();
        assert_eq!(o.urls.base_path(), "/");
    }

    #[test]
    fn unknown_key_names_key_and_line() {
        let text = format!("{OK}colour = \"red\"\n");
        let d = parse(Path::new("dossier.toml"), &text, None).unwrap_err();
        assert_eq!(d.line, Some(3));
        assert!(d.message.contains("colour"), "{d}");
    }

    #[test]
    fn bad_base_url_is_located() {
        let d = parse(
            Path::new("dossier.toml"),
            "title = \"T\"\nbase_url = \"/x/\"\n",
            None,
        )
        .unwrap_err();
        assert_eq!(d.line, Some(2));
    }
}
