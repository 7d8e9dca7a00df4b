//! The command line: one file per verb, each a thin layer over the library.

mod build;
mod init;

use std::path::PathBuf;

use anyhow::Result;
use clap::{Parser, Subcommand};

/// A static-site generator for news archives.
#[derive(Debug, Parser)]
#[command(name = "gazette", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Create a new site: site.yaml, content/, templates/, static/ and one example article.
    Init {
        /// Where to create the site (default: the current folder).
        dir: Option<PathBuf>,
    },
    /// Build the site from content/ into public/.
    Build(build::BuildArgs),
}

/// Parses the arguments and runs the command; the error, if any, is for `main` to print.
pub fn run() -> Result<()> {
    match Cli::parse().command {
        Command::Init { dir } => init::run(dir.unwrap_or_else(|| PathBuf::from("."))),
        Command::Build(args) => build::run(args),
    }
}
