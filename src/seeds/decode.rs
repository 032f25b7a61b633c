//! Bytes to clean text: encoding, BOM, line endings and stray whitespace.
//!
//! Seeds arrive as they were scraped. Everything after this pass may assume
//! `\n` line endings, no BOM, no tabs or non-breaking spaces, single spaces
//! and trimmed lines.

/// What the decoder had to do that an editor should know about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decoded {
    Utf8(String),
    /// Not valid UTF-8; read as Windows-1252, the encoding such files
    /// almost always are (Latin-1 would turn its curly quotes, dashes, €
    /// and "…" into invisible C1 controls).
    Windows1252(String),
}

impl Decoded {
    pub fn text(&self) -> &str {
        match self {
            Decoded::Utf8(t) | Decoded::Windows1252(t) => t,
        }
    }
}

/// Decode and normalise. Refuses what is clearly not text.
pub fn decode(bytes: &[u8]) -> Result<Decoded, String> {
    if looks_binary(bytes) {
        return Err("looks like a binary file, not a plain-text article".into());
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    Ok(match std::str::from_utf8(bytes) {
        Ok(s) => Decoded::Utf8(normalise(s)),
        Err(_) => Decoded::Windows1252(normalise(
            &bytes.iter().map(|&b| windows_1252(b)).collect::<String>(),
        )),
    })
}

/// 0x80–0x9F as Windows-1252 has them; the five bytes it leaves undefined
/// become U+FFFD, visible rather than silently dropped.
const HIGH_CONTROLS: [char; 32] = [
    '€', '\u{fffd}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{fffd}', 'Ž',
    '\u{fffd}', '\u{fffd}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{fffd}',
    'ž', 'Ÿ',
];

fn windows_1252(b: u8) -> char {
    match b {
        0x80..=0x9f => HIGH_CONTROLS[usize::from(b - 0x80)],
        // Elsewhere Windows-1252 agrees with Latin-1: the byte is the code point.
        _ => char::from(b),
    }
}

fn looks_binary(bytes: &[u8]) -> bool {
    let sample = &bytes[..bytes.len().min(8192)];
    if sample.contains(&0) {
        return true;
    }
    let control = sample
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0c))
        .count();
    control * 20 > sample.len().max(1)
}

fn normalise(text: &str) -> String {
    let text = if text.contains('\r') {
        std::borrow::Cow::Owned(text.replace("\r\n", "\n").replace('\r', "\n"))
    } else {
        std::borrow::Cow::Borrowed(text)
    };
    let mut out = String::with_capacity(text.len());
    for line in text.lines() {
        // Most lines of most articles need nothing done: copied whole.
        if is_plain(line.as_bytes()) {
            out.push_str(line);
            out.push('\n');
            continue;
        }
        let mut prev_space = true;
        for c in line.chars() {
            let c = match c {
                '\t' | '\u{a0}' | '\u{2007}' | '\u{202f}' | '\u{0c}' => ' ',
                '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{feff}' | '\u{ad}' => continue,
                c if crate::project::is_forbidden(c) => continue,
                c => c,
            };
            if c == ' ' {
                if prev_space {
                    continue;
                }
                prev_space = true;
            } else {
                prev_space = false;
            }
            out.push(c);
        }
        while out.ends_with(' ') {
            out.pop();
        }
        out.push('\n');
    }
    out
}

/// Printable ASCII with single spaces between words and none at the
/// ends: a line [`normalise`] would leave as it is.
fn is_plain(line: &[u8]) -> bool {
    let mut prev_space = true;
    for &c in line {
        if !(0x20..0x7f).contains(&c) || (c == b' ' && prev_space) {
            return false;
        }
        prev_space = c == b' ';
    }
    !prev_space || line.is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_bom_crlf_and_stray_space() {
        let d = decode(b"\xEF\xBB\xBFOne\xC2\xA0 two\t \r\nthree  \r\n").unwrap();
        assert_eq!(d, Decoded::Utf8("One two\nthree\n".into()));
    }

    #[test]
    fn windows_1252_fallback() {
        let d = decode(b"D\xE9tente \x93at last\x94 \x96 \x80 5 \x85 it\x92s\x81 done").unwrap();
        assert_eq!(
            d,
            Decoded::Windows1252("D\u{e9}tente “at last” – € 5 … it’s\u{fffd} done\n".into())
        );
        assert_eq!(
            d.text().lines().count(),
            1,
            "0x85 is an ellipsis, not a line break"
        );
    }

    #[test]
    fn characters_xml_forbids_are_dropped() {
        let text = "A plain line of text, long enough to read as an article.\nA\u{1}B\u{1b}[0mC\u{7f}\u{85}D\u{fffe}\u{ffff}E\tF\n";
        let d = decode(text.as_bytes()).unwrap();
        assert_eq!(d.text().lines().nth(1), Some("AB[0mCDE F"));
    }

    #[test]
    fn plain_lines_are_copied_as_the_full_pass_would_make_them() {
        let lines = [
            "Plain words, one space each.",
            "",
            " leading",
            "trailing ",
            "two  spaces",
            "tab\there",
            "del\u{7f}",
            "curly \u{201c}quotes\u{201d}",
        ];
        let plain = lines.iter().filter(|l| is_plain(l.as_bytes())).count();
        assert_eq!(plain, 2, "the first two lines take the short cut");
        for line in lines {
            // The invisible space sends the line down the full pass.
            let full = normalise(&format!("{line}\u{200b}\n"));
            if is_plain(line.as_bytes()) {
                assert_eq!(full, format!("{line}\n"), "{line:?}");
            }
            assert_eq!(normalise(&format!("{line}\n")), full, "{line:?}");
        }
    }

    #[test]
    fn refuses_binary() {
        assert!(decode(b"\x89PNG\r\n\x1a\n\0\0\0").is_err());
    }
}
