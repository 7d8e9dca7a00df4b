//! The `gazette` command.

use std::process::ExitCode;

/// glibc's allocator was a quarter of a build's CPU time (`malloc_consolidate`, `_int_malloc`
/// on many small strings freed across rayon threads); mimalloc's per-thread free lists cut it.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    restore_sigpipe();
    match gazette::cli::run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

/// Rust ignores SIGPIPE, so `gazette metadata | head` would panic on its next write to the
/// closed pipe; with the default action back, gazette ends quietly there, as Unix tools do.
fn restore_sigpipe() {
    // SAFETY: called first thing in `main`, before any other thread exists; SIG_DFL is a valid
    // disposition for SIGPIPE.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}
