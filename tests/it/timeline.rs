//! The timeline: extraction on the real seeds, merging, timeline.json, drop-ins.

use dossier::project::Project;
use dossier::timeline::extract::extract;

use crate::harness::{SiteTest, attrs, texts};

fn real_corpus() -> std::sync::Arc<dossier::seeds::Corpus> {
    dossier::seeds::ingest(
        &Project::new(env!("CARGO_MANIFEST_DIR")),
        &dossier::cache::Cache::none(),
    )
    .expect("real seeds ingest")
    .corpus
    .clone()
}

/// `(source, sentence, date, end)` for every date the extractor finds.
fn found() -> Vec<(String, String, String, String)> {
    let corpus = real_corpus();
    extract(&corpus)
        .dated
        .into_iter()
        .map(|c| {
            (
                corpus.sources[c.at.source()].meta.id.clone(),
                c.at.to_string(),
                c.date.to_string(),
                c.end.map(|e| e.to_string()).unwrap_or_default(),
            )
        })
        .collect()
}

#[test]
fn the_extractor_finds_every_dated_sentence_of_the_real_seeds() {
    // Written by reading the articles: each date phrase, resolved against the
    // article's date (kl-talks) or its editorial reference date
    // (busan-outcomes 2025-10-30, deal-prospects 2025-10-27, progress-call
    // 2025-11-24). nov24-call has neither, so only what its text dates on its
    // own is placed: "Monday (November 24)" (a Monday only in 2025 of the
    // years it names) and phrases with a year. Its "last month", "in
    // October", "On November 14" and the like stay undated.
    let expected: Vec<(&str, &str, &str, &str)> = vec![
        ("busan-outcomes", "p15-s1", "2026-04", ""), // "plans to visit China in April"
        ("busan-outcomes", "p15-s1", "2026", ""),    // "later next year"
        ("busan-outcomes", "p16-s1", "2026-04", ""), // "I'll be going to China in April"
        ("kl-talks", "p1-s1", "2025-10-20", "2025-10-26"), // "this week", article of Sunday 26 Oct
        ("kl-talks", "p1-s3", "2025-10-24", "2025-10-27"), // "October 24–27"
        ("kl-talks", "p2-s1", "2025-11-01", ""),     // "starting November 1"
        ("kl-talks", "p3-s2", "2025-09", ""),        // "in September 2025" (not "since 2018")
        ("kl-talks", "p4-s1", "2025-11-10", ""),     // "set to expire November 10"
        // p2-s1 "It remains to be seen what will be agreed … this week" is a guess.
        ("deal-prospects", "p2-s2", "2025", ""), // "earlier this year"
        ("deal-prospects", "p4-s1", "2025-10-26", ""), // "on Sunday"
        ("deal-prospects", "p4-s1", "2025-10-25", "2025-10-26"), // "met over the weekend"
        ("deal-prospects", "p4-s1", "2025-10-30", ""), // "meet Thursday"
        ("deal-prospects", "p5-s1", "2025-11-01", ""), // "planned for November 1"
        ("deal-prospects", "p8-s1", "2025", ""), // "earlier this year"
        ("deal-prospects", "p8-s1", "2025-04", ""), // "tariffs on Chinese goods in April"
        ("deal-prospects", "p9-s1", "2024-12", ""), // "first measures in December"
        ("deal-prospects", "p9-s2", "2025-04", ""), // "imposed in April"
        ("deal-prospects", "p9-s2", "2025-10", ""), // "this month"
        ("deal-prospects", "p15-s1", "2025-10-24", ""), // "On Friday"
        ("deal-prospects", "p22-s1", "2025-11-01", ""), // "from November 1"
        ("progress-call", "p2-s2", "2026-04", ""), // "plans to visit Beijing in April"
        ("progress-call", "p4-s1", "2025-11-03", ""), // "three weeks ago" (approximate)
        ("progress-call", "p5-s1", "2026-04", ""), // "invited me to visit Beijing in April"
        ("nov24-call", "p1-s1", "2025-11-24", ""), // "On Monday (November 24)"
        ("nov24-call", "p4-s1", "2026-04", ""),  // "in April 2026"
        ("nov24-call", "p16-s1", "2025-10", "2026-01"), // "from late October through January 2026"
    ];
    let expected: Vec<(String, String, String, String)> = expected
        .into_iter()
        .map(|(a, b, c, d)| (a.into(), b.into(), c.into(), d.into()))
        .collect();
    assert_eq!(found(), expected);
}

#[test]
fn the_same_event_in_several_sources_becomes_one() {
    let corpus = real_corpus();
    let metas: Vec<dossier::content::TopicMeta> = Vec::new();
    let refs: Vec<&dossier::content::TopicMeta> = metas.iter().collect();
    let topics = dossier::topics::index(&corpus, &refs);
    let clusters = dossier::timeline::merge(extract(&corpus).dated, &corpus, &topics);
    let nov1: Vec<_> = clusters
        .iter()
        .filter(|c| c[0].date.to_string() == "2025-11-01")
        .collect();
    assert_eq!(
        nov1.len(),
        1,
        "the 100% tariff threat for November 1 is one event"
    );
    let sources: std::collections::BTreeSet<&str> = nov1[0]
        .iter()
        .map(|c| corpus.sources[c.at.source()].meta.id.as_str())
        .collect();
    assert_eq!(
        sources.into_iter().collect::<Vec<_>>(),
        ["deal-prospects", "kl-talks"]
    );
}

#[test]
fn timeline_json_has_the_documented_shape_and_required_events() {
    let t = SiteTest::real();
    t.build().assert_ok();
    let v: serde_json::Value = serde_json::from_str(&t.read("public/timeline.json")).expect("json");
    let events = v["events"].as_array().expect("events");
    let mut last = String::new();
    for e in events {
        let date = e["date"].as_str().expect("date");
        let precision = e["precision"].as_str().expect("precision");
        let expected_len = match precision {
            "day" => 10,
            "month" => 7,
            "year" => 4,
            p => panic!("precision {p}"),
        };
        assert_eq!(date.len(), expected_len, "{e}");
        assert!(e["end"].is_null() || e["end"].as_str().is_some_and(|s| s >= date));
        assert!(e["title"].as_str().is_some_and(|s| !s.is_empty()));
        assert!(e["topics"].is_array() && e["extracted"].is_boolean());
        let cites = e["citations"].as_array().expect("citations");
        assert!(!cites.is_empty(), "uncited event {e}");
        for c in cites {
            let (source, sentence) = (
                c["source"].as_str().expect("source"),
                c["sentence"].as_str(),
            );
            if let Some(s) = sentence {
                let page = t.page(&format!("sources/{source}/index.html"));
                assert_eq!(
                    attrs(&page, &format!("[id=\"{s}\"]"), "id").len(),
                    1,
                    "{source}#{s}"
                );
            }
        }
        // Chronological by last possible day (a month-only event after the
        // days it contains): "2025-10" counts as "2025-10-31".
        let key = match date.len() {
            4 => format!("{date}-12-31"),
            7 => format!("{date}-31"),
            _ => date.to_string(),
        };
        assert!(key >= last, "{key} after {last}");
        last = key;
    }
    let authored = |date: &str| {
        events
            .iter()
            .filter(|e| e["date"] == date && e["extracted"] == false)
            .count()
    };
    for date in [
        "2025-10-24",
        "2025-11-01",
        "2025-11-10",
        "2025-10-30",
        "2025-11-24",
        "2025-11-14",
        "2026-04",
        "2026",
    ] {
        assert!(authored(date) >= 1, "no authored event on {date}");
    }
    assert!(
        events.iter().any(|e| e["extracted"] == true),
        "no extracted events"
    );
}

#[test]
fn the_timeline_page_groups_by_month_and_shows_precision() {
    let t = SiteTest::real();
    t.build().assert_ok();
    let doc = t.page("timeline/index.html");
    let months = texts(&doc, "section.month > h2");
    // Earliest first: the timeline itself is the authored events.
    assert_eq!(
        months.first().map(String::as_str),
        Some("Sep 2025"),
        "{months:?}"
    );
    // Found dates wait, collapsed, in the unreviewed list after it.
    let found = texts(&doc, "details.unreviewed .candidate .event-date");
    assert_eq!(
        found.first().map(String::as_str),
        Some("Dec 2024"),
        "{found:?}"
    );
    assert!(found.iter().any(|m| m == "Apr 2025"), "{found:?}");
    assert!(
        texts(&doc, "details.unreviewed > summary")[0]
            .starts_with("Dated in the sources, not yet reviewed"),
    );
    assert!(
        attrs(&doc, "details.unreviewed", "open").is_empty(),
        "collapsed"
    );
    let dates = texts(&doc, "section.month .event-date");
    let machine = attrs(&doc, "section.month .event-date time", "datetime");
    // A month-only event sits under its month's heading, which says the
    // month; its own line does not repeat it, and it follows the days.
    let april = machine
        .iter()
        .position(|d| d == "2026-04")
        .expect("Apr 2026 event");
    assert_eq!(dates[april], "day not given", "{dates:?}");
    let nov = machine
        .iter()
        .position(|d| d == "2025-11")
        .expect("Nov 2025 event");
    assert!(
        machine[..nov].contains(&"2025-11-24".to_string()),
        "the month-only November event comes after 24 Nov: {machine:?}"
    );
    assert!(dates.iter().any(|d| d == "24 Nov 2025"));
    let year = machine
        .iter()
        .position(|d| d == "2026")
        .expect("2026 event");
    assert_eq!(dates[year], "month not given");
    assert!(dates.iter().any(|d| d == "24–27 Oct 2025"), "{dates:?}");
    // The record ends where the planned begins.
    let seps = texts(&doc, ".timeline .as-of");
    assert_eq!(seps.len(), 1, "{seps:?}");
    assert!(seps[0].starts_with("Announced or planned"), "{seps:?}");
    // Each topic page carries its own slice.
    let visits = texts(
        &t.page("topics/visits/index.html"),
        "#timeline ~ .timeline .event-title",
    );
    assert!(visits.iter().any(|x| x.contains("Busan")), "{visits:?}");
}

#[test]
fn a_dropped_in_article_shows_up_on_the_timeline_without_authoring() {
    let t = SiteTest::real();
    t.write("seeds/new_article.txt", "Beijing Confirms Soybean Cargoes\nChina bought two more cargoes of U.S. soybeans on March 3, 2026, traders said.\n");
    t.build().assert_ok();
    let v: serde_json::Value = serde_json::from_str(&t.read("public/timeline.json")).expect("json");
    let hit = v["events"]
        .as_array()
        .expect("events")
        .iter()
        .find(|e| e["date"] == "2026-03-03")
        .expect("event from the new article");
    assert_eq!(hit["extracted"], true);
    assert_eq!(hit["citations"][0]["source"], "new-article");
    assert_eq!(hit["topics"], serde_json::json!(["soybeans"]));
}

#[test]
fn source_pages_list_the_pages_citing_them() {
    let t = SiteTest::real();
    t.build().assert_ok();
    let cited_on = texts(
        &t.page("sources/nov24-call/index.html"),
        ".source-meta dd a",
    );
    for page in ["Soybeans", "Rare earths", "Timeline", "Home"] {
        assert!(
            cited_on.iter().any(|c| c == page),
            "{page} missing from {cited_on:?}"
        );
    }
}

#[test]
fn a_new_article_confirming_an_authored_event_is_cited_on_it() {
    let t = SiteTest::real();
    t.write(
        "seeds/wire.txt",
        "Leaders talk again\nThe two presidents held a telephone call on November 24, 2025, discussing soybeans and fentanyl.\nMarkets barely moved.\n",
    );
    t.build().assert_ok();
    let v: serde_json::Value = serde_json::from_str(&t.read("public/timeline.json")).expect("json");
    let events = v["events"].as_array().expect("events");
    let call = events
        .iter()
        .find(|e| e["title"] == "Trump and Xi speak by phone")
        .expect("authored call");
    let also: Vec<&str> = call["also_reported_by"]
        .as_array()
        .expect("also")
        .iter()
        .filter_map(|c| c["source"].as_str())
        .collect();
    assert!(also.contains(&"wire"), "{also:?}");
    // It is not also listed as a separate, unreviewed entry.
    assert!(
        !events
            .iter()
            .any(|e| e["extracted"] == true && e["citations"][0]["source"] == "wire"),
        "the confirming sentence also became its own event"
    );
    let page = t.page("timeline/index.html");
    let also_links = attrs(&page, ".event-also a", "href");
    assert!(
        also_links.iter().any(|h| h.starts_with("/sources/wire/#p")),
        "{also_links:?}"
    );
}

#[test]
fn a_passing_mention_does_not_make_a_topic_and_excluded_phrases_do_not_count() {
    let t = SiteTest::real();
    t.write(
        "seeds/sauce.txt",
        "Condiment makers cheer\nA ruling cut the duty on soy sauce imports.\nThe soy sauce maker said exports would grow.\nIts founder once met a minister during a state visit.\nThe company plans new bottling lines.\nSoy sauce sales rose in the quarter.\n",
    );
    t.edit(
        "content/topics/visits.md",
        "aliases = [",
        "exclude = [\"U.S.\"]\naliases = [",
    );
    let run = t.build();
    run.assert_ok();
    let v: serde_json::Value = serde_json::from_str(&t.read("public/sources.json")).expect("json");
    let sauce = v["sources"]
        .as_array()
        .expect("sources")
        .iter()
        .find(|s| s["id"] == "sauce")
        .expect("sauce");
    assert_eq!(sauce["topics"], serde_json::json!([]), "{sauce}");
    // A keyword that can never match is named with its line.
    assert!(
        run.stderr()
            .contains("content/topics/visits.md:6: warning: keyword \"U.S.\" can never match"),
        "{}",
        run.stderr()
    );
}

#[test]
fn relative_dates_of_an_undated_article_wait_for_review_and_stay_off_the_timeline() {
    // nov24-call has neither a date nor a reference date: its "last month",
    // "in October" and "On November 14" are kept, undated, never guessed.
    let corpus = real_corpus();
    let undated: Vec<(String, String)> = extract(&corpus)
        .undated
        .into_iter()
        .filter(|u| corpus.sources[u.at.source()].meta.id == "nov24-call")
        .map(|u| (u.at.to_string(), u.phrase))
        .collect();
    for (at, phrase) in [
        ("p6-s1", "last month"),
        ("p11-s2", "in October"),
        ("p14-s1", "November 14"),
    ] {
        assert!(
            undated.iter().any(|(a, p)| a == at && p == phrase),
            "{at} {phrase:?} not in {undated:?}"
        );
    }
    let t = SiteTest::real();
    t.build().assert_ok();
    let v: serde_json::Value = serde_json::from_str(&t.read("public/timeline.json")).expect("json");
    for e in v["events"].as_array().expect("events") {
        for c in e["citations"].as_array().expect("citations") {
            if e["extracted"] == true && c["source"] == "nov24-call" {
                assert!(
                    ["p1-s1", "p4-s1", "p16-s1"].contains(&c["sentence"].as_str().unwrap_or("")),
                    "an undated phrase of nov24-call reached the timeline: {e}"
                );
            }
        }
    }
}

#[test]
fn an_event_date_no_citation_gives_fails_unless_the_event_says_how_it_was_inferred() {
    let t = SiteTest::real();
    // The tariff cut cites sentences that state no date; without its
    // date_basis the build must refuse to publish the date.
    let path = "content/timeline/2025-10-30-tariff-cuts.md";
    let text = t.read(path);
    let without: String = text
        .lines()
        .filter(|l| !l.starts_with("date_basis"))
        .map(|l| format!("{l}\n"))
        .collect();
    t.write(path, &without);
    t.build().assert_fails_with(
        "content/timeline/2025-10-30-tariff-cuts.md:3: error: date 2025-10-30 is not given by any sentence this event cites (its citations state no date)",
    );
    // A date one citation does give builds: the phone call's first sentence
    // says "On Monday (November 24)".
    t.write(path, &text);
    let call = t.read("content/timeline/2025-11-24-phone-call.md");
    t.write(
        "content/timeline/2025-11-24-phone-call.md",
        &call.replace("2025-11-24", "2025-11-25"),
    );
    let run = t.build();
    assert!(
        run.stderr().contains("2025-11-24-phone-call.md:3: error: date 2025-11-25 is not given by any sentence this event cites (its citations give 2025-11-24)"),
        "{}",
        run.stderr()
    );
    t.write("content/timeline/2025-11-24-phone-call.md", &call);
    t.build().assert_ok();
    // The basis is data for tools and a note for readers.
    let v: serde_json::Value = serde_json::from_str(&t.read("public/timeline.json")).expect("json");
    let cut = v["events"]
        .as_array()
        .expect("events")
        .iter()
        .find(|e| e["title"] == "US cuts fentanyl tariff to 10 percent")
        .expect("event");
    assert!(
        cut["date_basis"]
            .as_str()
            .unwrap_or("")
            .starts_with("Announced after the Busan meeting"),
        "{cut}"
    );
    let page = t.read("public/timeline/index.html");
    assert!(
        page.contains("date inferred"),
        "the timeline says which dates are inferred"
    );
}

#[test]
fn timelinejs_json_has_the_timelinejs_structure_at_each_events_precision() {
    let t = SiteTest::real();
    t.build().assert_ok();
    let v: serde_json::Value =
        serde_json::from_str(&t.read("public/timelinejs.json")).expect("timelinejs.json");
    assert!(v["title"]["text"]["headline"].is_string());
    let events = v["events"].as_array().expect("events");
    // What the page shows: the authored events (found ones wait for review).
    let page = t.page("timeline/index.html");
    assert_eq!(
        events.len(),
        texts(&page, "section.month .event-title").len()
    );
    for e in events {
        let start = e["start_date"].as_object().expect("start_date object");
        assert!(start["year"].is_i64(), "{e}");
        for part in start.keys() {
            assert!(["year", "month", "day"].contains(&part.as_str()), "{e}");
        }
        assert!(e["text"]["headline"].is_string() && e["text"]["text"].is_string());
        assert!(
            e["group"].is_string(),
            "every authored event has a topic: {e}"
        );
    }
    let by_id = |id: &str| {
        events
            .iter()
            .find(|e| e["unique_id"] == id)
            .unwrap_or_else(|| panic!("{id}"))
    };
    // Day precision with a span; month precision has no day; year has neither.
    let kl = by_id("event-2025-10-24-kuala-lumpur-talks");
    assert_eq!(
        kl["start_date"],
        serde_json::json!({"year": 2025, "month": 10, "day": 24})
    );
    assert_eq!(
        kl["end_date"],
        serde_json::json!({"year": 2025, "month": 10, "day": 27})
    );
    assert_eq!(
        by_id("event-2026-04-trump-beijing-visit")["start_date"],
        serde_json::json!({"year": 2026, "month": 4})
    );
    assert_eq!(
        by_id("event-2026-xi-state-visit")["start_date"],
        serde_json::json!({"year": 2026})
    );
}

#[test]
fn a_topic_page_numbers_its_citations_once_timeline_slice_included() {
    let t = SiteTest::real();
    t.build().assert_ok();
    for slug in ["visits", "soybeans", "rare-earths", "fentanyl-tariffs"] {
        let doc = t.page(&format!("topics/{slug}/index.html"));
        let numbers = texts(&doc, "sup.cite a");
        let hrefs = attrs(&doc, "sup.cite a", "href");
        let refs = attrs(&doc, ".references li a", "href");
        assert!(!numbers.is_empty());
        let mut seen: std::collections::HashMap<String, String> = Default::default();
        for (n, href) in numbers.iter().zip(&hrefs) {
            // One number per cited sentence, whichever text on the page cites it…
            let first = seen.entry(href.clone()).or_insert_with(|| n.clone());
            assert_eq!(first, n, "{slug}: {href} numbered {first} and {n}");
            // …and [n] is the n-th entry of the page's one reference list.
            let i: usize = n.trim_matches(['[', ']']).parse().expect("number");
            assert_eq!(refs.get(i - 1), Some(href), "{slug}: {n}");
        }
        let distinct: std::collections::HashSet<&String> = seen.values().collect();
        assert_eq!(
            distinct.len(),
            seen.len(),
            "{slug}: two sentences share a number"
        );
    }
}

#[test]
fn a_date_in_prose_beside_a_citation_that_does_not_give_it_is_warned_about() {
    let t = SiteTest::real();
    t.write(
        "content/notes.md",
        "+++\ntitle = \"Notes\"\n+++\nThe talks ran on October 24–27 [@kl-talks: \"scheduled for October 24–27\"].\n\nOn October 31, 2025, the envoys met again [@kl-talks: \"scheduled for October 24–27\"].\n",
    );
    let run = t.build();
    run.assert_ok();
    let err = run.stderr();
    assert!(
        err.contains("content/notes.md:6: warning: \"On October 31, 2025\" (2025-10-31) is not given by the sentence cited after it, which gives 2025-10-24"),
        "{err}"
    );
    // The first paragraph's date is the cited sentence's own: no warning.
    assert!(!err.contains("content/notes.md:4:"), "{err}");
    // The real content states no date its citation does not give.
    t.write(
        "content/notes.md",
        "+++\ntitle = \"Notes\"\n+++\nNothing dated.\n",
    );
    let clean = t.build();
    assert!(
        !clean.stderr().contains("is not given by the sentence"),
        "{}",
        clean.stderr()
    );
}
