//! Front matter of every kind of document on arbitrary text: a document or
//! a diagnostic naming the file, never a panic. The first byte picks where
//! the file lives, so home, topic, event and page rules all run.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&which, rest)) = data.split_first() else {
        return;
    };
    let within = [
        "_index.md",
        "topics/soybeans.md",
        "timeline/x.md",
        "notes/a.md",
    ][usize::from(which % 4)];
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let rel = Path::new("content").join(within);
    if let Err(d) = dossier::content::parse(&rel, Path::new(within), text) {
        assert!(d.to_string().starts_with(&rel.display().to_string()), "{d}");
    }
});
