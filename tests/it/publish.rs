//! Publishing: base paths over real HTTP, `dossier check`, feed, sitemap,
//! JSON-LD, host files, and the GitHub Pages workflow.

use crate::harness::{SiteTest, attrs, crawl, serve_static, texts};

#[test]
fn the_site_crawls_clean_over_http_at_root_and_under_a_prefix() {
    let t = SiteTest::real();
    t.build().assert_ok();
    let port = serve_static(t.out(), "/");
    let (n, broken) = crawl(port, "/");
    assert_eq!(broken, Vec::<String>::new());
    // Every page but the 404 is linked: 13 pages plus stylesheets, favicon, feed.
    assert!(n >= 17, "crawled only {n} URLs");

    let out = t.build_prefixed("pfx");
    let port = serve_static(out, "/trade-explainer/");
    let (n, broken) = crawl(port, "/trade-explainer/");
    assert_eq!(broken, Vec::<String>::new());
    assert!(n >= 17);
}

#[test]
fn check_passes_on_the_real_site_at_both_bases() {
    let t = SiteTest::real();
    let run = t.run(&["check"]);
    run.assert_ok();
    assert!(run.stderr().contains(": 0 problems"), "{}", run.stderr());
    t.run(&[
        "check",
        "--base-url",
        "https://example.org/trade-explainer/",
    ])
    .assert_ok();
}

#[test]
fn check_dir_checks_the_built_folder_as_it_is() {
    let t = SiteTest::real();
    t.build().assert_ok();
    let run = t.run(&["check", "--dir", t.out().to_str().expect("utf8")]);
    run.assert_ok();
    assert!(run.stderr().contains(": 0 problems"), "{}", run.stderr());
    // A link broken after the build, where only the built folder shows it.
    t.edit(
        "public/about/index.html",
        "href=\"/sources/\"",
        "href=\"/no-such-page/\"",
    );
    t.run(&["check", "--dir", t.out().to_str().expect("utf8")])
        .assert_fails_with("about/index.html: broken link /no-such-page/");

    // The base path comes from --base-url, else from dossier.toml (`/`),
    // under which a prefixed build's links point at folders it lacks.
    let pfx = t.build_prefixed("pfx");
    let pfx = pfx.to_str().expect("utf8");
    t.run(&[
        "check",
        "--dir",
        pfx,
        "--base-url",
        "https://example.org/trade-explainer/",
    ])
    .assert_ok();
    t.run(&["check", "--dir", pfx])
        .assert_fails_with("about/index.html: broken link /trade-explainer/style.css");
}

#[test]
fn check_dir_refuses_a_missing_folder_or_a_file() {
    let t = SiteTest::real();
    let missing = t.root().join("never-built");
    t.run(&["check", "--dir", missing.to_str().expect("utf8")])
        .assert_fails_with(&format!(
            "error: cannot check {}: no such folder",
            missing.display()
        ));
    t.run(&[
        "check",
        "--dir",
        t.root().join("dossier.toml").to_str().expect("utf8"),
    ])
    .assert_fails_with("dossier.toml: it is not a folder");
}

#[test]
fn check_fails_naming_the_page_for_broken_links_anchors_and_outside_scripts() {
    let t = SiteTest::real();
    t.write("content/notes/bad.md", "+++\ntitle = \"Bad\"\n+++\nSee [nowhere](/no-such-page/) and [a sentence](/sources/kl-talks/#p99-s9).\n");
    t.edit(
        "templates/page.html",
        "{% block content %}",
        "{% block content %}<script src=\"https://cdn.example.com/x.js\"></script>",
    );
    let run = t.run(&["check"]);
    run.assert_fails_with("notes/bad/index.html: broken link /no-such-page/");
    let err = run.stderr();
    assert!(
        err.contains("notes/bad/index.html: broken anchor /sources/kl-talks/#p99-s9"),
        "{err}"
    );
    assert!(
        err.contains("about/index.html: loads https://cdn.example.com/x.js from another origin"),
        "{err}"
    );
}

#[test]
fn feed_and_sitemap_parse_with_their_required_elements() {
    let t = SiteTest::real();
    t.run(&[
        "build",
        "--base-url",
        "https://example.org/trade-explainer/",
    ])
    .assert_ok();
    let names = |file: &str| -> Vec<String> {
        let text = t.read(&format!("public/{file}"));
        let mut r = quick_xml::Reader::from_str(&text);
        let mut names = Vec::new();
        loop {
            match r.read_event().unwrap_or_else(|e| panic!("{file}: {e}")) {
                quick_xml::events::Event::Start(e) | quick_xml::events::Event::Empty(e) => {
                    names.push(e.local_name().as_ref().to_string())
                }
                quick_xml::events::Event::Eof => break,
                _ => {}
            }
        }
        names
    };
    let sitemap = names("sitemap.xml");
    assert_eq!(sitemap[0], "urlset");
    let sm = t.read("public/sitemap.xml");
    for loc in sm
        .split("<loc>")
        .skip(1)
        .map(|s| s.split("</loc>").next().expect("loc"))
    {
        let rel = loc
            .strip_prefix("https://example.org/trade-explainer/")
            .unwrap_or_else(|| panic!("{loc} not under base_url"));
        assert!(
            t.out().join(rel).join("index.html").is_file() || t.out().join(rel).is_file(),
            "{loc}"
        );
    }
    let feed = names("atom.xml");
    for required in ["feed", "title", "id", "updated", "entry", "link"] {
        assert!(
            feed.iter().any(|n| n == required),
            "atom.xml lacks <{required}>"
        );
    }
    let atom = t.read("public/atom.xml");
    assert!(
        atom.contains("<link rel=\"self\" href=\"https://example.org/trade-explainer/atom.xml\"/>")
    );
    assert!(
        t.read("public/robots.txt")
            .contains("Sitemap: https://example.org/trade-explainer/sitemap.xml")
    );
    assert!(t.out().join(".nojekyll").is_file());
    assert!(!t.out().join("CNAME").exists());
    let home = t.read("public/index.html");
    for needle in [
        "<link rel=\"canonical\" href=\"https://example.org/trade-explainer/\">",
        "property=\"og:title\"",
        "name=\"twitter:card\"",
        "application/atom+xml",
        "\"@type\":\"NewsArticle\"",
    ] {
        assert!(home.contains(needle), "home lacks {needle}");
    }
    assert!(
        t.read("public/timeline/index.html")
            .contains("\"@type\":\"Event\"")
    );
}

#[test]
fn a_custom_domain_writes_cname() {
    let t = SiteTest::real();
    let config = t.read("dossier.toml");
    t.write(
        "dossier.toml",
        &format!("{config}cname = \"truce.example.org\"\n"),
    );
    t.build().assert_ok();
    assert_eq!(t.read("public/CNAME"), "truce.example.org\n");
}

#[test]
fn hostile_seed_text_stays_inert_in_json_ld_feed_and_data() {
    let t = SiteTest::real();
    t.write("seeds/zz_evil.txt", "Soybeans </script><script>alert(1)</script> \"x\" 'y' {{ z }}\nOn November 20, 2025, China bought soybeans </script><script>alert(2)</script> & more.\n");
    // Found events mixed into the timeline, so they reach the feed too.
    let config = t.read("dossier.toml");
    t.write(
        "dossier.toml",
        &format!("{config}\n[timeline]\nextracted = \"show\"\n"),
    );
    t.build().assert_ok();
    let page = t.read("public/sources/zz-evil/index.html");
    assert!(
        !page.contains("<script>alert"),
        "script injected into source page"
    );
    let ld = page
        .split("<script type=\"application/ld+json\">")
        .nth(1)
        .and_then(|s| s.split("</script>").next())
        .expect("json-ld block");
    let v: serde_json::Value = serde_json::from_str(ld).expect("JSON-LD parses");
    assert!(
        v["name"]
            .as_str()
            .expect("name")
            .contains("</script><script>alert(1)"),
        "text survives, escaped"
    );
    let tl = t.read("public/timeline/index.html");
    assert!(!tl.contains("<script>alert"));
    let atom = t.read("public/atom.xml");
    assert!(
        !atom.contains("<script>alert") && atom.contains("&lt;script&gt;alert(2)"),
        "feed escaping"
    );
    let json: serde_json::Value =
        serde_json::from_str(&t.read("public/timeline.json")).expect("timeline.json");
    assert!(json["events"].as_array().expect("events").iter().any(|e| {
        e["citations"][0]["text"]
            .as_str()
            .is_some_and(|s| s.contains("<script>alert(2)"))
    }));
}

fn workflow(name: &str) -> yaml_rust2::Yaml {
    let path = format!("{}/.github/workflows/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let mut docs = yaml_rust2::YamlLoader::load_from_str(&text)
        .unwrap_or_else(|e| panic!("{path} is not valid YAML: {e}"));
    docs.remove(0)
}

fn steps(w: &yaml_rust2::Yaml, job: &str) -> Vec<yaml_rust2::Yaml> {
    w["jobs"][job]["steps"]
        .as_vec()
        .cloned()
        .unwrap_or_default()
}

/// The `run` scripts of a job's steps.
fn runs(w: &yaml_rust2::Yaml, job: &str) -> Vec<String> {
    steps(w, job)
        .iter()
        .filter_map(|s| s["run"].as_str().map(str::to_string))
        .collect()
}

/// `needs:` as a list, whether written as one name or several.
fn needs(w: &yaml_rust2::Yaml, job: &str) -> Vec<String> {
    let n = &w["jobs"][job]["needs"];
    n.as_str().map_or_else(
        || {
            n.as_vec()
                .map(|v| {
                    v.iter()
                        .filter_map(|x| x.as_str().map(str::to_string))
                        .collect()
                })
                .unwrap_or_default()
        },
        |one| vec![one.to_string()],
    )
}

/// A permissions block as sorted `scope: level` lines.
fn permissions(p: &yaml_rust2::Yaml) -> Vec<String> {
    let mut out: Vec<String> = p
        .as_hash()
        .map(|h| {
            h.iter()
                .map(|(k, v)| {
                    format!(
                        "{}: {}",
                        k.as_str().unwrap_or("?"),
                        v.as_str().unwrap_or("?")
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

#[test]
fn the_ci_workflow_runs_fmt_clippy_and_the_tests_on_every_push_and_pull_request() {
    let w = workflow("ci.yml");
    for trigger in ["push", "pull_request", "workflow_call"] {
        assert!(
            !w["on"][trigger].is_badvalue(),
            "ci.yml is not run on {trigger}"
        );
    }
    // Every branch: a filter here would let a branch's pushes go unchecked.
    assert!(w["on"]["push"]["branches"].is_badvalue());
    assert_eq!(permissions(&w["permissions"]), ["contents: read"]);
    let runs = runs(&w, "check");
    for command in [
        "cargo fmt --all -- --check",
        "cargo clippy --all-targets --locked -- -D warnings",
        "cargo test --locked",
    ] {
        assert!(
            runs.iter().any(|r| r == command),
            "ci.yml lacks {command:?}: {runs:?}"
        );
    }
    // The cargo commands the project's own CI script runs, so the two
    // cannot drift apart (the browser suite is left to that script).
    let script =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/.ci/run")).expect(".ci/run");
    let cargo: Vec<&str> = script
        .lines()
        .map(str::trim)
        // Not the `cargo fmt --version || rustup component add` probes.
        .filter(|l| {
            ["cargo fmt ", "cargo clippy ", "cargo test "]
                .iter()
                .any(|c| l.starts_with(c))
                && !l.contains("--version")
        })
        .collect();
    assert!(cargo.len() >= 3, "{cargo:?}");
    for command in cargo {
        assert!(
            runs.iter().any(|r| r == command),
            "ci.yml lacks .ci/run's {command:?}"
        );
    }
    let toolchain = steps(&w, "check")
        .into_iter()
        .find(|s| s["uses"].as_str() == Some("dtolnay/rust-toolchain@stable"))
        .expect("rust toolchain step");
    let components = toolchain["with"]["components"].as_str().unwrap_or("");
    assert!(
        components.contains("rustfmt") && components.contains("clippy"),
        "{components}"
    );
}

#[test]
fn the_pages_workflow_deploys_the_checked_folder_after_ci_with_least_privilege() {
    let w = workflow("pages.yml");
    assert_eq!(w["on"]["push"]["branches"][0].as_str(), Some("main"));
    assert!(!w["on"]["workflow_dispatch"].is_badvalue());

    // Deployed only after the CI checks pass in the same run.
    assert_eq!(
        w["jobs"]["ci"]["uses"].as_str(),
        Some("./.github/workflows/ci.yml")
    );
    assert_eq!(needs(&w, "build"), ["ci"]);
    assert_eq!(needs(&w, "deploy"), ["build"]);

    // Write access on the deploy job only.
    assert_eq!(permissions(&w["permissions"]), ["contents: read"]);
    assert_eq!(
        permissions(&w["jobs"]["deploy"]["permissions"]),
        ["id-token: write", "pages: write"]
    );
    for job in ["ci", "build"] {
        assert!(
            w["jobs"][job]["permissions"].is_badvalue(),
            "{job} widens permissions"
        );
    }
    assert_eq!(
        w["jobs"]["deploy"]["environment"]["name"].as_str(),
        Some("github-pages")
    );

    // The official actions, at least at the majors this was written for.
    let uses: Vec<String> = ["build", "deploy"]
        .iter()
        .flat_map(|job| steps(&w, job))
        .filter_map(|s| s["uses"].as_str().map(str::to_string))
        .collect();
    for (action, major) in [
        ("actions/checkout", 7),
        ("actions/configure-pages", 6),
        ("actions/upload-pages-artifact", 5),
        ("actions/deploy-pages", 5),
    ] {
        let used = uses
            .iter()
            .find_map(|u| u.strip_prefix(&format!("{action}@v")))
            .unwrap_or_else(|| panic!("{action} missing: {uses:?}"));
        let used: u32 = used
            .split('.')
            .next()
            .and_then(|m| m.parse().ok())
            .expect("major");
        assert!(used >= major, "{action}@v{used} is older than v{major}");
    }

    // The folder that is checked is the folder that is uploaded, built
    // for the base URL the Pages configuration gives, in that order.
    let base = "--base-url \"${{ steps.pages.outputs.base_url }}/\"";
    let steps = steps(&w, "build");
    let step = |what: &str, is: &dyn Fn(&yaml_rust2::Yaml) -> bool| {
        steps
            .iter()
            .position(is)
            .unwrap_or_else(|| panic!("pages.yml: no step that {what}"))
    };
    let run = |s: &yaml_rust2::Yaml, needle: &str| {
        s["run"]
            .as_str()
            .is_some_and(|r| r.contains(needle) && r.contains(base))
    };
    let build = step("builds public/ for the Pages URL", &|s| {
        run(s, "dossier build --output public ")
    });
    let check = step("checks public/ as built", &|s| {
        run(s, "dossier check --dir public ")
    });
    let upload = step("uploads public/", &|s| {
        s["uses"]
            .as_str()
            .is_some_and(|u| u.starts_with("actions/upload-pages-artifact@"))
            && s["with"]["path"].as_str() == Some("public")
    });
    assert!(build < check && check < upload, "{build} {check} {upload}");
}

#[test]
fn check_external_requests_outside_links_only_when_asked() {
    let t = SiteTest::real();
    let elsewhere = t.root().join("elsewhere");
    std::fs::create_dir_all(&elsewhere).expect("mkdir");
    std::fs::write(elsewhere.join("ok.html"), "<p>ok</p>").expect("write");
    std::fs::write(elsewhere.join("404.html"), "gone").expect("write");
    let port = serve_static(elsewhere, "/");
    t.write(
        "content/notes/links.md",
        &format!("+++\ntitle = \"Links\"\n+++\n[fine](http://127.0.0.1:{port}/ok.html) and [dead](http://127.0.0.1:{port}/missing.html).\n"),
    );
    t.run(&["check"]).assert_ok();
    let run = t.run(&["check", "--external"]);
    if !cfg!(feature = "external") {
        run.assert_fails_with("built without the network link checker");
        return;
    }
    run.assert_fails_with(&format!(
        "notes/links/index.html: outside link http://127.0.0.1:{port}/missing.html: HTTP 404"
    ));
    assert!(!run.stderr().contains("ok.html"), "{}", run.stderr());
}

#[test]
fn hostile_front_matter_stays_text_everywhere() {
    let t = SiteTest::real();
    let title = "Evil </script><script>alert(1)</script> \"q\" 's' {{ config }}";
    let description = "javascript:alert(2) <b onmouseover=alert(3)>x</b> {% raw %}";
    t.write(
        "content/evil.md",
        &format!(
            "+++\ntitle = {}\ndescription = {}\ndate = \"2025-11-20\"\n+++\nBody.\n",
            toml_string(title),
            toml_string(description)
        ),
    );
    t.build().assert_ok();
    let raw = t.read("public/evil/index.html");
    assert!(!raw.contains("<script>alert") && !raw.contains("<b onmouseover"));
    let page = t.page("evil/index.html");
    assert_eq!(
        texts(&page, "h1"),
        [title],
        "text, not markup, and not run by Tera"
    );
    assert!(texts(&page, "title")[0].starts_with(title));
    assert_eq!(
        attrs(&page, "meta[name=description]", "content"),
        [description]
    );
    let ld = raw
        .split("<script type=\"application/ld+json\">")
        .filter_map(|s| s.split("</script>").next())
        .filter_map(|s| serde_json::from_str::<serde_json::Value>(s).ok())
        .find(|v| v["@type"] == "NewsArticle")
        .expect("NewsArticle JSON-LD");
    assert_eq!(ld["headline"], title);
    assert!(
        crate::build::search_docs(&t)
            .iter()
            .any(|d| d["t"] == title)
    );
    let atom = t.read("public/atom.xml");
    assert!(!atom.contains("<script>alert"));
    assert!(
        atom.contains("Evil &lt;/script&gt;&lt;script&gt;alert(1)"),
        "title escaped in the feed"
    );
}

fn toml_string(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

#[test]
fn script_urls_are_refused_where_they_would_become_links() {
    let t = SiteTest::real();
    let toml = t.read("seeds/sources.toml");
    let line = toml
        .lines()
        .position(|l| l.starts_with("url = "))
        .expect("a url line")
        + 1;
    let first_url = toml.lines().nth(line - 1).expect("line").to_string();
    t.edit(
        "seeds/sources.toml",
        &first_url,
        "url = \"javascript:alert(1)\"",
    );
    t.build().assert_fails_with(&format!(
        "seeds/sources.toml:{line}:7: error: url \"javascript:alert(1)\" is not an http or https address"
    ));
    t.edit(
        "seeds/sources.toml",
        "url = \"javascript:alert(1)\"",
        &first_url,
    );
    t.write(
        "content/evil.md",
        "+++\ntitle = \"Evil\"\n+++\nA [link](JavaScript:alert(3)) here.\n",
    );
    t.build().assert_fails_with(
        "content/evil.md:4:3: error: link to \"JavaScript:alert(3)\", which would run script",
    );
}

#[test]
fn check_sees_every_outside_load_and_links_leaving_the_base_path() {
    let t = SiteTest::real();
    t.edit(
        "templates/page.html",
        "{% block content %}",
        "{% block content %}<LINK REL=preload HREF='https://fonts.example/f.woff2'><img alt=\"\" srcset=\"https://img.example/a.png 2x\"><a href=\"../../../outside.html\">up</a><a href=\"/trade-explainer\">home</a><a href=\"/trade-explainer/sources/kl-talks/#p1%2Ds1\">encoded</a><link rel=\"canonical\" href=\"https://elsewhere.example/\">",
    );
    t.write(
        "static/extra.css",
        "@import 'https://cdn.example/more.css';\nbody { background: url(\"https://img.example/bg.png\"); }\n",
    );
    let run = t.run(&[
        "check",
        "--base-url",
        "https://example.org/trade-explainer/",
    ]);
    run.assert_fails_with("loads https://fonts.example/f.woff2 from another origin (<link href>)");
    let err = run.stderr();
    for needle in [
        "about/index.html: loads https://img.example/a.png from another origin (<img srcset>)",
        "about/index.html: link ../../../outside.html resolves to /outside.html, outside the site's base path /trade-explainer/",
        "extra.css: loads https://cdn.example/more.css from another origin (stylesheet)",
        "extra.css: loads https://img.example/bg.png from another origin (stylesheet)",
    ] {
        assert!(err.contains(needle), "missing {needle:?} in\n{err}");
    }
    // The bare base path, a percent-encoded anchor and a canonical link
    // elsewhere are fine: no false alarms.
    for fine in ["/trade-explainer\"", "p1%2Ds1", "elsewhere.example"] {
        assert!(!err.contains(fine), "false alarm on {fine}:\n{err}");
    }
}
