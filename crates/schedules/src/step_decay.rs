//! Step decay: multiply the rate by a factor every `step_size` epochs.
//!
//! ```text
//! lecture:  every n epochs: alpha = alpha - t * alpha        (i.e. alpha *= 1 - t)
//! closed:   alpha(epoch) = alpha0 * gamma^(epoch / step_size)   (integer division, gamma = 1 - t)
//! ```
//!
//! Matches PyTorch's `StepLR(step_size, gamma)` (its closed form); PyTorch's default
//! `gamma = 0.1` corresponds to the lecture's `t = 0.9`.

use crate::{
    config::{epoch, tenth},
    validate, LrSchedule, ScheduleError, StepUnit,
};
use serde::{Deserialize, Serialize};

/// Parameters of [`StepDecay`] (`kind = "step_decay"`), PyTorch's names.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StepDecayConfig {
    /// The factor applied every `step_size` units, in `(0, 1]`. Default: 0.1.
    #[serde(default = "tenth")]
    pub gamma: f64,
    /// Units between drops, `>= 1`. Required.
    pub step_size: usize,
    /// Default: epoch.
    #[serde(default = "epoch")]
    pub unit: StepUnit,
}

impl StepDecayConfig {
    /// The lecture's parameters: `alpha = alpha - drop * alpha` every `n` epochs, `drop` in
    /// `[0, 1)` (the lecture's `t`), i.e. `gamma = 1 - drop`, `step_size = n`.
    pub fn lecture(drop: f64, n: usize) -> Result<Self, ScheduleError> {
        if !(0.0..1.0).contains(&drop) {
            return Err(validate::fail(
                "step_decay",
                "drop",
                drop,
                "a fraction in [0, 1)",
            ));
        }
        Ok(Self {
            gamma: 1.0 - drop,
            step_size: n,
            unit: StepUnit::Epoch,
        })
    }

    /// Validate and start from `alpha0` (finite, `>= 0`).
    pub fn build(&self, alpha0: f32) -> Result<StepDecay, ScheduleError> {
        Ok(StepDecay {
            alpha0: validate::rate("step_decay", "base_lr", alpha0)?,
            gamma: validate::factor("step_decay", "gamma", self.gamma)?,
            step_size: validate::count("step_decay", "step_size", self.step_size)?,
            unit: self.unit,
        })
    }
}

/// `alpha0 * gamma^(t / step_size)`.
#[derive(Clone, Debug, PartialEq)]
pub struct StepDecay {
    alpha0: f32,
    gamma: f64,
    step_size: usize,
    unit: StepUnit,
}

impl LrSchedule for StepDecay {
    fn unit(&self) -> StepUnit {
        self.unit
    }
    fn lr(&self, t: usize) -> f32 {
        // BEGIN SOLUTION
        let drops = i32::try_from(t / self.step_size).unwrap_or(i32::MAX);
        (f64::from(self.alpha0) * self.gamma.powi(drops)) as f32
        // STUB: let _ = (self.alpha0, self.gamma, self.step_size, t);
        // STUB: todo!("exercise 04: the student release has no reference step decay; yours is in exercises/04_lr_decay")
        // END SOLUTION
    }
    fn name(&self) -> &'static str {
        "step_decay"
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::assert_lr_sequence;
    use crate::sequence;

    fn step_decay(gamma: f64, step_size: usize) -> StepDecayConfig {
        let unit = StepUnit::Epoch;
        StepDecayConfig {
            gamma,
            step_size,
            unit,
        }
    }

    #[test]
    fn lecture_rule_applied_by_hand() {
        // alpha0 = 0.1, t = 0.5, n = 3. Applying `alpha = alpha - t * alpha` at epochs 3 and 6:
        // epochs 0..2: 0.1; epochs 3..5: 0.1 - 0.05 = 0.05; epochs 6..7: 0.05 - 0.025 = 0.025.
        let s = StepDecayConfig::lecture(0.5, 3)
            .unwrap()
            .build(0.1)
            .unwrap();
        assert_lr_sequence(
            &sequence(&s, 8),
            &[0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.025, 0.025],
        );
    }

    #[test]
    fn gamma_one_is_constant() {
        let s = step_decay(1.0, 2).build(0.1).unwrap();
        assert_lr_sequence(&sequence(&s, 5), &[0.1; 5]);
    }

    #[test]
    fn rejects_bad_fields() {
        let e = step_decay(1.5, 2).build(0.1).unwrap_err();
        assert!(
            e.to_string().contains("`gamma`") && e.to_string().contains("(0, 1]"),
            "{e}"
        );
        let e = step_decay(0.5, 0).build(0.1).unwrap_err();
        assert!(e.to_string().contains("`step_size`"), "{e}");
        let e = StepDecayConfig::lecture(1.0, 2).unwrap_err();
        assert!(e.to_string().contains("`drop`"), "{e}");
    }
}
