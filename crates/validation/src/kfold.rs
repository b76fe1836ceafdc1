//! K-fold cross-validation folds, scikit-learn's `KFold` rule.
//!
//! ```text
//! order       = 0..n, or a seeded shuffle of it
//! fold_size_i = n / k + (1 if i < n % k else 0)        the first n % k folds are one larger
//! val_i       = the next fold_size_i entries of order   (consecutive blocks)
//! train_i     = every other index
//! ```
//!
//! Without shuffle this is exactly scikit-learn's `KFold(n_splits=k)` (checked against its output
//! in `tests/sklearn_folds.rs`). With `shuffle = Some(seed)` the permutation is our own
//! `ChaCha8Rng` shuffle, not numpy's, so the folds differ from `KFold(shuffle=True,
//! random_state=seed)`. Both index lists of a fold are returned sorted ascending (scikit-learn
//! keeps the shuffled order in the validation part). PyTorch has no k-fold helper.

use rand::seq::SliceRandom;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use crate::ValidationError;

/// One cross-validation fold: fit on `train`, score on `val`. Both are sorted ascending.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Fold {
    /// Indices to fit on.
    pub train: Vec<usize>,
    /// Indices to score on (this fold's held-out block).
    pub val: Vec<usize>,
}

impl Fold {
    /// Build a fold from the held-out indices: train is every other index of `0..n`.
    pub(crate) fn from_val(n: usize, mut val: Vec<usize>) -> Self {
        val.sort_unstable();
        let mut held_out = vec![false; n];
        for &i in &val {
            held_out[i] = true;
        }
        let train = (0..n).filter(|&i| !held_out[i]).collect();
        Self { train, val }
    }
}

/// Check `2 <= k <= n`.
pub(crate) fn check_k(n: usize, k: usize) -> Result<(), ValidationError> {
    if k < 2 {
        return Err(ValidationError::TooFewFolds { k });
    }
    if k > n {
        return Err(ValidationError::TooManyFolds { k, n });
    }
    Ok(())
}

/// Split `0..n` into `k` folds (see the module docs for the rule).
///
/// ```
/// use trainlab_validation::kfold;
/// // n = 10, k = 3: fold sizes 4, 3, 3 (the first 10 % 3 = 1 fold is one larger)
/// let folds = kfold(10, 3, None).unwrap();
/// assert_eq!(folds[0].val, vec![0, 1, 2, 3]);
/// assert_eq!(folds[1].val, vec![4, 5, 6]);
/// assert_eq!(folds[2].train, vec![0, 1, 2, 3, 4, 5, 6]);
/// ```
pub fn kfold(n: usize, k: usize, shuffle: Option<u64>) -> Result<Vec<Fold>, ValidationError> {
    check_k(n, k)?;
    let mut order: Vec<usize> = (0..n).collect();
    if let Some(seed) = shuffle {
        order.shuffle(&mut ChaCha8Rng::seed_from_u64(seed));
    }
    // BEGIN SOLUTION
    let mut folds = Vec::with_capacity(k);
    let mut start = 0;
    for i in 0..k {
        let fold_size = n / k + usize::from(i < n % k);
        folds.push(Fold::from_val(n, order[start..start + fold_size].to_vec()));
        start += fold_size;
    }
    Ok(folds)
    // STUB: let _ = order;
    // STUB: todo!("exercise 05: the student release has no reference k-fold; yours is in exercises/05_kfold")
    // END SOLUTION
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::assert_partition;

    #[test]
    fn partition_and_sizes_for_many_n_k() {
        for n in 2..=60 {
            for k in 2..=n.min(12) {
                for shuffle in [None, Some(7)] {
                    let folds = kfold(n, k, shuffle).unwrap();
                    assert_eq!(folds.len(), k);
                    assert_partition(n, &folds);
                    for (i, fold) in folds.iter().enumerate() {
                        let expected = if i < n % k { n / k + 1 } else { n / k };
                        assert_eq!(fold.val.len(), expected, "n = {n}, k = {k}, fold {i}");
                    }
                }
            }
        }
    }

    #[test]
    fn shuffle_is_seeded() {
        assert_eq!(kfold(30, 5, Some(1)), kfold(30, 5, Some(1)));
        assert_ne!(kfold(30, 5, Some(1)), kfold(30, 5, Some(2)));
        assert_ne!(kfold(30, 5, Some(1)), kfold(30, 5, None));
    }

    #[test]
    fn k_out_of_range() {
        assert_eq!(
            kfold(10, 1, None),
            Err(ValidationError::TooFewFolds { k: 1 })
        );
        assert_eq!(
            kfold(3, 4, None),
            Err(ValidationError::TooManyFolds { k: 4, n: 3 })
        );
    }
}
