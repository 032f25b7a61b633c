//! Bytes to clean text: encoding, BOM, line endings and stray whitespace.
//!
//! Seeds arrive as they were scraped. Everything after this pass may assume
//! `\n` line endings, no BOM, no tabs or non-breaking spaces, single spaces
//! and trimmed lines.

/// What the decoder had to do that an editor should know about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decoded {
    Utf8(String),
    /// Not valid UTF-8; read as Latin-1 (every byte is a character).
    Latin1(String),
}

impl Decoded {
    pub fn text(&self) -> &str {
        match self {
            Decoded::Utf8(t) | Decoded::Latin1(t) => t,
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
        // Latin-1 maps each byte to the code point of the same value.
        Err(_) => Decoded::Latin1(normalise(
            &bytes.iter().map(|&b| b as char).collect::<String>(),
        )),
    })
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
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let mut out = String::with_capacity(text.len());
    for line in text.lines() {
        let mut prev_space = true;
        for c in line.chars() {
            let c = match c {
                '\t' | '\u{a0}' | '\u{2007}' | '\u{202f}' | '\u{0c}' => ' ',
                '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{feff}' | '\u{ad}' => continue,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_bom_crlf_and_stray_space() {
        let d = decode(b"\xEF\xBB\xBFOne\xC2\xA0 two\t \r\nthree  \r\n").unwrap();
        assert_eq!(d, Decoded::Utf8("One two\nthree\n".into()));
    }

    #[test]
    fn latin1_fallback() {
        let d = decode(b"D\xE9tente").unwrap();
        assert_eq!(d, Decoded::Latin1("D\u{e9}tente\n".into()));
    }

    #[test]
    fn refuses_binary() {
        assert!(decode(b"\x89PNG\r\n\x1a\n\0\0\0").is_err());
    }
}
