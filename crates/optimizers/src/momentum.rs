//! SGD with momentum (classic or Nesterov).
//!
//! ```text
//! classic:  v = beta * v + (1 - dampening) * g;   theta -= alpha * v
//! nesterov: v = beta * v + (1 - dampening) * g;   theta -= alpha * (g + beta * v)
//! first step (k = 1): v = g
//! ```
//!
//! The lecture's form is `dampening = 0` (the default): `v = beta*v + g`, and since `v` starts at 0,
//! the first step already gives `v = g`. With `dampening > 0` this follows PyTorch's
//! `torch.optim.SGD(momentum, dampening, nesterov)` exactly, including its first step, which sets
//! `v = g` without dampening ("first step" here means `k = 1`, where PyTorch uses "the buffer
//! does not exist yet"). dfdx's `Sgd` with `Momentum::Classic`/`Nesterov` computes `v = g + beta*v`
//! (no dampening): the same as this with `dampening = 0`.

use serde::{Deserialize, Serialize};

use crate::error::{check_beta, check_unit, OptimError};
use crate::rule::{optimizer_from, Step, UpdateRule};
use crate::Optimizer;

/// Hyperparameters of [`Momentum`].
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MomentumConfig {
    /// Learning rate. Default: 0.01.
    pub alpha: f32,
    /// Momentum `beta` in `[0, 1)`. Default: 0.9.
    pub beta: f32,
    /// Nesterov's look-ahead form. Default: false.
    pub nesterov: bool,
    /// PyTorch's dampening in `[0, 1]`. Default: 0 (the lecture's form).
    pub dampening: f32,
    /// Weight decay `lambda`. Default: 0.
    pub weight_decay: f32,
    /// Decoupled (AdamW-style) instead of L2 weight decay. Default: false.
    pub decoupled_weight_decay: bool,
}

impl Default for MomentumConfig {
    fn default() -> Self {
        Self {
            alpha: 0.01,
            beta: 0.9,
            nesterov: false,
            dampening: 0.0,
            weight_decay: 0.0,
            decoupled_weight_decay: false,
        }
    }
}

impl MomentumConfig {
    /// PyTorch's form and defaults where it has them: `torch.optim.SGD(lr=1e-3, momentum=0.9)`
    /// (PyTorch's default momentum is 0, i.e. plain SGD; 0.9 is the customary value).
    pub fn pytorch() -> Self {
        Self {
            alpha: 1e-3,
            ..Self::default()
        }
    }

    /// Validate and wrap in an [`Optimizer`] at `alpha` with this config's weight decay.
    pub fn build(&self) -> Result<Optimizer<Momentum>, OptimError> {
        optimizer_from(
            Momentum::new(self)?,
            self.alpha,
            self.weight_decay,
            self.decoupled_weight_decay,
        )
    }
}

/// The momentum update rule (one buffer: the velocity `v`).
///
/// ```
/// use trainlab_optimizers::{Momentum, MomentumConfig, Step, UpdateRule};
/// let rule = Momentum::new(&MomentumConfig { beta: 0.5, ..Default::default() }).unwrap();
/// let (mut theta, mut state) = ([0.0_f32], vec![vec![0.0_f32]]);
/// rule.update(Step { k: 1, alpha: 0.1 }, &mut theta, &[1.0], &mut state); // v = 1,   theta = -0.1
/// rule.update(Step { k: 2, alpha: 0.1 }, &mut theta, &[1.0], &mut state); // v = 1.5, theta = -0.25
/// assert!((theta[0] + 0.25).abs() < 1e-6);
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Momentum {
    beta: f32,
    nesterov: bool,
    dampening: f32,
}

impl Momentum {
    /// The rule of `cfg`: `beta` in `[0, 1)`, `dampening` in `[0, 1]` (its `alpha` and
    /// `weight_decay` belong to the [`Optimizer`], see [`MomentumConfig::build`]).
    pub fn new(cfg: &MomentumConfig) -> Result<Self, OptimError> {
        check_beta("beta", cfg.beta)?;
        check_unit("dampening", cfg.dampening)?;
        Ok(Self {
            beta: cfg.beta,
            nesterov: cfg.nesterov,
            dampening: cfg.dampening,
        })
    }
}

impl UpdateRule for Momentum {
    fn name(&self) -> &'static str {
        if self.nesterov {
            "nesterov"
        } else {
            "momentum"
        }
    }
    fn state_buffers(&self) -> usize {
        // BEGIN SOLUTION
        1
        // STUB: todo!("exercise 01: the student release has no reference momentum; yours is in exercises/01_momentum")
        // END SOLUTION
    }
    fn update(&self, step: Step, theta: &mut [f32], grad: &[f32], state: &mut [Vec<f32>]) {
        // BEGIN SOLUTION
        let Self {
            beta,
            nesterov,
            dampening,
        } = *self;
        let v = &mut state[0];
        for ((theta, &g), v) in theta.iter_mut().zip(grad).zip(v.iter_mut()) {
            *v = if step.k <= 1 {
                g
            } else {
                beta * *v + (1.0 - dampening) * g
            };
            let direction = if nesterov { g + beta * *v } else { *v };
            *theta -= step.alpha * direction;
        }
        // STUB: let _ = (self.beta, self.dampening, step, theta, grad, state);
        // STUB: todo!("exercise 01: the student release has no reference momentum; yours is in exercises/01_momentum")
        // END SOLUTION
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tolerance::assert_close;

    fn run(cfg: MomentumConfig, grads: &[f32]) -> Vec<f32> {
        let mut opt = cfg.build().unwrap();
        let mut theta = [1.0_f32];
        grads
            .iter()
            .map(|g| {
                opt.begin_step();
                opt.update_slice(0, &mut theta, &[*g]);
                theta[0]
            })
            .collect()
    }

    #[test]
    fn classic_three_steps_hand_derived() {
        // theta0 = 1, alpha = 0.1, beta = 0.9, g = 1, 1, 1 (lecture form):
        // v1 = 1,    theta1 = 1 - 0.1       = 0.9
        // v2 = 1.9,  theta2 = 0.9 - 0.19    = 0.71
        // v3 = 2.71, theta3 = 0.71 - 0.271  = 0.439
        let cfg = MomentumConfig {
            alpha: 0.1,
            beta: 0.9,
            ..Default::default()
        };
        assert_close(&run(cfg, &[1.0, 1.0, 1.0]), &[0.9, 0.71, 0.439], "classic");
    }

    #[test]
    fn nesterov_three_steps_hand_derived() {
        // theta0 = 1, alpha = 0.1, beta = 0.9, g = 1, 1, 1:
        // v1 = 1,    step = 1 + 0.9*1    = 1.9,   theta1 = 1 - 0.19       = 0.81
        // v2 = 1.9,  step = 1 + 0.9*1.9  = 2.71,  theta2 = 0.81 - 0.271   = 0.539
        // v3 = 2.71, step = 1 + 0.9*2.71 = 3.439, theta3 = 0.539 - 0.3439 = 0.1951
        let cfg = MomentumConfig {
            alpha: 0.1,
            beta: 0.9,
            nesterov: true,
            ..Default::default()
        };
        assert_close(
            &run(cfg, &[1.0, 1.0, 1.0]),
            &[0.81, 0.539, 0.1951],
            "nesterov",
        );
    }

    #[test]
    fn dampening_skips_first_step() {
        // theta0 = 1, alpha = 0.1, beta = 0.9, dampening = 0.5, g = 1, 1:
        // v1 = g = 1 (no dampening on the first step), theta1 = 0.9
        // v2 = 0.9*1 + 0.5*1 = 1.4, theta2 = 0.9 - 0.14 = 0.76
        let cfg = MomentumConfig {
            alpha: 0.1,
            beta: 0.9,
            dampening: 0.5,
            ..Default::default()
        };
        assert_close(&run(cfg, &[1.0, 1.0]), &[0.9, 0.76], "dampening");
    }

    #[test]
    fn invalid_values_name_field() {
        let cases = [
            (
                MomentumConfig {
                    beta: 1.0,
                    ..Default::default()
                },
                "`beta`",
            ),
            (
                MomentumConfig {
                    beta: -0.1,
                    ..Default::default()
                },
                "`beta`",
            ),
            (
                MomentumConfig {
                    dampening: 1.5,
                    ..Default::default()
                },
                "`dampening`",
            ),
            (
                MomentumConfig {
                    alpha: -0.1,
                    ..Default::default()
                },
                "`alpha`",
            ),
        ];
        for (cfg, field) in cases {
            let err = cfg.build().unwrap_err().to_string();
            assert!(err.contains(field), "{err}");
        }
    }
}
