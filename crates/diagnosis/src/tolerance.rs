//! The crate's one tolerance, for its tests.

/// Absolute tolerance for hand-derived values: they are sums and ratios of a handful of
/// decimals, exact up to a few ulps.
#[cfg(test)]
pub(crate) const TOLERANCE: f64 = 1e-12;

/// Panics unless `|actual - expected| <= TOLERANCE`.
#[cfg(test)]
#[track_caller]
pub(crate) fn assert_close(actual: f64, expected: f64) {
    assert!(
        (actual - expected).abs() <= TOLERANCE,
        "expected {expected}, got {actual} (diff {:e}, tolerance {TOLERANCE:e})",
        (actual - expected).abs()
    );
}
