//! The generalisation gap at the end when it is negative: validation better than training.
//!
//! ```text
//! train_end = mean(tail(train)),  val_end = mean(tail(val))
//! gap       = (val_end - train_end) / |val_end|
//! validation better         if val_end < (1 - val_better_margin) * train_end   (train_end > 0)
//! ```
//!
//! A gap the other way is overfitting (see `overfitting`).

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
        // 1% training and validation error on 1000 samples: no bias, no variance.
        let n = train.len();
        let c = Curves::from_losses(train, val)
            .with_errors(vec![0.01; n], vec![0.01; n])
            .with_n_val(1000);
        diagnose(&c, &Thresholds::default())
            .into_iter()
            .map(|v| v.kind)
            .filter(|k| !matches!(k, VerdictKind::BiasVariance { .. }))
            .collect()
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
