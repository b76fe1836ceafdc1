//! Visible tests of exercise 04. Points: the `pN_` prefix of a test's name.
//!
//! The cases (parameters, expected rates, points) live in `trainlab_schedules::cases`, so that
//! notebook 02's "your turn" check runs exactly these on a schedule written in a cell.

use ex04_lr_decay::{Exponential, InverseSqrt, InverseTime, StepDecay};
use trainlab_exercise_harness::graded;
use trainlab_schedules::cases::{cases, run_case, Params};
use trainlab_schedules::LrSchedule;

/// Runs the case `name` of decay `kind` on the schedule `make` builds from the case's parameters.
fn check(kind: &str, name: &str, make: &dyn Fn(&Params) -> Box<dyn LrSchedule>) {
    let all = cases(kind).expect("a known decay");
    let case = all
        .iter()
        .find(|c| c.name == name)
        .expect("the case named like this test");
    if let Err(m) = run_case(make, case) {
        panic!("{kind}: {m}");
    }
}

#[test]
fn p2_inverse_time_lecture_table() {
    // The lecture's table: alpha0 = 0.1, decay_rate = 1 -> 0.1, 0.05, 0.0333.., 0.025.
    graded(|| {
        check("inverse_time", "p2_inverse_time_lecture_table", &|p| {
            Box::new(InverseTime {
                alpha0: p.alpha0,
                decay_rate: p.decay_rate,
            })
        })
    });
}

#[test]
fn p2_step_decay_halves_every_two_epochs() {
    // alpha0 = 1, gamma = 0.5, step_size = 2 -> 1, 1, 0.5, 0.5, 0.25
    graded(|| {
        check(
            "step_decay",
            "p2_step_decay_halves_every_two_epochs",
            &|p| {
                Box::new(StepDecay {
                    alpha0: p.alpha0,
                    gamma: p.gamma,
                    step_size: p.step_size,
                })
            },
        )
    });
}

#[test]
fn p2_exponential_matches_the_reference() {
    graded(|| {
        check(
            "exponential",
            "p2_exponential_matches_the_reference",
            &|p| {
                Box::new(Exponential {
                    alpha0: p.alpha0,
                    gamma: p.gamma,
                })
            },
        )
    });
}

#[test]
fn p2_inverse_sqrt_matches_the_reference() {
    graded(|| {
        check(
            "inverse_sqrt",
            "p2_inverse_sqrt_matches_the_reference",
            &|p| {
                Box::new(InverseSqrt {
                    alpha0: p.alpha0,
                    k: p.k,
                })
            },
        )
    });
}
