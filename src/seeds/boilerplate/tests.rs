//! Every example here is written for these tests: no line is copied from a
//! seed or a corpus, so a passing test says the mechanism generalises.

use super::*;

fn lines(text: &str) -> Vec<(usize, String)> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| (i + 1, l.trim().to_string()))
        .collect()
}

fn clean(text: &str) -> (Vec<String>, Vec<Dropped>) {
    let (kept, dropped) = filter(lines(text), None, &[], &Recurring::default());
    (kept.into_iter().map(|(_, t)| t).collect(), dropped)
}

fn reason(line: &str) -> Option<&'static str> {
    chrome_reason(line, &words(line))
}

#[track_caller]
fn chrome_by(line: &str, feature: &str) {
    let r = reason(line);
    assert!(
        r.is_some_and(|r| r.contains(feature)),
        "{line:?}: expected {feature:?}, got {r:?}"
    );
}

#[test]
fn copyright_and_contact_shapes() {
    chrome_by("© 2024 The Lakeside Ledger", "copyright");
    chrome_by("Copyright 2023 Fenwick Media Group", "copyright");
    chrome_by("Harbour Radio Ltd. All rights reserved.", "copyright");
    chrome_by("press@fenwick-media.example", "contact");
    chrome_by("+44 20 7946 0321", "contact");
    chrome_by("https://example.org/newsroom", "contact");
    chrome_by(
        "Fenwick Media, 12 Quay Street, Portland, OR 97201",
        "contact",
    );
}

#[test]
fn stamps_dates_and_bylines() {
    chrome_by(
        "3h ago Ferry service resumes on the north route",
        "time stamp",
    );
    chrome_by("45 minutes ago", "time stamp");
    chrome_by("Wednesday 4 March 2026", "date or time stamp");
    chrome_by("Last modified: 12/02/2026 09:41 CET", "date or time stamp");
    chrome_by(
        "Posted on Jan 8, 2026 by Mireille Fontaine",
        "date or time stamp",
    );
    chrome_by("Published 14:20 GMT", "date or time stamp");
    chrome_by("By Tomasz Ek", "byline");
    chrome_by("BY ANA-LUISA PRADO, Labour Correspondent", "byline");
    chrome_by("Reported by Kofi Mensah", "byline");
    chrome_by(
        "(Reporting by Kofi Mensah; Editing by Rui Tanaka)",
        "byline",
    );
    assert_eq!(reason("What changes on 1 March?"), None);
}

#[test]
fn credits_fields_and_labels() {
    chrome_by("Photo: Ines Carvalho / Lakeside Ledger", "credit");
    chrome_by("(Image: courtesy of the port authority)", "credit");
    chrome_by("Editing by Rui Tanaka", "byline");
    chrome_by("Contact:", "credit");
    chrome_by("Home | Business | Markets | Energy", "fields");
    chrome_by("Newsletter · 3 min read · Free", "fields");
    chrome_by("Share on Bluesky", "widget");
    chrome_by("Sign up for our newsletter", "widget");
    chrome_by("Print this page", "widget");
    chrome_by("Leave a comment", "widget");
}

#[test]
fn the_page_talking_to_its_reader() {
    chrome_by(
        "This story was produced with support from a regional press fund.",
        "itself",
    );
    chrome_by(
        "You can change your cookie preferences at any time in the site settings.",
        "itself",
    );
    chrome_by("Good evening, and thanks for reading along.", "greeting");
    chrome_by("See you next week.", "no content words");
    chrome_by(
        "Ferry crews unload the season's first catch at dawn. (Photo: L. Moreau)",
        "caption",
    );
    chrome_by(
        "With long experience as a freelance writer and editor, I cover stories of coastal towns.",
        "bio",
    );
}

#[test]
fn sentences_that_start_like_widgets_are_kept() {
    for l in [
        "Related: the ministry said exports of timber rose 4 percent in March.",
        "Source: a senior port official said the cranes had been idle since Friday.",
        "By Friday, the port had cleared a backlog of about 40 container ships.",
        "Share prices of the two ferry operators fell sharply on Tuesday.",
        "Follow-up talks on fishing quotas are planned for the spring, officials said.",
        "Good morning was all the minister said before the vote on Monday.",
        "“You can't negotiate against a clock,” said Elif Aydın, a harbour pilot.",
        "Posted to the island in 2019, the inspector found the records incomplete.",
        "Markets cheered.",
        "It said so.",
        "China bought soybeans on November 3, 2025.",
        "Talks resume on March 18.",
    ] {
        assert_eq!(reason(l), None, "dropped: {l}");
    }
}

#[test]
fn grades_follow_length_and_function_words() {
    assert_eq!(
        classify(
            "The harbour authority said on Thursday that the new locks would open to barges in the autumn, two years later than planned."
        ),
        Class::Good
    );
    assert_eq!(classify("Crews were sent home early."), Class::NearGood);
    assert_eq!(classify("Harbour Locks Delayed Again"), Class::Short);
}

const PAGE: &str = "\
Skip to content
Morning Edition
World
The harbour locks will open a year late
By Sun-hee Park
Tuesday 3 March 2026 08:15 GMT
Share

The harbour authority said on Thursday that the new locks would open to barges next autumn, a year later than the date it gave when work began.

Costs Keep Rising

Engineers found that the old quay walls were weaker than the surveys had shown, and the contractor has asked for another six months to shore them up.
Advertisement
Barge operators, who had planned new routes around the locks, said the delay would cost them customers who had already moved freight to rail.
Most read
Storm closes coastal road
Bakery wins national prize
Contact us
© 2026 Morning Edition";

#[test]
fn leading_and_trailing_chrome_blocks_go_subheads_stay() {
    let (kept, dropped) = clean(PAGE);
    assert_eq!(kept.len(), 4, "{kept:#?}");
    assert!(kept[0].starts_with("The harbour authority said"));
    assert_eq!(kept[1], "Costs Keep Rising");
    assert!(kept[3].starts_with("Barge operators"));
    let why = |t: &str| {
        dropped
            .iter()
            .find(|d| d.text == t)
            .map(|d| d.reason.as_ref())
    };
    assert_eq!(why("World"), Some("short line in the leading chrome block"));
    assert_eq!(
        why("Storm closes coastal road"),
        Some("short line in the trailing chrome block")
    );
    assert_eq!(why("By Sun-hee Park"), Some("byline"));
    assert_eq!(why("Advertisement"), Some("advertisement marker"));
}

#[test]
fn a_text_of_short_paragraphs_keeps_them() {
    let (kept, _) = clean("The vote was close.\nTwo members abstained.\nThe motion passed.");
    assert_eq!(kept.len(), 3);
}

#[test]
fn about_sponsored_and_bio_blocks() {
    let text = "\
By Ola Nordmann

The council approved the new ferry timetable on Monday after a long debate about winter sailings and the cost of the extra crew.

— PARTNER CONTENT —
Planning a trip to the islands this winter? Our partner offers discounted fares for every family that books before the end of the month.
— END PARTNER CONTENT —

Residents of the outer islands said the timetable still left them without a morning crossing on Sundays, and promised to petition again.

Ola Nordmann is a senior correspondent covering transport and the islands.

About Island Weekly
Island Weekly is an independent newspaper founded in 1988 and owned by its readers.";
    let (kept, dropped) = clean(text);
    assert_eq!(kept.len(), 2, "{kept:#?}\n{dropped:#?}");
    let reasons: Vec<&str> = dropped.iter().map(|d| d.reason.as_ref()).collect();
    assert!(reasons.contains(&"inside a sponsored block"), "{reasons:?}");
    assert!(
        reasons.contains(&"author bio (names the byline's author)"),
        "{reasons:?}"
    );
    assert!(
        reasons.contains(&"inside an About or disclosures block"),
        "{reasons:?}"
    );
}

#[test]
fn an_about_heading_followed_by_the_story_is_kept() {
    let text = "\
The ferry company has been sold to a regional investor, its board said on Friday, ending months of talks with two rival bidders.

About The Sale
The investor will keep the current timetable until next summer, according to the board, and has promised not to cut crew.

Unions welcomed the promise but said they wanted it written into the contracts of every crew member before the sale closes.";
    let (kept, _) = clean(text);
    assert_eq!(kept.len(), 4, "{kept:#?}");
}

#[test]
fn hard_wrapped_prose_is_judged_as_a_paragraph() {
    let text = "\
COASTAL ECONOMICS WEEKLY
Page 4 of 9
The regional port handled more containers in the third quarter than
in any quarter since the expansion, helped by a rebound in timber
exports and the return of two shipping lines that had left in spring.
Page 5 of 9";
    let (kept, _) = clean(text);
    assert_eq!(kept.len(), 3, "{kept:#?}");
}

#[test]
fn lines_recurring_across_seeds_are_chrome_unless_they_head_prose() {
    let a = "Harbour news\nThe locks opened today after years of work on the walls and the gates of the old port, and the first barges went through at noon.";
    let b = "Harbour news\nThe ferry strike ended on Sunday night after the two sides agreed on pay for the winter crews.";
    let recurring = Recurring::count(&[a, b]);
    assert_eq!(recurring.files("Harbour news"), 2);
    let (_, dropped) = filter(lines("Weekly wrap\nHarbour news"), None, &[], &recurring);
    assert!(
        dropped
            .iter()
            .any(|d| d.reason.starts_with("recurs in other articles"))
    );
    // The same line leading straight into prose is a section heading.
    let (kept, _) = filter(lines(a), None, &[], &recurring);
    assert_eq!(kept.len(), 2);
}

#[test]
fn repeated_labels_headline_and_repeats() {
    let text = "Ferries Return\nFerries Return\nShare\nThe first ferry of the season left at dawn with every seat sold and a queue of cars on the quay.\nShare\nThe first ferry of the season left at dawn with every seat sold and a queue of cars on the quay.";
    let (kept, dropped) = filter(
        lines(text),
        Some("Ferries Return"),
        &[],
        &Recurring::default(),
    );
    assert_eq!(kept.len(), 1);
    let reasons: Vec<&str> = dropped.iter().map(|d| d.reason.as_ref()).collect();
    assert_eq!(reasons[0], "headline");
    assert_eq!(reasons[1], "headline");
    assert!(reasons[2].starts_with("repeated label"));
    assert_eq!(reasons[4], "repeated paragraph");
}

#[test]
fn summary_widget_bullets() {
    let text = "Quick Summary\n- one point about ferries.\n- another point.\nThe body of the article starts here and runs on for a good while longer than a label would.";
    let (kept, dropped) = clean(text);
    assert_eq!(kept.len(), 1);
    assert!(dropped.iter().all(|d| d.reason == "summary widget"));
}

#[test]
fn source_rules_apply() {
    let extra = [Regex::new("^Promo:").unwrap()];
    let (kept, dropped) = filter(
        lines(
            "Promo: buy now\nText of the article, which is long enough to be read as prose by the classifier.",
        ),
        None,
        &extra,
        &Recurring::default(),
    );
    assert_eq!(kept.len(), 1);
    assert_eq!(dropped[0].reason, "source rule");
}

#[test]
fn a_list_of_short_sentences_is_prose() {
    let text = "\
The ferry company published its winter plan on Friday, after a month of talks with the island councils and the crews' union about pay.

Timeline
- Oct. 2: The council asks for a Sunday crossing.
- Oct. 9: The union accepts the new rota.
- Oct. 20: The company signs a contract for a second boat.
- Nov. 3: Winter sailings begin.

Share this story
Print";
    let recurring = Recurring::count(&[text, "Timeline\nOther text"]);
    let (kept, _) = filter(lines(text), None, &[], &recurring);
    assert_eq!(kept.len(), 6, "{kept:#?}");
}

#[test]
fn the_headline_is_found_below_mastheads_and_banners() {
    assert_eq!(
        headline(PAGE),
        Some("The harbour locks will open a year late")
    );
    let plain = "Ferries return to the outer islands\nThe first ferry of the season left at dawn.";
    assert_eq!(headline(plain), Some("Ferries return to the outer islands"));
    assert_eq!(headline("HARBOUR NEWS\nMenu\nShare"), None);
    assert_eq!(
        headline("Ferry News\nThe ferry left at dawn on Monday with every seat sold."),
        None
    );
    let banner = "Cookies on the Harbour Gazette\nCouncil and unions ready to sign off the ferry deal\nBy Ola Nordmann";
    assert_eq!(
        headline(banner),
        Some("Council and unions ready to sign off the ferry deal")
    );
}
