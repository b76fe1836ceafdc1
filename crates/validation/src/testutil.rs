//! Shared test helpers: the crate's one tolerance and the fold-partition property.

use crate::Fold;

/// The crate's one tolerance for floating-point results (means, standard deviations, grid
/// points): they are computed in a few f64 operations, so 1e-12 relative is ample.
pub(crate) const TOL: f64 = 1e-12;

/// Assert `|got - expected| <= TOL * max(1, |expected|)`, naming `what` on failure.
pub(crate) fn assert_close(got: f64, expected: f64, what: &str) {
    let bound = TOL * expected.abs().max(1.0);
    assert!(
        (got - expected).abs() <= bound,
        "{what}: got {got}, expected {expected} (tolerance {bound})"
    );
}

/// Every index of `0..n` is in exactly one fold's `val`, and each fold's `train` is the rest.
pub(crate) fn assert_partition(n: usize, folds: &[Fold]) {
    let mut seen = vec![0usize; n];
    for (f, fold) in folds.iter().enumerate() {
        for &i in &fold.val {
            seen[i] += 1;
        }
        let mut both: Vec<usize> = fold.train.iter().chain(&fold.val).copied().collect();
        both.sort_unstable();
        assert_eq!(
            both,
            (0..n).collect::<Vec<_>>(),
            "fold {f}: train + val != 0..n"
        );
    }
    assert!(
        seen.iter().all(|&c| c == 1),
        "some index is not in exactly one val fold: {seen:?}"
    );
}
