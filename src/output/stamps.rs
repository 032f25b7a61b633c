//! What each file of the live site held when dossier wrote it: a hash of
//! its bytes, with its size, modification time and inode then. A rebuild
//! that makes the same bytes for a file whose stamp still matches keeps the
//! file without reading it; so can a page whose inputs did not change,
//! without rendering it at all ([`crate::render::Sink::keep`]).
//!
//! Kept beside the output as `.{name}.stamps`. A file changed by hand has a
//! new modification time, so its stamp no longer matches and it is
//! compared (or rendered) as if there were none. A missing or damaged
//! stamps file only costs that comparison.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use serde::{Deserialize, Serialize};

use crate::cache::Key;
use crate::hash::HashMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
struct Stamp {
    hash: Key,
    len: u64,
    mtime: i128,
    ino: u64,
}

impl Stamp {
    fn of(meta: &fs::Metadata, hash: Key) -> Self {
        use std::os::unix::fs::MetadataExt;
        Self {
            hash,
            len: meta.len(),
            mtime: i128::from(meta.mtime()) * 1_000_000_000 + i128::from(meta.mtime_nsec()),
            ino: meta.ino(),
        }
    }
}

/// The stamps of the site being replaced, and those of the site being made.
pub struct Stamps {
    file: PathBuf,
    before: Arc<Map>,
    now: Mutex<Map>,
    /// Where a process that keeps the stamps in memory has them, instead
    /// of in `file`.
    held: Option<Held>,
}

/// A site's stamps, held in memory by the process that writes the site
/// (`serve`) from one rebuild to the next: not read and written on every
/// save. Empty until a rebuild finishes, and emptied when one fails while
/// changing the site, when they can no longer be trusted.
#[derive(Clone, Default)]
pub struct Held(Arc<Mutex<Option<Arc<Map>>>>);

impl Held {
    /// Forget the stamps: the site changed in a way they do not say (a
    /// held-back write failed), so the next build compares bytes.
    pub fn forget(&self) {
        if let Ok(mut h) = self.0.lock() {
            *h = None;
        }
    }
}

/// Stamps by site-relative path. A path is shared by the stamps of one
/// site and the next, not copied for each of 22,800 kept files.
type Map = HashMap<Arc<str>, Stamp>;

const MAGIC: &[u8] = b"dossier-stamps 1\n";

/// An empty map for the stamps of a site like the one `before` describes:
/// most of its files will be stamped again, and growing to 22,800 entries
/// rehashes them all a dozen times.
fn sized_like(before: &Map) -> Map {
    Map::with_capacity_and_hasher(before.len(), Default::default())
}

pub use crate::cache::content_hash as hash;

impl Stamps {
    /// The stamps of the site at `out`.
    pub fn load(out: &Path) -> Self {
        let file = super::beside(out, "stamps");
        let before = fs::read(&file)
            .ok()
            .and_then(|b| {
                let rest = b.strip_prefix(MAGIC)?;
                let (stamp, rest) = rest.split_at_checked(16)?;
                (stamp == crate::cache::stamp().to_le_bytes()).then_some(())?;
                postcard::from_bytes(rest).ok()
            })
            .unwrap_or_default();
        Self {
            file,
            now: Mutex::new(sized_like(&before)),
            before: Arc::new(before),
            held: None,
        }
    }

    /// The stamps of the site at `out` that `held` has; read from beside
    /// it the first time. From then on they are kept in `held` alone.
    pub fn load_held(out: &Path, held: &Held) -> Self {
        let kept = held.0.lock().ok().and_then(|h| h.clone());
        let mut stamps = match kept {
            Some(before) => Self {
                file: super::beside(out, "stamps"),
                now: Mutex::new(sized_like(&before)),
                before,
                held: None,
            },
            None => Self::load(out),
        };
        // No stale copy on disk for a later build to trust.
        let _ = fs::remove_file(&stamps.file);
        stamps.held = Some(held.clone());
        stamps
    }

    /// The site was changed part way, so its stamps are unknown: forget
    /// them, held or in the file (the next build compares bytes instead).
    pub fn lost(self) {
        match &self.held {
            Some(held) => {
                if let Ok(mut h) = held.0.lock() {
                    *h = None;
                }
            }
            None => {
                let _ = fs::remove_file(&self.file);
            }
        }
    }

    /// The live file `rel` at `live` holds the bytes that hash to `hash`,
    /// untouched since dossier wrote them: its metadata, then.
    pub fn holds(&self, rel: &str, live: &Path, hash: Key) -> Option<fs::Metadata> {
        let stamp = self.before.get(rel).filter(|s| s.hash == hash)?;
        let meta = fs::metadata(live).ok()?;
        (Stamp::of(&meta, hash) == *stamp).then_some(meta)
    }

    /// [`Stamps::holds`] without asking the file system, for a folder no
    /// one else writes to (`serve`'s own): the stamp is carried over to the
    /// new site's.
    pub fn holds_trusted(&self, rel: &str, hash: Key) -> bool {
        let Some((rel, stamp)) = self
            .before
            .get_key_value(rel)
            .filter(|(_, s)| s.hash == hash)
        else {
            return false;
        };
        if let Ok(mut now) = self.now.lock() {
            now.insert(Arc::clone(rel), *stamp);
        }
        true
    }

    /// Hard-link the live file `rel` at `live` to `dest` in a new site, if
    /// [`Stamps::holds`]; false (nothing done) if not.
    pub fn link(&self, rel: &str, live: &Path, dest: &Path, hash: Key) -> io::Result<bool> {
        let Some(meta) = self.holds(rel, live, hash) else {
            return Ok(false);
        };
        // A recycled tree often has that very link already, and so the
        // folder too: it is made only when the link is not there.
        if !fs::symlink_metadata(dest).is_ok_and(|d| super::recycle::same_inode(&meta, &d)) {
            super::recycle::make_parent(dest)?;
            super::recycle::clear(dest)?;
            if fs::hard_link(live, dest).is_err() {
                return Ok(false);
            }
        }
        self.record(rel, &meta, hash);
        Ok(true)
    }

    /// `rel` of the new site is the file `meta` describes, holding `hash`.
    pub fn record(&self, rel: &str, meta: &fs::Metadata, hash: Key) {
        self.stamp(rel, Stamp::of(meta, hash));
    }

    /// `rel` of the new site will hold `hash` once a held-back write is
    /// done ([`super::Deferred`]): a stamp only a folder no one else writes
    /// to trusts ([`Stamps::holds_trusted`]); no file's metadata matches it.
    pub fn record_unwritten(&self, rel: &str, hash: Key) {
        let unwritten = Stamp {
            hash,
            len: u64::MAX,
            mtime: 0,
            ino: 0,
        };
        self.stamp(rel, unwritten);
    }

    /// Give the new site's `rel` this stamp, sharing the path with the
    /// previous site's stamps when it had one.
    fn stamp(&self, rel: &str, stamp: Stamp) {
        let rel = self
            .before
            .get_key_value(rel)
            .map_or_else(|| Arc::from(rel), |(k, _)| Arc::clone(k));
        if let Ok(mut now) = self.now.lock() {
            now.insert(rel, stamp);
        }
    }

    /// The live file `rel` was written with other bytes than those hashing
    /// to `hash` (in a folder no one else writes to): it has changed, with
    /// no need to read it.
    pub fn differs(&self, rel: &str, hash: Key) -> bool {
        self.before.get(rel).is_some_and(|s| s.hash != hash)
    }

    /// Every file of the site being replaced (each file dossier writes is
    /// stamped) that the new one has not stamped, relative. `None` when no
    /// stamps were read.
    pub fn unstamped(&self) -> Option<Vec<&str>> {
        let now = self.now.lock().ok().filter(|_| !self.before.is_empty())?;
        let unstamped = self.before.keys().filter(|rel| !now.contains_key(&***rel));
        Some(unstamped.map(|rel| &**rel).collect())
    }

    /// Keep the new site's stamps for the next build, written beside and
    /// renamed over. If that fails, none are kept: stamps of an older site
    /// would name the wrong files.
    pub fn save(self) -> io::Result<()> {
        if let Some(held) = self.held.clone() {
            let now = self.now.into_inner().unwrap_or_else(|e| e.into_inner());
            let old = held
                .0
                .lock()
                .map_err(|_| io::Error::other("a writer thread panicked"))?
                .replace(Arc::new(now));
            // 22,800 paths take a few milliseconds to free: not on the way
            // to the reload.
            crate::background::later(move || drop((old, self.before)));
            return Ok(());
        }
        let file = self.file.clone();
        self.write().inspect_err(|_| {
            let _ = fs::remove_file(&file);
        })
    }

    fn write(self) -> io::Result<()> {
        let now = self.now.into_inner().unwrap_or_else(|e| e.into_inner());
        let dir = self.file.parent().unwrap_or(Path::new("."));
        let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
        tmp.write_all(MAGIC)?;
        tmp.write_all(&crate::cache::stamp().to_le_bytes())?;
        tmp.write_all(&postcard::to_stdvec(&now).map_err(io::Error::other)?)?;
        tmp.persist(&self.file).map_err(|e| e.error)?;
        Ok(())
    }
}
