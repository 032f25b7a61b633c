//! Machine-readable outputs: `sources.json` and `timeline.json`.
//!
//! serde_json escapes every string, so seed text is safe in these files.

use serde::Serialize;

use super::OutputFile;
use crate::site::Site;

#[derive(Serialize)]
struct SourceRecord<'a> {
    id: &'a str,
    file: &'a str,
    title: Option<&'a str>,
    publisher: Option<&'a str>,
    date: Option<String>,
    url: Option<&'a str>,
    topics: Vec<&'a str>,
    paragraphs: usize,
    sentences: usize,
}

pub fn files(site: &Site) -> Vec<OutputFile> {
    let sources: Vec<SourceRecord<'_>> = site
        .corpus
        .sources
        .iter()
        .enumerate()
        .map(|(i, s)| SourceRecord {
            id: &s.meta.id,
            file: &s.meta.file,
            title: s.meta.title.as_deref(),
            publisher: s.meta.publisher.as_deref(),
            date: s.meta.date.map(|d| d.to_string()),
            url: s.meta.url.as_deref(),
            topics: site.topic_index.topics_of(i),
            paragraphs: s.paragraphs.len(),
            sentences: s.sentence_count(),
        })
        .collect();
    let mut out = vec![json(
        "sources.json",
        &serde_json::json!({ "sources": sources }),
    )];
    out.push(json("timeline.json", &serde_json::json!({ "events": site.timeline.events.iter().map(event_record).collect::<Vec<_>>() })));
    if site.has_code {
        out.push(OutputFile {
            path: "syntax.css".into(),
            bytes: crate::highlight::theme_css().into_bytes(),
        });
    }
    out
}

fn event_record(e: &crate::timeline::Event) -> serde_json::Value {
    serde_json::json!({
        "date": e.date,
        "end": e.end,
        "precision": e.precision,
        "title": e.title,
        "topics": e.topics,
        "extracted": e.extracted,
        "citations": e.citations.iter().map(|c| serde_json::json!({"source": c.source, "sentence": c.sentence, "text": c.text})).collect::<Vec<_>>(),
    })
}

fn json(path: &str, value: &serde_json::Value) -> OutputFile {
    // Serialising a `Value` cannot fail.
    let bytes = serde_json::to_vec_pretty(value).unwrap_or_default();
    OutputFile {
        path: path.into(),
        bytes,
    }
}
