//! Linear warmup: scale the rate by a factor moving linearly over `total_iters` steps.
//!
//! ```text
//! alpha(t) = alpha0 * (start_factor + (end_factor - start_factor) * min(t, total_iters) / total_iters)
//! ```
//!
//! Matches PyTorch's `LinearLR(start_factor, end_factor, total_iters)` closed form (PyTorch's
//! `step()` uses a recursive form that agrees to rounding). PyTorch defaults:
//! `start_factor = 1/3`, `end_factor = 1`, `total_iters = 5`.

use crate::{validate, LrSchedule, ScheduleError, StepUnit};
use serde::{Deserialize, Serialize};

/// Parameters of [`LinearWarmup`] (`kind = "linear_warmup"`), PyTorch's names and ranges.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LinearWarmupConfig {
    /// The first factor, in `(0, 1]`. Default: 1/3.
    pub start_factor: f64,
    /// The last factor, in `[0, 1]`. Default: 1.
    pub end_factor: f64,
    /// Units from `start_factor` to `end_factor`, `>= 1`. Default: 5.
    pub total_iters: usize,
    /// Default: epoch.
    pub unit: StepUnit,
}

impl Default for LinearWarmupConfig {
    fn default() -> Self {
        Self {
            start_factor: 1.0 / 3.0,
            end_factor: 1.0,
            total_iters: 5,
            unit: StepUnit::Epoch,
        }
    }
}

impl LinearWarmupConfig {
    /// Validate and scale `alpha0` (finite, `>= 0`).
    pub fn build(&self, alpha0: f32) -> Result<LinearWarmup, ScheduleError> {
        const NAME: &str = "linear_warmup";
        Ok(LinearWarmup {
            alpha0: validate::rate(NAME, "base_lr", alpha0)?,
            start_factor: validate::factor(NAME, "start_factor", self.start_factor)?,
            end_factor: validate::unit_interval(NAME, "end_factor", self.end_factor)?,
            total_iters: validate::count(NAME, "total_iters", self.total_iters)?,
            unit: self.unit,
        })
    }
}

/// `alpha0` scaled from `start_factor` to `end_factor` over `total_iters` steps, then held.
#[derive(Clone, Debug, PartialEq)]
pub struct LinearWarmup {
    alpha0: f32,
    start_factor: f64,
    end_factor: f64,
    total_iters: usize,
    unit: StepUnit,
}

impl LrSchedule for LinearWarmup {
    fn unit(&self) -> StepUnit {
        self.unit
    }
    fn lr(&self, t: usize) -> f32 {
        let done = t.min(self.total_iters) as f64 / self.total_iters as f64;
        let factor = self.start_factor + (self.end_factor - self.start_factor) * done;
        (f64::from(self.alpha0) * factor) as f32
    }
    fn name(&self) -> &'static str {
        "linear_warmup"
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::assert_lr_sequence;
    use crate::sequence;

    fn warmup(start_factor: f64, end_factor: f64, total_iters: usize) -> LinearWarmupConfig {
        LinearWarmupConfig {
            start_factor,
            end_factor,
            total_iters,
            ..Default::default()
        }
    }

    #[test]
    fn hand_derived() {
        // alpha0 0.1, from 0.2 to 1.0 over 4 steps: factors 0.2, 0.4, 0.6, 0.8, 1.0, 1.0
        let s = warmup(0.2, 1.0, 4).build(0.1).unwrap();
        assert_lr_sequence(&sequence(&s, 6), &[0.02, 0.04, 0.06, 0.08, 0.1, 0.1]);
    }

    #[test]
    fn rejects_bad_factors() {
        let e = warmup(0.0, 1.0, 4).build(0.1).unwrap_err();
        assert!(e.to_string().contains("`start_factor`"), "{e}");
        let e = warmup(0.5, 1.5, 4).build(0.1).unwrap_err();
        assert!(e.to_string().contains("`end_factor`"), "{e}");
        let e = warmup(0.5, 1.0, 0).build(0.1).unwrap_err();
        assert!(e.to_string().contains("`total_iters`"), "{e}");
    }
}
