//! Articles' summaries in a large archive. A generated summary is up to 240 characters: at a
//! million articles, a quarter of a gigabyte held from reading to the end of the build, while
//! only rendering reads it, once for the article's card, once for its page and once for each
//! feed that lists it. So a large archive's summaries wait in a temporary file, one after the
//! other in article order, and each is read back when a page needs it. If the file cannot be
//! created or written, the summaries not yet written stay in their articles: a build never
//! fails for the want of it.

use std::borrow::Cow;
use std::fs::File;
use std::io::{self, Write};
use std::os::unix::fs::FileExt;

use super::{ArticleId, LinkedArticle};
use crate::extract::Article;

/// Summaries written to the file at once.
const BLOCK: usize = 1 << 14;

/// Where every article's summary is: in the file for the first `starts.len() - 1` articles,
/// in the article for the rest.
#[derive(Debug, Default)]
pub struct Summaries {
    /// Where each summary in the file starts, and where the last one ends.
    starts: Vec<u64>,
    file: Option<File>,
}

impl Summaries {
    /// Summaries that stay in their articles.
    pub fn in_articles() -> Summaries {
        Summaries::default()
    }

    /// Moves the articles' summaries to a temporary file, in article order. The summaries of
    /// a block the file does not take stay in their articles, and so do all that come after.
    pub fn move_out(articles: &mut [LinkedArticle]) -> Summaries {
        let Ok(mut file) = tempfile::tempfile() else {
            return Summaries::in_articles();
        };
        let mut starts = vec![0];
        let mut bytes = Vec::new();
        for block in articles.chunks_mut(BLOCK) {
            bytes.clear();
            for linked in block.iter() {
                bytes.extend_from_slice(linked.article.summary.as_bytes());
            }
            if file.write_all(&bytes).is_err() {
                break;
            }
            for linked in block {
                let end = starts[starts.len() - 1] + linked.article.summary.len() as u64;
                starts.push(end);
                linked.article.summary = String::new();
            }
        }
        Summaries {
            starts,
            file: Some(file),
        }
    }

    /// The summary of `article`, article `id` of the archive. An error means the temporary
    /// file could not be read.
    pub fn of<'a>(&self, id: ArticleId, article: &'a Article) -> io::Result<Cow<'a, str>> {
        let Some(file) = self.file.as_ref().filter(|_| id + 1 < self.starts.len()) else {
            return Ok(Cow::Borrowed(&article.summary));
        };
        let (start, end) = (self.starts[id], self.starts[id + 1]);
        let mut bytes = vec![0; (end - start) as usize];
        file.read_exact_at(&mut bytes, start)?;
        String::from_utf8(bytes)
            .map(Cow::Owned)
            .map_err(|error| io::Error::new(io::ErrorKind::InvalidData, error))
    }
}
