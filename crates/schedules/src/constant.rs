//! Constant rate: no decay.
//!
//! ```text
//! alpha(t) = alpha0
//! ```
//!
//! PyTorch: the same as running without a scheduler (not `ConstantLR`, which scales by a factor
//! for a while; use [`crate::LinearWarmup`] with `start_factor == end_factor` for that).

use crate::{validate, LrSchedule, ScheduleError, StepUnit};
use serde::{Deserialize, Serialize};

/// Parameters of [`Constant`] (`kind = "constant"`).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ConstantConfig {
    /// Default: epoch.
    pub unit: StepUnit,
}

impl Default for ConstantConfig {
    fn default() -> Self {
        Self {
            unit: StepUnit::Epoch,
        }
    }
}

impl ConstantConfig {
    /// The constant rate `alpha0` (finite, `>= 0`).
    pub fn build(&self, alpha0: f32) -> Result<Constant, ScheduleError> {
        Ok(Constant {
            alpha0: validate::rate("constant", "base_lr", alpha0)?,
            unit: self.unit,
        })
    }
}

/// `alpha(t) = alpha0` for every `t`.
#[derive(Clone, Debug, PartialEq)]
pub struct Constant {
    alpha0: f32,
    unit: StepUnit,
}

impl LrSchedule for Constant {
    fn unit(&self) -> StepUnit {
        self.unit
    }
    fn lr(&self, _t: usize) -> f32 {
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
        let s = ConstantConfig::default().build(0.3).unwrap();
        assert_lr_sequence(&sequence(&s, 4), &[0.3, 0.3, 0.3, 0.3]);
    }

    #[test]
    fn rejects_negative_rate() {
        let e = ConstantConfig::default().build(-1.0).unwrap_err();
        assert!(e.to_string().contains("`base_lr`"), "{e}");
    }
}
