//! The site in a real browser: a news archive of the sample articles, the BBC corpus (its
//! folders dated 2004 and 2005) and one article carrying markup, built and served by
//! `gazette serve` under a sub-path, then driven in Debian's chromium by `tests/browser/e2e.mjs`
//! (playwright-core, axe-core): home → person → article → topic with no console error or failed
//! request, a search for a person narrowed by year and ordered newest first across the index's
//! three shards, the phone layout, keyboard navigation, no serious or critical accessibility
//! violation, and screenshots in `target/screenshots/`.
//!
//! Needs `chromium` (Debian's package) and `npm ci --prefix tests/browser`; `.ci/run` installs
//! both. A missing one fails the test with what to install.

mod common;

use std::fs;
use std::path::Path;
use std::process::Command;

use common::{link, repo_dir, scratch_dir, shared_path, start_server};

/// In the politics (2005) and business (2004) articles of the BBC corpus.
const PERSON: &str = "Tony Blair";

const HOSTILE_ARTICLE: &str = "---\n\
title: \"Smuggled <img src=x onerror=alert(1)> headline\"\n\
date: 2024-05-01\n\
topics: [\"<img src=x onerror=alert(2)>\"]\n\
people: [\"<script>alert(3)</script>\"]\n\
---\n\
A smuggled <img src=x onerror=alert(4)> image and a <script>alert(5)</script> script, \
written as text in a smuggled paragraph.\n";

fn make_site(site: &Path) {
    let content = site.join("content");
    fs::create_dir_all(content.join("2004")).expect("create content/2004");
    fs::create_dir_all(content.join("2005")).expect("create content/2005");
    fs::create_dir_all(content.join("hostile")).expect("create content/hostile");
    link(&repo_dir().join("content"), &content.join("sample"));
    for (year, topic) in [
        ("2004", "business"),
        ("2004", "entertainment"),
        ("2005", "politics"),
        ("2005", "sport"),
        ("2005", "tech"),
    ] {
        link(
            &shared_path(&format!("corpora/bbc/{topic}")),
            &content.join(year).join(topic),
        );
    }
    fs::write(content.join("hostile/smuggled.md"), HOSTILE_ARTICLE).expect("write hostile article");
    fs::write(
        site.join("site.yaml"),
        "title: \"The Browser Test Gazette\"\nbase_url: \"https://example.org/archive/\"\n\
         topics:\n  from_folders: true\nsearch: true\nsearch_shard_articles: 1000\n",
    )
    .expect("write site.yaml");
}

/// What the browser tests need, with how to get it when it is missing.
fn assert_browser_tools() {
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    assert!(
        Path::new(&chromium).exists(),
        "{chromium} is missing: install Debian's chromium (apt-get install chromium), as .ci/run does"
    );
    assert!(
        repo_dir()
            .join("tests/browser/node_modules/playwright-core")
            .is_dir(),
        "playwright-core is missing: run `npm ci --prefix tests/browser`, as .ci/run does"
    );
}

#[test]
fn the_served_archive_works_in_chromium() {
    assert_browser_tools();
    let scratch = scratch_dir("browser_end_to_end");
    let site = scratch.join("site");
    make_site(&site);
    let server = start_server(&site);
    let screenshots = repo_dir().join("target/screenshots");
    let output = Command::new("node")
        .arg(repo_dir().join("tests/browser/e2e.mjs"))
        .arg(format!("http://{}/archive/", server.address))
        .arg(&screenshots)
        .arg(PERSON)
        .output()
        .expect("run node (Node.js 20 or newer)");
    let report = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        output.status.success(),
        "the browser checks failed:\n{report}"
    );
    for name in ["home", "person", "article", "search"] {
        let shot = screenshots.join(format!("{name}.png"));
        let size = fs::metadata(&shot).map(|meta| meta.len()).unwrap_or(0);
        assert!(size > 10_000, "{} is missing or blank", shot.display());
    }
}
