//! Slugs: the ASCII, lower-case, hyphenated names that become URL segments. A slug is derived
//! only from text, never trusted as a path, so `../` or `/etc` in a title or a front matter
//! `slug` can never leave the output folder.

/// The longest slug kept, in bytes; longer ones are cut at a hyphen.
const MAX_SLUG_LENGTH: usize = 80;

/// Folds any text to a URL-safe slug: `"Kim Jong-un’s “summit”"` becomes `kim-jong-un-s-summit`.
/// Text with no letters or digits gives `fallback`.
pub fn slugify(text: &str, fallback: &str) -> String {
    // Borrowed when the text is ASCII already, as names and titles mostly are: a build makes
    // a slug of every name each time it looks one up.
    let ascii = deunicode::deunicode_with_tofu_cow(text, "[?]");
    let mut slug = String::with_capacity(ascii.len());
    for byte in ascii.bytes() {
        if byte.is_ascii_alphanumeric() {
            slug.push(char::from(byte.to_ascii_lowercase()));
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    while slug.ends_with('-') {
        slug.pop();
    }
    if slug.len() > MAX_SLUG_LENGTH {
        let cut = slug[..MAX_SLUG_LENGTH]
            .rfind('-')
            .filter(|index| *index > MAX_SLUG_LENGTH / 2)
            .unwrap_or(MAX_SLUG_LENGTH);
        slug.truncate(cut);
    }
    if slug.is_empty() {
        fallback.to_string()
    } else {
        slug
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_to_ascii_and_hyphens() {
        assert_eq!(
            slugify("Kim Jong-un’s “summit”", "x"),
            "kim-jong-un-s-summit"
        );
        assert_eq!(
            slugify("Zoë Müller & Ana de la Fuente", "x"),
            "zoe-muller-ana-de-la-fuente"
        );
        assert_eq!(slugify("../../etc/passwd", "x"), "etc-passwd");
        assert_eq!(slugify("¿?", "untitled"), "untitled");
    }

    #[test]
    fn long_slugs_are_cut_at_a_hyphen() {
        let slug = slugify(&"word ".repeat(100), "x");
        assert!(slug.len() <= MAX_SLUG_LENGTH);
        assert!(slug.ends_with("word"));
    }
}
