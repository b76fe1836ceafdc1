//! The lecture's exponential decay.
//!
//! ```text
//! alpha(epoch) = gamma^epoch * alpha0
//! ```
//!
//! The lecture writes the base as `t` (e.g. 0.95); here it is `gamma`, as in PyTorch's
//! `ExponentialLR(gamma)`, whose closed form this matches.

use crate::{validate, LrSchedule, ScheduleError, StepUnit};

/// `gamma^t * alpha0`.
#[derive(Clone, Debug, PartialEq)]
pub struct Exponential {
    alpha0: f64,
    gamma: f64,
    unit: StepUnit,
}

impl Exponential {
    /// `gamma` in `(0, 1]`; steps per epoch.
    pub fn new(alpha0: f64, gamma: f64) -> Result<Self, ScheduleError> {
        Ok(Self {
            alpha0: validate::rate("exponential", "base_lr", alpha0)?,
            gamma: validate::factor("exponential", "gamma", gamma)?,
            unit: StepUnit::Epoch,
        })
    }

    /// The same schedule stepping per `unit`.
    pub fn with_unit(self, unit: StepUnit) -> Self {
        Self { unit, ..self }
    }
}

impl LrSchedule for Exponential {
    fn unit(&self) -> StepUnit {
        self.unit
    }
    fn lr(&self, t: usize) -> f64 {
        let epoch = t as f64;
        self.gamma.powf(epoch) * self.alpha0
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

    #[test]
    fn hand_derived() {
        // gamma = 0.5, alpha0 = 0.8: 0.8, 0.4, 0.2, 0.1, 0.05 (exact in binary).
        let s = Exponential::new(0.8, 0.5).unwrap();
        assert_lr_sequence(&sequence(&s, 5), &[0.8, 0.4, 0.2, 0.1, 0.05]);
        // gamma = 0.95, alpha0 = 0.2: 0.2, 0.19, 0.1805, 0.171475
        let s = Exponential::new(0.2, 0.95).unwrap();
        assert_lr_sequence(&sequence(&s, 4), &[0.2, 0.19, 0.1805, 0.171475]);
    }

    #[test]
    fn rejects_gamma_outside_unit_interval() {
        for gamma in [0.0, -0.1, 1.01, f64::NAN] {
            let e = Exponential::new(0.1, gamma).unwrap_err();
            assert!(e.to_string().contains("`gamma`"), "{e}");
        }
    }
}
