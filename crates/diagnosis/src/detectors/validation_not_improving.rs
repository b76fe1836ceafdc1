//! Validation not going down: from the start while training loss does, or rising at the end.
//!
//! ```text
//! from the start: (val_0 - min(val)) / |val_0| < flat_drop  and  (start - min(train)) / scale >= flat_drop
//! at the end:     tail_slope(val) > still_falling            (rising, without a gap beyond the noise)
//! ```
//!
//! [`crate::diagnose`] reports overfitting instead when the gap is beyond the noise.

use crate::detectors::lines;
use crate::diagnose::Context;
use crate::measures::argmin;
use crate::{Evidence, Verdict, VerdictKind};

pub(crate) fn detect(ctx: &Context<'_>) -> Option<Verdict> {
    let (train, val) = (&ctx.curves.train_loss, &ctx.curves.val_loss);
    if val.len() < ctx.t.min_epochs.max(2) || train.len() < 2 {
        return None;
    }
    let (best_train, best_val) = (argmin(train)?, argmin(val)?);
    let train_drop = (ctx.start - train[best_train]) / ctx.scale;
    let val_drop = (val[0] - val[best_val]) / val[0].abs().max(f64::MIN_POSITIVE);
    let (train_slope, val_slope) = (ctx.tail_slope(train), ctx.tail_slope(val));
    let from_start = val_drop < ctx.t.flat_drop && train_drop >= ctx.t.flat_drop;
    let at_end = val_slope > ctx.t.still_falling;
    let (evidence, explanation) = if from_start {
        (
            vec![
                Evidence::at("first validation loss", val[0], ctx.epoch(0)),
                Evidence::at("lowest validation loss", val[best_val], ctx.epoch(best_val)),
                Evidence::new("validation drop as a share of its first value", val_drop),
                Evidence::new("training drop as a share of its starting value", train_drop),
            ],
            "The validation loss never goes down while the training loss does: what the network \
             learns from the training set does not carry over to the validation set. Either it \
             memorises, or the two sets differ (distribution, preprocessing, labels).",
        )
    } else if at_end {
        (
            vec![
                Evidence::new(
                    "training loss tail slope (share of the starting loss per epoch)",
                    train_slope,
                ),
                Evidence::new(
                    "validation loss tail slope (share of the starting loss per epoch)",
                    val_slope,
                ),
                Evidence::at(
                    "validation loss at the end",
                    val[val.len() - 1],
                    ctx.last_epoch(val.len()),
                ),
            ],
            "The validation loss rises at the end: from here on, training makes the model worse \
             on new data (the start of overfitting, while the gap is still within the noise).",
        )
    } else {
        return None;
    };
    Some(Verdict {
        kind: VerdictKind::ValidationNotImproving,
        evidence,
        explanation: explanation.to_string(),
        advice: lines(&[
            "stop early: more epochs will not improve the validation loss",
            "check that training and validation data come from the same distribution and get the \
             same preprocessing (a standardiser fitted on the training set, applied to both)",
            "regularise (weight decay, dropout) or get more data",
        ]),
    })
}

#[cfg(test)]
mod tests {
    use crate::{diagnose, Curves, Thresholds, VerdictKind};

    fn kinds(train: Vec<f64>, val: Vec<f64>) -> Vec<VerdictKind> {
        let n = train.len();
        let c = Curves::from_losses(train, val).with_errors(vec![0.01; n], vec![0.01; n]);
        diagnose(&c, &Thresholds::default())
            .into_iter()
            .map(|v| v.kind)
            .collect()
    }

    #[test]
    fn validation_flat_from_the_start() {
        // Training 2.3 -> 0.5 (78% drop); validation 2.30 .. 2.29 .. 2.30, drop 0.4% < 1%,
        // and ending a bit above its minimum (rise 0.4% < 10%, so not overfitting).
        let k = kinds(
            vec![2.3, 1.8, 1.4, 1.1, 0.9, 0.7, 0.6, 0.5],
            vec![2.30, 2.295, 2.29, 2.292, 2.295, 2.297, 2.299, 2.30],
        );
        assert_eq!(k[0], VerdictKind::ValidationNotImproving, "{k:?}");
    }

    #[test]
    fn validation_rising_a_little_at_the_end() {
        // 10 rows, tail = 3, start median(2.0, 1.6, 1.3) = 1.6. Validation tail 0.80, 0.82,
        // 0.84: slope +0.02 / 1.6 = +1.25% per epoch (> 0.5%), but its end mean 0.82 is only
        // 2.5% above its minimum 0.80 (not overfitting). Training still falls.
        let k = kinds(
            vec![2.0, 1.6, 1.3, 1.1, 0.9, 0.75, 0.65, 0.60, 0.55, 0.50],
            vec![2.0, 1.6, 1.3, 1.1, 0.95, 0.85, 0.80, 0.80, 0.82, 0.84],
        );
        assert_eq!(k[0], VerdictKind::ValidationNotImproving, "{k:?}");
    }

    #[test]
    fn validation_settling_while_training_falls_is_a_good_fit() {
        // Validation tail 0.80, 0.80, 0.80: settled. Training still falls: more epochs will not
        // help the validation loss, but nothing is wrong.
        let k = kinds(
            vec![2.0, 1.6, 1.3, 1.1, 0.9, 0.75, 0.65, 0.60, 0.55, 0.50],
            vec![2.0, 1.6, 1.3, 1.1, 0.95, 0.85, 0.80, 0.80, 0.80, 0.80],
        );
        assert_eq!(k[0], VerdictKind::GoodFit, "{k:?}");
    }
}
