//! Seed ingestion: plain-text articles in, clean citable sentences out.
//!
//! Each file goes through the passes in order: decode → boilerplate →
//! paragraphs → sentences, and every paragraph and sentence gets a
//! positional id (`p3`, `p3-s2`) that becomes its HTML anchor. Seeds are kept
//! exactly as they arrived, so positions are stable; citations are resolved to
//! ids at build time and never store them.

pub mod boilerplate;
mod clean;
pub mod decode;
mod gaps;
mod meta;
mod naming;
pub mod paragraphs;
pub(crate) mod published;
mod read;
pub mod sentences;
mod sic;
pub mod sources;

use crate::hash::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::cache::{Cache, Key, KeyHasher};
use crate::diag::Diagnostic;
use crate::project::Project;
use crate::refs::SentenceRef;
pub use boilerplate::Dropped;
use clean::{Cleaner, Seed};
use meta::{fingerprint, source_meta};
pub use sources::SourceMeta;

/// All articles, in file-name order.
#[derive(Debug, Clone, Default)]
pub struct Corpus {
    /// Read freely; build with [`Corpus::new`] so the id index matches.
    /// Shared: a rebuild after one seed changed keeps the other sources.
    pub sources: Vec<Arc<Source>>,
    /// id → position in `sources`: every citation and back-link looks a
    /// source up by id, which must not be a scan at 10,000 sources.
    by_id: HashMap<String, usize>,
}

/// One cleaned article.
#[derive(Debug, Clone)]
pub struct Source {
    pub meta: SourceMeta,
    /// Project-relative path of the seed file.
    pub path: PathBuf,
    pub paragraphs: Vec<Paragraph>,
    pub dropped: Vec<Dropped>,
    /// FNV-1a of the seed's bytes and its metadata: tells a later build
    /// whether this article is new or changed.
    pub fingerprint: u64,
    /// Everything `paragraphs` and `dropped` were made from, hashed: what
    /// later stages key their cached results by (with what else they read).
    pub key: Key,
    /// See [`Source::digest`]: made once, at ingestion.
    digest: Key,
    /// What is kept per bytes of its seed (see [`read::Bytes::keys`]).
    read_keys: [Key; 2],
}

/// A paragraph; its anchor (`p3`) is its position, see [`SentenceRef`].
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Paragraph {
    /// 1-based line in the seed file.
    pub line: usize,
    pub heading: bool,
    pub sentences: Vec<Sentence>,
}

/// A sentence's cleaned text; which sentence it is is a [`SentenceRef`].
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Sentence {
    pub text: String,
    /// Byte offsets in `text` where a removed link took words with it, so a
    /// reader can be shown that something is missing; `text` itself is as
    /// mended.
    pub gaps: Vec<u32>,
}

impl Corpus {
    /// The corpus of `sources`; for a repeated id, lookups find the first.
    pub fn new(sources: Vec<Arc<Source>>) -> Self {
        let mut by_id = HashMap::with_capacity_and_hasher(sources.len(), Default::default());
        for (i, s) in sources.iter().enumerate() {
            by_id.entry(s.meta.id.clone()).or_insert(i);
        }
        Self { sources, by_id }
    }
    pub fn get(&self, id: &str) -> Option<&Source> {
        self.by_id.get(id).map(|&i| &*self.sources[i])
    }
    /// Position of the source with this id.
    pub fn position(&self, id: &str) -> Option<usize> {
        self.by_id.get(id).copied()
    }
    /// The source a reference points into.
    pub fn source_of(&self, r: SentenceRef) -> &Source {
        &self.sources[r.source()]
    }
    /// The text of a sentence. References are only made from this corpus,
    /// so one that points nowhere is a bug; it reads as empty text.
    pub fn text(&self, r: SentenceRef) -> &str {
        self.sentence(r).map_or("", |x| x.text.as_str())
    }

    /// Body sentences (not subheads) of the source at `source`, in order.
    pub fn body(&self, source: usize) -> impl Iterator<Item = (SentenceRef, &str)> {
        self.sources[source].body(source)
    }
    pub fn ids(&self) -> Vec<&str> {
        self.sources.iter().map(|s| s.meta.id.as_str()).collect()
    }
}

impl Source {
    /// A hash of everything about the article: its cleaned text (`key`)
    /// and all its metadata. What a cached result that shows the article
    /// (a citation, a source page, a timeline entry) is checked against.
    pub fn digest(&self) -> Key {
        self.digest
    }

    /// What to call the article: its title, or its opening words when it has none.
    pub fn display_title(&self) -> String {
        if let Some(t) = &self.meta.title {
            return t.clone();
        }
        let first = self.sentences().next().map_or("", |s| s.text.as_str());
        let words: Vec<&str> = first.split_whitespace().take(12).collect();
        let mut t = words.join(" ");
        if first.split_whitespace().count() > 12 {
            t.push('…');
        }
        t
    }

    /// Body sentences (not subheads), in order.
    pub fn sentences(&self) -> impl Iterator<Item = &Sentence> {
        self.paragraphs
            .iter()
            .filter(|p| !p.heading)
            .flat_map(|p| &p.sentences)
    }

    /// Body sentences with their references, given this source's position.
    pub fn body(&self, position: usize) -> impl Iterator<Item = (SentenceRef, &str)> {
        self.paragraphs
            .iter()
            .enumerate()
            .filter(|(_, p)| !p.heading)
            .flat_map(move |(i, p)| {
                p.sentences
                    .iter()
                    .enumerate()
                    .map(move |(j, x)| (SentenceRef::new(position, i, j), x.text.as_str()))
            })
    }

    /// Keep what its ingestion rests on for the next build, without
    /// reading it: a build that reuses the ingestion does not ask for it.
    pub(crate) fn touch(&self, cache: &Cache) {
        cache.touch(self.key);
        for k in self.read_keys {
            cache.touch(k);
        }
    }

    pub fn sentence_count(&self) -> usize {
        self.sentences().count()
    }
}

/// The result of ingestion: the corpus plus warnings worth printing.
#[derive(Debug, Default)]
pub struct Ingested {
    pub corpus: Arc<Corpus>,
    pub warnings: Vec<Diagnostic>,
    /// A hash of everything ingestion read: stages made from the corpus
    /// alone key their whole result by it.
    pub key: Key,
}

/// The extensions of article files, in any case.
pub const EXTENSIONS: [&str; 2] = ["txt", "text"];

/// Read `seeds/`: `sources.toml` and every `*.txt` or `*.text` article.
/// In a process that builds again, the last build's corpus when no file
/// of `seeds/` changed.
pub fn ingest(project: &Project, cache: &Cache) -> Result<Arc<Ingested>, Vec<Diagnostic>> {
    let dir = project.seeds_dir();
    let toml_path = dir.join("sources.toml");
    let toml_text = if toml_path.exists() {
        let read = cache.file(&toml_path, || Ok(project.read_to_string(&toml_path)));
        let read = read.map_err(|e| {
            vec![Diagnostic::error(
                project.rel(&toml_path),
                format!("cannot read: {e}"),
            )]
        })?;
        read.as_ref().clone().map_err(|d| vec![d])?
    } else {
        String::new()
    };
    let (files, others) = project.walk_split(&dir, &EXTENSIONS)?;
    // Parsing `sources.toml` (tens of milliseconds at 10,000 entries) is
    // one thread's work: done while the seeds are read.
    let toml_rel = project.rel(&toml_path);
    let (read, listed) = rayon::join(
        || read::all(project, &files, cache),
        || listed(&toml_rel, &toml_text, cache),
    );
    let key = read::key(&toml_text, &others, &read);
    let inputs = Inputs {
        toml_path: &toml_path,
        toml_rel: &toml_rel,
        toml_text: &toml_text,
        others: &others,
    };
    let touch = |kept: &Ingested| {
        for s in &kept.corpus.sources {
            s.touch(cache);
        }
    };
    cache.try_stage("ingest", key, touch, || {
        ingest_read(project, &inputs, read, &*listed?, key, cache)
    })
}

/// What `seeds/` holds besides the articles.
struct Inputs<'a> {
    toml_path: &'a Path,
    /// `toml_path` as diagnostics name it.
    toml_rel: &'a Path,
    toml_text: &'a str,
    others: &'a [PathBuf],
}

fn ingest_read(
    project: &Project,
    inputs: &Inputs<'_>,
    read: Vec<read::ReadSeed>,
    listed: &std::collections::HashMap<String, SourceMeta>,
    key: Key,
    cache: &Cache,
) -> Result<Ingested, Vec<Diagnostic>> {
    let unread = not_read(project, inputs.others, inputs.toml_path);
    // A line that recurs across articles is site chrome, so every file is
    // counted before any is cleaned; after that, files are independent.
    let recurring = read::recurring(&read);
    let cleaner = Cleaner {
        recurring: &recurring,
        cache,
    };
    let results: Vec<_> = read
        .into_par_iter()
        .map(|(rel, name, bytes)| {
            let meta = listed.get(&name);
            let result = bytes.map(|b| ingest_seed(&rel, &name, &b, meta, &cleaner));
            (name, result)
        })
        .collect();
    let mut warnings = unread;
    let mut sources = Vec::with_capacity(results.len());
    let mut errors = Vec::new();
    let mut found = crate::hash::HashSet::default();
    for (name, result) in results {
        match result.as_ref().map(|r| r.as_ref().as_ref()) {
            Ok(Ok((source, w))) => {
                warnings.extend(w.iter().cloned());
                sources.extend(source.iter().cloned());
            }
            Ok(Err(d)) => errors.push(d.clone()),
            Err(d) => errors.push(d.clone()),
        }
        found.insert(name);
    }
    let corpus = Corpus::new(sources);
    let missing = listed.iter().filter(|(name, _)| !found.contains(*name));
    errors.extend(sources::missing_files(
        inputs.toml_rel,
        inputs.toml_text,
        &project.seeds_dir(),
        missing.map(|(_, m)| m.clone()).collect(),
    ));
    check_unique_ids(&corpus, &mut errors);
    if errors.is_empty() {
        Ok(Ingested {
            corpus: Arc::new(corpus),
            warnings,
            key,
        })
    } else {
        Err(errors)
    }
}

/// `sources.toml`'s entries by file name, parsed once per text: kept in
/// memory by a process that builds again, and in the cache across builds
/// (parsing 10,000 entries was 80 ms of a cold build).
fn listed(
    toml_rel: &Path,
    toml_text: &str,
    cache: &Cache,
) -> Result<Arc<std::collections::HashMap<String, SourceMeta>>, Vec<Diagnostic>> {
    let key = KeyHasher::new("sources.toml")
        .str(&toml_rel.to_string_lossy())
        .str(toml_text)
        .finish();
    if let Some(kept) = cache.kept_value(key) {
        return Ok(kept);
    }
    let listed = Arc::new(cache.try_get(key, || sources::parse(toml_rel, toml_text))?);
    cache.keep_value(key, listed.clone());
    Ok(listed)
}

/// What ingesting one seed gives: its source (none for an empty file) and
/// warnings, or the error that stops the build.
type Ingestion = Result<(Option<Arc<Source>>, Vec<Diagnostic>), Diagnostic>;

/// [`ingest_file_with`] of one read seed: in a process that builds again,
/// the last build's result when the seed read the same (its path, bytes,
/// listed metadata and which of its lines recur elsewhere). A seed edit
/// re-ingests that seed, and any whose recurring lines it changed.
fn ingest_seed(
    rel: &Path,
    name: &str,
    bytes: &read::Bytes,
    meta: Option<&SourceMeta>,
    cleaner: &Cleaner<'_>,
) -> Arc<Ingestion> {
    let seed = Seed { rel, name, bytes };
    let key = cleaner
        .cache
        .keeps_values()
        .then(|| seed_key(&seed, meta, cleaner.recurring));
    if let Some(key) = key
        && let Some(kept) = cleaner.cache.kept_value::<Ingestion>(key)
    {
        // Its cleaning, on disk, is kept for the next cold build.
        if let Ok((Some(s), _)) = kept.as_ref() {
            s.touch(cleaner.cache);
        }
        return kept;
    }
    // Its listed metadata is copied only for a seed ingested anew.
    let made = ingest_file_with(seed, meta.cloned(), cleaner);
    let made = Arc::new(made.map(|(s, w)| (s.map(Arc::new), w)));
    if let Some(key) = key {
        cleaner.cache.keep_value(key, made.clone());
    }
    made
}

/// All [`ingest_seed`] reads.
fn seed_key(seed: &Seed<'_>, meta: Option<&SourceMeta>, recurring: &boilerplate::Recurring) -> Key {
    let mut key = KeyHasher::new("seed");
    key.str(&seed.rel.to_string_lossy())
        .str(seed.name)
        .u128(seed.bytes.key)
        .hashed(&meta);
    for k in boilerplate::recurring_keys(&seed.bytes.facts.line_keys, recurring) {
        key.u64(k);
    }
    key.finish()
}

/// Warnings for the files in `seeds/` that are not articles (nor `sources.toml`).
fn not_read(project: &Project, others: &[PathBuf], toml_path: &Path) -> Vec<Diagnostic> {
    let warn = |p: &PathBuf| {
        let why = "not read: articles are plain-text files (.txt or .text)";
        Diagnostic::warning(project.rel(p), why)
    };
    others
        .iter()
        .filter(|p| *p != toml_path)
        .map(warn)
        .collect()
}

fn check_unique_ids(corpus: &Corpus, errors: &mut Vec<Diagnostic>) {
    let mut seen: HashMap<&str, &PathBuf> = HashMap::default();
    for s in &corpus.sources {
        if let Some(first) = seen.insert(&s.meta.id, &s.path) {
            errors.push(
                Diagnostic::error(
                    &s.path,
                    format!(
                        "source id {:?} is also the id of {}",
                        s.meta.id,
                        first.display()
                    ),
                )
                .with_hint("give one of them an entry with its own id in seeds/sources.toml"),
            );
        }
    }
}

/// Seeds above this size get a warning: they are almost certainly not one article.
const LARGE_SEED: usize = 5_000_000;

/// Ingest one article's bytes on its own (no other seeds to compare with).
/// `Ok(None)` when the file has no text at all.
pub fn ingest_file(
    rel: &std::path::Path,
    name: &str,
    bytes: &[u8],
    meta: Option<SourceMeta>,
) -> Result<(Option<Source>, Vec<Diagnostic>), Diagnostic> {
    let cache = Cache::none();
    let bytes = read::Bytes::new(bytes.to_vec(), &cache);
    // No other seeds: no line recurs.
    let seed = Seed {
        rel,
        name,
        bytes: &bytes,
    };
    let cleaner = Cleaner {
        recurring: &boilerplate::Recurring::default(),
        cache: &cache,
    };
    ingest_file_with(seed, meta, &cleaner)
}

/// Ingest one article's bytes, knowing which lines recur across the seeds.
fn ingest_file_with(
    seed: Seed<'_>,
    meta: Option<SourceMeta>,
    cleaner: &Cleaner<'_>,
) -> Result<(Option<Source>, Vec<Diagnostic>), Diagnostic> {
    let (rel, name, bytes) = (seed.rel, seed.name, seed.bytes);
    let mut warnings = Vec::new();
    if bytes.raw.len() > LARGE_SEED {
        warnings.push(
            Diagnostic::warning(
                rel,
                format!(
                    "{:.1} MB is far more than a news article (a few KB); built anyway, as one source page",
                    bytes.raw.len() as f64 / 1e6
                ),
            )
            .with_hint("check that this file is one article, not a dump of many"),
        );
    }
    if let Some(why) = &bytes.facts.refused {
        return Err(Diagnostic::error(rel, why.clone()));
    }
    if bytes.facts.windows_1252 {
        warnings.push(
            Diagnostic::warning(rel, "not valid UTF-8; read as Windows-1252")
                .with_hint("re-save the file as UTF-8"),
        );
    }
    if bytes.facts.blank {
        warnings.push(Diagnostic::warning(rel, "the article is empty; skipped"));
        return Ok((None, warnings));
    }
    let meta = source_meta(rel, name, bytes, meta, cleaner.cache, &mut warnings)?;
    let (key, paragraphs, dropped) = cleaner.clean(bytes, &meta);
    if paragraphs.iter().all(|p| p.heading) {
        warnings.push(Diagnostic::warning(
            rel,
            "no article text left after removing boilerplate",
        ));
    }
    if let Some(d) = sic::unknown(&meta, &paragraphs) {
        return Err(d);
    }
    let printed = format!("{meta:?}");
    let fingerprint = fingerprint(bytes.facts.fnv, &printed);
    let digest = KeyHasher::new("source").u128(key).str(&printed).finish();
    Ok((
        Some(Source {
            fingerprint,
            key,
            digest,
            meta,
            path: rel.to_path_buf(),
            paragraphs,
            dropped,
            read_keys: bytes.keys(),
        }),
        warnings,
    ))
}
