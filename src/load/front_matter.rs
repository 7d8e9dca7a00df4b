//! YAML front matter: splitting it from the Markdown body and reading its keys. Keys are read
//! one by one from the parsed mapping (rather than by a derived struct) so that every type error
//! can name its key and line, and unknown keys survive as `extra` for themes.

use std::collections::BTreeMap;

use serde_yaml::{Mapping, Value};

use super::decode::without_control_characters;

/// A value and the 1-based line of the file it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Located<T> {
    pub value: T,
    pub line: usize,
}

/// The article fields a front matter block can set. Everything is optional.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FrontMatter {
    pub title: Option<String>,
    pub date: Option<Located<String>>,
    pub updated: Option<Located<String>>,
    pub authors: Vec<String>,
    /// From `topics`, `tags` and `categories`, in that order.
    pub topics: Vec<String>,
    /// `None` when the key is absent, so extraction finds them; `people: []` says there are
    /// none, and front matter wins.
    pub people: Option<Vec<String>>,
    pub summary: Option<String>,
    pub slug: Option<Located<String>>,
    pub draft: bool,
    pub image: Option<String>,
    pub source_url: Option<String>,
    /// Keys gazette does not know, passed to templates as `article.extra`.
    pub extra: BTreeMap<String, serde_json::Value>,
}

/// A front matter problem, with the 1-based line of the file where it is.
#[derive(Debug, Clone, PartialEq)]
pub struct FrontMatterError {
    pub line: usize,
    pub message: String,
}

/// The parts of a Markdown file.
#[derive(Debug)]
pub struct Split<'a> {
    /// The YAML between the fences, if the file has a front matter block.
    pub yaml: Option<&'a str>,
    /// Byte offset of the body in the file's text.
    pub body_start: usize,
    /// 1-based line on which the body starts.
    pub body_line: usize,
}

/// Finds a `---` fenced block at the very start of the text.
pub fn split(text: &str) -> Result<Split<'_>, FrontMatterError> {
    let Some(first_line_end) = fence_end(text, 0) else {
        return Ok(Split {
            yaml: None,
            body_start: 0,
            body_line: 1,
        });
    };
    let mut position = first_line_end;
    let mut line = 2;
    while position < text.len() {
        let line_end = text[position..]
            .find('\n')
            .map_or(text.len(), |index| position + index + 1);
        if let Some(end) = fence_end(text, position) {
            return Ok(Split {
                yaml: Some(&text[first_line_end..position]),
                body_start: end,
                body_line: line + 1,
            });
        }
        position = line_end;
        line += 1;
    }
    Err(FrontMatterError {
        line: 1,
        message: "front matter opened with --- is never closed: add a line with --- after it"
            .into(),
    })
}

/// If a `---` line starts at `position`, the offset just past it.
fn fence_end(text: &str, position: usize) -> Option<usize> {
    let rest = &text[position..];
    let line_end = rest.find('\n').map_or(rest.len(), |index| index + 1);
    (rest[..line_end].trim_end() == "---").then_some(position + line_end)
}

/// serde_yaml's messages carry "at line 2 column 14", counted inside the block; the reported
/// line is the file's, so that position would only mislead.
fn without_position(message: &str) -> String {
    static POSITION: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    POSITION
        .get_or_init(|| regex::Regex::new(r"\s*at line \d+ column \d+").expect("valid pattern"))
        .replace_all(message, "")
        .into_owned()
}

/// Parses the YAML of a front matter block whose first line is `first_line` in the file.
pub fn parse(yaml: &str, first_line: usize) -> Result<FrontMatter, FrontMatterError> {
    // An unclosed bracket or quote is found at the end of the block; the last line of YAML is
    // where the user should look, not the closing fence.
    let last_line = first_line + yaml.lines().count().max(1) - 1;
    let value: Value = serde_yaml::from_str(yaml).map_err(|error| FrontMatterError {
        line: error.location().map_or(first_line, |location| {
            (first_line + location.line() - 1).min(last_line)
        }),
        message: format!(
            "front matter is not valid YAML: {}",
            without_position(&error.to_string())
        ),
    })?;
    let mapping = match value {
        Value::Mapping(mapping) => mapping,
        Value::Null => Mapping::new(),
        other => {
            return Err(FrontMatterError {
                line: first_line,
                message: format!(
                    "front matter must be a mapping of keys (title: ..., date: ...), not {}",
                    describe(&other)
                ),
            })
        }
    };
    Reader {
        yaml,
        first_line,
        mapping,
    }
    .read()
}

struct Reader<'a> {
    yaml: &'a str,
    first_line: usize,
    mapping: Mapping,
}

impl Reader<'_> {
    fn read(mut self) -> Result<FrontMatter, FrontMatterError> {
        let mut front = FrontMatter {
            title: self.text("title")?,
            date: self.located_text("date")?,
            updated: self.located_text("updated")?,
            summary: self.text("summary")?,
            slug: self.located_text("slug")?,
            image: self.text("image")?,
            source_url: self.text("source_url")?,
            draft: self.flag("draft")?,
            ..FrontMatter::default()
        };
        front.authors = self.list("author")?;
        front.authors.extend(self.list("authors")?);
        for key in ["topics", "tags", "categories"] {
            front.topics.extend(self.list(key)?);
        }
        front.people = self
            .take("people")
            .map(|value| self.names("people", value))
            .transpose()?;
        for (key, value) in std::mem::take(&mut self.mapping) {
            let key = match key {
                Value::String(key) => key,
                other => scalar_text(&other).unwrap_or_else(|| "?".into()),
            };
            if let Ok(json) = serde_json::to_value(&value) {
                front.extra.insert(key, json);
            }
        }
        Ok(front)
    }

    /// The line of `key:` in the block, for messages; the block's first line if not found.
    fn line_of(&self, key: &str) -> usize {
        self.yaml
            .lines()
            .position(|line| {
                line.strip_prefix(key)
                    .is_some_and(|rest| rest.trim_start().starts_with(':'))
            })
            .map_or(self.first_line, |index| self.first_line + index)
    }

    fn take(&mut self, key: &str) -> Option<Value> {
        self.mapping
            .remove(key)
            .filter(|value| !matches!(value, Value::Null))
    }

    fn error(&self, key: &str, expected: &str, found: &Value) -> FrontMatterError {
        FrontMatterError {
            line: self.line_of(key),
            message: format!("`{key}` must be {expected}, not {}", describe(found)),
        }
    }

    fn text(&mut self, key: &str) -> Result<Option<String>, FrontMatterError> {
        match self.take(key) {
            None => Ok(None),
            Some(value) => match scalar_text(&value) {
                Some(text) => Ok(Some(text)),
                None => Err(self.error(key, "text", &value)),
            },
        }
    }

    fn located_text(&mut self, key: &str) -> Result<Option<Located<String>>, FrontMatterError> {
        let line = self.line_of(key);
        Ok(self.text(key)?.map(|value| Located { value, line }))
    }

    fn flag(&mut self, key: &str) -> Result<bool, FrontMatterError> {
        match self.take(key) {
            None => Ok(false),
            Some(Value::Bool(flag)) => Ok(flag),
            Some(other) => Err(self.error(key, "true or false", &other)),
        }
    }

    /// The names under `key`; none when it is absent.
    fn list(&mut self, key: &str) -> Result<Vec<String>, FrontMatterError> {
        match self.take(key) {
            None => Ok(Vec::new()),
            Some(value) => self.names(key, value),
        }
    }

    /// A list of names; a single string counts as a list of one.
    fn names(&self, key: &str, value: Value) -> Result<Vec<String>, FrontMatterError> {
        match value {
            Value::Sequence(items) => items
                .iter()
                .filter(|item| !matches!(item, Value::Null))
                .map(|item| {
                    scalar_text(item).ok_or_else(|| self.error(key, "a list of names", item))
                })
                .collect(),
            value => match scalar_text(&value) {
                Some(text) => Ok(vec![text]),
                None => Err(self.error(key, "a name or a list of names", &value)),
            },
        }
    }
}

/// Strings, numbers and booleans all read as text (`title: 1984` is a title). YAML escapes can
/// spell control characters (`"\x1a"`), which are cleaned as in article text.
fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(text) => Some(without_control_characters(text.trim().to_string())),
        Value::Number(number) => Some(number.to_string()),
        Value::Bool(flag) => Some(flag.to_string()),
        Value::Tagged(tagged) => scalar_text(&tagged.value),
        _ => None,
    }
}

fn describe(value: &Value) -> &'static str {
    match value {
        Value::Null => "empty",
        Value::Bool(_) => "true/false",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Sequence(_) => "a list",
        Value::Mapping(_) => "a mapping",
        Value::Tagged(_) => "a tagged value",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_and_reads_every_key() {
        let text = "---\ntitle: \"A & B\"\ndate: 2023-04-12\nauthor: Jane Doe\ntags: [Climate, economy]\ncategories: Europe\npeople:\n  - Helena Varga\ndraft: true\nwhatever: 3\n---\nBody here.\n";
        let split = split(text).unwrap();
        assert_eq!(&text[split.body_start..], "Body here.\n");
        assert_eq!(split.body_line, 12);
        let front = parse(split.yaml.unwrap(), 2).unwrap();
        assert_eq!(front.title.as_deref(), Some("A & B"));
        assert_eq!(
            front.date,
            Some(Located {
                value: "2023-04-12".into(),
                line: 3
            })
        );
        assert_eq!(front.authors, ["Jane Doe"]);
        assert_eq!(front.topics, ["Climate", "economy", "Europe"]);
        assert_eq!(
            front.people.as_deref(),
            Some(&["Helena Varga".to_string()][..])
        );
        assert!(front.draft);
        assert_eq!(front.extra["whatever"], serde_json::json!(3));
    }

    #[test]
    fn a_file_without_fences_is_all_body() {
        let split = split("# Title\n\ntext").unwrap();
        assert!(split.yaml.is_none());
        assert_eq!(split.body_start, 0);
    }

    #[test]
    fn unterminated_front_matter_is_an_error() {
        assert!(split("---\ntitle: x\nno end\n").is_err());
    }

    #[test]
    fn yaml_errors_name_the_file_line() {
        let error = parse("title: ok\ndate: [unclosed\n", 2).unwrap_err();
        assert!(error.line >= 3, "{error:?}");
        let error = parse("title: ok\ntopics: {a: 1}\n", 2).unwrap_err();
        assert_eq!(error.line, 3);
        assert!(error.message.contains("`topics`"), "{}", error.message);
    }

    #[test]
    fn a_list_or_a_string_is_not_front_matter() {
        assert!(parse("- a\n- b\n", 2).is_err());
        assert!(parse("just words\n", 2).is_err());
    }

    #[test]
    fn alias_bombs_are_refused_not_expanded() {
        let mut yaml = String::from(
            "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
        );
        let mut previous = 'a';
        for name in 'b'..='j' {
            yaml.push_str(&format!(
                "{name}: &{name} [*{previous},*{previous},*{previous},*{previous},*{previous},*{previous},*{previous},*{previous},*{previous}]\n"
            ));
            previous = name;
        }
        assert!(parse(&yaml, 2).is_err());
    }
}
