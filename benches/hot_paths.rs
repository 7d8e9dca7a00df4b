//! The functions a build spends its time in, on the sample archive's own articles, so a change
//! to one of them can be measured without a generated corpus: `cargo bench`, or
//! `cargo bench -- extract` for one group. Whole builds beside Hugo and Zola are timed by
//! `bench/compare.sh`.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use criterion::measurement::WallTime;
use criterion::{
    criterion_group, criterion_main, BatchSize, BenchmarkGroup, Criterion, Throughput,
};
use gazette::config::RawHtml;
use gazette::diagnostics::Diagnostics;
use gazette::extract::curated::CuratedPeople;
use gazette::extract::{extract_article, people};
use gazette::link::classifier::WordCounts;
use gazette::link::related;
use gazette::load::{self, Body, LoadedArticle, RawFile};
use gazette::render::markdown::markdown_to_html;
use gazette::site::{build_site, BuildOptions};

/// The sample archive's article files, read into memory: (path, bytes).
fn sample_articles(ending: &str) -> Vec<(PathBuf, RawFile)> {
    let content = content_dir();
    let mut files: Vec<PathBuf> = load::find_articles(&content, &Diagnostics::default())
        .into_iter()
        .filter(|path| path.extension().is_some_and(|found| found == ending))
        .collect();
    files.sort();
    assert!(
        !files.is_empty(),
        "the sample archive has .{ending} articles"
    );
    files
        .into_iter()
        .map(|path| {
            let bytes = std::fs::read(&path).expect("a sample article");
            let raw = RawFile {
                bytes,
                modified: None,
            };
            (path, raw)
        })
        .collect()
}

/// A benchmark group whose throughput is counted in the bytes of `texts`.
fn group_over_texts<'a>(
    criterion: &'a mut Criterion,
    name: &str,
    texts: &[String],
) -> BenchmarkGroup<'a, WallTime> {
    let mut group = criterion.benchmark_group(name);
    group.throughput(Throughput::Bytes(
        texts.iter().map(|text| text.len() as u64).sum(),
    ));
    group
}

fn content_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("content")
}

fn total_bytes(files: &[(PathBuf, RawFile)]) -> u64 {
    files.iter().map(|(_, raw)| raw.bytes.len() as u64).sum()
}

/// Load and extract, from bytes already in memory: front matter, frame (byline, date line,
/// bio), people, summary.
fn extract(criterion: &mut Criterion) {
    let content = content_dir();
    let curated = CuratedPeople::default();
    let mut group = criterion.benchmark_group("extract");
    for ending in ["txt", "md"] {
        let files = sample_articles(ending);
        group.throughput(Throughput::Bytes(total_bytes(&files)));
        group.bench_function(format!("{ending} articles"), |bench| {
            bench.iter(|| {
                let diagnostics = Diagnostics::default();
                files
                    .iter()
                    .filter_map(|(path, raw)| {
                        load::load_raw(&content, path, raw, &diagnostics)
                            .and_then(|loaded| extract_article(loaded, &curated, &diagnostics))
                    })
                    .count()
            })
        });
    }
    group.finish();
}

/// The sample archive's articles of one kind, loaded (decoded and split, not extracted).
fn loaded_articles(ending: &str) -> Vec<LoadedArticle> {
    let content = content_dir();
    sample_articles(ending)
        .iter()
        .filter_map(|(path, raw)| load::load_raw(&content, path, raw, &Diagnostics::default()))
        .collect()
}

/// The person tagger and mention grouping alone, over plain-text bodies.
fn find_people(criterion: &mut Criterion) {
    let texts: Vec<String> = loaded_articles("txt")
        .into_iter()
        .map(|loaded| loaded.file.text)
        .collect();
    let not_people = HashSet::new();
    let mut group = group_over_texts(criterion, "people", &texts);
    group.bench_function("find mentions", |bench| {
        bench.iter(|| {
            texts
                .iter()
                .map(|text| people::find_mentions(text, &[(0, text.len())], &not_people).len())
                .sum::<usize>()
        })
    });
    group.finish();
}

/// Word counts and text hashes, which every article's whole text goes through for topics,
/// related articles and same-text warnings.
fn count_words(criterion: &mut Criterion) {
    let texts: Vec<String> = ["md", "txt"]
        .into_iter()
        .flat_map(sample_articles)
        .map(|(_, raw)| String::from_utf8_lossy(&raw.bytes).into_owned())
        .collect();
    let mut group = group_over_texts(criterion, "words", &texts);
    group.bench_function("word counts", |bench| {
        bench.iter(|| {
            texts
                .iter()
                .map(|text| WordCounts::of(text).byte_len())
                .sum::<usize>()
        })
    });
    group.bench_function("text hash", |bench| {
        bench.iter(|| {
            texts
                .iter()
                .fold(0, |all: u64, text| all ^ related::text_hash(text))
        })
    });
    group.finish();
}

/// Markdown bodies to HTML, with raw HTML sanitised as by default.
fn render_markdown(criterion: &mut Criterion) {
    let bodies: Vec<String> = loaded_articles("md")
        .into_iter()
        .filter_map(|loaded| match loaded.body {
            Body::Markdown { start, end, .. } => loaded.file.text.get(start..end).map(String::from),
            Body::Plain(_) => None,
        })
        .collect();
    let mut group = group_over_texts(criterion, "render", &bodies);
    group.bench_function("markdown to html", |bench| {
        bench.iter(|| {
            bodies
                .iter()
                .map(|body| markdown_to_html(body, 0, &[], RawHtml::Sanitise).len())
                .sum::<usize>()
        })
    });
    group.finish();
}

/// A cold build of the sample site (no extraction cache, no previous output), search off.
fn build_sample(criterion: &mut Criterion) {
    let site = tempfile::tempdir().expect("a scratch folder");
    copy_folder(&content_dir(), &site.path().join("content"));
    std::fs::write(site.path().join("site.yaml"), "search: false\n").expect("site.yaml");
    let options = BuildOptions {
        output_dir: Some(site.path().join("public")),
        ..BuildOptions::reading(site.path().to_path_buf(), false)
    };
    let mut group = criterion.benchmark_group("build");
    group.sample_size(20);
    group.bench_function("sample site", |bench| {
        bench.iter_batched(
            || {
                let _ = std::fs::remove_dir_all(site.path().join(".gazette"));
                let _ = std::fs::remove_dir_all(site.path().join("public"));
            },
            |()| {
                build_site(&options)
                    .expect("the sample site builds")
                    .output_contents
            },
            BatchSize::PerIteration,
        )
    });
    group.finish();
}

fn copy_folder(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.expect("a sample file");
        let target = to.join(entry.path().strip_prefix(from).expect("below the folder"));
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).expect("a scratch folder");
        } else {
            std::fs::copy(entry.path(), &target).expect("a copy");
        }
    }
}

criterion_group!(
    benches,
    extract,
    find_people,
    count_words,
    render_markdown,
    build_sample
);
criterion_main!(benches);
