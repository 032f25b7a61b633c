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
        stop: terms::STOP.words(),
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

/// `text`, postings [`encode`] wrote, with `edits` made: `(document, its
/// weight now)`, `None` to remove it, sorted by document. The pairs before
/// the first edit and after the last are copied as they stand: a common
/// term lists thousands of documents, and printing them again was most of
/// the cost of patching a document in.
pub(super) fn splice(text: &str, edits: &[(u32, Option<u32>)]) -> Option<String> {
    let inner = text.strip_prefix('[')?.strip_suffix(']')?;
    let mut out = Spliced {
        text: String::with_capacity(text.len() + 16),
        last: 0,
    };
    out.text.push('[');
    let mut edits = edits.iter().peekable();
    let (mut last_in, mut pos) = (0u32, 0);
    while pos < inner.len() {
        let (gap, after_gap) = number(inner, pos)?;
        if inner.as_bytes().get(after_gap) != Some(&b',') {
            return None;
        }
        let (w, end) = number(inner, after_gap + 1)?;
        let doc = last_in.checked_add(gap)?;
        while let Some(&(n, now)) = edits.next_if(|(n, _)| *n < doc) {
            if let Some(now) = now {
                out.pair(n, now);
            }
        }
        match edits.next_if(|(n, _)| *n == doc) {
            Some(&(_, Some(now))) => out.pair(doc, now),
            Some(&(_, None)) => {}
            // Its gap is the same as it was: copied, and with no edit
            // left, so is the rest.
            None if out.last == last_in => {
                let rest = if edits.peek().is_none() {
                    inner.len()
                } else {
                    end
                };
                out.verbatim(&inner[pos..rest]);
                out.last = doc;
                if rest == inner.len() {
                    break;
                }
            }
            None => out.pair(doc, w),
        }
        last_in = doc;
        pos = end + 1;
    }
    for &(n, now) in edits {
        if let Some(now) = now {
            out.pair(n, now);
        }
    }
    out.text.push(']');
    Some(out.text)
}

/// Postings being written by [`splice`], and the document last written.
struct Spliced {
    text: String,
    last: u32,
}

impl Spliced {
    fn separate(&mut self) {
        if !self.text.ends_with('[') {
            self.text.push(',');
        }
    }

    fn pair(&mut self, doc: u32, w: u32) {
        self.separate();
        let _ = write!(self.text, "{},{w}", doc - self.last);
        self.last = doc;
    }

    fn verbatim(&mut self, pairs: &str) {
        self.separate();
        self.text.push_str(pairs);
    }
}

/// The decimal number at byte `at` of `text`, and the byte after it.
fn number(text: &str, at: usize) -> Option<(u32, usize)> {
    let digits = text
        .get(at..)?
        .bytes()
        .take_while(u8::is_ascii_digit)
        .count();
    let end = at + digits;
    Some((text.get(at..end)?.parse().ok()?, end))
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
