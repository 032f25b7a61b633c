//! The project on disk: its fixed folders, and the only walk over them.
//!
//! Every walkdir error (unreadable folder, symlink loop) becomes a
//! [`Diagnostic`] naming the path instead of being skipped, so nothing the
//! editor wrote silently vanishes from the site.

use std::fs;
use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::diag::Diagnostic;

/// Where a project's inputs live. All paths are absolute or relative to the
/// current directory; `rel` turns them back into project-relative paths for messages.
#[derive(Debug, Clone)]
pub struct Project {
    pub root: PathBuf,
}

impl Project {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Self { root: root.into() }
    }
    pub fn config_file(&self) -> PathBuf {
        self.root.join("dossier.toml")
    }
    pub fn seeds_dir(&self) -> PathBuf {
        self.root.join("seeds")
    }
    pub fn content_dir(&self) -> PathBuf {
        self.root.join("content")
    }
    pub fn templates_dir(&self) -> PathBuf {
        self.root.join("templates")
    }
    pub fn static_dir(&self) -> PathBuf {
        self.root.join("static")
    }

    /// `path` relative to the project root, for messages and stable ordering.
    pub fn rel(&self, path: &Path) -> PathBuf {
        path.strip_prefix(&self.root).unwrap_or(path).to_path_buf()
    }

    /// Files under `dir` with extension `ext` (any when `None`), sorted,
    /// skipping hidden and editor temp files. Missing `dir` yields nothing.
    pub fn walk(&self, dir: &Path, ext: Option<&str>) -> Result<Vec<PathBuf>, Vec<Diagnostic>> {
        if !dir.exists() {
            return Ok(Vec::new());
        }
        let mut files = Vec::new();
        let mut errors = Vec::new();
        let walker = WalkDir::new(dir)
            .follow_links(true)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| e.depth() == 0 || !is_ignored(e.file_name()));
        for entry in walker {
            match entry {
                Ok(e) if e.file_type().is_file() => {
                    let p = e.into_path();
                    if ext.is_none_or(|x| p.extension().is_some_and(|pe| pe == x)) {
                        files.push(p);
                    }
                }
                Ok(_) => {}
                Err(e) => {
                    let path = e
                        .path()
                        .map_or_else(|| dir.to_path_buf(), Path::to_path_buf);
                    let what = if e.loop_ancestor().is_some() {
                        "symlink loop".to_string()
                    } else {
                        e.io_error()
                            .map_or_else(|| e.to_string(), ToString::to_string)
                    };
                    errors.push(Diagnostic::error(
                        self.rel(&path),
                        format!("cannot read: {what}"),
                    ));
                }
            }
        }
        if errors.is_empty() {
            Ok(files)
        } else {
            Err(errors)
        }
    }

    /// Read a text file, naming it in the error.
    pub fn read_to_string(&self, path: &Path) -> Result<String, Diagnostic> {
        let bytes = fs::read(path)
            .map_err(|e| Diagnostic::error(self.rel(path), format!("cannot read: {e}")))?;
        let text = String::from_utf8(bytes).map_err(|e| {
            Diagnostic::error(
                self.rel(path),
                format!("not valid UTF-8 (at byte {})", e.utf8_error().valid_up_to()),
            )
        })?;
        // A BOM is invisible in editors but breaks `+++` detection.
        Ok(text
            .strip_prefix('\u{feff}')
            .map(str::to_string)
            .unwrap_or(text)
            .replace("\r\n", "\n"))
    }
}

/// Hidden files, and the temp/swap files editors write while saving.
pub fn is_ignored(name: &std::ffi::OsStr) -> bool {
    let name = name.to_string_lossy();
    name.starts_with('.')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name.starts_with('#')
}
