//! Visible tests of exercise 04. Points: the `pN_` prefix of a test's name.

use ex04_lr_decay::{Exponential, InverseSqrt, InverseTime, StepDecay};
use trainlab_exercise_harness::graded;
use trainlab_schedules::{
    check_lr_sequence, sequence, ExponentialConfig, InverseSqrtConfig, LrSchedule, StepUnit,
    LR_TOLERANCE,
};

/// The reference's rates, widened to the `f64` that `check_lr_sequence` expects.
fn reference(s: &dyn LrSchedule, n: usize) -> Vec<f64> {
    sequence(s, n).into_iter().map(f64::from).collect()
}

fn assert_sequence(actual: &dyn LrSchedule, expected: &[f64]) {
    let got = sequence(actual, expected.len());
    if let Err(m) = check_lr_sequence(&got, expected, LR_TOLERANCE) {
        panic!("{}: {m:?}", actual.name());
    }
}

#[test]
fn p2_inverse_time_lecture_table() {
    // The lecture's table: alpha0 = 0.1, decay_rate = 1 -> 0.1, 0.05, 0.0333.., 0.025.
    graded(|| {
        assert_sequence(
            &InverseTime {
                alpha0: 0.1,
                decay_rate: 1.0,
            },
            &[0.1, 0.05, 0.1 / 3.0, 0.025],
        )
    });
}

#[test]
fn p2_step_decay_halves_every_two_epochs() {
    // alpha0 = 1, gamma = 0.5, step_size = 2 -> 1, 1, 0.5, 0.5, 0.25
    graded(|| {
        assert_sequence(
            &StepDecay {
                alpha0: 1.0,
                gamma: 0.5,
                step_size: 2,
            },
            &[1.0, 1.0, 0.5, 0.5, 0.25],
        )
    });
}

#[test]
fn p2_exponential_matches_the_reference() {
    graded(|| {
        let config = ExponentialConfig {
            gamma: 0.95,
            unit: StepUnit::Epoch,
        };
        let expected = reference(&config.build(0.2).expect("valid"), 30);
        assert_sequence(
            &Exponential {
                alpha0: 0.2,
                gamma: 0.95,
            },
            &expected,
        );
    });
}

#[test]
fn p2_inverse_sqrt_matches_the_reference() {
    graded(|| {
        let config = InverseSqrtConfig {
            k: 0.5,
            unit: StepUnit::Epoch,
        };
        let expected = reference(&config.build(0.1).expect("valid"), 30);
        assert_sequence(
            &InverseSqrt {
                alpha0: 0.1,
                k: 0.5,
            },
            &expected,
        );
    });
}
