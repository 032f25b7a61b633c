//! Builds that reuse earlier results (`.dossier-cache/`, and memory while
//! `build --watch` runs) make the same site, byte for byte, as a build
//! from nothing.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::harness::SiteTest;

/// Every file under `dir`, relative, with its bytes.
fn tree(dir: &Path) -> Vec<(std::path::PathBuf, Vec<u8>)> {
    let mut files: Vec<_> = walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.expect("walk"))
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).expect("under dir").to_path_buf();
            (rel, std::fs::read(e.path()).expect("read"))
        })
        .collect();
    files.sort();
    files
}

/// The site built from nothing, with no cache read or written.
fn clean_build(t: &SiteTest, step: &str) -> Vec<(std::path::PathBuf, Vec<u8>)> {
    let dir = t.root().join(format!("clean-{step}"));
    t.run(&[
        "build",
        "--no-cache",
        "--output",
        dir.to_str().expect("utf8"),
    ])
    .assert_ok();
    let files = tree(&dir);
    std::fs::remove_dir_all(&dir).expect("remove");
    files
}

/// `(reused, made)` from a `--timings` build's report.
fn counts(t: &SiteTest) -> (usize, usize) {
    let run = t.run(&["build", "--timings"]);
    run.assert_ok();
    let err = run.stderr();
    let line = err
        .lines()
        .find(|l| l.contains("results reused"))
        .unwrap_or_else(|| panic!("no cache line in:\n{err}"));
    let numbers: Vec<usize> = line
        .split(|c: char| !c.is_ascii_digit())
        .filter_map(|n| n.parse().ok())
        .collect();
    (numbers[0], numbers[1])
}

/// A seed with a line that is kept while one article has it, and dropped
/// as site chrome once a second article repeats it.
const HARBOUR: &str = "Port officials said on Monday that soybean cargoes bound for China had resumed after the Busan meeting.\n\nharbour notes for subscribers\n\nThe shipments are the first since the spring, traders said, and more are expected before the end of the year.\n";

fn add_harbour_seed(t: &SiteTest, name: &str, id: &str, text: &str) {
    t.write(&format!("seeds/{name}"), text);
    let toml = t.read("seeds/sources.toml");
    t.save(
        "seeds/sources.toml",
        format!(
            "{toml}\n[[source]]\nid = \"{id}\"\nfile = \"{name}\"\ntitle = \"Soybean cargoes resume\"\npublisher = \"unknown\"\ndate = \"2025-11-03\"\nurl = \"unknown\"\n"
        ),
    );
}

#[test]
fn cached_builds_equal_clean_builds_after_a_sequence_of_edits() {
    let t = SiteTest::real();
    add_harbour_seed(&t, "x1.txt", "harbour-one", HARBOUR);
    let (reused, made) = counts(&t);
    assert_eq!(reused, 0, "a first build has nothing to reuse");
    assert!(made > 10, "made {made}");
    assert!(t.root().join(".dossier-cache/CACHEDIR.TAG").is_file());
    assert_eq!(t.read(".dossier-cache/.gitignore"), "*\n");
    let (reused, again) = counts(&t);
    assert_eq!(
        (reused, again),
        (made, 0),
        "an unchanged project reuses every result"
    );
    // Each step changes one input a cached result was made from.
    let steps: [(&str, &dyn Fn()); 14] = [
        ("seed edit", &|| {
            t.edit(
                "seeds/004_096332168e515902.txt",
                "advisers have warned",
                "advisers have cautioned",
            );
        }),
        // x1's bytes stay the same, but its line now recurs: it must be
        // cleaned again, not taken from the cache.
        ("recurring line", &|| {
            let other = HARBOUR
                .replace(
                    "Port officials said on Monday",
                    "Dock workers said on Tuesday",
                )
                .replace("first since the spring", "first such cargoes in months");
            add_harbour_seed(&t, "x2.txt", "harbour-two", &other);
        }),
        ("topic keywords", &|| {
            t.edit(
                "content/topics/visits.md",
                "keywords = [\"visit\",",
                "keywords = [\"Kuala Lumpur\", \"visit\",",
            );
        }),
        ("reference date", &|| {
            t.edit(
                "seeds/sources.toml",
                "reference_date = \"2025-10-30\"",
                "reference_date = \"2025-10-29\"",
            );
        }),
        ("rename", &|| {
            t.rename_seed("001_afada67767e2f742.txt", "zz-renamed.txt")
        }),
        // What a source page shows besides its text: who cites which words,
        // and its entry in sources.toml.
        ("citation", &|| {
            t.edit(
                "content/topics/soybeans.md",
                " [@kl-talks: \"the first such drop since 2018\"]",
                "",
            );
        }),
        ("source notes", &|| {
            t.edit(
                "seeds/sources.toml",
                "notes = \"No headline",
                "notes = \"EDITED. No headline",
            );
        }),
        // A sentence that also reports a found date: the event is the
        // same, the words the timeline shows for it are not.
        ("also-reported text", &|| {
            t.edit(
                "seeds/002_c994469ea647c904.txt",
                "expanded technology restrictions and threatened",
                "widened technology restrictions and threatened",
            );
        }),
        // An authored page: its references name the sources it cites.
        ("cited page", &|| {
            t.write(
                "content/briefing.md",
                "+++\ntitle = \"Briefing\"\n+++\nChina said it would buy again [@busan-outcomes: \"commitment to resume large-scale soybean purchases from the United States\"], after buying none [@kl-talks: \"collapsed to zero tons in September 2025\"].\n",
            );
        }),
        // The timeline and that page name the sources they cite.
        ("source short name", &|| {
            t.edit(
                "seeds/sources.toml",
                "short = \"Post-Busan report\"",
                "short = \"Post-Busan summary\"",
            );
        }),
        // What readers are warned of where a source is cited.
        ("source flags", &|| {
            t.edit(
                "seeds/sources.toml",
                "flags = [\"AI-generated\"]",
                "flags = [\"AI-generated\", \"unverified\"]",
            );
        }),
        // A built file changed by hand is made again, not trusted.
        ("hand-edited output", &|| {
            let page = t.out().join("sources/kl-talks/index.html");
            let html = std::fs::read_to_string(&page).expect("page");
            std::fs::write(&page, html.replace("</main>", "HAND EDIT</main>")).expect("write");
        }),
        // x1's line is back to recurring nowhere.
        ("delete", &|| {
            std::fs::remove_file(t.root().join("seeds/x2.txt")).expect("delete");
            let toml = t.read("seeds/sources.toml");
            let entry = toml
                .find("\n[[source]]\nid = \"harbour-two\"")
                .expect("entry");
            t.save("seeds/sources.toml", &toml[..entry]);
        }),
        ("damaged cache", &|| {
            let shards = t.root().join(".dossier-cache/stages");
            for f in std::fs::read_dir(shards).expect("cache files") {
                let file = f.expect("entry").path();
                let bytes = std::fs::read(&file).expect("cache file");
                std::fs::write(&file, &bytes[..bytes.len() / 2]).expect("truncate");
            }
        }),
    ];
    for (step, change) in steps {
        change();
        let (reused, made) = counts(&t);
        if step == "seed edit" {
            assert!(
                reused > 0 && made > 0,
                "{step}: reused {reused}, made {made}"
            );
        }
        assert!(
            tree(&t.out()) == clean_build(&t, step),
            "after {step}: the cached build differs from a clean build"
        );
    }
    let x1 = std::fs::read_to_string(t.out().join("sources/harbour-one/index.html")).expect("x1");
    assert!(
        !x1.contains("recurs in other articles"),
        "with x2 deleted, x1's line is its own again"
    );
}

/// Wait until `path` holds `needle`.
fn wait_for(path: &Path, needle: &str) {
    wait_until(path, &format!("held {needle:?}"), |s| s.contains(needle));
}

/// Wait until the file at `path` is there and its text passes `done`.
fn wait_until(path: &Path, what: &str, done: impl Fn(&str) -> bool) {
    let started = Instant::now();
    while !std::fs::read_to_string(path).is_ok_and(|s| done(&s)) {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "{} never {what}",
            path.display()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn build_watch_rebuilds_equal_clean_builds() {
    let t = SiteTest::real();
    let mut watching = Command::new(env!("CARGO_BIN_EXE_dossier"))
        .arg("--root")
        .arg(t.root())
        .args(["build", "--watch"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start build --watch");
    // Saves before the watcher starts would go unseen.
    let stderr = watching.stderr.take().expect("stderr");
    let mut lines = std::io::BufRead::lines(std::io::BufReader::new(stderr));
    assert!(
        lines.any(|l| l.is_ok_and(|l| l.contains("watching for changes"))),
        "build --watch never started watching"
    );
    // Keep reading, so the pipe never fills and blocks the builds.
    std::thread::spawn(move || lines.for_each(drop));
    let source = t.out().join("sources/nov24-call/index.html");
    t.edit(
        "seeds/004_096332168e515902.txt",
        "advisers have warned",
        "advisers have WATCHED",
    );
    wait_for(&source, "advisers have WATCHED");
    t.edit(
        "content/_index.md",
        "is a package of",
        "is, WATCHED, a package of",
    );
    wait_for(&t.out().join("index.html"), "WATCHED");
    // A page's words change: the kept search index is patched, not merged.
    t.edit(
        "content/about.md",
        "This site explains",
        "Zyxwatched: this site explains",
    );
    wait_for(&t.out().join("about/index.html"), "Zyxwatched");
    settled_equals_clean(&t, "watch-edits");
    // A new page: every document after it is renumbered, so the index is
    // merged anew.
    t.write(
        "content/watched.md",
        "+++\ntitle = \"Watched\"\n+++\nQuxwatched words.\n",
    );
    wait_for(&t.out().join("watched/index.html"), "Quxwatched");
    settled_equals_clean(&t, "watch-new-page");
    // A new seed makes a line of another recur: that other seed, unchanged
    // itself, is cleaned again (its kept result no longer holds).
    let line = "Harbour desk notes";
    let a = t.out().join("sources/watch-a/index.html");
    t.write("seeds/watch_a.txt", &harbour_seed("The harbour board met on Tuesday and agreed to spend more on the old locks, after a winter of delays.", line));
    wait_for(&a, line);
    t.write("seeds/watch_b.txt", &harbour_seed("The ferry union voted on Friday to accept the winter rota, ending a strike that kept the boats in port.", line));
    wait_for(&a, "recurs in other articles");
    settled_equals_clean(&t, "watch-recurring-line");
    std::fs::remove_file(t.root().join("seeds/watch_b.txt")).expect("remove a seed");
    wait_until(&a, "no longer recurs", |s| {
        !s.contains("recurs in other articles")
    });
    settled_equals_clean(&t, "watch-removed-seed");
    let _ = watching.kill();
    let _ = watching.wait();
}

/// A seed of two prose paragraphs and then `line`, which reads as chrome
/// only when another seed has it too.
fn harbour_seed(prose: &str, line: &str) -> String {
    format!(
        "{prose}\n\nThe work starts in spring and should be finished within two years, officials said after the vote.\n\n{line}\n"
    )
}

/// Once the watcher's build has swapped in, the site equals a clean build.
fn settled_equals_clean(t: &SiteTest, step: &str) {
    // Give the last rename a moment to land.
    std::thread::sleep(Duration::from_millis(300));
    assert!(
        tree(&t.out()) == clean_build(t, step),
        "after {step}, the watched rebuild differs from a clean build"
    );
}
