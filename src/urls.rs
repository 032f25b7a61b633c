//! Every URL the site emits, derived from `base_url`, and the route table.
//!
//! GitHub Pages project sites live under a path prefix such as
//! `/trade-explainer/`, so no template or renderer may write a root-relative
//! URL by hand: they all come from here, which keeps the prefix in one place.
//! [`Route`] is the one place that spells where each generated page and file
//! lives; output paths, reserved URLs and links all derive from it.

use crate::refs::SentenceRef;

/// Every page and file the site generates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Route<'a> {
    Home,
    Topic(&'a str),
    Sources,
    /// Page `n` (from 1) of the sources index, or of one topic's sources.
    SourcesList(Option<&'a str>, usize),
    Source(&'a str),
    /// An authored page at its site path (`notes/method/`).
    Page(&'a str),
    Timeline,
    TimelineTopic(&'a str),
    Search,
    /// The promises tracker (only when there are commitments).
    Tracker,
    NotFound,
    Stylesheet,
    Favicon,
    SyntaxCss,
    SearchIndex,
    SearchScript,
    SourcesJson,
    TimelineJson,
    /// The timeline in TimelineJS's JSON format, for embedding.
    TimelineJs,
    Feed,
    Sitemap,
    Robots,
    NoJekyll,
    Cname,
}

/// Every page the site generates for these topics and sources (authored
/// pages aside), in render order: the table render jobs and the URL
/// collision check both come from.
pub fn generated<'a>(topics: &[&'a str], sources: &[&'a str]) -> Vec<Route<'a>> {
    let mut routes = vec![Route::Home];
    routes.extend(topics.iter().map(|t| Route::Topic(t)));
    routes.push(Route::Sources);
    routes.extend(sources.iter().map(|s| Route::Source(s)));
    routes.push(Route::Timeline);
    routes.extend(topics.iter().map(|t| Route::TimelineTopic(t)));
    routes.extend([Route::Search, Route::Tracker, Route::NotFound]);
    routes
}

/// The URLs no authored page may take: the home page, every generated
/// page, and the root of each generated section (`topics/`). A set, so
/// checking 1,000 pages against 10,000 sources is lookups, not a scan.
pub fn reserved(generated: &[Route<'_>]) -> std::collections::HashSet<String> {
    let mut taken = std::collections::HashSet::from([String::new()]);
    for r in generated {
        let rel = r.rel();
        if let Some(section) = rel.split_inclusive('/').next().filter(|s| s.ends_with('/')) {
            taken.insert(section.to_string());
        }
        taken.insert(rel);
    }
    taken
}

impl Route<'_> {
    /// Site-relative URL, without the base path: `topics/soybeans/`, `` for home.
    pub fn rel(&self) -> String {
        match *self {
            Route::Home => String::new(),
            Route::Topic(slug) => format!("topics/{slug}/"),
            Route::Sources | Route::SourcesList(None, 0 | 1) => "sources/".into(),
            Route::SourcesList(None, n) => format!("sources/page/{n}/"),
            Route::SourcesList(Some(t), 0 | 1) => format!("sources/topic/{t}/"),
            Route::SourcesList(Some(t), n) => format!("sources/topic/{t}/page/{n}/"),
            Route::Source(id) => format!("sources/{id}/"),
            Route::Page(path) => path.trim_start_matches('/').into(),
            Route::Timeline => "timeline/".into(),
            Route::TimelineTopic(slug) => format!("timeline/{slug}/"),
            Route::Search => "search/".into(),
            Route::Tracker => "tracker/".into(),
            Route::NotFound => "404.html".into(),
            Route::Stylesheet => "style.css".into(),
            Route::Favicon => "favicon.svg".into(),
            Route::SyntaxCss => "syntax.css".into(),
            Route::SearchIndex => "search/index.json".into(),
            Route::SearchScript => "search.js".into(),
            Route::SourcesJson => "sources.json".into(),
            Route::TimelineJson => "timeline.json".into(),
            Route::TimelineJs => "timelinejs.json".into(),
            Route::Feed => "atom.xml".into(),
            Route::Sitemap => "sitemap.xml".into(),
            Route::Robots => "robots.txt".into(),
            Route::NoJekyll => ".nojekyll".into(),
            Route::Cname => "CNAME".into(),
        }
    }

    /// The file it is written to, relative to the output folder: a URL
    /// ending in `/` is a folder's `index.html`.
    pub fn file(&self) -> String {
        let rel = self.rel();
        if rel.is_empty() || rel.ends_with('/') {
            format!("{rel}index.html")
        } else {
            rel
        }
    }
}

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
        // Every URL of the site starts with this text, so a character a URL
        // may not carry unencoded would break them all.
        if let Some(c) = base_url
            .chars()
            .find(|c| c.is_whitespace() || c.is_control() || "<>\"{}|\\^`".contains(*c))
        {
            return Err(format!(
                "base_url has {c:?}, which a URL cannot carry unencoded: {base_url:?}"
            ));
        }
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

    /// Root-relative URL of a route.
    pub fn of(&self, route: Route<'_>) -> String {
        self.path(&route.rel())
    }

    /// Absolute URL of a route.
    pub fn absolute_of(&self, route: Route<'_>) -> String {
        self.absolute(&route.rel())
    }

    /// Root-relative URL of a sentence on its source's page: `…/sources/id/#p3-s2`.
    pub fn sentence(&self, source_id: &str, r: SentenceRef) -> String {
        format!("{}#{r}", self.of(Route::Source(source_id)))
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
        assert!(Urls::parse("https://x.org/trade explainer/").is_err());
        assert!(Urls::parse(" https://x.org/").is_err());
        assert!(Urls::parse("https://x.org/a\"b/").is_err());
        assert!(Urls::parse("https://x.org/caf%C3%A9/").is_ok());
    }

    #[test]
    fn slugs() {
        assert_eq!(slugify("What was agreed?"), "what-was-agreed");
        assert_eq!(slugify("  Rare-earth  deal "), "rare-earth-deal");
    }
}
