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

/// `alpha0` scaled from `start_factor` to `end_factor` over `total_iters` steps, then held.
#[derive(Clone, Debug, PartialEq)]
pub struct LinearWarmup {
    alpha0: f64,
    start_factor: f64,
    end_factor: f64,
    total_iters: usize,
    unit: StepUnit,
}

impl LinearWarmup {
    /// `start_factor` in `(0, 1]`, `end_factor` in `[0, 1]`, `total_iters >= 1` (PyTorch's ranges).
    pub fn new(
        alpha0: f64,
        start_factor: f64,
        end_factor: f64,
        total_iters: usize,
    ) -> Result<Self, ScheduleError> {
        Ok(Self {
            alpha0: validate::rate("linear_warmup", "base_lr", alpha0)?,
            start_factor: validate::factor("linear_warmup", "start_factor", start_factor)?,
            end_factor: validate::unit_interval("linear_warmup", "end_factor", end_factor)?,
            total_iters: validate::count("linear_warmup", "total_iters", total_iters)?,
            unit: StepUnit::Epoch,
        })
    }

    /// The same schedule stepping per `unit`.
    pub fn with_unit(self, unit: StepUnit) -> Self {
        Self { unit, ..self }
    }
}

impl LrSchedule for LinearWarmup {
    fn unit(&self) -> StepUnit {
        self.unit
    }
    fn lr(&self, t: usize) -> f64 {
        let done = t.min(self.total_iters) as f64 / self.total_iters as f64;
        self.alpha0 * (self.start_factor + (self.end_factor - self.start_factor) * done)
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

    #[test]
    fn hand_derived() {
        // alpha0 0.1, from 0.2 to 1.0 over 4 steps: factors 0.2, 0.4, 0.6, 0.8, 1.0, 1.0
        let s = LinearWarmup::new(0.1, 0.2, 1.0, 4).unwrap();
        assert_lr_sequence(&sequence(&s, 6), &[0.02, 0.04, 0.06, 0.08, 0.1, 0.1]);
    }

    #[test]
    fn rejects_bad_factors() {
        let e = LinearWarmup::new(0.1, 0.0, 1.0, 4).unwrap_err();
        assert!(e.to_string().contains("`start_factor`"), "{e}");
        let e = LinearWarmup::new(0.1, 0.5, 1.5, 4).unwrap_err();
        assert!(e.to_string().contains("`end_factor`"), "{e}");
        let e = LinearWarmup::new(0.1, 0.5, 1.0, 0).unwrap_err();
        assert!(e.to_string().contains("`total_iters`"), "{e}");
    }
}
