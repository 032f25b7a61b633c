//! Work nobody waits for: freeing a build's results, deleting a replaced
//! tree. It runs on a thread of its own so that the build can report, or
//! the page reload, first.

/// Run `work` on another thread; here, when no thread can be made.
pub(crate) fn later(work: impl FnOnce() + Send + 'static) {
    let slot = std::sync::Arc::new(std::sync::Mutex::new(Some(work)));
    let theirs = slot.clone();
    let take = |s: &std::sync::Mutex<Option<_>>| s.lock().ok().and_then(|mut w| w.take());
    let spawned = std::thread::Builder::new().spawn(move || take(&theirs).map(|w| w()));
    if spawned.is_err()
        && let Some(w) = take(&slot)
    {
        w();
    }
}
