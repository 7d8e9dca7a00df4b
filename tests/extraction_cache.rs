//! The extraction cache in `SITE/.gazette/cache`: a build after an edit takes every unchanged
//! article from the cache and equals a clean build byte for byte, also after an article is
//! deleted or the curated people file changes; an article with a warning is never cached, so
//! the warning comes again on every build.

mod common;

use std::fs;
use std::path::Path;

use common::{assert_same_files, build_into, link, markdown_article, shared_path, Run, TestSite};

/// Plain-text articles from a real archive (extracted: people, bylines, dates) and two of ours.
fn site() -> TestSite {
    let site = TestSite::empty();
    link(
        &shared_path("corpora/bbc/politics"),
        &site.root().join("content/politics"),
    );
    site.write_article(
        "2024/03/harbour.md",
        markdown_article("Harbour reopens", "2024-03-04"),
    );
    site.write_article(
        "2024/03/council.txt",
        "Council backs new ferry route\n\nBy Maria Okafor\n\nThe council voted on Monday to back a \
         ferry route to the islands. Councillor Tom Reid said the vote was close. Mr Reid added \
         that the harbour would need new moorings.\n",
    );
    site
}

/// Builds into the site's `public/`, forcing a build even when nothing changed.
fn rebuild(site: &TestSite) -> Run {
    let _ = fs::remove_dir_all(site.root().join(".gazette/builds"));
    let run = site.build(&[]);
    run.assert_success();
    run
}

/// How many articles the summary line says came from the cache.
fn cached(run: &Run) -> usize {
    run.stdout
        .split(" unchanged, from the cache")
        .next()
        .filter(|before| before.len() < run.stdout.len())
        .and_then(|before| before.rsplit('(').next())
        .map_or(0, |count| count.parse().expect("a count"))
}

/// The output equals a build of the same content with no cache at all.
fn assert_equals_clean_build(site: &TestSite) {
    fs::remove_dir_all(site.root().join(".gazette")).expect("remove the cache");
    let clean = tempfile::tempdir().expect("a temp folder");
    let run = build_into(site.root(), clean.path(), &["-q"]);
    run.assert_success();
    assert_same_files(clean.path(), &site.public());
}

fn article_count(site: &Path) -> usize {
    walkdir::WalkDir::new(site.join("content"))
        .follow_links(true)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|entry| entry.file_type().is_file())
        .count()
}

#[test]
fn unchanged_articles_come_from_the_cache_and_the_build_equals_a_clean_one() {
    let site = site();
    let total = article_count(site.root());
    assert_eq!(cached(&rebuild(&site)), 0, "the first build has no cache");
    assert_eq!(cached(&rebuild(&site)), total, "nothing changed");

    site.write_article(
        "2024/03/council.txt",
        "Council backs new ferry route\n\nBy Maria Okafor\n\nThe council voted on Monday to back a \
         ferry route to the islands. Councillor Ann Price said the vote was close. Ms Price \
         added that the harbour would need new moorings.\n",
    );
    let run = rebuild(&site);
    assert_eq!(
        cached(&run),
        total - 1,
        "only the edited article is extracted"
    );
    let page = fs::read_to_string(site.public().join("people/ann-price/index.html"))
        .expect("the newly named person has a page");
    assert!(page.contains("Council backs new ferry route"));
    assert!(
        !site.public().join("people/tom-reid").exists(),
        "the person edited out keeps a page"
    );
    assert_equals_clean_build(&site);
}

#[test]
fn a_deleted_article_leaves_the_site() {
    let site = site();
    rebuild(&site);
    site.remove_article("2024/03/harbour.md");
    let run = rebuild(&site);
    assert_eq!(cached(&run), article_count(site.root()));
    assert!(!site.public().join("2024/03/harbour").exists());
    assert_equals_clean_build(&site);
}

#[test]
fn a_new_curated_people_file_is_applied_to_every_article() {
    let site = site();
    rebuild(&site);
    fs::create_dir(site.root().join("data")).expect("data/");
    fs::write(
        site.root().join("data/people.yaml"),
        "people:\n  - name: Thomas Reid\n    aliases: [Tom Reid]\n",
    )
    .expect("people.yaml");
    let run = rebuild(&site);
    assert_eq!(cached(&run), 0, "extraction read the old people file");
    assert!(site
        .public()
        .join("people/thomas-reid/index.html")
        .is_file());
    assert_equals_clean_build(&site);
}

#[test]
fn an_article_with_a_warning_is_cached_and_warns_on_every_build() {
    let site = TestSite::empty();
    site.write_article(
        "2024/03/harbour.md",
        markdown_article("Harbour reopens", "2024-03-04"),
    );
    let undated = site.write_article(
        "undated.txt",
        "An undated story\n\nIt has no date in its text, so the file time dates it.\n",
    );
    for build in 1..=2 {
        let run = rebuild(&site);
        assert_eq!(cached(&run), if build == 1 { 0 } else { 2 });
        assert!(
            !run.lines_naming("warning: ", &undated).is_empty(),
            "build {build} did not warn about the undated article\n{}",
            run.output()
        );
    }
}
