//! `diagnose`: run every detector on a set of curves and order the verdicts.
//!
//! ```text
//! 1. diverging (NaN / inf / train loss > explode_factor * first)  -> [Diverging], stop
//! 2. fewer than min_epochs epochs                                 -> [TooShort], stop
//! 3. training loss flat from the start                            -> [NotLearning], stop
//! 4. overfitting, else validation-not-improving, else large gap;
//!    underfitting; unstable; validation better than training;
//!    bias/variance when both error curves are present
//! 5. good fit when 4 found no problem
//! ```
//!
//! PyTorch has no counterpart; the verdicts follow the lecture's learning-curve slides.

use crate::detectors::{
    diverging, gap, good_fit, not_learning, overfitting, underfitting, unstable,
    validation_not_improving,
};
use crate::measures::{slope, tail_len};
use crate::{bias_variance, Curves, Evidence, Thresholds, Verdict, VerdictKind};

/// What every detector reads: the curves, the thresholds, and the measures derived from both.
pub(crate) struct Context<'a> {
    /// The curves being judged.
    pub curves: &'a Curves,
    /// The thresholds.
    pub t: &'a Thresholds,
    /// The loss scale: `|first training loss|` (validation's without training loss), at least
    /// `f64::MIN_POSITIVE`.
    pub scale: f64,
}

impl<'a> Context<'a> {
    pub(crate) fn new(curves: &'a Curves, t: &'a Thresholds) -> Context<'a> {
        let first = curves
            .train_loss
            .first()
            .or(curves.val_loss.first())
            .copied()
            .unwrap_or(1.0);
        Context {
            curves,
            t,
            scale: first.abs().max(f64::MIN_POSITIVE),
        }
    }

    /// The training loss, or the validation loss when there is no training loss.
    pub(crate) fn primary(&self) -> &'a [f64] {
        if self.curves.train_loss.is_empty() {
            &self.curves.val_loss
        } else {
            &self.curves.train_loss
        }
    }

    /// The last epochs of `x` (see [`tail_len`]).
    pub(crate) fn tail<'x>(&self, x: &'x [f64]) -> &'x [f64] {
        let n = tail_len(x.len(), self.t.tail_fraction, self.t.min_tail);
        &x[x.len() - n..]
    }

    /// The tail slope of `x` as a share of the loss scale per epoch.
    pub(crate) fn tail_slope(&self, x: &[f64]) -> f64 {
        slope(self.tail(x)) / self.scale
    }

    /// The epoch label of row `i`.
    pub(crate) fn epoch(&self, i: usize) -> f64 {
        self.curves.epoch_label(i)
    }

    /// The epoch label of the last row of a series of `n`.
    pub(crate) fn last_epoch(&self, n: usize) -> f64 {
        self.epoch(n.saturating_sub(1))
    }
}

/// All verdicts on `curves`, most severe first. Never panics: empty, short, ragged or
/// non-finite series give [`crate::VerdictKind::TooShort`] or
/// [`crate::VerdictKind::Diverging`].
///
/// ```
/// use trainlab_diagnosis::{diagnose, Curves, Thresholds, VerdictKind};
///
/// // Validation minimum at epoch 3, then up by a third while training keeps falling.
/// let c = Curves::from_losses(
///     vec![2.0, 1.2, 0.8, 0.6, 0.45, 0.35, 0.28, 0.22],
///     vec![2.1, 1.3, 1.0, 0.9, 0.95, 1.05, 1.2, 1.35],
/// );
/// let verdicts = diagnose(&c, &Thresholds::default());
/// assert_eq!(verdicts[0].kind, VerdictKind::Overfitting { best_epoch: 3 });
/// ```
pub fn diagnose(curves: &Curves, t: &Thresholds) -> Vec<Verdict> {
    if curves.is_empty() && curves.diverged_at_step.is_none() {
        return Vec::new();
    }
    let ctx = Context::new(curves, t);
    if let Some(v) = diverging::detect(&ctx) {
        return vec![v];
    }
    let n = curves.len();
    if ctx.primary().len() < t.min_epochs.max(2) {
        return vec![too_short(n)];
    }
    if let Some(v) = not_learning::detect(&ctx) {
        return vec![v];
    }
    let mut problems = Vec::new();
    if let Some(v) = overfitting::detect(&ctx)
        .or_else(|| validation_not_improving::detect(&ctx))
        .or_else(|| gap::large_gap(&ctx))
    {
        problems.push(v);
    }
    problems.extend(underfitting::detect(&ctx));
    problems.extend(unstable::detect(&ctx));
    problems.extend(gap::validation_better(&ctx));
    if problems.is_empty() {
        problems.push(good_fit::verdict(&ctx));
    }
    if let (Some(train), Some(val)) = (&curves.train_error, &curves.val_error) {
        if let (Some(&e_train), Some(&e_val)) = (train.last(), val.last()) {
            problems.push(bias_variance(t.bayes_error, e_train, e_val, t).to_verdict());
        }
    }
    problems
}

/// Fewer epochs than `min_epochs`: nothing to judge yet.
fn too_short(epochs: usize) -> Verdict {
    Verdict {
        kind: VerdictKind::TooShort { epochs },
        evidence: vec![Evidence::new("epochs", epochs as f64)],
        explanation: "Too few epochs to read a learning curve: a trend needs several points."
            .to_string(),
        advice: vec!["train for more epochs before judging the curves".to_string()],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{DivergedAt, EarlyStop, EarlyStopping, EarlyStoppingConfig};

    fn kinds(c: &Curves) -> Vec<VerdictKind> {
        diagnose(c, &Thresholds::default())
            .into_iter()
            .map(|v| v.kind)
            .collect()
    }

    #[test]
    fn odd_input_never_panics() {
        let odd = [
            Curves::default(),
            Curves::from_losses(vec![1.0], vec![]),
            Curves::from_losses(vec![], vec![1.0, 0.5, 0.4, 0.3]),
            Curves::from_losses(vec![1.0, 0.5, 0.4, 0.3, 0.2], vec![1.0, 0.6]),
            Curves::from_losses(vec![0.0; 6], vec![0.0; 6]),
            Curves::from_losses(vec![-1.0, -2.0, -3.0, -3.5], vec![-0.5, -1.0, -1.2, -1.1]),
            Curves::from_losses(vec![f64::NAN; 4], vec![f64::NAN; 4]),
            Curves::from_losses(vec![1e300, 1e-300, 1e300, 0.0], vec![1.0; 4]),
            Curves {
                epochs: vec![f64::NAN, -1.0],
                ..Curves::from_losses(vec![3.0, 2.0, 1.0, 0.5], vec![3.0, 2.0, 3.0, 4.0])
            },
            Curves::from_losses(vec![1.0, 0.5, 0.4], vec![1.0, 0.5, 0.4])
                .with_errors(vec![], vec![f64::NAN]),
        ];
        for c in &odd {
            for v in diagnose(c, &Thresholds::default()) {
                assert!(!v.explanation.is_empty());
                let _ = v.to_string();
            }
        }
        // Zero-valued thresholds are odd too.
        let zero = Thresholds {
            min_epochs: 0,
            min_tail: 0,
            tail_fraction: 0.0,
            ..Thresholds::default()
        };
        for c in &odd {
            let _ = diagnose(c, &zero);
        }
    }

    #[test]
    fn no_loss_gives_no_verdict_and_one_epoch_is_too_short() {
        assert!(kinds(&Curves::default()).is_empty());
        assert_eq!(
            kinds(&Curves::from_losses(vec![2.0, 1.0], vec![2.0, 1.1])),
            vec![VerdictKind::TooShort { epochs: 2 }]
        );
    }

    #[test]
    fn all_nan_diverges_at_the_first_epoch() {
        assert_eq!(
            kinds(&Curves::from_losses(vec![f64::NAN; 4], vec![f64::NAN; 4])),
            vec![VerdictKind::Diverging {
                epoch_or_step: DivergedAt::Epoch(0.0)
            }]
        );
    }

    #[test]
    fn a_validation_only_curve_is_judged_on_validation() {
        // No training loss: 1.0 -> 0.3 flat at the end; nothing to compare with, so good fit.
        let c = Curves::from_losses(vec![], vec![1.0, 0.6, 0.4, 0.3, 0.3, 0.3]);
        assert_eq!(kinds(&c), vec![VerdictKind::GoodFit]);
    }

    #[test]
    fn error_curves_add_bias_and_variance_last() {
        // Good-fit losses, with the lecture's error levels at the end (Bayes 1% set in the
        // thresholds): training 5%, validation 8%.
        let train = vec![2.3, 1.4, 0.9, 0.6, 0.45, 0.36, 0.31, 0.30, 0.30, 0.30];
        let val = vec![2.3, 1.45, 0.95, 0.65, 0.49, 0.39, 0.34, 0.33, 0.33, 0.33];
        let c = Curves::from_losses(train, val).with_errors(vec![0.05; 10], vec![0.08; 10]);
        let t = Thresholds {
            bayes_error: 0.01,
            ..Thresholds::default()
        };
        let v = diagnose(&c, &t);
        // Variance 8% - 5% = 3% > 2%: a large gap on errors, then the bias/variance split.
        assert_eq!(v.len(), 2, "{v:?}");
        assert_eq!(v[0].kind, VerdictKind::LargeGap);
        match v[1].kind {
            VerdictKind::BiasVariance {
                avoidable_bias,
                variance,
            } => {
                crate::tolerance::assert_close(avoidable_bias, 0.04);
                crate::tolerance::assert_close(variance, 0.03);
            }
            ref other => panic!("expected bias/variance, got {other:?}"),
        }
        assert!(v[1].advice[0].contains("bigger model"));
    }

    #[test]
    fn early_stopping_stops_at_the_overfitting_verdicts_best_epoch() {
        // The U-shaped validation curve of the overfitting test: minimum 0.70 at epoch 4.
        let train = vec![2.3, 1.5, 1.0, 0.7, 0.45, 0.3, 0.2, 0.15, 0.12];
        let val = vec![2.3, 1.6, 1.1, 0.85, 0.70, 0.75, 0.85, 0.95, 1.05];
        let v = diagnose(
            &Curves::from_losses(train, val.clone()),
            &Thresholds::default(),
        );
        let VerdictKind::Overfitting { best_epoch } = v[0].kind else {
            panic!("expected overfitting, got {:?}", v[0].kind);
        };
        let mut es = EarlyStopping::new(EarlyStoppingConfig {
            patience: 3,
            ..Default::default()
        })
        .expect("valid config");
        // Epochs 5, 6, 7 do not improve on 0.70: the stop comes at epoch 7.
        let stop = val
            .iter()
            .enumerate()
            .map(|(e, &m)| (e, es.observe(e, m)))
            .find(|(_, d)| matches!(d, EarlyStop::Stop { .. }));
        match stop {
            Some((7, EarlyStop::Stop { best_epoch: b, .. })) => assert_eq!(b, Some(best_epoch)),
            other => panic!("expected a stop at epoch 7, got {other:?}"),
        }
    }

    #[test]
    fn verdicts_serialize_for_json_consumers() {
        let c = Curves::from_losses(vec![2.3, f64::NAN, 1.0], vec![2.3, 2.0, 1.0]);
        let json = crate::to_json(&diagnose(&c, &Thresholds::default()));
        let value: serde_json::Value = serde_json::from_str(&json).expect("valid JSON");
        assert_eq!(value[0]["kind"]["verdict"], "diverging");
        assert_eq!(value[0]["kind"]["epoch_or_step"]["epoch"], 1.0);
        // The NaN evidence value is null in JSON.
        assert!(value[0]["evidence"][0]["value"].is_null(), "{json}");
    }
}
