//! Articles dropped into `seeds/` with no entry: their dates come from their
//! own metadata lines, and odd encodings still read cleanly.

use crate::harness::{SiteTest, texts};

const BODY: &str = "Harbour officials said the new crane would double the number of containers the port can handle each day.\n\nThe council expects the first ships to use it before the summer.\n";

fn dates(t: &SiteTest) -> serde_json::Value {
    let json: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(t.out().join("sources.json")).expect("sources.json"),
    )
    .expect("json");
    json["sources"]
        .as_array()
        .expect("sources")
        .iter()
        .filter(|s| s["id"].as_str().is_some_and(|id| id.starts_with("d-")))
        .map(|s| {
            (
                s["id"].clone(),
                [s["date"].clone(), s["date_basis"].clone()],
            )
        })
        .map(|(id, v)| {
            (
                id.as_str().unwrap_or_default().to_string(),
                serde_json::json!(v),
            )
        })
        .collect::<serde_json::Map<_, _>>()
        .into()
}

fn published_shown(t: &SiteTest, id: &str) -> String {
    let doc = t.page(&format!("sources/{id}/index.html"));
    let dt = texts(&doc, ".source-meta dt");
    let dd = texts(&doc, ".source-meta dd");
    let i = dt
        .iter()
        .position(|d| d == "Published")
        .expect("Published row");
    dd[i].clone()
}

#[test]
fn dates_and_their_basis_come_from_metadata_lines() {
    let t = SiteTest::real();
    t.write(
        "seeds/d-wire.txt",
        &format!("Port buys a new crane\n\nROTTERDAM, Feb. 12 (Tidewire) — The port authority bought a crane, a year after a tender on March 1, 2023 failed.\n{BODY}"),
    )
    .write(
        "seeds/d-blog.txt",
        &format!("Crane diary\nposted on 4 March 2024 by harbourwatcher\n{BODY}"),
    )
    .write(
        "seeds/d-foot.txt",
        &format!("Crane arrives\nBy Ines Carvalho\n{BODY}\nUpdated: Friday 10 May 2024 at 4:15 pm\nShare this article\n"),
    )
    .write(
        "seeds/d-release.txt",
        &format!("Issued: 2024-06-03 | Office of the Harbour Master\nNew crane in service\n{BODY}"),
    )
    .write("seeds/d-none.txt", &format!("Crane, undated\n{BODY}"));
    let run = t.build();
    run.assert_ok();
    let want = serde_json::json!({
        "d-wire": ["2024-02-12", "dateline, line 3; year from the text's other dates"],
        "d-blog": ["2024-03-04", "posted line, line 2"],
        "d-foot": ["2024-05-10", "updated line, line 7"],
        "d-release": ["2024-06-03", "issued line, line 1"],
        "d-none": [null, null],
    });
    assert_eq!(dates(&t), want);
    assert_eq!(
        published_shown(&t, "d-blog"),
        "4 Mar 2024 (from the text: posted line, line 2)"
    );
    assert_eq!(published_shown(&t, "d-none"), "unknown");
    let err = run.stderr();
    assert!(
        err.contains("seeds/d-none.txt: warning: no entry in seeds/sources.toml; using id \"d-none\", title from the first line, date unknown"),
        "{err}"
    );
    assert!(
        err.contains("date 2024-03-04 from the posted line, line 2"),
        "{err}"
    );
}

#[test]
fn a_windows_1252_seed_reads_with_its_quotes_dashes_and_ellipsis() {
    let t = SiteTest::real();
    let mut bytes = b"Crane \x93on time\x94\nMonday, 3 June 2024\n".to_vec();
    bytes.extend_from_slice(
        b"The crane\x92s first lift \x97 a 40-tonne box \x85 went smoothly, the operator said.\x01\n",
    );
    std::fs::write(t.root().join("seeds/d-cp1252.txt"), &bytes).expect("write");
    let run = t.build();
    run.assert_ok();
    assert!(
        run.stderr()
            .contains("seeds/d-cp1252.txt: warning: not valid UTF-8; read as Windows-1252"),
        "{}",
        run.stderr()
    );
    let doc = t.page("sources/d-cp1252/index.html");
    assert_eq!(texts(&doc, "h1"), ["Crane “on time”"]);
    // One sentence: read as Latin-1, 0x85 would be a line break (NEL).
    assert_eq!(
        texts(&doc, ".source-text span.s")
            .last()
            .map(String::as_str),
        Some("The crane’s first lift — a 40-tonne box … went smoothly, the operator said.")
    );
    let html = t.read("public/sources/d-cp1252/index.html");
    assert!(
        !html.contains(['\u{85}', '\u{1}']),
        "control characters reached the page"
    );
    assert_eq!(dates(&t)["d-cp1252"][0], "2024-06-03");
}
