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
