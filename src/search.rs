//! Search: a Pagefind index of every article, written into the output as `pagefind/`, for the
//! search page of the theme. Articles go in as Pagefind custom records built from the archive
//! model (title and body text, with filters for topic, person, author and year, and a date to
//! sort by) rather than by parsing the rendered HTML again, which would cost a second full pass
//! over every page.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{Context, Result};
use chrono::Datelike;
use pagefind::api::PagefindIndex;
use pagefind::options::PagefindServiceConfig;
use pulldown_cmark::{Event, Parser, TagEnd};

use crate::config::SiteConfig;
use crate::diagnostics::Diagnostics;
use crate::link::{Archive, LinkedArticle, TermFamily};
use crate::load::Body;
use crate::render::markdown::escape_html;
use crate::write::Staging;

/// The folder of the search bundle in the output; the theme's search page loads it from there.
pub const BUNDLE_FOLDER: &str = "pagefind";

/// Pagefind holds every article's words and positions in memory until it writes the index:
/// about 0.45 MB per article of 700 words, measured (10,000 generated articles: 4.5 GB).
const MEMORY_PER_ARTICLE_MB: f64 = 0.45;
/// Above this many articles the index needs several gigabytes, so the build says so.
const LARGE_ARCHIVE: usize = 20_000;

/// Warns, on `site.yaml`, when indexing this archive for search will need gigabytes of memory,
/// so that whoever runs the build can turn search off before the machine runs out.
pub fn warn_if_large(archive: &Archive, site_dir: &Path, diagnostics: &Diagnostics) {
    let articles = archive.articles.len();
    if articles > LARGE_ARCHIVE {
        diagnostics.warning(
            &site_dir.join(crate::config::SITE_FILE),
            "large search index",
            format!(
                "indexing {articles} articles for search needs about {:.0} GB of memory (Pagefind keeps the whole index in memory); set `search: false` to build without it",
                articles as f64 * MEMORY_PER_ARTICLE_MB / 1000.0
            ),
        );
    }
}

/// One article as Pagefind takes it.
struct Record {
    url: String,
    content: String,
    meta: BTreeMap<String, String>,
    filters: BTreeMap<String, Vec<String>>,
    sort: BTreeMap<String, String>,
}

/// Indexes every article and writes the Pagefind bundle (index, fragments, the search UI's
/// scripts and styles) into the output; returns how many files it wrote.
pub fn write_search_index(
    archive: &Archive,
    config: &SiteConfig,
    staging: &Staging,
) -> Result<usize> {
    if archive.articles.is_empty() {
        // Pagefind refuses to build an empty index; the search page then finds nothing.
        return Ok(0);
    }
    let records: Vec<Record> = archive
        .articles
        .iter()
        .map(|linked| record(archive, linked))
        .collect();
    let language = config.language.clone();
    // Pagefind is async on tokio. The build may itself run inside `gazette serve`'s runtime,
    // where a second runtime cannot start on the same thread, so indexing gets a thread of its
    // own.
    let files = std::thread::scope(|scope| {
        scope
            .spawn(|| index_records(records, language))
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    })?;
    for file in &files {
        let relative = format!("{BUNDLE_FOLDER}/{}", file.filename.to_string_lossy());
        staging.write(&relative, &file.contents)?;
    }
    Ok(files.len())
}

fn index_records(
    records: Vec<Record>,
    language: String,
) -> Result<Vec<pagefind::api::SyntheticFile>> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the search indexer")?;
    runtime.block_on(async move {
        let options = PagefindServiceConfig::builder()
            .force_language(language.clone())
            .build();
        let mut index = PagefindIndex::new(Some(options)).context("cannot set up Pagefind")?;
        for record in records {
            let url = record.url.clone();
            index
                .add_custom_record(
                    record.url,
                    record.content,
                    language.clone(),
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
    })
}

/// An article's search record. Its URL is relative to the site root (`/2019/03/slug/`): the
/// search UI puts the base path in front, from where it loaded the bundle. The search UI shows
/// excerpts and filter values as HTML (the title as text), so those two are escaped here.
fn record(archive: &Archive, linked: &LinkedArticle) -> Record {
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
    Record {
        url: format!("/{}", linked.path),
        content: escape_html(&format!(
            "{}\n\n{}",
            article.title,
            body_text(&article.body, &article.source.text)
        )),
        meta,
        filters,
        sort,
    }
}

/// The words of an article's body, without Markdown syntax.
fn body_text(body: &Body, text: &str) -> String {
    match body {
        Body::Plain(paragraphs) => paragraphs
            .iter()
            .map(|paragraph| paragraph.text.as_str())
            .collect::<Vec<_>>()
            .join("\n\n"),
        Body::Markdown { start, end, .. } => {
            let mut words = String::with_capacity(end - start);
            for event in Parser::new(&text[*start..*end]) {
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
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_bodies_are_indexed_as_their_words() {
        let text = "# Title\n\nThe *mayor* met [Kim](https://x.org) at `noon`.\n\n- one\n- two\n";
        let body = Body::Markdown {
            start: 9,
            end: text.len(),
            line: 3,
        };
        assert_eq!(
            body_text(&body, text),
            "The mayor met Kim at noon.\n\none\n\ntwo\n\n"
        );
    }
}
