//! The editor's review queue: `dossier review`, `/__review/` in serve, and
//! promoting a candidate with `dossier new event --from`.

use crate::harness::{SiteTest, http_get, texts};

fn queue(t: &SiteTest) -> Vec<serde_json::Value> {
    let run = t.run(&["review", "--json"]);
    run.assert_ok();
    let v: serde_json::Value =
        serde_json::from_slice(&run.output.stdout).expect("review --json is JSON");
    v.as_array().expect("a list").clone()
}

#[test]
fn review_lists_the_real_seeds_candidates_newest_source_first_then_the_undated() {
    let t = SiteTest::real();
    let items = queue(&t);
    // deal-prospects "On Friday, the Trump administration announced …": a
    // dated sentence no authored event covers.
    let friday = items
        .iter()
        .find(|i| i["source"] == "deal-prospects" && i["sentence_id"] == "p15-s1")
        .expect("the Friday investigation is a candidate");
    assert_eq!(friday["date"], "2025-10-24");
    assert_eq!(friday["precision"], "day");
    assert_eq!(friday["phrase"], "On Friday");
    assert!(
        friday["resolved"]
            .as_str()
            .unwrap_or("")
            .contains("reference date 2025-10-27"),
        "{friday}"
    );
    assert_eq!(friday["url"], "/sources/deal-prospects/#p15-s1");
    // Covered dates are not in the queue: the Busan meeting is authored.
    assert!(
        !items
            .iter()
            .any(|i| i["date"] == "2025-10-30" && i["source"] == "deal-prospects"),
        "an authored event's date is not queued"
    );
    // Newest source first: progress-call (reference 2025-11-24) before
    // deal-prospects (2025-10-27); undated phrases last.
    let pos = |src: &str| {
        items
            .iter()
            .position(|i| i["source"] == src && !i["date"].is_null())
    };
    assert!(
        pos("progress-call") < pos("deal-prospects"),
        "newest source first"
    );
    let first_undated = items
        .iter()
        .position(|i| i["date"].is_null())
        .expect("undated phrases");
    assert!(items[first_undated..].iter().all(|i| i["date"].is_null()));
    assert!(
        items[first_undated..]
            .iter()
            .any(|i| i["source"] == "nov24-call" && i["phrase"] == "last month"),
        "nov24-call's 'last month' waits undated"
    );
    // The text form says the same, with the command that promotes each.
    let text = String::from_utf8(t.run(&["review"]).output.stdout).expect("utf8");
    assert!(
        text.contains("dossier new event --from deal-prospects#p15-s1"),
        "{text}"
    );
    // Never part of the built site.
    t.build().assert_ok();
    assert!(!t.out().join("__review").exists());
}

#[test]
fn a_promoted_candidate_becomes_an_authored_event_citing_its_sentence() {
    let t = SiteTest::real();
    let run = t.run(&["new", "event", "--from", "deal-prospects#p15-s1"]);
    run.assert_ok();
    let made = std::fs::read_dir(t.root().join("content/timeline"))
        .expect("dir")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .find(|n| n.starts_with("2025-10-24-on-friday"))
        .expect("content/timeline/2025-10-24-on-friday….md written");
    let text = t.read(&format!("content/timeline/{made}"));
    assert!(text.contains("date = \"2025-10-24\""), "{text}");
    assert!(
        text.contains("[@deal-prospects: \"On Friday, the Trump administration"),
        "{text}"
    );
    t.build().assert_ok();
    let doc = t.page("timeline/index.html");
    let authored = texts(&doc, "section.month .event-title");
    assert!(
        authored
            .iter()
            .any(|x| x.starts_with("On Friday, the Trump administration")),
        "{authored:?}"
    );
    // It cites the very sentence, and has left the queue.
    let page = t.read("public/timeline/index.html");
    assert!(page.contains("/sources/deal-prospects/#p15-s1"));
    assert!(
        !queue(&t)
            .iter()
            .any(|i| i["source"] == "deal-prospects" && i["sentence_id"] == "p15-s1")
    );
    // Promoting it twice is refused; a file is never overwritten.
    t.run(&["new", "event", "--from", "deal-prospects#p15-s1"])
        .assert_fails_with("no unreviewed candidate at deal-prospects#p15-s1");
    // An undated phrase needs a date, and a date no sentence gives needs a basis.
    t.run(&["new", "event", "--from", "nov24-call#p6-s1"])
        .assert_fails_with("nov24-call#p6-s1 has no date");
    t.run(&[
        "new",
        "event",
        "--from",
        "nov24-call#p6-s1",
        "--date",
        "2025-10",
    ])
    .assert_ok();
    t.build()
        .assert_fails_with("is not given by any sentence this event cites");
}

#[test]
fn serve_shows_the_review_queue_at_a_reserved_path() {
    let t = SiteTest::real();
    let server = crate::serve::start(&t);
    let (status, body) = http_get(server.port, "/__review/");
    assert_eq!(status, 200);
    assert!(body.contains("<h1>Review queue</h1>"), "{body}");
    assert!(body.contains("dossier new event --from deal-prospects#p15-s1"));
}
