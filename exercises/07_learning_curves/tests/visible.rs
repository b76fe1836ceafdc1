//! Visible tests of exercise 07. Points: the `pN_` prefix of a test's name.
//!
//! Each curve's verdict is worked out by hand in its comment (the rules of the task: 3x the
//! first loss, a 2% bias, a 2% gap plus two standard errors). No test calls
//! `trainlab_diagnosis::diagnose`: the expected verdicts stand on their own.

use ex07_learning_curves::classify;
use trainlab_diagnosis::{Curves, DivergedAt, VerdictKind};
use trainlab_exercise_harness::graded;

/// Losses that fell and settled: the validation minimum 0.33 is first reached at row 7.
const TRAIN: [f64; 10] = [2.3, 1.4, 0.9, 0.6, 0.45, 0.36, 0.31, 0.30, 0.30, 0.30];
const VAL: [f64; 10] = [2.3, 1.45, 0.95, 0.65, 0.49, 0.39, 0.34, 0.33, 0.33, 0.33];

/// Settled losses with these final errors, measured on `n_val` validation samples.
fn settled(e_train: f64, e_val: f64, n_val: usize) -> Curves {
    Curves::from_losses(TRAIN.to_vec(), VAL.to_vec())
        .with_errors(vec![e_train; 10], vec![e_val; 10])
        .with_n_val(n_val)
}

/// The verdict the student's classifier must give (worked out by hand in each test).
fn check(c: &Curves, expected: VerdictKind) {
    assert_eq!(classify(c), expected, "{c:?}");
}

#[test]
fn p2_a_gap_beyond_the_noise_overfits() {
    // The real overfitting run of the diagnosis crate's fixtures: 0% training, 12.5%
    // validation error on 360 samples. se = sqrt(0.125 x 0.875 / 360) = 0.0174; limit
    // 0.02 + 2 x 0.0174 = 5.5% < 12.5%: high variance. Best epoch: the validation minimum, row 7.
    graded(|| {
        check(
            &settled(0.0, 0.125, 360),
            VerdictKind::Overfitting { best_epoch: 7 },
        )
    });
}

#[test]
fn p2_a_gap_within_the_noise_is_a_good_fit() {
    // 0.07% vs 2.2% on 360 samples: se = sqrt(0.022 x 0.978 / 360) = 0.0077, limit 3.5% >
    // 2.13%: within the noise. Bias 0.07% <= 2%. A good fit.
    graded(|| check(&settled(0.0007, 0.022, 360), VerdictKind::GoodFit));
}

#[test]
fn p2_a_high_training_error_underfits() {
    // Training error 30%: bias 30% - 0% > 2%. (Validation 31%: variance 1%, no overfitting.)
    graded(|| check(&settled(0.30, 0.31, 360), VerdictKind::Underfitting));
}

#[test]
fn p2_a_nan_loss_diverges_at_its_epoch() {
    // Rows 0-2 are finite and below 3 x 2.3 = 6.9 (5.0 is not above it); row 3 is NaN.
    graded(|| {
        let c = Curves::from_losses(
            vec![2.3, 1.9, 5.0, f64::NAN, f64::NAN],
            vec![2.3, 2.0, 4.0, f64::NAN, f64::NAN],
        )
        .with_errors(vec![0.5; 5], vec![0.5; 5])
        .with_n_val(360);
        check(
            &c,
            VerdictKind::Diverging {
                epoch_or_step: DivergedAt::Epoch(3.0),
            },
        );
    });
}
