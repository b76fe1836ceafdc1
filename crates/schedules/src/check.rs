//! Whole-sequence comparison with one named tolerance (after burn's `check_lr_sequence`).

use std::fmt;

/// The crate's one tolerance for `f32` rates against `f64` references (PyTorch's doubles,
/// hand-derived values): relative, `|actual - expected| <= LR_TOLERANCE * scale` with
/// `scale = max(|actual|, |expected|, 1e-6)`, so rates below 1e-6 are compared to an absolute
/// 1e-12.
///
/// Why 1e-6: a rate computed in `f64` and rounded once to `f32` is within half an ulp, a
/// relative 2^-24 ≈ 6e-8, of the exact value; the base rate itself arrives as `f32` (0.1 is
/// stored as 0.100000001...), another 6e-8; PyTorch's recursive (chainable) forms drift from the
/// closed forms by a few `f64` ulps (~1e-15). A correct schedule is therefore within ~1.2e-7, and
/// 1e-6 leaves an 8x margin. A wrong formula or parameter moves a rate by far more: `t_max` 21
/// instead of 20 changes cosine's step 1 by 1e-3 relative, a decay rate off by 1% changes
/// inverse time's step 1 by 0.5%.
pub const LR_TOLERANCE: f64 = 1e-6;

const SCALE_FLOOR: f64 = 1e-6;

/// The first step at which two rate sequences differ.
#[derive(Debug, Clone, PartialEq)]
pub struct SequenceMismatch {
    /// 0-based step index of the first mismatch (or the shorter length if lengths differ).
    pub step: usize,
    /// The value produced, `NaN` if the sequence is too short.
    pub actual: f32,
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
                (f64::from(self.actual) - self.expected).abs(),
                LR_TOLERANCE
            )
        }
    }
}

/// Compare the `f32` rates `actual` with the `f64` references `expected` step by step within
/// `rel_tol` (use [`LR_TOLERANCE`]).
///
/// ```
/// use trainlab_schedules::{check_lr_sequence, LR_TOLERANCE};
///
/// assert!(check_lr_sequence(&[0.1, 0.05], &[0.1, 0.05], LR_TOLERANCE).is_ok());
/// let err = check_lr_sequence(&[0.1, 0.05], &[0.1, 0.04], LR_TOLERANCE).unwrap_err();
/// assert_eq!(err.step, 1);
/// ```
pub fn check_lr_sequence(
    actual: &[f32],
    expected: &[f64],
    rel_tol: f64,
) -> Result<(), SequenceMismatch> {
    let lens = (actual.len(), expected.len());
    for (step, (&a, &e)) in actual.iter().zip(expected).enumerate() {
        let wide = f64::from(a);
        let scale = wide.abs().max(e.abs()).max(SCALE_FLOOR);
        // Written so that NaN on either side fails.
        let close = (wide - e).abs() <= rel_tol * scale;
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
            actual: f32::NAN,
            expected: f64::NAN,
            lens,
        });
    }
    Ok(())
}

/// Panics with the failing step if the sequences differ. For tests in this crate.
#[cfg(test)]
#[track_caller]
pub(crate) fn assert_lr_sequence(actual: &[f32], expected: &[f64]) {
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
    fn f32_rounding_passes_and_a_wrong_rate_fails() {
        // 0.1 and 1/3 rounded to f32 are off by ~1.5e-8 and ~1e-8 relative: within tolerance.
        assert!(check_lr_sequence(&[0.1, 1.0 / 3.0], &[0.1, 1.0 / 3.0], LR_TOLERANCE).is_ok());
        // Four f32 ulps above 0.1 (~3e-7 relative) still pass; a 2e-6 relative error fails.
        let ulps = f32::from_bits(0.1_f32.to_bits() + 4);
        assert!(check_lr_sequence(&[ulps], &[0.1], LR_TOLERANCE).is_ok());
        assert!(check_lr_sequence(&[0.1 * (1.0 + 2e-6)], &[0.1], LR_TOLERANCE).is_err());
    }

    #[test]
    fn nan_fails() {
        assert!(check_lr_sequence(&[f32::NAN], &[0.1], LR_TOLERANCE).is_err());
        assert!(check_lr_sequence(&[0.1], &[f64::NAN], LR_TOLERANCE).is_err());
    }

    #[test]
    fn length_mismatch_fails() {
        let m = check_lr_sequence(&[1.0], &[1.0, 2.0], LR_TOLERANCE).unwrap_err();
        assert_eq!(m.step, 1);
        assert_eq!(m.lens, (1, 2));
    }
}
