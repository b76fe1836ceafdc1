//! Hidden tests of exercise 07 (never released). Verdicts worked out by hand in the comments.

use ex07_learning_curves::classify;
use trainlab_diagnosis::{Curves, DivergedAt, VerdictKind};
use trainlab_exercise_harness::graded;

const TRAIN: [f64; 10] = [2.3, 1.4, 0.9, 0.6, 0.45, 0.36, 0.31, 0.30, 0.30, 0.30];
const VAL: [f64; 10] = [2.3, 1.45, 0.95, 0.65, 0.49, 0.39, 0.34, 0.33, 0.33, 0.33];

fn settled(e_train: f64, e_val: f64, n_val: usize) -> Curves {
    Curves::from_losses(TRAIN.to_vec(), VAL.to_vec())
        .with_errors(vec![e_train; 10], vec![e_val; 10])
        .with_n_val(n_val)
}

fn check(c: &Curves, expected: VerdictKind) {
    assert_eq!(classify(c), expected, "{c:?}");
}

#[test]
fn p2_the_same_gap_is_noise_on_50_samples_and_variance_on_1000() {
    // 1% vs 8%: gap 7%. On 50 samples se = sqrt(0.08 x 0.92 / 50) = 0.0384, limit 9.7%: noise.
    // On 1000 samples se = 0.00858, limit 3.7% < 7%: overfitting (best epoch 7).
    graded(|| {
        check(&settled(0.01, 0.08, 50), VerdictKind::GoodFit);
        check(
            &settled(0.01, 0.08, 1000),
            VerdictKind::Overfitting { best_epoch: 7 },
        );
    });
}

#[test]
fn p2_bias_comes_before_variance() {
    // The lecture's 5% / 8% (target 0): bias 5% > 2% and, on 10000 samples, variance 3% >
    // 2% + 2 x 0.27% = 2.54%. Both high: the basic recipe fixes bias first.
    graded(|| check(&settled(0.05, 0.08, 10_000), VerdictKind::Underfitting));
}

#[test]
fn p1_a_bias_of_exactly_two_percent_is_not_high() {
    // 0.02 - 0.0 is not > 0.02. Validation 2%: no gap. A good fit.
    graded(|| check(&settled(0.02, 0.02, 360), VerdictKind::GoodFit));
}

#[test]
fn p2_an_explosion_without_nan_diverges() {
    // Limit 3 x 2.0 = 6.0: row 2 (5.0) is below, row 3 (7.5) above. All finite.
    graded(|| {
        let c = Curves::from_losses(
            vec![2.0, 3.0, 5.0, 7.5, 20.0],
            vec![2.0, 3.1, 5.2, 8.0, 21.0],
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

#[test]
fn p1_a_validation_inf_diverges_too() {
    // Training is fine; validation is inf at row 2.
    graded(|| {
        let c = Curves::from_losses(vec![1.0, 0.8, 0.6, 0.5], vec![1.1, 0.9, f64::INFINITY, 0.7])
            .with_errors(vec![0.1; 4], vec![0.1; 4])
            .with_n_val(360);
        check(
            &c,
            VerdictKind::Diverging {
                epoch_or_step: DivergedAt::Epoch(2.0),
            },
        );
    });
}

#[test]
fn p1_exactly_three_times_the_first_loss_is_not_diverging() {
    // 6.0 is not > 3 x 2.0. Errors 1% and 1.5% on 360 samples: no bias, no variance.
    graded(|| {
        let c = Curves::from_losses(vec![2.0, 6.0, 5.0, 4.0], vec![2.0, 6.0, 5.0, 4.0])
            .with_errors(vec![0.01; 4], vec![0.015; 4])
            .with_n_val(360);
        assert_eq!(classify(&c), VerdictKind::GoodFit);
    });
}

#[test]
fn p1_the_first_of_two_equal_minima_is_the_best_epoch() {
    // val's minimum 1.5 at rows 2 and 3: the first, 2. Errors 0% vs 20% on 360 samples:
    // limit 2% + 2 x 2.1% = 6.2% < 20%: overfitting.
    graded(|| {
        let c = Curves::from_losses(
            vec![3.0, 2.0, 1.5, 1.2, 1.0, 0.8, 0.6, 0.5],
            vec![3.0, 2.0, 1.5, 1.5, 1.8, 2.0, 2.2, 2.4],
        )
        .with_errors(vec![0.0; 8], vec![0.2; 8])
        .with_n_val(360);
        check(&c, VerdictKind::Overfitting { best_epoch: 2 });
    });
}

#[test]
fn p1_the_last_error_counts_not_the_first() {
    // Training error 40% at first, 1% at the end; validation 45% then 2%: bias 1%, gap 1%.
    graded(|| {
        let mut c = settled(0.01, 0.02, 360);
        c.train_error.as_mut().unwrap()[0] = 0.40;
        c.val_error.as_mut().unwrap()[0] = 0.45;
        check(&c, VerdictKind::GoodFit);
    });
}
