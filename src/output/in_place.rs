//! Bringing a served site up to date in place, one changed file at a time.

use std::collections::HashSet;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;
use walkdir::WalkDir;

use super::{Target, same_file_contents, static_files, stream_to};
use crate::render::{Fill, OutputFile, Sink};

/// Brings an existing site up to date in place: writes only files whose
/// bytes changed, copies changed static files, and on [`InPlace::finish`]
/// deletes files no longer produced. For `serve`, where the previous site is
/// already whole and a rebuild after a one-word edit should touch a handful
/// of files, not all of them.
pub struct InPlace {
    out: PathBuf,
    keep: Mutex<HashSet<PathBuf>>,
    touched: AtomicUsize,
}

impl InPlace {
    pub fn new(out: &Path) -> Self {
        Self {
            out: out.to_path_buf(),
            keep: Mutex::new(HashSet::new()),
            touched: AtomicUsize::new(0),
        }
    }

    fn write(&self, dest: PathBuf, bytes: &[u8]) -> io::Result<()> {
        let changed = write_if_changed(&dest, bytes)?;
        self.record(dest, changed)
    }

    /// `dest` belongs to the new site; `changed` if it was (re)written.
    fn record(&self, dest: PathBuf, changed: bool) -> io::Result<()> {
        if changed {
            self.touched.fetch_add(1, Ordering::Relaxed);
        }
        self.keep
            .lock()
            .map_err(|_| io::Error::other("a writer thread panicked"))?
            .insert(dest);
        Ok(())
    }
}

impl Target for InPlace {
    const FINISH: &'static str = "remove stale files";

    fn copy_static(&self, static_dir: &Path) -> io::Result<()> {
        static_files(static_dir)?
            .par_iter()
            .try_for_each(|(src, rel)| self.write(self.out.join(rel), &fs::read(src)?))
    }

    /// Delete what was not produced this time; returns how many files were
    /// written or removed.
    fn finish(self) -> io::Result<usize> {
        let keep = self
            .keep
            .into_inner()
            .map_err(|_| io::Error::other("a writer thread panicked"))?;
        let mut touched = self.touched.into_inner();
        for entry in WalkDir::new(&self.out).into_iter().filter_map(Result::ok) {
            if entry.file_type().is_file() && !keep.contains(entry.path()) {
                fs::remove_file(entry.path())?;
                touched += 1;
            }
        }
        Ok(touched)
    }
}

impl Sink for InPlace {
    fn put(&self, file: OutputFile) -> io::Result<()> {
        self.write(self.out.join(&file.path), &file.bytes)
    }

    fn put_stream(&self, path: &str, fill: &mut Fill<'_>) -> io::Result<()> {
        let dest = self.out.join(path);
        let tmp = temp_beside(&dest);
        if let Some(dir) = dest.parent() {
            fs::create_dir_all(dir)?;
        }
        stream_to(&tmp, fill)?;
        let changed = !same_file_contents(&tmp, &dest);
        if changed {
            fs::rename(&tmp, &dest)?;
        } else {
            fs::remove_file(&tmp)?;
        }
        self.record(dest, changed)
    }
}

fn temp_beside(dest: &Path) -> PathBuf {
    dest.with_extension(format!(
        "{}.tmp-dossier",
        dest.extension()
            .map_or(String::new(), |e| e.to_string_lossy().into_owned())
    ))
}

fn write_if_changed(dest: &Path, bytes: &[u8]) -> io::Result<bool> {
    if fs::read(dest).is_ok_and(|old| old == bytes) {
        return Ok(false);
    }
    if let Some(dir) = dest.parent() {
        fs::create_dir_all(dir)?;
    }
    // Write beside and rename, so a page is never served half-written.
    let tmp = temp_beside(dest);
    fs::write(&tmp, bytes)?;
    fs::rename(&tmp, dest)?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::tests::{file, write, write_atomic};

    #[test]
    fn in_place_sync_writes_only_changes_and_removes_leftovers() {
        let dir = tempfile::tempdir().unwrap();
        let (out, stat) = (dir.path().join("site"), dir.path().join("static"));
        write_atomic(&[file("a.html", "a"), file("b.html", "b")], &stat, &out).unwrap();
        let touched = write(
            InPlace::new(&out),
            &[file("a.html", "a"), file("c.html", "c")],
            &stat,
        )
        .unwrap();
        assert_eq!(touched, 2, "c written, b removed, a untouched");
        assert!(!out.join("b.html").exists());
        assert_eq!(fs::read_to_string(out.join("c.html")).unwrap(), "c");
    }
}
