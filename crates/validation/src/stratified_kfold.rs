//! Stratified k-fold: every fold keeps the class proportions, scikit-learn's `StratifiedKFold` rule.
//!
//! ```text
//! classes     numbered in order of first appearance in labels (0 = the first label seen)
//! y_order     = the class numbers of all samples, sorted
//! allocation  = deal y_order round-robin into k folds: position p goes to fold p % k
//!               -> count[f][c] = how many of class c fold f holds (n_c / k, floor or ceil)
//! per class c: its samples, in index order, get fold numbers 0,0,..,1,1,..,k-1 in blocks
//!               of count[0][c], count[1][c], ... (shuffled per class when shuffle is on)
//! val_f       = the samples with fold number f; train_f = the rest
//! ```
//!
//! Without shuffle this reproduces scikit-learn 1.9.1's `StratifiedKFold(n_splits=k)`
//! (`_make_test_folds`) exactly, checked against its output in `tests/sklearn_folds.rs`.
//! Differences: with `shuffle = Some(seed)` the per-class fold numbers are shuffled by our
//! `ChaCha8Rng`, not numpy's RNG; and a class with fewer than `k` members is an error here,
//! where scikit-learn only warns (and errors only if every class is that small).
//! PyTorch has no k-fold helper.

use rand::seq::SliceRandom;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use crate::kfold::check_k;
use crate::{Fold, ValidationError};

/// Split the samples into `k` folds that each hold about `n_c / k` samples of every class `c`.
///
/// ```
/// use trainlab_validation::stratified_kfold;
/// let labels = [0, 0, 0, 0, 1, 1, 1, 1, 1, 1];
/// let folds = stratified_kfold(&labels, 2, None).unwrap();
/// // each fold holds 2 of class 0 and 3 of class 1, in blocks in index order
/// assert_eq!(folds[0].val, vec![0, 1, 4, 5, 6]);
/// assert_eq!(folds[1].val, vec![2, 3, 7, 8, 9]);
/// ```
pub fn stratified_kfold(
    labels: &[u32],
    k: usize,
    shuffle: Option<u64>,
) -> Result<Vec<Fold>, ValidationError> {
    let n = labels.len();
    check_k(n, k)?;

    // classes in order of first appearance, and each sample's class number
    let mut first_seen: Vec<u32> = Vec::new();
    let y_encoded: Vec<usize> = labels
        .iter()
        .map(|y| match first_seen.iter().position(|c| c == y) {
            Some(c) => c,
            None => {
                first_seen.push(*y);
                first_seen.len() - 1
            }
        })
        .collect();
    let n_classes = first_seen.len();
    let mut y_counts = vec![0usize; n_classes];
    for &c in &y_encoded {
        y_counts[c] += 1;
    }
    if let Some((c, &count)) = y_counts.iter().enumerate().find(|(_, &count)| count < k) {
        return Err(ValidationError::ClassTooSmall {
            class: first_seen[c],
            count,
            k,
        });
    }

    // round-robin over the sorted class numbers: position p of y_order goes to fold p % k
    let mut allocation = vec![vec![0usize; n_classes]; k];
    let mut p = 0;
    for (c, &count) in y_counts.iter().enumerate() {
        for _ in 0..count {
            allocation[p % k][c] += 1;
            p += 1;
        }
    }

    let mut rng = shuffle.map(ChaCha8Rng::seed_from_u64);
    let mut test_fold = vec![0usize; n];
    for c in 0..n_classes {
        let mut folds_for_class: Vec<usize> = allocation
            .iter()
            .enumerate()
            .flat_map(|(f, count)| std::iter::repeat_n(f, count[c]))
            .collect();
        if let Some(rng) = rng.as_mut() {
            folds_for_class.shuffle(rng);
        }
        let members = (0..n).filter(|&i| y_encoded[i] == c);
        for (i, f) in members.zip(folds_for_class) {
            test_fold[i] = f;
        }
    }

    Ok((0..k)
        .map(|f| Fold::from_val(n, (0..n).filter(|&i| test_fold[i] == f).collect()))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::assert_partition;

    #[test]
    fn folds_partition_and_keep_class_counts_within_one() {
        let labels: Vec<u32> = (0..97u32).map(|i| (i * 7 + i / 5) % 4).collect();
        for k in 2..=8 {
            for shuffle in [None, Some(11)] {
                let folds = stratified_kfold(&labels, k, shuffle).unwrap();
                assert_partition(labels.len(), &folds);
                for class in 0..4u32 {
                    let n_c = labels.iter().filter(|&&y| y == class).count();
                    for (f, fold) in folds.iter().enumerate() {
                        let got = fold.val.iter().filter(|&&i| labels[i] == class).count();
                        assert!(
                            got == n_c / k || got == n_c / k + 1,
                            "k = {k}, fold {f}, class {class}: {got} of {n_c}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn hand_derived_first_appearance_order() {
        // labels [5, 2, 5, 2, 5]: 5 is seen first, so 5 -> class 0 (3 members), 2 -> class 1 (2).
        // y_order = [0, 0, 0, 1, 1]; positions 0..5 go to folds 0, 1, 0, 1, 0, so
        // fold 0 holds class0 x2, class1 x1; fold 1 holds class0 x1, class1 x1.
        // class 0 (indices 0, 2, 4) -> folds 0, 0, 1; class 1 (indices 1, 3) -> folds 0, 1.
        let folds = stratified_kfold(&[5, 2, 5, 2, 5], 2, None).unwrap();
        assert_eq!(folds[0].val, vec![0, 1, 2]);
        assert_eq!(folds[1].val, vec![3, 4]);
        assert_eq!(folds[0].train, vec![3, 4]);
    }

    #[test]
    fn small_class_is_named() {
        let err = stratified_kfold(&[0, 0, 0, 1, 1, 0, 0], 3, None).unwrap_err();
        assert_eq!(
            err,
            ValidationError::ClassTooSmall {
                class: 1,
                count: 2,
                k: 3
            }
        );
        assert!(err.to_string().contains("class 1 has only 2"));
    }

    #[test]
    fn shuffle_is_seeded() {
        let labels: Vec<u32> = (0..40).map(|i| i % 3).collect();
        assert_eq!(
            stratified_kfold(&labels, 4, Some(5)),
            stratified_kfold(&labels, 4, Some(5))
        );
        assert_ne!(
            stratified_kfold(&labels, 4, Some(5)),
            stratified_kfold(&labels, 4, None)
        );
    }
}
