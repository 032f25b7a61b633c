//! Dates at their true precision: a day, a month or a year.
//!
//! News copy says "in April" as often as "November 24", and an explainer
//! must not pretend to know a day it doesn't. `PartialDate` keeps precision
//! and orders by the earliest day it could mean.

use std::fmt;

use jiff::civil::Date;
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Precision {
    Year,
    Month,
    Day,
}

/// A date known to a year, a month or a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PartialDate {
    pub year: i16,
    pub month: Option<i8>,
    pub day: Option<i8>,
}

impl PartialDate {
    pub fn day(d: Date) -> Self {
        Self {
            year: d.year(),
            month: Some(d.month()),
            day: Some(d.day()),
        }
    }
    pub fn month(year: i16, month: i8) -> Self {
        Self {
            year,
            month: Some(month),
            day: None,
        }
    }
    pub fn year(year: i16) -> Self {
        Self {
            year,
            month: None,
            day: None,
        }
    }

    pub fn precision(&self) -> Precision {
        match (self.month, self.day) {
            (Some(_), Some(_)) => Precision::Day,
            (Some(_), None) => Precision::Month,
            _ => Precision::Year,
        }
    }

    /// The first day this date could mean, for sorting.
    pub fn first_day(&self) -> Date {
        // Month and day were validated when the value was built.
        Date::new(self.year, self.month.unwrap_or(1), self.day.unwrap_or(1)).unwrap_or(Date::MIN)
    }

    /// The last day this date could mean.
    pub fn last_day(&self) -> Date {
        let first = self.first_day();
        match self.precision() {
            Precision::Day => first,
            Precision::Month => first.last_of_month(),
            Precision::Year => Date::new(self.year, 12, 31).unwrap_or(first),
        }
    }

    /// `YYYY-MM-DD`, `YYYY-MM` or `YYYY`.
    pub fn parse(text: &str) -> Result<Self, String> {
        let bad = || format!("invalid date {text:?}: expected YYYY-MM-DD, YYYY-MM or YYYY");
        let parts: Vec<&str> = text.trim().split('-').collect();
        let num = |s: &str, len: usize| -> Result<i16, String> {
            if s.len() == len && s.bytes().all(|b| b.is_ascii_digit()) {
                s.parse().map_err(|_| bad())
            } else {
                Err(bad())
            }
        };
        let date = match parts.as_slice() {
            [y] => Self::year(num(y, 4)?),
            [y, m] => Self::month(num(y, 4)?, num(m, 2)? as i8),
            [y, m, d] => Self {
                year: num(y, 4)?,
                month: Some(num(m, 2)? as i8),
                day: Some(num(d, 2)? as i8),
            },
            _ => return Err(bad()),
        };
        Date::new(date.year, date.month.unwrap_or(1), date.day.unwrap_or(1)).map_err(|_| bad())?;
        Ok(date)
    }

    /// Human form at its precision: "24 Nov 2025", "Nov 2025", "2025".
    pub fn human(&self) -> String {
        match (self.month, self.day) {
            (Some(m), Some(d)) => format!("{d} {} {}", month_name(m), self.year),
            (Some(m), None) => format!("{} {}", month_name(m), self.year),
            _ => self.year.to_string(),
        }
    }

    /// The words a reader would search for it by: "24 November 2025",
    /// "November 2025", "2025".
    pub fn spelled(&self) -> String {
        const M: [&str; 12] = [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ];
        let month = |m: i8| M[(m as usize).clamp(1, 12) - 1];
        match (self.month, self.day) {
            (Some(m), Some(d)) => format!("{d} {} {}", month(m), self.year),
            (Some(m), None) => format!("{} {}", month(m), self.year),
            _ => self.year.to_string(),
        }
    }

    /// A span as an editor writes it, sharing what both ends share:
    /// "24–27 Oct 2025", "30 Oct – 2 Nov 2025", "Oct–Nov 2025".
    pub fn human_span(&self, end: &PartialDate) -> String {
        if self.year != end.year || self.precision() != end.precision() {
            return format!("{} – {}", self.human(), end.human());
        }
        match (self.month, self.day, end.month, end.day) {
            (Some(m), Some(d), Some(em), Some(ed)) if m == em => {
                format!("{d}–{ed} {} {}", month_name(m), self.year)
            }
            (Some(m), Some(d), Some(em), Some(ed)) => format!(
                "{d} {} – {ed} {} {}",
                month_name(m),
                month_name(em),
                self.year
            ),
            (Some(m), None, Some(em), None) => {
                format!("{}–{} {}", month_name(m), month_name(em), self.year)
            }
            _ => format!("{}–{}", self.year, end.year),
        }
    }
}

fn month_name(m: i8) -> &'static str {
    const M: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    M[(m as usize).clamp(1, 12) - 1]
}

impl fmt::Display for PartialDate {
    /// ISO form at its precision.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}", self.year)?;
        if let Some(m) = self.month {
            write!(f, "-{m:02}")?;
        }
        if let Some(d) = self.day {
            write!(f, "-{d:02}")?;
        }
        Ok(())
    }
}

impl Serialize for PartialDate {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for PartialDate {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Self::parse(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn spans_share_what_both_ends_share() {
        let d = |s: &str| super::PartialDate::parse(s).unwrap();
        assert_eq!(
            d("2025-10-24").human_span(&d("2025-10-27")),
            "24–27 Oct 2025"
        );
        assert_eq!(
            d("2025-10-30").human_span(&d("2025-11-02")),
            "30 Oct – 2 Nov 2025"
        );
        assert_eq!(d("2025-10").human_span(&d("2025-11")), "Oct–Nov 2025");
        assert_eq!(
            d("2025-10").human_span(&d("2026-01")),
            "Oct 2025 – Jan 2026"
        );
        assert_eq!(
            d("2025-12-30").human_span(&d("2026-01-02")),
            "30 Dec 2025 – 2 Jan 2026"
        );
    }

    use super::*;

    #[test]
    fn parses_each_precision_and_round_trips() {
        for t in ["2025-11-24", "2026-04", "2026"] {
            assert_eq!(PartialDate::parse(t).unwrap().to_string(), t);
        }
        assert_eq!(
            PartialDate::parse("2026-04").unwrap().precision(),
            Precision::Month
        );
        assert_eq!(
            PartialDate::parse("2025-11-24").unwrap().human(),
            "24 Nov 2025"
        );
    }

    #[test]
    fn rejects_malformed() {
        for t in ["2025-13", "2025-02-30", "25-01-01", "Nov 2025", ""] {
            assert!(PartialDate::parse(t).is_err(), "{t}");
        }
    }
}
