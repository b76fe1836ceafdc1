//! Cosine annealing from `alpha0` down to `eta_min` over `t_max` steps.
//!
//! ```text
//! alpha(t) = eta_min + (alpha0 - eta_min) * (1 + cos(pi * t / t_max)) / 2
//! ```
//!
//! Matches PyTorch's `CosineAnnealingLR(T_max, eta_min)` closed form, including what happens past
//! `t_max`: the cosine keeps going, so the rate climbs back to `alpha0` at `2 * t_max` (period
//! `2 * t_max`). Size `t_max` to the run's length if you want it to end at `eta_min`.

use crate::{validate, LrSchedule, ScheduleError, StepUnit};
use std::f64::consts::PI;

/// Half a cosine from `alpha0` to `eta_min` over `t_max` steps.
#[derive(Clone, Debug, PartialEq)]
pub struct Cosine {
    alpha0: f64,
    t_max: usize,
    eta_min: f64,
    unit: StepUnit,
}

impl Cosine {
    /// `t_max >= 1`, `eta_min >= 0` (PyTorch default 0); steps per epoch.
    pub fn new(alpha0: f64, t_max: usize, eta_min: f64) -> Result<Self, ScheduleError> {
        Ok(Self {
            alpha0: validate::rate("cosine", "base_lr", alpha0)?,
            t_max: validate::count("cosine", "t_max", t_max)?,
            eta_min: validate::rate("cosine", "eta_min", eta_min)?,
            unit: StepUnit::Epoch,
        })
    }

    /// The same schedule stepping per `unit`.
    pub fn with_unit(self, unit: StepUnit) -> Self {
        Self { unit, ..self }
    }
}

impl LrSchedule for Cosine {
    fn unit(&self) -> StepUnit {
        self.unit
    }
    fn lr(&self, t: usize) -> f64 {
        let phase = PI * t as f64 / self.t_max as f64;
        self.eta_min + (self.alpha0 - self.eta_min) * (1.0 + phase.cos()) / 2.0
    }
    fn name(&self) -> &'static str {
        "cosine"
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::assert_lr_sequence;
    use crate::sequence;

    #[test]
    fn hand_derived_quarter_points() {
        // t_max 4, alpha0 1, eta_min 0: (1 + cos(k pi/4))/2 = 1, (2+sqrt2)/4, 0.5, (2-sqrt2)/4, 0,
        // then back up (PyTorch's periodic closed form): (2-sqrt2)/4 at t = 5, 0.5 at 6.
        let s = Cosine::new(1.0, 4, 0.0).unwrap();
        let r = std::f64::consts::SQRT_2;
        let expected = [
            1.0,
            (2.0 + r) / 4.0,
            0.5,
            (2.0 - r) / 4.0,
            0.0,
            (2.0 - r) / 4.0,
            0.5,
        ];
        assert_lr_sequence(&sequence(&s, 7), &expected);
    }

    #[test]
    fn ends_at_eta_min() {
        let s = Cosine::new(0.1, 10, 0.001).unwrap();
        assert!((s.lr(10) - 0.001).abs() < 1e-15);
    }

    #[test]
    fn rejects_zero_t_max() {
        let e = Cosine::new(0.1, 0, 0.0).unwrap_err();
        assert!(e.to_string().contains("`t_max`"), "{e}");
    }
}
