//! Writes a file tree from a listing, rendering nothing: the kernel's share of a build alone.
//!
//!     cargo run --release --example write_tree -- LISTING ROOT [THREADS]
//!
//! LISTING has one `path<TAB>size` line per file (as `find OUT -type f -printf '%P\t%s\n'`
//! prints it for a build's output). Each file is created under ROOT with `size` bytes, its
//! folders made as needed, on THREADS threads (default 2, as many as the benchmark machine's
//! cores), the same calls per page as gazette's writer: `mkdir` of the page's folder, then
//! `open`, `write`, `close`. `bench/scale.sh` times it beside each build (`REPLAY=1`), so that
//! the time per article of a million articles can be told apart from what creating and
//! writing back 1.6 million files costs the kernel at that size.

use std::fs;
use std::io::{self, BufRead, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use anyhow::{bail, Context, Result};

/// Files a thread takes at a time: neighbours in the listing share folders.
const CHUNK: usize = 64;

fn main() -> Result<()> {
    let arguments: Vec<String> = std::env::args().skip(1).collect();
    let [listing, root, rest @ ..] = arguments.as_slice() else {
        bail!("usage: write_tree LISTING ROOT [THREADS]");
    };
    let threads = match rest.first() {
        Some(count) => count.parse().context("THREADS must be a number")?,
        None => 2,
    };
    let files = read_listing(Path::new(listing))?;
    let root = PathBuf::from(root);
    fs::create_dir_all(&root).with_context(|| format!("cannot create {}", root.display()))?;
    let largest = files.iter().map(|(_, size)| *size).max().unwrap_or(0);
    let line = b"<p>A news archive's page, as many bytes as the build wrote.</p>\n";
    let text: Vec<u8> = line.iter().copied().cycle().take(largest).collect();
    let next = AtomicUsize::new(0);
    std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| scope.spawn(|| write_files(&files, &text, &root, &next)))
            .collect();
        workers
            .into_iter()
            .try_for_each(|worker| worker.join().expect("a writer thread panicked"))
    })?;
    eprintln!("wrote {} files under {}", files.len(), root.display());
    Ok(())
}

/// The listing's files: relative path and size in bytes.
fn read_listing(path: &Path) -> Result<Vec<(PathBuf, usize)>> {
    let file = fs::File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    let mut files = Vec::new();
    for (number, line) in io::BufReader::new(file).lines().enumerate() {
        let line = line.with_context(|| format!("cannot read {}", path.display()))?;
        let at = || format!("{}:{}", path.display(), number + 1);
        let Some((relative, size)) = line.split_once('\t') else {
            bail!("{}: expected `path<TAB>size`", at());
        };
        let size = size
            .parse()
            .with_context(|| format!("{}: the size is not a number", at()))?;
        files.push((PathBuf::from(relative), size));
    }
    Ok(files)
}

/// Writes chunks of the listing until none is left, each file as gazette's writer does: its
/// folder made (`create_dir_all`, one `mkdir` when the folder exists), then the file created new
/// and written in one call, the first `size` bytes of `text`.
fn write_files(
    files: &[(PathBuf, usize)],
    text: &[u8],
    root: &Path,
    next: &AtomicUsize,
) -> Result<()> {
    loop {
        let start = next.fetch_add(CHUNK, Ordering::Relaxed);
        if start >= files.len() {
            return Ok(());
        }
        for (relative, size) in &files[start..files.len().min(start + CHUNK)] {
            let path = root.join(relative);
            let folder = path.parent().unwrap_or(root);
            fs::create_dir_all(folder)
                .with_context(|| format!("cannot create {}", folder.display()))?;
            fs::File::options()
                .write(true)
                .create_new(true)
                .open(&path)
                .and_then(|mut file| file.write_all(&text[..*size]))
                .with_context(|| format!("cannot write {}", path.display()))?;
        }
    }
}
