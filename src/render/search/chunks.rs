//! Sorted terms cut into chunk files of about [`TARGET`] bytes, and the
//! manifest that says where each chunk starts, so a query fetches only the
//! chunks its terms fall in (a term's postings are never split).

use std::fmt::Write;

use serde::Serialize;

use super::{DIR, terms};
use crate::render::OutputFile;

/// About this many bytes per chunk: small enough that a query of a few
/// words stays well under 300 KB, large enough that 10,000 articles make
/// hundreds of files, not hundreds of thousands.
const TARGET: usize = 32 * 1024;

#[derive(Serialize)]
struct Manifest<'a> {
    /// Format version.
    v: u32,
    /// How many documents there are (`search/d/0.json` …).
    n: usize,
    /// Documents are numbered by kind in this order: `[kind, how many]`.
    kinds: &'a [(&'static str, usize)],
    /// The first term of each chunk `search/t/<i>.json`.
    chunks: Vec<&'a str>,
    stop: &'static [&'static str],
    /// What a word is, for the browser's `RegExp` (flags `gu`).
    pattern: &'static str,
}

/// `terms` (sorted, each with its [`encode`]d postings) as chunk files
/// plus `search/index.json`.
pub fn files<'a>(
    terms: impl Iterator<Item = (&'a str, &'a str)>,
    kinds: &[(&'static str, usize)],
) -> Vec<OutputFile> {
    let mut out = Vec::new();
    let mut firsts = Vec::new();
    let mut body = String::new();
    let mut names: Vec<&str> = Vec::new();
    let flush = |out: &mut Vec<OutputFile>, names: &mut Vec<&str>, body: &mut String| {
        let i = out.len();
        let json = format!(
            "{{\"t\":{},\"p\":[{}]}}",
            serde_json::to_string(names).unwrap_or_default(),
            body
        );
        out.push(OutputFile {
            path: format!("{DIR}/t/{i}.json"),
            bytes: json.into_bytes(),
        });
        names.clear();
        body.clear();
    };
    for (term, postings) in terms {
        if names.is_empty() {
            firsts.push(term);
        } else {
            body.push(',');
        }
        names.push(term);
        body.push_str(postings);
        if body.len() >= TARGET {
            flush(&mut out, &mut names, &mut body);
        }
    }
    if !names.is_empty() {
        flush(&mut out, &mut names, &mut body);
    }
    let manifest = Manifest {
        v: 1,
        n: kinds.iter().map(|k| k.1).sum(),
        kinds,
        chunks: firsts,
        stop: terms::STOP,
        pattern: terms::PATTERN,
    };
    out.push(OutputFile {
        path: format!("{DIR}/index.json"),
        bytes: serde_json::to_vec(&manifest).unwrap_or_default(),
    });
    out
}

/// `[gap, weight, gap, weight, …]`: each document number as the gap from
/// the one before, which keeps most of them to one or two digits.
pub(super) fn encode(postings: &[(u32, u32)], into: &mut String) {
    into.push('[');
    let mut last = 0;
    for (i, &(doc, w)) in postings.iter().enumerate() {
        if i > 0 {
            into.push(',');
        }
        let _ = write!(into, "{},{w}", doc - last);
        last = doc;
    }
    into.push(']');
}

/// The postings [`encode`] wrote; `None` when `text` is not such a list.
pub(super) fn decode(text: &str) -> Option<Vec<(u32, u32)>> {
    let inner = text.strip_prefix('[')?.strip_suffix(']')?;
    if inner.is_empty() {
        return Some(Vec::new());
    }
    let mut numbers = inner.split(',').map(|n| n.parse::<u32>().ok());
    let mut out = Vec::new();
    let mut last = 0u32;
    while let Some(gap) = numbers.next() {
        let w = numbers.next()??;
        last = last.checked_add(gap?)?;
        out.push((last, w));
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postings_are_gaps_and_chunks_start_where_the_manifest_says() {
        let mut s = String::new();
        encode(&[(3, 65), (10, 2)], &mut s);
        assert_eq!(s, "[3,65,7,2]");
        let big: Vec<(u32, u32)> = (0..20_000).map(|d| (d, 1)).collect();
        let terms: Vec<(&str, String)> = [
            ("april", vec![(0, 64)]),
            ("tariff", big),
            ("visit", vec![(2, 1)]),
        ]
        .into_iter()
        .map(|(t, p)| {
            let mut e = String::new();
            encode(&p, &mut e);
            (t, e)
        })
        .collect();
        let files = files(
            terms.iter().map(|(t, e)| (*t, e.as_str())),
            &[("source", 20_000)],
        );
        let manifest: serde_json::Value =
            serde_json::from_slice(&files.last().expect("manifest").bytes).expect("json");
        assert_eq!(manifest["chunks"], serde_json::json!(["april", "visit"]));
        let first: serde_json::Value = serde_json::from_slice(&files[0].bytes).expect("json");
        assert_eq!(first["t"], serde_json::json!(["april", "tariff"]));
        assert_eq!(first["p"][0], serde_json::json!([0, 64]));
    }
}
