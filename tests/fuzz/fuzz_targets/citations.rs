//! Citation parsing and markdown rendering (highlighting, heading anchors,
//! citation expansion) on arbitrary text: no panic, every citation found is
//! a slice of the text, and the callback only sees offsets inside it.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for (range, c) in dossier::cite::find_all(text) {
        assert!(text.get(range.clone()).is_some());
        assert!(!c.source.is_empty());
    }
    let mut n = 0;
    let rendered = dossier::markdown::render(
        text,
        &mut |_, at| {
            assert!(at <= text.len());
            n += 1;
            format!("<sup data-cite=\"{n}\"></sup>")
        },
        false,
    );
    assert!(rendered.html.matches("<sup data-cite=").count() >= n);
});
