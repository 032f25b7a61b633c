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
