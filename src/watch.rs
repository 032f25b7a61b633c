//! Watching the project for changes, debounced, and saying what kind they are.
//!
//! Editors save in bursts (write temp file, rename, touch), so events are
//! debounced and temp, swap and hidden files are ignored. Deletions and
//! renames are kept: a path that no longer exists is still a change.

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use notify::{EventKind, RecommendedWatcher, RecursiveMode, Watcher as _};

use crate::project::{Project, is_ignored};

/// What a batch of changes invalidates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChangeKind {
    /// Only stylesheets under `static/`: copy them; pages can hot-swap CSS.
    Css(Vec<PathBuf>),
    /// Only other files under `static/`: copy (or delete) them.
    Static(Vec<PathBuf>),
    /// Anything else the site is made from: rebuild.
    Rebuild,
}

/// Classify changed paths; `None` when none of them matters.
pub fn classify(project: &Project, paths: &[PathBuf]) -> Option<ChangeKind> {
    let relevant: Vec<&PathBuf> = paths.iter().filter(|p| matters(project, p)).collect();
    if relevant.is_empty() {
        return None;
    }
    let static_dir = project.static_dir();
    if relevant.iter().all(|p| p.starts_with(&static_dir)) {
        let files: Vec<PathBuf> = relevant.iter().map(|p| (*p).clone()).collect();
        if files
            .iter()
            .all(|p| p.extension().is_some_and(|e| e == "css"))
        {
            return Some(ChangeKind::Css(files));
        }
        return Some(ChangeKind::Static(files));
    }
    Some(ChangeKind::Rebuild)
}

fn matters(project: &Project, path: &Path) -> bool {
    if path.file_name().is_some_and(is_ignored) {
        return false;
    }
    let rel = path.strip_prefix(&project.root).unwrap_or(path);
    if rel.iter().any(is_ignored) {
        return false;
    }
    rel == Path::new("dossier.toml")
        || ["seeds", "content", "templates", "static"]
            .iter()
            .any(|d| rel.starts_with(d))
}

/// How long the project must be quiet before a batch of changes is built.
/// An editor's save (write a temporary file, rename it over, touch) comes
/// as events well under a millisecond apart, so a short wait still builds
/// a save once; every millisecond of it is added to save-to-reload.
pub const DEBOUNCE: Duration = Duration::from_millis(10);

/// The watcher, shared with the thread that re-watches input folders.
pub type Watching = std::sync::Arc<std::sync::Mutex<RecommendedWatcher>>;

const INPUT_DIRS: [&str; 4] = ["seeds", "content", "templates", "static"];

/// Start watching `project`. Batches of changed paths arrive on the
/// receiver once the editor has been quiet for `debounce`. Keep the returned
/// watcher alive for as long as you want events.
pub fn start(
    project: &Project,
    debounce: Duration,
) -> notify::Result<(Watching, mpsc::Receiver<Vec<PathBuf>>)> {
    let (raw_tx, raw_rx) = mpsc::channel::<Vec<PathBuf>>();
    let mut watcher = notify::recommended_watcher(move |res: notify::Result<notify::Event>| {
        // Reads (the build opening files) are not changes.
        if let Some(e) = res.ok().filter(|e| !matches!(e.kind, EventKind::Access(_))) {
            let _ = raw_tx.send(e.paths);
        }
    })?;
    let root = std::path::absolute(&project.root).unwrap_or_else(|_| project.root.clone());
    for dir in INPUT_DIRS {
        let p = root.join(dir);
        if p.is_dir() {
            watcher.watch(&p, RecursiveMode::Recursive)?;
        }
    }
    // Watch the root itself (not recursively) so dossier.toml survives being
    // replaced by an editor's rename-on-save, and so an input folder that is
    // deleted and made again (a checkout, a `mv`) is seen and watched anew.
    watcher.watch(&root, RecursiveMode::NonRecursive)?;
    let watcher: Watching = std::sync::Arc::new(std::sync::Mutex::new(watcher));
    let (tx, rx) = mpsc::channel();
    let rewatch = watcher.clone();
    std::thread::spawn(move || {
        while let Ok(mut batch) = raw_rx.recv() {
            while let Ok(more) = raw_rx.recv_timeout(debounce) {
                batch.extend(more);
            }
            batch.sort();
            batch.dedup();
            watch_again(&rewatch, &root, &batch);
            if tx.send(batch).is_err() {
                break;
            }
        }
    });
    Ok((watcher, rx))
}

/// Watch again any input folder the batch shows was (re)created: a folder
/// that was deleted took its watch with it.
fn watch_again(watcher: &Watching, root: &Path, batch: &[PathBuf]) {
    for dir in INPUT_DIRS.map(|d| root.join(d)) {
        if batch.contains(&dir)
            && dir.is_dir()
            && let Ok(mut w) = watcher.lock()
        {
            let _ = w.unwatch(&dir);
            let _ = w.watch(&dir, RecursiveMode::Recursive);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_by_what_changed() {
        let p = Project::new("/site");
        let path = |s: &str| PathBuf::from(format!("/site/{s}"));
        assert_eq!(
            classify(&p, &[path("static/style.css")]),
            Some(ChangeKind::Css(vec![path("static/style.css")]))
        );
        assert_eq!(
            classify(&p, &[path("static/logo.svg")]),
            Some(ChangeKind::Static(vec![path("static/logo.svg")]))
        );
        assert_eq!(
            classify(&p, &[path("static/style.css"), path("content/about.md")]),
            Some(ChangeKind::Rebuild)
        );
        assert_eq!(
            classify(&p, &[path("templates/base.html")]),
            Some(ChangeKind::Rebuild)
        );
        assert_eq!(
            classify(
                &p,
                &[
                    path("content/.about.md.swp"),
                    path("content/about.md~"),
                    path("public/index.html")
                ]
            ),
            None
        );
    }
}
