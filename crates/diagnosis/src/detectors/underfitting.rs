//! Underfitting: both losses still falling at the end, or the training error is high.
//!
//! ```text
//! still falling: tail_slope(train) < -still_falling  and  (no val  or  tail_slope(val) < -still_falling)
//! high error:    final training error > high_train_error
//! ```

use crate::detectors::lines;
use crate::diagnose::Context;
use crate::{Evidence, Verdict, VerdictKind};

pub(crate) fn detect(ctx: &Context<'_>) -> Option<Verdict> {
    let (train, val) = (&ctx.curves.train_loss, &ctx.curves.val_loss);
    let mut evidence = Vec::new();
    let mut reasons = Vec::new();
    if train.len() >= 2 {
        let train_slope = ctx.tail_slope(train);
        let val_slope = (val.len() >= 2).then(|| ctx.tail_slope(val));
        let falling = |s: f64| s < -ctx.t.still_falling;
        let val_falling = match val_slope {
            Some(s) => falling(s),
            None => true,
        };
        if falling(train_slope) && val_falling {
            evidence.push(Evidence::new(
                "training loss tail slope (share of first loss per epoch)",
                train_slope,
            ));
            if let Some(s) = val_slope {
                evidence.push(Evidence::new(
                    "validation loss tail slope (share of first loss per epoch)",
                    s,
                ));
            }
            reasons.push(
                "Training and validation loss are still falling at the end: training stopped \
                 before the model converged.",
            );
        }
    }
    let train_error = ctx.curves.train_error.as_deref().unwrap_or(&[]);
    if let Some(&e) = train_error.last() {
        if e > ctx.t.high_train_error {
            evidence.push(Evidence::at(
                "final training error",
                e,
                ctx.last_epoch(train_error.len()),
            ));
            reasons.push(
                "The training error is high: the model does not even fit the data it is trained \
                 on (high bias).",
            );
        }
    }
    if reasons.is_empty() {
        return None;
    }
    Some(Verdict {
        kind: VerdictKind::Underfitting,
        evidence,
        explanation: format!(
            "{} The model underfits: it is too simple or trained too briefly to capture the \
             pattern in the data.",
            reasons.join(" ")
        ),
        advice: lines(&[
            "train longer (more epochs)",
            "use a bigger network (more units, more layers)",
            "use a better optimizer (momentum, RMSProp, Adam) and tune its learning rate",
            "reduce regularisation if there is any",
        ]),
    })
}

#[cfg(test)]
mod tests {
    use crate::{diagnose, Curves, Thresholds, VerdictKind};

    #[test]
    fn both_losses_still_falling_at_the_end() {
        // 6 rows, tail 3: train tail 1.0, 0.9, 0.8 -> slope -0.1 / 2.0 = -5% per epoch;
        // val tail 1.1, 1.0, 0.9 -> -5% per epoch. Both < -0.5%: stopped too early.
        let c = Curves::from_losses(
            vec![2.0, 1.5, 1.2, 1.0, 0.9, 0.8],
            vec![2.0, 1.6, 1.3, 1.1, 1.0, 0.9],
        );
        let v = diagnose(&c, &Thresholds::default());
        assert_eq!(v.len(), 1, "{v:?}");
        assert_eq!(v[0].kind, VerdictKind::Underfitting);
        assert!(v[0].advice[0].contains("train longer"));
    }

    #[test]
    fn a_high_training_error_underfits_even_when_settled() {
        // Settled losses, but 30% training error > 10% (validation 31%: variance 1%, no gap).(validation 31%: variance 1%, no gap).
        let c = Curves::from_losses(
            vec![2.0, 1.2, 1.0, 1.0, 1.0],
            vec![2.0, 1.2, 1.05, 1.05, 1.05],
        )
        .with_errors(
            vec![0.6, 0.35, 0.3, 0.3, 0.3],
            vec![0.6, 0.36, 0.31, 0.31, 0.31],
        );
        let v = diagnose(&c, &Thresholds::default());
        assert_eq!(v[0].kind, VerdictKind::Underfitting, "{v:?}");
        assert!(v[0]
            .to_string()
            .contains("final training error = 0.3000 (epoch 4)"));
        // The error levels also give bias/variance: avoidable bias 0.3 - 0 = 30%.
        assert!(matches!(
            v.last().map(|v| &v.kind),
            Some(VerdictKind::BiasVariance { .. })
        ));
    }

    #[test]
    fn a_slowly_falling_tail_has_settled() {
        // Tail slope -0.002 / 2.0 = -0.1% per epoch > -0.5%: settled, a good fit.
        let c = Curves::from_losses(
            vec![2.0, 1.0, 0.5, 0.304, 0.302, 0.300],
            vec![2.0, 1.0, 0.55, 0.334, 0.332, 0.330],
        );
        let v = diagnose(&c, &Thresholds::default());
        assert_eq!(v[0].kind, VerdictKind::GoodFit, "{v:?}");
    }
}
