//! The lecture's inverse-time decay.
//!
//! ```text
//! alpha(epoch) = alpha0 / (1 + decay_rate * epoch)
//! ```
//!
//! `epoch` is the 0-based `t`, so the first epoch trains at `alpha0`. PyTorch has no built-in
//! equivalent; it is `LambdaLR(opt, lambda e: 1 / (1 + decay_rate * e))`.

use crate::{validate, LrSchedule, ScheduleError, StepUnit};
use serde::{Deserialize, Serialize};

/// Parameters of [`InverseTime`] (`kind = "inverse_time"`).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct InverseTimeConfig {
    /// `>= 0` (0 gives a constant rate). Default: 1.
    pub decay_rate: f64,
    /// Default: epoch.
    pub unit: StepUnit,
}

impl Default for InverseTimeConfig {
    fn default() -> Self {
        Self {
            decay_rate: 1.0,
            unit: StepUnit::Epoch,
        }
    }
}

impl InverseTimeConfig {
    /// Validate and start from `alpha0` (finite, `>= 0`).
    pub fn build(&self, alpha0: f32) -> Result<InverseTime, ScheduleError> {
        Ok(InverseTime {
            alpha0: validate::rate("inverse_time", "base_lr", alpha0)?,
            decay_rate: validate::non_negative("inverse_time", "decay_rate", self.decay_rate)?,
            unit: self.unit,
        })
    }
}

/// `alpha0 / (1 + decay_rate * t)`.
#[derive(Clone, Debug, PartialEq)]
pub struct InverseTime {
    alpha0: f32,
    decay_rate: f64,
    unit: StepUnit,
}

impl LrSchedule for InverseTime {
    fn unit(&self) -> StepUnit {
        self.unit
    }
    fn lr(&self, t: usize) -> f32 {
        // BEGIN SOLUTION
        let epoch = t as f64;
        (f64::from(self.alpha0) / (1.0 + self.decay_rate * epoch)) as f32
        // STUB: let _ = (self.alpha0, self.decay_rate, t);
        // STUB: todo!("exercise 04: the student release has no reference inverse-time decay; yours is in exercises/04_lr_decay")
        // END SOLUTION
    }
    fn name(&self) -> &'static str {
        "inverse_time"
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::assert_lr_sequence;
    use crate::sequence;

    fn inverse_time(alpha0: f32, decay_rate: f64) -> InverseTime {
        let config = InverseTimeConfig {
            decay_rate,
            ..Default::default()
        };
        config.build(alpha0).unwrap()
    }

    #[test]
    fn lecture_numbers() {
        // The lecture's table: alpha0 = 0.1, decay_rate = 1 gives 0.1, 0.05, 0.0333.., 0.025.
        let s = inverse_time(0.1, 1.0);
        assert_lr_sequence(&sequence(&s, 4), &[0.1, 0.05, 0.1 / 3.0, 0.025]);
    }

    #[test]
    fn hand_derived_other_rate() {
        // alpha0 = 0.2, decay_rate = 0.5: 0.2/1, 0.2/1.5, 0.2/2, 0.2/2.5, 0.2/3
        let s = inverse_time(0.2, 0.5);
        assert_lr_sequence(&sequence(&s, 5), &[0.2, 0.2 / 1.5, 0.1, 0.08, 0.2 / 3.0]);
    }

    #[test]
    fn rejects_negative_decay_rate() {
        let config = InverseTimeConfig {
            decay_rate: -0.5,
            ..Default::default()
        };
        let e = config.build(0.1).unwrap_err();
        assert!(e.to_string().contains("`decay_rate`"), "{e}");
    }
}
