//! The rebuilding side of `serve`: what each batch of changed files means
//! (a quick copy of a static file, or a whole rebuild) and telling pages.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::time::Instant;

use super::reload::{self, Message};
use super::{AppState, print, rebuild};
use crate::diag::Diagnostic;
use crate::output;
use crate::project::Project;
use crate::watch::{self, ChangeKind};

pub(super) fn watch_loop(
    project: &Project,
    base_url: &str,
    state: &AppState,
    rx: &std::sync::mpsc::Receiver<Vec<PathBuf>>,
) {
    for paths in rx {
        let Some(kind) = watch::classify(project, &paths) else {
            continue;
        };
        let started = Instant::now();
        let message = apply(project, base_url, state, kind);
        report(state, &message, started);
        let _ = state.tx.send(message);
        // The reload is on its way: now the large files it held back.
        let writing = Instant::now();
        if let Err(e) = state.deferred.write_held() {
            eprintln!("error: cannot write a data file of the site: {e}");
            state.stamps.forget();
        }
        if super::TIMINGS.load(std::sync::atomic::Ordering::Relaxed) {
            let ms = writing.elapsed().as_secs_f64() * 1000.0;
            eprintln!("  {:<20} {ms:>8.2} ms", "written after reload");
        }
    }
}

/// Bring the served site up to date with one batch of changes, and say
/// what the open pages should do about it.
fn apply(project: &Project, base_url: &str, state: &AppState, kind: ChangeKind) -> Message {
    match kind {
        ChangeKind::Css(files) if copied_quickly(project, state, &files) => Message::Css,
        ChangeKind::Static(files) if copied_quickly(project, state, &files) => Message::Reload,
        _ => match rebuild_caught(project, base_url, state) {
            Ok(_) => {
                if let Ok(mut known) = state.statics.lock() {
                    *known = static_set(project);
                }
                Message::Reload
            }
            Err(ds) => {
                print(&ds);
                eprintln!("build failed; still serving the last good site");
                Message::Error(reload::error_payload(&ds))
            }
        },
    }
}

/// Try the quick path: copy the edited static files into the served site.
/// It only takes edits of files the last good build copied from static/: a
/// new or removed static file may collide with a generated one, and while
/// the build is broken a copy must not clear the error, so both go through
/// a whole rebuild.
fn copied_quickly(project: &Project, state: &AppState, files: &[PathBuf]) -> bool {
    let broken = state.last_error.lock().map_or(true, |e| e.is_some());
    !broken && edits_known_static(state, files) && copy_static(project, files, &state.out).is_ok()
}

/// Keep a failure for pages that connect while it lasts, and log a success.
fn report(state: &AppState, message: &Message, started: Instant) {
    if let Ok(mut last) = state.last_error.lock() {
        *last = match message {
            Message::Error(json) => Some(json.clone()),
            _ => None,
        };
    }
    let done = match message {
        Message::Error(_) => return,
        Message::Css => "stylesheet updated",
        Message::Reload => "rebuilt",
    };
    state
        .generation
        .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    eprintln!("{done} in {:.0?}", started.elapsed());
}

/// The static files the last good build copied, as absolute paths.
pub(super) fn static_set(project: &Project) -> HashSet<PathBuf> {
    std::path::absolute(project.static_dir())
        .and_then(|dir| output::static_files(&dir))
        .map(|files| files.into_iter().map(|(src, _)| src).collect())
        .unwrap_or_default()
}

/// Are all `files` still there and among the static files of the last
/// good build (so not new, removed, or possibly on a generated path)?
fn edits_known_static(state: &AppState, files: &[PathBuf]) -> bool {
    state
        .statics
        .lock()
        .is_ok_and(|known| files.iter().all(|f| f.is_file() && known.contains(f)))
}

/// [`rebuild`], with a panic turned into an error: a bug hit by one bad
/// input must not kill the watcher and leave every later save ignored.
fn rebuild_caught(
    project: &Project,
    base_url: &str,
    state: &AppState,
) -> Result<usize, Vec<Diagnostic>> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let mut cache = state.cache.lock().unwrap_or_else(|e| e.into_inner());
        let live = (&state.stamps, &state.deferred);
        rebuild(project, base_url, &state.out, &mut cache, live)
    }))
    .unwrap_or_else(|panic| {
        let what = panic
            .downcast_ref::<&str>()
            .map(ToString::to_string)
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".into());
        Err(vec![Diagnostic::error(
            &project.root,
            format!("internal error (a bug in dossier, please report it): {what}"),
        )])
    })
}

/// Copy changed static files into the served site, or remove deleted ones.
fn copy_static(project: &Project, files: &[PathBuf], out: &Path) -> std::io::Result<()> {
    let static_dir = std::path::absolute(project.static_dir())?;
    for f in files {
        let rel = f.strip_prefix(&static_dir).map_err(std::io::Error::other)?;
        let dest = out.join(rel);
        if f.is_file() {
            if let Some(dir) = dest.parent() {
                std::fs::create_dir_all(dir)?;
            }
            std::fs::copy(f, &dest)?;
        } else if dest.is_file() {
            std::fs::remove_file(&dest)?;
        }
    }
    Ok(())
}
