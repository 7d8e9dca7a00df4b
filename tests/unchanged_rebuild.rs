//! `gazette build` on a site where nothing changed since its last build into the same folder
//! returns at once and leaves the output as it is; any change to an article, the file time of
//! an undated article, or the output itself makes it build again, and that build equals a clean
//! build of the same content byte for byte.

mod common;

use std::fs;
use std::time::{Duration, SystemTime};

use common::{assert_same_files, build_into, markdown_article, snapshot, Run, TestSite};

const NOTHING_CHANGED: &str = "Nothing changed since the last build";

fn site() -> TestSite {
    let site = TestSite::empty();
    site.write_article(
        "2023/01/first.md",
        markdown_article("First story", "2023-01-05"),
    );
    site.write_article(
        "2023/02/second.md",
        markdown_article("Second story", "2023-02-05"),
    );
    site.write_article(
        "undated.txt",
        "An undated story\n\nIt has no date in its text, so the file time dates it.\n",
    );
    site
}

fn skipped(run: &Run) -> bool {
    run.assert_success();
    run.stdout.contains(NOTHING_CHANGED)
}

/// The output equals a clean build of the site's current content into a fresh folder, with no
/// extraction cache.
fn assert_equals_clean_build(site: &TestSite) {
    fs::remove_dir_all(site.root().join(".gazette/cache")).expect("remove the cache");
    let clean = tempfile::tempdir().expect("a temp folder");
    build_into(site.root(), clean.path(), &["-q"]).assert_success();
    assert_same_files(clean.path(), &site.public());
}

#[test]
fn a_second_build_with_nothing_changed_is_skipped() {
    let site = site();
    assert!(!skipped(&site.build(&[])), "the first build must run");
    let before = snapshot(&site.public());
    assert!(skipped(&site.build(&[])), "nothing changed, yet it rebuilt");
    assert!(before == snapshot(&site.public()), "the output changed");
    assert!(
        !skipped(&site.build(&["--drafts"])),
        "other options must rebuild"
    );
}

#[test]
fn an_edited_article_is_rebuilt_and_equals_a_clean_build() {
    let site = site();
    site.build(&[]).assert_success();
    site.write_article(
        "2023/02/second.md",
        markdown_article("Second story, corrected", "2023-02-06"),
    );
    assert!(!skipped(&site.build(&[])), "an edit must rebuild");
    assert_equals_clean_build(&site);
}

#[test]
fn a_new_file_time_on_an_undated_article_is_rebuilt() {
    let site = site();
    site.build(&[]).assert_success();
    let undated = site.root().join("content/undated.txt");
    let year_ago = SystemTime::now() - Duration::from_secs(400 * 24 * 3600);
    fs::File::options()
        .write(true)
        .open(&undated)
        .and_then(|file| file.set_modified(year_ago))
        .expect("set the file time");
    assert!(!skipped(&site.build(&[])), "a new file time must rebuild");
    assert_equals_clean_build(&site);
}

#[test]
fn a_damaged_output_is_rebuilt() {
    let site = site();
    site.build(&[]).assert_success();
    fs::remove_file(site.public().join("2023/01/first/index.html")).expect("delete a page");
    assert!(!skipped(&site.build(&[])), "a missing page must rebuild");
    assert!(site.public().join("2023/01/first/index.html").is_file());
}

#[test]
fn an_edit_changes_only_its_search_shard_and_equals_a_clean_build() {
    let site = site();
    fs::write(
        site.root().join("site.yaml"),
        "search: true\nsearch_shard_articles: 1\n",
    )
    .expect("site.yaml");
    site.build(&[]).assert_success();
    // Newest first, one article a shard: the undated article (dated now), second, first.
    let written = |shard: &str| {
        fs::metadata(
            site.public()
                .join(format!("pagefind/{shard}.gazette-shard")),
        )
        .and_then(|metadata| metadata.modified())
        .expect("the shard's record")
    };
    let (second, first) = (written("shard-2/"), written("shard-3/"));
    site.write_article(
        "2023/02/second.md",
        markdown_article("Second story", "2023-02-05") + "\nA lighthouse keeper spoke.\n",
    );
    assert!(!skipped(&site.build(&[])), "an edit must rebuild");
    assert!(
        written("shard-2/") > second,
        "the edited article's shard was kept"
    );
    assert_eq!(
        written("shard-3/"),
        first,
        "the unchanged article's shard was written again"
    );
    assert_equals_clean_build(&site);
}

#[test]
fn a_rebuild_writes_only_the_pages_that_changed() {
    let site = site();
    site.build(&[]).assert_success();
    let written = |page: &str| {
        fs::metadata(site.public().join(page))
            .and_then(|metadata| metadata.modified())
            .unwrap_or_else(|error| panic!("{page}: {error}"))
    };
    let (not_found, second) = (written("404.html"), written("2023/02/second/index.html"));
    std::thread::sleep(Duration::from_millis(20));
    site.write_article(
        "2023/02/second.md",
        markdown_article("Second story", "2023-02-05") + "\nA lighthouse keeper spoke.\n",
    );
    assert!(!skipped(&site.build(&[])), "an edit must rebuild");
    assert_eq!(
        written("404.html"),
        not_found,
        "an unchanged page was written again"
    );
    assert!(
        written("2023/02/second/index.html") > second,
        "the edited article's page was not written"
    );
    assert_equals_clean_build(&site);
}
