//! `gazette check` gates a deploy: the sample site passes; a site with a broken internal link,
//! a missing anchor and an undated article fails with each problem named by file.

mod common;

#[test]
fn the_sample_site_passes() {
    let run = common::gazette(&[
        std::ffi::OsStr::new("check"),
        std::ffi::OsStr::new("--site"),
        common::repo_dir().as_os_str(),
    ]);
    run.assert_success();
    assert!(run.stdout.contains("0 error(s)"), "{}", run.output());
}

#[test]
fn broken_links_and_anchors_fail_the_check() {
    let site = common::TestSite::empty();
    site.write_article(
        "2024/05/links.md",
        "---\ntitle: Links\ndate: 2024-05-01\n---\nSee [a missing page](/2099/01/missing/), [a missing anchor](/2024/05/links/#nowhere) and [a good one](/2024/05/links/#main).\n",
    );
    let undated = site.write_article("undated.txt", "Undated\n\nNo date anywhere in this one.\n");
    let run = common::gazette(&[
        std::ffi::OsStr::new("check"),
        std::ffi::OsStr::new("--site"),
        site.root().as_os_str(),
    ]);
    run.assert_failure();
    assert!(
        run.stdout.contains(
            "error: 2024/05/links/index.html: links to /2099/01/missing/, which does not exist"
        ),
        "{}",
        run.output()
    );
    assert!(
        run.stdout.contains("has no element with id \"nowhere\""),
        "{}",
        run.output()
    );
    assert!(
        !run.stdout.contains("\"main\""),
        "an existing anchor is fine: {}",
        run.output()
    );
    assert!(
        run.stdout
            .contains(&format!("warning: {}: no date found", undated.display())),
        "{}",
        run.output()
    );
    assert!(run.stdout.contains("2 error(s)"), "{}", run.output());
}
