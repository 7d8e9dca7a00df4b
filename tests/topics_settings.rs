//! The `topics` settings of site.yaml: aliases fold spellings into one topic, folders become
//! sections, rules suggest topics from signal words, and `gazette metadata` says where each
//! topic came from.

mod common;

const SITE: &str = "title: Test
topics:
  from_folders: true
  aliases:
    US politics: U.S. politics
  rules:
    Climate: [emissions, heat wave]
";

#[test]
fn aliases_folders_and_rules_give_topics_with_their_source() {
    let site = common::TestSite::empty();
    std::fs::write(site.root().join("site.yaml"), SITE).expect("site.yaml");
    site.write_article(
        "sport/2020-01-02-final.md",
        "---\ntitle: Final\ndate: 2020-01-02\ntopics: [us  Politics]\n---\nA match.\n",
    );
    site.write_article(
        "sport/2020-01-03-heat.txt",
        "Heat wave stops play\n\nEmissions rose and a heat wave stopped the match.\n",
    );
    let (_, records) = common::metadata(site.root());
    let topics = |index: usize| -> Vec<(String, String)> {
        records[index]["topics"]
            .as_array()
            .expect("topics")
            .iter()
            .map(|topic| {
                (
                    topic["name"].as_str().unwrap_or("").to_string(),
                    topic["source"].as_str().unwrap_or("").to_string(),
                )
            })
            .collect()
    };
    assert_eq!(
        topics(0),
        [
            ("U.S. politics".to_string(), "front-matter".to_string()),
            ("Sport".to_string(), "folder".to_string())
        ]
    );
    assert_eq!(
        topics(1),
        [
            ("Sport".to_string(), "folder".to_string()),
            ("Climate".to_string(), "rule".to_string())
        ]
    );
    let score = records[1]["topics"][1]["score"].as_f64().expect("score");
    assert!(score > 0.0 && score <= 1.0, "{score}");
}
