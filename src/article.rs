//! One authored document rendered with its citations verified.
//!
//! Glue between `markdown` (which knows nothing of sources) and `cite`
//! (which knows nothing of HTML): each citation is resolved, numbered per
//! page, and turned into a link to the exact sentence on the source page.

use crate::cite::{CiteRef, Verifier};
use crate::content::Doc;
use crate::diag::Diagnostic;
use crate::markdown::{self, Heading, escape};
use crate::refs::Cited;
use crate::seeds::Corpus;
use crate::urls::{Route, Urls};

/// A rendered document: HTML, outline and its numbered references.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct Article {
    pub html: String,
    /// The visible text, without citation markers or code blocks.
    pub text: String,
    /// That text by section and block: what search indexes.
    pub sections: Vec<crate::markdown::Section>,
    pub headings: Vec<Heading>,
    pub has_code: bool,
    /// Distinct citations in order of first use; reference `n` is index `n-1`.
    pub references: Vec<Cited>,
    /// The HTML between citation markers (one more piece than `cites`), so
    /// that a page showing this text among others can number the markers
    /// in its own sequence.
    pieces: Vec<String>,
    /// Each marker's citation, in order of appearance.
    cites: Vec<Cited>,
    /// Each quoting citation with the words it quotes, for the source
    /// page to mark them.
    pub quotes: Vec<(Cited, String)>,
    /// Dates the prose states right before a citation: the citation should
    /// give them (see `timeline::support::prose_warnings`).
    pub dated_cites: Vec<DatedCite>,
    /// A hash of all it was made from: its text and settings, and what it
    /// read of each source it cites (see `documents`); 0 when not known.
    #[serde(skip)]
    pub key: crate::cache::Key,
}

/// "On October 30 they met [@x: …]": a date in the prose a citation backs.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct DatedCite {
    pub cited: Cited,
    /// 1-based line of the file.
    pub line: usize,
    /// The date's words in the prose.
    pub phrase: String,
    pub date: crate::dates::PartialDate,
}

/// The prose a citation at `offset` backs: back to the end of the previous
/// sentence or citation.
fn clause_before(body: &str, offset: usize) -> &str {
    let before = &body[..offset];
    let start = [". ", "? ", "! ", "]", "\n"]
        .iter()
        .filter_map(|m| before.rfind(m).map(|i| i + m.len()))
        .max()
        .unwrap_or(0);
    &before[start..]
}

/// The dates stated in the prose before the citation `c` at `offset`,
/// read as the cited source would date them.
fn prose_dates(
    body: &str,
    offset: usize,
    c: Cited,
    corpus: &Corpus,
) -> Vec<(String, crate::dates::PartialDate)> {
    let prose = clause_before(body, offset);
    let reference = crate::timeline::extract::reference_date(&corpus.sources[c.source()]);
    crate::timeline::extract::find(prose, reference)
        .into_iter()
        .map(|f| (prose.get(f.at).unwrap_or("").to_string(), f.date))
        .collect()
}

/// Where a citation marker stands while the text is rendered: a
/// private-use character, which authored text cannot hold (see `render`).
const MARK: char = '\u{E000}';

impl Article {
    /// The corpus positions of the sources its citations rest on: all it
    /// read of the corpus.
    pub fn cited_sources(&self) -> impl Iterator<Item = usize> + '_ {
        self.cites.iter().map(|c| c.source())
    }

    /// The HTML with its markers numbered in `refs`, the references of the
    /// page it appears on: a citation already there keeps its number, a new
    /// one is appended.
    ///
    /// Markers are set as footnotes are: hugging the word before them (a
    /// word joiner keeps them from wrapping alone), after the punctuation
    /// that followed them in the source, and one marker for a sentence
    /// cited twice in a row.
    pub fn numbered_html(&self, refs: &mut Vec<Cited>, corpus: &Corpus, urls: &Urls) -> String {
        let mut html = String::with_capacity(self.html.len() + 16 * self.cites.len());
        let mut text: &str = self.pieces.first().map_or("", String::as_str);
        let mut i = 0;
        while i < self.cites.len() {
            // A run of markers with only spaces between them.
            let mut j = i + 1;
            while j < self.cites.len() && self.pieces[j].trim().is_empty() {
                j += 1;
            }
            let after = self.pieces.get(j).map_or("", String::as_str);
            let trimmed = after.trim_start();
            let punct = trimmed
                .find(|c: char| !matches!(c, '.' | ',' | ';' | ':' | '!' | '?'))
                .unwrap_or(trimmed.len());
            html.push_str(text.trim_end());
            html.push_str(&trimmed[..punct]);
            html.push('\u{2060}');
            let mut run: Vec<Cited> = Vec::new();
            for &c in &self.cites[i..j] {
                if !run.contains(&c) {
                    run.push(c);
                    html.push_str(&marker(refs, c, corpus, urls));
                }
            }
            text = if punct > 0 { &trimmed[punct..] } else { after };
            i = j;
        }
        html.push_str(text);
        html
    }
}

/// URL of a cited sentence (or of the source page for a whole-source citation).
pub fn citation_url(urls: &Urls, corpus: &Corpus, c: Cited) -> String {
    let id = &corpus.sources[c.source()].meta.id;
    match c.sentence() {
        Some(r) => urls.sentence(id, r),
        None => urls.of(Route::Source(id)),
    }
}

/// What a citation quotes: the sentence, or the source's title.
pub fn cited_text(corpus: &Corpus, c: Cited) -> std::borrow::Cow<'_, str> {
    match c.sentence() {
        Some(r) => corpus.text(r).into(),
        None => corpus.sources[c.source()].display_title().into(),
    }
}

/// Render `doc`'s body, verifying every citation. All citation errors of the
/// document are returned together.
pub fn render(
    doc: &Doc,
    verifier: &Verifier<'_>,
    urls: &Urls,
    allow_html: bool,
) -> Result<Article, Vec<Diagnostic>> {
    let mut cites: Vec<Cited> = Vec::new();
    let mut quotes: Vec<(Cited, String)> = Vec::new();
    let mut dated_cites: Vec<DatedCite> = Vec::new();
    let mut errors = Vec::new();
    let at = |offset: usize, d: Diagnostic| {
        let (line, col) = crate::diag::line_col(&doc.body, offset);
        d.at(line + doc.body_line - 1, col)
    };
    let mut on_cite = |c: &CiteRef<'_>, offset: usize| -> String {
        match verifier.resolve(c) {
            Ok(r) => {
                cites.push(r);
                if let Some(q) = c.quote {
                    quotes.push((r, q.to_string()));
                }
                let line = crate::diag::line_col(&doc.body, offset).0 + doc.body_line - 1;
                for (phrase, date) in prose_dates(&doc.body, offset, r, verifier.corpus()) {
                    dated_cites.push(DatedCite {
                        cited: r,
                        line,
                        phrase,
                        date,
                    });
                }
                MARK.to_string()
            }
            Err(e) => {
                let d = Diagnostic::error(&doc.path, e.message).with_hint(e.hint);
                errors.push(at(offset, d));
                String::new()
            }
        }
    };
    // The marker character is reserved: in authored text it would be read
    // as a citation's place.
    let body = doc.body.replace(MARK, "\u{FFFD}");
    let r = markdown::render(&body, &mut on_cite, allow_html);
    errors.extend(markdown_errors(doc, &r));
    if !errors.is_empty() {
        return Err(errors);
    }
    let cited = Cites {
        cites,
        quotes,
        dated_cites,
    };
    Ok(numbered(assemble(r, cited), verifier.corpus(), urls))
}

/// What the citations of one text resolved to.
struct Cites {
    cites: Vec<Cited>,
    quotes: Vec<(Cited, String)>,
    dated_cites: Vec<DatedCite>,
}

fn assemble(r: markdown::Markdown, c: Cites) -> Article {
    Article {
        html: String::new(),
        text: r.text,
        sections: r.sections,
        headings: r.headings,
        has_code: r.has_code,
        references: Vec::new(),
        pieces: r.html.split(MARK).map(str::to_string).collect(),
        cites: c.cites,
        quotes: c.quotes,
        dated_cites: c.dated_cites,
        key: 0,
    }
}

/// `article` with its HTML and references numbered on their own.
fn numbered(mut article: Article, corpus: &Corpus, urls: &Urls) -> Article {
    let mut references = Vec::new();
    article.html = article.numbered_html(&mut references, corpus, urls);
    article.references = references;
    article
}

/// Structure problems and script links of a rendered document, located.
fn markdown_errors(doc: &Doc, r: &markdown::Markdown) -> Vec<Diagnostic> {
    let at = |offset: usize, d: Diagnostic| {
        let (line, col) = crate::diag::line_col(&doc.body, offset);
        d.at(line + doc.body_line - 1, col)
    };
    let problems = r.problems.iter().map(|p| {
        at(
            p.at,
            Diagnostic::error(&doc.path, p.message.clone()).with_hint(p.hint.clone()),
        )
    });
    let scripts = r.unsafe_urls.iter().map(|(offset, url)| {
        let d = Diagnostic::error(
            &doc.path,
            format!("link to {url:?}, which would run script"),
        )
        .with_hint("link to a page or a web address (https://…)");
        at(*offset, d)
    });
    problems.chain(scripts).collect()
}

/// The numbered marker for citation `r`: numbers follow first use on the
/// page, and citing the same thing again reuses its number.
fn marker(references: &mut Vec<Cited>, r: Cited, corpus: &Corpus, urls: &Urls) -> String {
    let n = match references.iter().position(|x| *x == r) {
        Some(i) => i + 1,
        None => {
            references.push(r);
            references.len()
        }
    };
    // Paper cannot follow a link: print says where it points.
    let source = &corpus.sources[r.source()];
    let place = match r.sentence() {
        Some(s) => format!(
            "{} ¶{}.{}",
            source.short_name(),
            s.paragraph + 1,
            s.sentence + 1
        ),
        None => source.short_name(),
    };
    format!(
        "<sup class=\"cite\"><a href=\"{}\" title=\"{}\" aria-label=\"Source {n}\" data-print=\"{}\">[{n}]</a></sup>",
        escape(&citation_url(urls, corpus, r)),
        escape(&cited_text(corpus, r)),
        escape(&place)
    )
}
