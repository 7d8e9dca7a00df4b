//! Nothing an article carries becomes live in the output: script tags, event handlers,
//! `javascript:` and `data:` links, and `</script>` in titles are escaped or removed in HTML
//! pages, attributes, feeds and the sitemap, in Markdown and plain text alike. Trusted archives
//! can keep raw HTML with `raw_html: keep`.

mod common;

const MARKDOWN: &str = r#"---
title: "</script><script>alert('title')</script>"
date: 2024-05-01
author: "<img src=x onerror=alert('author')>"
topics: ["<b onmouseover=alert('topic')>T</b>"]
summary: "\"><script>alert('summary')</script>"
image: "javascript:alert('image')"
source_url: "javascript:alert('source')"
---
Text with <script>alert('body')</script> and <img src="x" onerror="alert('onerror')">.

[a link](javascript:alert('link')) and [data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)

<a href="javascript:alert('raw')">raw link</a> <iframe src="https://example.org/"></iframe>
"#;

const PLAIN: &str = "<script>alert('plain title')</script>\n\nBy <b>Eve</b>\n\nA body with <img src=x onerror=alert('plain')> inside.\n";

/// Every output file's text.
fn output_texts(root: &std::path::Path) -> Vec<(String, String)> {
    common::files_under(root)
        .into_iter()
        .filter(|file| file.ends_with(".html") || file.ends_with(".xml"))
        .map(|file| (file.clone(), common::read_text(&root.join(&file))))
        .collect()
}

/// A double-quoted attribute value.
fn quoted_value() -> regex::Regex {
    regex::Regex::new(r#""[^"]*""#).expect("valid pattern")
}

/// A tag (not escaped text) with an `on...=` attribute.
fn live_handler() -> regex::Regex {
    regex::Regex::new(r"<[a-z][^<>]*\son[a-z]+\s*=").expect("valid pattern")
}

#[test]
fn scripts_handlers_and_script_links_are_never_live() {
    let site = common::TestSite::empty();
    site.write_article("2024/05/hostile.md", MARKDOWN);
    site.write_article("2024/05/hostile-plain.txt", PLAIN);
    site.build(&["-q"]).assert_success();
    for (file, text) in output_texts(&site.public()) {
        let lower = text.to_lowercase();
        assert!(!lower.contains("<script>alert"), "{file} has a live script");
        // Quoted attribute values are data (gazette escapes `"` inside them): blank them first.
        let tags_only = quoted_value().replace_all(&lower, "\"\"");
        assert!(
            !live_handler().is_match(&tags_only),
            "{file} has a tag with an event handler"
        );
        for live in [
            "<img src=x onerror",
            "<b onmouseover",
            "href=\"javascript:",
            "src=\"javascript:",
            "href=\"data:",
            "<iframe",
        ] {
            assert!(!lower.contains(live), "{file} contains {live}");
        }
    }
    let page = common::read_text(&site.public().join("2024/05/hostile/index.html"));
    assert!(
        page.contains("&lt;&#x2F;script&gt;") || page.contains("&lt;/script&gt;"),
        "the title shows as text"
    );
    assert!(
        page.contains("raw link"),
        "sanitising keeps the text of raw HTML"
    );
}

#[test]
fn trusted_archives_keep_raw_html() {
    let site = common::TestSite::empty();
    std::fs::write(site.root().join("site.yaml"), "raw_html: keep\n").expect("site.yaml");
    site.write_article("2024/05/embed.md", "---\ntitle: Embed\ndate: 2024-05-01\n---\n<iframe src=\"https://example.org/video\"></iframe>\n");
    site.build(&["-q"]).assert_success();
    let page = common::read_text(&site.public().join("2024/05/embed/index.html"));
    assert!(page.contains("<iframe src=\"https://example.org/video\"></iframe>"));
}
