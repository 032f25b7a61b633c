//! `dossier serve` against a real server on a free port, in a temp copy.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::harness::{SiteTest, http_get};

pub(crate) struct Server {
    child: Child,
    pub(crate) port: u16,
}

impl Drop for Server {
    fn drop(&mut self) {
        // SIGTERM first, so the server removes its work folder.
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The temp folder serve's work folder goes in: one per test project, so
/// a test can see it emptied.
fn tmp(t: &SiteTest) -> std::path::PathBuf {
    let dir = t.root().join("tmp");
    std::fs::create_dir_all(&dir).expect("tmp");
    dir
}

pub(crate) fn start(t: &SiteTest) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_dossier"))
        .env("TMPDIR", tmp(t))
        .arg("--root")
        .arg(t.root())
        .args(["serve", "--port", "0"])
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn serve");
    let stderr = child.stderr.take().expect("stderr");
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let deadline = Instant::now() + Duration::from_secs(30);
    while Instant::now() < deadline {
        if let Ok(line) = rx.recv_timeout(Duration::from_millis(200))
            && let Some(rest) = line.split("http://127.0.0.1:").nth(1)
        {
            let port = rest
                .split('/')
                .next()
                .and_then(|p| p.parse().ok())
                .expect("port");
            std::thread::spawn(move || for _ in rx {});
            return Server { child, port };
        }
    }
    let _ = child.kill();
    let _ = child.wait();
    panic!("serve did not start");
}

/// An open SSE connection; `wait_for` reads until the text appears.
struct Events(TcpStream, String);

impl Events {
    fn open(port: u16, base: &str) -> Self {
        let mut s = TcpStream::connect(("127.0.0.1", port)).expect("connect");
        write!(s, "GET {base}__dossier/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n").expect("send");
        s.set_read_timeout(Some(Duration::from_millis(100)))
            .expect("timeout");
        let mut e = Events(s, String::new());
        e.wait_for("text/event-stream");
        e
    }

    #[track_caller]
    fn wait_for(&mut self, needle: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(15);
        let mut buf = [0u8; 4096];
        while Instant::now() < deadline {
            if let Some(at) = self.1.find(needle) {
                let seen = self.1[..at + needle.len()].to_string();
                self.1 = self.1[at + needle.len()..].to_string();
                return seen;
            }
            if let Ok(n) = self.0.read(&mut buf) {
                self.1.push_str(&String::from_utf8_lossy(&buf[..n]));
            }
        }
        panic!("no {needle:?} in events: {}", self.1);
    }
}

fn raw(port: u16, request: &str) -> String {
    let mut s = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    s.write_all(request.as_bytes()).expect("send");
    let mut out = String::new();
    let _ = s.read_to_string(&mut out);
    out
}

#[test]
fn edits_reload_open_pages_and_errors_keep_the_last_good_site() {
    let t = SiteTest::real();
    let server = start(&t);
    let (status, page) = http_get(server.port, "/topics/soybeans/");
    assert_eq!(status, 200);
    assert!(
        page.contains("__dossier/reload.js"),
        "reload script injected while serving"
    );
    let mut events = Events::open(server.port, "/");

    t.edit(
        "content/topics/soybeans.md",
        "Soybeans became one of the clearest tests",
        "Soybeans, WATCHWORD, became one of the clearest tests",
    );
    events.wait_for("event: reload\ndata: reload\n\n");
    assert!(
        http_get(server.port, "/topics/soybeans/")
            .1
            .contains("WATCHWORD")
    );

    let line = t.break_template("templates/topic.html");
    let seen = events.wait_for("\n\n");
    let seen = if seen.contains("event: error") {
        seen
    } else {
        events.wait_for("event: error") + &events.wait_for("\n\n")
    };
    assert!(
        seen.contains(&format!("templates/topic.html:{line}:")),
        "{seen}"
    );
    let (status, page) = http_get(server.port, "/topics/soybeans/");
    assert_eq!(status, 200, "last good site still served");
    assert!(page.contains("WATCHWORD"));

    t.edit(
        "templates/topic.html",
        "<h1>{{ page.title }</h1>",
        "<h1>{{ page.title }} RECOVERED</h1>",
    );
    events.wait_for("event: reload\ndata: reload\n\n");
    assert!(
        http_get(server.port, "/topics/soybeans/")
            .1
            .contains("RECOVERED")
    );

    t.edit("static/style.css", "--measure: 40rem;", "--measure: 41rem;");
    events.wait_for("event: css\ndata: css\n\n");
    assert!(
        http_get(server.port, "/style.css")
            .1
            .contains("--measure: 41rem;")
    );

    // A new seed is ingested; a deleted one disappears.
    t.save(
        "seeds/new_one.txt",
        "A New One\nChina bought soybeans on November 30, 2025.\n",
    );
    events.wait_for("event: reload\ndata: reload\n\n");
    assert_eq!(http_get(server.port, "/sources/new-one/").0, 200);
    std::fs::remove_file(t.root().join("seeds/new_one.txt")).expect("rm");
    events.wait_for("event: reload\ndata: reload\n\n");
    assert_eq!(http_get(server.port, "/sources/new-one/").0, 404);
    assert!(!t.out().exists(), "serve must not write public/");
}

#[test]
fn the_server_answers_like_a_static_host() {
    let t = SiteTest::real();
    let server = start(&t);
    let p = server.port;
    let (status, body) = http_get(p, "/no/such/page/");
    assert_eq!(status, 404);
    assert!(body.contains("Page not found"), "site's 404 page");
    for attack in [
        "/../../etc/passwd",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/..%2f..%2fCargo.toml",
        "/..\\..\\Cargo.toml",
        "/sources/%2e%2e/%2e%2e/%2e%2e/dossier.toml",
    ] {
        let resp = raw(
            p,
            &format!("GET {attack} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"),
        );
        let status = resp.split_whitespace().nth(1).unwrap_or("");
        assert!(status == "404" || status == "400", "{attack} -> {status}");
        assert!(
            !resp.contains("root:") && !resp.contains("[package]") && !resp.contains("base_url"),
            "{attack} escaped"
        );
    }
    let head = raw(
        p,
        "HEAD /style.css HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    );
    assert!(head.starts_with("HTTP/1.1 200"), "{head}");
    assert!(head.to_ascii_lowercase().contains("content-type: text/css"));
    assert!(head.ends_with("\r\n\r\n"), "HEAD has no body");
    let etag = head
        .lines()
        .find_map(|l| {
            l.to_ascii_lowercase()
                .starts_with("etag:")
                .then(|| l[5..].trim().to_string())
        })
        .expect("etag");
    let cond = raw(
        p,
        &format!(
            "GET /style.css HTTP/1.1\r\nHost: x\r\nIf-None-Match: {etag}\r\nConnection: close\r\n\r\n"
        ),
    );
    assert!(cond.starts_with("HTTP/1.1 304"), "{cond}");
    let home = raw(p, "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    assert!(
        home.to_ascii_lowercase()
            .contains("content-type: text/html")
    );
}

#[test]
fn it_serves_under_the_configured_base_path() {
    let t = SiteTest::real();
    t.edit(
        "dossier.toml",
        "base_url = \"https://example.org/\"",
        "base_url = \"https://example.org/trade-explainer/\"",
    );
    let server = start(&t);
    let (status, page) = http_get(server.port, "/trade-explainer/topics/visits/");
    assert_eq!(status, 200);
    assert!(page.contains("href=\"/trade-explainer/style.css\""));
    assert_eq!(http_get(server.port, "/topics/visits/").0, 404);
    let mut events = Events::open(server.port, "/trade-explainer/");
    t.edit(
        "content/about.md",
        "This site explains",
        "This site, PREFIXED, explains",
    );
    events.wait_for("event: reload\ndata: reload\n\n");
    assert!(
        http_get(server.port, "/trade-explainer/about/")
            .1
            .contains("PREFIXED")
    );
}

#[test]
fn a_port_in_use_is_a_clear_error() {
    let t = SiteTest::real();
    let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = taken.local_addr().expect("addr").port().to_string();
    t.run(&["serve", "--port", &port])
        .assert_fails_with(&format!(
            "error: port {port} on 127.0.0.1 is already in use"
        ));
}

#[test]
fn build_writes_no_reload_script() {
    let t = SiteTest::real();
    t.build().assert_ok();
    assert!(!t.read("public/index.html").contains("__dossier"));
}

#[test]
fn ctrl_c_sigterm_and_sighup_stop_the_server_cleanly() {
    let t = SiteTest::real();
    for signal in ["-INT", "-TERM", "-HUP"] {
        let mut server = start(&t);
        assert_eq!(http_get(server.port, "/").0, 200);
        assert_eq!(
            std::fs::read_dir(tmp(&t)).expect("tmp").count(),
            1,
            "work folder"
        );
        let pid = server.child.id().to_string();
        let sent = Command::new("kill")
            .args([signal, &pid])
            .status()
            .expect("kill");
        assert!(sent.success());
        let deadline = Instant::now() + Duration::from_secs(10);
        let status = loop {
            if let Some(s) = server.child.try_wait().expect("wait") {
                break s;
            }
            assert!(Instant::now() < deadline, "serve did not stop on {signal}");
            std::thread::sleep(Duration::from_millis(50));
        };
        assert!(status.success(), "{signal}: {status:?}");
        let left: Vec<_> = std::fs::read_dir(tmp(&t))
            .expect("tmp")
            .filter_map(Result::ok)
            .map(|e| e.path())
            .collect();
        assert!(left.is_empty(), "{signal}: serve left {left:?} behind");
    }
}

#[test]
fn misses_get_the_404_page_and_redirects_keep_the_base_path() {
    let t = SiteTest::real();
    t.edit(
        "dossier.toml",
        "base_url = \"https://example.org/\"",
        "base_url = \"https://example.org/trade-explainer/\"",
    );
    let server = start(&t);
    let redirect = raw(
        server.port,
        "GET /trade-explainer/sources HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    );
    assert!(
        redirect.contains("location: /trade-explainer/sources/")
            || redirect.contains("Location: /trade-explainer/sources/"),
        "{redirect}"
    );
    let long = "a".repeat(400);
    for path in [
        "/trade-explainer/%00".to_string(),
        format!("/trade-explainer/{long}"),
        "/trade-explainer/no-such-page/".to_string(),
        "/elsewhere".to_string(),
    ] {
        let (status, body) = http_get(server.port, &path);
        assert_eq!(status, 404, "{path}");
        assert!(
            body.contains("<h1>"),
            "{path}: the site's 404 page, got {body:?}"
        );
    }
}

/// One bad input for serve: how to make it, what the error must say, how to undo it.
struct BadInput {
    what: &'static str,
    make: fn(&SiteTest),
    says: &'static str,
    undo: fn(&SiteTest),
}

fn remove(t: &SiteTest, rel: &str) {
    std::fs::remove_file(t.root().join(rel)).expect("remove");
}

const BAD_INPUTS: &[BadInput] = &[
    BadInput {
        what: "binary seed",
        make: |t| {
            t.save("seeds/image.txt", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR");
        },
        says: "seeds/image.txt: error: looks like a binary file",
        undo: |t| remove(t, "seeds/image.txt"),
    },
    BadInput {
        what: "front matter never closed",
        make: |t| {
            t.save("content/bad.md", "+++\ntitle = \"Bad\"\nBody\n");
        },
        says: "content/bad.md:1:1: error: front matter opened on line 1 is never closed",
        undo: |t| remove(t, "content/bad.md"),
    },
    BadInput {
        what: "front matter of the wrong type",
        make: |t| {
            t.save(
                "content/bad.md",
                "+++\ntitle = \"Bad\"\nweight = \"heavy\"\n+++\nx\n",
            );
        },
        says: "content/bad.md:3:10: error: invalid type",
        undo: |t| remove(t, "content/bad.md"),
    },
    BadInput {
        what: "unknown front matter key",
        make: |t| {
            t.save(
                "content/bad.md",
                "+++\ntitle = \"Bad\"\nauthor = \"me\"\n+++\nx\n",
            );
        },
        says: "content/bad.md:3:1: error: unknown field `author`",
        undo: |t| remove(t, "content/bad.md"),
    },
    BadInput {
        what: "two sources with one id",
        make: |t| {
            t.edit(
                "seeds/sources.toml",
                "id = \"kl-talks\"",
                "id = \"busan-outcomes\" # twice",
            );
        },
        says: "error: duplicate source id \"busan-outcomes\"",
        undo: |t| {
            t.edit(
                "seeds/sources.toml",
                "id = \"busan-outcomes\" # twice",
                "id = \"kl-talks\"",
            );
        },
    },
    BadInput {
        what: "a page on a generated URL",
        make: |t| {
            t.save("content/timeline.md", "+++\ntitle = \"Mine\"\n+++\nx\n");
        },
        says: "content/timeline.md: error: URL /timeline/ is reserved",
        undo: |t| remove(t, "content/timeline.md"),
    },
    BadInput {
        what: "a citation of an unknown source",
        make: |t| {
            t.save(
                "content/bad.md",
                "+++\ntitle = \"Bad\"\n+++\nClaim [@no-such-source].\n",
            );
        },
        says: "content/bad.md:4:7: error:",
        undo: |t| remove(t, "content/bad.md"),
    },
    BadInput {
        what: "a timeline entry with no citation",
        make: |t| {
            t.save(
                "content/timeline/bad.md",
                "+++\ntitle = \"Bad\"\ndate = \"2025-11-01\"\n+++\nNothing cited.\n",
            );
        },
        says: "content/timeline/bad.md:5: error: timeline event has no citation",
        undo: |t| remove(t, "content/timeline/bad.md"),
    },
    BadInput {
        what: "a symlink loop",
        make: |t| {
            std::os::unix::fs::symlink(t.root().join("content"), t.root().join("content/loop"))
                .expect("symlink")
        },
        says: "content/loop: error: cannot read: symlink loop",
        undo: |t| remove(t, "content/loop"),
    },
    BadInput {
        what: "an unreadable file (a link to nothing)",
        make: |t| {
            std::os::unix::fs::symlink("/nonexistent/x.md", t.root().join("content/gone.md"))
                .expect("symlink")
        },
        says: "content/gone.md: error: cannot read",
        undo: |t| remove(t, "content/gone.md"),
    },
    BadInput {
        what: "a template syntax error",
        make: |t| {
            t.edit(
                "templates/topic.html",
                "<h1>{{ page.title }}</h1>",
                "<h1>{{ page.title }</h1>",
            );
        },
        says: "templates/topic.html:5:",
        undo: |t| {
            t.edit(
                "templates/topic.html",
                "<h1>{{ page.title }</h1>",
                "<h1>{{ page.title }}</h1>",
            );
        },
    },
    BadInput {
        what: "a template using an undefined variable",
        make: |t| {
            t.edit(
                "templates/page.html",
                "<h1>{{ page.title }}</h1>",
                "<h1>{{ page.no_such }}</h1>",
            );
        },
        says: "templates/page.html:",
        undo: |t| {
            t.edit(
                "templates/page.html",
                "<h1>{{ page.no_such }}</h1>",
                "<h1>{{ page.title }}</h1>",
            );
        },
    },
    BadInput {
        what: "a template error that hits topic pages only",
        make: |t| {
            t.edit("templates/base.html", SKIP_LINK, HALF_BROKEN);
        },
        says: "templates/base.html:",
        undo: |t| {
            t.edit("templates/base.html", HALF_BROKEN, SKIP_LINK);
        },
    },
    BadInput {
        what: "a static file on a generated path",
        make: |t| {
            t.save("static/sources.json", "{}");
        },
        says: "static/sources.json: error: writes /sources.json, which the generated sources.json also writes",
        undo: |t| remove(t, "static/sources.json"),
    },
    BadInput {
        what: "a page on a generated timeline filter",
        make: |t| {
            t.save(
                "content/timeline/soybeans/index.md",
                "+++\ntitle = \"Mine\"\n+++\nx\n",
            );
        },
        says: "content/timeline/soybeans/index.md: error: URL /timeline/soybeans/ is reserved for a generated page",
        undo: |t| remove(t, "content/timeline/soybeans/index.md"),
    },
    BadInput {
        what: "a seed whose name gives no id",
        make: |t| {
            t.save("seeds/!!!.txt", "Title\nChina bought soybeans.\n");
        },
        says: "seeds/!!!.txt: error: no entry in seeds/sources.toml, and the file name gives no usable id",
        undo: |t| remove(t, "seeds/!!!.txt"),
    },
];

const SKIP_LINK: &str = r##"<a class="skip-link" href="#main">Skip to content</a>"##;
const HALF_BROKEN: &str = r##"<a class="skip-link" href="#main">Skip to content</a>HALF-BROKEN{% if page.kind == "topic" %}{{ page.no_such }}{% endif %}"##;

#[test]
fn serve_keeps_serving_the_last_good_site_through_every_bad_input() {
    let t = SiteTest::real();
    let server = start(&t);
    let mut events = Events::open(server.port, "/");
    let watched = [
        "/",
        "/topics/soybeans/",
        "/sources/kl-talks/",
        "/about/",
        "/timeline/",
        "/sources/",
        "/sources.json",
        "/timeline/soybeans/",
    ];
    let good: Vec<(u16, String)> = watched.iter().map(|p| http_get(server.port, p)).collect();
    assert!(good.iter().all(|(status, _)| *status == 200));
    for bad in BAD_INPUTS {
        (bad.make)(&t);
        events.wait_for("event: error");
        let data = events.wait_for("\n\n");
        // The event carries the messages as JSON strings.
        let says = serde_json::to_string(bad.says).expect("json");
        assert!(
            data.contains(&says[1..says.len() - 1]),
            "{}: {data}",
            bad.what
        );
        for (path, (_, before)) in watched.iter().zip(&good) {
            let (status, now) = http_get(server.port, path);
            assert_eq!(status, 200, "{}: {path} not served", bad.what);
            assert_eq!(&now, before, "{}: {path} changed", bad.what);
        }
        (bad.undo)(&t);
        events.wait_for("event: reload");
    }
    assert_eq!(http_get(server.port, "/topics/soybeans/"), good[1]);
}

#[test]
fn an_input_folder_deleted_and_made_again_is_still_watched() {
    let t = SiteTest::real();
    let server = start(&t);
    let mut events = Events::open(server.port, "/");
    let content = t.root().join("content");
    let aside = t.root().join("content-aside");
    // Deleted and made anew (a new inode, as a checkout does), not moved.
    let cp = |from: &std::path::Path, to: &std::path::Path| {
        assert!(
            Command::new("cp")
                .arg("-r")
                .arg(from)
                .arg(to)
                .status()
                .expect("cp")
                .success()
        );
    };
    cp(&content, &aside);
    std::fs::remove_dir_all(&content).expect("delete content");
    events.wait_for("event: error");
    cp(&aside, &content);
    events.wait_for("event: reload");
    // Edits inside the folder that came back still reach the site.
    t.edit(
        "content/topics/soybeans.md",
        "Soybeans became one of the clearest tests",
        "Soybeans, RETURNED, became one of the clearest tests",
    );
    events.wait_for("event: reload");
    assert!(
        http_get(server.port, "/topics/soybeans/")
            .1
            .contains("RETURNED")
    );
}

#[test]
fn half_open_connections_are_closed() {
    let t = SiteTest::real();
    let server = start(&t);
    let started = Instant::now();
    let mut silent = TcpStream::connect(("127.0.0.1", server.port)).expect("connect");
    let mut partial = TcpStream::connect(("127.0.0.1", server.port)).expect("connect");
    partial
        .write_all(b"GET / HTTP/1.1\r\nHost: x\r\n")
        .expect("send half a request");
    for s in [&mut silent, &mut partial] {
        s.set_read_timeout(Some(Duration::from_secs(20)))
            .expect("timeout");
        let mut buf = [0u8; 512];
        // Closed by the server: end of stream (or a 408 and then the end).
        loop {
            match s.read(&mut buf) {
                Ok(0) => break,
                Ok(_) => {}
                Err(e) => panic!("connection still open after {:?}: {e}", started.elapsed()),
            }
        }
    }
    assert!(started.elapsed() < Duration::from_secs(15));
    // The server still answers.
    assert_eq!(http_get(server.port, "/").0, 200);
}

#[test]
fn a_stylesheet_save_does_not_hide_a_broken_build_and_odd_seeds_keep_it_watching() {
    let t = SiteTest::real();
    let server = start(&t);
    let mut events = Events::open(server.port, "/");
    // A seed that once panicked the rebuild and killed the watcher.
    t.write(
        "seeds/far.txt",
        "Far Story\nChina bought soybeans 9999999 days ago, or 99999999999 weeks ago.\n",
    );
    events.wait_for("event: reload");
    t.break_template("templates/topic.html");
    events.wait_for("event: error");
    t.edit("static/style.css", "--measure: 40rem;", "--measure: 41rem;");
    // The build is still broken: the overlay stays, no "css" all-clear.
    let seen = events.wait_for("event: error");
    assert!(!seen.contains("event: css"), "{seen}");
    t.edit(
        "templates/topic.html",
        "<h1>{{ page.title }</h1>",
        "<h1>{{ page.title }}</h1>",
    );
    events.wait_for("event: reload");
    assert!(
        http_get(server.port, "/style.css")
            .1
            .contains("--measure: 41rem;")
    );
    assert_eq!(http_get(server.port, "/sources/far/").0, 200);
}

/// At thousands of articles `sources.json` passes 1 MB, and `serve` writes
/// it just after the reload is sent. A reader who fetches it as soon as the
/// page reloads still gets the new file, never the old one. (Without the
/// wait, a fetch beat the write in about one edit of six: hence eight.)
#[test]
fn a_large_data_file_is_never_served_stale_after_a_reload() {
    let t = SiteTest::real();
    for i in 0..4500 {
        t.write(
            &format!("seeds/bulk_{i:04}.txt"),
            &format!(
                "Harbour bulletin {i}\n\nDock {i} of the northern port loaded {i} containers for shipment this week, its manager said.\n"
            ),
        );
    }
    let server = start(&t);
    let mut events = Events::open(server.port, "/");
    let sentences_of_bulk_0 = || -> (usize, u64) {
        let (status, body) = http_get(server.port, "/sources.json");
        assert_eq!(status, 200);
        let json: serde_json::Value = serde_json::from_str(&body).expect("sources.json");
        let sources = json["sources"].as_array().expect("sources");
        let entry = sources
            .iter()
            .find(|s| s["file"] == "bulk_0000.txt")
            .expect("bulk_0000.txt listed");
        (body.len(), entry["sentences"].as_u64().expect("sentences"))
    };
    let (size, sentences) = sentences_of_bulk_0();
    assert!(size >= 1 << 20, "sources.json is {size} bytes, under 1 MB");
    assert_eq!(sentences, 1);
    let mut text = t.read("seeds/bulk_0000.txt");
    for n in 2..=9 {
        text.push_str(&format!(
            "Dock 0 cleared customs check number {n} today, officials said.\n"
        ));
        t.save("seeds/bulk_0000.txt", &text);
        events.wait_for("event: reload\ndata: reload\n\n");
        assert_eq!(sentences_of_bulk_0().1, n, "edit {n}");
    }
}
