//! Every published date is one a source gives.
//!
//! An authored event's date must be stated by (or resolve from) at least one
//! of the sentences it cites, at the event's precision: a citation dated
//! "October 30, 2025" supports an event on 2025-10-30 or in 2025-10; one
//! dated "October" supports only the month. The dated sentences are the
//! extractor's own candidates, so the check reads dates exactly as the
//! timeline does. An event whose date no citation gives fails the build
//! unless its `date_basis` says how the date was worked out.

use std::collections::BTreeSet;

use crate::hash::HashMap;

use super::Authored;
use super::extract::Candidate;
use crate::dates::{PartialDate, Precision};
use crate::diag::Diagnostic;
use crate::refs::SentenceRef;

/// The dates each of some sentences states, from extraction.
pub struct StatedDates<'a> {
    by_sentence: HashMap<SentenceRef, Vec<&'a Candidate>>,
}

impl<'a> StatedDates<'a> {
    /// The dates of the sentences `asked` about: the few hundred that
    /// authored text cites, not a map of every dated sentence (60,000 at
    /// 10,000 articles: 10 ms of every rebuild, on one thread).
    pub fn new(dated: &'a [Candidate], asked: impl IntoIterator<Item = SentenceRef>) -> Self {
        let mut by_sentence: HashMap<SentenceRef, Vec<&Candidate>> =
            asked.into_iter().map(|r| (r, Vec::new())).collect();
        for c in dated {
            if let Some(dates) = by_sentence.get_mut(&c.at) {
                dates.push(c);
            }
        }
        Self { by_sentence }
    }

    /// The candidates of one sentence.
    pub fn of(&self, at: SentenceRef) -> &[&'a Candidate] {
        self.by_sentence.get(&at).map_or(&[], Vec::as_slice)
    }
}

/// Does this stated date give `date` at `date`'s precision?
pub fn supports(c: &Candidate, date: PartialDate) -> bool {
    let want = date.precision();
    // "Three weeks ago" computes a day; it only vouches for the month.
    let stated = if c.approximate && c.date.precision() == Precision::Day {
        truncate(c.date, Precision::Month)
    } else {
        c.date
    };
    let gives = |d: PartialDate| d.precision() >= want && truncate(d, want) == date;
    // A stated span ("24–27 October", "from late October through January
    // 2026") gives both its ends and every date within it.
    let in_span = c.end.is_some_and(|end| {
        !c.approximate
            && (gives(end)
                || (stated.first_day() <= date.first_day() && date.last_day() <= end.last_day()))
    });
    gives(stated) || in_span
}

fn truncate(d: PartialDate, to: Precision) -> PartialDate {
    match to {
        Precision::Year => PartialDate::year(d.year),
        Precision::Month => d.month.map_or(d, |m| PartialDate::month(d.year, m)),
        Precision::Day => d,
    }
}

/// An error for each authored event whose date none of its citations gives
/// and that does not say how the date was inferred.
pub fn check(authored: &[Authored], stated: &StatedDates<'_>) -> Vec<Diagnostic> {
    authored
        .iter()
        .filter(|a| a.meta.date_basis.is_none())
        .filter_map(|a| {
            let cited: Vec<&Candidate> = a
                .article
                .references
                .iter()
                .filter_map(|c| c.sentence())
                .flat_map(|r| stated.of(r).iter().copied())
                .collect();
            if cited.iter().any(|c| supports(c, a.meta.date)) {
                return None;
            }
            let given: BTreeSet<String> = cited.iter().map(|c| c.date.to_string()).collect();
            let given = if given.is_empty() {
                "its citations state no date".to_string()
            } else {
                format!(
                    "its citations give {}",
                    given.into_iter().collect::<Vec<_>>().join(", ")
                )
            };
            Some(
                Diagnostic::error(
                    &a.path,
                    format!(
                        "date {} is not given by any sentence this event cites ({given})",
                        a.meta.date
                    ),
                )
                .at_line(a.meta.date_line)
                .with_hint(
                    "cite a sentence that states the date, correct the date, or add \
                     date_basis = \"how the date was worked out\"",
                ),
            )
        })
        .collect()
}

/// A warning for each date the prose states right before a citation whose
/// sentence does not give it ("On October 30 they met [@x: …]" where the
/// cited sentence dates nothing, or dates something else).
pub fn prose_warnings(
    docs: &[(&std::path::Path, &crate::article::Article)],
    stated: &StatedDates<'_>,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (path, article) in docs {
        for d in &article.dated_cites {
            let Some(at) = d.cited.sentence() else {
                continue;
            };
            let given = stated.of(at);
            if given.iter().any(|c| supports(c, d.date)) {
                continue;
            }
            let says = if given.is_empty() {
                "states no date".to_string()
            } else {
                let dates: BTreeSet<String> = given.iter().map(|c| c.date.to_string()).collect();
                format!("gives {}", dates.into_iter().collect::<Vec<_>>().join(", "))
            };
            out.push(
                Diagnostic::warning(
                    path,
                    format!(
                        "{:?} ({}) is not given by the sentence cited after it, which {says}",
                        d.phrase, d.date
                    ),
                )
                .at_line(d.line)
                .with_hint("cite the sentence that states the date, or move the date away from this citation"),
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cand(date: &str, end: Option<&str>, approximate: bool) -> Candidate {
        Candidate {
            at: SentenceRef::new(0, 0, 0),
            date: PartialDate::parse(date).unwrap(),
            end: end.map(|e| PartialDate::parse(e).unwrap()),
            approximate,
            phrase: 0..0,
        }
    }

    fn d(s: &str) -> PartialDate {
        PartialDate::parse(s).unwrap()
    }

    #[test]
    fn a_day_supports_its_day_month_and_year_but_a_month_not_a_day() {
        let day = cand("2025-10-30", None, false);
        assert!(supports(&day, d("2025-10-30")));
        assert!(supports(&day, d("2025-10")));
        assert!(supports(&day, d("2025")));
        assert!(!supports(&day, d("2025-10-29")));
        let month = cand("2025-10", None, false);
        assert!(supports(&month, d("2025-10")));
        assert!(!supports(&month, d("2025-10-30")), "a month gives no day");
    }

    #[test]
    fn a_span_gives_its_days_and_a_rough_day_only_its_month() {
        let span = cand("2025-10-24", Some("2025-10-27"), false);
        assert!(supports(&span, d("2025-10-26")));
        assert!(!supports(&span, d("2025-10-28")));
        let months = cand("2025-10", Some("2026-01"), false);
        assert!(supports(&months, d("2026-01")), "its end");
        assert!(supports(&months, d("2026")), "its end's year");
        assert!(supports(&months, d("2025-12")), "within");
        assert!(!supports(&months, d("2026-02")));
        let rough = cand("2025-10-09", None, true);
        assert!(!supports(&rough, d("2025-10-09")));
        assert!(supports(&rough, d("2025-10")));
    }
}
