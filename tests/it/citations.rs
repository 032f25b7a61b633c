//! Citations are verified against the cleaned source text.

use crate::harness::{SiteTest, attrs, texts};

#[test]
fn every_citation_links_to_an_existing_sentence() {
    let t = SiteTest::real();
    t.build().assert_ok();
    let mut count = 0;
    for page in [
        "index.html",
        "topics/soybeans/index.html",
        "topics/rare-earths/index.html",
        "topics/fentanyl-tariffs/index.html",
        "topics/visits/index.html",
        "timeline/index.html",
    ] {
        for href in attrs(&t.page(page), "sup.cite a", "href") {
            count += 1;
            let (path, frag) = href.split_once('#').unwrap_or((&href, ""));
            let source = t.page(&format!("{}index.html", path.trim_start_matches('/')));
            if !frag.is_empty() {
                assert_eq!(
                    attrs(&source, &format!("span.s[id=\"{frag}\"]"), "id").len(),
                    1,
                    "{page}: {href}"
                );
            }
        }
    }
    assert!(count > 100, "only {count} citations");
}

#[test]
fn a_quote_tolerates_curly_quotes_dashes_and_spacing() {
    let t = SiteTest::real();
    // The seed has curly apostrophes and an em dash; the author typed straight ones.
    t.write("content/notes/q.md", "+++\ntitle = \"Q\"\n+++\nA claim [@busan-outcomes: \"China's state-owned COFCO has already bought three shipments from this year's US harvest - a gesture\"].\n");
    t.build().assert_ok();
    let href = attrs(&t.page("notes/q/index.html"), "sup.cite a", "href");
    assert_eq!(href, ["/sources/busan-outcomes/#p7-s1"]);
}

#[test]
fn a_wrong_quote_fails_with_file_line_and_the_closest_passage() {
    let t = SiteTest::real();
    t.write("content/notes/q.md", "+++\ntitle = \"Q\"\n+++\nIntro.\n\nA claim [@busan-outcomes: \"cut fentanyl-related tariffs on China to 15 percent\"].\n");
    let run = t.build();
    run.assert_fails_with(
        "content/notes/q.md:6:9: error: quote not found in source \"busan-outcomes\"",
    );
    assert!(run.stderr().contains("closest passage in seeds/000_6cca8dc3e9c3e27b.txt: \"Trump confirmed that he had agreed to cut fentanyl-related tariffs on China to 10 percent"), "{}", run.stderr());
}

#[test]
fn an_unknown_source_id_fails_with_the_known_ids() {
    let t = SiteTest::real();
    t.write(
        "content/notes/q.md",
        "+++\ntitle = \"Q\"\n+++\nA claim [@busan].\n",
    );
    let run = t.build();
    run.assert_fails_with("content/notes/q.md:4:9: error: unknown source id \"busan\"");
    assert!(
        run.stderr().contains(
            "known ids: busan-outcomes, kl-talks, deal-prospects, progress-call, nov24-call"
        ),
        "{}",
        run.stderr()
    );
}

#[test]
fn an_uncited_timeline_event_fails() {
    let t = SiteTest::real();
    t.write(
        "content/timeline/2025-11-30-uncited.md",
        "+++\ntitle = \"Something\"\ndate = \"2025-11-30\"\n+++\nNo source here.\n",
    );
    t.build().assert_fails_with(
        "content/timeline/2025-11-30-uncited.md:5: error: timeline event has no citation",
    );
    t.write(
        "content/timeline/2025-11-30-uncited.md",
        "+++\ntitle = \"Something\"\ndate = \"30 Nov 2025\"\n+++\nNo source here.\n",
    );
    t.build().assert_fails_with(
        "content/timeline/2025-11-30-uncited.md:3:8: error: invalid date \"30 Nov 2025\"",
    );
}

#[test]
fn markers_hug_the_word_follow_the_punctuation_and_merge_when_repeated() {
    let t = SiteTest::real();
    t.write(
        "content/notes.md",
        "+++\ntitle = \"Notes\"\n+++\nTalks were set for late October [@kl-talks: \"scheduled for October 24–27\"] [@kl-talks: \"scheduled for October 24–27\"] . Then more [@kl-talks: \"scheduled for October 24–27\"], and more\n[@deal-prospects: \"when they meet Thursday in South Korea\"]\n",
    );
    t.build().assert_ok();
    let page = t.read("public/notes/index.html");
    let body = page.split("<article").nth(1).expect("article");
    // After the full stop, joined to it, one marker for the sentence cited twice.
    assert!(
        body.contains("late October.\u{2060}<sup class=\"cite\">"),
        "{body}"
    );
    assert_eq!(
        body.matches("aria-label=\"Source 1\"").count(),
        2,
        "[1] [1] merged, then cited again: {body}"
    );
    assert!(body.contains("Then more,\u{2060}<sup"), "{body}");
    // A marker on its own source line still hugs the word before it.
    assert!(body.contains("and more\u{2060}<sup"), "{body}");
    assert!(
        !body.contains(" <sup class=\"cite\">"),
        "no space before a marker: {body}"
    );
}

#[test]
fn reference_quotes_are_curly_with_the_sources_own_marks_made_single() {
    let t = SiteTest::real();
    t.build().assert_ok();
    let mut seen_inner = false;
    for slug in ["visits", "soybeans", "rare-earths", "fentanyl-tariffs"] {
        let doc = t.page(&format!("topics/{slug}/index.html"));
        for q in texts(&doc, ".references q") {
            // <q> adds “ ”: the text itself holds no double marks at all.
            assert!(!q.contains(['“', '”', '"']), "{slug}: {q}");
            seen_inner |= q.contains('‘');
        }
    }
    assert!(
        seen_inner,
        "the real sources quote people: some references hold ‘…’"
    );
    let css = t.read("public/style.css");
    assert!(css.contains("q { quotes: \"“\" \"”\" \"‘\" \"’\"; }"));
}

#[test]
fn references_use_short_names_and_say_how_weak_each_source_is() {
    let t = SiteTest::real();
    t.build().assert_ok();
    let home = t.page("index.html");
    assert_eq!(
        texts(&home, ".rests-on")[0],
        "This explainer rests on 5 news sources: 4 of them undated, 4 from an unknown publisher, 1 AI-generated. See every source."
    );
    let doc = t.page("topics/rare-earths/index.html");
    let items = texts(&doc, ".references li");
    // kl-talks: its short name, its flag; a dated source with a publisher has no badge for them.
    let kl = items
        .iter()
        .find(|i| i.contains("AInvest on the Malaysia talks"))
        .expect("kl-talks cited by short name");
    assert!(
        kl.contains("AI-generated") && !kl.contains("no date"),
        "{kl}"
    );
    let busan = items
        .iter()
        .find(|i| i.contains("Post-Busan report"))
        .expect("busan-outcomes cited by short name");
    assert!(
        busan.contains("no date") && busan.contains("publisher unknown"),
        "{busan}"
    );
    // The full title stays one hover away.
    let titles = attrs(&doc, ".references li a", "title");
    assert!(
        titles
            .iter()
            .any(|x| x.starts_with("U.S., China Seek Truce on Rare Earths"))
    );
    // Without `short`, a long title is cut to its first words.
    let toml = t.read("seeds/sources.toml");
    t.write(
        "seeds/sources.toml",
        &toml.replace("short = \"AInvest on the Malaysia talks\"\n", ""),
    );
    t.build().assert_ok();
    let doc = t.page("topics/rare-earths/index.html");
    assert!(
        texts(&doc, ".references li a")
            .iter()
            .any(|a| a == "U.S., China Seek Truce on Rare…"),
        "{:?}",
        texts(&doc, ".references li a")
    );
}

#[test]
fn a_quotation_shows_where_the_source_lost_words_without_changing_the_source() {
    let t = SiteTest::real();
    t.build().assert_ok();
    // kl-talks lost link text when it was scraped ("The talks, [link cut] are led by …").
    let refs = texts(&t.page("topics/rare-earths/index.html"), ".references q");
    assert!(
        refs.iter()
            .any(|q| q.starts_with("The talks, […] are led by")),
        "{refs:?}"
    );
    // The source page keeps its own gap mark, and search keeps the plain text.
    let source = t.read("public/sources/kl-talks/index.html");
    assert!(source.contains("class=\"gap\""));
    assert!(
        crate::build::search_docs(&t)
            .iter()
            .all(|d| !d.to_string().contains("[…]"))
    );
}

#[test]
fn a_sentence_marked_sic_says_so_where_it_is_shown_and_quoted() {
    let t = SiteTest::real();
    t.edit(
        "seeds/sources.toml",
        "flags = [\"AI-generated\"]",
        "flags = [\"AI-generated\"]\nsic = [\"p3-s2\"]",
    );
    t.build().assert_ok();
    let source = t.page("sources/kl-talks/index.html");
    assert_eq!(texts(&source, "[id=\"p3-s2\"] > .sic"), ["[sic]"]);
    assert!(texts(&source, "[id=\"p3-s1\"] > .sic").is_empty());
    // The soybeans page quotes that sentence in its references.
    let soy = t.page("topics/soybeans/index.html");
    assert!(
        texts(&soy, ".references li")
            .iter()
            .any(|r| r.contains("collapsed to zero tons") && r.contains("[sic]")),
    );
    // The stored text is unchanged: search and the data files have no [sic].
    assert!(!t.read("public/sources.json").contains("[sic]"));
    // An anchor that names no sentence is an error at its line.
    t.edit(
        "seeds/sources.toml",
        "sic = [\"p3-s2\"]",
        "sic = [\"p99-s1\"]",
    );
    let line = t
        .read("seeds/sources.toml")
        .lines()
        .position(|l| l.starts_with("sic = "))
        .expect("sic line")
        + 1;
    t.build()
        .assert_fails_with(&format!("seeds/sources.toml:{line}"))
        .assert_fails_with("p99-s1");
}
