//! Reusing the site in the trash as the next staging tree.
//!
//! A fresh staging tree costs a `mkdir` per page (11,000 at 10,000
//! articles) and, later, deleting the tree it replaced; on ext4 the two
//! together were about 14% of a large build's CPU. The site the last build
//! replaced already has nearly every directory, and every file that did not
//! change in the last build is a hard link to the live site's file. So a
//! build renames that site into place as its staging tree, leaves the links
//! that still hold the right bytes, replaces the rest, and removes what it
//! did not write.
//!
//! Safety rests on one rule: a file in the staging tree is never written in
//! place, because it may share its inode with the live site. It is
//! unlinked first ([`clear`]), then written or linked anew.

use std::collections::HashSet;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use walkdir::WalkDir;

/// The files of a recycled tree, and those this build has claimed.
///
/// Listing the tree walks one directory per page (11,000 at 10,000
/// articles, 60 ms) and nothing needs the list before the sweep, so it is
/// walked on its own thread while the build renders and writes. A file
/// the build writes is claimed before it is written, so whatever the walk
/// sees of this build's own files is claimed already.
#[derive(Default)]
pub(super) struct Stale {
    walk: Option<Listing>,
    claimed: Mutex<HashSet<PathBuf>>,
}

/// The recycled tree's files: being listed, or listed.
enum Listing {
    Walking(std::thread::JoinHandle<Vec<PathBuf>>),
    Listed(Vec<PathBuf>),
}

impl Stale {
    /// Move `site` to `staging` and start listing its files. `None` (and
    /// nothing moved) when the rename fails, e.g. across file systems.
    pub(super) fn take(site: &Path, staging: &Path) -> Option<Self> {
        fs::rename(site, staging).ok()?;
        let root = staging.to_path_buf();
        let walk = match std::thread::Builder::new().spawn(move || files_under(&root)) {
            Ok(walking) => Listing::Walking(walking),
            // Without a thread to spare, the walk is done here.
            Err(_) => Listing::Listed(files_under(staging)),
        };
        Some(Self {
            walk: Some(walk),
            claimed: Mutex::default(),
        })
    }

    /// `dest` is being written: it is not stale.
    pub(super) fn claim(&self, dest: &Path) {
        if self.walk.is_some()
            && let Ok(mut claimed) = self.claimed.lock()
        {
            claimed.insert(dest.to_path_buf());
        }
    }

    /// Remove every unclaimed file, then the directories left empty.
    pub(super) fn sweep(self, staging: &Path) -> io::Result<()> {
        let files = match self.walk {
            None => return Ok(()),
            Some(Listing::Listed(files)) => files,
            Some(Listing::Walking(walking)) => walking
                .join()
                .map_err(|_| io::Error::other("listing the recycled site failed"))?,
        };
        let claimed = self.claimed.into_inner().unwrap_or_else(|e| e.into_inner());
        let mut dirs = HashSet::new();
        for f in files.into_iter().filter(|f| !claimed.contains(f)) {
            // Not found: gone with a folder a page of this build replaced.
            if let Err(e) = fs::remove_file(&f)
                && e.kind() != io::ErrorKind::NotFound
            {
                return Err(e);
            }
            dirs.extend(f.ancestors().skip(1).map(Path::to_path_buf));
        }
        let mut dirs: Vec<PathBuf> = dirs
            .into_iter()
            .filter(|d| d.starts_with(staging) && d != staging)
            .collect();
        // Deepest first, so a parent is tried after its children.
        dirs.sort_by_key(|d| std::cmp::Reverse(d.components().count()));
        for d in dirs {
            // Not empty: something was written there this build.
            let _ = fs::remove_dir(d);
        }
        Ok(())
    }
}

/// Every file (not folder) under `root`.
fn files_under(root: &Path) -> Vec<PathBuf> {
    WalkDir::new(root)
        .min_depth(1)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| !e.file_type().is_dir())
        .map(|e| e.into_path())
        .collect()
}

/// Make `dest`'s directory, removing a recycled file where a directory
/// now has to be.
pub(super) fn make_parent(dest: &Path) -> io::Result<()> {
    let Some(dir) = dest.parent() else {
        return Ok(());
    };
    if fs::create_dir_all(dir).is_ok() {
        return Ok(());
    }
    for a in dir.ancestors() {
        if fs::symlink_metadata(a).is_ok_and(|m| !m.is_dir()) {
            fs::remove_file(a)?;
        }
    }
    fs::create_dir_all(dir)
}

/// Unlink whatever a recycled tree has at `dest`, so that writing there
/// creates a new file instead of writing through a link into the live site.
pub(super) fn clear(dest: &Path) -> io::Result<()> {
    match fs::symlink_metadata(dest) {
        Ok(m) if m.is_dir() => fs::remove_dir_all(dest),
        Ok(_) => fs::remove_file(dest),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e),
    }
}

/// Whether `a` and `b` are the same file (hard links to one inode).
pub(super) fn same_inode(a: &fs::Metadata, b: &fs::Metadata) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        a.dev() == b.dev() && a.ino() == b.ino()
    }
    #[cfg(not(unix))]
    {
        let _ = (a, b);
        false
    }
}

/// Put `bytes` at `dest` in the staging tree. When the previous site has
/// the same bytes at that place, link to its file instead of writing a new
/// one: the file keeps its inode and modification time, so a rebuild
/// touches only what changed (and rsync-style deploys see only that). A
/// recycled tree often has that very link already.
pub(super) fn place(previous: &Path, dest: &Path, parts: &[&[u8]]) -> io::Result<()> {
    let before = fs::metadata(previous).ok();
    let len: usize = parts.iter().map(|p| p.len()).sum();
    let same = before.as_ref().is_some_and(|m| m.len() == len as u64)
        && fs::read(previous).is_ok_and(|old| super::holds(&old, parts));
    if same
        && let (Some(p), Ok(d)) = (&before, fs::symlink_metadata(dest))
        && same_inode(p, &d)
    {
        return Ok(());
    }
    clear(dest)?;
    if same && fs::hard_link(previous, dest).is_ok() {
        return Ok(());
    }
    super::fault::pause_mid_write(dest, parts)?;
    super::write_parts(dest, parts)
}
