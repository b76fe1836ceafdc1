//! Step decay: multiply the rate by a factor every `step_size` epochs.
//!
//! ```text
//! lecture:  every n epochs: alpha = alpha - t * alpha        (i.e. alpha *= 1 - t)
//! closed:   alpha(epoch) = alpha0 * gamma^(epoch / step_size)   (integer division, gamma = 1 - t)
//! ```
//!
//! Matches PyTorch's `StepLR(step_size, gamma)` (its closed form); PyTorch's default
//! `gamma = 0.1` corresponds to the lecture's `t = 0.9`.

use crate::{validate, LrSchedule, ScheduleError, StepUnit};

/// `alpha0 * gamma^(t / step_size)`.
#[derive(Clone, Debug, PartialEq)]
pub struct StepDecay {
    alpha0: f64,
    gamma: f64,
    step_size: usize,
    unit: StepUnit,
}

impl StepDecay {
    /// PyTorch's parameters: multiply by `gamma` in `(0, 1]` every `step_size >= 1` epochs.
    pub fn new(alpha0: f64, gamma: f64, step_size: usize) -> Result<Self, ScheduleError> {
        Ok(Self {
            alpha0: validate::rate("step_decay", "base_lr", alpha0)?,
            gamma: validate::factor("step_decay", "gamma", gamma)?,
            step_size: validate::count("step_decay", "step_size", step_size)?,
            unit: StepUnit::Epoch,
        })
    }

    /// The lecture's parameters: `alpha = alpha - drop * alpha` every `n` epochs, `drop` in
    /// `[0, 1)` (the lecture's `t`).
    pub fn lecture(alpha0: f64, drop: f64, n: usize) -> Result<Self, ScheduleError> {
        if !(0.0..1.0).contains(&drop) {
            return Err(validate::fail(
                "step_decay",
                "drop",
                drop,
                "a fraction in [0, 1)",
            ));
        }
        Self::new(alpha0, 1.0 - drop, n)
    }

    /// The same schedule stepping per `unit`.
    pub fn with_unit(self, unit: StepUnit) -> Self {
        Self { unit, ..self }
    }
}

impl LrSchedule for StepDecay {
    fn unit(&self) -> StepUnit {
        self.unit
    }
    fn lr(&self, t: usize) -> f64 {
        let drops = (t / self.step_size) as i32;
        self.alpha0 * self.gamma.powi(drops)
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

    #[test]
    fn lecture_rule_applied_by_hand() {
        // alpha0 = 0.1, t = 0.5, n = 3. Applying `alpha = alpha - t * alpha` at epochs 3 and 6:
        // epochs 0..2: 0.1; epochs 3..5: 0.1 - 0.05 = 0.05; epochs 6..7: 0.05 - 0.025 = 0.025.
        let s = StepDecay::lecture(0.1, 0.5, 3).unwrap();
        assert_lr_sequence(
            &sequence(&s, 8),
            &[0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.025, 0.025],
        );
    }

    #[test]
    fn gamma_one_is_constant() {
        let s = StepDecay::new(0.1, 1.0, 2).unwrap();
        assert_lr_sequence(&sequence(&s, 5), &[0.1; 5]);
    }

    #[test]
    fn rejects_bad_fields() {
        let e = StepDecay::new(0.1, 1.5, 2).unwrap_err();
        assert!(
            e.to_string().contains("`gamma`") && e.to_string().contains("(0, 1]"),
            "{e}"
        );
        let e = StepDecay::new(0.1, 0.5, 0).unwrap_err();
        assert!(e.to_string().contains("`step_size`"), "{e}");
        let e = StepDecay::lecture(0.1, 1.0, 2).unwrap_err();
        assert!(e.to_string().contains("`drop`"), "{e}");
    }
}
