//! Seed ingestion on arbitrary bytes: decoding, boilerplate removal,
//! paragraph mending and sentence splitting must never panic, and every
//! anchor must be the positional id its place implies.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok((Some(source), _)) =
        dossier::seeds::ingest_file(Path::new("seeds/fuzz.txt"), "fuzz.txt", data, None)
    else {
        return;
    };
    for (i, p) in source.paragraphs.iter().enumerate() {
        assert_eq!(p.id, format!("p{}", i + 1));
        for (j, s) in p.sentences.iter().enumerate() {
            assert_eq!(s.id, format!("p{}-s{}", i + 1, j + 1));
            assert!(!s.text.trim().is_empty(), "empty sentence {}", s.id);
            assert_eq!(source.sentence(&s.id).map(|x| &x.text), Some(&s.text));
        }
    }
});
