//! Hidden tests of exercise 05 (never released).

use std::ops::Range;

use ex05_kfold::kfold;
use trainlab_exercise_harness::graded;

#[test]
fn p2_folds_partition_every_index_once() {
    graded(|| {
        for n in 2..=40 {
            for k in 2..=n.min(9) {
                let folds = kfold(n, k);
                assert_eq!(folds.len(), k, "n = {n}, k = {k}");
                let mut seen = vec![0; n];
                for f in &folds {
                    assert_eq!(f.train.len() + f.val.len(), n, "n = {n}, k = {k}");
                    assert!(
                        f.val.iter().all(|i| !f.train.contains(i)),
                        "n = {n}, k = {k}: overlap"
                    );
                    for &i in &f.val {
                        seen[i] += 1;
                    }
                }
                assert!(seen.iter().all(|&c| c == 1), "n = {n}, k = {k}: {seen:?}");
            }
        }
    });
}

#[test]
fn p1_matches_the_reference_on_many_sizes() {
    graded(|| {
        // scikit-learn 1.9.1's KFold(n_splits=k) (no shuffle): its validation blocks, from
        // crates/validation/tests/fixtures/sklearn_folds.json (gen_sklearn_folds.py).
        let sklearn: [(usize, usize, Vec<Range<usize>>); 4] = [
            (2, 2, vec![0..1, 1..2]),
            (10, 3, vec![0..4, 4..7, 7..10]),
            (
                23,
                10,
                vec![
                    0..3,
                    3..6,
                    6..9,
                    9..11,
                    11..13,
                    13..15,
                    15..17,
                    17..19,
                    19..21,
                    21..23,
                ],
            ),
            (
                1797,
                10,
                vec![
                    0..180,
                    180..360,
                    360..540,
                    540..720,
                    720..900,
                    900..1080,
                    1080..1260,
                    1260..1439,
                    1439..1618,
                    1618..1797,
                ],
            ),
        ];
        for (n, k, blocks) in sklearn {
            let folds = kfold(n, k);
            assert_eq!(folds.len(), k, "n = {n}, k = {k}");
            for (f, b) in folds.iter().zip(&blocks) {
                let train: Vec<usize> = (0..n).filter(|i| !b.contains(i)).collect();
                assert_eq!(
                    f.val,
                    b.clone().collect::<Vec<_>>(),
                    "n = {n}, k = {k}: val"
                );
                assert_eq!(f.train, train, "n = {n}, k = {k}: train");
            }
        }
    });
}
