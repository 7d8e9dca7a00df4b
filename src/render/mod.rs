//! Render: every page of the site from the linked archive. Pages are listed first as small
//! `Page` values, then rendered and written in parallel; each page builds only the view it
//! needs from the shared, read-only archive, so no large context is ever cloned.

mod card_store;
pub mod markdown;
pub mod templates;
pub mod views;

use std::borrow::Cow;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use anyhow::{Context as _, Result};
use rayon::prelude::*;
use serde::Serialize;
use tera::{Context, Tera, Value};

use crate::config::SiteConfig;
use crate::link::{Archive, ArticleId, LinkedArticle, Month, Term, TermFamily, TermId, Year};
use crate::load::Body;
use crate::search;
use crate::write::Staging;
use card_store::Cards;
use views::{
    article_link, card, display_date, page_path, pager, term_link, term_links, ArticleLinkView,
    LinkView, SiteView,
};

/// URLs per sitemap file, the limit the sitemaps protocol sets.
const SITEMAP_LIMIT: usize = 50_000;
/// The folder of the index of a family sorted by article count (`people/by-articles/`).
pub const BY_COUNT: &str = "by-articles";
/// Bytes of rendered listing cards kept in memory: all of them up to about 45,000 articles.
/// Older articles' cards are kept in a temporary file. At 100,000 articles this budget took
/// about half a second more than all cards in memory, for 80 MB less peak memory (690 MB
/// against 770 MB).
const CARDS_IN_MEMORY: usize = 32 << 20;
/// How many of the newest articles keep their feed entry once rendered: about 1 kB each.
const KEPT_FEED_ENTRIES: usize = 1 << 16;
/// Terms shown on the home page per family.
const HOME_TERMS: usize = 12;

/// Which family of terms a page belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    Topics,
    People,
    Authors,
}

impl Family {
    const ALL: [Family; 3] = [Family::Topics, Family::People, Family::Authors];

    fn of(self, archive: &Archive) -> &TermFamily {
        match self {
            Family::Topics => &archive.topics,
            Family::People => &archive.people,
            Family::Authors => &archive.authors,
        }
    }

    fn enabled(self, config: &SiteConfig) -> bool {
        match self {
            Family::Topics => config.indexes.topics,
            Family::People => config.indexes.people,
            Family::Authors => config.indexes.authors,
        }
    }

    /// The singular word templates switch on (`topic`, `person`, `author`).
    fn kind(self) -> &'static str {
        match self {
            Family::Topics => "topic",
            Family::People => "person",
            Family::Authors => "author",
        }
    }

    fn heading(self) -> &'static str {
        match self {
            Family::Topics => "Topics",
            Family::People => "People",
            Family::Authors => "Authors",
        }
    }
}

/// One file of the output.
#[derive(Debug, Clone, Copy)]
enum Page {
    Home {
        page: usize,
    },
    Article(ArticleId),
    TermIndex(Family),
    TermIndexByCount(Family),
    Term {
        family: Family,
        term: TermId,
        page: usize,
    },
    TermFeed {
        family: Family,
        term: TermId,
    },
    Archive,
    Year {
        year: usize,
        page: usize,
    },
    Month {
        year: usize,
        month: usize,
        page: usize,
    },
    SiteFeed,
    Sitemap {
        part: usize,
    },
    SitemapIndex {
        parts: usize,
    },
    Robots,
    NotFound,
    Search,
}

/// Renders and writes every page.
pub fn render_site(
    archive: &Archive,
    config: &SiteConfig,
    tera: &Tera,
    staging: &Staging,
    on_page_done: impl Fn() + Sync,
) -> Result<()> {
    let mut renderer = Renderer::new(archive, config, tera);
    renderer.cards = Cards::render(archive.articles.len(), CARDS_IN_MEMORY, |id| {
        renderer.render_card(id)
    })?;
    let pages = renderer.list_pages();
    pages.par_iter().try_for_each(|page| {
        let (path, text) = renderer.render(*page)?;
        staging.write(&path, text.as_bytes())?;
        on_page_done();
        Ok::<(), anyhow::Error>(())
    })
}

/// One article's page, without the rest of the site: its output path and text.
pub fn render_article_page(
    archive: &Archive,
    config: &SiteConfig,
    tera: &Tera,
    id: ArticleId,
) -> Result<(String, String)> {
    Renderer::new(archive, config, tera).article(id)
}

/// How many pages a render of this archive writes, for the progress bar.
pub fn count_pages(archive: &Archive, config: &SiteConfig, tera: &Tera) -> usize {
    Renderer::new(archive, config, tera).list_pages().len()
}

/// A term's listing parts that are the same on each of its pages, rendered.
struct TermParts {
    timeline: String,
    aside: String,
}

/// A term's parts while its pages are rendered, and how many of its pages are still to come.
struct KeptParts {
    parts: Mutex<Option<Arc<TermParts>>>,
    pages_left: AtomicUsize,
}

struct Renderer<'a> {
    archive: &'a Archive,
    config: &'a SiteConfig,
    tera: &'a Tera,
    site: SiteView,
    /// `site` as a template value, made once: every page's context shares it, where inserting
    /// `site` itself converted it again for each page.
    site_value: Value,
    /// Articles' listing cards, rendered once from `card.html` and reused on every listing
    /// page that shows them.
    cards: Cards,
    /// Each term's chart and sidebar, by family and term: rendered on the first of its pages
    /// and reused on the others (a topic of 20,000 articles has 1,000 pages), then freed
    /// after its last page. Terms of one page render theirs for it alone.
    term_parts: [Vec<KeptParts>; 3],
    /// Each family's top terms on the home pages, by family.
    top_terms: [OnceLock<Vec<LinkView>>; 3],
    /// Articles' Atom feed entries, by article id: rendered from `feed_entry.xml` for the
    /// first feed that lists the article and reused by the others (the site's, and each of
    /// its topics', people's and author's), for the newest `KEPT_FEED_ENTRIES` articles.
    feed_entries: Vec<OnceLock<String>>,
}

impl<'a> Renderer<'a> {
    fn new(archive: &'a Archive, config: &'a SiteConfig, tera: &'a Tera) -> Renderer<'a> {
        let site = SiteView::new(config);
        Renderer {
            archive,
            config,
            tera,
            site_value: Value::from_serializable(&site),
            site,
            cards: Cards::none(),
            feed_entries: (0..archive.articles.len().min(KEPT_FEED_ENTRIES))
                .map(|_| OnceLock::new())
                .collect(),
            term_parts: Family::ALL.map(|family| {
                family
                    .of(archive)
                    .terms
                    .iter()
                    .map(|term| KeptParts {
                        parts: Mutex::new(None),
                        pages_left: AtomicUsize::new(page_count(
                            term.articles.len(),
                            config.paginate_by,
                        )),
                    })
                    .collect()
            }),
            top_terms: Default::default(),
        }
    }

    fn render_card(&self, id: ArticleId) -> Result<String> {
        let mut context = self.context();
        context.insert("article", &card(&self.site, self.archive, id)?);
        self.fill("card.html", &context)
    }

    /// The rendered cards of some articles, for a listing page: kept ones, or rendered again.
    fn cards_of(&self, ids: &[ArticleId]) -> Result<Vec<Cow<'_, str>>> {
        ids.iter()
            .map(|&id| match self.cards.get(id) {
                Some(card) => Ok(card),
                None => self.render_card(id).map(Cow::Owned),
            })
            .collect()
    }

    fn page_count(&self, articles: usize) -> usize {
        page_count(articles, self.config.paginate_by)
    }

    fn list_pages(&self) -> Vec<Page> {
        let archive = self.archive;
        let mut pages = Vec::new();
        pages.extend((1..=self.page_count(archive.articles.len())).map(|page| Page::Home { page }));
        pages.extend((0..archive.articles.len()).map(Page::Article));
        for family in Family::ALL
            .into_iter()
            .filter(|family| family.enabled(self.config))
        {
            pages.push(Page::TermIndex(family));
            pages.push(Page::TermIndexByCount(family));
            for (term, entry) in family.of(archive).terms.iter().enumerate() {
                pages.push(Page::TermFeed { family, term });
                pages.extend(
                    (1..=self.page_count(entry.articles.len())).map(|page| Page::Term {
                        family,
                        term,
                        page,
                    }),
                );
            }
        }
        if self.config.indexes.dates {
            pages.push(Page::Archive);
            for (year, entry) in archive.years.iter().enumerate() {
                pages.extend(
                    (1..=self.page_count(entry.articles.len()))
                        .map(|page| Page::Year { year, page }),
                );
                for (month, month_entry) in entry.months.iter().enumerate() {
                    pages.extend(
                        (1..=self.page_count(month_entry.articles.len())).map(|page| Page::Month {
                            year,
                            month,
                            page,
                        }),
                    );
                }
            }
        }
        let sitemap_urls = self.sitemap_pages().count();
        let parts = sitemap_urls.div_ceil(SITEMAP_LIMIT).max(1);
        if parts == 1 {
            pages.push(Page::Sitemap { part: 0 });
        } else {
            pages.extend((0..parts).map(|part| Page::Sitemap { part }));
            pages.push(Page::SitemapIndex { parts });
        }
        pages.extend([Page::SiteFeed, Page::Robots, Page::NotFound]);
        if self.config.search {
            pages.push(Page::Search);
        }
        pages
    }

    /// Renders one page to its output path and text.
    fn render(&self, page: Page) -> Result<(String, String)> {
        match page {
            Page::Home { page } => self.home(page),
            Page::Article(id) => self.article(id),
            Page::TermIndex(family) => self.term_index(family, false),
            Page::TermIndexByCount(family) => self.term_index(family, true),
            Page::Term { family, term, page } => self.term_page(family, term, page),
            Page::TermFeed { family, term } => {
                let family_terms = family.of(self.archive);
                let entry = &family_terms.terms[term];
                let path = family_terms.term_path(entry);
                let title = format!("{} — {}", entry.name, self.config.title);
                Ok((
                    format!("{path}atom.xml"),
                    self.feed(&title, &path, &entry.articles)?,
                ))
            }
            Page::Archive => self.archive_overview(),
            Page::Year { year, page } => {
                let entry = &self.archive.years[year];
                let heading = entry.year.to_string();
                self.listing(
                    "year",
                    &heading,
                    &entry.path(),
                    &entry.articles,
                    page,
                    Context::new(),
                )
            }
            Page::Month { year, month, page } => {
                let year_entry = &self.archive.years[year];
                let entry = &year_entry.months[month];
                let heading = month_name(year_entry.year, entry.month);
                let mut extra = Context::new();
                extra.insert(
                    "year",
                    &LinkView {
                        name: year_entry.year.to_string(),
                        url: self.site.url(&year_entry.path()),
                        count: year_entry.articles.len(),
                        suggested: false,
                    },
                );
                self.listing(
                    "month",
                    &heading,
                    &entry.path(year_entry.year),
                    &entry.articles,
                    page,
                    extra,
                )
            }
            Page::SiteFeed => {
                let all: Vec<ArticleId> = (0..self.archive.articles.len()).collect();
                Ok(("atom.xml".into(), self.feed(&self.config.title, "", &all)?))
            }
            Page::Sitemap { part } => self.sitemap(part),
            Page::SitemapIndex { parts } => {
                let mut context = self.context();
                let urls: Vec<String> = (0..parts)
                    .map(|part| self.site.permalink(&sitemap_name(part, parts)))
                    .collect();
                context.insert("sitemaps", &urls);
                Ok((
                    "sitemap.xml".into(),
                    self.fill("sitemap_index.xml", &context)?,
                ))
            }
            Page::Robots => Ok((
                "robots.txt".into(),
                self.fill("robots.txt", &self.context())?,
            )),
            Page::NotFound => Ok(("404.html".into(), self.fill("404.html", &self.context())?)),
            Page::Search => {
                let mut context = self.context();
                let shards = search::Shards::of(self.archive.articles.len(), self.config);
                let more: Vec<String> = (1..shards.count)
                    .map(|index| self.site.url(&search::Shards::folder(index)))
                    .collect();
                context.insert("search_shards", &more);
                context.insert("search_shard_size", &shards.size);
                Ok((
                    "search/index.html".into(),
                    self.fill("search.html", &context)?,
                ))
            }
        }
    }

    fn context(&self) -> Context {
        let mut context = Context::new();
        context.insert_value("site", self.site_value.clone());
        context
    }

    fn fill(&self, template: &str, context: &Context) -> Result<String> {
        self.tera
            .render(template, context)
            .map_err(|error| anyhow::anyhow!("{}", templates::chain(&error)))
            .with_context(|| format!("template {template} failed"))
    }

    /// A family's terms with the most articles, for the home pages: found on the first home
    /// page and kept (a million articles make 50,000 home pages and 95,000 people to sort).
    fn top_terms(&self, family: Family) -> &[LinkView] {
        self.top_terms[family as usize].get_or_init(|| {
            if !family.enabled(self.config) {
                return Vec::new();
            }
            let terms = family.of(self.archive);
            let ids: Vec<TermId> = terms
                .by_article_count()
                .into_iter()
                .take(HOME_TERMS)
                .collect();
            term_links(&self.site, terms, &ids, true)
        })
    }

    fn home(&self, page: usize) -> Result<(String, String)> {
        // Home pages list every article, newest first: ids in order, so no list of them all.
        let ids: Vec<ArticleId> =
            page_range(self.archive.articles.len(), page, self.config.paginate_by).collect();
        let mut context = self.context();
        context.insert("cards", &self.cards_of(&ids)?);
        context.insert(
            "pager",
            &pager(
                &self.site,
                "",
                page,
                self.page_count(self.archive.articles.len()),
            ),
        );
        context.insert("top_topics", self.top_terms(Family::Topics));
        context.insert("top_people", self.top_terms(Family::People));
        context.insert("top_authors", self.top_terms(Family::Authors));
        context.insert("article_count", &self.archive.articles.len());
        Ok((
            format!("{}index.html", page_path("", page)),
            self.fill("home.html", &context)?,
        ))
    }

    fn article(&self, id: ArticleId) -> Result<(String, String)> {
        let linked = &self.archive.articles[id];
        let article = &linked.article;
        let links = self.person_links(linked);
        let body_html = match &article.body {
            Body::Markdown { start, end, .. } => markdown::markdown_to_html(
                &article.source.part(*start, *end)?,
                *start,
                &links,
                self.config.raw_html,
            ),
            Body::Plain(paragraphs) => markdown::paragraphs_to_html(paragraphs, &links),
        };
        let indexes = &self.config.indexes;
        let extras = article.extras.as_deref();
        let view = ArticleView {
            card: card(&self.site, self.archive, id)?,
            body_html,
            people: term_links(
                &self.site,
                &self.archive.people,
                &linked.people,
                indexes.people,
            ),
            updated_display: article.updated.as_ref().map(display_date),
            date_source: article.date_source.as_str(),
            image: extras
                .and_then(|extras| extras.image.clone())
                .filter(|url| markdown::is_safe_url(url)),
            source_url: extras
                .and_then(|extras| extras.source_url.clone())
                .filter(|url| markdown::is_safe_url(url)),
            extra: extras.map_or(&NO_EXTRA, |extras| &extras.extra),
        };
        let mut context = self.context();
        context.insert("article", &view);
        let link = |other: ArticleId| article_link(&self.site, self.archive, other);
        let related: Vec<ArticleLinkView> = linked
            .related
            .iter()
            .map(|&other| link(other))
            .collect::<Result<_>>()?;
        context.insert("related", &related);
        // Newest first: the next article in time is the one before this in the list.
        context.insert("newer", &id.checked_sub(1).map(link).transpose()?);
        context.insert(
            "older",
            &(id + 1 < self.archive.articles.len())
                .then(|| link(id + 1))
                .transpose()?,
        );
        Ok((
            format!("{}index.html", linked.path),
            self.fill("article.html", &context)?,
        ))
    }

    /// The first mention in the body of each person with a page, linked to that page.
    fn person_links(&self, linked: &LinkedArticle) -> Vec<markdown::InlineLink> {
        if !self.config.indexes.people {
            return Vec::new();
        }
        let (body_start, body_end) = match &linked.article.body {
            Body::Markdown { start, end, .. } => (*start, *end),
            Body::Plain(paragraphs) => (
                paragraphs.first().map_or(0, |paragraph| paragraph.start),
                paragraphs.last().map_or(0, |paragraph| paragraph.end),
            ),
        };
        let people = &self.archive.people;
        // Every mention in the body is a candidate; the body renderer links each person once,
        // at the first mention that can carry a link (not one inside an image's alt text).
        let mut links: Vec<markdown::InlineLink> = linked
            .article
            .people
            .iter()
            .filter_map(|person| Some((person, people.find(&person.name)?)))
            .flat_map(|(person, term)| {
                let url = self.site.term_url(people, &people.terms[term]);
                person
                    .mentions
                    .iter()
                    .filter(|mention| mention.start >= body_start && mention.end <= body_end)
                    .map(move |mention| markdown::InlineLink {
                        start: mention.start,
                        end: mention.end,
                        url: url.clone(),
                    })
            })
            .collect();
        links.sort_by_key(|link| link.start);
        links
    }

    fn term_index(&self, family: Family, by_count: bool) -> Result<(String, String)> {
        let terms = family.of(self.archive);
        let order: Vec<TermId> = if by_count {
            terms.by_article_count()
        } else {
            (0..terms.terms.len()).collect()
        };
        let links: Vec<LinkView> = order
            .iter()
            .map(|&id| term_link(&self.site, terms, &terms.terms[id]))
            .collect();
        let mut context = self.context();
        context.insert("kind", family.kind());
        context.insert("heading", family.heading());
        context.insert("by_count", &by_count);
        context.insert("by_name_url", &self.site.url(&format!("{}/", terms.folder)));
        context.insert(
            "by_count_url",
            &self.site.url(&format!("{}/{BY_COUNT}/", terms.folder)),
        );
        if by_count {
            context.insert("terms", &links);
        } else {
            context.insert("groups", &letter_groups(links));
        }
        let path = if by_count {
            format!("{}/{BY_COUNT}/index.html", terms.folder)
        } else {
            format!("{}/index.html", terms.folder)
        };
        Ok((path, self.fill("terms.html", &context)?))
    }

    fn term_page(&self, family: Family, term: TermId, page: usize) -> Result<(String, String)> {
        let terms = family.of(self.archive);
        let entry = &terms.terms[term];
        let base = terms.term_path(entry);
        let mut extra = Context::new();
        extra.insert("term", &term_link(&self.site, terms, entry));
        extra.insert("bio", &entry.bio);
        extra.insert(
            "image",
            &entry
                .image
                .as_ref()
                .filter(|url| markdown::is_safe_url(url)),
        );
        let parts = self.term_parts(family, term)?;
        extra.insert("timeline_html", &parts.timeline);
        extra.insert("aside_html", &parts.aside);
        let dated = |id: Option<&ArticleId>| {
            id.map(|&id| display_date(&self.archive.articles[id].article.date))
        };
        extra.insert("first_date", &dated(entry.articles.last()));
        extra.insert("last_date", &dated(entry.articles.first()));
        extra.insert("feed_url", &self.site.url(&format!("{base}atom.xml")));
        extra.insert("index_url", &self.site.url(&format!("{}/", terms.folder)));
        extra.insert("family_heading", family.heading());
        self.listing(
            family.kind(),
            &entry.name,
            &base,
            &entry.articles,
            page,
            extra,
        )
    }

    /// A term's chart and sidebar for one of its pages: kept from its first page rendered to
    /// its last, so that a million articles' 115,000 terms do not all hold theirs (5 kB each)
    /// to the end of the build. A term's pages are next to each other in the list of pages,
    /// so its parts are kept for a short while.
    fn term_parts(&self, family: Family, term: TermId) -> Result<Arc<TermParts>> {
        let kept = &self.term_parts[family as usize][term];
        let parts = {
            let mut held = kept
                .parts
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            match &*held {
                Some(parts) => Arc::clone(parts),
                None => {
                    // Rendered with the lock held: the term's other pages wait for the parts
                    // rather than render them too.
                    let parts = Arc::new(self.render_term_parts(family, term)?);
                    *held = Some(Arc::clone(&parts));
                    parts
                }
            }
        };
        if kept.pages_left.fetch_sub(1, Ordering::AcqRel) == 1 {
            *kept
                .parts
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner()) = None;
        }
        Ok(parts)
    }

    /// A term's articles-per-year chart and its sidebar of related terms, the parts of its
    /// listing pages that are the same on each.
    fn render_term_parts(&self, family: Family, term: TermId) -> Result<TermParts> {
        let terms = family.of(self.archive);
        let entry = &terms.terms[term];
        let links = |family: &TermFamily, shared: &[(TermId, usize)]| -> Vec<LinkView> {
            shared
                .iter()
                .map(|&(other, count)| LinkView {
                    name: family.terms[other].name.clone(),
                    url: self.site.term_url(family, &family.terms[other]),
                    count,
                    suggested: false,
                })
                .collect()
        };
        let (cross_family, cross) = match family {
            Family::Topics => (Family::People, &entry.people_with),
            Family::People | Family::Authors => (Family::Topics, &entry.topics_with),
        };
        let cross_links = if cross_family.enabled(self.config) {
            links(cross_family.of(self.archive), cross)
        } else {
            Vec::new()
        };
        let mut context = self.context();
        context.insert("kind", family.kind());
        context.insert("timeline", &views::timeline(self.archive, &entry.articles));
        context.insert("companions", &links(terms, &entry.companions));
        context.insert("cross", &cross_links);
        context.insert("cross_kind", cross_family.kind());
        // Without the line breaks around the templates' text: the page places each part.
        Ok(TermParts {
            timeline: self.fill("timeline.html", &context)?.trim().to_owned(),
            aside: self.fill("term_aside.html", &context)?.trim().to_owned(),
        })
    }

    /// A paginated list of articles with a heading; `extra` adds kind-specific values.
    fn listing(
        &self,
        kind: &str,
        heading: &str,
        base: &str,
        ids: &[ArticleId],
        page: usize,
        extra: Context,
    ) -> Result<(String, String)> {
        let mut context = self.context();
        context.extend(extra);
        context.insert("kind", kind);
        context.insert("heading", heading);
        context.insert("count", &ids.len());
        context.insert(
            "cards",
            &self.cards_of(&page_slice(ids, page, self.config.paginate_by))?,
        );
        context.insert(
            "pager",
            &pager(&self.site, base, page, self.page_count(ids.len())),
        );
        Ok((
            format!("{}index.html", page_path(base, page)),
            self.fill("list.html", &context)?,
        ))
    }

    fn archive_overview(&self) -> Result<(String, String)> {
        let years: Vec<YearView> = self
            .archive
            .years
            .iter()
            .map(|year| YearView {
                name: year.year.to_string(),
                url: self.site.url(&year.path()),
                count: year.articles.len(),
                months: year
                    .months
                    .iter()
                    .map(|month| LinkView {
                        name: month_name(year.year, month.month),
                        url: self.site.url(&month.path(year.year)),
                        count: month.articles.len(),
                        suggested: false,
                    })
                    .collect(),
            })
            .collect();
        let mut context = self.context();
        context.insert("years", &years);
        Ok((
            "archive/index.html".into(),
            self.fill("archive.html", &context)?,
        ))
    }

    fn feed(&self, title: &str, path: &str, ids: &[ArticleId]) -> Result<String> {
        let newest = &ids[..ids.len().min(self.config.feed_size)];
        let mut context = self.context();
        context.insert("feed_title", title);
        context.insert("feed_url", &self.site.permalink(&format!("{path}atom.xml")));
        context.insert("page_url", &self.site.permalink(path));
        context.insert(
            "updated",
            &newest.first().map_or_else(
                || "1970-01-01T00:00:00+00:00".to_string(),
                |&id| views::updated(&self.archive.articles[id].article),
            ),
        );
        context.insert("entries", &self.feed_entries(newest)?);
        self.fill("atom.xml", &context)
    }

    /// The rendered feed entries of some articles: kept ones, or rendered now (and kept, for
    /// the newest articles).
    fn feed_entries(&self, ids: &[ArticleId]) -> Result<Vec<Cow<'_, str>>> {
        ids.iter()
            .map(|&id| {
                let Some(kept) = self.feed_entries.get(id) else {
                    return self.render_feed_entry(id).map(Cow::Owned);
                };
                let entry = match kept.get() {
                    Some(entry) => entry,
                    None => {
                        let rendered = self.render_feed_entry(id)?;
                        kept.get_or_init(|| rendered)
                    }
                };
                Ok(Cow::Borrowed(entry.as_str()))
            })
            .collect()
    }

    fn render_feed_entry(&self, id: ArticleId) -> Result<String> {
        let mut context = self.context();
        context.insert("article", &card(&self.site, self.archive, id)?);
        let entry = self.fill("feed_entry.xml", &context)?;
        // Without the line breaks around the template's text: the feed places each entry on a
        // line of its own.
        Ok(entry.trim().to_owned())
    }

    /// Every HTML page a search engine should know, in sitemap order. An archive of a million
    /// articles has twenty-odd sitemap files: each takes its part of this list, and only
    /// those entries become text.
    fn sitemap_pages(&self) -> impl Iterator<Item = SitemapPage<'a>> + 'a {
        let archive = self.archive;
        let config = self.config;
        let families = Family::ALL
            .into_iter()
            .filter(move |family| family.enabled(config))
            .flat_map(move |family| {
                let terms = family.of(archive);
                [SitemapPage::Fixed(format!("{}/", terms.folder))]
                    .into_iter()
                    .chain([SitemapPage::Fixed(format!("{}/{BY_COUNT}/", terms.folder))])
                    .chain(
                        terms
                            .terms
                            .iter()
                            .map(move |term| SitemapPage::Term(terms, term)),
                    )
            });
        let dates = config.indexes.dates.then(|| {
            [SitemapPage::Fixed("archive/".into())].into_iter().chain(
                archive.years.iter().flat_map(|year| {
                    [SitemapPage::Year(year)].into_iter().chain(
                        year.months
                            .iter()
                            .map(move |month| SitemapPage::Month(year, month)),
                    )
                }),
            )
        });
        [SitemapPage::Fixed(String::new())]
            .into_iter()
            .chain(archive.articles.iter().map(SitemapPage::Article))
            .chain(families)
            .chain(dates.into_iter().flatten())
            .chain(config.search.then(|| SitemapPage::Fixed("search/".into())))
    }

    fn sitemap(&self, part: usize) -> Result<(String, String)> {
        let parts = self.sitemap_pages().count().div_ceil(SITEMAP_LIMIT).max(1);
        let entries: Vec<SitemapEntry> = self
            .sitemap_pages()
            .skip(part * SITEMAP_LIMIT)
            .take(SITEMAP_LIMIT)
            .map(|page| SitemapEntry {
                loc: self.site.permalink(&page.path()),
                lastmod: page.last_change(),
            })
            .collect();
        let mut context = self.context();
        context.insert("entries", &entries);
        Ok((
            sitemap_name(part, parts),
            self.fill("sitemap.xml", &context)?,
        ))
    }
}

/// A page a sitemap lists.
enum SitemapPage<'a> {
    /// A page at a path of its own: home, an index, the archive, search.
    Fixed(String),
    Article(&'a LinkedArticle),
    Term(&'a TermFamily, &'a Term),
    Year(&'a Year),
    Month(&'a Year, &'a Month),
}

impl SitemapPage<'_> {
    fn path(&self) -> String {
        match self {
            SitemapPage::Fixed(path) => path.clone(),
            SitemapPage::Article(linked) => linked.path.clone(),
            SitemapPage::Term(terms, term) => terms.term_path(term),
            SitemapPage::Year(year) => year.path(),
            SitemapPage::Month(year, month) => month.path(year.year),
        }
    }

    /// When the page last changed, if known: only articles say.
    fn last_change(&self) -> Option<String> {
        match self {
            SitemapPage::Article(linked) => {
                let article = &linked.article;
                Some(article.updated.unwrap_or(article.date).to_rfc3339())
            }
            _ => None,
        }
    }
}

/// Names grouped by first letter (A-Z, then "#" for anything else), for jump links.
fn letter_groups(links: Vec<LinkView>) -> Vec<LetterGroup> {
    let mut groups: Vec<LetterGroup> = Vec::new();
    for link in links {
        let letter = deunicode::deunicode(&link.name)
            .chars()
            .find(|c| c.is_alphanumeric())
            .map(|c| c.to_ascii_uppercase())
            .filter(char::is_ascii_uppercase)
            .map_or_else(|| "#".to_string(), String::from);
        match groups.iter_mut().find(|group| group.letter == letter) {
            Some(group) => group.terms.push(link),
            None => groups.push(LetterGroup {
                letter,
                terms: vec![link],
            }),
        }
    }
    groups.sort_by(|a, b| {
        (a.letter == "#")
            .cmp(&(b.letter == "#"))
            .then_with(|| a.letter.cmp(&b.letter))
    });
    groups
}

#[derive(Serialize)]
struct LetterGroup {
    letter: String,
    terms: Vec<LinkView>,
}

fn sitemap_name(part: usize, parts: usize) -> String {
    if parts == 1 {
        "sitemap.xml".into()
    } else {
        format!("sitemap-{}.xml", part + 1)
    }
}

/// Pages of a listing of `articles`: at least one, if empty.
fn page_count(articles: usize, per_page: usize) -> usize {
    articles.div_ceil(per_page).max(1)
}

/// The ids on page `page` (1-based) of a listing.
fn page_slice(ids: &[ArticleId], page: usize, per_page: usize) -> Vec<ArticleId> {
    ids[page_range(ids.len(), page, per_page)].to_vec()
}

/// The places in a list of `len` that page `page` (from 1) shows.
fn page_range(len: usize, page: usize, per_page: usize) -> std::ops::Range<usize> {
    let first = ((page - 1) * per_page).min(len);
    first..(first + per_page).min(len)
}

fn month_name(year: i32, month: u32) -> String {
    chrono::NaiveDate::from_ymd_opt(year, month, 1)
        .map(|date| date.format("%B %Y").to_string())
        .unwrap_or_else(|| format!("{year}-{month:02}"))
}

/// The `extra` of an article whose front matter has no fields gazette does not know.
static NO_EXTRA: std::collections::BTreeMap<String, serde_json::Value> =
    std::collections::BTreeMap::new();

#[derive(Serialize)]
struct ArticleView<'a> {
    #[serde(flatten)]
    card: views::CardView<'a>,
    body_html: String,
    people: Vec<LinkView>,
    updated_display: Option<String>,
    date_source: &'static str,
    image: Option<String>,
    source_url: Option<String>,
    extra: &'a std::collections::BTreeMap<String, serde_json::Value>,
}

#[derive(Serialize)]
struct YearView {
    name: String,
    url: String,
    count: usize,
    months: Vec<LinkView>,
}

#[derive(Serialize)]
struct SitemapEntry {
    loc: String,
    lastmod: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Diagnostics;
    use crate::extract::curated::CuratedPeople;
    use crate::site::{load_and_link, load_config, BuildOptions};
    use crate::timings::Timings;

    /// Two articles whose titles need escaping, linked into an archive, with the site's
    /// configuration and templates. The folder goes away with the returned `TempDir`.
    fn two_article_archive() -> (tempfile::TempDir, Archive, SiteConfig, tera::Tera) {
        let site = tempfile::tempdir().unwrap();
        let folder = site.path().join("content/2024/05");
        std::fs::create_dir_all(&folder).unwrap();
        for (slug, day, author) in [("budget", 3, "Ana Ruiz"), ("strike", 9, "Tom Hale")] {
            let article = format!(
                "---\ntitle: \"The {slug} & its <aftermath>\"\ndate: 2024-05-{day:02}\n\
                 author: {author}\ntopics: [Economy]\nsummary: \"What the {slug} means.\"\n---\n\
                 Ministers met on Tuesday.\n"
            );
            std::fs::write(folder.join(format!("{slug}.md")), article).unwrap();
        }
        let options = BuildOptions::reading(site.path().to_path_buf(), false);
        let config = load_config(&options).unwrap();
        let tera = templates::load_templates(site.path()).unwrap();
        let (archive, _) = load_and_link(
            &site.path().join("content"),
            &config,
            &CuratedPeople::default(),
            &options,
            &Diagnostics::default(),
            &Timings::default(),
        );
        (site, archive, config, tera)
    }

    /// A listing shows the same cards whether they were kept in memory, kept in the temporary
    /// file, or not kept and rendered again.
    #[test]
    fn cards_kept_in_memory_in_the_file_or_not_at_all_are_the_same() {
        let (_site, archive, config, tera) = two_article_archive();
        let ids: Vec<ArticleId> = (0..archive.articles.len()).collect();
        assert_eq!(ids.len(), 2);
        let listed = |renderer: &Renderer| -> Vec<String> {
            let cards = renderer.cards_of(&ids).unwrap();
            cards.into_iter().map(Cow::into_owned).collect()
        };
        let mut renderer = Renderer::new(&archive, &config, &tera);
        let rendered = |renderer: &Renderer, budget| {
            Cards::render(ids.len(), budget, |id| renderer.render_card(id)).unwrap()
        };
        renderer.cards = rendered(&renderer, usize::MAX);
        assert!(matches!(renderer.cards.get(1), Some(Cow::Borrowed(_))));
        let kept = listed(&renderer);
        assert!(
            kept[0].contains("The strike &amp; its &lt;aftermath&gt;"),
            "{}",
            kept[0]
        );
        renderer.cards = rendered(&renderer, 0);
        assert!(matches!(renderer.cards.get(1), Some(Cow::Owned(_))));
        assert_eq!(listed(&renderer), kept);
        renderer.cards = Cards::none();
        assert!(renderer.cards.get(1).is_none());
        assert_eq!(listed(&renderer), kept);
    }

    /// Summaries moved to the temporary file, as a large archive's are, make the same pages,
    /// cards and feed entries as summaries left in the articles.
    #[test]
    fn summaries_read_back_from_the_file_make_the_same_pages() {
        let (_site, mut archive, config, tera) = two_article_archive();
        let pages = |archive: &Archive| -> Vec<String> {
            let renderer = Renderer::new(archive, &config, &tera);
            (0..archive.articles.len())
                .flat_map(|id| {
                    [
                        renderer.article(id).unwrap().1,
                        renderer.render_card(id).unwrap(),
                        renderer.render_feed_entry(id).unwrap(),
                    ]
                })
                .collect()
        };
        let kept = pages(&archive);
        assert!(kept[0].contains("What the strike means."), "{}", kept[0]);
        archive.summaries = crate::link::summaries::Summaries::move_out(&mut archive.articles);
        assert!(archive
            .articles
            .iter()
            .all(|l| l.article.summary.is_empty()));
        assert_eq!(pages(&archive), kept);
    }
}
