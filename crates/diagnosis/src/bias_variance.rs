//! Bias and variance from error levels, with the basic recipe's advice.
//!
//! ```text
//! avoidable_bias = train_error - bayes_error
//! variance       = val_error - train_error
//! se             = sqrt(val_error (1 - val_error) / n_val)    (0 when n_val is unknown)
//! high bias      if avoidable_bias > max_avoidable_bias
//! high variance  if variance > max_variance + noise_z * se
//! focus          = bias if high bias, else variance if high variance, else none
//! ```
//!
//! The basic recipe works in that order: first bring the training error down to the Bayes
//! error (bigger model, train longer, better optimizer), then the validation error down to the
//! training error (more data, augmentation, regularisation, early stopping). PyTorch has no
//! counterpart.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::detectors::lines;
use crate::{Evidence, Thresholds, Verdict, VerdictKind};

/// Which problem the basic recipe tackles first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Focus {
    /// High avoidable bias: fit the training set better first.
    Bias,
    /// Low bias, high variance: generalise better.
    Variance,
    /// Neither is above its threshold.
    Done,
}

/// Avoidable bias and variance from three error levels.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BiasVariance {
    /// The Bayes (ground truth, e.g. human-level) error.
    pub bayes_error: f64,
    /// The training error.
    pub train_error: f64,
    /// The validation error.
    pub val_error: f64,
    /// `train_error - bayes_error`.
    pub avoidable_bias: f64,
    /// `val_error - train_error`.
    pub variance: f64,
    /// `avoidable_bias > max_avoidable_bias`.
    pub high_bias: bool,
    /// The number of validation samples, when known.
    pub n_val: Option<usize>,
    /// The binomial standard error of the validation error, when the number of validation
    /// samples is known.
    pub standard_error: Option<f64>,
    /// What the variance is compared with: `max_variance + noise_z * se`.
    pub variance_limit: f64,
    /// `variance > variance_limit`.
    pub high_variance: bool,
    /// What to work on first.
    pub focus: Focus,
    /// The basic recipe's advice for every problem found, bias first.
    pub advice: Vec<String>,
}

const BIAS_ADVICE: &[&str] = &[
    "high bias: use a bigger model (more units, more layers)",
    "high bias: train longer",
    "high bias: use a better optimizer (momentum, RMSProp, Adam) or tune its learning rate",
];
const VARIANCE_ADVICE: &[&str] = &[
    "high variance: get more training data",
    "high variance: augment the data",
    "high variance: regularise (L2 weight decay, dropout)",
    "high variance: stop early at the validation minimum",
];

/// Bias and variance from error levels (errors in `[0, 1]`, e.g. `1 - accuracy`).
///
/// Never panics: NaN inputs give NaN measures and no advice, a training error below the Bayes
/// error gives a negative avoidable bias (not high).
///
/// ```
/// use trainlab_diagnosis::{bias_variance, Focus, Thresholds};
///
/// // The lecture: ground truth 1%, training 5%, validation 8%.
/// let bv = bias_variance(0.01, 0.05, 0.08, &Thresholds::default());
/// assert!((bv.avoidable_bias - 0.04).abs() < 1e-12);
/// assert!((bv.variance - 0.03).abs() < 1e-12);
/// assert_eq!(bv.focus, Focus::Bias);
/// ```
pub fn bias_variance(
    bayes_error: f64,
    train_error: f64,
    val_error: f64,
    t: &Thresholds,
) -> BiasVariance {
    BiasVariance::judge(bayes_error, train_error, val_error, None, t)
}

/// The binomial standard error `sqrt(e (1 - e) / n)` of an error rate `e` measured on `n`
/// samples.
pub(crate) fn standard_error(e: f64, n: usize) -> f64 {
    (e * (1.0 - e) / n.max(1) as f64).max(0.0).sqrt()
}

impl BiasVariance {
    /// Bias and variance with the validation error measured on `n_val` samples: the variance is
    /// high only when it exceeds `max_variance` by more than `noise_z` binomial standard errors
    /// of the validation error (the lecture's rule with sampling noise; [`bias_variance`] is
    /// the rule without it).
    ///
    /// ```
    /// use trainlab_diagnosis::{BiasVariance, Thresholds};
    ///
    /// // 0.07% vs 2.2% on 360 validation samples: se = sqrt(0.022 * 0.978 / 360) = 0.0077,
    /// // limit 2% + 2 x 0.77% = 3.5% > variance 2.13%: within the noise.
    /// let bv = BiasVariance::judge(0.0, 0.0007, 0.022, Some(360), &Thresholds::default());
    /// assert!(!bv.high_variance);
    /// assert!((bv.variance_limit - 0.03546).abs() < 1e-4);
    /// ```
    pub fn judge(
        bayes_error: f64,
        train_error: f64,
        val_error: f64,
        n_val: Option<usize>,
        t: &Thresholds,
    ) -> BiasVariance {
        // BEGIN SOLUTION
        let avoidable_bias = train_error - bayes_error;
        let variance = val_error - train_error;
        let se = n_val.map(|n| standard_error(val_error, n));
        let variance_limit = t.max_variance + t.noise_z * se.unwrap_or(0.0);
        let high_bias = avoidable_bias > t.max_avoidable_bias;
        let high_variance = variance > variance_limit;
        let focus = if high_bias {
            Focus::Bias
        } else if high_variance {
            Focus::Variance
        } else {
            Focus::Done
        };
        let mut advice = Vec::new();
        if high_bias {
            advice.extend(lines(BIAS_ADVICE));
        }
        if high_variance {
            advice.extend(lines(VARIANCE_ADVICE));
        }
        BiasVariance {
            bayes_error,
            train_error,
            val_error,
            avoidable_bias,
            variance,
            n_val,
            standard_error: se,
            variance_limit,
            high_bias,
            high_variance,
            focus,
            advice,
        }
        // STUB: let _ = (bayes_error, train_error, val_error, n_val, t, standard_error);
        // STUB: let _ = (lines, BIAS_ADVICE, VARIANCE_ADVICE);
        // STUB: let _ = [Focus::Bias, Focus::Variance, Focus::Done];
        // STUB: todo!("exercise 07: the student release has no reference bias / variance judgement; yours is in exercises/07_learning_curves")
        // END SOLUTION
    }

    /// The explanation in the lecture's words.
    pub fn explanation(&self) -> String {
        let pct = |x: f64| format!("{:.1}%", x * 100.0);
        let levels = format!(
            "Bayes error {}, training error {}, validation error {}: avoidable bias {} (training \
             minus Bayes), variance {} (validation minus training).",
            pct(self.bayes_error),
            pct(self.train_error),
            pct(self.val_error),
            pct(self.avoidable_bias),
            pct(self.variance)
        );
        let what = match (self.high_bias, self.high_variance) {
            (true, true) => {
                "Both are high; the basic recipe fixes bias first (fit the training set), then \
                 variance (generalise)."
            }
            (true, false) => "The avoidable bias dominates: the model underfits the training set.",
            (false, true) => {
                "Bias is low but the variance is high: the model does not generalise from the \
                 training set."
            }
            (false, false) => "Both are small: the model is close to the best achievable.",
        };
        format!("{levels} {what}")
    }

    /// This analysis as a [`Verdict`] of kind [`VerdictKind::BiasVariance`].
    pub fn to_verdict(&self) -> Verdict {
        Verdict {
            kind: VerdictKind::BiasVariance {
                avoidable_bias: self.avoidable_bias,
                variance: self.variance,
            },
            evidence: {
                let mut e = vec![
                    Evidence::new("Bayes error", self.bayes_error),
                    Evidence::new("training error", self.train_error),
                    Evidence::new("validation error", self.val_error),
                    Evidence::new("avoidable bias", self.avoidable_bias),
                    Evidence::new("variance", self.variance),
                ];
                match (self.standard_error, self.n_val) {
                    (Some(se), Some(n)) => e.push(Evidence::new(
                        format!("standard error of the validation error (binomial, n_val = {n})"),
                        se,
                    )),
                    _ => e.push(Evidence {
                        what: "n_val unknown: the variance is not compared with the sampling noise"
                            .to_string(),
                        value: None,
                        epoch: None,
                    }),
                }
                e.push(Evidence::new(
                    "variance limit (max_variance + noise_z x standard error)",
                    self.variance_limit,
                ));
                e
            },
            explanation: self.explanation(),
            advice: self.advice.clone(),
        }
    }
}

impl fmt::Display for BiasVariance {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.to_verdict())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tolerance::assert_close;

    #[test]
    fn the_lectures_example_1_5_8() {
        // Ground truth 1%, training 5%, validation 8% -> avoidable bias 5 - 1 = 4%,
        // variance 8 - 5 = 3%. Both above 2%: bias first (the basic recipe), then variance.
        let bv = bias_variance(0.01, 0.05, 0.08, &Thresholds::default());
        assert_close(bv.avoidable_bias, 0.04);
        assert_close(bv.variance, 0.03);
        assert!(bv.high_bias && bv.high_variance);
        assert_eq!(bv.focus, Focus::Bias);
        assert_eq!(bv.advice.len(), BIAS_ADVICE.len() + VARIANCE_ADVICE.len());
        assert!(bv.advice[0].contains("bigger model"));
        assert!(bv.advice[1].contains("train longer"));
        assert!(bv.advice.iter().any(|a| a.contains("more training data")));
        assert!(bv.advice.iter().any(|a| a.contains("regularise")));
        let text = bv.to_string();
        assert!(
            text.starts_with("bias variance (avoidable bias 4.0%, variance 3.0%): "),
            "{text}"
        );
        assert!(text.contains("Bayes error 1.0%, training error 5.0%, validation error 8.0%"));
    }

    #[test]
    fn a_higher_bayes_error_shifts_the_focus_to_variance() {
        // Bayes 7.5%, training 8%, validation 10.5% -> avoidable bias 0.5% (not above 2%),
        // variance 2.5% (above 2%): variance is the problem.
        let bv = bias_variance(0.075, 0.08, 0.105, &Thresholds::default());
        assert_close(bv.avoidable_bias, 0.005);
        assert_close(bv.variance, 0.025);
        assert_eq!(bv.focus, Focus::Variance);
        assert!(bv.advice.iter().all(|a| a.starts_with("high variance")));
    }

    #[test]
    fn small_bias_and_variance_is_done() {
        let bv = bias_variance(0.01, 0.015, 0.02, &Thresholds::default());
        assert_eq!(bv.focus, Focus::Done);
        assert!(bv.advice.is_empty());
    }

    #[test]
    fn nan_gives_no_advice_and_no_panic() {
        let bv = bias_variance(0.0, f64::NAN, 0.1, &Thresholds::default());
        assert!(bv.avoidable_bias.is_nan());
        assert_eq!(bv.focus, Focus::Done);
    }
}
