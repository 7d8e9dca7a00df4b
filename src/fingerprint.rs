//! What a build read, summarised in one number, so that `gazette build` on a site where nothing
//! changed since its last build into the same folder returns at once instead of rebuilding.
//!
//! The fingerprint covers the gazette binary itself, the build's options, `site.yaml` and every
//! file under `content/`, `templates/`, `static/` and `data/` by path, size and modification
//! time (the time matters: articles without a date are dated by it). The output folder is
//! summarised too (file count and bytes), so a deleted or truncated output is rebuilt. Each
//! output folder's last fingerprint is kept in `SITE/.gazette/builds/`; deleting `.gazette/`
//! forces a full build.

use std::fs;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use rayon::prelude::*;

use crate::site::BuildOptions;

/// The folders of a site a build reads.
const INPUT_FOLDERS: [&str; 4] = ["content", "templates", "static", "data"];

/// A summary of a build's inputs and of its output folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fingerprint {
    inputs: u64,
    output: (usize, u64),
}

impl Fingerprint {
    /// Reads the current state of the site and of `output`.
    pub fn of(options: &BuildOptions, output: &Path) -> Fingerprint {
        let mut hasher = DefaultHasher::new();
        binary_stamp().hash(&mut hasher);
        (output, &options.base_url, options.drafts).hash(&mut hasher);
        stamp(&options.site_dir.join(crate::config::SITE_FILE)).hash(&mut hasher);
        for folder in INPUT_FOLDERS {
            // One file system call per file: made on every core, they took a 100,000-article
            // build's first half second on one.
            let files = files_below(&options.site_dir.join(folder));
            let stamps: Vec<_> = files.par_iter().map(|file| stamp(file)).collect();
            for (file, stamp) in files.iter().zip(stamps) {
                (file, stamp).hash(&mut hasher);
            }
        }
        Fingerprint {
            inputs: hasher.finish(),
            output: output_summary(output),
        }
    }

    /// Whether the last build into `output` had this fingerprint.
    pub fn matches_last_build(&self, site_dir: &Path, output: &Path) -> bool {
        fs::read_to_string(record_path(site_dir, output))
            .is_ok_and(|recorded| recorded.trim() == self.to_string())
    }

    /// Records a finished build, whose output holds `output_contents` (files and bytes, as
    /// the build counted them). Best effort: a site folder that cannot be written to only
    /// means the next build runs in full.
    pub fn record(&self, site_dir: &Path, output: &Path, output_contents: (usize, u64)) {
        let path = record_path(site_dir, output);
        let recorded = Fingerprint {
            output: output_contents,
            ..self.clone()
        };
        if let Some(parent) = path.parent() {
            let _ = fs::create_dir_all(parent);
        }
        let _ = fs::write(path, recorded.to_string());
    }
}

impl std::fmt::Display for Fingerprint {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            formatter,
            "{:016x} {} {}",
            self.inputs, self.output.0, self.output.1
        )
    }
}

/// Where the last build into `output` is recorded: one file per output folder.
fn record_path(site_dir: &Path, output: &Path) -> PathBuf {
    let mut hasher = DefaultHasher::new();
    output.hash(&mut hasher);
    site_dir
        .join(".gazette/builds")
        .join(format!("{:016x}", hasher.finish()))
}

/// The running gazette binary's size and modification time: what tells one build of gazette
/// from another, for everything kept between builds.
pub(crate) fn binary_stamp() -> Option<(u64, Option<SystemTime>)> {
    stamp(&std::env::current_exe().ok()?)
}

/// Size and modification time, or nothing for a missing file.
fn stamp(path: &Path) -> Option<(u64, Option<SystemTime>)> {
    let metadata = fs::metadata(path).ok()?;
    Some((metadata.len(), metadata.modified().ok()))
}

/// Every file below `folder` (following symbolic links, as the build does), sorted.
fn files_below(folder: &Path) -> Vec<PathBuf> {
    walkdir::WalkDir::new(folder)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|entry| entry.file_type().is_file())
        .map(walkdir::DirEntry::into_path)
        .collect()
}

/// How many files the output holds and their bytes.
fn output_summary(output: &Path) -> (usize, u64) {
    files_below(output)
        .par_iter()
        .filter_map(|file| fs::metadata(file).ok())
        .map(|metadata| (1, metadata.len()))
        .reduce(|| (0, 0), |(a, x), (b, y)| (a + b, x + y))
}
