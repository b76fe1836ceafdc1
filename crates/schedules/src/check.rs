//! Whole-sequence comparison with one named tolerance (after burn's `check_lr_sequence`).

use std::fmt;

/// The crate's one tolerance: relative, `|actual - expected| <= LR_TOLERANCE * scale` with
/// `scale = max(|actual|, |expected|, 1e-6)`, so rates below 1e-6 are compared to an absolute
/// 1e-15. PyTorch's recursive (chainable) forms drift from closed forms by a few ulps per step;
/// 1e-9 absorbs that and still catches any wrong formula.
pub const LR_TOLERANCE: f64 = 1e-9;

const SCALE_FLOOR: f64 = 1e-6;

/// The first step at which two rate sequences differ.
#[derive(Debug, Clone, PartialEq)]
pub struct SequenceMismatch {
    /// 0-based step index of the first mismatch (or the shorter length if lengths differ).
    pub step: usize,
    /// The value produced, `NaN` if the sequence is too short.
    pub actual: f64,
    /// The value expected, `NaN` if the sequence is too short.
    pub expected: f64,
    /// Lengths `(actual, expected)`.
    pub lens: (usize, usize),
}

impl fmt::Display for SequenceMismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.lens.0 != self.lens.1 {
            write!(
                f,
                "lengths differ: actual {} vs expected {}",
                self.lens.0, self.lens.1
            )
        } else {
            write!(
                f,
                "step {}: lr {:e} but expected {:e} (diff {:e}, rel tol {:e})",
                self.step,
                self.actual,
                self.expected,
                (self.actual - self.expected).abs(),
                LR_TOLERANCE
            )
        }
    }
}

/// Compare `actual` with `expected` step by step within `rel_tol` (use [`LR_TOLERANCE`]).
///
/// ```
/// use trainlab_schedules::{check_lr_sequence, LR_TOLERANCE};
///
/// assert!(check_lr_sequence(&[0.1, 0.05], &[0.1, 0.05], LR_TOLERANCE).is_ok());
/// let err = check_lr_sequence(&[0.1, 0.05], &[0.1, 0.04], LR_TOLERANCE).unwrap_err();
/// assert_eq!(err.step, 1);
/// ```
pub fn check_lr_sequence(
    actual: &[f64],
    expected: &[f64],
    rel_tol: f64,
) -> Result<(), SequenceMismatch> {
    let lens = (actual.len(), expected.len());
    for (step, (&a, &e)) in actual.iter().zip(expected).enumerate() {
        let scale = a.abs().max(e.abs()).max(SCALE_FLOOR);
        let close = (a - e).abs() <= rel_tol * scale;
        if !close {
            return Err(SequenceMismatch {
                step,
                actual: a,
                expected: e,
                lens,
            });
        }
    }
    if lens.0 != lens.1 {
        return Err(SequenceMismatch {
            step: lens.0.min(lens.1),
            actual: f64::NAN,
            expected: f64::NAN,
            lens,
        });
    }
    Ok(())
}

/// Panics with the failing step if the sequences differ. For tests in this crate.
#[cfg(test)]
#[track_caller]
pub(crate) fn assert_lr_sequence(actual: &[f64], expected: &[f64]) {
    if let Err(m) = check_lr_sequence(actual, expected, LR_TOLERANCE) {
        panic!("lr sequence mismatch at {m}\n actual:   {actual:?}\n expected: {expected:?}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reports_the_first_failing_step() {
        let m = check_lr_sequence(&[1.0, 2.0, 3.0], &[1.0, 2.1, 3.1], LR_TOLERANCE).unwrap_err();
        assert_eq!(m.step, 1);
    }

    #[test]
    fn relative_error_below_tolerance_passes() {
        assert!(check_lr_sequence(&[0.1 * (1.0 + 1e-12)], &[0.1], LR_TOLERANCE).is_ok());
        assert!(check_lr_sequence(&[0.1 * (1.0 + 1e-8)], &[0.1], LR_TOLERANCE).is_err());
    }

    #[test]
    fn length_mismatch_fails() {
        let m = check_lr_sequence(&[1.0], &[1.0, 2.0], LR_TOLERANCE).unwrap_err();
        assert_eq!(m.step, 1);
        assert_eq!(m.lens, (1, 2));
    }
}
