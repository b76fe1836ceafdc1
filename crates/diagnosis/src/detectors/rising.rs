//! Losses rising: training makes the model worse, slowly (a fast rise is divergence).
//!
//! ```text
//! rising if tail_slope(train) > still_falling  and  (no val  or  tail_slope(val) > still_falling)
//! ```

use crate::detectors::lines;
use crate::diagnose::Context;
use crate::{Evidence, Verdict, VerdictKind};

pub(crate) fn detect(ctx: &Context<'_>) -> Option<Verdict> {
    let (train, val) = (ctx.primary(), &ctx.curves.val_loss);
    let rising = |x: &[f64]| x.len() >= 2 && ctx.tail_slope(x) > ctx.t.still_falling;
    let has_val = !ctx.curves.train_loss.is_empty() && !val.is_empty();
    if !rising(train) || (has_val && !rising(val)) {
        return None;
    }
    let mut evidence = vec![Evidence::new(
        "training loss tail slope (share of the starting loss per epoch)",
        ctx.tail_slope(train),
    )];
    if has_val {
        evidence.push(Evidence::new(
            "validation loss tail slope (share of the starting loss per epoch)",
            ctx.tail_slope(val),
        ));
    }
    evidence.push(Evidence::at(
        "loss at the end",
        train[train.len() - 1],
        ctx.last_epoch(train.len()),
    ));
    Some(Verdict {
        kind: VerdictKind::LossesRising,
        evidence,
        explanation: "The training loss rises at the end (and the validation loss with it): each \
                      epoch leaves the model worse than the one before. The optimizer no longer \
                      descends: a learning rate that grew too large (a slow divergence), a \
                      regularisation that grows to overpower the data, or a bug in the update."
            .to_string(),
        advice: lines(&[
            "lower the learning rate, and check the schedule does not raise it",
            "check weight decay and other regularisation strengths over time",
            "keep the weights of the epoch with the lowest validation loss",
        ]),
    })
}

#[cfg(test)]
mod tests {
    use crate::{diagnose, Curves, Thresholds, VerdictKind};

    #[test]
    fn both_losses_rising_steadily_are_not_a_good_fit() {
        // Start median(2.0, 1.0, 0.5) = 1.0; tail (3 rows) 0.4, 0.5, 0.6: slope +0.1 / 1.0 =
        // +10% per epoch > 0.5%, and validation the same. Never above 3 x 2.0: no divergence.
        let c = Curves::from_losses(
            vec![2.0, 1.0, 0.5, 0.3, 0.4, 0.5, 0.6],
            vec![2.0, 1.1, 0.6, 0.4, 0.5, 0.6, 0.7],
        );
        let v = diagnose(&c, &Thresholds::default());
        assert_eq!(v[0].kind, VerdictKind::LossesRising, "{v:?}");
        assert!(v.iter().all(|v| v.kind != VerdictKind::GoodFit));
    }
}
