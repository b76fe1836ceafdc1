//! Hidden tests of exercise 04 (never released).

use ex04_lr_decay::{InverseTime, StepDecay};
use trainlab_exercise_harness::graded;
use trainlab_schedules::{check_lr_sequence, sequence, LrSchedule, LR_TOLERANCE};

#[test]
fn p1_step_decay_matches_the_reference_over_50_epochs() {
    graded(|| {
        let reference = trainlab_schedules::StepDecay::new(0.3, 0.7, 3).expect("valid");
        let ours = StepDecay {
            alpha0: 0.3,
            gamma: 0.7,
            step_size: 3,
        };
        check_lr_sequence(
            &sequence(&ours, 50),
            &sequence(&reference, 50),
            LR_TOLERANCE,
        )
        .expect("same sequence");
    });
}

#[test]
fn p1_inverse_time_matches_the_reference_over_50_epochs() {
    graded(|| {
        let reference = trainlab_schedules::InverseTime::new(0.05, 0.3).expect("valid");
        let ours = InverseTime {
            alpha0: 0.05,
            decay_rate: 0.3,
        };
        check_lr_sequence(
            &sequence(&ours, 50),
            &sequence(&reference, 50),
            LR_TOLERANCE,
        )
        .expect("same sequence");
        assert_eq!(ours.name(), "inverse_time");
    });
}
