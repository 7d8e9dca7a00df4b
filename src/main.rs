//! The `gazette` command.

use std::process::ExitCode;

fn main() -> ExitCode {
    match gazette::cli::run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}
