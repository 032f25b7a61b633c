//! Reading every seed before cleaning any.
//!
//! Cleaning one article needs to know which of its lines recur in the
//! others (site chrome does, article sentences do not), so ingestion reads
//! all files first, counts their short lines, then cleans each in parallel.

use std::path::PathBuf;
use std::sync::Arc;

use rayon::prelude::*;

use super::{boilerplate, decode};
use crate::cache::Cache;
use crate::diag::Diagnostic;
use crate::project::Project;

/// A seed's bytes, and their text once decoded (or why they could not be).
pub struct Bytes {
    pub raw: Vec<u8>,
    pub decoded: Result<decode::Decoded, String>,
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
                std::fs::read(path).map(|raw| Bytes {
                    decoded: decode::decode(&raw),
                    raw,
                })
            });
            let bytes = bytes.map_err(|e| Diagnostic::error(&rel, format!("cannot read: {e}")));
            (rel, name, bytes)
        })
        .collect()
}

/// Count, over all readable seeds, the files each short line occurs in.
pub fn recurring(read: &[ReadSeed]) -> boilerplate::Recurring {
    let texts: Vec<&str> = read
        .iter()
        .filter_map(|(_, _, bytes)| bytes.as_ref().ok())
        .filter_map(|b| b.decoded.as_ref().ok().map(decode::Decoded::text))
        .collect();
    boilerplate::Recurring::count(&texts)
}
