//! Cosine annealing from `alpha0` down to `eta_min` over `t_max` steps.
//!
//! ```text
//! alpha(t) = eta_min + (alpha0 - eta_min) * (1 + cos(pi * t / t_max)) / 2
//! ```
//!
//! Matches PyTorch's `CosineAnnealingLR(T_max, eta_min)` closed form, including what happens past
//! `t_max`: the cosine keeps going, so the rate climbs back to `alpha0` at `2 * t_max` (period
//! `2 * t_max`). Size `t_max` to the run's length if you want it to end at `eta_min`.

use crate::{config::epoch, validate, LrSchedule, ScheduleError, StepUnit};
use serde::{Deserialize, Serialize};
use std::f64::consts::PI;

/// Parameters of [`Cosine`] (`kind = "cosine"`), PyTorch's names.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CosineConfig {
    /// Units from `alpha0` down to `eta_min`, `>= 1`. Required.
    pub t_max: usize,
    /// The lowest rate, `>= 0`. Default: 0.
    #[serde(default)]
    pub eta_min: f32,
    /// Default: epoch.
    #[serde(default = "epoch")]
    pub unit: StepUnit,
}

impl CosineConfig {
    /// Validate and start from `alpha0` (finite, `>= 0`).
    pub fn build(&self, alpha0: f32) -> Result<Cosine, ScheduleError> {
        Ok(Cosine {
            alpha0: validate::rate("cosine", "base_lr", alpha0)?,
            t_max: validate::count("cosine", "t_max", self.t_max)?,
            eta_min: validate::rate("cosine", "eta_min", self.eta_min)?,
            unit: self.unit,
        })
    }
}

/// Half a cosine from `alpha0` to `eta_min` over `t_max` steps.
#[derive(Clone, Debug, PartialEq)]
pub struct Cosine {
    alpha0: f32,
    t_max: usize,
    eta_min: f32,
    unit: StepUnit,
}

impl LrSchedule for Cosine {
    fn unit(&self) -> StepUnit {
        self.unit
    }
    fn lr(&self, t: usize) -> f32 {
        let (alpha0, eta_min) = (f64::from(self.alpha0), f64::from(self.eta_min));
        let phase = PI * t as f64 / self.t_max as f64;
        (eta_min + (alpha0 - eta_min) * (1.0 + phase.cos()) / 2.0) as f32
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

    fn cosine(t_max: usize, eta_min: f32) -> CosineConfig {
        let unit = StepUnit::Epoch;
        CosineConfig {
            t_max,
            eta_min,
            unit,
        }
    }

    #[test]
    fn hand_derived_quarter_points() {
        // t_max 4, alpha0 1, eta_min 0: (1 + cos(k pi/4))/2 = 1, (2+sqrt2)/4, 0.5, (2-sqrt2)/4, 0,
        // then back up (PyTorch's periodic closed form): (2-sqrt2)/4 at t = 5, 0.5 at 6.
        let s = cosine(4, 0.0).build(1.0).unwrap();
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
        let s = cosine(10, 0.001).build(0.1).unwrap();
        assert_eq!(s.lr(10), 0.001);
    }

    #[test]
    fn rejects_zero_t_max() {
        let e = cosine(0, 0.0).build(0.1).unwrap_err();
        assert!(e.to_string().contains("`t_max`"), "{e}");
    }
}
