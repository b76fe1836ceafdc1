//! Multi-step decay: multiply the rate by `gamma` at each milestone.
//!
//! ```text
//! alpha(epoch) = alpha0 * gamma^(number of milestones <= epoch)
//! ```
//!
//! Matches PyTorch's `MultiStepLR(milestones, gamma)` (its closed form). Unlike PyTorch, the
//! milestones must be strictly increasing (PyTorch counts a repeated milestone twice).

use crate::{validate, LrSchedule, ScheduleError, StepUnit};

/// `alpha0 * gamma^(#milestones <= t)`.
#[derive(Clone, Debug, PartialEq)]
pub struct MultiStep {
    alpha0: f64,
    milestones: Vec<usize>,
    gamma: f64,
    unit: StepUnit,
}

impl MultiStep {
    /// `milestones` strictly increasing, `gamma` in `(0, 1]`; steps per epoch.
    pub fn new(alpha0: f64, milestones: Vec<usize>, gamma: f64) -> Result<Self, ScheduleError> {
        if milestones.windows(2).any(|w| w[0] >= w[1]) {
            return Err(validate::fail(
                "multi_step",
                "milestones",
                format!("{milestones:?}"),
                "strictly increasing epochs",
            ));
        }
        Ok(Self {
            alpha0: validate::rate("multi_step", "base_lr", alpha0)?,
            milestones,
            gamma: validate::factor("multi_step", "gamma", gamma)?,
            unit: StepUnit::Epoch,
        })
    }

    /// The same schedule stepping per `unit`.
    pub fn with_unit(self, unit: StepUnit) -> Self {
        Self { unit, ..self }
    }
}

impl LrSchedule for MultiStep {
    fn unit(&self) -> StepUnit {
        self.unit
    }
    fn lr(&self, t: usize) -> f64 {
        let passed = self.milestones.partition_point(|&m| m <= t) as i32;
        self.alpha0 * self.gamma.powi(passed)
    }
    fn name(&self) -> &'static str {
        "multi_step"
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::assert_lr_sequence;
    use crate::sequence;

    #[test]
    fn hand_derived() {
        // milestones [2, 5], gamma 0.5, alpha0 1: 1, 1, 0.5, 0.5, 0.5, 0.25, 0.25
        let s = MultiStep::new(1.0, vec![2, 5], 0.5).unwrap();
        assert_lr_sequence(&sequence(&s, 7), &[1.0, 1.0, 0.5, 0.5, 0.5, 0.25, 0.25]);
    }

    #[test]
    fn rejects_unsorted_milestones() {
        let e = MultiStep::new(1.0, vec![5, 2], 0.5).unwrap_err();
        assert!(e.to_string().contains("`milestones`"), "{e}");
    }
}
