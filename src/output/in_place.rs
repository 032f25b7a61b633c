//! Bringing a served site up to date in place, one changed file at a time.

use std::collections::HashSet;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;
use walkdir::WalkDir;

use super::{same_file_contents, static_files, stream_to};
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

    pub fn copy_static(&self, static_dir: &Path) -> io::Result<()> {
        static_files(static_dir)?
            .par_iter()
            .try_for_each(|(src, rel)| self.write(self.out.join(rel), &fs::read(src)?))
    }

    fn write(&self, dest: PathBuf, bytes: &[u8]) -> io::Result<()> {
        if write_if_changed(&dest, bytes)? {
            self.touched.fetch_add(1, Ordering::Relaxed);
        }
        self.keep
            .lock()
            .map_err(|_| io::Error::other("a writer thread panicked"))?
            .insert(dest);
        Ok(())
    }

    /// Delete what was not produced this time; returns how many files were
    /// written or removed.
    pub fn finish(self) -> io::Result<usize> {
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
        if same_file_contents(&tmp, &dest) {
            fs::remove_file(&tmp)?;
        } else {
            fs::rename(&tmp, &dest)?;
            self.touched.fetch_add(1, Ordering::Relaxed);
        }
        self.keep
            .lock()
            .map_err(|_| io::Error::other("a writer thread panicked"))?
            .insert(dest);
        Ok(())
    }
}

/// [`InPlace`] for a list of files.
pub fn sync_in_place(files: &[OutputFile], static_dir: &Path, out: &Path) -> io::Result<usize> {
    let sync = InPlace::new(out);
    sync.copy_static(static_dir)?;
    files.iter().try_for_each(|f| sync.put(f.clone()))?;
    sync.finish()
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
    use crate::output::write_atomic;

    fn file(path: &str, text: &str) -> OutputFile {
        OutputFile {
            path: path.into(),
            bytes: text.as_bytes().to_vec(),
        }
    }

    #[test]
    fn in_place_sync_writes_only_changes_and_removes_leftovers() {
        let dir = tempfile::tempdir().unwrap();
        let (out, stat) = (dir.path().join("site"), dir.path().join("static"));
        write_atomic(&[file("a.html", "a"), file("b.html", "b")], &stat, &out).unwrap();
        let touched =
            sync_in_place(&[file("a.html", "a"), file("c.html", "c")], &stat, &out).unwrap();
        assert_eq!(touched, 2, "c written, b removed, a untouched");
        assert!(!out.join("b.html").exists());
        assert_eq!(fs::read_to_string(out.join("c.html")).unwrap(), "c");
    }
}
