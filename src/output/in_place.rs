//! Bringing a served site up to date in place, one changed file at a time.
//!
//! Nothing in the live site changes until the whole rebuild has rendered:
//! changed files wait in a pending folder beside the site and are renamed
//! in only by [`InPlace::finish`], so a template error that fails some
//! pages never publishes the others.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;
use walkdir::WalkDir;

use super::deferred::{self, Deferred, Job};
use super::stamps::{self, Held, Stamps};
use super::{Target, static_files};
use crate::hash::HashSet;
use crate::render::{OutputFile, Sink};

/// Brings an existing site up to date in place: writes only files whose
/// bytes changed, copies changed static files, and on [`InPlace::finish`]
/// deletes files no longer produced. For `serve`, where the previous site is
/// already whole and a rebuild after a one-word edit should touch a handful
/// of files, not all of them.
pub struct InPlace {
    out: PathBuf,
    /// Changed files wait here (same file system) until `finish`.
    pending: PathBuf,
    /// The new site's files that have no stamp (all of them without
    /// stamps), by path under `out`.
    keep: Mutex<HashSet<String>>,
    /// Replaced and pending files wait here to be removed by another thread.
    discard: PathBuf,
    /// `(pending file, its place in the site)`, renamed in by `finish`.
    moves: Mutex<Vec<(PathBuf, PathBuf)>>,
    count: AtomicUsize,
    /// What the site's files held when written. The folder is `serve`'s
    /// own (a temporary one no person edits), so a file is kept on its
    /// stamp alone, without a `stat` per kept file.
    stamps: Option<Stamps>,
    /// `serve`'s: large changed files are held back, written after the
    /// reload is sent ([`Deferred`]).
    deferred: Option<Deferred>,
    held_back: Mutex<Vec<Job>>,
}

impl InPlace {
    /// With the stamps read from beside `out`.
    #[cfg(test)]
    pub fn new(out: &Path) -> Self {
        Self::with(out, Stamps::load(out))
    }

    /// [`InPlace::new`], with the stamps `held` in memory between
    /// rebuilds, and large changed files held back by `deferred`.
    pub fn held(out: &Path, held: &Held, deferred: &Deferred) -> Self {
        let mut sync = Self::with(out, Stamps::load_held(out, held));
        sync.deferred = Some(deferred.clone());
        sync
    }

    fn with(out: &Path, stamps: Stamps) -> Self {
        let pending = super::beside(out, "pending");
        let _ = fs::remove_dir_all(&pending);
        Self {
            discard: super::beside(out, &format!("discard-{}", next_discard())),
            out: out.to_path_buf(),
            pending,
            keep: Mutex::new(HashSet::default()),
            moves: Mutex::new(Vec::new()),
            count: AtomicUsize::new(0),
            stamps: Some(stamps),
            deferred: None,
            held_back: Mutex::new(Vec::new()),
        }
    }

    /// Where the new bytes of the site's `rel` wait.
    fn pending_path(&self, dest: &Path) -> io::Result<PathBuf> {
        let rel = dest.strip_prefix(&self.out).map_err(io::Error::other)?;
        let tmp = self.pending.join(rel);
        if let Some(dir) = tmp.parent() {
            fs::create_dir_all(dir)?;
        }
        Ok(tmp)
    }

    fn write(&self, rel: &str, parts: &[&[u8]], hash: crate::cache::Key) -> io::Result<()> {
        if self.keep(rel, hash)? {
            return Ok(());
        }
        let dest = self.out.join(rel);
        // A stamp of other bytes spares reading a 26 MB file to compare.
        let changed = self.stamps.as_ref().is_some_and(|s| s.differs(rel, hash))
            || !fs::read(&dest).is_ok_and(|old| super::holds(&old, parts));
        let written = if changed {
            let tmp = self.pending_path(&dest)?;
            super::write_parts(&tmp, parts)?;
            tmp
        } else {
            dest.clone()
        };
        // A pending file keeps its inode and time when renamed in.
        let stamped = match &self.stamps {
            Some(stamps) => {
                stamps.record(rel, &fs::metadata(written)?, hash);
                true
            }
            None => false,
        };
        self.record(rel, dest, changed, stamped)
    }

    /// `rel` (at `dest`) belongs to the new site; `changed` if its new
    /// bytes are pending. A `stamped` file is known by its stamp.
    fn record(&self, rel: &str, dest: PathBuf, changed: bool, stamped: bool) -> io::Result<()> {
        let poisoned = || io::Error::other("a writer thread panicked");
        if changed {
            let tmp = self.pending_path(&dest)?;
            self.moves
                .lock()
                .map_err(|_| poisoned())?
                .push((tmp, dest.clone()));
        }
        if !stamped {
            self.keep
                .lock()
                .map_err(|_| poisoned())?
                .insert(rel.to_string());
        }
        self.count.fetch_add(1, Ordering::Relaxed);
        Ok(())
    }
}

impl InPlace {
    /// The files of the live site that the new one does not have (neither
    /// stamped nor in `keep`). The stamps name every file the last build
    /// wrote (the folder is the server's own), so 22,800 files are not
    /// walked on every save; without stamps, the folder is walked.
    fn stale(&self, keep: &HashSet<String>) -> Vec<PathBuf> {
        if let Some(previous) = self.stamps.as_ref().and_then(Stamps::unstamped) {
            return previous
                .into_iter()
                .filter(|rel| !keep.contains(*rel))
                .map(|rel| self.out.join(rel))
                .filter(|p| p.is_file())
                .collect();
        }
        let kept = |e: &walkdir::DirEntry| {
            let rel = e.path().strip_prefix(&self.out).unwrap_or(e.path());
            // Paths in the site are `/`-separated, as its URLs are.
            keep.contains(&rel.to_string_lossy().replace('\\', "/"))
        };
        WalkDir::new(&self.out)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| {
                let marker = e.file_name() == super::guard::MARKER && e.depth() == 1;
                e.file_type().is_file() && !marker && !kept(e)
            })
            .map(walkdir::DirEntry::into_path)
            .collect()
    }
}

impl InPlace {
    /// Move the pending files in and delete the stale ones.
    fn publish(&self) -> io::Result<usize> {
        let poisoned = || io::Error::other("a writer thread panicked");
        let moves = std::mem::take(&mut *self.moves.lock().map_err(|_| poisoned())?);
        let keep = std::mem::take(&mut *self.keep.lock().map_err(|_| poisoned())?);
        let mut touched = moves.len();
        // Renaming over a file frees its blocks on the way to the reload
        // (15-25 ms for a 26 MB one): a link to it in the discard folder is
        // freed later, by another thread (see `Drop`).
        fs::create_dir_all(&self.discard)?;
        for (n, (tmp, dest)) in moves.into_iter().enumerate() {
            if let Some(dir) = dest.parent() {
                fs::create_dir_all(dir)?;
            }
            let _ = fs::hard_link(&dest, self.discard.join(n.to_string()));
            fs::rename(tmp, dest)?;
        }
        for stale in self.stale(&keep) {
            fs::remove_file(stale)?;
            touched += 1;
        }
        Ok(touched)
    }
}

/// A new number for a folder of replaced files, each freed by its own thread.
fn next_discard() -> usize {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

impl Drop for InPlace {
    /// The pending folder (empty after `finish`, holding the new files
    /// after a failure) and the replaced files are removed by another
    /// thread: removing them took 15-20 ms of every rebuild of `serve`.
    /// The pending folder is moved into the discard folder first, since
    /// the next rebuild makes a new one at its place.
    fn drop(&mut self) {
        let discard = self.discard.clone();
        let moved = fs::create_dir_all(&discard)
            .and_then(|()| fs::rename(&self.pending, discard.join("pending")));
        if moved.is_err() {
            let _ = fs::remove_dir_all(&self.pending);
        }
        crate::background::later(move || drop(fs::remove_dir_all(discard)));
    }
}

impl Target for InPlace {
    const FINISH: &'static str = "remove stale files";

    fn copy_static(&self, static_dir: &Path) -> io::Result<()> {
        static_files(static_dir)?
            .par_iter()
            .try_for_each(|(src, rel)| {
                let bytes = fs::read(src)?;
                let rel = rel.to_string_lossy().replace('\\', "/");
                self.write(&rel, &[&bytes], stamps::hash(&bytes))
            })
    }

    /// Move the changed files in and delete what was not produced this
    /// time; returns how many files were written or removed.
    fn finish(mut self) -> io::Result<usize> {
        let published = self.publish();
        if let (Ok(_), Some(deferred)) = (&published, &self.deferred) {
            let held = self.held_back.get_mut().map(std::mem::take);
            deferred.hold(held.unwrap_or_default());
        }
        let Some(stamps) = self.stamps.take() else {
            return published;
        };
        // Without them the next build compares bytes instead: no loss.
        match published {
            Ok(_) => drop(stamps.save()),
            Err(_) => stamps.lost(),
        }
        published
    }
}

impl Sink for InPlace {
    fn put_hashed(&self, file: OutputFile, hash: crate::cache::Key) -> io::Result<()> {
        self.write(&file.path, &[&file.bytes], hash)
    }

    fn keep(&self, rel: &str, hash: crate::cache::Key) -> io::Result<bool> {
        let Some(stamps) = &self.stamps else {
            return Ok(false);
        };
        if !stamps.holds_trusted(rel, hash) {
            return Ok(false);
        }
        self.count.fetch_add(1, Ordering::Relaxed);
        Ok(true)
    }

    fn put_parts(
        &self,
        path: &str,
        parts: &[std::sync::Arc<String>],
        hash: crate::cache::Key,
    ) -> io::Result<()> {
        let large = || parts.iter().map(|p| p.len()).sum::<usize>() >= deferred::LARGE;
        if let Some(stamps) = &self.stamps
            && self.deferred.is_some()
            && stamps.differs(path, hash)
            && large()
        {
            stamps.record_unwritten(path, hash);
            let dest = self.out.join(path);
            self.held_back
                .lock()
                .map_err(|_| io::Error::other("a writer thread panicked"))?
                .push(Job {
                    rel: path.to_string(),
                    dest: dest.clone(),
                    parts: parts.to_vec(),
                });
            return self.record(path, dest, false, true);
        }
        self.write(path, &crate::render::part_bytes(parts), hash)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::tests::{file, write, write_atomic};
    use std::sync::Arc;

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

    #[test]
    fn nothing_changes_until_finish() {
        let dir = tempfile::tempdir().unwrap();
        let (out, stat) = (dir.path().join("site"), dir.path().join("static"));
        write_atomic(&[file("a.html", "a")], &stat, &out).unwrap();
        let failed = InPlace::new(&out);
        failed.put(file("a.html", "broken")).unwrap();
        failed.put(file("new/b.html", "b")).unwrap();
        assert_eq!(fs::read_to_string(out.join("a.html")).unwrap(), "a");
        drop(failed);
        assert_eq!(fs::read_to_string(out.join("a.html")).unwrap(), "a");
        assert!(!out.join("new").exists());
        assert!(!dir.path().join(".site.pending").exists());
        assert!(out.join(crate::output::guard::MARKER).is_file());
    }

    #[test]
    fn held_stamps_stay_in_memory_and_are_forgotten_when_publishing_fails() {
        let dir = tempfile::tempdir().unwrap();
        let (out, stat) = (dir.path().join("site"), dir.path().join("static"));
        write_atomic(&[file("a", "1")], &stat, &out).unwrap();
        let on_disk = crate::output::beside(&out, "stamps");
        assert!(on_disk.is_file());
        let held = Held::default();
        let deferred = Deferred::new(&out);
        let hash = stamps::hash(b"1");
        let sync = InPlace::held(&out, &held, &deferred);
        assert!(sync.keep("a", hash).unwrap(), "the first reads the file");
        sync.finish().unwrap();
        assert!(!on_disk.exists(), "held in memory, no stale copy on disk");
        let sync = InPlace::held(&out, &held, &deferred);
        assert!(sync.keep("a", hash).unwrap(), "then kept by the held stamp");
        // `a` is a file, so `a/b` cannot be moved in.
        sync.put(file("a/b", "2")).unwrap();
        assert!(sync.finish().is_err());
        let sync = InPlace::held(&out, &held, &deferred);
        assert!(
            !sync.keep("a", hash).unwrap(),
            "after a failed publish, no stamp is trusted"
        );
    }
    /// In `serve`, a large data file that changed is held back by
    /// `finish` and written by `write_held`; a small one is not. Either
    /// way the next rebuild keeps it by its stamp.
    #[test]
    fn a_large_changed_file_is_written_after_finish_and_then_kept() {
        let dir = tempfile::tempdir().unwrap();
        let (out, stat) = (dir.path().join("site"), dir.path().join("static"));
        let large = |c: &str| {
            vec![
                Arc::new(c.repeat(deferred::LARGE / 2)),
                Arc::new(c.repeat(deferred::LARGE / 2)),
            ]
        };
        let hash =
            |parts: &[Arc<String>]| crate::cache::parts_hash(&crate::render::part_bytes(parts));
        let (held, deferred) = (Held::default(), Deferred::new(&out));
        let rebuild = |big: &[Arc<String>], small: &str| {
            let sync = InPlace::held(&out, &held, &deferred);
            sync.put_parts("big.json", big, hash(big)).unwrap();
            sync.put(file("small.json", small)).unwrap();
            sync.finish().unwrap();
        };
        write_atomic(
            &[
                file("big.json", &"a".repeat(deferred::LARGE)),
                file("small.json", "1"),
            ],
            &stat,
            &out,
        )
        .unwrap();
        // The first rebuild reads the stamps from disk; the next hold them.
        rebuild(&large("a"), "1");
        rebuild(&large("b"), "2");
        let read = |name: &str| fs::read_to_string(out.join(name)).unwrap();
        assert_eq!(read("small.json"), "2", "a small file is written at once");
        assert!(read("big.json").starts_with('a'), "a large one waits");
        deferred.write_held().unwrap();
        assert_eq!(read("big.json"), "b".repeat(deferred::LARGE));
        let sync = InPlace::held(&out, &held, &deferred);
        assert!(
            sync.keep("big.json", hash(&large("b"))).unwrap(),
            "kept by its stamp"
        );
        assert!(!sync.keep("big.json", hash(&large("a"))).unwrap());
    }
}
