//! Learning-rate schedules for the lecture "Training Neural Networks".
//!
//! The lecture's decays ([`InverseTime`], [`StepDecay`], [`Exponential`], [`InverseSqrt`],
//! [`Manual`]) implement its formulas exactly; the others ([`LinearWarmup`], [`Cosine`],
//! [`OneCycle`], [`ReduceOnPlateau`], [`MultiStep`], [`Sequential`], [`Chained`]) follow
//! PyTorch's `torch.optim.lr_scheduler` and are tested against its numbers.
//!
//! Every schedule implements [`LrSchedule`]: `lr(t)` is the rate for the `t`-th elapsed unit
//! (batch or epoch, see [`StepUnit`]), counted from 0. A trainer picks one at runtime from a
//! TOML `[schedule]` table through [`ScheduleConfig`].
//!
//! ```
//! use trainlab_schedules::{sequence, InverseTime, LrSchedule};
//!
//! // The lecture's example: alpha0 = 0.1, decay_rate = 1.
//! let s = InverseTime::new(0.1, 1.0)?;
//! let alphas = sequence(&s, 4);
//! assert!((alphas[1] - 0.05).abs() < 1e-12);
//! assert!((alphas[3] - 0.025).abs() < 1e-12);
//! # Ok::<(), trainlab_schedules::ScheduleError>(())
//! ```
#![warn(missing_docs)]

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

pub use chained::Chained;
pub use check::{check_lr_sequence, SequenceMismatch, LR_TOLERANCE};
pub use config::ScheduleConfig;
pub use constant::Constant;
pub use cosine::Cosine;
pub use error::ScheduleError;
pub use exponential::Exponential;
pub use inverse_sqrt::InverseSqrt;
pub use inverse_time::InverseTime;
pub use linear_warmup::LinearWarmup;
pub use manual::Manual;
pub use multi_step::MultiStep;
pub use one_cycle::{Anneal, OneCycle, OneCycleOptions};
pub use reduce_on_plateau::{PlateauMode, PlateauOptions, ReduceOnPlateau, ThresholdMode};
pub use sequential::Sequential;
pub use step_decay::StepDecay;

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
/// use trainlab_schedules::{LrSchedule, StepDecay, StepUnit};
///
/// // Lecture step decay: every 2 epochs, alpha = alpha - 0.5 * alpha.
/// let s = StepDecay::lecture(0.1, 0.5, 2)?;
/// assert_eq!(s.unit(), StepUnit::Epoch);
/// assert_eq!(s.name(), "step_decay");
/// let alphas: Vec<f64> = (0..5).map(|t| s.lr(t)).collect();
/// let expected = [0.1, 0.1, 0.05, 0.05, 0.025];
/// for (a, e) in alphas.iter().zip(expected) {
///     assert!((a - e).abs() < 1e-12);
/// }
/// # Ok::<(), trainlab_schedules::ScheduleError>(())
/// ```
pub trait LrSchedule: Send {
    /// Whether `t` counts batches or epochs.
    fn unit(&self) -> StepUnit;
    /// The rate for position `t` (0-based count of elapsed units: the first epoch is t = 0).
    fn lr(&self, t: usize) -> f64;
    /// Feed a validation metric (lower is better) at the end of an epoch. Only stateful
    /// schedules use it.
    fn observe(&mut self, _metric: f64) {}
    /// A short snake_case name, the same as the `kind` in [`ScheduleConfig`].
    fn name(&self) -> &'static str;
}

impl LrSchedule for Box<dyn LrSchedule> {
    fn unit(&self) -> StepUnit {
        (**self).unit()
    }
    fn lr(&self, t: usize) -> f64 {
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
pub fn sequence(s: &dyn LrSchedule, n: usize) -> Vec<f64> {
    (0..n).map(|t| s.lr(t)).collect()
}
