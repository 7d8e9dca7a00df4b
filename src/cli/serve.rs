//! `gazette serve`.

use std::net::IpAddr;
use std::path::PathBuf;

use anyhow::Result;
use clap::Args;

use crate::serve::{serve, ServeOptions};

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The site folder.
    #[arg(long, default_value = ".")]
    site: PathBuf,
    /// The address to listen on; loopback unless you choose otherwise.
    #[arg(long, default_value = "127.0.0.1")]
    bind: IpAddr,
    /// The port to listen on (0 picks a free one).
    #[arg(long, default_value_t = 1111)]
    port: u16,
    /// Include articles marked `draft: true`.
    #[arg(long)]
    drafts: bool,
    /// Open the site in the default web browser (or the one `$BROWSER` names) once it is built.
    #[arg(long)]
    open: bool,
}

pub fn run(args: ServeArgs) -> Result<()> {
    serve(ServeOptions {
        site_dir: args.site,
        bind: args.bind,
        port: args.port,
        drafts: args.drafts,
        open: args.open,
    })
}
