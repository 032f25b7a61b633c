//! The promises tracker: each commitment as a lane on one time axis, drawn
//! at build time as inline SVG (no script), with a table saying the same.
//!
//! A lane shows the window from start to deadline (open-ended without one),
//! the share of a quantity reached where a cited point gives an amount, and
//! a mark per data point linked to its sentence. Points of different
//! sources at one date stand apart, so a disagreement shows as two marks.

use jiff::civil::Date;
use serde::Serialize;
use tera::Context;

use super::{Link, article_with, base, inline, topic_link};

use crate::dates::PartialDate;
use crate::refs::Cited;
use crate::site::{Commitment, Site};
use crate::urls::Route;

/// The drawing's coordinate width; it scales to the column.
const WIDTH: f64 = 720.0;
const PAD: f64 = 12.0;
const AXIS: f64 = 30.0;
const LANE: f64 = 74.0;

#[derive(Serialize)]
pub struct Chart {
    width: f64,
    height: f64,
    lanes: Vec<Lane>,
    ticks: Vec<Tick>,
    as_of: Option<Tick>,
}

#[derive(Serialize)]
struct Tick {
    x: f64,
    label: String,
}

#[derive(Serialize)]
struct Lane {
    slug: String,
    title: String,
    party: String,
    promise_html: String,
    status: String,
    window: String,
    target: String,
    progress: String,
    y: f64,
    x0: f64,
    x1: f64,
    open: bool,
    /// Width of the filled part of the window, when an amount is known.
    fill: f64,
    points: Vec<PointView>,
}

#[derive(Serialize)]
struct PointView {
    label_html: String,
    label: String,
    date: String,
    /// The date in ISO form at its precision, for `<time datetime>`.
    iso: String,
    source: String,
    url: String,
    x: f64,
    y: f64,
}

/// The time axis: from the earliest start to a month after the latest
/// date any lane or the as-of day needs, across the drawing's width.
struct Axis {
    first: Date,
    last: Date,
}

impl Axis {
    fn new(site: &Site, commitments: &[&Commitment]) -> Self {
        let starts = commitments.iter().map(|c| c.meta.start.first_day());
        let ends = commitments.iter().flat_map(|c| {
            let m = &c.meta;
            std::iter::once(&m.start)
                .chain(&m.deadline)
                .chain(m.points.iter().map(|p| &p.date))
                .map(PartialDate::last_day)
        });
        let first = starts.min().unwrap_or(Date::constant(2000, 1, 1));
        let last = ends.chain(site.as_of).max().unwrap_or(first);
        // A month of room after the last date, for open-ended windows.
        let last = last
            .max(first)
            .checked_add(jiff::Span::new().days(31))
            .unwrap_or(last);
        Self { first, last }
    }

    fn x(&self, d: Date) -> f64 {
        let days = |d: Date| d.since(self.first).map_or(0, |s| s.get_days());
        PAD + (WIDTH - 2.0 * PAD) * f64::from(days(d)) / f64::from(days(self.last).max(1))
    }

    /// Where a date of any precision sits: the middle of its span.
    fn place(&self, p: &PartialDate) -> f64 {
        (self.x(p.first_day()) + self.x(p.last_day())) / 2.0
    }

    /// A tick at the start of each quarter, none so near the left edge
    /// that its label is cut.
    fn ticks(&self) -> Vec<Tick> {
        let mut out = Vec::new();
        let (mut year, mut month) = (self.first.year(), self.first.month());
        while let Ok(d) = Date::new(year, month, 1) {
            if d > self.last {
                break;
            }
            if d >= self.first && (month - 1) % 3 == 0 && self.x(d) > 40.0 {
                out.push(Tick {
                    x: self.x(d),
                    label: PartialDate::month(year, month).human(),
                });
            }
            (year, month) = if month == 12 {
                (year + 1, 1)
            } else {
                (year, month + 1)
            };
        }
        out
    }
}

/// The chart of `commitments`; their citations are numbered on after `refs`.
pub(super) fn chart(site: &Site, commitments: &[&Commitment], refs: &mut Vec<Cited>) -> Chart {
    let axis = Axis::new(site, commitments);
    let lanes = commitments
        .iter()
        .enumerate()
        .map(|(i, c)| lane(site, c, AXIS + LANE * i as f64, refs, &axis))
        .collect();
    Chart {
        width: WIDTH,
        height: AXIS + LANE * commitments.len() as f64,
        lanes,
        ticks: axis.ticks(),
        as_of: site.as_of.map(|d| Tick {
            x: axis.x(d),
            label: format!("as of {}", PartialDate::day(d).human()),
        }),
    }
}

fn lane(site: &Site, c: &Commitment, y: f64, refs: &mut Vec<Cited>, axis: &Axis) -> Lane {
    let m = &c.meta;
    let (u, corpus) = (&site.config.urls, &site.corpus);
    let x0 = axis.x(m.start.first_day());
    let x1 = m.deadline.map_or(WIDTH - PAD, |d| axis.x(d.last_day()));
    let reached = m
        .points
        .iter()
        .filter_map(|p| p.amount.map(|a| (p.date, a)))
        .max_by_key(|(d, _)| d.last_day());
    let share = match (m.amount, reached) {
        (Some(target), Some((_, got))) if target > 0.0 => (got / target).clamp(0.0, 1.0),
        _ => 0.0,
    };
    // Numbered in reading order: the promise, then its points.
    let promise_html = inline(c.promise.numbered_html(refs, corpus, u));
    let points = marks(site, c, y, refs, axis);
    let amount = |a: f64| format!("{} {}", trim(a), m.unit).trim().to_string();
    Lane {
        slug: m.slug.clone(),
        title: m.title.clone(),
        party: m.party.clone(),
        promise_html,
        status: m.status.clone(),
        window: match m.deadline {
            Some(d) => format!("{} – {}", m.start.human(), d.human()),
            None => format!("from {}, no end date given", m.start.human()),
        },
        target: m.amount.map_or_else(String::new, amount),
        progress: match (m.amount, reached) {
            (Some(t), Some((d, got))) => format!(
                "{} of {} by {} ({:.0}%)",
                trim(got),
                amount(t),
                d.human(),
                share * 100.0
            ),
            _ => String::new(),
        },
        y,
        x0,
        x1,
        open: m.deadline.is_none(),
        fill: (x1 - x0) * share,
        points,
    }
}

/// A mark per data point. Marks at nearly one place stack, so that two
/// sources reporting at one date both stay visible.
fn marks(
    site: &Site,
    c: &Commitment,
    y: f64,
    refs: &mut Vec<Cited>,
    axis: &Axis,
) -> Vec<PointView> {
    let (u, corpus) = (&site.config.urls, &site.corpus);
    let mut placed: Vec<f64> = Vec::new();
    c.meta
        .points
        .iter()
        .zip(&c.points)
        .map(|(p, article)| {
            let px = axis.place(&p.date);
            let stacked = placed.iter().filter(|ox| (*ox - px).abs() < 8.0).count();
            placed.push(px);
            let cited = article.references.first().copied();
            PointView {
                label_html: inline(article.numbered_html(refs, corpus, u)),
                label: p.label.clone(),
                date: p.date.human(),
                iso: p.date.to_string(),
                source: cited.map_or_else(String::new, |r| corpus.sources[r.source()].short_name()),
                url: cited.map_or_else(String::new, |r| crate::article::citation_url(u, corpus, r)),
                x: px,
                y: y + 36.0 + 12.0 * stacked as f64,
            }
        })
        .collect()
}

/// 12 → "12", 1.8 → "1.8".
fn trim(a: f64) -> String {
    let s = format!("{a:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

#[derive(Serialize)]
struct Note {
    slug: String,
    title: String,
    html: String,
    topic: Option<Link>,
}

pub fn tracker(site: &Site) -> Result<Context, tera::Error> {
    let mut ctx = base(
        site,
        "Promises tracker",
        "What each side promised, by when, and how far it has got, with every figure cited.",
        &Route::Tracker.rel(),
        "tracker",
    );
    let all: Vec<&Commitment> = site.commitments.iter().collect();
    let mut refs = Vec::new();
    ctx.insert("chart", &chart(site, &all, &mut refs));
    let notes: Vec<Note> = all
        .iter()
        .map(|c| Note {
            slug: c.meta.slug.clone(),
            title: c.meta.title.clone(),
            html: c
                .article
                .numbered_html(&mut refs, &site.corpus, &site.config.urls),
            topic: site
                .topics
                .iter()
                .find(|t| t.meta.slug == c.meta.topic)
                .map(|t| topic_link(site, t)),
        })
        .collect();
    ctx.insert("bodies", &notes);
    let empty = crate::article::Article::default();
    ctx.insert("article", &article_with(site, &empty, &refs));
    Ok(ctx)
}
