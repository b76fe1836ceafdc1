//! Multi-step decay: multiply the rate by `gamma` at each milestone.
//!
//! ```text
//! alpha(epoch) = alpha0 * gamma^(number of milestones <= epoch)
//! ```
//!
//! Matches PyTorch's `MultiStepLR(milestones, gamma)` (its closed form). Unlike PyTorch, the
//! milestones must be strictly increasing (PyTorch counts a repeated milestone twice).

use crate::{
    config::{epoch, tenth},
    validate, LrSchedule, ScheduleError, StepUnit,
};
use serde::{Deserialize, Serialize};

/// Parameters of [`MultiStep`] (`kind = "multi_step"`), PyTorch's names.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MultiStepConfig {
    /// Units at which the rate is multiplied by `gamma`, strictly increasing. Required.
    pub milestones: Vec<usize>,
    /// In `(0, 1]`. Default: 0.1.
    #[serde(default = "tenth")]
    pub gamma: f64,
    /// Default: epoch.
    #[serde(default = "epoch")]
    pub unit: StepUnit,
}

impl MultiStepConfig {
    /// Validate and start from `alpha0` (finite, `>= 0`).
    pub fn build(&self, alpha0: f32) -> Result<MultiStep, ScheduleError> {
        let milestones = &self.milestones;
        if milestones.windows(2).any(|w| w[0] >= w[1]) {
            return Err(validate::fail(
                "multi_step",
                "milestones",
                format!("{milestones:?}"),
                "strictly increasing epochs",
            ));
        }
        Ok(MultiStep {
            alpha0: validate::rate("multi_step", "base_lr", alpha0)?,
            milestones: milestones.clone(),
            gamma: validate::factor("multi_step", "gamma", self.gamma)?,
            unit: self.unit,
        })
    }
}

/// `alpha0 * gamma^(#milestones <= t)`.
#[derive(Clone, Debug, PartialEq)]
pub struct MultiStep {
    alpha0: f32,
    milestones: Vec<usize>,
    gamma: f64,
    unit: StepUnit,
}

impl LrSchedule for MultiStep {
    fn unit(&self) -> StepUnit {
        self.unit
    }
    fn lr(&self, t: usize) -> f32 {
        let passed =
            i32::try_from(self.milestones.partition_point(|&m| m <= t)).unwrap_or(i32::MAX);
        (f64::from(self.alpha0) * self.gamma.powi(passed)) as f32
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

    fn multi_step(milestones: Vec<usize>, gamma: f64) -> MultiStepConfig {
        let unit = StepUnit::Epoch;
        MultiStepConfig {
            milestones,
            gamma,
            unit,
        }
    }

    #[test]
    fn hand_derived() {
        // milestones [2, 5], gamma 0.5, alpha0 1: 1, 1, 0.5, 0.5, 0.5, 0.25, 0.25
        let s = multi_step(vec![2, 5], 0.5).build(1.0).unwrap();
        assert_lr_sequence(&sequence(&s, 7), &[1.0, 1.0, 0.5, 0.5, 0.5, 0.25, 0.25]);
    }

    #[test]
    fn rejects_unsorted_milestones() {
        let e = multi_step(vec![5, 2], 0.5).build(1.0).unwrap_err();
        assert!(e.to_string().contains("`milestones`"), "{e}");
    }
}
