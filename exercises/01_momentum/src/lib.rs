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
//! steps by the optimizer. `k` is the 1-based step count (momentum does not need it).
//!
//! PyTorch: `torch.optim.SGD(lr=alpha, momentum=beta)` computes the same (with `dampening = 0`).
//!
//! Edit only this file. `cargo make grade 1` runs its visible tests; `cargo make hint 1` gives a hint.

use trainlab_exercise_api::optimizers::UpdateRule;

/// The momentum rule's hyperparameters.
#[derive(Clone, Debug, PartialEq)]
pub struct Momentum {
    /// Learning rate `alpha`.
    pub alpha: f32,
    /// Momentum `beta` in `[0, 1)`.
    pub beta: f32,
}

impl Momentum {
    /// A momentum rule with learning rate `alpha` and momentum `beta`.
    pub fn new(alpha: f32, beta: f32) -> Self {
        Self { alpha, beta }
    }
}

impl UpdateRule for Momentum {
    fn name(&self) -> &'static str {
        "momentum"
    }
    fn alpha(&self) -> f32 {
        self.alpha
    }
    fn set_alpha(&mut self, alpha: f32) {
        self.alpha = alpha;
    }
    fn state_buffers(&self) -> usize {
        // TODO: how many buffers does momentum keep per parameter?
        // BEGIN SOLUTION
        1
        // STUB: todo!("the number of state buffers")
        // END SOLUTION
    }
    fn update(&self, _k: u64, theta: &mut [f32], grad: &[f32], state: &mut [Vec<f32>]) {
        // TODO: v = beta * v + g; theta -= alpha * v, element by element.
        // BEGIN SOLUTION
        let v = &mut state[0];
        for ((theta, &g), v) in theta.iter_mut().zip(grad).zip(v.iter_mut()) {
            *v = self.beta * *v + g;
            *theta -= self.alpha * *v;
        }
        // STUB: let _ = (theta, grad, state);
        // STUB: todo!("the momentum update")
        // END SOLUTION
    }
}
