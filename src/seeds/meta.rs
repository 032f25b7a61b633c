//! Who an article is: its metadata (the `sources.toml` entry, or what the
//! text itself says), and the fingerprint that tells a later build whether
//! it changed.

use super::read::Bytes;
use super::{SourceMeta, sources};
use crate::cache::Cache;
use crate::diag::Diagnostic;

/// FNV-1a, 64 bits: stable across builds and Rust versions, unlike the
/// standard library's hasher, so fingerprints can be compared with the
/// previous site's. The fingerprint of a seed is its bytes' hash (kept
/// with them, see [`super::read::Facts`]) carried on over its metadata.
pub(super) fn fingerprint(bytes_hash: u64, meta: &str) -> u64 {
    fnv(bytes_hash, meta.as_bytes())
}

/// FNV-1a's state before any byte.
pub(super) const FNV_START: u64 = 0xcbf2_9ce4_8422_2325;

/// FNV-1a from state `h` over `bytes`.
pub(super) fn fnv(mut h: u64, bytes: &[u8]) -> u64 {
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// The entry in `sources.toml`, or metadata read from the text. A date
/// the entry leaves unknown is read from the text's own metadata lines.
pub(super) fn source_meta(
    rel: &std::path::Path,
    name: &str,
    bytes: &Bytes,
    meta: Option<SourceMeta>,
    cache: &Cache,
    warnings: &mut Vec<Diagnostic>,
) -> Result<SourceMeta, Diagnostic> {
    if let Some(mut meta) = meta {
        if meta.date.is_none()
            && let Some(p) = bytes.published(cache)
        {
            meta.date = Some(p.date);
            meta.date_basis = Some(p.basis);
        }
        return Ok(meta);
    }
    let stem = std::path::Path::new(name).with_extension("");
    let id = crate::urls::slugify(&stem.to_string_lossy());
    let hint = format!("add a [[source]] with file = {name:?} and an id to seeds/sources.toml");
    if !sources::valid_id(&id) {
        return Err(Diagnostic::error(
            rel,
            format!("no entry in seeds/sources.toml, and the file name gives no usable id (got {id:?}: ids are lower-case ASCII letters, digits and hyphens)"),
        )
        .with_hint(hint));
    }
    let meta = sources::fallback(name, id, bytes.text());
    let date = match (&meta.date, &meta.date_basis) {
        (Some(d), Some(b)) => format!("date {d} from the {b}"),
        _ => "date unknown: no dateline, byline or published/updated line dates the text".into(),
    };
    warnings.push(
        Diagnostic::warning(
            rel,
            format!(
                "no entry in seeds/sources.toml; using id {:?}, title from the first line, {date}",
                meta.id
            ),
        )
        .with_hint(hint),
    );
    Ok(meta)
}
