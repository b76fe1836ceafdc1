//! Plain stochastic gradient descent.
//!
//! ```text
//! theta -= alpha * g
//! ```
//!
//! Same as PyTorch's `torch.optim.SGD(momentum=0)` and dfdx's `Sgd` with `momentum: None`. PyTorch's
//! default `lr` is `1e-3` ([`SgdConfig::pytorch`]); the lecture's default here is `0.01`. PyTorch's
//! SGD has no decoupled weight decay; here every rule can have it (with plain SGD, L2 and decoupled
//! decay give the same step).

use serde::{Deserialize, Serialize};

use crate::error::OptimError;
use crate::rule::{optimizer_from, Step, UpdateRule};
use crate::Optimizer;

/// Hyperparameters of [`Sgd`].
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SgdConfig {
    /// Learning rate. Default: 0.01.
    pub alpha: f32,
    /// Weight decay `lambda`. Default: 0.
    pub weight_decay: f32,
    /// Decoupled (AdamW-style) instead of L2 weight decay. Default: false.
    pub decoupled_weight_decay: bool,
}

impl Default for SgdConfig {
    fn default() -> Self {
        Self {
            alpha: 0.01,
            weight_decay: 0.0,
            decoupled_weight_decay: false,
        }
    }
}

impl SgdConfig {
    /// PyTorch's defaults: `torch.optim.SGD(lr=1e-3)`.
    pub fn pytorch() -> Self {
        Self {
            alpha: 1e-3,
            ..Self::default()
        }
    }

    /// Validate and wrap in an [`Optimizer`] at `alpha` with this config's weight decay.
    pub fn build(&self) -> Result<Optimizer<Sgd>, OptimError> {
        optimizer_from(
            Sgd,
            self.alpha,
            self.weight_decay,
            self.decoupled_weight_decay,
        )
    }
}

/// The plain SGD update rule: no hyperparameters of its own, no state.
///
/// ```
/// use trainlab_optimizers::{Sgd, Step, UpdateRule};
/// let mut theta = [1.0_f32, 2.0];
/// Sgd.update(Step { k: 1, alpha: 0.5 }, &mut theta, &[2.0, -2.0], &mut []);
/// assert_eq!(theta, [0.0, 3.0]);
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Sgd;

impl UpdateRule for Sgd {
    fn name(&self) -> &'static str {
        "sgd"
    }
    fn state_buffers(&self) -> usize {
        0
    }
    fn update(&self, step: Step, theta: &mut [f32], grad: &[f32], _state: &mut [Vec<f32>]) {
        for (theta, g) in theta.iter_mut().zip(grad) {
            *theta -= step.alpha * g;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tolerance::assert_close;

    #[test]
    fn two_steps_hand_derived() {
        // theta0 = 1.0, alpha = 0.1, grads 2.0 then -1.0:
        // theta1 = 1.0 - 0.1*2.0 = 0.8; theta2 = 0.8 - 0.1*(-1.0) = 0.9
        let mut opt = SgdConfig {
            alpha: 0.1,
            ..Default::default()
        }
        .build()
        .unwrap();
        let mut theta = [1.0_f32];
        opt.begin_step();
        opt.update_slice(0, &mut theta, &[2.0]);
        assert_close(&theta, &[0.8], "sgd step 1");
        opt.begin_step();
        opt.update_slice(0, &mut theta, &[-1.0]);
        assert_close(&theta, &[0.9], "sgd step 2");
    }

    #[test]
    fn invalid_alpha_names_field() {
        for alpha in [0.0, -1.0, f32::NAN, f32::INFINITY] {
            let err = SgdConfig {
                alpha,
                ..Default::default()
            }
            .build()
            .unwrap_err();
            assert!(err.to_string().contains("`alpha`"), "{err}");
        }
        let err = SgdConfig {
            weight_decay: -0.1,
            ..Default::default()
        }
        .build()
        .unwrap_err();
        assert!(
            err.to_string().contains("`weight_decay`") && err.to_string().contains(">= 0"),
            "{err}"
        );
    }
}
