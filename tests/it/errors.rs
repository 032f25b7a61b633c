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
fn output_inside_the_inputs_is_refused() {
    let t = SiteTest::real();
    let content = t.root().join("content/site");
    t.run(&["build", "--output", content.to_str().expect("utf8")])
        .assert_fails_with("the output directory must not be");
    t.run(&["build", "--output", t.root().to_str().expect("utf8")])
        .assert_fails_with("the output directory must not be");
    assert!(t.root().join("content/_index.md").exists());
}

#[test]
fn kill_9_during_a_build_leaves_the_previous_site_intact() {
    let t = SiteTest::real();
    for i in 0..1500 {
        t.write(
            &format!("content/notes/n{i:04}.md"),
            &format!("+++\ntitle = \"Note {i}\"\n+++\nSoybean note {i}.\n"),
        );
    }
    t.build().assert_ok();
    let before = t.read("public/index.html");
    let pages = std::fs::read_dir(t.out().join("notes"))
        .expect("notes")
        .count();
    t.edit(
        "content/_index.md",
        "is a package of",
        "is, KILLED, a package of",
    );
    for delay_ms in [5u64, 40, 120, 250, 400] {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_dossier"))
            .arg("--root")
            .arg(t.root())
            .arg("build")
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("spawn");
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
        // Either the old site or, if the build won the race, the whole new one.
        let now = t.read("public/index.html");
        assert!(
            now == before || now.contains("KILLED"),
            "torn index after kill at {delay_ms} ms"
        );
        assert_eq!(
            std::fs::read_dir(t.out().join("notes"))
                .expect("notes")
                .count(),
            pages,
            "partial site after kill at {delay_ms} ms"
        );
    }
    t.build().assert_ok();
    assert!(t.read("public/index.html").contains("KILLED"));
    let leftovers: Vec<String> = std::fs::read_dir(t.root())
        .expect("root")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".public."))
        .collect();
    // The replaced site waits in the trash for the next build to delete it.
    assert_eq!(leftovers, vec![".public.trash".to_string()]);
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
        err.contains("seeds/latin.txt: warning: not valid UTF-8; read as Latin-1"),
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

#[test]
fn a_50_mb_seed_builds_with_a_warning() {
    let t = SiteTest::real();
    let article = t.read("seeds/002_c994469ea647c904.txt");
    let mut huge = String::with_capacity(50_100_000);
    let mut n = 0;
    while huge.len() < 50_000_000 {
        // Numbered, so the repeated-paragraph rule does not fold it away.
        huge.push_str(&article.replace("soybean", &format!("soybean{n}")));
        n += 1;
    }
    t.write("seeds/huge.txt", &huge);
    let run = t.build();
    run.assert_ok();
    assert!(
        run.stderr()
            .contains("seeds/huge.txt: warning: 50.0 MB is far more than a news article"),
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
