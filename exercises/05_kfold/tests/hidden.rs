//! Hidden tests of exercise 05 (never released).

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
        for n in [2, 3, 17, 64, 333] {
            for k in [2, 3.min(n), n.min(7)] {
                assert_eq!(
                    kfold(n, k),
                    trainlab_validation::kfold(n, k, None).expect("valid"),
                    "n = {n}, k = {k}"
                );
            }
        }
    });
}
