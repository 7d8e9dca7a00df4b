//! `data/people.yaml` wins over extraction: aliases join the canonical person, listed
//! non-people never get a page, names the tagger would miss are found, and the description
//! shows on the person's page. Front matter wins too: `people: []` means nobody.

mod common;

const PEOPLE_FILE: &str = "people:
  - name: Kim Jong-un
    aliases: [Chairman Kim, Kim Jong Un]
    description: Supreme Leader of North Korea.
  - name: Zorblax Quibbleworth
not_people: [Cold War Museum Director]
";

const ARTICLE: &str = "Summit talks resume

Kim Jong Un arrived on Tuesday. Chairman Kim said talks would go on, and zorblax said little.
Zorblax Quibbleworth, an envoy, said the Cold War Museum Director would attend.
";

#[test]
fn the_curated_file_overrides_extraction() {
    let site = common::TestSite::empty();
    std::fs::create_dir(site.root().join("data")).expect("data/");
    std::fs::write(site.root().join("data/people.yaml"), PEOPLE_FILE).expect("people.yaml");
    site.write_article("2019/02/summit.txt", ARTICLE);
    site.build(&["-q"]).assert_success();

    let people: Vec<String> = std::fs::read_dir(site.public().join("people"))
        .expect("people/")
        .filter_map(|entry| entry.ok())
        .filter(|entry| entry.path().is_dir())
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .collect();
    assert!(people.contains(&"kim-jong-un".to_string()), "{people:?}");
    assert!(
        people.contains(&"zorblax-quibbleworth".to_string()),
        "{people:?}"
    );
    assert!(
        !people.iter().any(|slug| slug.contains("museum")),
        "{people:?}"
    );
    assert!(
        !people.contains(&"kim-jong-un-2".to_string())
            && !people.contains(&"chairman-kim".to_string()),
        "{people:?}"
    );

    let page = common::read_text(&site.public().join("people/kim-jong-un/index.html"));
    assert!(
        page.contains("Supreme Leader of North Korea."),
        "the description shows on the page"
    );
}

#[test]
fn a_bad_people_file_names_its_line() {
    let site = common::TestSite::empty();
    std::fs::create_dir(site.root().join("data")).expect("data/");
    std::fs::write(
        site.root().join("data/people.yaml"),
        "people:\n  - name: A\n    nickname: B\n",
    )
    .expect("people.yaml");
    site.write_article("2019/02/a.txt", ARTICLE);
    let run = site.build(&[]);
    run.assert_failure();
    assert!(run.stderr.contains("people.yaml:3"), "{}", run.output());
    assert!(run.stderr.contains("nickname"), "{}", run.output());
}

#[test]
fn front_matter_people_win_and_an_empty_list_means_nobody() {
    let site = common::TestSite::empty();
    let body = "Tony Blair said on Monday that Helena Varga would visit London.\n";
    site.write_article(
        "2019/02/none.md",
        format!("---\ntitle: None named\ndate: 2019-02-01\npeople: []\n---\n{body}"),
    );
    site.write_article(
        "2019/02/one.md",
        format!("---\ntitle: One named\ndate: 2019-02-02\npeople: [Helena Varga]\n---\n{body}"),
    );
    site.write_article(
        "2019/02/unsaid.md",
        format!("---\ntitle: Unsaid\ndate: 2019-02-03\n---\n{body}"),
    );
    site.build(&["-q"]).assert_success();

    let people_on = |slug: &str| {
        let page = common::read_text(&site.public().join(format!("2019/02/{slug}/index.html")));
        ["tony-blair", "helena-varga"]
            .into_iter()
            .filter(|person| page.contains(&format!("href=\"/people/{person}/\"")))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        people_on("none"),
        Vec::<&str>::new(),
        "`people: []` names nobody"
    );
    assert_eq!(
        people_on("one"),
        ["helena-varga"],
        "the list is all there is"
    );
    assert_eq!(
        people_on("unsaid"),
        ["tony-blair", "helena-varga"],
        "with no `people` key, extraction finds them"
    );

    // `gazette metadata` names the front matter's people with their pages' ids (without
    // mentions: the text is not searched for them), and the found ones with their mentions.
    let (_, records) = common::metadata(site.root());
    let people_of = |slug: &str| {
        let record = records
            .iter()
            .find(|record| record["url"].as_str().unwrap_or("").contains(slug))
            .unwrap_or_else(|| panic!("no record of {slug}: {records:?}"));
        record["people"]
            .as_array()
            .expect("people")
            .iter()
            .map(|person| {
                let mentions = person["mentions"].as_array().map_or(0, Vec::len);
                (person["id"].as_str().unwrap_or("").to_string(), mentions)
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(people_of("/none/"), []);
    assert_eq!(people_of("/one/"), [("helena-varga".to_string(), 0)]);
    assert_eq!(
        people_of("/unsaid/"),
        [
            ("tony-blair".to_string(), 1),
            ("helena-varga".to_string(), 1)
        ]
    );
}
