//! Reading every seed before cleaning any.
//!
//! Cleaning one article needs to know which of its lines recur in the
//! others (site chrome does, article sentences do not), so ingestion reads
//! all files first, counts their short lines, then cleans each in parallel.

use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::{boilerplate, decode, published};
use crate::cache::{Cache, Key, KeyHasher};
use crate::diag::Diagnostic;
use crate::project::Project;

/// A seed's bytes, with what every build needs to know of their text. The
/// text itself is decoded only for a seed that is cleaned again: a build
/// after one edit at 10,000 articles would otherwise decode all of them.
pub struct Bytes {
    pub raw: Vec<u8>,
    /// A hash of `raw`.
    pub key: Key,
    pub facts: Facts,
    decoded: OnceLock<Result<decode::Decoded, String>>,
}

/// What decoding a seed's bytes told, kept per bytes across builds.
#[derive(Debug, Serialize, Deserialize)]
pub struct Facts {
    /// Why the bytes are not text, when they are not.
    pub refused: Option<String>,
    /// Not UTF-8: read as Windows-1252.
    pub windows_1252: bool,
    /// Text, but no word of it.
    pub blank: bool,
    /// The text's [`boilerplate::line_keys`], counted on every build.
    pub line_keys: Vec<u64>,
    /// FNV-1a of the bytes, which the source's fingerprint carries on.
    pub fnv: u64,
}

impl Facts {
    fn of(raw: &[u8], decoded: &Result<decode::Decoded, String>) -> Self {
        let text = decoded.as_ref().map_or("", decode::Decoded::text);
        Self {
            refused: decoded.as_ref().err().cloned(),
            windows_1252: matches!(decoded, Ok(decode::Decoded::Windows1252(_))),
            blank: text.trim().is_empty(),
            line_keys: boilerplate::line_keys(text),
            fnv: super::meta::fnv(super::meta::FNV_START, raw),
        }
    }
}

impl Bytes {
    /// `raw`, with its facts as an earlier build found them, when one read
    /// the same bytes.
    pub fn new(raw: Vec<u8>, cache: &Cache) -> Self {
        let key = crate::cache::content_hash(&raw);
        let decoded = OnceLock::new();
        let facts = cache.get(Self::facts_key(key), || {
            Facts::of(&raw, decoded.get_or_init(|| decode::decode(&raw)))
        });
        Self {
            raw,
            key,
            facts,
            decoded,
        }
    }

    /// The decoded text; empty when the bytes are not text (see `facts`).
    pub fn text(&self) -> &str {
        let decoded = self.decoded.get_or_init(|| decode::decode(&self.raw));
        decoded.as_ref().map_or("", decode::Decoded::text)
    }

    /// The date the text's own metadata lines give, kept per bytes.
    pub fn published(&self, cache: &Cache) -> Option<published::Published> {
        let found = cache.get(Self::published_key(self.key), || {
            published::find(self.text()).map(|p| {
                let d = p.date;
                ((d.year(), d.month(), d.day()), p.basis)
            })
        });
        let ((y, m, d), basis) = found?;
        let date = jiff::civil::Date::new(y, m, d).ok()?;
        Some(published::Published { date, basis })
    }

    /// The keys of what is kept per bytes: a build that reuses the seed's
    /// ingestion keeps them for the next cold build.
    pub fn keys(&self) -> [Key; 2] {
        [Self::facts_key(self.key), Self::published_key(self.key)]
    }

    fn facts_key(bytes: Key) -> Key {
        KeyHasher::new("seed facts").u128(bytes).finish()
    }

    fn published_key(bytes: Key) -> Key {
        KeyHasher::new("published").u128(bytes).finish()
    }
}

/// A seed as read: project-relative path, name under `seeds/`, bytes.
pub type ReadSeed = (PathBuf, String, Result<Arc<Bytes>, Diagnostic>);

/// Read `files` in parallel, each with its [`Facts`]; the result keeps
/// their order. A file the cache holds from the last build in this
/// process, unchanged since (same size, inode and change and modification
/// times), is not read again.
pub fn all(project: &Project, files: &[PathBuf], cache: &Cache) -> Vec<ReadSeed> {
    files
        .par_iter()
        .map(|path| {
            let rel = project.rel(path);
            let name = rel
                .strip_prefix("seeds")
                .unwrap_or(&rel)
                .to_string_lossy()
                .into_owned();
            let bytes = cache.file(path, || {
                std::fs::read(path).map(|raw| Bytes::new(raw, cache))
            });
            let bytes = bytes.map_err(|e| Diagnostic::error(&rel, format!("cannot read: {e}")));
            (rel, name, bytes)
        })
        .collect()
}

/// A hash of all ingestion reads: `sources.toml`, which other files
/// `seeds/` holds (each is warned about), and every article's path and bytes.
pub fn key(toml_text: &str, others: &[PathBuf], read: &[ReadSeed]) -> Key {
    let mut key = KeyHasher::new("ingest");
    key.str(toml_text).u64(others.len() as u64);
    for p in others {
        key.str(&p.to_string_lossy());
    }
    for (rel, _, bytes) in read {
        key.str(&rel.to_string_lossy());
        match bytes {
            Ok(b) => key.u128(b.key),
            Err(d) => key.str(&d.to_string()),
        };
    }
    key.finish()
}

/// Count, over all readable seeds, the files each short line occurs in.
pub fn recurring(read: &[ReadSeed]) -> boilerplate::Recurring {
    let keys = read
        .iter()
        .filter_map(|(_, _, bytes)| bytes.as_ref().ok())
        .map(|b| b.facts.line_keys.as_slice());
    boilerplate::Recurring::count_keys(keys)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_read_before_are_not_decoded_again_and_tell_the_same() {
        let dir = tempfile::tempdir().expect("tempdir");
        // Windows-1252, with a dateline: every fact and the date differ
        // from what an empty default would say.
        let raw = b"BEIJING, Oct. 30, 2025 \x96 Officials said talks went well.\n".to_vec();
        let mut cache = Cache::open(dir.path());
        let first = Bytes::new(raw.clone(), &cache);
        let date = first.published(&cache);
        assert!(first.decoded.get().is_some(), "a first read decodes");
        cache.save().expect("save");

        let cache = Cache::open(dir.path());
        let again = Bytes::new(raw, &cache);
        assert!(again.facts.windows_1252 && !again.facts.blank);
        assert_eq!(again.facts.line_keys, first.facts.line_keys);
        assert_eq!(again.published(&cache), date);
        assert_eq!(
            date.map(|p| p.date.to_string()).as_deref(),
            Some("2025-10-30")
        );
        assert!(again.decoded.get().is_none(), "decoded again");
        assert_eq!(cache.counts(), (2, 0), "both read back, none made");
    }
}
