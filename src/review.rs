//! The editor's review queue: dated sentences no authored event covers.
//!
//! The build finds dates; an editor decides which become events. `dossier
//! review` lists the found events that no authored event covers, newest
//! source first, and the date phrases nothing could place, with the command
//! that promotes each one. `dossier serve` shows the same list at
//! `/__review/`. `new_event` writes the authored event a promotion makes.

use std::fmt::Write as _;
use std::path::PathBuf;

use jiff::civil::Date;
use serde::Serialize;

use crate::dates::{PartialDate, Precision};
use crate::diag::Diagnostic;
use crate::markdown::escape;
use crate::refs::SentenceRef;
use crate::seeds::Source;
use crate::site::Site;
use crate::timeline::extract::reference_date;

/// One candidate for the timeline.
#[derive(Debug, Clone, Serialize)]
pub struct Item {
    /// `None` for a phrase nothing could place.
    pub date: Option<PartialDate>,
    pub end: Option<PartialDate>,
    pub precision: Option<Precision>,
    /// The words that state the date ("on Friday").
    pub phrase: String,
    /// How the date was worked out, in words.
    pub resolved: String,
    pub title: String,
    pub sentence: String,
    pub source: String,
    /// `p3-s2`.
    pub sentence_id: String,
    pub url: String,
    pub topics: Vec<String>,
    /// Other sources reporting the same happening.
    pub also: usize,
    /// The command that makes it an authored event.
    pub promote: String,
    #[serde(skip)]
    source_date: Option<Date>,
}

fn how_resolved(phrase: &str, source: &Source) -> String {
    let has_year = phrase
        .split(|c: char| !c.is_ascii_digit())
        .any(|n| n.len() == 4);
    if has_year {
        return "stated in full".into();
    }
    match (source.meta.date, source.meta.reference_date) {
        (Some(d), _) => format!("relative, resolved against the article's date {d}"),
        (None, Some(r)) => format!("relative, resolved against the reference date {r}"),
        (None, None) => "year from the weekday and the years the article names".into(),
    }
}

fn item(site: &Site, at: SentenceRef, phrase: &str) -> Item {
    let source = &site.corpus.sources[at.source()];
    let id = &source.meta.id;
    Item {
        date: None,
        end: None,
        precision: None,
        phrase: phrase.to_string(),
        resolved: String::new(),
        title: String::new(),
        sentence: site.corpus.text(at).to_string(),
        source: id.clone(),
        sentence_id: at.to_string(),
        url: site.config.urls.sentence(id, at),
        topics: site
            .topic_index
            .topics_of_sentence(at)
            .into_iter()
            .map(str::to_string)
            .collect(),
        also: 0,
        promote: format!("dossier new event --from {id}#{at}"),
        source_date: reference_date(source),
    }
}

/// The queue: found events first, newest source first, then the phrases
/// that have no date.
pub fn queue(site: &Site) -> Vec<Item> {
    let mut dated: Vec<Item> = site
        .timeline
        .events
        .iter()
        .filter(|e| e.extracted)
        .filter_map(|e| {
            let at = e.citations.first()?.sentence()?;
            let phrase = e.phrase.clone().unwrap_or_default();
            let mut it = item(site, at, &phrase);
            it.resolved = how_resolved(&phrase, &site.corpus.sources[at.source()]);
            it.date = Some(e.date);
            it.end = e.end;
            it.precision = Some(e.precision);
            it.title = e.title.clone();
            it.also = e.citations.len() + e.also.len() - 1;
            Some(it)
        })
        .collect();
    dated.sort_by(|a, b| {
        b.source_date.cmp(&a.source_date).then_with(|| {
            a.date
                .map(|d| d.first_day())
                .cmp(&b.date.map(|d| d.first_day()))
        })
    });
    let undated = site.timeline.undated.iter().map(|u| {
        let mut it = item(site, u.at, &u.phrase);
        it.resolved = "no date: the article has no date and no reference_date".into();
        it.promote = format!("{} --date YYYY-MM-DD", it.promote);
        it
    });
    dated.extend(undated);
    dated
}

/// The queue as text for the terminal.
pub fn text(items: &[Item]) -> String {
    let mut out = String::new();
    if items.is_empty() {
        out.push_str("Nothing to review: every dated sentence is covered by an authored event.\n");
    }
    for it in items {
        let when = match (it.date, it.precision) {
            (Some(d), Some(p)) => format!("{d} ({p:?})").to_lowercase(),
            _ => "undated".into(),
        };
        let topics = if it.topics.is_empty() {
            "no topic".into()
        } else {
            it.topics.join(", ")
        };
        let _ = writeln!(
            out,
            "{when} · {}#{} · {:?} {} · {topics}",
            it.source, it.sentence_id, it.phrase, it.resolved
        );
        let _ = writeln!(out, "  {}", it.sentence);
        if it.also > 0 {
            let _ = writeln!(out, "  also reported by {} more", it.also);
        }
        let _ = writeln!(out, "  promote: {}\n", it.promote);
    }
    out
}

/// The queue as a page for `dossier serve` (never written by `build`).
pub fn page(site: &Site, items: &[Item]) -> String {
    let rows: String = items
        .iter()
        .map(|it| {
            let when = it.date.map_or_else(|| "undated".to_string(), |d| d.human());
            format!(
                "<li><p><strong>{}</strong> · {} · {}</p><p><a href=\"{}\">{}#{}</a>: {}</p><p><code>{}</code></p></li>\n",
                escape(&when),
                escape(&it.phrase),
                escape(&it.resolved),
                escape(&it.url),
                escape(&it.source),
                escape(&it.sentence_id),
                escape(&it.sentence),
                escape(&it.promote),
            )
        })
        .collect();
    format!(
        "<!doctype html>\n<html lang=\"{}\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>Review queue — {}</title><link rel=\"stylesheet\" href=\"{}\"></head><body><main class=\"wrap\"><h1>Review queue</h1><p>{} dated sentences no authored event covers, newest source first. Promote one with the command under it.</p><ol class=\"candidates\">\n{rows}</ol></main></body></html>\n",
        escape(&site.config.language),
        escape(&site.config.title),
        escape(&site.config.urls.of(crate::urls::Route::Stylesheet)),
        items.len(),
    )
}

/// What `dossier new event --from` writes.
pub struct NewEvent {
    pub path: PathBuf,
    pub text: String,
}

/// The authored event promoting the candidate at `from` (`source-id#p3-s2`).
pub fn new_event(site: &Site, from: &str, date: Option<&str>) -> Result<NewEvent, Diagnostic> {
    let bad = |msg: String| Diagnostic::error(PathBuf::from("--from"), msg);
    let (id, sentence) = from
        .split_once('#')
        .ok_or_else(|| bad(format!("{from:?} is not <source-id>#<sentence-id>")))?;
    let items = queue(site);
    let it = items
        .iter()
        .find(|i| i.source == id && i.sentence_id == sentence)
        .ok_or_else(|| {
            bad(format!("no unreviewed candidate at {from}"))
                .with_hint("`dossier review` lists them with their ids")
        })?;
    let date = match date {
        Some(d) => PartialDate::parse(d).map_err(|m| bad(format!("--date: {m}")))?,
        None => it.date.ok_or_else(|| {
            bad(format!("{from} has no date")).with_hint("give one with --date YYYY-MM-DD")
        })?,
    };
    let title = if it.title.is_empty() {
        it.sentence.clone()
    } else {
        it.title.clone()
    };
    let slug: String = crate::urls::slugify(&title)
        .split('-')
        .filter(|w| !w.is_empty())
        .take(6)
        .collect::<Vec<_>>()
        .join("-");
    let path = PathBuf::from("content/timeline").join(format!("{date}-{slug}.md"));
    let toml_str = |s: &str| toml::Value::String(s.to_string()).to_string();
    let topics: Vec<String> = it.topics.iter().map(|t| toml_str(t)).collect();
    let mut text = format!(
        "+++\ntitle = {}\ndate = \"{date}\"\n",
        toml_str(title.trim_matches('…'))
    );
    if let Some(end) = it.end.filter(|_| date == it.date.unwrap_or(date)) {
        let _ = writeln!(text, "end = \"{end}\"");
    }
    if it.date.is_none_or(|d| d != date) {
        text.push_str(
            "# No cited sentence gives this date: say how it was worked out, e.g.\n\
             # date_basis = \"Thursday of the week of the meeting, per …\"\n",
        );
    }
    let _ = writeln!(text, "topics = [{}]\n+++", topics.join(", "));
    let _ = writeln!(
        text,
        "{} [@{id}: \"{}\"]",
        title.trim_matches('…'),
        quote(&it.sentence, &it.phrase)
    );
    Ok(NewEvent { path, text })
}

/// The longest stretch of `sentence` a citation can quote (no straight or
/// closing quotes, no brackets), preferring one that holds the date phrase.
fn quote(sentence: &str, phrase: &str) -> String {
    let parts = sentence.split(['"', '”', '“', ']', '[']).map(str::trim);
    let best = |want_phrase: bool| {
        parts
            .clone()
            .filter(|p| !want_phrase || p.contains(phrase))
            .max_by_key(|p| p.len())
            .map(str::to_string)
    };
    best(!phrase.is_empty())
        .or_else(|| best(false))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_quote_never_holds_a_quotation_mark_and_keeps_the_date() {
        assert_eq!(
            quote(
                "He said it “was a great deal” and the ban ends on 4 May 2026.",
                "on 4 May 2026"
            ),
            "and the ban ends on 4 May 2026."
        );
        assert_eq!(quote("The port reopened.", ""), "The port reopened.");
    }
}
