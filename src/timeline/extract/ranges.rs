//! Ranges: "Oct. 25–26", "from Nov. 10 through Nov. 10, 2026", "over
//! November and December", "2026–2028", "in each of 2026, 2027 and 2028",
//! "the next three years", "the last two months of 2025", "on Friday and
//! Saturday". A range that would end before it starts is no range.

use jiff::ToSpan;
use jiff::civil::Date;
use regex::Captures;

use super::calendar;
use super::grammar::Kind;
use super::relative;
use super::resolve::{Ctx, Resolved, month, num, tense_year, word};
use crate::dates::PartialDate;

pub(super) fn resolve(kind: Kind, c: &Captures<'_>, ctx: &Ctx<'_>) -> Option<Resolved> {
    match kind {
        Kind::DayRange => day_range(month(c, 1)?, num(c, 2)?, num(c, 3)?, num(c, 4), ctx),
        Kind::DayRangeDayFirst => day_range(month(c, 3)?, num(c, 1)?, num(c, 2)?, num(c, 4), ctx),
        Kind::DaySpan => day_span(c, ctx),
        Kind::MonthSpan | Kind::MonthPair => month_span(c, ctx),
        Kind::YearSpan | Kind::YearList => {
            let (a, b): (i16, i16) = (num(c, 1)?, num(c, 2)?);
            // "1994-2025" is a history, not a date range of an event.
            if b - a > 20 {
                return None;
            }
            Resolved::span(PartialDate::year(a), PartialDate::year(b))
        }
        Kind::NextYears => next_years(c, ctx),
        Kind::MonthsOf => months_of(c, ctx),
        Kind::WeekdayPair => weekday_pair(c, ctx),
        _ => None,
    }
}

fn day_range(m: i8, d1: i8, d2: i8, y: Option<i16>, ctx: &Ctx<'_>) -> Option<Resolved> {
    let start = match y {
        Some(y) => Date::new(y, m, d1).ok()?,
        None => calendar::nearest_day(ctx.reference()?, m, d1)?,
    };
    let end = Date::new(start.year(), m, d2).ok()?;
    Resolved::span(PartialDate::day(start), PartialDate::day(end))
}

/// "from Nov. 10 through Nov. 10, 2026": a year given on one end carries to
/// the other, so that the range runs forward.
fn day_span(c: &Captures<'_>, ctx: &Ctx<'_>) -> Option<Resolved> {
    let (m1, d1, m2, d2): (i8, i8, i8, i8) = (month(c, 2)?, num(c, 3)?, month(c, 6)?, num(c, 7)?);
    let forward = (m1, d1) < (m2, d2);
    let (y1, y2) = match (num::<i16>(c, 4), num::<i16>(c, 8)) {
        (Some(a), Some(b)) => (a, b),
        (None, Some(b)) => (if forward { b } else { b - 1 }, b),
        (Some(a), None) => (a, if forward { a } else { a + 1 }),
        (None, None) => {
            let a = calendar::nearest_day(ctx.reference()?, m1, d1)?.year();
            (a, if forward { a } else { a + 1 })
        }
    };
    Resolved::span(
        PartialDate::day(Date::new(y1, m1, d1).ok()?),
        PartialDate::day(Date::new(y2, m2, d2).ok()?),
    )
}

fn month_span(c: &Captures<'_>, ctx: &Ctx<'_>) -> Option<Resolved> {
    let (m1, m2) = (month(c, 1)?, month(c, 3)?);
    let (y1, y2) = match (num::<i16>(c, 2), num::<i16>(c, 4)) {
        (Some(a), Some(b)) => (a, b),
        (None, Some(b)) => (if m1 <= m2 { b } else { b - 1 }, b),
        (Some(a), None) => (a, if m2 >= m1 { a } else { a + 1 }),
        (None, None) => {
            let a = tense_year(ctx, m1)?;
            (a, if m2 >= m1 { a } else { a + 1 })
        }
    };
    Resolved::span(PartialDate::month(y1, m1), PartialDate::month(y2, m2))
}

/// "the next three years" from 2025: 2026–2028; "the past two months".
fn next_years(c: &Captures<'_>, ctx: &Ctx<'_>) -> Option<Resolved> {
    let step = calendar::rel(word(c, 1)?);
    let n = calendar::count(word(c, 2)?)?.clamp(1, 50);
    let r = ctx.reference()?;
    let (from, to) = if step > 0 { (1, n) } else { (-n, -1) };
    if word(c, 3)?.eq_ignore_ascii_case("year") {
        let y = i64::from(r.year());
        let (a, b) = (i16::try_from(y + from).ok()?, i16::try_from(y + to).ok()?);
        return if a == b {
            Some(Resolved::year(a))
        } else {
            Resolved::span(PartialDate::year(a), PartialDate::year(b))
        };
    }
    let first = r.first_of_month();
    let a = first.checked_add(from.months()).ok()?;
    let b = first.checked_add(to.months()).ok()?;
    let (a, b) = (
        PartialDate::month(a.year(), a.month()),
        PartialDate::month(b.year(), b.month()),
    );
    if a == b {
        Some(Resolved::at(a))
    } else {
        Resolved::span(a, b)
    }
}

/// "the last two months of 2025": November–December 2025.
fn months_of(c: &Captures<'_>, ctx: &Ctx<'_>) -> Option<Resolved> {
    let n = calendar::count(word(c, 2)?)?;
    let n = i8::try_from(n).ok().filter(|n| (1..12).contains(n))?;
    let y = match num(c, 3) {
        Some(y) => y,
        None => ctx.reference()?.year() + calendar::rel(word(c, 4)?) as i16,
    };
    let (a, b) = if word(c, 1)?.eq_ignore_ascii_case("first") {
        (1, n)
    } else {
        (13 - n, 12)
    };
    Resolved::span(PartialDate::month(y, a), PartialDate::month(y, b))
}

/// "on Friday and Saturday": the first day as a weekday alone, the second
/// the next such day after it.
fn weekday_pair(c: &Captures<'_>, ctx: &Ctx<'_>) -> Option<Resolved> {
    let first = relative::weekday_date(word(c, 1), word(c, 2)?, ctx)?;
    let wd = calendar::weekday(word(c, 3)?)?;
    let second = calendar::weekday_near(first, wd, calendar::Way::After)?;
    Resolved::span(PartialDate::day(first), PartialDate::day(second))
}
