//! People extraction measured the way the project promises: the CoNLL-2003 development set,
//! written as text by the shared `conll_to_text.py`, run through `gazette extract`, and scored
//! by the shared `ner_eval.py` (document-level people-set F1: the distinct mention texts found
//! in each document, plus any author found in its text). Fails below 0.93.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{json, Value};

const REQUIRED_F1: f64 = 0.93;

fn python(args: &[&std::ffi::OsStr]) -> String {
    let output = Command::new("python3")
        .args(args)
        .output()
        .expect("python3 runs the shared scorer");
    assert!(
        output.status.success(),
        "python3 {:?} failed: {}",
        args,
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// One prediction line per extracted file: the document number and its people set.
fn predictions(extracted: &str) -> String {
    let mut lines = String::new();
    for line in extracted.lines() {
        let record: Value = serde_json::from_str(line).expect("extract prints JSON lines");
        let path = record["path"].as_str().expect("path");
        let doc: usize = Path::new(path)
            .file_stem()
            .and_then(|stem| stem.to_str())
            .and_then(|stem| stem.strip_prefix("doc-"))
            .and_then(|number| number.parse().ok())
            .expect("files are named doc-NNNN.txt");
        let mut people = BTreeSet::new();
        for person in record["people"].as_array().expect("people") {
            for mention in person["mentions"].as_array().expect("mentions") {
                people.insert(mention["text"].as_str().expect("text").to_string());
            }
        }
        for author in record["authors"].as_array().expect("authors") {
            people.insert(author["name"].as_str().expect("name").to_string());
        }
        lines.push_str(&json!({ "doc": doc, "people": people }).to_string());
        lines.push('\n');
    }
    lines
}

#[test]
fn people_set_f1_on_the_conll_dev_set_is_at_least_0_93() {
    let gold = common::shared_path("corpora/conll2003/eng.testa");
    let scratch = tempfile::tempdir().expect("temp dir");
    let text_dir = scratch.path().join("text");
    python(&[
        common::shared_path("eval/conll_to_text.py").as_os_str(),
        gold.as_os_str(),
        text_dir.as_os_str(),
    ]);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&text_dir)
        .expect("conll_to_text wrote documents")
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| path.extension().is_some_and(|ending| ending == "txt"))
        .collect();
    files.sort();
    assert_eq!(files.len(), 216, "the dev set has 216 documents");
    let mut args = vec![std::ffi::OsString::from("extract")];
    args.extend(files.iter().map(|path| path.as_os_str().to_owned()));
    let run = common::gazette(&args);
    run.assert_success();
    let predictions_path = scratch.path().join("predictions.jsonl");
    std::fs::write(&predictions_path, predictions(&run.stdout)).expect("write predictions");
    let report = python(&[
        common::shared_path("eval/ner_eval.py").as_os_str(),
        gold.as_os_str(),
        predictions_path.as_os_str(),
        std::ffi::OsStr::new("--json"),
    ]);
    let scores: Value = serde_json::from_str(&report).expect("ner_eval --json prints JSON");
    let people = &scores["people"];
    let f1 = people["f1"]
        .as_f64()
        .unwrap_or_else(|| panic!("no people F1 in {report}"));
    println!(
        "CoNLL-2003 dev people set: P {} R {} F1 {f1}",
        people["precision"], people["recall"]
    );
    assert!(
        f1 >= REQUIRED_F1,
        "people-set F1 {f1} is below {REQUIRED_F1}: {report}"
    );
}
