//! Visible tests of exercise 07. Points: the `pN_` prefix of a test's name.
//!
//! Each curve's verdict is worked out by hand in its comment (the rules of the task, with
//! their thresholds: 3x the first loss, 10% rise, -0.5% slope); `trainlab_diagnosis::diagnose`
//! gives the same verdict first, which each test also checks.

use ex07_learning_curves::classify;
use trainlab_diagnosis::{diagnose, Curves, DivergedAt, Thresholds, VerdictKind};
use trainlab_exercise_harness::graded;

/// The verdict the student's classifier must give, and the reference's first verdict agrees.
fn check(train: &[f64], val: &[f64], expected: VerdictKind) {
    let c = Curves::from_losses(train.to_vec(), val.to_vec());
    let reference = diagnose(&c, &Thresholds::default());
    assert_eq!(
        reference[0].kind, expected,
        "the reference disagrees with the test"
    );
    assert_eq!(classify(&c), expected, "train {train:?}\nval   {val:?}");
}

#[test]
fn p2_the_u_shaped_validation_curve_overfits() {
    // val bottoms at row 4 (0.70), ends at mean(0.85, 0.95, 1.05) = 0.95: rise 0.25 / 0.70 = 36%
    // > 10%, and train kept falling (0.45 at row 4 -> 0.12): overfitting, best epoch 4.
    graded(|| {
        check(
            &[2.3, 1.5, 1.0, 0.7, 0.45, 0.3, 0.2, 0.15, 0.12],
            &[2.3, 1.6, 1.1, 0.85, 0.70, 0.75, 0.85, 0.95, 1.05],
            VerdictKind::Overfitting { best_epoch: 4 },
        );
    });
}

#[test]
fn p2_both_still_falling_underfits() {
    // val's minimum is the last row: no overfitting. n = 6, tail max(3, ceil(1.2)) = 3 rows:
    // train 1.0, 0.9, 0.8 -> slope -0.1 / 2.0 = -5% per epoch; val 1.1, 1.0, 0.9 -> -5%.
    // Both below -0.5%: still learning, train longer.
    graded(|| {
        check(
            &[2.0, 1.5, 1.2, 1.0, 0.9, 0.8],
            &[2.0, 1.6, 1.3, 1.1, 1.0, 0.9],
            VerdictKind::Underfitting,
        );
    });
}

#[test]
fn p2_falling_together_and_settling_is_a_good_fit() {
    // val's minimum 0.33 (first at row 7) is where it ends: rise 0. Tail (3 rows) slopes 0:
    // settled. Nothing wrong: good fit.
    graded(|| {
        check(
            &[2.3, 1.4, 0.9, 0.6, 0.45, 0.36, 0.31, 0.30, 0.30, 0.30],
            &[2.3, 1.45, 0.95, 0.65, 0.49, 0.39, 0.34, 0.33, 0.33, 0.33],
            VerdictKind::GoodFit,
        );
    });
}

#[test]
fn p2_a_nan_loss_diverges_at_its_epoch() {
    // Rows 0-2 are finite and below 3 x 2.3 = 6.9 (5.0 is not above it); row 3 is NaN.
    graded(|| {
        check(
            &[2.3, 1.9, 5.0, f64::NAN, f64::NAN],
            &[2.3, 2.0, 4.0, f64::NAN, f64::NAN],
            VerdictKind::Diverging {
                epoch_or_step: DivergedAt::Epoch(3.0),
            },
        );
    });
}
