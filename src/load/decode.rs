//! Bytes to text. Scraped archives mix encodings: UTF-8 (with or without a byte-order mark),
//! UTF-16 exported from Windows tools, and Latin-1 pages. Nothing is dropped for its encoding:
//! what is not UTF-8 is decoded as Windows-1252 (a superset of Latin-1) and reported.

use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, UTF_8, WINDOWS_1252};

/// Why a file cannot be read as an article at all.
#[derive(Debug, PartialEq, Eq)]
pub enum DecodeError {
    Empty,
    Binary,
}

/// Decoded text and, when it was not plain UTF-8, the encoding that was assumed.
#[derive(Debug)]
pub struct Decoded {
    pub text: String,
    pub fallback_encoding: Option<&'static str>,
}

/// Decodes a file's bytes, refusing empty and binary files.
pub fn decode(bytes: &[u8]) -> Result<Decoded, DecodeError> {
    if let Some((encoding, bom_length)) = Encoding::for_bom(bytes) {
        let (text, _) = encoding.decode_without_bom_handling(&bytes[bom_length..]);
        let fallback = (encoding != UTF_8).then_some(encoding.name());
        return finish(text.into_owned(), fallback);
    }
    if looks_like_utf16_without_bom(bytes) {
        let encoding = if bytes[0] == 0 { UTF_16BE } else { UTF_16LE };
        let (text, _) = encoding.decode_without_bom_handling(bytes);
        return finish(text.into_owned(), Some(encoding.name()));
    }
    if bytes.contains(&0) {
        return Err(DecodeError::Binary);
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => finish(text.to_string(), None),
        Err(_) => {
            let (text, _) = WINDOWS_1252.decode_without_bom_handling(bytes);
            finish(text.into_owned(), Some(WINDOWS_1252.name()))
        }
    }
}

fn finish(text: String, fallback_encoding: Option<&'static str>) -> Result<Decoded, DecodeError> {
    if text.trim().is_empty() {
        return Err(DecodeError::Empty);
    }
    if !holds_control_characters(text.as_bytes()) {
        return Ok(Decoded {
            text,
            fallback_encoding,
        });
    }
    // Control characters other than tab and line breaks mark a binary file in disguise.
    let control = text
        .chars()
        .take(8192)
        .filter(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\u{c}'))
        .count();
    if control > 8 {
        return Err(DecodeError::Binary);
    }
    Ok(Decoded {
        text: without_control_characters(text),
        fallback_encoding,
    })
}

/// A stray control character (a form feed from an old export, an escape byte) is invisible on
/// a page but makes a feed or sitemap invalid XML, so each becomes a space (a form feed a line
/// break). Tabs and line breaks stay; so does all text.
pub fn without_control_characters(text: String) -> String {
    let is_stray = |c: char| {
        (c.is_control() && !matches!(c, '\n' | '\r' | '\t')) || matches!(c, '\u{fffe}' | '\u{ffff}')
    };
    if !text.contains(is_stray) {
        return text;
    }
    text.chars()
        .map(|c| match c {
            '\u{c}' => '\n',
            c if is_stray(c) => ' ',
            c => c,
        })
        .collect()
}

/// Whether the text holds a control character other than a tab or line break, or U+FFFE or
/// U+FFFF. Most articles hold none and skip the two character-by-character passes of `finish`.
/// A byte test the compiler vectorises finds the 64-byte chunks that may hold one (a byte below
/// 0x20 but those three, DEL, or the lead byte of the C1 controls, 0xC2, or of U+FFFE and
/// U+FFFF, 0xEF); only those are looked at closely, as 0xC2 also leads "£" and a no-break
/// space, which half of a British news archive has.
fn holds_control_characters(bytes: &[u8]) -> bool {
    let suspect = |byte: u8| {
        (byte < 0x20 && !matches!(byte, b'\t' | b'\n' | b'\r'))
            || matches!(byte, 0x7f | 0xc2 | 0xef)
    };
    bytes.chunks(64).enumerate().any(|(number, chunk)| {
        let start = number * 64;
        chunk
            .iter()
            .fold(false, |found, &byte| found | suspect(byte))
            && (start..start + chunk.len()).any(|index| is_control_at(bytes, index))
    })
}

/// Whether a control character (or U+FFFE, U+FFFF) other than a tab or line break starts at
/// `index` of UTF-8 text.
fn is_control_at(bytes: &[u8], index: usize) -> bool {
    let next = |offset: usize| bytes.get(index + offset).copied();
    match bytes[index] {
        b'\t' | b'\n' | b'\r' => false,
        byte if byte < 0x20 || byte == 0x7f => true,
        // U+0080 to U+009F.
        0xc2 => next(1).is_some_and(|byte| (0x80..=0x9f).contains(&byte)),
        // U+FFFE and U+FFFF.
        0xef => next(1) == Some(0xbf) && matches!(next(2), Some(0xbe | 0xbf)),
        _ => false,
    }
}

/// UTF-16 text of a Latin script has a NUL in every other byte; a binary file does not.
fn looks_like_utf16_without_bom(bytes: &[u8]) -> bool {
    if bytes.len() < 8 || !bytes.len().is_multiple_of(2) {
        return false;
    }
    let sample = &bytes[..bytes.len().min(512)];
    let even_nuls = sample.iter().step_by(2).filter(|b| **b == 0).count();
    let odd_nuls = sample
        .iter()
        .skip(1)
        .step_by(2)
        .filter(|b| **b == 0)
        .count();
    let pairs = sample.len() / 2;
    (even_nuls == pairs && odd_nuls == 0) || (odd_nuls == pairs && even_nuls == 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latin1_is_decoded_as_windows_1252() {
        let decoded = decode(b"Caf\xe9 \x93quoted\x94").unwrap();
        assert_eq!(decoded.text, "Café “quoted”");
        assert_eq!(decoded.fallback_encoding, Some("windows-1252"));
    }

    #[test]
    fn utf16_with_bom_is_decoded() {
        let mut bytes = vec![0xFF, 0xFE];
        for unit in "Title\n\nBody".encode_utf16() {
            bytes.extend_from_slice(&unit.to_le_bytes());
        }
        assert_eq!(decode(&bytes).unwrap().text, "Title\n\nBody");
    }

    #[test]
    fn stray_control_characters_become_spaces() {
        let decoded = decode(b"Title\x1a\n\nA\x0cB\tC\x1b[0m \xc2\x85.\n").unwrap();
        assert_eq!(decoded.text, "Title \n\nA\nB\tC [0m  .\n");
    }

    /// The byte test lets through only texts without control characters, whatever their script.
    #[test]
    fn texts_without_control_characters_are_kept_as_they_are() {
        for text in [
            "Plain\ttext\r\n",
            "Café “quoted” — naïve",
            "東京 ✓",
            "£5 and 5¢\u{a0}",
        ] {
            assert!(!holds_control_characters(text.as_bytes()), "{text:?}");
            assert_eq!(decode(text.as_bytes()).unwrap().text, text);
        }
        // A character split across the byte test's 64-byte chunks is still found.
        let across = format!("{}\u{85} and {}\u{fffe}", "a".repeat(63), "b".repeat(57));
        let cleaned = format!("{}  and {} ", "a".repeat(63), "b".repeat(57));
        for (text, cleaned) in [
            (across.as_str(), cleaned.as_str()),
            ("bell\u{7}", "bell "),
            ("del\u{7f}", "del "),
            ("next\u{85}line", "next line"),
            ("not\u{ffff}a character", "not a character"),
        ] {
            assert!(holds_control_characters(text.as_bytes()), "{text:?}");
            assert_eq!(decode(text.as_bytes()).unwrap().text, cleaned);
        }
    }

    #[test]
    fn utf8_bom_is_dropped() {
        let decoded = decode("\u{feff}Title".as_bytes()).unwrap();
        assert_eq!(decoded.text, "Title");
        assert_eq!(decoded.fallback_encoding, None);
    }

    #[test]
    fn empty_and_binary_files_are_refused() {
        assert_eq!(decode(b"  \n\n").unwrap_err(), DecodeError::Empty);
        assert_eq!(
            decode(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR").unwrap_err(),
            DecodeError::Binary
        );
    }
}
