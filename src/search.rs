//! Search: a Pagefind index of every article, written into the output as `pagefind/`, for the
//! search page of the theme. Articles go in as Pagefind custom records built from the archive
//! model (title and body text, with filters for topic, person, author and year, and a date to
//! sort by) rather than by parsing the rendered HTML again, which would cost a second full pass
//! over every page.
//!
//! Pagefind holds a whole index in memory until it writes it, so a large archive is indexed in
//! shards of consecutive articles: the newest in `pagefind/`, older ones in `pagefind/shard-2/`,
//! `pagefind/shard-3/` ... The search page merges them in the browser (Pagefind's
//! `mergeIndex`), and memory stays that of as many shards as the build has threads, whatever
//! the archive's size.
//!
//! A shard whose records are the same as in the previous build into the same output is taken
//! from there as it is: after an edit, only the edited article's shard is indexed again.

use std::collections::BTreeMap;
use std::hash::{Hash, Hasher};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};

use anyhow::{Context, Result};
use chrono::Datelike;
use pagefind::api::PagefindIndex;
use pagefind::options::PagefindServiceConfig;
use pulldown_cmark::{Event, Parser, TagEnd};

use crate::config::SiteConfig;
use crate::diagnostics::Diagnostics;
use crate::link::{Archive, LinkedArticle, TermFamily};
use crate::load::{Body, SourceFile};
use crate::render::markdown::{escape_html, escape_text};
use crate::write::Staging;

/// The folder of the search bundle in the output; the theme's search page loads it from there.
pub const BUNDLE_FOLDER: &str = "pagefind";

/// Pagefind holds every article's words and positions in memory until it writes the index:
/// about 0.4 MB per article of 700 words, measured (2,500 generated articles: 1.0 GB).
const MEMORY_PER_ARTICLE_MB: f64 = 0.4;
/// Most shards before shards grow instead. The search page orders "newest first" across shards
/// by weighting each shard's scores (positions in date order) by `(shard size + 1)^-k`, which a
/// browser's doubles hold for about 70 shards of 20,000.
const MOST_SHARDS: usize = 60;
/// Above this many articles the build says how much memory indexing needs.
const LARGE_ARCHIVE: usize = 20_000;
/// A sort value below every article's date (`0000-01-01T...` at the earliest).
const BEFORE_ALL_DATES: &str = "0000-00-00T00:00:00";

/// How the articles are split for indexing: shards of `size` consecutive articles (the
/// `search_shard_articles` setting, more when an archive would need over `MOST_SHARDS`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shards {
    pub size: usize,
    pub count: usize,
}

impl Shards {
    pub fn of(articles: usize, config: &SiteConfig) -> Shards {
        let size = config
            .search_shard_articles
            .max(articles.div_ceil(MOST_SHARDS));
        Shards {
            size,
            count: articles.div_ceil(size).max(1),
        }
    }

    /// The folder of shard `index` (0 is the newest) in the output.
    pub fn folder(index: usize) -> String {
        if index == 0 {
            format!("{BUNDLE_FOLDER}/")
        } else {
            format!("{BUNDLE_FOLDER}/shard-{}/", index + 1)
        }
    }
}

/// Warns, on `site.yaml`, when indexing this archive for search will need gigabytes of memory,
/// so that whoever runs the build can turn search off before the machine runs out.
pub fn warn_if_large(
    archive: &Archive,
    config: &SiteConfig,
    site_dir: &Path,
    diagnostics: &Diagnostics,
) {
    let articles = archive.articles.len();
    if articles > LARGE_ARCHIVE {
        let shards = Shards::of(articles, config);
        let at_once = rayon::current_num_threads().min(shards.count);
        diagnostics.warning(
            &site_dir.join(crate::config::SITE_FILE),
            "large search index",
            format!(
                "indexing {articles} articles for search takes {} shards of up to {} articles, {at_once} at a time, which needs about {:.1} GB of memory; set `search_shard_articles` lower or `search: false` to build without it",
                shards.count,
                shards.size,
                (at_once * shards.size) as f64 * MEMORY_PER_ARTICLE_MB / 1000.0
            ),
        );
    }
}

/// The file in each shard's folder that says what the shard was indexed from (a hash of its
/// records and of the indexer) and which files it has, so that the next build takes a shard
/// whose records are unchanged as it is instead of indexing it again.
const SHARD_RECORD: &str = ".gazette-shard";

/// One article as Pagefind takes it.
#[derive(Hash)]
struct Record {
    url: String,
    content: String,
    meta: BTreeMap<String, String>,
    filters: BTreeMap<String, Vec<String>>,
    sort: BTreeMap<String, String>,
}

/// Indexes every article and writes the Pagefind bundles (index, fragments, the search UI's
/// scripts and styles) into the output, shard by shard.
pub fn write_search_index(archive: &Archive, config: &SiteConfig, staging: &Staging) -> Result<()> {
    if archive.articles.is_empty() {
        // Pagefind refuses to build an empty index; the search page then finds nothing.
        return Ok(());
    }
    let shards = Shards::of(archive.articles.len(), config);
    let chunks: Vec<&[LinkedArticle]> = archive.articles.chunks(shards.size).collect();
    // Shards are independent, so they are indexed side by side on as many threads as rayon
    // has (each shard holds its whole index in memory until it is written). These are threads
    // of their own, not rayon's: Pagefind uses rayon inside, and would wait forever on a pool
    // whose every thread was waiting for it.
    let next = AtomicUsize::new(0);
    let index_shards = || -> Result<()> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .context("cannot start the search indexer")?;
        loop {
            let index = next.fetch_add(1, Ordering::Relaxed);
            let Some(articles) = chunks.get(index) else {
                return Ok(());
            };
            let records: Vec<Record> = articles
                .iter()
                .map(|linked| record(archive, linked))
                .collect::<Result<_>>()?;
            let folder = Shards::folder(index);
            let key = shard_key(&records, index == 0, &config.language);
            if keep_unchanged_shard(staging, &folder, &key)? {
                continue;
            }
            let records = records.into_iter().map(Ok);
            let files = runtime.block_on(index_on_runtime(records, &config.language))?;
            let mut names = Vec::new();
            for file in files
                .iter()
                .filter(|file| index == 0 || is_index_data(file))
            {
                let relative = format!("{folder}{}", file.filename.to_string_lossy());
                staging.write(&relative, &file.contents)?;
                names.push(relative);
            }
            // Sorted: Pagefind lists its files in no fixed order.
            names.sort_unstable();
            let shard_record = format!("{key}\n{}\n", names.join("\n"));
            staging.write(&format!("{folder}{SHARD_RECORD}"), shard_record.as_bytes())?;
        }
    };
    // The build may itself run inside `gazette serve`'s tokio runtime, where a second runtime
    // cannot start on the same thread: another reason for threads of their own.
    let threads = rayon::current_num_threads().clamp(1, chunks.len());
    std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads).map(|_| scope.spawn(index_shards)).collect();
        workers.into_iter().try_for_each(|worker| {
            worker
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
        })
    })
}

/// What a shard's files are made from: its records, whether it carries the search UI, the
/// language, and the indexer (the gazette binary, Pagefind inside it).
fn shard_key(records: &[Record], with_ui: bool, language: &str) -> String {
    let mut hasher = std::hash::DefaultHasher::new();
    crate::fingerprint::binary_stamp().hash(&mut hasher);
    (records, with_ui, language).hash(&mut hasher);
    format!("{:016x}", hasher.finish())
}

/// Takes the previous build's files of a shard when they were indexed from the same records;
/// `false` when the shard must be indexed.
fn keep_unchanged_shard(staging: &Staging, folder: &str, key: &str) -> Result<bool> {
    let record_path = format!("{folder}{SHARD_RECORD}");
    let Some(previous) = staging.previous_text(&record_path) else {
        return Ok(false);
    };
    let mut lines = previous.lines();
    if lines.next() != Some(key) {
        return Ok(false);
    }
    let mut files: Vec<&str> = lines.collect();
    files.push(&record_path);
    staging.keep_previous(&files)
}

/// Whether a bundle file is part of the index rather than of the search UI. The UI's scripts
/// and styles load from the first bundle only; a merged shard is read for its entry, metadata,
/// index, filter and fragment files (and its wasm, should its version differ).
fn is_index_data(file: &pagefind::api::SyntheticFile) -> bool {
    let name = file.filename.to_string_lossy();
    !(name.ends_with(".js") || name.ends_with(".css"))
}

/// Builds one Pagefind index of the records.
async fn index_on_runtime(
    records: impl Iterator<Item = Result<Record>>,
    language: &str,
) -> Result<Vec<pagefind::api::SyntheticFile>> {
    let options = PagefindServiceConfig::builder()
        .force_language(language.to_string())
        .build();
    let mut index = PagefindIndex::new(Some(options)).context("cannot set up Pagefind")?;
    for record in std::iter::once(Ok(sort_anchor())).chain(records) {
        let record = record?;
        let url = record.url.clone();
        index
            .add_custom_record(
                record.url,
                record.content,
                language.to_string(),
                Some(record.meta),
                Some(record.filters),
                Some(record.sort),
            )
            .await
            .with_context(|| format!("cannot index {url} for search"))?;
    }
    index
        .get_files()
        .await
        .context("cannot build the search index")
}

/// A record without words, filters or title, sorted before every article. Pagefind scores a
/// sorted result by its position in the index's date order, so the oldest article of a shard
/// would score 0, and no weight could then rank it above the next shard's; with the anchor in
/// position 0, every article scores at least 1. It matches no search.
fn sort_anchor() -> Record {
    Record {
        url: "/".to_string(),
        content: String::new(),
        meta: BTreeMap::new(),
        filters: BTreeMap::new(),
        sort: BTreeMap::from([("date".to_string(), BEFORE_ALL_DATES.to_string())]),
    }
}

/// An article's search record. Its URL is relative to the site root (`/2019/03/slug/`): the
/// search UI puts the base path in front, from where it loaded the bundle. The search UI shows
/// excerpts and filter values as HTML (the title as text), so those two are escaped here; the
/// content only of `&`, `<` and `>`, since Pagefind would index `&#39;` in "don't" as words.
fn record(archive: &Archive, linked: &LinkedArticle) -> Result<Record> {
    let article = &linked.article;
    let names = |family: &TermFamily, ids: &[usize]| -> Vec<String> {
        ids.iter()
            .map(|&id| escape_html(&family.terms[id].name))
            .collect()
    };
    let mut filters = BTreeMap::new();
    for (key, values) in [
        ("topic", names(&archive.topics, &linked.topics)),
        ("person", names(&archive.people, &linked.people)),
        ("author", names(&archive.authors, &linked.authors)),
        ("year", vec![article.date.year().to_string()]),
    ] {
        if !values.is_empty() {
            filters.insert(key.to_string(), values);
        }
    }
    let meta = BTreeMap::from([
        ("title".to_string(), article.title.clone()),
        (
            "date".to_string(),
            article.date.format("%-d %B %Y").to_string(),
        ),
    ]);
    let sort = BTreeMap::from([(
        "date".to_string(),
        article.date.format("%Y-%m-%dT%H:%M:%S").to_string(),
    )]);
    Ok(Record {
        url: format!("/{}", linked.path),
        content: escape_text(&format!(
            "{}\n\n{}",
            article.title,
            body_text(&article.body, &article.source)?
        )),
        meta,
        filters,
        sort,
    })
}

/// The words of an article's body, without Markdown syntax.
fn body_text(body: &Body, source: &SourceFile) -> Result<String> {
    Ok(match body {
        Body::Plain(paragraphs) => paragraphs
            .iter()
            .map(|paragraph| paragraph.text.as_str())
            .collect::<Vec<_>>()
            .join("\n\n"),
        Body::Markdown { start, end, .. } => markdown_words(&source.part(*start, *end)?),
    })
}

/// The text of Markdown, a blank line after each paragraph, heading and list item.
fn markdown_words(markdown: &str) -> String {
    let mut words = String::with_capacity(markdown.len());
    for event in Parser::new(markdown) {
        match event {
            Event::Text(text) | Event::Code(text) => words.push_str(&text),
            Event::SoftBreak | Event::HardBreak => words.push(' '),
            Event::End(TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item) => {
                words.push_str("\n\n")
            }
            _ => {}
        }
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shard_setting(articles: usize) -> SiteConfig {
        SiteConfig {
            search_shard_articles: articles,
            ..SiteConfig::default()
        }
    }

    #[test]
    fn archives_split_into_shards_of_the_set_size() {
        let config = shard_setting(1000);
        assert_eq!(
            Shards::of(1, &config),
            Shards {
                size: 1000,
                count: 1
            }
        );
        assert_eq!(
            Shards::of(1000, &config),
            Shards {
                size: 1000,
                count: 1
            }
        );
        assert_eq!(
            Shards::of(2500, &config),
            Shards {
                size: 1000,
                count: 3
            }
        );
    }

    #[test]
    fn shards_grow_rather_than_outnumber_the_date_order() {
        let shards = Shards::of(1_000_000, &shard_setting(1000));
        assert_eq!(shards.count, MOST_SHARDS);
        assert!(shards.size * shards.count >= 1_000_000);
    }

    #[test]
    fn the_newest_shard_sits_where_the_theme_loads_the_ui() {
        assert_eq!(Shards::folder(0), "pagefind/");
        assert_eq!(Shards::folder(1), "pagefind/shard-2/");
    }

    #[test]
    fn indexed_text_escapes_markup_but_keeps_apostrophes_for_word_splitting() {
        assert_eq!(
            escape_text("Don't <script>\"x\" & y"),
            "Don't &lt;script&gt;\"x\" &amp; y"
        );
    }

    #[test]
    fn markdown_bodies_are_indexed_as_their_words() {
        let text = "The *mayor* met [Kim](https://x.org) at `noon`.\n\n- one\n- two\n";
        assert_eq!(
            markdown_words(text),
            "The mayor met Kim at noon.\n\none\n\ntwo\n\n"
        );
    }
}
