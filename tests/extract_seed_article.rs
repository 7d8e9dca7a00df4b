//! `gazette extract` on the article the project started from: the title, the author and bio
//! from the signature, exactly the two people with every mention, and a body that stops
//! before the signature.

mod common;

use serde_json::Value;

fn seed_path() -> std::path::PathBuf {
    common::shared_path("seeds/kim-trump-summit.txt")
}

fn extract_seed() -> (String, Value) {
    let path = seed_path();
    let run = common::gazette(&[std::ffi::OsStr::new("extract"), path.as_os_str()]);
    run.assert_success();
    let record: Value =
        serde_json::from_str(run.stdout.trim()).expect("extract prints one JSON object");
    let text = std::fs::read_to_string(&path).expect("the seed is UTF-8");
    (text, record)
}

#[test]
fn title_author_and_bio_come_from_the_text() {
    let (_, record) = extract_seed();
    assert_eq!(
        record["title"],
        "Kim Jong-un gives order to prepare for second Trump summit"
    );
    let authors = record["authors"].as_array().expect("authors is a list");
    assert_eq!(authors.len(), 1, "{authors:?}");
    assert_eq!(authors[0]["name"], "Christian Woods");
    let bio = authors[0]["bio"]
        .as_str()
        .expect("the signature's bio is found");
    assert!(bio.starts_with("Christian is a morning reporter"), "{bio}");
    assert!(bio.ends_with("in 2019."), "{bio}");
}

#[test]
fn people_are_exactly_kim_and_trump_with_every_mention() {
    let (text, record) = extract_seed();
    let people = record["people"].as_array().expect("people is a list");
    let names: Vec<&str> = people
        .iter()
        .filter_map(|person| person["name"].as_str())
        .collect();
    assert_eq!(names, ["Kim Jong-un", "Donald Trump"]);
    let expected_mentions = [
        ("Kim Jong-un", text.matches("Kim").count()),
        ("Donald Trump", text.matches("Trump").count()),
    ];
    for (person, (name, count)) in people.iter().zip(expected_mentions) {
        let mentions = person["mentions"].as_array().expect("mentions is a list");
        assert_eq!(
            mentions.len(),
            count,
            "every mention of {name}: {mentions:?}"
        );
        for mention in mentions {
            let start = mention["start"].as_u64().expect("start") as usize;
            let end = mention["end"].as_u64().expect("end") as usize;
            let span = &text[start..end];
            assert_eq!(span, mention["text"], "offsets point at the mention text");
            assert!(
                !span.starts_with("Mr") && !span.starts_with("President"),
                "titles are not part of a mention: {span}"
            );
            assert!(
                !span.ends_with("’s") && !span.ends_with("'s"),
                "possessives are not part of a mention: {span}"
            );
        }
    }
}

#[test]
fn the_body_ends_before_the_signature() {
    let (text, record) = extract_seed();
    let start = record["body_start"].as_u64().expect("body_start") as usize;
    let end = record["body_end"].as_u64().expect("body_end") as usize;
    let body = &text[start..end];
    assert!(body.starts_with("Leader of North Korea"), "{body}");
    assert!(body.ends_with("stagnant economy."), "{body}");
    assert!(!body.contains("Christian Woods") && !body.contains("Share this"));
}
