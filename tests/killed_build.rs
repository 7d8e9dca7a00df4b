//! A build killed at any moment (SIGKILL, no chance to clean up) never damages the previous
//! site: `public/` stays byte-identical, and the next build succeeds and leaves no stray
//! folders beside it. The short version, run by `cargo test`, kills a BBC build at a handful of
//! moments; `GAZETTE_KILLS=N` runs N kills at spread moments.

mod common;

use std::process::{Command, Stdio};
use std::time::Duration;

#[test]
fn a_killed_build_leaves_the_previous_site_intact() {
    let site = common::TestSite::empty();
    common::link_bbc_corpus(&site.root().join("content"));
    site.build(&["-q"]).assert_success();
    let before = common::snapshot(&site.public());
    let kills: u64 = std::env::var("GAZETTE_KILLS")
        .ok()
        .and_then(|value| value.parse().ok())
        .unwrap_or(4);
    for attempt in 0..kills {
        // Spread over the build: early (reading), middle (rendering), late (swapping).
        let delay = Duration::from_millis(150 + attempt * 9_000 / kills.max(1));
        let mut child = Command::new(env!("CARGO_BIN_EXE_gazette"))
            .args(["build", "-q", "--site"])
            .arg(site.root())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start a build");
        std::thread::sleep(delay);
        let _ = child.kill();
        let _ = child.wait();
        let after = common::snapshot(&site.public());
        assert!(
            after == before,
            "the site changed after a build killed at {delay:?}"
        );
    }
    site.build(&["-q"]).assert_success();
    let beside: Vec<String> = std::fs::read_dir(site.root())
        .expect("list the site folder")
        .filter_map(|entry| entry.ok())
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .filter(|name| name.contains("gazette-"))
        .collect();
    assert!(
        beside.is_empty(),
        "stray folders after the next build: {beside:?}"
    );
    assert!(
        common::snapshot(&site.public()) == before,
        "a rebuild of the same input is byte-identical"
    );
}
