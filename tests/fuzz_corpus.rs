//! Replays the fuzz corpus (`fuzz/corpus/TARGET/`: seeds and every input libFuzzer found
//! interesting in the long runs of `fuzz/run.sh`) through the same entry points the fuzz targets
//! call, so a change that makes any of them panic fails `cargo test` without a fuzzer.

use std::fs;
use std::path::PathBuf;

type Target = fn(&[u8]);

const TARGETS: [(&str, Target); 5] = [
    ("front_matter", gazette::fuzzing::front_matter),
    ("article_markdown", |data| {
        gazette::fuzzing::article(data, true)
    }),
    ("article_text", |data| {
        gazette::fuzzing::article(data, false)
    }),
    ("people", gazette::fuzzing::people),
    ("slug", gazette::fuzzing::slug),
];

fn corpus(target: &str) -> Vec<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/corpus")
        .join(target);
    let mut files: Vec<PathBuf> = fs::read_dir(&dir)
        .unwrap_or_else(|error| panic!("cannot list {}: {error}", dir.display()))
        .map(|entry| entry.expect("a readable corpus entry").path())
        .filter(|path| path.is_file())
        .collect();
    files.sort();
    files
}

#[test]
fn every_saved_fuzz_input_runs_without_a_panic() {
    for (target, run) in TARGETS {
        let files = corpus(target);
        assert!(
            files.len() >= 5,
            "fuzz/corpus/{target} has only {} inputs",
            files.len()
        );
        for file in files {
            let data = fs::read(&file).expect("a readable corpus file");
            let outcome = std::panic::catch_unwind(|| run(&data));
            assert!(outcome.is_ok(), "{target} panicked on {}", file.display());
        }
    }
}
