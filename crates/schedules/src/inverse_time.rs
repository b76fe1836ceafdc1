//! The lecture's inverse-time decay.
//!
//! ```text
//! alpha(epoch) = alpha0 / (1 + decay_rate * epoch)
//! ```
//!
//! `epoch` is the 0-based `t`, so the first epoch trains at `alpha0`. PyTorch has no built-in
//! equivalent; it is `LambdaLR(opt, lambda e: 1 / (1 + decay_rate * e))`.

use crate::{validate, LrSchedule, ScheduleError, StepUnit};

/// `alpha0 / (1 + decay_rate * t)`.
#[derive(Clone, Debug, PartialEq)]
pub struct InverseTime {
    alpha0: f64,
    decay_rate: f64,
    unit: StepUnit,
}

impl InverseTime {
    /// `alpha0 >= 0`, `decay_rate >= 0` (0 gives a constant rate); steps per epoch.
    pub fn new(alpha0: f64, decay_rate: f64) -> Result<Self, ScheduleError> {
        Ok(Self {
            alpha0: validate::rate("inverse_time", "base_lr", alpha0)?,
            decay_rate: validate::non_negative("inverse_time", "decay_rate", decay_rate)?,
            unit: StepUnit::Epoch,
        })
    }

    /// The same schedule stepping per `unit`.
    pub fn with_unit(self, unit: StepUnit) -> Self {
        Self { unit, ..self }
    }
}

impl LrSchedule for InverseTime {
    fn unit(&self) -> StepUnit {
        self.unit
    }
    fn lr(&self, t: usize) -> f64 {
        let epoch = t as f64;
        self.alpha0 / (1.0 + self.decay_rate * epoch)
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

    #[test]
    fn lecture_numbers() {
        // The lecture's table: alpha0 = 0.1, decay_rate = 1 gives 0.1, 0.05, 0.0333.., 0.025.
        let s = InverseTime::new(0.1, 1.0).unwrap();
        assert_lr_sequence(&sequence(&s, 4), &[0.1, 0.05, 0.1 / 3.0, 0.025]);
    }

    #[test]
    fn hand_derived_other_rate() {
        // alpha0 = 0.2, decay_rate = 0.5: 0.2/1, 0.2/1.5, 0.2/2, 0.2/2.5, 0.2/3
        let s = InverseTime::new(0.2, 0.5).unwrap();
        assert_lr_sequence(&sequence(&s, 5), &[0.2, 0.2 / 1.5, 0.1, 0.08, 0.2 / 3.0]);
    }

    #[test]
    fn rejects_negative_decay_rate() {
        let e = InverseTime::new(0.1, -0.5).unwrap_err();
        assert!(e.to_string().contains("`decay_rate`"), "{e}");
    }
}
