//! The corpus of bad articles in `tests/bad_articles/` (empty, only front matter, unterminated,
//! YAML that is a list, a string, nested 300 deep or an alias bomb, a binary file named `.md`,
//! invalid UTF-8, UTF-16 with a byte-order mark, CRLF and CR line endings, the years 0 and 9999,
//! impossible and extreme time zones, duplicate slugs, slugs and output paths that try to leave
//! the site, `javascript:` and `data:` URLs), plus what is too big or too odd to keep as a file
//! (a 50 MB article, a 10,000-character title, a symbolic-link loop, 100,000 files in one
//! folder), built the way a user would. Each file is either rendered safely or reported as an
//! error naming it; a build with errors exits non-zero and writes nothing; no build writes
//! outside its output folder.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use common::{
    files_containing, files_under, html_files, page_title, read_text, repo_dir, TestSite,
};

/// Files of the corpus a build must refuse, with words their error must contain.
const REFUSED: [(&str, &str); 8] = [
    ("bad-time-zone.md", "not a date gazette can read"),
    ("billion-laughs.md", "not valid YAML"),
    ("binary.md", "binary file"),
    ("empty.md", "empty"),
    ("unterminated.md", "never closed"),
    ("yaml-deep.md", "not valid YAML"),
    ("yaml-list.md", "not a list"),
    ("yaml-string.md", "not text"),
];

/// Files of the corpus that build, with where their page lands.
const BUILT: [(&str, &str); 11] = [
    ("only-front-matter.md", "2023/01/only-front-matter/"),
    ("crlf.md", "2023/02/crlf/"),
    ("year-0.md", "0000/01/year-0/"),
    ("year-9999.md", "9999/12/year-9999/"),
    ("far-time-zone.md", "2020/01/far-time-zone/"),
    ("duplicate-slug-a.md", "2023/03/same/"),
    ("duplicate-slug-b.md", "2023/03/same-2/"),
    ("slug-traversal.md", "2023/04/outside/"),
    ("slug-absolute.md", "2023/04/etc-passwd/"),
    ("output-path.md", "2023/04/output-path/"),
    ("script-urls.md", "2023/04/script-urls/"),
];

/// Plain-text files that build; they have no date, so their folder is the file time's month.
const BUILT_UNDATED: [(&str, &str); 3] = [
    ("cr-only.txt", "CR-only line endings"),
    ("invalid-utf8.txt", "Café title in Latin-1"),
    ("utf16-bom.txt", "UTF-16 title"),
];

fn corpus_dir() -> PathBuf {
    repo_dir().join("tests/bad_articles")
}

fn corpus_files() -> Vec<String> {
    common::names_in(&corpus_dir())
}

/// A site whose `content/` holds copies of the named corpus files, in a folder of its own so
/// that anything written beside the site would show.
fn site_with(names: &[String]) -> TestSite {
    let site = TestSite::empty();
    for name in names {
        site.write_article(
            name,
            fs::read(corpus_dir().join(name)).expect("corpus file"),
        );
    }
    site
}

#[test]
fn the_corpus_names_every_case_and_nothing_else() {
    let mut expected: Vec<String> = REFUSED
        .iter()
        .map(|(name, _)| name.to_string())
        .chain(BUILT.iter().map(|(name, _)| name.to_string()))
        .chain(BUILT_UNDATED.iter().map(|(name, _)| name.to_string()))
        .collect();
    expected.sort();
    expected.dedup();
    assert_eq!(corpus_files(), expected);
}

#[test]
fn a_build_of_the_whole_corpus_reports_every_bad_file_and_writes_nothing() {
    let site = site_with(&corpus_files());
    let run = site.build(&[]);
    run.assert_failure();
    for (name, words) in REFUSED {
        let path = site.root().join("content").join(name);
        let errors = run.lines_naming("error: ", &path);
        assert!(
            errors.iter().any(|line| line.contains(words)),
            "no error for {name} says {words:?}\n{}",
            run.output()
        );
    }
    assert!(!site.public().exists(), "a failed build wrote public/");
    // The good files' extraction is cached, ready for the build after the fix; nothing else.
    assert_eq!(site.entries(), [".gazette", "content"]);
    assert_eq!(common::names_in(&site.root().join(".gazette")), ["cache"]);
}

#[test]
fn the_good_files_of_the_corpus_build_safely() {
    let good: Vec<String> = corpus_files()
        .into_iter()
        .filter(|name| !REFUSED.iter().any(|(refused, _)| refused == name))
        .collect();
    let site = site_with(&good);
    site.build(&[]).assert_success();
    let public = site.public();
    for (name, page) in BUILT {
        assert!(
            public.join(page).join("index.html").is_file(),
            "{name} should be published at /{page}"
        );
    }
    for (name, title) in BUILT_UNDATED {
        let pages: Vec<String> = html_files(&public)
            .into_iter()
            .filter(|file| {
                page_title(&read_text(&public.join(file))).is_some_and(|t| t.starts_with(title))
            })
            .collect();
        assert_eq!(
            pages.len(),
            1,
            "{name} should have one page titled {title:?}"
        );
    }
    let pages: Vec<String> = files_under(&public)
        .into_iter()
        .filter(|file| !file.starts_with("pagefind/"))
        .collect();
    for file in &pages {
        let text = fs::read(public.join(file)).expect("readable output");
        let text = String::from_utf8_lossy(&text).to_ascii_lowercase();
        for live in [
            "javascript:",
            "<script>alert",
            "src=\"data:",
            "href=\"data:",
        ] {
            assert!(!text.contains(live), "{file} contains {live}");
        }
    }
    assert!(files_containing(&public, "outside/index.html").is_empty());
    assert_eq!(site.entries(), [".gazette", "content", "public"]);
    assert!(!Path::new("/tmp/gazette-outside").exists());
}

#[test]
fn a_50_mb_article_is_refused_by_name_without_reading_it() {
    let site = TestSite::empty();
    let mut article = b"---\ntitle: A database dump\ndate: 2023-01-01\n---\n".to_vec();
    let paragraph = b"A paragraph of a dump that someone saved as an article by mistake.\n\n";
    while article.len() < 50 * 1024 * 1024 {
        article.extend_from_slice(paragraph);
    }
    let path = site.write_article("dump.md", &article);
    site.write_article(
        "good.md",
        common::markdown_article("A good story", "2023-01-02"),
    );
    let started = std::time::Instant::now();
    let run = site.build(&[]);
    run.assert_failure();
    let errors = run.lines_naming("error: ", &path);
    assert!(
        errors.iter().any(|line| line.contains("MB")),
        "no size error names {}\n{}",
        path.display(),
        run.output()
    );
    assert!(
        started.elapsed().as_secs() < 30,
        "refusing it took {:?}",
        started.elapsed()
    );
}

#[test]
fn a_title_of_10000_characters_gets_a_page_with_a_short_url() {
    let site = TestSite::empty();
    let title = "Council ".repeat(1250);
    site.write_article(
        "long.md",
        format!(
            "---\ntitle: \"{}\"\ndate: 2023-01-01\n---\nBody.\n",
            title.trim()
        ),
    );
    site.build(&[]).assert_success();
    let pages: Vec<String> = html_files(&site.public())
        .into_iter()
        .filter(|file| file.starts_with("2023/01/") && file.matches('/').count() == 3)
        .collect();
    assert_eq!(pages.len(), 1, "{pages:?}");
    assert!(pages[0].len() < 120, "URL too long: {}", pages[0]);
    let html = read_text(&site.public().join(&pages[0]));
    assert!(html.contains(title.trim()), "the full title is on the page");
}

#[test]
fn a_symbolic_link_loop_in_content_is_skipped_with_a_warning() {
    let site = TestSite::empty();
    site.write_article(
        "2023/01/council.md",
        common::markdown_article("A council story", "2023-01-05"),
    );
    let loop_link = site.root().join("content/2023/01/again");
    std::os::unix::fs::symlink(site.root().join("content/2023"), &loop_link).expect("symlink");
    let run = site.build(&[]);
    run.assert_success();
    let warnings = run.lines_naming("warning: ", &loop_link);
    assert!(
        warnings.iter().any(|line| line.contains("loops")),
        "no warning names the loop {}\n{}",
        loop_link.display(),
        run.output()
    );
    assert!(site.public().join("2023/01/council/index.html").is_file());
}

#[test]
fn a_folder_of_100000_articles_builds() {
    const ARTICLES: usize = 100_000;
    let site = TestSite::empty();
    fs::write(site.root().join("site.yaml"), "search: false\n").expect("site.yaml");
    let folder = site.root().join("content/2023");
    fs::create_dir_all(&folder).expect("content/2023");
    for number in 0..ARTICLES {
        let day = number % 28 + 1;
        fs::write(
            folder.join(format!("story-{number}.md")),
            format!(
                "---\ntitle: Story {number}\ndate: 2023-02-{day:02}\n---\nParagraph {number}.\n"
            ),
        )
        .expect("write an article");
    }
    let run = site.build(&["-q"]);
    run.assert_success();
    assert_eq!(run.articles_built(), ARTICLES);
    assert!(site
        .public()
        .join("2023/02/story-99999/index.html")
        .is_file());
}
