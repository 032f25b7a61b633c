//! Rendering the assembled site to output files, through Tera templates.
//!
//! The only user of Tera. Templates are the project's own `templates/*.html`
//! (autoescape on); every value they get is a borrowed view from `view.rs`,
//! so templates hold layout, not logic. Errors name template, line and column.

pub mod data;
pub mod feeds;
mod memo;
pub mod search;
pub mod view;

use crate::hash::HashMap;
use std::io;
use std::path::Path;
use std::sync::Arc;
use std::sync::Mutex;

use rayon::prelude::*;
use tera::{ErrorKind, Tera};

use crate::cache::{Cache, Key, KeyHasher};
use crate::diag::Diagnostic;
use crate::site::Site;
use crate::urls::Route;

/// One file of the built site.
#[derive(Debug, Clone)]
pub struct OutputFile {
    /// Relative to the output root, `/`-separated, e.g. `topics/soybeans/index.html`.
    pub path: String,
    pub bytes: Vec<u8>,
}

/// A made file: whole, or as the parts its bytes join from (a large data
/// file made of cached blocks, never joined in memory).
pub enum Made {
    Whole(OutputFile),
    Parts {
        path: String,
        parts: Vec<std::sync::Arc<String>>,
    },
}

/// The bytes of a file made of parts, part by part.
pub fn part_bytes(parts: &[Arc<String>]) -> Vec<&[u8]> {
    parts.iter().map(|p| p.as_bytes()).collect()
}

/// Whether an [`Edit`] may change the file at `path`: serve's adds its
/// script to HTML pages only, so data files go out as they are made.
pub fn edited(path: &str) -> bool {
    path.ends_with(".html")
}

/// Where rendered files go. Called from several threads at once.
pub trait Sink: Sync {
    /// Write `file`, whose bytes hash to `hash` ([`crate::cache::content_hash`]).
    fn put_hashed(&self, file: OutputFile, hash: Key) -> io::Result<()>;
    fn put(&self, file: OutputFile) -> io::Result<()> {
        let hash = crate::cache::content_hash(&file.bytes);
        self.put_hashed(file, hash)
    }
    /// Keep the previous site's `path` as it is, if it is known to hold
    /// bytes hashing to `hash` (see `output::stamps`); false when it is not,
    /// and the file must be made.
    fn keep(&self, path: &str, hash: crate::cache::Key) -> io::Result<bool> {
        let _ = (path, hash);
        Ok(false)
    }
    /// Write the file at `path` whose bytes are `parts` joined, hashing
    /// to `hash` ([`crate::cache::parts_hash`]): a large data file made of
    /// cached blocks, never joined in memory.
    fn put_parts(&self, path: &str, parts: &[Arc<String>], hash: Key) -> io::Result<()>;
}

/// A last change to every rendered HTML page before it is written (serve
/// adds its reload script this way); see [`edited`].
pub type Edit = dyn Fn(&mut OutputFile) + Sync;

/// Templates as `(file name, source)` pairs, read by the loader.
pub type Templates = Vec<(String, String)>;

/// The project's templates, compiled, and a hash of their sources (what a
/// cached page's key starts from).
pub struct Compiled {
    tera: Tera,
    key: Key,
}

/// [`compile`]; in a process that builds again, the last build's while
/// no template changed.
pub fn compile_kept(
    templates: &Templates,
    cache: &Cache,
) -> Result<Arc<Compiled>, Vec<Diagnostic>> {
    let mut key = KeyHasher::new("templates");
    for (name, source) in templates {
        key.str(name).str(source);
    }
    let key = key.finish();
    cache.try_stage("templates", key, |_| {}, || compile(templates, key))
}

/// Build the Tera instance from the project's templates (`key` hashes them).
fn compile(templates: &Templates, key: Key) -> Result<Compiled, Vec<Diagnostic>> {
    let mut tera = Tera::new();
    tera.add_raw_templates(templates.iter().map(|(n, s)| (n.as_str(), s.as_str())))
        .map_err(|e| vec![tera_diag(&e)])?;
    for required in [
        "index.html",
        "topic.html",
        "source.html",
        "sources.html",
        "page.html",
        "timeline.html",
        "search.html",
        "404.html",
    ] {
        if !tera.contains_template(required) {
            return Err(vec![Diagnostic::error(
                Path::new("templates").join(required),
                "required template is missing",
            )]);
        }
    }
    Ok(Compiled { tera, key })
}

/// Every output path and what produced it. Two producers of one path fail
/// the build, naming both, instead of one silently replacing the other.
pub struct Claims(Mutex<HashMap<String, String>>);

impl Claims {
    /// Start with `taken`: `(output path, what writes it)`, e.g. static files.
    pub fn new(taken: impl IntoIterator<Item = (String, String)>) -> Self {
        Self(Mutex::new(taken.into_iter().collect()))
    }

    fn claim(&self, path: &str, owner: &str) -> Result<(), Diagnostic> {
        let mut map = self
            .0
            .lock()
            .map_err(|_| Diagnostic::error(path, "a render thread panicked"))?;
        match map.get(path) {
            Some(first) => Err(Diagnostic::error(
                first,
                format!("writes /{path}, which {owner} also writes"),
            )
            .with_hint("rename or move one of the two")),
            None => {
                map.insert(path.to_string(), owner.to_string());
                Ok(())
            }
        }
    }
}

/// Where each generated or authored page's data is, by route.
struct Positions<'s> {
    lists: view::SourceLists<'s>,
    topics: HashMap<&'s str, usize>,
    sources: HashMap<&'s str, usize>,
    pages: HashMap<&'s str, usize>,
}

impl<'s> Positions<'s> {
    fn new(site: &'s Site) -> Self {
        let index =
            |keys: Vec<&'s str>| keys.into_iter().enumerate().map(|(i, k)| (k, i)).collect();
        Self {
            lists: view::SourceLists::new(site),
            topics: index(site.topics.iter().map(|t| t.meta.slug.as_str()).collect()),
            sources: index(
                site.corpus
                    .sources
                    .iter()
                    .map(|s| s.meta.id.as_str())
                    .collect(),
            ),
            pages: index(
                site.pages
                    .iter()
                    .map(|p| p.meta.url_path.as_str())
                    .collect(),
            ),
        }
    }
}

/// Every HTML page of the site, from the route table plus authored pages.
fn jobs<'s>(site: &'s Site, at: &Positions<'s>) -> Vec<Route<'s>> {
    let slugs: Vec<&str> = site.topics.iter().map(|t| t.meta.slug.as_str()).collect();
    let ids = site.corpus.ids();
    let mut routes = crate::urls::generated(&slugs, &ids);
    if site.commitments.is_empty() {
        routes.retain(|r| *r != Route::Tracker);
    }
    routes.extend(view::source_lists(site, &at.lists));
    routes.extend(site.pages.iter().map(|p| Route::Page(&p.meta.url_path)));
    routes
}

/// The file a page comes from, for collision messages.
fn owner(route: Route<'_>, site: &Site, at: &Positions<'_>) -> String {
    let path = |p: &std::path::Path| p.display().to_string();
    match route {
        Route::Home => "content/_index.md".into(),
        Route::Topic(slug) => at
            .topics
            .get(slug)
            .map_or_else(String::new, |&i| path(&site.topics[i].path)),
        Route::Source(id) => at
            .sources
            .get(id)
            .map_or_else(String::new, |&i| path(&site.corpus.sources[i].path)),
        Route::Page(url) => at
            .pages
            .get(url)
            .map_or_else(String::new, |&i| path(&site.pages[i].path)),
        other => format!("the generated {}", other.file()),
    }
}

/// Render one page: its template and context by route, to its route's file.
fn render_page(
    route: Route<'_>,
    site: &Site,
    tera: &Tera,
    at: &Positions<'_>,
) -> Result<OutputFile, tera::Error> {
    let missing = || tera::Error::message(format!("no page data for {route:?}"));
    let (template, ctx) = match route {
        Route::Home => ("index.html", view::home(site)),
        Route::Topic(slug) => {
            let &i = at.topics.get(slug).ok_or_else(missing)?;
            ("topic.html", view::topic(site, &site.topics[i]))
        }
        Route::Sources => ("sources.html", view::sources(site, &at.lists, None, 1)),
        Route::SourcesList(topic, n) => ("sources.html", view::sources(site, &at.lists, topic, n)),
        Route::Source(id) => {
            let &i = at.sources.get(id).ok_or_else(missing)?;
            ("source.html", view::source(site, i))
        }
        Route::Page(url) => {
            let &i = at.pages.get(url).ok_or_else(missing)?;
            ("page.html", view::page(site, &site.pages[i]))
        }
        Route::Timeline => ("timeline.html", view::timeline(site, None)),
        Route::TimelineTopic(slug) => {
            let &i = at.topics.get(slug).ok_or_else(missing)?;
            ("timeline.html", view::timeline(site, Some(&site.topics[i])))
        }
        Route::Search => ("search.html", view::search(site)),
        Route::Tracker => ("tracker.html", view::tracker(site)),
        Route::NotFound => ("404.html", view::not_found(site)),
        _ => return Err(missing()),
    };
    let html = tera.render(template, &ctx?)?;
    Ok(OutputFile {
        path: route.file(),
        bytes: html.into_bytes(),
    })
}

/// Render every page and data file of `site` into `sink`, each passed
/// through `edit` first. Pages are independent, so they render (and are
/// written) in parallel.
pub fn render(
    site: &Site,
    templates: &Compiled,
    sink: &dyn Sink,
    edit: Option<&Edit>,
    claims: &Claims,
    cache: &Cache,
) -> Result<(), Vec<Diagnostic>> {
    let at = Positions::new(site);
    let jobs = jobs(site, &at);
    let keys = memo::Keys::new(site, templates.key, edit.is_some());
    let memo = memo::Memo {
        cache,
        sink,
        edit,
        claims,
    };
    let data = || data_files(site, &memo, &keys, cache);
    let page = |route: Route<'_>| {
        let owner = owner(route, site, &at);
        let make = || render_page(route, site, &templates.tera, &at).map_err(|e| tera_diag(&e));
        match keys.page(route, site, &at.sources, &at.pages, &at.lists) {
            // A page whose inputs are unchanged is the live site's file.
            Some(key) => memo.file(&route.file(), key, &owner, make),
            None => memo.put(&owner, make()?),
        }
    };
    let (data, pages) = rayon::join(data, || {
        jobs.par_iter().map(|&r| page(r)).collect::<Vec<_>>()
    });
    let mut errors: Vec<Diagnostic> = pages
        .into_iter()
        .chain(data)
        .filter_map(Result::err)
        .collect();
    if errors.is_empty() {
        return Ok(());
    }
    // One broken template fails every page that uses it; say it once.
    let mut seen = std::collections::HashSet::new();
    errors.retain(|d| seen.insert(d.to_string()));
    Err(errors)
}

/// Every file but the HTML pages: feeds, `sources.json`, the timeline's
/// data, the search index; each kept, where it can be, while what it is
/// made from is unchanged.
fn data_files(
    site: &Site,
    memo: &memo::Memo<'_>,
    keys: &memo::Keys,
    cache: &Cache,
) -> Vec<Result<(), Diagnostic>> {
    // The timeline files start first, on this thread, and the rest do not
    // wait for them: at 10,000 articles `timeline.json` is 26 MB, made
    // again from its entries when one changed, then hashed and written.
    let timeline = || {
        data::TIMELINE_FILES
            .into_par_iter()
            .map(|r| {
                let (path, owner) = (r.file(), "the generated timeline data");
                let kept = || data::keep_timeline_entries(site, r, &keys.events, cache);
                memo.file_of_parts(&path, keys.timeline(&path), owner, kept, || {
                    Ok(data::timeline_file(site, r, &keys.events, cache))
                })
            })
            .collect::<Vec<_>>()
    };
    let (timeline, (mut done, search)) = rayon::join(timeline, || {
        rayon::join(
            || other_data_files(site, memo, cache),
            || search_files(site, memo, cache),
        )
    });
    done.extend(timeline);
    done.extend(search);
    done
}

/// The data files besides the timeline's and the search index.
fn other_data_files(
    site: &Site,
    memo: &memo::Memo<'_>,
    cache: &Cache,
) -> Vec<Result<(), Diagnostic>> {
    let mut files = data::files(site);
    files.extend(feeds::files(site));
    let mut done: Vec<_> = files
        .into_par_iter()
        .map(|f| memo.put(&format!("the generated {}", f.path), f))
        .collect();
    let entry_keys = data::source_entry_keys(site);
    done.push(memo.file_of_parts(
        &Route::SourcesJson.file(),
        data::sources_key(&entry_keys),
        "the generated sources.json",
        || entry_keys.iter().for_each(|&k| cache.touch(k)),
        || Ok(data::sources_file(site, &entry_keys, cache)),
    ));
    done
}

/// The search index's files, each put as it is made; a document's file is
/// kept while its document is unchanged.
fn search_files(site: &Site, memo: &memo::Memo<'_>, cache: &Cache) -> Vec<Result<(), Diagnostic>> {
    let docs = search::Docs::new(site);
    let owner = "the generated search index";
    let mut done: Vec<_> = search::index_files(&docs, cache)
        .into_par_iter()
        .map(|f| memo.put(owner, f))
        .collect();
    done.par_extend((0..docs.len()).into_par_iter().map(|n| {
        let path = format!("{}/d/{n}.json", search::DIR);
        memo.file(&path, docs.file_key(n), owner, || Ok(docs.doc(n).file(n)))
    }));
    done
}

/// A Tera error as a diagnostic on `templates/<name>:line:col`.
fn tera_diag(e: &tera::Error) -> Diagnostic {
    match e.kind() {
        ErrorKind::SyntaxError(r) | ErrorKind::RenderingError(r) => {
            let span = r.span();
            Diagnostic::error(
                Path::new("templates").join(r.filename()),
                r.message().to_string(),
            )
            .at(span.start_line, span.start_col + 1)
        }
        ErrorKind::MissingParent { current, parent } => Diagnostic::error(
            Path::new("templates").join(current),
            format!("extends {parent:?}, which does not exist"),
        ),
        other => Diagnostic::error("templates", other.to_string()),
    }
}
