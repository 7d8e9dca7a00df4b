//! Dates: parsing the forms people write in front matter, and reading a date from a file's path.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, TimeZone, Utc};
use serde::{Deserialize, Serialize};

/// Where an article's date came from, from most to least trustworthy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DateSource {
    FrontMatter,
    Text,
    Dateline,
    Path,
    Mtime,
}

impl DateSource {
    pub fn as_str(self) -> &'static str {
        match self {
            DateSource::FrontMatter => "front-matter",
            DateSource::Text => "text",
            DateSource::Dateline => "dateline",
            DateSource::Path => "path",
            DateSource::Mtime => "mtime",
        }
    }
}

/// A point in time and whether a time of day was actually given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ArticleDate {
    pub instant: DateTime<FixedOffset>,
    pub has_time: bool,
}

/// Parses a front matter date: RFC 3339, `YYYY-MM-DD`, or a date and time with or without a zone
/// (no zone means UTC).
pub fn parse_date(text: &str) -> Option<ArticleDate> {
    let text = text.trim();
    // chrono's `%Y` takes any number of digits, so `19-03-03` would be the year 19: a year
    // must be written in full.
    let full_year = text.len() > 4
        && text.as_bytes()[..4].iter().all(u8::is_ascii_digit)
        && text.as_bytes()[4] == b'-';
    if !full_year {
        return None;
    }
    let date = parse_any_date(text)?;
    // Years are written with four digits in URLs and feeds; outside 0..=9999 they cannot be.
    (0..=9999)
        .contains(&chrono::Datelike::year(&date.instant))
        .then_some(date)
}

fn parse_any_date(text: &str) -> Option<ArticleDate> {
    if let Ok(instant) = DateTime::parse_from_rfc3339(text) {
        return Some(ArticleDate {
            instant,
            has_time: true,
        });
    }
    for format in [
        "%Y-%m-%d %H:%M:%S%:z",
        "%Y-%m-%d %H:%M%:z",
        "%Y-%m-%d %H:%M:%S %z",
    ] {
        if let Ok(instant) = DateTime::parse_from_str(text, format) {
            return Some(ArticleDate {
                instant,
                has_time: true,
            });
        }
    }
    for format in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%d %H:%M",
    ] {
        if let Ok(naive) = NaiveDateTime::parse_from_str(text, format) {
            return Some(ArticleDate {
                instant: utc(naive),
                has_time: true,
            });
        }
    }
    let date = NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()?;
    Some(day(date))
}

/// A calendar day, at midnight UTC.
pub fn day(date: NaiveDate) -> ArticleDate {
    ArticleDate {
        instant: utc(date.and_hms_opt(0, 0, 0).unwrap_or_default()),
        has_time: false,
    }
}

fn utc(naive: NaiveDateTime) -> DateTime<FixedOffset> {
    Utc.from_utc_datetime(&naive).fixed_offset()
}

/// Years a path segment or a text date may plausibly name.
pub const PLAUSIBLE_YEARS: std::ops::RangeInclusive<i32> = 1800..=2200;

/// Reads `2019/03/03/`, `2019/03/`, `2019-03-03-slug.txt` or `2019/` from a path below
/// `content/`. The most specific match wins.
pub fn date_from_path(relative: &str) -> Option<ArticleDate> {
    let parts: Vec<&str> = relative.split('/').collect();
    let mut best: Option<(u8, NaiveDate)> = None;
    let mut consider = |precision: u8, date: Option<NaiveDate>| {
        if let Some(date) = date {
            if best.is_none_or(|(known, _)| precision > known) {
                best = Some((precision, date));
            }
        }
    };
    for (index, part) in parts.iter().enumerate() {
        if let Some(date) = dashed_date_prefix(part) {
            consider(3, Some(date));
        }
        let Some(year) = year_of(part) else { continue };
        let month = parts
            .get(index + 1)
            .and_then(|part| number_in(part, 1..=12));
        let day = parts
            .get(index + 2)
            .and_then(|part| number_in(part, 1..=31));
        match (month, day) {
            (Some(month), Some(day)) => {
                consider(3, NaiveDate::from_ymd_opt(year, month, day));
            }
            (Some(month), None) => consider(2, NaiveDate::from_ymd_opt(year, month, 1)),
            _ => consider(1, NaiveDate::from_ymd_opt(year, 1, 1)),
        }
    }
    best.map(|(_, date)| day(date))
}

fn year_of(part: &str) -> Option<i32> {
    if part.len() != 4 || !part.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let year: i32 = part.parse().ok()?;
    PLAUSIBLE_YEARS.contains(&year).then_some(year)
}

fn number_in(part: &str, range: std::ops::RangeInclusive<u32>) -> Option<u32> {
    if part.is_empty() || part.len() > 2 || !part.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let number: u32 = part.parse().ok()?;
    range.contains(&number).then_some(number)
}

/// `2019-03-03` at the start of a file or folder name.
fn dashed_date_prefix(part: &str) -> Option<NaiveDate> {
    let prefix = part.get(..10)?;
    let date = NaiveDate::parse_from_str(prefix, "%Y-%m-%d").ok()?;
    PLAUSIBLE_YEARS
        .contains(&chrono::Datelike::year(&date))
        .then_some(date)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn front_matter_forms() {
        let cases = [
            ("2023-04-12", "2023-04-12T00:00:00+00:00", false),
            ("2023-04-12T09:30:00Z", "2023-04-12T09:30:00+00:00", true),
            (
                "2023-04-12T09:30:00+02:00",
                "2023-04-12T09:30:00+02:00",
                true,
            ),
            ("2023-04-12 09:30", "2023-04-12T09:30:00+00:00", true),
            ("2023-04-12T09:30:00", "2023-04-12T09:30:00+00:00", true),
        ];
        for (text, expected, has_time) in cases {
            let date = parse_date(text).unwrap_or_else(|| panic!("{text}"));
            assert_eq!(date.instant.to_rfc3339(), expected);
            assert_eq!(date.has_time, has_time);
        }
        assert!(parse_date("last Tuesday").is_none());
        assert!(parse_date("2023-02-30").is_none());
        assert!(parse_date("2023-04-12T09:30:00+25:00").is_none());
        assert!(parse_date("-0001-01-01").is_none());
        assert!(parse_date("+10000-01-01").is_none());
        assert!(
            parse_date("19-03-03").is_none(),
            "a two-digit year is not the year 19"
        );
        assert!(parse_date("0000-01-01").is_some());
        assert!(parse_date("9999-12-31T23:59:59Z").is_some());
    }

    #[test]
    fn dates_in_paths() {
        let date = |path| date_from_path(path).map(|d| d.instant.date_naive().to_string());
        assert_eq!(date("2019/03/03/story.txt").as_deref(), Some("2019-03-03"));
        assert_eq!(
            date("news/2019/03/story.txt").as_deref(),
            Some("2019-03-01")
        );
        assert_eq!(date("2019-03-05-story.txt").as_deref(), Some("2019-03-05"));
        assert_eq!(date("2019/story.md").as_deref(), Some("2019-01-01"));
        assert_eq!(date("business/001.txt"), None);
        assert_eq!(date("0001/story.txt"), None);
    }
}
