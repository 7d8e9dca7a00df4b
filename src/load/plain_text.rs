//! Plain-text articles as scraped from news sites: the title on the first line, then paragraphs
//! separated by blank lines. Hard-wrapped wire copy (lines of about 70 characters, a new
//! paragraph marked by an indented line) is joined back into paragraphs.
//!
//! Every paragraph keeps its byte offset into the file's text, and joining replaces each line
//! break by a space of the same length, so an offset inside a paragraph is an offset into the
//! file: extraction reports mentions against the file the user can open.

/// A paragraph of text with where it is in the file.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Paragraph {
    /// `file_text[start..end]` with line breaks made spaces. The extraction cache leaves it
    /// out, as it is in the file (see `restore_texts`): it was half of a plain-text article's
    /// entry, and writing the cache cost a cold build of 10,000 plain-text articles 0.16 s of
    /// its 2.77.
    #[serde(skip)]
    pub text: String,
    /// Byte offset of the paragraph's first character in the file's text.
    pub start: usize,
    /// Byte offset just past the paragraph's last character.
    pub end: usize,
    /// 1-based line of the paragraph's first character.
    pub line: usize,
}

/// Gives paragraphs read back from the extraction cache their text again, from the text of
/// the file they were read from; `None` if a paragraph's place is not in it.
pub fn restore_texts(paragraphs: &mut [Paragraph], file_text: &str) -> Option<()> {
    for paragraph in paragraphs {
        paragraph.text = line_breaks_to_spaces(file_text.get(paragraph.start..paragraph.end)?);
    }
    Some(())
}

/// A plain-text article: its first non-blank line and the paragraphs after it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlainDocument {
    pub title: Paragraph,
    pub paragraphs: Vec<Paragraph>,
}

/// One line of the file, without its line break.
struct Line<'a> {
    text: &'a str,
    start: usize,
    number: usize,
}

/// Reads a plain-text article; `None` when the text has no non-blank line.
pub fn read(text: &str) -> Option<PlainDocument> {
    let lines = split_lines(text);
    let title_index = lines.iter().position(|line| !line.text.trim().is_empty())?;
    let title = paragraph_of(text, &lines[title_index..=title_index]);
    let mut paragraphs = Vec::new();
    for block in lines[title_index + 1..].split(|line| line.text.trim().is_empty()) {
        if block.is_empty() {
            continue;
        }
        if is_hard_wrapped(block) {
            let mut first = 0;
            for index in 1..block.len() {
                if block[index].text.starts_with([' ', '\t']) {
                    paragraphs.push(paragraph_of(text, &block[first..index]));
                    first = index;
                }
            }
            paragraphs.push(paragraph_of(text, &block[first..]));
        } else {
            paragraphs.extend(
                block
                    .iter()
                    .map(|line| paragraph_of(text, std::slice::from_ref(line))),
            );
        }
    }
    Some(PlainDocument { title, paragraphs })
}

fn split_lines(text: &str) -> Vec<Line<'_>> {
    let mut lines = Vec::new();
    let mut start = 0;
    // A char, not a set of them: std finds a single byte with a fast search, where a set is
    // matched character by character.
    for (number, raw) in text.split_inclusive('\n').enumerate() {
        // A lone '\r' (old Mac line endings) also ends a line.
        let mut offset = 0;
        for piece in raw.split_inclusive('\r') {
            let content = piece.trim_end_matches(['\r', '\n']);
            let is_crlf_tail =
                piece.ends_with('\r') && raw[offset + piece.len()..].starts_with('\n');
            lines.push(Line {
                text: content,
                start: start + offset,
                number: number + 1,
            });
            offset += piece.len();
            if is_crlf_tail {
                break;
            }
        }
        start += raw.len();
    }
    lines
}

/// Wire copy: several lines of at most ~100 characters, where every line that the next line
/// continues (the next is not indented) is of a moderate length. A line that ends a paragraph
/// may be short.
fn is_hard_wrapped(block: &[Line<'_>]) -> bool {
    if block.len() < 2 {
        return false;
    }
    let width = |line: &Line<'_>| line.text.trim_end().chars().count();
    if block.iter().any(|line| width(line) > 100) {
        return false;
    }
    let mut continued = block
        .windows(2)
        .filter(|pair| !pair[1].text.starts_with([' ', '\t']))
        .map(|pair| width(&pair[0]))
        .peekable();
    continued.peek().is_some() && continued.all(|length| length >= 30)
}

/// The lines as one paragraph: trimmed, with line breaks turned into spaces in place.
fn paragraph_of(text: &str, lines: &[Line<'_>]) -> Paragraph {
    let first = &lines[0];
    let last = &lines[lines.len() - 1];
    let leading = first.text.len() - first.text.trim_start().len();
    let start = first.start + leading;
    let end = last.start + last.text.trim_end().len();
    let end = end.max(start);
    let text = &text[start..end];
    Paragraph {
        // A line holds no line break: most paragraphs are one line, copied as they are.
        text: if lines.len() == 1 {
            text.to_owned()
        } else {
            line_breaks_to_spaces(text)
        },
        start,
        end,
        line: first.number,
    }
}

/// The text with each line break byte made a space, byte for byte, so offsets into it stay
/// those of the file. Both are ASCII, so the bytes stay UTF-8; a character-by-character copy
/// took three percent of a plain-text build's instructions.
fn line_breaks_to_spaces(text: &str) -> String {
    // A text read back for the cache's paragraphs is mostly one line: copied as it is, with no
    // UTF-8 check of the copy.
    if !text.bytes().any(|byte| matches!(byte, b'\n' | b'\r')) {
        return text.to_owned();
    }
    let mut bytes = text.as_bytes().to_vec();
    for byte in &mut bytes {
        if matches!(*byte, b'\n' | b'\r') {
            *byte = b' ';
        }
    }
    String::from_utf8(bytes)
        .unwrap_or_else(|error| String::from_utf8_lossy(error.as_bytes()).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn title_then_paragraphs() {
        let text = "A title\n\nFirst paragraph.\n\nSecond one.\nName\nShare this";
        let document = read(text).unwrap();
        assert_eq!(document.title.text, "A title");
        let texts: Vec<&str> = document
            .paragraphs
            .iter()
            .map(|p| p.text.as_str())
            .collect();
        assert_eq!(
            texts,
            ["First paragraph.", "Second one.", "Name", "Share this"]
        );
        for paragraph in &document.paragraphs {
            assert_eq!(&text[paragraph.start..paragraph.end], paragraph.text);
        }
        assert_eq!(document.paragraphs[3].line, 7);
    }

    #[test]
    fn hard_wrapped_wire_copy_is_joined_and_keeps_offsets() {
        let text = "Headline\n\nLISBON, March 3 (Reuters) - The central bank raised rates on\nThursday for the third time this year, citing prices that keep\nrising.\n  The move was expected by most economists who follow the bank\nclosely.\n";
        let document = read(text).unwrap();
        assert_eq!(document.paragraphs.len(), 2);
        assert!(document.paragraphs[0].text.ends_with("keep rising."));
        assert!(document.paragraphs[1].text.starts_with("The move"));
        let second = &document.paragraphs[1];
        assert_eq!(
            text[second.start..second.end].replace('\n', " "),
            second.text
        );
    }

    #[test]
    fn crlf_and_cr_line_endings() {
        for text in ["T\r\n\r\nOne.\r\n\r\nTwo.\r\n", "T\r\rOne.\r\rTwo.\r"] {
            let document = read(text).unwrap();
            assert_eq!(document.title.text, "T");
            let texts: Vec<&str> = document
                .paragraphs
                .iter()
                .map(|p| p.text.as_str())
                .collect();
            assert_eq!(texts, ["One.", "Two."], "{text:?}");
        }
    }

    #[test]
    fn blank_text_has_no_document() {
        assert!(read(" \n\n").is_none());
    }
}
