//! What templates see: small serialisable views of the archive model, with every URL already
//! prefixed by the site's base path. Views are built per page from the shared, read-only model.

use std::borrow::Cow;

use anyhow::{Context, Result};
use chrono::{DateTime, Datelike, FixedOffset};
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
    /// Whether the site has a search page (and the header its search box).
    pub search: bool,
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
            search: config.search,
        }
    }

    // URLs are made by the hundred on every page (each card, term and person link), so they
    // are concatenated in one allocation: `format!` took several times as long.

    /// The link to a path below the site root.
    pub fn url(&self, path: &str) -> String {
        [&self.root, path].concat()
    }

    /// The absolute URL of a path below the site root, for feeds and sitemaps.
    pub fn permalink(&self, path: &str) -> String {
        [&self.base_url, path].concat()
    }

    /// The link to a term's page: `TermFamily::term_path` below the site root.
    pub fn term_url(&self, family: &TermFamily, term: &Term) -> String {
        let [folder, slash, slug, end] = family.term_path_parts(term);
        [&self.root, folder, slash, slug, end].concat()
    }
}

/// A name and the page it links to.
#[derive(Debug, Clone, Serialize)]
pub struct LinkView {
    pub name: String,
    pub url: String,
    /// Articles behind the link (on indexes) or shared articles (on companions).
    pub count: usize,
    /// A topic gazette suggests (learned or from a rule) rather than one an editor chose.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub suggested: bool,
}

/// Mentions per year as a bar chart, drawn as an inline SVG.
#[derive(Debug, Clone, Serialize)]
pub struct TimelineView {
    pub width: usize,
    pub height: usize,
    /// How many years the chart has a bar for, from the first year with an article to the last.
    pub years: usize,
    /// "Articles per year: 2004: 12, 2005: 30", for screen readers.
    pub label: String,
    /// The `<svg>` element of the chart, drawn here rather than bar by bar in the template:
    /// Tera took some 16,000 instructions a bar, and a chart on the page of each of thousands
    /// of people was a tenth of a plain-text archive's build.
    pub svg: String,
}

/// One year's bar, in SVG units.
#[derive(Debug)]
struct BarView {
    year: i32,
    count: usize,
    x: usize,
    y: usize,
    width: usize,
    height: usize,
    label_x: usize,
}

/// Chart dimensions in SVG units.
const BAR_WIDTH: usize = 28;
const BAR_GAP: usize = 6;
const CHART_HEIGHT: usize = 80;
const LABEL_SPACE: usize = 16;

/// Articles per year, from the first year with one to the last, gaps included.
pub fn timeline(archive: &Archive, ids: &[ArticleId]) -> Option<TimelineView> {
    let mut per_year: std::collections::BTreeMap<i32, usize> = std::collections::BTreeMap::new();
    for &id in ids {
        *per_year
            .entry(archive.articles[id].article.date.year())
            .or_default() += 1;
    }
    let (&first, &last) = (per_year.keys().next()?, per_year.keys().next_back()?);
    let most = per_year.values().copied().max().unwrap_or(1).max(1);
    let bars: Vec<BarView> = (first..=last)
        .enumerate()
        .map(|(index, year)| {
            let count = per_year.get(&year).copied().unwrap_or(0);
            let height = (count * CHART_HEIGHT).div_ceil(most);
            let x = index * (BAR_WIDTH + BAR_GAP);
            BarView {
                year,
                count,
                x,
                y: CHART_HEIGHT - height,
                width: BAR_WIDTH,
                height,
                label_x: x + BAR_WIDTH / 2,
            }
        })
        .collect();
    let mut label = String::from("Articles per year");
    for (index, bar) in bars.iter().enumerate() {
        push_number(&mut label, if index == 0 { ": " } else { ", " }, bar.year);
        push_number(&mut label, ": ", bar.count);
    }
    let (width, height) = (
        bars.len() * (BAR_WIDTH + BAR_GAP),
        CHART_HEIGHT + LABEL_SPACE,
    );
    Some(TimelineView {
        width,
        height,
        years: bars.len(),
        svg: timeline_svg(width, height, &label, &bars),
        label,
    })
}

/// A bar per year, with the year's count as its tooltip and its last two digits below it.
/// Written piece by piece: a person's page has a chart, and `write!` with nine numbers a bar
/// was 3% of a plain-text build.
fn timeline_svg(width: usize, height: usize, label: &str, bars: &[BarView]) -> String {
    let mut svg = String::with_capacity(160 + label.len() + 140 * bars.len());
    push_number(&mut svg, r#"<svg viewBox="0 0 "#, width);
    push_number(&mut svg, " ", height);
    push_number(&mut svg, r#"" width=""#, width);
    push_number(&mut svg, r#"" height=""#, height);
    svg.push_str(r#"" role="img" aria-label=""#);
    svg.push_str(&crate::render::markdown::escape_html(label));
    svg.push_str(r#"">"#);
    for bar in bars {
        push_number(&mut svg, "\n    <rect x=\"", bar.x);
        push_number(&mut svg, "\" y=\"", bar.y);
        push_number(&mut svg, "\" width=\"", bar.width);
        push_number(&mut svg, "\" height=\"", bar.height);
        push_number(&mut svg, "\"><title>", bar.year);
        push_number(&mut svg, ": ", bar.count);
        push_number(&mut svg, "</title></rect><text x=\"", bar.label_x);
        push_number(&mut svg, "\" y=\"", height - 3);
        push_number(&mut svg, "\" text-anchor=\"middle\">", bar.year % 100);
        svg.push_str("</text>");
    }
    svg.push_str("\n  </svg>");
    svg
}

/// `text`, then `value` in decimal, onto the end of `out`.
fn push_number(out: &mut String, text: &str, value: impl itoa::Integer) {
    out.push_str(text);
    out.push_str(itoa::Buffer::new().format(value));
}

/// An article as listed on an index, a feed or a sitemap. Its title and summary are borrowed
/// from the article (the summary read back, in a large archive): every article page makes
/// eight cards and every feed twenty.
#[derive(Debug, Clone, Serialize)]
pub struct CardView<'a> {
    pub title: &'a str,
    pub url: String,
    pub permalink: String,
    /// RFC 3339.
    pub date: String,
    /// "3 March 2019".
    pub date_display: String,
    pub updated: String,
    pub summary: Cow<'a, str>,
    pub authors: Vec<LinkView>,
    pub topics: Vec<LinkView>,
}

/// Formats a date for readers: "3 March 2019". Every card has one, and chrono's `format`
/// parses its pattern on each call, which was a quarter of the cost of making a card.
pub fn display_date(date: &DateTime<FixedOffset>) -> String {
    let month = chrono::Month::try_from(date.month() as u8).map(|month| month.name());
    match month {
        Ok(month) if (0..=9999).contains(&date.year()) => {
            format!("{} {month} {:04}", date.day(), date.year())
        }
        _ => date.format("%-d %B %Y").to_string(),
    }
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
                    site.term_url(family, term)
                } else {
                    String::new()
                },
                count: term.articles.len(),
                suggested: false,
            }
        })
        .collect()
}

/// A link to one term with a count of its articles.
pub fn term_link(site: &SiteView, family: &TermFamily, term: &Term) -> LinkView {
    LinkView {
        name: term.name.clone(),
        url: site.term_url(family, term),
        count: term.articles.len(),
        suggested: false,
    }
}

pub fn card<'a>(site: &SiteView, archive: &'a Archive, id: ArticleId) -> Result<CardView<'a>> {
    let linked: &LinkedArticle = &archive.articles[id];
    let article = &linked.article;
    Ok(CardView {
        title: &article.title,
        url: site.url(&linked.path),
        permalink: site.permalink(&linked.path),
        date: article.date.to_rfc3339(),
        date_display: display_date(&article.date),
        updated: updated(article),
        summary: summary(archive, id)?,
        authors: term_links(
            site,
            &archive.authors,
            &linked.authors,
            site.indexes.authors,
        ),
        topics: topic_links(site, archive, linked),
    })
}

/// Another article as an article page links to it (its related articles, the newer and the
/// older one): a link, not a card. Seven of these on every page, so none of a card's author and
/// topic links are made for them.
#[derive(Debug, Serialize)]
pub struct ArticleLinkView<'a> {
    pub title: &'a str,
    pub url: String,
    /// RFC 3339.
    pub date: String,
    /// "3 March 2019".
    pub date_display: String,
    pub summary: Cow<'a, str>,
}

pub fn article_link<'a>(
    site: &SiteView,
    archive: &'a Archive,
    id: ArticleId,
) -> Result<ArticleLinkView<'a>> {
    let linked: &LinkedArticle = &archive.articles[id];
    let article = &linked.article;
    Ok(ArticleLinkView {
        title: &article.title,
        url: site.url(&linked.path),
        date: article.date.to_rfc3339(),
        date_display: display_date(&article.date),
        summary: summary(archive, id)?,
    })
}

/// An article's summary, from the article or read back (see `link::summaries`).
fn summary(archive: &Archive, id: ArticleId) -> Result<Cow<'_, str>> {
    let article = &archive.articles[id].article;
    archive.summaries.of(id, article).with_context(|| {
        format!(
            "cannot read the summary of {} back from its temporary file",
            article.source.path.display()
        )
    })
}

/// When an article last changed, for feeds: its update, else its publication.
pub fn updated(article: &crate::extract::Article) -> String {
    article.updated.unwrap_or(article.date).to_rfc3339()
}

/// An article's topics, the ones gazette suggests marked as such.
fn topic_links(site: &SiteView, archive: &Archive, linked: &LinkedArticle) -> Vec<LinkView> {
    let mut links = term_links(site, &archive.topics, &linked.topics, site.indexes.topics);
    for (link, topic) in links.iter_mut().zip(&linked.topics) {
        link.suggested = linked
            .topic_marks
            .iter()
            .any(|mark| mark.topic == *topic && !mark.source.is_chosen());
    }
    links
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_read_as_chrono_writes_them() {
        for text in [
            "2019-03-03T10:00:00+00:00",
            "2024-12-31T23:59:59-05:00",
            "0999-01-09T00:00:00+00:00",
        ] {
            let date = DateTime::parse_from_rfc3339(text).expect("a valid date");
            assert_eq!(
                display_date(&date),
                date.format("%-d %B %Y").to_string(),
                "{text}"
            );
        }
        let date = DateTime::parse_from_rfc3339("2019-03-03T10:00:00+00:00").expect("a date");
        assert_eq!(display_date(&date), "3 March 2019");
    }
}
