//! `sic` in `sources.toml`: sentences an editor knows are garbled in the
//! article as received. Readers see "[sic]"; the text is never changed.

use super::{Paragraph, SourceMeta};
use crate::diag::Diagnostic;

/// A `sic` anchor in `sources.toml` that names no sentence of the article.
pub(super) fn unknown(meta: &SourceMeta, paragraphs: &[Paragraph]) -> Option<Diagnostic> {
    let exists = |anchor: &str| {
        let (p, x) = anchor.strip_prefix('p')?.split_once("-s")?;
        let (p, x): (usize, usize) = (p.parse().ok()?, x.parse().ok()?);
        let para = paragraphs.get(p.checked_sub(1)?)?;
        (!para.heading && x >= 1 && x <= para.sentences.len()).then_some(())
    };
    let (anchor, line) = meta.sic.iter().find(|(a, _)| exists(a).is_none())?;
    Some(
        Diagnostic::error(
            "seeds/sources.toml",
            format!("sic {anchor:?}: {} has no such sentence", meta.file),
        )
        .at_line(*line)
        .with_hint("use the sentence's anchor from its source page, e.g. \"p4-s2\""),
    )
}
