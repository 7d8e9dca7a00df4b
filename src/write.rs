//! Write: every build goes into a fresh folder beside the output and is swapped in only when the
//! whole site was written, so a failed or killed build never leaves a half-written `public/`
//! and files from earlier builds never survive. A file whose bytes are those of the same file in
//! the site being replaced is taken from it as a hard link rather than written again, so its
//! modification time stays, and a sync tool uploads only the pages that changed.

use std::fs;
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

use anyhow::{bail, Context, Result};

/// A build's output folder under construction.
#[derive(Debug)]
pub struct Staging {
    target: PathBuf,
    temp: PathBuf,
    committed: bool,
    /// Whether a previous site is there to take unchanged files from.
    has_previous: bool,
    /// How many files the folder holds, and their bytes: what the build record keeps, so a
    /// later build can tell a damaged output without this build walking its own.
    files: AtomicUsize,
    bytes: AtomicU64,
}

/// Marks the folders gazette builds beside the output, so leftovers of killed builds are found.
const STAGING_MARK: &str = ".gazette-staging-";
const RETIRED_MARK: &str = ".gazette-retired-";

/// A file every build leaves in its output, so a later build knows the folder it is about to
/// replace is a gazette site and not, say, a home folder passed to `--output` by mistake.
pub const OUTPUT_MARKER: &str = ".gazette-output";

/// The folders of a site that a build reads and must never replace.
const SOURCE_FOLDERS: [&str; 4] = ["content", "templates", "static", "data"];

/// Refuses an output folder whose replacement would destroy something that is not a gazette
/// build: the site itself or a folder holding it, one of its source folders or anything in
/// them, or an existing folder with files that no gazette build wrote.
pub fn check_output_folder(output: &Path, site: &Path) -> Result<()> {
    let output = resolved(output)?;
    let site = resolved(site)?;
    if site.starts_with(&output) {
        bail!(
            "refusing to build into {}: it holds the site itself, and a build replaces its output folder",
            output.display()
        );
    }
    for folder in SOURCE_FOLDERS {
        let source = site.join(folder);
        if output.starts_with(&source) {
            bail!(
                "refusing to build into {}: it is inside the site's {folder}/ folder",
                output.display()
            );
        }
    }
    let has_files = fs::read_dir(&output).is_ok_and(|mut entries| entries.next().is_some());
    if has_files && !output.join(OUTPUT_MARKER).exists() {
        bail!(
            "refusing to replace {}: it is not empty and no gazette build wrote it; remove it or choose another --output",
            output.display()
        );
    }
    Ok(())
}

/// Whether the file at `path` holds exactly `bytes`.
fn same_bytes(path: &Path, bytes: &[u8]) -> bool {
    fs::metadata(path).is_ok_and(|metadata| metadata.len() == bytes.len() as u64)
        && fs::read(path).is_ok_and(|previous| previous == bytes)
}

/// Writes a new file. One already at `path` (a page written twice, perhaps a link into the
/// previous site) is unlinked first, never written through; returns the size it had.
fn write_new(path: &Path, bytes: &[u8]) -> std::io::Result<Option<u64>> {
    use std::io::Write;
    let create = || fs::File::options().write(true).create_new(true).open(path);
    let (mut file, replaced) = match create() {
        Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => {
            let replaced = fs::metadata(path)?.len();
            fs::remove_file(path)?;
            (create()?, Some(replaced))
        }
        other => (other?, None),
    };
    file.write_all(bytes)?;
    Ok(replaced)
}

/// The path with symbolic links resolved, also for a folder that does not exist yet (its
/// nearest existing ancestor is resolved), so `public -> /srv/site` is judged by where it points.
fn resolved(path: &Path) -> Result<PathBuf> {
    let path = absolute(path)?;
    let mut existing = path.as_path();
    let mut rest = Vec::new();
    loop {
        if let Ok(real) = existing.canonicalize() {
            return Ok(rest.iter().rev().fold(real, |acc, part| acc.join(part)));
        }
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                existing = parent;
            }
            _ => return Ok(path),
        }
    }
}

impl Staging {
    /// Prepares an empty folder beside `target`, clearing leftovers of earlier killed builds.
    pub fn create(target: &Path) -> Result<Staging> {
        let target = resolved(target)?;
        let parent = target
            .parent()
            .context("the output folder cannot be the file system root")?
            .to_path_buf();
        let name = target
            .file_name()
            .context("the output folder needs a name")?
            .to_string_lossy()
            .to_string();
        fs::create_dir_all(&parent)
            .with_context(|| format!("cannot create {}", parent.display()))?;
        if target.exists() && !target.is_dir() {
            bail!(
                "the output path {} is a file, not a folder",
                target.display()
            );
        }
        recover_interrupted_swap(&parent, &name, &target)?;
        let temp = parent.join(format!(".{name}{STAGING_MARK}{}", std::process::id()));
        if temp.exists() {
            fs::remove_dir_all(&temp)
                .with_context(|| format!("cannot clear {}", temp.display()))?;
        }
        fs::create_dir(&temp).with_context(|| format!("cannot create {}", temp.display()))?;
        let marker =
            "This folder was written by gazette build; the next build replaces all of it.\n";
        fs::write(temp.join(OUTPUT_MARKER), marker)
            .with_context(|| format!("cannot write into {}", temp.display()))?;
        Ok(Staging {
            has_previous: target.join(OUTPUT_MARKER).is_file(),
            target,
            temp,
            committed: false,
            files: AtomicUsize::new(1),
            bytes: AtomicU64::new(marker.len() as u64),
        })
    }

    /// The folder being written.
    pub fn root(&self) -> &Path {
        &self.temp
    }

    /// How many files the folder holds and their bytes (as a walk of it would count them).
    pub fn contents(&self) -> (usize, u64) {
        (
            self.files.load(Ordering::Relaxed),
            self.bytes.load(Ordering::Relaxed),
        )
    }

    /// Counts a file of `bytes` put at a path, which held a file of `replaced` bytes before.
    fn count(&self, bytes: u64, replaced: Option<u64>) {
        match replaced {
            Some(old) => {
                self.bytes.fetch_sub(old, Ordering::Relaxed);
            }
            None => {
                self.files.fetch_add(1, Ordering::Relaxed);
            }
        }
        self.bytes.fetch_add(bytes, Ordering::Relaxed);
    }

    /// Writes a file at a site-relative path (`2019/03/slug/index.html`), creating its folders;
    /// takes the previous site's file instead when it has these bytes.
    pub fn write(&self, relative: &str, bytes: &[u8]) -> Result<()> {
        let path = self.path_of(relative)?;
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)
                .with_context(|| format!("cannot create {}", parent.display()))?;
        }
        if self.has_previous {
            let previous = self.target.join(relative);
            if same_bytes(&previous, bytes) && fs::hard_link(&previous, &path).is_ok() {
                self.count(bytes.len() as u64, None);
                return Ok(());
            }
        }
        let replaced =
            write_new(&path, bytes).with_context(|| format!("cannot write {}", path.display()))?;
        self.count(bytes.len() as u64, replaced);
        Ok(())
    }

    /// The text of a file of the site this build replaces, if it has one at `relative`.
    pub fn previous_text(&self, relative: &str) -> Option<String> {
        self.path_of(relative).ok()?;
        fs::read_to_string(self.target.join(relative)).ok()
    }

    /// Takes files unchanged from the site this build replaces, as hard links (copies where
    /// links cannot be made). All or nothing: `false`, with none taken, if any is missing.
    pub fn keep_previous(&self, relatives: &[&str]) -> Result<bool> {
        let mut pairs = Vec::with_capacity(relatives.len());
        for relative in relatives {
            let (Ok(to), from) = (self.path_of(relative), self.target.join(relative)) else {
                return Ok(false);
            };
            match fs::metadata(&from) {
                Ok(metadata) if metadata.is_file() => pairs.push((from, to, metadata.len())),
                _ => return Ok(false),
            }
        }
        for (done, (from, to, _)) in pairs.iter().enumerate() {
            let linked = to
                .parent()
                .map_or(Ok(()), fs::create_dir_all)
                .and_then(|()| fs::hard_link(from, to).or_else(|_| fs::copy(from, to).map(drop)));
            if let Err(error) = linked {
                // A later write to a half-taken path would write through the link into the
                // previous site, which is still the live one: remove what was taken.
                for (_, taken, _) in &pairs[..done] {
                    let _ = fs::remove_file(taken);
                }
                return Err(error)
                    .with_context(|| format!("cannot take {} into the new site", from.display()));
            }
        }
        for (_, _, bytes) in pairs {
            self.count(bytes, None);
        }
        Ok(true)
    }

    /// Resolves a site-relative path, refusing anything that could leave the output folder.
    fn path_of(&self, relative: &str) -> Result<PathBuf> {
        let path = Path::new(relative);
        let is_plain = path
            .components()
            .all(|part| matches!(part, Component::Normal(_)));
        if relative.is_empty() || !is_plain {
            bail!("refusing to write {relative:?}: outside the output folder");
        }
        Ok(self.temp.join(path))
    }

    /// Copies a folder's files into the output, keeping their layout.
    pub fn copy_folder(&self, from: &Path) -> Result<()> {
        if !from.is_dir() {
            return Ok(());
        }
        for entry in walkdir::WalkDir::new(from).sort_by_file_name() {
            let entry = entry.with_context(|| format!("cannot list {}", from.display()))?;
            let relative = entry.path().strip_prefix(from).unwrap_or(entry.path());
            if relative.as_os_str().is_empty() {
                continue;
            }
            let destination = self.temp.join(relative);
            if entry.file_type().is_dir() {
                fs::create_dir_all(&destination)
                    .with_context(|| format!("cannot create {}", destination.display()))?;
            } else if entry.file_type().is_file() {
                // A static file may replace a page already written, which may be a link into
                // the previous site: unlink it rather than write through it.
                let replaced = match fs::metadata(&destination) {
                    Ok(metadata) if metadata.is_file() => {
                        fs::remove_file(&destination)
                            .with_context(|| format!("cannot replace {}", destination.display()))?;
                        Some(metadata.len())
                    }
                    _ => None,
                };
                let copied = fs::copy(entry.path(), &destination).with_context(|| {
                    format!(
                        "cannot copy {} to {}",
                        entry.path().display(),
                        destination.display()
                    )
                })?;
                self.count(copied, replaced);
            }
        }
        Ok(())
    }

    /// Swaps the finished folder in place of the target and removes the old site.
    pub fn commit(mut self) -> Result<()> {
        let parent = self.target.parent().context("no parent")?.to_path_buf();
        let name = self
            .target
            .file_name()
            .context("no name")?
            .to_string_lossy()
            .to_string();
        let retired = parent.join(format!(".{name}{RETIRED_MARK}{}", std::process::id()));
        if self.target.exists() {
            fs::rename(&self.target, &retired).with_context(|| {
                format!(
                    "cannot move the previous site {} aside",
                    self.target.display()
                )
            })?;
        }
        fs::rename(&self.temp, &self.target)
            .with_context(|| format!("cannot move the new site into {}", self.target.display()))?;
        self.committed = true;
        if retired.exists() {
            fs::remove_dir_all(&retired).with_context(|| {
                format!("cannot remove the previous site at {}", retired.display())
            })?;
        }
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.temp);
        }
    }
}

/// A build killed between the two renames of `commit` leaves no target but a retired folder:
/// put it back. Staging folders of dead builds are removed.
fn recover_interrupted_swap(parent: &Path, name: &str, target: &Path) -> Result<()> {
    let staging_prefix = format!(".{name}{STAGING_MARK}");
    let retired_prefix = format!(".{name}{RETIRED_MARK}");
    let Ok(entries) = fs::read_dir(parent) else {
        return Ok(());
    };
    for entry in entries.flatten() {
        let file_name = entry.file_name().to_string_lossy().to_string();
        let path = entry.path();
        if file_name.starts_with(&retired_prefix) {
            if target.exists() {
                fs::remove_dir_all(&path)
                    .with_context(|| format!("cannot remove {}", path.display()))?;
            } else {
                fs::rename(&path, target).with_context(|| {
                    format!("cannot restore {} to {}", path.display(), target.display())
                })?;
            }
        } else if file_name.starts_with(&staging_prefix) {
            fs::remove_dir_all(&path)
                .with_context(|| format!("cannot remove {}", path.display()))?;
        }
    }
    Ok(())
}

fn absolute(path: &Path) -> Result<PathBuf> {
    if path.is_absolute() {
        Ok(path.to_path_buf())
    } else {
        Ok(std::env::current_dir()
            .context("cannot read the current folder")?
            .join(path))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_outside_the_output_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let staging = Staging::create(&dir.path().join("public")).unwrap();
        for bad in ["../x", "/etc/passwd", "a/../../x", ""] {
            assert!(staging.write(bad, b"x").is_err(), "{bad}");
        }
        staging.write("a/b/index.html", b"ok").unwrap();
        staging.commit().unwrap();
        assert_eq!(
            fs::read(dir.path().join("public/a/b/index.html")).unwrap(),
            b"ok"
        );
    }

    /// What a walk of the finished folder finds: files and their bytes.
    fn walked(folder: &Path) -> (usize, u64) {
        walkdir::WalkDir::new(folder)
            .into_iter()
            .map(Result::unwrap)
            .filter(|entry| entry.file_type().is_file())
            .fold((0, 0), |(files, bytes), entry| {
                (files + 1, bytes + entry.metadata().unwrap().len())
            })
    }

    #[test]
    fn the_counted_contents_are_what_a_walk_finds() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("public");
        let statics = dir.path().join("static");
        fs::create_dir_all(statics.join("a")).unwrap();
        fs::write(statics.join("a/index.html"), "a static page").unwrap();
        for round in ["first", "second build, longer"] {
            let staging = Staging::create(&target).unwrap();
            staging.write("kept.html", b"the same each time").unwrap();
            staging.write("a/index.html", round.as_bytes()).unwrap();
            staging.write("twice.html", b"written once").unwrap();
            staging.write("twice.html", b"then again").unwrap();
            staging.copy_folder(&statics).unwrap();
            let counted = staging.contents();
            staging.commit().unwrap();
            assert_eq!(counted, walked(&target), "{round}");
        }
    }

    #[test]
    fn an_uncommitted_build_leaves_the_old_site() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("public");
        fs::create_dir(&target).unwrap();
        fs::write(target.join("old.html"), "old").unwrap();
        {
            let staging = Staging::create(&target).unwrap();
            staging.write("new.html", b"new").unwrap();
        }
        assert!(target.join("old.html").exists());
        assert!(!target.join("new.html").exists());
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn a_swap_killed_halfway_is_recovered() {
        let dir = tempfile::tempdir().unwrap();
        let retired = dir.path().join(format!(".public{RETIRED_MARK}999"));
        fs::create_dir(&retired).unwrap();
        fs::write(retired.join("index.html"), "old").unwrap();
        let staging = Staging::create(&dir.path().join("public")).unwrap();
        assert!(dir.path().join("public/index.html").exists());
        drop(staging);
    }
}
