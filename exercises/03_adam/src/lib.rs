//! # Exercise 03: Adam with bias correction
//!
//! Implement the lecture's Adam as a trainlab [`UpdateRule`] (`k` is the 1-based step count):
//!
//! ```text
//! m = beta1 * m + (1 - beta1) * g
//! v = beta2 * v + (1 - beta2) * g * g
//! m_hat = m / (1 - beta1^k);   v_hat = v / (1 - beta2^k)
//! theta -= alpha * m_hat / sqrt(v_hat + eps)     (eps inside the root, as in the lecture)
//! ```
//!
//! Compute `1 - beta^k` in `f64` and convert: in `f32`, `1 - 0.999` keeps only about four
//! correct digits (cancellation), and the tests compare with the reference to about 1e-6.
//! PyTorch (and the Adam paper) put `eps` outside the root.
//!
//! Edit only this file. `cargo make grade 3` runs its visible tests; `cargo make hint 3` gives a hint.

use trainlab_exercise_api::optimizers::{Step, UpdateRule};

/// Adam's hyperparameters (the learning rate comes with each step, `step.alpha`).
#[derive(Clone, Debug, PartialEq)]
pub struct Adam {
    /// Decay of the gradient average `m`.
    pub beta1: f32,
    /// Decay of the squared-gradient average `v`.
    pub beta2: f32,
    /// Added inside the square root.
    pub eps: f32,
}

impl Default for Adam {
    /// The lecture's defaults: beta1 0.9, beta2 0.999, eps 1e-8.
    fn default() -> Self {
        Self {
            beta1: 0.9,
            beta2: 0.999,
            eps: 1e-8,
        }
    }
}

impl UpdateRule for Adam {
    fn name(&self) -> &'static str {
        "adam"
    }
    fn state_buffers(&self) -> usize {
        // TODO: two buffers per parameter: m in state[0], v in state[1].
        // BEGIN SOLUTION
        2
        // STUB: todo!("the number of state buffers")
        // END SOLUTION
    }
    fn update(&self, step: Step, theta: &mut [f32], grad: &[f32], state: &mut [Vec<f32>]) {
        // TODO: the update above at rate step.alpha, with bias correction from the step count
        // step.k.
        // BEGIN SOLUTION
        let k = i32::try_from(step.k.max(1)).unwrap_or(i32::MAX);
        let c1 = (1.0 - f64::from(self.beta1).powi(k)) as f32;
        let c2 = (1.0 - f64::from(self.beta2).powi(k)) as f32;
        let (m, v) = state.split_at_mut(1);
        for (((theta, &g), m), v) in theta
            .iter_mut()
            .zip(grad)
            .zip(m[0].iter_mut())
            .zip(v[0].iter_mut())
        {
            *m = self.beta1 * *m + (1.0 - self.beta1) * g;
            *v = self.beta2 * *v + (1.0 - self.beta2) * g * g;
            let (m_hat, v_hat) = (*m / c1, *v / c2);
            *theta -= step.alpha * m_hat / (v_hat + self.eps).sqrt();
        }
        // STUB: let _ = (step, theta, grad, state);
        // STUB: todo!("the Adam update")
        // END SOLUTION
    }
}
