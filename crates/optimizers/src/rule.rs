//! The [`UpdateRule`] trait: how one parameter moves given its gradient.

use serde::{Deserialize, Serialize};

/// What one optimizer step hands every parameter's update: the step count and the learning rate.
///
/// The learning rate has one owner: the schedule decides it for each step (a constant schedule
/// keeps the config's `alpha`), the [`crate::Optimizer`] hands it to the rule here. A rule keeps
/// only its own hyperparameters (`beta`, `eps`, ...), never `alpha`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Step {
    /// The 1-based step count: 1 on the first step (Adam's bias correction uses it).
    pub k: u64,
    /// This step's learning rate `alpha`.
    pub alpha: f32,
}

/// An update rule: how one parameter moves given its gradient. Students implement this in the
/// notebooks and the exercises; the trainer calls it for every parameter on every step.
///
/// A rule sees one parameter at a time as a flat slice; the [`crate::Optimizer`] wrapper walks the
/// model, applies weight decay, counts steps, takes this step's `alpha` from the schedule and
/// keeps the per-parameter state buffers.
///
/// **The contract: a rule is elementwise.** Element `i` of `theta` and of every state buffer
/// after the call depends only on element `i` of `theta`, `grad` and the state buffers before it
/// (and on `step` and the rule's hyperparameters), never on the slice's length, on other
/// elements or on where the slice starts. The [`crate::Optimizer`] relies on it: a large
/// parameter is updated in chunks of [`crate::UPDATE_CHUNK`] elements, possibly on several
/// threads at once (`&self` is shared between them, hence `Sync`), each call getting the same
/// range of `theta`, `grad` and each state buffer; an elementwise rule then gives the same
/// numbers bit for bit as one call over the whole parameter. SGD, momentum, Nesterov, RMSProp
/// and Adam all are. A rule that is not (a norm over the whole tensor, as in LARS or gradient
/// clipping per tensor) would see each chunk's norm instead: write it outside `UpdateRule`.
///
/// ```
/// use trainlab_optimizers::{Step, UpdateRule};
///
/// /// theta -= alpha * g, written by hand.
/// struct MySgd;
/// impl UpdateRule for MySgd {
///     fn name(&self) -> &'static str { "my_sgd" }
///     fn state_buffers(&self) -> usize { 0 }
///     fn update(&self, step: Step, theta: &mut [f32], grad: &[f32], _state: &mut [Vec<f32>]) {
///         for (theta, g) in theta.iter_mut().zip(grad) {
///             *theta -= step.alpha * g;
///         }
///     }
/// }
/// let mut theta = [1.0_f32];
/// MySgd.update(Step { k: 1, alpha: 0.5 }, &mut theta, &[2.0], &mut []);
/// assert_eq!(theta, [0.0]);
/// ```
pub trait UpdateRule: Send + Sync {
    /// Short name: `"sgd"`, `"momentum"`, `"nesterov"`, `"rmsprop"`, `"adam"`.
    fn name(&self) -> &'static str;
    /// Buffers kept per parameter (0 sgd, 1 momentum/rmsprop, 2 adam).
    fn state_buffers(&self) -> usize;
    /// One step on one parameter: `step.k` is the 1-based step count, `step.alpha` this step's
    /// learning rate; `state` holds `state_buffers()` buffers, zero-initialised, each
    /// `theta.len()` long, kept between steps.
    fn update(&self, step: Step, theta: &mut [f32], grad: &[f32], state: &mut [Vec<f32>]);
}

impl UpdateRule for Box<dyn UpdateRule> {
    fn name(&self) -> &'static str {
        (**self).name()
    }
    fn state_buffers(&self) -> usize {
        (**self).state_buffers()
    }
    fn update(&self, step: Step, theta: &mut [f32], grad: &[f32], state: &mut [Vec<f32>]) {
        (**self).update(step, theta, grad, state);
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

/// The [`crate::Optimizer`] a config describes: `rule` at learning rate `alpha`, with the config's
/// `weight_decay` (decoupled or L2). Validates `alpha` and `lambda`, naming the field.
pub(crate) fn optimizer_from<R: UpdateRule>(
    rule: R,
    alpha: f32,
    lambda: f32,
    decoupled: bool,
) -> Result<crate::Optimizer<R>, crate::OptimError> {
    let wd = if lambda == 0.0 {
        crate::WeightDecay::None
    } else if decoupled {
        crate::WeightDecay::Decoupled(lambda)
    } else {
        crate::WeightDecay::L2(lambda)
    };
    crate::Optimizer::new(rule, alpha)?.with_weight_decay(wd)
}
