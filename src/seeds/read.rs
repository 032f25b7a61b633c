//! Reading every seed before cleaning any.
//!
//! Cleaning one article needs to know which of its lines recur in the
//! others (site chrome does, article sentences do not), so ingestion reads
//! all files first, counts their short lines, then cleans each in parallel.

use std::path::PathBuf;
use std::sync::Arc;

use rayon::prelude::*;

use super::{boilerplate, decode};
use crate::cache::{Cache, Key, KeyHasher};
use crate::diag::Diagnostic;
use crate::project::Project;

/// A seed's bytes, and their text once decoded (or why they could not be).
pub struct Bytes {
    pub raw: Vec<u8>,
    /// A hash of `raw`.
    pub key: Key,
    pub decoded: Result<decode::Decoded, String>,
    /// The decoded text's [`boilerplate::line_keys`]: counted on every
    /// build, made once per read.
    pub line_keys: Vec<u64>,
}

/// A seed as read: project-relative path, name under `seeds/`, bytes.
pub type ReadSeed = (PathBuf, String, Result<Arc<Bytes>, Diagnostic>);

/// Read and decode `files` in parallel (once: the recurrence count and the
/// cleaning both read the text); the result keeps their order. A file the
/// cache holds from the last build in this process, unchanged since (same
/// size, inode and change and modification times), is not read again.
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
                std::fs::read(path).map(|raw| {
                    let decoded = decode::decode(&raw);
                    let line_keys = decoded
                        .as_ref()
                        .map_or_else(|_| Vec::new(), |d| boilerplate::line_keys(d.text()));
                    Bytes {
                        decoded,
                        line_keys,
                        key: crate::cache::content_hash(&raw),
                        raw,
                    }
                })
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
        .map(|b| b.line_keys.as_slice());
    boilerplate::Recurring::count_keys(keys)
}
