//! What templates see: small serialisable views of the archive model, with every URL already
//! prefixed by the site's base path. Views are built per page from the shared, read-only model.

use chrono::{DateTime, FixedOffset};
use serde::Serialize;

use crate::config::SiteConfig;
use crate::link::{Archive, ArticleId, LinkedArticle, Term, TermFamily, TermId};

/// Site-wide values every template gets as `site`.
#[derive(Debug, Clone, Serialize)]
pub struct SiteView {
    pub title: String,
    pub description: String,
    /// Absolute URL of the site root, ending in `/`.
    pub base_url: String,
    /// Path of the site root, ending in `/`: prefix of every internal link.
    pub root: String,
    pub language: String,
    pub indexes: IndexesView,
}

#[derive(Debug, Clone, Serialize)]
pub struct IndexesView {
    pub topics: bool,
    pub people: bool,
    pub authors: bool,
    pub dates: bool,
}

impl SiteView {
    pub fn new(config: &SiteConfig) -> SiteView {
        SiteView {
            title: config.title.clone(),
            description: config.description.clone(),
            base_url: config.base_url.clone(),
            root: config.base_path(),
            language: config.language.clone(),
            indexes: IndexesView {
                topics: config.indexes.topics,
                people: config.indexes.people,
                authors: config.indexes.authors,
                dates: config.indexes.dates,
            },
        }
    }

    /// The link to a path below the site root.
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.root, path)
    }

    /// The absolute URL of a path below the site root, for feeds and sitemaps.
    pub fn permalink(&self, path: &str) -> String {
        format!("{}{}", self.base_url, path)
    }
}

/// A name and the page it links to.
#[derive(Debug, Clone, Serialize)]
pub struct LinkView {
    pub name: String,
    pub url: String,
    /// Articles behind the link (on indexes) or shared articles (on companions).
    pub count: usize,
}

/// An article as listed on an index, a feed or a sitemap.
#[derive(Debug, Clone, Serialize)]
pub struct CardView {
    pub title: String,
    pub url: String,
    pub permalink: String,
    /// RFC 3339.
    pub date: String,
    /// "3 March 2019".
    pub date_display: String,
    pub updated: String,
    pub summary: String,
    pub authors: Vec<LinkView>,
    pub topics: Vec<LinkView>,
}

/// Formats a date for readers.
pub fn display_date(date: &DateTime<FixedOffset>) -> String {
    date.format("%-d %B %Y").to_string()
}

/// Links to terms of one family, in the order given. Empty when the family's pages are off.
pub fn term_links(
    site: &SiteView,
    family: &TermFamily,
    ids: &[TermId],
    enabled: bool,
) -> Vec<LinkView> {
    ids.iter()
        .map(|&id| {
            let term = &family.terms[id];
            LinkView {
                name: term.name.clone(),
                url: if enabled {
                    site.url(&family.term_path(term))
                } else {
                    String::new()
                },
                count: term.articles.len(),
            }
        })
        .collect()
}

/// A link to one term with a count of its articles.
pub fn term_link(site: &SiteView, family: &TermFamily, term: &Term) -> LinkView {
    LinkView {
        name: term.name.clone(),
        url: site.url(&family.term_path(term)),
        count: term.articles.len(),
    }
}

pub fn card(site: &SiteView, archive: &Archive, id: ArticleId) -> CardView {
    let linked: &LinkedArticle = &archive.articles[id];
    let article = &linked.article;
    CardView {
        title: article.title.clone(),
        url: site.url(&linked.path),
        permalink: site.permalink(&linked.path),
        date: article.date.to_rfc3339(),
        date_display: display_date(&article.date),
        updated: article.updated.unwrap_or(article.date).to_rfc3339(),
        summary: article.summary.clone(),
        authors: term_links(
            site,
            &archive.authors,
            &linked.authors,
            site.indexes.authors,
        ),
        topics: term_links(site, &archive.topics, &linked.topics, site.indexes.topics),
    }
}

pub fn cards(site: &SiteView, archive: &Archive, ids: &[ArticleId]) -> Vec<CardView> {
    ids.iter().map(|&id| card(site, archive, id)).collect()
}

/// Where a paginated listing is, for the "newer / older" links.
#[derive(Debug, Clone, Serialize)]
pub struct PagerView {
    pub current: usize,
    pub total: usize,
    pub first_url: String,
    pub previous_url: Option<String>,
    pub next_url: Option<String>,
    pub last_url: String,
}

/// The path of page `number` (1-based) of a listing whose first page is at `base`.
pub fn page_path(base: &str, number: usize) -> String {
    if number <= 1 {
        base.to_string()
    } else {
        format!("{base}page/{number}/")
    }
}

pub fn pager(site: &SiteView, base: &str, current: usize, total: usize) -> PagerView {
    PagerView {
        current,
        total,
        first_url: site.url(&page_path(base, 1)),
        previous_url: (current > 1).then(|| site.url(&page_path(base, current - 1))),
        next_url: (current < total).then(|| site.url(&page_path(base, current + 1))),
        last_url: site.url(&page_path(base, total)),
    }
}
