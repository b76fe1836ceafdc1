//! The crate's one tolerance for comparing parameter vectors (used by its tests, and by exercise tests).
//!
//! `|actual - expected| <= ATOL + RTOL * |expected|`, element by element. One optimizer step in
//! `f32` computed in another order (PyTorch, dfdx) differs by a few ulps, i.e. about `1e-7`
//! relative; `1e-6` leaves room for a few steps of that, and is far tighter than any wrong
//! formula (a misplaced epsilon or a missing bias correction changes the first digits).

/// Relative tolerance: 1e-6.
pub const RTOL: f32 = 1e-6;
/// Absolute tolerance for values near zero: 1e-7.
pub const ATOL: f32 = 1e-7;

/// Whether `actual` is within tolerance of `expected`.
pub fn close(actual: f32, expected: f32) -> bool {
    (actual - expected).abs() <= ATOL + RTOL * expected.abs()
}

/// Panics, naming `what` and the first index that differs, unless every element is [`close`].
///
/// ```
/// trainlab_optimizers::tolerance::assert_close(&[1.0, 2.0], &[1.0, 2.0000001], "example");
/// ```
#[track_caller]
pub fn assert_close(actual: &[f32], expected: &[f32], what: &str) {
    assert_eq!(
        actual.len(),
        expected.len(),
        "{what}: length {} but expected {}",
        actual.len(),
        expected.len()
    );
    for (i, (a, e)) in actual.iter().zip(expected).enumerate() {
        assert!(
            close(*a, *e),
            "{what}: element {i} is {a:e}, expected {e:e} (diff {:e}, tolerance {:e})",
            (a - e).abs(),
            ATOL + RTOL * e.abs()
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[should_panic(expected = "element 1")]
    fn detects_a_difference() {
        assert_close(&[1.0, 2.0], &[1.0, 2.00001], "t");
    }
}
