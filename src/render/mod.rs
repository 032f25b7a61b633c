//! Rendering the assembled site to output files, through Tera templates.
//!
//! The only user of Tera. Templates are the project's own `templates/*.html`
//! (autoescape on); every value they get is a borrowed view from `view.rs`,
//! so templates hold layout, not logic. Errors name template, line and column.

pub mod data;
pub mod feeds;
pub mod search;
pub mod view;

use std::path::Path;

use tera::{Context, ErrorKind, Tera};

use crate::diag::Diagnostic;
use crate::site::Site;

/// One file of the built site.
#[derive(Debug, Clone)]
pub struct OutputFile {
    /// Relative to the output root, `/`-separated, e.g. `topics/soybeans/index.html`.
    pub path: String,
    pub bytes: Vec<u8>,
}

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

/// Render every page and data file of `site`.
pub fn render(site: &Site, tera: &Tera) -> Result<Vec<OutputFile>, Vec<Diagnostic>> {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    let mut page = |path: String, template: &str, ctx: Result<Context, tera::Error>| match ctx
        .and_then(|c| tera.render(template, &c))
    {
        Ok(html) => files.push(OutputFile {
            path,
            bytes: html.into_bytes(),
        }),
        Err(e) => errors.push(tera_diag(&e)),
    };
    page("index.html".into(), "index.html", view::home(site));
    for t in &site.topics {
        page(
            format!("topics/{}/index.html", t.meta.slug),
            "topic.html",
            view::topic(site, t),
        );
    }
    page(
        "sources/index.html".into(),
        "sources.html",
        view::sources(site),
    );
    for (i, s) in site.corpus.sources.iter().enumerate() {
        page(
            format!("sources/{}/index.html", s.meta.id),
            "source.html",
            view::source(site, i),
        );
    }
    for p in &site.pages {
        page(
            format!("{}index.html", p.meta.url_path),
            "page.html",
            view::page(site, p),
        );
    }
    page(
        "timeline/index.html".into(),
        "timeline.html",
        view::timeline(site, None),
    );
    for t in &site.topics {
        page(
            format!("timeline/{}/index.html", t.meta.slug),
            "timeline.html",
            view::timeline(site, Some(t)),
        );
    }
    page(
        "search/index.html".into(),
        "search.html",
        view::search(site),
    );
    page("404.html".into(), "404.html", view::not_found(site));
    if !errors.is_empty() {
        return Err(errors);
    }
    files.extend(data::files(site));
    files.extend(feeds::files(site));
    files.push(search::file(site));
    Ok(files)
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
