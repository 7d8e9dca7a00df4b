//! Wall-clock time per build phase, for `gazette build --timings`: where a build spends its
//! time, measured the same way on every machine.

use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Phase durations in the order the phases ran.
#[derive(Debug, Default)]
pub struct Timings {
    phases: Mutex<Vec<(&'static str, Duration)>>,
}

impl Timings {
    /// Runs `work` and records how long it took under `phase`.
    pub fn time<T>(&self, phase: &'static str, work: impl FnOnce() -> T) -> T {
        let started = Instant::now();
        let result = work();
        self.phases
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .push((phase, started.elapsed()));
        result
    }

    /// One line: `read and extract 0.41 s · link 0.12 s · ...`.
    pub fn summary(&self) -> String {
        self.phases
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .iter()
            .map(|(phase, duration)| format!("{phase} {:.3} s", duration.as_secs_f64()))
            .collect::<Vec<_>>()
            .join(" · ")
    }
}
