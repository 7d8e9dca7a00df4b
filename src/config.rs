//! The site file, `site.yaml`: every key, its default, and the checks that catch a typo before a
//! build runs. A missing file means "all defaults", so `gazette build --site ANY_FOLDER` works.

use std::path::Path;

use anyhow::{bail, Context, Result};
use serde::Deserialize;

/// The name of the site file inside a site folder.
pub const SITE_FILE: &str = "site.yaml";

/// Everything a site can configure. Unknown keys are an error, so a misspelt key never silently
/// falls back to its default.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SiteConfig {
    /// Shown in the header of every page and in feeds.
    pub title: String,
    /// The home page's subtitle and the feed's subtitle.
    pub description: String,
    /// Where the site will live, e.g. `https://example.org/archive/`. Its path part prefixes every
    /// internal link, so the same output works at a domain root or under a sub-path.
    pub base_url: String,
    /// The `lang` attribute of every page.
    pub language: String,
    /// Articles per page on every listing (home, topic, person, author, year, month).
    pub paginate_by: usize,
    /// The URL of an article, from the tokens `:year`, `:month`, `:day` and `:slug`.
    pub article_url: String,
    /// Entries per Atom feed.
    pub feed_size: usize,
    /// Which listing families to build.
    pub indexes: Indexes,
    /// How articles get their topics.
    pub topics: TopicSettings,
    /// What to do with raw HTML inside Markdown: `sanitise` (the default) keeps safe markup and
    /// drops scripts, event handlers and the like; `keep` passes it through, for archives whose
    /// every author is trusted.
    pub raw_html: RawHtml,
    /// Build the search index (Pagefind) and the search page. Off unless the site turns it on
    /// (`gazette init` writes it on): indexing costs several times the rest of the build, so a
    /// bare folder of articles builds the pages alone, as Zola does.
    pub search: bool,
    /// Articles per search index shard. Pagefind holds a shard's whole index in memory while
    /// building it (about 0.4 MB an article, one shard per thread), and a search loads a little
    /// of every shard: fewer, larger shards cost memory, more, smaller ones bytes per search.
    pub search_shard_articles: usize,
}

/// The `raw_html` setting.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RawHtml {
    #[default]
    Sanitise,
    Keep,
}

/// Topic rules: aliases, sections from folders, signal words, and the learned classifier.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TopicSettings {
    /// Another name → the topic's name ("US politics" → "U.S. politics").
    pub aliases: std::collections::BTreeMap<String, String>,
    /// An article under `content/sport/` gets the topic "Sport".
    pub from_folders: bool,
    /// A topic → words or phrases that signal it, for articles without front matter topics.
    pub rules: std::collections::BTreeMap<String, Vec<String>>,
    /// Learn topics from the articles that have them and suggest them for the others.
    pub learn: bool,
    /// The confidence (0 to 1) below which no learned topic is suggested.
    pub threshold: f32,
}

impl Default for TopicSettings {
    fn default() -> Self {
        TopicSettings {
            aliases: Default::default(),
            from_folders: false,
            rules: Default::default(),
            learn: true,
            threshold: 0.1,
        }
    }
}

/// Switches for the listing families; all on by default.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Indexes {
    pub topics: bool,
    pub people: bool,
    pub authors: bool,
    /// Year and month pages, and the `/archive/` overview.
    pub dates: bool,
}

impl Default for Indexes {
    fn default() -> Self {
        Indexes {
            topics: true,
            people: true,
            authors: true,
            dates: true,
        }
    }
}

impl Default for SiteConfig {
    fn default() -> Self {
        SiteConfig {
            title: "Gazette".to_string(),
            description: "A news archive".to_string(),
            base_url: "http://127.0.0.1:1111/".to_string(),
            language: "en".to_string(),
            paginate_by: 20,
            article_url: "/:year/:month/:slug/".to_string(),
            feed_size: 20,
            indexes: Indexes::default(),
            topics: TopicSettings::default(),
            raw_html: RawHtml::default(),
            search: false,
            search_shard_articles: 5_000,
        }
    }
}

impl SiteConfig {
    /// Reads `site.yaml` from the site folder, or the defaults when there is none.
    pub fn load(site_dir: &Path) -> Result<SiteConfig> {
        let path = site_dir.join(SITE_FILE);
        let config = match std::fs::read_to_string(&path) {
            Ok(text) if text.trim().is_empty() => SiteConfig::default(),
            Ok(text) => serde_yaml::from_str(&text).map_err(|error| {
                let line = error
                    .location()
                    .map(|location| format!(":{}", location.line()))
                    .unwrap_or_default();
                anyhow::anyhow!("{}{line}: {error}", path.display())
            })?,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => SiteConfig::default(),
            Err(error) => {
                return Err(error).with_context(|| format!("cannot read {}", path.display()))
            }
        };
        config
            .validated()
            .with_context(|| format!("in {}", path.display()))
    }

    /// Normalises the base URL and rejects values no build could honour.
    pub fn validated(mut self) -> Result<SiteConfig> {
        if self.paginate_by == 0 {
            bail!("paginate_by must be at least 1");
        }
        if self.feed_size == 0 {
            bail!("feed_size must be at least 1");
        }
        if self.search_shard_articles == 0 {
            bail!("search_shard_articles must be at least 1");
        }
        if !self.article_url.contains(":slug") {
            bail!(
                "article_url {:?} must contain :slug, or articles would share one URL",
                self.article_url
            );
        }
        self.base_url = normalise_base_url(&self.base_url)?;
        Ok(self)
    }

    /// The path part of `base_url`, always starting and ending with `/`: what every internal link
    /// begins with.
    pub fn base_path(&self) -> String {
        let after_scheme = match self.base_url.find("://") {
            Some(index) => &self.base_url[index + 3..],
            None => return self.base_url.clone(),
        };
        match after_scheme.find('/') {
            Some(index) => after_scheme[index..].to_string(),
            None => "/".to_string(),
        }
    }
}

/// Gives a base URL exactly one trailing slash, and refuses anything but http(s) or a bare path.
pub fn normalise_base_url(url: &str) -> Result<String> {
    let url = url.trim();
    let is_web = url.starts_with("http://") || url.starts_with("https://");
    if !is_web && !url.starts_with('/') {
        bail!("base_url {url:?} must start with http://, https:// or /");
    }
    if url.contains(['"', '<', '>', ' ', '\\']) {
        bail!("base_url {url:?} contains a character that is not allowed in a URL");
    }
    let mut url = url.trim_end_matches('/').to_string();
    url.push('/');
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_path_is_the_path_of_the_base_url() {
        let mut config = SiteConfig {
            base_url: "https://example.org/archive".into(),
            ..SiteConfig::default()
        }
        .validated()
        .unwrap();
        assert_eq!(config.base_url, "https://example.org/archive/");
        assert_eq!(config.base_path(), "/archive/");
        config.base_url = "https://example.org/".into();
        assert_eq!(config.base_path(), "/");
    }

    #[test]
    fn unknown_keys_are_named() {
        let error = serde_yaml::from_str::<SiteConfig>("titel: x\n").unwrap_err();
        assert!(error.to_string().contains("titel"), "{error}");
    }

    #[test]
    fn a_base_url_with_a_quote_is_refused() {
        assert!(normalise_base_url("https://a.org/\"x").is_err());
        assert!(normalise_base_url("ftp://a.org/").is_err());
    }
}
