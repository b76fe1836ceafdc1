//! Learning-rate schedules for the lecture "Training Neural Networks".
//!
//! The lecture's decays ([`InverseTime`], [`StepDecay`], [`Exponential`], [`InverseSqrt`],
//! [`Manual`]) implement its formulas exactly; the others ([`LinearWarmup`], [`Cosine`],
//! [`OneCycle`], [`ReduceOnPlateau`], [`MultiStep`], [`Sequential`], [`Chained`]) follow
//! PyTorch's `torch.optim.lr_scheduler` and are tested against its numbers.
//!
//! Every schedule implements [`LrSchedule`]: `lr(t)` is the rate for the `t`-th elapsed unit
//! (batch or epoch, see [`StepUnit`]), counted from 0. Like the optimizers, every schedule has a
//! config struct with documented defaults (`InverseTimeConfig`, `StepDecayConfig`, ...) whose
//! `build(alpha0)` validates it and starts from the base rate `alpha0`. A trainer picks one at
//! runtime from a TOML `[schedule]` table through [`ScheduleConfig`], which wraps them.
//!
//! Learning rates are `f32` at every seam (the optimizers' type): the base rate, `lr(t)` and the
//! rate fields (`eta_min`, `max_lr`, `min_lr`, the manual table). Shape parameters (`gamma`,
//! `decay_rate`, `k`, factors) are `f64` and every formula is evaluated in `f64`, so a rate is
//! rounded to `f32` once, on the way out. The metric fed to [`LrSchedule::observe`] is not a
//! rate and stays `f64`, as in PyTorch: its threshold comparisons include ties
//! (`0.66` vs `0.65 + 0.01`) that `f32` cannot express.
//!
//! ```
//! use trainlab_schedules::{sequence, InverseTimeConfig, LrSchedule, StepUnit};
//!
//! // The lecture's example: alpha0 = 0.1, decay_rate = 1.
//! let s = InverseTimeConfig { decay_rate: 1.0, unit: StepUnit::Epoch }.build(0.1)?;
//! let alphas = sequence(&s, 4);
//! assert_eq!(alphas[1], 0.05);
//! assert_eq!(alphas[3], 0.025);
//! # Ok::<(), trainlab_schedules::ScheduleError>(())
//! ```
#![warn(missing_docs)]

pub mod cases;
mod chained;
mod check;
mod config;
mod constant;
mod cosine;
mod error;
mod exponential;
mod inverse_sqrt;
mod inverse_time;
mod linear_warmup;
mod manual;
mod multi_step;
mod one_cycle;
mod reduce_on_plateau;
mod sequential;
mod step_decay;
mod validate;

use serde::{Deserialize, Serialize};

pub use chained::{Chained, ChainedConfig};
pub use check::{check_lr_sequence, SequenceMismatch, LR_TOLERANCE};
pub use config::ScheduleConfig;
pub use constant::{Constant, ConstantConfig};
pub use cosine::{Cosine, CosineConfig};
pub use error::ScheduleError;
pub use exponential::{Exponential, ExponentialConfig};
pub use inverse_sqrt::{InverseSqrt, InverseSqrtConfig};
pub use inverse_time::{InverseTime, InverseTimeConfig};
pub use linear_warmup::{LinearWarmup, LinearWarmupConfig};
pub use manual::{Manual, ManualConfig};
pub use multi_step::{MultiStep, MultiStepConfig};
pub use one_cycle::{Anneal, OneCycle, OneCycleConfig};
pub use reduce_on_plateau::{PlateauMode, ReduceOnPlateau, ReduceOnPlateauConfig, ThresholdMode};
pub use sequential::{Sequential, SequentialConfig};
pub use step_decay::{StepDecay, StepDecayConfig};

/// Whether a schedule advances once per minibatch (iteration) or once per epoch.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StepUnit {
    /// `t` counts minibatches (optimizer steps).
    Batch,
    /// `t` counts epochs (passes over the training set).
    Epoch,
}

/// A learning-rate schedule: the rate `alpha` as a function of elapsed units.
///
/// `lr(t)` is pure for every schedule except [`ReduceOnPlateau`], whose rate depends on the
/// metrics fed to [`LrSchedule::observe`] so far (it ignores `t`).
///
/// ```
/// use trainlab_schedules::{LrSchedule, StepDecayConfig, StepUnit};
///
/// // Lecture step decay: every 2 epochs, alpha = alpha - 0.5 * alpha.
/// let s = StepDecayConfig::lecture(0.5, 2)?.build(0.1)?;
/// assert_eq!(s.unit(), StepUnit::Epoch);
/// assert_eq!(s.name(), "step_decay");
/// let alphas: Vec<f32> = (0..5).map(|t| s.lr(t)).collect();
/// assert_eq!(alphas, [0.1, 0.1, 0.05, 0.05, 0.025]);
/// # Ok::<(), trainlab_schedules::ScheduleError>(())
/// ```
pub trait LrSchedule: Send {
    /// Whether `t` counts batches or epochs.
    fn unit(&self) -> StepUnit;
    /// The rate for position `t` (0-based count of elapsed units: the first epoch is t = 0).
    fn lr(&self, t: usize) -> f32;
    /// Feed a validation metric (e.g. the validation loss) at the end of an epoch. Only
    /// stateful schedules use it.
    fn observe(&mut self, _metric: f64) {}
    /// A short snake_case name, the same as the `kind` in [`ScheduleConfig`].
    fn name(&self) -> &'static str;
}

impl LrSchedule for Box<dyn LrSchedule> {
    fn unit(&self) -> StepUnit {
        (**self).unit()
    }
    fn lr(&self, t: usize) -> f32 {
        (**self).lr(t)
    }
    fn observe(&mut self, metric: f64) {
        (**self).observe(metric)
    }
    fn name(&self) -> &'static str {
        (**self).name()
    }
}

/// Shows the schedule's name and unit, so structs holding a `Box<dyn LrSchedule>` can derive
/// `Debug`.
impl std::fmt::Debug for dyn LrSchedule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LrSchedule")
            .field("name", &self.name())
            .field("unit", &self.unit())
            .finish()
    }
}

/// The first `n` rates `lr(0), ..., lr(n - 1)`: for tests, plots and notebooks.
///
/// For [`ReduceOnPlateau`] this is the current rate repeated (no metrics are fed).
pub fn sequence(s: &dyn LrSchedule, n: usize) -> Vec<f32> {
    (0..n).map(|t| s.lr(t)).collect()
}
