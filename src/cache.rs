//! The extraction cache: what reading and extracting each article gave, kept between builds in
//! `SITE/.gazette/cache/`, so that an unchanged article is neither parsed nor extracted again.
//!
//! An entry is used only when the article file's bytes hash to what they hashed to when it was
//! written. The cache as a whole belongs to one gazette binary, one curated people file and one
//! choice of topic rules (the inputs of extraction besides the file): each such combination
//! has a folder of its own, and opening the cache clears the others. An article's warnings are
//! cached with it and given again on every build; an article with an error is never cached.
//! An article dated by its file time is cached with that time, and extracted again when the
//! time changes.
//!
//! Entries are appended, one pack file per build that extracted anything, with an index file
//! written once the pack is complete: a file per article would cost a build more in file
//! creation than the extraction it saves. Later packs override earlier ones; when most bytes
//! in the packs are overridden or belong to deleted articles, the live entries are copied into
//! one new pack. Everything here is best effort: a cache that cannot be read or written only
//! means articles are extracted again.

use std::collections::{HashMap, HashSet};
use std::fs::{self, File};
use std::hash::{DefaultHasher, Hash, Hasher};
use std::io::{BufWriter, Write};
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use serde::{Deserialize, Serialize};

use crate::diagnostics::Problem;
use crate::extract::date::DateSource;
use crate::extract::Article;
use crate::link::ArticleWords;
use crate::load::RawFile;

/// The cache's folder in a site.
const CACHE_FOLDER: &str = ".gazette/cache";
const PACK: &str = "pack";
/// Bytes gathered before each write to a pack: writes to the file system cost per call.
const PACK_BUFFER: usize = 4 << 20;
const INDEX: &str = "index";

/// The extraction cache of one site, for one set of extraction inputs.
#[derive(Debug)]
pub struct ExtractionCache {
    /// `SITE/.gazette/cache/KEY`.
    folder: PathBuf,
    /// The complete packs, oldest first.
    packs: Vec<Pack>,
    /// Where each article's newest entry is.
    entries: HashMap<String, Location>,
    /// The pack this build appends to, created on the first new entry.
    writing: Mutex<Writing>,
    /// How many articles came from the cache.
    hits: AtomicUsize,
}

#[derive(Debug)]
struct Pack {
    /// The path without its ending.
    stem: PathBuf,
    file: File,
}

/// An entry's place in the packs, as the index files list it.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Location {
    relative: String,
    /// The hash of the article file's bytes, and of its file time if that dated the article.
    content: u64,
    by_file_time: bool,
    /// Index into `packs` (not stored: an index file describes its own pack).
    #[serde(skip)]
    pack: usize,
    offset: u64,
    length: u64,
}

#[derive(Debug)]
enum Writing {
    NotYet,
    To(PackWriter),
    /// The pack could not be created or written: no more attempts this build.
    Failed,
}

#[derive(Debug)]
struct PackWriter {
    stem: PathBuf,
    file: BufWriter<File>,
    written: u64,
    index: Vec<Location>,
}

/// What a pack holds for one article: all that reading it gave.
#[derive(Deserialize)]
pub struct Entry {
    pub article: Article,
    pub words: ArticleWords,
    /// Reported again on every build that takes the entry.
    pub warnings: Vec<Problem>,
}

/// `Entry`, borrowed for writing.
#[derive(Serialize)]
struct EntryRef<'a> {
    article: &'a Article,
    words: &'a ArticleWords,
    warnings: &'a [Problem],
}

impl ExtractionCache {
    /// Opens the site's cache for extraction inputs summarised by `inputs` (with the running
    /// binary added), and removes the caches of other inputs.
    pub fn open(site_dir: &Path, inputs: impl Hash) -> ExtractionCache {
        let mut hasher = DefaultHasher::new();
        crate::fingerprint::binary_stamp().hash(&mut hasher);
        env!("CARGO_PKG_VERSION").hash(&mut hasher);
        inputs.hash(&mut hasher);
        let root = site_dir.join(CACHE_FOLDER);
        let key = format!("{:016x}", hasher.finish());
        for entry in fs::read_dir(&root).into_iter().flatten().flatten() {
            if entry.file_name() != key.as_str() {
                let _ = fs::remove_dir_all(entry.path());
            }
        }
        ExtractionCache::at(root.join(key))
    }

    /// Reads every complete pack's index, oldest first, so newer entries win.
    fn read_indexes(&mut self) {
        let mut stems: Vec<PathBuf> = fs::read_dir(&self.folder)
            .into_iter()
            .flatten()
            .flatten()
            .map(|entry| entry.path())
            .filter(|path| path.extension().is_some_and(|ending| ending == INDEX))
            .map(|path| path.with_extension(""))
            .collect();
        stems.sort();
        for stem in stems {
            let index = fs::read(stem.with_extension(INDEX))
                .ok()
                .and_then(|bytes| postcard::from_bytes::<Vec<Location>>(&bytes).ok());
            let file = File::open(stem.with_extension(PACK));
            let (Some(index), Ok(file)) = (index, file) else {
                continue;
            };
            let pack = self.packs.len();
            self.packs.push(Pack { stem, file });
            for location in index {
                self.entries
                    .insert(location.relative.clone(), Location { pack, ..location });
            }
        }
    }

    /// The cached extraction of the article at `relative` (below `content/`), if its file
    /// still has the bytes that were extracted. The article's text is not in the cache, and
    /// the warnings name the file as it was named then: the caller reattaches both.
    pub fn get(&self, relative: &str, raw: &RawFile) -> Option<Entry> {
        let location = self.entries.get(relative)?;
        if location.content != content_hash(raw, location.by_file_time) {
            return None;
        }
        let blob = self.read_blob(location)?;
        let entry: Entry = postcard::from_bytes(&blob).ok()?;
        self.hits.fetch_add(1, Ordering::Relaxed);
        Some(entry)
    }

    fn read_blob(&self, location: &Location) -> Option<Vec<u8>> {
        let mut blob = vec![0; usize::try_from(location.length).ok()?];
        self.packs[location.pack]
            .file
            .read_exact_at(&mut blob, location.offset)
            .ok()?;
        Some(blob)
    }

    /// How many articles came from the cache so far.
    pub fn hits(&self) -> usize {
        self.hits.load(Ordering::Relaxed)
    }

    /// Stores an article extracted from `raw`, with the warnings it gave (never errors).
    pub fn put(
        &self,
        raw: &RawFile,
        article: &Article,
        words: &ArticleWords,
        warnings: &[Problem],
    ) {
        let entry = EntryRef {
            article,
            words,
            warnings,
        };
        let Ok(blob) = postcard::to_stdvec(&entry) else {
            return;
        };
        let by_file_time = article.date_source == DateSource::Mtime;
        let mut writing = self
            .writing
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if matches!(*writing, Writing::NotYet) {
            *writing = self.new_pack().map_or(Writing::Failed, Writing::To);
        }
        let Writing::To(writer) = &mut *writing else {
            return;
        };
        if writer.file.write_all(&blob).is_err() {
            *writing = Writing::Failed;
            return;
        }
        writer.index.push(Location {
            relative: article.source.relative.clone(),
            content: content_hash(raw, by_file_time),
            by_file_time,
            pack: 0,
            offset: writer.written,
            length: blob.len() as u64,
        });
        writer.written += blob.len() as u64;
    }

    /// A new pack, named so that it sorts after every existing one.
    fn new_pack(&self) -> Option<PackWriter> {
        fs::create_dir_all(&self.folder).ok()?;
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .ok()?
            .as_nanos();
        let stem = self
            .folder
            .join(format!("{nanos:024}-{}", std::process::id()));
        let file = File::create(stem.with_extension(PACK)).ok()?;
        Some(PackWriter {
            stem,
            file: BufWriter::with_capacity(PACK_BUFFER, file),
            written: 0,
            index: Vec::new(),
        })
    }

    /// Completes this build's pack, which becomes visible to later builds only now, and
    /// compacts the packs when most of their bytes are no longer needed: overridden by newer
    /// entries, or of articles not in `relatives()` (the articles this build found).
    ///
    /// A cache that had no packs before this build has nothing stale, so its pack is only
    /// completed: the articles are not listed, nor the indexes read again, which at a million
    /// articles took some 300 MB beside the linking.
    pub fn finish(self, relatives: impl FnOnce() -> Vec<String>) {
        if self.packs.is_empty() {
            drop(relatives);
            if let Writing::To(writer) = self.take_writing() {
                writer.complete();
            }
            return;
        }
        let live: HashSet<String> = relatives().into_iter().collect();
        match self.take_writing() {
            // The new pack overrides entries: read the indexes again to see what is stale.
            Writing::To(writer) => {
                if writer.complete().is_some() {
                    ExtractionCache::at(self.folder).compact_if_mostly_dead(&live);
                }
            }
            Writing::NotYet | Writing::Failed => self.compact_if_mostly_dead(&live),
        }
    }

    /// The pack this build wrote, if any, leaving no writer behind.
    fn take_writing(&self) -> Writing {
        std::mem::replace(
            &mut *self
                .writing
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner()),
            Writing::Failed,
        )
    }

    /// The cache in `folder` as its index files describe it now.
    fn at(folder: PathBuf) -> ExtractionCache {
        let mut cache = ExtractionCache {
            folder,
            packs: Vec::new(),
            entries: HashMap::new(),
            writing: Mutex::new(Writing::NotYet),
            hits: AtomicUsize::new(0),
        };
        cache.read_indexes();
        cache
    }

    /// Copies the entries of `live` articles into one new pack and deletes the old packs, when
    /// those entries are less than half of the packs' bytes.
    fn compact_if_mostly_dead(&self, live: &HashSet<String>) {
        let live_bytes: u64 = self
            .entries
            .values()
            .filter(|location| live.contains(&location.relative))
            .map(|location| location.length)
            .sum();
        let total_bytes: u64 = self
            .packs
            .iter()
            .filter_map(|pack| pack.file.metadata().ok())
            .map(|metadata| metadata.len())
            .sum();
        if total_bytes <= 2 * live_bytes {
            return;
        }
        let Some(mut writer) = self.new_pack() else {
            return;
        };
        for location in self.entries.values() {
            if !live.contains(&location.relative) {
                continue;
            }
            let Some(blob) = self.read_blob(location) else {
                continue;
            };
            if writer.file.write_all(&blob).is_err() {
                return;
            }
            writer.index.push(Location {
                offset: writer.written,
                ..location.clone()
            });
            writer.written += blob.len() as u64;
        }
        if writer.complete().is_none() {
            return;
        }
        for pack in &self.packs {
            let _ = fs::remove_file(pack.stem.with_extension(INDEX));
            let _ = fs::remove_file(pack.stem.with_extension(PACK));
        }
    }
}

impl PackWriter {
    /// Flushes the pack and writes its index, which makes the pack part of the cache.
    fn complete(mut self) -> Option<()> {
        self.file.flush().ok()?;
        let temp = self.stem.with_extension("partial");
        // Written as it is encoded: a million articles' index is some 100 MB.
        let file = BufWriter::new(File::create(&temp).ok()?);
        let mut file = postcard::to_io(&self.index, file).ok()?;
        file.flush().ok()?;
        drop(file);
        fs::rename(&temp, self.stem.with_extension(INDEX)).ok()
    }
}

/// The hash of a file's bytes (and file time, when that dated the article) that decides
/// whether its entry is still good.
fn content_hash(raw: &RawFile, by_file_time: bool) -> u64 {
    let mut hasher = DefaultHasher::new();
    raw.bytes.hash(&mut hasher);
    if by_file_time {
        raw.modified.hash(&mut hasher);
    }
    hasher.finish()
}

/// Serialises a map of JSON values as one JSON text: the cache's binary format cannot describe
/// arbitrary JSON (it is not self-describing), but it can hold a string.
pub mod as_json_text {
    use std::collections::BTreeMap;

    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<S: Serializer>(
        map: &BTreeMap<String, serde_json::Value>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        serde_json::to_string(map)
            .map_err(serde::ser::Error::custom)?
            .serialize(serializer)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<BTreeMap<String, serde_json::Value>, D::Error> {
        let text = String::deserialize(deserializer)?;
        serde_json::from_str(&text).map_err(serde::de::Error::custom)
    }
}
