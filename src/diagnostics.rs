//! Problems found in a site's input. Errors stop the build (after every file has been read, so
//! the user sees all of them at once); warnings are counted and summarised, never spewed.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde::{Deserialize, Serialize};

/// How bad a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Severity {
    Warning,
    Error,
}

/// One problem, tied to the file (and, when known, the line) it came from.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Problem {
    pub path: PathBuf,
    pub line: Option<usize>,
    pub severity: Severity,
    /// A short, stable category used to summarise warnings ("dated by mtime").
    pub kind: Cow<'static, str>,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        let label = match self.severity {
            Severity::Warning => "warning",
            Severity::Error => "error",
        };
        write!(formatter, "{label}: {}", self.path.display())?;
        if let Some(line) = self.line {
            write!(formatter, ":{line}")?;
        }
        write!(formatter, ": {}", self.message)
    }
}

/// A thread-safe collector: loaders and extractors run in parallel and report here.
#[derive(Debug, Default)]
pub struct Diagnostics {
    problems: Mutex<Vec<Problem>>,
}

impl Diagnostics {
    pub fn error(&self, path: &Path, line: Option<usize>, message: impl Into<String>) {
        self.push(path, line, Severity::Error, "error", message.into());
    }

    pub fn warning(&self, path: &Path, kind: &'static str, message: impl Into<String>) {
        self.push(path, None, Severity::Warning, kind, message.into());
    }

    fn push(
        &self,
        path: &Path,
        line: Option<usize>,
        severity: Severity,
        kind: &'static str,
        message: String,
    ) {
        let problem = Problem {
            path: path.to_path_buf(),
            line,
            severity,
            kind: Cow::Borrowed(kind),
            message,
        };
        self.lock().push(problem);
    }

    /// Takes in problems gathered elsewhere (by another collector, or from the cache).
    pub fn extend(&self, problems: impl IntoIterator<Item = Problem>) {
        self.lock().extend(problems);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<Problem>> {
        self.problems
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// All problems, sorted by file then line so that parallel runs print the same report.
    pub fn into_sorted(self) -> Vec<Problem> {
        let mut problems = self
            .problems
            .into_inner()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        problems.sort();
        problems
    }
}

/// Writes the report a user reads after a build: every error in full, warnings in full when
/// there are few of a kind and as a count with examples when there are many.
pub fn report(problems: &[Problem]) -> String {
    const SHOWN_PER_KIND: usize = 3;
    let mut out = String::new();
    let mut warnings: BTreeMap<&str, Vec<&Problem>> = BTreeMap::new();
    for problem in problems {
        match problem.severity {
            Severity::Error => out.push_str(&format!("{problem}\n")),
            Severity::Warning => warnings.entry(&problem.kind).or_default().push(problem),
        }
    }
    for (kind, list) in warnings {
        for problem in list.iter().take(SHOWN_PER_KIND) {
            out.push_str(&format!("{problem}\n"));
        }
        if list.len() > SHOWN_PER_KIND {
            out.push_str(&format!(
                "warning: ... and {} more files: {kind}\n",
                list.len() - SHOWN_PER_KIND
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn many_warnings_of_a_kind_are_summarised() {
        let diagnostics = Diagnostics::default();
        for index in 0..10 {
            diagnostics.warning(
                Path::new(&format!("{index}.txt")),
                "dated by mtime",
                "no date",
            );
        }
        diagnostics.error(Path::new("bad.md"), Some(3), "bad YAML");
        let text = report(&diagnostics.into_sorted());
        assert!(text.contains("error: bad.md:3: bad YAML"));
        assert!(text.contains("and 7 more files: dated by mtime"));
        assert_eq!(text.lines().count(), 5);
    }
}
