//! Machine-readable outputs: `sources.json` and `timeline.json`.
//!
//! serde_json escapes every string, so seed text is safe in these files.

use serde::Serialize;
use std::sync::Arc;

use rayon::prelude::*;

use super::{Made, OutputFile};
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
pub fn sources_file(site: &Site, entry_keys: &[Key], cache: &Cache) -> Made {
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
    let parts: Vec<&[Arc<String>]> = entries.iter().map(std::slice::from_ref).collect();
    Made::Parts {
        path: Route::SourcesJson.file(),
        parts: list_json("sources", &parts),
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
    cache.shared(key, || indented_string(&make(), ENTRY_DEPTH))
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
pub fn timeline_file(site: &Site, route: Route<'_>, events: &[Key], cache: &Cache) -> Made {
    if route == Route::TimelineJs {
        return Made::Whole(json(Route::TimelineJs, &timelinejs(site)));
    }
    // An entry is kept in memory only: it is a join of blocks kept across
    // builds, cheaper to join again than to encode whole into
    // `.dossier-cache/` (one entry is 26 MB at 10,000 articles).
    let entries: Vec<Arc<EntryParts>> = site
        .timeline
        .events
        .par_iter()
        .zip(events)
        .map(|(e, &key)| cache.value(entry_key(key), || event_entry(site, e, cache)))
        .collect();
    let parts: Vec<&[Arc<String>]> = entries.iter().map(|e| e.parts.as_slice()).collect();
    Made::Parts {
        path: route.file(),
        parts: list_json("events", &parts),
    }
}

/// The key of the `timeline.json` entry of the event whose key is `event`.
fn entry_key(event: Key) -> Key {
    KeyHasher::new("timeline.json entry").u128(event).finish()
}

/// Keep the entries of a timeline file that was kept without being made:
/// in a process that builds again, as they are in memory; else their
/// blocks in `.dossier-cache/`, for the next build that changes one.
pub fn keep_timeline_entries(site: &Site, route: Route<'_>, events: &[Key], cache: &Cache) {
    if route != Route::TimelineJson {
        return;
    }
    if !cache.keeps_values() {
        site.timeline.events.par_iter().for_each(|e| {
            let (also, citations) = entry_lists(e);
            for list in [also, citations] {
                for block in list.chunks(BLOCK) {
                    let keys: Vec<Key> = block.iter().map(|c| record_key(site, c)).collect();
                    cache.touch(block_key(&keys));
                }
            }
        });
        return;
    }
    for &e in events {
        if let Some(entry) = cache.kept_value::<EntryParts>(entry_key(e)) {
            for &block in &entry.blocks {
                cache.kept_value::<String>(block);
            }
        }
    }
}

/// The two lists of an event's entry: `also_reported_by`, and
/// `citations`, which holds every source the entry rests on, the
/// confirming ones included (a reader of the JSON should not have to merge
/// two lists to find them).
fn entry_lists(e: &crate::timeline::Event) -> (Vec<&crate::refs::Cited>, Vec<&crate::refs::Cited>) {
    let citations = e.citations.iter().chain(&e.also).collect();
    (e.also.iter().collect(), citations)
}

/// The key of a citation's record: the text of its source and its place.
fn record_key(site: &Site, c: &crate::refs::Cited) -> Key {
    let mut key = KeyHasher::new("timeline.json citation, in place");
    key.u128(site.corpus.sources[c.source()].digest());
    if let Some(r) = c.sentence() {
        key.u64(r.paragraph.into()).u64(r.sentence.into());
    }
    key.finish()
}

/// The key of a block of records, from theirs.
fn block_key(records: &[Key]) -> Key {
    let mut key = KeyHasher::new("timeline.json block");
    records.iter().for_each(|&k| {
        key.u128(k);
    });
    key.finish()
}

/// `{"name": [...]}` as `serde_json`'s pretty printer writes it, as the
/// parts it joins from: entries printed on their own and put two levels
/// in, each in one or more parts ([`kept_entry`], [`event_entry`]), between
/// the brackets and commas. The file is written from them, never joined.
fn list_json(name: &str, entries: &[&[Arc<String>]]) -> Vec<Arc<String>> {
    if entries.is_empty() {
        return vec![Arc::new(format!("{{\n  \"{name}\": []\n}}"))];
    }
    let comma = Arc::new(",\n".to_string());
    let mut out = Vec::with_capacity(entries.iter().map(|e| e.len() + 1).sum::<usize>() + 2);
    out.push(Arc::new(format!("{{\n  \"{name}\": [\n")));
    for (i, entry) in entries.iter().enumerate() {
        if i > 0 {
            out.push(comma.clone());
        }
        out.extend(entry.iter().cloned());
    }
    out.push(Arc::new("\n  ]\n}".to_string()));
    out
}

#[cfg(test)]
fn joined(parts: &[Arc<String>]) -> String {
    parts.iter().map(|p| p.as_str()).collect()
}

const INDENT: &str = "                ";

/// The indentation of a line `depth` levels in.
fn pad(depth: usize) -> &'static str {
    &INDENT[..2 * depth]
}

/// `printed`, every line `depth` levels in. JSON strings hold no raw
/// newline, so every line break is the printer's.
fn indented(out: &mut Vec<u8>, printed: &[u8], depth: usize) {
    for (i, line) in printed.split(|&b| b == b'\n').enumerate() {
        if i > 0 {
            out.push(b'\n');
        }
        out.extend_from_slice(pad(depth).as_bytes());
        out.extend_from_slice(line);
    }
}

/// [`indented`], as a `String`: `printed` is serde_json's, so UTF-8.
fn indented_string(printed: &[u8], depth: usize) -> String {
    let mut out = Vec::with_capacity(printed.len() * 9 / 8);
    indented(&mut out, printed, depth);
    String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// `value` printed as `serde_json`'s pretty printer does, at the top level.
fn printed(value: &impl Serialize) -> Vec<u8> {
    // Serialising strings, numbers, maps and lists cannot fail.
    serde_json::to_vec_pretty(value).unwrap_or_default()
}

/// How deep an event's entry stands in `timeline.json`: in the object's
/// `events` array.
const ENTRY_DEPTH: usize = 2;

/// One entry of `timeline.json`, as it stands in the file, in parts.
/// Each citation's record is printed once per source text (thousands of
/// events can cite one sentence, and one event thousands of sentences),
/// already indented to its place, and records are joined in blocks kept
/// by what they hold: at 10,000 articles one event cites 10,410 sentences
/// (26 MB), and an edit to one source changes one of its blocks.
fn event_entry(site: &Site, e: &crate::timeline::Event, cache: &Cache) -> EntryParts {
    let key_of = |c: &&crate::refs::Cited| record_key(site, c);
    let record_of = |&&c: &&crate::refs::Cited| {
        let source = &site.corpus.sources[c.source()];
        let record = printed(&CitationRecord {
            source: &source.meta.id,
            sentence: c.sentence().map(|r| r.to_string()),
            text: cited_text(&site.corpus, c),
        });
        indented_string(&record, ENTRY_DEPTH + 2)
    };
    let (also, citations) = entry_lists(e);
    let rest = printed(&EventFields {
        date: e.date,
        end: e.end,
        precision: e.precision,
        title: &e.title,
        topics: &e.topics,
        extracted: e.extracted,
        date_basis: &e.date_basis,
    });
    let lists = Lists {
        key_of,
        record_of,
        cache,
    };
    lists.entry(&also, &citations, &rest)
}

/// An event's entry of `timeline.json` in parts, and the keys of the
/// blocks of records among them (kept with the entry).
struct EntryParts {
    parts: Vec<Arc<String>>,
    blocks: Vec<Key>,
}

/// How many records a block of an entry holds.
const BLOCK: usize = 256;

/// Makes entries from lists of `T`, each with its record's key and record.
struct Lists<'a, K, R> {
    key_of: K,
    record_of: R,
    cache: &'a Cache,
}

impl<K, R> Lists<'_, K, R> {
    /// The entry of the two lists (`also_reported_by`, `citations`) and
    /// the event's other fields as their own object printed them.
    fn entry<T>(&self, also: &[T], citations: &[T], rest: &[u8]) -> EntryParts
    where
        K: Fn(&T) -> Key,
        R: Fn(&T) -> String,
    {
        let (outer, inner) = (pad(ENTRY_DEPTH), pad(ENTRY_DEPTH + 1));
        let mut entry = EntryParts {
            parts: vec![Arc::new(format!(
                "{outer}{{\n{inner}\"also_reported_by\": "
            ))],
            blocks: Vec::new(),
        };
        self.array(&mut entry, also);
        entry
            .parts
            .push(Arc::new(format!(",\n{inner}\"citations\": ")));
        self.array(&mut entry, citations);
        // The other fields without their object's `{`.
        let rest = indented_string(rest.strip_prefix(b"{\n").unwrap_or(rest), ENTRY_DEPTH);
        entry.parts.push(Arc::new(format!(",\n{rest}")));
        entry
    }

    /// A pretty-printed array of `items`' records, its brackets one level
    /// inside the entry.
    fn array<T>(&self, entry: &mut EntryParts, items: &[T])
    where
        K: Fn(&T) -> Key,
        R: Fn(&T) -> String,
    {
        if items.is_empty() {
            entry.parts.push(Arc::new("[]".to_owned()));
            return;
        }
        entry.parts.push(Arc::new("[\n".to_owned()));
        for (i, block) in items.chunks(BLOCK).enumerate() {
            if i > 0 {
                entry.parts.push(Arc::new(",\n".to_owned()));
            }
            let keys: Vec<Key> = block.iter().map(&self.key_of).collect();
            let key = block_key(&keys);
            entry.blocks.push(key);
            // Blocks are kept across builds too: a cold build after one
            // edit prints only the blocks that edit changed (printing them
            // all was 150 ms of CPU at 10,000 articles).
            entry.parts.push(self.cache.shared(key, || {
                let records: Vec<Arc<String>> = block
                    .iter()
                    .zip(&keys)
                    .map(|(item, &k)| self.cache.value(k, || (self.record_of)(item)))
                    .collect();
                let records: Vec<&str> = records.iter().map(|r| r.as_str()).collect();
                records.join(",\n")
            }));
        }
        entry
            .parts
            .push(Arc::new(format!("\n{}]", pad(ENTRY_DEPTH + 1))));
    }
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
            let parts: Vec<&[Arc<String>]> = entries.iter().map(std::slice::from_ref).collect();
            assert_eq!(
                joined(&list_json("events", &parts)),
                String::from_utf8(whole).unwrap()
            );
        }
    }

    /// An event's entry joined from blocks of records indented to their
    /// place reads exactly as the whole file printed at once: empty lists,
    /// one record, a list of several blocks, a date range.
    #[test]
    fn entries_made_in_place_print_as_the_whole_file() {
        let record = |n: usize| serde_json::json!({"sentence": format!("p{n}-s1"), "source": "s", "text": format!("“quoted” {n}")});
        let event = |also: usize, cited: usize| {
            serde_json::json!({
                "also_reported_by": (0..also).map(record).collect::<Vec<_>>(),
                "citations": (0..cited).map(record).collect::<Vec<_>>(),
                "date": "2025-10-30", "end": {"year": 2025}, "title": "T", "topics": ["a", "b"],
            })
        };
        let events = [event(0, 0), event(1, 3), event(2, 2 * BLOCK + 1)];
        let whole = serde_json::to_vec_pretty(&serde_json::json!({ "events": events })).unwrap();
        let cache = Cache::none();
        let lists = Lists {
            key_of: |r: &serde_json::Value| crate::cache::content_hash(r.to_string().as_bytes()),
            record_of: |r: &serde_json::Value| indented_string(&printed(r), ENTRY_DEPTH + 2),
            cache: &cache,
        };
        let entries: Vec<_> = events
            .iter()
            .map(|e| {
                let list = |name: &str| e[name].as_array().unwrap().clone();
                let mut rest = e.clone();
                rest.as_object_mut()
                    .unwrap()
                    .retain(|k, _| !["also_reported_by", "citations"].contains(&k.as_str()));
                lists.entry(
                    &list("also_reported_by"),
                    &list("citations"),
                    &printed(&rest),
                )
            })
            .collect();
        assert_eq!(entries[2].blocks.len(), 1 + 3, "blocks of the two lists");
        let parts: Vec<&[Arc<String>]> = entries.iter().map(|e| e.parts.as_slice()).collect();
        assert_eq!(
            joined(&list_json("events", &parts)),
            String::from_utf8(whole).unwrap()
        );
    }
}
