//! Not learning: the training loss is flat from the start.
//!
//! ```text
//! start = median of the first three losses, at most ln C          (see diagnose::Context)
//! drop  = (start - min(x)) / scale        x = training loss (validation loss without one)
//! not learning if drop < flat_drop, unless a final training error <= high_train_error says
//! the model was already good (a resumed run)
//! ```
//!
//! The median and the cap at the chance-level loss ln C keep a blown-up first epoch from
//! counting as progress: falling from 26 back to 2.33 is not learning.

use crate::detectors::lines;
use crate::diagnose::Context;
use crate::measures::argmin;
use crate::{Evidence, Verdict, VerdictKind};

pub(crate) fn detect(ctx: &Context<'_>) -> Option<Verdict> {
    let x = ctx.primary();
    let best = argmin(x)?;
    let drop = (ctx.start - x[best]) / ctx.scale;
    if drop >= ctx.t.flat_drop {
        return None;
    }
    let final_train_error = ctx
        .curves
        .train_error
        .as_ref()
        .and_then(|e| e.last().copied());
    if final_train_error.is_some_and(|e| e <= ctx.t.high_train_error) {
        return None;
    }
    let mut evidence = vec![
        Evidence::at("first loss", x[0], ctx.epoch(0)),
        Evidence::new(
            "starting loss (median of the first three, at most ln C)",
            ctx.start,
        ),
        Evidence::at("lowest loss", x[best], ctx.epoch(best)),
        Evidence::new("drop as a share of the starting loss", drop),
    ];
    if let Some(e) = final_train_error {
        evidence.push(Evidence::at(
            "final training error",
            e,
            ctx.last_epoch(x.len()),
        ));
    }
    Some(Verdict {
        kind: VerdictKind::NotLearning,
        evidence,
        explanation: "The loss is flat from the start (a blown-up first epoch aside): the \
                      network is not learning. \
                      The learning rate is too small to move the weights, or no useful gradient \
                      reaches them (a bug in the loss or the labels, saturated or dead units)."
            .to_string(),
        advice: lines(&[
            "raise the learning rate (search it on a log scale, or run a learning-rate range test)",
            "check that the model can overfit a handful of examples (sanity check)",
            "check the data pipeline: inputs and labels match, labels in the loss's format",
            "check the initialisation and the activations (saturated sigmoids, dead ReLUs)",
        ]),
    })
}

#[cfg(test)]
mod tests {
    use crate::{diagnose, Curves, Thresholds, VerdictKind};

    #[test]
    fn a_learning_rate_of_1e_7_gives_a_flat_curve() {
        // Loss 2.31 -> 2.3084 over 10 epochs: drop 0.0016 / 2.31 = 0.07% < 1%.
        let train: Vec<f64> = (0..10).map(|i| 2.31 - 0.0016 * i as f64 / 9.0).collect();
        let val: Vec<f64> = train.iter().map(|l| l + 0.001).collect();
        let v = diagnose(&Curves::from_losses(train, val), &Thresholds::default());
        assert_eq!(v.len(), 1);
        assert_eq!(v[0].kind, VerdictKind::NotLearning);
    }

    #[test]
    fn a_drop_just_above_flat_drop_is_learning() {
        // Drop 0.03 / 2.0 = 1.5% >= 1%: not "not learning".
        let c = Curves::from_losses(vec![2.0, 1.99, 1.98, 1.97], vec![2.0, 1.99, 1.98, 1.97]);
        let v = diagnose(&c, &Thresholds::default());
        assert!(
            v.iter().all(|v| v.kind != VerdictKind::NotLearning),
            "{v:?}"
        );
    }

    #[test]
    fn a_flat_curve_with_low_training_error_is_a_resumed_good_model() {
        // Flat at 0.05 from the start, but 1% training error: already trained, not stuck.
        let c = Curves::from_losses(vec![0.05; 5], vec![0.06; 5])
            .with_errors(vec![0.01; 5], vec![0.015; 5]);
        let v = diagnose(&c, &Thresholds::default());
        assert!(
            v.iter().all(|v| v.kind != VerdictKind::NotLearning),
            "{v:?}"
        );
    }

    #[test]
    fn a_blown_up_first_epoch_then_flat_is_not_learning() {
        // 26.3, 6.3, then flat at 2.6 +- 0.01: start median(26.3, 6.3, 2.6) = 6.3 would count
        // a 59% drop; with 10 classes the start is capped at ln 10 = 2.303 and the lowest loss
        // 2.59 is above it: no progress. (At 2.6 the loss is 13% above ln 10: not at chance.)
        let train = vec![26.3, 6.3, 2.6, 2.61, 2.6, 2.59, 2.6, 2.61];
        let c = Curves::from_losses(train.clone(), train).with_classes(10);
        let v = diagnose(&c, &Thresholds::default());
        assert_eq!(v[0].kind, VerdictKind::NotLearning, "{v:?}");
    }
}
