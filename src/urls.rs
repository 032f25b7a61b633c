//! Every URL the site emits, derived from `base_url`.
//!
//! GitHub Pages project sites live under a path prefix such as
//! `/trade-explainer/`, so no template or renderer may write a root-relative
//! URL by hand: they all come from here, which keeps the prefix in one place.

/// The site's origin and path prefix, split from `base_url`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Urls {
    /// `https://example.org`, without a trailing slash.
    origin: String,
    /// Always starts and ends with `/`: `/` or `/trade-explainer/`.
    base_path: String,
}

impl Urls {
    /// Split an absolute `http(s)://host/path` URL. Returns a message on failure.
    pub fn parse(base_url: &str) -> Result<Self, String> {
        let rest = base_url
            .strip_prefix("https://")
            .or_else(|| base_url.strip_prefix("http://"))
            .ok_or_else(|| {
                format!("base_url must start with http:// or https://, got {base_url:?}")
            })?;
        let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
        if host.is_empty() || host.contains(['?', '#', ' ']) {
            return Err(format!("base_url has no valid host: {base_url:?}"));
        }
        if path.contains(['?', '#']) {
            return Err(format!(
                "base_url must not have a query or fragment: {base_url:?}"
            ));
        }
        let scheme_len = base_url.len() - rest.len();
        let trimmed = path.trim_matches('/');
        let base_path = if trimmed.is_empty() {
            "/".to_string()
        } else {
            format!("/{trimmed}/")
        };
        Ok(Self {
            origin: format!("{}{host}", &base_url[..scheme_len]),
            base_path,
        })
    }

    pub fn base_path(&self) -> &str {
        &self.base_path
    }

    /// Root-relative URL of a site path such as `topics/soybeans/`.
    pub fn path(&self, rel: &str) -> String {
        format!("{}{}", self.base_path, rel.trim_start_matches('/'))
    }

    /// Absolute URL, for canonical links, feeds and sitemaps.
    pub fn absolute(&self, rel: &str) -> String {
        format!("{}{}", self.origin, self.path(rel))
    }
}

/// Lower-case ASCII slug: letters and digits, runs of anything else become `-`.
pub fn slugify(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_origin_and_prefix() {
        let u = Urls::parse("https://example.org/trade-explainer").unwrap();
        assert_eq!(
            u.path("topics/soybeans/"),
            "/trade-explainer/topics/soybeans/"
        );
        assert_eq!(u.absolute(""), "https://example.org/trade-explainer/");
        let root = Urls::parse("http://127.0.0.1:8080/").unwrap();
        assert_eq!(root.path("/sources/"), "/sources/");
    }

    #[test]
    fn rejects_relative_and_queries() {
        assert!(Urls::parse("/trade-explainer/").is_err());
        assert!(Urls::parse("https://x.org/?a=1").is_err());
    }

    #[test]
    fn slugs() {
        assert_eq!(slugify("What was agreed?"), "what-was-agreed");
        assert_eq!(slugify("  Rare-earth  deal "), "rare-earth-deal");
    }
}
