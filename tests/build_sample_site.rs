//! The repository's own sample archive (24 published articles and one draft in `content/`) builds
//! into a complete, valid and reproducible site: a page per article with its title, author and
//! topic links; the draft only with `--drafts`; internal links that all resolve; well-formed
//! feeds and sitemap; titles escaped in HTML and XML; HTML5 pages; and byte-identical output for
//! identical input.

mod common;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use common::{
    article_pages, assert_no_broken_links, assert_same_files, assert_sitemap_lists_every_page,
    build_into, escape_html, feed_files, files_containing, files_under, html_files, page_title,
    pages_titled, parse_xml, read_feed, read_text, repo_dir, scratch_dir, shared_build,
    sitemap_locs, unix_seconds, url_path_of, yaml_scalar, BaseUrl, SharedBuild,
};

const PUBLISHED_ARTICLES: usize = 24;
/// `feed_size` is not set in the sample's site.yaml, so feeds hold the default 20 entries.
const FEED_SIZE: usize = 20;
const SITE_TITLE: &str = "The Aldenburg Courier";
const BUDGET_TITLE: &str = "Budget “a gamble”, says opposition & unions";
const DRAFT_PAGE: &str = "2024/10/lindqvist-prepares-hardest-budget/index.html";
const DRAFT_TITLE: &str = "Lindqvist prepares his hardest budget as Greens set out demands";

static SAMPLE: OnceLock<SharedBuild> = OnceLock::new();

/// The sample site built once with its own site.yaml, shared by the tests of this file.
fn sample() -> &'static SharedBuild {
    SAMPLE
        .get_or_init(|| shared_build(&scratch_dir("sample_site"), &repo_dir(), &[]))
        .succeeded()
}

fn base_url() -> BaseUrl {
    BaseUrl::of_site(&repo_dir())
}

/// An article file of the sample archive and what it declares.
#[derive(Debug)]
struct SourceArticle {
    path: PathBuf,
    title: String,
    draft: bool,
}

/// Every `.md` and `.txt` file below `content/`, with its title: the front matter `title` of a
/// Markdown file, the first line of a plain-text one.
fn source_articles() -> Vec<SourceArticle> {
    let content = repo_dir().join("content");
    files_under(&content)
        .into_iter()
        .filter(|file| file.ends_with(".md") || file.ends_with(".txt"))
        .map(|file| {
            let path = content.join(&file);
            let text = read_text(&path);
            let (title, draft) = if file.ends_with(".md") {
                let front = front_matter(&text, &path);
                let title = yaml_scalar(front, "title")
                    .unwrap_or_else(|| panic!("{} has no title", path.display()));
                (
                    title,
                    yaml_scalar(front, "draft").as_deref() == Some("true"),
                )
            } else {
                let first_line = text
                    .lines()
                    .find(|line| !line.trim().is_empty())
                    .unwrap_or_else(|| panic!("{} is blank", path.display()));
                (first_line.trim().to_string(), false)
            };
            SourceArticle { path, title, draft }
        })
        .collect()
}

/// The YAML between the `---` fences at the top of a Markdown file.
fn front_matter<'a>(text: &'a str, path: &Path) -> &'a str {
    text.strip_prefix("---\n")
        .and_then(|rest| rest.split_once("\n---").map(|(yaml, _)| yaml))
        .unwrap_or_else(|| panic!("{} has no front matter", path.display()))
}

/// The page of the sample build at `file`.
fn page(file: &str) -> String {
    read_text(&sample().output.join(file))
}

#[test]
fn builds_with_exit_0_and_counts_24_articles() {
    let run = &sample().run;
    run.assert_success();
    assert_eq!(run.articles_built(), PUBLISHED_ARTICLES, "{}", run.output());
    assert_eq!(
        article_pages(&sample().output).len(),
        PUBLISHED_ARTICLES,
        "one page per published article"
    );
}

#[test]
fn every_published_article_has_a_page_titled_with_its_title() {
    let articles = source_articles();
    assert_eq!(
        articles.len(),
        PUBLISHED_ARTICLES + 1,
        "24 articles and a draft"
    );
    for article in articles.iter().filter(|article| !article.draft) {
        let pages = pages_titled(&sample().output, &article.title);
        assert_eq!(
            pages.len(),
            1,
            "{} (title {:?}) should have exactly one page with that <title>; found {pages:?}",
            article.path.display(),
            article.title
        );
    }
}

/// An article of the sample archive and the links its page must carry.
struct KnownArticle {
    page: &'static str,
    title: &'static str,
    author: (&'static str, &'static str),
    topic: (&'static str, &'static str),
}

const KNOWN_ARTICLES: [KnownArticle; 3] = [
    KnownArticle {
        page: "2023/02/budget-a-gamble-says-opposition-and-unions/index.html",
        title: BUDGET_TITLE,
        author: ("Piotr Zaleski", "/authors/piotr-zaleski/"),
        topic: ("Economy", "/topics/economy/"),
    },
    KnownArticle {
        // The slug comes from front matter, not from the file name.
        page: "2024/11/korean-drama-wins-golden-bridge/index.html",
        title: "Korean drama 'Winter Ferry' wins the Golden Bridge in Aldenburg",
        author: ("Nadia Petrović", "/authors/nadia-petrovic/"),
        topic: ("Culture", "/topics/culture/"),
    },
    KnownArticle {
        page: "2023/04/president-park-arrives-in-aldenburg/index.html",
        title: "President Park arrives in Aldenburg seeking chip and battery partnerships",
        author: ("Kang Hyun-woo", "/authors/kang-hyun-woo/"),
        topic: ("Asia", "/topics/asia/"),
    },
];

#[test]
fn three_known_articles_show_their_title_author_and_topic() {
    for known in &KNOWN_ARTICLES {
        let html = page(known.page);
        assert_eq!(
            page_title(&html).as_deref(),
            Some(format!("{} · {SITE_TITLE}", known.title).as_str()),
            "<title> of {}",
            known.page
        );
        let heading = format!("<h1>{}</h1>", escape_html(known.title));
        assert!(html.contains(&heading), "{} lacks {heading}", known.page);
        for (name, url) in [known.author, known.topic] {
            let link = format!("href=\"{url}\">{}</a>", escape_html(name));
            assert!(html.contains(&link), "{} lacks the link {link}", known.page);
        }
    }
}

#[test]
fn the_draft_is_left_out_unless_drafts_are_asked_for() {
    let output = &sample().output;
    assert!(!output.join(DRAFT_PAGE).exists(), "{DRAFT_PAGE} was built");
    let mentions = files_containing(output, DRAFT_TITLE);
    assert!(mentions.is_empty(), "files mention the draft: {mentions:?}");

    let drafts_output = tempfile::tempdir().expect("cannot create a temp folder");
    let run = build_into(&repo_dir(), drafts_output.path(), &["--drafts"]);
    run.assert_success();
    assert_eq!(
        run.articles_built(),
        PUBLISHED_ARTICLES + 1,
        "{}",
        run.output()
    );
    let draft = read_text(&drafts_output.path().join(DRAFT_PAGE));
    assert!(
        page_title(&draft).is_some_and(|title| title.contains(DRAFT_TITLE)),
        "the draft's page should carry its title"
    );
}

#[test]
fn every_internal_href_and_src_resolves_to_a_file() {
    assert_no_broken_links(&sample().output, &base_url());
}

#[test]
fn every_feed_and_the_sitemap_are_well_formed_xml() {
    let output = &sample().output;
    let feeds = feed_files(output);
    for family in ["topics", "people", "authors"] {
        assert!(
            feeds.iter().any(|feed| feed.starts_with(family)),
            "no {family}/*/atom.xml among {feeds:?}"
        );
    }
    for feed in &feeds {
        read_feed(&output.join(feed));
    }
    let sitemap = output.join("sitemap.xml");
    parse_xml(&read_text(&sitemap), &sitemap);
}

#[test]
fn the_site_feed_lists_the_20_newest_articles_newest_first() {
    let entries = read_feed(&sample().output.join("atom.xml"));
    assert_eq!(entries.len(), FEED_SIZE);
    let times: Vec<i64> = entries
        .iter()
        .map(|entry| unix_seconds(&entry.published))
        .collect();
    assert!(
        times.windows(2).all(|pair| pair[0] >= pair[1]),
        "entries are not newest first: {:?}",
        entries
            .iter()
            .map(|entry| &entry.published)
            .collect::<Vec<_>>()
    );
    assert_eq!(
        entries[0].link,
        base_url().permalink("2025/02/lumeron-kessel-plant-begins-production/"),
        "the newest article comes first"
    );
}

#[test]
fn the_sitemap_lists_every_article_by_its_absolute_url() {
    let output = &sample().output;
    let base = base_url();
    let locs = sitemap_locs(output);
    for loc in &locs {
        assert!(
            loc.starts_with(base.absolute()),
            "{loc} is not below {base:?}"
        );
    }
    for file in article_pages(output) {
        let url = base.permalink(&url_path_of(&file));
        assert!(locs.contains(&url), "the sitemap lacks {url}");
    }
    assert_sitemap_lists_every_page(output, &base);
}

#[test]
fn robots_txt_names_the_sitemap() {
    let robots = page("robots.txt");
    let line = format!("Sitemap: {}", base_url().permalink("sitemap.xml"));
    assert!(
        robots.lines().any(|text| text.trim() == line),
        "robots.txt lacks `{line}`:\n{robots}"
    );
}

#[test]
fn quotes_and_ampersand_in_a_title_are_escaped_in_html_and_xml() {
    let output = &sample().output;
    let escaped = "Budget “a gamble”, says opposition &amp; unions";
    let html = page(KNOWN_ARTICLES[0].page);
    assert!(
        html.contains(&format!("<title>{escaped} · ")),
        "HTML <title>"
    );
    assert!(html.contains(&format!("<h1>{escaped}</h1>")), "HTML <h1>");
    let unescaped = files_containing(output, "opposition & unions");
    assert!(unescaped.is_empty(), "a raw `&` in {unescaped:?}");
    let escaped_twice = files_containing(output, "&amp;amp;");
    assert!(
        escaped_twice.is_empty(),
        "escaped twice in {escaped_twice:?}"
    );
    for feed in ["atom.xml", "authors/piotr-zaleski/atom.xml"] {
        let raw = read_text(&output.join(feed));
        assert!(
            raw.contains(escaped),
            "{feed} should hold the escaped title"
        );
        let titles: Vec<String> = read_feed(&output.join(feed))
            .into_iter()
            .map(|entry| entry.title)
            .collect();
        assert!(
            titles.iter().any(|title| title == BUDGET_TITLE),
            "{feed} should read back the exact title; it has {titles:?}"
        );
    }
}

#[test]
fn every_page_is_html5_with_the_site_language() {
    let output = &sample().output;
    let language = yaml_scalar(&read_text(&repo_dir().join("site.yaml")), "language")
        .expect("site.yaml sets a language");
    let pages = html_files(output);
    assert!(pages.len() > PUBLISHED_ARTICLES);
    for file in pages {
        let html = read_text(&output.join(&file));
        assert!(
            html.starts_with("<!DOCTYPE html>"),
            "{file} does not start with <!DOCTYPE html>"
        );
        assert!(
            html.contains(&format!("<html lang=\"{language}\">")),
            "{file} lacks <html lang=\"{language}\">"
        );
    }
}

#[test]
fn two_builds_of_the_same_input_are_byte_identical() {
    let again = tempfile::tempdir().expect("cannot create a temp folder");
    build_into(&repo_dir(), again.path(), &[]).assert_success();
    assert_same_files(&sample().output, again.path());
}
