//! `SiteTest`: a copy of the real project in a temp dir, and the real binary.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use scraper::{Html, Selector};

pub struct SiteTest {
    pub dir: tempfile::TempDir,
}

pub struct Run {
    pub output: Output,
}

impl Run {
    pub fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.output.stderr).into_owned()
    }
    pub fn ok(&self) -> bool {
        self.output.status.success()
    }
    #[track_caller]
    pub fn assert_ok(&self) -> &Self {
        assert!(
            self.ok(),
            "expected success, got {:?}\n{}",
            self.output.status,
            self.stderr()
        );
        self
    }
    #[track_caller]
    pub fn assert_fails_with(&self, needle: &str) -> &Self {
        assert!(
            !self.ok(),
            "expected failure, got success\n{}",
            self.stderr()
        );
        assert_eq!(self.output.status.code(), Some(1), "{}", self.stderr());
        assert!(
            self.stderr().contains(needle),
            "stderr lacks {needle:?}:\n{}",
            self.stderr()
        );
        assert!(!self.stderr().contains("panicked"), "{}", self.stderr());
        self
    }
}

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.expect("walk project");
        let dest = to.join(entry.path().strip_prefix(from).expect("prefix"));
        if entry.file_type().is_dir() {
            fs::create_dir_all(&dest).expect("mkdir");
        } else {
            fs::copy(entry.path(), &dest).expect("copy");
        }
    }
}

impl SiteTest {
    /// The real project: dossier.toml, seeds, content, templates, static.
    pub fn real() -> Self {
        let dir = tempfile::tempdir().expect("tempdir");
        for d in ["seeds", "content", "templates", "static"] {
            copy_dir(&repo().join(d), &dir.path().join(d));
        }
        fs::copy(repo().join("dossier.toml"), dir.path().join("dossier.toml"))
            .expect("copy config");
        Self { dir }
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }
    pub fn out(&self) -> PathBuf {
        self.root().join("public")
    }

    pub fn write(&self, rel: &str, text: &str) -> &Self {
        let p = self.root().join(rel);
        fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        fs::write(p, text).expect("write");
        self
    }

    pub fn read(&self, rel: &str) -> String {
        fs::read_to_string(self.root().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
    }

    /// Save `bytes` at `rel` as editors do: into a temp file beside it, then
    /// renamed over it. A watcher sees the whole new file or the old one,
    /// never a half-written one, so tests that race a watcher's debounce
    /// test what they mean to. The temp name is one the watcher ignores.
    pub fn save(&self, rel: &str, bytes: impl AsRef<[u8]>) -> &Self {
        let p = self.root().join(rel);
        let dir = p.parent().expect("parent");
        fs::create_dir_all(dir).expect("mkdir");
        let name = p.file_name().expect("file name").to_string_lossy();
        let tmp = dir.join(format!(".{name}.saving.tmp"));
        fs::write(&tmp, bytes).expect("write temp file");
        fs::rename(&tmp, &p).expect("rename over");
        self
    }

    /// Replace `from` with `to` in a project file (saved as editors do);
    /// the text must be there.
    pub fn edit(&self, rel: &str, from: &str, to: &str) -> &Self {
        let text = self.read(rel);
        assert!(text.contains(from), "{rel} does not contain {from:?}");
        self.save(rel, text.replacen(from, to, 1))
    }

    /// Rename a seed file and its `file` in `sources.toml`.
    pub fn rename_seed(&self, from: &str, to: &str) {
        let toml = self.read("seeds/sources.toml");
        fs::rename(
            self.root().join("seeds").join(from),
            self.root().join("seeds").join(to),
        )
        .expect("rename");
        self.save("seeds/sources.toml", toml.replace(from, to));
    }

    /// Break `{{ page.title }}` in a template; returns the line it is on.
    pub fn break_template(&self, rel: &str) -> usize {
        self.edit(rel, "<h1>{{ page.title }}</h1>", "<h1>{{ page.title }</h1>");
        self.read(rel)
            .lines()
            .position(|l| l.contains("{{ page.title }</h1>"))
            .expect("broken line")
            + 1
    }

    pub fn run(&self, args: &[&str]) -> Run {
        let output = Command::new(env!("CARGO_BIN_EXE_dossier"))
            .arg("--root")
            .arg(self.root())
            .args(args)
            .output()
            .expect("run dossier");
        Run { output }
    }

    /// Build into `<root>/<dir>` for https://example.org/trade-explainer/; returns that dir.
    pub fn build_prefixed(&self, dir: &str) -> PathBuf {
        let out = self.root().join(dir);
        let url = "https://example.org/trade-explainer/";
        self.run(&[
            "build",
            "--output",
            out.to_str().expect("utf8"),
            "--base-url",
            url,
        ])
        .assert_ok();
        out
    }

    pub fn build(&self) -> Run {
        self.run(&["build"])
    }

    /// A built page, parsed.
    pub fn page(&self, rel: &str) -> Html {
        Html::parse_document(
            &fs::read_to_string(self.out().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}")),
        )
    }

    /// Every file of the output with its bytes, for "left untouched" checks.
    pub fn snapshot(&self) -> Vec<(PathBuf, Vec<u8>)> {
        self.snapshot_of(&self.out())
    }

    /// Every file under `dir` with its bytes.
    pub fn snapshot_of(&self, dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
        let mut files: Vec<_> = walkdir::WalkDir::new(dir)
            .into_iter()
            .map(|e| e.expect("walk output"))
            .filter(|e| e.file_type().is_file())
            .map(|e| (e.path().to_path_buf(), fs::read(e.path()).expect("read")))
            .collect();
        files.sort();
        files
    }
}

pub fn sel(s: &str) -> Selector {
    Selector::parse(s).expect("selector")
}

pub fn texts(doc: &Html, s: &str) -> Vec<String> {
    doc.select(&sel(s))
        .map(|e| e.text().collect::<String>())
        .collect()
}

pub fn attrs(doc: &Html, s: &str, attr: &str) -> Vec<String> {
    doc.select(&sel(s))
        .filter_map(|e| e.value().attr(attr).map(str::to_string))
        .collect()
}

/// Crawl every HTML file under `out`, served under `base`; return broken links and anchors.
pub fn broken_links(out: &Path, base: &str) -> Vec<String> {
    let pages: Vec<PathBuf> = walkdir::WalkDir::new(out)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| e.into_path())
        .collect();
    let mut broken = Vec::new();
    for page in &pages {
        let doc = Html::parse_document(&fs::read_to_string(page).expect("read page"));
        for url in attrs(&doc, "[href], [src]", "href")
            .into_iter()
            .chain(attrs(&doc, "[src]", "src"))
        {
            if url.contains("://") || url.starts_with("mailto:") {
                continue;
            }
            let (path, frag) = url
                .split_once('#')
                .map_or((url.as_str(), None), |(p, f)| (p, Some(f)));
            let target = if path.is_empty() {
                page.clone()
            } else {
                let Some(inside) = path.strip_prefix(base) else {
                    broken.push(format!("{}: {url} outside base {base}", page.display()));
                    continue;
                };
                let t = out.join(inside);
                if path.ends_with('/') || t.is_dir() {
                    t.join("index.html")
                } else {
                    t
                }
            };
            if !target.is_file() {
                broken.push(format!("{}: {url}", page.display()));
                continue;
            }
            if let Some(f) = frag.filter(|f| !f.is_empty()) {
                let tdoc = Html::parse_document(&fs::read_to_string(&target).expect("read target"));
                if tdoc.select(&sel(&format!("[id=\"{f}\"]"))).next().is_none() {
                    broken.push(format!("{}: {url} (no #{f})", page.display()));
                }
            }
        }
    }
    broken
}

/// A minimal static file server on 127.0.0.1 for crawling a built site the
/// way a host serves it (the site under `prefix`, `dir/` → `dir/index.html`).
/// Returns the port; the server thread lives until the test process ends.
pub fn serve_static(root: PathBuf, prefix: &'static str) -> u16 {
    use std::io::{BufRead, BufReader, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut line = String::new();
            if BufReader::new(&stream).read_line(&mut line).is_err() {
                continue;
            }
            let path = line
                .split_whitespace()
                .nth(1)
                .unwrap_or("/")
                .split(['?', '#'])
                .next()
                .unwrap_or("/")
                .to_string();
            let file = path
                .strip_prefix(prefix)
                .filter(|p| !p.contains(".."))
                .map(|p| {
                    let f = root.join(p);
                    if f.is_dir() { f.join("index.html") } else { f }
                });
            let (status, body) = match file.and_then(|f| fs::read(f).ok()) {
                Some(b) => ("200 OK", b),
                None => (
                    "404 Not Found",
                    fs::read(root.join("404.html")).unwrap_or_default(),
                ),
            };
            let _ = write!(
                stream,
                "HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            let _ = stream.write_all(&body);
        }
    });
    port
}

/// GET `path` from 127.0.0.1:`port`: (status code, body).
pub fn http_get(port: u16, path: &str) -> (u16, String) {
    use std::io::{Read, Write};
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).expect("connect");
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )
    .expect("send");
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).expect("read");
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    (status, body.to_string())
}

/// Crawl from `start` over HTTP following every same-origin href/src; return
/// every URL that failed and every `#fragment` missing on its page.
pub fn crawl(port: u16, start: &str) -> (usize, Vec<String>) {
    let mut queue = vec![start.to_string()];
    let mut seen = std::collections::HashSet::new();
    let mut pages: std::collections::HashMap<String, Html> = std::collections::HashMap::new();
    let mut fragments = Vec::new();
    let mut broken = Vec::new();
    while let Some(url) = queue.pop() {
        if !seen.insert(url.clone()) {
            continue;
        }
        let (status, body) = http_get(port, &url);
        if status != 200 {
            broken.push(format!("{url}: HTTP {status}"));
            continue;
        }
        if !(url.ends_with('/') || url.ends_with(".html")) {
            continue;
        }
        let doc = Html::parse_document(&body);
        let links: Vec<String> = attrs(&doc, "[href]", "href")
            .into_iter()
            .chain(attrs(&doc, "[src]", "src"))
            .collect();
        for link in links {
            if link.contains("://") || link.starts_with("mailto:") {
                continue;
            }
            let (path, frag) = link
                .split_once('#')
                .map_or((link.as_str(), None), |(p, f)| (p, Some(f)));
            let path = if path.is_empty() {
                url.clone()
            } else {
                path.to_string()
            };
            if let Some(f) = frag.filter(|f| !f.is_empty()) {
                fragments.push((url.clone(), path.clone(), f.to_string()));
            }
            queue.push(path);
        }
        pages.insert(url, doc);
    }
    for (from, page, frag) in fragments {
        if let Some(doc) = pages.get(&page)
            && doc
                .select(&sel(&format!("[id=\"{frag}\"]")))
                .next()
                .is_none()
        {
            broken.push(format!("{from}: {page}#{frag} has no such id"));
        }
    }
    (seen.len(), broken)
}
