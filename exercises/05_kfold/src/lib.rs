//! # Exercise 05: k-fold split indices
//!
//! Split the indices `0..n` into `k` folds, scikit-learn's `KFold(n_splits=k)` rule (no shuffle):
//!
//! ```text
//! fold_size_i = n / k + (1 if i < n % k else 0)     the first n % k folds are one larger
//! val_i       = the next fold_size_i indices         consecutive blocks, in order
//! train_i     = every other index, ascending
//! ```
//!
//! Return trainlab's [`Fold`]s, so the result plugs into `trainlab_validation::cross_validate`.
//! Callers guarantee `2 <= k <= n`.
//!
//! Edit only this file. `cargo make grade 5` runs its visible tests; `cargo make hint 5` gives a hint.

use trainlab_exercise_api::validation::Fold;

/// The `k` folds of `0..n` (see the module docs).
pub fn kfold(n: usize, k: usize) -> Vec<Fold> {
    // TODO
    // BEGIN SOLUTION
    let mut folds = Vec::with_capacity(k);
    let mut start = 0;
    for i in 0..k {
        let size = n / k + usize::from(i < n % k);
        let val: Vec<usize> = (start..start + size).collect();
        let train = (0..start).chain(start + size..n).collect();
        folds.push(Fold { train, val });
        start += size;
    }
    folds
    // STUB: let _ = (n, k);
    // STUB: todo!("the k folds")
    // END SOLUTION
}
