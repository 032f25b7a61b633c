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
    let staging = parent.join(format!(".{name}.staging-{}", std::process::id()));
    let result = stage(files, static_dir, &staging)
        .and_then(|n| swap(&staging, out, &parent, &name).map(|()| n));
    if result.is_err() {
        let _ = fs::remove_dir_all(&staging);
    }
    result
}

fn stage(files: &[OutputFile], static_dir: &Path, staging: &Path) -> io::Result<usize> {
    if staging.exists() {
        fs::remove_dir_all(staging)?;
    }
    fs::create_dir_all(staging)?;
    let mut count = 0;
    if static_dir.is_dir() {
        for entry in WalkDir::new(static_dir).follow_links(true) {
            let entry = entry.map_err(io::Error::other)?;
            let rel = entry
                .path()
                .strip_prefix(static_dir)
                .map_err(io::Error::other)?;
            if rel.iter().any(crate::project::is_ignored) {
                continue;
            }
            let dest = staging.join(rel);
            if entry.file_type().is_dir() {
                fs::create_dir_all(&dest)?;
            } else {
                fs::copy(entry.path(), &dest)?;
                count += 1;
            }
        }
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
