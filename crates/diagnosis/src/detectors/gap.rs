//! The generalisation gap at the end: too large (high variance), or negative (suspicious).
//!
//! ```text
//! train_end = mean(tail(train)),  val_end = mean(tail(val))
//! gap       = (val_end - train_end) / |val_end|
//! large gap                 if gap > max_gap, or, when both error curves are there (classification),
//!                           if val_error[last] - train_error[last] > max_variance instead
//! validation better         if val_end < (1 - val_better_margin) * train_end   (train_end > 0)
//! ```

use crate::detectors::lines;
use crate::diagnose::Context;
use crate::measures::mean;
use crate::{Evidence, Verdict, VerdictKind};

/// `(train_end, val_end, gap)`, `None` without both series.
pub(crate) fn end_gap(ctx: &Context<'_>) -> Option<(f64, f64, f64)> {
    let (train, val) = (&ctx.curves.train_loss, &ctx.curves.val_loss);
    if train.is_empty() || val.is_empty() {
        return None;
    }
    let (train_end, val_end) = (mean(ctx.tail(train)), mean(ctx.tail(val)));
    let gap = (val_end - train_end) / val_end.abs().max(f64::MIN_POSITIVE);
    Some((train_end, val_end, gap))
}

fn evidence(ctx: &Context<'_>, train_end: f64, val_end: f64, gap: f64) -> Vec<Evidence> {
    let k = ctx.tail(&ctx.curves.val_loss).len();
    vec![
        Evidence::new(
            format!("training loss at the end (mean of last {k})"),
            train_end,
        ),
        Evidence::new(
            format!("validation loss at the end (mean of last {k})"),
            val_end,
        ),
        Evidence::new("gap (val - train) / val", gap),
    ]
}

/// The final `(train_error, val_error)` when both error curves have one.
fn final_errors(ctx: &Context<'_>) -> Option<(f64, f64)> {
    let last = |e: &Option<Vec<f64>>| e.as_ref().and_then(|e| e.last().copied());
    Some((last(&ctx.curves.train_error)?, last(&ctx.curves.val_error)?))
}

/// Loss gaps grow as a classifier gets confident (cross-entropy of 0.03 vs 0.08 is a 60% gap at
/// 98% accuracy), so with error curves the gap is judged on errors, the lecture's variance.
pub(crate) fn large_gap(ctx: &Context<'_>) -> Option<Verdict> {
    let evidence = if let Some((train_error, val_error)) = final_errors(ctx) {
        let variance = val_error - train_error;
        if variance.is_nan() || variance <= ctx.t.max_variance {
            return None;
        }
        let n = ctx.curves.len();
        vec![
            Evidence::at("final training error", train_error, ctx.last_epoch(n)),
            Evidence::at("final validation error", val_error, ctx.last_epoch(n)),
            Evidence::new("variance (val error - train error)", variance),
        ]
    } else {
        let (train_end, val_end, gap) = end_gap(ctx)?;
        if gap <= ctx.t.max_gap {
            return None;
        }
        evidence(ctx, train_end, val_end, gap)
    };
    Some(Verdict {
        kind: VerdictKind::LargeGap,
        evidence,
        explanation: "Validation stays far worse than training: the model does much better on \
                      data it has seen than on new data (high variance)."
            .to_string(),
        advice: lines(&[
            "get more training data, or augment it",
            "regularise: L2 weight decay, dropout",
            "stop earlier, or use a smaller network",
        ]),
    })
}

pub(crate) fn validation_better(ctx: &Context<'_>) -> Option<Verdict> {
    let (train_end, val_end, gap) = end_gap(ctx)?;
    if !(train_end > 0.0 && val_end < (1.0 - ctx.t.val_better_margin) * train_end) {
        return None;
    }
    Some(Verdict {
        kind: VerdictKind::ValidationBetterThanTraining,
        evidence: evidence(ctx, train_end, val_end, gap),
        explanation: "The validation loss is clearly below the training loss. That is suspicious: \
                      validation examples may leak from the training set, the validation set may \
                      be easier or too small, or regularisation active only in training (dropout) \
                      inflates the training loss."
            .to_string(),
        advice: lines(&[
            "check for leakage: duplicates of training examples in the validation set",
            "check the split: both sets drawn the same way (shuffled, stratified), the validation set large enough",
            "if dropout or augmentation is on, compare with the training loss measured without them",
        ]),
    })
}

#[cfg(test)]
mod tests {
    use crate::{diagnose, Curves, Thresholds, VerdictKind};

    fn kinds(train: Vec<f64>, val: Vec<f64>) -> Vec<VerdictKind> {
        diagnose(&Curves::from_losses(train, val), &Thresholds::default())
            .into_iter()
            .map(|v| v.kind)
            .collect()
    }

    #[test]
    fn a_settled_large_gap_is_high_variance() {
        // Both settled (tail slopes 0), validation never rises above its minimum 0.80, but
        // gap = (0.80 - 0.10) / 0.80 = 87.5% > 25%.
        let k = kinds(
            vec![2.0, 1.0, 0.4, 0.2, 0.1, 0.1, 0.1],
            vec![2.0, 1.4, 1.0, 0.85, 0.80, 0.80, 0.80],
        );
        assert_eq!(k, vec![VerdictKind::LargeGap]);
    }

    #[test]
    fn with_error_curves_the_gap_is_judged_on_errors() {
        // A confident classifier: loss gap (0.08 - 0.03) / 0.08 = 62% > 25%, but errors 0.2% vs
        // 1.5%: variance 1.3% <= 2%, so no large gap. With 0.2% vs 5.2%: variance 5% > 2%.
        let train = vec![1.7, 0.7, 0.3, 0.1, 0.03, 0.03, 0.03];
        let val = vec![1.1, 0.45, 0.2, 0.1, 0.08, 0.08, 0.08];
        let small = Curves::from_losses(train.clone(), val.clone())
            .with_errors(vec![0.002; 7], vec![0.015; 7]);
        let v = diagnose(&small, &Thresholds::default());
        assert_eq!(v[0].kind, VerdictKind::GoodFit, "{v:?}");
        let large = Curves::from_losses(train, val).with_errors(vec![0.002; 7], vec![0.052; 7]);
        let v = diagnose(&large, &Thresholds::default());
        assert_eq!(v[0].kind, VerdictKind::LargeGap, "{v:?}");
        assert!(v[0]
            .to_string()
            .contains("variance (val error - train error) = 0.05000"));
    }

    #[test]
    fn validation_far_below_training_is_suspicious() {
        // Settled; val_end 0.40 < 0.9 x 0.50 = 0.45.
        let k = kinds(
            vec![2.0, 1.0, 0.6, 0.5, 0.5, 0.5],
            vec![1.8, 0.9, 0.5, 0.4, 0.4, 0.4],
        );
        assert_eq!(k, vec![VerdictKind::ValidationBetterThanTraining]);
    }

    #[test]
    fn slightly_lower_validation_is_fine() {
        // val_end 0.47 >= 0.45: within the margin, a good fit.
        let k = kinds(
            vec![2.0, 1.0, 0.6, 0.5, 0.5, 0.5],
            vec![1.9, 1.0, 0.6, 0.47, 0.47, 0.47],
        );
        assert_eq!(k, vec![VerdictKind::GoodFit]);
    }
}
