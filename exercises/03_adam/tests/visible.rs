//! Visible tests of exercise 03. Points: the `pN_` prefix of a test's name.
//!
//! The cases (hyperparameters, steps, expected values, points) live in
//! `trainlab_optimizers::cases`, so that notebook 01's "your turn" check runs exactly these on a
//! rule written in a cell. Each case builds the rule from its own hyperparameters; the learning
//! rate comes with every step (`Step::alpha`), as the trainer's schedule hands it.

use ex03_adam::Adam;
use trainlab_exercise_harness::graded;
use trainlab_optimizers::cases::{cases, run_case, Hyper};
use trainlab_optimizers::UpdateRule;

/// The student's rule with the case's hyperparameters.
fn make(h: &Hyper) -> Box<dyn UpdateRule> {
    Box::new(Adam { beta1: h.beta1, beta2: h.beta2, eps: h.eps })
}

/// Runs the case named like the calling test.
fn check(name: &str) {
    let all = cases("adam").expect("adam has cases");
    let case = all
        .iter()
        .find(|c| c.name == name)
        .expect("a case named like this test");
    if let Err(m) = run_case(&make, case) {
        panic!("{name}: {m}");
    }
}

#[test]
fn p1_keeps_two_buffers() {
    graded(|| check("p1_keeps_two_buffers"));
}

#[test]
fn p3_first_step_has_size_alpha() {
    graded(|| check("p3_first_step_has_size_alpha"));
}

#[test]
fn p3_matches_the_reference_for_twenty_steps() {
    graded(|| check("p3_matches_the_reference_for_twenty_steps"));
}
