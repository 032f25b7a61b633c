//! How a source is named where it is cited, and how weak it is.

use super::Source;

impl Source {
    /// The name references and timeline lines use: `short` from
    /// `sources.toml`, else the title cut to its first words, else the
    /// opening words of the text.
    pub fn short_name(&self) -> String {
        const WORDS: usize = 6;
        if let Some(s) = &self.meta.short {
            return s.clone();
        }
        let long = self.display_title();
        let words: Vec<&str> = long.trim_end_matches('…').split_whitespace().collect();
        if words.len() <= WORDS {
            return long;
        }
        let cut = words[..WORDS].join(" ");
        format!("{}…", cut.trim_end_matches([',', ';', ':', '.']))
    }

    /// What a reader should weigh before trusting it: an unknown date or
    /// publisher, and the editor's `flags`.
    pub fn provenance(&self) -> Vec<String> {
        let mut out = Vec::new();
        if self.meta.date.is_none() {
            out.push("no date".to_string());
        }
        if self.meta.publisher.is_none() {
            out.push("publisher unknown".to_string());
        }
        out.extend(self.meta.flags.iter().cloned());
        out
    }
}
