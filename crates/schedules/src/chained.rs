//! Chained: apply several schedules at once, multiplying their factors.
//!
//! ```text
//! alpha(t) = base_lr * product over i of (schedules[i].lr(t) / base_lr)
//! ```
//!
//! Matches PyTorch's `ChainedScheduler` for multiplicative schedules (step, multi-step,
//! exponential, linear warmup, cosine with `eta_min = 0`), where each PyTorch scheduler
//! multiplies the current rate by its own factor. Every child must be built with the same
//! `base_lr`. PyTorch's recursive cosine with `eta_min > 0` is not a pure factor and differs.

use crate::{
    sequential::{build_all, check_units},
    validate, LrSchedule, ScheduleConfig, ScheduleError, StepUnit,
};
use serde::{Deserialize, Serialize};

/// Parameters of [`Chained`] (`kind = "chained"`); the unit is the children's.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChainedConfig {
    /// At least one schedule, all stepping in the same unit, each built from the same base
    /// rate. Required.
    pub schedules: Vec<ScheduleConfig>,
}

impl ChainedConfig {
    /// Build every child from `base_lr`, then validate the whole.
    pub fn build(&self, base_lr: f32) -> Result<Chained, ScheduleError> {
        let built = build_all(&self.schedules, base_lr)?;
        Chained::new(base_lr, built)
    }
}

/// Several schedules applied together: the product of their factors.
pub struct Chained {
    base_lr: f32,
    schedules: Vec<Box<dyn LrSchedule>>,
}

impl std::fmt::Debug for Chained {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let names: Vec<&str> = self.schedules.iter().map(|s| s.name()).collect();
        f.debug_struct("Chained")
            .field("base_lr", &self.base_lr)
            .field("schedules", &names)
            .finish()
    }
}

impl Chained {
    /// At least one schedule, all built with `base_lr` and stepping in the same unit.
    pub fn new(base_lr: f32, schedules: Vec<Box<dyn LrSchedule>>) -> Result<Self, ScheduleError> {
        const NAME: &str = "chained";
        let base_lr = validate::rate(NAME, "base_lr", base_lr)?;
        if schedules.is_empty() {
            return Err(validate::fail(
                NAME,
                "schedules",
                0,
                "at least one schedule",
            ));
        }
        check_units(NAME, &schedules)?;
        Ok(Self { base_lr, schedules })
    }
}

impl LrSchedule for Chained {
    fn unit(&self) -> StepUnit {
        self.schedules[0].unit()
    }
    fn lr(&self, t: usize) -> f32 {
        if self.base_lr == 0.0 {
            return 0.0;
        }
        let base = f64::from(self.base_lr);
        let factor: f64 = self
            .schedules
            .iter()
            .map(|s| f64::from(s.lr(t)) / base)
            .product();
        (base * factor) as f32
    }
    fn observe(&mut self, metric: f64) {
        for s in &mut self.schedules {
            s.observe(metric);
        }
    }
    fn name(&self) -> &'static str {
        "chained"
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::assert_lr_sequence;
    use crate::{sequence, ExponentialConfig, LinearWarmupConfig};

    #[test]
    fn product_of_factors_by_hand() {
        // base 2; warmup factors 0.5, 0.75, 1, 1; exponential factors 1, 0.5, 0.25, 0.125.
        // alpha = 2 * product: 1, 0.75, 0.5, 0.25.
        let s = Chained::new(
            2.0,
            vec![
                Box::new(
                    LinearWarmupConfig {
                        start_factor: 0.5,
                        end_factor: 1.0,
                        total_iters: 2,
                        unit: StepUnit::Epoch,
                    }
                    .build(2.0)
                    .unwrap(),
                ),
                Box::new(
                    ExponentialConfig {
                        gamma: 0.5,
                        unit: StepUnit::Epoch,
                    }
                    .build(2.0)
                    .unwrap(),
                ),
            ],
        )
        .unwrap();
        assert_lr_sequence(&sequence(&s, 4), &[1.0, 0.75, 0.5, 0.25]);
    }

    #[test]
    fn rejects_empty() {
        let e = Chained::new(1.0, vec![]).unwrap_err();
        assert!(e.to_string().contains("`schedules`"), "{e}");
    }
}
