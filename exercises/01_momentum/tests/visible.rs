//! Visible tests of exercise 01. Points: the `pN_` prefix of a test's name.
//!
//! The cases (hyperparameters, steps, expected values, points) live in
//! `trainlab_optimizers::cases`, so that notebook 01's "your turn" check runs exactly these on a
//! rule written in a cell. Each case builds the rule from its own hyperparameters; the learning
//! rate comes with every step (`Step::alpha`), as the trainer's schedule hands it.

use ex01_momentum::Momentum;
use trainlab_exercise_harness::graded;
use trainlab_optimizers::cases::{cases, run_case, Hyper};
use trainlab_optimizers::UpdateRule;

/// The student's rule with the case's hyperparameters.
fn make(h: &Hyper) -> Box<dyn UpdateRule> {
    Box::new(Momentum { beta: h.beta })
}

/// Runs the case named like the calling test.
fn check(name: &str) {
    let all = cases("momentum").expect("momentum has cases");
    let case = all
        .iter()
        .find(|c| c.name == name)
        .expect("a case named like this test");
    if let Err(m) = run_case(&make, case) {
        panic!("{name}: {m}");
    }
}

#[test]
fn p1_keeps_one_buffer() {
    graded(|| check("p1_keeps_one_buffer"));
}

#[test]
fn p2_first_step_is_alpha_times_gradient() {
    graded(|| check("p2_first_step_is_alpha_times_gradient"));
}

#[test]
fn p3_three_steps_hand_derived() {
    graded(|| check("p3_three_steps_hand_derived"));
}

#[test]
fn p2_matches_the_reference_on_a_vector() {
    graded(|| check("p2_matches_the_reference_on_a_vector"));
}
