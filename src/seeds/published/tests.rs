use super::*;
use jiff::civil::date;

fn found(text: &str) -> Option<(Date, String)> {
    find(text).map(|p| (p.date, p.basis))
}

#[track_caller]
fn check(text: &str, want: Date, basis: &str) {
    assert_eq!(found(text), Some((want, basis.to_string())), "{text}");
}

const BODY: &str = "The committee met for three hours and agreed on a new schedule for the harbour works.\n\nMembers said the plan would be reviewed again before the spring.\n";

#[test]
fn agency_dateline_with_year_from_the_body() {
    let text = format!(
        "Harbour plan approved\n\nLISBON, Feb. 12 (Westwire) — The city council approved the plan, months after a first vote on Oct. 3, 2023 failed.\n{BODY}"
    );
    check(
        &text,
        date(2024, 2, 12),
        "dateline, line 3; year from the text's other dates",
    );
}

#[test]
fn dateline_without_any_year_in_the_text_is_unknown() {
    let text = format!(
        "Harbour plan approved\n\nLISBON, Feb. 12 (Westwire) -- The council voted.\n{BODY}"
    );
    assert_eq!(found(&text), None);
}

#[test]
fn dateline_with_state_and_full_date() {
    let text = format!("Title here\nPORTLAND, Maine, March 4, 2022 - Officials said.\n{BODY}");
    check(&text, date(2022, 3, 4), "dateline, line 2");
}

#[test]
fn dateline_with_a_title_case_place() {
    let text = format!("Title here\nNairobi, 5 July 2022 (Eastwire) -- Officials said.\n{BODY}");
    check(&text, date(2022, 7, 5), "dateline, line 2");
    let not = format!("Title here\nOfficials said on Friday, 5 July 2022 - that is all\n{BODY}");
    assert_ne!(found(&not).map(|f| f.1), Some("dateline, line 2".into()));
}

#[test]
fn wire_dateline_without_a_place() {
    let text = format!("Title here\nJune 3, 2021 (Westwire) - Officials said.\n{BODY}");
    check(&text, date(2021, 6, 3), "dateline, line 2");
}

#[test]
fn published_and_posted_lines() {
    check(
        &format!("A headline\nPublished 7 Jun 2024, 09:15 BST\n{BODY}"),
        date(2024, 6, 7),
        "published line, line 2",
    );
    check(
        &format!("A headline\nposted on August 2, 2021 by marta_k\n{BODY}"),
        date(2021, 8, 2),
        "posted line, line 2",
    );
    check(
        &format!("A headline\nFirst published on Thu 4 Jan 2024 16.05 GMT\n{BODY}"),
        date(2024, 1, 4),
        "published line, line 2",
    );
    check(
        &format!("A headline\nLast modified: 2022-09-12T10:00:00Z\n{BODY}"),
        date(2022, 9, 12),
        "updated line, line 2",
    );
    check(
        &format!("A headline\nIssued: 2023-05-30 | Department of Roads\n{BODY}"),
        date(2023, 5, 30),
        "issued line, line 2",
    );
}

#[test]
fn byline_with_separator() {
    check(
        &format!("A headline\nBy R. Ostrowski · 14 January 2025\n{BODY}"),
        date(2025, 1, 14),
        "byline, line 2",
    );
    check(
        &format!("A headline\nBy Tam Nguyen, Staff Writer | Jul 22, 2020\n{BODY}"),
        date(2020, 7, 22),
        "byline, line 2",
    );
}

#[test]
fn bare_date_line_with_weekday_time_and_zone() {
    check(
        &format!("A headline\nSaturday, 9 March 2024 7:45 PM CET\n{BODY}"),
        date(2024, 3, 9),
        "date line, line 2",
    );
    check(
        &format!("A headline\nApril 17, 2023 at 11:02 a.m. PDT\n{BODY}"),
        date(2023, 4, 17),
        "date line, line 2",
    );
}

#[test]
fn issue_line_split_by_separators() {
    check(
        &format!("THE WEEKLY\nVol. 9 · Friday, May 3, 2024 · 4-min read\n{BODY}"),
        date(2024, 5, 3),
        "meta line, line 2",
    );
}

#[test]
fn numeric_dates_only_when_unambiguous() {
    check(
        &format!("Live page\n{BODY}Coverage started 21/02/2024 06:10 GMT\n"),
        date(2024, 2, 21),
        "started line, line 5",
    );
    assert_eq!(
        found(&format!("Live page\nPublished 03/04/2024\n{BODY}")),
        None
    );
    // The text's other numeric dates settle the convention.
    check(
        &format!("Live page\nPublished 03/04/2024\n{BODY}Prices fell on 3/28/2024.\n"),
        date(2024, 3, 4),
        "published line, line 2",
    );
}

#[test]
fn updated_line_at_the_foot_when_nothing_else_dates_it() {
    check(
        &format!(
            "A headline\nBy Ana Ruiz\n{BODY}\nUpdated: Tuesday 8 August 2023 at 6:30 pm\nShare this\n"
        ),
        date(2023, 8, 8),
        "updated line, line 7",
    );
}

#[test]
fn first_publication_wins_over_an_update() {
    check(
        &format!("A headline\nPublished Jan. 5, 2024 · Updated Jan. 9, 2024\n{BODY}"),
        date(2024, 1, 5),
        "published line, line 2",
    );
    // Unless the text reports something dated after first publication.
    check(
        &format!(
            "A headline\nPublished Jan. 5, 2024 · Updated Jan. 9, 2024\n{BODY}The ministry replied on Jan. 8, 2024, and the committee accepted its reply.\n"
        ),
        date(2024, 1, 9),
        "updated line, line 2; the text reports dates after first publication",
    );
}

#[test]
fn body_dates_lists_and_related_links_do_not_date_the_article() {
    let text = format!(
        "A headline\n{BODY}The agency first raised the fee on 4 March 2023, and raised it again in 2024.\n"
    );
    assert_eq!(found(&text), None);
    let list = format!(
        "A headline\n{BODY}Key dates\n- March 1, 2024: the rule takes effect\n- June 30, 2024: review\n"
    );
    assert_eq!(found(&list), None);
    let related = format!(
        "A headline\n{BODY}Related\nMay 2, 2024 | Ferry fares frozen\nApr. 28, 2024 | Dock strike ends\n"
    );
    assert_eq!(found(&related), None);
}

#[test]
fn a_keyword_governs_the_dates_after_it() {
    check(
        &format!("A headline\nMarch 2, 2023, updated March 4, 2023\n{BODY}"),
        date(2023, 3, 2),
        "date line, line 2",
    );
    check(
        &format!("A headline\nSep 8, 2022 / 6:12 AM / Updated 3 hours ago\n{BODY}"),
        date(2022, 9, 8),
        "meta line, line 2",
    );
}

#[test]
fn scraped_glue_and_relative_stamps_are_not_words() {
    check(
        &format!("A headline\nJanuary 8, 2024 9:02 AM GMT+2Updated 3 hours ago\n{BODY}"),
        date(2024, 1, 8),
        "date line, line 2",
    );
    check(
        &format!("A headline\nMonday, Jan 8, 2024 9:02 am ET2 min read\n{BODY}"),
        date(2024, 1, 8),
        "date line, line 2",
    );
}

#[test]
fn a_yearless_date_takes_the_nearest_year_the_text_supports() {
    // 8 Jan 2025 would also have that date in the year before it, but further off.
    let text = format!(
        "A headline\nOSLO, Jan 8 (Nordwire) - The ferry ran again.\n{BODY}The line had been closed since 8 January 2024 at noon.\n"
    );
    check(
        &text,
        date(2024, 1, 8),
        "dateline, line 2; year from the text's other dates",
    );
}

#[test]
fn a_long_menu_above_the_headline_is_still_the_lead() {
    let menu: String = (1..=30).map(|i| format!("Section {i}\n")).collect();
    let body = BODY.repeat(10);
    check(
        &format!("{menu}A headline\n12 October 2021\n{body}"),
        date(2021, 10, 12),
        "date line, line 32",
    );
}

#[test]
fn a_headline_about_a_date_is_not_a_date_line() {
    let text = format!("March 9 referendum\nVoters go to the polls on March 9, 2025\n{BODY}");
    assert_eq!(found(&text), None);
}

#[test]
fn top_metadata_wins_over_a_syndication_note_at_the_foot() {
    check(
        &format!(
            "A headline\nBy Lee Park\nWednesday, Oct. 2, 2024\n{BODY}This column first ran in the Valley Times on Sept. 29, 2024.\n"
        ),
        date(2024, 10, 2),
        "date line, line 3",
    );
}

#[test]
fn weekday_picks_the_year_when_the_body_does_not() {
    assert_eq!(infer_year(3, 6, None, &[]), None);
    let dates = [date(2022, 11, 1), date(2023, 11, 1)];
    // Both years have a date in the year before; 6 March 2024 is a Wednesday.
    assert_eq!(
        infer_year(3, 6, Some(Weekday::Wednesday), &dates),
        Some(date(2024, 3, 6))
    );
}
