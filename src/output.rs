//! Writing the site: into a staging directory beside the target, then swapped in.
//!
//! The only writer. A build that fails at any point before the swap leaves
//! the previous site exactly as it was; the staging directory is removed.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::render::OutputFile;

/// Write `files` plus a copy of `static_dir` to `out`, replacing it whole.
pub fn write_atomic(files: &[OutputFile], static_dir: &Path, out: &Path) -> io::Result<usize> {
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    fs::create_dir_all(&parent)?;
    let name = out
        .file_name()
        .map_or_else(|| "site".into(), |n| n.to_string_lossy().into_owned());
    recover(&parent, &name, out)?;
    let staging = parent.join(format!(".{name}.staging-{}", std::process::id()));
    let result = stage(files, static_dir, &staging)
        .and_then(|n| swap(&staging, out, &parent, &name).map(|()| n));
    if result.is_err() {
        let _ = fs::remove_dir_all(&staging);
    }
    result
}

/// Undo what a build killed mid-way left behind: if it died between its two
/// renames, the previous site sits in `.{name}.old-PID` and `out` is
/// missing, so put it back; staging and old directories of dead builds are
/// removed.
fn recover(parent: &Path, name: &str, out: &Path) -> io::Result<()> {
    let Ok(entries) = fs::read_dir(parent) else {
        return Ok(());
    };
    let (old_prefix, staging_prefix) = (format!(".{name}.old-"), format!(".{name}.staging-"));
    let mut olds = Vec::new();
    for e in entries.filter_map(Result::ok) {
        let file_name = e.file_name().to_string_lossy().into_owned();
        if file_name.starts_with(&old_prefix) {
            olds.push(e.path());
        } else if file_name.starts_with(&staging_prefix) {
            fs::remove_dir_all(e.path())?;
        }
    }
    olds.sort_by_key(|p| fs::metadata(p).and_then(|m| m.modified()).ok());
    if !out.exists() {
        if let Some(newest) = olds.pop() {
            fs::rename(newest, out)?;
        }
    }
    for stale in olds {
        fs::remove_dir_all(stale)?;
    }
    Ok(())
}

fn stage(files: &[OutputFile], static_dir: &Path, staging: &Path) -> io::Result<usize> {
    if staging.exists() {
        fs::remove_dir_all(staging)?;
    }
    fs::create_dir_all(staging)?;
    let mut count = 0;
    for (src, rel) in static_files(static_dir)? {
        let dest = staging.join(rel);
        if let Some(dir) = dest.parent() {
            fs::create_dir_all(dir)?;
        }
        fs::copy(&src, &dest)?;
        count += 1;
    }
    for f in files {
        let dest = staging.join(&f.path);
        if let Some(dir) = dest.parent() {
            fs::create_dir_all(dir)?;
        }
        fs::write(&dest, &f.bytes)?;
        count += 1;
    }
    Ok(count)
}

fn swap(staging: &Path, out: &Path, parent: &Path, name: &str) -> io::Result<()> {
    let old = parent.join(format!(".{name}.old-{}", std::process::id()));
    let had_old = out.exists();
    if had_old {
        fs::rename(out, &old)?;
    }
    if let Err(e) = fs::rename(staging, out) {
        if had_old {
            let _ = fs::rename(&old, out);
        }
        return Err(e);
    }
    if had_old {
        fs::remove_dir_all(&old)?;
    }
    Ok(())
}

/// Bring `out` up to date in place: write only files whose bytes changed,
/// copy changed static files, delete files no longer produced. For `serve`,
/// where the previous site is already whole and a rebuild after a one-word
/// edit should touch a handful of files, not all of them. Returns how many
/// files were written or removed.
pub fn sync_in_place(files: &[OutputFile], static_dir: &Path, out: &Path) -> io::Result<usize> {
    let mut keep = std::collections::HashSet::new();
    let mut touched = 0;
    for (src, rel) in static_files(static_dir)? {
        touched += usize::from(write_if_changed(&out.join(&rel), &fs::read(&src)?)?);
        keep.insert(out.join(rel));
    }
    for f in files {
        let dest = out.join(&f.path);
        touched += usize::from(write_if_changed(&dest, &f.bytes)?);
        keep.insert(dest);
    }
    for entry in WalkDir::new(out).into_iter().filter_map(Result::ok) {
        if entry.file_type().is_file() && !keep.contains(entry.path()) {
            fs::remove_file(entry.path())?;
            touched += 1;
        }
    }
    Ok(touched)
}

/// Files under `static/` as `(path, path relative to static/)`, skipping
/// hidden and editor temp files. A missing `static/` has none.
fn static_files(static_dir: &Path) -> io::Result<Vec<(PathBuf, PathBuf)>> {
    let mut out = Vec::new();
    if !static_dir.is_dir() {
        return Ok(out);
    }
    for entry in WalkDir::new(static_dir).follow_links(true) {
        let entry = entry.map_err(io::Error::other)?;
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

fn write_if_changed(dest: &Path, bytes: &[u8]) -> io::Result<bool> {
    if fs::read(dest).is_ok_and(|old| old == bytes) {
        return Ok(false);
    }
    if let Some(dir) = dest.parent() {
        fs::create_dir_all(dir)?;
    }
    // Write beside and rename, so a page is never served half-written.
    let tmp = dest.with_extension(format!(
        "{}.tmp-dossier",
        dest.extension()
            .map_or(String::new(), |e| e.to_string_lossy().into_owned())
    ));
    fs::write(&tmp, bytes)?;
    fs::rename(&tmp, dest)?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, text: &str) -> OutputFile {
        OutputFile {
            path: path.into(),
            bytes: text.as_bytes().to_vec(),
        }
    }

    #[test]
    fn a_build_killed_between_its_renames_is_recovered() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write_atomic(
            &[file("index.html", "v1")],
            &dir.path().join("static"),
            &out,
        )
        .unwrap();
        // What a kill -9 after the first rename of a later build leaves.
        fs::rename(&out, dir.path().join(".public.old-99999")).unwrap();
        fs::create_dir_all(dir.path().join(".public.staging-99999")).unwrap();
        recover(dir.path(), "public", &out).unwrap();
        assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "v1");
        let left: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .filter_map(Result::ok)
            .map(|e| e.file_name())
            .collect();
        assert_eq!(left, vec![std::ffi::OsString::from("public")]);
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
