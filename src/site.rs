//! The build pipeline, start to end: load → extract → link → render → write. Every command that
//! needs a site (build, and later serve and check) goes through `build_site`.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;

use crate::cache::ExtractionCache;
use crate::config::{normalise_base_url, SiteConfig};
use crate::diagnostics::{self, Diagnostics, Problem, Severity};
use crate::extract::curated::CuratedPeople;
use crate::extract::{extract_article, Article};
use crate::link::word_store::{self, WordStore};
use crate::link::{link, may_release_text, Archive, ArticleWords, KeptTexts, StoredWords};
use crate::load;
use crate::render::{self, templates};
use crate::search;
use crate::timings::Timings;
use crate::write::{check_output_folder, Staging};

/// What a build was asked to do.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub site_dir: PathBuf,
    /// Defaults to `site_dir/public`.
    pub output_dir: Option<PathBuf>,
    /// Overrides `base_url` from `site.yaml` for this build.
    pub base_url: Option<String>,
    pub drafts: bool,
    /// Show a progress bar (only drawn on a terminal).
    pub progress: bool,
}

impl BuildOptions {
    /// Options for reading a site without writing it (`metadata`, `check`).
    pub fn reading(site_dir: PathBuf, drafts: bool) -> BuildOptions {
        BuildOptions {
            site_dir,
            output_dir: None,
            base_url: None,
            drafts,
            progress: false,
        }
    }
}

/// The figures of a finished build, for the summary line.
#[derive(Debug)]
pub struct BuildSummary {
    pub output_dir: PathBuf,
    pub articles: usize,
    /// Articles taken from the extraction cache, unchanged since an earlier build.
    pub cached: usize,
    pub people: usize,
    pub topics: usize,
    pub authors: usize,
    /// How many files the output holds, and their bytes.
    pub output_contents: (usize, u64),
    pub elapsed: Duration,
    /// Warnings (errors end the build before a summary exists).
    pub problems: Vec<Problem>,
    /// Time per phase.
    pub timings: Timings,
    /// The linked archive the site was rendered from (`check` reads it).
    pub archive: Archive,
}

impl BuildSummary {
    pub fn line(&self) -> String {
        let cached = match self.cached {
            0 => String::new(),
            cached => format!(" ({cached} unchanged, from the cache)"),
        };
        format!(
            "Built {} articles{cached}, {} people, {} topics, {} authors: {} files in {:.2} s into {}",
            self.articles,
            self.people,
            self.topics,
            self.authors,
            self.output_contents.0,
            self.elapsed.as_secs_f64(),
            self.output_dir.display()
        )
    }
}

/// The error of a build whose input had errors: the report of all of them, already formatted
/// one `error: PATH:LINE: message` line each, for the command to print before failing.
#[derive(Debug, thiserror::Error)]
#[error("build failed: {count} file(s) with errors; the previous site was left untouched")]
pub struct InputErrors {
    pub report: String,
    pub count: usize,
}

/// Reads the site's config with command-line overrides applied.
pub fn load_config(options: &BuildOptions) -> Result<SiteConfig> {
    let mut config = SiteConfig::load(&options.site_dir)?;
    if let Some(base_url) = &options.base_url {
        config.base_url = normalise_base_url(base_url).context("in --base-url")?;
    }
    Ok(config)
}

/// Runs the whole pipeline and swaps the new site in; on any error the old output stays.
pub fn build_site(options: &BuildOptions) -> Result<BuildSummary> {
    let started = Instant::now();
    let config = load_config(options)?;
    let tera = templates::load_templates(&options.site_dir)?;
    let output_dir = options
        .output_dir
        .clone()
        .unwrap_or_else(|| options.site_dir.join("public"));
    check_output_folder(&output_dir, &options.site_dir)?;
    let content_dir = options.site_dir.join("content");
    if !content_dir.is_dir() {
        bail!(
            "no content folder at {}: put articles there, or point --site at a site folder (gazette init creates one)",
            content_dir.display()
        );
    }

    let diagnostics = Diagnostics::default();
    let curated = CuratedPeople::load(&options.site_dir)?;
    let timings = Timings::default();
    let (archive, cached) = load_and_link(
        &content_dir,
        &config,
        &curated,
        options,
        &diagnostics,
        &timings,
    );
    if config.search {
        search::warn_if_large(&archive, &config, &options.site_dir, &diagnostics);
    }
    let problems = diagnostics.into_sorted();
    let error_files = count_error_files(&problems);
    if error_files > 0 {
        return Err(InputErrors {
            report: diagnostics::report(&problems),
            count: error_files,
        }
        .into());
    }

    let staging = Staging::create(&output_dir)?;
    let bar = progress_bar(
        options.progress,
        render::count_pages(&archive, &config, &tera),
        "render",
    );
    // Search indexing runs beside the rendering rather than after it: Pagefind leaves cores
    // idle while it builds a shard's index, and the rendering fills them.
    let (rendered, indexed) = std::thread::scope(|scope| {
        let indexing = config.search.then(|| {
            scope.spawn(|| {
                timings.time("search index (beside render)", || {
                    search::write_search_index(&archive, &config, &staging)
                })
            })
        });
        let rendered = timings.time("render and write", || {
            render::render_site(&archive, &config, &tera, &staging, || bar.inc(1))
        });
        let indexed = indexing.map(|thread| {
            thread
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
        });
        (rendered, indexed)
    });
    bar.finish_and_clear();
    rendered?;
    indexed.transpose()?;
    let static_dir = options.site_dir.join("static");
    for (name, text) in templates::DEFAULT_STATIC_FILES {
        if !static_dir.join(name).exists() {
            staging.write(name, text.as_bytes())?;
        }
    }
    staging
        .copy_folder(&static_dir)
        .context("cannot copy static/")?;
    let output_contents = staging.contents();
    timings.time("swap in", || staging.commit())?;

    Ok(BuildSummary {
        output_dir,
        articles: archive.articles.len(),
        cached,
        people: archive.people.terms.len(),
        topics: archive.topics.terms.len(),
        authors: archive.authors.terms.len(),
        output_contents,
        elapsed: started.elapsed(),
        problems,
        timings,
        archive,
    })
}

/// The page of one edited article, rendered against the last build's archive (which takes the
/// edited article in): what `serve` shows while the full rebuild updates listings, related
/// articles and search. `relative` is the file's path below `content/`. `None` when that is not
/// an article of the archive, or it no longer reads cleanly: the full rebuild says why.
pub fn render_edited_article(
    options: &BuildOptions,
    archive: &mut Archive,
    relative: &str,
) -> Result<Option<(String, String)>> {
    let Some(id) = archive
        .articles
        .iter()
        .position(|linked| linked.article.source.relative == relative)
    else {
        return Ok(None);
    };
    let config = load_config(options)?;
    let tera = templates::load_templates(&options.site_dir)?;
    let curated = CuratedPeople::load(&options.site_dir)?;
    let content_dir = options.site_dir.join("content");
    let diagnostics = Diagnostics::default();
    let path = archive.articles[id].article.source.path.clone();
    let article = load::load_article(&content_dir, &path, &diagnostics)
        .and_then(|loaded| extract_article(loaded, &curated, &diagnostics));
    let has_errors = diagnostics
        .into_sorted()
        .iter()
        .any(|problem| problem.severity == Severity::Error);
    match article {
        Some(article) if !has_errors && (options.drafts || !article.draft) => {
            *archive.articles[id].article = article;
            render::render_article_page(archive, &config, &tera, id).map(Some)
        }
        _ => Ok(None),
    }
}

/// Load, extract and link the site's content; problems go to `diagnostics`. Also returns how
/// many articles came from the extraction cache.
pub fn load_and_link(
    content_dir: &Path,
    config: &SiteConfig,
    curated: &CuratedPeople,
    options: &BuildOptions,
    diagnostics: &Diagnostics,
    timings: &Timings,
) -> (Archive, usize) {
    let (paths, ()) = rayon::join(
        || load::find_articles(content_dir, diagnostics),
        crate::extract::prepare,
    );
    // A large archive spends a little time to stay in bounded memory: freed pages go back to
    // the system, and no texts or word counts are held from reading, to be read back later
    // instead (at a million articles the two budgets' 256 MB held 3% of the texts and 6% of
    // the counts).
    let large = crate::memory::is_large(paths.len());
    if large {
        crate::memory::return_freed_memory();
    }
    let budget = |bytes: usize| if large { 0 } else { bytes };
    let bar = progress_bar(options.progress, paths.len(), "read");
    let cache = ExtractionCache::open(
        &options.site_dir,
        (format!("{curated:?}"), config.topics.rules.is_empty()),
    );
    // Each file is read, extracted and its words counted in one go, so its text can be freed
    // before the rest are read: past the first `KeptTexts::BUDGET` bytes, the texts of an
    // archive never all exist at once. The word counts go to the word store, which keeps
    // those past its own budget on disk.
    let kept = KeptTexts::new(budget(KeptTexts::BUDGET));
    let words = WordStore::new(budget(word_store::BUDGET));
    let articles: Vec<(Box<Article>, StoredWords)> = timings.time("read and extract", || {
        // Collected one slot per file, then compacted in place: a filtered parallel collect
        // gathers pieces and copies them into one list, three times the room at the end.
        let read: Vec<Option<(Box<Article>, StoredWords)>> = paths
            .par_iter()
            .map(|path| {
                let read = read_article(
                    content_dir,
                    path,
                    &cache,
                    &kept,
                    config,
                    curated,
                    diagnostics,
                );
                bar.inc(1);
                read.filter(|(article, _)| options.drafts || !article.draft)
                    .map(|(article, counted)| (Box::new(article), counted.store(&words)))
            })
            .collect();
        // `filter_map` reuses the list's memory where `flatten` would collect anew (std's
        // in-place collect knows the one, not the other).
        #[allow(clippy::filter_map_identity)]
        read.into_iter().filter_map(|slot| slot).collect()
    });
    bar.finish_and_clear();
    let cached = cache.hits();
    // The cache's index is written, and its packs checked for dead entries, while linking
    // goes on: one core's work (0.4 s at 100,000 articles) that held up both. The paths (130
    // MB at a million articles) go as soon as the cache has the articles' names, if it needs
    // them.
    let relatives = move || {
        paths
            .par_iter()
            .map(|path| load::relative_path(content_dir, path))
            .collect()
    };
    let archive = std::thread::scope(|scope| {
        scope.spawn(move || cache.finish(relatives));
        link(articles, words, config, curated, diagnostics, timings)
    });
    (archive, cached)
}

/// Reads one article file, extracts it and counts its words, or takes all that from the cache
/// when the file has not changed since it was cached.
fn read_article(
    content_dir: &Path,
    path: &Path,
    cache: &ExtractionCache,
    kept: &KeptTexts,
    config: &SiteConfig,
    curated: &CuratedPeople,
    diagnostics: &Diagnostics,
) -> Option<(Article, ArticleWords)> {
    let raw = load::read_file(path, diagnostics)?;
    let relative = load::relative_path(content_dir, path);
    if let Some(mut cached) = cache.get(&relative, &raw) {
        // The cached article kept its text or not by the room of the build that cached it.
        let source = &cached.article.source;
        if source.holds_text()
            && may_release_text(&cached.article, config)
            && !kept.make_room(raw.bytes.len())
        {
            cached.article.source.release_text();
        }
        let article = &mut cached.article;
        if article.source.reattach(path, &raw).is_some()
            && article.body.restore_texts(&article.source.text).is_some()
        {
            for warning in &mut cached.warnings {
                warning.path = path.to_path_buf();
            }
            diagnostics.extend(cached.warnings);
            return Some((cached.article, cached.words));
        }
    }
    let found = Diagnostics::default();
    let extracted = load::load_raw(content_dir, path, &raw, &found)
        .and_then(|loaded| extract_article(loaded, curated, &found))
        .map(|mut article| {
            let words = ArticleWords::take(&mut article, config, kept);
            (article, words)
        });
    let problems = found.into_sorted();
    let has_errors = problems
        .iter()
        .any(|problem| problem.severity == Severity::Error);
    if let (Some((article, words)), false) = (&extracted, has_errors) {
        cache.put(&raw, article, words, &problems);
    }
    diagnostics.extend(problems);
    extracted
}

fn count_error_files(problems: &[Problem]) -> usize {
    let mut files: Vec<&Path> = problems
        .iter()
        .filter(|problem| problem.severity == Severity::Error)
        .map(|problem| problem.path.as_path())
        .collect();
    files.dedup();
    files.len()
}

fn progress_bar(enabled: bool, length: usize, label: &'static str) -> ProgressBar {
    use std::io::IsTerminal;
    if !enabled || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(length as u64);
    if let Ok(style) = ProgressStyle::with_template("{prefix:>7} [{bar:40}] {pos}/{len} {per_sec}")
    {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.set_prefix(label);
    bar
}
