//! Hidden tests of exercise 04 (never released).

use ex04_lr_decay::{InverseTime, StepDecay};
use trainlab_exercise_harness::graded;
use trainlab_schedules::{
    check_lr_sequence, sequence, InverseTimeConfig, LrSchedule, StepDecayConfig, StepUnit,
    LR_TOLERANCE,
};

/// The reference's rates, widened to the `f64` that `check_lr_sequence` expects.
fn reference(s: &dyn LrSchedule, n: usize) -> Vec<f64> {
    sequence(s, n).into_iter().map(f64::from).collect()
}

#[test]
fn p1_step_decay_matches_the_reference_over_50_epochs() {
    graded(|| {
        let config = StepDecayConfig {
            gamma: 0.7,
            step_size: 3,
            unit: StepUnit::Epoch,
        };
        let expected = reference(&config.build(0.3).expect("valid"), 50);
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
        let config = InverseTimeConfig {
            decay_rate: 0.3,
            unit: StepUnit::Epoch,
        };
        let expected = reference(&config.build(0.05).expect("valid"), 50);
        let ours = InverseTime {
            alpha0: 0.05,
            decay_rate: 0.3,
        };
        check_lr_sequence(&sequence(&ours, 50), &expected, LR_TOLERANCE).expect("same sequence");
        assert_eq!(ours.name(), "inverse_time");
    });
}
