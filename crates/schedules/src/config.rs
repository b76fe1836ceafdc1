//! Runtime choice of a schedule, e.g. from a TOML `[schedule]` table.
//!
//! ```toml
//! [schedule]
//! kind = "step_decay"   # any ScheduleConfig variant in snake_case
//! gamma = 0.5
//! step_size = 10
//! unit = "epoch"        # optional; "batch" or "epoch"
//! ```
//!
//! The keys after `kind` are the fields of that kind's config struct ([`StepDecayConfig`] here),
//! as `OptimizerConfig` (crate `trainlab-optimizers`) wraps the rules' configs. Unknown keys are
//! rejected when parsing; out-of-range values are rejected by [`ScheduleConfig::build`], naming
//! the field and its valid range. Every kind starts from the base rate passed to `build`
//! (normally the optimizer's `alpha`) except `manual` and `one_cycle` with `max_lr`, which carry
//! their own absolute rates: [`ScheduleConfig::ignores_base_rate`] says so.

use crate::{
    ChainedConfig, ConstantConfig, CosineConfig, ExponentialConfig, InverseSqrtConfig,
    InverseTimeConfig, LinearWarmupConfig, LrSchedule, ManualConfig, MultiStepConfig,
    OneCycleConfig, ReduceOnPlateauConfig, ScheduleError, SequentialConfig, StepDecayConfig,
    StepUnit,
};
use serde::{Deserialize, Serialize};

/// Serde default of `unit` for most kinds.
pub(crate) fn epoch() -> StepUnit {
    StepUnit::Epoch
}

/// Serde default of PyTorch's decay factors `gamma`.
pub(crate) fn tenth() -> f64 {
    0.1
}

/// Which schedule to use, with its parameters. Field defaults are PyTorch's where PyTorch has
/// the schedule and are documented on each config struct; `unit` defaults to `epoch` except for
/// `one_cycle` (`batch`).
///
/// ```
/// use trainlab_schedules::{InverseTimeConfig, LrSchedule, ScheduleConfig};
///
/// let config: ScheduleConfig = toml::from_str("kind = \"inverse_time\"\ndecay_rate = 1.0")?;
/// assert_eq!(
///     config,
///     ScheduleConfig::InverseTime(InverseTimeConfig { decay_rate: 1.0, ..Default::default() })
/// );
/// assert_eq!(config.build(0.1)?.lr(1), 0.05);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ScheduleConfig {
    /// [`crate::Constant`]: `alpha0` throughout.
    Constant(ConstantConfig),
    /// [`crate::InverseTime`]: `alpha0 / (1 + decay_rate * epoch)`.
    InverseTime(InverseTimeConfig),
    /// [`crate::StepDecay`]: multiply by `gamma` every `step_size` units (lecture: `gamma = 1 - t`).
    StepDecay(StepDecayConfig),
    /// [`crate::MultiStep`]: multiply by `gamma` at each milestone.
    MultiStep(MultiStepConfig),
    /// [`crate::Exponential`]: `gamma^epoch * alpha0`.
    Exponential(ExponentialConfig),
    /// [`crate::InverseSqrt`]: `k / sqrt(epoch) * alpha0`, `alpha0` at epoch 0.
    InverseSqrt(InverseSqrtConfig),
    /// [`crate::Manual`]: `table = [[0, 0.1], [10, 0.01]]` of `[epoch, rate]`, absolute rates.
    Manual(ManualConfig),
    /// [`crate::LinearWarmup`]: PyTorch `LinearLR`.
    LinearWarmup(LinearWarmupConfig),
    /// [`crate::Cosine`]: PyTorch `CosineAnnealingLR`.
    Cosine(CosineConfig),
    /// [`crate::OneCycle`]: PyTorch `OneCycleLR` (rates only).
    OneCycle(OneCycleConfig),
    /// [`crate::ReduceOnPlateau`]: PyTorch `ReduceLROnPlateau`.
    ReduceOnPlateau(ReduceOnPlateauConfig),
    /// [`crate::Sequential`]: PyTorch `SequentialLR`.
    Sequential(SequentialConfig),
    /// [`crate::Chained`]: PyTorch `ChainedScheduler`.
    Chained(ChainedConfig),
}

impl Default for ScheduleConfig {
    fn default() -> Self {
        ScheduleConfig::Constant(ConstantConfig::default())
    }
}

impl ScheduleConfig {
    /// The `kind` tag, the same as the built schedule's [`LrSchedule::name`].
    pub fn kind(&self) -> &'static str {
        match self {
            ScheduleConfig::Constant(_) => "constant",
            ScheduleConfig::InverseTime(_) => "inverse_time",
            ScheduleConfig::StepDecay(_) => "step_decay",
            ScheduleConfig::MultiStep(_) => "multi_step",
            ScheduleConfig::Exponential(_) => "exponential",
            ScheduleConfig::InverseSqrt(_) => "inverse_sqrt",
            ScheduleConfig::Manual(_) => "manual",
            ScheduleConfig::LinearWarmup(_) => "linear_warmup",
            ScheduleConfig::Cosine(_) => "cosine",
            ScheduleConfig::OneCycle(_) => "one_cycle",
            ScheduleConfig::ReduceOnPlateau(_) => "reduce_on_plateau",
            ScheduleConfig::Sequential(_) => "sequential",
            ScheduleConfig::Chained(_) => "chained",
        }
    }

    /// Why the base rate passed to [`ScheduleConfig::build`] (the optimizer's `alpha`) does not
    /// set the rates, or `None` when it does. For a training plan to report instead of ignoring
    /// `optimizer.alpha` silently.
    ///
    /// ```
    /// use trainlab_schedules::ScheduleConfig;
    ///
    /// let manual: ScheduleConfig = toml::from_str("kind = \"manual\"\ntable = [[0, 0.1]]")?;
    /// assert!(manual.ignores_base_rate().unwrap().contains("optimizer.alpha"));
    /// assert_eq!(ScheduleConfig::default().ignores_base_rate(), None);
    /// # Ok::<(), toml::de::Error>(())
    /// ```
    pub fn ignores_base_rate(&self) -> Option<&'static str> {
        match self {
            ScheduleConfig::Manual(_) => Some(
                "schedule `manual` sets every rate from its `table`; `optimizer.alpha` is not used",
            ),
            ScheduleConfig::OneCycle(OneCycleConfig {
                max_lr: Some(_), ..
            }) => Some(
                "schedule `one_cycle` peaks at its `max_lr`; `optimizer.alpha` is not used \
                 (leave `max_lr` out to peak at `optimizer.alpha`)",
            ),
            ScheduleConfig::Sequential(SequentialConfig { schedules, .. })
            | ScheduleConfig::Chained(ChainedConfig { schedules })
                if schedules.iter().any(|s| s.ignores_base_rate().is_some()) =>
            {
                Some(
                    "a schedule inside `schedules` (`manual`, or `one_cycle` with `max_lr`) sets \
                     its own rates; `optimizer.alpha` is not used for it",
                )
            }
            _ => None,
        }
    }

    /// Validate and build the schedule, starting from `base_lr` (the optimizer's `alpha`; see
    /// [`ScheduleConfig::ignores_base_rate`] for the kinds that do not use it).
    ///
    /// ```
    /// use trainlab_schedules::{CosineConfig, LrSchedule, ScheduleConfig, StepUnit};
    ///
    /// let config = ScheduleConfig::Cosine(CosineConfig {
    ///     t_max: 10,
    ///     eta_min: 0.0,
    ///     unit: StepUnit::Epoch,
    /// });
    /// let s = config.build(0.1)?;
    /// assert_eq!(s.lr(5), 0.05);
    /// # Ok::<(), trainlab_schedules::ScheduleError>(())
    /// ```
    pub fn build(&self, base_lr: f32) -> Result<Box<dyn LrSchedule>, ScheduleError> {
        Ok(match self {
            ScheduleConfig::Constant(c) => Box::new(c.build(base_lr)?),
            ScheduleConfig::InverseTime(c) => Box::new(c.build(base_lr)?),
            ScheduleConfig::StepDecay(c) => Box::new(c.build(base_lr)?),
            ScheduleConfig::MultiStep(c) => Box::new(c.build(base_lr)?),
            ScheduleConfig::Exponential(c) => Box::new(c.build(base_lr)?),
            ScheduleConfig::InverseSqrt(c) => Box::new(c.build(base_lr)?),
            ScheduleConfig::Manual(c) => Box::new(c.build()?),
            ScheduleConfig::LinearWarmup(c) => Box::new(c.build(base_lr)?),
            ScheduleConfig::Cosine(c) => Box::new(c.build(base_lr)?),
            ScheduleConfig::OneCycle(c) => Box::new(c.build(base_lr)?),
            ScheduleConfig::ReduceOnPlateau(c) => Box::new(c.build(base_lr)?),
            ScheduleConfig::Sequential(c) => Box::new(c.build(base_lr)?),
            ScheduleConfig::Chained(c) => Box::new(c.build(base_lr)?),
        })
    }
}
