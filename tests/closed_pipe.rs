//! Output piped into a program that has already stopped reading (`gazette build | head -0`)
//! ends gazette quietly, with no panic message, and the site is still built: the summary is
//! printed after the new site is in place.

mod common;

use std::process::{Command, Stdio};

#[test]
fn a_closed_pipe_ends_the_output_without_a_panic() {
    let site = common::TestSite::empty();
    site.write_article(
        "2023/01/council.md",
        common::markdown_article("A council story", "2023-01-05"),
    );
    let mut child = Command::new(env!("CARGO_BIN_EXE_gazette"))
        .args(["build", "-q", "--site"])
        .arg(site.root())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start gazette build");
    // Close the reading end before gazette prints anything.
    drop(child.stdout.take());
    let output = child.wait_with_output().expect("wait for gazette");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(site.public().join("2023/01/council/index.html").is_file());
}
