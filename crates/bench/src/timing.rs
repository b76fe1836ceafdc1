//! Interleaved timing and medians: the machines are shared and noisy, so two things compared
//! are measured in alternation (A B A B ...) and quoted as a ratio of medians.

use std::time::{Duration, Instant};

/// The median (upper median for an even count) of some durations.
///
/// # Panics
/// If `v` is empty.
pub fn median(mut v: Vec<Duration>) -> Duration {
    assert!(!v.is_empty(), "median of no measurements");
    v.sort();
    v[v.len() / 2]
}

/// The median (upper median for an even count) of some numbers; NaNs sort last.
///
/// # Panics
/// If `v` is empty.
pub fn median_f64(mut v: Vec<f64>) -> f64 {
    assert!(!v.is_empty(), "median of no measurements");
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// Mean time per call of `f` over `calls` calls.
pub fn time_per_call(calls: u32, mut f: impl FnMut()) -> Duration {
    let t = Instant::now();
    for _ in 0..calls {
        f();
    }
    t.elapsed() / calls.max(1)
}

/// Runs every case once per round, in turn, for `rounds` rounds; each case returns its own
/// measurement of that round. Returns the median of each case, in the order given.
pub fn interleave(rounds: usize, cases: &mut [&mut dyn FnMut() -> Duration]) -> Vec<Duration> {
    let mut seen = vec![Vec::with_capacity(rounds); cases.len()];
    for _ in 0..rounds {
        for (case, times) in cases.iter_mut().zip(seen.iter_mut()) {
            times.push(case());
        }
    }
    seen.into_iter().map(median).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_is_the_middle_whatever_the_order() {
        let ms = |v: &[u64]| {
            v.iter()
                .map(|&m| Duration::from_millis(m))
                .collect::<Vec<_>>()
        };
        assert_eq!(median(ms(&[5, 1, 9, 3, 7])), Duration::from_millis(5));
        assert_eq!(median(ms(&[4, 1])), Duration::from_millis(4));
        assert_eq!(median_f64(vec![2.0, f64::NAN, 1.0]), 2.0);
    }

    #[test]
    fn interleave_alternates_and_keeps_order() {
        let mut log = Vec::new();
        let (mut a_calls, mut b_calls) = (0u64, 0u64);
        {
            let log = std::cell::RefCell::new(&mut log);
            let mut a = || {
                a_calls += 1;
                log.borrow_mut().push('a');
                Duration::from_millis(a_calls)
            };
            let mut b = || {
                b_calls += 10;
                log.borrow_mut().push('b');
                Duration::from_millis(b_calls)
            };
            let m = interleave(3, &mut [&mut a, &mut b]);
            assert_eq!(m, vec![Duration::from_millis(2), Duration::from_millis(20)]);
        }
        assert_eq!(log.iter().collect::<String>(), "ababab");
    }
}
