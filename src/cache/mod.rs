//! Results of earlier builds, kept so that unchanged input is not worked
//! again: in memory while `serve` runs, in `.dossier-cache/` across `build`s.
//!
//! Each stage memoises a pure function of its inputs: the key is a hash of
//! everything the result depends on, the value its bytes (postcard). A key
//! that names an input the stage does not hash would serve a stale result,
//! so each stage says in one place what it hashes. The file is stamped with
//! a hash of the running executable: another build of dossier (new rules,
//! new templates compiled in) never reads it. The folder is safe to delete,
//! and a damaged file is ignored, never an error.

use std::any::Any;
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, LazyLock, Mutex};

use rayon::prelude::*;
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::hash::HashMap;

mod striped;
use striped::{Generations, Striped};

/// The folder, beside the output, that holds the cache.
pub const DIR: &str = ".dossier-cache";

const MAGIC: &[u8] = b"dossier-cache 1\n";

pub use crate::key::{Key, KeyHasher, content_hash, parts_hash};

/// The running executable's stamp: results made by another build of
/// dossier are never read. Like ccache's default compiler check, it is the
/// file's size, inode and change times, not its bytes: hashing 14 MB was
/// 60 ms at the start of every build, on one core, before any work could
/// begin. A rebuilt or copied binary is a new file with a new stamp.
pub(crate) fn stamp() -> Key {
    static STAMP: LazyLock<Key> = LazyLock::new(|| {
        use std::os::unix::fs::MetadataExt;
        let meta = std::env::current_exe().and_then(fs::metadata);
        let mut h = KeyHasher::new("executable");
        h.str(env!("CARGO_PKG_VERSION"));
        if let Ok(m) = meta {
            for n in [m.len(), m.dev(), m.ino()] {
                h.u64(n);
            }
            for t in [m.mtime(), m.mtime_nsec(), m.ctime(), m.ctime_nsec()] {
                h.u64(t as u64);
            }
        }
        h.finish()
    });
    *STAMP
}

/// Results: those read at the start (from disk or the last build in this
/// process), and those this build used, which are what is kept. An entry
/// no build asks for again is dropped at the next save. Every stage shares
/// one map: the stage's name is hashed into its keys.
///
/// On disk the entries are dealt by key into [`SHARDS`] files, and a save
/// rewrites only the files whose entries changed: one edited article
/// changes a handful of results, not the whole cache.
#[derive(Default)]
pub struct Cache {
    dir: Option<PathBuf>,
    results: Striped<Generations<bytes::Bytes>>,
    /// Results reused and made since the last save.
    reused: AtomicUsize,
    made: AtomicUsize,
    /// One bit per shard whose entries this build changed.
    dirty: [AtomicU64; SHARDS / 64],
    /// Files as read by the last build in this process, by path, with
    /// what `stat` said of them then; only while `serve` or `build --watch`
    /// keeps the cache in memory.
    files: Option<Mutex<Files>>,
    /// Whole stages' results, by stage, with the key each was made under:
    /// kept, like `files`, only by a process that builds again.
    stages: Mutex<HashMap<&'static str, (Key, Value)>>,
    /// Results kept as values rather than bytes, by a process that builds
    /// again.
    values: Striped<Generations<Value>>,
    /// How long reading the folder took, until a build reports it.
    opening: Option<std::time::Duration>,
}

/// A result kept in memory as it is, of whatever type its stage makes.
type Value = Arc<dyn Any + Send + Sync>;

type Files = HashMap<PathBuf, (FileStamp, Value)>;

/// What says a file has not changed: its size, inode, and change and
/// modification times (to the nanosecond).
type FileStamp = (u64, u64, i64, i64, i64, i64);

fn file_stamp(path: &Path) -> Option<FileStamp> {
    use std::os::unix::fs::MetadataExt;
    let m = fs::metadata(path).ok()?;
    Some((
        m.len(),
        m.ino(),
        m.mtime(),
        m.mtime_nsec(),
        m.ctime(),
        m.ctime_nsec(),
    ))
}

/// Entries' bytes are slices of the shard file they were read from, so
/// opening the cache reads each file once and copies no entry.
type Entries = HashMap<Key, bytes::Bytes>;

/// One edit changes a few dozen results: each rewrites its shard, so
/// more, smaller shards mean fewer bytes written per save.
const SHARDS: usize = 256;

fn shard(key: Key) -> usize {
    (key % SHARDS as u128) as usize
}

impl Cache {
    /// A cache that remembers nothing between runs (`check`, tests).
    pub fn none() -> Self {
        Self::default()
    }

    /// The cache in `dir`, or an empty one when it is missing, damaged or
    /// made by another executable (each shard file on its own).
    pub fn open(dir: &Path) -> Self {
        let started = std::time::Instant::now();
        let dir = dir.join("stages");
        let shards: Vec<Entries> = (0..SHARDS)
            .into_par_iter()
            .filter_map(|n| read_entries(fs::read(shard_file(&dir, n)).ok()?.into()))
            .collect();
        let mut results = Striped::<Generations<bytes::Bytes>>::default();
        for (k, v) in shards.into_iter().flatten() {
            results.get_mut(k).insert_earlier(k, v);
        }
        Self {
            dir: Some(dir),
            results,
            opening: Some(started.elapsed()),
            ..Self::default()
        }
    }

    /// The result for `key`, or `make`'s (then remembered).
    pub fn get<V>(&self, key: Key, make: impl FnOnce() -> V) -> V
    where
        V: Serialize + DeserializeOwned,
    {
        let made = self.try_get(key, || Ok::<_, std::convert::Infallible>(make()));
        made.unwrap_or_else(|never| match never {})
    }

    /// [`Cache::get`] of a result that may fail to be made: a failure is
    /// not remembered.
    pub fn try_get<V, E>(&self, key: Key, make: impl FnOnce() -> Result<V, E>) -> Result<V, E>
    where
        V: Serialize + DeserializeOwned,
    {
        if let Some((known, earlier)) = self.found(key)
            && let Ok(v) = postcard::from_bytes(&known)
        {
            // A result this build made and asks for again is not reused
            // from the cache.
            if earlier {
                self.reused.fetch_add(1, Ordering::Relaxed);
            }
            return Ok(v);
        }
        let v = make()?;
        self.made.fetch_add(1, Ordering::Relaxed);
        self.put(key, &v);
        Ok(v)
    }

    /// [`Cache::get`], shared: in a process that builds again, the value
    /// the last build used, not decoded again. For per-source results that
    /// every build reads for every source.
    pub fn shared<V>(&self, key: Key, make: impl FnOnce() -> V) -> Arc<V>
    where
        V: Serialize + DeserializeOwned + Send + Sync + 'static,
    {
        if let Some(v) = self.kept_value(key) {
            return v;
        }
        let v = Arc::new(self.get(key, make));
        self.keep_value(key, v.clone());
        v
    }

    /// The result kept for `key`, if any; it stays kept.
    pub fn peek<V: DeserializeOwned>(&self, key: Key) -> Option<V> {
        let (known, _) = self.found(key)?;
        postcard::from_bytes(&known).ok()
    }

    /// The bytes kept under `key`, and whether an earlier build made them.
    fn found(&self, key: Key) -> Option<(bytes::Bytes, bool)> {
        let mut results = self.results.of(key);
        results.kept(key).map(|(b, earlier)| (b.clone(), earlier))
    }

    /// Keep `v` as the result for `key`, replacing any.
    pub fn put<V: Serialize>(&self, key: Key, v: &V) {
        let Ok(bytes) = postcard::to_stdvec(v).map(bytes::Bytes::from) else {
            return;
        };
        let replaced = self.results.of(key).insert(key, bytes.clone());
        if replaced.as_ref() != Some(&bytes) {
            self.mark(shard(key));
        }
    }

    /// Shard `n` is to be written at the next save.
    fn mark(&self, n: usize) {
        self.dirty[n / 64].fetch_or(1 << (n % 64), Ordering::Relaxed);
    }

    /// How long opening the cache took, the first time it is asked.
    pub fn take_opening(&mut self) -> Option<std::time::Duration> {
        self.opening.take()
    }

    /// How many results this build took from the cache, and how many it made.
    pub fn counts(&self) -> (usize, usize) {
        (
            self.reused.load(Ordering::Relaxed),
            self.made.load(Ordering::Relaxed),
        )
    }

    /// After a good build: keep what it used, on disk when the cache has a
    /// folder (rewriting only the shards that changed), and in memory for
    /// the next build in this process.
    pub fn save(&mut self) -> io::Result<()> {
        self.reset_counts();
        let unused: Vec<Vec<(Key, bytes::Bytes)>> =
            self.results.each_mut().map(|g| g.next()).collect();
        for (k, _) in unused.iter().flatten() {
            self.mark(shard(*k));
        }
        let dirty: Vec<u64> = self
            .dirty
            .iter_mut()
            .map(std::mem::take)
            .map(AtomicU64::into_inner)
            .collect();
        let unused_values: Vec<_> = self.values.each_mut().map(|g| g.next()).collect();
        // What no build asks for any more is freed on another thread: at
        // 10,000 articles, a seed edit's old values are tens of megabytes.
        crate::background::later(move || drop((unused, unused_values)));
        let kept: Vec<&Generations<bytes::Bytes>> = self.results.each_mut().map(|g| &*g).collect();
        match &self.dir {
            Some(dir) if dirty.iter().any(|&d| d != 0) => write_shards(dir, &kept, &dirty),
            _ => Ok(()),
        }
    }

    /// The counts of reused and made results back to zero.
    fn reset_counts(&mut self) {
        self.reused = AtomicUsize::new(0);
        self.made = AtomicUsize::new(0);
    }

    /// From now on, keep results in memory only.
    pub fn forget_folder(&mut self) {
        self.dir = None;
    }

    /// Keep the files read in memory too, for [`Cache::file`]: for a
    /// process that builds again on every save.
    pub fn remember_files(&mut self) {
        self.files.get_or_insert_with(Mutex::default);
    }

    /// What `read` made of the file at `path`: from memory when this
    /// process read it before and it has not changed since.
    pub fn file<V: Send + Sync + 'static>(
        &self,
        path: &Path,
        read: impl FnOnce() -> io::Result<V>,
    ) -> io::Result<Arc<V>> {
        let Some(files) = &self.files else {
            return read().map(Arc::new);
        };
        let stamp = file_stamp(path);
        if let Some(stamp) = stamp
            && let Some((was, v)) = lock(files).get(path)
            && *was == stamp
            && let Ok(v) = Arc::clone(v).downcast::<V>()
        {
            return Ok(v);
        }
        let v = Arc::new(read()?);
        if let Some(stamp) = stamp {
            lock(files).insert(path.to_path_buf(), (stamp, v.clone()));
        }
        Ok(v)
    }

    /// `stage`'s whole result under `key`: the last build's in this process
    /// when its key was the same (then `reused` is told of it, to keep the
    /// per-source results it rests on), else `make`'s, kept for the next
    /// build. A page edit changes no seed, so the corpus, its topics and its
    /// dates are the last build's as they stand, with no per-source look-up.
    pub fn try_stage<V: Send + Sync + 'static, E>(
        &self,
        stage: &'static str,
        key: Key,
        reused: impl FnOnce(&V),
        make: impl FnOnce() -> Result<V, E>,
    ) -> Result<Arc<V>, E> {
        let kept = lock(&self.stages)
            .get(stage)
            .filter(|(was, _)| *was == key)
            .and_then(|(_, v)| Arc::clone(v).downcast::<V>().ok());
        if let Some(v) = kept {
            reused(&v);
            return Ok(v);
        }
        let v = Arc::new(make()?);
        self.keep_stage(stage, key, v.clone());
        Ok(v)
    }

    /// [`Cache::try_stage`] of a stage that cannot fail.
    pub fn stage<V: Send + Sync + 'static>(
        &self,
        stage: &'static str,
        key: Key,
        reused: impl FnOnce(&V),
        make: impl FnOnce() -> V,
    ) -> Arc<V> {
        let made = self.try_stage(stage, key, reused, || {
            Ok::<_, std::convert::Infallible>(make())
        });
        made.unwrap_or_else(|never| match never {})
    }

    /// Whether this process builds again, and so keeps values between
    /// builds: when not, a caller need not make the key of one.
    pub fn keeps_values(&self) -> bool {
        self.files.is_some()
    }

    /// The result under `key` as the last build of this process left it,
    /// not decoded from bytes: for results read back on every save (an
    /// authored page's rendered markdown).
    pub fn kept_value<V: Send + Sync + 'static>(&self, key: Key) -> Option<Arc<V>> {
        self.files.as_ref()?;
        let v = self.values.of(key).carry(key)?;
        self.carry(key);
        self.reused.fetch_add(1, Ordering::Relaxed);
        v.downcast::<V>().ok()
    }

    /// [`Cache::kept_value`], else `make`'s value, then kept: for results
    /// worth keeping only in memory (printed entries, parsed settings).
    pub fn value<V: Send + Sync + 'static>(&self, key: Key, make: impl FnOnce() -> V) -> Arc<V> {
        self.kept_value(key).unwrap_or_else(|| {
            let made = Arc::new(make());
            self.keep_value(key, made.clone());
            made
        })
    }

    /// Keep `v` as the value under `key` (see [`Cache::kept_value`]).
    pub fn keep_value<V: Send + Sync + 'static>(&self, key: Key, v: Arc<V>) {
        if self.files.is_some() {
            self.values.of(key).insert(key, v);
        }
    }

    /// Take `stage`'s whole result out, whatever its key, to change it
    /// (see [`Cache::try_stage`]); `None` when no build kept one.
    pub fn take_stage<V: Send + Sync + 'static>(&self, stage: &'static str) -> Option<V> {
        let (_, v) = lock(&self.stages).remove(stage)?;
        Arc::try_unwrap(v.downcast::<V>().ok()?).ok()
    }

    /// Keep `v` as `stage`'s whole result under `key`, for the next build
    /// of this process (see [`Cache::try_stage`]).
    pub fn keep_stage<V: Send + Sync + 'static>(&self, stage: &'static str, key: Key, v: Arc<V>) {
        if self.files.is_some() {
            lock(&self.stages).insert(stage, (key, v));
        }
    }

    /// Keep the result under `key` for the next build without reading it:
    /// a stage reused whole still needs its per-source results the next
    /// time one source changes.
    /// Counted as reused when there was one.
    pub fn touch(&self, key: Key) {
        if self.carry(key) {
            self.reused.fetch_add(1, Ordering::Relaxed);
        }
    }

    /// Move the result under `key`, if the last build had one, to those
    /// this build keeps.
    fn carry(&self, key: Key) -> bool {
        self.results.of(key).carry_over(key)
    }

    /// After a failed build: keep everything, since the next may need what
    /// this one never reached.
    pub fn keep_all(&mut self) {
        self.reset_counts();
        self.results.each_mut().for_each(Generations::keep_all);
        self.values.each_mut().for_each(Generations::keep_all);
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // A panicked stage leaves whole entries behind: the map is still good.
    m.lock().unwrap_or_else(|e| e.into_inner())
}

fn shard_file(dir: &Path, n: usize) -> PathBuf {
    dir.join(format!("{n:03}.bin"))
}

/// `MAGIC`, the stamp, then entries: key, length, bytes.
fn read_entries(mut rest: bytes::Bytes) -> Option<Entries> {
    if !rest.starts_with(MAGIC) {
        return None;
    }
    let take = |rest: &mut bytes::Bytes, n: usize| -> Option<bytes::Bytes> {
        (n <= rest.len()).then(|| rest.split_to(n))
    };
    let key = |b: bytes::Bytes| Key::from_le_bytes(b[..].try_into().unwrap_or([0; 16]));
    take(&mut rest, MAGIC.len())?;
    if key(take(&mut rest, 16)?) != stamp() {
        return None;
    }
    let mut out = HashMap::default();
    while !rest.is_empty() {
        let k = key(take(&mut rest, 16)?);
        let len = u32::from_le_bytes(take(&mut rest, 4)?[..].try_into().ok()?);
        out.insert(k, take(&mut rest, len as usize)?);
    }
    Some(out)
}

/// The shards whose bits are set in `dirty`, each written beside and
/// renamed over its file, so a killed build leaves whole files.
fn write_shards(
    dir: &Path,
    entries: &[&Generations<bytes::Bytes>],
    dirty: &[u64],
) -> io::Result<()> {
    fs::create_dir_all(dir)?;
    // Tools that sweep build folders skip what is tagged this way.
    let top = dir.parent().unwrap_or(dir);
    let tag = top.join("CACHEDIR.TAG");
    if !tag.exists() {
        fs::write(
            &tag,
            "Signature: 8a477f597d28d172789f06886806bc55\n# dossier's cache: safe to delete.\n",
        )?;
        // Nothing in it belongs in a repository.
        fs::write(top.join(".gitignore"), "*\n")?;
    }
    remove_other_shards(dir);
    let mut by_shard: Vec<Vec<(&Key, &bytes::Bytes)>> = vec![Vec::new(); SHARDS];
    for (k, v) in entries.iter().flat_map(|e| e.iter()) {
        by_shard[shard(*k)].push((k, v));
    }
    by_shard
        .into_par_iter()
        .enumerate()
        .filter(|(n, _)| dirty[n / 64] & (1 << (n % 64)) != 0)
        .try_for_each(|(n, entries)| write_shard(dir, n, &entries))
}

/// Remove shard files another layout left (a build with fewer shards
/// named them otherwise): nothing would ever read them again.
fn remove_other_shards(dir: &Path) {
    let Ok(files) = fs::read_dir(dir) else {
        return;
    };
    for f in files.filter_map(Result::ok) {
        let name = f.file_name();
        let Some(stem) = name.to_str().and_then(|n| n.strip_suffix(".bin")) else {
            continue;
        };
        let ours = stem.len() == 3 && stem.parse::<usize>().is_ok_and(|n| n < SHARDS);
        if !ours {
            let _ = fs::remove_file(f.path());
        }
    }
}

fn write_shard(dir: &Path, n: usize, entries: &[(&Key, &bytes::Bytes)]) -> io::Result<()> {
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    {
        let mut w = io::BufWriter::new(tmp.as_file_mut());
        w.write_all(MAGIC)?;
        w.write_all(&stamp().to_le_bytes())?;
        for (k, v) in entries {
            let len = u32::try_from(v.len()).map_err(io::Error::other)?;
            w.write_all(&k.to_le_bytes())?;
            w.write_all(&len.to_le_bytes())?;
            w.write_all(v)?;
        }
        w.flush()?;
    }
    tmp.persist(shard_file(dir, n)).map_err(|e| e.error)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_saved_result_is_read_back_and_a_damaged_file_is_ignored() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut c = Cache::open(dir.path());
        let key = KeyHasher::new("t").str("input").finish();
        assert_eq!(c.get(key, || "result".to_string()), "result");
        c.save().expect("save");
        let again = Cache::open(dir.path());
        let read: String = again.get(key, || panic!("made again, not read back"));
        assert_eq!(read, "result");
        let file = shard_file(&dir.path().join("stages"), shard(key));
        let mut bytes = fs::read(&file).expect("read");
        bytes.truncate(bytes.len() - 3);
        fs::write(&file, bytes).expect("write");
        let damaged = Cache::open(dir.path());
        assert_eq!(damaged.get(key, || "made".to_string()), "made");
    }

    #[test]
    fn a_save_rewrites_only_the_shards_that_changed_and_drops_other_layouts() {
        let dir = tempfile::tempdir().expect("tempdir");
        let stages = dir.path().join("stages");
        let keys: Vec<Key> = (0..300u64)
            .map(|n| KeyHasher::new("t").u64(n).finish())
            .collect();
        let mut c = Cache::open(dir.path());
        for &k in &keys {
            let _: u64 = c.get(k, || 1);
        }
        c.save().expect("save");
        let old_layout = stages.join("07.bin");
        fs::write(&old_layout, b"left by a build with 64 shards").expect("write");
        let mtime = |n: usize| {
            fs::metadata(shard_file(&stages, n))
                .and_then(|m| m.modified())
                .ok()
        };
        let before: Vec<_> = (0..SHARDS).map(mtime).collect();
        std::thread::sleep(std::time::Duration::from_millis(20));

        let mut c = Cache::open(dir.path());
        for &k in &keys {
            let _: u64 = c.get(k, || panic!("made again"));
        }
        c.put(keys[0], &2u64);
        c.save().expect("save");
        let changed: Vec<usize> = (0..SHARDS).filter(|&n| mtime(n) != before[n]).collect();
        assert_eq!(changed, [shard(keys[0])]);
        assert!(!old_layout.exists(), "a file of another layout is left");
    }

    #[test]
    fn a_kept_stage_is_given_back_only_under_its_key_and_its_parts_survive() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut c = Cache::open(dir.path());
        let part = KeyHasher::new("t").str("per source").finish();
        let _: u32 = c.get(part, || 7);
        c.keep_stage("stage", 1, Arc::new(String::from("whole")));
        assert!(
            kept(&c, 1).is_none(),
            "only a process that builds again keeps stages"
        );
        c.remember_files();
        c.keep_stage("stage", 1, Arc::new(String::from("whole")));
        assert_eq!(kept(&c, 1).as_deref().map(String::as_str), Some("whole"));
        assert!(kept(&c, 2).is_none(), "another key");
        let other_type = c.try_stage::<u32, ()>("stage", 1, |_| {}, || Err(()));
        assert!(other_type.is_err(), "another type");
        c.save().expect("save");
        // A build that reuses the stage whole touches its parts, which
        // then outlive the save; untouched, they are dropped.
        c.touch(part);
        c.save().expect("save");
        assert_eq!(c.peek::<u32>(part), Some(7));
        c.save().expect("save");
        c.save().expect("save");
        assert_eq!(c.peek::<u32>(part), None);
        assert_eq!(c.take_stage::<String>("stage").as_deref(), Some("whole"));
        assert!(kept(&c, 1).is_none(), "taken out");
    }

    /// What `stage` gives back under `key` without making anything.
    fn kept(c: &Cache, key: Key) -> Option<Arc<String>> {
        c.try_stage("stage", key, |_| {}, || Err(())).ok()
    }

    #[test]
    fn a_remembered_file_is_read_again_only_when_it_changed() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("a.txt");
        fs::write(&path, "one").expect("write");
        let mut c = Cache::none();
        c.remember_files();
        let reads = AtomicUsize::new(0);
        let read = || {
            reads.fetch_add(1, Ordering::Relaxed);
            fs::read_to_string(&path)
        };
        assert_eq!(*c.file(&path, read).expect("read"), "one");
        assert_eq!(*c.file(&path, read).expect("read"), "one");
        assert_eq!(
            reads.load(Ordering::Relaxed),
            1,
            "unchanged: not read again"
        );
        // Same size, new bytes: the times move. File times tick at the
        // kernel's clock (at most 10 ms), and serve reads only after the
        // saves have been quiet for `watch::DEBOUNCE`; this test waits longer.
        std::thread::sleep(std::time::Duration::from_millis(30));
        fs::write(&path, "two").expect("write");
        assert_eq!(*c.file(&path, read).expect("read"), "two");
        assert_eq!(reads.load(Ordering::Relaxed), 2);
        // Without remember_files, every call reads.
        let plain = Cache::none();
        plain.file(&path, read).expect("read");
        plain.file(&path, read).expect("read");
        assert_eq!(reads.load(Ordering::Relaxed), 4);
    }
}
