//! RMSProp: divide the step by a running root-mean-square of the gradient.
//!
//! ```text
//! s = beta * s + (1 - beta) * g * g
//! theta -= alpha * g / sqrt(s + eps)        // Epsilon::InsideSqrt (lecture, default)
//! theta -= alpha * g / (sqrt(s) + eps)      // Epsilon::OutsideSqrt (PyTorch)
//! ```
//!
//! PyTorch's `torch.optim.RMSprop` calls `beta` `alpha` (default 0.99) and puts `eps` outside the
//! root: [`RmsPropConfig::pytorch`] gives that form. Its `momentum` and `centered` options are not
//! implemented here. dfdx's `RMSprop` puts `eps` inside the root (as the lecture does) but
//! initialises `s` to 1 instead of 0 (TensorFlow's convention), so its first steps are smaller.

use serde::{Deserialize, Serialize};

use crate::error::{check_beta, check_positive, OptimError};
use crate::rule::{optimizer_from, Epsilon, Step, UpdateRule};
use crate::Optimizer;

/// Hyperparameters of [`RmsProp`].
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RmsPropConfig {
    /// Learning rate. Default: 0.01.
    pub alpha: f32,
    /// Decay of the squared-gradient average, in `[0, 1)`. Default: 0.9 (PyTorch's `alpha`: 0.99).
    pub beta: f32,
    /// Added to the denominator for stability, `> 0`. Default: 1e-8.
    pub eps: f32,
    /// Where `eps` goes. Default: inside the square root (the lecture).
    pub epsilon: Epsilon,
    /// Weight decay `lambda`. Default: 0.
    pub weight_decay: f32,
    /// Decoupled (AdamW-style) instead of L2 weight decay. Default: false.
    pub decoupled_weight_decay: bool,
}

impl Default for RmsPropConfig {
    fn default() -> Self {
        Self {
            alpha: 0.01,
            beta: 0.9,
            eps: 1e-8,
            epsilon: Epsilon::InsideSqrt,
            weight_decay: 0.0,
            decoupled_weight_decay: false,
        }
    }
}

impl RmsPropConfig {
    /// PyTorch's defaults and form: `torch.optim.RMSprop(lr=0.01, alpha=0.99, eps=1e-8)`, eps outside the root.
    pub fn pytorch() -> Self {
        Self {
            beta: 0.99,
            epsilon: Epsilon::OutsideSqrt,
            ..Self::default()
        }
    }

    /// Validate and wrap in an [`Optimizer`] at `alpha` with this config's weight decay.
    pub fn build(&self) -> Result<Optimizer<RmsProp>, OptimError> {
        optimizer_from(
            RmsProp::new(self)?,
            self.alpha,
            self.weight_decay,
            self.decoupled_weight_decay,
        )
    }
}

/// The RMSProp update rule (one buffer: the squared-gradient average `s`).
///
/// ```
/// use trainlab_optimizers::{RmsProp, RmsPropConfig, Step, UpdateRule};
/// let rule = RmsProp::new(&RmsPropConfig { beta: 0.0, ..Default::default() }).unwrap();
/// let (mut theta, mut state) = ([0.0_f32], vec![vec![0.0_f32]]);
/// // beta = 0: s = g*g, so the step is alpha * sign(g)
/// rule.update(Step { k: 1, alpha: 0.01 }, &mut theta, &[100.0], &mut state);
/// assert!((theta[0] + 0.01).abs() < 1e-6);
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RmsProp {
    beta: f32,
    eps: f32,
    epsilon: Epsilon,
}

impl RmsProp {
    /// The rule of `cfg`: `beta` in `[0, 1)`, `eps > 0` (its `alpha` and `weight_decay` belong
    /// to the [`Optimizer`], see [`RmsPropConfig::build`]).
    pub fn new(cfg: &RmsPropConfig) -> Result<Self, OptimError> {
        check_beta("beta", cfg.beta)?;
        check_positive("eps", cfg.eps)?;
        Ok(Self {
            beta: cfg.beta,
            eps: cfg.eps,
            epsilon: cfg.epsilon,
        })
    }
}

impl UpdateRule for RmsProp {
    fn name(&self) -> &'static str {
        "rmsprop"
    }
    fn state_buffers(&self) -> usize {
        // BEGIN SOLUTION
        1
        // STUB: todo!("exercise 02: the student release has no reference RMSProp; yours is in exercises/02_rmsprop")
        // END SOLUTION
    }
    fn update(&self, step: Step, theta: &mut [f32], grad: &[f32], state: &mut [Vec<f32>]) {
        // BEGIN SOLUTION
        let Self { beta, eps, epsilon } = *self;
        let s = &mut state[0];
        for ((theta, &g), s) in theta.iter_mut().zip(grad).zip(s.iter_mut()) {
            *s = beta * *s + (1.0 - beta) * g * g;
            *theta -= step.alpha * g / epsilon.denominator(*s, eps);
        }
        // STUB: let _ = (self.beta, self.eps, self.epsilon, step, theta, grad, state);
        // STUB: todo!("exercise 02: the student release has no reference RMSProp; yours is in exercises/02_rmsprop")
        // END SOLUTION
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tolerance::assert_close;

    #[test]
    fn lecture_two_steps_hand_derived() {
        // theta0 = 1, alpha = 0.01, beta = 0.9, eps = 0.01 (large, so its place matters), g = 1, 1:
        // s1 = 0.1,               theta1 = 1 - 0.01/sqrt(0.11)             = 0.969848866
        // s2 = 0.9*0.1 + 0.1 = 0.19, theta2 = 0.969848866 - 0.01/sqrt(0.20) = 0.947488186
        let mut opt = RmsPropConfig {
            eps: 0.01,
            ..Default::default()
        }
        .build()
        .unwrap();
        let mut theta = [1.0_f32];
        let mut seen = Vec::new();
        for _ in 0..2 {
            opt.begin_step();
            opt.update_slice(0, &mut theta, &[1.0]);
            seen.push(theta[0]);
        }
        assert_close(&seen, &[0.969_848_9, 0.947_488_2], "rmsprop lecture");
    }

    #[test]
    fn eps_outside_differs() {
        // OutsideSqrt: theta1 = 1 - 0.01/(sqrt(0.1) + 0.01) = 1 - 0.01/0.326227766 = 0.969346…
        let mut opt = RmsPropConfig {
            eps: 0.01,
            epsilon: Epsilon::OutsideSqrt,
            ..Default::default()
        }
        .build()
        .unwrap();
        let mut theta = [1.0_f32];
        opt.begin_step();
        opt.update_slice(0, &mut theta, &[1.0]);
        assert_close(&theta, &[1.0 - 0.01 / 0.326_227_77], "rmsprop outside");
    }

    #[test]
    fn invalid_values_name_field() {
        let err = RmsPropConfig {
            eps: 0.0,
            ..Default::default()
        }
        .build()
        .unwrap_err();
        assert!(err.to_string().contains("`eps`"), "{err}");
        let err = RmsPropConfig {
            beta: 1.0,
            ..Default::default()
        }
        .build()
        .unwrap_err();
        assert!(
            err.to_string().contains("`beta`") && err.to_string().contains("[0, 1)"),
            "{err}"
        );
    }
}
