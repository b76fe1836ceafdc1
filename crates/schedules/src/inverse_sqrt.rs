//! The lecture's inverse-square-root decay.
//!
//! ```text
//! alpha(0)     = alpha0                       (the formula divides by zero there)
//! alpha(epoch) = k / sqrt(epoch) * alpha0     for epoch >= 1
//! ```
//!
//! Epochs are counted from 0 as in every other schedule of this crate, and epoch 0 trains at
//! `alpha0`; from epoch 1 on the lecture's formula applies unchanged (with `k = 1` epochs 0 and
//! 1 both use `alpha0`). PyTorch has no built-in equivalent (`LambdaLR` with this lambda).

use crate::{validate, LrSchedule, ScheduleError, StepUnit};
use serde::{Deserialize, Serialize};

/// Parameters of [`InverseSqrt`] (`kind = "inverse_sqrt"`).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct InverseSqrtConfig {
    /// The lecture's constant, `> 0`. Default: 1.
    pub k: f64,
    /// Default: epoch.
    pub unit: StepUnit,
}

impl Default for InverseSqrtConfig {
    fn default() -> Self {
        Self {
            k: 1.0,
            unit: StepUnit::Epoch,
        }
    }
}

impl InverseSqrtConfig {
    /// Validate and start from `alpha0` (finite, `>= 0`).
    pub fn build(&self, alpha0: f32) -> Result<InverseSqrt, ScheduleError> {
        Ok(InverseSqrt {
            alpha0: validate::rate("inverse_sqrt", "base_lr", alpha0)?,
            k: validate::positive("inverse_sqrt", "k", self.k)?,
            unit: self.unit,
        })
    }
}

/// `k / sqrt(t) * alpha0`, and `alpha0` at `t = 0`.
#[derive(Clone, Debug, PartialEq)]
pub struct InverseSqrt {
    alpha0: f32,
    k: f64,
    unit: StepUnit,
}

impl LrSchedule for InverseSqrt {
    fn unit(&self) -> StepUnit {
        self.unit
    }
    fn lr(&self, t: usize) -> f32 {
        // BEGIN SOLUTION
        if t == 0 {
            return self.alpha0;
        }
        let epoch = t as f64;
        (self.k / epoch.sqrt() * f64::from(self.alpha0)) as f32
        // STUB: let _ = (self.alpha0, self.k, t);
        // STUB: todo!("exercise 04: the student release has no reference inverse-square-root decay; yours is in exercises/04_lr_decay")
        // END SOLUTION
    }
    fn name(&self) -> &'static str {
        "inverse_sqrt"
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::assert_lr_sequence;
    use crate::sequence;

    fn inverse_sqrt(alpha0: f32, k: f64) -> Result<InverseSqrt, ScheduleError> {
        let config = InverseSqrtConfig {
            k,
            ..Default::default()
        };
        config.build(alpha0)
    }

    #[test]
    fn epoch_zero_uses_alpha0() {
        let s = inverse_sqrt(0.1, 0.5).unwrap();
        assert_eq!(s.lr(0), 0.1);
        assert!(s.lr(0).is_finite());
    }

    #[test]
    fn hand_derived() {
        // k = 1, alpha0 = 0.1: epoch 0 -> 0.1 (by definition); 1 -> 0.1/1; 4 -> 0.1/2;
        // 9 -> 0.1/3; 16 -> 0.1/4.
        let s = inverse_sqrt(0.1, 1.0).unwrap();
        let got: Vec<f32> = [0, 1, 4, 9, 16].iter().map(|&t| s.lr(t)).collect();
        assert_lr_sequence(&got, &[0.1, 0.1, 0.05, 0.1 / 3.0, 0.025]);
        // k = 0.5, alpha0 = 0.2: 0.2, 0.1, 0.1/sqrt(2) = 0.0707106781186547...
        let s = inverse_sqrt(0.2, 0.5).unwrap();
        assert_lr_sequence(&sequence(&s, 3), &[0.2, 0.1, 0.070_710_678_118_654_75]);
    }

    #[test]
    fn rejects_non_positive_k() {
        let e = inverse_sqrt(0.1, 0.0).unwrap_err();
        assert!(e.to_string().contains("`k`"), "{e}");
    }
}
