//! Bad input: a clear message naming file and line, exit 1, old site intact.

use crate::harness::{SiteTest, texts};

#[test]
fn unknown_config_key_fails_naming_file_and_line_and_keeps_the_old_site() {
    let t = SiteTest::real();
    t.build().assert_ok();
    let before = t.snapshot();
    let config = t.read("dossier.toml");
    let line = config.lines().count() + 1;
    t.write("dossier.toml", &format!("{config}colour = \"red\"\n"));
    t.build().assert_fails_with(&format!(
        "dossier.toml:{line}:1: error: unknown field `colour`"
    ));
    assert_eq!(t.snapshot(), before, "failed build changed the output");
}

#[test]
fn broken_template_fails_naming_template_and_line_and_keeps_the_old_site() {
    let t = SiteTest::real();
    t.build().assert_ok();
    let before = t.snapshot();
    let line = t.break_template("templates/topic.html");
    t.build()
        .assert_fails_with(&format!("templates/topic.html:{line}:"));
    assert_eq!(t.snapshot(), before);
}

#[test]
fn undefined_template_variable_fails_naming_template_and_line() {
    let t = SiteTest::real();
    t.build().assert_ok();
    let before = t.snapshot();
    t.edit(
        "templates/page.html",
        "<h1>{{ page.title }}</h1>",
        "<h1>{{ page.no_such_field }}</h1>",
    );
    let line = t
        .read("templates/page.html")
        .lines()
        .position(|l| l.contains("no_such_field"))
        .expect("line")
        + 1;
    t.build()
        .assert_fails_with(&format!("templates/page.html:{line}:"));
    assert_eq!(t.snapshot(), before);
}

#[test]
fn front_matter_errors_are_located() {
    let t = SiteTest::real();
    t.write(
        "content/bad.md",
        "+++\ntitle = \"Bad\"\nweight = \"heavy\"\n+++\nBody\n",
    );
    t.build()
        .assert_fails_with("content/bad.md:3:10: error: invalid type");
    t.write(
        "content/bad.md",
        "+++\ntitle = \"Bad\"\nauthor = \"me\"\n+++\nBody\n",
    );
    t.build()
        .assert_fails_with("content/bad.md:3:1: error: unknown field `author`");
    t.write("content/bad.md", "+++\ntitle = \"Bad\"\nBody\n");
    t.build().assert_fails_with(
        "content/bad.md:1:1: error: front matter opened on line 1 is never closed",
    );
}

#[test]
fn binary_seed_and_duplicate_ids_fail_clearly() {
    let t = SiteTest::real();
    std::fs::write(
        t.root().join("seeds/image.txt"),
        b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR",
    )
    .expect("write");
    t.build()
        .assert_fails_with("seeds/image.txt: error: looks like a binary file");
    std::fs::remove_file(t.root().join("seeds/image.txt")).expect("rm");
    let toml = t.read("seeds/sources.toml");
    let line = toml
        .lines()
        .position(|l| l == "id = \"kl-talks\"")
        .expect("kl-talks entry")
        + 1;
    t.edit(
        "seeds/sources.toml",
        "id = \"kl-talks\"",
        "id = \"busan-outcomes\"",
    );
    t.build().assert_fails_with(&format!(
        "seeds/sources.toml:{line}:6: error: duplicate source id \"busan-outcomes\""
    ));
}

#[test]
fn output_that_is_or_holds_the_project_is_refused_however_spelled() {
    let t = SiteTest::real();
    let name = t.root().file_name().expect("name").to_str().expect("utf8");
    let before = t.snapshot_of(t.root());
    // From inside the project, as a user would type it.
    let run = |out: &str| {
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_dossier"))
            .current_dir(t.root())
            .args(["build", "--output", out])
            .output()
            .expect("run");
        assert_eq!(output.status.code(), Some(1), "{out} was accepted");
        String::from_utf8_lossy(&output.stderr).into_owned()
    };
    for (out, why) in [
        (format!("../{name}"), "project root"),
        ("public/..".to_string(), "project root"),
        ("..".to_string(), "project root"),
        ("public/../content".to_string(), "content/"),
        ("content/site".to_string(), "content/"),
        ("static/../seeds/x".to_string(), "seeds/"),
        (".git".to_string(), ".git"),
        ("dossier.toml".to_string(), "dossier.toml"),
    ] {
        let err = run(&out);
        assert!(
            err.contains("refusing to replace") && err.contains(why),
            "{out}: {err}"
        );
        assert!(
            !err.contains("left untouched") || !err.contains("moved"),
            "{err}"
        );
    }
    // A symlink that leads into the inputs is followed before comparing.
    std::os::unix::fs::symlink(t.root().join("templates"), t.root().join("out-link"))
        .expect("symlink");
    assert!(run("out-link").contains("templates/"));
    assert_eq!(t.snapshot_of(t.root()), before, "the project changed");
    assert!(
        !t.root()
            .parent()
            .expect("parent")
            .join(format!(".{name}.trash"))
            .exists()
    );
}

#[test]
fn a_file_or_a_folder_dossier_did_not_build_is_not_replaced() {
    let t = SiteTest::real();
    let notes = t.root().join("notes.txt");
    std::fs::write(&notes, "my notes").expect("write");
    t.run(&["build", "--output", notes.to_str().expect("utf8")])
        .assert_fails_with("it exists and is not a folder");
    assert_eq!(std::fs::read_to_string(&notes).expect("notes"), "my notes");
    let docs = t.root().join("docs");
    t.write("docs/plan.md", "my plan");
    let docs_arg = docs.to_str().expect("utf8");
    for _ in 0..3 {
        t.run(&["build", "--output", docs_arg])
            .assert_fails_with("pass --force to replace it");
    }
    assert_eq!(t.read("docs/plan.md"), "my plan");
    // With --force it is replaced, and from then on it carries the marker.
    t.run(&["build", "--output", docs_arg, "--force"])
        .assert_ok();
    assert!(docs.join(".dossier-site").is_file());
    assert!(!docs.join("plan.md").exists());
    t.run(&["build", "--output", docs_arg]).assert_ok();
    // An empty folder, or one dossier built, needs no --force.
    std::fs::create_dir_all(t.root().join("empty")).expect("mkdir");
    t.run(&[
        "build",
        "--output",
        t.root().join("empty").to_str().expect("utf8"),
    ])
    .assert_ok();
}

#[test]
fn two_builds_at_once_into_one_folder_both_leave_a_whole_site() {
    let t = SiteTest::real();
    for i in 0..400 {
        t.write(
            &format!("content/notes/n{i:04}.md"),
            &format!("+++\ntitle = \"Note {i}\"\n+++\nSoybean note {i}.\n"),
        );
    }
    t.build().assert_ok();
    let whole = t.snapshot().len();
    for round in 0..6 {
        let spawn = || {
            std::process::Command::new(env!("CARGO_BIN_EXE_dossier"))
                .arg("--root")
                .arg(t.root())
                .arg("build")
                .stderr(std::process::Stdio::piped())
                .spawn()
                .expect("spawn")
        };
        let (a, b) = (spawn(), spawn());
        for child in [a, b] {
            let out = child.wait_with_output().expect("wait");
            assert!(
                out.status.success(),
                "round {round}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        assert_eq!(t.snapshot().len(), whole, "round {round}: partial site");
    }
}

/// Run a build with the fault-injection hook armed at `point`, wait until it
/// says it paused there, and kill it with SIGKILL. Returns the pause line.
fn kill_build_at(t: &SiteTest, point: &str) -> String {
    use std::io::BufRead;
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_dossier"))
        .arg("--root")
        .arg(t.root())
        .arg("build")
        .env("DOSSIER_PAUSE_AT", point)
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn");
    let stderr = child.stderr.take().expect("stderr");
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stderr)
            .lines()
            .map_while(Result::ok)
        {
            let _ = tx.send(line);
        }
    });
    let mut seen = Vec::new();
    let paused = loop {
        match rx.recv_timeout(std::time::Duration::from_secs(60)) {
            Ok(line) if line.starts_with(&format!("paused at {point}")) => break Some(line),
            Ok(line) => seen.push(line),
            Err(_) => break None,
        }
    };
    let _ = child.kill(); // SIGKILL
    let status = child.wait().expect("wait");
    let paused = paused.unwrap_or_else(|| {
        panic!(
            "the build never paused at {point} ({status:?}):\n{}",
            seen.join("\n")
        )
    });
    assert_eq!(
        std::os::unix::process::ExitStatusExt::signal(&status),
        Some(9),
        "the build was not killed mid-way: {status:?}"
    );
    paused
}

/// Every file under `dir`, relative to it, with its bytes.
fn files_in(t: &SiteTest, dir: &std::path::Path) -> Vec<(std::path::PathBuf, Vec<u8>)> {
    t.snapshot_of(dir)
        .into_iter()
        .map(|(p, bytes)| (p.strip_prefix(dir).expect("prefix").to_path_buf(), bytes))
        .collect()
}

/// What a build leaves beside `public/` once it has finished: the lock file
/// (only ever locked by a live build), the stamps of the site's files (what
/// they held when written) and the trash the next build empties.
fn assert_cleaned_up(t: &SiteTest) {
    let mut leftovers: Vec<String> = std::fs::read_dir(t.root())
        .expect("root")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".public."))
        .collect();
    leftovers.sort();
    assert_eq!(
        leftovers,
        [".public.lock", ".public.stamps", ".public.trash"]
    );
}

/// A site built `times` times, then an edit that changes the home page, for
/// a build to be killed on its way to publishing it. From the second build
/// on, the trash holds a site for the next build to recycle as staging.
fn built_then_edited(times: usize) -> (SiteTest, Vec<(std::path::PathBuf, Vec<u8>)>) {
    let t = SiteTest::real();
    for _ in 0..times {
        t.build().assert_ok();
    }
    let before = files_in(&t, &t.out());
    t.edit(
        "content/_index.md",
        "is a package of",
        "is, KILLED, a package of",
    );
    (t, before)
}

#[test]
fn kill_9_mid_write_leaves_the_previous_site_whole() {
    kill_9_mid_write_after(1);
}

/// The recycled staging tree shares unchanged files with the live site as
/// hard links: a write into it must never reach through one.
#[test]
fn kill_9_mid_write_into_a_recycled_tree_leaves_the_previous_site_whole() {
    kill_9_mid_write_after(2);
}

fn kill_9_mid_write_after(builds: usize) {
    let (t, before) = built_then_edited(builds);
    let paused = kill_build_at(&t, "mid-write");
    // The kill landed on a half-written file of the staged site…
    let half = std::path::PathBuf::from(
        paused
            .strip_prefix("paused at mid-write of ")
            .expect("the file being written"),
    );
    let staging = half
        .ancestors()
        .find(|a| {
            a.parent() == Some(t.root())
                && a.file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with(".public.staging-"))
        })
        .unwrap_or_else(|| panic!("{} is not in a staging folder", half.display()))
        .to_path_buf();
    let rel = half
        .strip_prefix(&staging)
        .expect("in staging")
        .to_path_buf();
    let half_len = std::fs::metadata(&half).expect("half-written file").len();
    // …and the site being served did not change at all.
    assert_eq!(files_in(&t, &t.out()), before);
    t.build().assert_ok();
    assert!(t.read("public/index.html").contains("KILLED"));
    let whole_len = std::fs::metadata(t.out().join(&rel)).expect("rel").len();
    assert!(half_len < whole_len, "{} was written whole", rel.display());
    assert!(
        !staging.exists(),
        "the killed build's staging folder is left"
    );
    assert_cleaned_up(&t);
}

#[test]
fn kill_9_between_the_renames_is_recovered_by_the_next_build() {
    let (t, before) = built_then_edited(1);
    kill_build_at(&t, "between-renames");
    // The kill landed after the first rename: the site is in the trash, whole.
    assert!(!t.out().exists(), "public/ was not yet moved out");
    let trash = t.root().join(".public.trash");
    let mut trashed: Vec<_> = std::fs::read_dir(&trash)
        .expect("trash")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    trashed.sort();
    let newest = trashed.pop().expect("the previous site in the trash");
    assert_eq!(files_in(&t, &newest), before);
    // The next build puts it back first, so even one that then fails (at
    // render, after taking the output) leaves the previous site in place.
    t.edit(
        "templates/page.html",
        "<h1>{{ page.title }}</h1>",
        "<h1>{{ page.no_such_field }}</h1>",
    );
    t.build().assert_fails_with("templates/page.html:");
    assert_eq!(files_in(&t, &t.out()), before);
    t.edit(
        "templates/page.html",
        "<h1>{{ page.no_such_field }}</h1>",
        "<h1>{{ page.title }}</h1>",
    );
    t.build().assert_ok();
    assert!(t.read("public/index.html").contains("KILLED"));
    assert_cleaned_up(&t);
}

#[test]
fn unusual_seeds_build_with_warnings() {
    let t = SiteTest::real();
    std::fs::write(
        t.root().join("seeds/latin.txt"),
        b"D\xe9tente in Busan\nThe d\xe9tente held on November 3, 2025.\n",
    )
    .expect("write");
    std::fs::write(t.root().join("seeds/empty.txt"), b"").expect("write");
    std::fs::write(t.root().join("seeds/blank.txt"), b"  \r\n\t\r\n").expect("write");
    std::fs::write(
        t.root().join("seeds/crlf.txt"),
        b"\xEF\xBB\xBFCRLF Story\r\nChina bought soybeans.\r\nIt said so.\r\n",
    )
    .expect("write");
    let run = t.build();
    run.assert_ok();
    let err = run.stderr();
    assert!(
        err.contains("seeds/latin.txt: warning: not valid UTF-8; read as Windows-1252"),
        "{err}"
    );
    assert!(
        err.contains("seeds/empty.txt: warning: the article is empty; skipped"),
        "{err}"
    );
    assert!(
        err.contains("seeds/blank.txt: warning: the article is empty; skipped"),
        "{err}"
    );
    assert!(
        t.read("public/sources/latin/index.html")
            .contains("The détente held")
    );
    let crlf = texts(&t.page("sources/crlf/index.html"), ".source-text span.s");
    assert_eq!(crlf, ["China bought soybeans.", "It said so."]);
    assert_eq!(
        texts(&t.page("sources/crlf/index.html"), "h1"),
        ["CRLF Story"]
    );
}

#[test]
fn a_page_on_a_generated_url_and_a_symlink_loop_fail_clearly() {
    let t = SiteTest::real();
    t.write("content/timeline.md", "+++\ntitle = \"Mine\"\n+++\nx\n");
    t.build().assert_fails_with(
        "content/timeline.md: error: URL /timeline/ is reserved for a generated page",
    );
    std::fs::remove_file(t.root().join("content/timeline.md")).expect("rm");
    std::os::unix::fs::symlink(
        t.root().join("content"),
        t.root().join("content/notes-loop"),
    )
    .expect("symlink");
    t.build()
        .assert_fails_with("content/notes-loop: error: cannot read: symlink loop");
}

/// Just over the 5 MB warning threshold: the same code path as a 50 MB
/// seed at a tenth of the debug-build time. The 50 MB case is a benchmark
/// (`bench/adversarial.py`, "50 MB seed").
#[test]
fn a_seed_over_5_mb_builds_with_a_warning() {
    let t = SiteTest::real();
    let article = t.read("seeds/002_c994469ea647c904.txt");
    let mut huge = String::with_capacity(6_100_000);
    let mut n = 0;
    while huge.len() < 6_000_000 {
        // Numbered, so the repeated-paragraph rule does not fold it away.
        huge.push_str(&article.replace("soybean", &format!("soybean{n}")));
        n += 1;
    }
    t.write("seeds/huge.txt", &huge);
    let run = t.build();
    run.assert_ok();
    assert!(
        run.stderr()
            .contains("seeds/huge.txt: warning: 6.0 MB is far more than a news article"),
        "{}",
        run.stderr()
    );
    let page = t.read("public/sources/huge/index.html");
    assert!(
        page.contains(&format!("soybean{}", n - 1)),
        "last copy is on the page"
    );
    assert!(page.trim_end().ends_with("</html>"));
}

#[test]
fn topic_slugs_are_file_names_so_two_topics_cannot_share_one() {
    // A slug is the topic's file name, which is unique in content/topics/;
    // the one way to fold two names onto one (case) is refused.
    let t = SiteTest::real();
    t.write(
        "content/topics/Soybeans.md",
        "+++\ntitle = \"Soy\"\nsummary = \"x\"\nkeywords = [\"soy\"]\n+++\nx\n",
    );
    t.build().assert_fails_with(
        "content/topics/Soybeans.md: error: topic file name \"Soybeans\" is not a valid slug",
    );
}

#[test]
fn unreadable_files_are_named() {
    let t = SiteTest::real();
    std::os::unix::fs::symlink("/nonexistent/gone.md", t.root().join("content/gone.md"))
        .expect("symlink");
    t.build()
        .assert_fails_with("content/gone.md: error: cannot read: No such file or directory");
    std::fs::remove_file(t.root().join("content/gone.md")).expect("rm");
    std::os::unix::fs::symlink("/nonexistent/gone.txt", t.root().join("seeds/gone.txt"))
        .expect("symlink");
    t.build()
        .assert_fails_with("seeds/gone.txt: error: cannot read: No such file or directory");
    std::fs::remove_file(t.root().join("seeds/gone.txt")).expect("rm");
    // Permission bits stop reads only for a user without CAP_DAC_OVERRIDE (not root).
    let seed = t.root().join("seeds/003_fce9c39c718ca430.txt");
    std::fs::set_permissions(&seed, std::os::unix::fs::PermissionsExt::from_mode(0o000))
        .expect("chmod");
    if std::fs::read(&seed).is_err() {
        t.build().assert_fails_with(
            "seeds/003_fce9c39c718ca430.txt: error: cannot read: Permission denied",
        );
    }
}

#[test]
fn a_page_on_another_pages_url_fails_naming_both() {
    let t = SiteTest::real();
    t.write(
        "content/sources/kl-talks.md",
        "+++\ntitle = \"Mine\"\n+++\nx\n",
    );
    t.build().assert_fails_with(
        "content/sources/kl-talks.md: error: URL /sources/kl-talks/ is also the URL of seeds/001_afada67767e2f742.txt",
    );
}

#[test]
fn articles_and_pages_are_read_whatever_the_case_of_their_extension() {
    let t = SiteTest::real();
    t.write("seeds/UPPER.TXT", "Upper Story\nChina bought soybeans.\n");
    t.write("seeds/other.text", "Other Story\nChina bought soybeans.\n");
    t.write(
        "seeds/#tagged.txt",
        "Tagged Story\nChina bought soybeans.\n",
    );
    t.write("seeds/#autosave.txt#", "Emacs autosave\n");
    t.write("seeds/notes.docx", "not an article");
    t.write(
        "content/notes/upper.MD",
        "+++\ntitle = \"Upper\"\n+++\nText.\n",
    );
    t.write(
        "content/notes/long.markdown",
        "+++\ntitle = \"Long\"\n+++\nText.\n",
    );
    t.write("content/notes/photo.png", "png");
    let run = t.build();
    run.assert_ok();
    for page in [
        "sources/upper/index.html",
        "sources/other/index.html",
        "sources/tagged/index.html",
        "notes/upper/index.html",
        "notes/long/index.html",
    ] {
        assert!(t.out().join(page).is_file(), "{page} missing");
    }
    let err = run.stderr();
    assert!(
        err.contains("seeds/notes.docx: warning: not read: articles are plain-text files"),
        "{err}"
    );
    assert!(
        err.contains("content/notes/photo.png: warning: not read: content files are markdown"),
        "{err}"
    );
    assert!(!err.contains("autosave"), "{err}");
    assert!(!t.out().join("sources/autosave").exists());
}

#[test]
fn a_listed_file_that_is_not_read_says_why() {
    let t = SiteTest::real();
    t.write("seeds/story.doc", "Story\nText.\n");
    t.edit(
        "seeds/sources.toml",
        "[[source]]",
        "[[source]]\nid = \"story\"\nfile = \"story.doc\"\ntitle = \"unknown\"\npublisher = \"unknown\"\ndate = \"unknown\"\nurl = \"unknown\"\n\n[[source]]",
    );
    t.build()
        .assert_fails_with("lists file \"story.doc\", which is in seeds/ but not read");
    t.edit("seeds/sources.toml", "\"story.doc\"", "\"gone.txt\"");
    t.build()
        .assert_fails_with("lists file \"gone.txt\", but there is no such file in seeds/");
}

#[test]
fn relative_dates_out_of_range_mean_no_date() {
    let t = SiteTest::real();
    t.write(
        "seeds/far.txt",
        "Far Story\nOn November 3, 2025, China bought soybeans. That was 9999999 days ago, or 99999999999 weeks ago, or 999999 months ago.\n",
    );
    let run = t.build();
    run.assert_ok();
    assert!(!run.stderr().contains("panicked"), "{}", run.stderr());
    let run = t.run(&["check"]);
    run.assert_ok();
    assert!(!run.stderr().contains("panicked"), "{}", run.stderr());
}

#[test]
fn authored_markdown_cannot_inject_attributes_scripts_or_uncited_claims() {
    let t = SiteTest::real();
    t.write(
        "content/notes/hostile.md",
        "+++\ntitle = \"Hostile\"\n+++\n## H {#x\"onmouseover=\"alert(1)}\n\nText.\n",
    );
    t.build()
        .assert_fails_with("content/notes/hostile.md:4:1: error: heading id");
    t.write(
        "content/notes/hostile.md",
        "+++\ntitle = \"Hostile\"\n+++\nA claim [@kl-talks: 'single quotes'].\n",
    );
    t.build().assert_fails_with(
        "content/notes/hostile.md:4:9: error: malformed citation \"[@kl-talks: 'single quotes'].\"",
    );
    // Raw HTML is text unless dossier.toml trusts the authors with it.
    t.write(
        "content/notes/hostile.md",
        "+++\ntitle = \"Hostile\"\n+++\nText <script>alert(1)</script> and a [@kl-talks: \"strategic lever\nfor Beijing\"] citation wrapped over a line.\n",
    );
    t.build().assert_ok();
    let html = t.read("public/notes/hostile/index.html");
    assert!(
        html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "{html}"
    );
    assert!(!html.contains("<script>alert(1)"), "{html}");
    assert!(html.contains("href=\"/sources/kl-talks/#p"), "{html}");
}

#[test]
fn links_out_of_the_project_are_refused_not_published() {
    let t = SiteTest::real();
    let outside = tempfile::tempdir().expect("tempdir");
    let secret = outside.path().join("secret.txt");
    std::fs::write(&secret, "SECRET runner token\n").expect("write");
    for (link, says) in [
        ("static/passwd.txt", "static/passwd.txt: is a link to"),
        ("seeds/leak.txt", "seeds/leak.txt: error: is a link to"),
        ("content/leak.md", "content/leak.md: error: is a link to"),
    ] {
        std::os::unix::fs::symlink(&secret, t.root().join(link)).expect("symlink");
        t.build().assert_fails_with(says);
        std::fs::remove_file(t.root().join(link)).expect("rm");
    }
    assert!(!t.out().exists(), "nothing was published");
    // A link that stays inside the project is fine.
    std::os::unix::fs::symlink(
        t.root().join("static/style.css"),
        t.root().join("static/alias.css"),
    )
    .expect("symlink");
    t.build().assert_ok();
    assert!(t.out().join("alias.css").is_file());
}
