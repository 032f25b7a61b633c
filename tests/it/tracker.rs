//! The promises tracker: commitments as content, every figure cited.

use crate::harness::{SiteTest, attrs, texts};

#[test]
fn the_tracker_draws_each_commitment_with_marks_linked_to_sentences() {
    let t = SiteTest::real();
    t.build().assert_ok();
    let page = t.page("tracker/index.html");
    let rows = texts(&page, ".tracker-table tbody tr .lane-name");
    assert_eq!(
        rows,
        [
            "Soybean purchases",
            "Rare earth controls paused",
            "Fentanyl tariff cut",
            "Reciprocal visits"
        ]
    );
    assert_eq!(
        attrs(&page, "svg.tracker-chart rect.lane-window", "x").len(),
        4
    );
    // Every mark and every citation lands on a sentence that exists.
    let marks = attrs(&page, "svg.tracker-chart a", "href");
    assert!(marks.len() >= 6, "{marks:?}");
    for href in marks
        .iter()
        .chain(&attrs(&page, ".tracker-table sup.cite a", "href"))
    {
        let (path, frag) = href.split_once('#').unwrap_or((href, ""));
        if path.is_empty() {
            continue; // a marker's own reference list entry
        }
        let source = t.page(&format!("{}index.html", path.trim_start_matches('/')));
        assert_eq!(
            attrs(&source, &format!("[id=\"{frag}\"]"), "id").len(),
            1,
            "{href}"
        );
    }
    // The soybean lane is filled to the cited 1.8 of 12 million tons.
    assert!(
        texts(&page, ".tracker-table td strong")
            .iter()
            .any(|p| p.starts_with("1.8 of 12 million metric tons")),
    );
    // Each topic page carries its own lane, and the sitemap the tracker.
    let soy = t.page("topics/soybeans/index.html");
    assert_eq!(
        texts(&soy, ".tracker-table .lane-name"),
        ["Soybean purchases"]
    );
    assert!(t.read("public/sitemap.xml").contains("/tracker/"));
}

#[test]
fn a_commitment_quote_that_is_not_in_its_source_fails_at_its_line() {
    let t = SiteTest::real();
    t.edit(
        "content/commitments/soybeans.md",
        "China ordered about 1.8 million tons",
        "China ordered about 9 million tons",
    );
    let line = t
        .read("content/commitments/soybeans.md")
        .lines()
        .position(|l| l.contains("about 9 million tons"))
        .expect("edited line")
        + 1;
    t.build()
        .assert_fails_with(&format!("content/commitments/soybeans.md:{line}"));
}

#[test]
fn a_commitment_status_must_be_one_of_the_known_ones() {
    let t = SiteTest::real();
    t.edit(
        "content/commitments/visits.md",
        "status = \"in progress\"",
        "status = \"done-ish\"",
    );
    t.build()
        .assert_fails_with("content/commitments/visits.md:9")
        .assert_fails_with("is not one of");
}

#[test]
fn a_site_without_commitments_has_no_tracker() {
    let t = SiteTest::real();
    std::fs::remove_dir_all(t.root().join("content/commitments")).expect("remove");
    t.build().assert_ok();
    assert!(!t.out().join("tracker").exists());
    assert!(!t.read("public/index.html").contains("/tracker/"));
}

#[test]
fn topics_show_their_figures_large_with_citations_and_disagreements_side_by_side() {
    let t = SiteTest::real();
    t.build().assert_ok();
    let page = t.page("topics/fentanyl-tariffs/index.html");
    let figures = texts(&page, ".figures > li .figure-caption");
    assert!((4..=6).contains(&figures.len()), "{figures:?}");
    // Every figure carries a citation that lands on a sentence.
    for li in page.select(&crate::harness::sel(".figures > li")) {
        let cites: Vec<_> = li.select(&crate::harness::sel("sup.cite a")).collect();
        assert!(!cites.is_empty(), "{}", li.html());
    }
    let disputed = texts(&page, ".figure.disputed .version-source");
    assert_eq!(
        disputed,
        ["Post-Busan report:", "Report on Trump's 'progress' post:"]
    );
    // A figure without a citation is refused, naming the file.
    t.edit(
        "content/topics/soybeans.md",
        "figure = \"58%\"\ncite = ",
        "figure = \"58%\"\nnote = ",
    );
    t.build().assert_fails_with("content/topics/soybeans.md");
}
