//! The curated people file, `data/people.yaml`: canonical names with their aliases, a
//! description and an image, and names that are never people. It overrides extraction and
//! feeds recognition (a listed name is found even where the tagger misses it).
//!
//! ```yaml
//! people:
//!   - name: Kim Jong-un
//!     aliases: [Kim Jong Un, Chairman Kim]
//!     description: Supreme Leader of North Korea since 2011.
//!     image: /images/people/kim-jong-un.jpg
//! not_people: [Cold War, White House]
//! ```

use std::collections::{HashMap, HashSet};
use std::path::Path;

use anyhow::{Context, Result};
use serde::Deserialize;

/// Where the file lives inside a site.
pub const PEOPLE_FILE: &str = "data/people.yaml";

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct PeopleFile {
    #[serde(default)]
    people: Vec<CuratedPerson>,
    #[serde(default)]
    not_people: Vec<String>,
}

/// One person as the site's editors describe them.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CuratedPerson {
    pub name: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    pub description: Option<String>,
    pub image: Option<String>,
}

/// The curated people, indexed for extraction and linking.
#[derive(Debug, Clone, Default)]
pub struct CuratedPeople {
    pub people: Vec<CuratedPerson>,
    /// Lower-cased names that are never people.
    pub not_people: HashSet<String>,
    /// Lower-cased name or alias → index into `people`.
    by_name: HashMap<String, usize>,
}

impl CuratedPeople {
    /// Reads `data/people.yaml` from a site folder; no file means no curated people.
    pub fn load(site_dir: &Path) -> Result<CuratedPeople> {
        let path = site_dir.join(PEOPLE_FILE);
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                return Ok(CuratedPeople::default())
            }
            Err(error) => {
                return Err(error).with_context(|| format!("cannot read {}", path.display()))
            }
        };
        let file: PeopleFile = serde_yaml::from_str(&text).map_err(|error| {
            let line = error
                .location()
                .map(|location| format!(":{}", location.line()))
                .unwrap_or_default();
            anyhow::anyhow!("{}{line}: {error}", path.display())
        })?;
        Ok(CuratedPeople::new(file.people, file.not_people))
    }

    pub fn new(people: Vec<CuratedPerson>, not_people: Vec<String>) -> CuratedPeople {
        let mut by_name = HashMap::new();
        for (index, person) in people.iter().enumerate() {
            for name in std::iter::once(&person.name).chain(&person.aliases) {
                by_name.insert(name.to_lowercase(), index);
            }
        }
        CuratedPeople {
            people,
            not_people: not_people.iter().map(|name| name.to_lowercase()).collect(),
            by_name,
        }
    }

    /// The curated person a name or alias refers to.
    pub fn find(&self, name: &str) -> Option<&CuratedPerson> {
        // Most sites curate no one: every person found is asked about.
        if self.by_name.is_empty() {
            return None;
        }
        self.by_name
            .get(&name.to_lowercase())
            .map(|&index| &self.people[index])
    }

    /// Every curated name and alias, for finding them in text.
    pub fn all_names(&self) -> impl Iterator<Item = &str> {
        self.people.iter().flat_map(|person| {
            std::iter::once(person.name.as_str()).chain(person.aliases.iter().map(String::as_str))
        })
    }
}
