//! The lecture's exponential decay.
//!
//! ```text
//! alpha(epoch) = gamma^epoch * alpha0
//! ```
//!
//! The lecture writes the base as `t` (e.g. 0.95); here it is `gamma`, as in PyTorch's
//! `ExponentialLR(gamma)`, whose closed form this matches.

use crate::{config::epoch, validate, LrSchedule, ScheduleError, StepUnit};
use serde::{Deserialize, Serialize};

/// Parameters of [`Exponential`] (`kind = "exponential"`).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExponentialConfig {
    /// The factor per unit, in `(0, 1]`. Required.
    pub gamma: f64,
    /// Default: epoch.
    #[serde(default = "epoch")]
    pub unit: StepUnit,
}

impl ExponentialConfig {
    /// Validate and start from `alpha0` (finite, `>= 0`).
    pub fn build(&self, alpha0: f32) -> Result<Exponential, ScheduleError> {
        Ok(Exponential {
            alpha0: validate::rate("exponential", "base_lr", alpha0)?,
            gamma: validate::factor("exponential", "gamma", self.gamma)?,
            unit: self.unit,
        })
    }
}

/// `gamma^t * alpha0`.
#[derive(Clone, Debug, PartialEq)]
pub struct Exponential {
    alpha0: f32,
    gamma: f64,
    unit: StepUnit,
}

impl LrSchedule for Exponential {
    fn unit(&self) -> StepUnit {
        self.unit
    }
    fn lr(&self, t: usize) -> f32 {
        // BEGIN SOLUTION
        let epoch = t as f64;
        (self.gamma.powf(epoch) * f64::from(self.alpha0)) as f32
        // STUB: let _ = (self.alpha0, self.gamma, t);
        // STUB: todo!("exercise 04: the student release has no reference exponential decay; yours is in exercises/04_lr_decay")
        // END SOLUTION
    }
    fn name(&self) -> &'static str {
        "exponential"
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::assert_lr_sequence;
    use crate::sequence;

    fn exponential(alpha0: f32, gamma: f64) -> Result<Exponential, ScheduleError> {
        let unit = StepUnit::Epoch;
        ExponentialConfig { gamma, unit }.build(alpha0)
    }

    #[test]
    fn hand_derived() {
        // gamma = 0.5, alpha0 = 0.8: 0.8, 0.4, 0.2, 0.1, 0.05 (exact in binary).
        let s = exponential(0.8, 0.5).unwrap();
        assert_lr_sequence(&sequence(&s, 5), &[0.8, 0.4, 0.2, 0.1, 0.05]);
        // gamma = 0.95, alpha0 = 0.2: 0.2, 0.19, 0.1805, 0.171475
        let s = exponential(0.2, 0.95).unwrap();
        assert_lr_sequence(&sequence(&s, 4), &[0.2, 0.19, 0.1805, 0.171475]);
    }

    #[test]
    fn rejects_gamma_outside_unit_interval() {
        for gamma in [0.0, -0.1, 1.01, f64::NAN] {
            let e = exponential(0.1, gamma).unwrap_err();
            assert!(e.to_string().contains("`gamma`"), "{e}");
        }
    }
}
