//! The `gazette` command.

use std::process::ExitCode;

/// glibc's allocator was a quarter of a build's CPU time (`malloc_consolidate`, `_int_malloc`
/// on many small strings freed across rayon threads); mimalloc's per-thread free lists cut it.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    gazette::memory::keep_freed_memory();
    no_transparent_huge_pages();
    restore_sigpipe();
    match gazette::cli::run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

/// mimalloc asks for transparent huge pages on its arenas. After another large process has run
/// (a Hugo build, the previous build's output just deleted), the kernel compacts memory to find
/// each 2 MB page while the build waits: system time doubled or tripled, and a 100,000-article
/// build took 18.5-25.4 s, against 17.1-17.2 s with 4 kB pages, and 5% more peak memory.
/// Turned off for the whole process, so it also covers the arena mapped before `main`.
fn no_transparent_huge_pages() {
    #[cfg(target_os = "linux")]
    // SAFETY: PR_SET_THP_DISABLE only sets a flag on this process's memory; it takes no
    // pointers. If the kernel refuses it, huge pages stay on and nothing else changes.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
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
