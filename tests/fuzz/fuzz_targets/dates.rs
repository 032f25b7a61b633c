//! Date extraction on arbitrary text: no panic, and every phrase found
//! lies inside the text, in order, with an end no earlier than its start.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let reference = jiff::civil::date(2025, 10, 30);
    for reference in [None, Some(reference)] {
        let mut last = 0;
        for f in dossier::timeline::extract::find(&text, reference) {
            assert!(f.at.start >= last && f.at.end <= text.len());
            last = f.at.end;
            if let Some(end) = f.end {
                assert!(end.first_day() >= f.date.first_day());
            }
        }
    }
});
