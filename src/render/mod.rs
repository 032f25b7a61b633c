//! Rendering the assembled site to output files, through Tera templates.
//!
//! The only user of Tera. Templates are the project's own `templates/*.html`
//! (autoescape on); every value they get is a borrowed view from `view.rs`,
//! so templates hold layout, not logic. Errors name template, line and column.

pub mod data;
pub mod feeds;
pub mod search;
pub mod view;

use std::collections::HashMap;
use std::io;
use std::path::Path;
use std::sync::Mutex;

use rayon::prelude::*;
use tera::{ErrorKind, Tera};

use crate::diag::Diagnostic;
use crate::site::Site;

/// One file of the built site.
#[derive(Debug, Clone)]
pub struct OutputFile {
    /// Relative to the output root, `/`-separated, e.g. `topics/soybeans/index.html`.
    pub path: String,
    pub bytes: Vec<u8>,
}

/// Where rendered files go. Called from several threads at once.
pub trait Sink: Sync {
    fn put(&self, file: OutputFile) -> io::Result<()>;
    /// A large file (the search index) written as `fill` produces it,
    /// never held whole in memory.
    fn put_stream(&self, path: &str, fill: &mut Fill<'_>) -> io::Result<()>;
}

/// Writes a streamed file's bytes.
pub type Fill<'a> = dyn FnMut(&mut dyn io::Write) -> io::Result<()> + 'a;

/// A last change to every rendered file before it is written (serve adds
/// its reload script this way).
pub type Edit = dyn Fn(&mut OutputFile) + Sync;

/// Templates as `(file name, source)` pairs, read by the loader.
pub type Templates = Vec<(String, String)>;

/// Build the Tera instance from the project's templates.
pub fn compile(templates: &Templates) -> Result<Tera, Vec<Diagnostic>> {
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
    Ok(tera)
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

/// One HTML page to render: what it shows.
enum Job {
    Home,
    Topic(usize),
    Sources,
    Source(usize),
    Page(usize),
    Timeline(Option<usize>),
    Search,
    NotFound,
}

impl Job {
    /// The file a page comes from, for collision messages.
    fn owner(&self, site: &Site) -> String {
        match *self {
            Job::Home => "content/_index.md".into(),
            Job::Topic(i) => site.topics[i].path.display().to_string(),
            Job::Source(i) => site.corpus.sources[i].path.display().to_string(),
            Job::Page(i) => site.pages[i].path.display().to_string(),
            Job::Timeline(_) => "the generated timeline".into(),
            Job::Sources => "the generated sources index".into(),
            Job::Search => "the generated search page".into(),
            Job::NotFound => "the generated 404 page".into(),
        }
    }

    /// Output path, template and context of the page.
    fn render(&self, site: &Site, tera: &Tera) -> Result<OutputFile, tera::Error> {
        let (path, template, ctx) = match *self {
            Job::Home => ("index.html".into(), "index.html", view::home(site)),
            Job::Topic(i) => {
                let t = &site.topics[i];
                let path = format!("topics/{}/index.html", t.meta.slug);
                (path, "topic.html", view::topic(site, t))
            }
            Job::Sources => (
                "sources/index.html".into(),
                "sources.html",
                view::sources(site),
            ),
            Job::Source(i) => {
                let id = &site.corpus.sources[i].meta.id;
                let path = format!("sources/{id}/index.html");
                (path, "source.html", view::source(site, i))
            }
            Job::Page(i) => {
                let p = &site.pages[i];
                let path = format!("{}index.html", p.meta.url_path);
                (path, "page.html", view::page(site, p))
            }
            Job::Timeline(None) => (
                "timeline/index.html".into(),
                "timeline.html",
                view::timeline(site, None),
            ),
            Job::Timeline(Some(i)) => {
                let t = &site.topics[i];
                let path = format!("timeline/{}/index.html", t.meta.slug);
                (path, "timeline.html", view::timeline(site, Some(t)))
            }
            Job::Search => (
                "search/index.html".into(),
                "search.html",
                view::search(site),
            ),
            Job::NotFound => ("404.html".into(), "404.html", view::not_found(site)),
        };
        let html = tera.render(template, &ctx?)?;
        Ok(OutputFile {
            path,
            bytes: html.into_bytes(),
        })
    }
}

/// Render every page and data file of `site` into `sink`, each passed
/// through `edit` first. Pages are independent, so they render (and are
/// written) in parallel.
pub fn render(
    site: &Site,
    tera: &Tera,
    sink: &dyn Sink,
    edit: Option<&Edit>,
    claims: &Claims,
) -> Result<(), Vec<Diagnostic>> {
    let topics = 0..site.topics.len();
    let jobs: Vec<Job> = std::iter::once(Job::Home)
        .chain(topics.clone().map(Job::Topic))
        .chain([Job::Sources])
        .chain((0..site.corpus.sources.len()).map(Job::Source))
        .chain((0..site.pages.len()).map(Job::Page))
        .chain([Job::Timeline(None)])
        .chain(topics.map(|i| Job::Timeline(Some(i))))
        .chain([Job::Search, Job::NotFound])
        .collect();
    let cannot_write =
        |path: &str, e: io::Error| Diagnostic::error(path, format!("cannot write: {e}"));
    let put = |owner: &str, mut f: OutputFile| {
        claims.claim(&f.path, owner)?;
        if let Some(edit) = edit {
            edit(&mut f);
        }
        let path = f.path.clone();
        sink.put(f).map_err(|e| cannot_write(&path, e))
    };
    let data = || {
        let mut files = data::files(site);
        files.extend(feeds::files(site));
        let mut done: Vec<_> = files
            .into_par_iter()
            .map(|f| put(&format!("the generated {}", f.path), f))
            .collect();
        done.push(
            claims
                .claim(search::PATH, "the generated search index")
                .and_then(|()| {
                    sink.put_stream(search::PATH, &mut |w| search::write(site, w))
                        .map_err(|e| cannot_write(search::PATH, e))
                }),
        );
        done
    };
    let pages = || {
        jobs.par_iter()
            .map(|j| {
                j.render(site, tera)
                    .map_err(|e| tera_diag(&e))
                    .and_then(|f| put(&j.owner(site), f))
            })
            .collect::<Vec<_>>()
    };
    let (data, pages) = rayon::join(data, pages);
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
