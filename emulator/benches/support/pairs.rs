//! Two sides measured in alternating pairs within one process run, so that load from other
//! processes falls on both sides of a pair alike: each pair runs side A and side B back to back
//! (the order flips from one pair to the next) and gives one ratio; the report is the median
//! ratio over the pairs and its spread (lowest and highest).
//!
//! Time is wall-clock time; CPU is the measuring thread's own CPU time (from
//! `/proc/thread-self/schedstat`, in nanoseconds), which is the caller's work when the caller
//! runs on a current-thread runtime on this thread.

// Shared by the emulator's and the client's benches; each uses part of it.
#![allow(dead_code)]

use std::time::{Duration, Instant};

/// What one side's run of calls cost.
#[derive(Debug, Clone, Copy)]
pub struct Cost {
    /// Wall-clock time.
    pub wall: Duration,
    /// CPU time of the measuring thread.
    pub cpu: Duration,
}

/// CPU time this thread has used so far.
pub fn thread_cpu() -> Duration {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse::<u64>().ok())
        .map(Duration::from_nanos)
        .unwrap_or_default()
}

/// Runs `side` and measures it.
pub fn measure(side: &mut dyn FnMut()) -> Cost {
    let (cpu, wall) = (thread_cpu(), Instant::now());
    side();
    Cost {
        wall: wall.elapsed(),
        cpu: thread_cpu().saturating_sub(cpu),
    }
}

/// The costs of each pair, side A and side B.
#[derive(Debug, Default)]
pub struct Pairs {
    /// One entry per pair: (A, B).
    pub costs: Vec<(Cost, Cost)>,
}

/// Runs `pairs` pairs of `a` and `b`, alternating which goes first.
pub fn alternate(pairs: usize, a: &mut dyn FnMut(), b: &mut dyn FnMut()) -> Pairs {
    let mut out = Pairs::default();
    for i in 0..pairs {
        let (ca, cb) = if i % 2 == 0 {
            let ca = measure(a);
            (ca, measure(b))
        } else {
            let cb = measure(b);
            (measure(a), cb)
        };
        out.costs.push((ca, cb));
    }
    out
}

/// Median, lowest and highest of some ratios.
#[derive(Debug, Clone, Copy)]
pub struct Spread {
    /// The median.
    pub median: f64,
    /// The lowest.
    pub min: f64,
    /// The highest.
    pub max: f64,
}

impl std::fmt::Display for Spread {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{:.3} (pairs {:.3}–{:.3})",
            self.median, self.min, self.max
        )
    }
}

/// The spread of `values`.
pub fn spread(mut values: Vec<f64>) -> Spread {
    values.sort_by(f64::total_cmp);
    let n = values.len();
    let median = if n % 2 == 1 {
        values[n / 2]
    } else {
        (values[n / 2 - 1] + values[n / 2]) / 2.0
    };
    Spread {
        median,
        min: values[0],
        max: values[n - 1],
    }
}

impl Pairs {
    /// A's wall time over B's, per pair.
    pub fn wall_ratio(&self) -> Spread {
        spread(
            self.costs
                .iter()
                .map(|(a, b)| a.wall.as_secs_f64() / b.wall.as_secs_f64())
                .collect(),
        )
    }

    /// A's CPU time over B's, per pair.
    pub fn cpu_ratio(&self) -> Spread {
        spread(
            self.costs
                .iter()
                .map(|(a, b)| a.cpu.as_secs_f64() / b.cpu.as_secs_f64().max(1e-9))
                .collect(),
        )
    }

    /// Median wall time per call of side A and side B, for `calls` calls per side.
    pub fn per_call(&self, calls: usize) -> (Duration, Duration) {
        let med = |f: &dyn Fn(&(Cost, Cost)) -> Duration| {
            let mut v: Vec<Duration> = self.costs.iter().map(f).collect();
            v.sort();
            v[v.len() / 2] / calls as u32
        };
        (med(&|c| c.0.wall), med(&|c| c.1.wall))
    }
}
