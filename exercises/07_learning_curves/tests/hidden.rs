//! Hidden tests of exercise 07 (never released). Verdicts worked out by hand in the comments;
//! where `check` is used, `trainlab_diagnosis::diagnose` gives the same verdict first.

use ex07_learning_curves::classify;
use trainlab_diagnosis::{diagnose, Curves, DivergedAt, Thresholds, VerdictKind};
use trainlab_exercise_harness::graded;

fn curves(train: &[f64], val: &[f64]) -> Curves {
    Curves::from_losses(train.to_vec(), val.to_vec())
}

fn check(train: &[f64], val: &[f64], expected: VerdictKind) {
    let c = curves(train, val);
    assert_eq!(
        diagnose(&c, &Thresholds::default())[0].kind,
        expected,
        "the reference disagrees with the test"
    );
    assert_eq!(classify(&c), expected, "train {train:?}\nval   {val:?}");
}

#[test]
fn p2_an_explosion_without_nan_diverges() {
    // Limit 3 x 2.0 = 6.0: row 2 (5.0) is below, row 3 (7.5) above. All finite.
    graded(|| {
        check(
            &[2.0, 3.0, 5.0, 7.5, 20.0],
            &[2.0, 3.1, 5.2, 8.0, 21.0],
            VerdictKind::Diverging {
                epoch_or_step: DivergedAt::Epoch(3.0),
            },
        );
    });
}

#[test]
fn p1_a_validation_inf_diverges_too() {
    // Training is fine; validation is inf at row 2.
    graded(|| {
        check(
            &[1.0, 0.8, 0.6, 0.5],
            &[1.1, 0.9, f64::INFINITY, 0.7],
            VerdictKind::Diverging {
                epoch_or_step: DivergedAt::Epoch(2.0),
            },
        );
    });
}

#[test]
fn p1_exactly_three_times_the_first_loss_is_not_diverging() {
    // 6.0 is not > 3 x 2.0. Not overfitting (train ends at 4.0, above train[0] = 2.0 at val's
    // minimum). Tail 3 rows: 6, 5, 4 -> slope -1 / 2.0 = -50% per epoch, both curves: underfitting.
    graded(|| {
        let c = curves(&[2.0, 6.0, 5.0, 4.0], &[2.0, 6.0, 5.0, 4.0]);
        assert_eq!(classify(&c), VerdictKind::Underfitting);
    });
}

#[test]
fn p2_validation_rising_from_the_start_overfits_at_epoch_0() {
    // val's minimum is row 0 (1.0); end mean(1.2, 1.3, 1.4) = 1.3: rise 30%; train 2.0 -> 0.5.
    graded(|| {
        check(
            &[2.0, 1.5, 1.1, 0.8, 0.6, 0.5],
            &[1.0, 1.05, 1.1, 1.2, 1.3, 1.4],
            VerdictKind::Overfitting { best_epoch: 0 },
        );
    });
}

#[test]
fn p1_the_first_of_two_equal_minima_is_the_best_epoch() {
    // val's minimum 1.5 at rows 2 and 3: the first, 2. End mean(2.0, 2.2, 2.4) = 2.2: rise
    // 0.7 / 1.5 = 47%; train 1.5 -> 0.5.
    graded(|| {
        check(
            &[3.0, 2.0, 1.5, 1.2, 1.0, 0.8, 0.6, 0.5],
            &[3.0, 2.0, 1.5, 1.5, 1.8, 2.0, 2.2, 2.4],
            VerdictKind::Overfitting { best_epoch: 2 },
        );
    });
}

#[test]
fn p1_a_small_rise_is_not_overfitting() {
    // val minimum 1.00 at row 3, end mean(1.02, 1.04, 1.05) = 1.0367: rise 3.7% < 10%.
    // Tail 3 rows: train falls (-0.05 / 2.0 = -2.5%) but val rises (+0.015 / 2.0): not both
    // falling, so of the four verdicts: good fit.
    graded(|| {
        let c = curves(
            &[2.0, 1.5, 1.2, 1.0, 0.95, 0.9, 0.85],
            &[2.0, 1.5, 1.2, 1.0, 1.02, 1.04, 1.05],
        );
        assert_eq!(classify(&c), VerdictKind::GoodFit);
    });
}

#[test]
fn p1_a_slowly_falling_tail_has_settled() {
    // Tail slopes -0.002 / 2.0 = -0.1% per epoch, above -0.5%: settled, a good fit.
    graded(|| {
        check(
            &[2.0, 1.0, 0.5, 0.304, 0.302, 0.300],
            &[2.0, 1.0, 0.55, 0.334, 0.332, 0.330],
            VerdictKind::GoodFit,
        );
    });
}

#[test]
fn p2_twenty_epochs_have_a_tail_of_four() {
    // train 2.0, 1.9, ..., 0.4 (rows 0-16), then 0.3, 0.3, 0.3; val = train + 0.05.
    // n = 20: tail max(3, ceil(4.0)) = 4 rows: 0.4, 0.3, 0.3, 0.3 -> slope -0.03 / 2.0 = -1.5%
    // per epoch, both curves: underfitting. (With a tail of 3 it would be flat: good fit.)
    graded(|| {
        let mut train: Vec<f64> = (0..17).map(|i| 2.0 - 0.1 * f64::from(i)).collect();
        train.extend([0.3, 0.3, 0.3]);
        let val: Vec<f64> = train.iter().map(|t| t + 0.05).collect();
        check(&train, &val, VerdictKind::Underfitting);
    });
}
