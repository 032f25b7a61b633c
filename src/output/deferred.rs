//! Large files that `serve` writes after telling the open pages to reload.
//!
//! At 10,000 articles a seed edit changes `timeline.json` and
//! `sources.json`, 30 MB between them. Writing them took 20 ms of the time
//! from save to reload, and the first edits after start waited 140 ms on
//! them while the kernel wrote the first build back. No page loads them as
//! it opens, so they are written just after the reload is sent; a request
//! for one of them meanwhile waits until its new bytes are in place, so no
//! reader ever gets the old file after the reload.

use std::collections::HashSet;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use tokio::sync::watch;

/// Files at least this large wait (the real site's data files are far
/// smaller, and so never do).
pub const LARGE: usize = 1 << 20;

/// The files a rebuild held back, and the site paths being written.
#[derive(Clone)]
pub struct Deferred {
    held: Arc<Mutex<Vec<Job>>>,
    /// Site-relative paths whose new bytes are not in place yet.
    writing: watch::Sender<HashSet<String>>,
    /// Where files are written before being renamed in (beside the site).
    scratch: PathBuf,
}

/// One held file: its path in the site, where it goes, and its bytes.
pub struct Job {
    pub rel: String,
    pub dest: PathBuf,
    pub parts: Vec<Arc<String>>,
}

impl Deferred {
    /// For the site at `out`.
    pub fn new(out: &Path) -> Self {
        Self {
            held: Arc::default(),
            writing: watch::Sender::new(HashSet::new()),
            scratch: super::beside(out, "deferred"),
        }
    }

    /// Hold `jobs` from a published rebuild: from now until they are
    /// written, requests for their paths wait.
    pub fn hold(&self, jobs: Vec<Job>) {
        if jobs.is_empty() {
            return;
        }
        self.writing
            .send_modify(|w| w.extend(jobs.iter().map(|j| j.rel.clone())));
        if let Ok(mut held) = self.held.lock() {
            held.extend(jobs);
        }
    }

    /// Write every held file, each beside the site and renamed in, and let
    /// the requests waiting on it go. The first error is returned after all
    /// were tried; the file it names keeps its old bytes.
    pub fn write_held(&self) -> io::Result<()> {
        let jobs = self.held.lock().map(|mut h| std::mem::take(&mut *h));
        let jobs = jobs.map_err(|_| io::Error::other("a writer thread panicked"))?;
        let mut result = Ok(());
        for job in jobs {
            let written = self.write(&job);
            self.writing.send_modify(|w| {
                w.remove(&job.rel);
            });
            if result.is_ok() {
                result = written;
            }
        }
        result
    }

    fn write(&self, job: &Job) -> io::Result<()> {
        fs::create_dir_all(&self.scratch)?;
        if let Some(dir) = job.dest.parent() {
            fs::create_dir_all(dir)?;
        }
        let tmp = tempfile::NamedTempFile::new_in(&self.scratch)?;
        super::write_parts(tmp.path(), &crate::render::part_bytes(&job.parts))?;
        tmp.persist(&job.dest).map_err(|e| e.error)?;
        Ok(())
    }

    /// Wait while the site's `rel` is being written.
    pub async fn ready(&self, rel: &str) {
        if !self.writing.borrow().contains(rel) {
            return;
        }
        let mut rx = self.writing.subscribe();
        let _ = rx.wait_for(|w| !w.contains(rel)).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_held_file_is_waited_for_then_written_whole() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("site");
        fs::create_dir_all(&out).unwrap();
        fs::write(out.join("big.json"), "old").unwrap();
        let deferred = Deferred::new(&out);
        deferred.hold(vec![Job {
            rel: "big.json".into(),
            dest: out.join("big.json"),
            parts: vec![Arc::new("ne".into()), Arc::new("w".into())],
        }]);
        let waiting = {
            let (d, out) = (deferred.clone(), out.clone());
            tokio::spawn(async move {
                d.ready("big.json").await;
                fs::read_to_string(out.join("big.json")).unwrap()
            })
        };
        // Another path never waits.
        deferred.ready("other.json").await;
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        assert!(!waiting.is_finished(), "the request waits for the write");
        assert_eq!(fs::read_to_string(out.join("big.json")).unwrap(), "old");
        let d = deferred.clone();
        tokio::task::spawn_blocking(move || d.write_held().unwrap())
            .await
            .unwrap();
        assert_eq!(
            waiting.await.unwrap(),
            "new",
            "and then reads the new bytes"
        );
        deferred.ready("big.json").await;
    }
}
