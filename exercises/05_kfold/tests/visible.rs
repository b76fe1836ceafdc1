//! Visible tests of exercise 05. Points: the `pN_` prefix of a test's name.

use ex05_kfold::kfold;
use trainlab_exercise_harness::graded;

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
        for (n, k) in [(5, 5), (7, 2), (20, 6), (101, 10)] {
            let expected = trainlab_validation::kfold(n, k, None).expect("valid n, k");
            assert_eq!(kfold(n, k), expected, "n = {n}, k = {k}");
        }
    });
}
