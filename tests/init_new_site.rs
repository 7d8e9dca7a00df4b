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
