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
//! Large parameters are updated on several cores: every slot's state is kept in chunks of
//! [`UPDATE_CHUNK`] elements, and a parameter of at least [`PARALLEL_UPDATE_MIN`] elements has
//! its chunks updated as rayon tasks when the current rayon pool has more than one thread (a
//! search trial's 1-thread pool, or `RAYON_NUM_THREADS=1`, runs them in a plain loop on the
//! calling thread). Each chunk is one `rule.update` call on the same element range of
//! `theta`, the gradient and every state buffer, which gives the same numbers bit for bit as one
//! call over the whole parameter because rules are elementwise (the contract on [`UpdateRule`]).
//! The chunking is internal: [`Optimizer::state`] and [`Optimizer::load_state`] see one buffer
//! per parameter, as before.
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
use rayon::prelude::*;
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

/// Elements per chunk of a parameter's update and state: 64Ki f32, 256 KiB per buffer. A
/// multiple of every SIMD width, so no chunk but the last starts or ends inside a vector.
pub const UPDATE_CHUNK: usize = 1 << 16;

/// Parameters with at least this many elements (4 chunks, 1 MiB per buffer) are updated on
/// rayon's threads; smaller ones on the calling thread, where a split would cost more in waking
/// a worker than it saves (an Adam step over 256Ki elements takes about 0.25 ms on one core).
pub const PARALLEL_UPDATE_MIN: usize = 4 * UPDATE_CHUNK;

/// Whether a parameter of `len` elements is updated as rayon tasks: when it is large enough
/// and the current pool has more than one thread. With one thread (`RAYON_NUM_THREADS=1`, a
/// search trial's pool) the chunks run in a plain loop on the calling thread, where rayon would
/// still hand them to its worker and wait (a thread that is not a pool worker cannot run a
/// pool's tasks itself).
fn split_update(len: usize) -> bool {
    len >= PARALLEL_UPDATE_MIN && rayon::current_num_threads() > 1
}

/// One parameter's state as the optimizer keeps it: `chunks[c][b]` is buffer `b` over elements
/// `c * UPDATE_CHUNK ..` of the parameter. No chunks: never updated.
#[derive(Clone, Debug, Default, PartialEq)]
struct SlotState {
    /// The parameter's length.
    len: usize,
    chunks: Vec<Vec<Vec<f32>>>,
}

impl SlotState {
    /// Zeroed state of `n_buffers` buffers for a parameter of `len` elements.
    fn zeros(len: usize, n_buffers: usize) -> Self {
        Self::from_buffers(len, &vec![vec![0.0; len]; n_buffers])
    }

    /// Split whole buffers (each `len` long) into chunks.
    fn from_buffers(len: usize, buffers: &[Vec<f32>]) -> Self {
        let chunks = (0..len.div_ceil(UPDATE_CHUNK))
            .map(|c| {
                let range = c * UPDATE_CHUNK..((c + 1) * UPDATE_CHUNK).min(len);
                buffers.iter().map(|b| b[range.clone()].to_vec()).collect()
            })
            .collect();
        Self { len, chunks }
    }

    /// Whole buffers, as [`OptimizerState`] stores them (none if never updated).
    fn to_buffers(&self, n_buffers: usize) -> Vec<Vec<f32>> {
        if self.chunks.is_empty() {
            return Vec::new();
        }
        (0..n_buffers)
            .map(|b| {
                let mut whole = Vec::with_capacity(self.len);
                self.chunks
                    .iter()
                    .for_each(|c| whole.extend_from_slice(&c[b]));
                whole
            })
            .collect()
    }
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
    slots: Vec<SlotState>,
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
            self.slots.resize_with(slot + 1, SlotState::default);
        }
        let state = &mut self.slots[slot];
        if state.chunks.is_empty() && !theta.is_empty() {
            *state = SlotState::zeros(theta.len(), n_buffers);
        }
        if let Some(chunk) = state.chunks.iter().find(|c| c.len() != n_buffers) {
            return Err(OptimError::StateMismatch(format!(
                "slot {slot} has {} state buffers, rule `{}` keeps {n_buffers}",
                chunk.len(),
                self.rule.name()
            )));
        }
        if state.len != theta.len() {
            return Err(OptimError::StateMismatch(format!(
                "slot {slot} has state buffers of length {}, the parameter has {} elements",
                state.len,
                theta.len()
            )));
        }
        let step = Step {
            k,
            alpha: self.alpha,
        };
        let grad = match self.weight_decay {
            WeightDecay::L2(lambda) => {
                self.decayed_grad.clear();
                self.decayed_grad.resize(grad.len(), 0.0);
                let decay = |(d, (g, t)): (&mut [f32], (&[f32], &[f32]))| {
                    for (d, (g, t)) in d.iter_mut().zip(g.iter().zip(t)) {
                        *d = g + lambda * t;
                    }
                };
                let d = &mut self.decayed_grad;
                if split_update(theta.len()) {
                    d.par_chunks_mut(UPDATE_CHUNK)
                        .zip(
                            grad.par_chunks(UPDATE_CHUNK)
                                .zip(theta.par_chunks(UPDATE_CHUNK)),
                        )
                        .for_each(decay);
                } else {
                    d.chunks_mut(UPDATE_CHUNK)
                        .zip(grad.chunks(UPDATE_CHUNK).zip(theta.chunks(UPDATE_CHUNK)))
                        .for_each(decay);
                }
                &self.decayed_grad[..]
            }
            WeightDecay::None | WeightDecay::Decoupled(_) => grad,
        };
        let shrink = match self.weight_decay {
            WeightDecay::Decoupled(lambda) => Some(1.0 - self.alpha * lambda),
            WeightDecay::None | WeightDecay::L2(_) => None,
        };
        let rule = &self.rule;
        type Chunk<'a> = ((&'a mut [f32], &'a [f32]), &'a mut Vec<Vec<f32>>);
        let update = |((theta, grad), state): Chunk| {
            if let Some(shrink) = shrink {
                theta.iter_mut().for_each(|t| *t *= shrink);
            }
            rule.update(step, theta, grad, state);
        };
        if split_update(theta.len()) {
            theta
                .par_chunks_mut(UPDATE_CHUNK)
                .zip(grad.par_chunks(UPDATE_CHUNK))
                .zip(state.chunks.par_iter_mut())
                .for_each(update);
        } else {
            theta
                .chunks_mut(UPDATE_CHUNK)
                .zip(grad.chunks(UPDATE_CHUNK))
                .zip(state.chunks.iter_mut())
                .for_each(update);
        }
        Ok(())
    }

    /// For checkpoints: `k` and all state buffers.
    pub fn state(&self) -> OptimizerState {
        OptimizerState {
            k: self.k,
            slots: self
                .slots
                .iter()
                .map(|s| s.to_buffers(self.rule.state_buffers()))
                .collect(),
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
                if let Some(a) = new.first() {
                    if !old.chunks.is_empty() && a.len() != old.len {
                        return Err(OptimError::StateMismatch(format!(
                            "slot {i} has length {}, this optimizer's has {}",
                            a.len(),
                            old.len
                        )));
                    }
                }
            }
        }
        self.k = s.k;
        self.slots = s
            .slots
            .iter()
            .map(|buffers| match buffers.first() {
                Some(b) => SlotState::from_buffers(b.len(), buffers),
                None => SlotState::default(),
            })
            .collect();
        Ok(())
    }

    /// Update one tensor given its gradient as a tensor (copied into scratch).
    fn update_with_tensor<S: Shape>(
        &mut self,
        slot: usize,
        p: &mut Tensor<S, f32, Cpu>,
        g: &Tensor<S, f32, Cpu>,
    ) -> Result<(), OptimError> {
        let n = g.shape().num_elements();
        let mut grad = std::mem::take(&mut self.grad_scratch);
        grow(&mut grad, n);
        g.copy_into(&mut grad[..n]);
        let result = self.update_with(slot, p, &grad[..n]);
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
        let n = p.shape().num_elements();
        let mut theta = std::mem::take(&mut self.theta_scratch);
        grow(&mut theta, n);
        p.copy_into(&mut theta[..n]);
        let result = self.try_update_slice(slot, &mut theta[..n], grad);
        if result.is_ok() {
            p.copy_from(&theta[..n]);
        }
        self.theta_scratch = theta;
        result
    }
}

/// Makes a scratch buffer at least `n` long. It never shrinks: the slots of a model alternate
/// between sizes (a weight, then its bias), and shrinking would fill the buffer with zeros again
/// at every larger slot (a `memset` of the largest weight per step).
fn grow(buf: &mut Vec<f32>, n: usize) {
    if buf.len() < n {
        buf.resize(n, 0.0);
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{AdamConfig, MomentumConfig, RmsPropConfig};

    /// Long enough to be split across threads, and not a multiple of the chunk, so the last
    /// chunk is short.
    const N: usize = 5 * UPDATE_CHUNK + 123;

    /// Deterministic values in about [-1, 1), different for every index and seed.
    fn values(n: usize, seed: u32) -> Vec<f32> {
        (0..n)
            .map(|i| {
                let h = (i as u32 ^ seed.wrapping_mul(0x9e37_79b9)).wrapping_mul(0x85eb_ca6b);
                (h >> 8) as f32 / (1u32 << 23) as f32 - 1.0
            })
            .collect()
    }

    /// Three steps of `opt` on one parameter of N elements in a rayon pool of `threads`:
    /// the parameter and the optimizer's state after them.
    fn three_steps<R: UpdateRule>(
        mut opt: Optimizer<R>,
        threads: usize,
    ) -> (Vec<f32>, OptimizerState) {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .expect("a rayon pool");
        let mut theta = values(N, 1);
        pool.install(|| {
            for k in 0..3 {
                opt.begin_step();
                opt.update_slice(0, &mut theta, &values(N, 10 + k));
            }
        });
        (theta, opt.state())
    }

    /// The same three steps with one `rule.update` over the whole parameter, no optimizer: the
    /// reference a split update must equal bit for bit (weight decay none).
    fn whole<R: UpdateRule>(rule: &R, alpha: f32) -> (Vec<f32>, Vec<Vec<f32>>) {
        let mut theta = values(N, 1);
        let mut state = vec![vec![0.0; N]; rule.state_buffers()];
        for k in 0..3 {
            let step = Step { k: k + 1, alpha };
            rule.update(step, &mut theta, &values(N, 10 + k as u32), &mut state);
        }
        (theta, state)
    }

    #[test]
    fn split_updates_equal_one_thread_and_the_whole_slice_bit_for_bit() {
        const { assert!(N >= PARALLEL_UPDATE_MIN, "N must take the parallel path") };
        let adam = AdamConfig::pytorch();
        let rms = RmsPropConfig::default();
        let momentum = MomentumConfig::default();
        let check =
            |name: &str, one: (Vec<f32>, OptimizerState), two: (Vec<f32>, OptimizerState)| {
                assert!(
                    one.0
                        .iter()
                        .zip(&two.0)
                        .all(|(a, b)| a.to_bits() == b.to_bits()),
                    "{name}: theta differs between 1 and 2 threads"
                );
                assert_eq!(
                    one.1, two.1,
                    "{name}: state differs between 1 and 2 threads"
                );
                one
            };
        let adam_result = check(
            "adam",
            three_steps(adam.build().unwrap(), 1),
            three_steps(adam.build().unwrap(), 2),
        );
        let (theta, state) = whole(adam.build().unwrap().rule(), adam.alpha);
        assert!(theta
            .iter()
            .zip(&adam_result.0)
            .all(|(a, b)| a.to_bits() == b.to_bits()));
        assert_eq!(adam_result.1.slots, vec![state]);
        check(
            "rmsprop",
            three_steps(rms.build().unwrap(), 1),
            three_steps(rms.build().unwrap(), 2),
        );
        check(
            "momentum",
            three_steps(momentum.build().unwrap(), 1),
            three_steps(momentum.build().unwrap(), 2),
        );
        for wd in [WeightDecay::L2(0.1), WeightDecay::Decoupled(0.1)] {
            let opt = || adam.build().unwrap().with_weight_decay(wd).unwrap();
            check(
                "adam with weight decay",
                three_steps(opt(), 1),
                three_steps(opt(), 2),
            );
        }
    }

    /// A rule that shows any misalignment between the slices it is given: every element's new
    /// value mixes element `i` of theta, the gradient and both buffers, each with its own weight,
    /// and the buffers keep a running sum and the last theta. Were a chunk of a state buffer paired
    /// with another range of theta or the gradient (say, chunk `c` of `v` with chunk `c + 1` of
    /// theta, or a short last chunk starting at the wrong offset), the result would differ from the
    /// hand-written loop below.
    struct Mixer;
    impl UpdateRule for Mixer {
        fn name(&self) -> &'static str {
            "mixer"
        }
        fn state_buffers(&self) -> usize {
            2
        }
        fn update(&self, step: Step, theta: &mut [f32], grad: &[f32], state: &mut [Vec<f32>]) {
            let [sum, last] = state else {
                panic!("two buffers")
            };
            assert!(
                theta.len() == grad.len() && sum.len() == theta.len() && last.len() == theta.len()
            );
            for (((t, g), s), l) in theta
                .iter_mut()
                .zip(grad)
                .zip(sum.iter_mut())
                .zip(last.iter_mut())
            {
                *s += g;
                *t = 0.5 * *t - step.alpha * *s + 0.25 * *l;
                *l = *t + g;
            }
        }
    }

    #[test]
    fn chunks_of_theta_grad_and_every_buffer_stay_aligned() {
        let alpha = 0.125;
        // By hand, element by element, over the whole parameter.
        let mut theta = values(N, 1);
        let (mut sum, mut last) = (vec![0.0f32; N], vec![0.0f32; N]);
        for k in 0..3u32 {
            let grad = values(N, 10 + k);
            for i in 0..N {
                sum[i] += grad[i];
                theta[i] = 0.5 * theta[i] - alpha * sum[i] + 0.25 * last[i];
                last[i] = theta[i] + grad[i];
            }
        }
        for threads in [1, 2] {
            let (got, state) = three_steps(Optimizer::new(Mixer, alpha).unwrap(), threads);
            let first_bad = got
                .iter()
                .zip(&theta)
                .position(|(a, b)| a.to_bits() != b.to_bits());
            assert_eq!(
                first_bad,
                None,
                "theta differs at {threads} threads (chunk {:?})",
                first_bad.map(|i| i / UPDATE_CHUNK)
            );
            assert_eq!(
                state.slots,
                vec![vec![sum.clone(), last.clone()]],
                "{threads} threads"
            );
        }
    }

    #[test]
    fn state_round_trips_through_the_chunks() {
        let mut opt = AdamConfig::default().build().unwrap();
        let (mut a, mut b) = (values(N, 1), values(7, 2));
        opt.begin_step();
        opt.update_slice(0, &mut a, &values(N, 3));
        opt.update_slice(1, &mut b, &values(7, 4));
        let saved = opt.state();
        assert_eq!(saved.slots[0][1].len(), N);
        let mut restored = AdamConfig::default().build().unwrap();
        restored.load_state(saved.clone()).unwrap();
        assert_eq!(restored.state(), saved);
        // A state for another length is refused, naming the slot.
        let mut wrong = saved.clone();
        wrong.slots[1] = vec![vec![0.0; 8], vec![0.0; 8]];
        let err = restored.load_state(wrong).unwrap_err().to_string();
        assert!(err.contains("slot 1"), "{err}");
    }
}
