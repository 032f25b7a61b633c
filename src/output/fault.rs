//! Fault injection for the kill -9 tests: a build can be made to stop at a
//! named step, so that a test kills it exactly there instead of after a
//! guessed delay (which can land anywhere, or after the build finished).
//!
//! Inert unless `DOSSIER_PAUSE_AT` names a point. When it does, the build
//! prints `paused at <point>` to stderr on reaching it and sleeps for long
//! enough to be killed. Points: `between-renames` (the previous site moved
//! to the trash, the new one not yet in place) and `mid-write` (half of a
//! staged file written).

use std::io;
use std::path::Path;
use std::sync::LazyLock;
use std::time::Duration;

static PAUSE_AT: LazyLock<Option<String>> =
    LazyLock::new(|| std::env::var("DOSSIER_PAUSE_AT").ok());

/// Long enough for any test to kill it; short enough that a build a test
/// failed to kill does not linger for ever.
const PAUSE: Duration = Duration::from_secs(120);

fn armed(point: &str) -> bool {
    PAUSE_AT.as_deref() == Some(point)
}

/// Pause here if `DOSSIER_PAUSE_AT` is `point`.
pub(super) fn pause_at(point: &str) {
    if armed(point) {
        eprintln!("paused at {point}");
        std::thread::sleep(PAUSE);
    }
}

/// If `DOSSIER_PAUSE_AT` is `mid-write`, write the first half of `bytes`
/// to `dest` and pause there, as a write cut short by a kill would leave it.
pub(super) fn pause_mid_write(dest: &Path, parts: &[&[u8]]) -> io::Result<()> {
    if armed("mid-write") {
        let bytes = parts.concat();
        std::fs::write(dest, &bytes[..bytes.len() / 2])?;
        eprintln!("paused at mid-write of {}", dest.display());
        std::thread::sleep(PAUSE);
    }
    Ok(())
}
