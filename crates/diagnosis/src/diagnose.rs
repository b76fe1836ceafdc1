//! `diagnose`: run every detector on a set of curves and order the verdicts.
//!
//! ```text
//! 1. diverging (NaN / inf / train loss > explode_factor * first)  -> [Diverging], stop
//! 2. fewer than min_epochs epochs                                 -> [TooShort], stop
//! 3. accuracy at 1/C or loss at ln C                              -> [AtChance], stop
//! 4. loss flat from the start (capped at ln C)                    -> [NotLearning], stop
//! 5. losses rising; underfitting (high bias); overfitting (high variance), else validation
//!    not improving; still improving; unstable; validation better than training
//! 6. good fit when 5 found no problem, both losses are there and a training error (no high
//!    bias needs one)
//! 7. not judged, one per missing series a verdict needed; bias/variance when both error
//!    curves are present
//! ```
//!
//! The lecture's definitions: high bias (underfitting) is a training error far above the
//! target (Bayes) error; high variance (overfitting) is a validation error above the training
//! error by more than the tolerated gap and the validation estimate's sampling noise.
//! PyTorch has no counterpart.

use crate::detectors::{
    chance, diverging, gap, good_fit, not_judged, not_learning, overfitting, rising,
    still_improving, underfitting, unstable, validation_not_improving,
};
use crate::measures::{median, slope, tail_len};
use crate::{BiasVariance, Curves, Evidence, Thresholds, Verdict, VerdictKind};

/// What every detector reads: the curves, the thresholds, and the measures derived from both.
pub(crate) struct Context<'a> {
    /// The curves being judged.
    pub curves: &'a Curves,
    /// The thresholds.
    pub t: &'a Thresholds,
    /// Where the loss started: the median of the first three losses of [`Context::primary`],
    /// at most ln C for a classifier of C classes.
    pub start: f64,
    /// The loss scale: `|start|`, at least `f64::MIN_POSITIVE`.
    pub scale: f64,
}

impl<'a> Context<'a> {
    pub(crate) fn new(curves: &'a Curves, t: &'a Thresholds) -> Context<'a> {
        let primary = if curves.train_loss.is_empty() {
            &curves.val_loss
        } else {
            &curves.train_loss
        };
        let first: Vec<f64> = primary.iter().take(3).copied().collect();
        let mut start = if first.is_empty() {
            1.0
        } else {
            median(&first)
        };
        if let Some(c) = curves.n_classes.filter(|&c| c >= 2) {
            start = start.min((c as f64).ln());
        }
        Context {
            curves,
            t,
            start,
            scale: start.abs().max(f64::MIN_POSITIVE),
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

    /// The final `(train_error, val_error)` when both error curves have one.
    pub(crate) fn final_errors(&self) -> Option<(f64, f64)> {
        let last = |e: &Option<Vec<f64>>| e.as_ref().and_then(|e| e.last().copied());
        Some((
            last(&self.curves.train_error)?,
            last(&self.curves.val_error)?,
        ))
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
    if let Some(v) = chance::detect(&ctx) {
        return vec![v];
    }
    if let Some(v) = not_learning::detect(&ctx) {
        return vec![v];
    }
    let mut problems = Vec::new();
    let rising = rising::detect(&ctx);
    let rose = rising.is_some();
    problems.extend(rising);
    problems.extend(underfitting::detect(&ctx));
    // A validation loss rising with the training loss is said by `rising` already.
    problems.extend(
        overfitting::detect(&ctx)
            .or_else(|| validation_not_improving::detect(&ctx).filter(|_| !rose)),
    );
    problems.extend(still_improving::detect(&ctx));
    problems.extend(unstable::detect(&ctx));
    problems.extend(gap::validation_better(&ctx));
    let settled =
        problems.is_empty() && !curves.train_loss.is_empty() && !curves.val_loss.is_empty();
    // A good fit is also "no high bias": without a training error that is not known.
    if settled && curves.train_error.is_some() {
        problems.push(good_fit::verdict(&ctx));
    }
    problems.extend(not_judged::verdicts(&ctx, settled));
    if let Some((e_train, e_val)) = ctx.final_errors() {
        let bv = BiasVariance::judge(t.bayes_error, e_train, e_val, curves.n_val, t);
        problems.push(bv.to_verdict());
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
    fn a_validation_only_curve_gets_no_verdict_about_training() {
        // No training loss: 1.0 -> 0.3, flat at the end. It learned and settled, but a good fit
        // (or a gap) needs the training loss: not judged, and the note names what is missing.
        let c = Curves::from_losses(vec![], vec![1.0, 0.6, 0.4, 0.3, 0.3, 0.3]);
        let v = diagnose(&c, &Thresholds::default());
        assert_eq!(
            v.iter().map(|v| v.kind.clone()).collect::<Vec<_>>(),
            vec![
                VerdictKind::NotJudged {
                    missing: "training loss".into()
                },
                VerdictKind::NotJudged {
                    missing: "training accuracy".into()
                },
                VerdictKind::NotJudged {
                    missing: "number of classes".into()
                },
            ]
        );
        assert!(
            v[0].to_string()
                .starts_with("not judged (no training loss): "),
            "{}",
            v[0]
        );
        assert!(v.iter().all(|v| !v.is_problem()));
    }

    #[test]
    fn error_curves_add_bias_and_variance_last() {
        // Good-fit losses, with the lecture's error levels at the end (Bayes 1% set in the
        // thresholds): training 5%, validation 8%.
        let train = vec![2.3, 1.4, 0.9, 0.6, 0.45, 0.36, 0.31, 0.30, 0.30, 0.30];
        let val = vec![2.3, 1.45, 0.95, 0.65, 0.49, 0.39, 0.34, 0.33, 0.33, 0.33];
        let c = Curves::from_losses(train, val)
            .with_errors(vec![0.05; 10], vec![0.08; 10])
            .with_n_val(10_000);
        let t = Thresholds {
            bayes_error: 0.01,
            ..Thresholds::default()
        };
        let v = diagnose(&c, &t);
        // Avoidable bias 5% - 1% = 4% > 2%: underfitting. Variance 8% - 5% = 3% > 2% +
        // 2 sqrt(0.08 x 0.92 / 10000) = 2.54%: overfitting. Then the bias/variance split.
        assert_eq!(v.len(), 3, "{v:?}");
        assert_eq!(v[0].kind, VerdictKind::Underfitting);
        assert_eq!(v[1].kind, VerdictKind::Overfitting { best_epoch: 7 });
        match v[2].kind {
            VerdictKind::BiasVariance {
                avoidable_bias,
                variance,
            } => {
                crate::tolerance::assert_close(avoidable_bias, 0.04);
                crate::tolerance::assert_close(variance, 0.03);
            }
            ref other => panic!("expected bias/variance, got {other:?}"),
        }
        assert!(v[2].advice[0].contains("bigger model"));
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
