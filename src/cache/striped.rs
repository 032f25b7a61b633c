//! The cache's results in memory: two generations of them, dealt by key
//! into stripes that threads lock one at a time.

use std::sync::Mutex;

use super::{Key, lock};
use crate::hash::HashMap;

/// The results the last build left (read at the start, from disk or that
/// build), and those this build used, which are what is kept: one map,
/// each entry marked with the last build that used it. Keeping an entry is
/// one look-up that changes its mark, not a move between two maps (60,000
/// of them per seed edit at 10,000 articles).
pub(super) struct Generations<V> {
    entries: HashMap<Key, (V, u64)>,
    /// This build's mark; entries with another were left by earlier builds.
    now: u64,
}

impl<V> Default for Generations<V> {
    fn default() -> Self {
        Self {
            entries: HashMap::default(),
            now: 1,
        }
    }
}

impl<V: Clone> Generations<V> {
    /// Add a result an earlier build left.
    pub(super) fn insert_earlier(&mut self, key: Key, v: V) {
        self.entries.insert(key, (v, self.now - 1));
    }

    /// Keep the result under `key` for this build. True when an earlier
    /// build left it and this one had not kept it yet.
    pub(super) fn carry_over(&mut self, key: Key) -> bool {
        self.kept(key).is_some_and(|(_, earlier)| earlier)
    }

    /// The result under `key`, kept for this build.
    pub(super) fn carry(&mut self, key: Key) -> Option<V> {
        self.kept(key).map(|(v, _)| v.clone())
    }

    /// [`Generations::carry`], and whether an earlier build left it (and
    /// this one had not kept it yet).
    pub(super) fn kept(&mut self, key: Key) -> Option<(&V, bool)> {
        let (v, mark) = self.entries.get_mut(&key)?;
        let earlier = *mark != self.now;
        *mark = self.now;
        Some((v, earlier))
    }

    /// Keep `v` under `key` for this build, returning what it replaces.
    pub(super) fn insert(&mut self, key: Key, v: V) -> Option<V> {
        self.entries.insert(key, (v, self.now)).map(|(v, _)| v)
    }

    /// Keep this build's results for the next; the rest are taken out.
    pub(super) fn next(&mut self) -> Vec<(Key, V)> {
        let now = self.now;
        self.now += 1;
        self.entries
            .extract_if(|_, (_, mark)| *mark != now)
            .map(|(k, (v, _))| (k, v))
            .collect()
    }

    /// Keep every result for the next build.
    pub(super) fn keep_all(&mut self) {
        self.now += 1;
    }

    /// Every result kept, after [`Generations::next`].
    pub(super) fn iter(&self) -> impl Iterator<Item = (&Key, &V)> {
        self.entries.iter().map(|(k, (v, _))| (k, v))
    }
}

/// Results dealt by key into stripes, each under its own lock: every
/// thread of a build looks results up at once, and under one lock most of
/// the time spent keeping 33,000 unchanged pages at 10,000 articles was
/// spent waiting on it.
pub(super) struct Striped<T>(Vec<Mutex<T>>);

const STRIPES: usize = 32;

/// The high bits: the low ones deal entries into shard files.
fn stripe(key: Key) -> usize {
    (key >> 64) as usize % STRIPES
}

impl<T: Default> Default for Striped<T> {
    fn default() -> Self {
        Self((0..STRIPES).map(|_| Mutex::default()).collect())
    }
}

impl<T> Striped<T> {
    pub(super) fn of(&self, key: Key) -> std::sync::MutexGuard<'_, T> {
        lock(&self.0[stripe(key)])
    }

    pub(super) fn get_mut(&mut self, key: Key) -> &mut T {
        let m = &mut self.0[stripe(key)];
        m.get_mut().unwrap_or_else(|e| e.into_inner())
    }

    pub(super) fn each_mut(&mut self) -> impl Iterator<Item = &mut T> {
        self.0
            .iter_mut()
            .map(|m| m.get_mut().unwrap_or_else(|e| e.into_inner()))
    }
}
