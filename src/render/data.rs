//! Machine-readable outputs: `sources.json` and `timeline.json`.
//!
//! serde_json escapes every string, so seed text is safe in these files.

use serde::Serialize;
use std::sync::Arc;

use rayon::prelude::*;

use super::OutputFile;
use crate::article::cited_text;
use crate::cache::{Cache, Key, KeyHasher};
use crate::markdown::escape;
use crate::site::Site;
use crate::urls::Route;

#[derive(Serialize)]
struct SourceRecord<'a> {
    id: &'a str,
    file: &'a str,
    title: Option<&'a str>,
    publisher: Option<&'a str>,
    date: Option<String>,
    /// Where in the text the date was read, when it was.
    #[serde(skip_serializing_if = "Option::is_none")]
    date_basis: Option<&'a str>,
    url: Option<&'a str>,
    topics: Vec<&'a str>,
    paragraphs: usize,
    sentences: usize,
    /// Changes when the seed or its metadata changes.
    fingerprint: String,
}

/// `sources.json`: every source's metadata, size and topics. Each
/// source's entry is printed on its own and, in a process that builds
/// again, kept while what it shows is unchanged.
/// `entry_keys` are [`source_entry_keys`].
pub fn sources_file(site: &Site, entry_keys: &[Key], cache: &Cache) -> OutputFile {
    let entries: Vec<Arc<String>> = entry_keys
        .par_iter()
        .enumerate()
        .map(|(i, &key)| {
            kept_entry(cache, key, || {
                // A map, as the file has always been written: keys sorted.
                let record = serde_json::to_value(source_record(site, i));
                printed(&record.unwrap_or_default())
            })
        })
        .collect();
    OutputFile {
        path: Route::SourcesJson.file(),
        bytes: list_json("sources", &entries),
    }
}

fn source_record(site: &Site, i: usize) -> SourceRecord<'_> {
    let s = &site.corpus.sources[i];
    SourceRecord {
        id: &s.meta.id,
        file: &s.meta.file,
        title: s.meta.title.as_deref(),
        publisher: s.meta.publisher.as_deref(),
        date: s.meta.date.map(|d| d.to_string()),
        date_basis: s.meta.date_basis.as_deref(),
        url: s.meta.url.as_deref(),
        topics: site.topic_index.topics_of(i),
        paragraphs: s.paragraphs.len(),
        sentences: s.sentence_count(),
        fingerprint: format!("{:016x}", s.fingerprint),
    }
}

/// The entry of a [`list_json`] under `key`: an earlier build's (the last
/// of this process, else from `.dossier-cache/`), else `make`'s printed
/// entry put in place (then kept). JSON is UTF-8, and a `String` is read
/// back from the cache as one copy.
fn kept_entry(cache: &Cache, key: Key, make: impl FnOnce() -> Vec<u8>) -> Arc<String> {
    cache.shared(key, || {
        let printed = make();
        let mut entry = Vec::with_capacity(printed.len() * 9 / 8);
        indented(&mut entry, &printed, 2);
        String::from_utf8(entry)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
    })
}

/// All [`sources_file`] reads, from its [`source_entry_keys`].
pub fn sources_key(entry_keys: &[Key]) -> Key {
    let mut k = KeyHasher::new("sources.json");
    for &e in entry_keys {
        k.u128(e);
    }
    k.finish()
}

/// All each source's entry of `sources.json` shows: its digest (text and
/// metadata), fingerprint (its bytes) and topics.
pub fn source_entry_keys(site: &Site) -> Vec<Key> {
    let key = |(i, s): (usize, &Arc<crate::seeds::Source>)| {
        let mut key = KeyHasher::new("sources.json entry");
        key.u128(s.digest()).u64(s.fingerprint);
        for slug in site.topic_index.topics_of(i) {
            key.str(slug);
        }
        key.finish()
    };
    site.corpus.sources.iter().enumerate().map(key).collect()
}

/// The other generated files: the code highlighting stylesheet, when a
/// page has code.
pub fn files(site: &Site) -> Vec<OutputFile> {
    let mut out = Vec::new();
    if site.has_code {
        out.push(OutputFile {
            path: Route::SyntaxCss.file(),
            bytes: crate::highlight::theme_css().into_bytes(),
        });
    }
    out
}

/// The timeline's data files: `timeline.json` and the TimelineJS export.
pub const TIMELINE_FILES: [Route<'static>; 2] = [Route::TimelineJson, Route::TimelineJs];

/// One of [`TIMELINE_FILES`]. `events` are the events' keys: in a process
/// that builds again, an unchanged event's entry is the last build's.
pub fn timeline_file(site: &Site, route: Route<'_>, events: &[Key], cache: &Cache) -> OutputFile {
    if route == Route::TimelineJs {
        return json(Route::TimelineJs, &timelinejs(site));
    }
    let entries: Vec<Arc<String>> = site
        .timeline
        .events
        .par_iter()
        .zip(events)
        .map(|(e, &key)| kept_entry(cache, entry_key(key), || event_json(site, e, cache)))
        .collect();
    OutputFile {
        path: route.file(),
        bytes: list_json("events", &entries),
    }
}

/// The key of the `timeline.json` entry of the event whose key is `event`.
fn entry_key(event: Key) -> Key {
    KeyHasher::new("timeline.json entry").u128(event).finish()
}

/// Keep the entries of a timeline file that was kept without being made.
pub fn keep_timeline_entries(route: Route<'_>, events: &[Key], cache: &Cache) {
    if route == Route::TimelineJson {
        for &e in events {
            cache.touch(entry_key(e));
        }
    }
}

/// `{"name": [...]}` as `serde_json`'s pretty printer writes it, from
/// entries printed on their own and put two levels in ([`kept_entry`]):
/// joining 26 MB is a copy, not a reprint.
fn list_json(name: &str, entries: &[Arc<String>]) -> Vec<u8> {
    if entries.is_empty() {
        return format!("{{\n  \"{name}\": []\n}}").into_bytes();
    }
    let size: usize = entries.iter().map(|e| e.len() + 2).sum();
    let mut out = Vec::with_capacity(size + 32);
    out.extend_from_slice(format!("{{\n  \"{name}\": [\n").as_bytes());
    for (i, entry) in entries.iter().enumerate() {
        if i > 0 {
            out.extend_from_slice(b",\n");
        }
        out.extend_from_slice(entry.as_bytes());
    }
    out.extend_from_slice(b"\n  ]\n}");
    out
}

/// A pretty-printed array of printed entries, its brackets at `depth`.
fn array_into(out: &mut Vec<u8>, entries: &[Arc<Vec<u8>>], depth: usize) {
    if entries.is_empty() {
        out.extend_from_slice(b"[]");
        return;
    }
    out.extend_from_slice(b"[\n");
    for (i, entry) in entries.iter().enumerate() {
        if i > 0 {
            out.extend_from_slice(b",\n");
        }
        indented(out, entry, depth + 1);
    }
    out.push(b'\n');
    out.extend_from_slice(&INDENT.as_bytes()[..2 * depth]);
    out.push(b']');
}

const INDENT: &str = "                ";

/// `printed`, every line `depth` levels in. JSON strings hold no raw
/// newline, so every line break is the printer's.
fn indented(out: &mut Vec<u8>, printed: &[u8], depth: usize) {
    let pad = &INDENT.as_bytes()[..2 * depth];
    for (i, line) in printed.split(|&b| b == b'\n').enumerate() {
        if i > 0 {
            out.push(b'\n');
        }
        out.extend_from_slice(pad);
        out.extend_from_slice(line);
    }
}

/// `value` printed as `serde_json`'s pretty printer does, at the top level.
fn printed(value: &impl Serialize) -> Vec<u8> {
    // Serialising strings, numbers, maps and lists cannot fail.
    serde_json::to_vec_pretty(value).unwrap_or_default()
}

/// One entry of `timeline.json`, each citation's record printed once per
/// source text (thousands of events can cite one sentence, and one event
/// thousands of sentences), then the event's own fields.
fn event_json(site: &Site, e: &crate::timeline::Event, cache: &Cache) -> Vec<u8> {
    let record = |&c: &crate::refs::Cited| {
        let source = &site.corpus.sources[c.source()];
        let mut key = KeyHasher::new("timeline.json citation");
        key.u128(source.digest());
        if let Some(r) = c.sentence() {
            key.u64(r.paragraph.into()).u64(r.sentence.into());
        }
        cache.value(key.finish(), || {
            printed(&CitationRecord {
                source: &source.meta.id,
                sentence: c.sentence().map(|r| r.to_string()),
                text: cited_text(&site.corpus, c),
            })
        })
    };
    // Every source the entry rests on, the confirming ones included: a
    // reader of the JSON should not have to merge two lists to find them.
    let citations: Vec<_> = e.citations.iter().chain(&e.also).map(record).collect();
    let also: Vec<_> = e.also.iter().map(record).collect();
    let rest = printed(&EventFields {
        date: e.date,
        end: e.end,
        precision: e.precision,
        title: &e.title,
        topics: &e.topics,
        extracted: e.extracted,
        date_basis: &e.date_basis,
    });
    let size = citations
        .iter()
        .chain(&also)
        .map(|c| c.len() * 9 / 8)
        .sum::<usize>();
    let mut out = Vec::with_capacity(size + rest.len() + 64);
    out.extend_from_slice(b"{\n  \"also_reported_by\": ");
    array_into(&mut out, &also, 1);
    out.extend_from_slice(b",\n  \"citations\": ");
    array_into(&mut out, &citations, 1);
    out.extend_from_slice(b",\n");
    // The other fields, as their own object printed them, without its `{`.
    out.extend_from_slice(rest.strip_prefix(b"{\n").unwrap_or(&rest));
    out
}

/// A sentence an entry of `timeline.json` rests on.
#[derive(Serialize)]
struct CitationRecord<'a> {
    sentence: Option<String>,
    source: &'a str,
    text: std::borrow::Cow<'a, str>,
}

/// An entry of `timeline.json` after its two lists of citations. Fields
/// in alphabetical order, the lists' names first: the order the file has
/// always had (it was a sorted JSON map).
#[derive(Serialize)]
struct EventFields<'a> {
    date: crate::dates::PartialDate,
    date_basis: &'a Option<String>,
    end: Option<crate::dates::PartialDate>,
    extracted: bool,
    precision: crate::dates::Precision,
    title: &'a str,
    topics: &'a [String],
}

fn json(route: Route<'_>, value: &serde_json::Value) -> OutputFile {
    OutputFile {
        path: route.file(),
        bytes: printed(value),
    }
}

/// A date as TimelineJS wants it: numbers, only to the date's precision.
fn timelinejs_date(d: crate::dates::PartialDate) -> serde_json::Value {
    let mut v = serde_json::json!({ "year": d.year });
    if let Some(m) = d.month {
        v["month"] = m.into();
    }
    if let Some(day) = d.day {
        v["day"] = day.into();
    }
    v
}

/// The timeline as its page shows it, in TimelineJS's format (`events` with
/// `start_date`/`end_date`, `text.headline`/`text.text`, `group` = topic),
/// so a newsroom can embed the same timeline. Text is escaped: TimelineJS
/// reads it as HTML.
fn timelinejs(site: &Site) -> serde_json::Value {
    let u = &site.config.urls;
    let events: Vec<serde_json::Value> = site
        .timeline
        .shown(site.config.extracted)
        .map(|e| {
            // The visible text drops the citation markers, not the space
            // before them.
            let text = e
                .summary(&site.corpus)
                .replace(" .", ".")
                .replace(" ,", ",");
            let link = format!("{}#{}", u.absolute_of(Route::Timeline), e.id);
            let group = e
                .topics
                .first()
                .and_then(|s| site.topics.iter().find(|t| &t.meta.slug == s))
                .map(|t| t.meta.title.clone());
            let mut v = serde_json::json!({
                "unique_id": e.id,
                "start_date": timelinejs_date(e.date),
                "text": {
                    "headline": escape(&e.title),
                    "text": format!("<p>{}</p><p><a href=\"{}\">Sources</a></p>", escape(&text), escape(&link)),
                },
            });
            if let Some(end) = e.end {
                v["end_date"] = timelinejs_date(end);
            }
            if let Some(g) = group {
                v["group"] = escape(&g).into();
            }
            v
        })
        .collect();
    serde_json::json!({
        "title": { "text": { "headline": escape(&site.config.title), "text": escape(&site.config.description) } },
        "events": events,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Entries printed one by one and joined read exactly as the whole
    /// file printed at once, with none, one and several entries, and
    /// arrays nested in them.
    #[test]
    fn joined_entries_print_as_the_whole_file() {
        let entry = |n: u32| serde_json::json!({"citations": [{"text": format!("line\nbreak {n}"), "n": n}], "title": "T", "topics": []});
        for n in [0, 1, 3] {
            let all: Vec<_> = (0..n).map(entry).collect();
            let whole = serde_json::to_vec_pretty(&serde_json::json!({ "events": all })).unwrap();
            let entries: Vec<_> = all
                .iter()
                .map(|e| kept_entry(&Cache::none(), 0, || printed(e)))
                .collect();
            assert_eq!(
                String::from_utf8(list_json("events", &entries)).unwrap(),
                String::from_utf8(whole).unwrap()
            );
        }
    }
}
