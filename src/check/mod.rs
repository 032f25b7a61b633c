//! Checking a built site: every internal link and `#fragment` resolves,
//! nothing leaves the base path, nothing loads from another origin.
//!
//! Works on the written files, as a reader's browser would meet them (HTML
//! tokenized per WHATWG, stylesheets scanned for `url()` and `@import`,
//! links resolved and percent-decoded), so it also catches links written by
//! hand in templates or `static/`. `--external` asks outside hosts too.

use std::collections::{HashMap, HashSet};
use std::fs;
use std::path::{Path, PathBuf};
use walkdir::WalkDir;

/// One broken thing, on one page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Output-relative path of the page.
    pub page: String,
    pub message: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.page, self.message)
    }
}

mod resolve;
mod scan;

use resolve::Target;
use scan::Use;

/// Check the site in `root`, served under `base_path` (`/` or `/x/`).
pub fn check_site(root: &Path, base_path: &str) -> Vec<Problem> {
    let files: Vec<PathBuf> = WalkDir::new(root)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| {
            e.path()
                .extension()
                .is_some_and(|x| x == "html" || x == "css")
        })
        .map(|e| e.into_path())
        .collect();
    let (ids, scanned, mut problems) = scan_all(root, &files);
    let built = Built {
        root,
        base: base_path,
        ids: &ids,
    };
    for (page, refs) in &scanned {
        for r in refs {
            if let Some(msg) = built.check_ref(page, r) {
                problems.push(Problem {
                    page: rel(root, page),
                    message: msg,
                });
            }
        }
    }
    for (file, required) in [
        ("sitemap.xml", &["urlset", "loc"][..]),
        ("atom.xml", &["feed", "title", "id", "updated", "entry"][..]),
    ] {
        if let Some(p) = check_xml(&root.join(file), required) {
            problems.push(Problem {
                page: file.to_string(),
                message: p,
            });
        }
    }
    problems
}

/// Element ids per page, each file's references, and duplicate ids found.
type Scanned = (
    HashMap<PathBuf, HashSet<String>>,
    Vec<(PathBuf, Vec<scan::Ref>)>,
    Vec<Problem>,
);

fn scan_all(root: &Path, files: &[PathBuf]) -> Scanned {
    let mut ids: HashMap<PathBuf, HashSet<String>> = HashMap::new();
    let mut scanned = Vec::new();
    let mut problems = Vec::new();
    for p in files {
        let text = fs::read_to_string(p).unwrap_or_default();
        let page = if p.extension().is_some_and(|x| x == "css") {
            scan::Page {
                ids: Vec::new(),
                refs: scan::css(&text, "stylesheet"),
            }
        } else {
            scan::html(&text)
        };
        let mut seen = HashSet::new();
        for id in &page.ids {
            if !seen.insert(id.clone()) {
                problems.push(Problem {
                    page: rel(root, p),
                    message: format!("duplicate id \"{id}\""),
                });
            }
        }
        ids.insert(normalise(p), seen);
        scanned.push((p.clone(), page.refs));
    }
    (ids, scanned, problems)
}

/// Parse an XML file fully; report the first error or a missing element.
fn check_xml(path: &Path, required: &[&str]) -> Option<String> {
    let text = match fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) => return Some(format!("cannot read: {e}")),
    };
    let mut reader = quick_xml::Reader::from_str(&text);
    let mut seen: HashSet<String> = HashSet::new();
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Start(e)) => {
                seen.insert(e.local_name().as_ref().to_string());
            }
            Ok(quick_xml::events::Event::Eof) => break,
            Ok(_) => {}
            Err(e) => {
                return Some(format!(
                    "not well-formed XML at byte {}: {e}",
                    reader.error_position()
                ));
            }
        }
    }
    required
        .iter()
        .find(|r| !seen.contains(**r))
        .map(|r| format!("missing <{r}> element"))
}

fn rel(root: &Path, p: &Path) -> String {
    p.strip_prefix(root)
        .unwrap_or(p)
        .to_string_lossy()
        .replace('\\', "/")
}

/// The written site, as links are resolved against it.
struct Built<'a> {
    root: &'a Path,
    /// `/` or `/prefix/`.
    base: &'a str,
    /// Every page's element ids.
    ids: &'a HashMap<PathBuf, HashSet<String>>,
}

impl Built<'_> {
    /// What is wrong with reference `r` on `page`, if anything.
    fn check_ref(&self, page: &Path, r: &scan::Ref) -> Option<String> {
        let url = &r.url;
        let page_url = format!("{}{}", self.base, rel(self.root, page));
        match resolve::resolve(&page_url, url, self.base) {
            // Following a link away is the reader's choice; loading is not.
            Target::Elsewhere => (r.use_ == Use::Load)
                .then(|| format!("loads {url} from another origin ({})", r.what)),
            Target::NotALocation => None,
            Target::Script => Some(format!("javascript: URL {url:?} in {}", r.what)),
            Target::LeavesSite(path) => Some(format!(
                "link {url} resolves to {path}, outside the site's base path {} ({})",
                self.base, r.what
            )),
            Target::Site { path, fragment } => self.check_file(url, &path, fragment.as_deref()),
        }
    }

    /// Does the site have the file at `path` (and the element `fragment` on it)?
    fn check_file(&self, url: &str, path: &str, fragment: Option<&str>) -> Option<String> {
        let target = self.root.join(path);
        let file = if path.is_empty() || path.ends_with('/') || target.is_dir() {
            target.join("index.html")
        } else {
            target
        };
        if !file.is_file() {
            return Some(format!("broken link {url}"));
        }
        match fragment {
            Some(f) if !f.is_empty() && file.extension().is_some_and(|x| x == "html") => {
                let known = self
                    .ids
                    .get(&normalise(&file))
                    .is_some_and(|s| s.contains(f));
                (!known).then(|| format!("broken anchor {url}"))
            }
            _ => None,
        }
    }
}

fn normalise(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            c => out.push(c),
        }
    }
    out
}

/// Request every outside URL the site links to (`--external`). Off by
/// default: the site must build and check offline. Each problem names the
/// pages that link to the URL.
#[cfg(feature = "external")]
pub fn check_external(root: &Path) -> Vec<Problem> {
    let mut by_url: std::collections::BTreeMap<String, Vec<String>> =
        std::collections::BTreeMap::new();
    for e in WalkDir::new(root)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
    {
        let text = fs::read_to_string(e.path()).unwrap_or_default();
        for r in scan::html(&text).refs {
            let url = r.url;
            if url.starts_with("http://") || url.starts_with("https://") {
                let pages = by_url
                    .entry(url.split('#').next().unwrap_or(&url).to_string())
                    .or_default();
                let page = rel(root, e.path());
                if !pages.contains(&page) {
                    pages.push(page);
                }
            }
        }
    }
    let urls: Vec<(String, Vec<String>)> = by_url.into_iter().collect();
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(std::time::Duration::from_secs(15)))
        .http_status_as_error(false)
        .build()
        .into();
    let mut problems = Vec::new();
    // A few requests at a time: polite to hosts, quick enough for a site's links.
    for chunk in urls.chunks(8) {
        let results: Vec<Option<String>> = std::thread::scope(|s| {
            let handles: Vec<_> = chunk
                .iter()
                .map(|(url, _)| s.spawn(|| probe(&agent, url)))
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().unwrap_or(Some("checker thread failed".into())))
                .collect()
        });
        for ((url, pages), result) in chunk.iter().zip(results) {
            if let Some(msg) = result {
                for page in pages {
                    problems.push(Problem {
                        page: page.clone(),
                        message: format!("outside link {url}: {msg}"),
                    });
                }
            }
        }
    }
    problems
}

#[cfg(feature = "external")]
fn probe(agent: &ureq::Agent, url: &str) -> Option<String> {
    let status = match agent.head(url).call() {
        // Some servers refuse HEAD; ask again with GET before calling the link broken.
        Ok(r) if r.status().as_u16() == 405 || r.status().as_u16() == 501 => {
            agent.get(url).call().map(|r| r.status().as_u16())
        }
        Ok(r) => Ok(r.status().as_u16()),
        Err(e) => Err(e),
    };
    match status {
        Ok(code) if code < 400 => None,
        Ok(code) => Some(format!("HTTP {code}")),
        Err(e) => Some(e.to_string()),
    }
}

/// Without the `external` feature there is no HTTP client: say how to get one.
#[cfg(not(feature = "external"))]
pub fn check_external(_root: &Path) -> Vec<Problem> {
    vec![Problem {
        page: "--external".into(),
        message: "this dossier was built without the network link checker; rebuild it with `cargo build --release --features external`".into(),
    }]
}
