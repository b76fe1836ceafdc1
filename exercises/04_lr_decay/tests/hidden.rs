//! Hidden tests of exercise 04 (never released).

use ex04_lr_decay::{InverseTime, StepDecay};
use trainlab_exercise_harness::graded;
use trainlab_schedules::{check_lr_sequence, sequence, LrSchedule, LR_TOLERANCE};

/// The lecture's closed form `rate(t)` for the epochs `0..n`, in `f64` (not trainlab's schedules).
fn closed_form(n: usize, rate: impl Fn(f64) -> f64) -> Vec<f64> {
    (0..n).map(|t| rate(t as f64)).collect()
}

#[test]
fn p1_step_decay_matches_the_reference_over_50_epochs() {
    graded(|| {
        // alpha_t = alpha0 * gamma^floor(t / step_size)
        let expected = closed_form(50, |t| f64::from(0.3_f32) * 0.7_f64.powf((t / 3.0).floor()));
        let ours = StepDecay {
            alpha0: 0.3,
            gamma: 0.7,
            step_size: 3,
        };
        check_lr_sequence(&sequence(&ours, 50), &expected, LR_TOLERANCE).expect("same sequence");
    });
}

#[test]
fn p1_inverse_time_matches_the_reference_over_50_epochs() {
    graded(|| {
        // alpha_t = alpha0 / (1 + decay_rate * t)
        let expected = closed_form(50, |t| f64::from(0.05_f32) / (1.0 + 0.3 * t));
        let ours = InverseTime {
            alpha0: 0.05,
            decay_rate: 0.3,
        };
        check_lr_sequence(&sequence(&ours, 50), &expected, LR_TOLERANCE).expect("same sequence");
        assert_eq!(ours.name(), "inverse_time");
    });
}
