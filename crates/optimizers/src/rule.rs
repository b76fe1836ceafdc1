//! The [`UpdateRule`] trait: how one parameter moves given its gradient.

use serde::{Deserialize, Serialize};

/// An update rule: how one parameter moves given its gradient. Students implement this in exercises.
///
/// A rule sees one parameter at a time as a flat slice; the [`crate::Optimizer`] wrapper walks the
/// model, applies weight decay, counts steps and keeps the per-parameter state buffers.
pub trait UpdateRule: Send {
    /// Short name: `"sgd"`, `"momentum"`, `"nesterov"`, `"rmsprop"`, `"adam"`.
    fn name(&self) -> &'static str;
    /// The current learning rate `alpha`.
    fn alpha(&self) -> f32;
    /// Set the learning rate; a schedule calls this between steps.
    fn set_alpha(&mut self, alpha: f32);
    /// Buffers kept per parameter (0 sgd, 1 momentum/rmsprop, 2 adam).
    fn state_buffers(&self) -> usize;
    /// One step on one parameter. `k` is the 1-based step count (Adam's bias correction uses it);
    /// `state` holds `state_buffers()` buffers, zero-initialised, each `theta.len()` long.
    fn update(&self, k: u64, theta: &mut [f32], grad: &[f32], state: &mut [Vec<f32>]);
}

impl UpdateRule for Box<dyn UpdateRule> {
    fn name(&self) -> &'static str {
        (**self).name()
    }
    fn alpha(&self) -> f32 {
        (**self).alpha()
    }
    fn set_alpha(&mut self, alpha: f32) {
        (**self).set_alpha(alpha);
    }
    fn state_buffers(&self) -> usize {
        (**self).state_buffers()
    }
    fn update(&self, k: u64, theta: &mut [f32], grad: &[f32], state: &mut [Vec<f32>]) {
        (**self).update(k, theta, grad, state);
    }
}

/// Where RMSProp and Adam put `eps` in the denominator.
///
/// ```text
/// InsideSqrt:  theta -= alpha * g / sqrt(s + eps)      (the lecture; dfdx's RMSprop)
/// OutsideSqrt: theta -= alpha * g / (sqrt(s) + eps)    (PyTorch, the Adam paper; dfdx's Adam)
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Epsilon {
    /// `sqrt(s + eps)`: the lecture's form.
    #[default]
    InsideSqrt,
    /// `sqrt(s) + eps`: PyTorch's and the Adam paper's form.
    OutsideSqrt,
}

impl Epsilon {
    /// The denominator `sqrt(s + eps)` or `sqrt(s) + eps`.
    #[inline]
    pub fn denominator(self, s: f32, eps: f32) -> f32 {
        match self {
            Epsilon::InsideSqrt => (s + eps).sqrt(),
            Epsilon::OutsideSqrt => s.sqrt() + eps,
        }
    }
}

/// Turn a config's `weight_decay` / `decoupled_weight_decay` fields into a [`crate::WeightDecay`].
pub(crate) fn weight_decay_from(lambda: f32, decoupled: bool) -> crate::WeightDecay {
    if lambda == 0.0 {
        crate::WeightDecay::None
    } else if decoupled {
        crate::WeightDecay::Decoupled(lambda)
    } else {
        crate::WeightDecay::L2(lambda)
    }
}
