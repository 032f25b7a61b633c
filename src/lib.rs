//! dossier: a static-site generator for cited explainers.
//!
//! The pipeline runs one way: load → parse → enrich (topics, citations,
//! timeline) → render → write. [`build`] is the whole of it on one screen;
//! each stage returns a new value and none reaches back up.

pub(crate) mod article;
pub(crate) mod background;
pub mod cache;
pub(crate) mod check;
pub mod cite;
pub mod cli;
pub(crate) mod config;
pub mod content;
pub mod dates;
pub mod diag;
pub(crate) mod documents;
pub(crate) mod hash;
pub(crate) mod highlight;
pub mod key;
pub mod markdown;
pub(crate) mod output;
pub mod project;
pub mod refs;
pub(crate) mod render;
pub(crate) mod review;
pub mod seeds;
pub(crate) mod serve;
pub(crate) mod site;
pub(crate) mod summary;
pub mod timeline;
pub mod topics;
pub(crate) mod urls;
pub(crate) mod watch;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use diag::Diagnostic;
use project::Project;

/// How to build: where to, and under which URL.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// Output directory; `dossier.toml`'s `output_dir` (relative to the root) when `None`.
    pub output: Option<PathBuf>,
    /// Overrides `base_url` from `dossier.toml`.
    pub base_url: Option<String>,
    /// Replace a non-empty output folder that dossier did not build.
    pub force: bool,
    /// Neither read nor write `.dossier-cache/`.
    pub no_cache: bool,
}

/// What a successful build did.
#[derive(Debug)]
pub struct BuildReport {
    pub output: PathBuf,
    pub base_path: String,
    pub files: usize,
    /// One line per new or changed article: what ingestion made of it.
    pub changed_seeds: Vec<String>,
    pub warnings: Vec<Diagnostic>,
    pub timings: Vec<(&'static str, Duration)>,
    /// Results taken from `.dossier-cache/` and results made.
    pub cached: (usize, usize),
}

/// The site assembled in memory, with its templates compiled: everything
/// but the rendering, which streams into an [`output::Target`].
pub struct Generated {
    pub site: site::Site,
    templates: std::sync::Arc<render::Compiled>,
    pub warnings: Vec<Diagnostic>,
    pub timings: Vec<(&'static str, Duration)>,
}

impl Generated {
    /// Render the site, plus a copy of `static_dir`, into `target` (a new
    /// site at `out`, or the existing one updated in place), each file passed
    /// through `edit`. A failure before `finish` leaves the previous site as
    /// it was. Adds the stages' times to `timings`; returns how many files
    /// were written.
    pub fn write_to<T: output::Target>(
        &mut self,
        target: std::io::Result<T>,
        static_dir: &Path,
        out: &Path,
        edit: Option<&render::Edit>,
        cache: &cache::Cache,
    ) -> Result<usize, Vec<Diagnostic>> {
        let mut clock = Clock(Instant::now(), Vec::new());
        let cannot = |e: std::io::Error| {
            vec![Diagnostic::error(
                out,
                format!("cannot write the site: {e}"),
            )]
        };
        let target = target.map_err(cannot)?;
        let statics = output::static_files(static_dir).map_err(cannot)?;
        let claims = render::Claims::new(statics.iter().map(|(_, rel)| {
            let rel = rel.to_string_lossy().replace('\\', "/");
            (rel.clone(), format!("static/{rel}"))
        }));
        target.copy_static(static_dir).map_err(cannot)?;
        render::render(&self.site, &self.templates, &target, edit, &claims, cache)?;
        clock.lap("render+write");
        let files = target.finish().map_err(cannot)?;
        clock.lap(T::FINISH);
        self.timings.extend(clock.1);
        Ok(files)
    }
}

struct Clock(Instant, Vec<(&'static str, Duration)>);

impl Clock {
    fn lap(&mut self, stage: &'static str) {
        let now = Instant::now();
        self.1.push((stage, now - self.0));
        self.0 = now;
    }
}

/// Load and enrich the whole site, and compile its templates.
/// `cache` holds earlier results; whatever it holds, the site is the same.
pub fn generate(
    p: &Project,
    o: &BuildOptions,
    cache: &cache::Cache,
) -> Result<Generated, Vec<Diagnostic>> {
    let mut clock = Clock(Instant::now(), Vec::new());
    let warm = std::thread::spawn(timeline::extract::warm_up);
    let config = load_config(p, o)?;
    let templates = read_templates(p)?;
    let ingested = seeds::ingest(p, cache)?;
    let mut warnings = ingested.warnings.clone();
    let (docs, unread) = content::load(p, cache)?;
    warnings.extend(unread);
    clock.lap("load");
    // The sources' dates rest on the sources alone: found on one core
    // while the other renders the markdown and matches the topics.
    let (rendered, extraction) = rayon::join(
        || -> Result<_, Vec<Diagnostic>> {
            let (documents, events) = documents::render(docs, &ingested.corpus, &config, cache)?;
            let metas: Vec<&content::TopicMeta> =
                documents.topics.iter().map(|t| &t.meta).collect();
            let topic_index = topics::index_kept(&ingested, &metas, cache);
            Ok((documents, events, topic_index))
        },
        || timeline::extract::extract_kept(&ingested, cache),
    );
    let (documents, events, topic_index) = rendered?;
    clock.lap("markdown+citations+topics+dates");
    for t in &documents.topics {
        if topic_index.passages(&t.meta.slug).is_empty() && !ingested.corpus.sources.is_empty() {
            warnings.push(
                Diagnostic::warning(&t.path, "no source sentence matches this topic")
                    .at_line(1)
                    .with_hint("check its keywords and aliases against the articles' wording"),
            );
        }
    }
    // A panic there would resurface on first use of the patterns.
    let _ = warm.join();
    let prose: Vec<(&Path, &article::Article)> =
        std::iter::once((Path::new("content/_index.md"), &*documents.home.article))
            .chain(
                documents
                    .topics
                    .iter()
                    .map(|t| (t.path.as_path(), &*t.article)),
            )
            .chain(
                documents
                    .pages
                    .iter()
                    .map(|p| (p.path.as_path(), &*p.article)),
            )
            .collect();
    let mut timeline =
        timeline::build(events, &extraction, &ingested, &topic_index, &prose, cache)?;
    warnings.append(&mut timeline.warnings);
    clock.lap("timeline");
    let corpus = ingested.corpus.clone();
    let site = site::assemble(config, corpus, documents, topic_index, timeline)?;
    let compiled = render::compile_kept(&templates, cache)?;
    clock.lap("assemble");
    Ok(Generated {
        site,
        templates: compiled,
        warnings,
        timings: clock.1,
    })
}

/// Build the site and swap it into the output directory. Earlier results
/// are read from, and this build's kept in, `.dossier-cache/` at the
/// project's root, unless `o.no_cache`.
pub fn build(p: &Project, o: &BuildOptions) -> Result<BuildReport, Vec<Diagnostic>> {
    let mut cache = if o.no_cache {
        cache::Cache::none()
    } else {
        cache::Cache::open(&p.root.join(cache::DIR))
    };
    build_with(p, o, &mut cache)
}

/// [`build`] with earlier results from `cache`, which keeps this build's.
pub fn build_with(
    p: &Project,
    o: &BuildOptions,
    cache: &mut cache::Cache,
) -> Result<BuildReport, Vec<Diagnostic>> {
    let built = build_from(p, o, cache);
    if built.is_err() {
        cache.keep_all();
    }
    built
}

fn build_from(
    p: &Project,
    o: &BuildOptions,
    cache: &mut cache::Cache,
) -> Result<BuildReport, Vec<Diagnostic>> {
    let opening = cache.take_opening();
    let mut g = generate(p, o, cache)?;
    if let Some(d) = opening {
        g.timings.insert(0, ("open cache", d));
    }
    let output = output_dir(p, o, &g.site.config)?;
    // Both read the previous site; neither waits for the other.
    let (changed_seeds, staged) = rayon::join(
        || summary::changed_seeds(&g.site, &summary::previous_fingerprints(&output)),
        || output::Staged::begin(&output),
    );
    let files = g.write_to(staged, &p.static_dir(), &output, None, cache);
    let cached = cache.counts();
    let started = Instant::now();
    if let Err(e) = cache.save() {
        let why = format!("cannot keep results for the next build: {e}");
        let hint = "the site is built; the next build will redo all of it";
        g.warnings
            .push(Diagnostic::warning(cache::DIR, why).with_hint(hint));
    }
    g.timings.push(("cache", started.elapsed()));
    let files = files?;
    let report = BuildReport {
        output,
        base_path: g.site.config.urls.base_path().to_string(),
        files,
        changed_seeds,
        warnings: std::mem::take(&mut g.warnings),
        timings: std::mem::take(&mut g.timings),
        cached,
    };
    // Freeing a big site's thousands of allocations takes tens of
    // milliseconds that nobody needs to wait for: `build` exits next.
    // Without a thread to spare, it is freed here.
    background::later(move || drop(g));
    Ok(report)
}

/// `dossier.toml`, validated, with `o.base_url` winning over the file's.
pub(crate) fn load_config(
    p: &Project,
    o: &BuildOptions,
) -> Result<config::Config, Vec<Diagnostic>> {
    let path = p.config_file();
    let text = p.read_to_string(&path).map_err(|d| vec![d])?;
    config::parse(&p.rel(&path), &text, o.base_url.as_deref()).map_err(|d| vec![d])
}

/// Every `templates/*.html`, as `(name, source)`.
pub fn read_templates(p: &Project) -> Result<render::Templates, Vec<Diagnostic>> {
    let dir = p.templates_dir();
    let mut out = Vec::new();
    for path in p.walk(&dir, &["html"])? {
        let name = path
            .strip_prefix(&dir)
            .unwrap_or(&path)
            .to_string_lossy()
            .replace('\\', "/");
        out.push((name, p.read_to_string(&path).map_err(|d| vec![d])?));
    }
    Ok(out)
}

/// The output directory, refusing places where replacing it would destroy input.
fn output_dir(
    p: &Project,
    o: &BuildOptions,
    c: &config::Config,
) -> Result<PathBuf, Vec<Diagnostic>> {
    let out = o
        .output
        .clone()
        .unwrap_or_else(|| p.root.join(&c.output_dir));
    output::guard::check(p, &out, o.force).map_err(|d| vec![d])?;
    Ok(out)
}
