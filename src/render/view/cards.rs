//! Cards: the short summaries of a source or a topic that several pages list.

use serde::Serialize;

use super::{Link, topic_link};
use crate::site::{Site, Topic};
use crate::urls::Route;

#[derive(Serialize)]
pub(super) struct SourceCard {
    pub(super) id: String,
    title: String,
    /// The short editorial name, for kickers and references.
    short: String,
    has_title: bool,
    /// "unknown" where the article does not say.
    publisher: String,
    date: String,
    /// Where in the text the date was read ("byline, line 2"); none when
    /// `sources.toml` gives it.
    date_basis: Option<String>,
    /// "AInvest · 26 Oct 2025", or "publisher unknown · date unknown".
    byline: String,
    url: String,
    original_url: Option<String>,
    sentences: usize,
    topics: Vec<Link>,
}

pub(super) fn source_card(site: &Site, i: usize) -> SourceCard {
    let s = &site.corpus.sources[i];
    let publisher = s
        .meta
        .publisher
        .clone()
        .unwrap_or_else(|| "publisher unknown".into());
    let date = s.meta.date.map_or_else(
        || "date unknown".into(),
        |d| d.strftime("%-d %b %Y").to_string(),
    );
    SourceCard {
        byline: format!("{publisher} · {date}"),
        id: s.meta.id.clone(),
        title: s.display_title(),
        short: s.short_name(),
        has_title: s.meta.title.is_some(),
        publisher: s.meta.publisher.clone().unwrap_or_else(|| "unknown".into()),
        date: s
            .meta
            .date
            .map_or_else(|| "unknown".into(), |d| d.strftime("%-d %b %Y").to_string()),
        date_basis: s.meta.date_basis.clone(),
        url: site.config.urls.of(Route::Source(&s.meta.id)),
        original_url: s.meta.url.clone(),
        sentences: s.sentence_count(),
        topics: site
            .topic_index
            .topics_of(i)
            .iter()
            .filter_map(|slug| site.topics.iter().find(|t| t.meta.slug == *slug))
            .map(|t| topic_link(site, t))
            .collect(),
    }
}

#[derive(Serialize)]
pub(super) struct TopicCard {
    title: String,
    summary: String,
    url: String,
    passages: usize,
    sources: usize,
    /// The counts as shown: "169,917".
    passages_shown: String,
    sources_shown: String,
}

/// A count with thousands separators, as English text writes it.
pub(super) fn count(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(d);
    }
    out
}

pub(super) fn topic_cards(site: &Site) -> Vec<TopicCard> {
    site.topics.iter().map(|t| topic_card(site, t)).collect()
}

pub(super) fn topic_card(site: &Site, t: &Topic) -> TopicCard {
    let passages = site.topic_index.passages(&t.meta.slug);
    let mut sources: Vec<usize> = passages.iter().map(|p| p.source()).collect();
    sources.dedup();
    TopicCard {
        title: t.meta.title.clone(),
        summary: t.meta.summary.clone(),
        url: topic_link(site, t).url,
        passages: passages.len(),
        sources: sources.len(),
        passages_shown: count(passages.len()),
        sources_shown: count(sources.len()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_get_thousands_separators() {
        let shown: Vec<String> = [0, 999, 1000, 169_917, 1_234_567].map(count).into();
        assert_eq!(shown, ["0", "999", "1,000", "169,917", "1,234,567"]);
    }
}
