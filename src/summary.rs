//! What the ingester made of each new or changed article, one line each,
//! so an editor sees at once whether a dropped-in article came out right.

use std::borrow::Cow;
use std::collections::HashMap;
use std::path::Path;

use crate::site::Site;

/// Seed fingerprints of the site at `out`, by source id (none if there is
/// no previous site or it has no readable `sources.json`).
pub(crate) fn previous_fingerprints(out: &Path) -> HashMap<String, String> {
    // Only two fields of each entry are read: parsing the whole file into
    // values took 30 ms at 10,000 articles, on the build's one thread.
    #[derive(serde::Deserialize)]
    struct Listed<'a> {
        #[serde(borrow)]
        sources: Vec<Entry<'a>>,
    }
    #[derive(serde::Deserialize)]
    struct Entry<'a> {
        #[serde(borrow)]
        id: Cow<'a, str>,
        #[serde(borrow)]
        fingerprint: Cow<'a, str>,
    }
    let Ok(text) = std::fs::read_to_string(out.join(crate::urls::Route::SourcesJson.file())) else {
        return HashMap::new();
    };
    let Ok(listed) = serde_json::from_str::<Listed<'_>>(&text) else {
        return HashMap::new();
    };
    listed
        .sources
        .into_iter()
        .map(|e| (e.id.into_owned(), e.fingerprint.into_owned()))
        .collect()
}

/// One line per source that is new or changed since `previous`.
pub(crate) fn changed_seeds(site: &Site, previous: &HashMap<String, String>) -> Vec<String> {
    // Dated events per source, counted once: a scan per source would be
    // quadratic at 10,000 articles.
    let mut events = vec![0usize; site.corpus.sources.len()];
    for e in &site.timeline.events {
        let mut sources: Vec<usize> = e
            .citations
            .iter()
            .chain(&e.also)
            .map(|c| c.source())
            .collect();
        sources.sort_unstable();
        sources.dedup();
        for s in sources {
            events[s] += 1;
        }
    }
    site.corpus
        .sources
        .iter()
        .enumerate()
        .filter(|(_, s)| previous.get(&s.meta.id) != Some(&format!("{:016x}", s.fingerprint)))
        .map(|(i, _)| line(site, i, events[i]))
        .collect()
}

fn line(site: &Site, i: usize, events: usize) -> String {
    let s = &site.corpus.sources[i];
    let date = match s.meta.date {
        Some(d) if s.meta.listed => format!("published {d} (sources.toml)"),
        Some(d) => format!("published {d} (from the text)"),
        None => "publication date unknown".into(),
    };
    let topics = site.topic_index.topics_of(i);
    let plural = |n: usize| if n == 1 { "" } else { "s" };
    format!(
        "{}: {} paragraph{}, {} line{} dropped, {date}, {events} dated event{}, topics: {}",
        s.path.display(),
        s.paragraphs.len(),
        plural(s.paragraphs.len()),
        s.dropped.len(),
        plural(s.dropped.len()),
        plural(events),
        if topics.is_empty() {
            "none".to_string()
        } else {
            topics.join(", ")
        }
    )
}
