//! The crate's one tolerance for comparing parameter vectors (used by its tests, and by exercise tests).
//!
//! `|actual - expected| <= ATOL + RTOL * max(|expected|, scale)`, element by element. One optimizer
//! step in `f32` computed in another order (PyTorch, dfdx) differs by a few ulps, i.e. about `1e-7`
//! relative; `1e-6` leaves room for a few steps of that, and is far tighter than any wrong
//! formula (a misplaced epsilon or a missing bias correction changes the first digits).
//!
//! `scale` is the largest magnitude the value passed through: when a parameter swings to 30 and
//! back to 0.01 (SGD with gradients of 100), its rounding error is that of 30, not of 0.01.
//! [`assert_close`] uses no scale; [`assert_close_scaled`] takes one per element.

/// Relative tolerance: 1e-6.
pub const RTOL: f32 = 1e-6;
/// Absolute tolerance for values near zero: 1e-7.
pub const ATOL: f32 = 1e-7;

/// Whether `actual` is within tolerance of `expected`, for a value whose largest magnitude so far was `scale`.
pub fn close(actual: f32, expected: f32, scale: f32) -> bool {
    (actual - expected).abs() <= tolerance(expected, scale)
}

fn tolerance(expected: f32, scale: f32) -> f32 {
    ATOL + RTOL * expected.abs().max(scale)
}

/// Panics, naming `what` and the first index that differs, unless every element is [`close`] (scale 0).
///
/// ```
/// trainlab_optimizers::tolerance::assert_close(&[1.0, 2.0], &[1.0, 2.0000001], "example");
/// ```
#[track_caller]
pub fn assert_close(actual: &[f32], expected: &[f32], what: &str) {
    assert_close_scaled(actual, expected, &vec![0.0; expected.len()], what);
}

/// [`assert_close`] with a per-element `scale` (the largest magnitude each value passed through).
///
/// ```
/// use trainlab_optimizers::tolerance::assert_close_scaled;
/// assert_close_scaled(&[0.010_01], &[0.01], &[30.0], "swung to 30 and back");
/// ```
#[track_caller]
pub fn assert_close_scaled(actual: &[f32], expected: &[f32], scale: &[f32], what: &str) {
    assert_eq!(scale.len(), expected.len(), "{what}: one scale per element");
    assert_eq!(
        actual.len(),
        expected.len(),
        "{what}: length {} but expected {}",
        actual.len(),
        expected.len()
    );
    for (i, ((a, e), s)) in actual.iter().zip(expected).zip(scale).enumerate() {
        assert!(
            close(*a, *e, *s),
            "{what}: element {i} is {a:e}, expected {e:e} (diff {:e}, tolerance {:e})",
            (a - e).abs(),
            tolerance(*e, *s)
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
