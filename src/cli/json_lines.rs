//! Output shared by `extract` and `metadata`: one JSON object per line on standard output,
//! then the problems found on standard error, failing when any was an error.

use std::io::Write;

use anyhow::{bail, Context, Result};
use serde::Serialize;

use crate::diagnostics::{self, Diagnostics, Severity};

/// Writes each record as a line of JSON.
pub fn write_records<T: Serialize>(records: impl IntoIterator<Item = T>) -> Result<()> {
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    for record in records {
        serde_json::to_writer(&mut out, &record).context("cannot write JSON")?;
        writeln!(out).context("cannot write to standard output")?;
    }
    out.flush().context("cannot write to standard output")
}

/// Reports the problems; an error among them fails the command.
pub fn finish(diagnostics: Diagnostics) -> Result<()> {
    let problems = diagnostics.into_sorted();
    eprint!("{}", diagnostics::report(&problems));
    if problems
        .iter()
        .any(|problem| problem.severity == Severity::Error)
    {
        bail!("some files could not be read");
    }
    Ok(())
}
