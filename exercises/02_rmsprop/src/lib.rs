//! # Exercise 02: RMSProp
//!
//! Implement the lecture's RMSProp as a trainlab [`UpdateRule`]:
//!
//! ```text
//! s = beta * s + (1 - beta) * g * g      (s starts at 0)
//! theta -= alpha * g / sqrt(s + eps)     (eps INSIDE the square root, as in the lecture)
//! ```
//!
//! PyTorch's `torch.optim.RMSprop` puts `eps` outside the root and calls `beta` `alpha`: do not
//! copy it.
//!
//! Edit only this file. `cargo make grade 2` runs its visible tests; `cargo make hint 2` gives a hint.

use trainlab_exercise_api::optimizers::{Step, UpdateRule};

/// RMSProp's hyperparameters (the learning rate comes with each step, `step.alpha`).
#[derive(Clone, Debug, PartialEq)]
pub struct RmsProp {
    /// Decay of the squared-gradient average, in `[0, 1)`.
    pub beta: f32,
    /// Added inside the square root, `> 0`.
    pub eps: f32,
}

impl UpdateRule for RmsProp {
    fn name(&self) -> &'static str {
        "rmsprop"
    }
    fn state_buffers(&self) -> usize {
        // TODO: one buffer (s) per parameter.
        // BEGIN SOLUTION
        1
        // STUB: todo!("the number of state buffers")
        // END SOLUTION
    }
    fn update(&self, step: Step, theta: &mut [f32], grad: &[f32], state: &mut [Vec<f32>]) {
        // TODO: s = beta*s + (1-beta)*g*g; theta -= step.alpha * g / sqrt(s + eps)
        // BEGIN SOLUTION
        let s = &mut state[0];
        for ((theta, &g), s) in theta.iter_mut().zip(grad).zip(s.iter_mut()) {
            *s = self.beta * *s + (1.0 - self.beta) * g * g;
            *theta -= step.alpha * g / (*s + self.eps).sqrt();
        }
        // STUB: let _ = (step, theta, grad, state);
        // STUB: todo!("the RMSProp update")
        // END SOLUTION
    }
}
