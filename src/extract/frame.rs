//! The frame around an article's body: bylines at the top ("By Jane Doe", "Jane Doe, Reuters"),
//! signatures and author bios at the end, wire credits ("(Reporting by ...)"), publication
//! date lines, and share/follow/subscribe boilerplate. What is found becomes metadata; what
//! is left is the body. Rules follow what trafilatura and newspaper look for, kept strict: a
//! block must be *only* a byline or a prompt to be taken out, never a sentence that mentions one.

use std::sync::OnceLock;

use chrono::NaiveDate;
use regex::Regex;

use super::date::{day, ArticleDate, DateSource, PLAUSIBLE_YEARS};
use super::Credit;

/// A block of the body (a paragraph): byte offsets into the file's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Block {
    pub start: usize,
    pub end: usize,
}

/// What the frame gave, and which blocks are the body.
#[derive(Debug, Default)]
pub struct Frame {
    pub authors: Vec<Credit>,
    /// Indices of the blocks that remain body text, in order.
    pub body: Vec<usize>,
    pub date: Option<(ArticleDate, DateSource)>,
    /// From a line like "Updated 4 March 2019": when the article last changed, not when it was
    /// published.
    pub updated: Option<ArticleDate>,
}

/// How far from either end bylines, signatures and date lines are looked for.
const EDGE_BLOCKS: usize = 4;

/// Names of news agencies: credited in bylines, never authors.
const AGENCIES: [&str; 24] = [
    "reuters",
    "ap",
    "afp",
    "associated press",
    "agence france-presse",
    "agence france presse",
    "bloomberg",
    "pa",
    "press association",
    "pa media",
    "dpa",
    "efe",
    "ansa",
    "xinhua",
    "kyodo",
    "yonhap",
    "upi",
    "tass",
    "bbc news",
    "cnn",
    "staff",
    "staff reporter",
    "staff writer",
    "agencies",
];

/// Words that make a byline "name" a job title instead ("By Jane Doe, Political Editor").
const ROLE_WORDS: [&str; 16] = [
    "editor",
    "correspondent",
    "reporter",
    "writer",
    "staff",
    "bureau",
    "desk",
    "columnist",
    "contributor",
    "news",
    "team",
    "agencies",
    "political",
    "business",
    "sports",
    "chief",
];

const NAME: &str = r"\p{Lu}[\p{L}'’.\-]*(?:\s+(?:(?:de|da|del|della|der|den|van|von|la|le|du|bin|al|el|di|dos|das|ter|ten)\s+)*\p{Lu}[\p{L}'’.\-]*){1,3}";
const MONTHS: &str = r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)";

struct Patterns {
    byline: Regex,
    name_then_agency: Regex,
    agency_only: Regex,
    bare_name: Regex,
    wire_credit: Regex,
    boilerplate: Regex,
    date_line: Regex,
    dateline: Regex,
}

/// Compiles the patterns now rather than at the first article read: see `extract::prepare`.
pub fn prepare() {
    patterns();
}

fn patterns() -> &'static Patterns {
    static PATTERNS: OnceLock<Patterns> = OnceLock::new();
    PATTERNS.get_or_init(|| {
        let agencies = AGENCIES.join("|").replace(' ', r"\s+");
        let sources = [
            // byline
            format!(
                r"^(?i:by)\s+(?P<names>{NAME}(?:\s*(?:,|\band\b|&)\s*{NAME})*)(?:\s*(?:,|\||–|—|-|\bin\b)\s*(?P<rest>[^\n]{{0,60}}))?\s*$"
            ),
            // name_then_agency
            format!(r"^(?P<names>{NAME})\s*(?:,|\||–|—|-|/)\s*(?i:{agencies})\.?$"),
            // agency_only
            format!(r"^\(?(?i:{agencies})\)?\.?$"),
            // bare_name
            format!(r"^(?P<name>{NAME})$"),
            // wire_credit
            r"(?i)\((?:additional\s+)?(?:reporting|writing|reported)\s+by\s+(?P<names>[^;)]+)".to_string(),
            // boilerplate
            r"(?i)^(?:share(?:\s+(?:this|on\s+\w+))?(?:\s+(?:article|story|page))?|advertisement|advertising|sponsored|read\s+more|continue\s+reading|follow\s+us(?:\s+on\s+[\w ]+)?|subscribe(?:\s+(?:now|today|here))?|sign\s+up(?:\s+(?:now|here))?(?:\s+(?:to|for)\s+[\w ]*newsletters?)?|click\s+here\s+to\s+[\w ]+|related(?:\s+(?:articles|stories|content|coverage))?|most\s+read|copy\s+link|print(?:\s+this)?|email(?:\s+this)?|tweet|skip\s+advertisement|(?:story\s+)?continues\s+below(?:\s+advertisement)?|image\s+copyright[\w ]*|top\s+stories)[\s:.!…>»-]*$"
                .to_string(),
            // date_line
            format!(
                r"(?i)^(?:(?P<label>published|updated|posted|first\s+published|last\s+updated|last\s+modified|date)\s*:?\s*(?:on\s+)?)?(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+)?(?:(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<m1>{MONTHS})\.?,?\s+(?P<y1>\d{{4}})|(?P<m2>{MONTHS})\.?\s+(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y2>\d{{4}})|(?P<y3>\d{{4}})-(?P<m3>\d{{2}})-(?P<d3>\d{{2}}))(?:,?\s*(?:at\s+)?\d{{1,2}}[:.]\d{{2}}\s*(?:am|pm)?(?:\s*[A-Z]{{2,4}})?)?\.?$"
            ),
            // dateline
            format!(
                r"^\p{{Lu}}[\p{{Lu}} .'’-]{{1,40}},\s+(?P<month>{MONTHS})\.?\s+(?P<day>\d{{1,2}})\b"
            ),
        ];
        // Compiled on one core (some 30 ms), beside the walk of the content folder. Not on
        // rayon's: a worker waiting inside this initialiser for its parallel pieces could take
        // up another build's first article, which waits for this same initialiser, and two
        // builds in one process (tests, `serve`) would never finish.
        let compiled: Vec<Regex> = sources
            .into_iter()
            .map(|source| Regex::new(&source).expect("frame patterns are valid"))
            .collect();
        let [byline, name_then_agency, agency_only, bare_name, wire_credit, boilerplate, date_line, dateline] =
            <[Regex; 8]>::try_from(compiled).expect("eight patterns, in the order above");
        Patterns {
            byline,
            name_then_agency,
            agency_only,
            bare_name,
            wire_credit,
            boilerplate,
            date_line,
            dateline,
        }
    })
}

/// Reads the frame of an article's blocks. `path_year` completes a dateline's month and day.
pub fn read_frame(text: &str, blocks: &[Block], path_year: Option<i32>) -> Frame {
    let patterns = patterns();
    let block_text = |index: usize| text[blocks[index].start..blocks[index].end].trim();
    let mut keep = vec![true; blocks.len()];
    let mut frame = Frame::default();

    for (index, kept) in keep.iter_mut().enumerate() {
        let line = block_text(index);
        if line.len() <= 120 && patterns.boilerplate.is_match(line) {
            *kept = false;
        }
    }
    let near_edge = |index: usize| index < EDGE_BLOCKS || index + EDGE_BLOCKS >= blocks.len();
    for index in (0..blocks.len()).filter(|index| near_edge(*index)) {
        let line = block_text(index);
        if line.len() > 200 || !keep[index] {
            continue;
        }
        if let Some(names) = byline_names(line) {
            add_authors(&mut frame.authors, names);
            keep[index] = false;
        } else if patterns.agency_only.is_match(line) {
            keep[index] = false;
        } else if let Some((date, is_update)) = date_line(line) {
            if is_update {
                frame.updated.get_or_insert(date);
            } else if frame.date.is_none() {
                frame.date = Some((date, DateSource::Text));
            }
            keep[index] = false;
        } else if let Some(captures) = line
            .contains('(')
            .then(|| patterns.wire_credit.captures(line))
            .flatten()
        {
            let names = split_names(&captures["names"]);
            add_authors(&mut frame.authors, names);
            if line.starts_with('(') && line.ends_with(')') {
                keep[index] = false;
            }
        }
    }
    if let Some(signature) = signature(text, blocks, &keep) {
        for index in signature.blocks {
            keep[index] = false;
        }
        let credit = Credit {
            name: signature.name,
            bio: signature.bio,
        };
        match frame
            .authors
            .iter_mut()
            .find(|known| known.name == credit.name)
        {
            Some(known) => known.bio = known.bio.take().or(credit.bio),
            None => frame.authors.push(credit),
        }
    }
    frame.body = (0..blocks.len()).filter(|index| keep[*index]).collect();
    if frame.date.is_none() {
        if let (Some(&first), Some(year)) = (frame.body.first(), path_year) {
            frame.date = dateline(block_text(first), year).map(|date| (date, DateSource::Dateline));
        }
    }
    frame
}

/// The authors a byline line names, if the line is only a byline.
///
/// Each pattern is tried only on a line with what it cannot match without (a leading "by", a
/// separator before the agency): most lines have neither, and matching with captures costs
/// far more than the look.
fn byline_names(line: &str) -> Option<Vec<String>> {
    let patterns = patterns();
    let opens_with_by = line
        .get(..2)
        .is_some_and(|by| by.eq_ignore_ascii_case("by"));
    if let Some(captures) = opens_with_by
        .then(|| patterns.byline.captures(line))
        .flatten()
    {
        let names = split_names(&captures["names"]);
        return (!names.is_empty()).then_some(names);
    }
    if !line.contains([',', '|', '–', '—', '-', '/']) {
        return None;
    }
    let captures = patterns.name_then_agency.captures(line)?;
    let names = split_names(&captures["names"]);
    (!names.is_empty()).then_some(names)
}

/// Splits "A and B, C & D" into names, dropping agencies and job titles.
fn split_names(names: &str) -> Vec<String> {
    let bare = &patterns().bare_name;
    names
        .split([',', '&', ';'])
        .flat_map(|part| part.split(" and "))
        .map(str::trim)
        .filter(|name| bare.is_match(name))
        .filter(|name| !is_agency(name) && !has_role_word(name))
        .map(title_case_if_shouting)
        .collect()
}

fn is_agency(name: &str) -> bool {
    AGENCIES.contains(&name.to_lowercase().as_str())
}

fn has_role_word(name: &str) -> bool {
    name.split_whitespace()
        .any(|word| ROLE_WORDS.contains(&word.to_lowercase().as_str()))
}

fn add_authors(authors: &mut Vec<Credit>, names: Vec<String>) {
    for name in names {
        if !authors.iter().any(|known| known.name == name) {
            authors.push(Credit { name, bio: None });
        }
    }
}

/// "SOFIA MARCHETTI" → "Sofia Marchetti"; names with any lower case are kept as written.
pub fn title_case_if_shouting(name: &str) -> String {
    if name.chars().any(char::is_lowercase) {
        return name.to_string();
    }
    let mut out = String::with_capacity(name.len());
    let mut start_of_word = true;
    for c in name.chars() {
        if start_of_word {
            out.extend(c.to_uppercase());
        } else {
            out.extend(c.to_lowercase());
        }
        start_of_word = c.is_whitespace() || c == '-' || c == '\'' || c == '’';
    }
    out
}

struct Signature {
    name: String,
    bio: Option<String>,
    blocks: Vec<usize>,
}

/// An author's name alone on a line near the end, followed only by the same name again, a
/// short bio that starts with a part of the name (or He/She/They), or boilerplate.
fn signature(text: &str, blocks: &[Block], keep: &[bool]) -> Option<Signature> {
    let kept: Vec<usize> = (0..blocks.len()).filter(|index| keep[*index]).collect();
    let block_text = |index: usize| text[blocks[index].start..blocks[index].end].trim();
    let bare = &patterns().bare_name;
    let tail_start = kept.len().saturating_sub(EDGE_BLOCKS);
    // A signature needs body text before it.
    for position in tail_start.max(1)..kept.len() {
        let candidate = block_text(kept[position]);
        if candidate.len() > 60
            || !bare.is_match(candidate)
            || is_agency(candidate)
            || has_role_word(candidate)
        {
            continue;
        }
        let name = title_case_if_shouting(candidate);
        let parts: Vec<String> = name.split_whitespace().map(str::to_lowercase).collect();
        let mut bio = None;
        let mut signature_blocks = vec![kept[position]];
        let rest_fits = kept[position + 1..].iter().all(|&index| {
            let line = block_text(index);
            signature_blocks.push(index);
            if title_case_if_shouting(line) == name {
                return true;
            }
            if bio.is_none() && is_bio_of(line, &parts) {
                bio = Some(line.to_string());
                return true;
            }
            false
        });
        if rest_fits {
            return Some(Signature {
                name,
                bio,
                blocks: signature_blocks,
            });
        }
    }
    None
}

fn is_bio_of(line: &str, name_parts: &[String]) -> bool {
    let first_word = line
        .split(|c: char| c.is_whitespace() || c == ',')
        .next()
        .unwrap_or("")
        .trim_end_matches(['’', '\''])
        .trim_end_matches("’s")
        .to_lowercase();
    let starts_right =
        name_parts.contains(&first_word) || matches!(first_word.as_str(), "he" | "she" | "they");
    let describes = [
        " is ",
        " has ",
        " was ",
        " joined ",
        " writes ",
        " covers ",
        " reports ",
    ]
    .iter()
    .any(|verb| line.contains(verb));
    starts_right && describes && line.len() <= 800
}

/// A line that is only a date ("Published 3 March 2019", "March 3, 2019 14:30 GMT", "2019-03-03"),
/// and whether its label says it is an update ("Updated", "Last modified").
fn date_line(line: &str) -> Option<(ArticleDate, bool)> {
    // Every form has digits; most lines have none.
    if !line.chars().any(char::is_numeric) {
        return None;
    }
    let captures = patterns().date_line.captures(line)?;
    let is_update = captures.name("label").is_some_and(|label| {
        let label = label.as_str().to_ascii_lowercase();
        label.contains("updated") || label.contains("modified")
    });
    let (year, month, day_of_month) = if let Some(year) = captures.name("y1") {
        (
            year.as_str(),
            month_number(&captures["m1"])?,
            captures["d1"].parse().ok()?,
        )
    } else if let Some(year) = captures.name("y2") {
        (
            year.as_str(),
            month_number(&captures["m2"])?,
            captures["d2"].parse().ok()?,
        )
    } else {
        (
            &captures["y3"],
            captures["m3"].parse().ok()?,
            captures["d3"].parse().ok()?,
        )
    };
    let year: i32 = year.parse().ok()?;
    if !PLAUSIBLE_YEARS.contains(&year) {
        return None;
    }
    NaiveDate::from_ymd_opt(year, month, day_of_month).map(|date| (day(date), is_update))
}

/// "WASHINGTON, March 3 (Reuters) -": the month and day, with the year from the path.
fn dateline(line: &str, year: i32) -> Option<ArticleDate> {
    let captures = patterns().dateline.captures(line)?;
    let month = month_number(&captures["month"])?;
    let day_of_month: u32 = captures["day"].parse().ok()?;
    NaiveDate::from_ymd_opt(year, month, day_of_month).map(day)
}

fn month_number(name: &str) -> Option<u32> {
    let prefix: String = name.chars().take(3).collect::<String>().to_lowercase();
    let months = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    months
        .iter()
        .position(|month| *month == prefix)
        .map(|index| index as u32 + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn blocks_of(text: &str) -> Vec<Block> {
        let mut blocks = Vec::new();
        let mut start = 0;
        for line in text.split_inclusive('\n') {
            if !line.trim().is_empty() {
                blocks.push(Block {
                    start,
                    end: start + line.trim_end().len(),
                });
            }
            start += line.len();
        }
        blocks
    }

    fn frame_of(text: &str) -> (Frame, Vec<String>) {
        let blocks = blocks_of(text);
        let frame = read_frame(text, &blocks, Some(2019));
        let body = frame
            .body
            .iter()
            .map(|&index| text[blocks[index].start..blocks[index].end].to_string())
            .collect();
        (frame, body)
    }

    #[test]
    fn signature_bio_and_share_prompt_leave_the_body() {
        let text = "Body one.\nBody two ends here.\nChristian Woods\nChristian Woods\nChristian is a morning reporter for Best in Australia. He joined in 2018.\nShare this";
        let (frame, body) = frame_of(text);
        assert_eq!(body, ["Body one.", "Body two ends here."]);
        assert_eq!(frame.authors.len(), 1);
        assert_eq!(frame.authors[0].name, "Christian Woods");
        assert!(frame.authors[0]
            .bio
            .as_deref()
            .unwrap()
            .starts_with("Christian is a morning"));
    }

    #[test]
    fn bylines_with_several_authors_and_agencies() {
        let (frame, body) = frame_of("By JANE DOE and John Roe, Reuters\nThe story.\nMore story.");
        let names: Vec<&str> = frame
            .authors
            .iter()
            .map(|credit| credit.name.as_str())
            .collect();
        assert_eq!(names, ["Jane Doe", "John Roe"]);
        assert_eq!(body, ["The story.", "More story."]);
        let (frame, _) = frame_of("Jane Doe, Reuters\nThe story.");
        assert_eq!(frame.authors[0].name, "Jane Doe");
        let (frame, _) = frame_of("By Reuters Staff\nThe story.");
        assert!(frame.authors.is_empty());
    }

    /// A byline may end in a short title or place; a long clause after "By Tuesday," is a
    /// sentence of the story.
    #[test]
    fn what_follows_a_bylines_names_is_short() {
        let (frame, body) = frame_of("By Jane Doe, Political Editor in Paris\nThe story.");
        assert_eq!(frame.authors[0].name, "Jane Doe");
        assert_eq!(body, ["The story."]);
        let sentence =
            "By Tuesday, the ministers had agreed on a long list of measures to cut the deficit";
        let (frame, body) = frame_of(&format!("{sentence}\nThe story."));
        assert!(frame.authors.is_empty(), "{:?}", frame.authors);
        assert_eq!(body, [sentence, "The story."]);
    }

    #[test]
    fn a_sentence_that_mentions_a_prompt_stays() {
        let (_, body) = frame_of(
            "Story.\nReaders were asked to share this story with friends, he said.\nRead more",
        );
        assert_eq!(
            body,
            [
                "Story.",
                "Readers were asked to share this story with friends, he said."
            ]
        );
    }

    #[test]
    fn date_lines_and_datelines() {
        let (frame, body) = frame_of("Published 3 March 2019\nStory text here.");
        assert_eq!(frame.date.unwrap().1, DateSource::Text);
        assert_eq!(
            frame.date.unwrap().0.instant.date_naive().to_string(),
            "2019-03-03"
        );
        assert_eq!(body, ["Story text here."]);
        let (frame, _) = frame_of("WASHINGTON, March 5 (Reuters) - Something happened.\nMore.");
        assert_eq!(frame.date.unwrap().1, DateSource::Dateline);
        assert_eq!(
            frame.date.unwrap().0.instant.date_naive().to_string(),
            "2019-03-05"
        );
        let (frame, _) = frame_of("Story.\nMarch 3, 2019 14:30 GMT");
        assert_eq!(
            frame.date.unwrap().0.instant.date_naive().to_string(),
            "2019-03-03"
        );
    }

    #[test]
    fn an_updated_line_is_the_update_not_the_publication_date() {
        let (frame, body) =
            frame_of("Updated 9 March 2019\nPublished 3 March 2019\nStory text here.");
        let date = |found: Option<ArticleDate>| found.unwrap().instant.date_naive().to_string();
        assert_eq!(date(frame.date.map(|(found, _)| found)), "2019-03-03");
        assert_eq!(date(frame.updated), "2019-03-09");
        assert_eq!(body, ["Story text here."]);
        let (frame, _) = frame_of("Story text here.\nLast updated: March 9, 2019");
        assert!(frame.date.is_none());
        assert_eq!(date(frame.updated), "2019-03-09");
    }

    #[test]
    fn wire_credits_name_the_reporter_not_the_editor() {
        let (frame, body) = frame_of("Story.\n(Reporting by Ines Duarte; Editing by Clara Voss)");
        assert_eq!(frame.authors.len(), 1);
        assert_eq!(frame.authors[0].name, "Ines Duarte");
        assert_eq!(body, ["Story."]);
    }
}
