//! [`Optimizer`]: walks a dfdx model, applies weight decay, counts steps and keeps per-parameter state
//! for any [`UpdateRule`].
//!
//! Per parameter and step:
//! ```text
//! L2(lambda):        g = g + lambda * theta                   (PyTorch's `weight_decay`)
//! Decoupled(lambda): theta = theta * (1 - alpha * lambda)     (PyTorch's AdamW / `decoupled_weight_decay=True`)
//! then:              rule.update(Step { k, alpha }, theta, g, state)
//! ```
//!
//! `alpha` is the learning rate of this step: the config's `alpha` until a schedule sets another
//! with [`Optimizer::set_alpha`] (the trainer does, before every step).
//!
//! dfdx 0.13 gives no public `&mut` access to a tensor's buffer, so each parameter is copied into a
//! scratch `Vec` (`copy_into`), updated as a slice, and copied back (`copy_from`). The scratch
//! buffers live in the optimizer and are reused every step.
//!
//! A missing gradient is handled one way: like PyTorch (a parameter whose `.grad` is `None`) and
//! dfdx, the parameter is skipped, its state untouched, and the first one missing is named in
//! [`OptimError::MissingGradient`] after the others were updated. [`Optimizer::step`] (any dfdx
//! model) and [`Optimizer::update_tensor`] find out by probing: `Gradients::get` panics on a
//! missing gradient and dfdx's checked lookup is `pub(crate)`, so the probe catches that panic
//! quietly (see `try_get_gradient`).
//!
//! [`Optimizer::update_tensor_in_place`] borrows the gradient buffer instead of copying it: the
//! fast path of the trainer's MLP, whose every parameter takes part in every forward pass, so a
//! gradient cannot be missing there (dfdx would allocate a zero one, which this never relies on).

use dfdx::nn::tensor_collection::{
    RecursiveWalker, TensorCollection, TensorOptions, TensorVisitor, ViewTensorMut, ViewTensorName,
};
use dfdx::optim::{OptimizerUpdateError, UnusedTensors};
use dfdx::shapes::{HasShape, Shape};
use dfdx::tensor::{Cpu, CpuError, Gradients, Tensor};
use serde::{Deserialize, Serialize};
use std::cell::Cell;
use std::panic::AssertUnwindSafe;
use std::sync::Once;

use crate::error::{check_alpha, check_non_negative, OptimError};
use crate::rule::{Step, UpdateRule};

/// Weight decay applied by the [`Optimizer`] wrapper, so every rule gets it.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize, Default)]
pub enum WeightDecay {
    /// No weight decay.
    #[default]
    None,
    /// `grad += lambda * theta` before the rule (PyTorch's `weight_decay`; an L2 term in the loss).
    L2(f32),
    /// `theta -= alpha * lambda * theta` before the rule (PyTorch's AdamW, `decoupled_weight_decay=True`).
    Decoupled(f32),
}

impl WeightDecay {
    /// The coefficient `lambda` (0 for `None`).
    pub fn lambda(self) -> f32 {
        match self {
            WeightDecay::None => 0.0,
            WeightDecay::L2(lambda) | WeightDecay::Decoupled(lambda) => lambda,
        }
    }
}

/// Everything an optimizer must save to resume exactly: the step count and every state buffer.
///
/// `slots[i][b]` is buffer `b` (e.g. Adam's `m`, then `v`) of the parameter in slot `i`.
/// A slot with no buffers was never updated (or the rule keeps none).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct OptimizerState {
    /// Steps taken so far.
    pub k: u64,
    /// Per slot, per buffer, the values.
    pub slots: Vec<Vec<Vec<f32>>>,
}

/// An [`UpdateRule`] plus what every rule needs around it: weight decay, the step count `k`,
/// per-parameter state and scratch buffers.
///
/// ```
/// use dfdx::prelude::*;
/// use trainlab_optimizers::{Optimizer, Sgd};
///
/// let dev: Cpu = Default::default();
/// let mut theta: Tensor<Rank1<2>, f32, Cpu> = dev.tensor([1.0, -2.0]);
/// let mut opt = Optimizer::new(Sgd, 0.1).unwrap();
/// // loss = sum(theta^2) / 2, so grad = theta
/// let grads = (theta.leaky_trace().square().sum() * 0.5).backward();
/// opt.step(&mut theta, &grads).unwrap();
/// let after = theta.array();
/// assert!((after[0] - 0.9).abs() < 1e-6 && (after[1] + 1.8).abs() < 1e-6);
/// assert_eq!(opt.step_count(), 1);
/// ```
#[derive(Clone)]
pub struct Optimizer<R: UpdateRule> {
    rule: R,
    alpha: f32,
    weight_decay: WeightDecay,
    k: u64,
    slots: Vec<Vec<Vec<f32>>>,
    theta_scratch: Vec<f32>,
    grad_scratch: Vec<f32>,
    decayed_grad: Vec<f32>,
}

impl<R: UpdateRule> Optimizer<R> {
    /// Wrap `rule` at learning rate `alpha` (finite, `> 0`), with no weight decay and no state yet.
    pub fn new(rule: R, alpha: f32) -> Result<Self, OptimError> {
        check_alpha("alpha", alpha)?;
        Ok(Self {
            rule,
            alpha,
            weight_decay: WeightDecay::None,
            k: 0,
            slots: Vec::new(),
            theta_scratch: Vec::new(),
            grad_scratch: Vec::new(),
            decayed_grad: Vec::new(),
        })
    }

    /// Set the weight decay; `lambda < 0` or non-finite is an error.
    pub fn with_weight_decay(mut self, wd: WeightDecay) -> Result<Self, OptimError> {
        check_non_negative("weight_decay", wd.lambda())?;
        self.weight_decay = wd;
        Ok(self)
    }

    /// The weight decay in use.
    pub fn weight_decay(&self) -> WeightDecay {
        self.weight_decay
    }

    /// The update rule.
    pub fn rule(&self) -> &R {
        &self.rule
    }

    /// The update rule, mutably (e.g. to change a hyperparameter between steps).
    pub fn rule_mut(&mut self) -> &mut R {
        &mut self.rule
    }

    /// The learning rate the next step uses.
    pub fn alpha(&self) -> f32 {
        self.alpha
    }

    /// Set the learning rate of the next steps: the schedule's rate for this step. A schedule
    /// may reach 0 (cosine's end); a negative or non-finite rate is a bug in the caller.
    pub fn set_alpha(&mut self, alpha: f32) {
        debug_assert!(
            alpha.is_finite() && alpha >= 0.0,
            "a learning rate must be finite and >= 0, got {alpha}"
        );
        self.alpha = alpha;
    }

    /// Steps taken so far (`k` of the last step; 0 before the first).
    pub fn step_count(&self) -> u64 {
        self.k
    }

    /// PyTorch's `optimizer.step()`: update every tensor of any dfdx model (`TensorCollection`) or bare tensor.
    ///
    /// Tensors that dfdx marks as not gradient-updated (e.g. batch-norm running statistics) are
    /// skipped; the others get slots `0..n` in dfdx's walk order. A tensor without a gradient is
    /// skipped too, and reported afterwards as [`OptimError::MissingGradient`] (dfdx's own
    /// optimizers do the same with `UnusedParams`).
    pub fn step<M: TensorCollection<f32, Cpu>>(
        &mut self,
        model: &mut M,
        grads: &Gradients<f32, Cpu>,
    ) -> Result<(), OptimError> {
        self.begin_step();
        let mut visitor = StepVisitor {
            opt: self,
            grads,
            slot: 0,
            missing: None,
        };
        M::iter_tensors(&mut RecursiveWalker {
            m: (model, String::new()),
            f: &mut visitor,
        })?;
        match visitor.missing {
            Some((slot, name)) => Err(OptimError::MissingGradient { slot, name }),
            None => Ok(()),
        }
    }

    /// Start a step (increments `k`) before calling [`Optimizer::update_tensor`] or
    /// [`Optimizer::update_slice`] for each parameter. [`Optimizer::step`] calls it itself.
    pub fn begin_step(&mut self) {
        self.k += 1;
    }

    /// For models whose tensors have runtime shapes (not `TensorCollection` in dfdx 0.13): call
    /// [`Optimizer::begin_step`] once, then this for each parameter with a stable slot number `0..n`.
    pub fn update_tensor<S: Shape>(
        &mut self,
        slot: usize,
        p: &mut Tensor<S, f32, Cpu>,
        grads: &Gradients<f32, Cpu>,
    ) -> Result<(), OptimError> {
        let Some(g) = try_get_gradient(p, grads) else {
            return Err(OptimError::MissingGradient {
                slot,
                name: format!("slot {slot}"),
            });
        };
        self.update_with_tensor(slot, p, &g)
    }

    /// [`Optimizer::update_tensor`], borrowing the gradient buffer from `grads` instead of copying
    /// it: for models whose every parameter takes part in every forward pass (the trainer's MLP),
    /// so that the gradient exists. It cannot tell a missing gradient from a zero one (dfdx would
    /// allocate zeros), so models that may leave a parameter out use [`Optimizer::update_tensor`].
    pub fn update_tensor_in_place<S: Shape>(
        &mut self,
        slot: usize,
        p: &mut Tensor<S, f32, Cpu>,
        grads: &mut Gradients<f32, Cpu>,
    ) -> Result<(), OptimError> {
        let g = grads
            .get_or_alloc_mut(p)
            .map_err(|e| OptimError::Device(e.to_string()))?;
        self.update_with(slot, p, g)
    }

    /// [`Optimizer::update_tensor`] on plain slices.
    ///
    /// # Panics
    /// If `theta` and `grad` differ in length, or the slot's state was made for another length.
    /// [`Optimizer::try_update_slice`] returns these as errors instead.
    pub fn update_slice(&mut self, slot: usize, theta: &mut [f32], grad: &[f32]) {
        if let Err(e) = self.try_update_slice(slot, theta, grad) {
            panic!("update_slice: {e}");
        }
    }

    /// [`Optimizer::update_slice`], reporting length mismatches as errors.
    ///
    /// Uses the current step count `k` (at least 1, so a forgotten `begin_step` cannot divide by zero
    /// in Adam's bias correction).
    pub fn try_update_slice(
        &mut self,
        slot: usize,
        theta: &mut [f32],
        grad: &[f32],
    ) -> Result<(), OptimError> {
        if theta.len() != grad.len() {
            return Err(OptimError::LengthMismatch {
                slot,
                theta_len: theta.len(),
                grad_len: grad.len(),
            });
        }
        let k = self.k.max(1);
        let n_buffers = self.rule.state_buffers();
        if self.slots.len() <= slot {
            self.slots.resize_with(slot + 1, Vec::new);
        }
        let state = &mut self.slots[slot];
        if state.is_empty() && n_buffers > 0 {
            *state = vec![vec![0.0; theta.len()]; n_buffers];
        }
        if state.len() != n_buffers {
            return Err(OptimError::StateMismatch(format!(
                "slot {slot} has {} state buffers, rule `{}` keeps {n_buffers}",
                state.len(),
                self.rule.name()
            )));
        }
        if let Some(buffer) = state.iter().find(|b| b.len() != theta.len()) {
            return Err(OptimError::StateMismatch(format!(
                "slot {slot} has state buffers of length {}, the parameter has {} elements",
                buffer.len(),
                theta.len()
            )));
        }
        let step = Step {
            k,
            alpha: self.alpha,
        };
        match self.weight_decay {
            WeightDecay::None => self.rule.update(step, theta, grad, state),
            WeightDecay::L2(lambda) => {
                self.decayed_grad.clear();
                self.decayed_grad
                    .extend(grad.iter().zip(theta.iter()).map(|(g, t)| g + lambda * t));
                self.rule.update(step, theta, &self.decayed_grad, state);
            }
            WeightDecay::Decoupled(lambda) => {
                let shrink = 1.0 - self.alpha * lambda;
                theta.iter_mut().for_each(|t| *t *= shrink);
                self.rule.update(step, theta, grad, state);
            }
        }
        Ok(())
    }

    /// For checkpoints: `k` and all state buffers.
    pub fn state(&self) -> OptimizerState {
        OptimizerState {
            k: self.k,
            slots: self.slots.clone(),
        }
    }

    /// Restore a checkpoint made by [`Optimizer::state`].
    ///
    /// Errors (nothing changes) if a slot holds a number of buffers other than the rule's, if a
    /// slot's buffers differ in length, or, when this optimizer already has state, if the number of
    /// slots or a slot's length differs from it.
    pub fn load_state(&mut self, s: OptimizerState) -> Result<(), OptimError> {
        let n_buffers = self.rule.state_buffers();
        for (i, slot) in s.slots.iter().enumerate() {
            if !slot.is_empty() && slot.len() != n_buffers {
                return Err(OptimError::StateMismatch(format!(
                    "slot {i} has {} buffers, rule `{}` keeps {n_buffers}",
                    slot.len(),
                    self.rule.name()
                )));
            }
            if let Some(b) = slot.iter().position(|b| b.len() != slot[0].len()) {
                return Err(OptimError::StateMismatch(format!(
                    "slot {i}: buffer {b} has length {}, buffer 0 has {}",
                    slot[b].len(),
                    slot[0].len()
                )));
            }
        }
        if !self.slots.is_empty() {
            if s.slots.len() != self.slots.len() {
                return Err(OptimError::StateMismatch(format!(
                    "state has {} slots, this optimizer has {}",
                    s.slots.len(),
                    self.slots.len()
                )));
            }
            for (i, (new, old)) in s.slots.iter().zip(&self.slots).enumerate() {
                if let (Some(a), Some(b)) = (new.first(), old.first()) {
                    if a.len() != b.len() {
                        return Err(OptimError::StateMismatch(format!(
                            "slot {i} has length {}, this optimizer's has {}",
                            a.len(),
                            b.len()
                        )));
                    }
                }
            }
        }
        self.k = s.k;
        self.slots = s.slots;
        Ok(())
    }

    /// Update one tensor given its gradient as a tensor (copied into scratch).
    fn update_with_tensor<S: Shape>(
        &mut self,
        slot: usize,
        p: &mut Tensor<S, f32, Cpu>,
        g: &Tensor<S, f32, Cpu>,
    ) -> Result<(), OptimError> {
        let mut grad = std::mem::take(&mut self.grad_scratch);
        grad.resize(g.shape().num_elements(), 0.0);
        g.copy_into(&mut grad);
        let result = self.update_with(slot, p, &grad);
        self.grad_scratch = grad;
        result
    }

    /// Update one tensor given its gradient as a slice.
    fn update_with<S: Shape>(
        &mut self,
        slot: usize,
        p: &mut Tensor<S, f32, Cpu>,
        grad: &[f32],
    ) -> Result<(), OptimError> {
        let mut theta = std::mem::take(&mut self.theta_scratch);
        theta.resize(p.shape().num_elements(), 0.0);
        p.copy_into(&mut theta);
        let result = self.try_update_slice(slot, &mut theta, grad);
        if result.is_ok() {
            p.copy_from(&theta);
        }
        self.theta_scratch = theta;
        result
    }
}

impl<R: UpdateRule> std::fmt::Debug for Optimizer<R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Optimizer")
            .field("rule", &self.rule.name())
            .field("alpha", &self.alpha)
            .field("weight_decay", &self.weight_decay)
            .field("k", &self.k)
            .field("slots", &self.slots.len())
            .finish()
    }
}

/// Visits each tensor and updates it with a copy of its gradient; remembers the first missing one.
struct StepVisitor<'a, R: UpdateRule> {
    opt: &'a mut Optimizer<R>,
    grads: &'a Gradients<f32, Cpu>,
    slot: usize,
    missing: Option<(usize, String)>,
}

impl<R: UpdateRule> TensorVisitor<f32, Cpu> for StepVisitor<'_, R> {
    type Viewer = (ViewTensorMut, ViewTensorName);
    type Err = OptimError;
    type E2 = f32;
    type D2 = Cpu;

    fn visit<S: Shape>(
        &mut self,
        opts: TensorOptions<S, f32, Cpu>,
        (p, name): (&mut Tensor<S, f32, Cpu>, String),
    ) -> Result<Option<Tensor<S, f32, Cpu>>, OptimError> {
        if !opts.do_gradient_update {
            return Ok(None);
        }
        let slot = self.slot;
        self.slot += 1;
        match try_get_gradient(p, self.grads) {
            Some(g) => self.opt.update_with_tensor(slot, p, &g)?,
            None => {
                self.missing.get_or_insert((slot, name));
            }
        }
        Ok(None)
    }
}

thread_local! {
    /// Set while [`try_get_gradient`] expects `Gradients::get` may panic.
    static PROBING: Cell<bool> = const { Cell::new(false) };
}
static QUIET_HOOK: Once = Once::new();

/// `grads.get(p)`, or `None` if `p` has no gradient.
///
/// For tensors with runtime shapes there is no public dfdx call that answers "is there a gradient"
/// (its checked lookup is `pub(crate)`, and dfdx's optimizer visitors need `TensorOptions`, which
/// only compile-time shapes can build). So this catches the panic of `Gradients::get`; a panic
/// hook, installed once and delegating to the previous one, keeps that expected panic off stderr
/// (only on this thread, only during the call). Needs `panic = "unwind"` (the default).
fn try_get_gradient<S: Shape>(
    p: &Tensor<S, f32, Cpu>,
    grads: &Gradients<f32, Cpu>,
) -> Option<Tensor<S, f32, Cpu>> {
    QUIET_HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !PROBING.with(Cell::get) {
                previous(info);
            }
        }));
    });
    PROBING.with(|probing| probing.set(true));
    let got = std::panic::catch_unwind(AssertUnwindSafe(|| grads.get(p)));
    PROBING.with(|probing| probing.set(false));
    got.ok()
}

/// Use a trainlab optimizer wherever dfdx expects one (`opt.update(&mut model, &grads)`).
///
/// Missing gradients are reported as dfdx's `UnusedParams`. dfdx's error type has no variant for a
/// state that does not fit the model (after a bad [`Optimizer::load_state`]); that case is
/// reported as `DeviceError(CpuError::WrongNumElements)`.
impl<M: TensorCollection<f32, Cpu>, R: UpdateRule> dfdx::optim::Optimizer<M, Cpu, f32>
    for Optimizer<R>
{
    fn update(
        &mut self,
        module: &mut M,
        gradients: &Gradients<f32, Cpu>,
    ) -> Result<(), OptimizerUpdateError<CpuError>> {
        match self.step(module, gradients) {
            Ok(()) => Ok(()),
            Err(OptimError::MissingGradient { .. }) => {
                let mut unused = UnusedTensors::default();
                collect_unused(module, gradients, &mut unused);
                Err(OptimizerUpdateError::UnusedParams(unused))
            }
            Err(_) => Err(OptimizerUpdateError::DeviceError(
                CpuError::WrongNumElements,
            )),
        }
    }
}

/// The tensors of `module` without a gradient, as dfdx's `UnusedTensors` (only after a step
/// reported one missing: this walks the model once more).
fn collect_unused<M: TensorCollection<f32, Cpu>>(
    module: &mut M,
    grads: &Gradients<f32, Cpu>,
    unused: &mut UnusedTensors,
) {
    struct Collect<'a> {
        grads: &'a Gradients<f32, Cpu>,
        unused: &'a mut UnusedTensors,
    }
    impl TensorVisitor<f32, Cpu> for Collect<'_> {
        type Viewer = ViewTensorMut;
        type Err = CpuError;
        type E2 = f32;
        type D2 = Cpu;
        fn visit<S: Shape>(
            &mut self,
            opts: TensorOptions<S, f32, Cpu>,
            p: &mut Tensor<S, f32, Cpu>,
        ) -> Result<Option<Tensor<S, f32, Cpu>>, CpuError> {
            if opts.do_gradient_update && try_get_gradient(p, self.grads).is_none() {
                self.unused.add(p);
            }
            Ok(None)
        }
    }
    // A walk that only reads cannot fail.
    let _ = M::iter_tensors(&mut RecursiveWalker {
        m: module,
        f: &mut Collect { grads, unused },
    });
}
