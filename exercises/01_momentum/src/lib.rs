//! # Exercise 01: Momentum
//!
//! Implement the lecture's momentum update as a trainlab [`UpdateRule`], so that it plugs into
//! `trainlab_optimizers::Optimizer`, the trainer and the notebooks.
//!
//! ```text
//! v = beta * v + g          (v starts at 0, so the first step has v = g)
//! theta -= alpha * v
//! ```
//!
//! The rule sees one parameter at a time as a flat slice: `theta` and `grad` have the same length,
//! and `state` holds `state_buffers()` buffers of that length, zero-initialised, kept between
//! steps by the optimizer. `step.alpha` is this step's learning rate (the schedule's: the rule
//! keeps no `alpha` of its own); `step.k` is the 1-based step count (momentum does not need it).
//!
//! PyTorch: `torch.optim.SGD(lr=alpha, momentum=beta)` computes the same (with `dampening = 0`).
//!
//! Edit only this file. `cargo make grade 1` runs its visible tests; `cargo make hint 1` gives a hint.

use trainlab_exercise_api::optimizers::{Step, UpdateRule};

/// The momentum rule's hyperparameter (the learning rate comes with each step).
#[derive(Clone, Debug, PartialEq)]
pub struct Momentum {
    /// Momentum `beta` in `[0, 1)`.
    pub beta: f32,
}

impl UpdateRule for Momentum {
    fn name(&self) -> &'static str {
        "momentum"
    }
    fn state_buffers(&self) -> usize {
        // TODO: how many buffers does momentum keep per parameter?
        // BEGIN SOLUTION
        1
        // STUB: todo!("the number of state buffers")
        // END SOLUTION
    }
    fn update(&self, step: Step, theta: &mut [f32], grad: &[f32], state: &mut [Vec<f32>]) {
        // TODO: v = beta * v + g; theta -= step.alpha * v, element by element.
        // BEGIN SOLUTION
        let v = &mut state[0];
        for ((theta, &g), v) in theta.iter_mut().zip(grad).zip(v.iter_mut()) {
            *v = self.beta * *v + g;
            *theta -= step.alpha * *v;
        }
        // STUB: let _ = (step, theta, grad, state);
        // STUB: todo!("the momentum update")
        // END SOLUTION
    }
}
