//! Deadlines ("by the end of the year") and phrases relative to the
//! article's date ("on Monday", "last week", "three weeks ago") or to a day
//! the text just named ("a day later", "a day before Oct. 30").

use jiff::civil::Date;
use jiff::{Span, ToSpan};
use regex::Captures;

use super::calendar::{self, Way};
use super::grammar::{Kind, Tense};
use super::resolve::{Ctx, Resolved, month, num, word};
use crate::dates::PartialDate;

pub(super) fn resolve(kind: Kind, c: &Captures<'_>, ctx: &Ctx<'_>) -> Option<Resolved> {
    match kind {
        Kind::YearRel => {
            // "this year's harvest" names no moment.
            if c.get(0)?.as_str().ends_with('s') {
                return None;
            }
            let r = ctx.reference()?;
            Some(Resolved::year(r.year() + calendar::rel(word(c, 2)?) as i16))
        }
        Kind::MonthRel => {
            let d = ctx
                .reference()?
                .first_of_month()
                .checked_add(calendar::rel(word(c, 2)?).months())
                .ok()?;
            Resolved::month(d.year(), d.month())
        }
        Kind::EndOfYear => end_of_year(c, ctx),
        Kind::Weekday => Some(Resolved::day(weekday_date(word(c, 1), word(c, 2)?, ctx)?)),
        Kind::DayWord => {
            let shift = match word(c, 1)?.to_ascii_lowercase().as_str() {
                "yesterday" => -1,
                "tomorrow" => 1,
                _ => 0,
            };
            Some(Resolved::day(
                ctx.reference()?.checked_add(shift.days()).ok()?,
            ))
        }
        Kind::Ago => ago(c, ctx),
        Kind::Offset => offset(c, ctx),
        Kind::SameDay => same_day(c, ctx),
        Kind::Week => week(c, ctx),
        Kind::Weekend => weekend(c, ctx),
        _ => None,
    }
}

/// "by the end of the year" is its last day; "at the end of 2025" only
/// says the year.
fn end_of_year(c: &Captures<'_>, ctx: &Ctx<'_>) -> Option<Resolved> {
    let y = match num(c, 3) {
        Some(y) => y,
        None => ctx.reference()?.year() + calendar::rel(word(c, 2)?) as i16,
    };
    let deadline = matches!(
        word(c, 1)?.to_ascii_lowercase().as_str(),
        "by" | "before" | "until" | "till" | "through"
    );
    if deadline {
        Some(Resolved::day(Date::new(y, 12, 31).ok()?))
    } else {
        Some(Resolved::year(y))
    }
}

/// A weekday name, with its preposition or "last"/"next": the matching day
/// before the reference in a past clause, else the one after it (a present
/// clause, "the leaders meet Thursday", speaks of what is to come).
pub(super) fn weekday_date(prep: Option<&str>, name: &str, ctx: &Ctx<'_>) -> Option<Date> {
    let wd = calendar::weekday(name)?;
    let prep = prep.map(str::to_ascii_lowercase);
    let way = match (prep.as_deref(), ctx.tense()) {
        (Some("last"), _) => Way::Before,
        (Some("next" | "coming"), _) => Way::After,
        (_, Tense::Future) => Way::OnOrAfter,
        (_, Tense::Past) => Way::OnOrBefore,
        (Some("since" | "from" | "after"), Tense::Unknown) => Way::OnOrBefore,
        // A clause in the present ("when they meet Thursday"): a past event
        // would have said so with a past verb.
        (_, Tense::Unknown) => Way::OnOrAfter,
    };
    calendar::weekday_near(ctx.reference()?, wd, way)
}

fn ago(c: &Captures<'_>, ctx: &Ctx<'_>) -> Option<Resolved> {
    let r = ctx.reference()?;
    let n = calendar::count(word(c, 1)?)?;
    // Out of range ("9999999 days ago") means no date, never a panic.
    let back = |span: Result<Span, jiff::Error>| r.checked_sub(span.ok()?).ok();
    match word(c, 2)?.to_ascii_lowercase().as_str() {
        "day" => Some(Resolved {
            approximate: n > 2,
            ..Resolved::day(back(Span::new().try_days(n))?)
        }),
        "week" => Some(Resolved {
            approximate: true,
            ..Resolved::day(back(Span::new().try_weeks(n))?)
        }),
        "month" => {
            let d = back(Span::new().try_months(n))?;
            Resolved::month(d.year(), d.month())
        }
        _ => Some(Resolved::year(
            r.year().checked_sub(i16::try_from(n).ok()?)?,
        )),
    }
}

/// An explicit "Oct. 30" inside the phrase, resolved like any yearless day.
fn named_day(c: &Captures<'_>, m: usize, ctx: &Ctx<'_>) -> Option<Option<Date>> {
    let Some(mo) = month(c, m) else {
        return Some(None);
    };
    let d: i8 = num(c, m + 1)?;
    let day = match num::<i16>(c, m + 2) {
        Some(y) => Date::new(y, mo, d).ok()?,
        None => calendar::nearest_day(ctx.reference()?, mo, d)?,
    };
    Some(Some(day))
}

/// "a day later", "two weeks earlier" (from the day the text last named),
/// "a day before Oct. 30".
fn offset(c: &Captures<'_>, ctx: &Ctx<'_>) -> Option<Resolved> {
    let n = calendar::count(word(c, 1)?)?;
    let days = if word(c, 2)?.eq_ignore_ascii_case("week") {
        n * 7
    } else {
        n
    };
    let dir = word(c, 3)?.to_ascii_lowercase();
    let sign = if dir == "later" || dir == "after" {
        1
    } else {
        -1
    };
    let base = match named_day(c, 4, ctx)? {
        Some(d) => d,
        // "eleven days after the meeting": an anchor we cannot date.
        None if dir == "before" || dir == "after" => return ctx.undatable(),
        None => ctx.anchor()?,
    };
    let day = base
        .checked_add(Span::new().try_days(days * sign).ok()?)
        .ok()?;
    Some(Resolved::day(day))
}

/// "on the same day", "the day before Oct. 30", "the next day".
fn same_day(c: &Captures<'_>, ctx: &Ctx<'_>) -> Option<Resolved> {
    let which = word(c, 1).or(word(c, 2))?.to_ascii_lowercase();
    let shift = match which.as_str() {
        "same" => 0,
        "next" | "following" | "after" => 1,
        _ => -1,
    };
    let base = match named_day(c, 3, ctx)? {
        Some(d) => d,
        // "the day after the summit": an anchor we cannot date.
        None if word(c, 2).is_some() => return ctx.undatable(),
        None => ctx.anchor()?,
    };
    Some(Resolved::day(base.checked_add(shift.days()).ok()?))
}

/// "last week": Monday to Sunday of the week before the reference's.
fn week(c: &Captures<'_>, ctx: &Ctx<'_>) -> Option<Resolved> {
    let r = ctx.reference()?;
    let shift = calendar::rel(word(c, 1)?) * 7;
    let monday = r
        .checked_sub(i64::from(r.weekday().to_monday_zero_offset()).days())
        .ok()?
        .checked_add(shift.days())
        .ok()?;
    let sunday = monday.checked_add(6.days()).ok()?;
    Resolved::span(PartialDate::day(monday), PartialDate::day(sunday))
}

/// "over the weekend": the Saturday and Sunday before the reference, or
/// after it in a future clause.
fn weekend(c: &Captures<'_>, ctx: &Ctx<'_>) -> Option<Resolved> {
    let which = word(c, 1).or(word(c, 2))?;
    let way = match calendar::rel(which) {
        1 => Way::After,
        -1 => Way::Before,
        _ if ctx.tense() == Tense::Future => Way::OnOrAfter,
        _ => Way::OnOrBefore,
    };
    let r = ctx.reference()?;
    let saturday = calendar::weekday_near(r, jiff::civil::Weekday::Saturday, way)?;
    let sunday = saturday.checked_add(1.days()).ok()?;
    Resolved::span(PartialDate::day(saturday), PartialDate::day(sunday))
}
