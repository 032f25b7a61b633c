//! Writing the site: into a staging directory beside the target, then swapped in.
//!
//! The only writer. A build that fails at any point before the swap leaves
//! the previous site exactly as it was; the staging directory is removed.
//! Pages arrive one at a time through a [`Sink`] as they are rendered, so
//! writing overlaps rendering and the whole site is never held in memory.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::render::{OutputFile, Sink};

mod deferred;
mod fault;
pub mod guard;
mod in_place;
mod recycle;
mod stamps;

pub use deferred::Deferred;
pub use in_place::InPlace;
pub use stamps::Held as HeldStamps;
use stamps::Stamps;

/// A whole site being written: its files arrive through [`Sink`], then
/// [`Target::finish`] makes the result the site.
pub trait Target: Sink + Sized {
    /// What `finish` does, as a stage name for `--timings`.
    const FINISH: &'static str;
    /// Copy every file of `static_dir` in.
    fn copy_static(&self, static_dir: &Path) -> io::Result<()>;
    /// Make what was written the site; returns how many files it wrote.
    fn finish(self) -> io::Result<usize>;
}

/// `.{name}.{what}` beside the output folder `out` (named `name`): where
/// its lock, trash, stamps and pending files live.
fn beside(out: &Path, what: &str) -> PathBuf {
    let name = out
        .file_name()
        .map_or_else(|| "site".into(), |n| n.to_string_lossy().into_owned());
    out.with_file_name(format!(".{name}.{what}"))
}

/// Write the bytes `parts` join into to `path`, part by part.
fn write_parts(path: &Path, parts: &[&[u8]]) -> io::Result<()> {
    if let [whole] = parts {
        return fs::write(path, whole);
    }
    let mut w = io::BufWriter::with_capacity(1 << 20, fs::File::create(path)?);
    for part in parts {
        io::Write::write_all(&mut w, part)?;
    }
    // Flushes, and says so if the last write fails.
    w.into_inner().map_err(io::IntoInnerError::into_error)?;
    Ok(())
}

/// Whether `old` holds the bytes `parts` join into.
fn holds(old: &[u8], parts: &[&[u8]]) -> bool {
    let mut rest = old;
    parts
        .iter()
        .all(|part| match rest.split_at_checked(part.len()) {
            Some((here, after)) if here == *part => {
                rest = after;
                true
            }
            _ => false,
        })
        && rest.is_empty()
}

/// A new site being written beside the old one; [`Staged::commit`] swaps
/// it in. Dropped without a commit, it removes itself.
pub struct Staged {
    staging: PathBuf,
    out: PathBuf,
    trash: PathBuf,
    count: AtomicUsize,
    committed: bool,
    /// The files of the recycled tree not yet written over.
    stale: recycle::Stale,
    /// Deleting older sites in the trash, if there were any.
    emptying: Option<std::thread::JoinHandle<()>>,
    /// What the live site's files held when written.
    stamps: Option<Stamps>,
    /// Held from `begin` to drop: one build at a time per output folder,
    /// so recovery never removes the staging folder of a live build.
    _lock: fs::File,
}

impl Staged {
    /// Start a site for `out`, first undoing what a killed build left.
    pub fn begin(out: &Path) -> io::Result<Self> {
        let parent = match out.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        fs::create_dir_all(&parent)?;
        let name = out
            .file_name()
            .map_or_else(|| "site".into(), |n| n.to_string_lossy().into_owned());
        let lock = lock(&parent, &name)?;
        // Under the lock, any staging directory is a killed build's.
        recover(&parent, &name, out)?;
        let staging = parent.join(format!(".{name}.staging-{}", std::process::id()));
        let trash = trash_dir(&parent, name.as_str());
        let mut old = trashed(&trash);
        old.sort();
        let stale = old
            .pop()
            .and_then(|newest| recycle::Stale::take(&newest, &staging))
            .unwrap_or_default();
        fs::create_dir_all(&staging)?;
        let marker = staging.join(guard::MARKER);
        stale.claim(&marker);
        recycle::clear(&marker)?;
        fs::write(marker, guard::MARKER_TEXT)?;
        Ok(Self {
            staging,
            out: out.to_path_buf(),
            emptying: empty_trash(&trash),
            trash,
            count: AtomicUsize::new(0),
            committed: false,
            stale,
            stamps: Some(Stamps::load(out)),
            _lock: lock,
        })
    }

    fn place(&self, rel: &str, parts: &[&[u8]], hash: crate::cache::Key) -> io::Result<()> {
        if self.keep(rel, hash)? {
            return Ok(());
        }
        let dest = self.staging.join(rel);
        recycle::place(&self.out.join(rel), &dest, parts)?;
        if let Some(stamps) = &self.stamps {
            stamps.record(rel, &fs::metadata(&dest)?, hash);
        }
        self.count.fetch_add(1, Ordering::Relaxed);
        Ok(())
    }

    /// Link the live site's `rel` into the new site if its stamp says it
    /// holds `hash`; false (with `rel` claimed and its folder made) if not.
    fn link_kept(&self, rel: &str, hash: crate::cache::Key) -> io::Result<bool> {
        let dest = self.staging.join(rel);
        self.stale.claim(&dest);
        let linked = match &self.stamps {
            Some(stamps) => stamps.link(rel, &self.out.join(rel), &dest, hash)?,
            None => false,
        };
        if !linked {
            recycle::make_parent(&dest)?;
        }
        Ok(linked)
    }
}

impl Target for Staged {
    const FINISH: &'static str = "swap";

    fn copy_static(&self, static_dir: &Path) -> io::Result<()> {
        static_files(static_dir)?
            .par_iter()
            .try_for_each(|(src, rel)| {
                let bytes = fs::read(src)?;
                let rel = rel.to_string_lossy().replace('\\', "/");
                self.place(&rel, &[&bytes], stamps::hash(&bytes))
            })
    }

    /// Swap the new site in; returns how many files it has.
    fn finish(mut self) -> io::Result<usize> {
        std::mem::take(&mut self.stale).sweep(&self.staging)?;
        swap(&self.staging, &self.out, &self.trash)?;
        self.committed = true;
        // Without them the next build compares bytes instead: no loss.
        if let Some(stamps) = self.stamps.take() {
            let _ = stamps.save();
        }
        Ok(self.count.load(Ordering::Relaxed))
    }
}

impl Sink for Staged {
    fn put_hashed(&self, file: OutputFile, hash: crate::cache::Key) -> io::Result<()> {
        self.place(&file.path, &[&file.bytes], hash)
    }

    fn keep(&self, rel: &str, hash: crate::cache::Key) -> io::Result<bool> {
        let kept = self.link_kept(rel, hash)?;
        if kept {
            self.count.fetch_add(1, Ordering::Relaxed);
        }
        Ok(kept)
    }

    fn put_parts(
        &self,
        path: &str,
        parts: &[std::sync::Arc<String>],
        hash: crate::cache::Key,
    ) -> io::Result<()> {
        self.place(path, &crate::render::part_bytes(parts), hash)
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.staging);
        }
        if let Some(emptying) = self.emptying.take() {
            let _ = emptying.join();
        }
    }
}

/// Take the output's lock file `.{name}.lock`, waiting (and saying so)
/// while another build holds it. The OS drops the lock when the process
/// dies, so a killed build never leaves the folder locked.
fn lock(parent: &Path, name: &str) -> io::Result<fs::File> {
    let file = fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(parent.join(format!(".{name}.lock")))?;
    match file.try_lock() {
        Ok(()) => {}
        Err(fs::TryLockError::WouldBlock) => {
            eprintln!("waiting for another build into {name}/ to finish");
            file.lock()?;
        }
        Err(fs::TryLockError::Error(e)) => return Err(e),
    }
    Ok(file)
}

/// Where replaced sites wait to be deleted: `.{name}.trash/` beside the
/// output. Deleting 10,000 pages costs about as much as writing them, so a
/// build does not wait for it: the next build empties the trash on its own
/// thread while it loads and renders. A `.gitignore` inside keeps it out of git.
fn trash_dir(parent: &Path, name: &str) -> PathBuf {
    parent.join(format!(".{name}.trash"))
}

/// Undo what a build killed mid-way left behind: staging directories of
/// dead builds are removed, and if one died between its two renames (the
/// previous site in the trash, `out` missing), the newest site in the trash
/// is put back.
fn recover(parent: &Path, name: &str, out: &Path) -> io::Result<()> {
    let Ok(entries) = fs::read_dir(parent) else {
        return Ok(());
    };
    let staging_prefix = format!(".{name}.staging-");
    for e in entries.filter_map(Result::ok) {
        if e.file_name().to_string_lossy().starts_with(&staging_prefix) {
            fs::remove_dir_all(e.path())?;
        }
    }
    if !out.exists() {
        let mut olds = trashed(&trash_dir(parent, name));
        olds.sort();
        if let Some(newest) = olds.pop() {
            fs::rename(newest, out)?;
        }
    }
    Ok(())
}

/// The replaced sites in `trash`, named so that sorting puts the newest last.
fn trashed(trash: &Path) -> Vec<PathBuf> {
    fs::read_dir(trash)
        .map(|rd| {
            rd.filter_map(Result::ok)
                .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
                .map(|e| e.path())
                .collect()
        })
        .unwrap_or_default()
}

/// Delete what is in the trash now, on another thread. Normally nothing:
/// the last replaced site has just been recycled as the staging tree. What
/// remains is older sites (a tree that could not be recycled, a build cut
/// short), and the build waits for them at its end so they never pile up.
fn empty_trash(trash: &Path) -> Option<std::thread::JoinHandle<()>> {
    let old = trashed(trash);
    (!old.is_empty()).then(|| {
        std::thread::spawn(move || {
            for dir in old {
                // A failure leaves it for the next build to try again.
                let _ = fs::remove_dir_all(dir);
            }
        })
    })
}

/// Swap the staged site in: the current one moves to the trash first, so
/// each step is a single rename and a failed second rename can be undone.
fn swap(staging: &Path, out: &Path, trash: &Path) -> io::Result<()> {
    let had_old = out.exists();
    let stamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let old = trash.join(format!("{stamp:024}-{}", std::process::id()));
    if had_old {
        fs::create_dir_all(trash)?;
        let ignore = trash.join(".gitignore");
        if !ignore.exists() {
            fs::write(
                ignore,
                "# dossier: previous builds, deleted by the next build\n*\n",
            )?;
        }
        fs::rename(out, &old)?;
    }
    fault::pause_at("between-renames");
    if let Err(e) = fs::rename(staging, out) {
        if had_old && let Err(back) = fs::rename(&old, out) {
            return Err(io::Error::other(format!(
                "{MOVED}: {} (the new site could not be moved in: {e}; moving it back failed: {back}); the next build puts it back",
                old.display()
            )));
        }
        return Err(e);
    }
    Ok(())
}

/// How a failed swap that left the previous site in the trash begins its
/// message, so that nothing then claims the site was left untouched.
pub const MOVED: &str = "the previous site is now in";

/// Files under `static/` as `(path, path relative to static/)`, skipping
/// hidden and editor temp files. A missing `static/` has none.
pub(crate) fn static_files(static_dir: &Path) -> io::Result<Vec<(PathBuf, PathBuf)>> {
    let mut out = Vec::new();
    if !static_dir.is_dir() {
        return Ok(out);
    }
    let root = static_dir
        .parent()
        .and_then(|p| fs::canonicalize(p).ok())
        .unwrap_or_else(|| static_dir.to_path_buf());
    for entry in WalkDir::new(static_dir).follow_links(true) {
        let entry = entry.map_err(io::Error::other)?;
        if entry.path_is_symlink() && !crate::project::inside(entry.path(), &root) {
            let rel = entry.path().strip_prefix(&root).unwrap_or(entry.path());
            let d = crate::project::outside_link(rel, entry.path());
            return Err(io::Error::other(format!(
                "{}: {}",
                rel.display(),
                d.message
            )));
        }
        let rel = entry
            .path()
            .strip_prefix(static_dir)
            .map_err(io::Error::other)?
            .to_path_buf();
        if entry.file_type().is_file() && !rel.iter().any(crate::project::is_ignored) {
            out.push((entry.path().to_path_buf(), rel));
        }
    }
    Ok(out)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn file(path: &str, text: &str) -> OutputFile {
        OutputFile {
            path: path.into(),
            bytes: text.as_bytes().to_vec(),
        }
    }

    /// Write `files` plus a copy of `static_dir` through `target`.
    pub(crate) fn write<T: Target>(
        target: T,
        files: &[OutputFile],
        static_dir: &Path,
    ) -> io::Result<usize> {
        target.copy_static(static_dir)?;
        files.iter().try_for_each(|f| target.put(f.clone()))?;
        target.finish()
    }

    /// Write `files` plus a copy of `static_dir` to `out`, replacing it whole.
    pub(crate) fn write_atomic(
        files: &[OutputFile],
        static_dir: &Path,
        out: &Path,
    ) -> io::Result<usize> {
        write(Staged::begin(out)?, files, static_dir)
    }

    #[test]
    fn a_build_killed_between_its_renames_is_recovered() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let build = |version: &str| {
            write_atomic(
                &[file("index.html", version)],
                &dir.path().join("static"),
                &out,
            )
            .unwrap();
        };
        build("v1");
        build("v2");
        // What a kill -9 after the first rename of a later build leaves.
        let trash = trash_dir(dir.path(), "public");
        fs::rename(&out, trash.join("999999999999999999999999-99999")).unwrap();
        fs::create_dir_all(dir.path().join(".public.staging-99999")).unwrap();
        recover(dir.path(), "public", &out).unwrap();
        assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "v2");
        assert!(!dir.path().join(".public.staging-99999").exists());
        // The next build empties the trash of the older site.
        build("v3");
        build("v4");
        assert_eq!(trashed(&trash).len(), 1, "only the site v4 replaced");
        assert_eq!(
            fs::read_to_string(trash.join(".gitignore"))
                .unwrap()
                .lines()
                .last(),
            Some("*")
        );
    }

    #[test]
    fn files_in_parts_are_written_whole_and_linked_or_kept_when_unchanged() {
        use std::os::unix::fs::MetadataExt;
        let dir = tempfile::tempdir().unwrap();
        let (out, stat) = (dir.path().join("site"), dir.path().join("static"));
        let put = |sink: &dyn Sink, parts: &[&str]| {
            let parts: Vec<std::sync::Arc<String>> = parts
                .iter()
                .map(|p| std::sync::Arc::new(p.to_string()))
                .collect();
            let hash = crate::cache::parts_hash(&crate::render::part_bytes(&parts));
            sink.put_parts("big.json", &parts, hash).unwrap();
        };
        let build = |parts: &[&str]| {
            let staged = Staged::begin(&out).unwrap();
            staged.copy_static(&stat).unwrap();
            put(&staged, parts);
            staged.finish().unwrap();
            fs::metadata(out.join("big.json")).unwrap().ino()
        };
        let first = build(&["[", "1", "]"]);
        assert_eq!(fs::read_to_string(out.join("big.json")).unwrap(), "[1]");
        assert_eq!(
            build(&["[1", "]"]),
            first,
            "the same bytes, split elsewhere: the previous file is linked"
        );
        assert_ne!(build(&["[2", "]"]), first);
        assert_eq!(fs::read_to_string(out.join("big.json")).unwrap(), "[2]");
        let sync = InPlace::new(&out);
        put(&sync, &["[", "2]"]);
        assert_eq!(sync.finish().unwrap(), 0, "unchanged: nothing written");
        let sync = InPlace::new(&out);
        put(&sync, &["[", "3", "]"]);
        assert_eq!(sync.finish().unwrap(), 1);
        assert_eq!(fs::read_to_string(out.join("big.json")).unwrap(), "[3]");
    }
}
