//! `gazette init` makes a site that builds at once, and refuses to overwrite one.

mod common;

#[test]
fn a_new_site_builds_with_its_example_article() {
    let dir = tempfile::tempdir().expect("temp dir");
    let site = dir.path().join("news");
    let site_arg = site.to_str().expect("UTF-8 temp path");
    common::gazette(&["init", site_arg]).assert_success();
    for expected in ["site.yaml", "content", "templates", "static", "data"] {
        assert!(
            site.join(expected).exists(),
            "init should create {expected}"
        );
    }
    let run = common::build(&site, &[]);
    run.assert_success();
    assert_eq!(run.articles_built(), 1);
    let page = common::read_text(&site.join("public/2024/01/welcome/index.html"));
    assert!(page.contains("Welcome to your archive"));
    assert!(
        site.join("public/search/index.html").is_file() && site.join("public/pagefind").is_dir(),
        "a new site has search on"
    );
}

/// A folder of articles with no site.yaml builds with the defaults, which leave search off:
/// no index, no search page, no link to one.
#[test]
fn a_site_without_site_yaml_builds_without_search() {
    let dir = tempfile::tempdir().expect("temp dir");
    let site = dir.path();
    let article = site.join("content/2024/01/welcome.md");
    std::fs::create_dir_all(article.parent().expect("a folder")).expect("content folder");
    std::fs::write(
        &article,
        "---\ntitle: Welcome\ndate: 2024-01-15\n---\nHello.\n",
    )
    .expect("article");
    let run = common::build(site, &[]);
    run.assert_success();
    assert_eq!(run.articles_built(), 1);
    assert!(!site.join("public/pagefind").exists(), "{}", run.output());
    assert!(!site.join("public/search").exists(), "{}", run.output());
    let home = common::read_text(&site.join("public/index.html"));
    assert!(
        !home.contains("search/"),
        "the home page links to no search page"
    );
}

#[test]
fn init_refuses_an_existing_site() {
    let dir = tempfile::tempdir().expect("temp dir");
    let site_arg = dir.path().to_str().expect("UTF-8 temp path");
    common::gazette(&["init", site_arg]).assert_success();
    let again = common::gazette(&["init", site_arg]);
    again.assert_failure();
    assert!(
        again.stderr.contains("already exists"),
        "{}",
        again.output()
    );
}
