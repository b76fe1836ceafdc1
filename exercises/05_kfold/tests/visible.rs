//! Visible tests of exercise 05. Points: the `pN_` prefix of a test's name.

use std::ops::Range;

use ex05_kfold::kfold;
use trainlab_exercise_harness::graded;

/// The folds whose validation parts are `blocks` (in order): train is every other index of `0..n`.
fn expected_folds(n: usize, blocks: &[Range<usize>]) -> Vec<(Vec<usize>, Vec<usize>)> {
    blocks
        .iter()
        .map(|b| {
            (
                (0..n).filter(|i| !b.contains(i)).collect(),
                b.clone().collect(),
            )
        })
        .collect()
}

#[test]
fn p2_ten_into_three() {
    // n = 10, k = 3: sizes 4, 3, 3 (the first 10 % 3 = 1 fold is one larger), hand-derived.
    graded(|| {
        let folds = kfold(10, 3);
        assert_eq!(folds.len(), 3);
        assert_eq!(folds[0].val, vec![0, 1, 2, 3]);
        assert_eq!(folds[1].val, vec![4, 5, 6]);
        assert_eq!(folds[1].train, vec![0, 1, 2, 3, 7, 8, 9]);
        assert_eq!(folds[2].train, vec![0, 1, 2, 3, 4, 5, 6]);
    });
}

#[test]
fn p3_matches_the_reference() {
    graded(|| {
        // scikit-learn 1.9.1's KFold(n_splits=k) (no shuffle): its validation blocks, from
        // crates/validation/tests/fixtures/sklearn_folds.json (gen_sklearn_folds.py).
        let sklearn: [(usize, usize, Vec<Range<usize>>); 4] = [
            (5, 5, vec![0..1, 1..2, 2..3, 3..4, 4..5]),
            (11, 4, vec![0..3, 3..6, 6..9, 9..11]),
            (17, 5, vec![0..4, 4..8, 8..11, 11..14, 14..17]),
            (
                100,
                7,
                vec![0..15, 15..30, 30..44, 44..58, 58..72, 72..86, 86..100],
            ),
        ];
        for (n, k, blocks) in sklearn {
            let got: Vec<_> = kfold(n, k).into_iter().map(|f| (f.train, f.val)).collect();
            assert_eq!(got, expected_folds(n, &blocks), "n = {n}, k = {k}");
        }
    });
}
