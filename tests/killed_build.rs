//! A build killed at any moment (SIGKILL, no chance to clean up) never damages the previous
//! site: `public/` stays byte-identical, and the next build succeeds and leaves no stray
//! folders beside it. The short version, run by `cargo test`, kills a BBC build at a handful of
//! moments; `GAZETTE_KILLS=N` runs N kills spread over a whole build, and
//! `GAZETTE_KILL_CORPUS=DIR` builds that corpus's `content/` instead (a 20,000-article one from
//! `../shared/bench/gen_corpus.py`, say).

mod common;

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Forgets the last build, so the next one runs in full instead of finding nothing changed.
fn forget_last_build(site: &common::TestSite) {
    let _ = std::fs::remove_dir_all(site.root().join(".gazette"));
}

#[test]
fn a_killed_build_leaves_the_previous_site_intact() {
    let site = common::TestSite::empty();
    match std::env::var("GAZETTE_KILL_CORPUS") {
        Ok(corpus) => {
            std::fs::remove_dir(site.root().join("content")).expect("an empty content/");
            common::link(
                &std::path::Path::new(&corpus).join("content"),
                &site.root().join("content"),
            );
            std::fs::write(site.root().join("site.yaml"), "search: false\n").expect("site.yaml");
        }
        Err(_) => common::link_bbc_corpus(&site.root().join("content")),
    }
    site.build(&["-q"]).assert_success();
    // The killed builds replace an existing site, as this second build does, so it is the one
    // timed: the first, into an empty folder and a cold file cache, was seen to take a third
    // longer, and a kill after the build ended would test nothing.
    forget_last_build(&site);
    let started = Instant::now();
    site.build(&["-q"]).assert_success();
    let build_time = started.elapsed();
    let before = common::snapshot(&site.public());
    let kills: u64 = std::env::var("GAZETTE_KILLS")
        .ok()
        .and_then(|value| value.parse().ok())
        .unwrap_or(4);
    for attempt in 0..kills {
        // Spread over the first 60% of a build (reading, extracting, rendering), so that a
        // build that runs faster than the timed one still has not finished.
        let delay = Duration::from_millis(100)
            + build_time * (3 * attempt) as u32 / (5 * kills.max(1)) as u32;
        forget_last_build(&site);
        let mut child = Command::new(env!("CARGO_BIN_EXE_gazette"))
            .args(["build", "-q", "--site"])
            .arg(site.root())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start a build");
        std::thread::sleep(delay);
        let finished = child.try_wait().expect("poll the build").is_some();
        let _ = child.kill();
        let _ = child.wait();
        assert!(!finished, "the build ended before the kill at {delay:?}");
        let after = common::snapshot(&site.public());
        assert!(
            after == before,
            "the site changed after a build killed at {delay:?}"
        );
    }
    forget_last_build(&site);
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
