//! The real BBC News corpus (2,225 plain-text articles in five topic folders, one of them in
//! Latin-1) plus one seed article builds completely: every file becomes a page, the Latin-1 file
//! is decoded rather than dropped, the home page paginates, every internal link resolves, and the
//! feeds and sitemap are valid and complete.
//!
//! The corpus lives outside the repository, in `../shared/` (CI puts it there); the test site
//! reaches it through symbolic links and never copies it. A missing corpus fails the test.

mod common;

use std::collections::HashSet;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use common::{
    article_pages, assert_no_broken_links, assert_sitemap_lists_every_page, escape_html,
    feed_files, files_under, link, link_bbc_corpus, page_title, pages_titled, read_feed, read_text,
    scratch_dir, shared_build, shared_path, sitemap_locs, url_path_of, BaseUrl, SharedBuild,
};

const SEED_FILE: &str = "kim-trump-summit.txt";
const SEED_TITLE: &str = "Kim Jong-un gives order to prepare for second Trump summit";
/// 2,225 BBC articles and the seed.
const ARTICLES: usize = 2226;
const PAGINATE_BY: usize = 20;
const FEED_SIZE: usize = 20;
const BASE_URL: &str = "https://bbc.example.org/";
/// A bound that only a pathological slowdown breaks: a release build takes about 2 s.
const RELEASE_BUILD_LIMIT_SECONDS: f64 = 30.0;

static BBC: OnceLock<SharedBuild> = OnceLock::new();

/// The corpus site, built once and shared by the tests of this file.
fn bbc() -> &'static SharedBuild {
    BBC.get_or_init(|| {
        let scratch = scratch_dir("bbc_archive");
        let site = make_site(&scratch.join("site"));
        shared_build(&scratch, &site, &[])
    })
    .succeeded()
}

/// A site whose `content/` links to the five topic folders and the seed article.
fn make_site(site: &Path) -> PathBuf {
    let content = site.join("content");
    fs::create_dir_all(&content)
        .unwrap_or_else(|error| panic!("cannot create {}: {error}", content.display()));
    link_bbc_corpus(&content);
    link(
        &shared_path(&format!("seeds/{SEED_FILE}")),
        &content.join(SEED_FILE),
    );
    let config = format!(
        "title: \"BBC News 2004-2005\"\nbase_url: \"{BASE_URL}\"\npaginate_by: {PAGINATE_BY}\n"
    );
    fs::write(site.join("site.yaml"), config).expect("cannot write site.yaml");
    site.to_path_buf()
}

/// A corpus file that is not valid UTF-8, and its first bad byte.
struct NotUtf8 {
    relative: String,
    bytes: Vec<u8>,
    bad_byte: usize,
}

fn files_not_in_utf8() -> Vec<NotUtf8> {
    let corpus = shared_path("corpora/bbc");
    files_under(&corpus)
        .into_iter()
        .filter(|file| file.ends_with(".txt"))
        .filter_map(|relative| {
            let bytes = fs::read(corpus.join(&relative))
                .unwrap_or_else(|error| panic!("cannot read {relative}: {error}"));
            let bad_byte = std::str::from_utf8(&bytes).err()?.valid_up_to();
            Some(NotUtf8 {
                relative,
                bytes,
                bad_byte,
            })
        })
        .collect()
}

/// The line of a Latin-1 text that holds byte `index`, decoded and trimmed. A corpus line is a
/// paragraph, so the article's page must show it.
fn latin1_line_around(bytes: &[u8], index: usize) -> String {
    let start = bytes[..index]
        .iter()
        .rposition(|&byte| byte == b'\n')
        .map_or(0, |newline| newline + 1);
    let end = bytes[index..]
        .iter()
        .position(|&byte| byte == b'\n')
        .map_or(bytes.len(), |newline| index + newline);
    let line: String = bytes[start..end]
        .iter()
        .map(|&byte| char::from(byte))
        .collect();
    line.trim().to_string()
}

#[test]
fn builds_all_2226_articles_with_a_page_each() {
    let build = bbc();
    build.run.assert_success();
    assert_eq!(
        build.run.articles_built(),
        ARTICLES,
        "{}",
        build.run.output()
    );
    assert_eq!(article_pages(&build.output).len(), ARTICLES);
}

#[test]
fn the_latin1_article_is_built_with_its_character_decoded() {
    let output = &bbc().output;
    let latin1 = files_not_in_utf8();
    assert!(
        !latin1.is_empty(),
        "the corpus should hold a Latin-1 file (sport/199.txt)"
    );
    for file in latin1 {
        let byte = file.bytes[file.bad_byte];
        // From 0xA0 on, Latin-1 and Windows-1252 agree, so the test can decode it alone.
        assert!(byte >= 0xA0, "{}: byte {byte:#x}", file.relative);
        let title = String::from_utf8_lossy(&file.bytes)
            .lines()
            .next()
            .map(|line| line.trim().to_string())
            .unwrap_or_else(|| panic!("{} has no headline", file.relative));
        let paragraph = escape_html(&latin1_line_around(&file.bytes, file.bad_byte));
        let pages = pages_titled(output, &title);
        assert!(
            pages.iter().any(|page| {
                // Names in the body are links to their pages: compare the text without tags.
                let html = read_text(&output.join(page));
                without_tags(&html).contains(&paragraph) && !html.contains('\u{FFFD}')
            }),
            "{}: no page titled {title:?} shows {paragraph:?} (pages with that title: {pages:?})",
            file.relative
        );
        let warned = bbc()
            .run
            .stderr
            .lines()
            .any(|line| line.starts_with("warning: ") && line.contains(&file.relative));
        assert!(warned, "no warning names {}", file.relative);
    }
}

#[test]
fn the_home_page_paginates_by_20() {
    let output = &bbc().output;
    let pages = ARTICLES.div_ceil(PAGINATE_BY);
    assert_eq!(pages, 112);
    assert!(output.join("index.html").is_file());
    for page in 2..=pages {
        let file = output.join(format!("page/{page}/index.html"));
        assert!(file.is_file(), "{} is missing", file.display());
    }
    assert!(!output.join(format!("page/{}", pages + 1)).exists());
    assert!(!output.join("page/1").exists(), "page 1 is the home page");
    let cards: usize = std::iter::once("index.html".to_string())
        .chain((2..=pages).map(|page| format!("page/{page}/index.html")))
        .map(|file| {
            read_text(&output.join(file))
                .matches("<article class=\"card\">")
                .count()
        })
        .sum();
    assert_eq!(cards, ARTICLES, "the home pages list every article once");
}

#[test]
fn every_internal_href_and_src_resolves_to_a_file() {
    assert_no_broken_links(&bbc().output, &BaseUrl::new(BASE_URL));
}

#[test]
fn feeds_and_sitemap_are_valid_and_list_every_page() {
    let output = &bbc().output;
    let base = BaseUrl::new(BASE_URL);
    for feed in feed_files(output) {
        let entries = read_feed(&output.join(&feed));
        assert!(
            entries.len() <= FEED_SIZE,
            "{feed}: {} entries",
            entries.len()
        );
    }
    assert_eq!(read_feed(&output.join("atom.xml")).len(), FEED_SIZE);
    assert_sitemap_lists_every_page(output, &base);
    let locs: HashSet<String> = sitemap_locs(output).into_iter().collect();
    let article_locs = article_pages(output)
        .iter()
        .filter(|file| locs.contains(&base.permalink(&url_path_of(file))))
        .count();
    assert_eq!(article_locs, ARTICLES, "one <loc> per article");
}

#[test]
fn the_seed_article_has_its_own_title() {
    let output = &bbc().output;
    let slug = SEED_FILE.trim_end_matches(".txt");
    let pages: Vec<String> = article_pages(output)
        .into_iter()
        .filter(|file| file.ends_with(&format!("/{slug}/index.html")))
        .collect();
    assert_eq!(pages.len(), 1, "one page for {SEED_FILE}: {pages:?}");
    let html = read_text(&output.join(&pages[0]));
    assert_eq!(
        page_title(&html).as_deref(),
        Some(format!("{SEED_TITLE} · BBC News 2004-2005").as_str())
    );
    assert!(html.contains(&format!("<h1>{SEED_TITLE}</h1>")));
}

#[test]
fn the_build_time_is_printed_and_bounded_in_release_builds() {
    let seconds = bbc().run.elapsed.as_secs_f64();
    let profile = if cfg!(debug_assertions) {
        "debug"
    } else {
        "release"
    };
    // Written to the stderr handle itself: libtest captures only the print macros, so the time
    // shows in every CI log, not only with --nocapture.
    writeln!(
        std::io::stderr(),
        "BBC archive: {ARTICLES} articles built in {seconds:.2} s ({profile} build)"
    )
    .expect("stderr is writable");
    if !cfg!(debug_assertions) {
        assert!(
            seconds < RELEASE_BUILD_LIMIT_SECONDS,
            "the release build took {seconds:.2} s"
        );
    }
}

/// The page's text with every tag removed (entities are left as they are).
fn without_tags(html: &str) -> String {
    static TAG: std::sync::LazyLock<regex::Regex> =
        std::sync::LazyLock::new(|| regex::Regex::new("<[^>]*>").expect("valid regex"));
    TAG.replace_all(html, "").into_owned()
}
