//! Paired timing: the client and its baseline in alternating rounds, so that
//! both see the same machine load and the ratio holds on a busy machine.

use std::time::Duration;

/// Medians over the rounds, and the median of the per-round ratios.
#[derive(Debug, Clone, Copy, serde::Serialize)]
pub struct Paired {
    pub rounds: usize,
    /// Median time per unit of work (one call, one decode), in nanoseconds.
    pub ours_ns: f64,
    pub baseline_ns: f64,
    /// Median over rounds of ours / baseline (time: below 1 is faster).
    pub ratio: f64,
}

/// Runs `rounds` rounds of `ours(units)` and `baseline(units)`, each timing
/// `units` units of work, in alternating order.
pub fn paired(
    rounds: usize,
    units: u64,
    mut ours: impl FnMut(u64) -> Duration,
    mut baseline: impl FnMut(u64) -> Duration,
) -> Paired {
    let mut a = Vec::with_capacity(rounds);
    let mut b = Vec::with_capacity(rounds);
    for round in 0..rounds {
        if round % 2 == 0 {
            a.push(ours(units));
            b.push(baseline(units));
        } else {
            b.push(baseline(units));
            a.push(ours(units));
        }
    }
    let per_unit = |d: &Duration| d.as_nanos() as f64 / units as f64;
    let ratios: Vec<f64> = a
        .iter()
        .zip(&b)
        .map(|(x, y)| x.as_secs_f64() / y.as_secs_f64())
        .collect();
    Paired {
        rounds,
        ours_ns: median(a.iter().map(per_unit).collect()),
        baseline_ns: median(b.iter().map(per_unit).collect()),
        ratio: median(ratios),
    }
}

pub fn median(mut values: Vec<f64>) -> f64 {
    assert!(!values.is_empty(), "the median of nothing");
    values.sort_by(f64::total_cmp);
    let mid = values.len() / 2;
    if values.len() % 2 == 1 {
        values[mid]
    } else {
        (values[mid - 1] + values[mid]) / 2.0
    }
}
