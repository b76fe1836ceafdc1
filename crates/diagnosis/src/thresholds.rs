//! `Thresholds`: every number a verdict compares against, with its default.
//!
//! ```text
//! start      = median of the first three losses (training's; validation's if no training loss),
//!              at most ln C for a classifier of C classes   (a blown-up first epoch is no progress)
//! scale      = |start|                                   (the loss scale)
//! tail       = last max(min_tail, ceil(tail_fraction * n)) epochs
//! slope(x)   = least-squares slope of x over the tail, per epoch, divided by scale
//! se         = sqrt(e_val (1 - e_val) / n_val)           binomial standard error of the validation error
//! high bias      (underfitting): train_error - bayes_error > max_avoidable_bias
//! high variance  (overfitting):  val_error - train_error > max_variance + noise_z * se
//! ```

use serde::{Deserialize, Serialize};

use crate::DiagnosisError;

/// The thresholds of [`crate::diagnose`] and [`crate::bias_variance`]. Read from TOML / JSON
/// with every field optional (`#[serde(default)]`).
///
/// ```
/// use trainlab_diagnosis::Thresholds;
///
/// let t = Thresholds { overfit_rise: 0.2, ..Thresholds::default() };
/// assert!(t.validate().is_ok());
/// assert!(Thresholds { tail_fraction: 2.0, ..t }.validate().is_err());
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Thresholds {
    /// Fewer epochs than this give only [`crate::VerdictKind::TooShort`]. Default: 3.
    pub min_epochs: usize,
    /// Share of the epochs that form "the end" of a run. Default: 0.2.
    pub tail_fraction: f64,
    /// The end of a run is at least this many epochs. Default: 3.
    pub min_tail: usize,
    /// Diverging: a training loss above `explode_factor * ` the first one "explodes".
    /// Default: 3.0.
    pub explode_factor: f64,
    /// Not learning / validation not improving from the start: the loss never dropped by more
    /// than this share of its first value. Default: 0.01 (1%).
    pub flat_drop: f64,
    /// Still falling: a loss whose tail slope is below `-still_falling` (share of the loss scale
    /// per epoch) is still going down; `|slope| <= still_falling` is settled. Default: 0.005.
    pub still_falling: f64,
    /// Overfitting: the validation loss at the end (mean of the last `min_tail` epochs) is more
    /// than this share above its minimum. Default: 0.1 (10%).
    pub overfit_rise: f64,
    /// Validation better than training: mean validation tail below
    /// `(1 - val_better_margin) *` mean training tail. Default: 0.1.
    pub val_better_margin: f64,
    /// Not learning: a flat loss whose final training error (`1 - accuracy`) is at most this is
    /// an already trained model (a resumed run), not a stuck one. Default: 0.1.
    pub high_train_error: f64,
    /// Unstable: share of the training loss's total movement that went up
    /// (`sum(max(d, 0)) / sum(|d|)` over epoch-to-epoch changes `d`) above this... Default: 0.25.
    pub unstable_rise_share: f64,
    /// ...and share of consecutive changes that flip sign above this... Default: 0.4.
    pub unstable_sign_flips: f64,
    /// ...and the rises average more than this share of the starting loss. Default: 0.05.
    pub unstable_jump: f64,
    /// The Bayes (ground-truth, e.g. human) error used with error curves. Default: 0.0.
    pub bayes_error: f64,
    /// High bias (underfitting): avoidable bias (`train_error - bayes_error`) above this.
    /// Default: 0.02.
    pub max_avoidable_bias: f64,
    /// High variance (overfitting): variance (`val_error - train_error`) above this plus
    /// `noise_z` standard errors of the validation error. Default: 0.02.
    pub max_variance: f64,
    /// How many binomial standard errors of the validation error a gap must exceed
    /// `max_variance` by (with a known number of validation samples), and how far above 1/C an
    /// accuracy may be and still be at chance. Default: 2.0.
    pub noise_z: f64,
    /// At chance: a loss within this share of ln C of ln C, or (without a number of validation
    /// samples) an accuracy at most this above 1/C. Default: 0.03.
    pub chance_margin: f64,
}

impl Default for Thresholds {
    fn default() -> Self {
        Self {
            min_epochs: 3,
            tail_fraction: 0.2,
            min_tail: 3,
            explode_factor: 3.0,
            flat_drop: 0.01,
            still_falling: 0.005,
            overfit_rise: 0.1,
            val_better_margin: 0.1,
            high_train_error: 0.1,
            unstable_rise_share: 0.25,
            unstable_sign_flips: 0.4,
            unstable_jump: 0.05,
            bayes_error: 0.0,
            max_avoidable_bias: 0.02,
            max_variance: 0.02,
            noise_z: 2.0,
            chance_margin: 0.03,
        }
    }
}

impl Thresholds {
    /// Checks every field's range; [`crate::diagnose`] does not need it (it never panics), but a
    /// configuration read from a file should be checked once.
    pub fn validate(&self) -> Result<(), DiagnosisError> {
        let fail = |field: &'static str, value: f64, expected: &'static str| {
            Err(DiagnosisError::InvalidField {
                config: "thresholds",
                field,
                value: value.to_string(),
                expected,
            })
        };
        let share = |field, x: f64| {
            if (0.0..=1.0).contains(&x) {
                Ok(())
            } else {
                fail(field, x, "a share in [0, 1]")
            }
        };
        let non_negative = |field, x: f64| {
            if x >= 0.0 && x.is_finite() {
                Ok(())
            } else {
                fail(field, x, "a finite number >= 0")
            }
        };
        if self.min_epochs < 2 {
            return fail("min_epochs", self.min_epochs as f64, "at least 2");
        }
        if self.min_tail < 2 {
            return fail("min_tail", self.min_tail as f64, "at least 2");
        }
        if !(self.explode_factor > 1.0 && self.explode_factor.is_finite()) {
            return fail("explode_factor", self.explode_factor, "a finite factor > 1");
        }
        share("tail_fraction", self.tail_fraction)?;
        share("flat_drop", self.flat_drop)?;
        non_negative("still_falling", self.still_falling)?;
        non_negative("overfit_rise", self.overfit_rise)?;
        share("val_better_margin", self.val_better_margin)?;
        share("high_train_error", self.high_train_error)?;
        share("unstable_rise_share", self.unstable_rise_share)?;
        share("unstable_sign_flips", self.unstable_sign_flips)?;
        non_negative("unstable_jump", self.unstable_jump)?;
        share("bayes_error", self.bayes_error)?;
        non_negative("max_avoidable_bias", self.max_avoidable_bias)?;
        non_negative("max_variance", self.max_variance)?;
        non_negative("noise_z", self.noise_z)?;
        share("chance_margin", self.chance_margin)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_valid_and_documented_values() {
        let t = Thresholds::default();
        assert!(t.validate().is_ok());
        assert_eq!((t.min_epochs, t.min_tail), (3, 3));
        assert_eq!(t.overfit_rise, 0.1);
    }

    #[test]
    fn a_partial_json_keeps_the_other_defaults_and_typos_fail() {
        let t: Thresholds = serde_json::from_str(r#"{"max_variance": 0.05}"#).expect("valid");
        assert_eq!(
            t,
            Thresholds {
                max_variance: 0.05,
                ..Thresholds::default()
            }
        );
        assert!(serde_json::from_str::<Thresholds>(r#"{"max_variances": 0.5}"#).is_err());
    }

    #[test]
    fn out_of_range_fields_are_named() {
        let err = Thresholds {
            flat_drop: -0.1,
            ..Thresholds::default()
        }
        .validate()
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "thresholds: field `flat_drop` = -0.1 is invalid, expected a share in [0, 1]"
        );
        let err = Thresholds {
            explode_factor: 1.0,
            ..Thresholds::default()
        }
        .validate()
        .unwrap_err();
        assert!(err.to_string().contains("`explode_factor`"), "{err}");
    }
}
