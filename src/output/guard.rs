//! Deciding whether a folder may be replaced by a built site.
//!
//! A build replaces its output folder whole, so the choice of folder is the
//! one place a typo can destroy work. Paths are resolved the way the file
//! system will (`..`, symlinks) before they are compared, never as text.

use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};

use crate::diag::Diagnostic;
use crate::project::Project;

/// The file every built site carries, so that a later build knows the
/// folder is one it made and may replace.
pub const MARKER: &str = ".dossier-site";

/// What the marker says, for a person who finds it.
pub const MARKER_TEXT: &str =
    "This folder was built by dossier; the next build replaces it whole.\n";

/// `path` made absolute with every symlink and `..` resolved, even when
/// its last parts do not exist yet: the longest existing ancestor is
/// canonicalised and the rest appended.
pub fn resolve(path: &Path) -> io::Result<PathBuf> {
    let abs = std::path::absolute(path)?;
    let mut existing = abs.as_path();
    let mut rest = Vec::new();
    loop {
        match fs::canonicalize(existing) {
            Ok(mut real) => {
                for part in rest.iter().rev() {
                    match part {
                        Component::ParentDir => {
                            real.pop();
                        }
                        Component::Normal(p) => real.push(p),
                        _ => {}
                    }
                }
                return Ok(real);
            }
            Err(e) => {
                let Some(parent) = existing.parent() else {
                    return Err(e);
                };
                rest.extend(existing.components().next_back());
                existing = parent;
            }
        }
    }
}

/// May the build replace `out`? Refuses the project, its inputs, its
/// repository, any non-folder, and a non-empty folder dossier did not
/// build (unless `force`).
pub fn check(project: &Project, out: &Path, force: bool) -> Result<(), Diagnostic> {
    let refuse = |why: &str| {
        Diagnostic::error(out, format!("refusing to replace this folder: {why}"))
            .with_hint("the build replaces the whole output folder; pick e.g. public/")
    };
    let real = resolve(out).map_err(|e| refuse(&format!("cannot resolve the path ({e})")))?;
    let root = resolve(&project.root)
        .map_err(|e| refuse(&format!("cannot resolve the project root ({e})")))?;
    if root.starts_with(&real) {
        return Err(refuse("it is or contains the project root"));
    }
    let protected = [
        ("content/", project.content_dir()),
        ("seeds/", project.seeds_dir()),
        ("templates/", project.templates_dir()),
        ("static/", project.static_dir()),
        (".git", project.root.join(".git")),
        ("dossier.toml", project.config_file()),
    ];
    for (name, path) in protected {
        let Ok(input) = resolve(&path) else { continue };
        if real.starts_with(&input) || input.starts_with(&real) {
            return Err(refuse(&format!("it is, contains or lies inside {name}")));
        }
    }
    let Ok(meta) = fs::metadata(&real) else {
        return Ok(());
    };
    if !meta.is_dir() {
        return Err(refuse("it exists and is not a folder"));
    }
    let empty = fs::read_dir(&real)
        .map(|mut d| d.next().is_none())
        .map_err(|e| refuse(&format!("cannot read it ({e})")))?;
    if !empty && !real.join(MARKER).is_file() && !force {
        return Err(Diagnostic::error(
            out,
            "refusing to replace a folder that dossier did not build (it has files and no .dossier-site marker)",
        )
        .with_hint("pick another --output, empty this folder, or pass --force to replace it"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn project() -> (tempfile::TempDir, Project) {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("proj");
        for d in ["content", "seeds", "templates", "static", ".git"] {
            fs::create_dir_all(root.join(d)).unwrap();
        }
        fs::write(root.join("dossier.toml"), "").unwrap();
        (dir, Project::new(root))
    }

    fn refused(p: &Project, out: &Path) -> String {
        check(p, out, false).unwrap_err().to_string()
    }

    #[test]
    fn dot_dot_and_symlinks_do_not_walk_around_the_guard() {
        let (dir, p) = project();
        let root = &p.root;
        assert!(refused(&p, &root.join("public/../content")).contains("content/"));
        assert!(refused(&p, &root.join("../proj")).contains("project root"));
        assert!(refused(&p, &root.join("public/..")).contains("project root"));
        assert!(refused(&p, dir.path()).contains("project root"));
        assert!(refused(&p, &root.join(".git/site")).contains(".git"));
        assert!(refused(&p, &root.join("content/public")).contains("content/"));
        std::os::unix::fs::symlink(root.join("seeds"), dir.path().join("link")).unwrap();
        assert!(refused(&p, &dir.path().join("link")).contains("seeds/"));
        assert!(refused(&p, &dir.path().join("link/new/../x")).contains("seeds/"));
        assert!(refused(&p, &root.join("dossier.toml")).contains("dossier.toml"));
        assert!(check(&p, &root.join("public"), false).is_ok());
        assert!(check(&p, &dir.path().join("elsewhere/site"), false).is_ok());
    }

    #[test]
    fn files_and_foreign_folders_are_not_replaced() {
        let (dir, p) = project();
        let file = dir.path().join("notes.txt");
        fs::write(&file, "mine").unwrap();
        assert!(refused(&p, &file).contains("not a folder"));
        let docs = dir.path().join("docs");
        fs::create_dir_all(&docs).unwrap();
        assert!(check(&p, &docs, false).is_ok(), "an empty folder is fine");
        fs::write(docs.join("notes.md"), "mine").unwrap();
        assert!(refused(&p, &docs).contains("--force"));
        assert!(check(&p, &docs, true).is_ok());
        fs::write(docs.join(MARKER), MARKER_TEXT).unwrap();
        assert!(check(&p, &docs, false).is_ok());
    }
}
