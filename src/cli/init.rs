//! `gazette init`: a new site that builds at once.

use std::fs;
use std::path::PathBuf;

use anyhow::{bail, Context, Result};

use crate::config::SITE_FILE;

const SITE_YAML: &str = r#"# gazette site configuration. Every key is optional; shown here with its default.
title: "My archive"
description: "A news archive"
# Where the site will be published. Its path (/archive/ in https://example.org/archive/)
# prefixes every link, so the site also works under a sub-path.
base_url: "http://127.0.0.1:1111/"
language: "en"
paginate_by: 20
# Tokens: :year :month :day :slug
article_url: "/:year/:month/:slug/"
feed_size: 20
indexes:
  topics: true
  people: true
  authors: true
  dates: true
# Full-text search (Pagefind). Not the default (false): indexing takes longer than the rest
# of the build together, so an archive opts in, as in Zola. A new site does.
search: true
search_shard_articles: 5000
"#;

const EXAMPLE_ARTICLE: &str = r#"---
title: "Welcome to your archive"
date: 2024-01-15
author: Your Name
topics: [Announcements]
summary: "An example article. Edit it, or add .md and .txt files beside it."
---
Every article is a Markdown file with front matter like this one, or a plain-text file
whose first line is the title.

Run `gazette build` to write the site into `public/`.
"#;

pub fn run(dir: PathBuf) -> Result<()> {
    let site_file = dir.join(SITE_FILE);
    if site_file.exists() {
        bail!(
            "{} already exists: this folder is already a site",
            site_file.display()
        );
    }
    for folder in ["content/2024/01", "templates", "static", "data"] {
        fs::create_dir_all(dir.join(folder))
            .with_context(|| format!("cannot create {}", dir.join(folder).display()))?;
    }
    fs::write(&site_file, SITE_YAML)
        .with_context(|| format!("cannot write {}", site_file.display()))?;
    let article = dir.join("content/2024/01/welcome.md");
    fs::write(&article, EXAMPLE_ARTICLE)
        .with_context(|| format!("cannot write {}", article.display()))?;
    println!(
        "Created a site in {}. Next: cd there and run `gazette build`.",
        dir.display()
    );
    Ok(())
}
