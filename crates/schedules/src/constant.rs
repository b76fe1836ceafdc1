//! Constant rate: no decay.
//!
//! ```text
//! alpha(t) = alpha0
//! ```
//!
//! PyTorch: the same as running without a scheduler (not `ConstantLR`, which scales by a factor
//! for a while; use [`crate::LinearWarmup`] with `start_factor == end_factor` for that).

use crate::{validate, LrSchedule, ScheduleError, StepUnit};

/// `alpha(t) = alpha0` for every `t`.
#[derive(Clone, Debug, PartialEq)]
pub struct Constant {
    alpha0: f64,
    unit: StepUnit,
}

impl Constant {
    /// A constant rate `alpha0` (finite, `>= 0`), stepping per epoch.
    pub fn new(alpha0: f64) -> Result<Self, ScheduleError> {
        Ok(Self {
            alpha0: validate::rate("constant", "base_lr", alpha0)?,
            unit: StepUnit::Epoch,
        })
    }

    /// The same schedule stepping per `unit`.
    pub fn with_unit(self, unit: StepUnit) -> Self {
        Self { unit, ..self }
    }
}

impl LrSchedule for Constant {
    fn unit(&self) -> StepUnit {
        self.unit
    }
    fn lr(&self, _t: usize) -> f64 {
        self.alpha0
    }
    fn name(&self) -> &'static str {
        "constant"
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::assert_lr_sequence;
    use crate::sequence;

    #[test]
    fn holds_alpha0() {
        let s = Constant::new(0.3).unwrap();
        assert_lr_sequence(&sequence(&s, 4), &[0.3, 0.3, 0.3, 0.3]);
    }

    #[test]
    fn rejects_negative_rate() {
        let e = Constant::new(-1.0).unwrap_err();
        assert!(e.to_string().contains("`base_lr`"), "{e}");
    }
}
