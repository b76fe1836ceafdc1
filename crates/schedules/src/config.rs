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
//! Unknown keys are rejected when parsing; out-of-range values are rejected by
//! [`ScheduleConfig::build`], naming the field and its valid range. Every variant except
//! `manual` and `one_cycle` (which carry their own absolute rates) starts from the `base_lr`
//! passed to `build`, normally the optimizer's `alpha`.

use crate::{
    Anneal, Chained, Constant, Cosine, Exponential, InverseSqrt, InverseTime, LinearWarmup,
    LrSchedule, Manual, MultiStep, OneCycle, OneCycleOptions, PlateauMode, PlateauOptions,
    ReduceOnPlateau, ScheduleError, Sequential, StepDecay, StepUnit, ThresholdMode,
};
use serde::{Deserialize, Serialize};

fn epoch() -> StepUnit {
    StepUnit::Epoch
}
fn batch() -> StepUnit {
    StepUnit::Batch
}
fn one() -> f64 {
    1.0
}
fn tenth() -> f64 {
    0.1
}
fn third() -> f64 {
    1.0 / 3.0
}
fn five() -> usize {
    5
}
fn pct_start() -> f64 {
    OneCycleOptions::default().pct_start
}
fn div_factor() -> f64 {
    OneCycleOptions::default().div_factor
}
fn final_div_factor() -> f64 {
    OneCycleOptions::default().final_div_factor
}
fn patience() -> usize {
    PlateauOptions::default().patience
}
fn threshold() -> f64 {
    PlateauOptions::default().threshold
}
fn plateau_eps() -> f64 {
    PlateauOptions::default().eps
}

/// Which schedule to use, with its parameters. Field defaults are PyTorch's where PyTorch has
/// the schedule; `unit` defaults to `epoch` except for `one_cycle` (`batch`).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum ScheduleConfig {
    /// [`Constant`]: `alpha0` throughout.
    Constant {
        /// Default: epoch.
        #[serde(default = "epoch")]
        unit: StepUnit,
    },
    /// [`InverseTime`]: `alpha0 / (1 + decay_rate * epoch)`.
    InverseTime {
        /// `>= 0`. Default: 1.
        #[serde(default = "one")]
        decay_rate: f64,
        /// Default: epoch.
        #[serde(default = "epoch")]
        unit: StepUnit,
    },
    /// [`StepDecay`]: multiply by `gamma` every `step_size` units (lecture: `gamma = 1 - t`).
    StepDecay {
        /// In `(0, 1]`. Default: 0.1.
        #[serde(default = "tenth")]
        gamma: f64,
        /// `>= 1`. Required.
        step_size: usize,
        /// Default: epoch.
        #[serde(default = "epoch")]
        unit: StepUnit,
    },
    /// [`MultiStep`]: multiply by `gamma` at each milestone.
    MultiStep {
        /// Strictly increasing. Required.
        milestones: Vec<usize>,
        /// In `(0, 1]`. Default: 0.1.
        #[serde(default = "tenth")]
        gamma: f64,
        /// Default: epoch.
        #[serde(default = "epoch")]
        unit: StepUnit,
    },
    /// [`Exponential`]: `gamma^epoch * alpha0`.
    Exponential {
        /// In `(0, 1]`. Required.
        gamma: f64,
        /// Default: epoch.
        #[serde(default = "epoch")]
        unit: StepUnit,
    },
    /// [`InverseSqrt`]: `k / sqrt(epoch) * alpha0`, `alpha0` at epoch 0.
    InverseSqrt {
        /// `> 0`. Default: 1.
        #[serde(default = "one")]
        k: f64,
        /// Default: epoch.
        #[serde(default = "epoch")]
        unit: StepUnit,
    },
    /// [`Manual`]: `table = [[0, 0.1], [10, 0.01]]` of `[epoch, rate]`, absolute rates.
    Manual {
        /// Starts at epoch 0, epochs strictly increasing. Required.
        table: Vec<(usize, f64)>,
        /// Default: epoch.
        #[serde(default = "epoch")]
        unit: StepUnit,
    },
    /// [`LinearWarmup`]: PyTorch `LinearLR`.
    LinearWarmup {
        /// In `(0, 1]`. Default: 1/3.
        #[serde(default = "third")]
        start_factor: f64,
        /// In `[0, 1]`. Default: 1.
        #[serde(default = "one")]
        end_factor: f64,
        /// `>= 1`. Default: 5.
        #[serde(default = "five")]
        total_iters: usize,
        /// Default: epoch.
        #[serde(default = "epoch")]
        unit: StepUnit,
    },
    /// [`Cosine`]: PyTorch `CosineAnnealingLR`.
    Cosine {
        /// `>= 1`. Required.
        t_max: usize,
        /// `>= 0`. Default: 0.
        #[serde(default)]
        eta_min: f64,
        /// Default: epoch.
        #[serde(default = "epoch")]
        unit: StepUnit,
    },
    /// [`OneCycle`]: PyTorch `OneCycleLR` (rates only).
    OneCycle {
        /// Peak rate. Default: the `base_lr` passed to `build`.
        #[serde(default)]
        max_lr: Option<f64>,
        /// `>= 1`. Required.
        total_steps: usize,
        /// In `[0, 1]`. Default: 0.3.
        #[serde(default = "pct_start")]
        pct_start: f64,
        /// `"cos"` or `"linear"`. Default: cos.
        #[serde(default)]
        anneal_strategy: Anneal,
        /// `> 0`. Default: 25.
        #[serde(default = "div_factor")]
        div_factor: f64,
        /// `> 0`. Default: 1e4.
        #[serde(default = "final_div_factor")]
        final_div_factor: f64,
        /// Default: false.
        #[serde(default)]
        three_phase: bool,
        /// Default: batch.
        #[serde(default = "batch")]
        unit: StepUnit,
    },
    /// [`ReduceOnPlateau`]: PyTorch `ReduceLROnPlateau`.
    ReduceOnPlateau {
        /// `"min"` or `"max"`. Default: min.
        #[serde(default)]
        mode: PlateauMode,
        /// In `(0, 1)`. Default: 0.1.
        #[serde(default = "tenth")]
        factor: f64,
        /// Default: 10.
        #[serde(default = "patience")]
        patience: usize,
        /// `>= 0`. Default: 1e-4.
        #[serde(default = "threshold")]
        threshold: f64,
        /// `"rel"` or `"abs"`. Default: rel.
        #[serde(default)]
        threshold_mode: ThresholdMode,
        /// Default: 0.
        #[serde(default)]
        cooldown: usize,
        /// `>= 0`. Default: 0.
        #[serde(default)]
        min_lr: f64,
        /// `>= 0`. Default: 1e-8.
        #[serde(default = "plateau_eps")]
        eps: f64,
        /// Must be epoch (the metric comes once per epoch). Default: epoch.
        #[serde(default = "epoch")]
        unit: StepUnit,
    },
    /// [`Sequential`]: PyTorch `SequentialLR`; the unit is the children's (all must agree).
    Sequential {
        /// One more than `milestones`.
        schedules: Vec<ScheduleConfig>,
        /// Strictly increasing steps at which the next schedule starts.
        milestones: Vec<usize>,
    },
    /// [`Chained`]: PyTorch `ChainedScheduler`; the unit is the children's (all must agree).
    Chained {
        /// At least one.
        schedules: Vec<ScheduleConfig>,
    },
}

impl Default for ScheduleConfig {
    fn default() -> Self {
        ScheduleConfig::Constant {
            unit: StepUnit::Epoch,
        }
    }
}

impl ScheduleConfig {
    /// The `kind` tag, the same as the built schedule's [`LrSchedule::name`].
    pub fn kind(&self) -> &'static str {
        match self {
            ScheduleConfig::Constant { .. } => "constant",
            ScheduleConfig::InverseTime { .. } => "inverse_time",
            ScheduleConfig::StepDecay { .. } => "step_decay",
            ScheduleConfig::MultiStep { .. } => "multi_step",
            ScheduleConfig::Exponential { .. } => "exponential",
            ScheduleConfig::InverseSqrt { .. } => "inverse_sqrt",
            ScheduleConfig::Manual { .. } => "manual",
            ScheduleConfig::LinearWarmup { .. } => "linear_warmup",
            ScheduleConfig::Cosine { .. } => "cosine",
            ScheduleConfig::OneCycle { .. } => "one_cycle",
            ScheduleConfig::ReduceOnPlateau { .. } => "reduce_on_plateau",
            ScheduleConfig::Sequential { .. } => "sequential",
            ScheduleConfig::Chained { .. } => "chained",
        }
    }

    /// Validate and build the schedule, starting from `base_lr` (the optimizer's `alpha`).
    ///
    /// ```
    /// use trainlab_schedules::{LrSchedule, ScheduleConfig, StepUnit};
    ///
    /// let config = ScheduleConfig::Cosine { t_max: 10, eta_min: 0.0, unit: StepUnit::Epoch };
    /// let s = config.build(0.1)?;
    /// assert!((s.lr(5) - 0.05).abs() < 1e-12);
    /// # Ok::<(), trainlab_schedules::ScheduleError>(())
    /// ```
    pub fn build(&self, base_lr: f64) -> Result<Box<dyn LrSchedule>, ScheduleError> {
        Ok(match self {
            &ScheduleConfig::Constant { unit } => Box::new(Constant::new(base_lr)?.with_unit(unit)),
            &ScheduleConfig::InverseTime { decay_rate, unit } => {
                Box::new(InverseTime::new(base_lr, decay_rate)?.with_unit(unit))
            }
            &ScheduleConfig::StepDecay {
                gamma,
                step_size,
                unit,
            } => Box::new(StepDecay::new(base_lr, gamma, step_size)?.with_unit(unit)),
            ScheduleConfig::MultiStep {
                milestones,
                gamma,
                unit,
            } => Box::new(MultiStep::new(base_lr, milestones.clone(), *gamma)?.with_unit(*unit)),
            &ScheduleConfig::Exponential { gamma, unit } => {
                Box::new(Exponential::new(base_lr, gamma)?.with_unit(unit))
            }
            &ScheduleConfig::InverseSqrt { k, unit } => {
                Box::new(InverseSqrt::new(base_lr, k)?.with_unit(unit))
            }
            ScheduleConfig::Manual { table, unit } => {
                Box::new(Manual::new(table.clone())?.with_unit(*unit))
            }
            &ScheduleConfig::LinearWarmup {
                start_factor,
                end_factor,
                total_iters,
                unit,
            } => Box::new(
                LinearWarmup::new(base_lr, start_factor, end_factor, total_iters)?.with_unit(unit),
            ),
            &ScheduleConfig::Cosine {
                t_max,
                eta_min,
                unit,
            } => Box::new(Cosine::new(base_lr, t_max, eta_min)?.with_unit(unit)),
            &ScheduleConfig::OneCycle {
                max_lr,
                total_steps,
                pct_start,
                anneal_strategy,
                div_factor,
                final_div_factor,
                three_phase,
                unit,
            } => {
                let options = OneCycleOptions {
                    pct_start,
                    anneal: anneal_strategy,
                    div_factor,
                    final_div_factor,
                    three_phase,
                };
                let max_lr = max_lr.unwrap_or(base_lr);
                Box::new(OneCycle::new(max_lr, total_steps, options)?.with_unit(unit))
            }
            &ScheduleConfig::ReduceOnPlateau {
                mode,
                factor,
                patience,
                threshold,
                threshold_mode,
                cooldown,
                min_lr,
                eps,
                unit,
            } => {
                if unit != StepUnit::Epoch {
                    return Err(ScheduleError::InvalidField {
                        schedule: "reduce_on_plateau",
                        field: "unit",
                        value: "batch".into(),
                        expected: "\"epoch\" (the metric is observed once per epoch)",
                    });
                }
                let options = PlateauOptions {
                    mode,
                    factor,
                    patience,
                    threshold,
                    threshold_mode,
                    cooldown,
                    min_lr,
                    eps,
                };
                Box::new(ReduceOnPlateau::new(base_lr, options)?)
            }
            ScheduleConfig::Sequential {
                schedules,
                milestones,
            } => {
                let built = build_all(schedules, base_lr)?;
                Box::new(Sequential::new(built, milestones.clone())?)
            }
            ScheduleConfig::Chained { schedules } => {
                let built = build_all(schedules, base_lr)?;
                Box::new(Chained::new(base_lr, built)?)
            }
        })
    }
}

fn build_all(
    configs: &[ScheduleConfig],
    base_lr: f64,
) -> Result<Vec<Box<dyn LrSchedule>>, ScheduleError> {
    configs.iter().map(|c| c.build(base_lr)).collect()
}
