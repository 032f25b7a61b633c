//! Cleaning a new article: its site chrome goes, its sentences stay, and the
//! source page says what was removed and why. The article in
//! `tests/corpus/harbour-locks.txt` is original prose wrapped in chrome of
//! many kinds (consent banner, navigation, byline, stamp, widgets, ad
//! marker, related links, bio, copyright, contact).

use crate::harness::{SiteTest, texts};

const ARTICLE: &str = include_str!("../corpus/harbour-locks.txt");

fn built() -> (SiteTest, scraper::Html) {
    let t = SiteTest::real();
    t.write("seeds/harbour-locks.txt", ARTICLE);
    // A second article from the same site: the navigation line recurs.
    t.write(
        "seeds/harbour-fees.txt",
        "Home | Local | Business | Weather\nThe port authority raised its fees for cruise ships on Monday, the first rise in six years, and said the money would pay for a new pier.\n",
    );
    t.build().assert_ok();
    let doc = t.page("sources/harbour-locks/index.html");
    (t, doc)
}

#[test]
fn chrome_of_every_kind_is_gone_and_the_sentences_stay() {
    let (_t, doc) = built();
    let body = texts(&doc, "article p[id^=p], article h2[id^=p]").join("\n");
    assert!(
        body.contains("harbour locks would open"),
        "no body:\n{body}"
    );
    for chrome in [
        "Skip to main content",
        "We use cookies",
        "Accept cookies",
        "Home | Local",
        "BUSINESS",
        "By Ingrid Solberg-Haddad",
        "Published Tuesday",
        "Advertisement",
        "(Photo: Lena Marsh",
        "is a transport reporter at",
        "More on this story",
        "Port fees to rise for cruise ships",
        "Sign up for our morning newsletter",
        "Comments (3)",
        "© 2026",
        "newsroom@",
    ] {
        assert!(!body.contains(chrome), "kept {chrome:?}:\n{body}");
    }
    let sentences = texts(&doc, "span.s").join("\n");
    for kept in [
        "The Westmere port authority said on Monday that the new harbour locks would open to barges next autumn",
        // Mended across a line cut by a removed link, with one space.
        "according to a report the authority's board on Friday.",
        "Source: a senior engineer on the project said the cracks had been found during routine drilling, not after an accident.",
        "Related: the authority has delayed two other projects on the east bank since 2024, citing the cost of steel.",
        "\"We sold the routes before the gates were built,\" said Tomasz Brennan-Oduya",
        "The authority will publish a revised budget on April 14, its chair said.",
    ] {
        assert!(sentences.contains(kept), "lost {kept:?}:\n{sentences}");
    }
    // The mended seam is marked for readers; the sentence text is unchanged.
    let gaps = doc
        .select(&crate::harness::sel("span.s i.gap[role=img][aria-label]"))
        .count();
    assert_eq!(gaps, 2, "two cut lines, two gap markers");
    assert_eq!(
        texts(&doc, "h2[id^=p]"),
        ["Barge Operators Count the Cost"],
        "subheads"
    );
}

#[test]
fn the_source_page_lists_each_dropped_line_with_its_reason() {
    let (_t, doc) = built();
    let dropped = texts(&doc, "details.dropped li").join("\n");
    for (text, reason) in [
        ("By Ingrid Solberg-Haddad, Transport Reporter", "byline"),
        (
            "Home | Local | Business | Weather",
            "recurs in other articles",
        ),
        ("Comments (3)", "widget"),
        (
            "Ingrid Solberg-Haddad is a transport reporter",
            "author bio",
        ),
        (
            "Port fees to rise for cruise ships",
            "trailing chrome block",
        ),
    ] {
        assert!(
            dropped
                .lines()
                .any(|l| l.contains(text) && l.contains(reason)),
            "{text:?} not listed with {reason:?}:\n{dropped}"
        );
    }
}
