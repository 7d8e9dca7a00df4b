//! A site built with `--base-url https://example.org/archive/` works when published under that
//! sub-path: every internal link of every page starts with `/archive/` (or the full base URL) and
//! leads to a file once the prefix is stripped, and every URL in the feeds, the sitemap and
//! robots.txt starts with `https://example.org/archive/`.

mod common;

use std::path::Path;
use std::sync::OnceLock;

use common::{
    assert_no_broken_links, classify_link, feed_files, first_lines, html_files, links_in,
    parse_xml, read_text, repo_dir, scratch_dir, shared_build, BaseUrl, LinkTarget, SharedBuild,
};

const BASE_URL: &str = "https://example.org/archive/";
const BASE_PATH: &str = "/archive/";

static SUB_PATH: OnceLock<SharedBuild> = OnceLock::new();

/// The sample site built for the sub-path, shared by the tests of this file.
fn sub_path_build() -> &'static SharedBuild {
    SUB_PATH
        .get_or_init(|| {
            shared_build(
                &scratch_dir("sub_path_site"),
                &repo_dir(),
                &["--base-url", BASE_URL],
            )
        })
        .succeeded()
}

/// Every URL an XML file gives: `href` attributes and the text of `<id>` and `<loc>` elements.
fn urls_in_xml(path: &Path) -> Vec<String> {
    let text = read_text(path);
    let document = parse_xml(&text, path);
    document
        .descendants()
        .filter(|node| node.is_element())
        .flat_map(|node| {
            let href = node.attribute("href").map(str::to_string);
            let text = matches!(node.tag_name().name(), "id" | "loc")
                .then(|| node.text().unwrap_or_default().trim().to_string());
            href.into_iter().chain(text)
        })
        .collect()
}

fn assert_all_below_base_url(file: &str, urls: &[String]) {
    assert!(!urls.is_empty(), "{file} holds no URL");
    let outside: Vec<&String> = urls
        .iter()
        .filter(|url| !url.starts_with(BASE_URL))
        .collect();
    assert!(
        outside.is_empty(),
        "{file}: URLs not below {BASE_URL}:\n{}",
        first_lines(&outside)
    );
}

#[test]
fn every_internal_link_starts_with_the_sub_path() {
    let output = &sub_path_build().output;
    let base = BaseUrl::new(BASE_URL);
    let mut stray = Vec::new();
    let mut internal = 0;
    for page in html_files(output) {
        for link in links_in(&read_text(&output.join(&page))) {
            // Internal means "starts with /archive/ or https://example.org/archive/".
            match classify_link(&link, &base) {
                LinkTarget::Internal(_) => internal += 1,
                LinkTarget::Stray => stray.push(format!("{page}: {link}")),
                LinkTarget::Ignored => {}
            }
        }
    }
    assert!(internal > 0, "no internal link found at all");
    assert!(
        stray.is_empty(),
        "{} links do not start with {BASE_PATH}:\n{}",
        stray.len(),
        first_lines(&stray)
    );
}

#[test]
fn every_internal_link_resolves_once_the_sub_path_is_stripped() {
    assert_no_broken_links(&sub_path_build().output, &BaseUrl::new(BASE_URL));
}

#[test]
fn feed_urls_start_with_the_base_url() {
    let output = &sub_path_build().output;
    let feeds = feed_files(output);
    assert!(
        feeds.len() > 1,
        "the site feed and per-term feeds: {feeds:?}"
    );
    for feed in feeds {
        assert_all_below_base_url(&feed, &urls_in_xml(&output.join(&feed)));
    }
}

#[test]
fn sitemap_urls_start_with_the_base_url() {
    let output = &sub_path_build().output;
    assert_all_below_base_url("sitemap.xml", &urls_in_xml(&output.join("sitemap.xml")));
}

#[test]
fn robots_txt_points_at_the_sub_path_sitemap() {
    let robots = read_text(&sub_path_build().output.join("robots.txt"));
    let line = format!("Sitemap: {BASE_URL}sitemap.xml");
    assert!(
        robots.lines().any(|text| text.trim() == line),
        "robots.txt lacks `{line}`:\n{robots}"
    );
}
