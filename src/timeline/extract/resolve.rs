//! Turning a matched phrase into dates: explicit and partial dates here,
//! ranges in `ranges`, deadlines and relative phrases in `relative`.
//!
//! A resolver returns `None` when the phrase is no valid date; when it
//! lacked a reference or an anchor it asked `Ctx` for, the caller keeps the
//! phrase as undated instead of guessing.

use std::cell::{Cell, OnceCell};
use std::ops::Range;

use jiff::civil::Date;
use regex::Captures;

use super::grammar::{self, Kind, Tense};
use super::{calendar, ranges, relative};
use crate::dates::PartialDate;
use crate::seeds::sources::month_number;

/// Which way an article writes ambiguous slash dates ("11/10/2025"), as its
/// own unambiguous ones ("11/14/2025") show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SlashOrder {
    #[default]
    Unknown,
    MonthFirst,
    DayFirst,
}

/// What a phrase is resolved against.
pub(super) struct Ctx<'t> {
    pub text: &'t str,
    pub at: Range<usize>,
    reference: Option<Date>,
    anchor: Option<Date>,
    pub slash: SlashOrder,
    article_years: &'t [i16],
    years: OnceCell<Vec<i16>>,
    future_anywhere: OnceCell<bool>,
    needs: Cell<bool>,
}

impl<'t> Ctx<'t> {
    pub fn new(text: &'t str, context: &super::Context<'t>) -> Self {
        Self {
            text,
            at: 0..0,
            reference: context.reference,
            anchor: None,
            slash: context.slash,
            article_years: context.years,
            years: OnceCell::new(),
            future_anywhere: OnceCell::new(),
            needs: Cell::new(false),
        }
    }

    /// Start on the next phrase.
    pub fn at(&mut self, at: Range<usize>, anchor: Option<Date>) {
        self.at = at;
        self.anchor = anchor;
        self.needs.set(false);
    }

    /// The article's date; asking without one marks the phrase undated.
    pub fn reference(&self) -> Option<Date> {
        if self.reference.is_none() {
            self.needs.set(true);
        }
        self.reference
    }

    /// The day the text last named, for "a day later".
    pub fn anchor(&self) -> Option<Date> {
        if self.anchor.is_none() {
            self.needs.set(true);
        }
        self.anchor
    }

    /// Mark the phrase as a date that cannot be placed.
    pub fn undatable<T>(&self) -> Option<T> {
        self.needs.set(true);
        None
    }

    pub fn needed_more(&self) -> bool {
        self.needs.get()
    }

    /// The years the sentence mentions, then the article's; found once
    /// however many dates the sentence holds.
    pub fn years(&self) -> &[i16] {
        self.years.get_or_init(|| {
            let mut ys = years_in(std::iter::once(self.text));
            ys.extend(
                self.article_years
                    .iter()
                    .filter(|y| !ys.contains(y))
                    .collect::<Vec<_>>(),
            );
            ys
        })
    }

    /// What the phrase's clause says about when.
    pub fn tense(&self) -> Tense {
        grammar::tense(self.text, &self.at, || {
            *self
                .future_anywhere
                .get_or_init(|| grammar::future_anywhere(self.text))
        })
    }

    /// The words just before the phrase, lowercased.
    pub fn before(&self) -> String {
        let b = self.text.get(..self.at.start).unwrap_or("");
        let start = b.len().saturating_sub(12);
        b.get(start..).unwrap_or(b).to_ascii_lowercase()
    }
}

/// A resolved phrase.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Resolved {
    pub date: PartialDate,
    pub end: Option<PartialDate>,
    /// A day computed from a rough span ("three weeks ago").
    pub approximate: bool,
}

impl Resolved {
    pub fn at(date: PartialDate) -> Self {
        Self {
            date,
            end: None,
            approximate: false,
        }
    }
    pub fn day(d: Date) -> Self {
        Self::at(PartialDate::day(d))
    }
    pub fn month(y: i16, m: i8) -> Option<Self> {
        Date::new(y, m, 1).ok()?;
        Some(Self::at(PartialDate::month(y, m)))
    }
    pub fn year(y: i16) -> Self {
        Self::at(PartialDate::year(y))
    }
    /// A range, only when it ends after it starts.
    pub fn span(date: PartialDate, end: PartialDate) -> Option<Self> {
        (end.last_day() > date.first_day() && end.first_day() >= date.first_day() && end != date)
            .then_some(Self {
                date,
                end: Some(end),
                approximate: false,
            })
    }
}

pub(super) fn num<T: std::str::FromStr>(c: &Captures<'_>, i: usize) -> Option<T> {
    c.get(i)?.as_str().parse().ok()
}

pub(super) fn month(c: &Captures<'_>, i: usize) -> Option<i8> {
    month_number(c.get(i)?.as_str())
}

pub(super) fn word<'c>(c: &Captures<'c>, i: usize) -> Option<&'c str> {
    c.get(i).map(|m| m.as_str())
}

pub(super) fn resolve(kind: Kind, c: &Captures<'_>, ctx: &Ctx<'_>) -> Option<Resolved> {
    use Kind::*;
    match kind {
        DayMonthYear => Some(Resolved::day(
            Date::new(num(c, 4)?, month(c, 3)?, num(c, 2)?).ok()?,
        )),
        MonthDayYear => Some(Resolved::day(
            Date::new(num(c, 4)?, month(c, 2)?, num(c, 3)?).ok()?,
        )),
        Iso => Some(Resolved::day(
            Date::new(num(c, 1)?, num(c, 2)?, num(c, 3)?).ok()?,
        )),
        Slash => slash(c, ctx),
        WeekdayParen => weekday_paren(c, ctx),
        MonthDay => month_day(c, ctx),
        DayMonth => Some(Resolved::day(yearless_day(ctx, month(c, 2)?, num(c, 1)?)?)),
        MonthYear => Resolved::month(num(c, 2)?, month(c, 1)?),
        PartOfMonth => part_of_month(c, ctx),
        InMonth => {
            let m = month(c, 1)?;
            match num(c, 2) {
                Some(y) => Resolved::month(y, m),
                None => Resolved::month(tense_year(ctx, m)?, m),
            }
        }
        RelMonth => rel_month(c, ctx),
        InYear => Some(Resolved::year(num(c, 1)?)),
        Quarter => quarter(c, ctx),
        DayRange | DayRangeDayFirst | DaySpan | MonthSpan | MonthPair | YearSpan | YearList
        | NextYears | MonthsOf | WeekdayPair => ranges::resolve(kind, c, ctx),
        YearRel | MonthRel | EndOfYear | Weekday | DayWord | Ago | Offset | SameDay | Week
        | Weekend => relative::resolve(kind, c, ctx),
    }
}

/// The year of a yearless month by the clause's tense: the coming one for
/// the future, else the latest one. "since late October" looks back
/// whatever the clause says next.
pub(super) fn tense_year(ctx: &Ctx<'_>, m: i8) -> Option<i16> {
    let r = ctx.reference()?;
    let phrase = ctx
        .text
        .get(ctx.at.clone())
        .unwrap_or("")
        .to_ascii_lowercase();
    let since = phrase.starts_with("since ") || ctx.before().ends_with("since ");
    Some(if !since && ctx.tense() == Tense::Future {
        calendar::coming_month_year(r, m)
    } else {
        calendar::past_month_year(r, m)
    })
}

fn slash(c: &Captures<'_>, ctx: &Ctx<'_>) -> Option<Resolved> {
    let (a, b, y): (i8, i8, i16) = (num(c, 1)?, num(c, 2)?, num(c, 3)?);
    let (m, d) = match ctx.slash {
        _ if a == b => (a, b),
        _ if a > 12 => (b, a),
        _ if b > 12 => (a, b),
        SlashOrder::MonthFirst => (a, b),
        SlashOrder::DayFirst => (b, a),
        SlashOrder::Unknown => return ctx.undatable(),
    };
    Some(Resolved::day(Date::new(y, m, d).ok()?))
}

fn weekday_paren(c: &Captures<'_>, ctx: &Ctx<'_>) -> Option<Resolved> {
    let wd = calendar::weekday(word(c, 1)?)?;
    let (m, d): (i8, i8) = (month(c, 2)?, num(c, 3)?);
    // The weekday fixes the year: no reference needed unless it fails.
    let r = ctx.reference;
    match calendar::weekday_year(wd, m, d, r, ctx.years()) {
        Some(day) => Some(Resolved::day(day)),
        None => ctx.undatable(),
    }
}

fn month_day(c: &Captures<'_>, ctx: &Ctx<'_>) -> Option<Resolved> {
    let m = month(c, 1)?;
    let d = match num(c, 2) {
        Some(d) => d,
        None => calendar::ordinal_day(word(c, 3)?)?,
    };
    let r = ctx.reference()?;
    let day = match word(c, 4) {
        Some(rel) => Date::new(r.year() + calendar::rel(rel) as i16, m, d).ok()?,
        None => yearless_day(ctx, m, d)?,
    };
    Some(Resolved::day(day))
}

/// A day without a year: the nearest such day when it is within a season
/// of the reference (news speaks of the weeks around it), else the one the
/// clause's tense points to ("the controls announced on 4 April").
fn yearless_day(ctx: &Ctx<'_>, m: i8, d: i8) -> Option<Date> {
    let r = ctx.reference()?;
    let near = calendar::nearest_day(r, m, d)?;
    if near.since(r).ok()?.get_days().abs() <= 92 {
        return Some(near);
    }
    let mut candidates = (r.year() - 1..=r.year() + 1).filter_map(|y| Date::new(y, m, d).ok());
    match ctx.tense() {
        Tense::Past => candidates.rfind(|x| *x <= r),
        Tense::Future => candidates.find(|x| *x >= r),
        Tense::Unknown => Some(near),
    }
}

fn part_of_month(c: &Captures<'_>, ctx: &Ctx<'_>) -> Option<Resolved> {
    let m = month(c, 4)?;
    let end = word(c, 2).is_some_and(|w| w.eq_ignore_ascii_case("end")) || word(c, 3).is_some();
    let phrase = ctx.text.get(ctx.at.clone()).unwrap_or("");
    let before = ctx.before();
    let by = ["by ", "before ", "until ", "till "]
        .iter()
        .any(|p| before.ends_with(p));
    // "by the end of February", "the end-of-February deadline": a day.
    let deadline = end && (by || phrase.contains("end-of-"));
    let y = match num(c, 5) {
        Some(y) => y,
        None if deadline => calendar::coming_month_year(ctx.reference()?, m),
        None => tense_year(ctx, m)?,
    };
    if deadline {
        return Some(Resolved::day(calendar::last_of_month(y, m)?));
    }
    Resolved::month(y, m)
}

fn rel_month(c: &Captures<'_>, ctx: &Ctx<'_>) -> Option<Resolved> {
    let r = ctx.reference()?;
    if let Some(which) = word(c, 1) {
        let m = month(c, 2)?;
        let y = match calendar::rel(which) {
            1 => calendar::next_month_year(r, m),
            -1 if m < r.month() => r.year(),
            -1 => r.year() - 1,
            _ => r.year(),
        };
        return Resolved::month(y, m);
    }
    let m = month(c, 3)?;
    Resolved::month(r.year() + calendar::rel(word(c, 4)?) as i16, m)
}

fn quarter(c: &Captures<'_>, ctx: &Ctx<'_>) -> Option<Resolved> {
    let q = match word(c, 1) {
        Some(d) => d.parse().ok()?,
        None => calendar::ordinal(word(c, 2)?)?,
    };
    let y = match num(c, 3) {
        Some(y) => y,
        None => ctx.reference()?.year() + calendar::rel(word(c, 4)?) as i16,
    };
    Resolved::span(
        PartialDate::month(y, q * 3 - 2),
        PartialDate::month(y, q * 3),
    )
}

/// The years the texts name, latest first.
pub(super) fn years_in<'a>(texts: impl Iterator<Item = &'a str>) -> Vec<i16> {
    let mut ys: Vec<i16> = texts
        .flat_map(|t| t.split(|c: char| !c.is_ascii_digit()))
        .filter(|w| w.len() == 4 && (w.starts_with("19") || w.starts_with("20")))
        .filter_map(|w| w.parse().ok())
        .collect();
    ys.sort_unstable_by(|a, b| b.cmp(a));
    ys.dedup();
    ys
}
