//! Reduce on plateau: cut the rate when a validation metric stops improving.
//!
//! ```text
//! after each epoch, with metric m (mode min, threshold_mode rel):
//!   if m < best * (1 - threshold) { best = m; bad = 0 } else { bad += 1 }
//!   if cooldown_left > 0 { cooldown_left -= 1; bad = 0 }
//!   if bad > patience {
//!       new = max(alpha * factor, min_lr)
//!       if alpha - new > eps { alpha = new }
//!       cooldown_left = cooldown; bad = 0
//!   }
//! ```
//!
//! Exactly PyTorch's `ReduceLROnPlateau` step, with its defaults (mode min, factor 0.1,
//! patience 10, threshold 1e-4 relative, cooldown 0, min_lr 0, eps 1e-8), including that a NaN
//! metric counts as a bad epoch. `lr(t)` ignores `t`: it is the rate after the metrics observed
//! so far. Feed it once per epoch through [`LrSchedule::observe`]; it always steps per epoch.

use crate::{validate, LrSchedule, ScheduleError, StepUnit};
use serde::{Deserialize, Serialize};

/// Whether lower or higher metrics are better.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum PlateauMode {
    /// Lower is better (a loss). Default.
    #[default]
    Min,
    /// Higher is better (an accuracy).
    Max,
}

/// How `threshold` defines a significant improvement.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum ThresholdMode {
    /// Better than `best * (1 -/+ threshold)`. Default.
    #[default]
    Rel,
    /// Better than `best -/+ threshold`.
    Abs,
}

/// Parameters of [`ReduceOnPlateau`] (`kind = "reduce_on_plateau"`), PyTorch's names and
/// defaults.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ReduceOnPlateauConfig {
    /// Lower or higher is better, `"min"` or `"max"`. Default: min.
    pub mode: PlateauMode,
    /// Multiply the rate by this on a plateau, in `(0, 1)`. Default: 0.1.
    pub factor: f64,
    /// Bad epochs tolerated before cutting (the cut happens on bad epoch `patience + 1`).
    /// Default: 10.
    pub patience: usize,
    /// Minimal significant improvement, `>= 0`. Default: 1e-4.
    pub threshold: f64,
    /// Relative or absolute threshold, `"rel"` or `"abs"`. Default: rel.
    pub threshold_mode: ThresholdMode,
    /// Epochs after a cut during which bad epochs are not counted. Default: 0.
    pub cooldown: usize,
    /// Lower bound on the rate, finite and `>= 0`. Default: 0.
    pub min_lr: f32,
    /// A cut smaller than this is skipped, `>= 0`. Default: 1e-8.
    pub eps: f64,
    /// Must be epoch (the metric comes once per epoch). Default: epoch.
    pub unit: StepUnit,
}

impl Default for ReduceOnPlateauConfig {
    fn default() -> Self {
        Self {
            mode: PlateauMode::Min,
            factor: 0.1,
            patience: 10,
            threshold: 1e-4,
            threshold_mode: ThresholdMode::Rel,
            cooldown: 0,
            min_lr: 0.0,
            eps: 1e-8,
            unit: StepUnit::Epoch,
        }
    }
}

impl ReduceOnPlateauConfig {
    /// Validate and start at `alpha0` (finite, `>= 0`).
    pub fn build(&self, alpha0: f32) -> Result<ReduceOnPlateau, ScheduleError> {
        const NAME: &str = "reduce_on_plateau";
        let alpha = validate::rate(NAME, "base_lr", alpha0)?;
        if self.unit != StepUnit::Epoch {
            return Err(validate::fail(
                NAME,
                "unit",
                "\"batch\"",
                "\"epoch\" (the metric is observed once per epoch)",
            ));
        }
        if !(self.factor > 0.0 && self.factor < 1.0) {
            return Err(validate::fail(
                NAME,
                "factor",
                self.factor,
                "a factor in (0, 1)",
            ));
        }
        validate::non_negative(NAME, "threshold", self.threshold)?;
        validate::rate(NAME, "min_lr", self.min_lr)?;
        validate::non_negative(NAME, "eps", self.eps)?;
        Ok(ReduceOnPlateau {
            best: ReduceOnPlateau::worst(self.mode),
            config: *self,
            alpha: f64::from(alpha),
            num_bad_epochs: 0,
            cooldown_counter: 0,
        })
    }
}

/// PyTorch's `ReduceLROnPlateau`, one parameter group.
#[derive(Clone, Debug, PartialEq)]
pub struct ReduceOnPlateau {
    config: ReduceOnPlateauConfig,
    /// The current rate, kept in `f64` so repeated cuts round once (on the way out).
    alpha: f64,
    best: f64,
    num_bad_epochs: usize,
    cooldown_counter: usize,
}

impl ReduceOnPlateau {
    fn worst(mode: PlateauMode) -> f64 {
        match mode {
            PlateauMode::Min => f64::INFINITY,
            PlateauMode::Max => f64::NEG_INFINITY,
        }
    }

    fn is_better(&self, metric: f64) -> bool {
        let (best, threshold) = (self.best, self.config.threshold);
        match (self.config.mode, self.config.threshold_mode) {
            (PlateauMode::Min, ThresholdMode::Rel) => metric < best * (1.0 - threshold),
            (PlateauMode::Min, ThresholdMode::Abs) => metric < best - threshold,
            (PlateauMode::Max, ThresholdMode::Rel) => metric > best * (threshold + 1.0),
            (PlateauMode::Max, ThresholdMode::Abs) => metric > best + threshold,
        }
    }

    /// The best metric seen so far (`+inf` / `-inf` before the first).
    pub fn best(&self) -> f64 {
        self.best
    }

    /// Bad epochs counted since the last improvement or cut.
    pub fn num_bad_epochs(&self) -> usize {
        self.num_bad_epochs
    }
}

impl LrSchedule for ReduceOnPlateau {
    fn unit(&self) -> StepUnit {
        StepUnit::Epoch
    }
    fn lr(&self, _t: usize) -> f32 {
        self.alpha as f32
    }
    fn observe(&mut self, metric: f64) {
        if self.is_better(metric) {
            self.best = metric;
            self.num_bad_epochs = 0;
        } else {
            self.num_bad_epochs += 1;
        }
        if self.cooldown_counter > 0 {
            self.cooldown_counter -= 1;
            self.num_bad_epochs = 0;
        }
        if self.num_bad_epochs > self.config.patience {
            let new = (self.alpha * self.config.factor).max(f64::from(self.config.min_lr));
            if self.alpha - new > self.config.eps {
                self.alpha = new;
            }
            self.cooldown_counter = self.config.cooldown;
            self.num_bad_epochs = 0;
        }
    }
    fn name(&self) -> &'static str {
        "reduce_on_plateau"
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::assert_lr_sequence;

    fn replay(s: &mut ReduceOnPlateau, metrics: &[f64]) -> Vec<f32> {
        let mut alphas = vec![s.lr(0)];
        for (t, &m) in metrics.iter().enumerate() {
            s.observe(m);
            alphas.push(s.lr(t + 1));
        }
        alphas
    }

    #[test]
    fn patience_and_cooldown_by_hand() {
        // patience 1, cooldown 1, factor 0.5, alpha0 1. Metrics: 1.0 (best), then flat.
        // epoch 0: 1.0 better -> bad 0.             alpha 1
        // epoch 1: 1.0 not better -> bad 1 (<= 1).  alpha 1
        // epoch 2: bad 2 > 1 -> cut to 0.5, cooldown 1, bad 0
        // epoch 3: bad 1, in cooldown -> cooldown 0, bad 0. alpha 0.5
        // epoch 4: bad 1.                           alpha 0.5
        // epoch 5: bad 2 -> cut to 0.25.
        let config = ReduceOnPlateauConfig {
            factor: 0.5,
            patience: 1,
            cooldown: 1,
            ..Default::default()
        };
        let mut s = config.build(1.0).unwrap();
        let got = replay(&mut s, &[1.0; 6]);
        assert_lr_sequence(&got, &[1.0, 1.0, 1.0, 0.5, 0.5, 0.5, 0.25]);
    }

    #[test]
    fn relative_threshold_ignores_tiny_improvements() {
        // threshold 1e-4 rel: 0.99995 is not below 1.0 * (1 - 1e-4) = 0.9999, so it is bad.
        let config = ReduceOnPlateauConfig {
            patience: 0,
            ..Default::default()
        };
        let mut s = config.build(1.0).unwrap();
        let got = replay(&mut s, &[1.0, 0.99995]);
        assert_lr_sequence(&got, &[1.0, 1.0, 0.1]);
    }

    #[test]
    fn min_lr_and_eps_stop_the_cuts() {
        // min_lr 0.05: 1 -> 0.1 -> 0.05 -> (0.05 - 0.05 = 0 <= eps: no change).
        let config = ReduceOnPlateauConfig {
            patience: 0,
            min_lr: 0.05,
            ..Default::default()
        };
        let mut s = config.build(1.0).unwrap();
        let got = replay(&mut s, &[1.0, 1.0, 1.0, 1.0]);
        assert_lr_sequence(&got, &[1.0, 1.0, 0.1, 0.05, 0.05]);
    }

    #[test]
    fn rejects_factor_of_one() {
        let config = ReduceOnPlateauConfig {
            factor: 1.0,
            ..Default::default()
        };
        let e = config.build(1.0).unwrap_err();
        assert!(
            e.to_string().contains("`factor`") && e.to_string().contains("(0, 1)"),
            "{e}"
        );
    }
}
