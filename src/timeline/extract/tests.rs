use super::*;
use jiff::civil::date;

fn iso(text: &str, r: Option<Date>) -> Vec<String> {
    find(text, r)
        .iter()
        .map(|f| match f.end {
            Some(e) => format!("{}/{}", f.date, e),
            None => f.date.to_string(),
        })
        .collect()
}

#[test]
fn explicit_dates_keep_their_precision() {
    assert_eq!(
        iso(
            "The talks ended on Sunday, Oct 26, 2025, in the capital.",
            None
        ),
        ["2025-10-26"]
    );
    assert_eq!(iso("his visit to Beijing in April 2026", None), ["2026-04"]);
    assert_eq!(
        iso("exports collapsed to zero tons in September 2025", None),
        ["2025-09"]
    );
}

#[test]
fn weekday_fixes_the_year() {
    // nov24-call has no date; only the weekday says which year.
    let text = "On Monday (November 24), U.S. President Donald Trump held a phone call. Both sides agreed on his visit to Beijing in April 2026.";
    assert_eq!(iso(text, None), ["2025-11-24", "2026-04"]);
}

#[test]
fn relative_phrases_resolve_against_the_reference() {
    let busan = Some(date(2025, 10, 30));
    assert_eq!(
        iso(
            "Trump announced his plans to visit China in April for follow-up discussions, while Xi Jinping is expected to make a reciprocal visit to the United States later next year.",
            busan
        ),
        ["2026-04", "2026"]
    );
    let r = Some(date(2025, 11, 24));
    assert_eq!(
        iso(
            "This call was a follow up to our highly successful meeting in South Korea, three weeks ago.",
            r
        ),
        ["2025-11-03"]
    );
    assert_eq!(
        iso(
            "China committed to purchase 12 million metric tons of U.S. soybeans from late October through January 2026, and then maintain",
            r
        ),
        ["2025-10/2026-01"]
    );
    assert_eq!(
        iso(
            "from late October to mid-November, China ordered about 1.8 million tons",
            r
        ),
        ["2025-10/2025-11"]
    );
    assert_eq!(
        iso("On November 14, Trump said Washington was in talks", r),
        ["2025-11-14"]
    );
    let kl = Some(date(2025, 10, 26));
    assert_eq!(
        iso(
            "The discussions, scheduled for October 24–27, focus on defusing a crisis",
            kl
        ),
        ["2025-10-24/2025-10-27"]
    );
    assert_eq!(
        iso(
            "officials are set to finalize a sweeping this week, aiming",
            kl
        ),
        ["2025-10-20/2025-10-26"]
    );
}

#[test]
fn tense_decides_past_or_next_month() {
    let r = Some(date(2025, 10, 27));
    assert_eq!(
        iso(
            "China halted soybean purchases after Trump’s tariffs on Chinese goods in April.",
            r
        ),
        ["2025-04"]
    );
    assert_eq!(
        iso("implementing the first measures in December in response", r),
        ["2024-12"]
    );
    assert_eq!(
        iso(
            "Speaking to ABC News on Sunday, Bessent said the leaders meet Thursday in South Korea.",
            r
        ),
        ["2025-10-26", "2025-10-30"]
    );
}

#[test]
fn no_reference_no_relative_dates_and_possessives_are_not_dates() {
    assert!(
        iso(
            "three shipments from this year’s US harvest",
            Some(date(2025, 10, 30))
        )
        .is_empty()
    );
    assert!(iso("I’ll be going to China in April", None).is_empty());
}

// The examples below are written for these tests, one block per phrase
// class. The reference is Wednesday 12 November 2025 unless a test says.
const WED: Option<Date> = Some(date(2025, 11, 12));

fn undated(text: &str, r: Option<Date>) -> Vec<String> {
    let s = scan(
        text,
        &Context {
            reference: r,
            ..Context::default()
        },
    );
    s.undated
        .iter()
        .map(|u| text[u.clone()].to_string())
        .collect()
}

#[test]
fn explicit_days_in_every_common_order() {
    for text in [
        "The mill reopened on 10 November 2025 after repairs.",
        "The mill reopened on Nov. 10, 2025 after repairs.",
        "The mill reopened on November 10th, 2025 after repairs.",
        "The mill reopened on 2025-11-10 after repairs.",
        "The mill reopened on Monday, 10 November 2025, after repairs.",
    ] {
        assert_eq!(iso(text, None), ["2025-11-10"], "{text}");
    }
    // Yearless days need the article's date and fall near it.
    assert_eq!(iso("Grain barges left on 10 Nov.", WED), ["2025-11-10"]);
    assert_eq!(iso("Grain barges left on 9 October.", WED), ["2025-10-09"]);
    assert_eq!(iso("Grain barges left on Oct. 9.", WED), ["2025-10-09"]);
    // Far from the reference, the tense picks the year.
    assert_eq!(
        iso("The levy was announced on 4 April.", WED),
        ["2025-04-04"]
    );
    assert_eq!(iso("The levy will lapse on 4 April.", WED), ["2026-04-04"]);
}

#[test]
fn slash_dates_only_when_the_order_is_known() {
    assert_eq!(iso("Bids closed on 11/25/2025.", None), ["2025-11-25"]);
    assert_eq!(iso("Bids closed on 25/11/2025.", None), ["2025-11-25"]);
    assert!(iso("Bids closed on 11/10/2025.", None).is_empty());
    assert_eq!(undated("Bids closed on 11/10/2025.", None), ["11/10/2025"]);
    let us = Context {
        slash: SlashOrder::MonthFirst,
        ..Context::default()
    };
    let s = scan("Bids closed on 11/10/2025.", &us);
    assert_eq!(s.dated[0].date.to_string(), "2025-11-10");
}

#[test]
fn partial_dates_keep_month_quarter_or_year_precision() {
    assert_eq!(iso("Output fell in April.", WED), ["2025-04"]);
    assert_eq!(iso("The minister will visit in April.", WED), ["2026-04"]);
    assert_eq!(iso("In 2024, the port handled less grain.", WED), ["2024"]);
    assert_eq!(iso("Prices peaked in mid-September.", WED), ["2025-09"]);
    assert_eq!(iso("Prices peaked in early March.", WED), ["2025-03"]);
    assert_eq!(iso("Shipments resumed late October.", WED), ["2025-10"]);
    assert_eq!(iso("Orders slowed at end-September.", WED), ["2025-09"]);
    assert_eq!(
        iso("Ships have queued since late October.", WED),
        ["2025-10"]
    );
    assert_eq!(
        iso("Deliveries are planned for Q1 2026.", None),
        ["2026-01/2026-03"]
    );
    assert_eq!(
        iso(
            "Deliveries are planned for the first quarter of 2026.",
            None
        ),
        ["2026-01/2026-03"]
    );
    assert_eq!(
        iso(
            "Deliveries are planned for the third quarter of next year.",
            WED
        ),
        ["2026-07/2026-09"]
    );
}

#[test]
fn ranges_of_days_months_and_years() {
    assert_eq!(
        iso("Delegates met on Oct. 25–26 in the capital.", WED),
        ["2025-10-25/2025-10-26"]
    );
    assert_eq!(
        iso("Delegates met on 25-26 October 2025.", None),
        ["2025-10-25/2025-10-26"]
    );
    assert_eq!(
        iso("The waiver runs from Nov. 10 through Nov. 10, 2026.", None),
        ["2025-11-10/2026-11-10"]
    );
    assert_eq!(
        iso("Buyers booked cargoes over November and December.", WED),
        ["2025-11/2025-12"]
    );
    assert_eq!(
        iso("Orders rose between late September and mid-October.", WED),
        ["2025-09/2025-10"]
    );
    assert_eq!(iso("The quota covers 2026–2028.", None), ["2026/2028"]);
    assert_eq!(
        iso(
            "The quota is 9 million tons in each of 2026, 2027 and 2028.",
            None
        ),
        ["2026/2028"]
    );
    assert_eq!(
        iso(
            "It must buy 5 million tons a year over the next three years.",
            WED
        ),
        ["2026/2028"]
    );
    assert_eq!(
        iso("Sales jumped in the last two months of 2025.", None),
        ["2025-11/2025-12"]
    );
    // A Wednesday's article on a forum held on Friday and Saturday ahead.
    assert_eq!(
        iso(
            "The forum meets on Friday and Saturday in the old town.",
            WED
        ),
        ["2025-11-14/2025-11-15"]
    );
}

#[test]
fn deadlines_are_their_last_day() {
    assert_eq!(
        iso("The mill must pay by the end of the year.", WED),
        ["2025-12-31"]
    );
    assert_eq!(
        iso("The mill must pay by the end of 2026.", None),
        ["2026-12-31"]
    );
    assert_eq!(
        iso("The mill must pay by the end of February.", WED),
        ["2026-02-28"]
    );
    assert_eq!(
        iso("The mill must pay by end-January.", WED),
        ["2026-01-31"]
    );
    assert_eq!(
        iso("The waiver lasts until 10 November 2026.", None),
        ["2026-11-10"]
    );
    // "at the end of" is no deadline: it keeps its precision.
    assert_eq!(
        iso("Stocks were counted at the end of the year.", WED),
        ["2025"]
    );
}

#[test]
fn relative_phrases_count_from_the_article_date() {
    assert_eq!(iso("The board met on Monday.", WED), ["2025-11-10"]);
    assert_eq!(iso("The board will meet on Monday.", WED), ["2025-11-17"]);
    assert_eq!(iso("The board met last Wednesday.", WED), ["2025-11-05"]);
    assert_eq!(iso("The board meets next Monday.", WED), ["2025-11-17"]);
    assert_eq!(iso("The board met yesterday.", WED), ["2025-11-11"]);
    assert_eq!(iso("The board meets today.", WED), ["2025-11-12"]);
    assert_eq!(
        iso("The board met last week.", WED),
        ["2025-11-03/2025-11-09"]
    );
    assert_eq!(iso("Prices slid late last month.", WED), ["2025-10"]);
    assert_eq!(iso("Prices will ease next month.", WED), ["2025-12"]);
    assert_eq!(iso("The board met two weeks ago.", WED), ["2025-10-29"]);
    assert_eq!(
        iso("Envoys talked at the weekend.", WED),
        ["2025-11-08/2025-11-09"]
    );
    assert_eq!(
        iso("The rules were drafted a day before Oct. 30.", WED),
        ["2025-10-29"]
    );
    assert_eq!(
        iso("The ban came on 9 October, and a day later the reply.", WED),
        ["2025-10-09", "2025-10-10"]
    );
    // "a day later" counts from the last day named, even a sentence back.
    let s = scan(
        "A day later, the mill shut.",
        &Context {
            reference: WED,
            anchor: Some(date(2025, 10, 9)),
            ..Context::default()
        },
    );
    assert_eq!(s.dated[0].date.to_string(), "2025-10-10");
}

#[test]
fn look_alikes_are_not_events() {
    for text in [
        "The depot is inspected every Monday.",
        "If talks fail in 2027, duties return.",
        "A lot of 2,025 tons changed hands.",
        "The order took effect at 13:01 local time.",
        "Jan 26 soybeans settled higher.",
        "This piece first appeared in The Example Ledger on Nov. 28, 2025.",
        "Posted Thursday, November 20, 2025 5:00 am",
        "Published 3 Mar 2026 | Updated 4 Mar 2026",
        "3 March 2026",
        "Growers hope to sell more over the winter.",
        "The cargo arrived a day earlier than promised.",
        "That's all for today.",
        "It was the first drop since 2018.",
    ] {
        assert!(iso(text, WED).is_empty(), "{text}: {:?}", iso(text, WED));
        assert!(undated(text, None).is_empty(), "{text}");
    }
    // A clock time next to a date leaves the date alone.
    assert_eq!(
        iso("The cut applies from 12:01 a.m. on Nov. 10, 2025.", None),
        ["2025-11-10"]
    );
}

#[test]
fn without_a_reference_relative_phrases_stay_undated() {
    let text = "On Tuesday the mill said it would reopen next Monday; it had shut last week, in April and on Nov. 4.";
    assert!(iso(text, None).is_empty());
    assert_eq!(
        undated(text, None),
        [
            "On Tuesday",
            "next Monday",
            "last week",
            "in April",
            "Nov. 4"
        ]
    );
    // A weekday beside its date needs no reference: only one year fits.
    let s = scan(
        "The mill shut on Friday (March 6).",
        &Context {
            years: &[2026],
            ..Context::default()
        },
    );
    assert_eq!(s.dated[0].date.to_string(), "2026-03-06");
}

#[test]
fn questions_and_guesses_are_not_events() {
    let r = Some(date(2025, 10, 27));
    for s in [
        "It remains to be seen what will be agreed upon at the meeting this week.",
        "Will the ferry run again on 3 March?",
        "The minister might travel to Oslo on 12 May 2026.",
        "It is unclear whether the plant reopens in April.",
    ] {
        assert_eq!(iso(s, r), Vec::<String>::new(), "{s}");
    }
    // "May" the month is no guess.
    assert_eq!(
        iso("The plant reopened on May 4, 2025.", None),
        ["2025-05-04"]
    );
}
