//! The sealed test set: held out until one explicit, final evaluation.
//!
//! ```text
//! train  -> fit the parameters theta
//! val    -> choose hyperparameters, early stopping, model selection (as often as you like)
//! test   -> estimate the generalisation error ONCE, at the very end
//! ```
//!
//! The lecture's rule is that the test set may be looked at once. [`SealedTest`] enforces it
//! with the type system: its indices are private, it is neither `Clone` nor `Copy`, and the only
//! way to read them is [`SealedTest::evaluate_final`], which consumes the value. PyTorch and
//! scikit-learn hand the test indices out as a plain array; nothing stops a second look.
//!
//! ```compile_fail,E0616
//! use trainlab_validation::{split, SplitConfig};
//! let s = split(100, None, &SplitConfig { stratify: false, ..SplitConfig::default() }).unwrap();
//! let peek = &s.test.indices; // error: field `indices` is private
//! ```
//!
//! ```compile_fail,E0382
//! use trainlab_validation::{split, SplitConfig};
//! let s = split(100, None, &SplitConfig { stratify: false, ..SplitConfig::default() }).unwrap();
//! let first = s.test.evaluate_final(|idx| idx.len());
//! let again = s.test.evaluate_final(|idx| idx.len()); // error: use of moved value
//! ```

use std::time::SystemTime;

/// Test-set indices that can be read exactly once, by [`SealedTest::evaluate_final`].
pub struct SealedTest {
    indices: Vec<usize>,
}

impl SealedTest {
    pub(crate) fn new(indices: Vec<usize>) -> Self {
        Self { indices }
    }

    /// Read access for this crate's own checks (the leakage check), never handed out.
    pub(crate) fn indices(&self) -> &[usize] {
        &self.indices
    }

    /// Number of test samples (you may know how many, not which).
    pub fn len(&self) -> usize {
        self.indices.len()
    }

    /// `true` when the split has no test part (`test = 0.0`).
    pub fn is_empty(&self) -> bool {
        self.indices.is_empty()
    }

    /// Unseal the test set for the one final evaluation: `f` gets the indices, the result is
    /// returned with the number of test samples and the time of the evaluation, to be recorded
    /// in the run.
    ///
    /// ```
    /// use trainlab_validation::{split, SplitConfig};
    /// let cfg = SplitConfig { stratify: false, ..SplitConfig::preset_60_20_20() };
    /// let s = split(10, None, &cfg).unwrap();
    /// let final_eval = s.test.evaluate_final(|idx| idx.iter().all(|&i| i < 10));
    /// assert!(final_eval.result);
    /// assert_eq!(final_eval.n_test, 2);
    /// ```
    pub fn evaluate_final<R>(self, f: impl FnOnce(&[usize]) -> R) -> FinalEvaluation<R> {
        let at = SystemTime::now();
        let result = f(&self.indices);
        FinalEvaluation {
            result,
            n_test: self.indices.len(),
            at,
        }
    }
}

impl std::fmt::Debug for SealedTest {
    /// Shows only the size: the indices stay sealed even in debug output.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SealedTest {{ len: {} }}", self.indices.len())
    }
}

/// The outcome of the one final evaluation on the test set (serialisable for the run's summary
/// when `R` is; `at` is written by serde as seconds and nanoseconds since the Unix epoch).
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct FinalEvaluation<R> {
    /// Whatever the evaluation closure returned (e.g. test accuracy).
    pub result: R,
    /// Number of test samples it saw.
    pub n_test: usize,
    /// When the test set was unsealed (taken just before the closure ran).
    pub at: SystemTime,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn evaluate_final_passes_all_indices_once() {
        let sealed = SealedTest::new(vec![4, 7, 9]);
        assert_eq!(sealed.len(), 3);
        assert!(!sealed.is_empty());
        let before = SystemTime::now();
        let eval = sealed.evaluate_final(|idx| idx.to_vec());
        assert_eq!(eval.result, vec![4, 7, 9]);
        assert_eq!(eval.n_test, 3);
        assert!(eval.at >= before);
    }

    #[test]
    fn debug_output_hides_indices() {
        let sealed = SealedTest::new(vec![123_456, 654_321]);
        let shown = format!("{sealed:?}");
        assert_eq!(shown, "SealedTest { len: 2 }");
        assert!(!shown.contains("123456"));
    }
}
